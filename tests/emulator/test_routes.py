"""The routing table is open: another route (e.g. a gateway) shares the same state."""

from __future__ import annotations

import json

from compat.emulator import Context, Emulator, Reply, Route
from tests._support.emulator_api import Api

POST = "1626194750222094336"


def gateway_like(ctx: Context) -> Reply:
    if ctx.header("Authorization") != "Bearer gateway-key":
        return Reply(401, {"error": "bad key"})
    tweet_id = json.loads(ctx.body)["tweet_id"]
    ctx.emulator.state.like(ctx.emulator.user_id, tweet_id)
    return Reply(200, {"data": {"liked": True}})


def test_added_route_is_served_logged_and_faultable(emu: Emulator, api: Api) -> None:
    emu.add_route(
        Route.make(
            "POST", "/apis/v1/twitter/like_twitter", "gateway_like", gateway_like, auth="none"
        )
    )
    url = "/apis/v1/twitter/like_twitter"
    ok = api.request(
        "POST",
        url,
        auth=None,
        json={"tweet_id": POST},
        headers={"Authorization": "Bearer gateway-key"},
    )
    assert ok.json() == {"data": {"liked": True}}
    assert emu.state.liked(emu.user_id) == [POST]
    assert api.request("POST", url, auth=None, json={"tweet_id": POST}).status_code == 401
    emu.faults.inject("gateway_like", "503")
    assert api.request("POST", url, auth=None, json={}).status_code == 503
    assert [r.endpoint for r in emu.requests] == ["gateway_like"] * 3
    # the v2 surface sees the same state
    listed = api.get(f"/2/users/{emu.user_id}/liked_tweets").json()
    assert [t["id"] for t in listed["data"]] == [POST]


def test_reset_restores_the_starting_state(emu: Emulator, api: Api) -> None:
    api.like(POST)
    emu.faults.inject("like", "500")
    emu.rate_limits.lift()
    emu.reset()
    assert emu.state.liked(emu.user_id) == []
    assert emu.state.like_count(POST) == 35
    assert emu.faults.pending() == [] and not emu.rate_limits.lifted
    assert emu.requests == []
    assert api.like(POST).headers["x-rate-limit-remaining"] == "49"
