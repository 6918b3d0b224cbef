"""tweet.fields / user.fields / media.fields / place.fields / poll.fields and expansions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from compat.emulator import Emulator
from compat.emulator.fields import MEDIA_FIELDS, TWEET_FIELDS, USER_FIELDS
from tests._support import load_real
from tests._support.emulator_api import Api, oauth1

INVALID = "https://api.twitter.com/2/problems/invalid-request"


@pytest.fixture(scope="module")
def synth() -> Iterator[Emulator]:
    with Emulator(likes=400, rate_limits=False) as emulator:
        yield emulator


@pytest.fixture(scope="module")
def synth_api(synth: Emulator) -> Iterator[Api]:
    client = Api(synth, oauth1(synth.credentials))
    yield client
    client.close()


def all_liked(api: Api, **params: Any) -> dict[str, Any]:
    """Every liked post of the default user in one merged document (4 pages of 100)."""
    merged: dict[str, Any] = {"data": [], "includes": {}, "errors": []}
    token = None
    while True:
        query = dict(params, max_results=100)
        if token:
            query["pagination_token"] = token
        page = api.get(f"/2/users/{api.emu.user_id}/liked_tweets", **query).json()
        merged["data"].extend(page.get("data", []))
        for key, items in page.get("includes", {}).items():
            merged["includes"].setdefault(key, []).extend(items)
        merged["errors"].extend(page.get("errors", []))
        token = page["meta"].get("next_token")
        if not token:
            return merged


def test_default_fields_only(synth_api: Api) -> None:
    doc = all_liked(synth_api)
    assert {k for t in doc["data"] for k in t} == {"id", "text", "edit_history_tweet_ids"}
    assert doc["includes"] == {} and doc["errors"] == []


def test_every_tweet_field_is_accepted_and_served_when_present(synth_api: Api) -> None:
    doc = all_liked(synth_api, **{"tweet.fields": ",".join(TWEET_FIELDS)})
    keys = {k for t in doc["data"] for k in t}
    for field in (
        "created_at",
        "author_id",
        "public_metrics",
        "entities",
        "lang",
        "source",
        "possibly_sensitive",
        "conversation_id",
        "in_reply_to_user_id",
        "referenced_tweets",
        "attachments",
        "geo",
        "note_tweet",
        "context_annotations",
        "reply_settings",
        "edit_history_tweet_ids",
        "edit_controls",
    ):
        assert field in keys, field
    entity_kinds = {k for t in doc["data"] for k in t.get("entities", {})}
    assert {"hashtags", "mentions", "urls"} <= entity_kinds
    ref_types = {r["type"] for t in doc["data"] for r in t.get("referenced_tweets", [])}
    assert ref_types == {"replied_to", "quoted"}
    long_posts = [t for t in doc["data"] if "note_tweet" in t]
    assert long_posts and all(len(t["note_tweet"]["text"]) > 280 for t in long_posts)
    assert all(len(t["text"]) <= 280 for t in doc["data"])
    assert any(ord(c) > 0xFFFF for t in doc["data"] for c in t["text"])  # emoji beyond BMP


def test_entity_offsets_point_at_their_text(synth_api: Api) -> None:
    doc = all_liked(synth_api, **{"tweet.fields": "entities"})
    checked = 0
    for post in doc["data"]:
        for kind, items in post.get("entities", {}).items():
            for e in items:
                fragment = post["text"][e["start"] : e["end"]]
                expected = {
                    "hashtags": "#" + e.get("tag", ""),
                    "mentions": "@" + e.get("username", ""),
                    "urls": e.get("url"),
                }[kind]
                assert fragment == expected
                checked += 1
    assert checked > 300


def test_expansions_build_includes(synth_api: Api, synth: Emulator) -> None:
    doc = all_liked(
        synth_api,
        expansions="author_id,attachments.media_keys,attachments.poll_ids,geo.place_id,"
        "referenced_tweets.id,referenced_tweets.id.author_id,in_reply_to_user_id,"
        "entities.mentions.username",
        **{
            "media.fields": ",".join(MEDIA_FIELDS),
            "user.fields": "created_at,verified",
            "place.fields": "country_code,geo",
            "poll.fields": "voting_status,end_datetime",
        },
    )
    inc = doc["includes"]
    assert set(inc) == {"users", "tweets", "media", "places", "polls"}
    kinds = {m["type"] for m in inc["media"]}
    assert kinds == {"photo", "video"}
    assert all("variants" in m for m in inc["media"] if m["type"] == "video")
    assert {"id", "name", "username", "created_at", "verified"} >= {
        k for u in inc["users"] for k in u
    }
    author_ids = {u["id"] for u in inc["users"]}
    assert {t["author_id"] for t in inc["tweets"] if "author_id" in t} <= author_ids
    assert {"country_code", "full_name", "id", "geo"} == set(inc["places"][0])
    assert {"id", "options", "voting_status", "end_datetime"} == set(inc["polls"][0])
    assert doc["errors"] == []


def test_includes_are_deduplicated(api: Api, emu: Emulator) -> None:
    real = load_real("sns_sdks_v2_liked_tweets_author_expansion.json")
    for post in real["data"][:2]:
        api.like(post["id"])
    api.like("145344012")
    api.like("4901065281")
    doc = api.get(f"/2/users/{emu.user_id}/liked_tweets", expansions="author_id").json()
    ids = [u["id"] for u in doc["includes"]["users"]]
    assert len(ids) == len(set(ids)) == 4


def test_user_fields_and_pinned_tweet_expansion(api: Api) -> None:
    real = load_real("socialfoundations_v2_tweet_1_expanded.json")
    user = real["includes"]["users"][0]
    doc = api.get(
        f"/2/users/{user['id']}",
        expansions="pinned_tweet_id",
        **{"user.fields": ",".join(sorted(user)), "tweet.fields": "created_at"},
    ).json()
    assert doc["data"] == user
    # the pinned post is not in the dataset: v2 reports it in errors[]
    assert doc["errors"][0]["parameter"] == "pinned_tweet_id"
    assert "includes" not in doc


def test_every_user_field_is_accepted(api: Api) -> None:
    doc = api.get("/2/users/me", **{"user.fields": ",".join(USER_FIELDS)}).json()
    assert {"created_at", "description", "protected", "public_metrics", "verified"} <= set(
        doc["data"]
    )


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("tweet.fields", "colour"),
        ("user.fields", "shoe_size"),
        ("media.fields", "smell"),
        ("place.fields", "altitude"),
        ("poll.fields", "winner"),
        ("expansions", "author"),
    ],
)
def test_unknown_field_names_are_v2_400(api: Api, emu: Emulator, param: str, value: str) -> None:
    answer = api.get(f"/2/users/{emu.user_id}/liked_tweets", **{param: value})
    assert answer.status_code == 400
    body = answer.json()
    assert body["type"] == INVALID
    assert body["errors"][0]["parameters"] == {param: [value]}
    assert f"[{value}] is not one of [" in body["errors"][0]["message"]


def test_user_routes_refuse_tweet_expansions(api: Api) -> None:
    answer = api.get("/2/users/me", expansions="author_id")
    assert answer.status_code == 400


def test_tweets_ids_bounds(api: Api) -> None:
    assert api.get("/2/tweets").status_code == 400
    too_many = ",".join(str(10**10 + i) for i in range(101))
    answer = api.get("/2/tweets", ids=too_many)
    assert answer.status_code == 400
    assert "[101] is not between 1 and 100" in answer.json()["errors"][0]["message"]
    bad = api.get("/2/tweets", ids="1,x2")
    assert bad.json()["errors"][0]["parameters"] == {"ids": ["x2"]}


def test_pinned_tweet_expansion_includes_the_post(api: Api) -> None:
    doc = api.get(
        "/2/users/by/username/TwitterDev",
        expansions="pinned_tweet_id",
        **{"user.fields": "pinned_tweet_id", "tweet.fields": "created_at"},
    ).json()
    pinned = doc["data"]["pinned_tweet_id"]
    assert [t["id"] for t in doc["includes"]["tweets"]] == [pinned]
    assert set(doc["includes"]["tweets"][0]) == {
        "id",
        "text",
        "edit_history_tweet_ids",
        "created_at",
    }
