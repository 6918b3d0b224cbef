"""compat prints no colour: no ANSI escape on stdout or stderr of any command, at any
verbosity, whether ``NO_COLOR`` is set or not (https://no-color.org); ``--help`` says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests._support.cli import COMMAND_PATHS, invoke, quick_argv

ESC = "\x1b"


@pytest.mark.parametrize("no_color", [None, "1"])
@pytest.mark.parametrize("path", COMMAND_PATHS, ids=" ".join)
def test_no_ansi_escape_from_any_command(
    path: tuple[str, ...], no_color: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if no_color is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", no_color)
    monkeypatch.delenv("COMPAT_GATEWAY_API_KEY", raising=False)
    monkeypatch.delenv("AISA_API_KEY", raising=False)
    argv = quick_argv(path, tmp_path)
    ran = invoke([*argv[: len(path)], "-vv", *argv[len(path) :]])
    assert ran.status in (0, 1, 2)
    assert ran.out or ran.err
    assert ESC not in ran.out and ESC not in ran.err


def test_the_help_says_there_is_no_colour() -> None:
    ran = invoke(["--help"])
    assert ran.status == 0 and "NO_COLOR" in ran.out and "no colour" in ran.out
    assert ESC not in ran.out
