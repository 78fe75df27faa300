"""MkDocs against Zensical on one staging folder: wall time, CPU time, peak memory and pages of each build.

    .venv/bin/python benchmarks/zensical.py --staging build [--zensical /tmp/zvenv/bin/zensical] [--repeat 3]

`--staging` is the folder `papercat build` leaves beside the site (mkdocs.yml and docs/). Both builders read
one copy of that mkdocs.yml, written into the staging folder with a relative docs_dir and a site_dir inside
it: Zensical 0.0.73 panics on an absolute docs_dir and refuses a site_dir outside the config's folder.
Zensical caches rendered pages in `<staging>/.cache` (keyed on the config, site_dir included), so it is timed
cold (cache removed) and then warm (the cache a rebuild would find). CPU seconds (user + system) move less
than wall time when other jobs share the machine; each row shows the 1-minute load average at its start.
Installs nothing: Zensical is whatever --zensical names, best kept in a venv of its own.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

SITE = ".bench-site"
CONFIG = ".bench-mkdocs.yml"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staging", type=Path, required=True, help="folder holding mkdocs.yml and docs/")
    parser.add_argument("--zensical", default="zensical", help="zensical executable (default: on PATH)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each builder; the fastest is shown")
    args = parser.parse_args()
    staging = args.staging.resolve()
    zensical = shutil.which(args.zensical)
    if not zensical:
        sys.exit(f"no zensical executable: {args.zensical}")
    cache = staging / ".cache"
    had_cache = cache.exists()
    config = write_config(staging)
    mkdocs_build = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)]
    zensical_build = [zensical, "build", "-f", str(config)]
    print(f"{'builder':<16} {'seconds':>8} {'CPU s':>7} {'peak MB':>8} {'pages':>6}  load")
    try:
        for name, command, cold in [("mkdocs", mkdocs_build, False),
                                    ("zensical (cold)", zensical_build, True),
                                    ("zensical (warm)", zensical_build, False)]:
            runs = []
            for _ in range(args.repeat):
                if cold:
                    shutil.rmtree(cache, ignore_errors=True)
                runs.append(timed_build(command, staging / SITE))
            seconds, cpu, peak_mb, pages, load = min(runs)
            print(f"{name:<16} {seconds:>8.1f} {cpu:>7.1f} {peak_mb:>8.0f} {pages:>6}  {load:.1f}", flush=True)
    finally:
        shutil.rmtree(staging / SITE, ignore_errors=True)
        config.unlink(missing_ok=True)
        if not had_cache:
            shutil.rmtree(cache, ignore_errors=True)
    return 0


def write_config(staging: Path) -> Path:
    """The staging mkdocs.yml with docs_dir relative to it and site_dir at `<staging>/.bench-site`."""
    settings = yaml.safe_load((staging / "mkdocs.yml").read_text(encoding="utf-8"))
    settings["docs_dir"] = os.path.relpath(staging / settings.get("docs_dir", "docs"), staging)
    settings["site_dir"] = SITE
    config = staging / CONFIG
    config.write_text(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return config


def timed_build(command: list[str], site: Path) -> tuple[float, float, float, int, float]:
    """Run one build into an emptied `site`; return wall seconds, CPU seconds, peak MB, HTML files, load."""
    shutil.rmtree(site, ignore_errors=True)
    load = os.getloadavg()[0]
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)  # this child's own rusage, not a running maximum
        seconds = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            sys.exit(f"{command[0]} failed:\n{errors.read()[-2000:].decode(errors='replace')}")
    pages = sum(1 for _ in site.rglob("*.html"))
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, pages, load


if __name__ == "__main__":
    sys.exit(main())
