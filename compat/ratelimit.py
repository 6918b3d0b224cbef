"""Rate-limit state read from X API response headers.

v2 sends ``x-rate-limit-limit/remaining/reset`` (per endpoint, 15-minute window) and, on the
write endpoints, ``x-user-limit-24hour-limit/remaining/reset`` (the 24-hour cap shared by like
and unlike). Every compat result and error carries one :class:`RateLimit`.

Usage::

    >>> from compat.ratelimit import RateLimit
    >>> rl = RateLimit.from_headers({"x-rate-limit-limit": "50", "x-rate-limit-remaining": "48",
    ...                              "x-rate-limit-reset": "1619531089"})
    >>> rl.limit, rl.remaining, rl.reset
    (50, 48, 1619531089)
    >>> rl.headers()["x-rate-limit-remaining"]
    '48'
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

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> RateLimit:
        """Parse from any header mapping; names are matched case-insensitively."""
        lower = {k.lower(): v for k, v in headers.items()}
        return cls(**{field: _int_or_none(lower.get(name)) for field, name in _FIELDS.items()})

    def headers(self) -> dict[str, str]:
        """The headers again, for responses compat synthesises (only those known)."""
        return {
            name: str(getattr(self, field))
            for field, name in _FIELDS.items()
            if getattr(self, field) is not None
        }

    def headroom(self) -> int | None:
        """The smaller of the 15-minute and 24-hour ``remaining`` values, if any is known."""
        known = [v for v in (self.remaining, self.day_remaining) if v is not None]
        return min(known) if known else None
