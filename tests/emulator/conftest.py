"""Fixtures for the emulator tests: a running emulator on a FakeClock and signed sessions.

Only fixtures live here; the helpers they build (Api, Bearer, oauth1) are in
``tests._support.emulator_api``, which tests import by name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from compat.emulator import Emulator, FakeClock
from tests._support.emulator_api import Api, oauth1


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def emu(clock: FakeClock) -> Iterator[Emulator]:
    with Emulator(clock=clock) as emulator:
        yield emulator


@pytest.fixture
def api(emu: Emulator) -> Iterator[Api]:
    client = Api(emu, oauth1(emu.credentials))
    yield client
    client.close()


@pytest.fixture
def make_api() -> Iterator[Callable[[Emulator, Any], Api]]:
    made: list[Api] = []

    def factory(emu: Emulator, auth: Any) -> Api:
        client = Api(emu, auth)
        made.append(client)
        return client

    yield factory
    for client in made:
        client.close()
