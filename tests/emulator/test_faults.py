"""Each fault kind, per endpoint, for the next N calls; via Python and over HTTP."""

from __future__ import annotations

import json

import pytest
import requests

from compat.emulator import Emulator, FakeClock
from compat.emulator.faults import ENDPOINTS, FAULT_KINDS, Faults
from tests._support.emulator_api import Api

POST = "1626194750222094336"


def test_500_and_503_for_the_next_n_calls_only(api: Api, emu: Emulator) -> None:
    emu.faults.inject("like", "503", times=2)
    emu.faults.inject("like", "500")
    statuses = [api.like(POST).status_code for _ in range(4)]
    assert statuses == [503, 503, 500, 200]
    assert emu.state.liked(emu.user_id) == [POST]  # failed calls changed nothing
    assert [r.status for r in emu.requests] == statuses
    problem = api.get("/2/users/me")  # other endpoints were never affected
    assert problem.status_code == 200


def test_server_error_bodies_are_problem_json(api: Api, emu: Emulator) -> None:
    emu.faults.inject("tweet", "503")
    answer = api.get(f"/2/tweets/{POST}")
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert answer.json()["status"] == 503


def test_429_fault_has_retry_after_and_exhausted_headers(
    api: Api, emu: Emulator, clock: FakeClock
) -> None:
    emu.faults.inject("liked_tweets", "429", delay=7)
    answer = api.get(f"/2/users/{emu.user_id}/liked_tweets")
    assert answer.status_code == 429
    assert answer.headers["Retry-After"] == "7"
    assert answer.headers["x-rate-limit-remaining"] == "0"
    assert answer.headers["x-rate-limit-reset"] == str(int(clock.time()) + 7)
    assert answer.json()["title"] == "Too Many Requests"
    assert api.get(f"/2/users/{emu.user_id}/liked_tweets").status_code == 200


def test_malformed_is_not_json(api: Api, emu: Emulator) -> None:
    emu.faults.inject("users_me", "malformed")
    answer = api.get("/2/users/me")
    assert answer.status_code == 200
    with pytest.raises(ValueError):
        answer.json()


def test_truncated_is_the_real_body_cut(api: Api, emu: Emulator) -> None:
    full = api.get("/2/tweets", ids=POST).content
    emu.faults.inject("tweets", "truncated")
    cut = api.get("/2/tweets", ids=POST).content
    assert full.startswith(cut) and 0 < len(cut) < len(full)
    with pytest.raises(ValueError):
        json.loads(cut)


@pytest.mark.parametrize(
    ("endpoint", "call", "check"),
    [
        ("like", lambda a: a.like(POST), lambda d: d["data"]["liked"] == "true"),
        ("tweet", lambda a: a.get(f"/2/tweets/{POST}"), lambda d: d["data"]["id"] == int(POST)),
        (
            "tweets",
            lambda a: a.get("/2/tweets", ids=POST),
            lambda d: d["data"][0]["id"] == int(POST),
        ),
        ("users_me", lambda a: a.get("/2/users/me"), lambda d: isinstance(d["data"]["id"], int)),
        (
            "liked_tweets",
            lambda a: a.get(f"/2/users/{a.emu.user_id}/liked_tweets"),
            lambda d: d["data"] == 42,
        ),
    ],
)
def test_schema_fault_is_valid_json_with_a_broken_shape(
    api: Api, emu: Emulator, endpoint: str, call: object, check: object
) -> None:
    emu.faults.inject(endpoint, "schema")
    answer = call(api)  # type: ignore[operator]
    assert answer.status_code == 200
    assert check(answer.json())  # type: ignore[operator]


def test_slow_waits_then_answers(api: Api, emu: Emulator) -> None:
    emu.faults.inject("users_me", "slow", delay=0.5)
    with pytest.raises(requests.ReadTimeout):
        api.session.get(f"{emu.base_url}/2/users/me", auth=api.auth, timeout=0.05)
    emu.faults.inject("users_me", "slow", delay=0.01)
    assert api.get("/2/users/me").status_code == 200


def test_drop_closes_without_an_answer(api: Api, emu: Emulator) -> None:
    emu.faults.inject("unlike", "drop")
    with pytest.raises(requests.ConnectionError):
        api.unlike(POST)
    assert emu.requests[-1].status == 0
    assert api.unlike(POST).status_code == 200


def test_status_override_and_wildcard(api: Api, emu: Emulator) -> None:
    emu.faults.inject("*", "500", times=2, status=502)
    assert api.get("/2/users/me").status_code == 502
    assert api.like(POST).status_code == 502
    assert api.like(POST).status_code == 200


def test_faults_do_not_consume_rate_limit(api: Api, emu: Emulator) -> None:
    emu.faults.inject("like", "503", times=3)
    for _ in range(3):
        api.like(POST)
    assert api.like(POST).headers["x-rate-limit-remaining"] == "49"


def test_every_kind_and_endpoint_is_injectable() -> None:
    faults = Faults()
    for endpoint in ENDPOINTS:
        for kind in FAULT_KINDS:
            faults.inject(endpoint, kind, delay=0.1 if kind == "slow" else None)
    assert len(faults) == len(ENDPOINTS) * len(FAULT_KINDS)
    faults.clear()
    assert faults.pending() == []


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("likes", "500"), {}),
        (("like", "418"), {}),
        (("like", "500", 0), {}),
        (("like", "slow"), {}),
        (("like", "slow"), {"delay": -1}),
        (("like", "500"), {"delay": 1}),
        (("like", "500"), {"status": 99}),
        (("like", "500", True), {}),
    ],
)
def test_bad_fault_specs_are_refused(args: tuple[object, ...], kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Faults().inject(*args, **kwargs)  # type: ignore[arg-type]
