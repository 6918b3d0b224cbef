"""Fixtures for the monkeypatch adapter: the emulator and an installed shim."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from compat import patch as compat_patch
from compat import warnings as compat_warnings
from compat.emulator import Emulator
from tests._support.adapter import LIKES, no_sleep


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(likes=LIKES) as emulator:
        emulator.rate_limits.lift()
        yield emulator


@pytest.fixture(autouse=True)
def _unserved_warned_afresh() -> Iterator[None]:
    """Each test sees the first UnservedLegacyWarning of each endpoint (once per process)."""
    compat_warnings.forget_warned()
    yield
    compat_warnings.forget_warned()


@pytest.fixture(autouse=True)
def _no_leftover_patch() -> Iterator[None]:
    """Every test starts and ends with requests unpatched."""
    original = vars(requests.Session)["get_adapter"]
    compat_patch.uninstall()
    yield
    leaked = compat_patch.uninstall()
    assert vars(requests.Session)["get_adapter"] is original
    assert not leaked, "a test left the shim installed"


@pytest.fixture
def shim(emu: Emulator) -> Iterator[compat_patch.Installation]:
    emu.clear_requests()
    handle = compat_patch.install(emu.credentials, api_base=emu.base_url, sleep=no_sleep)
    yield handle
    handle.uninstall()
