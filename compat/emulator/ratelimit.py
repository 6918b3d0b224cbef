"""Server-side rate limits, per authenticated user (or app) and endpoint, on an injected clock.

As documented for v2 Likes: like and unlike 50 requests per 15 minutes each, plus 1000 per
24 hours shared by both (reported in ``x-user-limit-24hour-*``); 75 per 15 minutes for each
lookup. The numbers are read from :mod:`compat._v2` (``Route.user_limit``,
``LIKES_DAY_LIMIT``, ``LIKES_DAY_SHARED``), which says where each comes from. Windows are
fixed: they start with the first request and reset 15 minutes (or 24 hours) later. A refused
request (429) does not count.

Usage::

    >>> from compat.emulator.clock import FakeClock
    >>> from compat.emulator.ratelimit import RateLimiter
    >>> limiter = RateLimiter(FakeClock(start=0))
    >>> allowed, headers = limiter.hit("user:1", "like")
    >>> allowed, headers["x-rate-limit-remaining"], headers["x-user-limit-24hour-remaining"]
    (True, '49', '999')
"""

from __future__ import annotations

import dataclasses
import math
import threading
from typing import Any

from compat._v2 import LIKES_DAY_LIMIT, LIKES_DAY_SHARED, ROUTES, WINDOW_15MIN, WINDOW_24H
from compat.emulator.clock import Clock

__all__ = ["DAY_LIMIT", "DAY_SHARED", "LIMITS", "RateLimiter", "Window"]


@dataclasses.dataclass(frozen=True)
class Window:
    limit: int
    seconds: int


#: endpoint -> its 15-minute window (endpoints missing here are not limited)
LIMITS: dict[str, Window] = {
    endpoint: Window(route.user_limit, WINDOW_15MIN)
    for endpoint, route in ROUTES.items()
    if route.user_limit is not None
}
#: the 24-hour cap shared by like and unlike
DAY_LIMIT = Window(LIKES_DAY_LIMIT, WINDOW_24H)
DAY_SHARED: frozenset[str] = LIKES_DAY_SHARED


class _Counter:
    __slots__ = ("count", "reset")

    def __init__(self, reset: float) -> None:
        self.count = 0
        self.reset = reset


class RateLimiter:
    """Counts requests; ``hit`` says whether one is allowed and gives its headers.

    ``lift()`` stops refusing (headers still sent), ``scale(f)`` multiplies every limit by
    ``f`` (at least 1), ``reset()`` forgets all counts and undoes lift/scale.
    """

    def __init__(self, clock: Clock, *, enabled: bool = True) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._counters: dict[tuple[str, str], _Counter] = {}
        self._lifted = not enabled
        self._factor = 1.0

    # -- control ------------------------------------------------------------------------
    def lift(self) -> None:
        with self._lock:
            self._lifted = True

    def scale(self, factor: float) -> None:
        if not factor > 0 or math.isinf(factor):
            raise ValueError("RateLimiter.scale: factor must be a positive finite number")
        with self._lock:
            self._factor = float(factor)

    def reset(self) -> None:
        with self._lock:
            self._counters.clear()
            self._lifted = False
            self._factor = 1.0

    @property
    def lifted(self) -> bool:
        return self._lifted

    def describe(self) -> dict[str, Any]:
        with self._lock:
            return {
                "lifted": self._lifted,
                "factor": self._factor,
                "limits": {e: self._limit(w) for e, w in LIMITS.items()},
                "day_limit": self._limit(DAY_LIMIT),
            }

    # -- counting -----------------------------------------------------------------------
    def _limit(self, window: Window) -> int:
        return max(1, int(window.limit * self._factor))

    def _counter(self, key: tuple[str, str], window: Window, now: float) -> _Counter:
        counter = self._counters.get(key)
        if counter is None or now >= counter.reset:
            counter = self._counters[key] = _Counter(now + window.seconds)
        return counter

    def hit(self, who: str, endpoint: str) -> tuple[bool, dict[str, str]]:
        """Count one request by ``who`` on ``endpoint``: (allowed, rate-limit headers)."""
        window = LIMITS.get(endpoint)
        if window is None:
            return True, {}
        now = self._clock.time()
        with self._lock:
            limit = self._limit(window)
            counter = self._counter((who, endpoint), window, now)
            day: _Counter | None = None
            day_limit = self._limit(DAY_LIMIT)
            if endpoint in DAY_SHARED:
                day = self._counter((who, "day:likes"), DAY_LIMIT, now)
            allowed = self._lifted or (
                counter.count < limit and (day is None or day.count < day_limit)
            )
            if allowed:
                counter.count += 1
                if day is not None:
                    day.count += 1
            headers = {
                "x-rate-limit-limit": str(limit),
                "x-rate-limit-remaining": str(max(0, limit - counter.count)),
                "x-rate-limit-reset": str(int(counter.reset)),
            }
            if day is not None:
                headers["x-user-limit-24hour-limit"] = str(day_limit)
                headers["x-user-limit-24hour-remaining"] = str(max(0, day_limit - day.count))
                headers["x-user-limit-24hour-reset"] = str(int(day.reset))
            if self._lifted:
                headers["x-rate-limit-remaining"] = str(limit)
            return allowed, headers

    def retry_after(self, headers: dict[str, str]) -> int:
        """Seconds until the window that refused a request resets."""
        now = self._clock.time()
        resets = [int(headers.get("x-rate-limit-reset", now))]
        if headers.get("x-user-limit-24hour-remaining") == "0":
            resets.append(int(headers.get("x-user-limit-24hour-reset", now)))
        if headers.get("x-rate-limit-remaining") != "0" and len(resets) > 1:
            resets = resets[1:]
        return max(0, max(resets) - int(now))
