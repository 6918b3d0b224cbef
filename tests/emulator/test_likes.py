"""Like semantics, like counts and liked_tweets pagination (over synthetic likes)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from compat.emulator import Emulator
from tests._support.emulator_api import Api, oauth1

POST = "1626194750222094336"
INVALID = "https://api.twitter.com/2/problems/invalid-request"


@pytest.fixture(scope="module")
def big() -> Iterator[Emulator]:
    with Emulator(likes=1234, rate_limits=False) as emulator:
        yield emulator


@pytest.fixture
def big_api(big: Emulator) -> Iterator[Api]:
    client = Api(big, oauth1(big.credentials))
    yield client
    client.close()


def walk(api: Api, per_page: int, **extra: Any) -> tuple[list[str], int]:
    ids: list[str] = []
    token = None
    pages = 0
    while True:
        params: dict[str, Any] = {"max_results": per_page, **extra}
        if token:
            params["pagination_token"] = token
        page = api.get(f"/2/users/{api.emu.user_id}/liked_tweets", **params).json()
        pages += 1
        ids.extend(t["id"] for t in page.get("data", []))
        assert page["meta"]["result_count"] == len(page.get("data", []))
        token = page["meta"].get("next_token")
        if token is None:
            return ids, pages


@pytest.mark.parametrize("per_page", [10, 100])
def test_walk_to_the_end_yields_each_like_once_in_like_order(
    big: Emulator, big_api: Api, per_page: int
) -> None:
    ids, pages = walk(big_api, per_page)
    liked = big.state.liked(big.user_id)
    assert len(ids) == len(set(ids)) == 1234
    assert ids == liked
    assert ids != sorted(ids, key=int, reverse=True)  # like order is not id order
    assert pages == -(-1234 // per_page)


def test_default_page_is_100(big_api: Api, big: Emulator) -> None:
    page = big_api.get(f"/2/users/{big.user_id}/liked_tweets").json()
    assert page["meta"]["result_count"] == 100
    assert "previous_token" not in page["meta"]


def test_previous_token_goes_back_one_page(big_api: Api, big: Emulator) -> None:
    path = f"/2/users/{big.user_id}/liked_tweets"
    first = big_api.get(path, max_results=10).json()
    second = big_api.get(path, max_results=10, pagination_token=first["meta"]["next_token"]).json()
    back = big_api.get(
        path, max_results=10, pagination_token=second["meta"]["previous_token"]
    ).json()
    assert back["data"] == first["data"]
    assert "previous_token" not in back["meta"]


def test_walk_is_stable_while_likes_change(emu: Emulator, api: Api) -> None:
    """Likes given or taken back between pages never make a walk skip or repeat a post."""
    posts = [t for t in emu.dataset.tweets if t not in emu.state.liked(emu.user_id)][:40]
    for tid in posts:
        api.like(tid)
    path = f"/2/users/{emu.user_id}/liked_tweets"
    first = api.get(path, max_results=10).json()
    api.like("145344012")  # newer than everything: must not appear in the older pages
    api.unlike(posts[5])  # on a later page: must disappear from the walk
    seen = [t["id"] for t in first["data"]]
    token = first["meta"]["next_token"]
    while token:
        page = api.get(path, max_results=10, pagination_token=token).json()
        seen.extend(t["id"] for t in page.get("data", []))
        token = page["meta"].get("next_token")
    expected = [t for t in reversed(posts) if t != posts[5]]
    assert seen == expected


@pytest.mark.parametrize("value", ["9", "101", "0", "-1", "ten"])
def test_max_results_outside_10_to_100_is_v2_400(api: Api, emu: Emulator, value: str) -> None:
    answer = api.get(f"/2/users/{emu.user_id}/liked_tweets", max_results=value)
    assert answer.status_code == 400
    body = answer.json()
    assert body["type"] == INVALID and body["title"] == "Invalid Request"
    assert body["detail"] == "One or more parameters to your request was invalid."
    assert body["errors"][0]["parameters"] == {"max_results": [value]}


def test_bad_pagination_token_is_400(api: Api, emu: Emulator) -> None:
    answer = api.get(f"/2/users/{emu.user_id}/liked_tweets", pagination_token="zzz!")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["parameters"] == {"pagination_token": ["zzz!"]}


def test_empty_likes_answer_meta_only(api: Api, emu: Emulator) -> None:
    assert api.get(f"/2/users/{emu.user_id}/liked_tweets").json() == {"meta": {"result_count": 0}}


def test_like_is_idempotent_and_moves_like_count(api: Api, emu: Emulator) -> None:
    before = emu.state.like_count(POST)
    assert before == 35  # the recorded public_metrics.like_count
    for _ in range(2):
        answer = api.like(POST)
        assert (answer.status_code, answer.json()) == (200, {"data": {"liked": True}})
    assert emu.state.like_count(POST) == 36
    assert emu.state.liked(emu.user_id) == [POST]
    metrics = api.get(f"/2/tweets/{POST}", **{"tweet.fields": "public_metrics"}).json()
    assert metrics["data"]["public_metrics"]["like_count"] == 36
    for _ in range(2):
        answer = api.unlike(POST)
        assert (answer.status_code, answer.json()) == (200, {"data": {"liked": False}})
    assert emu.state.like_count(POST) == 35
    assert emu.state.liked(emu.user_id) == []


def test_v11_recorded_counts_follow_a_like(api: Api, emu: Emulator) -> None:
    """tweepy's v1.1 recording: 1136 before the like, 1137 after it."""
    assert emu.state.like_count("145344012") == 1136
    api.like("145344012")
    assert emu.state.like_count("145344012") == 1137


