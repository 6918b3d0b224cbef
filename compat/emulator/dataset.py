"""The emulator's world: users, posts, media, who liked what, and the test credentials.

The default dataset ships in ``compat/emulator/data/dataset.json``; it was built from the real
recorded payloads (see ``data/README.md`` for each object's provenance). On top of it,
``likes=N`` adds N deterministic synthetic posts liked by the default user, generated on
demand from their index, so 100,000 of them cost a few list entries, not 100,000 dicts.

Usage::

    >>> from compat.emulator.dataset import Dataset
    >>> ds = Dataset.default().with_synthetic(1000)
    >>> ds.user(ds.default_user)["username"]
    'TweepyDev'
    >>> ds.tweet("145344012")["author_id"]
    '783214'
    >>> len(ds.initial_likes(ds.default_user))
    1000
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import hashlib
import hmac
import json
import math
import os
import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from compat.emulator.datafile import convert
from compat.emulator.timelines import AuthoredCounts, authored_posts
from compat.errors import ConfigurationError

__all__ = [
    "DATA_DIR",
    "DEFAULT_DATASET",
    "App",
    "Dataset",
    "DatasetError",
    "Token",
    "iso_from_snowflake",
]

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_DATASET = DATA_DIR / "dataset.json"
FORMAT = "compat-emulator-dataset/1"
TWEPOCH_MS = 1288834974657

# synthetic posts: snowflake ids whose timestamps start 2023-01-01 and step 61 s
_SYN_T0_MS = 1_672_531_200_000
_SYN_STEP_MS = 61_000
_SYN_LOW_MASK = (1 << 22) - 1
_QUOTED_REAL_POST = "1626194750222094336"
_SCREEN_NAME = re.compile(r"[A-Za-z0-9_]{1,15}")

SYNTHETIC_PLACES: tuple[dict[str, Any], ...] = (
    {
        "id": "01a9a39529b27f36",
        "full_name": "Manhattan, NY",
        "name": "Manhattan",
        "country": "United States",
        "country_code": "US",
        "place_type": "city",
        "geo": {
            "type": "Feature",
            "bbox": [-74.026675, 40.683935, -73.910408, 40.877483],
            "properties": {},
        },
        "contained_within": [],
    },
)


class DatasetError(ConfigurationError, ValueError):
    """A dataset document is not in the expected form (a setup mistake: a
    :class:`~compat.errors.ConfigurationError`, and a ValueError as before)."""


@dataclasses.dataclass(frozen=True)
class App:
    """A developer app: OAuth 1.0a consumer key/secret and its app-only bearer token."""

    name: str
    consumer_key: str
    consumer_secret: str
    bearer_token: str

    def __repr__(self) -> str:
        return f"App(name={self.name!r}, consumer_key={self.consumer_key!r})"


@dataclasses.dataclass(frozen=True)
class Token:
    """A user's access token under one app (OAuth 1.0a) and an OAuth 2.0 user bearer token."""

    user_id: str
    app: str
    access_token: str
    access_token_secret: str
    bearer_token: str

    def __repr__(self) -> str:
        return f"Token(user_id={self.user_id!r}, app={self.app!r})"


def iso_from_snowflake(tweet_id: str | int) -> str | None:
    """``created_at`` from a snowflake id's timestamp bits: ms = (id >> 22) + 1288834974657.

    >>> iso_from_snowflake("1293593516040269825")
    '2020-08-12T17:01:42.000Z'
    >>> iso_from_snowflake(145344012) is None     # pre-snowflake ids carry no time
    True
    """
    value = int(tweet_id)
    if value < 2**32:
        return None
    ms = (value >> 22) + TWEPOCH_MS
    stamp = dt.datetime.fromtimestamp(ms // 1000, tz=dt.timezone.utc)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.000Z")  # v2 shows whole seconds


def _hash_int(seed: str, mod: int) -> int:
    return int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "big") % mod


