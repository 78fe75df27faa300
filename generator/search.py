"""Search stage: the Pagefind index of the papers, and the extra word forms it indexes for each.

Pagefind reads one small HTML document per paper (templates/search.html.j2), not the built site, so it
indexes while MkDocs builds. It already indexes a compound
word by its parts and as one word (`pre-training` -> pre, training, pretraining; `MiniGPT` -> mini, gpt,
minigpt), stems English (`LLMs` -> llm) and ranks by weighted term frequency. What it cannot know is that a
word written closed up is a compound (`pretraining`, `finetuning`), that `wav2vec 2.0` is also written
`wav2vec2`, or that `LLM` has the plural `LLMs` (the stemmer keeps the s of a word without a vowel, and a
query `llms` does not find `llm`); and it drops one-character parts (the 4 of `GPT-4`). `search_variants`
spells those out for a hidden element of the search document.
"""
from __future__ import annotations

import functools
import itertools
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import ToolError

BUNDLE_DIR = "pagefind"
# Pagefind 1.6 is published on npm only; setup.sh installs it from package-lock.json.
PAGEFIND = Path(__file__).resolve().parent.parent / "node_modules" / ".bin" / "pagefind"

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
# `LLM`, `GPT4`, `CNN`: an acronym, whose plural a reader may type.
ACRONYM = re.compile(r"[A-Z][A-Z0-9]*[A-Z]")
# `wav2vec 2.0`, `Llama 2`, `GPT 3.5`: a name with a digit or a capital, then a short version number. The
# look-ahead only makes it quick: it turns a word away at once unless a space and a digit follow it.
NAME_AND_VERSION = re.compile(r"\b(?=[^\W_]+ \d)([^\W_]*(?:[0-9]|[^\W\d_](?<=[A-Z]))[^\W_]*) (\d{1,2})(?:\.(\d{1,2}))?(?![\w.])")


@dataclass(frozen=True)
class SearchIndexStats:
    files: int
    bytes: int
    seconds: float

    def __str__(self) -> str:
        return f"search index: {self.files} files, {self.bytes / 1e6:.1f} MB in {self.seconds:.1f} s"


def index_search_documents(documents_dir: Path, bundle_dir: Path) -> SearchIndexStats:
    """Write the Pagefind bundle of the search documents (one per paper, at its page's address) into
    `bundle_dir`; raise ToolError if Pagefind is missing or fails."""
    started = time.perf_counter()
    if not PAGEFIND.is_file():
        raise ToolError(f"Pagefind is not installed ({PAGEFIND} is missing); run `bash setup.sh`, "
                        "which installs it from package-lock.json with npm")
    command = [str(PAGEFIND), "--site", str(documents_dir), "--output-path", str(bundle_dir), "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise ToolError(f"Pagefind failed to index {documents_dir} (exit {result.returncode}); run "
                        f"`bash setup.sh` to reinstall it if this persists:\n{result.stdout}{result.stderr}")
    files = [path for path in bundle_dir.rglob("*") if path.is_file()]
    return SearchIndexStats(files=len(files), bytes=sum(path.stat().st_size for path in files),
                            seconds=time.perf_counter() - started)


def search_variants(title: str, abstract: str) -> str:
    """Other spellings of the title's and abstract's words, lowercase, space-separated, each form once."""
    text = f"{title}\n{abstract}"
    forms = list(itertools.chain.from_iterable(map(word_forms, dict.fromkeys(WORD.findall(text)))))
    forms += [form for match in NAME_AND_VERSION.findall(text) for form in version_forms(*match)]
    return " ".join(dict.fromkeys(forms))


# Words repeat across a catalog's abstracts: a bounded cache makes each distinct word cost once.
@functools.lru_cache(maxsize=1 << 16)
def word_forms(word: str) -> tuple[str, ...]:
    """`GPT-4` -> ('gpt 4', 'gpts'), `pretraining` -> ('pre training',), `LLM-based` -> ('llms',)."""
    parts = HYPHENS.split(word)
    forms = [" ".join(parts).lower()] if len(parts) > 1 and any(len(part) == 1 for part in parts) else []
    for part in parts:
        forms += filter(None, [compound_form(part), plural_form(part)])
    return tuple(forms)


def version_forms(name: str, major: str, minor: str) -> list[str]:
    """`wav2vec 2.0` -> ['wav2vec2'], `GPT 3.5` -> ['gpt3', 'gpt35']."""
    forms = [f"{name}{major}"] + ([f"{name}{major}{minor}"] if minor and minor != "0" else [])
    return [form.lower() for form in forms]


def plural_form(word: str) -> str | None:
    """`LLM` -> 'llms'; None for a word that is not an acronym."""
    return f"{word.lower()}s" if ACRONYM.fullmatch(word) else None


def compound_form(word: str) -> str | None:
    """`pretraining` -> 'pre training', `Finetuned` -> 'fine tuned'; None for any other word."""
    match = CLOSED_COMPOUND.match(word.lower())
    return f"{match[1]} {match[2]}" if match else None
