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

A v1.1 call compat does *not* serve (``statuses/update``, ``friends/ids``, media upload…)
gets :class:`UnservedLegacyWarning` instead, once per endpoint and process (:func:`warn_unserved`):
a :class:`UserWarning`, shown by default, because that call goes to X's v1.1 API untouched
(``unserved="pass"``) or is refused (``unserved="error"``) and the program may fail there.

    >>> from compat.warnings import UnservedLegacyWarning
    >>> issubclass(UnservedLegacyWarning, UserWarning)
    True
"""

from __future__ import annotations

import sys
import threading
import warnings
from types import FrameType

__all__ = [
    "LIBRARY_PACKAGES",
    "LegacyFavoritesWarning",
    "UnservedLegacyWarning",
    "caller_frame",
    "caller_location",
    "forget_warned",
    "warn_legacy",
    "warn_unserved",
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


class UnservedLegacyWarning(UserWarning):
    """A v1.1 call compat does not serve was passed to X untouched, or refused (see
    ``unserved`` in :mod:`compat._settings`)."""


_unserved_seen: set[str] = set()


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
    if endpoint.startswith("favorites/"):
        message = (
            f"legacy Twitter API v1.1 {endpoint}.json was served through X API v2 Likes by "
            "compat; v1.1 favorites are gone: move this call to v2 likes (or to "
            f"compat.{endpoint.replace('/', '_')}) — see `compat audit`"
        )
    else:
        message = (
            f"legacy Twitter API v1.1 {endpoint}.json was served through X API v2 by compat; "
            "v1.1 is retired: move this call to its v2 endpoint — see `compat audit`"
        )
    _warn_at(user, message, LegacyFavoritesWarning)
    return True


def _warn_at(user: FrameType, message: str, category: type[Warning]) -> None:
    """Warn as if from ``user``'s line, honouring its module's filters and registry."""
    module = user.f_globals.get("__name__")
    registry = user.f_globals.setdefault("__warningregistry__", {})
    # module=None must not be passed: warn_explicit then drops the warning silently (code
    # exec'd with bare globals has no __name__); left out, it is derived from the filename.
    where = (message, category, user.f_code.co_filename, user.f_lineno)
    kept = registry if isinstance(registry, dict) else None
    if isinstance(module, str):
        warnings.warn_explicit(*where, module=module, registry=kept)
    else:
        warnings.warn_explicit(*where, registry=kept)


def forget_warned() -> None:
    """Forget which call sites and unserved endpoints were warned about, so each warns once
    again (for tests that expect the first warning)."""
    with _seen_lock:
        _seen.clear()
        _unserved_seen.clear()


def warn_unserved(endpoint: str, refused: bool, frame: FrameType | None = None) -> bool:
    """Emit :class:`UnservedLegacyWarning` for the v1.1 ``endpoint`` compat does not serve
    (``refused``: answered with a v1.1 error, else passed through), once per endpoint and
    process, at the user's frame (found from ``frame``, default the caller).

    Returns whether a warning was emitted (``False``: this endpoint already had one).
    """
    with _seen_lock:
        if endpoint in _unserved_seen:
            return False
        _unserved_seen.add(endpoint)
    if refused:
        what = (
            "was refused with a v1.1 error (unserved='error'); it reached no server. Set "
            "unserved='pass' (COMPAT_UNSERVED=pass) to send such calls to X as they are"
        )
    else:
        what = (
            "was sent to X's v1.1 API untouched (unserved='pass'), where it may fail: most "
            "of v1.1 is retired. Set unserved='error' (COMPAT_UNSERVED=error, "
            "`compat run --strict`) to refuse such calls instead"
        )
    message = f"legacy Twitter API v1.1 {endpoint} is not served by compat: the call {what}"
    user = caller_frame(frame if frame is not None else sys._getframe(1))
    if user is None:
        warnings.warn(message, UnservedLegacyWarning, stacklevel=2)
        return True
    _warn_at(user, message, UnservedLegacyWarning)
    return True
