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
    >>> EndpointCost("tweets", requests=2, micro_usd=15_000, posts_read=3).usd
    '$0.015'
"""

from __future__ import annotations

import dataclasses
import datetime

from compat._plans import Plan
from compat._pricing import format_usd

__all__ = [
    "CorruptLine",
    "CostSummary",
    "DayCost",
    "EndpointCost",
    "ErrorCount",
    "LegacyUsage",
    "LimitUsage",
    "SlowCall",
    "V2Limit",
    "V2Usage",
]


@dataclasses.dataclass(frozen=True)
class V2Limit:
    """One X API v2 rate limit: at most ``limit`` requests to ``endpoints`` (the
    :attr:`compat.client.V2Call.endpoint` names) in any ``window_s`` seconds, counted ``per``
    user (each account apart) or per app (every account together)."""

    name: str
    endpoints: tuple[str, ...]
    window_s: int
    limit: int
    per: str = "user"

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

    The limits are the plan's per-user ones (None: none); ``limit_24h`` is the shared
    like+unlike limit where the plan has it; ``observed_429s`` counts the requests the API
    really answered with 429; ``available`` False: the plan does not offer the endpoint, and
    ``refused`` counts the requests it would refuse.
    """

    endpoint: str
    requests: int
    peak_15min: int
    peak_24h: int
    limit_15min: int | None
    limit_24h: int | None
    projected_429s: int
    observed_429s: int
    available: bool = True
    refused: int = 0


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


@dataclasses.dataclass(frozen=True)
class EndpointCost:
    """What the requests to one v2 endpoint cost, re-priced under the summary's plan.

    ``requests``: the requests that billed something; ``posts_read``/``users_read``: the
    resources charged (each once per UTC day over every line), ``owned_reads`` how many posts
    were Owned Reads; ``writes``: the successful writes; ``unpriced``: ``(reason, requests)``
    for the requests with no price on the plan; ``unknown``: successful reads logged in
    version-1 lines, which carry no resources, so are not priced.
    """

    endpoint: str
    requests: int = 0
    micro_usd: int = 0
    posts_read: int = 0
    owned_reads: int = 0
    users_read: int = 0
    writes: int = 0
    unpriced: tuple[tuple[str, int], ...] = ()
    unknown: int = 0

    @property
    def usd(self) -> str:
        return format_usd(self.micro_usd)


@dataclasses.dataclass(frozen=True)
class DayCost:
    """One UTC day of the bill: the deduplication window."""

    day: datetime.date
    micro_usd: int
    posts_read: int
    users_read: int


@dataclasses.dataclass(frozen=True)
class CostSummary:
    """The bill of a log under ``plan``: per v2 endpoint and per UTC day."""

    plan: Plan
    endpoints: tuple[EndpointCost, ...]
    days: tuple[DayCost, ...]

    @property
    def micro_usd(self) -> int:
        return sum(e.micro_usd for e in self.endpoints)

    @property
    def posts_read(self) -> int:
        return sum(e.posts_read for e in self.endpoints)

    @property
    def owned_reads(self) -> int:
        return sum(e.owned_reads for e in self.endpoints)

    @property
    def users_read(self) -> int:
        return sum(e.users_read for e in self.endpoints)

    @property
    def writes(self) -> int:
        return sum(e.writes for e in self.endpoints)

    @property
    def unpriced_requests(self) -> int:
        return sum(n for e in self.endpoints for _, n in e.unpriced)

    @property
    def unknown(self) -> int:
        return sum(e.unknown for e in self.endpoints)

    @property
    def post_cap_share(self) -> float | None:
        """The billed post reads as a share of the plan's monthly post cap (None: no cap)."""
        cap = self.plan.monthly_post_cap
        return self.posts_read / cap if cap else None
