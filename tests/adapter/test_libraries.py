"""The real client libraries from PyPI, unchanged, served by v2 through the global patch:
tweepy 4, python-twitter 3.5 and Twython 3.9.1 (tweepy 3.10.0: tests/adapter_tweepy3)."""

from __future__ import annotations

import datetime
import importlib
import math
import types
from collections.abc import Callable
from typing import Any

import pytest
import tweepy  # type: ignore[import-untyped]
import twitter  # type: ignore[import-untyped]
import twython  # type: ignore[import-untyped]

from compat import Credentials
from compat import patch as compat_patch
from compat.emulator import Emulator, FakeClock
from tests._support.adapter import REAL_TWEET, no_sleep


def v2_pages(emu: Emulator) -> int:
    return sum(1 for r in emu.requests if r.endpoint == "liked_tweets")


@pytest.fixture
def stranger(emu: Emulator) -> Credentials:
    """A real emulator account that is NOT registered with the shim."""
    return emu.credentials_for("ruchowdh")


# -- tweepy 4 ---------------------------------------------------------------------------------


def tweepy_api(creds: Credentials, **kwargs: Any) -> tweepy.API:
    auth = tweepy.OAuth1UserHandler(
        creds.consumer_key, creds.consumer_secret, creds.access_token, creds.access_token_secret
    )
    return tweepy.API(auth, **kwargs)


def golden_created_at(realdata: Callable[[str], Any]) -> str:
    """created_at of REAL_TWEET as the real v1.1 API serialised it."""
    return str(realdata("socialfoundations_v1_tweet_1.json")["created_at"])


def test_tweepy4_create_destroy_models(
    emu: Emulator, shim: compat_patch.Installation, realdata: Callable[[str], Any]
) -> None:
    api = tweepy_api(emu.credentials)
    status = api.create_favorite(REAL_TWEET)
    assert isinstance(status, tweepy.models.Status)
    assert status.favorited is True
    assert status.id == int(REAL_TWEET)
    assert status.user.screen_name == "ruchowdh"
    assert status.created_at == datetime.datetime.strptime(
        golden_created_at(realdata), "%a %b %d %H:%M:%S %z %Y"
    )
    assert [r.endpoint for r in emu.requests] == ["tweets", "like"]
    undone = api.destroy_favorite(int(REAL_TWEET))
    assert undone.favorited is False
    assert REAL_TWEET not in emu.state.liked(emu.user_id)


def test_tweepy4_get_favorites_count_max_id(emu: Emulator, shim: compat_patch.Installation) -> None:
    api = tweepy_api(emu.credentials)
    liked = emu.state.liked(emu.user_id)
    page = api.get_favorites(count=20)
    assert [s.id_str for s in page] == liked[:20]
    assert all(s.favorited for s in page)
    older = api.get_favorites(count=20, max_id=page.max_id)
    assert [s.id_str for s in older] == liked[20:40]
    by_name = api.get_favorites(screen_name="TweepyDev", count=3)
    assert [s.id_str for s in by_name] == liked[:3]


def test_tweepy4_cursor_walks_every_like_once(
    emu: Emulator, shim: compat_patch.Installation
) -> None:
    api = tweepy_api(emu.credentials)
    liked = emu.state.liked(emu.user_id)
    assert len(liked) >= 500
    walked = [s.id_str for s in tweepy.Cursor(api.get_favorites, count=200).items()]
    assert walked == liked
    assert v2_pages(emu) <= math.ceil(len(liked) / 100) + 2
    assert len(emu.requests) == v2_pages(emu)  # nothing but liked_tweets pages


def test_tweepy4_errors(
    emu: Emulator, shim: compat_patch.Installation, stranger: Credentials
) -> None:
    api = tweepy_api(emu.credentials)
    with pytest.raises(tweepy.NotFound) as missing:
        api.create_favorite(1)
    assert missing.value.api_codes == [144]
    assert missing.value.api_messages == ["No status found with that ID."]
    with pytest.raises(tweepy.BadRequest) as bad:
        api.get_favorites(count=201)
    assert bad.value.api_codes == [44]
    with pytest.raises(tweepy.Unauthorized) as unauthorized:
        tweepy_api(stranger).create_favorite(REAL_TWEET)
    assert unauthorized.value.api_codes == [32]
    emu.faults.inject("like", "429")
    with pytest.raises(tweepy.TooManyRequests) as limited:
        api.create_favorite(REAL_TWEET)
    assert limited.value.api_codes == [88]
    assert isinstance(limited.value.reset_time, int) and limited.value.reset_time > 0
    assert limited.value.response.headers["x-rate-limit-remaining"] == "0"


