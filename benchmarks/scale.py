"""How the build grows with the catalog: time per stage, memory, site size, at 1,000 / 10,000 / 50,000 papers.

    .venv/bin/python benchmarks/scale.py [--sizes 1000,10000,50000] [--work DIR] [--incremental 10000]

Each size is built from scratch in a subprocess of its own (so peak memory is that build's), from synthetic
dumps (benchmarks/synthetic.py). Prints one row per size: wall time of each stage, peak memory of the
papercat process, of MkDocs and of the search indexer, the site's bytes and files, the median and largest
paper page and the largest page of any kind, and the search index size. Then, for --incremental N: a first
build of N papers, one 50-paper dump added, and the second build, with the files each wrote.
"""
from __future__ import annotations

import argparse
import html
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import RECORDS_PER_DUMP, synthetic_papers, write_dump, write_synthetic_dumps  # noqa: E402
from generator.parse import dump_order  # noqa: E402

# Runs one build in a fresh interpreter and prints its stage times and peak memory as JSON.
DRIVER = r"""
import json, os, resource, sys, threading, time
from pathlib import Path
from generator.build import BuildPaths, build
folder = Path(sys.argv[1])
times = {}
state = {"stage": None, "started": time.perf_counter()}
# Peak resident memory, sampled from /proc: of this process plus every process under it (MkDocs shards, the
# related papers' process, and Pagefind's native binary, a child of npm's node wrapper) at once, and of the
# largest single one (`largest_child`), by stage. ru_maxrss of children would report this
# process's size (a child starts as a copy of it before it execs) and miss grandchildren.
peaks = {}
def rss_kb(pid, field):
    try:
        with open(f"/proc/{pid}/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith(field))
    except (OSError, StopIteration):
        return 0
def parents():
    found = {}
    for name in os.listdir("/proc"):
        try:
            with open(f"/proc/{name}/stat") as stat:
                if name.isdigit():
                    found[int(name)] = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            pass
    return found
def descendants():
    parent_of = parents()
    found, frontier = [], [os.getpid()]
    while frontier:
        frontier = [pid for pid, parent in parent_of.items() if parent in frontier]
        found += frontier
    return found
def sample():
    while True:
        kids = descendants()
        stage = state["stage"]
        together = rss_kb(os.getpid(), "VmRSS:") + sum(rss_kb(kid, "VmRSS:") for kid in kids)
        largest_child = max((rss_kb(kid, "VmHWM:") for kid in kids), default=0)
        peak = peaks.setdefault(stage, [0, 0])
        peak[0], peak[1] = max(peak[0], together), max(peak[1], largest_child)
        time.sleep(0.1)
threading.Thread(target=sample, daemon=True).start()
def step(name):
    now = time.perf_counter()
    if state["stage"]:
        times[state["stage"]] = now - state["started"]
    state.update(stage=name, started=now)
started = time.perf_counter()
summary = build(BuildPaths(dumps_dir=folder / "dumps", site_dir=folder / "site", staging_dir=folder / "build"), step)
times[state["stage"]] = time.perf_counter() - state["started"]
time.sleep(0.2)
mb = lambda kb: kb / 1024
print(json.dumps({
    "times": times, "total": time.perf_counter() - started,
    "papercat_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "largest_child_mb": mb(max(peak[1] for peak in peaks.values())),
    "all_mb": mb(max(peak[0] for peak in peaks.values())),
    "written": summary.files_written, "unchanged": summary.files_unchanged, "papers": summary.papers,
    "reused": summary.pages_reused,
}))
"""

# MkDocs and the search indexer run side by side, in the stage called "mkdocs".
STAGES = ("parse", "catalog", "enrich", "render", "mkdocs")


