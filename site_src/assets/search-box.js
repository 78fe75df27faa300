// papercat: Material's search button (shown on narrow screens), search box and result list (same classes, so
// they look and open like Material's), which assets/search.js runs over the Pagefind index. They are written
// here, where this script stands in the header (templates/theme/partials/search.html), rather than into every
// page: they only work with scripts on, and that spares each page 2.3 KB. This runs before the rest of the
// page is drawn, so nothing moves when they appear. The box carries no data-md-component="search" and no form
// named "search": either would make Material load its own index. Icons are drawn by CSS
// (templates/theme/partials/icon.html). The filters' choices are filled in by search.js from the index when the
// reader opens them (loading Pagefind's filters makes every search count them: slower).
document.currentScript.insertAdjacentHTML("beforebegin", `
<label class="md-header__button md-icon" for="__search">
<svg class="pc-icon pc-icon--material-magnify"></svg>
</label>
<div class="md-search pc-search" role="dialog" aria-label="Search">
<label class="md-search__overlay" for="__search"></label>
<div class="md-search__inner" role="search">
<form class="md-search__form" name="pc-search" data-pc-search-form>
<input type="text" class="md-search__input" name="query" aria-label="Search" placeholder="Search" autocapitalize="off" autocorrect="off" autocomplete="off" spellcheck="false" data-pc-search-query required>
<label class="md-search__icon md-icon" for="__search">
<svg class="pc-icon pc-icon--material-magnify"></svg>
<svg class="pc-icon pc-icon--material-arrow-left"></svg>
</label>
<nav class="md-search__options" aria-label="Search">
<button type="reset" class="md-search__icon md-icon" title="Clear" aria-label="Clear" tabindex="-1">
<svg class="pc-icon pc-icon--material-close"></svg>
</button>
</nav>
</form>
<div class="md-search__output">
<div class="md-search__scrollwrap" tabindex="0" data-md-scrollfix>
<div class="pc-search-filters">
<button type="button" class="pc-search-toggle" aria-expanded="false" aria-controls="pc-search-choices">Filter and order</button>
<span id="pc-search-choices" role="group" aria-label="Filter and order" hidden>
<label>Topic <select data-pc-filter="topic"><option value="">Any topic</option></select></label>
<span class="pc-search-range">
<label>Dumps from <select data-pc-filter="from"><option value="">the first</option></select></label>
<label>to <select data-pc-filter="to"><option value="">the last</option></select></label>
<span class="pc-search-presets" hidden>the last <button type="button" data-pc-days="7" aria-label="Dumps of the last week">week</button> <button type="button" data-pc-days="30" aria-label="Dumps of the last month">month</button> <button type="button" data-pc-days="365" aria-label="Dumps of the last year">year</button></span>
</span>
<label><input type="checkbox" data-pc-filter="code"> Has code <span data-pc-count="code"></span></label>
<label>Order <select data-pc-filter="order"><option value="relevance">Relevance</option><option value="newest">Newest first</option></select></label>
</span>
</div>
<div class="md-search-result" data-pc-search-result>
<div class="md-search-result__meta" role="status" aria-live="polite" aria-atomic="true" data-pc-search-meta>
Type to start searching
</div>
<ol class="md-search-result__list" role="presentation" data-pc-search-list></ol>
<button type="button" class="pc-search-more" data-pc-search-more hidden></button>
</div>
</div>
</div>
</div>
</div>
`);
