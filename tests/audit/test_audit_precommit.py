"""The pre-commit hook, run by pre-commit itself: ``pre-commit try-repo`` on a git clone of
this package's files (the working tree, so uncommitted work is what is tested); pre-commit
builds the hook's virtualenv from it, with the package index for the dependencies."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
PRE_COMMIT = pathlib.Path(sys.executable).with_name("pre-commit")


def test_the_hook_definition() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "compat-audit" and hook["entry"] == "compat audit"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True and hook["require_serial"] is True


def _git(cwd: pathlib.Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _clone(tmp_path: pathlib.Path, env: dict[str, str]) -> pathlib.Path:
    """A git repository holding what building the package and the hook needs."""
    repo = tmp_path / "compat-repo"
    shutil.copytree(ROOT / "compat", repo / "compat", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "schemas", repo / "schemas")  # the wheel force-includes them
    for name in ("pyproject.toml", "README.md", "LICENSE", ".pre-commit-hooks.yaml"):
        shutil.copy2(ROOT / name, repo / name)
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    subprocess.run(["git", "commit", "-qm", "hook"], cwd=repo, env=env, check=True)
    return repo


def test_pre_commit_runs_one_audit_over_all_files(tmp_path: pathlib.Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    for n in range(6):  # enough files that a parallel hook would split them
        (project / f"bot{n}.py").write_text("import tweepy\ntweepy.API(a).favorites()\n")
    (project / "clean.py").write_text("print('hello')\n")
    _git(project, "init", "-q")
    _git(project, "add", ".")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    env.pop("COMPAT_AUDIT_LOG", None)
    repo = _clone(tmp_path, env)
    result = subprocess.run(
        [str(PRE_COMMIT), "try-repo", str(repo), "compat-audit", "--all-files", "--verbose"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    # one process, one report: one headline covering all seven files
    assert out.count("compat audit: ") == 1, out
    assert "compat audit: 6 findings in 6 of 7 files" in out, out
