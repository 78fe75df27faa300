"""CI (issue: publish on push, check dumps on pull requests): the workflows lint clean, run only the README's
commands, and turn every problem in a bad dump into an annotation on its file and line."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.folders import PROJECT_ROOT

WORKFLOWS = PROJECT_ROOT / ".github" / "workflows"
PUBLISH = WORKFLOWS / "publish.yml"
CHECK_DUMPS = WORKFLOWS / "check-dumps.yml"
# The README's two Quick start commands; the publish workflow runs them word for word.
README_TEST_COMMAND = "bash tests/run"
README_BUILD_COMMAND = "bash setup.sh && .venv/bin/papercat build"
# Before them, the pull request's check: a dump pushed straight to main gets its annotations too.
PUBLISH_CHECK_COMMAND = "bash setup.sh && .venv/bin/papercat check --format github"
REMEMBER_TESTED_COMMAND = "git rev-parse HEAD > .tested-commit"
# Console scripts of the test extras (actionlint, papercat) sit beside the interpreter running the tests.
SCRIPTS = Path(sys.executable).parent
ACTIONLINT = SCRIPTS / "actionlint"


def load_workflow(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def run_commands_of(workflow: dict) -> list[str]:
    """The `run:` scripts of every job, in file order; `uses:` steps are the runner's business."""
    return [step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]


def actionlint(*arguments: str, cwd: Path) -> subprocess.CompletedProcess:
    assert ACTIONLINT.exists(), f"{ACTIONLINT} is missing; `bash tests/run` installs it with the test extras"
    return subprocess.run([str(ACTIONLINT), "-no-color", *arguments], capture_output=True, text=True, cwd=cwd)


@pytest.mark.slow
def test_workflows_pass_actionlint():
    result = actionlint(str(PUBLISH), str(CHECK_DUMPS), cwd=PROJECT_ROOT)
    assert result.returncode == 0, f"actionlint found problems:\n{result.stdout}{result.stderr}"


@pytest.mark.slow
def test_actionlint_reports_an_unknown_key(tmp_path):
    """Guards the test above: a linter that passes everything would make it worthless."""
    workflow = tmp_path / ".github" / "workflows" / "bad.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text("on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    timeout: 5\n"
                        "    steps:\n      - run: echo hi\n", encoding="utf-8")
    result = actionlint("-oneline", str(workflow), cwd=tmp_path)
    assert result.returncode == 1, f"actionlint accepted a workflow with an unknown key:\n{result.stdout}"
    assert ':5:5: unexpected key "timeout" for "job" section' in result.stdout, result.stdout


def test_readme_quick_start_has_the_commands_publish_runs():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for command in (README_BUILD_COMMAND, README_TEST_COMMAND):
        assert f"\n{command}\n" in readme, f"README.md has no line `{command}`"


@pytest.mark.slow
def test_publish_steps_run_the_readme_commands_in_a_clone_of_head(tmp_path):
    bookkeeping = (what_changed_script(), REMEMBER_TESTED_COMMAND)
    commands = [command for command in run_commands_of(load_workflow(PUBLISH)) if command not in bookkeeping]
    assert commands == [PUBLISH_CHECK_COMMAND, README_TEST_COMMAND, README_BUILD_COMMAND], f"publish.yml runs {commands}"
    clone = clone_of_head(tmp_path / "clone")
    for command in commands:
        if command == README_TEST_COMMAND:
            # Running it here would run this very test suite again inside the clone.
            script = clone / "tests" / "run"
            assert script.is_file() and os.access(script, os.X_OK), f"{script} is missing or not executable"
            continue
        result = subprocess.run(["bash", "-c", f"{command} --dumps dumps"], capture_output=True, text=True, cwd=clone)
        exit_status, output = result.returncode, (result.stdout + result.stderr)[-5000:]
        assert exit_status == 0, f"`{command}` failed in a clone of HEAD:\n{output}"
    for output in ("site/index.html", "site/catalog.json"):
        assert (clone / output).is_file(), f"the build in a clone of HEAD made no {output}"