def test_tweepy4_wait_on_rate_limit(
    clocked: tuple[Emulator, FakeClock], monkeypatch: pytest.MonkeyPatch
) -> None:
    emu, clock = clocked
    slept: list[float] = []

    def fake_sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.advance(seconds)

    # tweepy reads time.time() and calls time.sleep(); both now run on the emulator's clock.
    tweepy_api_module = importlib.import_module("tweepy.api")  # tweepy.api is also an object
    monkeypatch.setattr(
        tweepy_api_module, "time", types.SimpleNamespace(time=clock.time, sleep=fake_sleep)
    )
    api = tweepy_api(emu.credentials, wait_on_rate_limit=True)
    # lookup=True: each call looks the post up, so the second one meets the spent window
    with compat_patch.install(emu.credentials, api_base=emu.base_url, sleep=no_sleep, lookup=True):
        assert api.create_favorite(REAL_TWEET).favorited is True  # spends the window
        started = clock.time()
        assert api.destroy_favorite(REAL_TWEET).favorited is False  # 429, wait, retry
    assert len(slept) == 1
    assert 900 <= clock.time() - started <= 902
    assert [r.status for r in emu.requests if r.endpoint == "tweets"] == [200, 429, 200]


# -- python-twitter 3.5 -----------------------------------------------------------------------


def python_twitter_api(creds: Credentials) -> twitter.Api:
    return twitter.Api(
        consumer_key=creds.consumer_key,
        consumer_secret=creds.consumer_secret,
        access_token_key=creds.access_token,
        access_token_secret=creds.access_token_secret,
    )


def test_python_twitter_calls(
    emu: Emulator, shim: compat_patch.Installation, realdata: Callable[[str], Any]
) -> None:
    api = python_twitter_api(emu.credentials)
    status = api.CreateFavorite(status_id=int(REAL_TWEET))
    assert isinstance(status, twitter.Status)
    assert status.favorited is True
    assert status.user.screen_name == "ruchowdh"
    assert status.created_at == golden_created_at(realdata)
    assert api.DestroyFavorite(status_id=int(REAL_TWEET)).favorited is False
    liked = emu.state.liked(emu.user_id)
    favorites = api.GetFavorites(count=5)
    assert [s.id_str for s in favorites] == liked[:5]
    raw = api.GetFavorites(
        screen_name="TweepyDev", count=3, max_id=int(liked[4]) - 1, return_json=True
    )
    assert [s["id_str"] for s in raw] == liked[5:8]


def test_python_twitter_errors(
    emu: Emulator, shim: compat_patch.Installation, stranger: Credentials
) -> None:
    api = python_twitter_api(emu.credentials)
    with pytest.raises(twitter.TwitterError) as missing:
        api.CreateFavorite(status_id=1)
    assert missing.value.message == [{"code": 144, "message": "No status found with that ID."}]
    with pytest.raises(twitter.TwitterError) as unauthorized:
        python_twitter_api(stranger).GetFavorites()
    assert unauthorized.value.message == [{"code": 32, "message": "Could not authenticate you."}]
    emu.faults.inject("liked_tweets", "429")
    with pytest.raises(twitter.TwitterError) as limited:
        api.GetFavorites()
    assert limited.value.message[0]["code"] == 88


# -- Twython 3.9.1 ----------------------------------------------------------------------------


def twython_client(creds: Credentials) -> twython.Twython:
    return twython.Twython(
        creds.consumer_key, creds.consumer_secret, creds.access_token, creds.access_token_secret
    )


def test_twython_calls_and_cursor(emu: Emulator, shim: compat_patch.Installation) -> None:
    client = twython_client(emu.credentials)
    status = client.create_favorite(id=REAL_TWEET)
    assert status["favorited"] is True and status["user"]["screen_name"] == "ruchowdh"
    assert client.destroy_favorite(id=REAL_TWEET)["favorited"] is False
    liked = emu.state.liked(emu.user_id)
    assert [s["id_str"] for s in client.get_favorites(count=4)] == liked[:4]
    emu.clear_requests()
    walked = [s["id_str"] for s in client.cursor(client.get_favorites, count=200)]
    assert walked == liked
    assert v2_pages(emu) <= math.ceil(len(liked) / 100) + 2


def test_twython_errors(
    emu: Emulator, shim: compat_patch.Installation, stranger: Credentials
) -> None:
    client = twython_client(emu.credentials)
    with pytest.raises(twython.TwythonError) as missing:
        client.create_favorite(id="1")
    assert missing.value.error_code == 404
    assert "No status found with that ID." in str(missing.value)
    with pytest.raises(twython.TwythonAuthError) as unauthorized:
        twython_client(stranger).create_favorite(id=REAL_TWEET)
    assert unauthorized.value.error_code == 401
    emu.faults.inject("like", "429")
    with pytest.raises(twython.TwythonRateLimitError) as limited:
        client.create_favorite(id=REAL_TWEET)
    assert limited.value.error_code == 429
    assert int(limited.value.retry_after) > 0