@pytest.mark.parametrize("tweet_id", ["1", "1293593516040269824"])  # never existed / deleted
def test_like_of_missing_post_is_the_real_400(api: Api, emu: Emulator, tweet_id: str) -> None:
    answer = api.like(tweet_id)
    assert answer.status_code == 400
    assert answer.json() == {
        "errors": [{"message": "This tweet cannot be found."}],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": INVALID,
    }
    assert emu.state.liked(emu.user_id) == []


def test_like_without_json_content_type_is_400(api: Api, emu: Emulator) -> None:
    answer = api.request(
        "POST",
        f"/2/users/{emu.user_id}/likes",
        data=f'{{"tweet_id": "{POST}"}}',
        headers={"Content-Type": "text/plain"},
    )
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["message"] == (
        "Requests with bodies must have content-type of application/json."
    )
    assert emu.state.liked(emu.user_id) == []


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"{not json", "not valid JSON"),
        (b"{}", "`tweet_id` field is required"),
        (b'{"tweet_id": 1626194750222094336}', "integer found, string expected"),
        (b'{"tweet_id": "12ab"}', "does not match"),
    ],
)
def test_bad_like_bodies_are_400(api: Api, emu: Emulator, body: bytes, fragment: str) -> None:
    answer = api.request(
        "POST",
        f"/2/users/{emu.user_id}/likes",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    assert answer.status_code == 400
    assert fragment in answer.json()["errors"][0]["message"]
    assert emu.state.liked(emu.user_id) == []


def test_unknown_query_parameter_is_400(api: Api, emu: Emulator) -> None:
    answer = api.get(f"/2/users/{emu.user_id}/liked_tweets", count="20")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["parameters"] == {"count": ["20"]}


def test_request_log_is_complete_and_clearable(api: Api, emu: Emulator) -> None:
    api.like(POST)
    api.get("/2/tweets", ids=POST)
    api.get("/_emulator/state")
    records = emu.requests
    assert [r.endpoint for r in records] == ["like", "tweets"]
    assert records[1].query == {"ids": [POST]}
    assert records[0].status == 200 and records[0].body == f'{{"tweet_id": "{POST}"}}'.encode()
    emu.clear_requests()
    assert emu.requests == []


def test_tokens_are_opaque_and_bound_to_their_listing(big_api: Api, big: Emulator) -> None:
    path = f"/2/users/{big.user_id}/liked_tweets"
    token = big_api.get(path, max_results=10).json()["meta"]["next_token"]
    assert token.isalnum() and token.islower()
    tampered = token[:-2] + ("aa" if not token.endswith("aa") else "bb")
    assert big_api.get(path, pagination_token=tampered).status_code == 400
    # a liking_users token is no liked_tweets token
    post = big.state.liked(big.user_id)[0]
    users = big_api.get(f"/2/tweets/{post}/liking_users", max_results=1).json()
    assert "next_token" not in users["meta"]
    big.state.like("783214", post)
    users = big_api.get(f"/2/tweets/{post}/liking_users", max_results=1).json()
    assert big_api.get(path, pagination_token=users["meta"]["next_token"]).status_code == 400


def test_concurrent_likes_are_all_counted() -> None:
    from concurrent.futures import ThreadPoolExecutor

    with Emulator(rate_limits=False) as emu:
        posts = sorted(emu.dataset.tweets)[:64]

        def like_all(chunk: list[str]) -> list[int]:
            client = Api(emu, oauth1(emu.credentials))
            try:
                return [client.like(tid).status_code for tid in chunk]
            finally:
                client.close()

        with ThreadPoolExecutor(max_workers=8) as pool:
            parts = list(pool.map(like_all, [posts[i::8] for i in range(8)]))
        assert [s for part in parts for s in part] == [200] * 64
        assert sorted(emu.state.liked(emu.user_id)) == posts
        assert len(emu.requests) == 64
        assert all(emu.state.like_count(t) == emu.dataset.base_like_count(t) + 1 for t in posts)
