"""An embedded X API v2 Likes emulator: a real HTTP server on loopback, built on real data.

It serves one plan of compat's plans table (``Emulator(plan="pay-per-use")``; default
``"enterprise"``, where likes work): the endpoints it offers, their rate limits, the monthly
post cap, and the refusals of 2026 (402 credits, 429 usage-capped) on demand. What X has not
made public is guessed in one place, :mod:`compat.emulator.unknowns`.

Usage::

    >>> from compat.emulator import Emulator, FakeClock
    >>> with Emulator(likes=100, clock=FakeClock()) as emu:
    ...     emu.base_url.startswith("http://127.0.0.1:"), emu.user_id, emu.plan.name
    (True, '1072250532645998596', 'enterprise')
"""

from __future__ import annotations

from compat.emulator.auth import Principal
from compat.emulator.billing import Credits, UsageCap
from compat.emulator.clock import Clock, FakeClock, SystemClock
from compat.emulator.dataset import App, Dataset, DatasetError, Token
from compat.emulator.faults import ENDPOINTS, FAULT_KINDS, Fault, Faults
from compat.emulator.problems import Answer
from compat.emulator.ratelimit import RateLimiter, Window
from compat.emulator.routing import Context, EmulatorView, Reply, RequestRecord, Route
from compat.emulator.server import Emulator
from compat.emulator.state import State

__all__ = [
    "ENDPOINTS",
    "FAULT_KINDS",
    "Answer",
    "App",
    "Clock",
    "Context",
    "Credits",
    "Dataset",
    "DatasetError",
    "Emulator",
    "EmulatorView",
    "FakeClock",
    "Fault",
    "Faults",
    "Principal",
    "RateLimiter",
    "Reply",
    "RequestRecord",
    "Route",
    "State",
    "SystemClock",
    "Token",
    "UsageCap",
    "Window",
]
