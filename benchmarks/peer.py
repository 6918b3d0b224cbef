"""The obvious peer pipeline: tweepy 4 ``Client`` parsing + a dict-mapping converter + jsonschema.

What a project moving off v1.1 favorites writes without compat, on the same v2 bytes:

1. ``json.loads`` of the body, then tweepy 4's own response construction
   (``Client._construct_response(payload, data_type=tweepy.Tweet)``, exactly what
   ``Client._make_request`` does: :class:`tweepy.Tweet` for every post, :class:`tweepy.User` /
   :class:`tweepy.Tweet` / :class:`tweepy.Media` … for ``includes``, wrapped in a
   :class:`tweepy.Response`);
2. a socialfoundations-style v2 → v1.1 converter (their ``jsonbender`` mapping, written here as an
   equivalent plain dict mapping so no dependency is added) that emits the same v1.1 key set
   compat emits, reading the tweepy model objects (``tweet.created_at`` is a ``datetime``,
   ``tweet.referenced_tweets`` a list of ``ReferencedTweet``…) and matching ``includes`` by id;
3. plain :mod:`jsonschema` validation of the v2 document in and of each v1.1 tweet out, against
   compat's own schema files — either the way typical code calls it
   (``jsonschema.validate(instance, schema, registry=…)``, which re-checks the schema and builds a
   validator on every call) or with ``Draft202012Validator`` built once (:class:`PeerValidation`);
4. ``json.dumps`` of the v1.1 list, serialised exactly as compat's adapter does.

The converter is a straight field copy: it does not cut compat-mode text at 140 characters,
compute ``display_text_range``, media size boxes or poll/place entities as compat's reshape does,
nor media entities, so the peer's mapping stage is, if anything, cheaper than ours.

Usage::

    >>> import json
    >>> from benchmarks.peer import PeerValidation, run_peer
    >>> page = {"data": [{"id": "20", "text": "hi", "author_id": "12",
    ...                   "edit_history_tweet_ids": ["20"],
    ...                   "created_at": "2006-03-21T20:50:14.000Z"}],
    ...         "includes": {"users": [{"id": "12", "name": "jack", "username": "jack"}]},
    ...         "meta": {"result_count": 1}}
    >>> out = json.loads(run_peer(json.dumps(page).encode(), PeerValidation("once"),
    ...                           "v2/liked_tweets_page"))
    >>> out[0]["user"]["screen_name"], out[0]["created_at"]
    ('jack', 'Tue Mar 21 20:50:14 +0000 2006')
"""

from __future__ import annotations

import datetime
import json
import pathlib
from collections.abc import Mapping
from typing import Any, Literal

import jsonschema
import referencing
import referencing.jsonschema
import tweepy

from compat import schemas
from compat.adapter import dump_v1

__all__ = ["PeerValidation", "convert_tweet", "convert_user", "dump", "run_peer", "to_response"]

_CLIENT = tweepy.Client()  # used for its response parsing only: it never sends a request
_V1_DATE = "%a %b %d %H:%M:%S +0000 %Y"
_TWEPOCH_MS = 1288834974657
_FIRST_DAY = "Tue Mar 21 20:50:14 +0000 2006"


def dump(statuses: list[dict[str, Any]]) -> bytes:
    """The v1.1 JSON body, serialised as compat's adapter does."""
    return dump_v1(statuses)


def to_response(payload: dict[str, Any]) -> Any:
    """tweepy 4's ``Client._construct_response`` on decoded JSON: a ``tweepy.Response``.

    It turns ``includes`` into model objects in place, so ``payload`` is used up.
    """
    return _CLIENT._construct_response(payload, data_type=tweepy.Tweet)


def _date(value: Any) -> str | None:
    return value.strftime(_V1_DATE) if value is not None else None


def _snowflake_date(tweet_id: int) -> str:
    """created_at from a post id (v2 sends created_at only when asked for it)."""
    ms = (tweet_id >> 22) + _TWEPOCH_MS
    return datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc).strftime(_V1_DATE)


def _user_date(user: Any) -> str:
    """v1.1 always had a user date: v2's, else the id's (snowflake ids), else Twitter's first."""
    if user is not None and user.created_at is not None:
        return str(_date(user.created_at))
    if user is not None and user.id >= 2**32:
        return _snowflake_date(user.id)
    return _FIRST_DAY


