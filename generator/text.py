"""The text rules every stage shares: which characters are dashes, quotes or invisible, the form two titles
of one paper share, whole-word matching, and the other spellings readers use for a text's words.

The catalog (merging, addresses), enrich (topics, related papers) and render (search documents, the Watch
index) read text through this module, so each rule is written once. The title rules also
decide addresses (a paper's id is hashed from its normalised first record), so changing them changes
published addresses.

Word variants: Pagefind indexes a compound word by its parts and as one word (`pre-training` -> pre,
training, pretraining; `MiniGPT` -> mini, gpt, minigpt), stems English (`LLMs` -> llm) and ranks by weighted
term frequency. What it cannot know is that a word written closed up is a compound (`pretraining`,
`finetuning`), that `wav2vec 2.0` is also written `wav2vec2`, or that `LLM` has the plural `LLMs` (the
stemmer keeps the s of a word without a vowel, and a query `llms` does not find `llm`); and it drops
one-character parts (the 4 of `GPT-4`) and a part it splits again (`OneVision` of `LLaVA-OneVision` is
indexed as one, vision). `search_variants` spells those out for a hidden element of the search document; the
Watch index (render/watch_words.py) splits words with the same rules.
"""
from __future__ import annotations

import functools
import itertools
import re
import unicodedata

# A full stop that ends an abbreviation, not a sentence: "(e.g. Diffusion ...)", "Dr. Smith", "E.T.", "vs.".
ABBREVIATION_END = re.compile(r"(?:\b(?:e\.g|i\.e|vs|v\.s|cf|al|approx|resp|Sec|Secs|Fig|Figs|Eq|Eqs|Tab|Ref|Refs|"
                              r"No|Dr|Mr|Ms|Prof)|(?<![\w.])[A-Z](?:\.[A-Z])+)\.$")

# Real abstracts are under 5,000 characters. What topics, related papers, the Watch index and search's
# spelling variants read of a text is cut here, so a hostile 1 MB "abstract" costs no more than a few long
# ones; the cut is deterministic, so the same input always gives the same result.
MAX_READ_CHARS = 20_000

# ---------------------------------------------------------------------------------------------------------
# Characters

