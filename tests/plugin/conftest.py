"""The plugin's tests run pytest inside pytest (``pytester``).

``pytester`` comes from the top of the run: ``-p pytester`` in scripts/test.sh, or
``pytest_plugins = ["pytester"]`` in tests/conftest.py (pytest accepts ``pytest_plugins`` only
in the top-level conftest, not here).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points

import pytest

#: How an inner pytest run loads compat's plugin: by its ``pytest11`` entry point once compat
#: is installed with it (``bash scripts/test.sh`` reinstalls when pyproject.toml changes),
#: by name before that.
REGISTERED = any(ep.value == "compat.pytest_plugin" for ep in entry_points(group="pytest11"))
PLUGIN_ARGS: tuple[str, ...] = () if REGISTERED else ("-p", "compat.pytest_plugin")


@pytest.fixture
def run_inner(pytester: pytest.Pytester) -> Callable[..., pytest.RunResult]:
    """Run the inner session's tests in-process with the plugin and strict markers."""

    def run(*args: str) -> pytest.RunResult:
        return pytester.runpytest("-p", "no:cacheprovider", "--strict-markers", *PLUGIN_ARGS, *args)

    return run
