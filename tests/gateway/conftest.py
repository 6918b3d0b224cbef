"""Fixtures of the gateway tests: one emulator per module (its v2 routes and its gateway share
one state), a clean environment, and helpers that build the gateway backend against it.

Each test starts with the emulator's gateway state reset and its per-key limit lifted (the
tests that check limits reset it again), with no fault pending and with no compat variable
in the environment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from compat import _environment
from compat.emulator import Emulator, FakeClock


def no_sleep(seconds: float) -> None:
    """Retries without waiting."""


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for row in _environment.table():
        monkeypatch.delenv(row.name, raising=False)


@pytest.fixture(scope="module")
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="module")
def emu(clock: FakeClock) -> Iterator[Emulator]:
    with Emulator(likes=40, clock=clock) as emulator:
        emulator.rate_limits.lift()
        yield emulator


@pytest.fixture(autouse=True)
def _fresh_gateway(request: pytest.FixtureRequest) -> Iterator[None]:
    if "emu" not in request.fixturenames:
        yield
        return
    emulator: Emulator = request.getfixturevalue("emu")
    emulator.gateway.reset()
    emulator.gateway.lift()
    emulator.faults.clear()
    emulator.clear_requests()
    yield
    emulator.gateway.reset()
    emulator.faults.clear()


@pytest.fixture
def gateway_options(emu: Emulator) -> Callable[..., dict[str, Any]]:
    """``gateway_options(**more)``: the keywords of a way in that selects this emulator's
    gateway with the default user's key (``write=False``/``linked=False`` pick another key)."""

    def options(*, write: bool = True, linked: bool = True, **more: Any) -> dict[str, Any]:
        return {
            "backend": "gateway",
            "gateway_url": emu.base_url + "/apis/v1",
            "gateway_api_key": emu.gateway_key(write=write, linked=linked),
            "api_base": emu.base_url,
            "sleep": no_sleep,
            **more,
        }

    return options


def endpoints(emu: Emulator) -> list[str]:
    return [r.endpoint for r in emu.requests]


@pytest.fixture
def sent(emu: Emulator) -> Callable[[], list[str]]:
    """The endpoint names the emulator served since the test started, in order."""
    return lambda: endpoints(emu)
