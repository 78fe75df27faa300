"""What makes a build quick, and nothing else: a reader of the pipeline can skip this module. Whatever it
does, the site it makes is byte for byte what one `mkdocs build` of the staging docs into an empty folder
makes (tests/test_build.py checks both paths).

- **Only changed files are written.** The staging docs keep an unchanged file's bytes and modification time.
- **Only changed pages are built.** When the site in place was built with the same MkDocs config, theme
  and package versions (the build record), its pages whose source is unchanged are hard-linked into the new
  site, and MkDocs (`--dirty`) builds the rest. MkDocs never writes into a linked file: it builds only pages
  that are missing, and every linked page is newer than its source.
- **Freshness is verified, not assumed.** Every built page ends with the digest of the source it was built
  from (generator/mkdocs_hooks.py); after the build each page is checked against its current source.
- **MkDocs runs in shards, one per core.** Each shard is a plain `mkdocs build --dirty` of the same docs
  into the same folder, with `exclude_docs` leaving out the other shards' pages. A page depends on no other
  page's source, so a shard builds it as a single run would.
- **Topics are computed once per wording.** A paper's topics depend on its title and abstract, the taxonomy
  and papercat's code, nothing else: the staging folder keeps them by a digest of the first two, under a key of
  the other two, and a build tags only the papers it does not find there. Curators' overrides are applied
  after, on every build.
- **Paper pages and search documents are rendered once per input.** Each is rendered from plain values (the
  paper, the links and chips it shows of others); the staging folder keeps a digest of them, with the
  templates, the code and the template packages, for each page in its docs and each search document. One
  whose digest is unchanged is taken from there.
- **Only changed search parts are indexed.** Each part's Pagefind bundle holds a digest of what it was indexed
  from: its documents, Pagefind's version and papercat's code. A part whose digest is unchanged is hard-linked
  from the site in place. A new title word changes every part (each holds every title's words), so a new
  dump usually indexes every part; a change to a few papers (an override) indexes only their parts.
- **Related papers are found in a process of their own**, started with the build so that it loads its
  modules while the dumps are read: they need the papers' words only, so they are found while the papers
  are tagged, their search documents rendered and Pagefind started.
- **The garbage collector leaves alone what lives until the end**: the catalog and its enrichment.
- **One build at a time** per staging folder: a second waits for the first.
"""
from __future__ import annotations

import contextlib
import fcntl
import functools
import gc
import hashlib
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Generic, TypeVar

import yaml

from .config import theme_overrides
from .enrich import Tagger, Taxonomy, TopicAssignment, tag_papers
from .errors import InputError, InputProblem, ToolError, tool_failed
from .mkdocs_hooks import source_comment
from .render.layout import built_page
from .search import BUNDLE_DIR, index_search_parts, indexer_version

T = TypeVar("T")

# Everything besides a page's own source that shapes its HTML: the builder, its extensions and the
# template engine (MkDocs' and papercat's, which also renders the docs).
OUTPUT_SHAPING_PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "pygments",
                           "jinja2", "markupsafe", "pyyaml")
BUILD_RECORD = "site-build-record"
# In the site: site_record of what it was built from. It also marks a folder as a site papercat built
# (folders.check_site_folder): a user's data folder could hold a catalog.json.
SITE_RECORD = ".papercat-build"
SITE_STAMPS = "site-stamps.json"  # in the staging folder: site_stamps of the site in place
# MkDocs warns that `--dirty` may leave stale links between pages: no page here depends on another's source,
# and stale_pages checks every page after the build.
DIRTY_BUILD_WARNING = "A 'dirty' build is being performed"

# A shard holds every page it builds in memory: this bounds one MkDocs process at about 1 GB.
SHARD_MAX_PAGES = 12_500
# A shard is worth starting for about this many pages to build; fewer cost more to start than they save.
SHARD_MIN_PAGES = 200
# What building one page costs beyond its size (mostly the theme), counted in bytes of Markdown.
PAGE_COST_BYTES = 10_000
# Paper files are shared out by their first character, listing folders whole; names made of these
# characters are safe in an `exclude_docs` pattern. Anything else stays with the first shard.
SHARDABLE_CHARACTERS = "0123456789abcdefghijklmnopqrstuvwxyz"
SHARDABLE_FOLDER = re.compile(r"[a-z0-9][a-z0-9_-]*")


# ---------------------------------------------------------------------------------------------------------
# Work beside the build


# A new interpreter, not a fork: the build runs threads, whose locks a fork would copy mid-step. It is sent
# the function first and imports its modules while the caller prepares the arguments; `start` may wait for
# those imports to finish, as the pipe holds less than the arguments. Anything the function prints goes to
# stderr, a file rather than a pipe, so the process never waits for a reader: stdout carries the result only.
WORKER = """
import json, pickle, sys
sys.path[:0] = json.loads(sys.argv[1])
result, sys.stdout = sys.stdout.buffer, sys.stderr
function = pickle.load(sys.stdin.buffer)
arguments = pickle.loads(sys.stdin.buffer.read())
result.write(pickle.dumps(function(*arguments), protocol=pickle.HIGHEST_PROTOCOL))
"""


