"""Every ``Usage::`` example written as a doctest in compat's core modules runs."""

from __future__ import annotations

import doctest
import importlib

import pytest

from tests._support import ROOT

# The tools' packages run their own doctests (tests/audit, tests/emulator).
CORE = sorted(
    ".".join(path.relative_to(ROOT).with_suffix("").parts)
    for path in (ROOT / "compat").glob("*.py")
    if path.stem not in {"__main__", "reshape"}  # reshape: tests/reshape runs its own
)


@pytest.mark.parametrize("name", CORE)
def test_module_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(
        module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False
    )
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
