"""v2 ``*.fields`` and ``expansions``: validation with v2's 400s, rendering and ``includes``.

Only the default fields are returned unless more are asked for (tweet: id, text,
edit_history_tweet_ids; user: id, name, username; media: media_key, type; place: id,
full_name; poll: id, options). ``includes`` are built from the expansions, in first-seen
order without duplicates; referenced objects that do not exist become ``errors[]`` entries.

Usage::

    >>> from compat.emulator.fields import FieldSelection, InvalidRequest
    >>> sel = FieldSelection.parse({"tweet.fields": ["created_at,lang"]}, kind="tweet")
    >>> sorted(sel.tweet_fields)
    ['created_at', 'edit_history_tweet_ids', 'id', 'lang', 'text']
    >>> try:
    ...     FieldSelection.parse({"tweet.fields": ["colour"]}, kind="tweet")
    ... except InvalidRequest as exc:
    ...     exc.errors[0]["parameters"]
    {'tweet.fields': ['colour']}
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

__all__ = [
    "INVALID_REQUEST_TYPE",
    "MEDIA_FIELDS",
    "NOT_FOUND_TYPE",
    "PLACE_FIELDS",
    "POLL_FIELDS",
    "TWEET_EXPANSIONS",
    "TWEET_FIELDS",
    "USER_EXPANSIONS",
    "USER_FIELDS",
    "FieldSelection",
    "InvalidRequest",
    "Renderer",
    "invalid_request_body",
    "not_found_error",
]

INVALID_REQUEST_TYPE = "https://api.twitter.com/2/problems/invalid-request"
NOT_FOUND_TYPE = "https://api.twitter.com/2/problems/resource-not-found"

TWEET_FIELDS: tuple[str, ...] = (
    "article",
    "attachments",
    "author_id",
    "card_uri",
    "community_id",
    "context_annotations",
    "conversation_id",
    "created_at",
    "display_text_range",
    "edit_controls",
    "edit_history_tweet_ids",
    "entities",
    "geo",
    "id",
    "in_reply_to_user_id",
    "lang",
    "media_metadata",
    "non_public_metrics",
    "note_tweet",
    "organic_metrics",
    "possibly_sensitive",
    "promoted_metrics",
    "public_metrics",
    "referenced_tweets",
    "reply_settings",
    "scopes",
    "source",
    "text",
    "withheld",
)
USER_FIELDS: tuple[str, ...] = (
    "affiliation",
    # spec v2.167's enum; the dataset holds no addresses, so it is accepted and never sent
    # (compat then answers v1.1's email as null)
    "confirmed_email",
    "connection_status",
    "created_at",
    "description",
    "entities",
    "id",
    "is_identity_verified",
    "location",
    "most_recent_tweet_id",
    "name",
    "parody",
    "pinned_tweet_id",
    "profile_banner_url",
    "profile_image_url",
    "protected",
    "public_metrics",
    "receives_your_dm",
    "subscription",
    "subscription_type",
    "url",
    "username",
    "verified",
    "verified_followers_count",
    "verified_type",
    "withheld",
)
MEDIA_FIELDS: tuple[str, ...] = (
    "alt_text",
    "duration_ms",
    "height",
    "media_key",
    "non_public_metrics",
    "organic_metrics",
    "preview_image_url",
    "promoted_metrics",
    "public_metrics",
    "type",
    "url",
    "variants",
    "width",
)
PLACE_FIELDS: tuple[str, ...] = (
    "contained_within",
    "country",
    "country_code",
    "full_name",
    "geo",
    "id",
    "name",
    "place_type",
)
POLL_FIELDS: tuple[str, ...] = (
    "duration_minutes",
    "end_datetime",
    "id",
    "options",
    "voting_status",
)
TWEET_EXPANSIONS: tuple[str, ...] = (
    "attachments.media_keys",
    "attachments.media_source_tweet",
    "attachments.poll_ids",
    "author_id",
    "edit_history_tweet_ids",
    "entities.mentions.username",
    "geo.place_id",
    "in_reply_to_user_id",
    "entities.note.mentions.username",
    "referenced_tweets.id",
    "referenced_tweets.id.attachments.media_keys",
    "referenced_tweets.id.author_id",
)
USER_EXPANSIONS: tuple[str, ...] = (
    "affiliation.user_id",
    "most_recent_tweet_id",
    "pinned_tweet_id",
)

DEFAULT_TWEET = ("id", "text", "edit_history_tweet_ids")
DEFAULT_USER = ("id", "name", "username")
DEFAULT_MEDIA = ("media_key", "type")
DEFAULT_PLACE = ("id", "full_name")
DEFAULT_POLL = ("id", "options")

_FIELD_PARAMS: dict[str, tuple[str, ...]] = {
    "tweet.fields": TWEET_FIELDS,
    "user.fields": USER_FIELDS,
    "media.fields": MEDIA_FIELDS,
    "place.fields": PLACE_FIELDS,
    "poll.fields": POLL_FIELDS,
}


def invalid_request_body(errors: list[dict[str, Any]]) -> dict[str, Any]:
    """v2's 400 body: ``errors`` plus the invalid-request problem fields."""
    return {
        "errors": errors,
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": INVALID_REQUEST_TYPE,
    }


