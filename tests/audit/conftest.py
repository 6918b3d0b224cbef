"""Helpers for the static audit tests: fixture trees written with tmp_path."""

from __future__ import annotations

import pathlib
import textwrap
from collections.abc import Callable, Mapping

import pytest

Tree = Callable[[Mapping[str, str | bytes]], pathlib.Path]


@pytest.fixture
def tree(tmp_path: pathlib.Path) -> Tree:
    """Write ``{relative path: source}`` under tmp_path/"project" and return that directory.

    str sources are dedented and written as UTF-8; bytes are written as they are.
    """
    root = tmp_path / "project"
    root.mkdir()

    def write(files: Mapping[str, str | bytes]) -> pathlib.Path:
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
        return root

    return write
