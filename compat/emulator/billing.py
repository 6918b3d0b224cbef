"""Billing on demand: credits that run out (402) and the monthly post-read cap (429).

:class:`Credits` is the pay-per-use balance: ``deplete()`` makes every following API request
fail with 402 ``CreditsDepleted`` ("API requests will fail until you purchase more credits",
x-api_fundamentals_post-cap.mdx:121), ``deplete(after=N)`` lets N more billed answers through
first, ``refill()`` is buying credits. :class:`UsageCap` counts post reads against the plan's
``monthly_post_cap`` (pay-per-use: 3,000,000, x-api_fundamentals_post-cap.mdx:21), each post
once per UTC day ("If the same post is returned from multiple queries within a day, it only
counts once", x-api_fundamentals_post-cap.mdx:45); once reached, post reads answer 429
``UsageCapExceeded`` until ``reset()`` (a new billing cycle; X does not say when a cycle
starts, so the emulator starts one only when told). Both work on any plan, so a test can
reach them on demand; only a plan with a cap in the table counts toward one by itself.

Usage::

    >>> from compat.emulator.billing import UsageCap
    >>> from compat.emulator.clock import FakeClock
    >>> cap = UsageCap(FakeClock(start=0), limit=3)
    >>> cap.count(["1", "2", "2"]), cap.count(["1"]), cap.reached
    (2, 0, False)
    >>> cap.count(["3"]), cap.reached
    (1, True)
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from compat.emulator.clock import Clock

__all__ = ["Credits", "UsageCap"]

_DAY = 86_400


def _count(value: object, name: str, *, allow_none: bool = False) -> int | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be an int >= 0, got {value!r}")
    return value


class Credits:
    """The account's prepaid credits, on demand: plenty until :meth:`deplete`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._left: int | None = None  # billed answers still allowed; None: not depleted

    def deplete(self, after: int = 0) -> None:
        """Run out now, or after ``after`` more billed answers (successful, with data)."""
        left = _count(after, "after")
        with self._lock:
            self._left = left

    def refill(self) -> None:
        """Buy credits: requests are served again."""
        with self._lock:
            self._left = None

    @property
    def depleted(self) -> bool:
        with self._lock:
            return self._left == 0

    def spend(self) -> None:
        """One billed answer was served (called by the server)."""
        with self._lock:
            if self._left:
                self._left -= 1

    def describe(self) -> dict[str, Any]:
        with self._lock:
            return {"depleted": self._left == 0, "billed_answers_left": self._left}


class UsageCap:
    """Post reads this billing cycle against ``limit`` (None: no cap), deduplicated per UTC
    day on ``clock``. ``default`` (the plan's cap) is what :meth:`reset` goes back to."""

    def __init__(self, clock: Clock, limit: int | None) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._default = _count(limit, "limit", allow_none=True)
        self._limit = self._default
        self._used = 0
        self._forced = False
        self._day: int | None = None
        self._seen: set[str] = set()

    # -- control ------------------------------------------------------------------------
    def set(self, limit: int | None) -> None:
        """A different cap for this cycle (e.g. 10 instead of 3,000,000); None: no cap."""
        checked = _count(limit, "limit", allow_none=True)
        with self._lock:
            self._limit = checked

    def reach(self) -> None:
        """The cap is reached now, whatever was read (also on a plan without a cap)."""
        with self._lock:
            self._forced = True

    def reset(self) -> None:
        """A new billing cycle: nothing read, the plan's cap again."""
        with self._lock:
            self._limit = self._default
            self._used = 0
            self._forced = False
            self._day = None
            self._seen.clear()

    # -- state --------------------------------------------------------------------------
    @property
    def limit(self) -> int | None:
        with self._lock:
            return self._limit

    @property
    def used(self) -> int:
        with self._lock:
            return self._used

    @property
    def reached(self) -> bool:
        with self._lock:
            return self._forced or (self._limit is not None and self._used >= self._limit)

    def count(self, post_ids: Iterable[str]) -> int:
        """Count the posts one answer returned; returns how many were new today."""
        day = int(self._clock.time() // _DAY)
        with self._lock:
            if day != self._day:
                self._day = day
                self._seen.clear()
            new = {p for p in post_ids if p not in self._seen}
            self._seen.update(new)
            self._used += len(new)
            return len(new)

    def describe(self) -> dict[str, Any]:
        with self._lock:
            reached = self._forced or (self._limit is not None and self._used >= self._limit)
            return {"limit": self._limit, "used": self._used, "reached": reached}