class InvalidRequest(Exception):
    """A request parameter v2 would refuse with its 400 invalid-request answer."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(str(e.get("message")) for e in errors))
        self.errors = errors

    @classmethod
    def parameter(cls, name: str, values: list[str], message: str) -> InvalidRequest:
        return cls([{"parameters": {name: values}, "message": message}])

    def body(self) -> dict[str, Any]:
        return invalid_request_body(self.errors)


def not_found_error(resource_type: str, parameter: str, value: str) -> dict[str, Any]:
    """One v2 ``errors[]`` entry for a missing resource (as in a 200 partial answer)."""
    noun = "tweet" if resource_type == "tweet" else resource_type
    return {
        "value": value,
        "detail": f"Could not find {noun} with {parameter}: [{value}].",
        "title": "Not Found Error",
        "resource_type": resource_type,
        "parameter": parameter,
        "resource_id": value,
        "type": NOT_FOUND_TYPE,
    }


def _split(query: Mapping[str, list[str]], name: str) -> list[str]:
    values: list[str] = []
    for raw in query.get(name, []):
        values.extend(v for v in raw.split(",") if v != "")
    return values


def _check_enum(name: str, given: list[str], allowed: tuple[str, ...]) -> None:
    bad = [v for v in given if v not in allowed]
    if bad:
        errors = [
            {
                "parameters": {name: [v]},
                "message": f"The `{name}` query parameter value [{v}] is not one of "
                f"[{','.join(allowed)}]",
            }
            for v in bad
        ]
        raise InvalidRequest(errors)


@dataclasses.dataclass(frozen=True)
class FieldSelection:
    """The parsed ``*.fields`` and ``expansions`` of one request (defaults included)."""

    tweet_fields: frozenset[str]
    user_fields: frozenset[str]
    media_fields: frozenset[str]
    place_fields: frozenset[str]
    poll_fields: frozenset[str]
    expansions: frozenset[str]

    @classmethod
    def parse(cls, query: Mapping[str, list[str]], *, kind: str) -> FieldSelection:
        """Validate against v2's enums; ``kind`` is what the endpoint returns: tweet or user."""
        errors: list[dict[str, Any]] = []
        parsed: dict[str, list[str]] = {}
        for name, allowed in _FIELD_PARAMS.items():
            given = _split(query, name)
            try:
                _check_enum(name, given, allowed)
            except InvalidRequest as exc:
                errors.extend(exc.errors)
            parsed[name] = given
        expansions = _split(query, "expansions")
        try:
            _check_enum(
                "expansions", expansions, TWEET_EXPANSIONS if kind == "tweet" else USER_EXPANSIONS
            )
        except InvalidRequest as exc:
            errors.extend(exc.errors)
        if errors:
            raise InvalidRequest(errors)
        return cls(
            tweet_fields=frozenset(DEFAULT_TWEET) | frozenset(parsed["tweet.fields"]),
            user_fields=frozenset(DEFAULT_USER) | frozenset(parsed["user.fields"]),
            media_fields=frozenset(DEFAULT_MEDIA) | frozenset(parsed["media.fields"]),
            place_fields=frozenset(DEFAULT_PLACE) | frozenset(parsed["place.fields"]),
            poll_fields=frozenset(DEFAULT_POLL) | frozenset(parsed["poll.fields"]),
            expansions=frozenset(expansions),
        )


