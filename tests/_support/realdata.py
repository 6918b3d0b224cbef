"""The one loader of real recorded payloads."""

from __future__ import annotations

import functools
import json
from typing import Any

from tests._support.paths import REALDATA


@functools.cache
def _text(name: str) -> str:
    return (REALDATA / name).read_text(encoding="utf-8")


def load_real(name: str) -> Any:
    """A fresh copy of ``tests/realdata/<name>`` decoded (callers may mutate it)."""
    return json.loads(_text(name))
