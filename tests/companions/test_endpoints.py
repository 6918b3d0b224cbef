"""The companion calls on the emulator through Service.call: v1.1 shapes (checked against the
v1.1 schemas, whose sources the schema files name), v1.1's parameter rules and errors, and the
v2 requests each costs (the emulator's own log)."""

from __future__ import annotations

import logging
import time

import pytest

from compat import InvalidParameter, NotFound, schemas
from compat._service import Service
from compat._settings import resolve
from compat.emulator import Emulator
from compat.errors import ApiError
from tests.companions.conftest import v2_requests


def call(service: Service, endpoint: str, **params: object) -> object:
    return service.call(endpoint, params).value


def test_verify_credentials_is_one_users_me_with_the_latest_status(
    emu: Emulator, service: Service
) -> None:
    me = call(service, "account/verify_credentials")
    assert isinstance(me, dict)
    assert me["id_str"] == emu.user_id
    schemas.validate("v1.1/profile", me)
    latest = emu.dataset.user(emu.user_id).get("most_recent_tweet_id")
    if latest:
        assert me["status"]["id_str"] == latest and "user" not in me["status"]
    assert v2_requests(emu) == ["users_me"]
    slim = call(service, "account/verify_credentials", skip_status="true")
    assert isinstance(slim, dict) and "status" not in slim


def test_users_show_by_id_and_by_name(emu: Emulator, service: Service) -> None:
    by_id = call(service, "users/show", user_id=emu.user_id)
    assert isinstance(by_id, dict)
    by_name = call(service, "users/show", screen_name="@" + str(by_id["screen_name"]))
    assert isinstance(by_name, dict) and by_name["id_str"] == emu.user_id
    assert v2_requests(emu) == ["user_by_id", "user_by_username"]


def test_users_show_errors_are_v1_ones_and_bad_input_sends_nothing(
    emu: Emulator, service: Service
) -> None:
    with pytest.raises(NotFound) as missing:
        call(service, "users/show", screen_name="nobody_here_x")
    assert missing.value.v1_codes == [50]
    emu.clear_requests()
    for bad in ({}, {"user_id": "12/../"}, {"screen_name": "a b"}, {"user_id": "1", "x": "1"}):
        with pytest.raises(InvalidParameter) as err:
            service.call("users/show", bad)
        assert err.value.v1_status == 400
    assert v2_requests(emu) == []


def test_users_lookup_order_dedup_and_no_match(emu: Emulator, service: Service) -> None:
    name = emu.dataset.user(emu.user_id)["username"]
    found = call(service, "users/lookup", user_id=f"{emu.user_id},{emu.user_id}", screen_name=name)
    assert isinstance(found, list) and [u["id_str"] for u in found] == [emu.user_id]
    assert v2_requests(emu) == ["users", "users_by_usernames"]
    with pytest.raises(NotFound) as none:
        call(service, "users/lookup", screen_name="nobody_here_x,nobody_there_y")
    assert none.value.v1_status == 404 and none.value.v1_codes == [17]
    emu.clear_requests()
    with pytest.raises(InvalidParameter):
        call(service, "users/lookup", user_id=",".join(str(i) for i in range(1, 102)))
    assert v2_requests(emu) == []


def test_statuses_show_and_lookup_map(emu: Emulator, service: Service) -> None:
    ids = list(emu.dataset.timeline(emu.user_id))[:2]
    shown = call(service, "statuses/show", id=ids[0], include_my_retweet="1")
    assert isinstance(shown, dict) and shown["id_str"] == ids[0]
    with pytest.raises(ApiError) as gone:
        call(service, "statuses/show", id="1")
    assert gone.value.v1_codes == [144]
    listed = call(service, "statuses/lookup", id=",".join([*ids, "1"]))
    assert isinstance(listed, list) and [s["id_str"] for s in listed] == ids
    mapped = call(service, "statuses/lookup", id=",".join([*ids, "1"]), map="true")
    assert isinstance(mapped, dict)
    assert list(mapped["id"]) == [*ids, "1"] and mapped["id"]["1"] is None
    schemas.validate("v1.1/lookup_map", mapped)
    assert v2_requests(emu) == ["tweets", "tweets", "tweets", "tweets"]


def test_user_timeline_counts_before_excluding_as_v1_1_did(emu: Emulator, service: Service) -> None:
    ids = list(emu.dataset.timeline(emu.user_id))[:20]

    def kinds(tid: str) -> set[str]:
        return {r["type"] for r in emu.dataset.tweet(tid).get("referenced_tweets", [])}

    plain = [i for i in ids if not kinds(i) & {"replied_to", "retweeted"}]
    assert len(plain) < 20  # the first 20 hold replies and retweets
    got = call(
        service, "statuses/user_timeline", count=20, exclude_replies="true", include_rts="false"
    )
    assert isinstance(got, list) and [s["id_str"] for s in got] == plain
    trimmed = call(service, "statuses/user_timeline", count=3, trim_user="1")
    assert isinstance(trimmed, list) and set(trimmed[0]["user"]) == {"id", "id_str"}


def test_search_shape_errors_and_operators(emu: Emulator, service: Service) -> None:
    with pytest.raises(InvalidParameter) as no_q:
        call(service, "search/tweets")
    assert no_q.value.v1_body["errors"][0]["code"] == 25
    for params in (
        {"q": "x", "geocode": "37.78,-122.39,1mi"},
        {"q": "x near:paris"},
        {"q": "x min_faves:10"},
        {"q": "happy :)"},
    ):
        with pytest.raises(InvalidParameter) as refused:
            service.call("search/tweets", params)
        assert refused.value.v1_body["errors"][0]["code"] == 195
    assert v2_requests(emu) == []
    answer = call(service, "search/tweets", q="compat filter:links", count=5, result_type="recent")
    assert isinstance(answer, dict)
    schemas.validate("v1.1/search", answer)
    meta = answer["search_metadata"]
    assert list(meta)[:3] == ["completed_in", "max_id", "max_id_str"]
    log = __import__("requests").get(emu.base_url + "/_emulator/requests", timeout=10).json()
    sent = log["requests"][-1]["query"]
    assert sent["query"] == ["compat has:links"] and sent["sort_order"] == ["recency"]


def test_rate_limit_status_from_plan_and_observed_headers() -> None:
    with Emulator(likes=5) as emu:  # rate limits counted, as X counts them
        service = Service(
            resolve({"credentials": emu.credentials, "api_base": emu.base_url}, door="t")
        )
        call(service, "favorites/list", count=5)
        emu.clear_requests()
        check_rate_limit_status(emu, service)


def check_rate_limit_status(emu: Emulator, service: Service) -> None:
    status = call(service, "application/rate_limit_status", resources="favorites,application")
    assert isinstance(status, dict)
    schemas.validate("v1.1/rate_limit_status", status)
    assert set(status["resources"]) == {"favorites", "application"}
    listed = status["resources"]["favorites"]["/favorites/list"]
    assert listed["remaining"] < listed["limit"]  # the liked_tweets answer's own headers
    assert listed["reset"] > time.time() - 1
    context = status["rate_limit_context"]["access_token"]
    assert context == f"{emu.user_id}-[redacted by compat]"
    assert emu.credentials.access_token not in str(status)
    assert v2_requests(emu) == []  # answered without a v2 request


def test_ignored_parameters_are_logged_with_their_reason(
    service: Service, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="compat.companions"):
        service.call("account/verify_credentials", {"include_card_uri": "1", "skip_status": "1"})
    assert any("include_card_uri" in r.getMessage() for r in caplog.records)