def _pick(obj: Mapping[str, Any], fields: frozenset[str]) -> dict[str, Any]:
    """The requested fields, keys in alphabetical order as the real API sends them."""
    return {k: obj[k] for k in sorted(obj) if k in fields}


class Renderer:
    """Turns full dataset objects into v2 response documents for one field selection.

    ``tweet_lookup``/``user_lookup`` return the full objects (or None); ``like_count`` gives
    the live like count that replaces ``public_metrics.like_count``.
    """

    def __init__(
        self,
        selection: FieldSelection,
        *,
        tweet_lookup: Callable[[str], dict[str, Any] | None],
        user_lookup: Callable[[str], dict[str, Any] | None],
        user_by_name: Callable[[str], dict[str, Any] | None],
        media_lookup: Callable[[str], dict[str, Any] | None],
        place_lookup: Callable[[str], dict[str, Any] | None],
        poll_lookup: Callable[[str], dict[str, Any] | None],
        like_count: Callable[[str], int],
    ) -> None:
        self.sel = selection
        self._tweet = tweet_lookup
        self._user = user_lookup
        self._user_by_name = user_by_name
        self._media = media_lookup
        self._place = place_lookup
        self._poll = poll_lookup
        self._like_count = like_count

    def tweet(self, post: Mapping[str, Any]) -> dict[str, Any]:
        out = _pick(post, self.sel.tweet_fields)
        metrics = out.get("public_metrics")
        if isinstance(metrics, dict):
            out["public_metrics"] = {**metrics, "like_count": self._like_count(post["id"])}
        return out

    def user(self, user: Mapping[str, Any]) -> dict[str, Any]:
        return _pick(user, self.sel.user_fields)

    def document(
        self,
        data: list[dict[str, Any]] | dict[str, Any] | None,
        *,
        kind: str,
        errors: list[dict[str, Any]] | None = None,
        meta: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """``{"data", "includes", "errors", "meta"}`` for tweets or users (``kind``)."""
        items: list[dict[str, Any]]
        if data is None:
            items = []
        elif isinstance(data, list):
            items = data
        else:
            items = [data]
        render = self.tweet if kind == "tweet" else self.user
        doc: dict[str, Any] = {}
        if data is not None:
            doc["data"] = [render(o) for o in items] if isinstance(data, list) else render(items[0])
        all_errors = list(errors or [])
        includes = self._includes(items, kind, all_errors)
        if includes:
            doc["includes"] = includes
        if all_errors:
            doc["errors"] = all_errors
        if meta is not None:
            doc["meta"] = meta
        return doc

    def _includes(
        self, items: list[dict[str, Any]], kind: str, errors: list[dict[str, Any]]
    ) -> dict[str, list[dict[str, Any]]]:
        exp = self.sel.expansions
        if not exp or not items:
            return {}
        users: dict[str, dict[str, Any]] = {}
        tweets: dict[str, dict[str, Any]] = {}
        media: dict[str, dict[str, Any]] = {}
        places: dict[str, dict[str, Any]] = {}
        polls: dict[str, dict[str, Any]] = {}
        missing: set[tuple[str, str, str]] = set()

        def miss(resource: str, parameter: str, value: str) -> None:
            if (resource, parameter, value) not in missing:
                missing.add((resource, parameter, value))
                errors.append(not_found_error(resource, parameter, value))

        def add_user(uid: str, parameter: str) -> None:
            if uid in users:
                return
            found = self._user(uid)
            if found is None:
                miss("user", parameter, uid)
            else:
                users[uid] = self.user(found)

        def add_tweet(tid: str, parameter: str) -> dict[str, Any] | None:
            found = self._tweet(tid)
            if found is None:
                miss("tweet", parameter, tid)
                return None
            if tid not in tweets:
                tweets[tid] = self.tweet(found)
            return found

        def add_media(post: Mapping[str, Any]) -> None:
            for key in post.get("attachments", {}).get("media_keys", []):
                if key in media:
                    continue
                found = self._media(key)
                if found is None:
                    miss("media", "attachments.media_keys", key)
                else:
                    media[key] = _pick(found, self.sel.media_fields)

        if kind == "user":
            for user in items:
                pinned = user.get("pinned_tweet_id")
                if "pinned_tweet_id" in exp and pinned:
                    add_tweet(str(pinned), "pinned_tweet_id")
                recent = user.get("most_recent_tweet_id")
                if "most_recent_tweet_id" in exp and recent:
                    add_tweet(str(recent), "most_recent_tweet_id")
        else:
            for post in items:
                if "author_id" in exp and post.get("author_id"):
                    add_user(post["author_id"], "author_id")
                if "in_reply_to_user_id" in exp and post.get("in_reply_to_user_id"):
                    add_user(post["in_reply_to_user_id"], "in_reply_to_user_id")
                if "entities.mentions.username" in exp:
                    for m in post.get("entities", {}).get("mentions", []):
                        found = self._user_by_name(m["username"])
                        if found is None:
                            miss("user", "entities.mentions.username", m["username"])
                        elif found["id"] not in users:
                            users[found["id"]] = self.user(found)
                if "entities.note.mentions.username" in exp:
                    note = post.get("note_tweet", {})
                    for m in note.get("entities", {}).get("mentions", []):
                        found = self._user_by_name(m["username"])
                        if found is not None and found["id"] not in users:
                            users[found["id"]] = self.user(found)
                if "attachments.media_keys" in exp:
                    add_media(post)
                if "attachments.poll_ids" in exp:
                    for pid in post.get("attachments", {}).get("poll_ids", []):
                        found_poll = self._poll(pid)
                        if found_poll is None:
                            miss("poll", "attachments.poll_ids", pid)
                        elif pid not in polls:
                            polls[pid] = _pick(found_poll, self.sel.poll_fields)
                if "geo.place_id" in exp and post.get("geo", {}).get("place_id"):
                    pid = post["geo"]["place_id"]
                    found_place = self._place(pid)
                    if found_place is None:
                        miss("place", "geo.place_id", pid)
                    elif pid not in places:
                        places[pid] = _pick(found_place, self.sel.place_fields)
                if "edit_history_tweet_ids" in exp:
                    for tid in post.get("edit_history_tweet_ids", []):
                        if tid != post["id"]:
                            add_tweet(tid, "edit_history_tweet_ids")
                refs = post.get("referenced_tweets", [])
                if {"referenced_tweets.id", "referenced_tweets.id.author_id"} & exp or (
                    "referenced_tweets.id.attachments.media_keys" in exp
                ):
                    for ref in refs:
                        if "referenced_tweets.id" in exp:
                            found_ref = add_tweet(ref["id"], "referenced_tweets.id")
                        else:
                            found_ref = self._tweet(ref["id"])
                        if found_ref is None:
                            continue
                        if "referenced_tweets.id.author_id" in exp and found_ref.get("author_id"):
                            add_user(found_ref["author_id"], "referenced_tweets.id.author_id")
                        if "referenced_tweets.id.attachments.media_keys" in exp:
                            add_media(found_ref)
        out: dict[str, list[dict[str, Any]]] = {}
        for name, bucket in (
            ("users", users),
            ("tweets", tweets),
            ("media", media),
            ("places", places),
            ("polls", polls),
        ):
            if bucket:
                out[name] = list(bucket.values())
        return out
