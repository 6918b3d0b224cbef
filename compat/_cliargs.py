"""Argument types the command-line tools share (argparse ``type=`` callables).

Usage::

    >>> from compat._cliargs import whole_number
    >>> likes = whole_number(0, 1000)
    >>> likes("250")
    250
    >>> likes("-5")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a whole number from 0 to 1,000, got '-5'
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

__all__ = ["whole_number"]


def whole_number(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high``, else argparse's usage error
    (exit 2) saying so, before anything starts."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"must be a whole number from {low:,} to {high:,}, got {text!r}"
            )
        return value

    return parse
