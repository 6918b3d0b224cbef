"""Behaviour of compat.reshape: v2 post + includes → v1.1 tweet, field by field."""

from __future__ import annotations

import ast
import copy
import datetime as dt
import doctest
import itertools
import random
from typing import Any

import pytest

import compat.reshape
from compat import reshape
from compat.errors import InvalidParameter, MalformedResponse
from tests._support import REALDATA, load_real
from tests._support.v11 import V11Validators

ID = "1626194750222094336"


def post(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"id": ID, "text": "hello world", "edit_history_tweet_ids": [ID]}
    base.update(fields)
    return base


def v2_user(uid: str, username: str, **fields: Any) -> dict[str, Any]:
    return {"id": uid, "username": username, "name": username.title(), **fields}


# -- the query --------------------------------------------------------------------------------


def test_v2_query_asks_for_everything_the_reshape_uses() -> None:
    q = reshape.V2_QUERY
    assert set(q) == {
        "tweet.fields",
        "user.fields",
        "media.fields",
        "place.fields",
        "poll.fields",
        "expansions",
    }
    for value in q.values():
        assert " " not in value and value == value.strip(",")
        assert len(value.split(",")) == len(set(value.split(",")))
    tweet_fields = q["tweet.fields"].split(",")
    for field in (
        "author_id",
        "created_at",
        "entities",
        "public_metrics",
        "referenced_tweets",
        "note_tweet",
        "attachments",
        "geo",
        "lang",
        "source",
        "possibly_sensitive",
        "in_reply_to_user_id",
        "conversation_id",
    ):
        assert field in tweet_fields
    for expansion in (
        "author_id",
        "referenced_tweets.id",
        "referenced_tweets.id.author_id",
        "attachments.media_keys",
        "geo.place_id",
        "in_reply_to_user_id",
        "entities.mentions.username",
    ):
        assert expansion in q["expansions"].split(",")
    for field in ("public_metrics", "created_at", "profile_image_url", "entities", "username"):
        assert field in q["user.fields"].split(",")
    for field in ("url", "preview_image_url", "variants", "alt_text", "width", "height"):
        assert field in q["media.fields"].split(",")


# -- includes index -----------------------------------------------------------------------


def test_index_includes_by_id_and_key() -> None:
    idx = reshape.index_includes(
        {
            "users": [v2_user("2", "Bob"), v2_user("1", "alice")],
            "tweets": [{"id": "9", "text": "x"}],
            "media": [{"media_key": "3_5", "type": "photo"}],
            "places": [{"id": "abc", "full_name": "Here"}],
            "polls": [{"id": "7", "options": []}],
        }
    )
    assert idx.users["1"]["username"] == "alice"
    assert idx.usernames["bob"]["id"] == "2"
    assert idx.tweets["9"]["text"] == "x"
    assert idx.media["3_5"]["type"] == "photo"
    assert idx.places["abc"]["full_name"] == "Here"
    assert idx.polls["7"]["id"] == "7"
    empty = reshape.index_includes(None)
    assert empty.users == {} and empty.tweets == {} and reshape.index_includes({}).media == {}


@pytest.mark.parametrize("bad", [[1, 2], "users", {"users": {"id": "1"}}])
def test_index_includes_rejects_malformed(bad: Any) -> None:
    with pytest.raises(MalformedResponse):
        reshape.index_includes(bad)


# -- user matched by author_id ------------------------------------------------------------


def test_user_matched_by_author_id_whatever_the_includes_order() -> None:
    page = load_real("sns_sdks_v2_liked_tweets_author_expansion.json")
    users = {u["id"]: u for u in page["includes"]["users"]}
    expected = reshape.page_to_v1(page)
    for tweet, v1 in zip(page["data"], expected, strict=True):
        assert v1["user"]["id_str"] == tweet["author_id"]
        assert v1["user"]["screen_name"] == users[tweet["author_id"]]["username"]
        assert v1["user"]["name"] == users[tweet["author_id"]]["name"]
    rng = random.Random(3)
    for _ in range(5):
        shuffled = copy.deepcopy(page)
        rng.shuffle(shuffled["includes"]["users"])
        assert shuffled["includes"]["users"] != page["includes"]["users"]
        assert reshape.page_to_v1(shuffled) == expected


def test_author_never_taken_by_position() -> None:
    page: dict[str, Any] = {
        "data": [post(author_id="2")],
        "includes": {"users": [v2_user("1", "first"), v2_user("2", "second")]},
    }
    assert reshape.page_to_v1(page)[0]["user"]["screen_name"] == "second"
    page["data"][0]["author_id"] = "3"  # not in includes: no one else's user
    missing: set[str] = set()
    user = reshape.page_to_v1(page, missing=missing)[0]["user"]
    assert user["id"] == 3 and user["id_str"] == "3" and user["screen_name"] is None
    assert {"user", "user.screen_name", "user.name", "user.followers_count"} <= missing
    assert "user.id" not in missing


# -- default fields -------------------------------------------------------------------------


