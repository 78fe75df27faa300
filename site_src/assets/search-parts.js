// The search parts of a papercat site (generator/render/layout.py), loaded and searched as one Pagefind index.
// An ES module: assets/search.js imports it when a reader first opens the search, and the benchmarks
// (benchmarks/search.py, benchmarks/search_parts.py) import it from the served site, so they measure what a
// reader gets.

const SEARCH_PARTS = "search-parts.json"; // layout.SEARCH_PARTS_PATH
// Each part of a catalog in parts holds a vocabulary document (templates/search_vocabulary.html.j2), which
// this filter leaves out of every search.
const NOT_VOCABULARY = { vocabulary: "yes" };
// A paper whose title holds the query's words gets five times the boost of one whose topics or spelling
// variants (templates/search.html.j2) hold them; the abstract is ranked as body text.
const RANKING = { metaWeights: { title: 5, topics: 1, variants: 1 } };

// Every part of the site at `siteRoot` (a URL), with Pagefind's `options` (the ranking above unless given).
export async function loadParts(siteRoot, options = {}) {
  const response = await fetch(new URL(SEARCH_PARTS, siteRoot), { cache: "no-cache" });
  if (!response.ok) throw new Error(`${SEARCH_PARTS}: HTTP ${response.status}`);
  const parts = await Promise.all((await response.json()).map(async (part) => {
    const pagefind = await import(new URL(`pagefind/${part}/pagefind.js`, siteRoot).href);
    await pagefind.options({ ranking: RANKING, ...options });
    await pagefind.init();
    return pagefind;
  }));
  return searchParts(parts);
}

// The parts (oldest dumps first) searched together, each in its own worker, and their answers joined as one
// index's: results by score, as Pagefind's own mergeIndex joins them, or newest first part after part from
// the last (a part holds whole dumps, so its papers are newer than every earlier part's), with every count
// added up. Each part also holds a vocabulary document of every title's words, so that no part searches such
// a word for its start where one index would find the word: its filter leaves it out of every search.
function searchParts(parts) {
  return {
    async search(term, options = {}) {
      const searched = parts.length > 1 ? { ...options, filters: { ...options.filters, not: NOT_VOCABULARY } }
        : options;
      // Newest part first: for the newest order, and so that papers of equal score come newest first.
      const found = (await Promise.all(parts.map((part) => part.search(term, searched)))).reverse();
      const results = found.flatMap((answer) => answer.results);
      if (!options.sort) results.sort((a, b) => b.score - a.score);
      return { results, filters: addCounts(found.map((answer) => answer.filters)) };
    },
    async filters() {
      return addCounts(await Promise.all(parts.map((part) => part.filters())));
    },
  };
}

function addCounts(countsOfParts) {
  const total = {};
  for (const counts of countsOfParts) {
    for (const [filter, values] of Object.entries(counts ?? {})) {
      total[filter] ??= {};
      for (const [value, count] of Object.entries(values)) total[filter][value] = (total[filter][value] ?? 0) + count;
    }
  }
  return total;
}
