"""Fixtures for the tweepy 3.10.0 tests (run by scripts/tweepy3.sh in .venv-tweepy3)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from compat import patch as compat_patch
from compat.emulator import Emulator


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(likes=550) as emulator:
        emulator.rate_limits.lift()
        yield emulator


@pytest.fixture
def shim(emu: Emulator) -> Iterator[compat_patch.Installation]:
    emu.clear_requests()
    with compat_patch.install(emu.credentials, api_base=emu.base_url) as handle:
        yield handle
    assert not compat_patch.installed()
