"""Where the daily build's time goes: each step of `generator.build.build` timed, when the last dump of a
catalog is added to a site built from the others.

    .venv/bin/python benchmarks/daily_steps.py --corpus ../shared/real_corpus [--replaced-site] [--work DIR]

Builds the site of every dump but the last (not timed), adds the last and builds again, printing each step's
wall time and when it ended. Steps overlap (related papers in their own process, Pagefind in a thread), so
the times do not add up to the total. The dumps are hard-linked into the scratch folder
(benchmarks.scale.link_dumps).
"""
from __future__ import annotations

import argparse
import functools
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scale import corpus_dumps, link_dumps  # noqa: E402
from generator import build as site_build  # noqa: E402
from generator import incremental  # noqa: E402

BUILD_STEPS = ("check", "topics_and_links", "render_search", "render_lists", "with_related_papers", "render_papers",
               "check_every_page_fresh", "delete_replaced_site", "swap_in")
INCREMENTAL_STEPS = ("index_search_parts", "sync_tree", "build_pages", "link_unchanged_pages", "build_with_mkdocs")


def main() -> int:
    options = parse_options()
    dumps = corpus_dumps(options.corpus.resolve())
    shutil.rmtree(options.work, ignore_errors=True)
    paths = site_build.BuildPaths(dumps_dir=options.work / "dumps", site_dir=options.work / "site",
                                  staging_dir=options.work / "build")
    link_dumps(paths.dumps_dir, dumps[:-1])
    for _ in range(2 if options.replaced_site else 1):
        site_build.build(paths)
    link_dumps(paths.dumps_dir, dumps[-1:])
    started = time.perf_counter()
    for module, names in ((site_build, BUILD_STEPS), (incremental, INCREMENTAL_STEPS)):
        for name in names:
            setattr(module, name, timed(getattr(module, name), started))
    summary = site_build.build(paths)
    print(f"daily build, {dumps[-1].name} added to {len(dumps) - 1} dumps: {time.perf_counter() - started:.2f} s; "
          f"{summary.files_written:,} files written, {summary.pages_reused:,} pages reused")
    return 0


def parse_options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="a folder of dumps (../shared/real_corpus)")
    parser.add_argument("--replaced-site", action="store_true",
                        help="build the others twice, so that the timed build deletes the site the second replaced "
                             "(as on a machine that builds every day; CI restores only site/ and build/)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/papercat-daily-steps"), help="scratch folder")
    return parser.parse_args()


def timed(step, started: float):
    @functools.wraps(step)
    def run(*arguments, **keywords):
        began = time.perf_counter()
        try:
            return step(*arguments, **keywords)
        finally:
            now = time.perf_counter()
            print(f"  {step.__name__:24s} {now - began:6.2f} s, ended at {now - started:6.2f} s", flush=True)
    return run


if __name__ == "__main__":
    sys.exit(main())
