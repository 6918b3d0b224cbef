"""An unlike of a post that is gone or hidden still removes the like (the like cleaner case)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
import requests
import tweepy
from requests_oauthlib import OAuth1

import compat
from compat.emulator import Emulator

GONE = "1999999999999999999"  # liked once, no longer in the dataset (deleted)


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator() as emulator:
        emulator.state.like(emulator.user_id, GONE)
        yield emulator


def test_the_drop_in_unlike_sends_the_delete_anyway(
    emu: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    favorites = compat.Favorites(emu.credentials, api_base=emu.base_url)
    emu.clear_requests()
    with caplog.at_level(logging.INFO, logger="compat.favorites"):
        status = favorites.destroy(GONE)
    assert [r.endpoint for r in emu.requests] == ["tweets", "unlike"]
    assert not emu.state.is_liked(emu.user_id, GONE)
    assert (status["id_str"], status["favorited"]) == (GONE, False)
    assert any("unlike.cleanup" in r.getMessage() for r in caplog.records)


def test_a_like_of_a_missing_post_is_still_refused_and_nothing_is_written(emu: Emulator) -> None:
    favorites = compat.Favorites(emu.credentials, api_base=emu.base_url)
    emu.clear_requests()
    with pytest.raises(compat.NotFound):
        favorites.create("1999999999999999998")
    assert [r.endpoint for r in emu.requests] == ["tweets"]


def test_a_tweepy_like_cleaner_gets_a_status_it_parses(emu: Emulator) -> None:
    c = emu.credentials
    auth = tweepy.OAuth1UserHandler(
        c.consumer_key, c.consumer_secret, c.access_token, c.access_token_secret
    )
    with compat.install(c, api_base=emu.base_url):
        status = tweepy.API(auth).destroy_favorite(int(GONE))
        raw = requests.post(
            "https://api.twitter.com/1.1/favorites/destroy.json",
            params={"id": GONE},
            auth=requests_oauth(c),
        )
    assert status.id_str == GONE and status.favorited is False
    assert raw.status_code == 200 and raw.json()["favorited"] is False
    assert not emu.state.is_liked(emu.user_id, GONE)


def requests_oauth(c: compat.Credentials) -> OAuth1:
    return OAuth1(c.consumer_key, c.consumer_secret, c.access_token, c.access_token_secret)
