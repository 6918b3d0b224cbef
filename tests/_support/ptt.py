"""python-twitter-tools (the ``twitter`` package on PyPI) for subprocess tests.

python-twitter and python-twitter-tools install the same import package, ``twitter``, so one
environment cannot hold both. ``scripts/bootstrap.sh`` installs python-twitter-tools apart, in
``.venv/ptt``; a test runs code that uses it in a subprocess whose ``PYTHONPATH`` starts there
(:func:`environment`), so ``import twitter`` finds it before python-twitter.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from tests._support.paths import ROOT

__all__ = ["PTT_DIR", "environment"]

PTT_DIR = ROOT / ".venv" / "ptt"


def environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """``base`` (default: this process's environment) with ``.venv/ptt`` first on PYTHONPATH;
    raises when bootstrap.sh has not installed it there."""
    if not (PTT_DIR / "twitter" / "api.py").is_file():
        raise RuntimeError(
            f"python-twitter-tools is not installed in {PTT_DIR}: run scripts/bootstrap.sh"
        )
    env = dict(os.environ if base is None else base)
    rest = env.get("PYTHONPATH")
    env["PYTHONPATH"] = os.pathsep.join([str(PTT_DIR), *([rest] if rest else [])])
    return env
