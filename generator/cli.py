"""The `papercat` command: build, check and serve the catalog."""
from __future__ import annotations

import argparse
import errno
import os
import re
import shutil
import signal
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from .build import BuildPaths, build, check
from .config import config_warnings
from .errors import InputError, InputProblem, ToolError, printable
from .incremental import read_site_record
from .launch import interrupted_status, stop_on_terminate
from .search import BUNDLE_DIR


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    signal.signal(signal.SIGTERM, stop_on_terminate)  # as launch.main does, for `python -m generator.cli`
    try:
        return args.run(args)
    except KeyboardInterrupt as stop:  # Ctrl-C, or SIGTERM (launch.Terminated)
        # A build says itself which site is in place (run_build), before `serve` hands over to MkDocs.
        print("papercat: interrupted", file=sys.stderr)
        return interrupted_status(stop)


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="papercat", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    build_parser = commands.add_parser("build", help="parse the dumps and build the site")
    add_dumps_option(build_parser)
    build_parser.add_argument("--site", type=given_path, default=BuildPaths.site_dir,
                              help="output folder (default: site/)")
    build_parser.set_defaults(run=run_build)

    check_parser = commands.add_parser(
        "check", help="validate the dumps, taxonomy, overrides and MkDocs config; build nothing")
    add_dumps_option(check_parser)
    check_parser.add_argument("--format", choices=("text", "github"), default="text",
                              help="'github' prints workflow annotations (::error file=...,line=...::)")
    check_parser.set_defaults(run=run_check)

    serve_parser = commands.add_parser("serve", help="build, then preview with `mkdocs serve`")
    add_dumps_option(serve_parser)
    serve_parser.add_argument("--site", type=given_path, default=BuildPaths.site_dir, help=argparse.SUPPRESS)
    serve_parser.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on")
    serve_parser.set_defaults(run=run_serve)
    return parser.parse_args(argv)


def given_path(value: str) -> Path:
    """A path option's value: an empty one (`--dumps "$UNSET"`) would name the current folder."""
    if not value:
        raise argparse.ArgumentTypeError("it is empty; expected a path")
    return Path(value)


def add_dumps_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dumps", type=given_path, default=BuildPaths.dumps_dir,
                        help="folder of dump .txt files (default: dumps/)")
    parser.add_argument("--config-file", type=given_path, default=BuildPaths.config_file,
                        help="the MkDocs config (default: mkdocs.yml)")


def paths_from(args: argparse.Namespace) -> BuildPaths:
    site = getattr(args, "site", BuildPaths.site_dir).resolve()
    # The staging copy of the docs sits beside the site, so builds of different sites never share one.
    # The dumps folder is not resolved: a symbolic link in its place must show (parse.read_dumps refuses it).
    return BuildPaths(dumps_dir=args.dumps.absolute(), site_dir=site, config_file=args.config_file.resolve(),
                      staging_dir=site.parent / "build")


def run_build(args: argparse.Namespace) -> int:
    """`papercat build`; stopped (Ctrl-C, SIGTERM), it says whether the new site went in, by the site's record
    of what it was built from: the site is swapped in one step, so it is the one before or the whole new one.
    The record is read once the build holds the staging folder (its first stage): another build, which this
    one waited for, may have changed the site before."""
    records: list[str | None] = []

    def first_stage() -> None:
        if not records:
            records.append(read_site_record(args.site))
    try:
        return build_and_report(args, first_stage)
    except KeyboardInterrupt as stop:
        changed = bool(records) and read_site_record(args.site) != records[0]
        print(f"papercat: interrupted; {'the new site is in place, whole' if changed else 'the site was not changed'}"
              f"{'' if records else ' by this build, stopped while it waited for the other one'}", file=sys.stderr)
        return interrupted_status(stop)


