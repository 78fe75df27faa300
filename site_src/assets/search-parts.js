// The search parts of a papercat site (generator/render/layout.py), loaded and searched as one Pagefind index.
// An ES module: assets/search.js imports it when a reader first opens the search, and the benchmarks
// (benchmarks/search.py, benchmarks/search_parts.py) import it from the served site, so they measure what a
// reader gets.

const SEARCH_PARTS = "search-parts.json"; // layout.SEARCH_PARTS_PATH
// Each part of a catalog in parts holds a vocabulary document (templates/search_vocabulary.html.j2), which
// this filter leaves out of every search.
const NOT_VOCABULARY = { vocabulary: "yes" };
// A paper whose title, or the title's spelling variants, holds the query's words gets five times the boost of
// one whose topics or abstract's spelling variants (templates/search.html.j2) hold them; the abstract is
// ranked as body text, and a report's name (`Qwen3` of *Qwen3 Technical Report*) three times. Pagefind also
// matches the longer words a query's word starts (`SAM` finds `samplers`): three times its default term
// similarity puts the papers with the word itself first (README, *Search*).
const RANKING = { metaWeights: { name: 3, title: 5, title_variants: 5, topics: 1, variants: 1 }, termSimilarity: 3 };

// Every part of the site at `siteRoot` (a URL), with Pagefind's `options` (the ranking above unless given), each
// part's Pagefind in a worker of its own (assets/search-worker.js).
export async function loadParts(siteRoot, options = {}) {
  const response = await fetch(new URL(SEARCH_PARTS, siteRoot), { cache: "no-cache" });
  if (!response.ok) throw new Error(`${SEARCH_PARTS}: HTTP ${response.status}`);
  const names = await response.json();
  const parts = names.map(() => new PartWorker());
  try {
    await Promise.all(parts.map((part, index) => part.call("init", [
      new URL(`pagefind/${names[index]}/pagefind.js`, siteRoot).href, { ranking: RANKING, ...options }])));
  } catch (error) {
    for (const part of parts) part.worker.terminate();
    throw error;
  }
  return searchParts(parts);
}

// A search part's Pagefind in its own worker: `search` answers as Pagefind's search does (results with a score
// and data()), but the results come over as one array of scores, and each result's data is asked for only
// when it is shown. A search's results are let go of in the worker once the page has let go of them all.
class PartWorker {
  static released = new FinalizationRegistry(([part, number]) => part.call("release", [number]).catch(() => {}));
  static searches = 0; // one count for every part

  constructor() {
    this.worker = new Worker(new URL("search-worker.js", import.meta.url), { type: "module" });
    this.calls = new Map();
    this.lastCall = 0;
    this.failure = null; // once the worker has failed, every call fails at once instead of waiting forever
    this.worker.addEventListener("message", ({ data: { id, result, error } }) => {
      const call = this.calls.get(id);
      this.calls.delete(id);
      if (error === undefined) call.resolve(result);
      else call.reject(new Error(error));
    });
    this.worker.addEventListener("error", (event) => {
      this.failure = new Error(event.message || "search worker failed");
      for (const call of this.calls.values()) call.reject(this.failure);
      this.calls.clear();
    });
  }

  call(method, args = []) {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const id = ++this.lastCall;
      this.calls.set(id, { resolve, reject });
      this.worker.postMessage({ id, method, args });
    });
  }

  async search(term, options) {
    const number = ++PartWorker.searches;
    const { scores, filters } = await this.call("search", [number, term, options]);
    // Each result's data() holds the list (`results &&`), so the worker keeps the search while any result is held.
    const results = Array.from(scores, (score, index) => ({
      score, data: () => results && this.call("data", [number, index]),
    }));
    PartWorker.released.register(results, [this, number]);
    return { results, filters };
  }

  filters() {
    return this.call("filters");
  }
}

// The parts (oldest dumps first) searched together, each in its own worker, and their answers joined as one
// index's: results by score, as Pagefind's own mergeIndex joins them, or newest first part after part from
// the last (a part holds whole dumps, so its papers are newer than every earlier part's), with every count
// added up. Each part also holds a vocabulary document of every title's words, so that no part searches such
// a word for its start where one index would find the word: its filter leaves it out of every search.
function searchParts(parts) {
  return {
    parts: parts.length,
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
