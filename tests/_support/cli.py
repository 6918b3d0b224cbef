"""The ``compat`` subcommands as tests/cli runs them: one quick invocation of each that works
offline (the emulator's keys, a tiny file to audit), run in-process through ``main()``."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Sequence
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from compat.cli import COMMANDS, main

#: Every subcommand path (a nested command such as ``gateway link`` included).
COMMAND_PATHS: tuple[tuple[str, ...], ...] = (
    ("demo",),
    ("emulator",),
    ("audit",),
    ("run",),
    ("doctor",),
    ("gateway", "link"),
)
assert {p[0] for p in COMMAND_PATHS} == set(COMMANDS), "a new subcommand: add it here"

LEGACY_CODE = "import tweepy\napi = tweepy.API(None)\napi.create_favorite(1)\n"


@dataclass
class Ran:
    status: int
    out: str
    err: str


def invoke(argv: Sequence[str]) -> Ran:
    """``compat ARGV`` in this process: its exit status (argparse's SystemExit included) and
    what it printed."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            status = main(list(argv))
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else 1
    return Ran(status, out.getvalue(), err.getvalue())


def quick_argv(path: tuple[str, ...], tmp: Path) -> list[str]:
    """A short successful (or, for the gateway without a key, cleanly refused) run of
    ``path``; the emulator, which serves until a signal, is run by its own tests."""
    legacy = tmp / "legacy.py"
    legacy.write_text(LEGACY_CODE, encoding="utf-8")
    return {
        ("demo",): ["demo", "--likes", "0"],
        ("audit",): ["audit", str(legacy)],
        ("run",): ["run", "--emulator", "--", sys.executable, "-c", "pass"],
        ("doctor",): ["doctor", "--emulator"],
        ("gateway", "link"): ["gateway", "link", "--scopes", "like.write"],
        ("emulator",): ["emulator", "--help"],
    }[path]


def compat_logger_state() -> tuple[int, list[logging.Handler]]:
    logger = logging.getLogger("compat")
    return logger.level, list(logger.handlers)
