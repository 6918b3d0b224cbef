"""Shared fixtures: the real recorded payloads, the cassettes and the embedded emulator."""

from __future__ import annotations

import json
import logging
import os
import pathlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
REALDATA = ROOT / "tests" / "realdata"
CASSETTES = ROOT / "cassettes"
#: Where the normal run leaves its DEBUG logs and runtime audit logs; after the run,
#: tests/secrets_scan (COMPAT_SCAN_ARTIFACTS=1) scans them for secrets.
ARTIFACTS = ROOT / "artifacts"

collect_ignore_glob = [] if os.environ.get("COMPAT_SCAN_ARTIFACTS") else ["secrets_scan/*"]


@pytest.fixture(scope="session")
def realdata() -> Callable[[str], Any]:
    """Load one of the real recorded payloads (tests/realdata/README.md) by file name."""

    def load(name: str) -> Any:
        return json.loads((REALDATA / name).read_text(encoding="utf-8"))

    return load


@pytest.fixture
def clocked() -> Iterator[tuple[Any, Any]]:
    """An emulator on a FakeClock that allows 1 request per window and endpoint, for
    wait_on_rate_limit tests (tweepy 3 in its own venv and tweepy 4 share it)."""
    from compat.emulator import Emulator, FakeClock

    clock = FakeClock()
    with Emulator(clock=clock) as emulator:
        emulator.rate_limits.scale(0.02)
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
    """Every test starts without drop-in configuration and with strict validation."""
    from compat import favorites, schemas

    saved = (favorites._config, favorites._default, schemas.get_mode())
    favorites._config, favorites._default = {}, None
    schemas.set_mode("strict")
    yield
    favorites._config, favorites._default = saved[0], saved[1]
    schemas.set_mode(saved[2])


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
