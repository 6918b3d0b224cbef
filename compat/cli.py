"""The ``compat`` command: one argparse parser, subcommands registered from their modules.

Each entry of :data:`SUBCOMMANDS` names a module that defines ``register(subparsers)``; the
module adds its parser and sets ``func`` (``(argparse.Namespace) -> int``) as its default.
Modules are imported only when the command line is built, keeping ``import compat`` light.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from compat._version import __version__

__all__ = ["SUBCOMMANDS", "build_parser", "main"]

SUBCOMMANDS: tuple[str, ...] = (
    "compat.demo",
    "compat.emulator.cli",
    "compat.audit.cli",
    "compat.runner",
    "compat.doctor",
    "compat.gateway_cli",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="compat",
        description="Keep legacy Twitter API v1.1 favorites code alive on X API v2 Likes.",
    )
    parser.add_argument("--version", action="version", version=f"compat {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in SUBCOMMANDS:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return 2
    return int(func(args))


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
