"""The ``Usage::`` examples in the benchmark modules' docstrings run and pass."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "benchmarks.endtoend",
    "benchmarks.floor",
    "benchmarks.inprocess",
    "benchmarks.memory",
    "benchmarks.peer",
    "benchmarks.report",
    "benchmarks.workloads",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
