/* papercat For you (#pc-for-you): papers like the reader's starred ones (localStorage "papercat:starred",
   kept by papercat.js), from the related papers of each starred paper and theirs (reader-data.js downloads only
   the small files of those papers), and, first, the papers of the newest dumps whose related papers are those,
   then those that use rare words of a starred paper's title; after the papers close to the stars, the newest
   dumps' papers that share a starred paper's topics.
   Starred and read papers are left out; each suggestion names the starred paper it comes from. */
(function () {
  "use strict";

  const reader = window.papercatReader;
  const { element } = reader;
  const SUGGESTIONS = 30;
  /** Weight of the related paper at `rank` (0 is the most similar). */
  const rankWeight = (rank) => 1 / (rank + 1);
  // A related paper of a related paper counts this much of a direct one.
  const SECOND_HOP_WEIGHT = 0.3;
  // Far down the ranking, related papers of related papers drift off the subject: they are left out.
  const MIN_SHARE_OF_BEST = 0.05;
  // A starred paper's related papers were found when it was listed, so a paper listed since hardly ever shows
  // among them: the papers of the newest dumps (a week of daily ones; half of a catalog of fewer) are looked
  // at the other way round, from their related papers.
  const NEWEST_DUMPS = 7;
  const newestDumps = (dumpCount) => Math.min(NEWEST_DUMPS, Math.floor(dumpCount / 2));
  /** [number, entry] of the papers first listed in the newest `dumps` of `dumpCount`; none without dumps (a list
      not loaded). Read once for both ways of scoring them. */
  async function newestPapers(info, dumps, dumpCount) {
    const papers = [];
    if (dumps > 0) for await (const paper of reader.papersSince(dumpCount - dumps, info)) papers.push(paper);
    return papers;
  }
  const NEW_SUGGESTIONS = 10;
  // A new paper is listed if it is as close to the stars as a starred paper's second related paper is: the
  // newest dumps hold few papers, and the best of them are further from the stars than the catalog's best.
  const NEW_MIN_SCORE = rankWeight(1);
  // Few new papers are that close by their related papers (none in 72 of 111 draws of stars on the real
  // catalog), found against the whole catalog: a day's paper on KV caches seldom has a starred one among its
  // five. So the newest dumps' papers that use a starred paper's title's rare words (in at most this share of
  // the catalog's papers: `kv`, `speculative`, `grpo`; not `model` or `diffusion`) follow them: two that stand
  // together in the starred title, in their title or abstract (`kv cache`, not `kv` in one sentence and `cache`
  // in another), or two anywhere in their own title. One word alone says too little: stars drawn from one
  // topic brought `toolkit`, `preview` and `evolving` papers. The rarer the words, the closer.
  const RARE_WORD_SHARE = 0.05;
  const TITLE_WORDS = 2;
  // Then those that share two of a starred paper's topics (its only one, if it has one).
  const MIN_SHARED_TOPICS = 2;

  function starredPapers() {
    return Object.values(reader.loadMap("starred")).filter((paper) => paper && typeof paper.id === "string");
  }

  /** Map of paper number -> address of the `starred` papers the site has. */
  async function numbersOf(starred) {
    const numbers = new Map();
    for (const paper of starred) {
      const number = await reader.paperNumber(paper.id);
      if (number !== null) numbers.set(number, paper.id);
    }
    return numbers;
  }

  /** Map of paper number -> {score, from: {starred address: score}} for the neighbours of the starred papers
      (`starredNumbers`, as numbersOf), the starred papers left out. */
  async function scoreNeighbours(starredNumbers, info) {
    const scores = new Map();
    const add = (number, from, score) => {
      if (!scores.has(number)) scores.set(number, { score: 0, from: new Map() });
      const entry = scores.get(number);
      entry.score += score;
      entry.from.set(from, (entry.from.get(from) || 0) + score);
    };
    for (const [number, address] of starredNumbers) {
      const entry = await reader.paperInfo(number, info);
      if (!entry) continue;
      const related = Array.isArray(entry[3]) ? entry[3] : [];
      for (const [rank, neighbour] of related.entries()) {
        add(neighbour, address, rankWeight(rank));
        const second = await reader.paperInfo(neighbour, info);
        for (const [secondRank, further] of (second && Array.isArray(second[3]) ? second[3] : []).entries()) {
          add(further, address, rankWeight(rank) * rankWeight(secondRank) * SECOND_HOP_WEIGHT);
        }
      }
    }
    for (const number of starredNumbers.keys()) scores.delete(number);
    return scores;
  }

  /** Map of paper number -> {score, from} (as scoreNeighbours) for the papers of the newest dumps (`newest`, as
      newestPapers) whose related papers are starred or near them (`neighbours`). */
  function scoreNewest(starredNumbers, neighbours, newest) {
    const scores = new Map();
    for (const [number, entry] of newest) {
      const from = new Map();
      const add = (source, score) => from.set(source, (from.get(source) || 0) + score);
      for (const [rank, neighbour] of (Array.isArray(entry[3]) ? entry[3] : []).entries()) {
        if (starredNumbers.has(neighbour)) add(starredNumbers.get(neighbour), rankWeight(rank));
        else if (neighbours.has(neighbour)) {
          for (const [source, score] of neighbours.get(neighbour).from) {
            add(source, rankWeight(rank) * score * SECOND_HOP_WEIGHT);
          }
        }
      }
      const score = Array.from(from.values()).reduce((a, b) => a + b, 0);
      if (score >= NEW_MIN_SCORE) scores.set(number, { score, from });
    }
    return scores;
  }

  /** Map of paper number -> {score, from, words} for the papers of the newest dumps (`newest`) that use rare
      words of a starred paper's title (RARE_WORD_SHARE): `words` those words, `score` their weight, for the
      starred paper it is highest for. */
  async function scoreNewestByWords(starredNumbers, info, newest) {
    const newTitles = new Map(newest.map(([number, entry]) => [number, titleKeys(entry[1], info)]));
    const scores = new Map();
    for (const [number, address] of starredNumbers) {
      const entry = await reader.paperInfo(number, info);
      if (!entry) continue;
      const weights = new Map(); // each rare word of the title -> its weight
      const found = new Map(); // new paper number -> {words: the title's rare words it has}
      for (const key of titleKeys(entry[1], info)) {
        const papers = await reader.papersWithKey(key);
        const share = papers.size / info.papers;
        if (!papers.size || share > RARE_WORD_SHARE) continue;
        weights.set(key, Math.log(1 / share));
        for (const paper of papers) {
          if (!newTitles.has(paper) || paper === number) continue;
          const shared = found.get(paper) ?? { words: [] };
          shared.words.push(key);
          found.set(paper, shared);
        }
      }
      // A hyphenated word counts once, by its parts, not also as one, and is no two words (`plug-and-play`).
      const ordered = keysByWord(entry[1], info);
      const wordOf = new Map(ordered.map(([key, word]) => [key, word]));
      const wordsInTitle = (paper) => new Set(found.get(paper).words
        .filter((key) => wordOf.has(key) && newTitles.get(paper).has(key)).map((key) => wordOf.get(key))).size;
      const close = new Set(Array.from(found.keys()).filter((paper) => wordsInTitle(paper) >= TITLE_WORDS));
      for (const [[first, firstWord], [second, secondWord]] of ordered.slice(1).map((pair, index) => [ordered[index], pair])) {
        if (firstWord === secondWord || first === second || !weights.has(first) || !weights.has(second)) continue;
        const both = new Set(Array.from(found.keys()).filter((paper) => !close.has(paper)
          && found.get(paper).words.includes(first) && found.get(paper).words.includes(second)));
        if (both.size) for (const paper of await reader.withWordsTogether(`${first} ${second}`, both, info)) close.add(paper);
      }
      for (const paper of close) {
        const keys = found.get(paper).words;
        // Shown and weighed by their parts (`self-evolving` as `evolving`, not `selfevolving` besides).
        const words = keys.some((key) => wordOf.has(key)) ? keys.filter((key) => wordOf.has(key)) : keys;
        const score = words.reduce((total, word) => total + weights.get(word), 0);
        const best = scores.get(paper);
        if (best && (best.score > score || (best.score === score && best.from.keys().next().value < address))) continue;
        scores.set(paper, { score, from: new Map([[address, score]]), words });
      }
    }
    return scores;
  }

  /** The keys of a title's words, each hyphenated word by its parts (`Flow-GRPO`: `grpo`) and as one; a word
      with an apostrophe as one (`Don't` as `dont`, which no paper has: not as `don` and `t`). */
  function titleKeys(title, info) {
    return new Set([...reader.termKeys(withoutApostrophes(title), info),
                    ...keysByWord(title, info).map(([key]) => key)]);
  }

  /** [key, the number of the title's word it is of] of each part of each word of a title, in order. */
  function keysByWord(title, info) {
    return reader.textWords(withoutApostrophes(title))
      .flatMap((word, number) => reader.phraseKeys(word, info, false).map((key) => [key, number]));
  }

  const withoutApostrophes = (text) => String(text).replace(/['\u2019]/g, "");

  /** Map of paper number -> {score, from, shared} for the papers of the newest dumps (`newest`) that share
      MIN_SHARED_TOPICS of a starred paper's topics, or all of fewer: `shared` those topics, `score` the share
      of the two papers' topics they are, for the starred paper it is highest for. */
  async function scoreNewestByTopics(starredNumbers, info, newest) {
    const starredTopics = [];
    for (const [number, address] of starredNumbers) {
      const entry = await reader.paperInfo(number, info);
      if (entry && Array.isArray(entry[2]) && entry[2].length) starredTopics.push([address, entry[2]]);
    }
    const scores = new Map();
    for (const [number, entry] of newest) {
      const topics = Array.isArray(entry[2]) ? entry[2] : [];
      for (const [address, own] of starredTopics) {
        const shared = own.filter((topic) => topics.includes(topic));
        if (shared.length < Math.min(MIN_SHARED_TOPICS, own.length)) continue;
        const score = shared.length / new Set([...own, ...topics]).size;
        const best = scores.get(number);
        // Equal shares go to the earlier address, as mainSource's do: not to the order of starring.
        if (!best || score > best.score || (score === best.score && address < best.from.keys().next().value)) {
          scores.set(number, { score, from: new Map([[address, score]]), shared });
        }
      }
    }
    return scores;
  }

  /** Ranked [number, scored] entries, the first of each main source's (mainSource) first, in their order, then
      the second of each, and so on. */
  function takingTurns(ranked) {
    const turns = new Map();
    const turn = ranked.map(([, scored]) => {
      const source = mainSource(scored.from);
      turns.set(source, (turns.get(source) ?? -1) + 1);
      return turns.get(source);
    });
    return ranked.map((entry, index) => [entry, turn[index], index])
      .sort((a, b) => a[1] - b[1] || a[2] - b[2]).map(([entry]) => entry);
  }

  /** The starred paper a suggestion owes most to; ties go to the earlier address. */
  function mainSource(from) {
    return Array.from(from.entries()).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
  }

  /** A suggestion's listing item, saying which starred paper it comes from, and which of its topics it shares
      where it comes from them (`shared`). */
  function suggestionItem(number, entry, source, { shared, words }, info, dumpList) {
    // Found by words: the sentence that has two of them, marked, as Watch shows it (a passing mention looked like
    // the paper's subject: a reader's review).
    const twos = words && words.flatMap((word, at) => words.slice(at + 1).map((other) => ({ text: `${word} ${other}` })));
    const where = twos?.length ? reader.whereMatched(twos, String(entry[1]), info) : null;
    const item = reader.paperItem(number, entry, where);
    item.dataset.pcFrom = source.id;
    const why = element("div", "pc-item-meta pc-suggestion-why");
    const link = element("a", "", String(source.title || source.id));
    link.dir = "auto";
    link.href = reader.paperUrl(source.id);
    const listed = (names) => (names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}` : names[0]);
    if (shared) {
      why.append(`Shares ${listed(shared.map((topic) => info.topics?.[topic] ?? topic))} with `, link);
    } else if (words) {
      why.append(`Has ${listed(words.map((word) => `“${word}”`))} of the title of `, link);
    } else {
      why.append("Because you starred ", link);
    }
    const meta = element("div", "pc-item-meta");
    meta.append(...reader.itemDetails(entry, info, dumpList));
    item.append(meta, why);
    return item;
  }

  async function renderForYou(container) {
    const starred = starredPapers();
    if (!starred.length) {
      container.replaceChildren(element("p", "pc-for-you-empty",
        "Star a paper you like (the \u2606 Star button on its page, or s on a listing item picked with j / k), " +
        "then come back: this page suggests papers like the ones you starred. One star is enough to start."));
      return;
    }
    const info = await reader.meta();
    if (!info) return;
    const starredById = new Map(starred.map((paper) => [paper.id, paper]));
    const read = reader.loadMap("read");
    const dumpList = await reader.dumps();
    const starredNumbers = await numbersOf(starred);
    const neighbours = await scoreNeighbours(starredNumbers, info);
    const dumpCount = Array.isArray(dumpList) ? dumpList.length : 0;
    const dumps = newestDumps(dumpCount);
    const newPapers = await newestPapers(info, dumps, dumpCount);
    const newScores = scoreNewest(starredNumbers, neighbours, newPapers);
    const wordScores = await scoreNewestByWords(starredNumbers, info, newPapers);
    const topicScores = await scoreNewestByTopics(starredNumbers, info, newPapers);

    /** Listing items for the best of `scores` (as scoreNeighbours), at most `limit`, none of `shown`; `inTurn`,
        the best of each starred paper's in turn (its best, then the next best of each, ...). */
    async function suggestions(scores, limit, shown, inTurn = false) {
      let ranked = Array.from(scores.entries()).sort((a, b) => b[1].score - a[1].score || b[0] - a[0]);
      if (inTurn) ranked = takingTurns(ranked);
      const best = ranked.length ? ranked[0][1].score : 0;
      const items = [];
      for (const [number, scored] of ranked) {
        if (items.length >= limit || scored.score < MIN_SHARE_OF_BEST * best) break;
        const entry = await reader.paperInfo(number, info);
        if (!entry || starredById.has(entry[0]) || read[entry[0]] || shown.has(entry[0])) continue;
        items.push(suggestionItem(number, entry, starredById.get(mainSource(scored.from)), scored, info, dumpList));
        shown.add(entry[0]);
      }
      return items;
    }

    const shown = new Set();
    const newItems = await suggestions(newScores, NEW_SUGGESTIONS, shown);
    // A starred paper of one topic shares it with a day's every paper of that topic, and took nine of ten
    // places (a reader's review): each starred paper's best come in turn, by words as by topics.
    const wordItems = await suggestions(wordScores, NEW_SUGGESTIONS, shown, true);
    const items = await suggestions(neighbours, SUGGESTIONS, shown);
    // A shared topic says the least of the three: those come after the papers closest to the stars (a reader's
    // review), and a paper listed above is not listed again for its topics.
    const topicItems = await suggestions(topicScores, NEW_SUGGESTIONS, shown, true);
    const list = (className, listed) => {
      const node = element("ol", `pc-listing ${className}`);
      node.append(...listed);
      return node;
    };
    const papers = (count) => reader.plural(count, "paper");
    const parts = [];
    const newest = dumps === 1 ? "the newest dump" : `the newest ${dumps} dumps`;
    if (newItems.length || wordItems.length) {
      parts.push(element("h2", "", `New in ${newest}`), element("p", "pc-for-you-summary", newItems.length
        ? `${papers(newItems.length)} of ${newest} whose related papers are your stars or close to them, closest first.`
        : `No paper of ${newest} has your stars or papers close to them among its related papers yet.`));
      if (newItems.length) parts.push(list("pc-for-you-new", newItems));
      if (wordItems.length) {
        parts.push(element("p", "pc-for-you-summary",
          `${papers(wordItems.length)} of ${newest} that use rare words of a starred paper's title, the most to ` +
          "each starred paper in turn."),
        list("pc-for-you-words", wordItems));
      }
    } else if (dumps) {
      parts.push(element("p", "pc-for-you-summary", `No paper of ${newest} is close to your stars yet.`));
    }
    if (newItems.length || wordItems.length || topicItems.length) parts.push(element("h2", "", "Closest to your stars"));
    parts.push(element("p", "pc-for-you-summary", items.length
      ? `${papers(items.length)} like your ${starred.length} starred, closest first.`
      : "No suggestions left: you starred or read every paper related to your stars. Star another paper to widen them."),
    list("pc-for-you-list", items));
    if (topicItems.length) {
      // "Also" only after new papers listed above.
      const heading = newItems.length || wordItems.length ? "Also new" : `New in ${newest}`;
      parts.push(element("h2", "", `${heading}, on your stars' topics`), element("p", "pc-for-you-summary",
        `${papers(topicItems.length)} of ${newest} that share a starred paper's topics, the most alike to each ` +
        "starred paper in turn."),
      list("pc-for-you-topics", topicItems));
    }
    container.replaceChildren(...sectionLinks(parts), ...parts);
    reader.itemsDrawn();
    container.dataset.pcReady = "true";
  }

  /** A line of links to the page's sections, each with its count of papers, where there are two or more: the
      newest dumps' papers on the stars' topics come last, 30 papers down (a reader's review). Gives each
      section's heading its id. */
  function sectionLinks(parts) {
    const headings = parts.filter((part) => part.tagName === "H2");
    if (headings.length < 2) return [];
    const nav = element("nav", "pc-for-you-sections");
    nav.setAttribute("aria-label", "Sections");
    for (const [index, heading] of headings.entries()) {
      heading.id = `for-you-${index + 1}`;
      // A section's papers are the items of its lists, up to the next heading.
      const end = index + 1 < headings.length ? parts.indexOf(headings[index + 1]) : parts.length;
      const lists = parts.slice(parts.indexOf(heading) + 1, end).filter((part) => part.tagName === "OL");
      const count = lists.reduce((sum, list) => sum + list.children.length, 0);
      const link = element("a", "", `${heading.textContent} (${count})`);
      link.href = `#${heading.id}`;
      // Taken here, and kept from Material's instant navigation, which loaded the page again and drew it from
      // its top: the sections are drawn after the page is.
      link.addEventListener("click", (event) => {
        event.preventDefault();
        event.stopPropagation();
        heading.tabIndex = -1;
        heading.focus({ preventScroll: true });
        heading.scrollIntoView();
      });
      nav.append(...(index ? [" · ", link] : [link]));
    }
    return [nav];
  }

  function setUp() {
    const container = document.getElementById("pc-for-you");
    if (container) renderForYou(container);
  }

  reader.onEveryPage(setUp);
})();