@contextlib.contextmanager
def in_own_process(function: Callable[..., T]) -> Iterator[Callable[..., Callable[[], T]]]:
    """Start a Python process of its own for `function`, which loads its modules at once; yield `start`:
    start(*arguments) hands them to it and returns what waits for its result. The process is stopped if the
    caller fails before asking for the result."""
    with (tempfile.TemporaryFile() as errors,
          subprocess.Popen([sys.executable, "-c", WORKER, json.dumps(sys.path)],
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors) as process):
        stdin = process.stdin
        assert stdin is not None  # stdin=PIPE
        process.stdin = None  # written here and closed after the arguments: communicate() is not to flush it

        def start(*arguments: object) -> Callable[[], T]:
            with contextlib.suppress(BrokenPipeError), stdin:  # a process that died says why on stderr
                stdin.write(pickle.dumps(arguments, protocol=pickle.HIGHEST_PROTOCOL))
            return result

        def result() -> T:
            output, _ = process.communicate()
            if process.returncode != 0:
                errors.seek(0)
                why = errors.read().decode(errors="replace").strip()[-3000:]
                how = "was killed (out of memory?)" if process.returncode < 0 else f"failed (exit {process.returncode})"
                raise ToolError(f"finding {function.__name__} {how}; build again, and report it if it happens "
                                f"again:\n{why}")
            return pickle.loads(output)

        try:
            with contextlib.suppress(BrokenPipeError):
                stdin.write(pickle.dumps(function, protocol=pickle.HIGHEST_PROTOCOL))
                stdin.flush()
            yield start
        finally:
            if process.poll() is None:
                process.kill()
            with contextlib.suppress(BrokenPipeError):
                stdin.close()


@contextlib.contextmanager
def collector_sparing_kept_objects() -> Iterator[Callable[[], None]]:
    """Yield `keep`: it hides every object alive now from Python's cyclic garbage collector until the block
    ends. The catalog and its enrichment live until the end of the build, and each collection would walk all
    of them again while the pages are rendered: about a tenth of render's time at 10,000 papers. A caller
    that has frozen objects itself gets a `keep` that does nothing, as unfreezing cannot spare its objects."""
    if gc.get_freeze_count():
        yield lambda: None
        return

    def keep() -> None:
        gc.collect()  # garbage frozen now would stay until the end
        gc.freeze()

    try:
        yield keep
    finally:
        gc.unfreeze()


# ---------------------------------------------------------------------------------------------------------
# The seam: what build() holds of this module


class QuickBuild(Generic[T]):
    """What makes one build quick, for generator/build.py: made by `quick_build`, which holds the staging
    folder for this build alone, starts `related` in a process of its own and spares the catalog from the
    garbage collector; `site_in_place` keeps what the build made for the next one."""

    def __init__(self, staging_dir: Path, site_dir: Path, templates_dir: Path, staging_folders: dict[str, Path],
                 start_related: Callable[..., Callable[[], T]], keep: Callable[[], None]) -> None:
        self._staging_dir = staging_dir
        self._site_dir = site_dir  # the site in place, whose pages and search parts may be reused
        self._templates_dir = templates_dir
        self._staging_folders = staging_folders  # "docs" and "search": where the staging folder holds the render
        self.start_related = start_related  # start_related(*arguments) -> what waits for the result
        self.keep = keep  # hides every object alive now from the garbage collector, until the build ends
        self.tagger = cached_tagger(staging_dir)
        self._stamps = read_site_stamps(staging_dir)  # of the site in place, as the last build left it

    @functools.cached_property
    def pages(self) -> KeptPages:
        """render.KnownPages: the paper pages and search documents the last build rendered from the same inputs.
        Made on first use: it forgets the staging folder's page keys, which a build that stops before rendering
        (bad input) should leave to the next."""
        return KeptPages(self._staging_dir, self._staging_folders, self._templates_dir)

    def index_search(self, indexer: ThreadPoolExecutor, documents: dict[str, bytes], bundle_dir: Path) -> Future[None]:
        """Stage the search `documents` and index them on `indexer` into `bundle_dir`, keeping the parts the site
        in place indexed from the same documents. With most documents rendered anew, most pages are to be
        rendered too, and Pagefind yields the CPU to them (the real corpus's full build 10% faster, medians of
        four); with most kept, as on a new day's dump, Pagefind is what the build ends up waiting for (the daily
        build 7% faster at normal priority)."""
        documents_dir = self._staging_folders["search"]
        sync_tree(documents, documents_dir)
        parts = KeptSearchParts(documents, self._site_dir, self._stamps)
        yield_cpu = self.pages.reused < len(documents) // 2

        def index() -> None:
            index_search_parts(documents_dir, bundle_dir, parts.parts, kept=parts.kept, yield_cpu=yield_cpu)
            parts.mark(bundle_dir)
        return indexer.submit(index)

    def build_pages(self, config: dict, docs: dict[str, bytes], generated_pages: Iterable[str], new_site: Path,
                    step: Callable[[str], None]) -> BuiltPages:
        """build_pages into `new_site`, reusing the pages of the site in place."""
        return build_pages(config, docs, generated_pages, self._site_dir, new_site, self._staging_dir, self._stamps,
                           step)

    def site_in_place(self, built: BuiltPages) -> None:
        """Call once the site `built` made is in place: the next build may reuse its pages, and the paper pages
        and search documents the staging folder holds."""
        write_build_record(self._staging_dir, built.record)
        write_site_stamps(self._staging_dir, site_stamps(self._site_dir))
        self.pages.save()


