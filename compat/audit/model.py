"""The figures of a runtime audit summary, as plain data.

:mod:`compat.audit.runtime` computes them from the logs, :mod:`compat.audit.report` formats
them (its :class:`~compat.audit.report.RuntimeReport` holds them); both import this module,
which imports no other part of :mod:`compat.audit`.

Usage::

    >>> from compat.audit.model import LegacyUsage, V2Limit
    >>> LegacyUsage("favorites/create", calls=3, measured=2, v2_requests=4).mean_v2_requests
    2.0
    >>> V2Limit("like+unlike", ("like", "unlike"), 24 * 60 * 60, 1000).window
    '24 h'
"""

from __future__ import annotations

import dataclasses
import datetime

__all__ = [
    "CorruptLine",
    "ErrorCount",
    "LegacyUsage",
    "LimitUsage",
    "SlowCall",
    "V2Limit",
    "V2Usage",
]


@dataclasses.dataclass(frozen=True)
class V2Limit:
    """One X API v2 per-user rate limit: at most ``limit`` requests to ``endpoints`` (the
    :attr:`compat.client.V2Call.endpoint` names) in any ``window_s`` seconds."""

    name: str
    endpoints: tuple[str, ...]
    window_s: int
    limit: int

    @property
    def window(self) -> str:
        """The window for people: ``"15 min"``, ``"24 h"``."""
        if self.window_s % 3600 == 0:
            return f"{self.window_s // 3600} h"
        return f"{self.window_s // 60} min"


@dataclasses.dataclass(frozen=True)
class LegacyUsage:
    """Calls of one v1.1 endpoint and the v2 requests they became.

    ``measured`` counts the calls whose line lists its v2 requests (the successful ones: a
    failed call's line has no ``v2_requests``); the mean is over those.
    """

    endpoint: str
    calls: int = 0
    errors: int = 0
    measured: int = 0
    v2_requests: int = 0
    max_v2_requests: int = 0

    @property
    def mean_v2_requests(self) -> float | None:
        """v2 requests per measured call, or None when no call was measured."""
        return self.v2_requests / self.measured if self.measured else None


@dataclasses.dataclass(frozen=True)
class V2Usage:
    """Requests to one v2 endpoint: total, peaks per sliding window, projected 429s.

    ``limit_24h`` is the shared like+unlike limit for those two and None for the others;
    ``observed_429s`` counts the requests the API really answered with 429.
    """

    endpoint: str
    requests: int
    peak_15min: int
    peak_24h: int
    limit_15min: int | None
    limit_24h: int | None
    projected_429s: int
    observed_429s: int


@dataclasses.dataclass(frozen=True)
class LimitUsage:
    """One :class:`V2Limit` against the log: its peak window and the requests beyond it."""

    limit: V2Limit
    requests: int
    peak: int
    peak_start: datetime.datetime | None
    projected_429s: int


@dataclasses.dataclass(frozen=True)
class ErrorCount:
    """Failed legacy calls with one v1.1 status, code and error type."""

    status: int | None
    code: int | None
    type: str
    count: int


@dataclasses.dataclass(frozen=True)
class SlowCall:
    """One of the slowest legacy calls."""

    time: datetime.datetime
    endpoint: str
    caller: str | None
    latency_ms: float
    v2_requests: int | None
    status: int | None


@dataclasses.dataclass(frozen=True)
class CorruptLine:
    """A line of a log that is not an audit entry (kept for the first few only)."""

    path: str
    line: int
    reason: str
