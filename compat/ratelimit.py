"""Rate-limit state read from X API response headers.

v2 sends ``x-rate-limit-limit/remaining/reset`` (per endpoint, 15-minute window) and, on the
write endpoints, ``x-user-limit-24hour-limit/remaining/reset`` (the 24-hour cap shared by like
and unlike). ``x-app-limit-24hour-*`` (a per-app 24-hour cap) is parsed too when present: X's
rate-limit page lists per-app 24-hour limits, but no recording shows the header (unverified).
Every compat result and error carries one :class:`RateLimit`.

A legacy v1.1 client knows only ``x-rate-limit-*``, so :meth:`RateLimit.headers` tells it about
a spent 24-hour window through those: ``x-rate-limit-remaining: 0`` and ``x-rate-limit-reset``
at the 24-hour reset, which is when tweepy's ``wait_on_rate_limit`` must sleep to.

Usage::

    >>> from compat.ratelimit import RateLimit
    >>> rl = RateLimit.from_headers({"x-rate-limit-limit": "50", "x-rate-limit-remaining": "48",
    ...                              "x-rate-limit-reset": "1619531089"})
    >>> rl.limit, rl.remaining, rl.reset
    (50, 48, 1619531089)
    >>> rl.headers()["x-rate-limit-remaining"]
    '48'
    >>> day = RateLimit.from_headers({"x-rate-limit-remaining": "48",
    ...                               "x-rate-limit-reset": "1619531089",
    ...                               "x-user-limit-24hour-remaining": "0",
    ...                               "x-user-limit-24hour-reset": "1619600000"})
    >>> day.exhausted, day.retry_at
    ('24-hour (user)', 1619600000)
    >>> day.headers()["x-rate-limit-remaining"], day.headers()["x-rate-limit-reset"]
    ('0', '1619600000')
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

__all__ = ["RATE_LIMIT_HEADERS", "RateLimit"]

_FIELDS = {
    "limit": "x-rate-limit-limit",
    "remaining": "x-rate-limit-remaining",
    "reset": "x-rate-limit-reset",
    "day_limit": "x-user-limit-24hour-limit",
    "day_remaining": "x-user-limit-24hour-remaining",
    "day_reset": "x-user-limit-24hour-reset",
    "app_day_limit": "x-app-limit-24hour-limit",
    "app_day_remaining": "x-app-limit-24hour-remaining",
    "app_day_reset": "x-app-limit-24hour-reset",
}
RATE_LIMIT_HEADERS: tuple[str, ...] = tuple(_FIELDS.values())


def _int_or_none(value: str | None) -> int | None:
    if value is None:
        return None
    value = value.strip()
    return int(value) if value.isascii() and value.isdigit() else None


@dataclasses.dataclass(frozen=True)
class RateLimit:
    """The window limits the last response reported; ``None`` where a header was absent."""

    limit: int | None = None
    remaining: int | None = None
    reset: int | None = None  # epoch seconds
    day_limit: int | None = None
    day_remaining: int | None = None
    day_reset: int | None = None
    app_day_limit: int | None = None
    app_day_remaining: int | None = None
    app_day_reset: int | None = None

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> RateLimit:
        """Parse from any header mapping; names are matched case-insensitively."""
        lower = {k.lower(): v for k, v in headers.items()}
        return cls(**{field: _int_or_none(lower.get(name)) for field, name in _FIELDS.items()})

    def _windows(self) -> tuple[tuple[str, int | None, int | None], ...]:
        """(name, remaining, reset) of every window, the 15-minute one first."""
        return (
            ("15-minute", self.remaining, self.reset),
            ("24-hour (user)", self.day_remaining, self.day_reset),
            ("24-hour (app)", self.app_day_remaining, self.app_day_reset),
        )

    @property
    def exhausted(self) -> str | None:
        """The name of the spent window that lifts last (``"15-minute"``, ``"24-hour (user)"``,
        ``"24-hour (app)"``), or None when no window reports 0 remaining."""
        spent = [(reset or 0, name) for name, left, reset in self._windows() if left == 0]
        return max(spent)[1] if spent else None

    @property
    def retry_at(self) -> int | None:
        """When requests may resume (epoch seconds): the latest reset of the spent windows,
        else the 15-minute reset."""
        resets = [r for _n, left, r in self._windows() if left == 0 and r is not None]
        return max(resets) if resets else self.reset

    def headers(self) -> dict[str, str]:
        """The headers again, for responses compat synthesises (only those known).

        When a 24-hour window is spent, ``x-rate-limit-remaining`` is 0 and
        ``x-rate-limit-reset`` its reset, so that a v1.1 client waits for the window that
        actually refuses (v1.1 had no other way to say it)."""
        out = {
            name: str(getattr(self, field))
            for field, name in _FIELDS.items()
            if getattr(self, field) is not None
        }
        if self.exhausted not in (None, "15-minute") and self.retry_at is not None:
            out["x-rate-limit-remaining"] = "0"
            out["x-rate-limit-reset"] = str(self.retry_at)
        return out

    def headroom(self) -> int | None:
        """The smallest ``remaining`` of the 15-minute and 24-hour windows, if any is known."""
        windows = (self.remaining, self.day_remaining, self.app_day_remaining)
        known = [v for v in windows if v is not None]
        return min(known) if known else None
