"""Every emulator fault kind on every endpoint the shim uses: a mapped error or a bounded retry.

The outcome table is printed at the end of the test run (section "compat reliability figures").
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import compat
from compat import LikesClient, RetryPolicy
from compat.client import recording
from compat.emulator import Emulator
from compat.emulator.faults import FAULT_KINDS

POST = "1626194750222094336"
SLOW = 1.0
TIMEOUT = 0.3

CALLS: dict[str, Callable[[LikesClient, Emulator], Any]] = {
    "like": lambda c, e: c.like(POST),
    "unlike": lambda c, e: c.unlike(POST),
    "liked_tweets": lambda c, e: c.liked_tweets(e.user_id, max_results=10),
    "tweets": lambda c, e: c.lookup_tweets([POST]),
    "users_me": lambda c, e: c.me(),
    "user_by_username": lambda c, e: c.user_by_username("TweepyDev"),
}
EXPECTED: dict[str, tuple[str, int]] = {  # kind -> (outcome, requests made)
    "500": ("ServerError", 1),
    "503": ("ok after retry", 2),
    "429": ("TooManyRequests", 1),
    "malformed": ("MalformedResponse", 1),
    "truncated": ("MalformedResponse", 1),
    "schema": ("SchemaError", 1),
    "slow": ("TransportError", 1),
    "drop": ("ok after retry", 2),
    # the 2026 failures (shared/realdata/x-docs-2026/README.md): never retried
    "credits": ("CreditsDepleted", 1),
    "usage-capped": ("UsageCapExceeded", 1),
    "client-not-enrolled": ("Forbidden", 1),
    "client-forbidden": ("Forbidden", 1),
}
#: (endpoint, kind) whose outcome differs from the kind's: the plan refusal of a write
PLAN_REFUSED = {
    (endpoint, kind)
    for endpoint in ("like", "unlike")
    for kind in ("client-not-enrolled", "client-forbidden")
}
TABLE: dict[tuple[str, str], str] = {}


@pytest.fixture(scope="module")
def emu(figures: list[str]) -> Iterator[Emulator]:
    with Emulator(likes=50) as emulator:
        emulator.rate_limits.lift()
        yield emulator
    if TABLE:
        kinds = list(EXPECTED)
        figures.append("faults x endpoints (outcome / v2 requests):")
        figures.append("  " + "endpoint".ljust(18) + "".join(k.ljust(22) for k in kinds))
        for endpoint in CALLS:
            row = "".join(TABLE.get((endpoint, k), "-").ljust(22) for k in kinds)
            figures.append("  " + endpoint.ljust(18) + row)
        figures.append(f"  {len(TABLE)} faults injected, every outcome as expected")


def test_every_kind_is_covered() -> None:
    assert set(EXPECTED) == set(FAULT_KINDS)


@pytest.mark.parametrize("kind", list(EXPECTED))
@pytest.mark.parametrize("endpoint", list(CALLS))
def test_fault(emu: Emulator, endpoint: str, kind: str) -> None:
    slept: list[float] = []
    client = LikesClient(
        emu.oauth2_credentials() if endpoint == "users_me" else emu.credentials,
        api_base=emu.base_url,
        timeout=TIMEOUT,
        sleep=slept.append,
    )
    emu.faults.inject(endpoint, kind, **({"delay": SLOW} if kind == "slow" else {}))
    liked_before = emu.state.like_count(POST)
    started = time.perf_counter()
    with recording() as calls:
        try:
            result = CALLS[endpoint](client, emu)
            outcome = "ok after retry" if len(calls) > 1 else "ok"
        except compat.CompatError as exc:
            outcome, result = type(exc).__name__, exc
    elapsed = time.perf_counter() - started
    emu.faults.clear()
    TABLE[(endpoint, kind)] = f"{outcome} / {len(calls)}"
    expected = ("PlanRefused", 1) if (endpoint, kind) in PLAN_REFUSED else EXPECTED[kind]
    assert (outcome, len(calls)) == expected
    if outcome == "ok after retry":
        assert slept == [0.5]  # the first backoff step, through the injected sleep
    if kind == "429":
        assert result.rate_limit.reset is not None and result.v1_codes == [88]
    if kind == "slow":
        assert elapsed < SLOW  # never hangs past the configured timeout
    if kind == "schema":
        assert result.path.startswith("$")
    if endpoint == "like":  # a retried like is never a duplicate like
        assert emu.state.like_count(POST) - liked_before in (0, 1)
        client.unlike(POST)


def test_429_is_retried_only_when_asked_and_honours_retry_after(emu: Emulator) -> None:
    slept: list[float] = []
    client = LikesClient(
        emu.credentials,
        api_base=emu.base_url,
        retry=RetryPolicy(retry_on_429=True),
        sleep=slept.append,
    )
    emu.faults.inject("liked_tweets", "429", delay=7)
    page = client.liked_tweets(emu.user_id, max_results=10)
    assert page.payload["meta"]["result_count"] == 10
    assert slept == [7.0]


def test_retry_after_beyond_max_wait_raises(emu: Emulator) -> None:
    client = LikesClient(
        emu.credentials,
        api_base=emu.base_url,
        retry=RetryPolicy(retry_on_429=True, max_wait=5),
        sleep=lambda s: pytest.fail("must not sleep"),
    )
    emu.faults.inject("liked_tweets", "429", delay=900)
    with pytest.raises(compat.TooManyRequests):
        client.liked_tweets(emu.user_id, max_results=10)


def test_retries_are_bounded(emu: Emulator) -> None:
    slept: list[float] = []
    client = LikesClient(emu.credentials, api_base=emu.base_url, sleep=slept.append)
    emu.faults.inject("tweets", "503", times=10)
    with recording() as calls, pytest.raises(compat.ServerError) as info:
        client.lookup_tweets([POST])
    emu.faults.clear()
    assert len(calls) == 3
    assert slept == [0.5, 1.0]
    assert (info.value.v1_status, info.value.v1_codes) == (503, [130])


def test_connection_refused_is_a_transport_error() -> None:
    slept: list[float] = []
    client = LikesClient(
        compat.Credentials("ck", "cs", "1-tok", "ts"),
        api_base="http://127.0.0.1:9",
        sleep=slept.append,
    )
    with pytest.raises(compat.TransportError, match="after 3 attempt"):
        client.like(5)
    assert slept == [0.5, 1.0]


@pytest.mark.parametrize("mode", ["warn", "off"])
def test_validation_modes(emu: Emulator, mode: str, caplog: pytest.LogCaptureFixture) -> None:
    emu.faults.inject("like", "schema")
    with compat.configure(credentials=emu.credentials, api_base=emu.base_url, validation=mode):
        status = compat.favorites_create(POST)  # the like's answer breaks its schema
    LikesClient(emu.credentials, api_base=emu.base_url).unlike(POST)
    assert status["favorited"] is True
    warned = any(getattr(r, "event", None) == "schema.violation" for r in caplog.records)
    assert warned is (mode == "warn")
