/* papercat watch list: words and phrases a reader watches, kept in this browser's localStorage
   ("papercat:watch"). Every listing and paper page marks the papers that match, with the word that matched;
   the Watch page (#pc-watch) edits the list, exports and imports it, and lists every watched paper. Matching
   downloads only the index files of the watched words (reader-data.js). */
(function () {
  "use strict";

  const reader = window.papercatReader;
  const { element } = reader;
  const SHOWN_AT_ONCE = 50;
  const MAX_TERM_CHARS = 200;
  let shownEntry = null; // the watched entry whose papers alone the Watch page lists, by its index; null for all

  // ---- the list ------------------------------------------------------------------------------------------

  /** Watch entries {text, topics}, cleaned: whatever the storage or an imported file holds. */
  function cleanEntries(value) {
    const entries = Array.isArray(value) ? value : [];
    const seen = new Set();
    const cleaned = [];
    for (const entry of entries) {
      if (!entry || typeof entry !== "object") continue;
      const text = typeof entry.text === "string" ? entry.text.replace(/\s+/g, " ").trim().slice(0, MAX_TERM_CHARS) : "";
      const topics = Array.isArray(entry.topics) ? entry.topics.filter((name) => typeof name === "string").sort() : [];
      const identity = JSON.stringify([text.toLowerCase(), topics]);
      if ((!text && !topics.length) || seen.has(identity)) continue;
      seen.add(identity);
      cleaned.push({ text, topics });
    }
    return cleaned;
  }

  function watchList() {
    return cleanEntries(reader.load("watch", {}).terms);
  }

  function saveWatchList(entries) {
    reader.save("watch", { terms: cleanEntries(entries) });
  }

  /** How an entry is shown: its words, and its topics in brackets. */
  function entryLabel(entry, info) {
    const topics = entry.topics.map((name) => (info && Object.hasOwn(info.topics, name) ? info.topics[name] : name));
    if (!entry.text) return topics.join(" or ");
    return topics.length ? `${entry.text} (in ${topics.join(" or ")})` : entry.text;
  }

  /** {labels: Map of paper number -> labels of the entries it matches, matched: the papers of each entry}. */
  async function watchedPapers(entries, info) {
    const labels = new Map();
    const matched = [];
    for (const entry of entries) {
      const numbers = await reader.papersMatching(entry, info);
      matched.push(numbers);
      for (const number of numbers) {
        if (!labels.has(number)) labels.set(number, []);
        labels.get(number).push(entryLabel(entry, info));
      }
    }
    return { labels, matched };
  }

  // ---- marks on listings and paper pages -----------------------------------------------------------------

  function badge(label) {
    const node = element("span", "pc-watch-badge", "watch: ");
    node.append(element("bdi", "", label)); // a word of a title may hold a right-to-left override
    node.title = `You watch "\u2068${label}\u2069" (Watch page)`; // isolated, as the badge's <bdi>
    return node;
  }

  function clearMarks() {
    for (const node of document.querySelectorAll(".pc-watch-mark")) node.remove();
    for (const node of document.querySelectorAll("[data-pc-watched]")) delete node.dataset.pcWatched;
  }

  /** Marks every paper of the page (each paper's title link, and the paper page itself) that a watched entry
      matches; both carry the paper's number (`data-pc-n`). */
  async function markPage() {
    const marked = Array.from(document.querySelectorAll("article[data-pc-n], a.pc-title[data-pc-n]"))
      .filter((node) => !node.closest("#pc-watch, #pc-for-you"));
    const entries = watchList();
    if (!marked.length || !entries.length) return clearMarks();
    const info = await reader.meta();
    if (!info) return undefined;
    const { labels } = await watchedPapers(entries, info);
    clearMarks();
    for (const node of marked) {
      const matched = labels.get(Number(node.dataset.pcN));
      if (!matched) continue;
      node.dataset.pcWatched = matched.join(" | ");
      const mark = element("span", "pc-watch-mark");
      mark.append(...matched.flatMap((label) => [" ", badge(label)]));
      if (node.matches("article")) {
        const line = element("p", "pc-watch-mark pc-watched-by");
        line.append(mark); // each badge says "watch: …" already
        node.querySelector("h1").after(line);
      } else {
        node.after(mark);
      }
    }
    return undefined;
  }

  // ---- the Watch page ------------------------------------------------------------------------------------

  /** The baseline of this visit to the Watch page ({papers, at} of the visit before), after recording this view
      in it; null on a first visit. A visit was a browser tab's session: the Watch page opened in a second tab
      showed nothing new while the first still did (a reader's review). */
  function previousVisit(info) {
    const stored = reader.loadMap("watch-visit");
    const now = new Date();
    const record = (visit) => (visit && Number.isInteger(visit.papers) ? { papers: visit.papers, at: visit.at } : null);
    if (reader.visitGoesOn(stored, now) && record(stored)) {
      reader.save("watch-visit", { ...stored, seen: now.toISOString() });
      return record(stored.before);
    }
    const before = record(stored);
    reader.save("watch-visit", { papers: info.papers, at: now.toISOString(), seen: now.toISOString(), before });
    return before;
  }

  /** The watched entries, each with how many papers it matches (a word no paper has, a typo, shows at once):
      pressing one lists its papers only (`only`, an index of `entries`, is the one pressed). */
  function termList(entries, info, counts, only) {
    const list = element("ul", "pc-watch-terms");
    for (const [index, entry] of entries.entries()) {
      const item = element("li", "pc-watch-term");
      const pick = element("button", "pc-watch-only");
      pick.append(element("bdi", "", entryLabel(entry, info))); // its count stays after it, whatever it holds
      pick.type = "button";
      pick.dataset.pcWatchOnly = String(index);
      pick.setAttribute("aria-pressed", String(index === only));
      pick.title = index === only ? "List the papers of every watched entry" : "List this entry's papers only";
      const count = counts[index] ?? 0;
      pick.append(element("span", "pc-watch-count", count ? ` · ${reader.plural(count, "paper")}`
        : " · no paper yet"));
      item.append(pick);
      const remove = element("button", "", "×");
      remove.type = "button";
      remove.dataset.pcUnwatch = String(index);
      remove.setAttribute("aria-label", `Stop watching ${entryLabel(entry, info)}`);
      remove.title = "Stop watching";
      item.append(remove);
      list.append(item);
    }
    return list;
  }

  function tools() {
    const bar = element("div", "pc-watch-tools");
    const exportButton = element("button", "md-button", "Export JSON");
    exportButton.type = "button";
    exportButton.dataset.pcWatchExport = "";
    const status = element("span", "pc-watch-status");
    status.setAttribute("role", "status");
    bar.append(exportButton, reader.importButton("pc-watch-import"), status);
    return bar;
  }

  /** A listing of `numbers` that shows SHOWN_AT_ONCE more papers each time its button is pressed; `entriesOf`
      gives the watched entries that matched a paper. */
  function growingList(heading, numbers, labels, entriesOf, info) {
    const section = element("section", "pc-watch-section");
    const list = element("ol", "pc-listing pc-watch-list");
    const more = element("button", "md-button pc-watch-more", "Show more");
    more.type = "button";
    let shown = 0;
    async function showMore() {
      const next = numbers.slice(shown, shown + SHOWN_AT_ONCE);
      shown += next.length;
      for (const number of next) {
        const entry = await reader.paperInfo(number, info);
        if (!entry) continue;
        const item = reader.paperItem(number, entry, reader.whereMatched(entriesOf(number), String(entry[1]), info));
        const meta = element("div", "pc-item-meta");
        meta.append(...labels.get(number).map(badge));
        meta.append(...reader.itemDetails(entry, info, await reader.dumps()));
        item.append(meta);
        list.append(item);
      }
      more.hidden = shown >= numbers.length;
      more.textContent = `Show more (${(numbers.length - shown).toLocaleString("en-US")} left)`;
      reader.itemsDrawn();
    }
    more.addEventListener("click", showMore);
    section.append(element("h2", "", `${heading}: ${reader.plural(numbers.length, "paper")}`), list, more);
    return { section, ready: showMore() };
  }

  async function renderWatchPage(container) {
    delete container.dataset.pcReady;
    const info = await reader.meta();
    if (!info) {
      container.replaceChildren(element("p", "", "The watch index of this site is missing: rebuild the site."));
      return;
    }
    const entries = watchList();
    const visit = previousVisit(info);
    const parts = [];
    if (!entries.length) {
      parts.push(element("p", "pc-watch-empty", "You watch nothing yet. Type a word or phrase above, for example " +
                                                 "\u201cpretraining\u201d or \u201cspeech synthesis\u201d, and press Watch."));
      container.replaceChildren(...parts, tools());
      container.dataset.pcReady = "true";
      return;
    }
    const { labels, matched } = await watchedPapers(entries, info);
    const only = shownEntry !== null && shownEntry < entries.length ? shownEntry : null;
    parts.push(element("h2", "", "You watch"), termList(entries, info, matched.map((numbers) => numbers.size), only),
               ...await corrections(entries, matched, info), tools());
    const listed = only === null ? Array.from(labels.keys()) : Array.from(matched[only]);
    const newestFirst = listed.sort((a, b) => b - a);
    const isNew = (number) => visit !== null && number >= visit.papers;
    const since = visit && reader.dateLabel(visit.at) ? ` on ${reader.dateLabel(visit.at)}` : "";
    const whose = only === null ? "watched papers" : `papers of \u201c${entryLabel(entries[only], info)}\u201d`;
    parts.push(element("p", "pc-watch-summary", newestFirst.length
      ? `${newestFirst.length.toLocaleString("en-US")} ` +
        `${newestFirst.length === 1 ? whose.replace("papers", "paper") : whose}, newest first.`
      : `No paper in the catalog matches ${only === null ? "your watch list" : "it"} yet.`));
    const lists = [];
    const entriesOf = (number) => entries.filter((entry, index) => (only === null || index === only) && matched[index].has(number));
    const fresh = newestFirst.filter(isNew);
    if (fresh.length) lists.push(growingList(`New since your last visit${since}`, fresh, labels, entriesOf, info));
    const earlier = newestFirst.filter((number) => !isNew(number));
    if (earlier.length) lists.push(growingList(fresh.length ? "Earlier" : "All matches", earlier, labels, entriesOf, info));
    for (const list of lists) list.section.classList.add(list === lists[0] && fresh.length ? "pc-watch-new" : "pc-watch-earlier");
    container.replaceChildren(...parts, ...lists.map((list) => list.section));
    await Promise.all(lists.map((list) => list.ready));
    container.dataset.pcReady = "true";
  }

  // ---- typos ---------------------------------------------------------------------------------------------
  // A watched word no paper has matches nothing, today and on every day after: `speculative decodng` waited
  // in vain (a reader's review). Such an entry is offered with each such word replaced by the nearest word of
  // the catalog, as search corrects a typo (reader.nearestKey), where that matches papers.

  /** A line for each entry that matches no paper and has a correction, with a button that watches it instead. */
  async function corrections(entries, matched, info) {
    const lines = [];
    for (const [index, entry] of entries.entries()) {
      const corrected = matched[index].size || !entry.text ? null : await correctedText(entry, info);
      if (!corrected) continue;
      const line = element("p", "pc-watch-fix");
      const fix = element("button", "pc-watch-fix-button", `watch \u201c${corrected}\u201d instead`);
      fix.type = "button";
      Object.assign(fix.dataset, { pcWatchFix: String(index), pcWatchText: corrected });
      line.append(element("bdi", "", `\u201c${entry.text}\u201d`), " matches no paper: ", fix, "?");
      lines.push(line);
    }
    return lines;
  }

  /** The entry's text with each word the catalog lacks replaced by its nearest word, if that matches papers;
      else null. Short words, words with digits or hyphens and stop words are kept as written. */
  async function correctedText(entry, info) {
    const stopWords = new Set(info.stop_words);
    let changed = false;
    const words = [];
    for (const word of reader.textWords(entry.text)) {
      const lower = word.toLowerCase();
      let near = null;
      if ([...lower].length >= 3 && !/[\d\-\u2010\u2011]/.test(lower) && !stopWords.has(lower)) {
        const [key] = reader.termKeys(word, info);
        const known = key ? await reader.keysLike(key) : {};
        near = key && !Object.hasOwn(known, key) ? reader.nearestKey(key, known) : null;
      }
      words.push(near ?? word);
      changed ||= near !== null;
    }
    if (!changed) return null;
    const text = words.join(" ");
    return (await reader.papersMatching({ text, topics: entry.topics }, info)).size ? text : null;
  }

  // ---- editing, export and import ------------------------------------------------------------------------

  /** The status line says `text`, and where `undo` is given, offers to undo what it says (its button returned). */
  function setStatus(text, undo = null) {
    const status = document.querySelector("#pc-watch .pc-watch-status");
    if (!status) return null;
    status.textContent = text;
    return undo ? status.appendChild(reader.undoButton(undo)) : null;
  }

  function exportWatchList() {
    reader.download("papercat-watch.json", JSON.stringify({ papercat_watch: 1, terms: watchList() }, null, 2) + "\n",
                    "application/json");
  }

  /** Adds the entries of an exported file; topics this catalog does not have (a file of another catalog, or
      of before a topic was retired) are left out and named, as they would narrow an entry to nothing. */
  function importWatchList(file) {
    Promise.all([file.text(), reader.meta()]).then(([text, info]) => {
      const value = reader.parseJson(text, null);
      const known = new Set(Object.keys((info && info.topics) || {}));
      const unknown = new Set();
      const entries = cleanEntries(value && typeof value === "object" ? value.terms : null).map((entry) => {
        entry.topics.filter((name) => !known.has(name)).forEach((name) => unknown.add(name));
        return { text: entry.text, topics: entry.topics.filter((name) => known.has(name)) };
      });
      const imported = cleanEntries(entries);
      if (!imported.length) {
        setStatus("Nothing imported: expected a file exported from this page.");
        return;
      }
      saveWatchList([...watchList(), ...imported]);
      const left = unknown.size
        ? ` Left out the topics this catalog does not have: ${Array.from(unknown).sort().join(", ")}.` : "";
      const words = imported.length === 1 ? "1 watched word" : `${imported.length} watched words`;
      refresh().then(() => setStatus(`Imported ${words}.${left}`));
    });
  }

  async function addFromForm(form) {
    const text = form.querySelector("#pc-watch-term").value;
    const topics = Array.from(form.querySelectorAll("input[name='topics']:checked"), (box) => box.value);
    if (!text.trim() && !topics.length) return;
    const container = document.getElementById("pc-watch");
    delete container?.dataset.pcReady; // until the page says what became of the entry
    const info = await reader.meta();
    const twin = addEntry({ text, topics }, info);
    if (twin) {
      setStatus(`Already watched as \u201c${entryLabel(twin, info)}\u201d, which matches the same papers.`);
      if (container) container.dataset.pcReady = "true";
      return;
    }
    form.reset();
    refresh();
  }

  /** Adds `entry` to the list, unless a watched one matches the same papers (`pre-training` stood beside
      `pretraining` and `pre training`: one paper, three badges): then that one is returned, else null. */
  function addEntry(entry, info) {
    const [cleaned] = cleanEntries([entry]);
    const twin = info && cleaned ? watchList().find((watched) => matchedAlike(watched, cleaned, info)) : null;
    if (!twin) saveWatchList([...watchList(), entry]);
    return twin ?? null;
  }

  /** Whether two entries match the same papers: the same topics, and words of the same keys in every form. */
  function matchedAlike(first, second, info) {
    const identity = (entry) => JSON.stringify([
      Array.from(new Set(reader.watchedForms(entry.text, info).map((text) => reader.termKeys(text, info).join(" "))))
        .sort(),
      entry.topics]);
    return identity(first) === identity(second);
  }

  function refresh() {
    const container = document.getElementById("pc-watch");
    return Promise.all([container ? renderWatchPage(container) : null, markPage()]);
  }

  document.addEventListener("submit", (event) => {
    if (event.target instanceof HTMLFormElement && event.target.id === "pc-watch-form") {
      event.preventDefault();
      addFromForm(event.target);
    }
  });
  document.addEventListener("click", (event) => {
    const clicked = event.target instanceof Element ? event.target.closest("button") : null;
    if (!clicked) return;
    if ("pcUnwatch" in clicked.dataset) {
      const entries = watchList();
      const at = Number(clicked.dataset.pcUnwatch);
      const [removed] = entries.splice(at, 1);
      saveWatchList(entries);
      const shown = shownEntry;
      // The entry whose papers alone were shown stays so (it reset to all: a reader's review).
      if (shown === at) shownEntry = null;
      else if (shown !== null && shown > at) shownEntry = shown - 1;
      Promise.all([refresh(), reader.meta()]).then(([, info]) => {
        const undo = setStatus(`Stopped watching \u201c${entryLabel(removed, info)}\u201d. `, () => {
          const now = watchList();
          saveWatchList([...now.slice(0, at), removed, ...now.slice(at)]);
          shownEntry = shown;
          refresh().then(() => document.querySelector(`#pc-watch [data-pc-watch-only='${at}']`)?.focus());
        });
        undo?.focus(); // the × pressed is gone: the keyboard's place is what the page now says
      });
    } else if ("pcWatchOnly" in clicked.dataset) {
      const index = Number(clicked.dataset.pcWatchOnly);
      shownEntry = shownEntry === index ? null : index;
      refresh();
    } else if ("pcWatchFix" in clicked.dataset) {
      const index = Number(clicked.dataset.pcWatchFix);
      saveWatchList(watchList().map((entry, at) => (at === index ? { ...entry, text: clicked.dataset.pcWatchText } : entry)));
      refresh();
    } else if ("pcWatchExport" in clicked.dataset) {
      exportWatchList();
    }
  });
  // The home page's banner of dumps new since the last visit (papercat.js) says how many of the papers it counts
  // (those of the dumps it lists) match the watch list: the Watch page said so only once opened (a reader's
  // review).
  document.addEventListener("papercat:new-dumps", async ({ detail: { banner } }) => {
    const entries = watchList();
    const [info, dumpList] = await Promise.all([reader.meta(), reader.dumps()]);
    if (!entries.length || !info || !Array.isArray(dumpList)) return;
    const listed = banner.querySelectorAll("li[data-pc-dump]:not([hidden])"); // the newest 30 new dumps
    const { papers } = await reader.papersFirstListedIn(Array.from(listed, (row) => row.dataset.pcDump), info, dumpList);
    if (!papers.length) return;
    const { labels } = await watchedPapers(entries, info);
    const count = papers.filter(([number]) => labels.has(number)).length;
    banner.querySelector(".pc-new-watched")?.remove();
    if (!count) return;
    const link = element("a", "", "Watch");
    link.href = new URL("watch/", reader.SITE_ROOT).href;
    const line = element("p", "pc-new-watched", `Your watch list matches ${count.toLocaleString("en-US")} of these ` +
                                                `new ${count === 1 ? "paper" : "papers"}: `);
    line.append(link, " lists them.");
    banner.querySelector(".pc-older-new-dumps").after(line); // under the list of new dumps, above its button
  });
  // Search offers to watch the words it searched (search.js): it asks here, where the list is kept, and is
  // answered {watched: whether they are watched now, twin: the label of the watched entry they match as, if one}.
  document.addEventListener("papercat:watch", (event) => {
    const text = String(event.detail.text);
    event.detail.answer = reader.meta().then((info) => {
      const twin = addEntry({ text, topics: [] }, info);
      refresh();
      return { watched: Boolean(twin) || watchList().some((entry) => entry.text.toLowerCase() === text.toLowerCase()
                                                                      && !entry.topics.length),
               twin: twin && entryLabel(twin, info) };
    });
  });
  document.addEventListener("change", (event) => {
    const input = event.target;
    if (input instanceof HTMLInputElement && "pcWatchImport" in input.dataset && input.files.length) {
      importWatchList(input.files[0]);
      input.value = "";
    }
  });
  reader.onEveryPage(refresh);
})();
