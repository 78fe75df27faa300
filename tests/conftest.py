"""Shared fixtures: real builds of the bundled dumps, made once per test session."""
from __future__ import annotations

import dataclasses
import html
import json
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.build import BuildPaths, BuildSummary, build
from generator.config import load_config
from generator.folders import PROJECT_ROOT

# `browser`: one Chromium for the whole session, registered once here (a fixture imported into several modules
# would start several Playwright instances). Importing it does not import Playwright.
from tests.browser import browser, serve  # noqa: F401

# The four real dumps the project ships in dumps/, and its taxonomy.yml, as shipped (the same files, which git
# stores once; .ci/run checks that they are), and no overrides. Tests pin their figures to these copies, so
# that a user's own dumps, taxonomy and tags.yml never fail the suite.
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The site's name, which pages' titles end with: a catalog's own mkdocs.yml may rename it.
SITE_NAME = load_config(PROJECT_ROOT / "mkdocs.yml")["site_name"]
SEED_DUMPS_DIR = FIXTURES / "seed_dumps"
SEED_TAXONOMY = FIXTURES / "taxonomy.yml"
NO_OVERRIDES = FIXTURES / "tags.yml"
SEED_DUMPS = ("000_8ee9efdb4ab40406.txt", "001_ca6fd16a7bf5ba76.txt", "002_b6f4b1d9201f11ec.txt",
              "003_ed1ec047728eac42.txt")


@dataclass(frozen=True)
class Built:
    paths: BuildPaths
    summary: BuildSummary

    @property
    def site(self) -> Path:
        return self.paths.site_dir

    @property
    def docs(self) -> Path:
        return self.paths.docs_dir

    def catalog(self) -> dict:
        return json.loads((self.site / "catalog.json").read_text(encoding="utf-8"))

    def page(self, url: str) -> str:
        return (self.site / url / "index.html").read_text(encoding="utf-8")

    def text(self, url: str) -> str:
        return text_of(self.page(url))


def text_of(page_html: str) -> str:
    """The visible text of a page's content area, entities decoded, whitespace collapsed."""
    article = page_html.split('<article class="md-content__inner', 1)[1].split("</article>\n", 1)[0]
    article = re.sub(r"</?a\b[^>]*>", "", article)  # links are inline: an address in an abstract is one
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", article)).split())


def shipped(**paths: Path) -> BuildPaths:
    """BuildPaths reading the taxonomy as shipped and no overrides, whatever the project's own are now."""
    return BuildPaths(**{"taxonomy_file": SEED_TAXONOMY, "overrides_file": NO_OVERRIDES} | paths)


@pytest.fixture
def papercat_command(monkeypatch) -> Callable[..., int]:
    """`papercat` (generator.cli.main) reading the taxonomy as shipped, and no overrides unless a run names its
    own tags.yml (`overrides_file`)."""
    from generator import cli

    paths_from = cli.paths_from

    def run(args: list[str], overrides_file: Path = NO_OVERRIDES) -> int:
        monkeypatch.setattr(cli, "paths_from", lambda parsed: dataclasses.replace(
            paths_from(parsed), taxonomy_file=SEED_TAXONOMY, overrides_file=overrides_file))
        return cli.main(args)
    return run


def paths_in(folder: Path, dumps_dir: Path) -> BuildPaths:
    return shipped(dumps_dir=dumps_dir, site_dir=folder / "site", staging_dir=folder / "build")


def build_into(folder: Path, dumps_dir: Path) -> Built:
    paths = paths_in(folder, dumps_dir)
    return Built(paths, build(paths))


def build_one_dump(folder: Path, name: str, records: list[tuple[str, str]]) -> Built:
    """The site built from one dump, the file `name` dated Aug 1, of these (title, abstract) records."""
    dumps = folder / "dumps"
    dumps.mkdir()
    text = "".join(f"{title}\n\n{abstract}\n\n" for title, abstract in records)
    (dumps / name).write_text(f"Aug 1\n\n{text}", encoding="utf-8")
    return build_into(folder, dumps)


def copy_dumps(target: Path, names: tuple[str, ...] | list[str] = SEED_DUMPS) -> Path:
    """A dumps folder holding copies of the real dumps named (by default the four seeds)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(SEED_DUMPS_DIR / name, target / name)
    return target


@pytest.fixture(scope="session")
def seed_dumps(tmp_path_factory) -> Path:
    """A folder with the four bundled dumps, whatever dumps/ holds now."""
    return copy_dumps(tmp_path_factory.mktemp("seeds") / "dumps")


@pytest.fixture(scope="session")
def real_build(tmp_path_factory, seed_dumps) -> Built:
    """The site built from the four bundled dumps."""
    return build_into(tmp_path_factory.mktemp("real"), seed_dumps)


@pytest.fixture(scope="session")
def site_url(real_build) -> Iterator[str]:
    """The bundled build served over http, for the browser tests."""
    with serve(real_build.site) as url:
        yield url


@pytest.fixture(scope="session")
def catalog(real_build) -> dict:
    return real_build.catalog()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that opens a browser, directly or through a fixture, is a browser test, whatever its module."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)

