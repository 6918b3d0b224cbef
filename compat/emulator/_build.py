"""Rebuild ``data/dataset.json`` from the real recorded payloads (a maintainer's tool).

Run ``python -m compat.emulator._build /work/shared/realdata`` after the recordings change.
Every object copied from a recording keeps the recorded values; fields the recording lacks get
deterministic synthetic values, and ``data/README.md`` says which came from where.

Usage::

    python -m compat.emulator._build /work/shared/realdata compat/emulator/data/dataset.json
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

__all__ = ["build", "main"]

TWEPOCH_MS = 1288834974657
DEFAULT_USER = "1072250532645998596"
SECOND_USER = "82301637"  # @tweepytest, tweepy's own test account (favorites list 2014)
TWITTER = "783214"
TWITTER_DEV = "2244994945"

_HASHTAG = re.compile(r"(?<![\w&])#(\w+)")
_MENTION = re.compile(r"(?<![\w@])@(\w{1,15})")
_URL = re.compile(r"https?://t\.co/\w+")
_SOURCE = re.compile(r">([^<]*)<")


def _h(seed: str, mod: int) -> int:
    return int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "big") % mod


def iso_from_snowflake(tweet_id: str) -> str | None:
    """``created_at`` from a snowflake id's timestamp bits, or None for pre-snowflake ids."""
    value = int(tweet_id)
    if value < 2**32:  # pre-2010 sequential ids carry no timestamp
        return None
    ms = (value >> 22) + TWEPOCH_MS
    stamp = dt.datetime.fromtimestamp(ms // 1000, tz=dt.timezone.utc)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.000Z")  # v2 shows whole seconds


def iso_from_v1(created_at: str) -> str:
    stamp = dt.datetime.strptime(created_at, "%a %b %d %H:%M:%S %z %Y")
    return stamp.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def text_entities(text: str, users_by_name: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """v2 ``entities`` (code point offsets) for the hashtags, mentions and t.co links in text."""
    entities: dict[str, Any] = {}
    tags = [
        {"start": m.start(), "end": m.end(), "tag": m.group(1)} for m in _HASHTAG.finditer(text)
    ]
    mentions = []
    for m in _MENTION.finditer(text):
        item: dict[str, Any] = {"start": m.start(), "end": m.end(), "username": m.group(1)}
        user = users_by_name.get(m.group(1).lower())
        if user is not None:
            item["id"] = user["id"]
        mentions.append(item)
    urls = [
        {
            "start": m.start(),
            "end": m.end(),
            "url": m.group(0),
            "expanded_url": m.group(0),
            "display_url": m.group(0).split("://", 1)[1],
        }
        for m in _URL.finditer(text)
    ]
    if tags:
        entities["hashtags"] = tags
    if mentions:
        entities["mentions"] = mentions
    if urls:
        entities["urls"] = urls
    return entities


def _v1_user(u: dict[str, Any]) -> dict[str, Any]:
    entities: dict[str, Any] = {}
    for part in ("url", "description"):
        urls = u.get("entities", {}).get(part, {}).get("urls", [])
        if urls:
            entities[part] = {
                "urls": [
                    {
                        "start": x["indices"][0],
                        "end": x["indices"][1],
                        "url": x["url"],
                        "expanded_url": x["expanded_url"],
                        "display_url": x["display_url"],
                    }
                    for x in urls
                ]
            }
    user: dict[str, Any] = {
        "id": u["id_str"],
        "name": u["name"],
        "username": u["screen_name"],
        "created_at": iso_from_v1(u["created_at"]),
        "description": u.get("description") or "",
        "location": u.get("location") or "",
        "url": u.get("url") or "",
        "protected": bool(u.get("protected")),
        "verified": bool(u.get("verified")),
        "profile_image_url": u.get("profile_image_url_https", ""),
        "public_metrics": {
            "followers_count": u.get("followers_count", 0),
            "following_count": u.get("friends_count", 0),
            "tweet_count": u.get("statuses_count", 0),
            "listed_count": u.get("listed_count", 0),
            "like_count": u.get("favourites_count", 0),
        },
    }
    if entities:
        user["entities"] = entities
    return user


def _v1_tweet(t: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A v1.1 status as a v2 post plus its v2 media objects."""
    ent = t.get("entities", {})
    entities: dict[str, Any] = {}
    if ent.get("hashtags"):
        entities["hashtags"] = [
            {"start": h["indices"][0], "end": h["indices"][1], "tag": h["text"]}
            for h in ent["hashtags"]
        ]
    if ent.get("user_mentions"):
        entities["mentions"] = [
            {
                "start": m["indices"][0],
                "end": m["indices"][1],
                "username": m["screen_name"],
                "id": m["id_str"],
            }
            for m in ent["user_mentions"]
        ]
    urls = [
        {
            "start": x["indices"][0],
            "end": x["indices"][1],
            "url": x["url"],
            "expanded_url": x["expanded_url"],
            "display_url": x["display_url"],
        }
        for x in ent.get("urls", [])
    ]
    media_objects: list[dict[str, Any]] = []
    for m in t.get("extended_entities", {}).get("media", []):
        kind = m["type"]
        prefix = {"photo": "3", "video": "7", "animated_gif": "16"}[kind]
        key = f"{prefix}_{m['id_str']}"
        large = m["sizes"]["large"]
        obj: dict[str, Any] = {
            "media_key": key,
            "type": kind,
            "width": large["w"],
            "height": large["h"],
        }
        if kind == "photo":
            obj["url"] = m["media_url_https"]
        else:
            obj["preview_image_url"] = m["media_url_https"]
            info = m.get("video_info", {})
            if "duration_millis" in info:
                obj["duration_ms"] = info["duration_millis"]
            obj["variants"] = [
                {
                    k: v
                    for k, v in var.items()
                    if k in ("bit_rate", "bitrate", "content_type", "url")
                }
                for var in info.get("variants", [])
            ]
            for var in obj["variants"]:
                if "bitrate" in var:
                    var["bit_rate"] = var.pop("bitrate")
            obj["public_metrics"] = {"view_count": 0}
        media_objects.append(obj)
        urls.append(
            {
                "start": m["indices"][0],
                "end": m["indices"][1],
                "url": m["url"],
                "expanded_url": m["expanded_url"],
                "display_url": m["display_url"],
                "media_key": key,
            }
        )
    if urls:
        entities["urls"] = urls
    source = _SOURCE.search(t.get("source", ""))
    post: dict[str, Any] = {
        "id": t["id_str"],
        "text": t["text"],
        "edit_history_tweet_ids": [t["id_str"]],
        "created_at": iso_from_v1(t["created_at"]),
        "author_id": t["user"]["id_str"],
        "conversation_id": t["id_str"],
        "lang": t.get("lang") or "en",
        "source": source.group(1) if source else "Twitter Web Client",
        "possibly_sensitive": bool(t.get("possibly_sensitive", False)),
        "reply_settings": "everyone",
        "public_metrics": {
            "retweet_count": t.get("retweet_count", 0),
            "reply_count": 0,
            "like_count": t.get("favorite_count", 0),
            "quote_count": 0,
        },
    }
    if entities:
        post["entities"] = entities
    if media_objects:
        post["attachments"] = {"media_keys": [m["media_key"] for m in media_objects]}
    if t.get("in_reply_to_status_id_str"):
        post["in_reply_to_user_id"] = t["in_reply_to_user_id_str"]
        post["referenced_tweets"] = [{"type": "replied_to", "id": t["in_reply_to_status_id_str"]}]
    return post, media_objects


def _fill_user(user: dict[str, Any]) -> dict[str, Any]:
    """Deterministic synthetic values for the user fields a recording lacks."""
    uid = user["id"]
    created = iso_from_snowflake(uid) if int(uid) >= 2**32 else None
    if created is None:
        # pre-snowflake account ids: a stable date in 2007-2013
        base = dt.datetime(2007, 1, 1, tzinfo=dt.timezone.utc)
        created = (base + dt.timedelta(seconds=_h(uid, 7 * 365 * 86400))).strftime(
            "%Y-%m-%dT%H:%M:%S.000Z"
        )
    defaults: dict[str, Any] = {
        "created_at": created,
        "description": "",
        "location": "",
        "url": "",
        "protected": False,
        "verified": False,
        "verified_type": "none",
        "profile_image_url": "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png",
        "public_metrics": {
            "followers_count": _h(uid + "f", 5000),
            "following_count": _h(uid + "g", 2000),
            "tweet_count": _h(uid + "t", 20000),
            "listed_count": _h(uid + "l", 100),
            "like_count": _h(uid + "k", 10000),
        },
    }
    for key, value in defaults.items():
        user.setdefault(key, value)
    if "verified_type" not in user or user["verified_type"] is None:
        user["verified_type"] = "none"
    return user


def _fill_tweet(
    post: dict[str, Any], author: str, users_by_name: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    tid = post["id"]
    post.setdefault("edit_history_tweet_ids", [tid])
    post.setdefault("author_id", author)
    created = iso_from_snowflake(tid)
    if created is not None:
        post.setdefault("created_at", created)
    post.setdefault("conversation_id", tid)
    post.setdefault("lang", "en")
    post.setdefault("source", "Twitter Web App")
    post.setdefault("possibly_sensitive", False)
    post.setdefault("reply_settings", "everyone")
    post.setdefault(
        "public_metrics",
        {
            "retweet_count": _h(tid + "r", 300),
            "reply_count": _h(tid + "p", 80),
            "like_count": 1 + _h(tid + "l", 2000),
            "quote_count": _h(tid + "q", 40),
        },
    )
    if "entities" not in post:
        entities = text_entities(post["text"], users_by_name)
        if entities:
            post["entities"] = entities
    return post


def build(realdata: Path) -> dict[str, Any]:
    """The dataset document built from the recordings in ``realdata``."""

    def load(name: str) -> Any:
        return json.loads((realdata / name).read_text(encoding="utf-8"))

    users: dict[str, dict[str, Any]] = {}
    tweets: dict[str, dict[str, Any]] = {}
    media: dict[str, dict[str, Any]] = {}
    provenance: dict[str, str] = {}

    def add_user(user: dict[str, Any], source: str) -> None:
        if user["id"] in users:
            for key, value in user.items():
                users[user["id"]].setdefault(key, value)
            return
        users[user["id"]] = dict(user)
        provenance[f"user:{user['id']}"] = source

    me = load("tweepy_v2_users_me.json")["data"]
    add_user(me, "tweepy_v2_users_me.json")
    for name in (
        "tweepy_v11_create_favorite.json",
        "python_twitter_v11_create_favorite.json",
    ):
        add_user(_v1_user(load(name)["user"]), name + " (v1.1 user, reshaped to v2)")
    for name in ("python_twitter_v11_get_favorites.json", "tweepy_v11_favorites_list_2014.json"):
        for t in load(name):
            add_user(_v1_user(t["user"]), name + " (v1.1 user, reshaped to v2)")
    social = load("socialfoundations_v2_tweet_1_expanded.json")
    for u in social["includes"]["users"]:
        add_user(u, "socialfoundations_v2_tweet_1_expanded.json")
    sns = load("sns_sdks_v2_liked_tweets_author_expansion.json")
    for u in sns["includes"]["users"]:
        add_user(u, "sns_sdks_v2_liked_tweets_author_expansion.json")
    liking = load("tweepy_v2_liking_users.json")["data"]
    for u in liking:
        add_user(u, "tweepy_v2_liking_users.json")
    add_user(
        {"id": TWITTER_DEV, "name": "Developers", "username": "TwitterDev"},
        "synthetic: id from the API docs' examples (seeds), author of the launch posts",
    )
    users_by_name = {u["username"].lower(): u for u in users.values()}

    def add_tweet(post: dict[str, Any], author: str, source: str) -> None:
        tweets[post["id"]] = _fill_tweet(dict(post), author, users_by_name)
        provenance[f"tweet:{post['id']}"] = source

    for name in (
        "tweepy_v11_create_favorite.json",
        "python_twitter_v11_create_favorite.json",
    ):
        post, objs = _v1_tweet(load(name))
        if name.startswith("tweepy"):
            # favorite_count 1137 was recorded after the like; 1136 before it (destroy).
            post["public_metrics"]["like_count"] = load("tweepy_v11_destroy_favorite.json")[
                "favorite_count"
            ]
        else:
            post["public_metrics"]["like_count"] -= 1  # recorded after the recorder's like
        add_tweet(post, post["author_id"], name + " (v1.1 status, reshaped to v2)")
        for m in objs:
            media[m["media_key"]] = m
    for name in ("python_twitter_v11_get_favorites.json", "tweepy_v11_favorites_list_2014.json"):
        for t in load(name):
            post, objs = _v1_tweet(t)
            add_tweet(post, post["author_id"], name + " (v1.1 status, reshaped to v2)")
            for m in objs:
                media[m["media_key"]] = m
    add_tweet(social["data"], "", "socialfoundations_v2_tweet_1_expanded.json")
    for t in social["includes"]["tweets"]:
        add_tweet(t, "", "socialfoundations_v2_tweet_1_expanded.json (includes.tweets)")
    v1_social = load("socialfoundations_v1_tweet_1.json")
    for m in v1_social["quoted_status"]["extended_entities"]["media"]:
        large = m["sizes"]["large"]
        media[f"3_{m['id_str']}"] = {
            "media_key": f"3_{m['id_str']}",
            "type": m["type"],
            "url": m["media_url_https"],
            "width": large["w"],
            "height": large["h"],
        }
    for t in sns["data"]:
        add_tweet(t, t["author_id"], "sns_sdks_v2_liked_tweets_author_expansion.json")
    for t in load("tweepy_v2_tweets_lookup.json")["data"]:
        add_tweet(t, TWITTER_DEV, "tweepy_v2_tweets_lookup.json (author synthetic: @TwitterDev)")
    liked_by_twitter = load("tweepy_v2_liked_tweets.json")["data"]
    for t in liked_by_twitter:
        if t["id"] not in tweets:
            add_tweet(t, TWITTER, "tweepy_v2_liked_tweets.json (author synthetic: @Twitter)")

    # like counts consistent with the likers the dataset knows
    launch = "1293593516040269825"
    tweets[launch]["public_metrics"]["like_count"] = len(liking)

    for user in users.values():
        _fill_user(user)
    users[TWITTER]["verified_type"] = "business"
    users[TWITTER_DEV]["pinned_tweet_id"] = launch  # synthetic: its own launch post
    provenance[f"user:{TWITTER_DEV}"] += "; pinned_tweet_id synthetic"
    likes = {
        # newest like first, as liked_tweets / liking_users list them
        TWITTER: [t["id"] for t in liked_by_twitter],
        SECOND_USER: ["4901065281"],
    }
    for u in liking:
        likes.setdefault(u["id"], []).append(launch)
    return {
        "format": "compat-emulator-dataset/1",
        "default_user": DEFAULT_USER,
        "second_user": SECOND_USER,
        "users": list(users.values()),
        "tweets": list(tweets.values()),
        "media": list(media.values()),
        "places": [],
        "polls": [],
        "likes": likes,
        "deleted_tweets": ["1293593516040269824"],
        # authored timelines, generated when the emulator starts (compat.emulator.timelines)
        "authored": {"default_user": 150, "second_user": 40, "others": 5},
        "apps": [
            {
                "name": "compat-emulator",
                "consumer_key": "emuConsumerKey0000000001",
                "consumer_secret": "emu-consumer-secret-not-a-real-secret-000001",
                "bearer_token": "AAAAAAAAAAAAAAAAAAAAAEmuAppOnly%2Bnot%2Breal%3D0000000001",
            },
            {
                "name": "compat-emulator-2",
                "consumer_key": "emuConsumerKey0000000002",
                "consumer_secret": "emu-consumer-secret-not-a-real-secret-000002",
                "bearer_token": "AAAAAAAAAAAAAAAAAAAAAEmuAppOnly%2Bnot%2Breal%3D0000000002",
            },
        ],
        "tokens": [
            {
                "user_id": DEFAULT_USER,
                "app": "compat-emulator",
                "access_token": f"{DEFAULT_USER}-EmuAccessToken0001",
                "access_token_secret": "emu-token-secret-not-a-real-secret-0001",
                "bearer_token": "ZW11LW9hdXRoMi11c2VyLXRva2VuLTAwMDE6MTA3MjI1MDUzMjY0NTk5ODU5Ng",
            },
            {
                "user_id": SECOND_USER,
                "app": "compat-emulator-2",
                "access_token": f"{SECOND_USER}-EmuAccessToken0002",
                "access_token_secret": "emu-token-secret-not-a-real-secret-0002",
                "bearer_token": "ZW11LW9hdXRoMi11c2VyLXRva2VuLTAwMDI6ODIzMDE2Mzc",
            },
        ],
        "provenance": provenance,
    }


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    realdata = Path(args[0])
    out = Path(args[1]) if len(args) > 1 else Path(__file__).parent / "data" / "dataset.json"
    doc = build(realdata)
    out.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out}: {len(doc['users'])} users, {len(doc['tweets'])} posts")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
