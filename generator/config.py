"""mkdocs.yml, read and checked the way MkDocs will read it, before anything is rendered: a wrong theme or a
bad line is reported as `mkdocs.yml:LINE: ...` like any other input problem, not as MkDocs failing later."""
from __future__ import annotations

import os
import re
import traceback
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError
from mkdocs.utils.yaml import get_yaml_loader, yaml_load

from .errors import InputError, InputProblem, not_utf8, yaml_problem
from .render import layout


def load_config(config_file: Path) -> dict:
    """mkdocs.yml as MkDocs reads it (`!ENV` tags resolved), after MkDocs' own validation of it."""
    shown = shown_name(config_file)
    try:
        text = config_file.read_text(encoding="utf-8")
        with config_file.open("rb") as stream:  # from the file, as MkDocs reads it: `INHERIT:` is followed
            config = yaml_load(stream) or {}
    except OSError as error:
        problem = InputProblem(shown, 0, f"cannot read it ({error.strerror}); expected a MkDocs config")
        raise InputError([problem]) from error
    except UnicodeDecodeError as error:
        raise InputError([not_utf8(shown, error, "a MkDocs config in UTF-8")]) from None
    except ConfigurationError as error:  # MkDocs' loader wraps the YAML error it met; or an INHERIT file is missing
        cause = error.__cause__ or error.__context__
        if not isinstance(cause, yaml.YAMLError):
            raise InputError([InputProblem(shown, 0, f"cannot be read ({error}); expected a MkDocs config MkDocs "
                                                     "can load")]) from None
        mark, reason = getattr(cause, "problem_mark", None), getattr(cause, "problem", None)
        raise InputError([InputProblem(shown, mark.line + 1 if mark else 0,
                                       f"not valid YAML ({yaml_problem(reason) if reason else cause}); "
                                       "expected a MkDocs config")]) from error
    except (ValueError, TypeError, RecursionError) as error:  # `!!int abc`, a bad `!!python` tag, deep nesting
        raise InputError([InputProblem(shown, 0, f"cannot be read ({type(error).__name__}: {error}); expected a "
                                                 "MkDocs config of plain settings")]) from None
    if not isinstance(config, dict):
        raise InputError([InputProblem(shown, 1, "not a mapping of settings; expected a MkDocs config")])
    try:
        problems = validation_problems(config_file, setting_lines(text), shown, config.get("site_url"),
                                       environment_source(text, "site_url"))
    except (ConfigurationError, yaml.YAMLError, ValueError, TypeError, RecursionError) as error:  # inherited files
        raise InputError([InputProblem(shown, 0, f"cannot be read ({type(error).__name__}: {error}); expected a "
                                                 "MkDocs config MkDocs can load")]) from None
    if problems:
        raise InputError(problems)
    return config


