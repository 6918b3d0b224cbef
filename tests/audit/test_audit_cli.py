"""``compat audit``: exit codes, output, progress, and one real subprocess run."""

from __future__ import annotations

import io
import json
import os
import pathlib
import subprocess
import sys

import pytest

from compat.audit.cli import Progress
from compat.cli import main
from tests._support.audit_tree import Tree

LEGACY = "import tweepy\napi = tweepy.API(auth)\napi.create_favorite(1)\n"
CLEAN = "import tweepy\nclient = tweepy.Client(bearer)\nclient.like(1)\n"


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_exit_0_when_nothing_is_found(tree: Tree, capsys: pytest.CaptureFixture[str]) -> None:
    root = tree({"app.py": CLEAN})
    assert main(["audit", str(root)]) == 0
    out, err = capsys.readouterr()
    assert "0 findings in 0 of 1 file" in out
    assert "No legacy v1.1 favorites code found." in out
    assert err == ""


def test_exit_1_when_something_is_found(tree: Tree, capsys: pytest.CaptureFixture[str]) -> None:
    root = tree({"app.py": LEGACY})
    assert main(["audit", str(root)]) == 1
    out, _ = capsys.readouterr()
    assert "CPT101" in out


def test_exit_1_for_an_unparseable_file_alone(
    tree: Tree, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tree({"old.py": 'print "x"\n'})
    assert main(["audit", str(root)]) == 1
    assert "CPT901" in capsys.readouterr().out


def test_exit_2_for_a_missing_path_with_a_clear_message(
    tree: Tree, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tree({"app.py": LEGACY})
    missing = root / "nope"
    assert main(["audit", str(root), str(missing)]) == 2
    out, err = capsys.readouterr()
    assert out == ""  # nothing was scanned
    assert err == f"compat audit: error: no such file or directory: {missing}\n"


@pytest.mark.parametrize(
    "argv",
    [["audit"], ["audit", ".", "--format", "xml"], ["audit", ".", "--bogus"]],
)
def test_exit_2_for_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "usage: compat" in capsys.readouterr().err


def test_output_file(
    tree: Tree, tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tree({"app.py": LEGACY})
    target = tmp_path / "report.json"
    assert main(["audit", str(root), "--format", "json", "--output", str(target)]) == 1
    assert capsys.readouterr().out == ""
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [f["code"] for f in data["findings"]] == ["CPT101"]


def test_unwritable_output_is_a_usage_error(
    tree: Tree, tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tree({"app.py": LEGACY})
    target = tmp_path / "no-such-dir" / "report.txt"
    assert main(["audit", str(root), "-o", str(target)]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_include_ignored_flag(tree: Tree, capsys: pytest.CaptureFixture[str]) -> None:
    root = tree({".venv/lib/site.py": LEGACY})
    assert main(["audit", str(root)]) == 0
    assert main(["audit", str(root), "--include-ignored"]) == 1
    capsys.readouterr()


def test_progress_only_when_stderr_is_a_terminal(
    tree: Tree, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tree({"a.py": LEGACY, "b.py": CLEAN})
    assert main(["audit", str(root)]) == 1
    assert capsys.readouterr().err == ""  # pytest's capture is not a terminal

    tty = FakeTTY()
    monkeypatch.setattr(sys, "stderr", tty)
    assert main(["audit", str(root)]) == 1
    shown = tty.getvalue()
    assert "compat audit: 2/2 files" in shown
    assert shown.endswith("\r")  # the line is erased at the end
    assert "CPT101" not in shown  # the report itself goes to stdout
    assert "CPT101" in capsys.readouterr().out


def test_progress_redraws_at_most_every_interval() -> None:
    now = [0.0]
    out = io.StringIO()
    progress = Progress(out, clock=lambda: now[0], interval=1.0)
    progress(1, 5, "a.py")
    now[0] = 0.5
    progress(2, 5, "b.py")  # too soon: skipped
    now[0] = 1.2
    progress(3, 5, "c.py")
    progress(5, 5, "e.py")  # the last one is always drawn
    text = out.getvalue()
    assert "1/5" in text and "2/5" not in text and "3/5" in text and "5/5" in text
    progress.close()
    assert out.getvalue().endswith("\r" + " " * 79 + "\r")


def test_subprocess_run(tree: Tree) -> None:
    root = tree({"bot.py": LEGACY, "clean.py": CLEAN})
    env = dict(os.environ)
    env["PYTHONWARNINGS"] = "error"
    proc = subprocess.run(
        [sys.executable, "-m", "compat.cli", "audit", str(root), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == ""  # not a terminal: no progress
    data = json.loads(proc.stdout)
    assert data["summary"]["files_scanned"] == 2
    assert [(f["code"], f["line"]) for f in data["findings"]] == [("CPT101", 3)]
