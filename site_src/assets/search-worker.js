// One search part's Pagefind, run in a worker of its own by assets/search-parts.js (a module worker). Inside a
// worker Pagefind searches in that worker's own thread, so its answers never cross a thread result by result:
// Pagefind's own worker posts every result to the page and back again, and each result the page lets go of
// posts one more message and its answer (about 30,000 of each a keystroke for `language models` at 50,000
// papers, README *Search*). Here a search posts back the scores and the filter counts once; the page asks for
// the data of the results it shows, and lets go of a search's results with one message.

let pagefind = null;
const searches = new Map(); // search number -> Pagefind's results, until the page releases them

addEventListener("message", async ({ data: { id, method, args } }) => {
  try {
    const [result, transfer] = await answer(method, args);
    postMessage({ id, result }, transfer);
  } catch (error) {
    postMessage({ id, error: String(error?.message ?? error) });
  }
});

async function answer(method, args) {
  switch (method) {
    case "init": {
      const [url, options] = args;
      pagefind = await import(url);
      await pagefind.options(options);
      await pagefind.init();
      return [true, []];
    }
    case "search": {
      const [number, term, options] = args;
      // One preload of the words and their ends: Pagefind fetches the chunks together.
      if (term) await pagefind.preload(`${term} ${wordsEnds(term)}`);
      const found = await pagefind.search(term, options);
      searches.set(number, found.results);
      const scores = Float64Array.from(found.results, (result) => result.score);
      return [{ scores, filters: found.filters }, [scores.buffer]];
    }
    case "data": {
      const [number, index] = args;
      return [await searches.get(number)[index].data(), []];
    }
    case "release":
      searches.delete(args[0]);
      return [true, []];
    case "filters":
      return [await pagefind.filters(), []];
    default:
      throw new Error(`search-worker.js: no method ${method}`);
  }
}

// Pagefind matches the longer words a query's word starts (`DeepSeek-R1` finds `DeepSeek-R1-Distill-Qwen-7B`),
// but of the index's chunks it loads the one the word itself falls in only: the words that start with it and
// sort past that chunk's end were found only after another search had loaded their chunk (45 of 143 papers
// for `DeepSeek-R1`, at the real 10,049). Each word followed by U+10FFFF, which sorts after every word that
// starts with it (Pagefind compares UTF-8 bytes), loads the chunk where those words end too (those in between,
// when they fill more than two chunks, still wait: a word that short has thousands of papers).
const LAST = "\u{10FFFF}";

function wordsEnds(term) {
  return term.split(/\s+/).filter(Boolean).map((word) => word + LAST).join(" ");
}
