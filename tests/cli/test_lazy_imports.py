"""``compat`` imports only the module of the subcommand it runs, while ``compat --help`` lists
every subcommand, with the help its module registers."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

from compat.cli import COMMANDS, build_parser
from tests._support import ROOT

HEAVY = ("compat.demo", "compat.doctor", "compat.audit", "compat.emulator", "compat.gateway_cli")

PROBE = """
import contextlib, io, json, sys
from compat.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        status = main(sys.argv[1:])
    except SystemExit as exc:
        status = exc.code
print(json.dumps([status, sorted(m for m in sys.modules if m.startswith("compat"))]))
"""


def _loaded(*argv: str) -> tuple[int, list[str]]:
    env = {
        "PATH": "/usr/bin:/bin",
        "X_CONSUMER_KEY": "k",
        "X_CONSUMER_SECRET": "s",
        "X_ACCESS_TOKEN": "1-t",
        "X_ACCESS_TOKEN_SECRET": "ts",
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], cwd=ROOT, env=env, capture_output=True, text=True
    )
    status, modules = json.loads(done.stdout.splitlines()[-1])
    return status, modules


def test_compat_run_imports_no_other_subcommand() -> None:
    status, modules = _loaded("run", "--", sys.executable, "-c", "pass")
    assert status == 0
    assert "compat.runner" in modules
    assert not [m for m in modules if m.startswith(HEAVY)], modules


def test_help_lists_every_subcommand_without_importing_them() -> None:
    status, modules = _loaded("--help")
    assert status == 0
    assert not [m for m in modules if m.startswith((*HEAVY, "compat.runner"))], modules


def _helps(parser: argparse.ArgumentParser) -> dict[str, str | None]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {choice.dest: choice.help for choice in action._choices_actions}


def test_the_listed_help_is_the_help_each_module_registers() -> None:
    listed = _helps(build_parser([]))
    registered = _helps(build_parser())
    assert listed == registered == {name: help_text for name, (_m, help_text) in COMMANDS.items()}
    text = build_parser([]).format_help()
    assert all(name in text for name in COMMANDS)
