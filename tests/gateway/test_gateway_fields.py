"""Full statuses through the gateway alone: the gateway's ``Tweet``/``User`` shape (documented
in openapi_twitter-tweet-batch_01.json) reshaped into v1.1, compared field by field with the X
backend's status of the same post on the emulator's shared state."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from compat import Favorites, reshape, schemas
from compat._gateway_reshape import (
    FIELD_SOURCES,
    iso_time,
    statuses_to_v1,
    tweet_to_v2,
    tweets_to_v2,
    user_to_v2,
)
from compat.emulator import Emulator
from compat.gateway import GatewayClient
from tests._support import ROOT

DOCS = ROOT / "tests" / "realdata" / "aisa-docs"
BATCH = json.loads((DOCS / "openapi_twitter-tweet-batch_01.json").read_text(encoding="utf-8"))


def flat(doc: Any, prefix: str = "") -> dict[str, Any]:
    """``{"user.screen_name": …}`` for every leaf (lists are leaves)."""
    if isinstance(doc, dict) and doc:
        out: dict[str, Any] = {}
        for key, value in doc.items():
            out.update(flat(value, f"{prefix}{key}."))
        return out
    return {prefix[:-1]: doc}


def names(field: str) -> list[str]:
    """The v1.1 keys a FIELD_SOURCES row names: ``"in_reply_to_user_id(_str)"`` is two."""
    found = []
    for part in re.split(r", | / ", field):
        match = re.fullmatch(r"([\w.]+)\((_\w+)\)", part)
        found += [match[1], match[1] + match[2]] if match else [part]
    return found


SUPPLIED = [n for f in FIELD_SOURCES if f.gateway is not None for n in names(f.v1)]
DEFAULTS = [n for f in FIELD_SOURCES if f.gateway is None for n in names(f.v1)]
# v1.1's value when unknown, for each default row
DEFAULT_VALUES: dict[str, Any] = {
    "geo": None,
    "coordinates": None,
    "place": None,
    "entities.symbols": [],
    "possibly_sensitive": False,
    "possibly_sensitive_appealable": False,
    "user.protected": False,
    "user.listed_count": 0,
    "user.url": None,
    "user.profile_banner_url": None,
}


def under(key: str, field: str) -> bool:
    return key == field or key.startswith(field + ".")


def sample(emu: Emulator) -> list[str]:
    """Every post of the dataset, and synthetic posts with hashtags, mentions, links,
    replies, quotes, media, polls, places and long texts."""
    real = sorted(t for t in emu.dataset.tweets if emu.dataset.tweet(t) is not None)
    return real + [emu.dataset.synthetic_id(i) for i in range(40)]


@pytest.mark.parametrize("mode", ["compat", "extended"])
def test_every_field_the_gateway_supplies_equals_the_x_backends(emu: Emulator, mode: str) -> None:
    # lookup=True: every X status is a fresh lookup (the gateway's writes move the counts
    # behind the X backend's post cache, which lookup="auto" would answer from)
    direct = Favorites(emu.credentials, api_base=emu.base_url, lookup=True)
    alone = Favorites(backend=GatewayClient(emu.gateway_key(), base_url=emu.base_url + "/apis/v1"))
    compared = supplied_seen = 0
    for tweet_id in sample(emu):
        if emu.state.is_liked(emu.user_id, tweet_id):
            continue
        for create in (True, False):
            call = "create" if create else "destroy"
            x_status = getattr(direct, call)(tweet_id, tweet_mode=mode)
            if create:
                direct.destroy(tweet_id)
            else:
                direct.create(tweet_id)
            gw_status = getattr(alone, call)(tweet_id, tweet_mode=mode)
            if not create:
                alone.destroy(tweet_id)  # back to not liked
            x_flat, gw_flat = flat(x_status), flat(gw_status)
            media = "extended_entities" in x_status
            for key in sorted(set(x_flat) | set(gw_flat)):
                default = next((d for d in DEFAULTS if under(key, d)), None)
                if default is not None:
                    if key in gw_flat and default in DEFAULT_VALUES:
                        assert gw_flat[key] == DEFAULT_VALUES[default], (tweet_id, key)
                    elif default in ("entities.media", "extended_entities"):
                        assert key not in gw_flat, (tweet_id, key)
                    continue
                if key == "display_text_range" and media:
                    continue  # a trailing media link stays inside the range (FIELD_SOURCES)
                if key.startswith(("quoted_status.", "retweeted_status.")):
                    assert key not in gw_flat  # quoted_tweet is an id string (documented)
                    continue
                assert gw_flat.get(key, "<absent>") == x_flat.get(key, "<absent>"), (
                    tweet_id,
                    call,
                    key,
                )
                compared += 1
                supplied_seen += any(under(key, s) for s in SUPPLIED)
            # the v1.1 status is whole and valid either way
            schemas.validate("v1.1/tweet", gw_status)
    assert compared > 5000 and supplied_seen > 3000


def test_the_defaults_are_what_the_audit_lists_as_missing(emu: Emulator) -> None:
    alone = Favorites(backend=GatewayClient(emu.gateway_key(), base_url=emu.base_url + "/apis/v1"))
    linked = emu.dataset.synthetic_id(4)  # a post with a link (and no media)
    outcome = alone.service.call("favorites/create", {"id": linked})
    alone.destroy(linked)
    missing = outcome.missing
    assert {"geo", "coordinates", "place", "user.protected", "user.listed_count"} <= missing
    assert "possibly_sensitive" in missing  # the post has links: the key is sent, unknown
    assert not {"text", "created_at", "lang", "source", "favorite_count", "user"} & missing
    assert not {"user.screen_name", "user.followers_count", "in_reply_to_status_id"} & missing


# -- the documented shape ---------------------------------------------------------------------


def documented_tweet() -> dict[str, Any]:
    """A post with every property of the documented ``Tweet`` and ``User`` (lines 21-254),
    values of the documented types."""
    schema = BATCH["components"]["schemas"]
    assert set(schema["Tweet"]["properties"]) >= {"id", "text", "author", "entities"}
    return {
        "type": "tweet",
        "id": "1296887316556980230",
        "url": "https://x.com/TwitterDev/status/1296887316556980230",
        "text": "@jack See how &amp; why #DevCommunity https://t.co/abc",
        "source": "Twitter Web App",
        "retweetCount": 3,
        "replyCount": 1,
        "likeCount": 12,
        "quoteCount": 0,
        "viewCount": 400,
        "createdAt": "Fri Aug 21 19:10:05 +0000 2020",
        "lang": "en",
        "bookmarkCount": 2,
        "isReply": True,
        "inReplyToId": "1296887091901718529",
        "conversationId": "1296887091901718529",
        "displayTextRange": [6, 50],
        "inReplyToUserId": "12",
        "inReplyToUsername": "jack",
        "author": {
            "type": "user",
            "userName": "TwitterDev",
            "url": "https://x.com/TwitterDev",
            "id": "2244994945",
            "name": "Twitter Dev",
            "isBlueVerified": False,
            "verifiedType": "business",
            "profilePicture": "https://pbs.twimg.com/profile_images/1/x_normal.jpg",
            "coverPicture": "https://pbs.twimg.com/profile_banners/2244994945/1",
            "description": "The voice of the X Dev team",
            "location": "127.0.0.1",
            "followers": 513958,
            "following": 2039,
            "canDm": True,
            "createdAt": "Sat Dec 14 04:35:55 +0000 2013",
            "favouritesCount": 2134,
            "hasCustomTimelines": True,
            "isTranslator": False,
            "mediaCount": 10,
            "statusesCount": 3637,
            "withheldInCountries": ["DE"],
            "possiblySensitive": False,
            "pinnedTweetIds": ["1293593516040269825"],
            "isAutomated": False,
            "automatedBy": "",
            "unavailable": False,
            "message": "",
            "unavailableReason": "",
        },
        "entities": {
            "hashtags": [{"indices": [20, 33], "text": "DevCommunity"}],
            "urls": [
                {
                    "display_url": "example.com/x",
                    "expanded_url": "https://example.com/x",
                    "indices": [34, 50],
                    "url": "https://t.co/abc",
                }
            ],
            "user_mentions": [{"id_str": "12", "name": "jack", "screen_name": "jack"}],
        },
        "quoted_tweet": "1293593516040269825",
        "retweeted_tweet": "",
        "isLimitedReply": False,
    }


def test_the_documented_shape_passes_the_schema_and_every_property_is_in_it() -> None:
    schema = json.loads((ROOT / "schemas" / "gateway" / "tweets.json").read_text())
    tweet, user = schema["$defs"]["tweet"]["properties"], schema["$defs"]["user"]["properties"]
    documented = BATCH["components"]["schemas"]
    assert set(documented["Tweet"]["properties"]) == set(tweet)
    assert set(documented["User"]["properties"]) == set(user)
    schemas.validate(
        "gateway/tweets", {"tweets": [documented_tweet()], "status": "success", "message": ""}
    )


def test_the_documented_shape_becomes_the_v11_status() -> None:
    missing: set[str] = set()
    (status,) = statuses_to_v1(
        {"tweets": [documented_tweet()]},
        favorited=True,
        missing=missing,
        options=reshape.ReshapeOptions(tweet_mode="extended"),
    )
    schemas.validate("v1.1/tweet", status)
    assert status["id_str"] == "1296887316556980230"
    assert status["created_at"] == "Fri Aug 21 19:10:05 +0000 2020"
    assert (
        status["source"]
        == '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>'
    )
    assert (status["retweet_count"], status["favorite_count"], status["favorited"]) == (3, 12, True)
    assert status["in_reply_to_status_id_str"] == "1296887091901718529"
    assert (status["in_reply_to_user_id_str"], status["in_reply_to_screen_name"]) == ("12", "jack")
    assert status["is_quote_status"] and status["quoted_status_id_str"] == "1293593516040269825"
    assert "quoted_status" not in status and "quoted_status" in missing
    assert status["display_text_range"] == [6, 50]  # after the reply's @jack; "&amp;" is one
    entities = status["entities"]
    assert entities["hashtags"] == [{"text": "DevCommunity", "indices": [20, 33]}]
    assert entities["urls"][0]["expanded_url"] == "https://example.com/x"
    # the mention's indices are found in the text; "&amp;" counts as one character
    (mention,) = entities["user_mentions"]
    assert (mention["screen_name"], mention["id_str"], mention["indices"]) == ("jack", "12", [0, 5])
    user = status["user"]
    assert (user["id_str"], user["screen_name"], user["name"]) == (
        "2244994945",
        "TwitterDev",
        "Twitter Dev",
    )
    assert (user["followers_count"], user["friends_count"]) == (513958, 2039)
    assert (user["statuses_count"], user["favourites_count"]) == (3637, 2134)
    assert user["verified"] is True and user["withheld_in_countries"] == ["DE"]
    assert user["created_at"] == "Sat Dec 14 04:35:55 +0000 2013"
    assert user["profile_image_url_https"].endswith("x_normal.jpg")
    assert user["protected"] is False and "user.protected" in missing
    assert user["listed_count"] == 0 and "user.listed_count" in missing
    assert status["geo"] is None and "geo" in missing


def test_a_whole_post_in_quoted_tweet_is_embedded() -> None:
    quoting = {
        "id": "20",
        "text": "look https://t.co/q",
        "isReply": False,
        "author": {"id": "1", "userName": "a"},
        "entities": {"urls": [{"url": "https://t.co/q", "indices": [5, 19],
                               "expanded_url": "https://twitter.com/b/status/19"}]},
        "quoted_tweet": {"id": "19", "text": "original", "author": {"id": "2", "userName": "b"}},
    }  # fmt: skip
    page = tweets_to_v2({"tweets": [quoting]})
    assert page["includes"]["tweets"][0]["id"] == "19"
    (status,) = statuses_to_v1({"tweets": [quoting]})
    assert status["quoted_status"]["text"] == "original"
    assert status["quoted_status"]["user"]["screen_name"] == "b"


def test_no_reply_no_quote_is_said_not_missing() -> None:
    missing: set[str] = set()
    statuses_to_v1({"tweets": [{"id": "20", "text": "hi", "isReply": False}]}, missing=missing)
    assert not {"in_reply_to_status_id", "in_reply_to_user_id", "is_quote_status"} & missing
    missing.clear()
    statuses_to_v1({"tweets": [{"id": "20", "text": "hi"}]}, missing=missing)
    assert {"in_reply_to_status_id", "in_reply_to_user_id", "is_quote_status"} <= missing


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("Thu Feb 16 12:20:16 +0000 2023", "2023-02-16T12:20:16.000Z"),
        ("2023-02-16T12:20:16.000Z", "2023-02-16T12:20:16.000Z"),
        ("2023-02-16T12:20:16Z", "2023-02-16T12:20:16.000Z"),
        ("2023-02-16T14:20:16+02:00", "2023-02-16T12:20:16.000Z"),
        ("2023-02-16 12:20:16", "2023-02-16T12:20:16.000Z"),
        ("Thu Feb 30 12:20:16 +0000 2023", None),
        ("2023-13-01T00:00:00Z", None),
        ("16/02/2023", None),
        ("", None),
        (1676550016, None),
    ],
)
def test_created_at_in_either_format(value: Any, iso: str | None) -> None:
    assert iso_time(value) == iso


def test_mentions_are_found_in_order_and_once() -> None:
    post = tweet_to_v2(
        {
            "id": "5",
            "text": "@ab @abc &amp; @AB again",
            "entities": {
                "user_mentions": [
                    {"screen_name": "ab", "id_str": "1"},
                    {"screen_name": "abc", "id_str": "2"},
                    {"screen_name": "ab", "id_str": "1"},
                    {"screen_name": "nobody"},
                ]
            },
        }
    )
    assert [(m["username"], m["start"], m["end"]) for m in post["entities"]["mentions"]] == [
        ("ab", 0, 3),
        ("abc", 4, 8),
        ("ab", 11, 14),  # after "&amp;", one character
    ]


def test_a_user_without_an_id_is_a_malformed_answer() -> None:
    with pytest.raises(Exception, match="not a user id"):
        user_to_v2({"userName": "x"})
