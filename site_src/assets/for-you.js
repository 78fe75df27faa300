/* papercat For you (#pc-for-you): papers like the reader's starred ones (localStorage "papercat:starred",
   kept by papercat.js), from the related papers of each starred paper and theirs (reader-data.js downloads only
   the small files of those papers). Starred and read papers are left out; each suggestion names the starred
   paper it comes from. */
(function () {
  "use strict";

  const reader = window.papercatReader;
  const { element } = reader;
  const SUGGESTIONS = 30;
  // A related paper of a related paper counts this much of a direct one.
  const SECOND_HOP_WEIGHT = 0.3;
  // Far down the ranking, related papers of related papers drift off the subject: they are left out.
  const MIN_SHARE_OF_BEST = 0.05;

  /** Weight of the related paper at `rank` (0 is the most similar). */
  const rankWeight = (rank) => 1 / (rank + 1);

  function starredPapers() {
    return Object.values(reader.loadMap("starred")).filter((paper) => paper && typeof paper.id === "string");
  }

  /** Map of paper number -> {score, from: {starred address: score}} for the neighbours of `starred`, the
      starred papers left out. */
  async function scoreNeighbours(starred, info) {
    const scores = new Map();
    const starredNumbers = new Set();
    const add = (number, from, score) => {
      if (!scores.has(number)) scores.set(number, { score: 0, from: new Map() });
      const entry = scores.get(number);
      entry.score += score;
      entry.from.set(from, (entry.from.get(from) || 0) + score);
    };
    for (const paper of starred) {
      const number = await reader.paperNumber(paper.id);
      starredNumbers.add(number);
      const entry = number === null ? null : await reader.paperInfo(number, info);
      if (!entry) continue;
      const related = Array.isArray(entry[3]) ? entry[3] : [];
      for (const [rank, neighbour] of related.entries()) {
        add(neighbour, paper.id, rankWeight(rank));
        const second = await reader.paperInfo(neighbour, info);
        for (const [secondRank, further] of (second && Array.isArray(second[3]) ? second[3] : []).entries()) {
          add(further, paper.id, rankWeight(rank) * rankWeight(secondRank) * SECOND_HOP_WEIGHT);
        }
      }
    }
    for (const number of starredNumbers) scores.delete(number);
    return scores;
  }

  /** The starred paper a suggestion owes most to; ties go to the earlier address. */
  function mainSource(from) {
    return Array.from(from.entries()).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
  }

  function suggestionItem(number, entry, source, info, dumpList) {
    const item = reader.paperItem(number, entry);
    item.dataset.pcTopics = (Array.isArray(entry[2]) ? entry[2] : []).join(" ");
    item.dataset.pcFrom = source.id;
    const why = element("div", "pc-item-meta pc-suggestion-why");
    const link = element("a", "", String(source.title || source.id));
    link.dir = "auto";
    link.href = new URL(`papers/${encodeURIComponent(source.id)}/`, reader.SITE_ROOT).href;
    why.append("Because you starred ", link);
    const meta = element("div", "pc-item-meta");
    meta.append(reader.topicChips(entry, info));
    const seen = reader.seenIn(entry, dumpList);
    if (seen) meta.append(seen);
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
    const starredIds = new Set(starred.map((paper) => paper.id));
    const starredById = new Map(starred.map((paper) => [paper.id, paper]));
    const read = reader.loadMap("read");
    const scores = await scoreNeighbours(starred, info);
    const ranked = Array.from(scores.entries()).sort((a, b) => b[1].score - a[1].score || b[0] - a[0]);
    const best = ranked.length ? ranked[0][1].score : 0;
    const dumpList = await reader.dumps();
    const items = [];
    for (const [number, scored] of ranked) {
      if (items.length >= SUGGESTIONS || scored.score < MIN_SHARE_OF_BEST * best) break;
      const entry = await reader.paperInfo(number, info);
      if (!entry || starredIds.has(entry[0]) || read[entry[0]]) continue;
      items.push(suggestionItem(number, entry, starredById.get(mainSource(scored.from)), info, dumpList));
    }
    const list = element("ol", "pc-listing pc-for-you-list");
    list.append(...items);
    const summary = items.length
      ? `${items.length} papers like your ${starred.length} starred, closest first.`
      : "No suggestions left: you starred or read every paper related to your stars. Star another paper to widen them.";
    container.replaceChildren(element("p", "pc-for-you-summary", summary), list);
    reader.itemsDrawn();
    container.dataset.pcReady = "true";
  }

  function setUp() {
    const container = document.getElementById("pc-for-you");
    if (container) renderForYou(container);
  }

  reader.onEveryPage(setUp);
})();
