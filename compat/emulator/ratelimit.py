"""Server-side rate limits per plan, per authenticated user (or app) and endpoint, on a clock.

The windows are the plan's, from compat's plans table (:meth:`compat._plans.Plan.terms`):
each ``Limit`` is so many requests per 15 minutes or 24 hours, counted per user (OAuth 1.0a
or OAuth 2.0 user context) or per app (an app-only bearer), as X documents: "Per-user limits
apply with OAuth 1.0a or OAuth 2.0 user tokens; per-app limits apply with Bearer Token"
(x-api_fundamentals_rate-limits.mdx:17-18). A ``Limit.shared`` name makes endpoints count in
one window (like and unlike's 1,000 per 24 hours). Windows are fixed: they start with the
first request and reset ``window_s`` later. A refused request (429) does not count. An
endpoint the plan does not list is not limited.

Headers: ``x-rate-limit-limit/-remaining/-reset`` describe the exhausted or, if none is, the
tightest (fewest requests left) of the shorter-than-a-day windows
(x-api_fundamentals_rate-limits.mdx:25-37); a 24-hour window is reported in
``x-user-limit-24hour-*`` (``x-app-limit-24hour-*`` when counted per app), as compat's client
reads them; whether X still sends those is in :data:`compat.emulator.unknowns.SENDS_24HOUR_HEADERS`.

Usage::

    >>> from compat._plans import get_plan
    >>> from compat.emulator.clock import FakeClock
    >>> from compat.emulator.ratelimit import RateLimiter
    >>> limiter = RateLimiter(FakeClock(start=0), plan=get_plan("enterprise"))
    >>> allowed, headers = limiter.hit("user:1", "like")
    >>> allowed, headers["x-rate-limit-remaining"], headers["x-user-limit-24hour-remaining"]
    (True, '49', '999')
"""

from __future__ import annotations

import dataclasses
import math
import threading
from typing import Any

from compat._plans import DEFAULT_PLAN, Plan, get_plan
from compat._v2 import WINDOW_15MIN, WINDOW_24H
from compat.emulator import unknowns
from compat.emulator.clock import Clock

__all__ = ["RateLimiter", "Window", "plan_windows"]


@dataclasses.dataclass(frozen=True)
class Window:
    """One window of one endpoint: at most ``limit`` requests per ``seconds``, counted
    ``per`` "user" or "app"; endpoints naming the same ``shared`` count together."""

    limit: int
    seconds: int
    per: str
    shared: str | None = None
    source: str = ""

    def key(self, endpoint: str) -> str:
        return f"{self.shared or endpoint}/{self.seconds}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "requests": self.limit,
            "window_s": self.seconds,
            "per": self.per,
            "shared": self.shared,
            "source": self.source,
        }


def plan_windows(plan: Plan) -> dict[str, tuple[Window, ...]]:
    """Every window of every endpoint the plan offers, as the table lists them."""
    return {
        endpoint: tuple(
            Window(lim.requests, lim.window_s, lim.per, lim.shared, lim.source)
            for lim in terms.limits
        )
        for endpoint, terms in plan.endpoints.items()
        if terms.available and terms.limits
    }


class _Counter:
    __slots__ = ("count", "reset")

    def __init__(self, reset: float) -> None:
        self.count = 0
        self.reset = reset


def _per(who: str) -> str:
    return "app" if who.startswith("app:") else "user"


