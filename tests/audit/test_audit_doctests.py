"""The ``Usage::`` examples in the audit modules' docstrings run and pass."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "compat._auditlog",
    "compat.audit",
    "compat.audit.cli",
    "compat.audit.model",
    "compat.audit.report",
    "compat.audit.rules",
    "compat.audit.static",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
