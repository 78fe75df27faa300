/* papercat reader data: what papercat.js, search.js, watch.js and for-you.js share. They read the small files of
   <root>/watch/ that the render stage writes (generator/render/watch.py), a few at a time, never the whole
   catalog; each file is cached in sessionStorage for the rest of the visit. Reader state is in localStorage under "papercat:".
   Titles are text from the web: they reach the page only through textContent, never as HTML. */
(function () {
  "use strict";

  const PREFIX = "papercat:";
  const CACHE_PREFIX = PREFIX + "file:";
  // Material's instant navigation never re-runs this file: the site root is taken from its own address now.
  const OWN_SCRIPT = document.currentScript || document.querySelector('script[src*="assets/reader-data.js"]');
  const SITE_ROOT = new URL("../", OWN_SCRIPT ? OWN_SCRIPT.src : location.href).href;
  const loading = new Map();

  /** The path of an address on this site from its root ("papers/x/", "dumps/y/"), null for any other. */
  function sitePath(href) {
    const url = new URL(href, location.href);
    const address = url.origin + url.pathname;
    return address.startsWith(SITE_ROOT) ? address.slice(SITE_ROOT.length) : null;
  }

  /** The path of a paper's page from the site root: generator/render/layout.py's paper_url. */
  function paperPath(id) {
    return `papers/${encodeURIComponent(id)}/`;
  }

  /** The address of a paper's page on this site. */
  function paperUrl(id) {
    return new URL(paperPath(id), SITE_ROOT).href;
  }

  /** The id of the paper whose page is at `href`, or null if it is no paper page of this site. */
  function paperIdAt(href) {
    const match = /^papers\/([^/]+)\/$/.exec(sitePath(href) || "");
    return match ? decodeURIComponent(match[1]) : null;
  }

  function parseJson(text, fallback) {
    try {
      return JSON.parse(text);
    } catch (error) {
      return fallback;  // state edited by hand or cut short: start again rather than break every page
    }
  }

  function load(name, fallback) {
    const value = parseJson(localStorage.getItem(PREFIX + name), null);
    return value === null ? fallback : value;
  }

  /** A stored map (paper id -> ...), without a prototype: a paper whose id is `constructor` is not in it. */
  function loadMap(name) {
    const value = load(name, null);
    return Object.assign(Object.create(null), value && typeof value === "object" && !Array.isArray(value) ? value : {});
  }

  function save(name, value) {
    localStorage.setItem(PREFIX + name, JSON.stringify(value));
  }

  /** A file of the site as JSON, once per visit; null if it does not exist (a word no paper has). */
  function fetchJson(path) {
    if (loading.has(path)) return loading.get(path);
    const cached = sessionStorage.getItem(CACHE_PREFIX + path);
    const promise = cached !== null ? Promise.resolve(parseJson(cached, null)) : fetch(new URL(path, SITE_ROOT))
      .then((response) => (response.ok ? response.text() : "null"))
      .then((text) => {
        try {
          sessionStorage.setItem(CACHE_PREFIX + path, text);
        } catch (error) {
          // sessionStorage is full: the file is fetched again on the next page, which is only slower
        }
        return parseJson(text, null);
      });
    loading.set(path, promise);
    return promise;
  }

  /** Forgets the files kept for this visit: a tab kept open, or restored, across a rebuild holds the old ones. */
  function forgetFiles() {
    loading.clear();
    sentences.clear();
    for (const key of Object.keys(sessionStorage)) {
      if (key.startsWith(CACHE_PREFIX)) sessionStorage.removeItem(key);
    }
  }

  const meta = () => fetchJson("watch/meta.json");
  const dumps = () => fetchJson("watch/dumps.json"); // [slug, name] of each dump, in catalog order

  /** A binary file of the site, once per page (a phrase's files of neighbouring words); null if it does not
      exist (no paper has such a pair). */
  function fetchBytes(path) {
    if (!loading.has(path)) {
      loading.set(path, fetch(new URL(path, SITE_ROOT))
        .then((response) => (response.ok ? response.arrayBuffer() : null))
        .then((buffer) => buffer && new Uint8Array(buffer)));
    }
    return loading.get(path);
  }

  /** The first number, then the steps between numbers (watch.py's `differences`), as the numbers. */
  function fromDifferences(steps) {
    let number = 0;
    return (Array.isArray(steps) ? steps : []).map((step) => (number += step));
  }

  // ---- words, as generator/render/watch_words.py normalises them ------------------------------------------

  const WORD = /[\p{L}\p{N}]+(?:[-\u2010\u2011][\p{L}\p{N}]+)*/gu;
  const HYPHENS = /[-\u2010\u2011]/g;

  /** watch_words.py's `is_split_compound`, with the compound parts of meta.json: `pre` `training` ->
      pretraining. */
  function splitCompound(info) {
    if (!splitCompounds.has(info)) {
      const compound = new RegExp(`^(${info.compound_prefixes.join("|")})((?:${info.compound_stems.join("|")}).*)$`, "s");
      splitCompounds.set(info, (first, second) => {
        const match = compound.exec(first + second);
        return Boolean(match) && match[1] === first;
      });
    }
    return splitCompounds.get(info);
  }
  const splitCompounds = new WeakMap(); // meta.json -> its splitCompound: made once, not for every word

  /** The words of a text, lower case, in order: in Unicode form NFKC (`Café` however its accent is written)
      and found before they are lower-cased, as watch_words.py finds them (`İ` lower-cased is `i` and a
      combining dot, which would split `İstanbul` in two; the dot is then dropped: `istanbul` finds it). */
  function lowerWords(text) {
    return textWords(String(text).normalize("NFKC")).map((word) => word.toLowerCase().replaceAll("i\u0307", "i"));
  }

  /** The words of a text as written: letters and digits, joined by hyphens. */
  function textWords(text) {
    return String(text).match(WORD) || [];
  }

  /** A lower-case word as its singular: models -> model, llms -> llm, studies -> study. */
  function wordKey(word) {
    if (word.length > 4 && word.endsWith("ies")) return word.slice(0, -3) + "y";
    if (word.length > 3 && word.endsWith("s") && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
    return word;
  }

  // ---- a name and its version typed apart ----------------------------------------------------------------

  // `Qwen 2.5`, `Llama 3`: papers write them closed up (`Qwen2.5-VL`) as often as apart. A word in lower case
  // before a whole number (`with 1 sample`, `in 2 steps`) is no name, unless papers write it as a name before a
  // version (`qwen 3`, `sam 2`: meta.json's versioned names); before a version with a point (`qwen 2.5`, as
  // researchers type names too) it is one.
  const NAME_AND_VERSION = /(^|\s)(\p{L}[\p{L}\p{N}]*)\s+(\d{1,2})(?:\.(\d{1,2}))?(?=\s|$)/gu;
  const NAME_MARK = /[0-9A-Z]/;

  /** What versionsTyped needs of meta.json (null: none), made once for each: Watch asks for every item. */
  function versionWordLists(info) {
    if (!info) return { stopWords: new Set(), versionedNames: new Set() };
    if (!wordLists.has(info)) {
      wordLists.set(info, { stopWords: new Set(info.stop_words), versionedNames: new Set(info.versioned_names) });
    }
    return wordLists.get(info);
  }
  const wordLists = new WeakMap(); // meta.json -> its versionWordLists

  /** Each name and version typed apart in `typed`: {typed, name, major, minor}; `words`: versionWordLists. */
  function versionsTyped(typed, words) {
    return Array.from(typed.matchAll(NAME_AND_VERSION), ([match, , name, major, minor]) => ({
      typed: match.trim(), name, major, minor,
    })).filter(({ name, minor }) => isVersioned(name, minor, words));
  }

  /** `typed` with each name and version typed apart written as `close(name, major, minor)` gives it. */
  function versionsClosedUp(typed, words, close) {
    return typed.replace(NAME_AND_VERSION, (match, before, name, major, minor) => (
      isVersioned(name, minor, words) ? before + close(name, major, minor) : match));
  }

  function isVersioned(name, minor, words) {
    const lower = name.toLowerCase();
    return NAME_MARK.test(name) || words.versionedNames.has(lower)
      || (minor !== undefined && !words.stopWords.has(lower));
  }

  /** The ways a watched word or phrase is matched: as typed (a hyphenated word closed up: `kv-cache` finds
      `KVCache`); with its hyphens as spaces (`kv-cache` finds `KV cache`, which 128 real papers write and not
      `kv-cache`: it found 43 papers, `kv cache` 171), but where a hyphenated word starts or ends with a stop
      word, which spaced out would leave (`co-training` is not `training`, `on-policy` not `policy`); and where it
      types a name and its version apart (`qwen 2.5 vl`), with them closed up as papers write them (`qwen2.5
      vl` finds `Qwen2.5-VL`). */
  function watchedForms(text, info) {
    const lists = versionWordLists(info);
    const spacedOut = lowerWords(text).map((word) => word.split(HYPHENS))
      .every((parts) => parts.length < 2 || !(lists.stopWords.has(parts[0]) || lists.stopWords.has(parts.at(-1))));
    const closed = versionsClosedUp(text, lists,
                                    (name, major, minor) => name + major + (minor === undefined ? "" : `.${minor}`));
    return Array.from(new Set([text, spacedOut ? text.replace(HYPHENS, " ") : text, closed]));
  }

  /** The keys a watched word or phrase needs, every one of them (watch_words.py's `term_keys`). */
  function termKeys(term, info) {
    const isSplitCompound = splitCompound(info);
    const stopWords = new Set(info.stop_words);
    let words = lowerWords(term);
    words = words.filter((word) => !stopWords.has(word)).length ? words.filter((word) => !stopWords.has(word)) : words;
    return Array.from(new Set(closedUp(words, isSplitCompound, (word) => wordKey(word.replace(HYPHENS, "")))));
  }

  /** The key of each token in order, two that make a split compound as one (`pre` `training` -> pretraining);
      `single` gives a token's key on its own. */
  function closedUp(tokens, isSplitCompound, single) {
    const keys = [];
    for (let position = 0; position < tokens.length; position += 1) {
      if (position + 1 < tokens.length && isSplitCompound(tokens[position], tokens[position + 1])) {
        keys.push(wordKey(tokens[position] + tokens[position + 1]));
        position += 1;
      } else {
        keys.push(single(tokens[position]));
      }
    }
    return keys;
  }

  // ---- phrases: neighbouring words, in watch.py's Bloom filter of them ------------------------------------

  /** A phrase's keys in order, as watch_words.py's `phrase_forms` makes them: stop words left out, a hyphenated
      word as its parts (or, `joined`, as one word), a split compound closed up. */
  function phraseKeys(term, info, joined) {
    const isSplitCompound = splitCompound(info);
    const stopWords = new Set(info.stop_words);
    const words = lowerWords(term).filter((word) => !stopWords.has(word));
    const tokens = (joined ? words.map((word) => word.replace(HYPHENS, "")) : words.flatMap((word) => word.split(HYPHENS)))
      .filter((token) => !stopWords.has(token));
    return closedUp(tokens, isSplitCompound, wordKey);
  }

  const CRC_TABLE = Uint32Array.from({ length: 256 }, (unused, byte) => {
    let crc = byte;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? 0xEDB88320 ^ (crc >>> 1) : crc >>> 1;
    return crc;
  });
  const UTF8 = new TextEncoder();

  /** CRC-32 of the text's UTF-8 bytes, as Python's zlib.crc32. */
  function crc32(text) {
    let crc = 0xFFFFFFFF;
    for (const byte of UTF8.encode(text)) crc = CRC_TABLE[(crc ^ byte) & 0xFF] ^ (crc >>> 8);
    return (crc ^ 0xFFFFFFFF) >>> 0;
  }

  /** watch_words.py's `mix` and `finalised`: arithmetic modulo 2**32. */
  const mix = (first, second) => (Math.imul(first, 0x9E3779B1) + second) >>> 0;
  function finalised(value) {
    value ^= value >>> 16;
    value = Math.imul(value, 0x85EBCA6B);
    value ^= value >>> 13;
    value = Math.imul(value, 0xC2B2AE35);
    value ^= value >>> 16;
    return value >>> 0;
  }

  /** Whether the filter file `bits` may hold the pair hashed `pair` in paper `number` (watch_words.py's
      `pair_bits`): a Bloom filter says no for certain, yes for nearly certain. */
  function mayHold(bits, pair, number, hashes) {
    const size = bits.length * 8;
    const first = finalised(mix(pair, number));
    const step = (finalised((first ^ 0x5BD1E995) >>> 0) | 1) >>> 0;
    for (let index = 0; index < hashes; index += 1) {
      const bit = (first + index * step) % size;
      if (!(bits[bit >> 3] & (1 << (bit & 7)))) return false;
    }
    return true;
  }

  /** Of `numbers`, the papers where the phrase's words stand next to each other, in either of its forms. */
  async function withWordsTogether(text, numbers, info) {
    const forms = [phraseKeys(text, info, false), phraseKeys(text, info, true)];
    if (!info.pair_files || forms.some((keys) => keys.length < 2)) return numbers;
    const tests = await Promise.all(forms.map((keys) => Promise.all(keys.slice(1).map(async (key, index) => {
      const pair = finalised(mix(crc32(keys[index]), crc32(key)));
      const bits = await fetchBytes(`watch/pairs/${pair & (info.pair_files - 1)}.bin`);
      return (number) => bits !== null && mayHold(bits, pair, number, info.pair_hashes);
    }))));
    return new Set(Array.from(numbers).filter((number) => tests.some((form) => form.every((test) => test(number)))));
  }

  /** watch_words.py's `word_shard`: the first two characters, each outside a-z and 0-9 written "_". Characters
   * are code points, as in Python: padEnd would count a character outside the BMP (𝜋) as two. */
  function wordShard(key) {
    const start = Array.from(key).slice(0, 2);
    while (start.length < 2) start.push("_");
    return start.map((char) => (/[a-z0-9]/.test(char) ? char : "_")).join("");
  }

  /** The papers with every key of `text`, its words together; null where it has no key (no word). */
  async function papersWithWords(text, info) {
    let matched = null;
    for (const key of termKeys(text, info)) {
      const numbers = await papersWithKey(key);
      matched = matched ? intersect(matched, numbers) : numbers;
    }
    return matched && matched.size ? withWordsTogether(text, matched, info) : matched;
  }

  async function papersWithKey(key) {
    const shard = await keysLike(key);
    return new Set(Object.prototype.hasOwnProperty.call(shard, key) ? fromDifferences(shard[key]) : []);
  }

  /** The file of the word index that would hold `key` (its first two characters): each key it holds, with the
      papers that have it. An empty object when no paper has a word starting so: meta.json lists the files there
      are, so none is asked for in vain. */
  async function keysLike(key) {
    const name = wordShard(key);
    const info = await meta();
    if (info && Array.isArray(info.word_shards) && !info.word_shards.includes(name)) return {};
    const shard = await fetchJson(`watch/words/${name}.json`);
    return shard && typeof shard === "object" && !Array.isArray(shard) ? shard : {};
  }

  async function papersInTopic(name, info) {
    if (!Object.prototype.hasOwnProperty.call(info.topics, name)) return new Set();
    return new Set(fromDifferences(await fetchJson(`watch/topics/${encodeURIComponent(name)}.json`)));
  }

  function intersect(first, second) {
    return new Set(Array.from(first).filter((number) => second.has(number)));
  }

  /** The numbers of the papers a watch entry {text, topics} matches: those of any of its watchedForms. */
  async function papersMatching(entry, info) {
    const topics = Array.isArray(entry.topics) ? entry.topics : [];
    let matched = null;
    for (const text of watchedForms(entry.text || "", info)) {
      const found = await papersWithWords(text, info);
      if (found) matched = new Set([...(matched ?? []), ...found]);
    }
    if (topics.length) {
      const inTopics = new Set();
      for (const name of topics) for (const number of await papersInTopic(name, info)) inTopics.add(number);
      matched = matched ? intersect(matched, inTopics) : inTopics;
    }
    return matched || new Set();
  }

  /** [address, title, topic names, related numbers, number of the dump that first listed it] of paper
      `number` (generator/render/watch.py, paper_chunk_files), or null. */
  async function paperInfo(number, info) {
    const chunk = await fetchJson(`watch/papers/${Math.floor(number / info.chunk)}.json`);
    const entry = Array.isArray(chunk) ? chunk[number % info.chunk] : null;
    return Array.isArray(entry) && typeof entry[0] === "string" ? entry : null;
  }

  async function paperNumber(address) {
    const shard = await fetchJson(`watch/ids/${encodeURIComponent(String(address).slice(0, 2))}.json`);
    return shard && Object.prototype.hasOwnProperty.call(shard, address) ? shard[address] : null;
  }

  // A visit (of the site: papercat.js; of the Watch page: watch.js) is the pages viewed with no pause this long,
  // in any tab.
  const VISIT_GAP_MS = 3 * 60 * 60 * 1000;

  /** Whether the stored `visit` ({seen: its last moment, ...}) is still going on at `now`. */
  function visitGoesOn(visit, now = new Date()) {
    return now - new Date(visit.seen) < VISIT_GAP_MS;
  }

  /** "1 paper", "1,622 papers": a count as the generated pages write it (their `thousands` filter). */
  function plural(count, word) {
    return `${count.toLocaleString("en-US")} ${word}${count === 1 ? "" : "s"}`;
  }

  /** A button that undoes what a status line just said was done, once. */
  function undoButton(undo) {
    const button = element("button", "md-button", "Undo");
    button.type = "button";
    button.addEventListener("click", undo, { once: true });
    return button;
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** A listing item for paper `number` ([address, title, ...]): the title links to its page; its key sentence
      follows once the item is in view (showKeySentence, `chooseSentence` its `choose`). */
  function paperItem(number, entry, chooseSentence = null) {
    const item = element("li", "pc-item");
    item.dataset.pcPaper = entry[0];
    item.dataset.pcListed = String(number);
    item.dataset.pcTopics = (Array.isArray(entry[2]) ? entry[2] : []).join(" ");
    const link = element("a", "pc-title", String(entry[1]));
    link.dir = "auto";
    link.href = paperUrl(entry[0]);
    item.append(link);
    showKeySentence(item, link.href, chooseSentence);
    return item;
  }

  // ---- where watched words matched ---------------------------------------------------------------------
  // A match said which entry it was for, not where (a reader's review): an item shows, instead of its key
  // sentence, the abstract's first sentence that holds every word of an entry that matched it, those words
  // marked; the key sentence where the title holds them (it shows above) or no one sentence does.

  /** The keys of a text's words, as a watched entry's: each word's (termKeys) and each part's of a
      hyphenated one (phraseKeys). */
  function keysOf(text, info) {
    return new Set([...termKeys(text, info), ...phraseKeys(text, info, false)]);
  }

  // One for every item: an abstract's sentences.
  const SENTENCES = "Segmenter" in Intl ? new Intl.Segmenter("en", { granularity: "sentence" }) : null;

  /** A `choose` for paperItem: the node of the sentence where one of `entries` matched, or null. */
  function whereMatched(entries, title, info) {
    const wanted = entries.filter((entry) => entry.text).flatMap((entry) => watchedForms(entry.text, info))
      .map((text) => ({ needed: termKeys(text, info), phrases: phraseLines(text, info) }))
      .filter(({ needed }) => needed.length);
    if (!wanted.length || !SENTENCES) return null;
    const holding = (keys) => wanted.filter(({ needed }) => needed.every((key) => keys.has(key)));
    return (paper) => {
      if (holding(keysOf(title, info)).length) return null;
      // The first sentence with the words together, as the paper matched; else the first with them apart: a
      // phrase was shown apart (`vision-language-action models`) where a later sentence said it.
      let apart = null;
      for (const { segment } of SENTENCES.segment(paper.abstract)) {
        const held = holding(keysOf(segment, info));
        if (!held.length) continue;
        const said = phraseLines(segment, info);
        const together = held.find(({ phrases }) => phrases.some((phrase) => said.some((line) => line.includes(phrase))));
        if (together) return markedSentence(segment.trim(), new Set(together.needed), info);
        apart ??= [segment, held[0].needed];
      }
      return apart && markedSentence(apart[0].trim(), new Set(apart[1]), info);
    };
  }

  /** A text's phrase keys (phraseKeys), hyphenated words as parts and joined, each set as a line with a
      space on both ends: a phrase's line within a sentence's is said together there. */
  function phraseLines(text, info) {
    return [false, true].map((joined) => ` ${phraseKeys(text, info, joined).join(" ")} `);
  }

  // A sentence longer than this (two run together: `geometry.We`) shows the stretch from a little before its
  // first marked word.
  const WHERE_CHARS = 300;
  const BEFORE_MARK = 100;

  function markedSentence(sentence, needed, info) {
    const marks = markedWords(sentence, needed, info);
    const [from, to] = sentence.length > WHERE_CHARS ? stretch(sentence, marks[0] ?? [0, 0]) : [0, sentence.length];
    const line = element("p", "pc-key-sentence pc-where", from ? "\u2026" : "");
    let shownTo = from;
    for (const [start, end] of marks) {
      if (start < from || end > to) continue;
      line.append(sentence.slice(shownTo, start), element("mark", "", sentence.slice(start, end)));
      shownTo = end;
    }
    line.append(sentence.slice(shownTo, to), to < sentence.length ? "\u2026" : "");
    return line;
  }

  /** [start, end] of each word of `sentence` with a `needed` key, and of each two words written apart that
      close up into one (`pre training` for pretraining). */
  function markedWords(sentence, needed, info) {
    const words = Array.from(sentence.matchAll(WORD));
    const isSplitCompound = splitCompound(info);
    const lower = (match) => lowerWords(match[0])[0] ?? "";
    const marks = [];
    for (let index = 0; index < words.length; index += 1) {
      const [word, next] = [words[index], words[index + 1]];
      if (next && /^\s+$/.test(sentence.slice(word.index + word[0].length, next.index))
          && isSplitCompound(lower(word), lower(next)) && needed.has(wordKey(lower(word) + lower(next)))) {
        marks.push([word.index, word.index + word[0].length], [next.index, next.index + next[0].length]);
        index += 1;
      } else if (Array.from(keysOf(word[0], info)).some((key) => needed.has(key))) {
        const last = marks.at(-1);
        // A name and its version closed up are two words (`Qwen2`, `5-VL`) and one mark; not two sentences run
        // together (`model.Data`).
        if (last && last[1] === word.index - 1 && /\d\.\d/.test(sentence.slice(last[1] - 1, word.index + 1))) {
          last[1] = word.index + word[0].length;
        } else {
          marks.push([word.index, word.index + word[0].length]);
        }
      }
    }
    return marks;
  }

  /** [from, to] of a long sentence to show: from a little before its first marked word (`first`, [start, end]),
      at a space where there is one before it, to WHERE_CHARS on, at a space past the word where there is one;
      never between the halves of a character outside the BMP. */
  function stretch(sentence, [start, end]) {
    let from = Math.max(0, start - BEFORE_MARK);
    const space = sentence.indexOf(" ", from);
    if (from && space !== -1 && space < start) from = space + 1;
    let to = Math.min(sentence.length, Math.max(from + WHERE_CHARS, end));
    const lastSpace = sentence.lastIndexOf(" ", to);
    if (to < sentence.length && lastSpace >= end) to = lastSpace;
    const lowSurrogate = (at) => /[\udc00-\udfff]/.test(sentence[at] ?? "");
    if (lowSurrogate(from)) from -= 1;
    if (lowSurrogate(to)) to -= 1;
    return [from, to];
  }

  // ---- key sentences of the papers of lists drawn here ---------------------------------------------------
  // Listings show each paper's key sentence; the lists drawn in the browser (Watch, For you, Starred, the
  // catch-up list) have none in their data, where it would take the site past 20 KB a paper (a reader's review:
  // titles alone, there, were not enough to choose what to read). An item in view reads it from its paper's
  // page, whose description it is (about 3 KB compressed, and the page the reader may open next), a few pages
  // at a time.

  const SENTENCE_FETCHES = 4;
  const sentences = new Map(); // page address -> {sentence, abstract} of its paper (a promise), while the tab keeps this script
  const sentenceQueue = [];
  const sentenceChoosers = new WeakMap(); // item -> what it shows instead of the key sentence, where it can
  let sentenceFetches = 0;
  let sentenceObserver = null;

  /** Shows the key sentence of the paper whose page is at `pageUrl` under `item`'s details once it is in view;
      or, with `choose`, the node that choose({sentence, abstract}) makes of the page's paper, where it makes one. */
  function showKeySentence(item, pageUrl, choose = null) {
    if (!("IntersectionObserver" in window)) return;
    if (choose) sentenceChoosers.set(item, choose);
    sentenceObserver ??= new IntersectionObserver((seen) => {
      for (const { target, isIntersecting } of seen) {
        if (!isIntersecting) continue;
        sentenceObserver.unobserve(target);
        sentenceQueue.push(target);
      }
      fetchSentences();
    }, { rootMargin: "200px 0px" });
    item.dataset.pcSentenceFrom = pageUrl;
    sentenceObserver.observe(item);
  }

  function fetchSentences() {
    while (sentenceFetches < SENTENCE_FETCHES && sentenceQueue.length) {
      const item = sentenceQueue.shift();
      if (!item.isConnected) continue; // of a page left, or a list drawn again
      sentenceFetches += 1;
      addKeySentence(item).finally(() => {
        sentenceFetches -= 1;
        fetchSentences();
      });
    }
  }

  async function addKeySentence(item) {
    const address = item.dataset.pcSentenceFrom;
    if (!sentences.has(address)) sentences.set(address, paperTextAt(address));
    const paper = await sentences.get(address);
    if (!paper) sentences.delete(address); // tried again by the next list that shows it
    if (!paper || item.querySelector(".pc-key-sentence")) return;
    const line = sentenceChoosers.get(item)?.(paper) ?? element("p", "pc-key-sentence", paper.sentence);
    line.dir = "auto";
    const details = item.querySelector(".pc-item-meta");
    if (details) details.after(line);
    else item.append(line);
  }

  /** {sentence, abstract} of the paper whose page is at `address`: the page's description, its key sentence,
      and the abstract's text; null if it cannot be read (offline, the page gone) or is no paper's page (a
      starred address may lead elsewhere since a rebuild). */
  async function paperTextAt(address) {
    try {
      const response = await fetch(address);
      if (!response.ok) return null;
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const sentence = page.querySelector('meta[name="description"]')?.getAttribute("content");
      const abstract = page.querySelector("article.pc-paper .pc-abstract")?.textContent;
      return sentence && abstract !== undefined ? { sentence, abstract } : null;
    } catch (error) {
      return null;
    }
  }

  /** Saves `text` as a file the reader downloads. */
  function download(fileName, text, type) {
    const link = element("a"); // never attached, so Material's instant navigation never sees the click
    link.href = URL.createObjectURL(new Blob([text], { type }));
    link.download = fileName;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }

  /** An "Import JSON" button of class `name`: a label around a hidden file input marked `data-<name>`, so the
      button a reader sees opens the file chooser; the page listens for the input's change. */
  function importButton(name) {
    const label = element("label", `md-button ${name}`, "Import JSON");
    const input = element("input");
    input.type = "file";
    input.accept = "application/json,.json";
    input.hidden = true;
    input.setAttribute(`data-${name}`, "");
    label.append(input);
    return label;
  }

  /** "Seen in" the dump that first listed the paper of `entry`, linked to that dump's page, as listings say
      it; null where `dumpList` (dumps()) does not have it. */
  function seenIn(entry, dumpList) {
    const dump = Array.isArray(dumpList) ? dumpList[entry[4]] : null;
    if (!Array.isArray(dump)) return null;
    const seen = element("span", "pc-seen", "Seen in ");
    const link = element("a", "", String(dump[1]));
    link.href = new URL(`dumps/${encodeURIComponent(dump[0])}/`, SITE_ROOT).href;
    seen.append(link);
    return seen;
  }

  /** A drawn listing item's topic chips and "Seen in" (seenIn), as every listing shows them. */
  function itemDetails(entry, info, dumpList) {
    const seen = seenIn(entry, dumpList);
    return seen ? [topicChips(entry, info), seen] : [topicChips(entry, info)];
  }

  /** [number, entry] of each paper first listed in the dump numbered `firstDump` or a later one, newest first:
      papers are numbered in the order they were first listed, so these are the last ones. */
  async function* papersSince(firstDump, info) {
    for (let number = info.papers - 1; number >= 0; number -= 1) {
      const entry = await paperInfo(number, info);
      if (!entry || !(entry[4] >= firstDump)) return;
      yield [number, entry];
    }
  }

  /** [number, entry] of each paper first listed in a dump of `slugs` (dumpList: dumps()), newest first, and
      whether dumpList has every one of those dumps (a tab kept across a rebuild may hold an older one). */
  async function papersFirstListedIn(slugs, info, dumpList) {
    const wanted = new Set(slugs);
    const indices = new Set(dumpList.flatMap((dump, index) => (wanted.has(String(dump[0])) ? [index] : [])));
    const papers = [];
    if (!indices.size) return { papers, complete: !wanted.size };
    for await (const paper of papersSince(Math.min(...indices), info)) {
      if (indices.has(paper[1][4])) papers.push(paper);
    }
    return { papers, complete: indices.size === wanted.size };
  }

  /** Tells papercat.js that listing items were drawn: it gives them their Star and Mark read buttons. */
  function itemsDrawn() {
    document.dispatchEvent(new CustomEvent("papercat:items"));
  }

  /** Tells papercat.js that search results were drawn (with their own buttons): it marks those starred or read. */
  function resultsDrawn() {
    document.dispatchEvent(new CustomEvent("papercat:results"));
  }

  /** The paper's topics as every listing shows them: chips, each a link to its topic's page. */
  function topicChips(entry, info) {
    const chips = element("span", "pc-chips");
    for (const name of Array.isArray(entry[2]) ? entry[2] : []) {
      if (!Object.prototype.hasOwnProperty.call(info.topics, name)) continue;
      const link = element("a", "", info.topics[name]);
      link.href = new URL(`topics/${encodeURIComponent(name)}/`, SITE_ROOT).href;
      chips.append(link);
    }
    return chips;
  }

  // Dates as pages write them (Aug 21, 2026), in the reader's own language.
  const DATE_STYLE = { year: "numeric", month: "short", day: "numeric" };

  /** A short local date, or null for a missing or broken timestamp. */
  function dateLabel(iso) {
    const date = new Date(iso);
    return isNaN(date) ? null : date.toLocaleDateString(undefined, DATE_STYLE);
  }

  /** Runs `setUp` for the first page and after every instant navigation. */
  function onEveryPage(setUp) {
    if (typeof window.document$ !== "undefined") {
      window.document$.subscribe(setUp);
    } else if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", setUp);
    } else {
      setUp();
    }
  }

  /** Of the index's keys that start as `key` does, the nearest by edit distance (at most 1 for a word of up to
      5 characters, else 2), and of those the one the most papers have; null if none is that near. */
  function nearestKey(key, known) {
    const limit = key.length > 5 ? 2 : 1;
    let best = null;
    let bestDistance = limit + 1;
    let bestPapers = 0;
    for (const [candidate, papers] of Object.entries(known)) {
      if (Math.abs(candidate.length - key.length) > limit) continue;
      const distance = editDistance(key, candidate);
      const count = Array.isArray(papers) ? papers.length : 0;
      if (distance < bestDistance || (distance === bestDistance && count > bestPapers)) {
        [best, bestDistance, bestPapers] = [candidate, distance, count];
      }
    }
    return best;
  }

  /** Insertions, deletions, substitutions and swaps of two neighbours that turn one word into the other. */
  function editDistance(first, second) {
    const a = [...first];
    const b = [...second];
    let before = null;
    let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
    for (let i = 1; i <= a.length; i += 1) {
      const row = [i];
      for (let j = 1; j <= b.length; j += 1) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
        if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          row[j] = Math.min(row[j], before[j - 2] + 1);
        }
      }
      [before, previous] = [previous, row];
    }
    return previous[b.length];
  }

  window.papercatReader = {
    SITE_ROOT, sitePath, paperPath, paperUrl, paperIdAt, load, loadMap, save, meta, WORD, textWords, lowerWords, wordKey, splitCompound, termKeys, phraseKeys,
    versionWordLists, versionsTyped, versionsClosedUp, watchedForms, whereMatched,
    wordShard, keysLike, nearestKey, papersWithKey, withWordsTogether, papersMatching, paperInfo, paperNumber, element, paperItem, itemDetails, papersSince, papersFirstListedIn, dumps,
    onEveryPage, parseJson, dateLabel, download, undoButton, importButton, itemsDrawn, resultsDrawn, forgetFiles, plural, showKeySentence, visitGoesOn, seenIn,
  };
})();