def test_default_fields_page_degrades_as_documented(v11: V11Validators) -> None:
    page = load_real("tweepy_v2_liked_tweets.json")
    missing: set[str] = set()
    tweets = reshape.page_to_v1(page, missing=missing)
    assert len(tweets) == len(page["data"]) == 96
    for v2, v1 in zip(page["data"], tweets, strict=True):
        assert v11.errors("tweet", v1) == []
        assert v1["id_str"] == v2["id"] and v1["id"] == int(v2["id"])
        assert v1["text"] == v2["text"] or v1["truncated"]
        assert v1["created_at"] == reshape.created_at_from_id(v2["id"])
        # Unknown author: the full v1.1 user key set, every value unknown.
        assert tuple(v1["user"]) == reshape.USER_KEYS
        assert v1["user"]["id"] is None and v1["user"]["screen_name"] is None
        expected_urls = []
        if v1["truncated"]:  # the compat-mode link to the whole post
            link = f"https://twitter.com/i/web/status/{v2['id']}"
            assert len(v2["text"]) > 140 and v1["text"].endswith("… " + link)
            expected_urls = [u for u in v1["entities"]["urls"] if u["url"] == link]
            assert len(expected_urls) == 1
        assert v1["entities"] == {
            "hashtags": [],
            "symbols": [],
            "user_mentions": [],
            "urls": expected_urls,
        }
        assert v1["favorite_count"] == 0 and v1["favorited"] is False
    assert {
        "user",
        "user.id",
        "user.screen_name",
        "user.followers_count",
        "user.favourites_count",
        "entities",
        "favorite_count",
        "retweet_count",
        "lang",
        "source",
        "in_reply_to_status_id",
        "is_quote_status",
        "favorited",
    } <= missing
    assert "created_at" not in missing and "id" not in missing and "text" not in missing


def test_missing_for_a_rich_post_names_only_true_gaps() -> None:
    payload = load_real("socialfoundations_v2_tweet_1_expanded.json")
    missing: set[str] = set()
    reshape.page_to_v1(payload, favorited=True, missing=missing)
    assert "favorite_count" not in missing and "entities" not in missing
    assert "user" not in missing and "user.followers_count" not in missing
    assert "in_reply_to_status_id" not in missing  # conversation_id shows V2_QUERY-like fields
    assert "favorited" not in missing
    assert "quoted_status.favorited" in missing  # v2 cannot say you liked the quoted post
    assert {"source", "user.favourites_count", "user.following", "retweeted"} <= missing
    assert "quoted_status.entities.media.media_url" in missing  # no includes.media here
    # Every name is a dotted v1.1 path under a tweet.
    assert all(not name.startswith(".") and " " not in name for name in missing)


def test_missing_none_is_accepted_and_costs_nothing() -> None:
    payload = load_real("tweepy_v2_liked_tweets.json")
    assert reshape.page_to_v1(payload) == reshape.page_to_v1(payload, missing=set())


CONDITIONAL = {
    "extended_entities",
    "quoted_status_id",
    "quoted_status_id_str",
    "quoted_status",
    "retweeted_status",
    "possibly_sensitive",
    "possibly_sensitive_appealable",
    "withheld_in_countries",
}


@pytest.mark.parametrize(
    "name",
    [
        "tweepy_v2_liked_tweets.json",
        "sns_sdks_v2_liked_tweets_author_expansion.json",
        "socialfoundations_v2_tweet_1_expanded.json",
    ],
)
def test_key_set_is_stable(name: str) -> None:
    base = set(reshape.TWEET_KEYS)
    for tweet in reshape.page_to_v1(load_real(name)):
        assert base <= set(tweet) <= base | CONDITIONAL
        assert list(tweet)[:3] == ["created_at", "id", "id_str"]
    for tweet in reshape.page_to_v1(load_real(name), tweet_mode="extended"):
        keys = base - {"text"} | {"full_text", "display_text_range"}
        assert keys <= set(tweet) <= keys | CONDITIONAL | {"quoted_status_permalink"}
    for tweet in reshape.page_to_v1(load_real(name), include_entities=False):
        keys = base - {"entities"}
        assert keys <= set(tweet) <= keys | CONDITIONAL - {"extended_entities"}


# -- text and tweet_mode ----------------------------------------------------------------------


def test_compat_and_extended_for_a_short_post(v11: V11Validators) -> None:
    tweet = post(text="short & sweet")
    compat_mode = reshape.tweet_to_v1(tweet)
    assert compat_mode["text"] == "short & sweet" and compat_mode["truncated"] is False
    assert "full_text" not in compat_mode and "display_text_range" not in compat_mode
    extended = reshape.tweet_to_v1(tweet, tweet_mode="extended")
    assert extended["full_text"] == "short & sweet" and extended["truncated"] is False
    assert extended["display_text_range"] == [0, 13]
    assert "text" not in extended
    assert v11.errors("tweet", compat_mode) == [] and v11.errors("tweet", extended) == []