def what_changed_script() -> str:
    return next(step for step in load_workflow(PUBLISH)["jobs"]["build"]["steps"] if step.get("id") == "changes")["run"]


# The last commit whose tests passed (publish.yml keeps it in the Actions cache): "A" is the first commit here.
@pytest.mark.parametrize(("changed", "tested_commit", "tested"), [
    ([["dumps/004_new.txt"]], "A", False),
    ([["dumps/004_new.txt", "taxonomy.yml", "tags.yml"]], "A", False),
    ([["dumps/004_new.txt"], ["dumps/005_new.txt"]], "A", False),  # two days' dumps since the tests passed
    ([["generator/cli.py"]], "A", True),
    ([["dumps/004_new.txt", "templates/paper.md.j2"]], "A", True),
    # Code changed in a commit whose tests failed, or whose run was cancelled, then a dump came.
    ([["generator/cli.py"], ["dumps/004_new.txt"]], "A", True),
    ([["dumps/004_new.txt"]], None, True),  # no tests passed here yet (or the cache was lost)
    ([["dumps/004_new.txt"]], "0" * 40, True),  # a commit the history no longer has
])
def test_publish_runs_the_tests_unless_only_the_catalogs_data_changed(tmp_path, changed, tested_commit, tested):
    """A daily dump, or a curator's taxonomy.yml or tags.yml, is checked and built but not tested again: a
    curated taxonomy or an override of the user's own papers failed the suite, and nothing was published."""
    steps = load_workflow(PUBLISH)["jobs"]["build"]["steps"]
    names = [step.get("name") or step.get("uses", "").split("@")[0] for step in steps]
    assert names.index("actions/cache") < names.index("What changed") < names.index("Test") \
        < names.index("Remember the tested code") < names.index("Build"), names
    assert steps[names.index("Test")]["if"] == "steps.changes.outputs.code == 'true'"
    assert ".tested-commit" in steps[names.index("actions/cache")]["with"]["path"].split()
    repo = tmp_path / "repo"
    commit = ["-c", "user.name=t", "-c", "user.email=t@t", "-C", str(repo), "commit", "--quiet"]
    assert git("init", "--quiet", str(repo), cwd=tmp_path).returncode == 0
    assert git(*commit, "--allow-empty", "-m", "A", cwd=tmp_path).returncode == 0
    first = git("-C", str(repo), "rev-parse", "HEAD", cwd=tmp_path).stdout.strip()
    for paths in changed:
        for path in paths:
            (repo / path).parent.mkdir(parents=True, exist_ok=True)
            (repo / path).write_text(f"changed in commit {len(paths)}", encoding="utf-8")
        git("-C", str(repo), "add", "-A", cwd=tmp_path)
        assert git(*commit, "-m", "next", cwd=tmp_path).returncode == 0
    if tested_commit:
        (repo / ".tested-commit").write_text((first if tested_commit == "A" else tested_commit) + "\n")
    output = tmp_path / "output"
    result = subprocess.run(["bash", "-e", "-c", what_changed_script()], capture_output=True, text=True, cwd=repo,
                            env={**os.environ, "GITHUB_OUTPUT": str(output)})
    assert result.returncode == 0, result.stderr
    assert output.read_text(encoding="utf-8") == f"code={'true' if tested else 'false'}\n"


def clone_of_head(target: Path) -> Path:
    """A fresh clone checked out at HEAD: only committed files, as the runner sees them."""
    head = git("rev-parse", "--verify", "--quiet", "HEAD^{commit}", cwd=PROJECT_ROOT)
    if head.returncode != 0:
        pytest.skip(f"{PROJECT_ROOT} has no commit at HEAD yet, so there is nothing to clone")
    cloned = git("clone", "--quiet", "--no-checkout", "--shared", str(PROJECT_ROOT), str(target), cwd=PROJECT_ROOT)
    assert cloned.returncode == 0, cloned.stderr
    # Checking out the commit, not a branch, also works when HEAD is detached (a pull request's merge commit).
    checked_out = git("checkout", "--quiet", "--detach", head.stdout.strip(), cwd=target)
    assert checked_out.returncode == 0, checked_out.stderr
    return target