@contextlib.contextmanager
def quick_build(staging_dir: Path, site_dir: Path, templates_dir: Path, staging_folders: dict[str, Path],
                related: Callable[..., T], waiting: Callable[[str], None]) -> Iterator[QuickBuild[T]]:
    """A QuickBuild for one build; see there."""
    with (build_lock(staging_dir, waiting), in_own_process(related) as start_related,
          collector_sparing_kept_objects() as keep):
        yield QuickBuild(staging_dir, site_dir, templates_dir, staging_folders, start_related, keep)


# ---------------------------------------------------------------------------------------------------------
# One build at a time


LOCK_FILE = ".lock"  # every staging folder a build used holds it (generator/folders.py checks for it)


@contextlib.contextmanager
def build_lock(staging_dir: Path, waiting: Callable[[str], None] = lambda message: None) -> Iterator[None]:
    """Hold the staging folder for one build; a second build waits, told which process holds it."""
    staging_dir.mkdir(parents=True, exist_ok=True)
    with open(staging_dir / LOCK_FILE, "a+", encoding="utf-8") as lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock_file.seek(0)
            waiting(f"another build is using {staging_dir} (process {lock_file.read().strip() or '?'}); "
                    "waiting for it to finish")
            fcntl.flock(lock_file, fcntl.LOCK_EX)
        lock_file.truncate(0)
        lock_file.write(str(os.getpid()))
        lock_file.flush()
        yield


# ---------------------------------------------------------------------------------------------------------
# Topics kept from the previous build

TOPIC_CACHE = "topics-cache.json"
GENERATOR_DIR = Path(__file__).resolve().parent


def cached_tagger(staging_dir: Path) -> Tagger:
    """enrich.tag_papers, tagging only the texts it has not tagged with the same taxonomy and code before; it
    keeps the topics of the texts it was last given in the staging folder."""
    def tag(texts, taxonomy: Taxonomy) -> list[tuple[TopicAssignment, ...]]:
        key = tagging_key(taxonomy)
        known = read_topic_cache(staging_dir / TOPIC_CACHE, key)
        digests = [text_digest(title, abstract) for title, abstract in texts]
        missing = list({digest: index for index, digest in enumerate(digests) if digest not in known}.values())
        known.update(zip([digests[index] for index in missing],
                         tag_papers([texts[index] for index in missing], taxonomy)))
        write_topic_cache(staging_dir / TOPIC_CACHE, key, {digest: known[digest] for digest in digests})
        return [known[digest] for digest in digests]

    return tag


def tagging_key(taxonomy: Taxonomy) -> str:
    """A digest of what a paper's topics depend on besides its text: the taxonomy (its repr holds every rule
    and setting) and the code."""
    return hashlib.sha256(f"{taxonomy!r}\n{code_digest()}".encode()).hexdigest()


def code_digest() -> str:
    """Every module of papercat, the Python that runs it and the Unicode data its text handling uses."""
    digest = hashlib.sha256(f"{unicodedata.unidata_version}\n{sys.version}\n".encode())
    add_files(digest, [(path.relative_to(GENERATOR_DIR).as_posix(), path) for path in GENERATOR_DIR.rglob("*.py")])
    return digest.hexdigest()


def add_files(digest, named_files: Iterable[tuple[str, Path]]) -> None:
    """Each (name, path), in order of name: the name and the file's bytes, so that a file renamed counts."""
    for name, path in sorted(named_files):
        digest.update(name.encode("utf-8") + b"\0" + path.read_bytes())


def add_versions(digest, packages: Iterable[str]) -> None:
    for package in packages:
        digest.update(f"{package}=={metadata.version(package)}\n".encode())


