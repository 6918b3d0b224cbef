"""The deprecation signal of the monkeypatch adapter: :class:`LegacyFavoritesWarning`.

Every legacy v1.1 favorites call the adapter serves emits one warning per *call site* (the
first time that ``file:line`` calls), attributed to the user's own line: frames of requests,
urllib3, the legacy client libraries, requests-oauthlib/oauthlib and compat itself are
skipped. It is a :class:`DeprecationWarning`, so Python hides it unless asked for
(``python -W default``, pytest shows it); ``-W error::DeprecationWarning`` turns it into an
exception raised from the legacy call.

Usage::

    >>> from compat.warnings import LegacyFavoritesWarning
    >>> issubclass(LegacyFavoritesWarning, DeprecationWarning)
    True

To make every legacy call fail in CI instead (e.g. in a conftest.py or with ``-W``)::

    warnings.simplefilter("error", LegacyFavoritesWarning)
    # or: python -W error::compat.warnings.LegacyFavoritesWarning bot.py
"""

from __future__ import annotations

import sys
import threading
import warnings
from types import FrameType

__all__ = [
    "LIBRARY_PACKAGES",
    "LegacyFavoritesWarning",
    "caller_frame",
    "caller_location",
    "warn_legacy",
]

#: Top-level packages whose frames are never "the caller" of a legacy call.
LIBRARY_PACKAGES: frozenset[str] = frozenset(
    {
        "requests",
        "urllib3",
        "tweepy",
        "twitter",
        "twython",
        "compat",
        "requests_oauthlib",
        "oauthlib",
    }
)

_seen: set[tuple[str, int]] = set()
_seen_lock = threading.Lock()


class LegacyFavoritesWarning(DeprecationWarning):
    """A v1.1 favorites call was served through X API v2 Likes by the compat shim."""


def _is_library(frame: FrameType) -> bool:
    name = frame.f_globals.get("__name__")
    if not isinstance(name, str):
        return False
    return name.partition(".")[0] in LIBRARY_PACKAGES


def caller_frame(start: FrameType | None = None) -> FrameType | None:
    """The innermost frame, outward from ``start`` (default: the caller), that is not library
    code: the user's own line behind a legacy call. ``None`` if there is none."""
    frame: FrameType | None = start if start is not None else sys._getframe(1)
    while frame is not None and _is_library(frame):
        frame = frame.f_back
    return frame


def caller_location(start: FrameType | None = None) -> str | None:
    """``"file:line"`` of :func:`caller_frame`, as the runtime audit log records it."""
    frame = caller_frame(start if start is not None else sys._getframe(1))
    if frame is None:
        return None
    return f"{frame.f_code.co_filename}:{frame.f_lineno}"


def warn_legacy(endpoint: str, frame: FrameType | None = None) -> bool:
    """Emit :class:`LegacyFavoritesWarning` for ``endpoint`` (``"favorites/create"``…) at the
    user's frame (found from ``frame``, default the caller), once per call site.

    Returns whether a warning was emitted (``False``: that call site already had one).
    """
    user = caller_frame(frame if frame is not None else sys._getframe(1))
    if user is None:
        return False
    filename, lineno = user.f_code.co_filename, user.f_lineno
    with _seen_lock:
        if (filename, lineno) in _seen:
            return False
        _seen.add((filename, lineno))
    module = user.f_globals.get("__name__")
    registry = user.f_globals.setdefault("__warningregistry__", {})
    warnings.warn_explicit(
        f"legacy Twitter API v1.1 {endpoint}.json was served through X API v2 Likes by "
        "compat; v1.1 favorites are gone: move this call to v2 likes (or to "
        f"compat.{endpoint.replace('/', '_')}) — see `compat audit`",
        LegacyFavoritesWarning,
        filename,
        lineno,
        module=module if isinstance(module, str) else None,
        registry=registry if isinstance(registry, dict) else None,
    )
    return True
