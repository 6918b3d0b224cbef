"""An embedded X API v2 Likes emulator: a real HTTP server on loopback, built on real data.

Usage::

    >>> from compat.emulator import Emulator, FakeClock
    >>> with Emulator(likes=100, clock=FakeClock()) as emu:
    ...     emu.base_url.startswith("http://127.0.0.1:"), emu.user_id
    (True, '1072250532645998596')
"""

from __future__ import annotations

from compat.emulator.auth import Principal
from compat.emulator.clock import Clock, FakeClock, SystemClock
from compat.emulator.dataset import App, Dataset, DatasetError, Token
from compat.emulator.faults import ENDPOINTS, FAULT_KINDS, Fault, Faults
from compat.emulator.ratelimit import LIMITS, RateLimiter
from compat.emulator.routing import Context, EmulatorView, Reply, RequestRecord, Route
from compat.emulator.server import Emulator
from compat.emulator.state import State

__all__ = [
    "ENDPOINTS",
    "FAULT_KINDS",
    "LIMITS",
    "App",
    "Clock",
    "Context",
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
]
