"""The emulator serves the gateway as documented: the envelope, the headers on every answer,
per-key limits by tier, linking state, the posts read, faults on demand, one shared state."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from compat import _gateway_reshape, schemas
from compat.emulator import Emulator, FakeClock, gateway, gateway_state
from compat.emulator.gateway import FAULT_CODES

POST = "1626194750222094336"


def call(emu: Emulator, method: str, route: str, key: str | None, **kw: Any) -> requests.Response:
    headers = {"Authorization": f"Bearer {key}"} if key is not None else {}
    return requests.request(
        method, emu.base_url + "/apis/v1" + route, headers=headers, timeout=5, **kw
    )


def envelope(response: requests.Response) -> dict[str, Any]:
    doc = response.json()
    schemas.validate("gateway/error", doc)
    assert set(doc["error"]) == {"type", "code", "message", "request_id"}
    assert doc["error"]["request_id"].startswith("req_01")
    return dict(doc["error"])


def test_every_answer_has_the_limit_headers_and_errors_the_envelope(emu: Emulator) -> None:
    emu.gateway.reset()
    key = emu.gateway_key()
    for response in (
        call(emu, "GET", "/twitter/tweets", key, params={"tweet_ids": POST}),
        call(emu, "POST", "/twitter/unlike_twitter", key, json={"tweet_id": POST}),
        call(emu, "POST", "/twitter/like_twitter", key, json={"tweet_id": "x"}),
    ):
        assert response.headers["X-RateLimit-Limit-Requests"] == "600"
        assert int(response.headers["X-RateLimit-Reset-Requests"]) == int(emu.now()) + 60
    remaining = int(response.headers["X-RateLimit-Remaining-Requests"])
    assert remaining == 597
    assert envelope(response) | {"request_id": ""} == {
        "type": "invalid_request_error",
        "code": "invalid_request",
        "message": "tweet_id is required and must match ^[0-9]{1,19}$.",
        "request_id": "",
    }
    missing = envelope(call(emu, "POST", "/twitter/like_twitter", None, json={"tweet_id": POST}))
    assert (missing["type"], missing["code"]) == ("authentication_error", "missing_api_key")
    wrong = envelope(call(emu, "POST", "/twitter/like_twitter", "gw-x", json={"tweet_id": POST}))
    assert wrong["code"] == "invalid_api_key"


def test_the_short_spelling_of_the_headers(emu: Emulator) -> None:
    emu.gateway.header_spelling = "short"
    response = call(emu, "GET", "/twitter/tweets", emu.gateway_key(), params={"tweet_ids": POST})
    assert {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"} <= set(
        response.headers
    )
    assert "X-RateLimit-Limit-Requests" not in response.headers


@pytest.mark.parametrize(("tier", "rpm"), [("free", 60), ("starter", 600)])
def test_requests_per_minute_by_tier_per_key(tier: str, rpm: int) -> None:
    clock = FakeClock()
    with Emulator(clock=clock) as emu:
        key, other = emu.gateway_key(), emu.gateway_key(write=False)
        emu.gateway.set_tier(key, tier)
        session = requests.Session()
        headers = {"Authorization": f"Bearer {key}"}
        url = emu.base_url + "/apis/v1/twitter/tweets"
        for _ in range(rpm):
            assert session.get(url, params={"tweet_ids": "20"}, headers=headers).ok
        refused = session.get(url, params={"tweet_ids": "20"}, headers=headers)
        assert refused.status_code == 429
        error = envelope(refused)
        assert (error["type"], error["code"]) == ("rate_limit_error", "rate_limit_exceeded")
        assert refused.headers["Retry-After"] == "60"
        assert refused.headers["X-RateLimit-Remaining-Requests"] == "0"
        # another key has its own window (rate-limits.mdx line 6: "per API key")
        assert call(emu, "GET", "/twitter/tweets", other, params={"tweet_ids": "20"}).ok
        clock.advance(60)  # a new minute
        assert session.get(url, params={"tweet_ids": "20"}, headers=headers).ok


def test_the_growth_and_enterprise_tiers_say_their_limit(emu: Emulator) -> None:
    emu.gateway.reset()
    key = emu.gateway_key()
    for tier, limit in (("growth", "3000"), ("enterprise", "10000")):  # enterprise: "Custom"
        emu.gateway.set_tier(key, tier)
        answer = call(emu, "GET", "/twitter/tweets", key, params={"tweet_ids": POST})
        assert answer.headers["X-RateLimit-Limit-Requests"] == limit


def test_linking_state_of_the_three_keys(emu: Emulator) -> None:
    body = {"tweet_id": POST}
    assert call(emu, "POST", "/twitter/like_twitter", emu.gateway_key(), json=body).ok
    no_write = call(emu, "POST", "/twitter/like_twitter", emu.gateway_key(write=False), json=body)
    unlinked = call(emu, "POST", "/twitter/like_twitter", emu.gateway_key(linked=False), json=body)
    for refused in (no_write, unlinked):
        assert refused.status_code == 403 and envelope(refused)["code"] == "client_forbidden"
    assert "No X account is linked" in envelope(unlinked)["message"]
    # reads need no linked account (tweet-batch: the API key alone)
    read = call(emu, "GET", "/twitter/tweets", emu.gateway_key(linked=False),
                params={"tweet_ids": POST})  # fmt: skip
    assert read.ok and [t["id"] for t in read.json()["tweets"]] == [POST]
    call(emu, "POST", "/twitter/unlike_twitter", emu.gateway_key(), json=body)


def test_the_posts_read_is_the_documented_shape_from_the_shared_state(emu: Emulator) -> None:
    key = emu.gateway_key()
    before = call(emu, "GET", "/twitter/tweets", key, params={"tweet_ids": f"{POST},1,{POST}"})
    doc = before.json()
    schemas.validate("gateway/tweets", doc)
    assert (doc["status"], doc["message"]) == ("success", "")
    (tweet,) = doc["tweets"]  # the missing post is left out, the repeated id answered once
    assert tweet["createdAt"] == "Thu Feb 16 12:20:16 +0000 2023"
    assert tweet["author"]["userName"] == "ruchowdh"
    assert tweet["quoted_tweet"] == "1625906492120477709"  # an id string, as typed
    # a like through the gateway moves the same count the v2 routes show
    call(emu, "POST", "/twitter/like_twitter", key, json={"tweet_id": POST})
    after = call(emu, "GET", "/twitter/tweets", key, params={"tweet_ids": POST}).json()
    assert after["tweets"][0]["likeCount"] == tweet["likeCount"] + 1
    assert emu.state.like_count(POST) == after["tweets"][0]["likeCount"]
    call(emu, "POST", "/twitter/unlike_twitter", key, json={"tweet_id": POST})
    for params, code in (
        ({}, "missing_parameter"),
        ({"tweet_ids": "12x"}, "invalid_request"),
        ({"tweet_ids": ",".join(["20"] * 101)}, "invalid_request"),
    ):
        refused = call(emu, "GET", "/twitter/tweets", key, params=params)
        assert refused.status_code == 400 and envelope(refused)["code"] == code


def test_faults_on_demand(emu: Emulator) -> None:
    key = emu.gateway_key()
    emu.gateway.inject("*", "gateway_error", times=2)
    emu.gateway.inject("gateway_tweets", "quota_exceeded", status=402)
    statuses = [
        call(emu, "GET", "/twitter/tweets", key, params={"tweet_ids": POST}).status_code
        for _ in range(4)
    ]
    assert statuses == [503, 503, 402, 200]
    with pytest.raises(ValueError, match="unknown gateway code"):
        emu.gateway.inject("gateway_like", "teapot")
    with pytest.raises(ValueError, match="unknown gateway endpoint"):
        emu.gateway.inject("like", "gateway_error")
    assert "internal_error" in FAULT_CODES and "resource-not-found" in FAULT_CODES


def test_reset_clears_the_gateway_too(emu: Emulator) -> None:
    with Emulator() as fresh:
        key = fresh.gateway_key()
        fresh.gateway.set_tier(key, "free")
        fresh.gateway.exhaust_quota(key)
        fresh.gateway.inject("gateway_like", "upstream_timeout")
        fresh.reset()
        assert fresh.gateway.tier_of(key) == "starter"
        answer = call(fresh, "GET", "/twitter/tweets", key, params={"tweet_ids": POST})
        assert answer.ok and answer.headers["X-RateLimit-Limit-Requests"] == "600"


def test_the_emulator_reads_the_docs_as_compat_does() -> None:
    """The emulator keeps its own copy of the gateway's tables (it imports only compat's core
    tables); both readings of the pages agree, and its routes are compat's."""
    assert dict(gateway_state.TIERS) == dict(_gateway_reshape.TIERS)
    assert dict(gateway_state.CODES) == dict(_gateway_reshape.CODES)
    assert dict(gateway_state.ENDPOINT_CAUSES) == dict(_gateway_reshape.ENDPOINT_CAUSES)
    assert gateway_state.DEFAULT_SCOPES == _gateway_reshape.DEFAULT_SCOPES
    assert gateway_state.LIKE_SCOPES == _gateway_reshape.LIKE_SCOPES
    served = {r.endpoint: r for r in gateway.GATEWAY_EXTRA_ROUTES}
    for name, spec in _gateway_reshape.READ_ROUTES.items():
        assert served[name].method == spec.method
        assert served[name].pattern.fullmatch(gateway.GATEWAY_PREFIX + spec.path)
