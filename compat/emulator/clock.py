"""Clocks for the emulator: the wall clock, or a :class:`FakeClock` tests move by hand.

The emulator reads time only through a clock, for rate-limit windows and the reset epochs it
reports, so a test can cross a 15-minute or 24-hour window without sleeping.

Usage::

    >>> from compat.emulator.clock import FakeClock
    >>> clock = FakeClock(start=1_700_000_000)
    >>> clock.advance(900)
    >>> clock.time()
    1700000900.0
"""

from __future__ import annotations

import threading
import time
from typing import Protocol, runtime_checkable

__all__ = ["DEFAULT_FAKE_START", "Clock", "FakeClock", "SystemClock"]

#: Where a FakeClock starts unless told: 2023-11-14T22:13:20Z, a fixed, plausible epoch.
DEFAULT_FAKE_START = 1_700_000_000.0


@runtime_checkable
class Clock(Protocol):
    """Anything with ``time() -> float`` (epoch seconds); ``isinstance`` checks for ``time``."""

    def time(self) -> float: ...


class SystemClock:
    """The wall clock (:func:`time.time`)."""

    def time(self) -> float:
        return time.time()

    def __repr__(self) -> str:
        return "SystemClock()"


class FakeClock:
    """A clock that only moves when told to; thread-safe.

    ``sleep(seconds)`` advances it too, so code under test that sleeps through an injected
    clock returns at once.

    Usage::

        >>> clock = FakeClock()
        >>> before = clock.time()
        >>> clock.sleep(2.5)
        >>> clock.time() - before
        2.5
    """

    def __init__(self, start: float | None = None) -> None:
        self._now = float(DEFAULT_FAKE_START if start is None else start)
        self._lock = threading.Lock()

    def time(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        """Move the clock forward by ``seconds`` (must not be negative)."""
        if seconds < 0:
            raise ValueError("FakeClock.advance: seconds must not be negative")
        with self._lock:
            self._now += float(seconds)

    def set(self, epoch: float) -> None:
        """Jump to an absolute epoch (forward or backward)."""
        with self._lock:
            self._now = float(epoch)

    def sleep(self, seconds: float) -> None:
        """Advance instead of sleeping."""
        self.advance(max(0.0, seconds))

    def __repr__(self) -> str:
        return f"FakeClock(time={self.time()!r})"