def text_digest(title: str, abstract: str) -> str:
    # The pair as JSON: dump text may hold any character, so no separator could tell `a|b`+`c` from `a`+`b|c`.
    return hashlib.sha256(json.dumps([title, abstract]).encode()).hexdigest()


def read_topic_cache(path: Path, key: str) -> dict[str, tuple[TopicAssignment, ...]]:
    """The topics kept under `key`; none if the file is missing, unreadable or kept under another key."""
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(kept, dict) or kept.get("key") != key:
        return {}
    try:
        return {digest: tuple(TopicAssignment(topic, score, tuple(evidence), source)
                              for topic, score, evidence, source in assignments)
                for digest, assignments in kept["topics"].items()}
    except (KeyError, TypeError, ValueError, AttributeError):  # a file changed by hand: tag every paper again
        return {}


def write_topic_cache(path: Path, key: str, topics: dict[str, tuple[TopicAssignment, ...]]) -> None:
    document = {"key": key, "topics": {
        digest: [[item.topic, item.score, list(item.evidence), item.source] for item in assignments]
        for digest, assignments in topics.items()}}
    write_if_changed(path, json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


# ---------------------------------------------------------------------------------------------------------
# Paper pages kept from the previous render

PAGE_KEYS = "page-keys.json"
# What this module writes in the staging folder, as patterns, write_if_changed's temporary files too
# (generator/folders.py adds BuildPaths' own).
STAGING_ENTRIES = (LOCK_FILE, BUILD_RECORD, TOPIC_CACHE, PAGE_KEYS, SITE_STAMPS, "mkdocs.shard-*.yml", "*.tmp")
# What shapes rendered pages besides papercat's code and templates: Jinja2, its escaping, and PyYAML, which reads
# the front matter back (render writes it as JSON that YAML reads as written).
RENDER_SHAPING_PACKAGES = ("jinja2", "markupsafe", "pyyaml")


class KeptPages:
    """render.KnownPages over the staging folders: a page is read from there when the folder holds what was
    rendered for the same path from the same inputs, templates, code and packages, byte for byte (a file
    changed by hand is rendered again). The digests are forgotten as soon as they are read, and written again
    (`save`) only once the staging folders hold this render."""

    def __init__(self, staging_dir: Path, folders: dict[str, Path], templates_dir: Path) -> None:
        self._keys_file = staging_dir / PAGE_KEYS
        self._folders = folders  # "docs" and "search": where the staging folders hold the last render
        self._shaping = render_shaping_digest(templates_dir)
        self._previous = read_page_keys(self._keys_file)
        self._keys_file.unlink(missing_ok=True)
        self._current: dict[str, tuple[str, str]] = {}  # folder/path -> (digest of inputs, digest of the page)
        self.reused = 0

    def page(self, folder: str, path: str, inputs: object, render: Callable[[], str]) -> str:
        key = hashlib.sha256(f"{self._shaping}\0{inputs!r}".encode()).hexdigest()
        entry = f"{folder}/{path}"
        text = self._kept(folder, path, key, self._previous.get(entry))
        if text is None:
            text = render()
            self._current[entry] = (key, hashlib.sha256(text.encode("utf-8")).hexdigest())
        else:
            self.reused += 1
            self._current[entry] = self._previous[entry]  # _kept checked the page against this digest
        return text

    def _kept(self, folder: str, path: str, key: str, previous: tuple[str, str] | None) -> str | None:
        if previous is None or previous[0] != key:
            return None
        try:
            content = (self._folders[folder] / path).read_bytes()
        except FileNotFoundError:
            return None
        return content.decode("utf-8") if hashlib.sha256(content).hexdigest() == previous[1] else None

    def save(self) -> None:
        """Call once the staging docs hold every page this render made."""
        write_if_changed(self._keys_file, json.dumps(self._current, sort_keys=True).encode("utf-8"))


def render_shaping_digest(templates_dir: Path) -> str:
    digest = hashlib.sha256(code_digest().encode("ascii"))
    add_files(digest, [(path.relative_to(templates_dir).as_posix(), path) for path in templates_dir.rglob("*")
                       if path.is_file()])
    add_versions(digest, RENDER_SHAPING_PACKAGES)
    return digest.hexdigest()


def read_page_keys(path: Path) -> dict[str, tuple[str, str]]:
    try:
        keys = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(keys, dict):
        return {}
    return {entry: (pair[0], pair[1]) for entry, pair in keys.items()
            if isinstance(pair, list) and len(pair) == 2 and all(isinstance(part, str) for part in pair)}


# ---------------------------------------------------------------------------------------------------------
# Search parts kept from the site in place

SEARCH_SOURCE_FILE = "papercat-source.txt"  # in each part's bundle: the digest of what it was indexed from


class KeptSearchParts:
    """The search parts of `documents` (path in the search documents' folder -> content; a path's first folder
    is its part), each with the digest of what indexes it: its documents, Pagefind's version and papercat's
    code. `kept` hard-links a part's bundle from the site in place where that was indexed from the same digest
    and its files are those the build that made it left (`stamps`, site_stamps); `mark` writes each part's
    digest into its bundle once all are there."""

    def __init__(self, documents: dict[str, bytes], site_dir: Path, stamps: dict[str, list[int]]) -> None:
        contents: dict[str, list[bytes]] = {}
        for path in sorted(documents):
            part, _, relative = path.partition("/")
            contents.setdefault(part, []).append(f"{relative}\0{len(documents[path])}\0".encode() + documents[path])
        shaping = f"{indexer_version()}\n{code_digest()}\n".encode()
        self.digests = {part: hashlib.sha256(b"".join([shaping, *entries])).hexdigest()
                        for part, entries in contents.items()}
        self._site_dir = site_dir
        self._stamps = stamps

    @property
    def parts(self) -> list[str]:
        return list(self.digests)

    def kept(self, part: str, bundle: Path) -> bool:
        previous = self._site_dir / BUNDLE_DIR / part
        return (read_search_source(previous) == self.digests[part]
                and files_as_stamped(self._site_dir, f"{BUNDLE_DIR}/{part}/", self._stamps)
                and link_tree(previous, bundle))

    def mark(self, bundle_dir: Path) -> None:
        for part, digest in self.digests.items():
            if read_search_source(bundle_dir / part) != digest:
                (bundle_dir / part / SEARCH_SOURCE_FILE).write_text(digest, encoding="ascii")


def read_search_source(bundle: Path) -> str | None:
    return read_record(bundle / SEARCH_SOURCE_FILE)


def read_record(path: Path) -> str | None:
    """The text of a record file; None where there is none or it cannot be read (nothing is then reused)."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None


def link_tree(source: Path, target: Path) -> bool:
    """Hard-link every file of `source` into `target`; False, leaving no `target`, where that fails."""
    try:
        shutil.copytree(source, target, copy_function=os.link)
    except OSError:
        shutil.rmtree(target, ignore_errors=True)
        return False
    return True


# ---------------------------------------------------------------------------------------------------------
# Staging folders: only changed files are written


@dataclass(frozen=True)
class SyncResult:
    written: int
    unchanged: int


def sync_tree(files: dict[str, bytes], target: Path) -> SyncResult:
    """Make `target` hold exactly `files`, touching only what changed: an unchanged file keeps its bytes and
    modification time."""
    target.mkdir(parents=True, exist_ok=True)
    wanted = {safe_join(target, relative): content for relative, content in files.items()}
    written = sum(write_if_changed(path, content) for path, content in wanted.items())
    remove_unwanted(target, wanted.keys())
    return SyncResult(written, len(wanted) - written)


def safe_join(root: Path, relative: str) -> Path:
    """`root / relative`, refusing any path that would leave `root`. Checked by its parts, not resolved: the
    names are papercat's own and the staging folders hold no links, and resolving 20,000 paths took seconds."""
    parts = PurePosixPath(relative).parts
    if not parts or relative.startswith("/") or ".." in parts:
        raise ValueError(f"refusing to write outside {root}: {relative!r}")
    return root / relative


def write_if_changed(path: Path, content: bytes) -> bool:
    try:
        if path.stat().st_size == len(content) and path.read_bytes() == content:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(content)
    temporary.replace(path)
    return True


def remove_unwanted(target: Path, wanted: Iterable[Path]) -> None:
    """Remove the files of `target` not in `wanted`, and folders left empty. One walk of the folders, which
    lists each folder's entries with their types: a stat of each of 20,000 paths took seconds."""
    wanted_names = {os.path.normpath(path) for path in wanted}
    for folder, _, names in os.walk(target, topdown=False):
        unwanted = [path for path in (os.path.join(folder, name) for name in names)
                    if os.path.normpath(path) not in wanted_names]
        for path in unwanted:
            os.unlink(path)
        if len(unwanted) == len(names) and folder != os.fspath(target) and not os.listdir(folder):
            os.rmdir(folder)


# ---------------------------------------------------------------------------------------------------------
# Reusing the pages of the site in place


@dataclass(frozen=True)
class BuiltPages:
    written: int  # files of the staging docs whose bytes changed
    unchanged: int  # files of the staging docs kept as they were
    reused: int  # pages of the site in place linked into the new one, not built again
    warnings: tuple[str, ...]  # what MkDocs warned about
    record: str  # what the new site was built with and from: write_build_record, once it is in place


def build_pages(config: dict, docs: dict[str, bytes], generated_pages: Iterable[str], site_dir: Path, new_site: Path,
                staging_dir: Path, stamps: dict[str, list[int]], step: Callable[[str], None]) -> BuiltPages:
    """Stage `docs` (path in the docs folder of `config` -> content) and build them into `new_site` with MkDocs,
    linking the pages of `generated_pages` that the site in place (`site_dir`) built from the same source and
    left as it wrote them (`stamps`, site_stamps)."""
    docs_dir = Path(config["docs_dir"])
    # Forgotten until this build has put its site in place: the docs are about to change under it.
    staged = read_build_record(staging_dir)
    write_build_record(staging_dir, None)
    synced = sync_tree(docs, docs_dir)
    # The staging folder's file times tell which pages changed since the site it last built: if that site is the
    # one in place (not a copy put back) and what shapes every page is unchanged. A hand-written page may link to
    # the others and show their titles: MkDocs builds it every time.
    shaping = shaping_record(config, docs)
    reusable = staged == f"{shaping}\n{read_site_record(site_dir)}"
    reused = link_unchanged_pages(site_dir, new_site, docs_dir, generated_pages, stamps) if reusable else 0
    step("mkdocs")
    warnings = build_with_mkdocs(config, docs_dir, new_site, staging_dir)
    built = site_record(shaping, docs)
    write_site_record(new_site, built)
    return BuiltPages(synced.written, synced.unchanged, reused, tuple(warnings), f"{shaping}\n{built}")


def shaping_record(config: dict, docs: dict[str, bytes]) -> str:
    """A digest of what every page's HTML depends on besides its own source: the MkDocs config, the theme
    overrides, the hook, the versions of every package that shapes the output, and the sources in `docs` (path
    in the docs folder -> content) of the pages the nav names without a title (every page's nav shows theirs).
    Where the project and the site are is left out: the same site built elsewhere is the same site."""
    theme = config.get("theme")
    custom_dir = theme_overrides(config)
    placeless = {key: value for key, value in config.items() if key not in ("docs_dir", "site_dir", "hooks")}
    if isinstance(theme, dict):
        placeless["theme"] = {key: value for key, value in theme.items() if key != "custom_dir"}
    digest = hashlib.sha256(yaml.safe_dump(placeless, sort_keys=True).encode("utf-8"))
    shaping_files = ([(path.relative_to(custom_dir).as_posix(), path) for path in custom_dir.rglob("*")
                      if path.is_file()] if custom_dir else [])
    shaping_files += [(f"hook {Path(hook).name}", Path(hook)) for hook in config.get("hooks", [])]
    add_files(digest, shaping_files)
    add_versions(digest, OUTPUT_SHAPING_PACKAGES)
    for name in sorted(navigation_files(config.get("nav") or [], untitled_only=True)):
        digest.update(f"nav {name}\0".encode() + docs.get(name, b""))
    return digest.hexdigest()


def site_record(shaping: str, docs: dict[str, bytes]) -> str:
    """What a site built from `docs` with what shaping_record sums up is made of, as a digest. The site holds it
    (SITE_RECORD), and so does the staging folder (BUILD_RECORD): a site in place that another build made,
    such as a copy put back, does not match, and none of its pages is reused."""
    digest = hashlib.sha256(shaping.encode("ascii"))
    for path in sorted(docs):
        digest.update(path.encode("utf-8") + b"\0" + hashlib.sha256(docs[path]).digest())
    return digest.hexdigest()


def read_site_record(site_dir: Path) -> str | None:
    return read_record(site_dir / SITE_RECORD)


def write_site_record(site_dir: Path, record: str) -> None:
    (site_dir / SITE_RECORD).write_text(record, encoding="utf-8")


def read_build_record(staging_dir: Path) -> str | None:
    return read_record(staging_dir / BUILD_RECORD)


def write_build_record(staging_dir: Path, record: str | None) -> None:
    """Record what the site in place was built with; None while no site is known to match the docs."""
    path = staging_dir / BUILD_RECORD
    if record is None:
        path.unlink(missing_ok=True)
    else:
        path.write_text(record, encoding="utf-8")


def link_unchanged_pages(previous_site: Path, site_dir: Path, docs_dir: Path, sources: Iterable[str],
                         stamps: dict[str, list[int]]) -> int:
    """Hard-link into `site_dir` the page of each Markdown file of `sources` (paths in `docs_dir`) that
    `previous_site` built after the file was last written, and holds as it was built (`stamps`, site_stamps);
    the number linked. Everything else (changed pages, static files, the theme's pages) is left for MkDocs."""
    linked = 0
    for name in sources:
        source, page = docs_dir / name, built_page(name)
        try:
            built = (previous_site / page).stat()
            if built.st_mtime <= source.stat().st_mtime or stamp(built) != stamps.get(page):
                continue
        except FileNotFoundError:
            continue
        (site_dir / page).parent.mkdir(parents=True, exist_ok=True)
        os.link(previous_site / page, site_dir / page)
        linked += 1
    return linked


def site_stamps(site_dir: Path, prefix: str = "") -> dict[str, list[int]]:
    """Each file of the site (path in it -> stamp), or of its folder `prefix` (a path ending in /): kept by the
    build that made the site, so that the next one reuses no page or search bundle changed since (edited, cut
    short, deleted), which stale_pages cannot tell: a page holds the digest of its source, not of itself.
    Read with os.scandir: os.walk and pathlib took ten times as long (1.8 s for the real catalog's site)."""
    stamps = {}
    folders = [(prefix, site_dir / prefix)]
    while folders:
        relative, folder = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((f"{relative}{entry.name}/", Path(entry.path)))
                else:
                    stamps[f"{relative}{entry.name}"] = stamp(entry.stat(follow_symlinks=False))
    return stamps


def stamp(stat: os.stat_result) -> list[int]:
    """A file's size and modification time in whole seconds: a copy restored from a cache keeps both (not
    always the time's fraction)."""
    return [stat.st_size, int(stat.st_mtime)]


def files_as_stamped(site_dir: Path, prefix: str, stamps: dict[str, list[int]]) -> bool:
    """Whether the files of `site_dir` under `prefix` (a folder path ending in /) are those `stamps` records
    there, each as stamped."""
    recorded = {path: value for path, value in stamps.items() if path.startswith(prefix)}
    return bool(recorded) and (site_dir / prefix).is_dir() and site_stamps(site_dir, prefix) == recorded


def read_site_stamps(staging_dir: Path) -> dict[str, list[int]]:
    """The stamps the last build left of the site in place; none (nothing reused) where it left none."""
    try:
        stamps = json.loads((staging_dir / SITE_STAMPS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return stamps if isinstance(stamps, dict) else {}


def write_site_stamps(staging_dir: Path, stamps: dict[str, list[int]]) -> None:
    (staging_dir / SITE_STAMPS).write_text(json.dumps(stamps, separators=(",", ":")), encoding="utf-8")


def stale_pages(docs_dir: Path, site_dir: Path) -> list[str]:
    """The pages of `site_dir` missing, or not built from the current source of their Markdown file."""
    stale = []
    for source in sorted(docs_dir.rglob("*.md")):
        expected = source_comment(source.read_bytes()).encode("ascii")
        try:
            with open(site_dir / built_page(source.relative_to(docs_dir).as_posix()), "rb") as page:
                page.seek(max(0, page.seek(0, os.SEEK_END) - len(expected) - 2))
                fresh = expected in page.read()
        except FileNotFoundError:
            fresh = False
        if not fresh:
            stale.append(source.relative_to(docs_dir).as_posix())
    return stale


# ---------------------------------------------------------------------------------------------------------
# MkDocs in shards


@dataclass(frozen=True)
class PageGroup:
    """Pages one shard builds together: papers/<first character>*, or a folder of listing pages."""

    pattern: str  # gitignore pattern, relative to docs_dir
    cost: int


@dataclass(frozen=True)
class Shard:
    """The groups a shard builds; the first shard also builds every page of no group."""

    groups: tuple[PageGroup, ...]
    first: bool


def build_with_mkdocs(config: dict, docs_dir: Path, site_dir: Path, staging_dir: Path,
                      workers: int | None = None) -> list[str]:
    """Build into `site_dir` every page of `docs_dir` it lacks, in as many shards as pay off on `workers`
    cores; the warnings MkDocs printed, each once."""
    workers = workers or os.cpu_count() or 1
    groups = page_groups(docs_dir, site_dir)
    shards = plan_shards(groups, shard_count(groups, workers))
    nav_files = sorted(navigation_files(config.get("nav") or []))
    for stale in staging_dir.glob("mkdocs.shard-*.yml"):
        stale.unlink()
    configs = [write_shard_config(config, shard, shards, nav_files, site_dir, staging_dir, number)
               for number, shard in enumerate(shards)]
    theme_dir = theme_overrides(config)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        warnings = [line for lines in pool.map(functools.partial(run_mkdocs, theme_dir=theme_dir), configs)
                    for line in lines]
    return list(dict.fromkeys(warnings))


# In MkDocs' traceback of a failed template: the template's frames, and Jinja2's error.
TEMPLATE_FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>[0-9]+)')
TEMPLATE_ERROR = re.compile(r"^jinja2\.exceptions\.(?P<kind>\w+): (?P<message>.*)$", re.MULTILINE)


def theme_template_problem(output: str, theme_dir: Path | None) -> InputProblem | None:
    """The file and line of the theme override whose template failed in MkDocs' `output`, with Jinja2's
    error, as a template of papercat's is reported (build.template_problems); None for any other failure: a
    traceback of 50 lines said it (red team)."""
    error = TEMPLATE_ERROR.search(output)
    frames = [(frame["file"], int(frame["line"])) for frame in TEMPLATE_FRAME.finditer(output)
              if theme_dir and Path(frame["file"]).is_relative_to(theme_dir)]
    if not error or not frames:
        return None
    file, line = frames[-1]
    return InputProblem(file, line, f"the theme template failed: {error['kind']}: {error['message']}; expected a "
                                    "template that renders (undo the last change to it)")


def page_groups(docs_dir: Path, site_dir: Path) -> list[PageGroup]:
    """The groups of pages to build, each with the estimated cost of its pages that need building."""
    costs: dict[str, int] = {}
    for path in docs_dir.rglob("*.md"):
        relative = path.relative_to(docs_dir)
        if len(relative.parts) < 2 or (site_dir / built_page(relative.as_posix())).exists():
            continue
        if relative.parts[0] == "papers" and len(relative.parts) == 2 and relative.name[0] in SHARDABLE_CHARACTERS:
            pattern = f"/papers/{relative.name[0]}*"
        elif relative.parts[0] != "papers" and SHARDABLE_FOLDER.fullmatch(relative.parts[0]):
            pattern = f"/{relative.parts[0]}/"
        else:
            continue
        costs[pattern] = costs.get(pattern, 0) + path.stat().st_size + PAGE_COST_BYTES
    return [PageGroup(pattern, cost) for pattern, cost in sorted(costs.items())]


def shard_count(groups: list[PageGroup], workers: int) -> int:
    pages = sum(group.cost for group in groups) // PAGE_COST_BYTES  # at most the pages to build
    return max(1, min(workers, pages // SHARD_MIN_PAGES), -(-pages // SHARD_MAX_PAGES))


def plan_shards(groups: list[PageGroup], count: int) -> list[Shard]:
    """Share the groups out so the shards cost about the same: largest first, each to the lightest."""
    loads = [0] * count
    chosen: list[list[PageGroup]] = [[] for _ in range(count)]
    for group in sorted(groups, key=lambda group: (-group.cost, group.pattern)):
        lightest = min(range(count), key=lambda number: (loads[number], number))
        loads[lightest] += group.cost
        chosen[lightest].append(group)
    shards = [Shard(tuple(chosen[number]), first=number == 0) for number in range(count)]
    return [shard for shard in shards if shard.first or shard.groups]


def navigation_files(nav, untitled_only: bool = False) -> set[str]:
    """Every docs file the `nav` names (each shard builds them, or its tabs would link nowhere); with
    `untitled_only`, those it names without a title, which MkDocs takes from their sources."""
    if isinstance(nav, str):
        return set() if "://" in nav else {nav}
    if isinstance(nav, list):
        return set().union(set(), *(navigation_files(item, untitled_only) for item in nav))
    if isinstance(nav, dict):  # {title: file} or {title: [section]}: only a section's items may lack one
        return set().union(set(), *(navigation_files(value, untitled_only) for value in nav.values()
                                    if not (untitled_only and isinstance(value, str))))
    return set()


def exclusions(shard: Shard, shards: list[Shard], nav_files: list[str]) -> list[str]:
    """`exclude_docs` patterns (gitignore syntax, last match wins) leaving the shard its own pages."""
    nav = [f"!/{name}" for name in nav_files]
    if shard.first:
        return [group.pattern for other in shards if other is not shard for group in other.groups] + nav
    return ["/*", "!/papers/", "/papers/*", *(f"!{group.pattern}" for group in shard.groups), *nav]


def write_shard_config(config: dict, shard: Shard, shards: list[Shard], nav_files: list[str], site_dir: Path,
                       staging_dir: Path, number: int) -> Path:
    # The config's own patterns last, so that no shard takes back a page it leaves out.
    own = list(filter(None, str(config.get("exclude_docs") or "").splitlines()))
    shard_config = config | {"site_dir": str(site_dir.resolve()),
                             "exclude_docs": "\n".join(exclusions(shard, shards, nav_files) + own)}
    path = staging_dir / f"mkdocs.shard-{number}.yml"
    path.write_text(yaml.safe_dump(shard_config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def run_mkdocs(config_file: Path, theme_dir: Path | None = None) -> list[str]:
    """`mkdocs build --dirty`; the warnings it printed. A failure raises ToolError with MkDocs' own words, or,
    where a template of the theme's overrides (`theme_dir`) failed, InputError naming its file and line."""
    command = [sys.executable, "-m", "mkdocs", "build", "--dirty", "--config-file", str(config_file)]
    result = subprocess.run(command, capture_output=True, text=True, errors="replace")
    if result.returncode != 0:
        problem = theme_template_problem(result.stderr, theme_dir)
        if problem:
            raise InputError([problem])
        raise tool_failed("MkDocs", result.stderr, "fix what it reports, then build again")
    return [line for line in result.stderr.splitlines()
            if line.startswith(("WARNING", "ERROR")) and DIRTY_BUILD_WARNING not in line]
