"""Helpers for the audit tests (tests/audit): fixture source trees and finding summaries.

Imported as ``tests._support.audit_tree``, so they work in any pytest import mode; the
``tree`` fixture itself is in tests/audit/conftest.py and builds on :func:`write_tree`.
"""

from __future__ import annotations

import pathlib
import textwrap
from collections.abc import Callable, Mapping

from compat.audit.rules import Finding

__all__ = ["Tree", "line_of", "triples", "write_tree"]

#: The ``tree`` fixture: writes ``{relative path: source}`` and returns the project directory.
Tree = Callable[[Mapping[str, str | bytes]], pathlib.Path]


def write_tree(root: pathlib.Path, files: Mapping[str, str | bytes]) -> pathlib.Path:
    """Write ``{relative path: source}`` under ``root`` and return ``root``.

    str sources are dedented and written as UTF-8; bytes are written as they are.
    """
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


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
    """``(code, line, confidence)`` of each finding, for compact assertions."""
    return [(f.code, f.line, f.confidence) for f in findings]