def test_tweet_mode_is_checked() -> None:
    with pytest.raises(InvalidParameter, match="tweet_mode"):
        reshape.tweet_to_v1(post(), tweet_mode="full")  # type: ignore[arg-type]
    with pytest.raises(InvalidParameter, match="tweet_mode"):
        reshape.page_to_v1({"meta": {"result_count": 0}}, tweet_mode="Extended")  # type: ignore[arg-type]


def _long_post() -> dict[str, Any]:
    words = " ".join(f"word{i:02d}" for i in range(30))  # 209 chars
    text = f"#start {words} #end https://t.co/abcdefghij"
    end_tag = text.index("#end")
    url_at = text.index("https://t.co")
    return post(
        text=text,
        entities={
            "hashtags": [
                {"start": 0, "end": 6, "tag": "start"},
                {"start": end_tag, "end": end_tag + 4, "tag": "end"},
            ],
            "urls": [
                {
                    "start": url_at,
                    "end": url_at + 23,
                    "url": "https://t.co/abcdefghij",
                    "expanded_url": "https://example.com/",
                    "display_url": "example.com",
                }
            ],
        },
    )


def test_compat_mode_truncates_a_long_post_like_v11(v11: V11Validators) -> None:
    tweet = _long_post()
    out = reshape.tweet_to_v1(tweet)
    link = f"https://twitter.com/i/web/status/{ID}"
    assert out["truncated"] is True
    assert out["text"].endswith("… " + link) and len(out["text"]) <= 140
    prefix = out["text"][: -len("… " + link)]
    assert len(prefix) <= 86 and tweet["text"].startswith(prefix)
    assert prefix == prefix.rstrip()
    # Entities past the cut are gone; the link to the full post is an url entity.
    assert [h["text"] for h in out["entities"]["hashtags"]] == ["start"]
    assert out["entities"]["urls"] == [
        {
            "url": link,
            "expanded_url": link,
            "display_url": "twitter.com/i/web/status/1…",
            "indices": [len(prefix) + 2, len(prefix) + 2 + len(link)],
        }
    ]
    start, end = out["entities"]["urls"][0]["indices"]
    assert out["text"][start:end] == link
    assert v11.errors("tweet", out) == []


def test_extended_mode_keeps_a_long_post_whole() -> None:
    tweet = _long_post()
    out = reshape.tweet_to_v1(tweet, tweet_mode="extended")
    assert out["full_text"] == tweet["text"] and out["truncated"] is False
    assert out["display_text_range"] == [0, len(tweet["text"])]
    assert [h["text"] for h in out["entities"]["hashtags"]] == ["start", "end"]
    assert out["entities"]["urls"][0]["expanded_url"] == "https://example.com/"


def test_truncation_never_cuts_inside_an_entity() -> None:
    # The cut comes at 86 (140 less "… " and the 52-character link): the url across it goes.
    text = "a" * 79 + " https://t.co/abcdefghij and more " + "b" * 40
    url_at = 80
    tweet = post(
        text=text,
        entities={
            "urls": [{"start": url_at, "end": url_at + 23, "url": "https://t.co/abcdefghij"}]
        },
    )
    out = reshape.tweet_to_v1(tweet)
    assert out["text"] == "a" * 79 + f"… https://twitter.com/i/web/status/{ID}"
    assert [u["url"] for u in out["entities"]["urls"]] == [f"https://twitter.com/i/web/status/{ID}"]


def test_exactly_140_code_points_is_not_truncated() -> None:
    text = "😀" * 140  # 140 code points, 280 UTF-16 units
    out = reshape.tweet_to_v1(post(text=text))
    assert out["text"] == text and out["truncated"] is False
    out = reshape.tweet_to_v1(post(text=text + "x"))
    assert out["truncated"] is True and out["text"].startswith("😀" * 86 + "…")
    assert len(out["text"]) == 140


def test_note_tweet_text_and_entities_win(v11: V11Validators) -> None:
    long_text = "Long post " + "lorem ipsum " * 30 + "#finally"
    tag_at = long_text.index("#finally")
    tweet = post(
        text=long_text[:270] + "…",
        entities={"hashtags": []},
        note_tweet={
            "text": long_text,
            "entities": {"hashtags": [{"start": tag_at, "end": tag_at + 8, "tag": "finally"}]},
        },
    )
    extended = reshape.tweet_to_v1(tweet, tweet_mode="extended")
    assert extended["full_text"] == long_text
    assert extended["entities"]["hashtags"] == [
        {"text": "finally", "indices": [tag_at, tag_at + 8]}
    ]
    assert extended["display_text_range"] == [0, len(long_text)]
    compat_mode = reshape.tweet_to_v1(tweet)
    assert compat_mode["truncated"] is True and compat_mode["entities"]["hashtags"] == []
    assert v11.errors("tweet", extended) == [] and v11.errors("tweet", compat_mode) == []


def test_note_tweet_without_entities_keeps_the_matching_short_ones() -> None:
    long_text = "#hello " + "x" * 300
    short = long_text[:80] + " https://t.co/zz"
    tweet = post(
        text=short,
        entities={
            "hashtags": [{"start": 0, "end": 6, "tag": "hello"}],
            "urls": [{"start": 81, "end": 96, "url": "https://t.co/zz"}],  # not in long text
        },
        note_tweet={"text": long_text},
    )
    out = reshape.tweet_to_v1(tweet, tweet_mode="extended")
    assert out["entities"]["hashtags"] == [{"text": "hello", "indices": [0, 6]}]
    assert out["entities"]["urls"] == []


