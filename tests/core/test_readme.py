"""The README's runnable examples run."""

from __future__ import annotations

import pathlib
import re

import pytest

README = (pathlib.Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README, re.DOTALL)


def test_the_emulator_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    (block,) = [b for b in python_blocks() if "with Emulator(likes=250, clock=FakeClock())" in b]
    exec(compile(block, "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert printed.startswith("1 [")  # one request served, then the first likes listed


def test_the_two_commands_are_the_scripts_ci_runs() -> None:
    assert "bash scripts/demo.sh" in README and "bash scripts/test.sh" in README
    ci = (pathlib.Path(__file__).resolve().parents[2] / ".ci" / "run").read_text()
    assert "scripts/test.sh" in ci
