"""Fixtures for the reshape tests: real payloads and the v1.1 schema validators.

Helpers live in ``tests._support`` (importable in any pytest import mode); tests get these
fixtures by name and never import this file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests._support import load_real
from tests._support.v11 import V11Validators


@pytest.fixture(scope="session")
def v11() -> V11Validators:
    return V11Validators()


@pytest.fixture
def real() -> Callable[[str], Any]:
    return load_real
