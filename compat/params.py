"""Validation of caller input, done before anything goes near a URL.

Every function returns the canonical form (ids as ASCII decimal ``str``) or raises
:class:`~compat.errors.InvalidParameter` naming the parameter.

Usage::

    >>> from compat.params import snowflake
    >>> snowflake(1050118621198921728, "id")
    '1050118621198921728'
    >>> snowflake("12/../", "id")
    Traceback (most recent call last):
    ...
    compat.errors.InvalidParameter: id: must be 1 to 19 ASCII digits (an int64 id), got '12/../'
"""

from __future__ import annotations

import re

from compat.errors import InvalidParameter

__all__ = ["INT64_MAX", "count", "optional_snowflake", "screen_name", "snowflake", "tweet_mode"]

INT64_MAX = 2**63 - 1
# fullmatch + explicit ASCII class: `\d` and `$` would let non-ASCII digits and "\n" through.
_DIGITS = re.compile(r"[0-9]{1,19}")
_SCREEN_NAME = re.compile(r"[A-Za-z0-9_]{1,15}")


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def snowflake(value: object, parameter: str) -> str:
    """A post or user id: ``int`` or ASCII decimal ``str`` of 1–19 digits within int64, > 0."""
    if value is None:
        raise InvalidParameter(parameter, "is missing")
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise InvalidParameter(
            parameter, f"must be an int or a string of digits, got {type(value).__name__}"
        )
    text = str(value) if isinstance(value, int) else value
    if not _DIGITS.fullmatch(text):
        raise InvalidParameter(
            parameter, f"must be 1 to 19 ASCII digits (an int64 id), got {_shown(value)}"
        )
    number = int(text)
    if number <= 0 or number > INT64_MAX:
        raise InvalidParameter(parameter, f"must be between 1 and {INT64_MAX}, got {text}")
    return str(number)


def optional_snowflake(value: object, parameter: str) -> str | None:
    """Like :func:`snowflake`, but ``None`` (not given) passes through."""
    return None if value is None else snowflake(value, parameter)


def count(value: object, parameter: str = "count", *, low: int = 1, high: int = 200) -> int:
    """v1.1's ``count``: an int (or digit string, as query strings carry it) from 1 to 200."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise InvalidParameter(parameter, f"must be an int, got {type(value).__name__}")
    if isinstance(value, str):
        if not re.fullmatch(r"[0-9]{1,6}", value):
            raise InvalidParameter(parameter, f"must be a number, got {_shown(value)}")
        value = int(value)
    if not low <= value <= high:
        raise InvalidParameter(parameter, f"must be between {low} and {high}, got {value}")
    return value


def screen_name(value: object, parameter: str = "screen_name") -> str:
    """A handle: 1–15 of ``A-Z a-z 0-9 _``, an optional leading ``@`` dropped."""
    if not isinstance(value, str):
        raise InvalidParameter(parameter, f"must be a string, got {type(value).__name__}")
    name = value[1:] if value.startswith("@") else value
    if not _SCREEN_NAME.fullmatch(name):
        raise InvalidParameter(
            parameter, f"must be 1 to 15 letters, digits or '_', got {_shown(value)}"
        )
    return name


def tweet_mode(value: object) -> str:
    """v1.1's ``tweet_mode``: ``"compat"`` (default) or ``"extended"``."""
    if value is None:
        return "compat"
    if value not in ("compat", "extended"):
        raise InvalidParameter("tweet_mode", f"must be 'compat' or 'extended', got {_shown(value)}")
    return str(value)
