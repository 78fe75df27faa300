// Material for MkDocs 9.8.2's partials/javascripts/base.html (the page's inline copy takes the site's address
// from the page's; this one from its own, one folder below the site's root). Loaded in <head> by
// templates/theme/partials/javascripts/base.html.
__md_scope=new URL("..",document.currentScript.src),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}
