"""The emulator and service the companion tests share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from compat._service import Service
from compat._settings import resolve
from compat.emulator import Emulator

LIKES = 250


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(likes=LIKES) as emulator:
        emulator.rate_limits.lift()
        yield emulator


@pytest.fixture
def service(emu: Emulator) -> Service:
    """A fresh service (its own page memo), the emulator's request log cleared."""
    emu.clear_requests()
    return Service(resolve({"credentials": emu.credentials, "api_base": emu.base_url}, door="t"))


def v2_requests(emu: Emulator) -> list[str]:
    """The v2 endpoints the emulator served, from its own log (GET /_emulator/requests)."""
    log = requests.get(emu.base_url + "/_emulator/requests", timeout=10).json()["requests"]
    return [str(r["endpoint"]) for r in log]