# Dash look-alikes that web text uses in "vision–language" or "pre‑training"; NFKC leaves most of them.
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
DASH_TABLE = str.maketrans(dict.fromkeys(DASHES, "-"))
# Topic keywords also read the hyphen bullet and the soft hyphen as a hyphen. Titles drop the soft hyphen
# as invisible instead, and their table cannot grow without changing published addresses.
KEYWORD_DASH_TABLE = str.maketrans(dict.fromkeys(DASHES + "\u2043\u00ad", "-"))
QUOTE_TABLE = str.maketrans(dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\uff07`´", "'") | dict.fromkeys(
    "\u201c\u201d\u201e\u201f\u2033\uff02«»", '"'))
# Explicit embeddings and overrides (and U+202C, which ends them), then isolates (and U+2069, which ends them).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Those that can change the order in which a title's letters or words show (right-to-left embedding, override
# and isolate, and the left-to-right override of right-to-left text): a title holding one reads otherwise.
REORDERING_CONTROLS = frozenset("\u202b\u202d\u202e\u2067")
ISOLATE_STARTS = frozenset("\u2066\u2067\u2068")
ISOLATE_END = "\u2069"
# Characters that show nothing and take no room, besides the format characters Unicode names (category Cf):
# fillers it does not call format characters, and marks it calls default-ignorable (the combining grapheme
# joiner, Khmer inherent vowels, Mongolian and other variation selectors: U+FE0F makes an emoji of the
# character before it). Format characters that do show something: Arabic number signs, the end-of-ayah mark.
FILLERS = frozenset("\u115f\u1160\u2800\u3164\uffa0")
INVISIBLE_MARKS = frozenset([*"\u034f\u17b4\u17b5", *map(chr, range(0x180B, 0x180E)), "\u180f",
                             *map(chr, range(0xFE00, 0xFE10)), *map(chr, range(0xE0100, 0xE01F0))])
VISIBLE_FORMAT = frozenset("\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u08e2\U000110bd\U000110cd")


def invisible(char: str) -> bool:
    """A character that shows nothing and takes no room: soft hyphen, zero-width and bidirectional marks,
    overrides and isolates, joiners, variation selectors, tags, fillers."""
    return (char in FILLERS or char in INVISIBLE_MARKS
            or (unicodedata.category(char) == "Cf" and char not in VISIBLE_FORMAT))


def visible_text(text: str) -> str:
    """`text` without what shows nothing (invisible)."""
    return text if text.isascii() else "".join(char for char in text if not invisible(char))


def nfkc_with_hyphens(text: str, dash_table: dict[int, str] = DASH_TABLE) -> str:
    """`text` in Unicode form NFKC with every dash of `dash_table` a '-'. ASCII text comes back as it is
    (neither changes it), which spares the normalisation for nearly every abstract."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFKC", text).translate(dash_table)


def normalized_text(text: str) -> str:
    """The form two wordings of one title, or of one abstract, share: what shows nothing left out (first: it
    would keep an accent from joining its letter), case, Unicode form, whitespace, dashes and quotes folded.
    Paper ids are hashed from it: a change here moves published addresses."""
    text = nfkc_with_hyphens(visible_text(text)).translate(QUOTE_TABLE).casefold()
    return " ".join(text.split())


# ---------------------------------------------------------------------------------------------------------
# Whole words


def contains_phrase(text: str, phrase: str) -> bool:
    """Is `phrase` in `text` as whole words (no letter or digit right before or after it)?"""
    start = text.find(phrase)
    while start >= 0:
        end = start + len(phrase)
        if (start == 0 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum()):
            return True
        start = text.find(phrase, start + 1)
    return False


# ---------------------------------------------------------------------------------------------------------
# Word variants

# Closed-up compounds readers also write with a hyphen or a space. The second part must start with one of
# the stems, so `prevent` or `present` never become `pre vent`.
COMPOUND_PREFIXES = ("pre", "post", "fine", "multi", "self", "semi", "non", "cross", "co", "re", "over", "under")
COMPOUND_STEMS = (
    "train", "tun", "process", "defin", "comput", "condition", "modal", "lingual", "supervis", "attent",
    "linear", "task", "agent", "domain", "label", "rank", "distill", "align", "instruct", "scal", "fit",
    "parameter", "sampl", "learn", "evaluat", "weight", "generat", "caption", "embed",
)
# One regex instead of a loop over prefixes: this runs for every distinct word of every abstract.
CLOSED_COMPOUND = re.compile(f"({'|'.join(COMPOUND_PREFIXES)})((?:{'|'.join(COMPOUND_STEMS)}).*)", re.DOTALL)
HYPHENS = re.compile(r"[-\u2010\u2011]")
WORD = re.compile(r"[^\W_]+(?:[-\u2010\u2011][^\W_]+)*")
# WORD on ASCII text, where a letter or digit is one of these: a third faster on an abstract.
ASCII_WORD = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
# `LLM`, `GPT4`, `CNN`: an acronym, whose plural a reader may type.
ACRONYM = re.compile(r"[A-Z][A-Z0-9]*[A-Z]")
# `wav2vec 2.0`, `Llama 2`, `GPT 3.5`: a name with a digit or a capital, then a short version number. The regex
# finds the version; `names_and_versions` finds the name before it (a literal space first is what makes the
# search quick: it skips the text between spaces).
VERSION = re.compile(r" (\d{1,2})(?:\.(\d{1,2}))?(?!\w|\.\d)")
NAME_MARK = re.compile(r"[0-9A-Z]")
# A hyphenated word's tail from one of these on is no name a reader types (`of-the-art`, `to-image`).
TAIL_STARTS_SKIPPED = frozenset({"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the",
                                 "to", "with"})
# No name a reader types has more hyphenated parts: the forms made of a longer word's parts (search's tails, the
# Watch index's first parts joined) come from this many of them only, as all of them would grow with the square
# of its parts (a hostile `a-a-a-…` of 50,000 parts took 8 GB).
NAME_MAX_PARTS = 8
# A tail ending in a number or a size is left out: Pagefind matches a query against the start of a word, and
# `Qwen-32B` closed up as qwen32b answered `Qwen3` with papers on DeepSeek-R1-Distill-Qwen-32B.
NUMBER_PART = re.compile(r"[0-9][0-9.]*[A-Za-z]?")


def search_variants(title: str, abstract: str) -> str:
    """Other spellings of the title's and abstract's words, lowercase, space-separated, each form once."""
    text = f"{title}\n{abstract}"
    forms = list(itertools.chain.from_iterable(map(word_forms, dict.fromkeys(words(text)))))
    forms += [form for match in names_and_versions(text) for form in version_forms(*match)]
    return " ".join(dict.fromkeys(forms))


def words(text: str) -> list[str]:
    """The words of `text` as WORD finds them: letters and digits, joined by hyphens."""
    return (ASCII_WORD if text.isascii() else WORD).findall(text)


# Words repeat across a catalog's abstracts: a bounded cache makes each distinct word cost once.
@functools.lru_cache(maxsize=1 << 16)
def word_forms(word: str) -> tuple[str, ...]:
    """`GPT-4` -> ('gpt 4', 'gpts'), `pretraining` -> ('pre training',), `LLM-based` -> ('llms',),
    `LLaVA-OneVision` -> ('llava', 'onevision'), `DeepSeek-R1-Zero` -> ('deepseek', 'r1', 'r1zero')."""
    parts = HYPHENS.split(word)
    forms = [" ".join(parts).lower()] if len(parts) > 1 and any(len(part) == 1 for part in parts) else []
    if len(parts) > 1:
        forms += [part.lower() for part in parts if split_again(part)]
        forms += closed_up_tails(parts)
    for part in parts:
        forms += filter(None, [compound_form(part), plural_form(part)])
    return tuple(forms)


def closed_up_tails(parts: list[str]) -> list[str]:
    """The closed-up tails of a word of three or more hyphenated parts: Pagefind indexes the whole word closed up
    and each part, so a query of its tail (`R1-Zero`, searched as r1zero) finds `DeepSeek-R1-Zero` only through
    these. `Vision-Language-Action` -> ['languageaction']; `state-of-the-art` -> []; `Qwen-2-72B` -> []."""
    if NUMBER_PART.fullmatch(parts[-1]):
        return []
    return ["".join(parts[start:]).lower() for start in range(max(1, len(parts) - NAME_MAX_PARTS), len(parts) - 1)
            if parts[start].lower() not in TAIL_STARTS_SKIPPED]


def names_and_versions(text: str) -> list[tuple[str, str, str]]:
    """(name, major, minor) of each `wav2vec 2.0`: a whole word (letters and digits, not after `_` or another
    letter or digit) holding a digit or a capital A-Z, one space, a one- or two-digit number and maybe a
    minor one, not followed by a letter, digit, `_` or a `.` and a digit (a full stop may end the sentence);
    `minor` is "" when absent. Left to right, no two overlap: in `GPT 4 5` the 4 is taken."""
    found, taken_to = [], 0
    for version in VERSION.finditer(text):
        space = start = version.start()
        while start > 0 and text[start - 1].isalnum():
            start -= 1
        if start == space or start < taken_to or (start > 0 and text[start - 1] == "_"):
            continue
        name = text[start:space]
        if NAME_MARK.search(name):
            found.append((name, version[1], version[2] or ""))
            taken_to = version.end()
    return found


def version_forms(name: str, major: str, minor: str) -> list[str]:
    """`wav2vec 2.0` -> ['wav2vec2'], `GPT 3.5` -> ['gpt3', 'gpt35']."""
    forms = [f"{name}{major}"] + ([f"{name}{major}{minor}"] if minor and minor != "0" else [])
    return [form.lower() for form in forms]


def split_again(part: str) -> bool:
    """Whether Pagefind splits a hyphenated word's part at its changes of case or from letters to digits, and
    leaves the part whole out of its index: `OneVision`, `MoE`, `LoRA`, `R1`, `o1`, `4o`. A part is letters
    and digits (`words`)."""
    if part.lower() == part.upper():  # digits, or a script without case: nothing to split at
        return False
    if part.isalpha():
        return not (part.islower() or part.isupper() or part.istitle())
    return len(part) > 1


def plural_form(word: str) -> str | None:
    """`LLM` -> 'llms'; None for a word that is not an acronym."""
    return f"{word.lower()}s" if ACRONYM.fullmatch(word) else None


def compound_form(word: str) -> str | None:
    """`pretraining` -> 'pre training', `Finetuned` -> 'fine tuned'; None for any other word."""
    match = CLOSED_COMPOUND.match(word.lower())
    return f"{match[1]} {match[2]}" if match else None
