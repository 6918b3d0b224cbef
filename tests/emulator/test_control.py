"""The HTTP control interface under /_emulator/ (never in the request log)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from compat.emulator import Emulator, FakeClock
from tests._support.emulator_api import Api

POST = "1626194750222094336"


@pytest.fixture
def control(emu: Emulator) -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


def test_inject_a_fault_over_http(control: requests.Session, api: Api, emu: Emulator) -> None:
    answer = control.post(
        f"{emu.base_url}/_emulator/faults",
        json={"endpoint": "like", "kind": "503", "times": 2},
        timeout=10,
    )
    assert answer.json() == {"ok": True, "pending": 1}
    assert [api.like(POST).status_code for _ in range(3)] == [503, 503, 200]
    assert all(not r.path.startswith("/_emulator") for r in emu.requests)


def test_slow_fault_over_http_and_clear(control: requests.Session, emu: Emulator) -> None:
    control.post(
        f"{emu.base_url}/_emulator/faults",
        json={"endpoint": "*", "kind": "slow", "delay": 5},
        timeout=10,
    )
    assert emu.faults.pending()[0].delay == 5.0
    control.delete(f"{emu.base_url}/_emulator/faults", timeout=10)
    assert emu.faults.pending() == []


@pytest.mark.parametrize(
    "body",
    [
        {"endpoint": "like", "kind": "teapot"},
        {"endpoint": "nowhere", "kind": "500"},
        {"endpoint": "like", "kind": "500", "times": 0},
        [1, 2],
    ],
)
def test_bad_fault_requests_are_400(control: requests.Session, emu: Emulator, body: object) -> None:
    answer = control.post(f"{emu.base_url}/_emulator/faults", json=body, timeout=10)
    assert answer.status_code == 400
    assert "error" in answer.json()
    assert emu.faults.pending() == []


def test_state_and_likes(control: requests.Session, api: Api, emu: Emulator) -> None:
    api.like(POST)
    state = control.get(f"{emu.base_url}/_emulator/state", timeout=10).json()
    assert state["likes"][emu.user_id] == 1
    assert state["like_count_delta"] == {POST: 1}
    assert state["default_user"] == emu.user_id
    assert state["requests"] == 1
    likes = control.get(f"{emu.base_url}/_emulator/likes/{emu.user_id}", timeout=10).json()
    assert likes == {"user_id": emu.user_id, "count": 1, "liked": [POST]}


def test_request_log_over_http(control: requests.Session, api: Api, emu: Emulator) -> None:
    api.like(POST)
    log = control.get(f"{emu.base_url}/_emulator/requests", timeout=10).json()["requests"]
    assert [(r["method"], r["endpoint"], r["status"]) for r in log] == [("POST", "like", 200)]
    assert log[0]["body"] == f'{{"tweet_id": "{POST}"}}'
    control.delete(f"{emu.base_url}/_emulator/requests", timeout=10)
    assert emu.requests == []


def test_rate_limits_and_clock_over_http(
    control: requests.Session, api: Api, emu: Emulator, clock: FakeClock
) -> None:
    base = f"{emu.base_url}/_emulator"
    described = control.post(
        f"{base}/rate_limits", json={"action": "scale", "factor": 0.02}, timeout=10
    ).json()
    assert described["limits"]["like"] == 1
    assert api.like(POST).status_code == 200
    assert api.like(POST).status_code == 429
    before = clock.time()
    moved = control.post(f"{base}/clock", json={"advance": 900}, timeout=10).json()
    assert moved == {"time": before + 900}
    assert api.like(POST).status_code == 200
    control.post(f"{base}/rate_limits", json={"action": "lift"}, timeout=10)
    assert emu.rate_limits.lifted
    control.post(f"{base}/rate_limits", json={"action": "reset"}, timeout=10)
    assert not emu.rate_limits.lifted
    assert control.post(f"{base}/rate_limits", json={"action": "x"}, timeout=10).status_code == 400


def test_clock_control_needs_a_fake_clock() -> None:
    with Emulator() as emu, requests.Session() as s:
        answer = s.post(f"{emu.base_url}/_emulator/clock", json={"advance": 1}, timeout=10)
        assert answer.status_code == 409


def test_unknown_control_path_is_404(control: requests.Session, emu: Emulator) -> None:
    assert control.get(f"{emu.base_url}/_emulator/nothing", timeout=10).status_code == 404


def test_credits_and_usage_cap_over_http(
    control: requests.Session, api: Api, emu: Emulator
) -> None:
    base = f"{emu.base_url}/_emulator"
    out = control.post(f"{base}/credits", json={"action": "deplete", "after": 1}, timeout=10)
    assert out.json() == {"depleted": False, "billed_answers_left": 1}
    assert [api.get("/2/users/me").status_code for _ in range(2)] == [200, 402]
    control.post(f"{base}/credits", json={"action": "refill"}, timeout=10)
    assert api.get("/2/users/me").status_code == 200
    listing = f"/2/users/{emu.user_id}/liked_tweets"
    api.like(POST)
    capped = control.post(f"{base}/usage_cap", json={"action": "set", "limit": 1}, timeout=10)
    assert capped.json() == {"limit": 1, "used": 0, "reached": False}
    assert api.get(listing).status_code == 200
    assert api.get(listing).json()["title"] == "UsageCapExceeded"
    state = control.get(f"{base}/state", timeout=10).json()
    assert state["usage_cap"] == {"limit": 1, "used": 1, "reached": True}
    assert state["plan"] == emu.plan.name and state["credits"]["depleted"] is False
    control.post(f"{base}/usage_cap", json={"action": "reset"}, timeout=10)
    assert api.get(listing).status_code == 200
    control.post(f"{base}/usage_cap", json={"action": "reach"}, timeout=10)
    assert api.get(listing).status_code == 429


def test_rate_limit_cap_over_http(control: requests.Session, api: Api, emu: Emulator) -> None:
    described = control.post(
        f"{emu.base_url}/_emulator/rate_limits", json={"action": "cap", "requests": 1}, timeout=10
    ).json()
    assert set(described["limits"].values()) == {1}
    assert described["caps"] == {"900": 1}
    assert [api.get("/2/users/me").status_code for _ in range(2)] == [200, 429]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("credits", {"action": "spend"}),
        ("credits", {"action": "deplete", "after": -1}),
        ("usage_cap", {"action": "set"}),
        ("usage_cap", {"action": "set", "limit": "many"}),
        ("usage_cap", {"action": "lift"}),
        ("rate_limits", {"action": "cap", "requests": 0}),
        ("rate_limits", {"action": "cap", "requests": 1, "window_s": 60}),
    ],
)
def test_bad_billing_control_requests_are_400(
    control: requests.Session, emu: Emulator, path: str, body: dict[str, object]
) -> None:
    answer = control.post(f"{emu.base_url}/_emulator/{path}", json=body, timeout=10)
    assert answer.status_code == 400 and "error" in answer.json()
    assert not emu.credits.depleted and not emu.usage_cap.reached