def _int(value: Any) -> int | None:
    return int(value) if value is not None else None


def _str(value: Any) -> str | None:
    return str(value) if value is not None else None


def _urls(items: Any) -> list[dict[str, Any]]:
    return [
        {
            "url": u.get("url"),
            "expanded_url": u.get("expanded_url"),
            "display_url": u.get("display_url"),
            "indices": [u.get("start"), u.get("end")],
        }
        for u in items or ()
    ]


def convert_user(user: Any) -> dict[str, Any]:
    """A ``tweepy.User`` (or None) as a v1.1 user dict, every key compat emits."""
    data: Mapping[str, Any] = user.data if user is not None else {}
    metrics = data.get("public_metrics") or {}
    entities = data.get("entities") or {}
    image = data.get("profile_image_url")
    out: dict[str, Any] = {
        "id": _int(data.get("id")),
        "id_str": _str(data.get("id")),
        "name": data.get("name"),
        "screen_name": data.get("username"),
        "location": data.get("location"),
        "description": data.get("description"),
        "url": data.get("url"),
        "entities": {
            "url": {"urls": _urls((entities.get("url") or {}).get("urls"))},
            "description": {"urls": _urls((entities.get("description") or {}).get("urls"))},
        },
        "protected": bool(data.get("protected", False)),
        "followers_count": metrics.get("followers_count", 0),
        "friends_count": metrics.get("following_count", 0),
        "listed_count": metrics.get("listed_count", 0),
        "created_at": _user_date(user),
        "favourites_count": 0,
        "utc_offset": None,
        "time_zone": None,
        "geo_enabled": False,
        "verified": bool(data.get("verified", False)),
        "statuses_count": metrics.get("tweet_count", 0),
        "lang": None,
        "contributors_enabled": False,
        "is_translator": False,
        "is_translation_enabled": False,
        "profile_background_color": None,
        "profile_background_image_url": None,
        "profile_background_image_url_https": None,
        "profile_background_tile": False,
        "profile_image_url": image.replace("https://", "http://", 1) if image else None,
        "profile_image_url_https": image,
        "profile_banner_url": None,
        "profile_link_color": None,
        "profile_sidebar_border_color": None,
        "profile_sidebar_fill_color": None,
        "profile_text_color": None,
        "profile_use_background_image": False,
        "has_extended_profile": False,
        "default_profile": False,
        "default_profile_image": bool(image and "default_profile_images" in image),
        "following": None,
        "follow_request_sent": None,
        "notifications": None,
        "translator_type": "none",
    }
    withheld = list((data.get("withheld") or {}).get("country_codes") or ())
    if withheld:  # v1.1 sent the key only for withheld users
        out["withheld_in_countries"] = withheld
    return out


