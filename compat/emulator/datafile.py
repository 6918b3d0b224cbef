"""Dataset files a user writes: users, posts and likes, checked entry by entry.

``Emulator(dataset=PATH)`` and ``compat emulator --dataset PATH`` read a JSON object in one of
two forms: the shipped format (``"format": "compat-emulator-dataset/1"``, what
``Dataset.to_dict()`` writes), or this short one::

    {
      "users": [{"id": "1001", "username": "alice", "name": "Alice"}],
      "posts": [{"id": "1720000000000000000", "author_id": "1001", "text": "hi #compat"}],
      "likes": {"alice": ["1720000000000000000"]},
      "default_user": "alice",
      "authored": {"default_user": 20, "second_user": 0, "others": 0}
    }

``users`` need ``id`` (digits) and ``username`` (``^[A-Za-z0-9_]{1,15}$``, unique); every
other v2 user field may be given and the rest get the shipped dataset's defaults. ``posts``
need ``id``, ``author_id`` (one of the users) and ``text``; ``created_at`` comes from a
snowflake id when missing, ``entities`` from the text (hashtags, mentions, t.co links), and
any v2 post field given is kept. ``likes`` maps a user (id or username) to the post ids they
liked, newest like first. ``default_user`` (id or username) is whose credentials the emulator
prints (default: the first user); ``second_user`` likewise (default: the second user).
``authored`` adds generated timelines (:mod:`compat.emulator.timelines`; default none).
The test credentials are the shipped dataset's apps, tokens derived per user.

A mistake raises :class:`ValueError` naming the entry (``users[2].username: ...``); the
caller adds the file name.

Usage::

    >>> doc = convert({"users": [{"id": "1", "username": "a"}],
    ...                "posts": [{"id": "5", "author_id": "1", "text": "hi @a"}]}, apps=[])
    >>> doc["default_user"], doc["tweets"][0]["entities"]["mentions"][0]["id"]
    ('1', '1')
    >>> convert({"users": [{"id": "1", "username": "a b"}], "posts": []}, apps=[])
    Traceback (most recent call last):
    ...
    ValueError: users[0].username: must match ^[A-Za-z0-9_]{1,15}$, got 'a b'
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from typing import Any

from compat.emulator._build import _fill_tweet, _fill_user

__all__ = ["FORMAT", "SHORT_KEYS", "convert"]

FORMAT = "compat-emulator-dataset/1"
#: the keys the short form may have
SHORT_KEYS = frozenset(
    {"users", "posts", "likes", "default_user", "second_user", "authored", "media", "deleted"}
)
_ID = re.compile(r"[0-9]{1,19}")
_HANDLE = re.compile(r"[A-Za-z0-9_]{1,15}")


def _fail(where: str, message: str) -> ValueError:
    return ValueError(f"{where}: {message}")


def _list(doc: Mapping[str, Any], key: str) -> list[Any]:
    value = doc.get(key, [])
    if not isinstance(value, list):
        raise _fail(key, f"must be a list, got {type(value).__name__}")
    return value


def _id(where: str, value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise _fail(where, f"must be an id of 1 to 19 digits (a string), got {value!r}")
    return value


def convert(doc: Mapping[str, Any], *, apps: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The shipped-format document for a short-form ``doc`` (checked; ValueError naming the
    bad entry). ``apps``: the test apps to sign with."""
    unknown = sorted(set(doc) - SHORT_KEYS)
    if unknown:
        raise _fail(unknown[0], f"unknown key; a dataset file has {', '.join(sorted(SHORT_KEYS))}")
    users: dict[str, dict[str, Any]] = {}
    by_name: dict[str, dict[str, Any]] = {}
    for i, raw in enumerate(_list(doc, "users")):
        where = f"users[{i}]"
        if not isinstance(raw, dict):
            raise _fail(where, f"must be an object, got {type(raw).__name__}")
        uid = _id(f"{where}.id", raw.get("id"))
        name = raw.get("username")
        if not isinstance(name, str) or not _HANDLE.fullmatch(name):
            raise _fail(f"{where}.username", f"must match ^[A-Za-z0-9_]{{1,15}}$, got {name!r}")
        if uid in users:
            raise _fail(f"{where}.id", f"user {uid} is listed twice")
        if name.lower() in by_name:
            raise _fail(f"{where}.username", f"@{name} is listed twice")
        user = copy.deepcopy(raw)
        user["id"] = uid
        user.setdefault("name", name)
        users[uid] = _fill_user(user)
        by_name[name.lower()] = users[uid]
    if not users:
        raise _fail("users", "a dataset needs at least one user")

    def who(where: str, value: object) -> str:
        if isinstance(value, str) and value.lower().lstrip("@") in by_name:
            return str(by_name[value.lower().lstrip("@")]["id"])
        if isinstance(value, (str, int)) and str(value) in users:
            return str(value)
        raise _fail(where, f"no such user (an id or username of users[]): {value!r}")

    tweets: dict[str, dict[str, Any]] = {}
    for i, raw in enumerate(_list(doc, "posts")):
        where = f"posts[{i}]"
        if not isinstance(raw, dict):
            raise _fail(where, f"must be an object, got {type(raw).__name__}")
        tid = _id(f"{where}.id", raw.get("id"))
        if tid in tweets:
            raise _fail(f"{where}.id", f"post {tid} is listed twice")
        text = raw.get("text")
        if not isinstance(text, str) or not text:
            raise _fail(f"{where}.text", f"must be a non-empty string, got {text!r}")
        author = who(f"{where}.author_id", raw.get("author_id"))
        post = copy.deepcopy(raw)
        post["id"] = tid
        post["author_id"] = author
        tweets[tid] = _fill_tweet(post, author, by_name)
    likes: dict[str, list[str]] = {}
    raw_likes = doc.get("likes", {})
    if not isinstance(raw_likes, dict):
        raise _fail(
            "likes", f"must be an object (user -> post ids), got {type(raw_likes).__name__}"
        )
    for key, liked in raw_likes.items():
        uid = who(f"likes[{key!r}]", key)
        if not isinstance(liked, list):
            raise _fail(f"likes[{key!r}]", "must be a list of post ids")
        for j, tid in enumerate(liked):
            tid = _id(f"likes[{key!r}][{j}]", tid)
            if tid not in tweets:
                raise _fail(f"likes[{key!r}][{j}]", f"no post {tid} in posts[]")
            likes.setdefault(uid, []).append(tid)
    order = list(users)
    default = who("default_user", doc["default_user"]) if "default_user" in doc else order[0]
    second: str | None
    if "second_user" in doc:
        second = who("second_user", doc["second_user"])
    else:
        second = next((u for u in order if u != default), None)
    authored = doc.get("authored")
    if authored is not None:
        allowed = {"default_user", "second_user", "others"}
        if not isinstance(authored, dict) or not all(
            k in allowed and isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 3200
            for k, v in authored.items()
        ):
            raise _fail(
                "authored",
                f"must map {', '.join(sorted(allowed))} to a number of posts (0 to 3200), "
                f"got {authored!r}",
            )
    return {
        "format": FORMAT,
        "default_user": default,
        "second_user": second,
        "users": list(users.values()),
        "tweets": list(tweets.values()),
        "media": list(_list(doc, "media")),
        "places": [],
        "polls": [],
        "likes": likes,
        "deleted_tweets": [_id(f"deleted[{i}]", t) for i, t in enumerate(_list(doc, "deleted"))],
        "authored": authored,
        "apps": [dict(app) for app in apps],
        "tokens": [],
    }
