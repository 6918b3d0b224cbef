"""The ``Usage::`` examples in the emulator modules' docstrings run and pass."""

from __future__ import annotations

import doctest
import importlib

import pytest

from tests._support import ROOT

MODULES = sorted(
    "compat.emulator" + ("" if path.stem == "__init__" else f".{path.stem}")
    for path in (ROOT / "compat" / "emulator").glob("*.py")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(
        module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False
    )
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_the_plan_modules_have_examples() -> None:
    for name in ("billing", "problems", "ratelimit", "unknowns", "config"):
        module = importlib.import_module(f"compat.emulator.{name}")
        assert doctest.DocTestFinder().find(module)[0].examples, name
