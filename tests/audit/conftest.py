"""Fixtures for the audit tests: fixture trees written with tmp_path."""

from __future__ import annotations

import functools
import pathlib

import pytest

from tests._support.audit_tree import Tree, write_tree


@pytest.fixture
def tree(tmp_path: pathlib.Path) -> Tree:
    """Write ``{relative path: source}`` under tmp_path/"project" and return that directory.

    str sources are dedented and written as UTF-8; bytes are written as they are.
    """
    root = tmp_path / "project"
    root.mkdir()
    return functools.partial(write_tree, root)
