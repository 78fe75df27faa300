// papercat search: Material's search box (written by assets/search-box.js) over the Pagefind indexes
// that `papercat build` writes to <site>/pagefind/<part>/, one per search part (generator/render/layout.py),
// searched together by assets/search-parts.js. Material keeps the header across instant navigation, so this
// runs once per visit and its state outlives page changes.
(() => {
  "use strict";

  // This file is <site root>/assets/search.js: the root is found from it, so a site served under a
  // sub-path (/repo/ on GitHub Pages) loads its own index and links to its own pages.
  const SITE_ROOT = new URL("../", document.currentScript.src);
  // reader-data.js, loaded before this file: its helpers, and the Watch page's word index, whose stop words and
  // known words tell a query's unknown words (unknownWords).
  const reader = window.papercatReader;
  const { element } = reader;
  const PAGE_SIZE = 10;
  const EXCERPT_WORDS = 30;
  const PAGEFIND_WORD_SEPARATORS = /[^\S\uFEFF]+/g; // word_separators in Pagefind 1.6's pagefind.js
  const SHORTCUTS = ["/", "s", "f"]; // as in Material
  const TOPIC_SEPARATOR = " · "; // how search.html.j2 joins topic titles in the `topics` meta
  const SEARCH_OPTIONS = { baseUrl: SITE_ROOT.pathname, excerptLength: EXCERPT_WORDS };
  // What a Pagefind excerpt may be put in as HTML when it cannot be matched with the text (setExcerpt).
  const ONLY_MARKS = /^(?:[^<>]|<\/?mark>)*$/;
  // A word of the text: what is before its first letter or digit, from there to its last one, and what is after.
  const WORD_CORE = /^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/su;
  // The index drops every character but letters and digits from a word (`src=x` is indexed as srcx, `π^3` as
  // π3, `UniF^2ace` as unif2ace), but Pagefind leaves symbols such as < = > in a query, where they match
  // nothing: drop them the same way. A `+` between two words of two letters or more joins two things a reader
  // looks for together (`RL+SFT`, `image+text`, which papers mostly write apart): it stands for a space there.
  // (No look-behind in these patterns: Safari before 16.4 refuses a script that has one.)
  const SYMBOLS = /\p{S}/gu;
  const PLUS_BETWEEN_WORDS = /([\p{L}\p{N}]{2})\++(?=[\p{L}\p{N}]{2})/gu;
  // `DPO vs PPO`: Pagefind finds only papers with every word, and few write `vs` or `versus`, so a comparison
  // found nothing at all. Between two words they are dropped, as the + is.
  const VERSUS_BETWEEN_WORDS = /(\S\s+)(?:vs\.?|versus)(?=\s+\S)/giu;
  const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]/gu;
  const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
  const DIGIT = /\p{N}/u;
  const HINT_WORD_CHARS = 40; // longer than any real word; a pasted run of 5,000 letters was read out whole
  // The filter and sort keys of a search document (templates/search.html.j2). A dump's filter value is its
  // zero-padded number in catalog order, a space, then its name.
  const CODE = "yes";
  const CHOSEN_ALONE = ["topic", "dump"]; // the filters a select sets: one value in place of another
  const NEWEST_FIRST = { newest: "desc" };
  const DUMP_NUMBER = /^\d+ /;
  const DATED_DUMP = /^([A-Z][a-z]{2}) \d{1,2}, (\d{4})$/; // a dump whose name gives its day: `Aug 21, 2026`
  const DAY_MS = 24 * 60 * 60 * 1000;
  const COUNT_SEPARATOR = " · "; // between a choice and its count: a dump's name may end in parentheses
  const QUERY_PARAMETER = "q"; // a page's address with ?q=words opens the search for those words
  const MATERIAL_CLOSES_SEARCH_MS = 125; // Material's delay before it closes the search on a new location
  const MATERIAL_CLOSE_WAITED_MS = 1000;
  const HYPHEN = /([-\u2010\u2011])/; // as reader-data.js joins the parts of a word: split keeps the hyphens
  const LETTERS_ONLY = /^\p{L}{2,}$/u;
  // An arXiv id as a reader pastes it, alone or in an address of arXiv or Hugging Face: dumps carry no ids, and
  // the digits matched numbers in unrelated abstracts ("1 matching paper").
  const ARXIV_ID = new RegExp(String.raw`^(?:arxiv:\s*|(?:https?://)?(?:www\.|export\.)?(?:arxiv\.org/(?:abs|pdf|html)|`
    + String.raw`(?:huggingface|hf)\.co/papers)/)?(\d{4}\.\d{4,5})(?:v\d+)?(?:\.pdf)?/?(?:[?#]\S*)?$`, "i");

  const toggle = document.getElementById("__search");
  const form = document.querySelector("[data-pc-search-form]");
  if (!toggle || !form) return;
  const query = form.querySelector("[data-pc-search-query]");
  const output = document.querySelector("[data-pc-search-result]");
  const meta = document.querySelector("[data-pc-search-meta]");
  const list = document.querySelector("[data-pc-search-list]");
  const more = document.querySelector("[data-pc-search-more]");
  const filterBox = document.querySelector(".pc-search-filters");
  const filterToggle = filterBox.querySelector(".pc-search-toggle");
  const choices = filterBox.querySelector("#pc-search-choices");
  const presets = choices.querySelector(".pc-search-presets");
  const choice = Object.fromEntries([...choices.querySelectorAll("[data-pc-filter]")]
    .map((control) => [control.dataset.pcFilter, control]));
  const codeCount = choices.querySelector("[data-pc-count='code']");

  let pagefind = null;
  let pagefindWithFilters = null;
  let searchNumber = 0;
  let wordListsLoaded = null;
  let materialClosesUntil = 0; // until when a close is Material's, after an instant navigation
  let togglingItself = 0; // while setToggle tells Material of a change this file made (even from within one)
  let searchInFlight = Promise.resolve();
  let searchedAsTyped = null; // a query the reader asked to search as typed, not corrected (hintUnknownWords)
  let current = { results: [], shown: 0 };
  let dumpValues = []; // every dump's filter value, in catalog order
  let catalogCounts = null; // how many papers have each filter value, in the whole catalog

  // Every search part, loaded and searched as one index (assets/search-parts.js).
  function loadPagefind() {
    pagefind ??= import(new URL("assets/search-parts.js", SITE_ROOT).href)
      .then((module) => module.loadParts(SITE_ROOT, SEARCH_OPTIONS));
    return pagefind;
  }

  // Pagefind with its filters loaded, the choices filled in from them. Once they are loaded every search
  // counts its results per filter value, which costs time (at 10,000 papers on a loaded machine, about 1 s
  // more for `language models`, 0.1 to 0.3 s for `diffusion`: README, *Search*), and Pagefind cannot unload
  // them: they are loaded only when the reader first opens the choices.
  function loadFilters() {
    pagefindWithFilters ??= loadPagefind().then(async (module) => {
      fillChoices(await module.filters());
      return module;
    });
    return pagefindWithFilters;
  }

  function filtersShown() {
    return !choices.hidden;
  }

  async function toggleFilters() {
    const opening = !filtersShown();
    if (opening) {
      try {
        await loadFilters();
      } catch (error) {
        pagefind = pagefindWithFilters = null; // try again on the next click
        meta.textContent = "Filters are unavailable: the search index could not be loaded";
        return;
      }
    }
    choices.hidden = !opening;
    filterToggle.setAttribute("aria-expanded", String(opening));
    search(); // closed choices do not apply
  }

  function fillChoices(counts) {
    catalogCounts = counts;
    dumpValues = Object.keys(counts.dump ?? {}).sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
    const topics = Object.keys(counts.topic ?? {}).sort((a, b) => a.localeCompare(b));
    // Each select keeps its first option ("any"); the rest is replaced, in case the index is loaded again.
    choice.topic.replaceChildren(choice.topic.options[0], ...topics.map(option));
    // Newest dump first: a reader mostly narrows a search to the last days or weeks.
    const newestFirst = [...dumpValues].reverse();
    for (const end of [choice.from, choice.to]) end.replaceChildren(end.options[0], ...byMonth(newestFirst));
    presets.hidden = !dumpValues.length || !dumpValues.every((value) => dumpDay(value) !== null);
    showCounts(counts);
  }

  /** The day (ms since 1970, UTC) a dump's filter value names where its name gives one (`0596 Aug 21, 2026`),
      else null. */
  function dumpDay(value) {
    const day = Date.parse(`${value.replace(DUMP_NUMBER, "")} UTC`);
    return DATED_DUMP.test(value.replace(DUMP_NUMBER, "")) && Number.isFinite(day) ? day : null;
  }

  // The last week, month or year of dumps in one click, counted back from the newest dump, where every dump's
  // name gives its day: to say "this week" a reader scrolled a list of 600 dumps (a reader's review).
  function choosePastDays(days) {
    const since = dumpDay(dumpValues.at(-1)) - (days - 1) * DAY_MS;
    choice.from.value = dumpValues.find((value) => dumpDay(value) >= since) ?? "";
    choice.to.value = "";
    search();
  }

  /** Options for the dumps `values`, in groups headed by their month where every dump's name gives its day
      (two years of daily dumps are 600 options), as they are where not every one does. */
  function byMonth(values) {
    const months = values.map((value) => DATED_DUMP.exec(value.replace(DUMP_NUMBER, "")));
    if (!months.every(Boolean)) return values.map(option);
    const groups = [];
    values.forEach((value, index) => {
      const label = `${months[index][1]} ${months[index][2]}`;
      if (groups.at(-1)?.label !== label) groups.push(Object.assign(document.createElement("optgroup"), { label }));
      groups.at(-1).append(option(value));
    });
    return groups;
  }

  function option(value) {
    const node = document.createElement("option");
    node.value = value;
    return node;
  }

  // Each choice shows how many of the papers listed (or of the whole catalog, before a search) it keeps.
  function showCounts(counts) {
    for (const node of choice.topic.options) if (node.value) node.textContent = countedLabel(node.value, counts.topic);
    for (const end of [choice.from, choice.to]) {
      for (const node of end.options) {
        if (node.value) node.textContent = countedLabel(node.value, counts.dump, node.value.replace(DUMP_NUMBER, ""));
      }
    }
    codeCount.textContent = `${COUNT_SEPARATOR}${counts.code?.[CODE] ?? 0}`;
  }

  function countedLabel(value, counts, label = value) {
    return `${label}${COUNT_SEPARATOR}${counts?.[value] ?? 0}`;
  }

  // Pagefind counts the papers each value keeps of those listed, every filter set: a dump outside the chosen
  // range, or a topic other than the chosen one, read "· 0", though choosing it lists papers. A select
  // chooses one value in place of another, so its counts are those of the search without its own filter.
  async function choiceCounts(module, term, filters, counts) {
    const own = { ...counts };
    for (const name of CHOSEN_ALONE.filter((name) => filters[name])) {
      const { [name]: _, ...others } = filters;
      own[name] = term || Object.keys(others).length
        ? (await module.search(term || null, { filters: others })).filters[name] : catalogCounts[name];
    }
    return own;
  }

  // What the reader chose, as Pagefind's search options; null when no filter is set or the choices are closed.
  function chosenFilters() {
    if (!filtersShown()) return null;
    const filters = {};
    if (choice.topic.value) filters.topic = choice.topic.value;
    const dumps = dumpsInRange(choice.from.value, choice.to.value);
    if (dumps) filters.dump = { any: dumps };
    if (choice.code.checked) filters.code = CODE;
    return Object.keys(filters).length ? filters : null;
  }

  // The dumps from `from` to `to` (either end may be open, and they may be given the wrong way round); null
  // for every dump, which needs no filter.
  function dumpsInRange(from, to) {
    if (!from && !to) return null;
    const ends = [from ? dumpValues.indexOf(from) : 0, to ? dumpValues.indexOf(to) : dumpValues.length - 1];
    const [first, last] = ends.sort((a, b) => a - b);
    return first === 0 && last === dumpValues.length - 1 ? null : dumpValues.slice(first, last + 1);
  }

  async function search() {
    const number = ++searchNumber;
    output.setAttribute("aria-busy", "true"); // until the newest search is shown: tests wait on it too
    const typed = query.value.trim();
    if (searchedAsTyped !== typed) searchedAsTyped = null; // asked of that query only, until it is changed
    if (toggle.checked) showInAddress();
    const words = await loadWordLists();
    const term = searchTerm(typed, words);
    const filters = chosenFilters();
    // One character is the prefix of thousands of words: its search tells a reader nothing, is the slowest
    // of all (0.9 s for `d` at 10,000 papers, loaded machine) and the next keystrokes would wait for it.
    // With no words at all, the filters alone choose the papers.
    if ([...term].length === 1 || (!term && !filters)) {
      if (catalogCounts) showCounts(catalogCounts);
      // Symbols alone (`😀`, `%`): search finds words, which they are not; saying "type" would seem to ignore them.
      const wordless = typed && !LETTER_OR_DIGIT.test(typed);
      return showResults(number, typed, [], [], wordless ? "Nothing to search for: search finds words, of "
                                                           + "letters and digits" : "Type to start searching");
    }
    const arxivId = ARXIV_ID.exec(typed)?.[1];
    if (arxivId) {
      if (catalogCounts) showCounts(catalogCounts);
      showResults(number, typed, [], [], "The catalog knows papers by title and abstract, not by arXiv id: ");
      const link = element("a", "", `open ${arxivId} on arXiv`);
      link.href = `https://arxiv.org/abs/${arxivId}`;
      meta.append(link, ", or search for words of its title.");
      return;
    }
    // Pagefind cannot stop a search it has started, and the searches of a reader's keystrokes would run side by
    // side in its one worker, each slowing the next: one search at a time, and once it is done only the
    // newest query is searched, so the last keystroke waits for the one search already running at most.
    await searchInFlight;
    if (number !== searchNumber) return; // a newer keystroke took over
    // Newest first is the only order of papers chosen by filters alone: there is no query to rank them by.
    const sort = (filtersShown() && choice.order.value === "newest") || !term ? NEWEST_FIRST : undefined;
    const loading = filtersShown() ? loadFilters() : loadPagefind();
    const searching = loading.then((module) => module.search(term || null, { filters: filters ?? {}, sort }));
    searchInFlight = searching.catch(() => {});
    let found;
    try {
      found = await searching;
    } catch (error) {
      pagefind = pagefindWithFilters = null; // try again on the next keystroke
      return showResults(number, typed, [], [], "Search is unavailable: the search index could not be loaded");
    }
    if (number !== searchNumber) return; // a newer keystroke took over
    const first = await Promise.all(found.results.slice(0, PAGE_SIZE).map((result) => result.data()));
    if (number !== searchNumber) return;
    if (!sort) rankFirstPage(typed, words, found.results, first);
    // A topic or dump range chosen takes a search more for the counts of its choices: the papers show first.
    const counted = Boolean(found.filters && catalogCounts);
    const recount = counted && CHOSEN_ALONE.some((name) => filters?.[name]);
    if (counted && !recount) showCounts(found.filters);
    // Shown, but not yet finished (aria-busy, which keeps a screen reader from reading the count out): counts
    // of choices may follow, and a typo's corrected query may take the results' place.
    showResults(number, typed, found.results, first, countText(found.results.length), false);
    if (recount) {
      const counting = loading.then((module) => choiceCounts(module, term, filters, found.filters));
      searchInFlight = counting.catch(() => {});
      const counts = await counting.catch(() => found.filters);
      if (number !== searchNumber) return;
      showCounts(counts);
    }
    const corrected = term
      && await hintUnknownWords(number, typed, first, (await loading).parts, filters ? null : { sort, loading });
    if (number !== searchNumber) return;
    shown(typed);
    // Words no paper has (hintUnknownWords says so) are no words to watch.
    if (typed && found.results.length && !corrected && !meta.querySelector(".pc-search-hint")) offerWatch(typed);
    if (!corrected) hintOtherSpelling(number, term, filters, sort, loading);
  }

  // A search a reader runs every day is a watch: the Watch page keeps the words and every listing marks their
  // papers (a reader's review: search and Watch did not meet). A watch matches the words written together, a
  // search each of them anywhere: the count can differ, and the message says what it matches.
  function offerWatch(typed) {
    const watch = element("button", "pc-search-suggestion pc-search-watch", "Watch these words");
    watch.type = "button";
    watch.addEventListener("click", async () => {
      const asked = { text: typed };
      document.dispatchEvent(new CustomEvent("papercat:watch", { detail: asked })); // watch.js answers
      const { watched, twin } = await Promise.resolve(asked.answer).catch(() => null) ?? {};
      const link = element("a", "", "Watch");
      link.href = new URL("watch/", SITE_ROOT).href;
      const said = element("span", "pc-search-hint pc-search-watched",
        twin ? `Already watched as \u201c${twin}\u201d: ` : watched
          ? "Watched: listings mark the papers that write them together, and " : "Not watched: see ");
      said.append(link, watched ? " lists them." : ".");
      watch.replaceWith(said);
      query.focus();
    });
    meta.append(" ", watch);
  }

  // Pagefind searches a quoted query as a phrase, word after word, and a hyphenated word as one closed-up word,
  // so `"chain of thought"` missed the real papers that write chain-of-thought (62 found, 410 missed), and the
  // other way round; `kv-cache`, not quoted, found 45 real papers, and 190 write "KV cache". The hint counts
  // the papers of the other spelling, and a click searches it.
  async function hintOtherSpelling(number, term, filters, sort, loading) {
    const other = otherSpelling(term);
    if (!other) return;
    await searchInFlight;
    if (number !== searchNumber) return;
    const searching = loading.then((module) => module.search(other, { filters: filters ?? {}, sort }));
    searchInFlight = searching.catch(() => {});
    const count = (await searching.catch(() => null))?.results.length;
    if (number !== searchNumber || !count) return;
    const hint = element("span", "pc-search-hint pc-search-other-spelling",
      ` ${reader.plural(count, "paper")} ${count === 1 ? "writes" : "write"} it as `);
    hint.append(suggestion(other), ".");
    meta.append(hint);
  }

  /** A button of a query the search box offers: a click searches it. */
  function suggestion(suggested) {
    const button = element("button", "pc-search-suggestion", suggested);
    button.type = "button";
    button.addEventListener("click", () => {
      query.value = suggested;
      search();
      query.focus();
    });
    return button;
  }

  /** A quoted phrase of words written the other way: `"mixture of experts"` <-> `"mixture-of-experts"`, and a
      hyphenated word of letters alone, not quoted, as the phrase of its parts: `kv-cache` -> `"kv cache"`
      (not `GPT-4` or `Qwen2.5-VL`, which papers write closed up); null for any other query. */
  function otherSpelling(term) {
    const quoted = /^"([^"]+)"$/.exec(term)?.[1].trim();
    const words = (quoted ?? term).split(/\s+/);
    if (quoted && words.length > 1 && !words.some((word) => HYPHEN.test(word))) return `"${words.join("-")}"`;
    if (words.length !== 1 || !HYPHEN.test(words[0])) return null;
    const parts = words[0].split(HYPHEN).filter((part, index) => index % 2 === 0 && part);
    if (parts.length < 2) return null; // `kv-` while it is typed
    return quoted || parts.every((part) => LETTERS_ONLY.test(part)) ? `"${parts.join(" ")}"` : null;
  }

  /** The first page of a search by score, as a reader weighs it: the papers whose titles hold the query's words,
      then the paper the query names first (putNamedPaperFirst). */
  function rankFirstPage(typed, words, results, firstPage) {
    putTitlesWithTheWordsFirst(typed, words, results, firstPage);
    putNamedPaperFirst(typed, results, firstPage);
  }

  /** Of the first page, the papers whose titles hold every word of the query (but stop words) first, each part
      in its order: Pagefind matches a word by its stem, and a title holding only another word of that stem
      ranked first (`Weighted h-Transform Sampling`, and `transformation` fourth, for `transformer`). A title
      holds a word when one of its words starts with it (or is it singular), or, for a word with a digit,
      when its letters and digits together hold it after the word before it (`Qwen 2.5` in `Qwen2.5-VL`). */
  function putTitlesWithTheWordsFirst(typed, words, results, firstPage) {
    const wanted = lettersAndDigits(typed).filter((word) => !words.stopWords.has(word));
    if (!wanted.length) return;
    const holds = firstPage.map((page) => titleHolds(shownTitle(page.meta), wanted));
    if (holds.every(Boolean) || !holds.some(Boolean)) return;
    const order = [...firstPage.keys()].sort((a, b) => Number(holds[b]) - Number(holds[a]) || a - b);
    const [ranked, pages] = [order.map((index) => results[index]), order.map((index) => firstPage[index])];
    results.splice(0, ranked.length, ...ranked);
    firstPage.splice(0, pages.length, ...pages);
  }

  function titleHolds(title, wanted) {
    const titleWords = lettersAndDigits(title);
    const joined = nameKey(title);
    return wanted.every((word, index) => titleWords.some((titleWord) => titleWord.startsWith(word)
                                                                       || titleWord === singular(word))
                                         || (index > 0 && DIGIT.test(word) && joined.includes(wanted[index - 1] + word)));
  }

  /** `models` as `model`: a title's whole word, `Model`, holds the plural typed, as Pagefind finds it (a start
      of a word would not do: `lens` as `len` is held by `Length`). */
  function singular(word) {
    return word.length > 3 && word.endsWith("s") && !word.endsWith("ss") ? word.slice(0, -1) : word;
  }

  /** The runs of letters and digits of `text`, folded as names are compared (nameKey). */
  function lettersAndDigits(text) {
    return folded(text).split(NOT_LETTER_OR_DIGIT).filter(Boolean);
  }

  /** A paper of the first page whose title names it as the query does (`SAM 2: Segment Anything in Images and
      Videos` for `SAM 2`, before its colon, or a report's `name`: `Qwen3 Technical Report`) first: papers that
      build on it say the name more often, and it ranked seventh. */
  function putNamedPaperFirst(typed, results, firstPage) {
    const name = nameKey(typed);
    const named = firstPage.findIndex((page) => nameKey(page.meta.name ?? shownTitle(page.meta).split(":")[0]) === name);
    if (named <= 0 || !name) return;
    results.unshift(...results.splice(named, 1));
    firstPage.unshift(...firstPage.splice(named, 1));
  }

  /** A name as it is compared: its letters and digits, in lower case, accents folded. */
  function nameKey(text) {
    return folded(text).replace(NOT_LETTER_OR_DIGIT, "");
  }

  /** What Pagefind is asked for a query typed: symbols and versions written as the index holds them. A name
      and its version typed apart (`Qwen 2.5`, reader.versionsTyped) are one word in the index, whether a paper
      writes them closed up (`Qwen2.5`, which Pagefind indexes as qwen25) or apart: search variants join them
      where the name has a capital or a digit (generator/text.py's names_and_versions), and so does the query. */
  function searchTerm(typed, words) {
    const term = typed.replace(PLUS_BETWEEN_WORDS, "$1 ").replace(VERSUS_BETWEEN_WORDS, "$1").replace(SYMBOLS, "");
    return reader.versionsClosedUp(term, words, versionWord).trim();
  }

  /** The word lists reader.versionsTyped needs, once loaded; none if they cannot be. */
  function loadWordLists() {
    wordListsLoaded ??= Promise.resolve(reader.meta()).then(reader.versionWordLists, () => reader.versionWordLists(null));
    return wordListsLoaded;
  }

  /** `GPT 3.5` as the index holds it: gpt35 (generator/text.py's version_forms). */
  function versionWord(name, major, minor) {
    return name + major + (minor && minor !== "0" ? minor : "");
  }

  // A word no paper has: Pagefind then searches the longest start of it that some paper has (`difusion` finds
  // `dif...`, `xqzzyv` finds `x...`), and its results read as nonsense. Where every such word has a nearest
  // word in the catalog (of the Watch page's word index, reader-data.js) and no filter is chosen (`correcting`
  // holds the search's order and Pagefind), the query with those words is searched instead and its papers
  // shown, as a search engine corrects a typo, with a button to search the query as typed; else the hint says
  // so, and offers the query with the nearest words, which a click searches. Words are found in the query as
  // typed: `src=x` is two words there, though the search, like the index, reads one.
  async function hintUnknownWords(number, typed, pages, partCount, correcting) {
    const unknown = await unknownWords(typed, matchedWords(pages), partCount).catch(() => []);
    if (number !== searchNumber) return false;
    const nearest = new Map(unknown.filter(({ near }) => near).map(({ word, near }) => [word, near]));
    // Each word of a hyphenated one is replaced on its own: `retreival-augmented`, `retrieval-augmented`.
    const suggested = reader.textWords(typed)
      .map((word) => word.split(HYPHEN).map((part) => nearest.get(part) ?? part).join("")).join(" ");
    const corrected = unknown.length && nearest.size === unknown.length && correcting && searchedAsTyped !== typed
      ? await searchCorrected(number, suggested, correcting) : null;
    if (number !== searchNumber) return false;
    output.dataset.pcSearchChecked = typed; // whose words were looked up: tests wait on it
    if (!unknown.length) return false;
    const unknownNamed = `the word${unknown.length > 1 ? "s" : ""} ` +
      unknown.map(({ word }) => `“${shortened(word)}”`).join(", ");
    if (corrected) {
      showResults(number, typed, corrected.results, corrected.first, `${countText(corrected.results.length)} for `,
                  false);
      const asTyped = element("button", "pc-search-suggestion", "Search as typed");
      asTyped.type = "button";
      asTyped.addEventListener("click", () => {
        searchedAsTyped = typed;
        search();
        query.focus();
      });
      meta.append(element("strong", "", suggested), `: no paper has ${unknownNamed}. `, asTyped);
      return true;
    }
    // The papers found hold the longest start of the word that papers have, or a word of its stem: none holds
    // every word as typed, and "4 matching papers" for `xyzzyplugh` (papers on `.xyz` sites) said they did.
    const count = current.results.length;
    if (count) {
      meta.firstChild.textContent = `${reader.plural(count, "paper")}, none with every word as typed. `;
    }
    const hint = element("span", "pc-search-hint", `No paper has ${unknownNamed}.`);
    if (nearest.size) hint.append(" Search for ", suggestion(suggested), "?");
    meta.append(hint);
    return false;
  }

  /** {results, first} of the corrected query `suggested`, searched as `search` searches, in the order of
      `sort`; null where it finds nothing or a newer keystroke took over. */
  async function searchCorrected(number, suggested, { sort, loading }) {
    await searchInFlight;
    if (number !== searchNumber) return null;
    const words = await loadWordLists();
    const term = searchTerm(suggested, words);
    const searching = loading.then((module) => module.search(term, { filters: {}, sort }));
    searchInFlight = searching.catch(() => {});
    const found = await searching.catch(() => null);
    if (number !== searchNumber || !found?.results.length) return null;
    const first = await Promise.all(found.results.slice(0, PAGE_SIZE).map((result) => result.data()));
    if (!sort) rankFirstPage(suggested, words, found.results, first);
    if (found.filters && catalogCounts) showCounts(found.filters);
    return { results: found.results, first };
  }

  // The words Pagefind matched in these results' abstracts, and every word of their titles and search variants
  // (it gives no places in metadata), folded. It also finds the parts of a word written in camel case (`Titan`
  // in `TorchTitan`) and a word without its accents (`Schrodinger`, `FurElise`), which the word index does not.
  function matchedWords(pages) {
    return pages.flatMap((page) => {
      const words = String(page.content ?? "").split(PAGEFIND_WORD_SEPARATORS);
      const metaWords = [page.meta?.title, page.meta?.title_variants, page.meta?.variants]
        .flatMap((text) => String(text ?? "").split(PAGEFIND_WORD_SEPARATORS));
      return [...(page.locations ?? []).map((location) => words[location]), ...metaWords]
        .map((word) => folded(String(word ?? "")));
    });
  }

  function folded(word) {
    return word.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  }

  // [{word, near}] of each word of the query, or each part of a hyphenated one, that no paper has, as typed,
  // with the nearest word of the catalog or null.
  async function unknownWords(typed, matched, partCount) {
    const info = await reader.meta();
    if (!info) return [];
    const words = await loadWordLists();
    // In a catalog searched in parts, a part without the version searches the name's start, whatever the
    // others have, and its papers can fill the first page: there, a version is never named.
    const unknown = partCount === 1 ? unknownVersions(typed, matched, words) : [];
    const parts = reader.textWords(typed).flatMap((word) => word.split(HYPHEN).filter((part, index) => index % 2 === 0));
    for (const part of new Set(parts)) {
      const word = part.toLowerCase();
      // A word with a digit may be a name and version that only search has (`llama2`, from `Llama 2`):
      // unknownVersions looks for it.
      if ([...word].length < 3 || /\d/.test(word) || words.stopWords.has(word)) continue;
      const [key] = reader.termKeys(part, info); // as typed: lowerWords lower-cases a word once found (`İ`)
      const known = await reader.keysLike(key);
      if (Object.prototype.hasOwnProperty.call(known, key)) continue;
      const foldedWord = folded(word);
      if (matched.some((found) => found.includes(foldedWord))) continue;
      unknown.push({ word: part, near: reader.nearestKey(key, known) });
    }
    return unknown;
  }

  // [{word, near: null}] of each name and version typed (`GPT 6`, `llama9`, `GPT-6`) that results were found
  // for, but that none of them holds. The word index has no such words, but search does (searchTerm, search
  // variants): had a paper one, Pagefind would have matched it instead of the longest start of it that papers
  // have (`gpt`), and the results' words would hold it, as written or closed up (`GPT-6o`, `Qwen2.5:`).
  function unknownVersions(typed, matched, words) {
    if (!matched.length) return []; // no result: the words together, not one of them, may be what no paper has
    const closedUp = matched.map((word) => word.replace(NOT_LETTER_OR_DIGIT, ""));
    const versions = reader.versionsTyped(typed, words)
      .map(({ typed: word, name, major, minor }) => ({ word, key: versionWord(name, major, minor) }));
    const named = reader.textWords(typed)
      .filter((word) => /\p{L}/u.test(word) && /\d/.test(word))
      .map((word) => ({ word, key: word.replace(NOT_LETTER_OR_DIGIT, "") }));
    return [...versions, ...named]
      .map(({ word, key }) => ({ word, key: folded(key) }))
      .filter(({ key }) => !closedUp.some((found) => found.includes(key)))
      .map(({ word }) => ({ word, near: null }));
  }

  function showResults(number, typed, results, firstPage, text, finished = true) {
    if (number !== searchNumber) return;
    current = { results, shown: 0 };
    meta.textContent = text;
    list.replaceChildren();
    // A new search starts at its first result: the last one's scroll put the end of the list in view, which
    // showed the next ten, and the next (showMoreAtTheEnd).
    list.closest(".md-search__scrollwrap").scrollTop = 0;
    appendResults(firstPage);
    if (finished) shown(typed);
  }

  /** A word as a hint names it, cut to HINT_WORD_CHARS: a screen reader reads the hint out whole. */
  function shortened(word) {
    const chars = [...word];
    return chars.length > HINT_WORD_CHARS ? `${chars.slice(0, HINT_WORD_CHARS).join("")}…` : word;
  }

  /** Says which query the list and the counts answer: tests and benchmarks wait on it. */
  function shown(typed) {
    output.dataset.pcSearchShown = typed;
    output.removeAttribute("aria-busy");
  }

  /** The next PAGE_SIZE results, once however often it is asked for while they load (a click, and the end
      of the list scrolled into view). */
  function showMore() {
    if (showing?.results !== current.results) {
      const { results, shown } = current;
      const promise = Promise.all(results.slice(shown, shown + PAGE_SIZE).map((result) => result.data()))
        .then((next) => { if (current.results === results) appendResults(next); })
        .finally(() => { if (showing?.promise === promise) showing = null; });
      showing = { results, promise };
    }
    return showing.promise;
  }
  let showing = null; // {results, promise} of the next results being loaded

  /** As Material's own search does, the end of the results scrolled into view shows the next ones (one topic's
      papers took a reader 37 clicks of "Show 10 more"); again while it is still in view. */
  function showMoreAtTheEnd() {
    const observer = new IntersectionObserver(async (entries) => {
      if (!entries.some((entry) => entry.isIntersecting) || more.hidden) return;
      try {
        await showMore();
      } finally {
        observer.unobserve(more);
        observer.observe(more); // reports at once whether it is still in view
      }
    }, { root: more.closest(".md-search__scrollwrap"), rootMargin: "0px 0px 200px 0px" });
    observer.observe(more);
  }

  function appendResults(pages) {
    list.append(...pages.map(resultItem));
    reader.resultsDrawn(); // papercat.js says which are starred or read
    current.shown += pages.length;
    const left = current.results.length - current.shown;
    more.hidden = left <= 0;
    more.textContent = `Show ${Math.min(left, PAGE_SIZE)} more of ${left}`;
  }

  function countText(count) {
    if (count === 0) return "No matching papers";
    return reader.plural(count, "matching paper");
  }

  // Titles, topics and excerpts go in as text (setExcerpt marks the matched words). papercat.js marks a paper
  // the reader starred or read, as in listings, once told the results are drawn.
  function resultItem(page) {
    const item = element("li", "md-search-result__item");
    const link = element("a", "md-search-result__link");
    link.href = page.url;
    link.tabIndex = -1;
    const article = element("article", "md-search-result__article md-typeset");
    // The title in an isolate of its own: a right-to-left override it never closes stops there, before the ★ of
    // a starred paper.
    const title = element("h1", "pc-search-title"); // its direction is its <bdi>'s (papercat.css)
    title.append(element("bdi", "", shownTitle(page.meta)));
    const excerpt = element("p", "pc-search-excerpt");
    excerpt.dir = "auto";
    setExcerpt(excerpt, page);
    article.append(element("div", "md-search-result__icon md-icon"), title, excerpt);
    // Its topics and first dump on one line, as in listings.
    const meta = element("div", "pc-search-meta");
    if (page.meta.topics) {
      const chips = element("span", "pc-chips");
      chips.append(...page.meta.topics.split(TOPIC_SEPARATOR).map((topic) => element("span", "pc-chip", topic)));
      meta.append(chips);
    }
    const seen = seenIn(page.filters && page.filters.dump);
    if (seen) meta.append(element("span", "pc-search-seen", seen));
    if (meta.hasChildNodes()) article.append(meta);
    link.append(article);
    // Beside the link, not in it: a paper is starred or marked read from its result, as from a listing
    // (papercat.js acts on them and keeps them pressed as the paper is).
    const actions = element("div", "md-typeset pc-search-actions"); // styled as a listing's buttons
    const buttons = element("span", "pc-item-buttons");
    buttons.append(resultButton("pc-star", "Star", "pcStar"), " ", resultButton("pc-read", "Mark read", "pcRead"));
    actions.append(buttons);
    item.append(link, actions);
    return item;
  }

  function resultButton(className, label, action) {
    const button = element("button", `md-button ${className}`, label);
    button.type = "button";
    button.tabIndex = -1; // as the results' links: the arrows walk them, and Tab leaves the search
    button.dataset[action] = "";
    return button;
  }

  /** When the paper was listed, from its values of the dump filter ("0593 Aug 18, 2026": the dump's number in
      catalog order, then its name; generator/render/pages.py makes them), in the words of a paper page's first
      line (templates/paper.md.j2). */
  function seenIn(dumpValues) {
    const names = (dumpValues || []).slice().sort().map((value) => value.replace(DUMP_NUMBER, ""));
    if (!names.length) return "";
    if (names.length === 1) return `Seen in ${names[0]}`;
    return `Seen in ${names[0]} and ${names.length - 1} later dump${names.length > 2 ? "s" : ""}`;
  }

  // The title as written: Pagefind trims the `title` meta and joins its spaces into one, so a title it would
  // change also comes spelled out, every space and backslash as \uXXXX (templates/search.html.j2).
  function shownTitle(meta) {
    if (meta.spaced_title === undefined) return meta.title;
    return meta.spaced_title.replace(/\\u([0-9a-f]{4})/g, (escape, code) => String.fromCharCode(parseInt(code, 16)));
  }

  // Pagefind's excerpt is a window of EXCERPT_WORDS words of the page's text with only < and > escaped, and
  // <mark> around the matched words: as HTML, an `&amp;` written in an abstract would show as `&`. So the
  // window is found in the page's own text, and those words are shown, as text, with the same ones marked.
  function setExcerpt(node, page) {
    const words = excerptWords(page);
    if (words) {
      node.replaceChildren(...words.flatMap(([text, marked], index) =>
        [...(index ? [" "] : []), ...(marked ? markedWord(text) : [text])]));
    } else if (ONLY_MARKS.test(page.excerpt)) {
      node.innerHTML = page.excerpt;
    } else {
      node.textContent = new DOMParser().parseFromString(page.excerpt, "text/html").body.textContent;
    }
  }

  // A matched word marked without the punctuation around it: `(policies,` as ( policies ,.
  function markedWord(text) {
    const [, before, core, after] = WORD_CORE.exec(text);
    return core ? [before, element("mark", "", core), after].filter((part) => part !== "") : [element("mark", "", text)];
  }

  // [word, marked] of the excerpt's window, as Pagefind 1.6's build_excerpt cuts it from the text (split at
  // PAGEFIND_WORD_SEPARATORS, or at zero-width spaces where the text has any: then null, as `content` has
  // lost them); null if the excerpt is no such window.
  function excerptWords(page) {
    if (String(page.raw_content ?? "").includes("\u200B")) return null;
    const words = String(page.content ?? "").split(PAGEFIND_WORD_SEPARATORS);
    const marked = new Set(page.locations ?? []);
    const shown = words.map((word, index) => {
      const escaped = word.replace(/</g, "&lt;").replace(/>/g, "&gt;");
      return marked.has(index) ? `<mark>${escaped}</mark>` : escaped;
    });
    const length = Math.min(EXCERPT_WORDS, words.length);
    const first = page.excerpt.split(" ", 1)[0];
    for (let start = 0; start + length <= words.length; start += 1) {
      if (shown[start] !== first && shown[start] !== "") continue; // the window starts with the excerpt's word
      if (shown.slice(start, start + length).join(" ").trim() === page.excerpt) {
        const excerpt = words.slice(start, start + length).map((word, offset) => [word, marked.has(start + offset)])
          .filter(([word]) => word !== "");
        const atEnd = words.slice(start + length).every((word) => word === "");
        return atEnd && page.meta?.open_end ? withoutAddedFullStop(excerpt) : excerpt;
      }
    }
    return null;
  }

  // The excerpt at the end of an abstract that ends without a full stop, without the one Pagefind added.
  function withoutAddedFullStop(excerpt) {
    const [word, marked] = excerpt.at(-1) ?? [""];
    return word.endsWith(".") ? [...excerpt.slice(0, -1), [word.slice(0, -1), marked]] : excerpt;
  }

  /** Opens or closes the search as a tap on Material's toggle does: Material reacts to the change (on a phone
      it locks the page's scroll while the search is open; opened from the address without it, the search
      widened the page to three screens). */
  function setToggle(checked) {
    toggle.checked = checked;
    togglingItself += 1;
    try {
      toggle.dispatchEvent(new Event("change"));
    } finally {
      togglingItself -= 1;
    }
  }

  function open() {
    if (!toggle.checked) setToggle(true);
    query.focus();
    loadPagefind().catch(() => {}); // start fetching the index while the reader types
    showInAddress();
  }

  /** Closes the search, and takes it out of the address unless `keepAddress`: following a result keeps it in
      the address of the page left, so Back comes back to it. */
  function close({ keepAddress = false } = {}) {
    if (toggle.checked) setToggle(false);
    query.blur();
    if (!keepAddress) showInAddress();
  }

  function isEditable(node) {
    return node instanceof HTMLInputElement || node instanceof HTMLTextAreaElement ||
      node instanceof HTMLSelectElement || (node instanceof HTMLElement && node.isContentEditable);
  }

  // Keys while the search is open, as in Material: Escape closes it, Tab walks the box and the filters and
  // closes it past either end, Up and Down walk the results, Enter in the box opens the first result, any other
  // character goes to the box. Keys in the filters are theirs (a select's arrows, a checkbox's Space).
  function onSearchKey(event) {
    // The hints' buttons come before the results, Watch these words after them: it is on every search.
    // Up and Down go result by result; Right and Left along a result, to its Star and Mark read: walked among
    // the results, they took three presses a result (a reader's review).
    const links = [query, ...meta.querySelectorAll("button:not(.pc-search-watch)"),
                   ...list.querySelectorAll("a[href]"), ...meta.querySelectorAll("button.pc-search-watch")];
    const active = document.activeElement;
    if (event.key === "Escape") {
      close();
    } else if (event.key === "Tab") {
      const stops = [query, filterToggle, ...(filtersShown() ? Object.values(choice) : [])];
      const next = stops.indexOf(active) + (event.shiftKey ? -1 : 1);
      if (!stops.includes(active) || next < 0 || next >= stops.length) return close();
      stops[next].focus(); // in page order the scrolling result area comes between the box and the filters
      event.preventDefault();
    } else if (filterBox.contains(active)) {
      return;
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      const step = event.key === "ArrowUp" ? -1 : 1;
      const from = list.contains(active) ? active.closest(".md-search-result__item").querySelector("a[href]") : active;
      links[(Math.max(0, links.indexOf(from)) + step + links.length) % links.length].focus();
      event.preventDefault();
    } else if ((event.key === "ArrowRight" || event.key === "ArrowLeft") && list.contains(active)) {
      const along = Array.from(active.closest(".md-search-result__item").querySelectorAll("a[href], button"));
      along[along.indexOf(active) + (event.key === "ArrowLeft" ? -1 : 1)]?.focus();
      event.preventDefault();
    } else if (event.key === "Enter" && active === query) {
      list.querySelector("a[href]")?.click();
      event.preventDefault();
    } else if (event.key.length === 1 && active !== query && !(event.key === " " && active.matches("button"))) {
      query.focus();
    }
  }

  // Listens on window, after every other handler, so a key another script claimed is left alone.
  window.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey || event.isComposing) return;
    if (toggle.checked) return onSearchKey(event);
    if (SHORTCUTS.includes(event.key) && !isEditable(document.activeElement)) {
      event.preventDefault();
      open();
      query.select();
    }
  });
  // Material closes the search after each instant navigation, Back included: Back comes to the search.
  toggle.addEventListener("change", () => {
    if (togglingItself) return;
    if (toggle.checked) return open();
    close({ keepAddress: performance.now() < materialClosesUntil });
  });
  query.addEventListener("focus", () => {
    if (!toggle.checked) open();
  });
  query.addEventListener("input", search);
  filterToggle.addEventListener("click", toggleFilters);
  choices.addEventListener("change", search);
  presets.addEventListener("click", (event) => {
    const days = event.target instanceof Element && event.target.closest("button[data-pc-days]")?.dataset.pcDays;
    if (days) choosePastDays(Number(days));
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("reset", (event) => {
    event.preventDefault();
    query.value = "";
    search();
    query.focus();
  });
  more.addEventListener("click", showMore);
  showMoreAtTheEnd();
  // Following a result closes the search, so Material's instant navigation shows the page; the address of
  // the page left keeps the search, so Back comes back to it.
  list.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest("a[href]")) close({ keepAddress: true });
  });

  /** The open search in the page's address (`?q=`), as it is typed, so that it can be copied, reloaded and
      come back to, with the choices set (?topic=...&from=...&to=...&code=yes&order=newest); a closed or empty
      search leaves the address. */
  function showInAddress() {
    const address = new URL(location.href);
    for (const name of [QUERY_PARAMETER, ...Object.keys(choice)]) address.searchParams.delete(name);
    const chosen = Object.entries(chosenValues());
    if (toggle.checked && (query.value.trim() || chosen.length)) {
      address.searchParams.set(QUERY_PARAMETER, query.value);
      for (const [name, value] of chosen) address.searchParams.set(name, value);
    }
    if (address.href === location.href) return;
    try {
      history.replaceState(history.state, "", address);
    } catch (error) {
      // Safari refuses more than about a hundred in ten seconds: the search goes on, its address catches up.
    }
  }

  /** The choices set, by name, as the address holds them; none while the choices are closed. */
  function chosenValues() {
    if (!filtersShown()) return {};
    const values = {};
    for (const [name, control] of Object.entries(choice)) {
      const value = control.type === "checkbox" ? (control.checked ? CODE : "") : control.value;
      if (value && !(name === "order" && value === "relevance")) values[name] = value;
    }
    return values;
  }

  /** Sets each choice the address names, and every other to its default (so does a value no choice offers);
      the choices are open if it names any, closed if not. */
  async function chooseFromAddress(asked) {
    const named = Object.keys(choice).filter((name) => asked.has(name));
    if (named.length) {
      try {
        await loadFilters();
      } catch (error) {
        return; // the search says the index could not be loaded
      }
    }
    for (const [name, control] of Object.entries(choice)) {
      const value = asked.get(name) ?? "";
      if (control.type === "checkbox") {
        control.checked = value === CODE;
      } else {
        control.value = [...control.options].some((node) => node.value === value) ? value : control.options[0].value;
      }
    }
    choices.hidden = !named.length;
    filterToggle.setAttribute("aria-expanded", String(named.length > 0));
  }

  async function searchFromAddress() {
    const asked = new URLSearchParams(location.search);
    const words = asked.get(QUERY_PARAMETER);
    if (words === null || (toggle.checked && query.value === words)) return;
    query.value = words;
    open();
    await chooseFromAddress(asked);
    search();
  }
  if (typeof window.document$ !== "undefined") {
    window.document$.subscribe(searchFromAddress); // the first page, and each page instant navigation shows
    // Material closes the search 125 ms after each instant navigation, Back included: the search the address
    // names opens again after that.
    // Its close comes 125 ms after the new page is in, which a busy machine delays, and may come twice (Back
    // lost the search one time in three): the closes in the second after a navigation are taken for Material's.
    window.location$?.subscribe(() => {
      materialClosesUntil = performance.now() + MATERIAL_CLOSE_WAITED_MS;
      setTimeout(searchFromAddress, MATERIAL_CLOSES_SEARCH_MS + 75);
    });
  } else {
    searchFromAddress();
  }
})();