# What a browser reads as markup in text written into a page unescaped: a tag's bracket, or an entity.
HTML_IN_TEXT = re.compile(r"[<>]|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
# Characters an address holds only percent-encoded: Material writes site_url into pages' links as it is.
UNQUOTED = frozenset('"<>\'`\\{}|^')

# Settings MkDocs accepts that papercat's build cannot work with: (value it needs, why).
REQUIRED_SETTINGS = {
    "use_directory_urls": (True, "every page papercat writes links to the others as folders (papers/<id>/)"),
    "strict": (False, "papercat rebuilds only changed pages, which MkDocs notes with a warning that strict mode "
                      "turns into a failure; MkDocs' other warnings are shown after every build"),
}


def validation_problems(config_file: Path, lines: dict[str, int], shown: str, written_site_url: object = None,
                        site_url_source: str = "") -> list[InputProblem]:
    """What MkDocs' own validation finds wrong, and then what papercat cannot build with of what it accepts
    (papercat_problems), each on the line of the setting it concerns; a problem of site_url names the variable
    of the environment it came from (`site_url_source`). MkDocs stops at the first setting it refuses, leaving
    the later ones as written: papercat's checks wait until it refuses none."""
    settings = loaded_settings(config_file)
    try:
        errors, _ = settings.validate()
    except Exception as error:  # a hook's or plugin's own code failed as MkDocs loaded it
        line = lines.get("hooks") or lines.get("plugins") or 0
        return [InputProblem(shown, line, f"MkDocs could not load it: {raised_where(error)}; expected hooks and "
                                          "plugins that load")]
    def problem(key: str, message: str) -> InputProblem:
        return InputProblem(shown, lines.get(key, 0), f"{message}{site_url_source if key == 'site_url' else ''}")

    if errors:
        return [problem(key, f"setting '{key}': {one_line(error)}; expected what MkDocs accepts there")
                for key, error in errors]
    return [problem(key, message) for key, message in papercat_problems(settings, written_site_url)]


def one_line(message: object) -> str:
    """A MkDocs error or warning on one line: it writes some on several (an extension that fails to load, then
    why), which a message of papercat's would show as an escaped line end."""
    return " ".join(str(message).split())


def shown_name(config_file: Path) -> str:
    """The config's name as messages give it: `mkdocs.yml` in the folder papercat runs in, else its path."""
    return config_file.name if config_file.parent == Path.cwd() else str(config_file)


def loaded_settings(config_file: Path) -> MkDocsConfig:
    """mkdocs.yml read as MkDocs reads it, not yet validated."""
    settings = MkDocsConfig(config_file_path=str(config_file))
    with config_file.open("rb") as stream:
        settings.load_file(stream)
    return settings


def config_warnings(config_file: Path) -> list[InputProblem]:
    """What MkDocs warns of in a config it accepts (an unknown setting, a deprecated one), on the setting's
    line: a build shows them as MkDocs prints them, `papercat check` as notes."""
    shown = shown_name(config_file)
    _, warnings = loaded_settings(config_file).validate()
    lines = setting_lines(config_file.read_text(encoding="utf-8"))
    return [InputProblem(shown, lines.get(key, 0), f"setting '{key}': {one_line(warning)}")
            for key, warning in warnings]


def environment_source(text: str, key: str) -> str:
    """Where a setting written `key: !ENV [NAME, default]` took its value from, when NAME is set: a value that
    is wrong there is the variable's, not the file's."""
    match = re.search(rf"^{key}:\s*!ENV\s*\[?\s*([A-Za-z_][A-Za-z0-9_]*)", text, re.MULTILINE)
    if not match or match[1] not in os.environ:
        return ""
    return f" (the value is {match[1]}={os.environ[match[1]]!r}, from the environment: correct the variable)"


def site_url_problems(site_url: str, written: object) -> Iterator[str]:
    """What is wrong with a site_url MkDocs accepts: every feed, the sitemap and Material's links join paths to
    it as it is written."""
    written_text = written if isinstance(written, str) else site_url
    unwritten = sorted({char for char in written_text if char in UNQUOTED or not char.isprintable()
                        or char.isspace()})
    if unwritten:
        yield (f"setting 'site_url' holds {' '.join(map(repr, unwritten))}, which pages would write into their links "
               "as they are; expected an address with those percent-encoded (%22 for \", %20 for a space)")
    address = urllib.parse.urlsplit(site_url)
    if address.scheme not in ("http", "https"):
        yield f"setting 'site_url' is a {address.scheme}: address; expected an http:// or https:// address"
    if address.query or address.fragment or site_url.rstrip("/").endswith(("?", "#")):
        yield ("setting 'site_url' holds a query or a fragment (`?`, `#`), before which every page's path would be "
               "joined; expected the address of the site's folder, such as https://example.org/papers/")
    if "@" in address.netloc:
        yield ("setting 'site_url' holds a user name or password, which every feed and page would publish; expected "
               "the address without them")


def papercat_problems(settings: MkDocsConfig, written_site_url: object = None) -> Iterator[tuple[str, str]]:
    """(setting, what is wrong with it) for each setting MkDocs accepts that papercat cannot build with."""
    for key, (needed, why) in REQUIRED_SETTINGS.items():
        if settings[key] != needed:
            yield key, (f"setting '{key}' is {str(settings[key]).lower()}: {why}; "
                        f"expected '{key}: {str(needed).lower()}' or no '{key}' line")
    if HTML_IN_TEXT.search(settings["site_name"] or ""):
        yield "site_name", ("setting 'site_name' holds HTML (`<`, `>` or an entity such as `&amp;`), which Material "
                            "writes into every page as it is; expected a plain name (`&` alone, as in R&D, is fine)")
    if settings["site_url"]:
        yield from (("site_url", message) for message in site_url_problems(settings["site_url"], written_site_url))
    if not settings["nav"]:
        yield "nav", ("no 'nav' setting: MkDocs would list every page in every page's navigation (a paper page "
                      "grew from 10 KB to 60 KB at 325 papers, and grows with the catalog); expected the nav "
                      "papercat's mkdocs.yml ships")
    for key in ("extra_css", "extra_javascript"):
        for item in settings[key]:
            path = getattr(item, "path", item)  # extra_javascript's entries are objects holding their path
            if not isinstance(path, str):
                yield key, f"setting '{key}' holds {item!r}; expected a list of paths or web addresses"
            elif not (urllib.parse.urlsplit(path).scheme or path.startswith("/")
                      or (Path(settings["docs_dir"]) / path).is_file()):
                yield key, (f"setting '{key}' names {path!r}, which is not in {settings['docs_dir']}; expected a "
                            "file there (every page would link a missing file) or a web address")
    for key in ("exclude_docs", "draft_docs"):
        left_out = [path for path in generated_samples() if settings[key] and settings[key].match_file(path)]
        if left_out:
            yield key, (f"setting '{key}' leaves files papercat writes out of the site ({', '.join(left_out[:3])}); "
                        "expected patterns that match none of them")
    if any(name.rpartition("/")[2] == "offline" and plugin.config.get("enabled", True)
           for name, plugin in settings["plugins"].items()):
        yield "plugins", ("setting 'plugins' holds the offline plugin, which turns use_directory_urls off: "
                          f"{REQUIRED_SETTINGS['use_directory_urls'][1]}; expected no offline plugin")
    if not has_papercat_theme(settings):
        yield "theme", (f"setting 'theme' lacks papercat's overrides of Material ({PAPERCAT_THEME_FILE} in its "
                        "custom_dir), which every generated page uses; expected 'name: material' with "
                        "'custom_dir: templates/theme'")


def generated_samples() -> list[str]:
    """A file of each kind papercat writes into the docs folder (generator/render/layout.py): a pattern of
    mkdocs.yml that matches one leaves them all out of the site."""
    urls = ["", layout.DUMPS_URL, layout.dump_url("<dump>"), layout.TOPICS_URL, layout.topic_url("<topic>"),
            layout.paper_url("<id>"), layout.recurring_url(), layout.code_url(), layout.FEEDS_URL,
            layout.MAINTAINERS_URL, layout.WATCH_URL, layout.FOR_YOU_URL]
    return [*map(layout.source_path, urls), layout.feed_url(), layout.feed_url("<topic>"), layout.CATALOG_JSON_PATH,
            layout.PAPERS_CSV_PATH, layout.SEARCH_PARTS_PATH, layout.SITEMAP_PATH, layout.sitemap_part_path(1),
            layout.FEEDS_SITEMAP_PATH, layout.WATCH_META_PATH,
            layout.WATCH_DUMPS_PATH, layout.watch_words_path("ab"), layout.watch_topic_path("<topic>"),
            layout.watch_papers_path(0), layout.watch_ids_path("ab"), layout.watch_pairs_path(0)]


def raised_where(error: BaseException) -> str:
    """`RuntimeError: boom (hook.py, line 3)`: the error and the place in code that raised it."""
    frames = traceback.extract_tb(error.__traceback__)
    if isinstance(error, SyntaxError) and error.filename:
        return f"{type(error).__name__}: {error.msg} ({error.filename}, line {error.lineno})"
    place = f" ({frames[-1].filename}, line {frames[-1].lineno})" if frames else ""
    return f"{type(error).__name__}: {error}{place}"


PAPERCAT_THEME_FILE = "paper-chrome.html"  # one file of templates/theme, papercat's overrides of Material


def has_papercat_theme(settings: MkDocsConfig) -> bool:
    theme = settings["theme"]
    return theme is not None and theme.name == "material" and any(
        (Path(folder) / PAPERCAT_THEME_FILE).is_file() for folder in theme.dirs)


def setting_lines(text: str) -> dict[str, int]:
    """The line of each top-level setting."""
    try:
        root = yaml.compose(text, Loader=get_yaml_loader())
    except yaml.YAMLError:
        return {}
    if not isinstance(root, yaml.MappingNode):
        return {}
    return {key.value: key.start_mark.line + 1 for key, _ in root.value if isinstance(key, yaml.ScalarNode)}


def theme_overrides(config: dict, config_dir: Path = Path()) -> Path | None:
    """The folder of the theme's overrides (custom_dir) that an MkDocs `config` names, if any, from the config
    file's folder `config_dir` (the build's staged config names it in full)."""
    theme = config.get("theme")
    if not isinstance(theme, dict) or not theme.get("custom_dir"):
        return None
    return (config_dir / theme["custom_dir"]).resolve()