def main() -> int:
    args = parse_arguments()
    if args.corpus:
        print_corpus_run(args.corpus.resolve(), args.work / "corpus")
    rows = []
    for size in [int(size) for size in args.sizes.split(",") if size]:
        folder = args.work / str(size)
        shutil.rmtree(folder, ignore_errors=True)
        write_synthetic_dumps(folder / "dumps", size)
        print(f"building {size:,} papers...", file=sys.stderr, flush=True)
        rows.append((size, run_build(folder), site_facts(folder / "site")))
    print_table(rows)
    if args.incremental:
        print_incremental(args.work / f"incremental-{args.incremental}", args.incremental)
    return 0


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000", help="comma-separated paper counts")
    parser.add_argument("--work", type=Path, default=Path("/tmp/papercat-scale"), help="scratch folder")
    parser.add_argument("--corpus", type=Path, help="a folder of real dumps (../shared/real_corpus): its full "
                        "build, its last dump added to a build of the others, and bare MkDocs on its papers")
    parser.add_argument("--incremental", type=int, default=10000,
                        help="catalog size for the add-one-dump rebuild (0 to skip)")
    return parser.parse_args()


def run_build(folder: Path) -> dict:
    result = subprocess.run([sys.executable, "-c", DRIVER, str(folder)], cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"build of {folder} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def site_facts(site: Path) -> dict:
    files = [path for path in site.rglob("*") if path.is_file()]
    paper_pages = sorted(path.stat().st_size for path in (site / "papers").glob("*/index.html"))
    search_dir = site / "pagefind"
    return {
        "bytes": sum(path.stat().st_size for path in files),
        "files": len(files),
        "median_paper_kb": statistics.median(paper_pages) / 1024,
        "largest_paper_kb": paper_pages[-1] / 1024,
        "largest_page_kb": max(path.stat().st_size for path in files if path.suffix == ".html") / 1024,
        "search_mb": sum(path.stat().st_size for path in search_dir.rglob("*") if path.is_file()) / 2**20
        if search_dir.exists() else 0.0,
    }


def print_table(rows: list[tuple[int, dict, dict]]) -> None:
    header = ["papers", *STAGES, "total s", "papercat MB", "largest child MB", "all MB", "site MB", "files",
              "median page KB", "largest paper KB", "largest page KB", "search MB"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for size, build, site in rows:
        stages = [f"{build['times'].get(stage, 0):.1f}" for stage in STAGES]
        print("| " + " | ".join([
            f"{size:,}", *stages, f"{build['total']:.1f}", f"{build['papercat_peak_mb']:.0f}",
            f"{build['largest_child_mb']:.0f}", f"{build['all_mb']:.0f}", f"{site['bytes'] / 2**20:.0f}",
            f"{site['files']:,}", f"{site['median_paper_kb']:.1f}", f"{site['largest_paper_kb']:.1f}",
            f"{site['largest_page_kb']:.0f}", f"{site['search_mb']:.1f}",
        ]) + " |")


def print_incremental(folder: Path, size: int) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    write_synthetic_dumps(folder / "dumps", size)
    first = run_build(folder)
    existing = sorted((folder / "dumps").glob("*.txt"))
    # Recombined from the real papers like the rest, so they become related papers of existing ones.
    new_papers = synthetic_papers(size + RECORDS_PER_DUMP)[-RECORDS_PER_DUMP:]
    write_dump(folder / "dumps" / f"{len(existing):05d}_added.txt", len(existing), new_papers)
    second = run_build(folder)
    print(f"\nIncremental rebuild at {size:,} papers:")
    for label, result in (("first build", first), (f"after adding one {RECORDS_PER_DUMP}-paper dump", second)):
        stages = ", ".join(f"{stage} {result['times'].get(stage, 0):.1f}" for stage in STAGES)
        print(f"  {label}: {result['total']:.1f} s ({stages}); {result['written']:,} generated files written, "
              f"{result['unchanged']:,} unchanged; {result['reused']:,} pages reused")


def print_corpus_run(corpus: Path, work: Path) -> None:
    """The real catalog: its full build, the daily case (its last dump added to a built catalog of the
    others), and a bare MkDocs + Material build of the same papers as plain pages, for comparison."""
    shutil.rmtree(work, ignore_errors=True)
    dumps = corpus_dumps(corpus)
    link_dumps(work / "daily" / "dumps", dumps[:-1])
    before = run_build(work / "daily")
    link_dumps(work / "daily" / "dumps", dumps[-1:])
    daily = run_build(work / "daily")
    link_dumps(work / "full" / "dumps", dumps)
    full = run_build(work / "full")
    bare = bare_mkdocs_seconds(work / "bare", work / "full" / "site" / "catalog.json")
    facts = site_facts(work / "full" / "site")
    print(f"Real catalog {corpus.name}: {full['papers']:,} papers in {len(dumps)} dumps")
    print(f"  bare MkDocs + Material, the same papers as plain pages: {bare:.1f} s")
    for label, result in (("full build", full), (f"build of the first {len(dumps) - 1} dumps", before),
                          ("daily: the last dump added", daily)):
        stages = ", ".join(f"{stage} {result['times'].get(stage, 0):.1f}" for stage in STAGES)
        print(f"  {label}: {result['total']:.1f} s ({result['total'] / bare:.2f}x bare; {stages}); "
              f"peak {result['all_mb']:,.0f} MB in all, papercat {result['papercat_peak_mb']:,.0f} MB; "
              f"{result['written']:,} files written, {result['reused']:,} pages reused")
    print(f"  site: {facts['bytes'] / 1e6:,.0f} MB, {facts['files']:,} files, "
          f"{facts['bytes'] / full['papers'] / 1e3:.1f} KB a paper; "
          f"median paper page {facts['median_paper_kb']:.1f} KB")
    for part, size in site_parts(work / "full" / "site"):
        print(f"    {part}: {size / 1e6:,.1f} MB, {size / full['papers'] / 1e3:.1f} KB a paper")


def corpus_dumps(corpus: Path) -> list[Path]:
    """The corpus's dumps in the order papercat reads them, so that its last is papercat's newest."""
    return sorted((path for path in corpus.glob("*.txt") if not path.name.startswith(".")), key=dump_order)


def link_dumps(target: Path, dumps: list[Path]) -> None:
    """Hard links to the corpus's dumps in the scratch folder, copies where it is on another file system (papercat
    refuses a dump that is a symbolic link). Third-party data: never put in the project."""
    target.mkdir(parents=True, exist_ok=True)
    for dump in dumps:
        try:
            os.link(dump, target / dump.name)
        except OSError:
            shutil.copyfile(dump, target / dump.name)


def site_parts(site: Path) -> list[tuple[str, int]]:
    sizes: dict[str, int] = {}
    for path in site.rglob("*"):
        if path.is_file():
            part = path.relative_to(site).parts[0]
            sizes[part] = sizes.get(part, 0) + path.stat().st_size
    return sorted(sizes.items(), key=lambda item: -item[1])


def bare_mkdocs_seconds(folder: Path, catalog_file: Path) -> float:
    """`mkdocs build` (one process, Material, its stock search) of one plain page per paper: the title as a
    heading, the abstract as a paragraph."""
    catalog = json.loads(catalog_file.read_text(encoding="utf-8"))
    docs = folder / "docs"
    (docs / "papers").mkdir(parents=True)
    (docs / "index.md").write_text("# Papers\n", encoding="utf-8")
    for paper in catalog["papers"]:
        (docs / "papers" / f"{paper['id']}.md").write_text(
            f"# {html.escape(paper['title'])}\n\n{html.escape(paper['abstract'])}\n", encoding="utf-8")
    # As in papercat's config, only the home page is in the nav: a nav of every paper would put 10,000 links
    # on each of 10,000 pages.
    (folder / "mkdocs.yml").write_text("site_name: bare\ntheme:\n  name: material\nnav:\n  - index.md\n"
                                       "validation:\n  nav:\n    omitted_files: ignore\n", encoding="utf-8")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(folder / "mkdocs.yml")],
                   check=True)
    return time.perf_counter() - started

if __name__ == "__main__":
    sys.exit(main())
