"""Fixtures of the reliability suite: the hostile server, its clients and the work tally.

The tally's table is printed with the other reliability figures at the end of the run.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from compat import patch as compat_patch
from tests._support.adapter import no_sleep
from tests._support.hostile_server import (
    CREDENTIALS,
    HostileServer,
    Tally,
    gzip_bomb,
    huge_message,
)


@pytest.fixture(scope="session")
def tally(figures: list[str]) -> Iterator[Tally]:
    counters = Tally()
    yield counters
    if counters.categories:
        figures.extend(counters.lines())


@pytest.fixture(scope="module")
def hostile_server() -> Iterator[HostileServer]:
    gzip_bomb(), huge_message(403, 10 << 20), huge_message(403, 20 << 20)  # made before tracing
    with HostileServer() as server:
        yield server


@pytest.fixture
def server(hostile_server: HostileServer) -> HostileServer:
    """The module's hostile server, answering normally and with nothing served yet."""
    hostile_server.clear()
    return hostile_server


@pytest.fixture
def installed(server: HostileServer) -> Iterator[compat_patch.Installation]:
    """compat installed for the hostile server's account (retries without waiting)."""
    compat_patch.uninstall()
    with compat_patch.install(CREDENTIALS, api_base=server.base_url, sleep=no_sleep) as handle:
        yield handle
    assert not compat_patch.uninstall(), "a test left the shim installed"