def convert_tweet(
    tweet: Any,
    users: Mapping[str, Any],
    tweets: Mapping[str, Any],
    favorited: bool | None = True,
    depth: int = 0,
) -> dict[str, Any]:
    """A ``tweepy.Tweet`` as a v1.1 tweet dict; ``users``/``tweets``: includes by id."""
    data: Mapping[str, Any] = tweet.data
    entities = data.get("entities") or {}
    metrics = data.get("public_metrics") or {}
    author_id = _str(tweet.author_id)
    reply_to = _str(tweet.in_reply_to_user_id)
    refs = {ref.type: str(ref.id) for ref in tweet.referenced_tweets or ()}
    replied = refs.get("replied_to")
    out: dict[str, Any] = {
        "created_at": _date(tweet.created_at) or _snowflake_date(tweet.id),
        "id": tweet.id,
        "id_str": str(tweet.id),
        "text": tweet.text,
        "truncated": False,
        "entities": {
            "hashtags": [
                {"text": h.get("tag"), "indices": [h.get("start"), h.get("end")]}
                for h in entities.get("hashtags") or ()
            ],
            "symbols": [
                {"text": c.get("tag"), "indices": [c.get("start"), c.get("end")]}
                for c in entities.get("cashtags") or ()
            ],
            "user_mentions": [
                {
                    "screen_name": m.get("username"),
                    "name": getattr(users.get(str(m.get("id"))), "name", None),
                    "id": _int(m.get("id")),
                    "id_str": _str(m.get("id")),
                    "indices": [m.get("start"), m.get("end")],
                }
                for m in entities.get("mentions") or ()
            ],
            "urls": _urls(entities.get("urls")),
        },
        "source": data.get("source") or "",
        "in_reply_to_status_id": _int(replied),
        "in_reply_to_status_id_str": replied,
        "in_reply_to_user_id": _int(reply_to),
        "in_reply_to_user_id_str": reply_to,
        "in_reply_to_screen_name": getattr(users.get(reply_to or ""), "username", None),
        "user": convert_user(users.get(author_id or "")),
        "geo": None,
        "coordinates": None,
        "place": None,
        "contributors": None,
        "is_quote_status": "quoted" in refs,
        "retweet_count": metrics.get("retweet_count", 0),
        "favorite_count": metrics.get("like_count", 0),
        "favorited": favorited,
        "retweeted": False,
        "lang": data.get("lang"),
    }
    # v1.1 sent these only on a post with a link or media of its own (without v2 entities, a
    # t.co link in the text tells)
    linked = entities.get("urls") or (data.get("attachments") or {}).get("media_keys")
    if linked or ("entities" not in data and "https://t.co/" in (data.get("text") or "")):
        out["possibly_sensitive"] = data.get("possibly_sensitive", False)
        out["possibly_sensitive_appealable"] = False
    if out["user"]["id"] is None and author_id is not None:
        out["user"]["id"], out["user"]["id_str"] = int(author_id), author_id
    quoted = refs.get("quoted")
    if quoted is not None:
        out["quoted_status_id"], out["quoted_status_id_str"] = int(quoted), quoted
        if depth == 0 and quoted in tweets:
            out["quoted_status"] = convert_tweet(tweets[quoted], users, tweets, False, depth + 1)
    retweeted = refs.get("retweeted")
    if retweeted is not None and depth == 0 and retweeted in tweets:
        out["retweeted_status"] = convert_tweet(tweets[retweeted], users, tweets, False, 1)
    return out


Mode = Literal["typical", "once"]


class PeerValidation:
    """Plain jsonschema validation against compat's schema files (no compat code on the path).

    ``mode="typical"``: ``jsonschema.validate(instance, schema, registry=…)`` on every call, as
    most code does (it checks the schema against the meta-schema and builds a validator each
    time); ``mode="once"``: one ``Draft202012Validator`` per schema, built up front.
    """

    def __init__(self, mode: Mode) -> None:
        self.mode: Mode = mode
        docs: dict[str, Any] = {}
        for path in sorted(pathlib.Path(schemas.SCHEMA_DIR).rglob("*.json")):
            name = path.relative_to(schemas.SCHEMA_DIR).with_suffix("").as_posix()
            docs[name] = json.loads(path.read_text(encoding="utf-8"))
        self.documents = docs
        spec = referencing.jsonschema.DRAFT202012
        self.registry: referencing.Registry[Any] = referencing.Registry[Any]().with_resources(
            (f"{schemas.SCHEMA_ID_BASE}{name}.json", spec.create_resource(doc))
            for name, doc in docs.items()
        )
        self._built: dict[str, jsonschema.Draft202012Validator] = {}
        if mode == "once":
            for name, doc in docs.items():
                self._built[name] = jsonschema.Draft202012Validator(doc, registry=self.registry)

    def validate(self, name: str, instance: Any) -> None:
        """Raise ``jsonschema.ValidationError`` if ``instance`` breaks schema ``name``."""
        if self.mode == "once":
            self._built[name].validate(instance)
        else:
            jsonschema.validate(instance, self.documents[name], registry=self.registry)


def run_peer(body: bytes, validation: PeerValidation, schema_in: str) -> bytes:
    """The whole peer pipeline on one v2 body: the v1.1 JSON it would answer with."""
    payload = json.loads(body)  # what response.json() does inside tweepy
    validation.validate(schema_in, payload)  # before tweepy turns includes into objects
    return dump(convert_response(to_response(payload), validation))


def convert_response(response: Any, validation: PeerValidation | None = None) -> list[Any]:
    """Every post of a ``tweepy.Response`` as v1.1 tweets (each validated when asked)."""
    users = {str(u.id): u for u in response.includes.get("users", ())}
    tweets = {str(t.id): t for t in response.includes.get("tweets", ())}
    out = [convert_tweet(t, users, tweets) for t in response.data or ()]
    if validation is not None:
        for status in out:
            validation.validate("v1.1/tweet", status)
    return out
