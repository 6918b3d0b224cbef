"""Shared test support: paths, real-data loaders and fixtures, imported as ``tests._support``.

Importable under pytest's default (prepend) and ``importlib`` import modes alike: the
project root is on ``sys.path`` (``pythonpath = ["."]`` in pyproject.toml), so no test
depends on its own folder being put on ``sys.path``.
"""

from tests._support.paths import ARTIFACTS, CASSETTES, REALDATA, ROOT
from tests._support.realdata import load_real

__all__ = ["ARTIFACTS", "CASSETTES", "REALDATA", "ROOT", "load_real"]