def build_and_report(args: argparse.Namespace, first_stage: Callable[[], None] = lambda: None) -> int:
    console = terminal()
    try:
        with StageReporter(console) as reporter:
            def stage(name: str) -> None:
                first_stage()
                reporter.start(name)
            summary = build(paths_from(args), stage, reporter.note)
    except InputError as error:
        return report_problems(error, console, "nothing was changed in the site")
    except ToolError as error:
        print(f"papercat: {error}", file=sys.stderr)
        console.print("[bold red]The build failed[/]; nothing was changed in the site.")
        return 1
    except OSError as error:
        # What the checks before the build cannot foresee, such as a disk that fills up: a message, not a
        # traceback. The site is swapped in one step, and put back if the step fails.
        staging = paths_from(args).staging_dir
        remedy = (f"; free some space and build again (the build's staging folder, {staging}, may go too: the next "
                  "build makes it again, in full)" if error.errno in (errno.ENOSPC, errno.EDQUOT) else "")
        print(f"papercat: {error}{remedy}", file=sys.stderr)
        console.print("[bold red]The build failed[/] on a file-system error; the site is the previous one or the "
                      "new one, never a mix of the two.")
        return 1
    for warning in summary.warnings:
        print(f"MkDocs: {printable(warning)}", file=sys.stderr)
    for note in summary.notes:
        console.print(f"[bold yellow]Note[/]: {escape(printable(str(note)))}")
    console.print(f"[bold green]Built[/] {escape(printable(str(args.site)))}: {escape(str(summary))}")
    warn_about_size(args.site, console)
    return 0


def run_check(args: argparse.Namespace) -> int:
    console = terminal()
    try:
        checked = check(paths_from(args))
    except InputError as error:
        if args.format == "github":
            report_to_github(error.problems, args.dumps)
        return report_problems(error, console, "fix them, then check again")
    catalog = checked.catalog
    console.print(f"[bold green]OK[/]: {catalog.record_count} records, {len(catalog.papers)} papers "
                  f"in {len(catalog.dumps)} dumps")
    for note in (*checked.notes, *config_warnings(args.config_file.resolve())):
        console.print(f"[bold yellow]Note[/]: {escape(printable(str(note)))}")
        if args.format == "github":
            print(github_annotation(note, args.dumps, "warning") if isinstance(note, InputProblem)
                  else f"::warning::{escape_data(printable(note))}")
    return 0


def run_serve(args: argparse.Namespace) -> int:
    problem = address_problem(args.dev_addr)
    if problem:
        print(f"papercat: cannot serve on {args.dev_addr} ({problem}); choose another with --dev-addr, such as "
              "127.0.0.1:8001", file=sys.stderr)
        return 1
    if run_build(args) != 0:
        return 1
    paths = paths_from(args)
    # `mkdocs serve` builds its own copy of the site, without the search index the build just made: give it
    # that index as a static folder of the staging docs (the next build removes it again).
    if (paths.site_dir / BUNDLE_DIR).is_dir():  # a catalog of no papers has no index
        shutil.copytree(paths.site_dir / BUNDLE_DIR, paths.docs_dir / BUNDLE_DIR, dirs_exist_ok=True)
    # In this process's place, so that a signal to `papercat serve` (Ctrl-C, a kill, a terminal closed) stops the
    # server: a child `mkdocs serve` outlived a killed papercat and held the address.
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, "-m", "mkdocs", "serve", "--config-file",
                              str(paths.staged_config_file), "--dev-addr", args.dev_addr])


def address_problem(address: str) -> str | None:
    """Why `mkdocs serve` could not listen on HOST:PORT (taken, say), or None; asked before the build."""
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        return "expected HOST:PORT"
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as MkDocs' server does
            probe.bind((host.strip("[]"), int(port)))
    except (OSError, OverflowError) as error:
        return getattr(error, "strerror", None) or str(error)
    return None


# GitHub Pages publishes at most 1 GB; past 80% of it the user should plan a move (README, "Publishing").
PAGES_LIMIT_BYTES = 1_000_000_000
SIZE_WARNING_SHARE = 0.8