def test_entity_indices_count_code_points_like_v11() -> None:
    text = "😀👍🏽 #tag @bob $TWTR café"
    # v2 start/end count code points: 😀=1, 👍=1, 🏽=1.
    tag_at, bob_at, sym_at = text.index("#tag"), text.index("@bob"), text.index("$TWTR")
    assert (tag_at, bob_at, sym_at) == (4, 9, 14)
    tweet = post(
        text=text,
        entities={
            "hashtags": [{"start": tag_at, "end": tag_at + 4, "tag": "tag"}],
            "mentions": [{"start": bob_at, "end": bob_at + 4, "username": "bob", "id": "77"}],
            "cashtags": [{"start": sym_at, "end": sym_at + 5, "tag": "TWTR"}],
        },
    )
    out = reshape.tweet_to_v1(tweet, tweet_mode="extended")
    ents = out["entities"]
    s, e = ents["hashtags"][0]["indices"]
    assert out["full_text"][s:e] == "#tag"
    s, e = ents["user_mentions"][0]["indices"]
    assert out["full_text"][s:e] == "@bob"
    s, e = ents["symbols"][0]["indices"]
    assert out["full_text"][s:e] == "$TWTR" and ents["symbols"][0]["text"] == "TWTR"
    assert out["display_text_range"] == [0, len(text)] == [0, 24]


# -- entities -----------------------------------------------------------------------------


def test_user_mentions_take_names_from_includes_by_username() -> None:
    tweet = post(
        text="hi @Alice and @ghost",
        entities={
            "mentions": [
                {"start": 3, "end": 9, "username": "Alice"},
                {"start": 14, "end": 20, "username": "ghost"},
            ]
        },
    )
    idx = reshape.index_includes({"users": [v2_user("42", "alice", name="Alice A.")]})
    mentions = reshape.tweet_to_v1(tweet, idx)["entities"]["user_mentions"]
    assert mentions == [
        {"screen_name": "alice", "name": "Alice A.", "id": 42, "id_str": "42", "indices": [3, 9]},
        {"screen_name": "ghost", "name": None, "id": None, "id_str": None, "indices": [14, 20]},
    ]


def test_include_entities_false_omits_entities(v11: V11Validators) -> None:
    page = _media_page()
    out = reshape.page_to_v1(page, include_entities=False)[0]
    assert "entities" not in out and "extended_entities" not in out
    assert v11.errors("tweet", out) == []
    assert "entities" in reshape.page_to_v1(page)[0]


def test_trim_user_gives_only_ids(v11: V11Validators) -> None:
    page = load_real("socialfoundations_v2_tweet_1_expanded.json")
    out = reshape.page_to_v1(page, trim_user=True)[0]
    assert out["user"] == {"id": 705850200473010178, "id_str": "705850200473010178"}
    assert out["quoted_status"]["user"] == {"id": 545445165, "id_str": "545445165"}
    assert v11.errors("tweet", out) == []


def _media_page() -> dict[str, Any]:
    text = "three things https://t.co/MEDIA00001"
    at = text.index("https://")
    url = {
        "start": at,
        "end": at + 23,
        "url": "https://t.co/MEDIA00001",
        "expanded_url": f"https://twitter.com/bob/status/{ID}/photo/1",
        "display_url": "pic.twitter.com/MEDIA00001",
    }
    return {
        "data": [
            post(
                text=text,
                author_id="5",
                attachments={"media_keys": ["3_100", "7_200", "16_300"]},
                entities={
                    "urls": [
                        dict(url, media_key="3_100"),
                        dict(url, media_key="7_200"),
                        dict(url, media_key="16_300"),
                    ]
                },
            )
        ],
        "includes": {
            "users": [v2_user("5", "bob")],
            "media": [
                {
                    "media_key": "16_300",
                    "type": "animated_gif",
                    "preview_image_url": "https://pbs.twimg.com/tweet_video_thumb/g.jpg",
                    "width": 480,
                    "height": 270,
                    "variants": [
                        {
                            "bit_rate": 0,
                            "content_type": "video/mp4",
                            "url": "https://video.twimg.com/tweet_video/g.mp4",
                        }
                    ],
                },
                {
                    "media_key": "3_100",
                    "type": "photo",
                    "url": "https://pbs.twimg.com/media/p.jpg",
                    "width": 4000,
                    "height": 3000,
                    "alt_text": "a cat",
                },
                {
                    "media_key": "7_200",
                    "type": "video",
                    "preview_image_url": "https://pbs.twimg.com/ext_tw_video_thumb/v.jpg",
                    "width": 1280,
                    "height": 720,
                    "duration_ms": 2800,
                    "variants": [
                        {
                            "content_type": "application/x-mpegURL",
                            "url": "https://video.twimg.com/v.m3u8",
                        },
                        {
                            "bit_rate": 320000,
                            "content_type": "video/mp4",
                            "url": "https://video.twimg.com/v.mp4",
                        },
                    ],
                },
            ],
        },
    }