class Dataset:
    """Users, posts, media, places, polls, likes and credentials, indexed for lookups.

    Build one with :meth:`default`, :meth:`load` (a JSON file in the shipped format) or
    :meth:`from_dict`; :meth:`with_synthetic` returns a copy with N synthetic liked posts.
    Objects are the full v2 objects (every field the emulator can serve); the server picks
    the requested fields from them. Treat returned objects as read-only.
    """

    def __init__(
        self, doc: Mapping[str, Any], *, synthetic: int = 0, anchor: float | None = None
    ) -> None:
        if doc.get("format") != FORMAT:
            raise DatasetError(f"dataset format must be {FORMAT!r}, got {doc.get('format')!r}")
        try:
            self.users: dict[str, dict[str, Any]] = {u["id"]: u for u in doc["users"]}
            self.tweets: dict[str, dict[str, Any]] = {t["id"]: t for t in doc["tweets"]}
            self.media: dict[str, dict[str, Any]] = {
                m["media_key"]: m for m in doc.get("media", [])
            }
            self.places: dict[str, dict[str, Any]] = {p["id"]: p for p in doc.get("places", [])}
            self.polls: dict[str, dict[str, Any]] = {p["id"]: p for p in doc.get("polls", [])}
            self.likes: dict[str, list[str]] = {
                str(k): [str(t) for t in v] for k, v in doc.get("likes", {}).items()
            }
            self.deleted: frozenset[str] = frozenset(doc.get("deleted_tweets", []))
            self.apps: dict[str, App] = {a["name"]: App(**a) for a in doc["apps"]}
            tokens = [Token(**t) for t in doc.get("tokens", [])]
            self.default_user: str = str(doc["default_user"])
            self.second_user: str | None = doc.get("second_user")
        except (KeyError, TypeError) as exc:
            raise DatasetError(f"dataset document is malformed: {exc!r}") from exc
        if not self.apps:
            raise DatasetError("dataset has no apps")
        if self.default_user not in self.users:
            raise DatasetError(f"default_user {self.default_user} is not among the users")
        for place in SYNTHETIC_PLACES:
            self.places.setdefault(place["id"], place)
        self._doc = doc
        self._by_username = {u["username"].lower(): uid for uid, u in self.users.items()}
        self._tokens: dict[str, Token] = {t.user_id: t for t in tokens}
        first_app = next(iter(self.apps.values()))
        for uid in self.users:
            if uid not in self._tokens:
                self._tokens[uid] = self._derived_token(uid, first_app)
        self.synthetic = int(synthetic)
        if self.synthetic < 0:
            raise DatasetError("synthetic must be >= 0")
        self._authors = sorted(uid for uid in self.users if uid != self.default_user)
        if not self._authors:
            self._authors = [self.default_user]
        self._stride = self._coprime_stride(self.synthetic)
        # synthetic posts are pure functions of their index: keep the recently served ones
        self._synthetic_cache = lru_cache(maxsize=4096)(self._make_synthetic)
        #: where the authored timelines end (epoch seconds; None: no generated posts)
        self.anchor = anchor
        if anchor is not None and doc.get("authored") is not None:
            try:
                counts = AuthoredCounts.from_doc(doc["authored"])
            except (TypeError, ValueError) as exc:
                raise DatasetError(f"dataset 'authored' is malformed: {exc}") from exc
            written, photos = authored_posts(
                self.users,
                dict(self.tweets),
                default_user=self.default_user,
                second_user=self.second_user,
                anchor_s=anchor,
                counts=counts,
            )
            for post in written:
                self.tweets.setdefault(post["id"], post)
            for photo in photos:
                self.media.setdefault(photo["media_key"], photo)
        by_author: dict[str, list[str]] = {}
        for tid, post in self.tweets.items():
            if tid not in self.deleted and isinstance(post.get("author_id"), str):
                by_author.setdefault(post["author_id"], []).append(tid)
        self._timelines = {
            uid: sorted(ids, key=int, reverse=True) for uid, ids in by_author.items()
        }
        self._newest_first = sorted(
            (t for t in self.tweets if t not in self.deleted), key=int, reverse=True
        )

    def _make_synthetic(self, index: int) -> dict[str, Any]:
        return _synthetic_post(self, index)

    # -- construction -------------------------------------------------------------------
    @classmethod
    def default(cls) -> Dataset:
        """The shipped dataset (built from the real recordings)."""
        return cls(copy.deepcopy(_default_doc()))

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Dataset:
        """A dataset from a JSON file: the shipped format (``compat-emulator-dataset/1``) or
        the short one of :mod:`compat.emulator.datafile` (users, posts, likes). A file that
        cannot be read or holds a bad entry raises :class:`DatasetError` naming both."""
        try:
            doc = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise DatasetError(f"cannot read dataset {os.fspath(path)}: {exc}") from exc
        if not isinstance(doc, dict):
            raise DatasetError(f"dataset {os.fspath(path)} is not a JSON object")
        if "format" not in doc:
            try:
                doc = convert(doc, apps=_default_doc()["apps"])
            except ValueError as exc:
                raise DatasetError(f"dataset {os.fspath(path)}: {exc}") from exc
        try:
            return cls(doc)
        except DatasetError as exc:
            raise DatasetError(f"dataset {os.fspath(path)}: {exc}") from exc

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> Dataset:
        return cls(copy.deepcopy(dict(doc)))

    def with_synthetic(self, count: int) -> Dataset:
        """A copy of this dataset with ``count`` synthetic posts liked by the default user."""
        return type(self)(self._doc, synthetic=count, anchor=self.anchor)

    def with_anchor(self, anchor: float | None) -> Dataset:
        """A copy whose users have their authored timelines (:mod:`compat.emulator.timelines`)
        ending at ``anchor`` (epoch seconds; the emulator passes its clock's time)."""
        return type(self)(self._doc, synthetic=self.synthetic, anchor=anchor)

    def with_screen_name(self, screen_name: str) -> Dataset:
        """A copy whose default user has the handle ``screen_name`` (a leading ``@`` is
        dropped): the dataset's user of that handle (case-insensitive) if there is one, else
        the default user renamed. Raises :class:`DatasetError` for a handle v1.1 could not
        have (``^[A-Za-z0-9_]{1,15}$``)."""
        name = (
            screen_name[1:]
            if isinstance(screen_name, str) and screen_name[:1] == "@"
            else screen_name
        )
        if not isinstance(name, str) or not _SCREEN_NAME.fullmatch(name):
            raise DatasetError(
                f"screen_name must be a handle of 1 to 15 letters, digits or _ (a leading @ is "
                f"allowed), got {screen_name!r}"
            )
        doc = copy.deepcopy(dict(self._doc))
        found = self.user_id_for(name)
        if found is not None:
            if doc.get("second_user") == found:
                doc["second_user"] = self.default_user
            doc["default_user"] = found
        else:
            for user in doc["users"]:
                if str(user["id"]) == self.default_user:
                    user["username"] = name
        return type(self)(doc, synthetic=self.synthetic, anchor=self.anchor)

    def to_dict(self) -> dict[str, Any]:
        """The underlying document (without synthetic posts)."""
        return copy.deepcopy(dict(self._doc))

    # -- lookups ------------------------------------------------------------------------
    def user(self, user_id: str) -> dict[str, Any] | None:
        return self.users.get(user_id)

    def user_id_for(self, username: str) -> str | None:
        return self._by_username.get(username.lower())

    def timeline(self, user_id: str) -> list[str]:
        """The ids of the posts ``user_id`` wrote (recorded and authored; not the synthetic
        liked posts of ``likes=N``), newest first."""
        return list(self._timelines.get(user_id, ()))

    def newest_first(self) -> list[str]:
        """Every stored post id (not the synthetic liked posts), newest first: what recent
        search looks through."""
        return list(self._newest_first)

    def tweet(self, tweet_id: str) -> dict[str, Any] | None:
        """The full v2 post (real or synthetic), or None when it does not exist."""
        if tweet_id in self.deleted:
            return None
        found = self.tweets.get(tweet_id)
        if found is not None:
            return found
        index = self.synthetic_index(tweet_id)
        return None if index is None else self._synthetic_cache(index)

    def media_object(self, key: str) -> dict[str, Any] | None:
        found = self.media.get(key)
        if found is not None:
            return found
        if key.startswith(("3_", "7_")):
            index = self.synthetic_index(key[2:])
            if index is not None:
                return _synthetic_media(key, index)
        return None

    def poll(self, poll_id: str) -> dict[str, Any] | None:
        found = self.polls.get(poll_id)
        if found is not None:
            return found
        index = self.synthetic_index(poll_id)
        return None if index is None else _synthetic_poll(self, index)

    def base_like_count(self, tweet_id: str) -> int:
        """The like count the dataset records (before any like given in the emulator)."""
        if tweet_id not in self.tweets and tweet_id not in self.deleted:
            index = self.synthetic_index(tweet_id)
            if index is not None:
                return _synthetic_like_count(index)
        post = self.tweet(tweet_id)
        if post is None:
            return 0
        return int(post.get("public_metrics", {}).get("like_count", 0))

    # -- credentials --------------------------------------------------------------------
    def token_for(self, user_id: str) -> Token:
        return self._tokens[user_id]

    def tokens(self) -> Iterator[Token]:
        return iter(self._tokens.values())

    def app(self, name: str) -> App:
        return self.apps[name]

    @staticmethod
    def _derived_token(user_id: str, app: App) -> Token:
        def mac(label: str) -> str:
            digest = hmac.new(app.consumer_secret.encode(), f"{label}:{user_id}".encode(), "sha256")
            return digest.hexdigest()

        return Token(
            user_id=user_id,
            app=app.name,
            access_token=f"{user_id}-Emu{mac('token')[:20]}",
            access_token_secret=f"emu-token-secret-{mac('secret')[:24]}",
            bearer_token=f"ZW11LXVzZXItdG9rZW4{mac('bearer')[:32]}",
        )

    # -- likes --------------------------------------------------------------------------
    def initial_likes(self, user_id: str) -> list[str]:
        """The posts ``user_id`` has liked at start, newest like first."""
        liked = list(self.likes.get(user_id, []))
        if user_id == self.default_user and self.synthetic:
            liked.extend(
                self.synthetic_id(self.synthetic_like_order(j)) for j in range(self.synthetic)
            )
        return liked

    # -- synthetic posts ----------------------------------------------------------------
    @staticmethod
    def _coprime_stride(n: int) -> int:
        stride = 7919
        while n > 1 and math.gcd(stride, n) != 1:
            stride += 2
        return stride

    def synthetic_like_order(self, position: int) -> int:
        """The index of the synthetic post at like position ``position`` (0 = newest like).

        A fixed permutation that differs from id order, as real like order does.
        """
        n = self.synthetic
        return (position * self._stride + n // 3) % n

    @staticmethod
    def synthetic_id(index: int) -> str:
        ms = _SYN_T0_MS + index * _SYN_STEP_MS
        return str(((ms - TWEPOCH_MS) << 22) | ((index * 2654435761) & _SYN_LOW_MASK))

    def synthetic_index(self, tweet_id: str) -> int | None:
        """The synthetic index of ``tweet_id``, or None when it is not a synthetic post here."""
        if not tweet_id.isdigit() or len(tweet_id) > 19 or not self.synthetic:
            return None
        value = int(tweet_id)
        delta = (value >> 22) + TWEPOCH_MS - _SYN_T0_MS
        if delta < 0 or delta % _SYN_STEP_MS:
            return None
        index = delta // _SYN_STEP_MS
        if index >= self.synthetic or value & _SYN_LOW_MASK != (index * 2654435761) & _SYN_LOW_MASK:
            return None
        return index

    def synthetic_author(self, index: int) -> str:
        return self._authors[index % len(self._authors)]


@lru_cache(maxsize=1)
def _default_doc() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(DEFAULT_DATASET.read_text(encoding="utf-8"))
    return doc


_EMOJI = ("🎉", "👩‍💻", "🇨🇦", "❤️", "🥁", "😅")
_WORDS = (
    "likes",
    "favorites",
    "timeline",
    "compat",
    "migration",
    "API",
    "shim",
    "pagination",
    "emulator",
    "payload",
)


def _synthetic_like_count(index: int) -> int:
    return 1 + _hash_int(f"l{index}", 500)


def _synthetic_media(key: str, index: int) -> dict[str, Any]:
    tid = key[2:]
    if key.startswith("3_"):
        return {
            "media_key": key,
            "type": "photo",
            "url": f"https://pbs.twimg.com/media/Emu{tid}.jpg",
            "width": 1200,
            "height": 675,
            "alt_text": f"Synthetic picture number {index}",
        }
    return {
        "media_key": key,
        "type": "video",
        "preview_image_url": f"https://pbs.twimg.com/ext_tw_video_thumb/{tid}/pu/img/emu.jpg",
        "width": 1280,
        "height": 720,
        "duration_ms": 1000 + index % 60_000,
        "variants": [
            {
                "content_type": "application/x-mpegURL",
                "url": f"https://video.twimg.com/ext_tw_video/{tid}/pu/pl/emu.m3u8",
            },
            {
                "bit_rate": 832000,
                "content_type": "video/mp4",
                "url": f"https://video.twimg.com/ext_tw_video/{tid}/pu/vid/640x360/emu.mp4",
            },
        ],
        "public_metrics": {"view_count": index % 997},
    }


def _synthetic_poll(ds: Dataset, index: int) -> dict[str, Any]:
    tid = ds.synthetic_id(index)
    created = iso_from_snowflake(tid) or ""
    end = dt.datetime.strptime(created[:19], "%Y-%m-%dT%H:%M:%S") + dt.timedelta(days=1)
    return {
        "id": tid,
        "options": [
            {"position": 1, "label": "v1.1", "votes": index % 50},
            {"position": 2, "label": "v2", "votes": index % 70},
        ],
        "duration_minutes": 1440,
        "end_datetime": end.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "voting_status": "closed",
    }


def _synthetic_post(ds: Dataset, k: int) -> dict[str, Any]:
    """Synthetic post number ``k``: deterministic text, entities and attachments by k."""
    tid = ds.synthetic_id(k)
    author = ds.synthetic_author(k)
    words = " ".join(_WORDS[(k + i) % len(_WORDS)] for i in range(3 + k % 4))
    text = ""
    entities: dict[str, list[dict[str, Any]]] = {}
    post: dict[str, Any] = {"id": tid}
    references: list[dict[str, str]] = []

    def add(kind: str, fragment: str, item: dict[str, Any]) -> None:
        nonlocal text
        if text and not text.endswith((" ", "\n")):
            text += " "
        start = len(text)
        text += fragment
        item = {"start": start, "end": len(text), **item}
        entities.setdefault(kind, []).append(item)

    if k % 11 == 10 and k > 0:  # a reply to the previous synthetic post
        parent = k - 1
        parent_author = ds.users[ds.synthetic_author(parent)]
        add(
            "mentions",
            "@" + parent_author["username"],
            {"username": parent_author["username"], "id": parent_author["id"]},
        )
        post["in_reply_to_user_id"] = parent_author["id"]
        references.append({"type": "replied_to", "id": ds.synthetic_id(parent)})
        post["conversation_id"] = ds.synthetic_id(parent)
    text += ("" if not text else " ") + f"Synthetic post {k}: {words}"
    if k % 2 == 1:
        text += " " + _EMOJI[k % len(_EMOJI)]
    if k % 3 == 0:
        add("hashtags", "#compat", {"tag": "compat"})
    if k % 5 == 0:
        mentioned = ds.users[ds._authors[(k // 5) % len(ds._authors)]]
        add(
            "mentions",
            "@" + mentioned["username"],
            {"username": mentioned["username"], "id": mentioned["id"]},
        )
    if k % 4 == 0:
        short = f"https://t.co/emu{k:07x}"
        add(
            "urls",
            short,
            {
                "url": short,
                "expanded_url": f"https://example.com/compat/posts/{k}",
                "display_url": f"example.com/compat/posts/{k}",
            },
        )
    if k % 13 == 12 and ds.tweets.get(_QUOTED_REAL_POST) is not None:
        short = f"https://t.co/emq{k:07x}"
        add(
            "urls",
            short,
            {
                "url": short,
                "expanded_url": f"https://twitter.com/ruchowdh/status/{_QUOTED_REAL_POST}",
                "display_url": "twitter.com/ruchowdh/stat…",
            },
        )
        references.append({"type": "quoted", "id": _QUOTED_REAL_POST})
    if k % 7 == 0:
        key = f"{'7' if k % 14 == 0 else '3'}_{tid}"
        short = f"https://t.co/emm{k:07x}"
        kind = "video" if key.startswith("7_") else "photo"
        add(
            "urls",
            short,
            {
                "url": short,
                "expanded_url": f"https://twitter.com/i/status/{tid}/{kind}/1",
                "display_url": f"pic.twitter.com/emm{k:07x}",
                "media_key": key,
            },
        )
        post["attachments"] = {"media_keys": [key]}
    if k % 23 == 22:
        post.setdefault("attachments", {})["poll_ids"] = [tid]
    if k % 19 == 18:
        post["geo"] = {"place_id": SYNTHETIC_PLACES[0]["id"]}
    if k % 17 == 16:  # a long post: text is the first 280 characters, note_tweet the whole
        long_text = text + " " + " ".join(f"{_WORDS[i % len(_WORDS)]}-{i}" for i in range(60))
        post["note_tweet"] = {"text": long_text, "entities": copy.deepcopy(entities)}
        text = long_text[:279] + "…"
        entities = {kind: [e for e in items if e["end"] <= 279] for kind, items in entities.items()}
        entities = {kind: items for kind, items in entities.items() if items}
    post["text"] = text
    post["edit_history_tweet_ids"] = [tid]
    post["author_id"] = author
    post["created_at"] = iso_from_snowflake(tid)
    post.setdefault("conversation_id", tid)
    post["lang"] = "en"
    post["source"] = "compat emulator"
    post["possibly_sensitive"] = False
    post["reply_settings"] = "everyone"
    post["public_metrics"] = {
        "retweet_count": _hash_int(f"r{k}", 50),
        "reply_count": _hash_int(f"p{k}", 20),
        "like_count": _synthetic_like_count(k),
        "quote_count": _hash_int(f"q{k}", 10),
        "impression_count": 100 + _hash_int(f"i{k}", 10_000),
    }
    editable = dt.datetime.fromtimestamp(
        (_SYN_T0_MS + k * _SYN_STEP_MS) // 1000 + 1800, dt.timezone.utc
    )
    post["edit_controls"] = {
        "edits_remaining": 5,
        "is_edit_eligible": True,
        "editable_until": editable.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
    }
    if references:
        post["referenced_tweets"] = references
    if entities:
        post["entities"] = entities
    if k % 29 == 28:
        post["context_annotations"] = [
            {
                "domain": {"id": "131", "name": "Unified Twitter Taxonomy"},
                "entity": {"id": "781974596148793345", "name": "Business & finance"},
            }
        ]
    return post
