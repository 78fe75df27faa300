"""Time parse, catalog, enrich and render of a folder of dumps, without MkDocs or Pagefind: the stages papercat
itself runs before the site builder.

    .venv/bin/python benchmarks/stages.py [--dumps ../shared/real_corpus] [--repeat 1] [--profile render]
                                          [--write DIR] [--staging DIR]

Prints each stage's wall and CPU seconds; enrich runs as in a build, related papers in a process of their own
(its CPU time not counted) while this one tags. --profile STAGE prints cProfile's 30 most costly functions of
that stage (cumulative); --write DIR writes what render made (docs/ and search/) under DIR, to compare two
versions of the code byte for byte; --staging DIR tags topics through the build's cache in DIR
(generator/incremental.py), and keeps paper pages in DIR/docs, as `papercat build` does: a second run finds
what did not change there.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import incremental  # noqa: E402
from generator.build import BuildPaths, check  # noqa: E402
from generator.enrich import (  # noqa: E402
    Enrichment,
    paper_texts,
    related_papers,
    tag_papers,
    topics_and_links,
    with_related_papers,
)
from generator.render import RenderEveryPage, SiteSettings, render_site  # noqa: E402

BUILT = "2026-01-01"  # a fixed build date: two runs render the same bytes


def main() -> int:
    options = parse_options()
    paths = BuildPaths(dumps_dir=options.dumps.resolve())
    tag = incremental.cached_tagger(options.staging) if options.staging else tag_papers
    for _ in range(options.repeat):
        # As in a build: the process of related papers loads its modules while the dumps are read, and what
        # lives on is kept from the garbage collector.
        with (incremental.in_own_process(related_papers) as find_related_papers,
              incremental.collector_sparing_kept_objects() as keep):
            checked = timed("parse+catalog", options.profile, check, paths)
            keep()
            enrichment = timed("enrich", options.profile, enrich_as_built, checked.catalog, checked.taxonomy,
                               checked.overrides, tag, find_related_papers)
            keep()
            staging = options.staging or Path("unused")
            folders = {"docs": staging / "docs", "search": staging / "search"}
            known = (incremental.KeptPages(options.staging, folders, paths.templates_dir)
                     if options.staging else RenderEveryPage())
            rendered = timed("render", options.profile, render_site,
                             checked.catalog, enrichment, paths.templates_dir, BUILT, SiteSettings(), [], known)
            if options.staging:
                incremental.sync_tree(rendered.docs, folders["docs"])
                incremental.sync_tree(rendered.search, folders["search"])
                known.save()
                print(f"  {known.reused:,} paper pages and search documents kept", flush=True)
            print(f"  {len(checked.catalog.papers):,} papers, {len(rendered.docs):,} docs files, "
                  f"{len(rendered.search):,} search documents", flush=True)
    if options.write:
        for folder, files in (("docs", rendered.docs), ("search", rendered.search)):
            for relative, content in files.items():
                path = options.write / folder / relative
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
    return 0


def enrich_as_built(catalog, taxonomy, overrides, tag, find_related_papers) -> Enrichment:
    """Enrich about as `papercat build` does: related papers in a process of their own while this one tags (a
    build also renders the search documents and listings before it waits for them)."""
    related = find_related_papers(paper_texts(catalog))
    return with_related_papers(topics_and_links(catalog, taxonomy, overrides, tag), related())


def parse_options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dumps", type=Path, default=ROOT / "dumps", help="a folder of dumps")
    parser.add_argument("--repeat", type=int, default=1, help="run every stage this many times")
    parser.add_argument("--profile", choices=("parse+catalog", "enrich", "render"), help="profile one stage")
    parser.add_argument("--write", type=Path, help="write the rendered files under this folder")
    parser.add_argument("--staging", type=Path, help="keep topics in this folder, as a build does")
    return parser.parse_args()


def timed(stage: str, profiled: str | None, run, *arguments):
    profiler = cProfile.Profile() if profiled == stage else None
    wall, cpu = time.perf_counter(), time.process_time()
    result = profiler.runcall(run, *arguments) if profiler else run(*arguments)
    print(f"{stage}: {time.perf_counter() - wall:.2f} s wall, {time.process_time() - cpu:.2f} s CPU", flush=True)
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    return result


if __name__ == "__main__":
    sys.exit(main())