def test_media_become_entities_and_extended_entities(v11: V11Validators) -> None:
    out = reshape.page_to_v1(_media_page(), include_ext_alt_text=True)[0]
    assert v11.errors("tweet", out) == []
    media = out["extended_entities"]["media"]
    assert [m["id_str"] for m in media] == ["100", "200", "300"]  # attachments order
    assert [m["type"] for m in media] == ["photo", "video", "animated_gif"]
    photo, video, gif = media
    assert photo["media_url_https"] == "https://pbs.twimg.com/media/p.jpg"
    assert photo["media_url"] == "http://pbs.twimg.com/media/p.jpg"
    assert photo["indices"] == [13, 36] and photo["url"] == "https://t.co/MEDIA00001"
    assert photo["ext_alt_text"] == "a cat" and video["ext_alt_text"] is None
    assert photo["sizes"] == {
        "thumb": {"w": 150, "h": 150, "resize": "crop"},
        "small": {"w": 680, "h": 510, "resize": "fit"},
        "medium": {"w": 1200, "h": 900, "resize": "fit"},
        "large": {"w": 2048, "h": 1536, "resize": "fit"},
    }
    assert "video_info" not in photo
    assert video["media_url_https"] == "https://pbs.twimg.com/ext_tw_video_thumb/v.jpg"
    assert video["video_info"] == {
        "aspect_ratio": [16, 9],
        "duration_millis": 2800,
        "variants": [
            {"content_type": "application/x-mpegURL", "url": "https://video.twimg.com/v.m3u8"},
            {
                "bitrate": 320000,
                "content_type": "video/mp4",
                "url": "https://video.twimg.com/v.mp4",
            },
        ],
    }
    assert gif["video_info"]["variants"][0]["bitrate"] == 0
    assert "duration_millis" not in gif["video_info"]
    # entities.media: the first item only, typed "photo" as v1.1 did; the t.co is not an url.
    (first,) = out["entities"]["media"]
    assert first["id_str"] == "100" and first["type"] == "photo"
    assert out["entities"]["urls"] == []
    # extended: the trailing media link is outside display_text_range.
    extended = reshape.page_to_v1(_media_page(), tweet_mode="extended")[0]
    assert extended["display_text_range"] == [0, 12]


def test_media_links_without_attachments_still_become_media() -> None:
    page = _media_page()
    del page["data"][0]["attachments"]
    out = reshape.page_to_v1(page)[0]
    assert [m["id_str"] for m in out["extended_entities"]["media"]] == ["100", "200", "300"]
    assert out["entities"]["urls"] == []


def test_ext_alt_text_only_when_asked() -> None:
    out = reshape.page_to_v1(_media_page(), include_ext_alt_text=False)[0]
    assert all("ext_alt_text" not in m for m in out["extended_entities"]["media"])
    assert reshape.page_to_v1(_media_page())[0] == out  # v1.1's default: not asked


def test_media_without_includes_media_is_built_from_the_key_and_url() -> None:
    page = _media_page()
    del page["includes"]["media"]
    missing: set[str] = set()
    out = reshape.page_to_v1(page, missing=missing)[0]
    types = [m["type"] for m in out["extended_entities"]["media"]]
    assert types == ["photo", "video", "animated_gif"]  # from the media_key prefix
    assert out["extended_entities"]["media"][0]["media_url"] is None
    assert out["extended_entities"]["media"][0]["sizes"] == {}
    assert "entities.media.media_url" in missing


# -- referenced posts ---------------------------------------------------------------------


def _thread_page() -> dict[str, Any]:
    # 30 retweets 20; 20 quotes 10; 10 quotes 5 (not embedded: v1.1 stops at one quote level).
    return {
        "data": [
            post(
                id="30",
                text="RT @bob: look at this https://t.co/q",
                author_id="3",
                referenced_tweets=[{"type": "retweeted", "id": "20"}],
                public_metrics={"like_count": 0, "retweet_count": 4},
            )
        ],
        "includes": {
            "tweets": [
                post(
                    id="20",
                    text="look at this https://t.co/q",
                    author_id="2",
                    referenced_tweets=[{"type": "quoted", "id": "10"}],
                    public_metrics={"like_count": 9, "retweet_count": 4},
                ),
                post(
                    id="10",
                    text="the original",
                    author_id="1",
                    referenced_tweets=[{"type": "quoted", "id": "5"}],
                ),
                post(id="5", text="older", author_id="1"),
            ],
            "users": [v2_user("1", "ann"), v2_user("2", "bob"), v2_user("3", "cy")],
        },
    }


