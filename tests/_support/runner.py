"""Running ``compat run`` as a user does: the ``compat`` console script in a fresh process,
from the program's own folder, with an environment the test controls."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from compat import _environment

#: The ``compat`` console script of the interpreter running the tests.
COMPAT = str(pathlib.Path(sys.executable).with_name("compat"))


def credential_names() -> list[str]:
    """Every environment variable compat reads credentials from."""
    return [row.name for row in _environment.table() if row.setting.startswith("credentials.")]


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This environment without any compat setting or credential, plus ``extra``."""
    names = {row.name for row in _environment.table()}
    env = {k: v for k, v in os.environ.items() if k not in names and not k.startswith("COV")}
    env.pop("PYTHONPATH", None)
    env.update(extra or {})
    return env


def write(folder: pathlib.Path, name: str, text: str) -> pathlib.Path:
    """Write a dedented file (a program, a module of the program) into ``folder``."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def compat_run(
    args: Sequence[str],
    *,
    cwd: pathlib.Path,
    env: Mapping[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """``compat run ARGS`` from ``cwd``; output captured as text."""
    return subprocess.run(
        [COMPAT, "run", *args],
        cwd=cwd,
        env=dict(env) if env is not None else clean_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def last_json(text: str) -> Any:
    """The JSON document on the last non-empty line of ``text``."""
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines, "the program printed nothing"
    return json.loads(lines[-1])