class RateLimiter:
    """Counts requests; :meth:`hit` says whether one is allowed and gives its headers.

    ``lift()`` stops refusing (headers still sent), ``scale(f)`` multiplies every limit by
    ``f`` (at least 1 each), ``cap(n)`` allows at most ``n`` per 15-minute window (or per
    ``window_s``), ``reset()`` forgets all counts and undoes lift/scale/cap.
    """

    def __init__(self, clock: Clock, *, plan: Plan | None = None, enabled: bool = True) -> None:
        self._clock = clock
        self.plan = plan if plan is not None else get_plan(DEFAULT_PLAN)
        self._windows = plan_windows(self.plan)
        self._lock = threading.Lock()
        self._counters: dict[tuple[str, str], _Counter] = {}
        self._lifted = not enabled
        self._factor = 1.0
        self._caps: dict[int, int] = {}

    # -- control ------------------------------------------------------------------------
    def lift(self) -> None:
        with self._lock:
            self._lifted = True

    def scale(self, factor: float) -> None:
        if not factor > 0 or math.isinf(factor):
            raise ValueError("RateLimiter.scale: factor must be a positive finite number")
        with self._lock:
            self._factor = float(factor)

    def cap(self, requests: int, *, window_s: int = WINDOW_15MIN) -> None:
        """At most ``requests`` per window of ``window_s`` seconds (other windows unchanged),
        e.g. ``cap(1)`` for one request per endpoint and 15 minutes."""
        if isinstance(requests, bool) or not isinstance(requests, int) or requests < 1:
            raise ValueError("RateLimiter.cap: requests must be an int >= 1")
        if window_s not in (WINDOW_15MIN, WINDOW_24H):
            raise ValueError(f"RateLimiter.cap: window_s must be {WINDOW_15MIN} or {WINDOW_24H}")
        with self._lock:
            self._caps[window_s] = requests

    def reset(self) -> None:
        with self._lock:
            self._counters.clear()
            self._lifted = False
            self._factor = 1.0
            self._caps.clear()

    @property
    def lifted(self) -> bool:
        return self._lifted

    def windows(self, endpoint: str, per: str = "user") -> tuple[Window, ...]:
        """The windows ``endpoint`` counts in for a ``per`` caller, with scale/cap applied."""
        with self._lock:
            return self._effective(endpoint, per)

    def describe(self) -> dict[str, Any]:
        with self._lock:
            limits: dict[str, int] = {}
            for endpoint in self._windows:
                user = self._effective(endpoint, "user")
                if user:
                    limits[endpoint] = min(user, key=lambda w: w.seconds).limit
            return {
                "plan": self.plan.name,
                "lifted": self._lifted,
                "factor": self._factor,
                "caps": {str(s): n for s, n in self._caps.items()},
                "limits": limits,
                "windows": {
                    endpoint: [
                        w.to_dict()
                        for per in ("user", "app")
                        for w in self._effective(endpoint, per)
                    ]
                    for endpoint in self._windows
                },
            }

    # -- counting -----------------------------------------------------------------------
    def _effective(self, endpoint: str, per: str) -> tuple[Window, ...]:
        found = []
        for window in self._windows.get(endpoint, ()):
            if window.per != per:
                continue
            limit = max(1, int(window.limit * self._factor))
            cap = self._caps.get(window.seconds)
            if cap is not None:
                limit = min(limit, cap)
            found.append(dataclasses.replace(window, limit=limit))
        return tuple(found)

    def _counter(
        self, who: str, endpoint: str, window: Window, now: float, *, keep: bool
    ) -> _Counter:
        key = (who, window.key(endpoint))
        counter = self._counters.get(key)
        if counter is None or now >= counter.reset:
            counter = _Counter(now + window.seconds)
            if keep:  # a peek must not start a window
                self._counters[key] = counter
        return counter

    def hit(self, who: str, endpoint: str) -> tuple[bool, dict[str, str]]:
        """Count one request by ``who`` ("user:ID" or "app:NAME") on ``endpoint``:
        (allowed, rate-limit headers). An endpoint without windows is always allowed."""
        return self._hit(who, endpoint, count=True)

    def peek(self, who: str, endpoint: str) -> dict[str, str]:
        """The headers ``who`` would see on ``endpoint`` now, counting nothing."""
        return self._hit(who, endpoint, count=False)[1]

    def _hit(self, who: str, endpoint: str, *, count: bool) -> tuple[bool, dict[str, str]]:
        now = self._clock.time()
        with self._lock:
            windows = self._effective(endpoint, _per(who))
            if not windows:
                return True, {}
            counters = [self._counter(who, endpoint, w, now, keep=count) for w in windows]
            allowed = self._lifted or all(
                c.count < w.limit for w, c in zip(windows, counters, strict=True)
            )
            if allowed and count:
                for counter in counters:
                    counter.count += 1
            return allowed, self._headers(windows, counters)

    def _headers(self, windows: tuple[Window, ...], counters: list[_Counter]) -> dict[str, str]:
        pairs = list(zip(windows, counters, strict=True))
        day = [(w, c) for w, c in pairs if w.seconds >= WINDOW_24H]
        short = [(w, c) for w, c in pairs if w.seconds < WINDOW_24H]
        reported = short if short and unknowns.SENDS_24HOUR_HEADERS else pairs
        # the exhausted window, else the one with the fewest requests left; on a tie the one
        # that resets last (that is when a client may go on)
        window, counter = min(reported, key=lambda p: (p[0].limit - p[1].count, -p[1].reset))
        remaining = max(0, window.limit - counter.count)
        headers = {
            "x-rate-limit-limit": str(window.limit),
            "x-rate-limit-remaining": str(window.limit if self._lifted else remaining),
            "x-rate-limit-reset": str(int(counter.reset)),
        }
        if unknowns.SENDS_24HOUR_HEADERS:
            for window, counter in day:
                prefix = f"x-{window.per}-limit-24hour-"
                headers[prefix + "limit"] = str(window.limit)
                headers[prefix + "remaining"] = str(max(0, window.limit - counter.count))
                headers[prefix + "reset"] = str(int(counter.reset))
        return headers

    def retry_after(self, headers: dict[str, str]) -> int:
        """Seconds until the window that refused a request resets (the latest exhausted one)."""
        now = self._clock.time()
        resets = [
            int(headers[prefix + "reset"])
            for prefix in ("x-rate-limit-", "x-user-limit-24hour-", "x-app-limit-24hour-")
            if headers.get(prefix + "remaining") == "0" and prefix + "reset" in headers
        ]
        if not resets:
            resets = [int(headers.get("x-rate-limit-reset", now))]
        return max(0, max(resets) - int(now))