def test_retweeted_and_quoted_posts_nest_like_v11(v11: V11Validators) -> None:
    out = reshape.page_to_v1(_thread_page())[0]
    assert v11.errors("tweet", out) == []
    assert out["user"]["screen_name"] == "cy"
    # A retweet of a quote is a quote too, of its original's quoted post, which it does not
    # embed (its original does).
    assert out["is_quote_status"] is True and out["quoted_status_id_str"] == "10"
    assert "quoted_status" not in out
    rt = out["retweeted_status"]
    assert rt["id_str"] == "20" and rt["user"]["screen_name"] == "bob"
    assert rt["favorite_count"] == 9 and rt["is_quote_status"] is True
    assert rt["quoted_status_id_str"] == "10" and rt["quoted_status_id"] == 10
    quoted = rt["quoted_status"]
    assert quoted["text"] == "the original" and quoted["user"]["screen_name"] == "ann"
    # Bounded: the quoted post names its own quote but does not embed it.
    assert quoted["quoted_status_id_str"] == "5" and "quoted_status" not in quoted
    assert "retweeted_status" not in rt


def test_self_referencing_posts_terminate() -> None:
    loop = post(id="8", text="me", referenced_tweets=[{"type": "quoted", "id": "8"}])
    page = {"data": [loop], "includes": {"tweets": [loop]}}
    out = reshape.page_to_v1(page)[0]
    assert out["quoted_status"]["id_str"] == "8"
    assert "quoted_status" not in out["quoted_status"]
    rt_loop = post(id="9", text="rt", referenced_tweets=[{"type": "retweeted", "id": "9"}])
    out = reshape.page_to_v1({"data": [rt_loop], "includes": {"tweets": [rt_loop]}})[0]
    depth = 0
    while "retweeted_status" in out:
        out, depth = out["retweeted_status"], depth + 1
    assert depth <= reshape.MAX_DEPTH


def test_quoted_post_not_in_includes_keeps_the_id_only() -> None:
    missing: set[str] = set()
    out = reshape.tweet_to_v1(
        post(referenced_tweets=[{"type": "quoted", "id": "77"}]), missing=missing
    )
    assert out["is_quote_status"] is True and out["quoted_status_id_str"] == "77"
    assert "quoted_status" not in out and "quoted_status" in missing


def test_replies() -> None:
    text = "@ann @bob thanks!"
    tweet = post(
        text=text,
        author_id="3",
        in_reply_to_user_id="1",
        referenced_tweets=[{"type": "replied_to", "id": "99"}],
        entities={
            "mentions": [
                {"start": 0, "end": 4, "username": "ann", "id": "1"},
                {"start": 5, "end": 9, "username": "bob", "id": "2"},
            ]
        },
        conversation_id="99",
    )
    out = reshape.tweet_to_v1(tweet, tweet_mode="extended")
    assert out["in_reply_to_status_id"] == 99 and out["in_reply_to_status_id_str"] == "99"
    assert out["in_reply_to_user_id"] == 1 and out["in_reply_to_user_id_str"] == "1"
    assert out["in_reply_to_screen_name"] == "ann"  # from the mention with that id
    assert out["display_text_range"] == [10, len(text)]  # leading @mentions hidden
    idx = reshape.index_includes({"users": [v2_user("1", "Ann_Real")]})
    assert reshape.tweet_to_v1(tweet, idx)["in_reply_to_screen_name"] == "Ann_Real"
    # Not a reply: nothing is hidden.
    plain = post(text=text, entities=tweet["entities"])
    assert reshape.tweet_to_v1(plain, tweet_mode="extended")["display_text_range"] == [0, 17]


# -- counts, flags, place, polls, withheld ------------------------------------------------


def test_counts_and_flags() -> None:
    link = {"start": 12, "end": 35, "url": "https://t.co/abcdefghij"}
    tweet = post(
        text="hello world https://t.co/abcdefghij",
        entities={"urls": [link]},
        public_metrics={"like_count": 35, "retweet_count": 2, "reply_count": 3, "quote_count": 1},
        possibly_sensitive=True,
        lang="en",
        source="Twitter Web App",
    )
    out = reshape.tweet_to_v1(tweet)
    assert (out["favorite_count"], out["retweet_count"]) == (35, 2)
    assert "reply_count" not in out and "quote_count" not in out  # not in standard v1.1
    extras = reshape.tweet_to_v1(tweet, options=reshape.ReshapeOptions(v2_extras=True))
    assert (extras["reply_count"], extras["quote_count"]) == (3, 1)
    assert out["possibly_sensitive"] is True and out["lang"] == "en"
    assert (
        out["source"] == '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>'
    )
    assert out["favorited"] is False and out["retweeted"] is False
    assert reshape.tweet_to_v1(tweet, favorited=True)["favorited"] is True
    assert reshape.tweet_to_v1(tweet, favorited=False)["favorited"] is False
    assert out["contributors"] is None and out["possibly_sensitive_appealable"] is False
    # Without a link or media v1.1 sent neither possibly_sensitive key.
    plain = reshape.tweet_to_v1(post(possibly_sensitive=False, conversation_id=ID))
    assert "possibly_sensitive" not in plain and "possibly_sensitive_appealable" not in plain