def terminal() -> Console:
    """Where the commands report, with Rich's colours; text from the input (file names in notes and problems,
    `[bold]` or `:smile:` in them) is escaped and shown as written. Lines are never broken: a CI log is 80
    columns to Rich, which cut `FILE:LINE: ...` notes and the summary mid-phrase; a terminal wraps them itself."""
    return Console(stderr=True, emoji=False, soft_wrap=True)


def warn_about_size(site_dir: Path, console: Console) -> None:
    size = sum(path.stat().st_size for path in site_dir.rglob("*") if path.is_file())
    if size > SIZE_WARNING_SHARE * PAGES_LIMIT_BYTES:
        console.print(f"[bold yellow]Warning[/]: the site is {size / 1e6:,.0f} MB, {size / PAGES_LIMIT_BYTES:.0%} of "
                      "GitHub Pages' 1 GB limit; see README.md, 'Past GitHub Pages' 1 GB', for hosts without it.")


def report_problems(error: InputError, console: Console, outcome: str) -> int:
    """Every problem on its own line, FILE:LINE first, then their count and `outcome`."""
    for problem in error.problems:
        print(problem, file=sys.stderr)
    console.print(f"[bold red]{len(error.problems)} problem(s) found[/]; {outcome}.")
    return 1


# GitHub shows at most this many error annotations of a step, and drops the rest without a word.
GITHUB_ANNOTATIONS_SHOWN = 10


def report_to_github(problems: tuple[InputProblem, ...], dumps_dir: Path) -> None:
    """Each problem as an annotation on its file and line; past the ones GitHub shows, a notice that says where
    the others are; and all of them in the job's summary (GITHUB_STEP_SUMMARY), where a run opens."""
    for problem in problems:
        print(github_annotation(problem, dumps_dir))
    if len(problems) > GITHUB_ANNOTATIONS_SHOWN:
        print(f"::notice::{len(problems)} problems; GitHub annotates the first {GITHUB_ANNOTATIONS_SHOWN}: every "
              "one is in this step's log and in the run's summary")
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        lines = "\n".join(map(str, problems))
        # Problems quote dump text: a fence longer than any run of backticks in it keeps it text.
        fence = "`" * max(3, 1 + max(map(len, re.findall("`+", lines)), default=0))
        try:
            with open(summary, "a", encoding="utf-8") as file:
                file.write(f"### papercat check: {len(problems)} problem(s)\n\n{fence}text\n{lines}\n{fence}\n")
        except OSError as error:  # the log below still lists every problem
            print(f"::warning::cannot write the job summary {escape_data(summary)} ({error.strerror})")


def github_annotation(problem: InputProblem, dumps_dir: Path, level: str = "error") -> str:
    """A workflow command that GitHub shows on the file and line of the pull request's diff."""
    path = Path(problem.file)
    if not path.is_absolute() and not path.exists():
        path = dumps_dir / path
    file = Path(os.path.relpath(path)).as_posix()
    message = escape_data(printable(problem.message))
    location = f"file={escape_property(file)}" + (f",line={problem.line}" if problem.line else "")
    return f"::{level} {location}::{message}"


def escape_data(value: str) -> str:
    """A workflow command's message, which a line break or a `%` would otherwise cut or change."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


class StageReporter:
    """Prints each finished stage with its time, and a spinner for the running one."""

    def __init__(self, console: Console):
        self.console = console
        self.current: str | None = None
        self.started = 0.0
        self.status = console.status("starting")

    def __enter__(self) -> StageReporter:
        self.status.__enter__()
        return self

    def start(self, stage: str) -> None:
        self.finish()
        self.current, self.started = stage, time.perf_counter()
        self.status.update(f"{stage}…")

    def note(self, message: str) -> None:
        self.console.print(f"  {escape(message)}")

    def finish(self) -> None:
        if self.current:
            self.console.print(f"  [green]✓[/] {self.current:<8} {time.perf_counter() - self.started:6.2f} s")
        self.current = None

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.finish()
        self.status.__exit__(kind, value, traceback)


if __name__ == "__main__":
    sys.exit(main())
