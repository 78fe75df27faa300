"""Shared fixtures: real builds of the bundled dumps, made once per test session."""
from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.build import PROJECT_ROOT, BuildPaths, BuildSummary, build

REAL_DUMPS = PROJECT_ROOT / "dumps"


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


def paths_in(folder: Path, dumps_dir: Path) -> BuildPaths:
    return BuildPaths(dumps_dir=dumps_dir, site_dir=folder / "site", staging_dir=folder / "build")


def build_into(folder: Path, dumps_dir: Path) -> Built:
    paths = paths_in(folder, dumps_dir)
    return Built(paths, build(paths))


def copy_dumps(target: Path, names: list[str] | None = None) -> Path:
    """A dumps folder holding copies of the real dumps (all, or those named)."""
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(REAL_DUMPS.glob("*.txt")):
        if names is None or path.name in names:
            shutil.copy(path, target / path.name)
    return target


@pytest.fixture(scope="session")
def real_build(tmp_path_factory) -> Built:
    """The site built from the four bundled dumps."""
    return build_into(tmp_path_factory.mktemp("real"), REAL_DUMPS)
