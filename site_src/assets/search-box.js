// papercat: Material's search button (shown on narrow screens), search box and result list (same classes, so
// they look and open like Material's), which assets/search.js runs over the Pagefind index. They are written
// here, where this script stands in the header (templates/theme/partials/search.html), rather than into every
// page: they only work with scripts on, and that spares each page 1.4 KB. This runs before the rest of the
// page is drawn, so nothing moves when they appear. The box carries no data-md-component="search" and no form
// named "search": either would make Material load its own index. Icons are drawn by CSS
// (templates/theme/partials/icon.html).
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
