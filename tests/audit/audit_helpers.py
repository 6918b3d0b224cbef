"""Helpers shared by the static audit tests."""

from __future__ import annotations

import pathlib
from collections.abc import Callable, Mapping

from compat.audit.rules import Finding


def line_of(source: str, marker: str, nth: int = 1) -> int:
    """1-based line number of the ``nth`` line of ``source`` containing ``marker``."""
    seen = 0
    for number, line in enumerate(source.splitlines(), start=1):
        if marker in line:
            seen += 1
            if seen == nth:
                return number
    raise AssertionError(f"{marker!r} not in source")


def triples(findings: list[Finding]) -> list[tuple[str, int, str]]:
    return [(f.code, f.line, f.confidence) for f in findings]


Tree = Callable[[Mapping[str, str | bytes]], pathlib.Path]
