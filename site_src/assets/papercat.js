/* papercat reading state: stars, read marks, "new since your last visit", copy link and the j / k / s / r keys.
   Everything is kept in this browser's localStorage under "papercat:"; nothing is sent anywhere.
   Titles are text from the web: they reach the page only through textContent, never as HTML. */
(function () {
  "use strict";

  const reader = window.papercatReader; // reader-data.js, which loads before this file
  const { SITE_ROOT, parseJson, loadMap, save, element, sitePath, paperIdAt, plural } = reader;

  // ---- storage and small helpers -------------------------------------------------------------------------

  /** The full address of a stored site path, or null if it would leave the site. */
  function siteUrl(path) {
    const url = new URL(String(path), SITE_ROOT);
    return url.href.startsWith(SITE_ROOT) ? url.href : null;
  }

  // A title as its element holds it: spaces, tabs and line separators as written (the page shows them so).
  function textOf(node) {
    return node ? node.textContent : "";
  }

  function button(className, label, dataName, dataValue) {
    const node = element("button", className, label);
    node.type = "button";
    node.dataset[dataName] = dataValue;
    return node;
  }

  // ---- stars and read marks ------------------------------------------------------------------------------

  /** A listing item's paper: items made by the scripts carry it as `data-pc-paper`; the generated ones
      (thousands a catalog, where each repeat of the address costs) only link to its page, papers/ID/. */
  function itemPaperId(item) {
    if (item.dataset.pcPaper) return item.dataset.pcPaper;
    const link = item.querySelector("a.pc-title[href]");
    return link ? paperIdAt(link.href) : null;
  }

  /** The listing items of the page that stand for a paper. */
  function paperItems() {
    return Array.from(document.querySelectorAll(".pc-item")).filter(itemPaperId);
  }

  /** The page's paper items but those the catch-up list's topic picker leaves out: what Mark all read marks. */
  function pickedItems() {
    return paperItems().filter((item) => !item.classList.contains("pc-off-topic"));
  }

  /** The paper listing item a node is in, or null. */
  function paperItemOf(node) {
    const item = node.closest(".pc-item");
    return item && itemPaperId(item) ? item : null;
  }

  /** The search result a node is in (assets/search.js draws them), or null. */
  function searchResultOf(node) {
    return node.closest(".md-search-result__item");
  }

  /** The paper a button or listing item belongs to: its listing item or search result, else the paper page it
      is on. */
  function describePaper(node) {
    const item = paperItemOf(node);
    if (item) {
      const link = item.querySelector("a.pc-title");
      return { id: itemPaperId(item), title: textOf(link), url: link ? sitePath(link.href) : null };
    }
    const result = searchResultOf(node);
    const resultLink = result && result.querySelector("a.md-search-result__link[href]");
    if (resultLink) {
      return { id: paperIdAt(resultLink.href), title: textOf(result.querySelector(".pc-search-title")),
               url: sitePath(resultLink.href) };
    }
    const article = node.closest(".pc-paper[data-pc-paper]");
    if (!article) return null;
    return { id: article.dataset.pcPaper, title: textOf(article.querySelector(".pc-paper-title")),
             url: sitePath(location.href) };
  }

  function toggleStar(paper) {
    const starred = loadMap("starred");
    if (starred[paper.id]) {
      delete starred[paper.id];
    } else {
      starred[paper.id] = { id: paper.id, title: paper.title, url: paper.url, starred: new Date().toISOString() };
    }
    save("starred", starred);
    visitEngaged();
  }

  function unstar(paperId) {
    const starred = loadMap("starred");
    delete starred[paperId];
    save("starred", starred);
  }

  function toggleRead(paperId) {
    const read = loadMap("read");
    if (read[paperId]) {
      delete read[paperId];
    } else {
      read[paperId] = new Date().toISOString();
    }
    save("read", read);
    visitEngaged();
  }

  /** Starred papers, newest first; ties by id so the order never depends on the storage. */
  function starredPapers() {
    return Object.values(loadMap("starred"))
      .filter((paper) => paper && typeof paper.id === "string")
      .sort((a, b) => String(b.starred).localeCompare(String(a.starred)) || a.id.localeCompare(b.id));
  }

  /** A toggle button: its name says what it does, aria-pressed says its state, a glyph only decorates. In a
      listing its name names the paper too: a screen reader's list of buttons read "Star" fifty times. */
  function setPressed(node, pressed, glyph, label) {
    node.setAttribute("aria-pressed", String(pressed));
    node.replaceChildren(label);
    const paper = (paperItemOf(node) || searchResultOf(node)) && describePaper(node);
    if (paper) node.setAttribute("aria-label", `${label}: ${paper.title}`);
    if (!glyph) return;
    const decoration = element("span", "", glyph);
    decoration.setAttribute("aria-hidden", "true");
    node.prepend(decoration, " ");
  }

  /** Star and read buttons on each item of a listing, to sort a day's papers without opening them. The
      listings are generated without them: 500 buttons a page would be in every listing of the catalog. */
  function addItemButtons() {
    for (const item of paperItems()) {
      const meta = item.querySelector(".pc-item-meta") ?? relatedNote(item);
      if (!meta || item.classList.contains("pc-starred-item") || meta.querySelector("[data-pc-star]")) continue;
      const buttons = element("span", "pc-item-buttons");
      buttons.append(button("md-button pc-star", "Star", "pcStar", ""), " ",
                     button("md-button pc-read", "Mark read", "pcRead", ""));
      meta.append(buttons);
    }
  }

  /** A related paper's line under its title (what it shares), where its buttons go: a paper page's related
      papers were the one list a reader could not star from (a reader's review). Made where it has none. */
  function relatedNote(item) {
    if (!item.parentElement?.matches(".pc-related")) return null;
    let note = item.querySelector(".pc-shared");
    if (!note) {
      note = element("span", "pc-shared");
      note.dataset.pcNoShares = "";
      item.append(note);
    }
    return note;
  }

  function showReadingState() {
    const starred = loadMap("starred");
    const read = loadMap("read");
    for (const star of document.querySelectorAll("button[data-pc-star]")) {
      const paper = describePaper(star);
      const isStarred = Boolean(paper && starred[paper.id]);
      setPressed(star, isStarred, isStarred ? "★" : "☆", isStarred ? "Starred" : "Star");
    }
    for (const mark of document.querySelectorAll("button[data-pc-read]")) {
      const paper = describePaper(mark);
      const isRead = Boolean(paper && read[paper.id]);
      setPressed(mark, isRead, "", isRead ? "Read" : "Mark read");
    }
    for (const item of [...paperItems(), ...document.querySelectorAll(".md-search-result__item")]) {
      const paperId = describePaper(item)?.id;
      item.classList.toggle("pc-is-read", Boolean(read[paperId]));
      item.classList.toggle("pc-is-starred", Boolean(starred[paperId]));
      if (item.matches(".pc-item:not(.pc-starred-item)")) markTitleStarred(item, Boolean(starred[paperId]));
    }
  }

  /** A starred listing item's ★ follows its title's link, not inside it as a mark drawn by the link's own CSS
      would be: a title may hold a right-to-left override it never closes, which would carry the ★ into its
      reversed text. */
  function markTitleStarred(item, isStarred) {
    const link = item.querySelector("a.pc-title");
    const mark = item.querySelector(".pc-star-mark");
    if (isStarred && link && !mark) link.after(element("span", "pc-star-mark"));
    if (!isStarred && mark) mark.remove();
  }

  // ---- new since your last visit -------------------------------------------------------------------------
  // A visit is the pages viewed with no pause of three hours (reader.visitGoesOn), in any tab: the first page of
  // a visit records the dumps the catalog has then, and keeps the visit before as this visit's baseline, so reloading,
  // browsing on or opening new dumps in new tabs does not clear the marks. A dump is new when the baseline does
  // not list it; a paper is new when every dump it was seen in is new. With no earlier visit, nothing is new.
  // A visit that only glanced at the home page (no other page, nothing starred or marked read, gone within
  // GLANCE_MS) leaves what is new for the next visit: the next keeps its baseline (a reader's review: a look at
  // breakfast took every mark away from the reading after lunch).
  // Stored as "visit": {dumps, at} of this visit's start, `seen` (its last moment on a page), `before` (the
  // baseline) and `engaged` (more than a glance at the home page).

  const GLANCE_MS = 2 * 60 * 1000;
  // This page's baseline, once the page is set up: the Watch and For you pages draw their papers after that.
  let pageVisit = Promise.resolve(null);
  // When the visit this page belongs to started (its `at`).
  let pageVisitStart = null;

  function visitRecord(value) {
    return value && Array.isArray(value.dumps) ? { dumps: value.dumps, at: value.at } : null;
  }

  /** The baseline of this visit, after recording this page in it: null on a first visit. A visit started
      away from the home page, which lists every dump, reads them from the site (dumpsNow). */
  async function previousVisit(homeDumps) {
    const stored = loadMap("visit");
    const now = new Date();
    const engaged = !homeDumps; // any page but the home page
    if (reader.visitGoesOn(stored, now) && visitRecord(stored)) {
      save("visit", { ...stored, seen: now.toISOString(), engaged: Boolean(stored.engaged || engaged) });
      pageVisitStart = stored.at;
      return visitRecord(stored.before);
    }
    const allDumps = homeDumps || (await dumpsNow());
    if (!allDumps) return null; // offline: the visit starts on a later page, which can tell the dumps
    reader.forgetFiles(); // kept for the visit before, maybe of an older build
    const before = (wasGlance(stored) && visitRecord(stored.before)) || visitRecord(stored);
    save("visit", { dumps: allDumps, at: now.toISOString(), seen: now.toISOString(), before, engaged });
    pageVisitStart = now.toISOString();
    return before;
  }

  /** Whether the stored `visit` was a glance at the home page (see above). */
  function wasGlance(visit) {
    return !visit.engaged && !(new Date(visit.seen) - new Date(visit.at) >= GLANCE_MS);
  }

  /** Records that this visit was more than a glance: the reader starred or marked a paper read. */
  function visitEngaged() {
    const stored = loadMap("visit");
    if (visitRecord(stored) && !stored.engaged) save("visit", { ...stored, engaged: true });
  }

  /** A page left (hidden, closed or navigated away from) is its visit's last moment so far: the time spent
      reading the home page counts, not only the moments pages were opened. A page of an earlier visit, such as
      a tab kept open for days, leaves the visit in store as it is. */
  function recordLeaving() {
    const stored = loadMap("visit");
    const now = new Date();
    if (visitRecord(stored) && stored.at === pageVisitStart && reader.visitGoesOn(stored, now)) {
      save("visit", { ...stored, seen: now.toISOString() });
    }
  }

  /** Every dump's slug, from the site as it is now (not this tab's copy of the list, which may be days old);
      null if it cannot be read. */
  async function dumpsNow() {
    try {
      const response = await fetch(new URL("watch/dumps.json", SITE_ROOT), { cache: "no-cache" });
      const dumps = response.ok ? await response.json() : null;
      return Array.isArray(dumps) ? dumps.map((dump) => String(dump[0])) : null;
    } catch (error) {
      return null;
    }
  }

  /** The slug of the dump a link points to, or null. */
  function dumpOfLink(link) {
    const match = /^dumps\/([^/]+)\/$/.exec(sitePath(link.href) || "");
    return match ? match[1] : null;
  }

  /** Slugs of the dumps that listed an item's paper: its "Seen in" links, and on a dump page that dump, which
      only names the others, as the home page's list of the newest dump does. */
  function dumpsOfItem(item, pageDump) {
    const dumps = Array.from(item.querySelectorAll(".pc-seen a[href]"), dumpOfLink).filter(Boolean);
    const listedIn = pageDump ?? item.closest("ol[data-pc-dump]")?.dataset.pcDump;
    return listedIn ? [listedIn, ...dumps] : dumps;
  }

  /** Marks the listing items whose papers are new; returns how many. */
  function markNewItems(knownDumps, pageDump) {
    let count = 0;
    for (const item of paperItems()) {
      const dumps = dumpsOfItem(item, pageDump);
      if (!dumps.length || dumps.some((dump) => knownDumps.has(dump)) || item.classList.contains("pc-new")) continue;
      item.classList.add("pc-new");
      item.querySelector("a.pc-title").after(" ", element("span", "pc-new-badge", "new"));
      count += 1;
    }
    return count;
  }

  /** Marks the rows of the dumps index whose dumps are new. */
  function markNewDumpRows(knownDumps) {
    for (const link of document.querySelectorAll(".pc-dumps-index td.pc-name a[href]")) {
      const dump = dumpOfLink(link);
      if (!dump || knownDumps.has(dump) || link.closest("tr").classList.contains("pc-new")) continue;
      link.closest("tr").classList.add("pc-new");
      link.after(" ", element("span", "pc-new-badge", "new"));
    }
  }

  // ---- how much of each dump is read, on the dumps index --------------------------------------------------
  // The dumps index is where a daily reader finds where they stopped (a reader's review: two years of dumps
  // showed nothing of it). Its papers new to the catalog are numbered in the order first listed (papersSince),
  // so a dump's new papers are the numbers after those of the dumps before it: a row in view reads their
  // Watch files (100 papers each) and says how many of them are read.

  async function showDumpsRead() {
    const rows = new Map(Array.from(document.querySelectorAll(".pc-dumps-index tbody tr"), (row) => {
      const link = row.querySelector("td.pc-name a[href]");
      return [link && dumpOfLink(link), row];
    }).filter(([slug]) => slug));
    const read = loadMap("read");
    if (!rows.size || !Object.keys(read).length || !("IntersectionObserver" in window)) return;
    const [info, dumpList] = await Promise.all([reader.meta(), reader.dumps()]);
    if (!info || !Array.isArray(dumpList)) return;
    let next = 0;
    const newPapers = new Map(); // row -> [number of its first new paper, how many]
    for (const [slug] of dumpList) {
      const row = rows.get(String(slug));
      if (!row) return; // a dumps index of another build than the Watch files: say nothing
      const count = Number(row.querySelector("td:last-child").textContent.replace(/,/g, "")) || 0;
      newPapers.set(row, [next, count]);
      next += count;
    }
    const observer = new IntersectionObserver((seen) => {
      for (const { target, isIntersecting } of seen) {
        if (!isIntersecting) continue;
        observer.unobserve(target);
        showRowRead(target, ...newPapers.get(target), read, info);
      }
    }, { rootMargin: "400px 0px" });
    for (const row of newPapers.keys()) observer.observe(row);
  }

  async function showRowRead(row, first, count, read, info) {
    const numbers = Array.from({ length: count }, (_, index) => first + index);
    const entries = await Promise.all(numbers.map((number) => reader.paperInfo(number, info)));
    const readCount = entries.filter((entry) => entry && read[entry[0]]).length;
    const cell = row.querySelector("td:last-child");
    if (!readCount || cell.querySelector(".pc-dump-read")) return;
    cell.append(element("span", "pc-dump-read", readCount === count ? " · all read" : ` · ${readCount} read`));
  }

  function showBanner(banner, text) {
    banner.textContent = text;
    banner.hidden = false;
  }

  function bannerOfDumpPage(index) {
    const banner = index.querySelector(".pc-new-since") || element("div", "pc-new-since");
    if (!banner.isConnected) index.querySelector("h1").after(banner);
    return banner;
  }

  const MANY_NEW_DUMPS = 6; // more rows than this go in columns

  /** The home page's banner: how many dumps and papers are new, and a row for each new dump it lists (the
      newest ones; the rest are marked on the dumps index). */
  function showNewDumps(banner, newDumps, since) {
    let papers = 0;
    let listed = 0;
    for (const row of banner.querySelectorAll("li[data-pc-dump]")) {
      row.hidden = !newDumps.includes(row.dataset.pcDump);
      if (row.hidden) continue;
      papers += Number(row.dataset.pcNew) || 0;
      listed += 1;
    }
    banner.querySelector("ul")?.classList.toggle("pc-many", listed > MANY_NEW_DUMPS);
    const older = newDumps.length - listed;
    // With only older dumps new (added after newer ones), the list is empty and the dumps page marks them.
    const found = listed ? `${plural(papers, "paper")} new to the catalog${older ? ` in the newest ${listed}` : ""}`
                         : `none of them among the newest ${banner.querySelectorAll("li[data-pc-dump]").length}`;
    banner.querySelector(".pc-new-since-text").textContent =
      `${plural(newDumps.length, "new dump")} since your last visit${since}, ${found}:`;
    const olderNote = banner.querySelector(".pc-older-new-dumps");
    olderNote.hidden = !older;
    olderNote.querySelector("span").textContent = listed ? `${plural(older, "older new dump")}: ` : "";
    banner.hidden = false;
  }

  /** After days away, a button on the home page's banner that lists every paper new to the catalog in the new
      dumps, newest dump first, on this page (but those the page lists already): a reader opened one dump's
      page after another. */
  function offerCatchUp(banner, newDumps) {
    if (banner.querySelector(".pc-catch-up")) return;
    const show = button("md-button pc-catch-up", "List the other new papers here", "pcCatchUp", "");
    show.addEventListener("click", async () => {
      show.disabled = true;
      show.setAttribute("aria-busy", "true");
      const days = await newPapersByDay(newDumps).catch(() => null);
      const count = days?.querySelectorAll(".pc-item").length;
      if (!count) {
        const message = days ? "No other paper is new." : "The new papers could not be loaded; open each dump instead.";
        show.replaceWith(element("p", "pc-catch-up-none", message));
        return;
      }
      // After the newest dump's papers, as the page's other listings are: inside the banner, they took its
      // text colours.
      show.replaceWith(element("p", "pc-catch-up-note", `${plural(count, "other new paper")}, listed below the ` +
                                                        "newest dump's."));
      const info = await reader.meta();
      if (info) days.querySelector("h2").after(...topicPicker(days, info));
      (document.querySelector(".pc-home > ol.pc-listing") ?? banner).after(days);
      reader.itemsDrawn(); // Star and Mark read buttons, and j / k, as on any listing
      days.querySelector("a.pc-title").focus();
    });
    banner.append(show);
  }

  /** The papers first listed in `newDumps` (slugs), but those listed on the page, from the Watch data, under a
      heading, a listing per dump, newest dump first and each in its dump's order; null if the data lacks a new
      dump. Papers are numbered in the order they were first listed (papersSince). */
  async function newPapersByDay(newDumps) {
    const [info, dumpList] = await Promise.all([reader.meta(), reader.dumps()]);
    if (!info || !Array.isArray(dumpList)) return null;
    const { papers, complete } = await reader.papersFirstListedIn(newDumps, info, dumpList);
    if (!complete) return null;
    const onPage = new Set(paperItems().map(itemPaperId));
    const found = papers.filter(([, entry]) => !onPage.has(entry[0]));
    found.sort((a, b) => b[1][4] - a[1][4] || a[0] - b[0]);
    const days = element("section", "pc-catch-up-days");
    const heading = element("h2", "", "Other papers new since your last visit");
    heading.id = "new-since-last-visit";
    days.append(heading);
    let list = null;
    for (const [number, entry] of found) {
      if (!list || list.dataset.pcDumpIndex !== String(entry[4])) {
        const dump = dumpList[entry[4]];
        const link = element("a", "", String(dump[1]));
        link.href = new URL(`dumps/${encodeURIComponent(dump[0])}/`, SITE_ROOT).href;
        const dayHeading = element("h3", "pc-catch-up-day");
        dayHeading.append(link);
        list = element("ol", "pc-listing pc-catch-up-list");
        list.dataset.pcDumpIndex = String(entry[4]);
        list.dataset.pcDump = String(dump[0]); // marked new as the newest dump's list is (markNewItems)
        const day = element("section", "pc-catch-up-dump"); // hidden whole where none of its papers shows (CSS)
        day.append(dayHeading, list);
        days.append(day);
      }
      const item = reader.paperItem(number, entry);
      const meta = element("div", "pc-item-meta");
      meta.append(...reader.itemDetails(entry, info)); // no "Seen in": the day's heading says where
      item.append(meta);
      list.append(item);
    }
    return days;
  }

  /** A caption, the buttons that narrow the catch-up list (`days`) to one topic's papers, most papers first, and
      a line that says how many show: back after weeks, the list held 1,400 papers that could not be narrowed
      (a reader's review). Nothing where its papers have fewer than two topics. */
  function topicPicker(days, info) {
    const counts = new Map();
    for (const item of days.querySelectorAll(".pc-item")) {
      for (const topic of item.dataset.pcTopics.split(" ").filter(Boolean)) counts.set(topic, (counts.get(topic) ?? 0) + 1);
    }
    const caption = element("p", "pc-catch-up-topics-caption", "Show one topic's papers only:");
    caption.id = "pc-catch-up-topics-caption";
    const picker = element("ul", "pc-catch-up-topics");
    picker.setAttribute("aria-labelledby", caption.id);
    const topics = Array.from(counts).filter(([topic]) => Object.hasOwn(info.topics, topic))
      .sort((a, b) => b[1] - a[1] || info.topics[a[0]].localeCompare(info.topics[b[0]]));
    if (topics.length < 2) return [];
    const status = element("p", "pc-catch-up-topics-status");
    status.setAttribute("role", "status");
    for (const [topic, count] of topics) {
      const pick = button("pc-catch-up-topic", "", "pcTopic", topic);
      pick.append(element("bdi", "", info.topics[topic]), element("span", "", ` · ${count.toLocaleString("en")}`));
      pick.setAttribute("aria-pressed", "false");
      const item = element("li");
      item.append(pick);
      picker.append(item);
    }
    picker.addEventListener("click", (event) => {
      const pick = event.target.closest("button[data-pc-topic]");
      if (!pick) return;
      const only = pick.getAttribute("aria-pressed") === "true" ? null : pick.dataset.pcTopic;
      for (const other of picker.querySelectorAll("button")) {
        other.setAttribute("aria-pressed", String(other.dataset.pcTopic === only));
      }
      const items = Array.from(days.querySelectorAll(".pc-item"));
      for (const item of items) {
        item.classList.toggle("pc-off-topic", only !== null && !item.dataset.pcTopics.split(" ").includes(only));
      }
      status.textContent = only === null ? "" : `${plural(counts.get(only), "paper")} of ${items.length.toLocaleString("en")} ` +
                                                `shown: ${info.topics[only]}.`;
      const current = document.querySelector(".pc-item.pc-current");
      leaveHiddenItem(current, setCurrent); // s and r would act on a paper no longer shown
      showHideReadSwitch(); // Mark all read marks what is shown
    });
    return [caption, picker, status];
  }

  async function showNewSinceLastVisit() {
    const homeBanner = document.querySelector(".pc-new-since[data-pc-all-dumps]");
    const allDumps = homeBanner ? homeBanner.dataset.pcAllDumps.split(/\s+/).filter(Boolean) : null;
    pageVisit = previousVisit(allDumps);
    const visit = await pageVisit;
    if (!visit) return;
    const knownDumps = new Set(visit.dumps);
    const dumpIndex = document.querySelector(".pc-index[data-pc-dump]");
    const pageDump = dumpIndex ? dumpIndex.dataset.pcDump : null;
    const newPapers = markNewItems(knownDumps, pageDump);
    markNewDumpRows(knownDumps);
    const since = reader.dateLabel(visit.at) ? ` (${reader.dateLabel(visit.at)})` : "";
    const newDumps = allDumps ? allDumps.filter((dump) => !knownDumps.has(dump)) : [];
    if (newDumps.length) {
      showNewDumps(homeBanner, newDumps, since);
      if (newDumps.length > 1) offerCatchUp(homeBanner, newDumps);
      // watch.js, which keeps the watched words, says how many of their papers match them.
      document.dispatchEvent(new CustomEvent("papercat:new-dumps", { detail: { banner: homeBanner } }));
    } else if (pageDump && !knownDumps.has(pageDump)) {
      showBanner(bannerOfDumpPage(dumpIndex), `This dump is new since your last visit${since}: ` +
                                              `${plural(newPapers, "new paper")} on this page.`);
    }
  }

  // ---- the starred page and its exports ------------------------------------------------------------------

  function starredItem(paper) {
    const item = element("li", "pc-item pc-starred-item");
    item.dataset.pcPaper = paper.id;
    const link = element("a", "pc-title", String(paper.title || paper.id));
    link.dir = "auto";
    const url = paper.url ? siteUrl(paper.url) : null;
    if (url) link.href = url;
    const meta = element("div", "pc-item-meta");
    if (reader.dateLabel(paper.starred)) meta.append(element("span", "", `starred ${reader.dateLabel(paper.starred)}`));
    const unstarButton = button("md-button pc-unstar", "Unstar", "pcUnstar", paper.id);
    unstarButton.setAttribute("aria-label", `Unstar ${link.textContent}`);
    // A starred paper is one to read: marking it read here saves finding it in a listing (a reader's review).
    // At the line's end, as a listing's buttons are.
    const buttons = element("span", "pc-item-buttons");
    buttons.append(unstarButton, " ", button("md-button pc-read", "Mark read", "pcRead", ""));
    meta.append(buttons);
    item.append(link, meta);
    if (url) reader.showKeySentence(item, url);
    return item;
  }

  function starredIds() {
    return starredPapers().map((paper) => paper.id).join(" ");
  }

  function renderStarredPage(container, status = "") {
    const papers = starredPapers();
    container.dataset.pcDrawn = starredIds();
    const focused = focusedButton(container);
    const actions = element("div", "pc-actions");
    if (papers.length) {
      actions.append(button("md-button", "Export Markdown", "pcExport", "md"), " ",
                     button("md-button", "Export CSV", "pcExport", "csv"), " ",
                     button("md-button", "Export JSON", "pcExport", "json"), " ");
    }
    const statusLine = element("span", "pc-starred-status", status);
    statusLine.setAttribute("role", "status");
    actions.append(reader.importButton("pc-starred-import"), " ", statusLine);
    if (!papers.length) {
      const empty = element("p", "pc-starred-empty",
        "No starred papers yet. Star one with the ☆ Star button on its page or a listing, or press s on a " +
        "paper page or on a listing item picked with j / k. Stars are kept in this browser only: import a " +
        "file exported from another browser to bring its stars here.");
      container.replaceChildren(empty, actions);
      if (focused) { // the last one unstarred: the keyboard's place is what the page now says
        empty.tabIndex = -1;
        empty.focus();
      }
      return;
    }
    const list = element("ol", "pc-listing pc-starred-list");
    list.append(...papers.map(starredItem));
    container.replaceChildren(actions, list);
    if (focused) focusAgain(list, focused);
    addStarredDetails(list).catch(() => {}); // details only: the list stands without them
  }

  /** The Starred page's status says what was just done, with a button that undoes it. */
  function showStarredUndo(text, undo) {
    document.querySelector("#pc-starred .pc-starred-status")?.replaceChildren(text, reader.undoButton(undo));
  }

  /** Where focus is among the starred items' buttons: the page is drawn again on every change, which dropped
      the focus of a keyboard's reader to the page's start. */
  function focusedButton(container) {
    const focused = document.activeElement;
    const item = focused?.matches(".pc-starred-item button") ? focused.closest(".pc-starred-item") : null;
    if (!item) return null;
    return { paper: item.dataset.pcPaper, className: focused.classList.contains("pc-read") ? "pc-read" : "pc-unstar",
             at: Array.from(item.parentElement.children).indexOf(item) };
  }

  /** Focus the same button of the same paper, or, where it was unstarred, of the paper that took its place. */
  function focusAgain(list, { paper, className, at }) {
    const items = Array.from(list.children);
    const item = items.find((other) => other.dataset.pcPaper === paper) ?? items[Math.min(at, items.length - 1)];
    item?.querySelector(`button.${className}`)?.focus();
  }

  /** The topics and first dump of each starred paper the catalog has, as other listings show them (a reader's
      review: the page was a bare list of titles), from the Watch data once the list is shown. */
  async function addStarredDetails(list) {
    const [info, dumpList] = await Promise.all([reader.meta(), reader.dumps()]);
    if (!info) return;
    for (const item of list.querySelectorAll(".pc-starred-item")) {
      const entry = await paperEntry(item.dataset.pcPaper, info);
      if (entry && item.isConnected) item.querySelector(".pc-item-meta").prepend(...reader.itemDetails(entry, info, dumpList));
    }
  }

  /** The Watch data's entry of the paper `id` (reader.paperInfo), or null. The files may be of two builds
      (importStarred checks the same): only the paper's own entry. */
  async function paperEntry(id, info) {
    const number = await reader.paperNumber(id);
    const entry = number === null ? null : await reader.paperInfo(number, info);
    return entry?.[0] === id ? entry : null;
  }

  const MAX_IMPORT_CHARS = 5_000_000; // a JSON export of 20,000 stars; anything larger is not one

  /** Whether `value` is a time as exports write it (an ISO date and time). */
  function isTime(value) {
    return typeof value === "string" && /^\d{4}-\d\d-\d\dT/.test(value) && !Number.isNaN(Date.parse(value));
  }

  /** Adds the stars of a file from Export JSON (here or in another browser) to this browser's: the papers this
      catalog has, with their titles and addresses here. What it did, as the page says it. */
  async function importStarred(text) {
    const value = text.length <= MAX_IMPORT_CHARS ? parseJson(text, null) : null;
    const papers = Array.isArray(value) ? value.filter((paper) => paper && typeof paper.id === "string") : [];
    if (!papers.length) return "Nothing imported: expected a file from Export JSON.";
    const info = await reader.meta();
    const starred = loadMap("starred");
    const starredBefore = new Set(Object.keys(starred));
    let added = 0;
    let unknown = 0;
    let already = 0;
    for (const paper of new Map(papers.map((paper) => [paper.id, paper])).values()) { // an id twice counts once
      if (starredBefore.has(paper.id)) {
        already += 1;
        continue;
      }
      const entry = /^[A-Za-z0-9-]+$/.test(paper.id) && info ? await paperEntry(paper.id, info) : null;
      if (!entry) {
        unknown += 1;
        continue;
      }
      starred[paper.id] = { id: paper.id, title: entry[1], url: reader.paperPath(paper.id),
                            starred: isTime(paper.starred) ? paper.starred : new Date().toISOString() };
      added += 1;
    }
    try {
      save("starred", starred);
    } catch (error) {
      return "Nothing imported: this browser's storage for the site is full.";
    }
    const are = (count) => (count === 1 ? "is" : "are");
    const starredHere = already ? `; ${plural(already, "paper")} of the file ${are(already)} starred here already` : "";
    const notHere = !unknown ? "" : already ? `; ${unknown} ${are(unknown)} not in this catalog`
      : `; ${plural(unknown, "paper")} of the file ${are(unknown)} not in this catalog`;
    return `Imported ${plural(added, "starred paper")}${starredHere}${notHere}.`;
  }

  function onStarredFile(event) {
    const input = event.target;
    if (!(input instanceof HTMLInputElement && "pcStarredImport" in input.dataset && input.files.length)) return;
    const container = document.getElementById("pc-starred");
    input.files[0].text().then(importStarred).then((status) => {
      renderStarredPage(container, status);
      showReadingState();
    });
    input.value = "";
  }

  /** A title as a Markdown link's text: the characters that open or close something in CommonMark's inline
      text (emphasis, code, links, HTML, entities, strike-through, tables) escaped with a backslash, and no
      other: `FACET\: test\-time` was noise in a reader's notes. */
  function escapeMarkdown(text) {
    // Only a line break ends the link's line: other spaces (an ideographic one, a no-break one) are the title's.
    return text.replace(/[\r\n]+/g, " ").replace(/[\\`*_[\]<>&!~|]/g, "\\$&");
  }

  /** Each starred paper as the exports give it, with its topics (names, as papers.csv) and the dump that first
      listed it (its name, as pages show it) where the site still has it: a reading list exported to a
      spreadsheet said no more than a title (a reader's review). */
  async function exportedPapers() {
    const [info, dumpList] = await Promise.all([reader.meta(), reader.dumps()]).catch(() => [null, null]);
    return Promise.all(starredPapers().map(async (paper) => {
      const entry = info ? await paperEntry(paper.id, info).catch(() => null) : null;
      const firstDump = entry && Array.isArray(dumpList) ? dumpList[entry[4]] : null;
      return {
        id: paper.id, title: String(paper.title), url: (paper.url && siteUrl(paper.url)) || "", starred: paper.starred,
        topics: entry && Array.isArray(entry[2]) ? entry[2].map(String) : [],
        first_dump: Array.isArray(firstDump) ? String(firstDump[1]) : "",
      };
    }));
  }

  /** A line a paper for each starred paper, its title linked to its page, when it was starred and a search of
      arXiv for its title: notes pasted away from the site say more than a title. */
  function starredAsMarkdown(papers) {
    return papers.map((paper) => {
      const starred = /^\d{4}-\d{2}-\d{2}/.exec(String(paper.starred ?? ""))?.[0]; // the same in every language
      return `- [${escapeMarkdown(paper.title)}](${paper.url.replace(/[()\s]/g, encodeURIComponent)})` +
        `${starred ? ` · starred ${starred}` : ""} · [arXiv](<${searchElsewhere("arxiv", paper.title)}>)\n`;
    }).join("");
  }

  // What a spreadsheet would take for a formula at a cell's start, after blanks: exports.py's FORMULA_STARTS
  // after its LEADING_BLANKS, Python's white space (JavaScript's \s lacks U+001C to U+001F and U+0085) but a
  // tab or a CR, and the characters that show nothing.
  const FORMULA_START = new RegExp("^[\\n\\v\\f \\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f" +
                                   "\\u3000\\u200b-\\u200d\\u2060\\ufeff]*[=+\\-@\\t\\r'\\uff1d\\uff0b\\uff0d\\uff20]");

  /** A CSV cell as papers.csv writes one: a hostile title starting with `=` is text in a spreadsheet, not a
      formula; quoted where it holds a comma, a quote or a line end. */
  function csvCell(value) {
    const text = FORMULA_START.test(value) ? `'${value}` : value;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  }

  /** A row a paper, with the columns of the site's papers.csv that a star has (topics as it writes them), the
      dump that first listed it and when it was starred. */
  function starredAsCsv(papers) {
    const rows = papers.map((paper) => [paper.id, paper.title, paper.url, paper.topics.join(" "), paper.first_dump,
                                        String(paper.starred ?? "")]);
    return [["id", "title", "url", "topics", "first_dump", "starred"], ...rows]
      .map((row) => row.map(csvCell).join(",") + "\r\n").join("");
  }

  async function exportStarred(format) {
    const papers = await exportedPapers();
    if (format === "md") {
      reader.download("papercat-starred.md", starredAsMarkdown(papers), "text/markdown");
    } else if (format === "csv") {
      reader.download("papercat-starred.csv", starredAsCsv(papers), "text/csv");
    } else {
      reader.download("papercat-starred.json", JSON.stringify(papers, null, 2) + "\n", "application/json");
    }
  }

  // ---- copy link -----------------------------------------------------------------------------------------

  /** For browsers without the async clipboard (plain http on a LAN address is not a secure context). */
  function copyWithSelection(text) {
    const field = element("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.style.cssText = "position: fixed; opacity: 0";
    document.body.append(field);
    field.select();
    const copied = document.execCommand("copy");
    field.remove();
    return copied;
  }

  /** Copies the button's address (`data-pc-copy`), or the page's. */
  function copyLink(copyButton) {
    const text = copyButton.dataset.pcCopy || location.href;
    const label = (copyButton.dataset.pcLabel ??= copyButton.textContent);
    const copying = navigator.clipboard && window.isSecureContext
      ? navigator.clipboard.writeText(text).then(() => true, () => copyWithSelection(text))
      : Promise.resolve(copyWithSelection(text));
    copying.then((copied) => {
      copyButton.textContent = copied ? "Copied" : "Copy failed";
      setTimeout(() => { copyButton.textContent = label; }, 2000);
    });
  }

  /** The feeds page: a feed reader wants a feed's address, which a link opens as XML instead. */
  function addFeedCopyButtons() {
    for (const link of document.querySelectorAll(".pc-feeds a[type='application/atom+xml']")) {
      if (link.nextElementSibling?.matches("button.pc-copy")) continue;
      const copy = button("md-button pc-copy", "Copy address", "pcCopy", link.href);
      copy.setAttribute("aria-label", `Copy address of the feed ${link.textContent}`);
      link.after(" ", copy);
    }
  }

  // ---- keyboard ------------------------------------------------------------------------------------------

  /** The item `s`, `r` and Enter act on: the one focused or picked with j / k. A related paper's button a click
      left focused does not count (Chromium focuses a clicked button, Safari does not): on a paper page `s` and `r`
      are the page's paper's, as the keys' help says. */
  function currentItem() {
    const active = document.activeElement;
    const focused = active && !(active.matches("button") && active.closest(".pc-related")) ? paperItemOf(active) : null;
    return focused || document.querySelector(".pc-item.pc-current");
  }

  function moveCurrent(step) {
    const items = paperItems().filter((item) => item === currentItem() || item.getClientRects().length);
    if (!items.length) return false;
    const position = items.indexOf(currentItem());
    if (position >= 0 && !items[position + step]) {
      if (continueOnPage(step)) return true;
      // Nowhere to go on to: a key that did nothing looked broken (a reader's review).
      say(step > 0 ? "This is the list's last paper." : "This is the list's first paper.");
    }
    setCurrent(position < 0 ? firstInView(items) : items[Math.min(Math.max(position + step, 0), items.length - 1)]);
    return true;
  }

  let keyNoteTimer = 0; // until the note `say` showed goes

  /** A short note under the header, read out by a screen reader, gone after a few seconds or with the page. */
  function say(text) {
    const note = keyNote();
    note.textContent = text;
    clearTimeout(keyNoteTimer);
    keyNoteTimer = setTimeout(() => { note.textContent = ""; }, 3000);
  }

  /** The status region `say` writes in: made empty when a page is set up, so that a screen reader knows it
      before it speaks (one made and filled at once is often not read out). */
  function keyNote() {
    let note = document.querySelector(".pc-key-note");
    if (!note) {
      note = element("p", "pc-key-note");
      note.setAttribute("role", "status");
      document.body.append(note);
    }
    return note;
  }

  function setCurrent(item, { scroll = true } = {}) {
    for (const other of document.querySelectorAll(".pc-item.pc-current")) other.classList.remove("pc-current");
    item.classList.add("pc-current");
    if (scroll) item.scrollIntoView({ block: "nearest" });
  }

  // Past the last paper of a listing's page, j goes on to the first of the next page, and k before the first
  // to the last of the page before (a topic of 1,900 papers stopped at each 250th); past a dump's, to the
  // newer dump's first or the older dump's last, as n and p do on a paper page (a day read with j stopped).
  const CONTINUE_KEY = "papercat:continue";

  function continueOnPage(step) {
    const remember = (link) => sessionStorage.setItem(CONTINUE_KEY,
      JSON.stringify({ path: new URL(link.href).pathname, last: step < 0, at: Date.now() }));
    return follow(`.pc-pager a[rel=${step > 0 ? "next" : "prev"}]`, remember)
      || follow(`.pc-index > nav.pc-dump-nav ${step > 0 ? ".pc-newer" : "span:not(.pc-newer)"} a`, remember);
  }

  /** On the page j or k went on to, its first or last paper is the current one; on a listing come back to, the
      paper last opened from it (OPENED_KEY). */
  function continueListing() {
    const back = cameBack();
    const asked = parseJson(sessionStorage.getItem(CONTINUE_KEY), null);
    sessionStorage.removeItem(CONTINUE_KEY);
    const opened = parseJson(sessionStorage.getItem(OPENED_KEY), null);
    pageOpened = null;
    if (opened?.path === location.pathname) {
      sessionStorage.removeItem(OPENED_KEY); // used once: on the listing it was opened from, whichever way reached
      if (back) pageOpened = opened.paper;
    }
    const items = paperItems();
    // A key press whose page never came (the click went nowhere) is forgotten, not applied to a later visit.
    if (items.length && asked && asked.path === location.pathname && Date.now() - asked.at < 10000) {
      setCurrent(asked.last ? items[items.length - 1] : items[0]);
      pageOpened = null;
      return;
    }
    pickOpened();
  }

  // The paper Back came to, until an item of it is drawn: Watch, For you and the catch-up list draw theirs
  // after the page is set up.
  let pageOpened = null;

  function pickOpened() {
    const item = pageOpened !== null && paperItems().find((other) => itemPaperId(other) === pageOpened);
    if (!item) return;
    setCurrent(item);
    pageOpened = null;
  }

  // The paper last opened from a listing (not a paper page's related ones: s and r are the page's paper's
  // there), and the listing's path: Back from its page, j went on from the listing's first paper, not from the
  // one opened (a reader's review). Used once, and only on Back or Forward, not when the listing is opened
  // again from the tabs.
  const OPENED_KEY = "papercat:opened";

  function rememberOpened(event) {
    const link = event.target instanceof Element ? event.target.closest("a.pc-title") : null;
    const item = link && !link.closest(".pc-related") && paperItemOf(link);
    const elsewhere = event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey;
    if (item && !elsewhere) {
      sessionStorage.setItem(OPENED_KEY, JSON.stringify({ path: location.pathname, paper: itemPaperId(item) }));
    }
  }

  // Whether this page was reached by Back or Forward: a history step under Material's instant navigation (a
  // popstate), or a page loaded from history.
  let historyStep = performance.getEntriesByType?.("navigation")[0]?.type === "back_forward";
  window.addEventListener("popstate", () => { historyStep = true; });

  function cameBack() {
    const was = historyStep;
    historyStep = false;
    return was;
  }

  /** The first of `items` below the header: where a reader who scrolled, or came Back to a listing, reads
      (the first item of the page jumped them to its top). */
  function firstInView(items) {
    const header = document.querySelector(".md-header");
    const top = header ? header.getBoundingClientRect().bottom : 0;
    return items.find((item) => item.getBoundingClientRect().bottom > top) ?? items[0];
  }

  /** `act` on the paper of the current item, or of the paper page; false when there is none. */
  function actOnCurrent(act) {
    const target = currentItem() || document.querySelector(".pc-paper[data-pc-paper]");
    const paper = target && describePaper(target);
    if (!paper) {
      if (!paperItems().length) return false;
      // On a listing with no paper picked, `s` opened the search and `r` did nothing (a reader's review).
      say("No paper is picked: j picks one, as does a click on it.");
      return true;
    }
    act(paper);
    refresh();
    return true;
  }

  /** Marks the current paper read; where that hides it, the next paper shown is the current one. */
  function markCurrentRead() {
    const item = currentItem();
    if (!actOnCurrent((paper) => toggleRead(paper.id))) return false;
    leaveHiddenItem(item, setCurrent);
    return true;
  }

  function openCurrent() {
    const item = document.querySelector(".pc-item.pc-current");
    const link = item && item.querySelector("a.pc-title[href]");
    // Enter on a focused link or button keeps its own meaning.
    if (!link || (document.activeElement && document.activeElement.closest("a, button"))) return false;
    link.click();
    return true;
  }

  // Inputs that take no text: a key pressed on one (the palette's radio button, focused by a click on the
  // toggle) is a shortcut.
  const NOT_TEXT_INPUTS = new Set(["radio", "checkbox", "button", "submit", "reset", "range", "color", "file"]);

  function isTyping(target) {
    if (!(target instanceof Element)) return false;
    const input = target.closest("input");
    return target.isContentEditable || Boolean(target.closest("textarea, select"))
      || Boolean(input && !NOT_TEXT_INPUTS.has(input.type));
  }

  /** Follows the link `selector` finds, after `before(link)`; false where there is none (Material's own n and p
      then act). */
  function follow(selector, before = () => {}) {
    const link = document.querySelector(selector);
    if (!link) return false;
    before(link);
    link.click();
    return true;
  }

  /** n or p on a paper page: its `rel` paper, or a note where there is none (a key that did nothing looked
      broken). */
  function followPaper(rel, none) {
    if (!document.querySelector("nav.pc-paper-nav")) return false;
    if (!follow(`nav.pc-paper-nav a[rel=${rel}]`)) say(none);
    return true;
  }

  // What the keys do, for the `?` list (README, *What the site has*).
  const KEYS_HELP = [
    ["j, k", "next or previous paper of a listing, on to its next or previous page (or dump)"],
    ["Enter", "open that paper"],
    ["s", "star that paper, or the paper of the page"],
    ["r", "mark it read, or the paper of the page"],
    ["h", "hide the read papers of listings, or show them again"],
    ["n, p", "next or previous paper of its dump (then of the next or previous day), on a paper page"],
    ["/, f", "search"],
    ["?", "this list"],
  ];

  /** The list of keys, in a dialog that Escape or its button closes. */
  function showKeys() {
    let dialog = document.getElementById("pc-keys");
    if (!dialog) {
      dialog = element("dialog", "pc-keys");
      dialog.id = "pc-keys";
      dialog.setAttribute("aria-labelledby", "pc-keys-title");
      const title = element("h2", "", "Keys");
      title.id = "pc-keys-title";
      const list = element("dl");
      for (const [keys, what] of KEYS_HELP) list.append(element("dt", "", keys), element("dd", "", what));
      const close = element("button", "md-button", "Close");
      close.type = "button";
      close.addEventListener("click", () => dialog.close());
      dialog.append(title, list, close);
      document.body.append(dialog);
    }
    if (!dialog.open) dialog.showModal();
    return true;
  }

  const KEY_ACTIONS = {
    "?": showKeys,
    j: () => moveCurrent(1),
    k: () => moveCurrent(-1),
    s: () => actOnCurrent(toggleStar),
    r: markCurrentRead,
    h: toggleHideRead,
    n: () => followPaper("next", "This is the catalog's newest paper: none comes after it."),
    p: () => followPaper("prev", "This is the catalog's oldest paper: none comes before it."),
    Enter: openCurrent,
  };

  // Registered once, in the capture phase: when `s` stars something, Material must not also open its search.
  function onKeydown(event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented || isTyping(event.target)) return;
    if (document.getElementById("__search")?.checked) return;  // the search box owns the keyboard while open
    if (document.getElementById("pc-keys")?.open) return;  // so does the list of keys
    const action = KEY_ACTIONS[event.key];
    if (action && action()) {
      event.preventDefault();
      event.stopPropagation();
    }
  }

  // Material flips its palette switch (a pair of radio buttons) and presses a focused label (the menu
  // button) on Enter; Space does the same here, as on any button. On a radio button Space would only check
  // the focused one.
  function flipPalette(form) {
    const options = Array.from(form.querySelectorAll(".md-option"));
    const current = options.findIndex((option) => option.nextElementSibling && !option.nextElementSibling.hidden);
    const next = options[(Math.max(current, 0) + 1) % options.length];
    next.click();
    next.focus();
  }

  function onHeaderControlKey(event) {
    const target = event.target;
    if (!(target instanceof Element)) return;
    if (event.key === " " && target.matches("[data-md-component='palette'] .md-option")) {
      event.preventDefault();
      flipPalette(target.form);
    } else if (event.key === " " && target.matches("label[role='button'][for]")) {
      event.preventDefault();
      target.click();
    }
  }

  // ---- clicks (registered once, for every page) and page set-up ------------------------------------------

  const CLICK_ACTIONS = {
    pcStar(node) { const paper = describePaper(node); if (paper) toggleStar(paper); refresh(); },
    pcRead(node) {
      const paper = describePaper(node);
      if (paper) toggleRead(paper.id);
      refresh();
      leaveHiddenItem(paperItemOf(node), (item) => item.querySelector("button.pc-read")?.focus());
    },
    pcUnstar(node) {
      const paperId = node.dataset.pcUnstar;
      const removed = loadMap("starred")[paperId];
      unstar(paperId);
      refresh();
      // A tap beside the intended button lost a star and the time it was starred (a reader's review).
      if (removed) {
        showStarredUndo(`Unstarred \u201c${removed.title || paperId}\u201d. `, () => {
          const starred = loadMap("starred");
          starred[paperId] = removed;
          save("starred", starred);
          refresh();
          document.querySelector(`#pc-starred .pc-starred-item[data-pc-paper="${CSS.escape(paperId)}"] .pc-unstar`)
            ?.focus();
        });
      }
    },
    pcCopy: copyLink,
    pcExport(node) { exportStarred(node.dataset.pcExport); },
    pcKeys: showKeys,
    pcHideRead: toggleHideRead,
    pcMarkAllRead: markAllRead,
  };

  function onClick(event) {
    const clicked = event.target instanceof Element ? event.target.closest("button") : null;
    const action = clicked && Object.keys(CLICK_ACTIONS).find((name) => name in clicked.dataset);
    if (action) CLICK_ACTIONS[action](clicked);
    // A click on a paper's text picks it for the keys, as j does (a link or a button keeps its own meaning); not a
    // finger's tap, which no key follows.
    const item = event.target instanceof Element && event.pointerType !== "touch"
      && !event.target.closest("a, button, input, label, summary") ? paperItemOf(event.target) : null;
    if (item && !item.closest(".pc-related")) setCurrent(item, { scroll: false });
  }

  function refresh() {
    const starredList = document.getElementById("pc-starred");
    // Drawn again only when the stars changed: a read mark is shown in place (showReadingState), as on listings.
    if (starredList && starredList.dataset.pcDrawn !== starredIds()) renderStarredPage(starredList);
    showReadingState();
    showHideReadSwitch();
  }

  // ---- hiding read papers ---------------------------------------------------------------------------------
  // A listing (a day's, a topic's, the home page's) can leave out the papers marked read, so that what shows is
  // what is left to sort: a switch above it, and the key h, for every listing at once (kept in this browser).
  // The Watch and For you pages keep every paper: they have their own order of what is new.
  const HIDE_READ = "hide-read";
  const LISTING_START = [".pc-index:not(.pc-watch-page, .pc-for-you-page) > :is(nav.pc-pager, h2, ol.pc-listing)",
                         ".pc-home > ol.pc-listing"].join(", ");

  function hidingRead() {
    return reader.load(HIDE_READ, false) === true;
  }

  function toggleHideRead() {
    if (!document.querySelector(".pc-read-switch")) return false;
    save(HIDE_READ, !hidingRead());
    refresh();
    return true;
  }

  /** Marks every paper of the page read, as a day is done with once its papers worth keeping are starred;
      the button then undoes it (it holds the papers it marked), until it is pressed again or the page left. */
  function markAllRead(markAll) {
    const read = loadMap("read");
    const undone = parseJson(markAll.dataset.pcMarked || "[]", []);
    if (undone.length) {
      for (const paperId of undone) delete read[paperId];
      delete markAll.dataset.pcMarked;
    } else {
      const now = new Date().toISOString();
      const marked = [...new Set(pickedItems().map(itemPaperId))].filter((paperId) => paperId && !read[paperId]);
      for (const paperId of marked) read[paperId] = now;
      markAll.dataset.pcMarked = JSON.stringify(marked);
    }
    save("read", read);
    visitEngaged();
    refresh();
  }

  /** Where `item` was just hidden (marked read while read papers are hidden), `goTo` the next paper shown, or
      the one before: the keyboard's place, and a screen reader's, was lost in the page. */
  function leaveHiddenItem(item, goTo) {
    if (!item?.isConnected || item.getClientRects().length) return;
    const items = paperItems();
    const at = items.indexOf(item);
    const shown = (other) => other.getClientRects().length > 0;
    const next = items.slice(at + 1).find(shown) ?? items.slice(0, at).reverse().find(shown);
    if (next) goTo(next);
  }

  /** The switch above the page's listing, made once, saying how many of its papers are read. */
  function showHideReadSwitch() {
    const hiding = hidingRead();
    document.documentElement.classList.toggle("pc-hiding-read", hiding);
    let line = document.querySelector(".pc-read-switch");
    if (!line) {
      const start = document.querySelector(LISTING_START);
      if (!start || !paperItems().length) return;
      line = element("p", "pc-read-switch");
      line.append(button("md-button pc-hide-read", "", "pcHideRead", ""),
                  button("md-button pc-mark-all-read", "", "pcMarkAllRead", ""),
                  element("span", "pc-read-count pc-note"));
      start.before(line);
      // Each paper keeps its number when those before it are hidden: its place in the day or the topic.
      for (const list of document.querySelectorAll("ol.pc-listing")) {
        Array.from(list.children).forEach((item, index) => { item.value = list.start + index; });
      }
    }
    const items = pickedItems();
    const read = items.filter((item) => item.classList.contains("pc-is-read")).length;
    line.querySelector(".pc-hide-read").textContent = hiding ? "Show read papers" : "Hide read papers";
    line.querySelector(".pc-hide-read").setAttribute("aria-pressed", String(hiding));
    const markAll = line.querySelector(".pc-mark-all-read");
    const undone = parseJson(markAll.dataset.pcMarked || "[]", []);
    markAll.textContent = undone.length ? `Undo: ${plural(undone.length, "paper")} unread again` : "Mark all read";
    markAll.hidden = !undone.length && read === items.length;
    line.querySelector(".pc-read-count").textContent = read === 0 ? " none on this page is read"
      : ` ${read === items.length ? `all ${read}` : read} on this page ${read === 1 ? "is" : "are"} read` +
        (hiding ? ", hidden" : "");
  }

  // ---- searches elsewhere for the paper -------------------------------------------------------------------
  // A paper page's "Find on arXiv" and "Find on Hugging Face" search by its title (papercat never guesses an
  // arXiv id). Their addresses are made here: written out in the page, the title percent-encoded twice was
  // 0.3 KB of every page. They show once they have their address.
  const SEARCHES_ELSEWHERE = {
    arxiv: "https://arxiv.org/search/?searchtype=title&query=",
    "hugging-face": "https://huggingface.co/papers?q=",
  };
  const FIND_TITLE_CHARS = 300;

  /** The address of a search of `site` (a key of SEARCHES_ELSEWHERE) for a paper's title; the Starred page's
      Markdown export links arXiv's too. */
  function searchElsewhere(site, title) {
    return SEARCHES_ELSEWHERE[site] + encodeURIComponent(Array.from(title).slice(0, FIND_TITLE_CHARS).join(""));
  }

  function showSearchesElsewhere() {
    const title = document.querySelector("article.pc-paper .pc-paper-title");
    if (!title) return;
    for (const link of document.querySelectorAll("a[data-pc-find]")) {
      if (!Object.hasOwn(SEARCHES_ELSEWHERE, link.dataset.pcFind)) continue;
      link.href = searchElsewhere(link.dataset.pcFind, title.textContent);
      link.rel = "noopener nofollow"; // set here, as the address is: 0.05 KB of every page
      link.hidden = false;
    }
  }

  // ---- a paper's neighbours in its dump -------------------------------------------------------------------
  // Papers are numbered in order of first sighting (generator/render/watch.py), so the papers before and after
  // one in the dump that first listed it are the numbers either side, where that dump first listed them too;
  // past its first or last, they are the last new paper of the dump before or the first of the dump after,
  // so n and p read on from day to day.

  async function showDumpNeighbours() {
    const article = document.querySelector("article.pc-paper[data-pc-n]");
    const abstract = article && article.querySelector(".pc-abstract");
    if (!abstract || article.querySelector(".pc-paper-nav")) return;
    const info = await reader.meta();
    if (!info) return;
    const number = Number(article.dataset.pcN);
    const [entries, dumpList] = await Promise.all([
      Promise.all([number - 1, number, number + 1].map(
        (near) => (near >= 0 && near < info.papers ? reader.paperInfo(near, info) : null))),
      reader.dumps(),
    ]);
    const [before, own, after] = entries;
    const dump = own && Array.isArray(dumpList) ? dumpList[own[4]] : null;
    if (!Array.isArray(dump) || article.querySelector(".pc-paper-nav")) return;
    const nav = element("nav", "pc-paper-nav");
    nav.setAttribute("aria-label", "Papers before and after this one");
    for (const [entry, direction, label] of [[before, "prev", "Previous"], [after, "next", "Next"]]) {
      const entryDump = entry && dumpList[entry[4]];
      if (!Array.isArray(entryDump)) continue;
      const link = element("a", `pc-paper-${direction}`);
      link.rel = direction;
      link.href = reader.paperUrl(entry[0]);
      const title = element("span", "pc-paper-nav-title", String(entry[1]));
      title.dir = "auto";
      const where = entry[4] === own[4] ? `${label} in ${dump[1]}` : `${label} dump, ${entryDump[1]}`;
      link.append(element("span", "pc-paper-nav-label", where), title);
      nav.append(link);
    }
    if (nav.children.length) abstract.after(nav);
  }

  /** The footer's Keys button, made here as the listings' buttons are: 80 bytes on each of 10,000 pages. */
  function addKeysButton() {
    const footer = document.querySelector(".pc-footer");
    if (!footer || footer.querySelector(".pc-keys-button")) return;
    const keys = element("button", "pc-keys-button", "Keys (?)");
    keys.type = "button";
    keys.dataset.pcKeys = "";
    footer.append(" · ", keys);
  }

  /** A dump's links to the dumps before and after it, again below its papers, where a day's reading ends;
      made here, as the Keys button is, rather than written twice into 600 pages. */
  function repeatDumpLinks() {
    const links = document.querySelector(".pc-index > nav.pc-dump-nav");
    const dayGoesOn = document.querySelector(".pc-index > nav.pc-pager a[rel=next]"); // on the dump's next page
    if (!links || dayGoesOn || links.parentElement.lastElementChild.matches("nav.pc-dump-nav")) return;
    const below = links.cloneNode(true);
    below.setAttribute("aria-label", "Other dumps, below the papers"); // landmarks of one page are told apart
    links.parentElement.append(below);
  }

  /** On the page a host serves for an address it lacks (templates/theme/404.html), a search for the words of
      the address's last part: a paper's address is its title's words, as a mistyped or older address holds
      them too. */
  function offerSearchForAddress() {
    const heading = document.getElementById("not-found");
    if (!heading || heading.parentElement.querySelector(".pc-search-address")) return;
    let last = "";
    try {
      last = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop() ?? "");
    } catch (error) {
      return; // not an address a reader typed words into
    }
    const words = last.replace(/\.html?$/, "").split(/[-_+\s]+/).filter(Boolean).join(" ");
    if (!words) return;
    const offer = element("p", "pc-search-address", "Or search for ");
    const link = element("a", "", words);
    link.href = new URL(`?q=${encodeURIComponent(words)}`, SITE_ROOT).href; // the home page, searching
    offer.append(link, ".");
    heading.parentElement.append(offer);
  }

  function setUpPage() {
    clearTimeout(keyNoteTimer);
    keyNote().textContent = ""; // a note of the page before
    addKeysButton();
    offerSearchForAddress();
    repeatDumpLinks();
    addFeedCopyButtons();
    addItemButtons();
    refresh();
    showNewSinceLastVisit();
    continueListing();
    showSearchesElsewhere();
    showDumpNeighbours();
    markSectionTab();
    dateRelatedPapers();
    showDumpsRead();
  }

  /** On a paper page, the day each related paper was first listed (a paper of 2024 looked like last week's):
      read from the Watch files, as For you reads them, not written into each page, where five dates were
      1.5 MB of the real catalog's 200. */
  async function dateRelatedPapers() {
    const links = Array.from(document.querySelectorAll(".pc-related > li > a.pc-title[data-pc-n]"));
    if (!links.length) return;
    const [info, dumpList] = await Promise.all([reader.meta(), reader.dumps()]);
    if (!info || !Array.isArray(dumpList)) return;
    // Asked for at once, not one after another: five papers are often in five files.
    const entries = await Promise.all(links.map((link) => reader.paperInfo(Number(link.dataset.pcN), info)));
    for (const [index, link] of links.entries()) {
      const seen = entries[index] && reader.seenIn(entries[index], dumpList);
      if (!seen || !link.isConnected || link.parentElement.querySelector(".pc-seen")) continue;
      const note = relatedNote(link.parentElement);
      if (!note) continue;
      if (!("pcNoShares" in note.dataset)) seen.prepend("· "); // in its span: a line of a phone breaks before it
      // Before the paper's buttons, where it shows: Tab and a screen reader take the line in the order it reads.
      const buttons = note.querySelector(".pc-item-buttons");
      if (buttons) buttons.before(seen);
      else note.append(seen);
    }
  }

  /** On a page the navigation does not list (a topic's, a dump's), the tab of the section it belongs to, as
      Material marks the tab of a page it lists: the tab whose address is the longest start of the page's,
      the home page's left out. A paper page belongs to no tab. */
  function markSectionTab() {
    const tabs = Array.from(document.querySelectorAll(".md-tabs__item"));
    if (tabs.some((tab) => tab.classList.contains("md-tabs__item--active"))) return;
    const here = location.pathname;
    const home = new URL(SITE_ROOT).pathname;
    let section = null;
    let longest = 0;
    for (const tab of tabs) {
      const link = tab.querySelector("a.md-tabs__link");
      const path = link ? new URL(link.href, location.href).pathname : home;
      if (path !== home && here.startsWith(path) && path.length > longest) [section, longest] = [tab, path.length];
    }
    section?.classList.add("md-tabs__item--active");
  }

  document.addEventListener("click", onClick);
  document.addEventListener("click", rememberOpened, true); // before Material's instant navigation takes the click
  // watch.js and for-you.js draw their listings after the page is set up, and say so.
  document.addEventListener("papercat:items", () => {
    pickOpened();
    addItemButtons();
    showReadingState();
    showHideReadSwitch();
    pageVisit.then((visit) => visit && markNewItems(new Set(visit.dumps), null));
  });
  document.addEventListener("papercat:results", showReadingState);
  document.addEventListener("visibilitychange", () => document.visibilityState === "hidden" && recordLeaving());
  document.addEventListener("change", onStarredFile);
  document.addEventListener("keydown", onKeydown, true);
  document.addEventListener("keydown", onHeaderControlKey);
  if (typeof window.document$ !== "undefined") {
    window.document$.subscribe(setUpPage);  // emits for the first page and after every instant navigation
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpPage);
  } else {
    setUpPage();
  }
})();
