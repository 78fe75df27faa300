"""How quickly the Watch page fills, and what it downloads, on a real catalog in headless Chromium.

    .venv/bin/python benchmarks/watch.py --corpus ../shared/real_corpus [--work DIR] [--reuse] [--runs 3]

Builds the dumps of --corpus with `papercat build` (or reuses the site in --work), prints the size of the
watch/ folder the render stage writes and, for a dozen watched phrases, how many papers the filter of
neighbouring words leaves (against the papers that say each phrase), then serves the site with http.server
and, in headless Chromium (/usr/bin/chromium, a fresh browser context per run so nothing is cached), with
five watched words stored before the page loads, measures
  - Watch page: from navigation start to the list of watched papers filled (#pc-watch[data-pc-ready]),
  - bytes of watch data (everything under /watch/ but the page itself) and of the whole page load,
  - a dump page (a listing): from navigation start to its watched papers marked,
each the median of --runs runs. Timings are printed, never asserted (tests/test_reader.py checks results).
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import chromium, serve  # noqa: E402

WORDS = ("diffusion", "reinforcement learning", "pre-training", "agents", "speech")
PHRASES = ("world model", "diffusion policy", "reward model", "state space model", "code generation",
           "process reward model", "video generation", "mixture of experts", "knowledge distillation",
           "long context", "chain of thought", "test-time scaling")
# Stores the watch list before any script of the page runs, and notes when the page is filled.
SETUP_SCRIPT = """
localStorage.setItem("papercat:watch", JSON.stringify({terms: %s}));
window.__pcReadyAt = null;
new MutationObserver(() => {
  if (window.__pcReadyAt === null && (document.querySelector("#pc-watch[data-pc-ready]")
      || document.querySelector(".pc-listing .pc-watch-badge"))) window.__pcReadyAt = performance.now();
}).observe(document, { childList: true, subtree: true, attributes: true });
"""


@dataclass(frozen=True)
class Load:
    milliseconds: float
    watch_bytes: int
    total_bytes: int
    watched: int


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="a folder of dumps, e.g. ../shared/real_corpus")
    parser.add_argument("--work", type=Path, default=Path("/tmp/papercat-watch-bench"), help="scratch folder")
    parser.add_argument("--reuse", action="store_true", help="reuse the site already built in --work")
    parser.add_argument("--runs", type=int, default=3, help="page loads per measure (the median is shown)")
    return parser.parse_args()


def build(corpus: Path, work: Path) -> None:
    work.mkdir(parents=True, exist_ok=True)
    # The corpus folder is read-only: the build stages its files beside the site in --work.
    command = [str(ROOT / ".venv" / "bin" / "papercat"), "build", "--dumps", str(corpus.resolve()),
               "--site", str(work / "site")]
    subprocess.run(command, check=True, cwd=work)


def folder_figures(site: Path) -> str:
    files = [path for path in (site / "watch").rglob("*") if path.is_file() and path.name != "index.html"]
    words = [path for path in files if path.parent.name == "words"]
    pairs = [path for path in files if path.parent.name == "pairs"]
    largest = max(words, key=lambda path: path.stat().st_size)
    return (f"watch/: {len(files)} files, {size_mb(files):.1f} MB; word files: {len(words)}, largest "
            f"{largest.name} {largest.stat().st_size / 1e3:.0f} KB; filter of neighbouring words: {len(pairs)} "
            f"files, {size_mb(pairs):.1f} MB")


def phrase_figures(site: Path, catalog: dict) -> str:
    """For each of PHRASES: the papers with its words, those that say it (exactly, with the Watch word rules),
    those the built filter matches but do not say it, and those that say it but it misses; then the share of
    the papers holding the words apart that still match. Read in Python as reader-data.js reads the filter
    (tests/test_reader.py checks that the two agree)."""
    from tests.test_reader import filter_says_together, watched_numbers, words_together

    lines, apart, kept = ["phrase: with its words / say it / matched, not saying it / saying it, missed"], 0, 0
    for phrase in PHRASES:
        anywhere, together = watched_numbers(catalog, phrase), words_together(catalog, phrase)
        matched = filter_says_together(site, catalog, phrase)
        lines.append(f"  {phrase}: {len(anywhere):,} / {len(together):,} / {len(matched - together)} / "
                     f"{len(together - matched)}")
        apart, kept = apart + len(anywhere - together), kept + len(matched - together)
    lines.append(f"  papers holding a phrase's words apart that still match: {kept} of {apart:,} "
                 f"({kept / max(apart, 1):.1%})")
    return "\n".join(lines)


def size_mb(files: list[Path]) -> float:
    return sum(path.stat().st_size for path in files) / 1e6


def load(browser, base_url: str, path: str) -> Load:
    context = browser.new_context()
    page = context.new_page()
    sizes: dict[str, int] = {}
    page.on("requestfinished", lambda request: sizes.__setitem__(request.url, request.sizes()["responseBodySize"]))
    page.add_init_script(SETUP_SCRIPT % json.dumps([{"text": word, "topics": []} for word in WORDS]))
    page.goto(base_url + path)
    page.wait_for_function("window.__pcReadyAt !== null", timeout=120_000)
    milliseconds = page.evaluate("window.__pcReadyAt")
    watched = page.locator("#pc-watch .pc-watch-summary").text_content() if path == "watch/" else ""
    page.wait_for_load_state("networkidle")
    context.close()
    watch_bytes = sum(size for url, size in sizes.items() if "/watch/" in url and not url.endswith("/watch/"))
    return Load(milliseconds, watch_bytes, sum(sizes.values()), int(watched.split()[0]) if watched[:1].isdigit() else 0)


def main() -> None:
    options = parse_arguments()
    site = options.work / "site"
    if not options.reuse:
        build(options.corpus, options.work)
    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    print(f"catalog: {len(catalog['papers'])} papers, {len(catalog['dumps'])} dumps; catalog.json "
          f"{(site / 'catalog.json').stat().st_size / 1e6:.1f} MB")
    print(folder_figures(site))
    print(phrase_figures(site, catalog))
    print(f"watched: {', '.join(WORDS)}")
    with chromium() as browser, serve(site) as base_url:
        for label, path in (("Watch page", "watch/"), ("newest dump page", catalog["dumps"][-1]["url"])):
            loads = [load(browser, base_url, path) for _ in range(options.runs)]
            print(f"{label}: filled in {statistics.median(run.milliseconds for run in loads):.0f} ms from navigation "
                  f"start (runs: {', '.join(f'{run.milliseconds:.0f}' for run in loads)}); watch data "
                  f"{loads[0].watch_bytes / 1e3:.0f} KB of {loads[0].total_bytes / 1e3:.0f} KB downloaded"
                  + (f"; {loads[0].watched} watched papers" if loads[0].watched else ""))


if __name__ == "__main__":
    main()
