"""The drop-in functions end to end on the embedded v2 emulator: results and requests spent."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

import pytest

import compat
from compat import Favorites, InvalidParameter, NotFound
from compat.emulator import Emulator

REAL_TWEET = "1626194750222094336"  # the socialfoundations golden post, in the default dataset


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(likes=1234) as emulator:
        emulator.rate_limits.lift()
        yield emulator


@pytest.fixture
def favorites(emu: Emulator) -> Favorites:
    emu.clear_requests()
    return Favorites(emu.credentials, api_base=emu.base_url)


def endpoints(emu: Emulator) -> list[str]:
    return [r.endpoint for r in emu.requests]


def test_create_costs_a_lookup_and_the_like(emu: Emulator, favorites: Favorites) -> None:
    before = emu.state.like_count(REAL_TWEET)
    status = favorites.create(REAL_TWEET)
    assert endpoints(emu) == ["tweets", "like"]  # no users/me: the token names the user
    assert status["favorited"] is True
    assert status["id_str"] == REAL_TWEET
    assert status["favorite_count"] == before + 1 == emu.state.like_count(REAL_TWEET)
    assert status["user"]["screen_name"] == "ruchowdh"
    like = emu.requests[1]
    assert (like.method, like.path) == ("POST", f"/2/users/{emu.user_id}/likes")
    assert json.loads(like.body) == {"tweet_id": REAL_TWEET}
    emu.clear_requests()
    undone = favorites.destroy(int(REAL_TWEET))
    # lookup="auto" (the default): the create's lookup left the post in the post cache
    assert endpoints(emu) == ["unlike"]
    assert undone["favorited"] is False
    assert undone["favorite_count"] == before == emu.state.like_count(REAL_TWEET)


def test_v2_likes_are_idempotent(emu: Emulator, favorites: Favorites) -> None:
    favorites.create(REAL_TWEET)
    again = favorites.create(REAL_TWEET)  # v1.1 said 403/139; v2 (and compat) succeed
    assert again["favorited"] is True
    favorites.destroy(REAL_TWEET)
    assert favorites.destroy(REAL_TWEET)["favorited"] is False


def test_lookup_can_be_skipped(emu: Emulator, favorites: Favorites) -> None:
    status = favorites.create(REAL_TWEET, lookup=False)
    assert endpoints(emu) == ["like"]
    assert status["id_str"] == REAL_TWEET and status["favorited"] is True
    favorites.destroy(REAL_TWEET, lookup=False)


def test_missing_post_is_v11_144_and_nothing_is_written(
    emu: Emulator, favorites: Favorites
) -> None:
    with pytest.raises(NotFound) as info:
        favorites.create(1)
    assert (info.value.v1_status, info.value.v1_codes) == (404, [144])
    assert endpoints(emu) == ["tweets"]


def test_like_of_missing_post_without_lookup_maps_the_real_400(
    emu: Emulator, favorites: Favorites
) -> None:
    with pytest.raises(compat.BadRequest) as info:
        favorites.create(1, lookup=False)
    assert (info.value.v1_status, info.value.v1_codes) == (404, [144])


@pytest.mark.parametrize(
    "call",
    [
        lambda f: f.create("12/../"),
        lambda f: f.create(None),
        lambda f: f.destroy(-5),
        lambda f: f.destroy("١٢"),
        lambda f: f.list(count=0),
        lambda f: f.list(count=201),
        lambda f: f.list(max_id="1 OR 1"),
        lambda f: f.list(since_id=1.5),
        lambda f: f.list(user_id="me"),
        lambda f: f.list(screen_name="../../x"),
        lambda f: f.list(tweet_mode="full"),
        lambda f: f.list(include_entities="maybe"),
        lambda f: f.list(countt=5),
    ],
)
def test_bad_input_makes_no_request(emu: Emulator, favorites: Favorites, call: Any) -> None:
    with pytest.raises(InvalidParameter):
        call(favorites)
    assert emu.requests == []


def walk(favorites: Favorites, count: int, style: str = "tweepy") -> list[dict[str, Any]]:
    """Page through favorites/list the way a v1.1 paginator does."""
    seen: list[dict[str, Any]] = []
    max_id = None
    while True:
        page = favorites.list(count=count, max_id=max_id)
        if not page:
            return seen
        seen.extend(page)
        if style == "tweepy":  # tweepy's ResultSet.max_id
            max_id = min(t["id"] for t in page) - 1
        else:  # Twython's cursor
            max_id = page[-1]["id"] - 1


@pytest.mark.parametrize(
    ("count", "style"), [(20, "tweepy"), (200, "tweepy"), (7, "twython"), (100, "twython")]
)
def test_walk_costs_one_request_per_100_likes(
    emu: Emulator, favorites: Favorites, count: int, style: str
) -> None:
    liked = emu.state.liked(emu.user_id)
    statuses = walk(favorites, count, style)
    assert [s["id_str"] for s in statuses] == liked  # every like once, in like order
    assert liked != sorted(liked, key=int, reverse=True)  # like order is not id order
    assert endpoints(emu).count("liked_tweets") == math.ceil(len(liked) / 100)
    assert set(endpoints(emu)) == {"liked_tweets"}
    assert all(s["favorited"] is True for s in statuses)


def test_memo_persists_across_restarts(emu: Emulator, tmp_path: Any) -> None:
    path = tmp_path / "memo.json"
    first = Favorites(emu.credentials, api_base=emu.base_url, memo_path=path)
    emu.clear_requests()
    page = first.list(count=30)
    assert path.exists()
    second = Favorites(emu.credentials, api_base=emu.base_url, memo_path=path)
    following = second.list(count=30, max_id=min(t["id"] for t in page) - 1)
    liked = emu.state.liked(emu.user_id)
    assert [t["id_str"] for t in page + following] == liked[:60]
    assert endpoints(emu) == ["liked_tweets"]


def test_unrecognised_max_id_filters_by_id_over_bounded_pages(emu: Emulator) -> None:
    favorites = Favorites(emu.credentials, api_base=emu.base_url, filter_pages=3)
    liked = emu.state.liked(emu.user_id)
    pivot = sorted(liked[:300], key=int)[150]
    emu.clear_requests()
    page = favorites.list(count=200, max_id=pivot)
    assert page and all(t["id"] <= int(pivot) for t in page)
    expected = [i for i in liked[:300] if int(i) <= int(pivot)][:200]
    assert [t["id_str"] for t in page] == expected
    assert endpoints(emu).count("liked_tweets") <= 3


def test_since_id_filters(emu: Emulator, favorites: Favorites) -> None:
    liked = emu.state.liked(emu.user_id)
    since = sorted(liked[:100], key=int)[90]
    page = favorites.list(count=200, since_id=since)
    assert page and all(t["id"] > int(since) for t in page)


def test_screen_name_is_resolved_once(emu: Emulator, favorites: Favorites) -> None:
    me = favorites.backend.authenticated_user_id()
    name = emu.state.username(me)
    favorites.list(screen_name=name, count=5)
    favorites.list(screen_name=name.upper(), count=5)
    assert endpoints(emu) == ["user_by_username", "liked_tweets", "liked_tweets"]


def test_oauth2_user_costs_one_users_me(emu: Emulator) -> None:
    favorites = Favorites(emu.oauth2_credentials(), api_base=emu.base_url)
    emu.clear_requests()
    favorites.list(count=5)
    favorites.list(count=5)
    assert endpoints(emu).count("users_me") == 1


def test_drop_in_functions_use_configure(emu: Emulator) -> None:
    emu.clear_requests()
    with compat.configure(credentials=emu.credentials, api_base=emu.base_url):
        page = compat.favorites_list(count=3, tweet_mode="extended")
    assert len(page) == 3 and all("full_text" in t for t in page)
    assert endpoints(emu) == ["liked_tweets"]
    assert compat.favorites._default is None  # restored on exit


def test_drop_in_from_env(emu: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    creds = emu.credentials
    for name, value in {
        "X_CONSUMER_KEY": creds.consumer_key,
        "X_CONSUMER_SECRET": creds.consumer_secret,
        "X_ACCESS_TOKEN": creds.access_token,
        "X_ACCESS_TOKEN_SECRET": creds.access_token_secret,
        "COMPAT_API_BASE": emu.base_url,
    }.items():
        monkeypatch.setenv(name, str(value))
    assert len(compat.favorites_list(count=2)) == 2


def test_users_me_is_asked_once_per_token_even_from_many_threads() -> None:
    import threading

    with Emulator() as emulator:
        creds = emulator.oauth2_credentials("tweepytest")
        results: list[str] = []
        barrier = threading.Barrier(8)

        def resolve() -> None:
            client = compat.LikesClient(creds, api_base=emulator.base_url)
            barrier.wait()
            results.append(client.authenticated_user_id())

        threads = [threading.Thread(target=resolve) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert results == [emulator.dataset.user_id_for("tweepytest")] * 8
        assert [r.endpoint for r in emulator.requests] == ["users_me"]


def test_legacy_keywords_work_or_are_ignored_with_a_logged_reason(
    emu: Emulator, favorites: Favorites, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    with caplog.at_level(logging.INFO, logger="compat.favorites"):
        page = favorites.list(
            count=2,
            tweet_mode="extended",
            trim_user="true",
            include_entities="0",
            include_card_uri=True,
            include_my_retweet=1,
        )
    assert all("full_text" in t and "text" not in t for t in page)
    assert all(set(t["user"]) == {"id", "id_str"} for t in page)  # trim_user
    assert all("entities" not in t for t in page)  # include_entities=false
    reasons = [r.getMessage() for r in caplog.records if r.getMessage().startswith("legacy.")]
    assert reasons == [
        "legacy.ignored include_card_uri: v2 has no cards",
        "legacy.ignored include_my_retweet: v2 cannot say whether you retweeted a post",
    ]
    with pytest.raises(InvalidParameter, match="countt: is not a parameter v1.1"):
        favorites.list(countt=5)


def test_memo_path_expands_the_home_directory(
    emu: Emulator, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    favorites = Favorites(emu.credentials, api_base=emu.base_url, memo_path="~/walk.json")
    favorites.list(count=5)
    assert (tmp_path / "walk.json").exists()
