"""Shared fixtures: the real recorded payloads, the cassettes and the embedded emulator."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests._support import ARTIFACTS, CASSETTES, load_real

# tests/plugin runs pytest inside pytest (a non-top-level conftest may not enable it)
pytest_plugins = ["pytester"]

collect_ignore_glob = [] if os.environ.get("COMPAT_SCAN_ARTIFACTS") else ["secrets_scan/*"]


@pytest.fixture(scope="session")
def realdata() -> Callable[[str], Any]:
    """Load one of the real recorded payloads (tests/realdata/README.md) by file name."""
    return load_real


@pytest.fixture
def clocked() -> Iterator[tuple[Any, Any]]:
    """An emulator on a FakeClock that allows 1 request per window and endpoint, for
    wait_on_rate_limit tests (tweepy 3 in its own venv and tweepy 4 share it)."""
    from compat.emulator import Emulator, FakeClock

    clock = FakeClock()
    with Emulator(clock=clock) as emulator:
        emulator.rate_limits.cap(1)
        yield emulator, clock


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(CASSETTES)


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    # Replay only; secrets are stripped if anyone records with --record-mode.
    return {
        "record_mode": "none",
        "filter_headers": ["authorization", "cookie", "set-cookie"],
        "filter_query_parameters": ["oauth_signature", "oauth_token", "oauth_consumer_key"],
        "match_on": ["method", "scheme", "host", "path"],
    }


@pytest.fixture(autouse=True)
def _fresh_compat_config() -> Iterator[None]:
    """Every test starts without drop-in configuration and with strict validation (through
    the public API: configure(replace=True) restores what was there on exit)."""
    import compat
    from compat import schemas

    previous_mode = schemas.set_mode("strict")
    with compat.configure(replace=True):
        yield
    schemas.set_mode(previous_mode)


def pytest_configure(config: pytest.Config) -> None:
    config.compat_figures = []  # type: ignore[attr-defined]
    if os.environ.get("COMPAT_SCAN_ARTIFACTS"):
        return
    # Keep every DEBUG line compat logs, and every runtime audit line, for the secrets scan.
    (ARTIFACTS / "logs").mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "audit").mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(ARTIFACTS / "logs" / f"debug-{os.getpid()}.log", delay=True)
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logger = logging.getLogger("compat")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    os.environ.setdefault("COMPAT_AUDIT_LOG", str(ARTIFACTS / "audit" / "runtime-audit.jsonl"))


@pytest.fixture(scope="session")
def figures(pytestconfig: pytest.Config) -> list[str]:
    """Lines a reliability test wants printed at the end of the run (counts, tables)."""
    return pytestconfig.compat_figures  # type: ignore[attr-defined,no-any-return]


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    lines = getattr(config, "compat_figures", [])
    if lines:
        terminalreporter.section("compat reliability figures")
        for line in lines:
            terminalreporter.write_line(line)