def git(*arguments: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *arguments], capture_output=True, text=True, cwd=cwd)


@pytest.mark.slow
def test_check_dumps_annotates_every_problem_of_a_pull_request(tmp_path):
    """Runs the check-dumps workflow's last step, as written there, on a folder of bad dumps."""
    command = run_commands_of(load_workflow(CHECK_DUMPS))[-1]
    assert command.startswith("papercat check"), f"check-dumps.yml ends with `{command}`"
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    (dumps / "000_good.txt").write_text("Aug 1\n\nA Good Title\n\nA good abstract.\n", encoding="utf-8")
    (dumps / "001_bad.txt").write_text("Aug 2\n\nTitle one\n\nAbstract one\n\nLonely title\n", encoding="utf-8")
    (dumps / "002_empty.txt").write_text("", encoding="utf-8")
    result = run_check(command, tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        "::error file=dumps/001_bad.txt,line=7::title 'Lonely title' has no abstract; expected an abstract line after it",
        "::error file=dumps/002_empty.txt,line=1::the dump is empty; expected a date line such as 'Aug 1' and papers",
    ], result.stdout
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "001_bad.txt:7: title 'Lonely title' has no abstract" in summary and "002_empty.txt:1: the dump is" in summary


@pytest.mark.slow
def test_problems_past_the_annotations_github_shows_are_not_lost(tmp_path):
    """GitHub shows 10 error annotations a step and drops the others in silence."""
    command = run_commands_of(load_workflow(CHECK_DUMPS))[-1]
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    for number in range(12):
        (dumps / f"{number:03d}_x.txt").write_text(f"Aug {number + 1}\n\nLonely title\n", encoding="utf-8")
    result = run_check(command, tmp_path)
    lines = result.stdout.splitlines()
    assert len(lines) == 13 and lines[-1].startswith("::notice::12 problems; GitHub annotates the first 10"), lines
    assert (tmp_path / "summary.md").read_text(encoding="utf-8").count("has no abstract") == 12


def run_check(command: str, folder: Path) -> subprocess.CompletedProcess:
    """The workflow's check step on `folder`/dumps, with a job summary file, as the runner gives it."""
    return subprocess.run(["bash", "-c", f"{command} --dumps dumps"], capture_output=True, text=True, cwd=folder,
                          env=os.environ | {"PATH": f"{SCRIPTS}{os.pathsep}{os.environ['PATH']}",
                                            "GITHUB_STEP_SUMMARY": str(folder / "summary.md")})


def test_constraints_pin_every_direct_dependency_at_its_pyproject_version():
    """setup.sh and the workflows install with `-c constraints.txt`: a pin there that disagrees with
    pyproject.toml would make pip refuse to install at all."""
    import tomllib

    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    direct = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    lines = (PROJECT_ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
    pinned = {name.lower(): version for name, _, version in
              (line.partition("==") for line in lines if line and not line.startswith("#"))}
    for requirement in direct:
        name, _, version = requirement.partition("==")
        assert pinned.get(name.lower()) == version, f"constraints.txt pins {name} at {pinned.get(name.lower())}"


def test_the_run_summary_keeps_problems_with_backticks_as_text(tmp_path, monkeypatch, capsys):
    from generator.cli import report_to_github
    from generator.errors import InputProblem

    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    report_to_github((InputProblem("dumps/a.txt", 3, "title '```` x' has no abstract"),), tmp_path)
    text = summary.read_text(encoding="utf-8")
    assert text.split("\n")[2] == "`````text" and text.rstrip("\n").endswith("\n`````"), text


def test_a_job_summary_that_cannot_be_written_is_a_warning_not_a_traceback(tmp_path, monkeypatch, capsys):
    from generator.cli import report_to_github
    from generator.errors import InputProblem

    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "no-such-folder" / "summary.md"))
    report_to_github((InputProblem("dumps/a.txt", 3, "title 'T' has no abstract"),), tmp_path)
    assert capsys.readouterr().out.splitlines()[-1].startswith(
        f"::warning::cannot write the job summary {tmp_path / 'no-such-folder' / 'summary.md'} (No such file")
