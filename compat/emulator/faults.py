"""Faults on demand: the next N calls to an endpoint fail in a chosen way.

Kinds: ``"500"``, ``"503"`` (problem JSON with that status), ``"429"`` (with Retry-After and
exhausted ``x-rate-limit-*`` headers), ``"malformed"`` (a body that is not JSON),
``"truncated"`` (the real JSON body cut in half), ``"schema"`` (valid JSON that breaks the v2
shape), ``"slow"`` (wait ``delay`` seconds, then answer normally), ``"drop"`` (close the
connection without answering). For ``"429"``, ``delay`` is the Retry-After (default 60 s).
The refusals of 2026, with the bodies X sent (:mod:`compat.emulator.problems`):
``"credits"`` (402 ``CreditsDepleted``), ``"usage-capped"`` (429 ``UsageCapExceeded`` with
the caller's ordinary rate-limit headers), ``"client-not-enrolled"`` (403, the 2026-05
capture without ``type``) and ``"client-forbidden"`` (403, the fixtures' variant with
``type`` and ``detail``); for a lasting state use ``Emulator.credits`` and
``Emulator.usage_cap`` instead. ``status=`` overrides the HTTP status of every kind but
slow and drop. Endpoint ``"*"`` matches every endpoint.

Usage::

    >>> from compat.emulator.faults import Faults
    >>> faults = Faults()
    >>> faults.inject("like", "503", times=2)
    >>> [f.kind for f in (faults.take("like"), faults.take("like"))], faults.take("like")
    (['503', '503'], None)
"""

from __future__ import annotations

import dataclasses
import threading
from typing import Any

from compat._v2 import ROUTES

__all__ = ["ENDPOINTS", "FAULT_KINDS", "Fault", "Faults"]

FAULT_KINDS: tuple[str, ...] = (
    "500",
    "503",
    "429",
    "malformed",
    "truncated",
    "schema",
    "slow",
    "drop",
    "credits",
    "usage-capped",
    "client-not-enrolled",
    "client-forbidden",
)
#: The v2 endpoints the emulator serves (:data:`compat._v2.ROUTES`); faults name them.
ENDPOINTS: tuple[str, ...] = tuple(ROUTES)


@dataclasses.dataclass
class Fault:
    """One queued fault; ``remaining`` counts down as matching requests take it."""

    endpoint: str
    kind: str
    remaining: int
    delay: float | None = None
    status: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


class Faults:
    """A thread-safe FIFO of faults; the server calls :meth:`take` once per request.

    ``extra_endpoints`` widens the names :meth:`inject` accepts (for routes added later).
    """

    def __init__(self, extra_endpoints: tuple[str, ...] = ()) -> None:
        self._lock = threading.Lock()
        self._queue: list[Fault] = []
        self.endpoints: set[str] = {*ENDPOINTS, *extra_endpoints, "*"}

    def inject(
        self,
        endpoint: str,
        kind: str,
        times: int = 1,
        *,
        delay: float | None = None,
        status: int | None = None,
    ) -> None:
        """Make the next ``times`` requests to ``endpoint`` fail with ``kind``.

        Raises ValueError for an unknown endpoint or kind, ``times`` < 1, a "slow" fault
        without a non-negative ``delay``, or a ``status`` outside 100-599.
        """
        if endpoint not in self.endpoints:
            raise ValueError(
                f"unknown endpoint {endpoint!r}; expected one of {sorted(self.endpoints)}"
            )
        kind = str(kind)
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {list(FAULT_KINDS)}")
        if isinstance(times, bool) or not isinstance(times, int) or times < 1:
            raise ValueError("times must be an integer >= 1")
        if kind == "slow":
            if delay is None or isinstance(delay, bool) or not 0 <= float(delay) <= 600:
                raise ValueError("a 'slow' fault needs delay= between 0 and 600 seconds")
            delay = float(delay)
        elif kind == "429" and delay is not None:
            if isinstance(delay, bool) or not 0 <= float(delay) <= 86_400:
                raise ValueError("a '429' fault's delay= (its Retry-After) must be 0-86400 s")
            delay = float(delay)
        elif delay is not None:
            raise ValueError("delay= applies to 'slow' and '429' faults only")
        if status is not None and (
            isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599
        ):
            raise ValueError("status must be an HTTP status between 100 and 599")
        with self._lock:
            self._queue.append(Fault(endpoint, kind, times, delay, status))

    def take(self, endpoint: str) -> Fault | None:
        """The fault for one request to ``endpoint`` (consuming one of its ``times``)."""
        with self._lock:
            for fault in self._queue:
                if fault.endpoint in (endpoint, "*"):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._queue.remove(fault)
                    return dataclasses.replace(fault)
        return None

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()

    def pending(self) -> list[Fault]:
        with self._lock:
            return [dataclasses.replace(f) for f in self._queue]

    def __len__(self) -> int:
        with self._lock:
            return len(self._queue)
