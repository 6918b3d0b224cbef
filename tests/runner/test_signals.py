"""After SIGTERM (or SIGHUP, SIGINT) to ``compat run`` the program does not keep running; the
exit status is the program's (issue 17, part 5)."""

from __future__ import annotations

import os
import pathlib
import signal
import subprocess
import time

import pytest

from tests._support.runner import COMPAT, clean_env, write

# Writes its pid, then waits; how it ends on a signal is up to the program.
SLEEPER = """
    import os, signal, sys, time
    if len(sys.argv) > 2:  # its own handler: a clean exit with its own status
        signal.signal(getattr(signal, sys.argv[2]), lambda *_: sys.exit(7))
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write(str(os.getpid()))
    os.replace(sys.argv[1] + ".tmp", sys.argv[1])
    while True:
        time.sleep(0.05)
"""


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def start(tmp_path: pathlib.Path, *handler: str) -> tuple[subprocess.Popen[str], int]:
    program = write(tmp_path, "sleeper.py", SLEEPER)
    pid_file = tmp_path / "pid"
    with open(tmp_path / "stderr", "w") as stderr:
        run = subprocess.Popen(
            [COMPAT, "run", "--emulator", "--", "python", str(program), str(pid_file), *handler],
            env=clean_env(),
            stderr=stderr,
            text=True,
        )
    deadline = time.monotonic() + 60
    while not pid_file.exists():
        assert run.poll() is None, (tmp_path / "stderr").read_text()
        assert time.monotonic() < deadline, "the program did not start"
        time.sleep(0.05)
    return run, int(pid_file.read_text())


def gone(pid: int) -> bool:
    deadline = time.monotonic() + 10
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not alive(pid)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_to_compat_run_ends_the_program(tmp_path: pathlib.Path, sig: int) -> None:
    run, program = start(tmp_path)
    assert alive(program) and program != run.pid
    run.send_signal(sig)
    status = run.wait(timeout=30)
    assert gone(program)
    # the program died of the signal (an uncaught KeyboardInterrupt too: Python re-raises
    # SIGINT), and compat run says so as a shell would
    assert status == 128 + sig


def test_the_exit_status_is_the_programs_own(tmp_path: pathlib.Path) -> None:
    run, program = start(tmp_path, "SIGTERM")
    run.send_signal(signal.SIGTERM)
    assert run.wait(timeout=30) == 7  # its handler's sys.exit(7)
    assert gone(program)
