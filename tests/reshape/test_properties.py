"""Property test: any well-formed v2 post (random text, entities, references, media, users)
reshapes into a v1.1 tweet that both schema backends accept, with entity indices that still
point at the same text."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compat import reshape
from tests._support.v11 import V11Validators

ids = st.integers(1, 2**63 - 1).map(str)
counts = st.integers(0, 10**9)
times = st.datetimes(min_value=dt.datetime(2006, 3, 21), max_value=dt.datetime(2040, 1, 1)).map(
    lambda d: d.strftime("%Y-%m-%dT%H:%M:%S.000Z")
)
ENTITY_KINDS = ("hashtags", "cashtags", "mentions", "urls")


@st.composite
def v2_posts(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    text = draw(st.text(max_size=320))
    tweet: dict[str, Any] = {"id": draw(ids), "text": text}
    includes: dict[str, Any] = {"users": [], "tweets": [], "media": []}
    if draw(st.booleans()):
        tweet["created_at"] = draw(times)
    if draw(st.booleans()):
        tweet["public_metrics"] = {
            "like_count": draw(counts),
            "retweet_count": draw(counts),
            "reply_count": draw(counts),
            "quote_count": draw(counts),
        }
    if draw(st.booleans()):
        tweet["author_id"] = draw(ids)
        if draw(st.booleans()):
            includes["users"].append(
                {
                    "id": tweet["author_id"],
                    "username": draw(st.from_regex(r"[A-Za-z0-9_]{1,15}", fullmatch=True)),
                    "name": draw(st.text(max_size=50)),
                    "created_at": draw(times),
                    "public_metrics": {
                        "followers_count": draw(counts),
                        "following_count": draw(counts),
                        "tweet_count": draw(counts),
                        "listed_count": draw(counts),
                    },
                }
            )
    if text and draw(st.booleans()):
        entities: dict[str, list[dict[str, Any]]] = {}
        for _ in range(draw(st.integers(0, 4))):
            start = draw(st.integers(0, len(text) - 1))
            end = draw(st.integers(start + 1, len(text)))
            kind = draw(st.sampled_from(ENTITY_KINDS))
            item: dict[str, Any] = {"start": start, "end": end}
            if kind == "mentions":
                item["username"] = "someone"
            elif kind == "urls":
                item.update(url="https://t.co/x", expanded_url="https://e.x/", display_url="e.x")
            else:
                item["tag"] = "tag"
            entities.setdefault(kind, []).append(item)
        tweet["entities"] = entities
    refs = []
    for kind in ("quoted", "retweeted", "replied_to"):
        if draw(st.booleans()):
            ref_id = draw(ids)
            refs.append({"type": kind, "id": ref_id})
            if draw(st.booleans()):
                includes["tweets"].append({"id": ref_id, "text": draw(st.text(max_size=200))})
    if refs:
        tweet["referenced_tweets"] = refs
    if draw(st.booleans()):
        key = f"{draw(st.sampled_from(['3', '7', '16']))}_{draw(ids)}"
        tweet["attachments"] = {"media_keys": [key]}
        if draw(st.booleans()):
            includes["media"].append(
                {
                    "media_key": key,
                    "type": {"3": "photo", "7": "video", "16": "animated_gif"}[key.split("_")[0]],
                    "width": draw(st.integers(1, 8000)),
                    "height": draw(st.integers(1, 8000)),
                    "url": "https://pbs.twimg.com/media/x.jpg",
                }
            )
    options = {
        "tweet_mode": draw(st.sampled_from(["compat", "extended"])),
        "include_entities": draw(st.booleans()),
        "trim_user": draw(st.booleans()),
        "include_ext_alt_text": draw(st.booleans()),
        "favorited": draw(st.sampled_from([None, True, False])),
    }
    return {"data": [tweet], "includes": includes}, options


@settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(v2_posts())
def test_any_post_reshapes_into_a_valid_v11_tweet(
    v11: V11Validators, case: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    page, options = case
    missing: set[str] = set()
    (out,) = reshape.page_to_v1(page, missing=missing, **options)
    assert v11.errors("tweet", out) == []
    v2 = page["data"][0]
    assert out["id_str"] == v2["id"] and out["id"] == int(v2["id"])
    text = v2["text"]
    if options["tweet_mode"] == "extended":
        assert out["full_text"] == text
        start, end = out["display_text_range"]
        assert 0 <= start <= end <= len(text)
        shown = text
    else:
        assert out["truncated"] == (len(text) > 140)
        if not out["truncated"]:
            assert out["text"] == text
        shown = out["text"]
    if options["include_entities"]:
        for name in ("hashtags", "symbols", "user_mentions", "urls"):
            for entity in out["entities"][name]:
                s, e = entity["indices"]
                assert 0 <= s < e <= len(shown)
                if "/i/web/status/" not in entity.get("url", ""):
                    assert shown[s:e] == text[s:e]
    else:
        assert "entities" not in out
    assert out["favorited"] is bool(options["favorited"])
    assert ("favorited" in missing) == (options["favorited"] is None)
