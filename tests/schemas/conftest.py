"""Fixtures of the schema tests."""

from __future__ import annotations

import pathlib
import shutil
from collections.abc import Iterator

import pytest

from compat import schemas


@pytest.fixture
def schema_dir(tmp_path: pathlib.Path) -> Iterator[pathlib.Path]:
    """Point the engine at a scratch copy of schemas/ (files may be added to it), empty caches."""
    target = tmp_path / "schemas"
    shutil.copytree(schemas.SCHEMA_DIR, target)
    with schemas.loaded_from(target):
        yield target