def test_geo_and_place(v11: V11Validators) -> None:
    tweet = post(
        geo={
            "place_id": "01a9a39529b27f36",
            "coordinates": {"type": "Point", "coordinates": [-73.99, 40.73]},
        }
    )
    idx = reshape.index_includes(
        {
            "places": [
                {
                    "id": "01a9a39529b27f36",
                    "full_name": "Manhattan, NY",
                    "name": "Manhattan",
                    "country": "United States",
                    "country_code": "US",
                    "place_type": "city",
                    "geo": {
                        "type": "Feature",
                        "bbox": [-74.02, 40.68, -73.91, 40.88],
                        "properties": {},
                    },
                }
            ]
        }
    )
    out = reshape.tweet_to_v1(tweet, idx)
    assert out["coordinates"] == {"type": "Point", "coordinates": [-73.99, 40.73]}
    assert out["geo"] == {"type": "Point", "coordinates": [40.73, -73.99]}  # v1.1: lat, long
    place = out["place"]
    assert place is not None
    assert place["id"] == "01a9a39529b27f36" and place["full_name"] == "Manhattan, NY"
    assert place["url"] == "https://api.twitter.com/1.1/geo/id/01a9a39529b27f36.json"
    assert place["bounding_box"] == {
        "type": "Polygon",
        "coordinates": [[[-74.02, 40.68], [-73.91, 40.68], [-73.91, 40.88], [-74.02, 40.88]]],
    }
    assert v11.errors("tweet", out) == []
    # Place not in includes: null place, coordinates still there.
    out = reshape.tweet_to_v1(tweet)
    assert out["place"] is None and out["coordinates"] is not None
    # Coordinates no schema backend agrees on (NaN, bools) are dropped, not passed on.
    for bad in ([float("nan"), 1.0], [True, 1.0], [1.0], "1,2"):
        odd = post(geo={"coordinates": {"type": "Point", "coordinates": bad}})
        out = reshape.tweet_to_v1(odd)
        assert out["geo"] is None and out["coordinates"] is None
        assert v11.errors("tweet", out) == []


def test_polls_and_withheld(v11: V11Validators) -> None:
    tweet = post(
        attachments={"poll_ids": ["55"]},
        withheld={"copyright": False, "country_codes": ["DE", "FR"]},
    )
    idx = reshape.index_includes(
        {
            "polls": [
                {
                    "id": "55",
                    "options": [{"position": 1, "label": "yes"}, {"position": 2, "label": "no"}],
                    "duration_minutes": 60,
                    "end_datetime": "2023-02-17T12:20:16.000Z",
                }
            ]
        }
    )
    assert "polls" not in reshape.tweet_to_v1(tweet, idx)["entities"]  # not standard v1.1
    out = reshape.tweet_to_v1(tweet, idx, options=reshape.ReshapeOptions(v2_extras=True))
    assert out["entities"]["polls"] == [
        {
            "options": [{"position": 1, "text": "yes"}, {"position": 2, "text": "no"}],
            "end_datetime": "Fri Feb 17 12:20:16 +0000 2023",
            "duration_minutes": 60,
        }
    ]
    assert out["withheld_in_countries"] == ["DE", "FR"]
    assert v11.errors("tweet", out) == []
    assert "withheld_in_countries" not in reshape.tweet_to_v1(post())


# -- users ----------------------------------------------------------------------------------


def test_user_to_v1_fields() -> None:
    user = reshape.user_to_v1(
        {
            "id": "12",
            "username": "jack",
            "name": "jack",
            "url": "",
            "description": "",
            "protected": True,
            "verified": True,
            "created_at": "2006-03-21T20:50:14.000Z",
            "profile_image_url": "https://abs.twimg.com/sticky/default_profile_images/d_normal.png",
            "public_metrics": {
                "followers_count": 1,
                "following_count": 2,
                "tweet_count": 3,
                "listed_count": 4,
            },
            "withheld": {"country_codes": ["XY"]},
        }
    )
    assert tuple(user) == (*reshape.USER_KEYS, "withheld_in_countries")  # withheld: last
    assert user["url"] is None and "url" not in user["entities"]  # v2 "" → v1.1 null
    assert user["entities"] == {"description": {"urls": []}}
    assert (user["followers_count"], user["friends_count"]) == (1, 2)
    assert (user["statuses_count"], user["listed_count"]) == (3, 4)
    assert user["favourites_count"] == 0
    assert user["created_at"] == "Tue Mar 21 20:50:14 +0000 2006"
    assert (user["profile_image_url"] or "").startswith("http://abs.twimg.com/")
    assert user["default_profile_image"] is True
    assert user["protected"] is True and user["verified"] is True
    assert user["withheld_in_countries"] == ["XY"]
    assert user["following"] is None and user["translator_type"] == "none"


def test_user_to_v1_placeholder_and_missing() -> None:
    missing: set[str] = set()
    user = reshape.user_to_v1(None, missing=missing)
    assert tuple(user) == reshape.USER_KEYS and user["id"] is None
    assert {"user.id", "user.screen_name", "user.followers_count"} <= missing
    missing = set()
    reshape.user_to_v1({"id": "1", "username": "a", "name": "A"}, missing=missing, prefix="u.")
    assert "u.created_at" in missing and "u.id" not in missing


