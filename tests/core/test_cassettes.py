"""compat against real X API v2 traffic, replayed from tweepy's recorded cassettes.

The recordings were made on api.twitter.com by @TweepyDev (1072250532645998596); an OAuth 1.0a
token with that prefix makes compat send the recorded URIs without a users/me request.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

import compat
from compat import Credentials, Favorites, LikesClient
from compat.client import recording

RECORDED_USER = "1072250532645998596"
RECORDED_TWEET = "1293593516040269825"
API_BASE = "https://api.twitter.com"
CREDS_FIELDS = ("consumer", "consumer-secret", f"{RECORDED_USER}-token", "token-secret")
CREDS = Credentials(*CREDS_FIELDS)
WITH_BODY = ["method", "scheme", "host", "path", "body"]


def played(vcr: Any) -> list[tuple[str, str, Any]]:
    """(method, path, body) of every recorded interaction the test replayed."""
    out = []
    for request, _response in vcr.data:
        if vcr.play_counts[vcr.data.index((request, _response))]:
            body = request.body
            out.append((request.method, request.path, json.loads(body) if body else None))
    return out


@pytest.mark.vcr("test_client_like_and_unlike.yaml", match_on=WITH_BODY)
def test_like_and_unlike_send_exactly_the_recorded_requests(vcr: Any) -> None:
    client = LikesClient(CREDS, api_base=API_BASE)
    with recording() as calls:
        liked = client.like(int(RECORDED_TWEET))
        unliked = client.unlike(RECORDED_TWEET)
    assert liked.payload == {"data": {"liked": True}}
    assert unliked.payload == {"data": {"liked": False}}
    assert vcr.all_played
    assert played(vcr) == [
        ("POST", f"/2/users/{RECORDED_USER}/likes", {"tweet_id": RECORDED_TWEET}),
        ("DELETE", f"/2/users/{RECORDED_USER}/likes/{RECORDED_TWEET}", None),
    ]
    assert [c.endpoint for c in calls] == ["like", "unlike"]  # no users/me under OAuth 1.0a
    assert liked.rate_limit.limit == 50
    assert liked.rate_limit.remaining == 48
    assert liked.rate_limit.reset == 1619531089


@pytest.mark.vcr("test_client_get_me.yaml")
def test_oauth2_user_id_comes_from_users_me(vcr: Any) -> None:
    client = LikesClient(Credentials(bearer_token="oauth2-user-context-token"), api_base=API_BASE)
    assert client.authenticated_user_id() == RECORDED_USER
    assert client.authenticated_user_id() == RECORDED_USER  # cached: one request per token
    assert vcr.play_count == 1


@pytest.mark.vcr("test_client_get_liked_tweets.yaml")
def test_recorded_default_fields_page_becomes_valid_v11_tweets(vcr: Any, realdata: Any) -> None:
    favorites = Favorites(CREDS, api_base=API_BASE)
    first = favorites.list(user_id=783214, count=20)
    real = realdata("tweepy_v2_liked_tweets.json")["data"]
    assert [t["id_str"] for t in first] == [t["id"] for t in real[:20]]
    assert all(t["favorited"] is False for t in first)  # someone else's likes: unknown → false
    assert first[0]["text"] == real[0]["text"]
    # the next v1.1 page comes from the buffered rest of the v2 page: no request
    second = favorites.list(user_id=783214, count=20, max_id=min(t["id"] for t in first) - 1)
    assert [t["id_str"] for t in second] == [t["id"] for t in real[20:40]]
    assert vcr.play_count == 1
    assert played(vcr)[0][:2] == ("GET", "/2/users/783214/liked_tweets")


@pytest.mark.vcr(
    "test_client_get_tweets.yaml", "test_client_like_and_unlike.yaml", allow_playback_repeats=True
)
def test_favorites_create_and_destroy_on_recorded_traffic(vcr: Any) -> None:
    with compat.configure(credentials=CREDS, api_base=API_BASE):
        created = compat.favorites_create(RECORDED_TWEET)
        destroyed = compat.favorites_destroy(RECORDED_TWEET)
    assert created["id_str"] == RECORDED_TWEET
    assert created["favorited"] is True
    assert destroyed["favorited"] is False
    # the recorded lookup has default fields only: no like_count to move, so none is invented
    assert created["favorite_count"] == destroyed["favorite_count"] == 0
    # lookup + like, then the unlike alone: lookup="auto" (the default) takes the post from
    # the post cache the lookup filled
    assert vcr.play_count == 3


@pytest.mark.filterwarnings("ignore::compat.warnings.LegacyFavoritesWarning")
@pytest.mark.vcr("test_client_get_liked_tweets.yaml")
def test_tweepy4_parses_the_recorded_default_fields_page_through_the_shim(
    vcr: Any, realdata: Any
) -> None:
    """Real v2 data with default fields only (no author, no dates, no source) still becomes
    v1.1 statuses that unchanged tweepy 4 code parses."""
    import tweepy

    from compat import patch

    api = tweepy.API(tweepy.OAuth1UserHandler(*CREDS_FIELDS))
    with patch.install(CREDS, api_base=API_BASE):
        statuses = api.get_favorites(user_id=783214, count=50)
    real = realdata("tweepy_v2_liked_tweets.json")["data"]
    assert [s.id_str for s in statuses] == [t["id"] for t in real[:50]]
    assert statuses[0].text == real[0]["text"]
    assert statuses[0].created_at.year >= 2010  # from the post id's timestamp bits
    assert statuses[0].source == ""
    assert vcr.play_count == 1
