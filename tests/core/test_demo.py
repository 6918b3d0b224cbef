"""`compat demo` and the CLI entry point."""

from __future__ import annotations

import io
import re
import subprocess
import sys

import pytest

from compat import __version__
from compat.cli import main
from compat.demo import run_demo


def test_demo_shows_calls_requests_and_tweets() -> None:
    out = io.StringIO()
    assert run_demo(likes=120, out=out) == 0
    text = out.getvalue()
    assert ">>> favorites_create(1626194750222094336)" in text
    assert "v2 GET    /2/tweets" in text
    assert re.search(r"v2 POST +/2/users/1072250532645998596/likes +-> 200", text)
    assert "@ruchowdh" in text and "Thu Feb 16 12:20:16 +0000 2023" in text
    assert "raised InvalidParameter: id:" in text
    legacy, v2 = map(int, re.search(r"(\d+) legacy calls -> (\d+) v2 requests", text).groups())  # type: ignore[union-attr]
    # create 2 + list 1 + memo page 0 + destroy 2 + bad input 0, then through the adapter:
    # raw requests list 1 + tweepy create 2 + tweepy destroy 2
    assert (legacy, v2) == (8, 10)
    assert "--- unchanged v1.1 client code, with compat.install() ---" in text
    assert ">>> tweepy.API(auth).create_favorite(1626194750222094336)" in text


def test_cli_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert __version__ in capsys.readouterr().out
    assert main([]) == 2  # no subcommand: help on stderr, usage error


def test_console_script_runs_demo() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "compat.cli", "demo", "--likes", "20"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "legacy calls ->" in done.stdout


def test_python_dash_m_compat() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "compat", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for command in ("demo", "emulator", "audit", "run"):
        assert f"    {command} " in done.stdout