@pytest.mark.parametrize("bad", [{"id": 12}, {"id": "12a"}, {"id": "١٢"}, "user"])
def test_user_to_v1_rejects_malformed(bad: Any) -> None:
    with pytest.raises(MalformedResponse):
        reshape.user_to_v1(bad)


# -- malformed input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        "not a post",
        {"text": "no id"},
        {"id": 123, "text": "int id"},
        {"id": "12 ", "text": "space"},
        {"id": "١٢٣", "text": "arabic digits"},
        {"id": "1", "text": None},
        {"id": "1", "text": "x", "created_at": "yesterday"},
        {"id": "1", "text": "x", "author_id": "bob"},
        {"id": "1", "text": "x", "in_reply_to_user_id": "-1"},
        {"id": "1", "text": "x", "referenced_tweets": [{"type": "quoted", "id": "1.5"}]},
        {"id": "1", "text": "x", "referenced_tweets": [{"type": "replied_to", "id": 7}]},
        {
            "id": "1",
            "text": "@a",
            "entities": {"mentions": [{"start": 0, "end": 2, "username": "a", "id": "a"}]},
        },
    ],
)
@pytest.mark.parametrize("trim_user", [False, True])
def test_malformed_posts_raise(bad: Any, trim_user: bool) -> None:
    with pytest.raises(MalformedResponse):
        reshape.tweet_to_v1(bad, trim_user=trim_user)


def test_page_shapes() -> None:
    assert reshape.page_to_v1({"meta": {"result_count": 0}}) == []
    single = reshape.page_to_v1({"data": post()}, favorited=True)
    assert len(single) == 1 and single[0]["favorited"] is True
    with pytest.raises(MalformedResponse):
        reshape.page_to_v1({"data": "x"})
    with pytest.raises(MalformedResponse):
        reshape.page_to_v1([])  # type: ignore[arg-type]


# -- created_at -----------------------------------------------------------------------------


def test_created_at_helpers() -> None:
    assert reshape.format_created_at("2018-10-10T20:19:24.000Z") == "Wed Oct 10 20:19:24 +0000 2018"
    assert reshape.format_created_at("2024-02-29T00:00:00Z") == "Thu Feb 29 00:00:00 +0000 2024"
    for bad in (
        "2018-10-10 20:19:24",
        "2018-13-10T20:19:24.000Z",
        "2018-10-10T20:19:24.000Z\n",
        "2018-10-10T25:19:24.000Z",
        "",
        None,
    ):
        with pytest.raises(MalformedResponse):
            reshape.format_created_at(bad)  # type: ignore[arg-type]
    for bad_id in ("", "abc", "-5", "0", "000", "١٢٣", " 12", "12\n", 12, None):
        with pytest.raises(MalformedResponse):
            reshape.created_at_from_id(bad_id)  # type: ignore[arg-type]


def test_created_at_from_id_against_datetime() -> None:
    rng = random.Random(7)
    for _ in range(200):
        ms = rng.randrange(1288834974657, 1900000000000)
        tweet_id = ((ms - 1288834974657) << 22) | rng.randrange(1 << 22)
        when = dt.datetime.fromtimestamp(ms // 1000, tz=dt.timezone.utc)
        expected = when.strftime("%a %b %d %H:%M:%S +0000 %Y")
        assert reshape.created_at_from_id(str(tweet_id)) == expected
        iso = when.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        assert reshape.format_created_at(iso) == expected


# -- module hygiene -------------------------------------------------------------------------


def test_module_is_pure() -> None:
    source = (REALDATA.parents[1] / "compat" / "reshape.py").read_text(encoding="utf-8")
    imported: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0] if node.level == 0 else node.module)
    assert imported <= {
        "__future__",
        "dataclasses",
        "datetime",
        "html",
        "logging",
        "math",
        "re",
        "collections",
        "typing",
        "compat",
    }
    assert "open(" not in source and "requests" not in source


def test_docstring_examples_run() -> None:
    result = doctest.testmod(compat.reshape, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 10 and result.failed == 0


def test_constant_docstring_examples_run() -> None:
    # Docstrings under module constants (V2_QUERY, NOT_DERIVABLE, ...) are not collected by
    # doctest: run their Usage examples here.
    source = (REALDATA.parents[1] / "compat" / "reshape.py").read_text(encoding="utf-8")
    body = ast.parse(source).body
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner()
    ran = []
    for before, node in itertools.pairwise(body):
        if (
            isinstance(before, (ast.Assign, ast.AnnAssign))
            and isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            and ">>>" in node.value.value
        ):
            target = before.targets[0] if isinstance(before, ast.Assign) else before.target
            assert isinstance(target, ast.Name)
            test = parser.get_doctest(
                node.value.value, vars(compat.reshape).copy(), target.id, "reshape.py", 0
            )
            runner.run(test)
            ran.append(target.id)
    assert runner.summarize(verbose=False).failed == 0
    assert {"V2_QUERY", "NOT_DERIVABLE", "TWEET_KEYS", "USER_KEYS", "MAX_DEPTH"} <= set(ran)
