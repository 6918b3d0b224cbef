"""``-v``/``-q`` on every command: the ``compat`` logger's handler on stderr, its level and its
format (default WARNING for people, ``-v`` INFO, ``-vv`` DEBUG with logger and event names,
``-q`` errors only, ``-qq`` nothing), and ``main()`` leaving the logger as it found it."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from compat.cli import build_parser, logging_to
from tests._support import ROOT
from tests._support.cli import COMMAND_PATHS, compat_logger_state, invoke

HOST_ANY = ("--host", "0.0.0.0")
STAMPED = re.compile(r"^\d\d:\d\d:\d\d\.\d{3} (DEBUG|INFO|WARNING|ERROR) compat[.\w]* ", re.M)


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=" ".join)
def test_every_command_takes_v_and_q_before_and_after_its_name(path: tuple[str, ...]) -> None:
    cases = {
        ("-v", *path): 1,
        (*path, "-vv"): 2,
        ("-v", *path, "--verbose"): 2,
        (*path, "-q"): -1,
        ("-q", *path, "-q"): -2,
        ("-vv", *path, "-q"): 1,
    }
    for argv, expected in cases.items():
        args = build_parser(argv).parse_args(argv)
        counts = vars(args)
        got = sum(v for k, v in counts.items() if k.startswith("_verbose_")) - sum(
            v for k, v in counts.items() if k.startswith("_quiet_")
        )
        assert got == expected, argv


@pytest.mark.parametrize(
    ("flag", "info", "stamped"),
    [(None, False, False), ("-v", True, False), ("-vv", True, True), ("-q", False, False)],
)
def test_the_level_and_format_of_a_real_run(flag: str | None, info: bool, stamped: bool) -> None:
    before = compat_logger_state()
    argv = ["run", *([flag] if flag else []), "--emulator", "--", sys.executable, "-c", "pass"]
    ran = invoke(argv)
    assert ran.status == 0, ran.err
    assert ("compat run: info: " in ran.err) is (info and not stamped)
    assert bool(STAMPED.search(ran.err)) is stamped
    if stamped:  # DEBUG too, each line naming its logger
        assert re.search(r"^\S+ INFO compat\.runner run\.start ", ran.err, re.M), ran.err
    assert compat_logger_state() == before  # main() in-process leaves the logger alone


def test_q_keeps_errors_and_qq_prints_nothing() -> None:
    log = logging.getLogger("compat.example")
    for verbosity, shown in ((-1, ["compat: error: broken"]), (-2, []), (0, None)):
        err = io.StringIO()
        with logging_to(err, verbosity):
            log.warning("slow")
            log.error("broken")
        lines = err.getvalue().splitlines()
        if shown is None:
            assert lines == ["compat: warning: slow", "compat: error: broken"]
        else:
            assert lines == shown


def test_vv_shows_the_event_name_from_extra() -> None:
    err = io.StringIO()
    with logging_to(err, 2):
        logging.getLogger("compat.client").warning(
            "X's rate limit is used up", extra={"event": "http.rate_limited"}
        )
    assert re.fullmatch(
        r"\d\d:\d\d:\d\d\.\d{3} WARNING compat\.client \[http\.rate_limited\] X's rate limit "
        r"is used up\n",
        err.getvalue(),
    )


def _emulator_stderr(tmp_path: Path, *flags: str) -> str:
    """``compat emulator --host 0.0.0.0`` (it warns that others can reach it), stopped at once."""
    err_path = tmp_path / f"err{len(flags)}{'-'.join(flags)}.txt"
    with (
        err_path.open("w") as err,
        subprocess.Popen(
            [sys.executable, "-m", "compat", "emulator", *flags, *HOST_ANY, "--format", "json"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        ) as proc,
    ):
        assert proc.stdout is not None
        banner = json.loads(proc.stdout.readline())
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 0
    assert banner["base_url"].startswith("http://0.0.0.0:")
    return err_path.read_text()


def test_a_real_warning_by_level(tmp_path: Path) -> None:
    default = _emulator_stderr(tmp_path)
    assert default.startswith("compat emulator: warning: the emulator listens on 0.0.0.0")
    assert "emulator.bind_non_loopback" not in default  # the event name is for -vv
    assert "info:" not in default
    assert _emulator_stderr(tmp_path, "-q") == ""
    debug = _emulator_stderr(tmp_path, "-vv")
    assert re.search(
        r"^\S+ WARNING compat\.emulator \[emulator\.bind_non_loopback\] the emulator listens",
        debug,
        re.M,
    ), debug
