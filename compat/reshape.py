"""Pure reshaping of X API v2 posts (with ``includes``) into Twitter API v1.1 tweet dicts.

No HTTP, no I/O: the client fetches a v2 page with :data:`V2_QUERY`, this module turns it into
what ``GET favorites/list`` / ``POST favorites/create`` returned. Every top-level v1.1 tweet key
and every v1.1 user key is emitted; a value v2 cannot supply is set to what v1.1 used when
unknown (``None``, ``False``, ``0``) and, when a ``missing`` set is passed, its dotted name is
added to it (:data:`NOT_DERIVABLE` says why each never-derivable field is so).

Usage::

    >>> from compat import reshape
    >>> page = {"data": [{"id": "1626194750222094336", "text": "hello", "author_id": "12"}],
    ...         "includes": {"users": [{"id": "12", "name": "Jack", "username": "jack"}]}}
    >>> tweets = reshape.page_to_v1(page)
    >>> tweets[0]["id"], tweets[0]["user"]["screen_name"], tweets[0]["created_at"]
    (1626194750222094336, 'jack', 'Thu Feb 16 12:20:16 +0000 2023')
    >>> missing: set[str] = set()
    >>> t = reshape.tweet_to_v1(page["data"][0], reshape.index_includes(page["includes"]),
    ...                         tweet_mode="extended", missing=missing)
    >>> t["full_text"], t["display_text_range"], "favorite_count" in missing
    ('hello', [0, 5], True)
"""

from __future__ import annotations

import datetime as _dt
import logging
import math
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from compat.errors import MalformedResponse

__all__ = [
    "NOT_DERIVABLE",
    "TWEET_KEYS",
    "USER_KEYS",
    "V2_QUERY",
    "Includes",
    "created_at_from_id",
    "format_created_at",
    "index_includes",
    "page_to_v1",
    "tweet_to_v1",
    "user_to_v1",
]

log = logging.getLogger("compat.reshape")

_TWEET_FIELDS = (
    "attachments",
    "author_id",
    "conversation_id",
    "created_at",
    "entities",
    "geo",
    "id",
    "in_reply_to_user_id",
    "lang",
    "note_tweet",
    "possibly_sensitive",
    "public_metrics",
    "referenced_tweets",
    "source",
    "text",
    "withheld",
)
_USER_FIELDS = (
    "created_at",
    "description",
    "entities",
    "id",
    "location",
    "name",
    "profile_image_url",
    "protected",
    "public_metrics",
    "url",
    "username",
    "verified",
    "withheld",
)
_MEDIA_FIELDS = (
    "alt_text",
    "duration_ms",
    "height",
    "media_key",
    "preview_image_url",
    "type",
    "url",
    "variants",
    "width",
)
_PLACE_FIELDS = (
    "contained_within",
    "country",
    "country_code",
    "full_name",
    "geo",
    "id",
    "name",
    "place_type",
)
_POLL_FIELDS = ("duration_minutes", "end_datetime", "id", "options", "voting_status")
_EXPANSIONS = (
    "attachments.media_keys",
    "attachments.poll_ids",
    "author_id",
    "entities.mentions.username",
    "geo.place_id",
    "in_reply_to_user_id",
    "referenced_tweets.id",
    "referenced_tweets.id.author_id",
)

V2_QUERY: dict[str, str] = {
    "tweet.fields": ",".join(_TWEET_FIELDS),
    "user.fields": ",".join(_USER_FIELDS),
    "media.fields": ",".join(_MEDIA_FIELDS),
    "place.fields": ",".join(_PLACE_FIELDS),
    "poll.fields": ",".join(_POLL_FIELDS),
    "expansions": ",".join(_EXPANSIONS),
}
"""Query parameters for ``liked_tweets`` and ``GET /2/tweets`` that give the richest v1.1 result.

Usage::

    >>> from compat.reshape import V2_QUERY
    >>> sorted(V2_QUERY)
    ['expansions', 'media.fields', 'place.fields', 'poll.fields', 'tweet.fields', 'user.fields']
    >>> "author_id" in V2_QUERY["expansions"].split(",")
    True
"""

# Top-level keys of every v1.1 tweet we emit, in v1.1's order. ``text`` becomes ``full_text``
# (+ ``display_text_range``) in extended mode; the conditional keys are listed apart.
TWEET_KEYS: tuple[str, ...] = (
    "created_at",
    "id",
    "id_str",
    "text",
    "truncated",
    "entities",
    "source",
    "in_reply_to_status_id",
    "in_reply_to_status_id_str",
    "in_reply_to_user_id",
    "in_reply_to_user_id_str",
    "in_reply_to_screen_name",
    "user",
    "geo",
    "coordinates",
    "place",
    "contributors",
    "is_quote_status",
    "retweet_count",
    "favorite_count",
    "reply_count",
    "quote_count",
    "favorited",
    "retweeted",
    "possibly_sensitive",
    "possibly_sensitive_appealable",
    "lang",
)
"""Keys always present (``entities`` unless ``include_entities=False``; ``full_text`` and
``display_text_range`` instead of ``text`` in extended mode). Present only when they apply, as in
v1.1: ``extended_entities`` (media), ``quoted_status_id``/``_str`` and ``quoted_status`` (quotes),
``retweeted_status`` (retweets), ``withheld_in_countries`` (withheld posts)."""

USER_KEYS: tuple[str, ...] = (
    "id",
    "id_str",
    "name",
    "screen_name",
    "location",
    "profile_location",
    "description",
    "url",
    "entities",
    "protected",
    "followers_count",
    "friends_count",
    "listed_count",
    "created_at",
    "favourites_count",
    "utc_offset",
    "time_zone",
    "geo_enabled",
    "verified",
    "statuses_count",
    "lang",
    "contributors_enabled",
    "is_translator",
    "is_translation_enabled",
    "profile_background_color",
    "profile_background_image_url",
    "profile_background_image_url_https",
    "profile_background_tile",
    "profile_image_url",
    "profile_image_url_https",
    "profile_banner_url",
    "profile_link_color",
    "profile_sidebar_border_color",
    "profile_sidebar_fill_color",
    "profile_text_color",
    "profile_use_background_image",
    "has_extended_profile",
    "default_profile",
    "default_profile_image",
    "following",
    "follow_request_sent",
    "notifications",
    "translator_type",
    "withheld_in_countries",
)
"""Every key of every v1.1 user object we emit (``trim_user=True`` gives only id/id_str)."""

NOT_DERIVABLE: dict[str, str] = {
    # tweet
    "favorited": "v2 post objects do not say whether the authenticating user liked them; "
    "true only where the request itself proves it (favorites/list, after favorites/create)",
    "retweeted": "v2 post objects do not say whether the authenticating user reposted them",
    "possibly_sensitive_appealable": "no v2 field",
    "contributors": "deprecated in v1.1 (always null); no v2 field",
    "quoted_status.favorited": "v2 cannot say whether you liked a quoted post",
    "retweeted_status.favorited": "v2 cannot say whether you liked the reposted post",
    "entities.media.sizes": "v2 media gives only the original width/height: the resized "
    "'small'/'medium'/'large' boxes are computed with v1.1's 680/1200/2048 fit rule",
    "extended_entities.media.additional_media_info": "no v2 field (monetizable, embeddable...)",
    # user
    "user.profile_location": "no v2 field (v1.1 gave null nearly always)",
    "user.favourites_count": "v2 public_metrics has no like count for users (like_count is "
    "not in the documented user.fields); 0",
    "user.utc_offset": "removed from v1.1 in 2018 (always null); no v2 field",
    "user.time_zone": "removed from v1.1 in 2018 (always null); no v2 field",
    "user.geo_enabled": "no v2 field",
    "user.lang": "removed from v1.1 in 2018 (always null); no v2 field",
    "user.contributors_enabled": "no v2 field",
    "user.is_translator": "no v2 field",
    "user.is_translation_enabled": "no v2 field",
    "user.profile_background_color": "profile theme is not in v2",
    "user.profile_background_image_url": "profile theme is not in v2",
    "user.profile_background_image_url_https": "profile theme is not in v2",
    "user.profile_background_tile": "profile theme is not in v2",
    "user.profile_banner_url": "not in the documented v2 user.fields",
    "user.profile_link_color": "profile theme is not in v2",
    "user.profile_sidebar_border_color": "profile theme is not in v2",
    "user.profile_sidebar_fill_color": "profile theme is not in v2",
    "user.profile_text_color": "profile theme is not in v2",
    "user.profile_use_background_image": "profile theme is not in v2",
    "user.has_extended_profile": "no v2 field",
    "user.default_profile": "no v2 field (whether the theme was never changed)",
    "user.following": "v2 user objects do not carry the viewer's relationship (null)",
    "user.follow_request_sent": "v2 user objects do not carry the viewer's relationship (null)",
    "user.notifications": "v2 user objects do not carry the viewer's relationship (null)",
    "user.translator_type": "no v2 field ('none')",
}
"""v1.1 field (dotted, relative to a tweet) → why v2 can never supply it.

Usage::

    >>> from compat.reshape import NOT_DERIVABLE
    >>> "user.favourites_count" in NOT_DERIVABLE
    True
"""

_USER_NOT_DERIVABLE = tuple(k[5:] for k in NOT_DERIVABLE if k.startswith("user."))
_TWEET_NOT_DERIVABLE = ("retweeted", "possibly_sensitive_appealable", "contributors")

MAX_DEPTH = 2
"""How deep quoted/retweeted posts nest: a retweet's original may carry its quoted post (as in
v1.1), a quoted post never carries another (v1.1 gave only ``quoted_status_id`` there)."""

_TRUNCATE_AT = 140
_KEEP = 140 - 1 - 1 - 23  # v1.1 compat text: prefix + "…" + " " + 23-char link = 140
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_TWEPOCH_MS = 1288834974657
_MEDIA_TYPES = {"3": "photo", "7": "video", "16": "animated_gif"}
_SIZE_BOXES = (("small", 680), ("medium", 1200), ("large", 2048))
_EMPTY: Mapping[str, Any] = {}
_EMPTY_LIST: tuple[Any, ...] = ()


class Includes(NamedTuple):
    """``includes`` of one v2 response, indexed by id (built once per page).

    Usage::

        >>> from compat.reshape import index_includes
        >>> idx = index_includes({"users": [{"id": "12", "name": "J", "username": "jack"}]})
        >>> idx.users["12"]["username"], idx.usernames["jack"]["id"]
        ('jack', '12')
    """

    users: dict[str, Mapping[str, Any]]
    usernames: dict[str, Mapping[str, Any]]  # lower-cased username → user
    tweets: dict[str, Mapping[str, Any]]
    media: dict[str, Mapping[str, Any]]
    places: dict[str, Mapping[str, Any]]
    polls: dict[str, Mapping[str, Any]]


_NO_INCLUDES = Includes({}, {}, {}, {}, {}, {})


def _by(items: Any, key: str) -> dict[str, Mapping[str, Any]]:
    if not items:
        return {}
    if not isinstance(items, list):
        raise MalformedResponse(f"reshape.includes: expected a list, got {type(items).__name__}")
    out: dict[str, Mapping[str, Any]] = {}
    for item in items:
        if isinstance(item, Mapping):
            value = item.get(key)
            if isinstance(value, str):
                out[value] = item
    return out


def index_includes(includes: Mapping[str, Any] | None) -> Includes:
    """Index a v2 ``includes`` object: users, tweets, places, polls by id, media by media_key.

    ``None`` or ``{}`` gives an empty index. Users are also indexed by lower-cased username
    (for ``user_mentions``). Objects are matched by id, never by position.

    Usage::

        >>> from compat.reshape import index_includes
        >>> idx = index_includes({"media": [{"media_key": "3_1", "type": "photo"}]})
        >>> idx.media["3_1"]["type"], idx.users
        ('photo', {})
    """
    if not includes:
        return _NO_INCLUDES
    if not isinstance(includes, Mapping):
        raise MalformedResponse(
            f"reshape.includes: expected an object, got {type(includes).__name__}"
        )
    users = _by(includes.get("users"), "id")
    usernames = {}
    for user in users.values():
        name = user.get("username")
        if isinstance(name, str):
            usernames[name.lower()] = user
    return Includes(
        users,
        usernames,
        _by(includes.get("tweets"), "id"),
        _by(includes.get("media"), "media_key"),
        _by(includes.get("places"), "id"),
        _by(includes.get("polls"), "id"),
    )


def created_at_from_id(tweet_id: str) -> str:
    """v1.1 ``created_at`` from a post id's snowflake timestamp (ms = (id >> 22) + 1288834974657).

    Usage::

        >>> from compat.reshape import created_at_from_id
        >>> created_at_from_id("1626194750222094336")
        'Thu Feb 16 12:20:16 +0000 2023'
    """
    try:
        number = int(tweet_id)
    except (TypeError, ValueError):
        raise MalformedResponse(f"reshape.id: not a post id: {tweet_id!r:.40}") from None
    if number <= 0:
        raise MalformedResponse(f"reshape.id: not a post id: {tweet_id!r:.40}")
    ms = (number >> 22) + _TWEPOCH_MS
    when = _dt.datetime.fromtimestamp(ms // 1000, tz=_dt.timezone.utc)
    return (
        f"{_DAYS[when.weekday()]} {_MONTHS[when.month - 1]} {when.day:02d} "
        f"{when.hour:02d}:{when.minute:02d}:{when.second:02d} +0000 {when.year}"
    )


def format_created_at(iso: str) -> str:
    """v2's ISO 8601 UTC time (``2023-02-16T12:20:16.000Z``) in v1.1's format.

    Raises :class:`~compat.errors.MalformedResponse` for anything else.

    Usage::

        >>> from compat.reshape import format_created_at
        >>> format_created_at("2023-02-16T12:20:16.000Z")
        'Thu Feb 16 12:20:16 +0000 2023'
    """
    if (
        not isinstance(iso, str)
        or len(iso) < 20
        or iso[-1] != "Z"
        or iso[4] != "-"
        or iso[7] != "-"
        or iso[10] != "T"
        or iso[13] != ":"
        or iso[16] != ":"
    ):
        raise MalformedResponse(f"reshape.created_at: not an ISO 8601 UTC time: {iso!r:.40}")
    try:
        year, month, day = int(iso[0:4]), int(iso[5:7]), int(iso[8:10])
        weekday = _dt.date(year, month, day).weekday()
        hh, mm, ss = int(iso[11:13]), int(iso[14:16]), int(iso[17:19])
    except ValueError:
        raise MalformedResponse(
            f"reshape.created_at: not an ISO 8601 UTC time: {iso!r:.40}"
        ) from None
    if hh > 23 or mm > 59 or ss > 60 or not iso[11:19].replace(":", "").isascii():
        raise MalformedResponse(f"reshape.created_at: not an ISO 8601 UTC time: {iso!r:.40}")
    return f"{_DAYS[weekday]} {_MONTHS[month - 1]} {iso[8:10]} {iso[11:19]} +0000 {iso[0:4]}"


def _id_int(value: str | None) -> int | None:
    return None if value is None else int(value)


def _http(url: str | None) -> str | None:
    if url is not None and url.startswith("https://"):
        return "http://" + url[8:]
    return url


# --------------------------------------------------------------------------- users


def _url_entities(items: Any) -> list[dict[str, Any]]:
    return [
        {
            "url": u.get("url"),
            "expanded_url": u.get("expanded_url", u.get("url")),
            "display_url": u.get("display_url", u.get("url")),
            "indices": [u.get("start"), u.get("end")],
        }
        for u in items or _EMPTY_LIST
    ]


def user_to_v1(
    user: Mapping[str, Any] | None,
    idx: Includes | None = None,
    *,
    missing: set[str] | None = None,
    user_id: str | None = None,
    prefix: str = "user.",
) -> dict[str, Any]:
    """A v2 user object as a v1.1 user object with every v1.1 key (see :data:`USER_KEYS`).

    ``user=None`` gives the placeholder v1.1 user used when v2 sent no author: ``user_id``
    (the post's ``author_id``, if known) as id, everything else at its unknown value. Fields
    filled with a default are added to ``missing`` as ``prefix + name`` (``"user.name"``).
    ``idx`` is accepted for symmetry with :func:`tweet_to_v1` and is not needed today.

    Usage::

        >>> from compat.reshape import user_to_v1
        >>> u = user_to_v1({"id": "12", "name": "jack", "username": "jack",
        ...                 "public_metrics": {"followers_count": 5, "following_count": 1,
        ...                                    "tweet_count": 9, "listed_count": 0}})
        >>> u["id"], u["screen_name"], u["followers_count"], u["friends_count"], u["following"]
        (12, 'jack', 5, 1, None)
    """
    if user is None:
        user = {} if user_id is None else {"id": user_id}
    elif not isinstance(user, Mapping):
        raise MalformedResponse(f"reshape.user: expected an object, got {type(user).__name__}")
    get = user.get
    uid = get("id")
    if uid is not None and not (isinstance(uid, str) and uid.isdigit() and uid.isascii()):
        raise MalformedResponse(f"reshape.user.id: not a user id: {uid!r:.40}")
    metrics = get("public_metrics")
    if metrics is None:
        metrics = _EMPTY
    image = get("profile_image_url")
    url = get("url") or None
    entities = get("entities") or _EMPTY
    user_entities: dict[str, Any] = {}
    if url is not None:
        url_ent = entities.get("url") or _EMPTY
        user_entities["url"] = {"urls": _url_entities(url_ent.get("urls"))}
    description_ent = entities.get("description") or _EMPTY
    user_entities["description"] = {"urls": _url_entities(description_ent.get("urls"))}
    created = get("created_at")
    withheld = get("withheld")
    out = {
        "id": _id_int(uid),
        "id_str": uid,
        "name": get("name"),
        "screen_name": get("username"),
        "location": get("location"),
        "profile_location": None,
        "description": get("description"),
        "url": url,
        "entities": user_entities,
        "protected": get("protected", False),
        "followers_count": metrics.get("followers_count", 0),
        "friends_count": metrics.get("following_count", 0),
        "listed_count": metrics.get("listed_count", 0),
        "created_at": None if created is None else format_created_at(created),
        "favourites_count": metrics.get("like_count", 0),
        "utc_offset": None,
        "time_zone": None,
        "geo_enabled": False,
        "verified": get("verified", False),
        "statuses_count": metrics.get("tweet_count", 0),
        "lang": None,
        "contributors_enabled": False,
        "is_translator": False,
        "is_translation_enabled": False,
        "profile_background_color": None,
        "profile_background_image_url": None,
        "profile_background_image_url_https": None,
        "profile_background_tile": False,
        "profile_image_url": _http(image),
        "profile_image_url_https": image,
        "profile_banner_url": None,
        "profile_link_color": None,
        "profile_sidebar_border_color": None,
        "profile_sidebar_fill_color": None,
        "profile_text_color": None,
        "profile_use_background_image": False,
        "has_extended_profile": False,
        "default_profile": False,
        "default_profile_image": image is not None and "/default_profile_images/" in image,
        "following": None,
        "follow_request_sent": None,
        "notifications": None,
        "translator_type": "none",
        "withheld_in_countries": list(withheld.get("country_codes") or ())
        if isinstance(withheld, Mapping)
        else [],
    }
    if missing is not None:
        _user_missing(user, metrics, missing, prefix)
    return out


_USER_SOURCES = (
    ("id", "id"),
    ("name", "name"),
    ("username", "screen_name"),
    ("location", "location"),
    ("description", "description"),
    ("url", "url"),
    ("entities", "entities"),
    ("protected", "protected"),
    ("created_at", "created_at"),
    ("verified", "verified"),
    ("profile_image_url", "profile_image_url"),
)
_METRIC_SOURCES = (
    ("followers_count", "followers_count"),
    ("following_count", "friends_count"),
    ("listed_count", "listed_count"),
    ("tweet_count", "statuses_count"),
)
# v2 omits these when the user has none, even when the field was asked for.
_USER_OPTIONAL = frozenset({"location", "url", "entities", "description"})


def _user_missing(
    user: Mapping[str, Any], metrics: Mapping[str, Any], missing: set[str], prefix: str
) -> None:
    rich = "public_metrics" in user or "created_at" in user
    for source, name in _USER_SOURCES:
        if source not in user and not (rich and source in _USER_OPTIONAL):
            missing.add(prefix + name)
            if name == "id":
                missing.add(prefix + "id_str")
            elif name == "profile_image_url":
                missing.add(prefix + "profile_image_url_https")
                missing.add(prefix + "default_profile_image")
    for source, name in _METRIC_SOURCES:
        if source not in metrics:
            missing.add(prefix + name)
    if "like_count" not in metrics:
        missing.add(prefix + "favourites_count")
    if "withheld" not in user and not rich:
        missing.add(prefix + "withheld_in_countries")
    for name in _USER_NOT_DERIVABLE:
        if name != "favourites_count":
            missing.add(prefix + name)


# --------------------------------------------------------------------------- entities


def _hashtags(items: Any) -> list[dict[str, Any]]:
    return [{"text": h.get("tag"), "indices": [h.get("start"), h.get("end")]} for h in items]


def _mentions(items: Any, idx: Includes) -> list[dict[str, Any]]:
    out = []
    for m in items:
        username = m.get("username")
        found = idx.usernames.get(username.lower()) if isinstance(username, str) else None
        uid = m.get("id") or (found.get("id") if found is not None else None)
        out.append(
            {
                "screen_name": found.get("username", username) if found else username,
                "name": found.get("name") if found else None,
                "id": _id_int(uid),
                "id_str": uid,
                "indices": [m.get("start"), m.get("end")],
            }
        )
    return out


def _media_id(key: str) -> str | None:
    _, _, number = key.partition("_")
    return number if number.isdigit() and number.isascii() else None


def _sizes(width: Any, height: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(width, int) or not isinstance(height, int) or width <= 0 or height <= 0:
        return {}
    sizes: dict[str, dict[str, Any]] = {"thumb": {"w": 150, "h": 150, "resize": "crop"}}
    longest = max(width, height)
    for name, box in _SIZE_BOXES:
        if longest <= box:
            sizes[name] = {"w": width, "h": height, "resize": "fit"}
        else:
            scale = box / longest
            sizes[name] = {
                "w": max(1, round(width * scale)),
                "h": max(1, round(height * scale)),
                "resize": "fit",
            }
    return sizes


def _video_info(media: Mapping[str, Any]) -> dict[str, Any]:
    width, height = media.get("width"), media.get("height")
    if isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0:
        g = math.gcd(width, height)
        aspect = [width // g, height // g]
    else:
        aspect = []
    variants = []
    for v in media.get("variants") or _EMPTY_LIST:
        variant: dict[str, Any] = {"content_type": v.get("content_type"), "url": v.get("url")}
        rate = v.get("bit_rate")
        if rate is not None:
            variant = {"bitrate": rate, **variant}
        variants.append(variant)
    info: dict[str, Any] = {"aspect_ratio": aspect, "variants": variants}
    duration = media.get("duration_ms")
    if duration is not None:
        info = {"aspect_ratio": aspect, "duration_millis": duration, "variants": variants}
    return info


def _media_entities(
    keys: Any,
    url_by_key: Mapping[str, Mapping[str, Any]],
    idx: Includes,
    alt_text: bool,
    missing: set[str] | None,
    prefix: str,
) -> list[dict[str, Any]]:
    out = []
    for key in keys:
        if not isinstance(key, str):
            continue
        media = idx.media.get(key)
        url_ent = url_by_key.get(key, _EMPTY)
        mid = _media_id(key)
        if media is None:
            media = _EMPTY
            if missing is not None:
                missing.add(prefix + "media.media_url")
                missing.add(prefix + "media.sizes")
        kind = media.get("type") or _MEDIA_TYPES.get(key.partition("_")[0], "photo")
        image = media.get("url") if kind == "photo" else media.get("preview_image_url")
        if not url_ent and missing is not None:
            missing.add(prefix + "media.indices")
        entity: dict[str, Any] = {
            "id": _id_int(mid),
            "id_str": mid,
            "indices": [url_ent.get("start"), url_ent.get("end")] if url_ent else [],
            "media_url": _http(image),
            "media_url_https": image,
            "url": url_ent.get("url"),
            "display_url": url_ent.get("display_url"),
            "expanded_url": url_ent.get("expanded_url"),
            "type": kind,
            "sizes": _sizes(media.get("width"), media.get("height")),
        }
        if kind != "photo":
            entity["video_info"] = _video_info(media)
        if alt_text:
            entity["ext_alt_text"] = media.get("alt_text")
        out.append(entity)
    return out


def _polls(poll_ids: Any, idx: Includes) -> list[dict[str, Any]]:
    out = []
    for pid in poll_ids:
        poll = idx.polls.get(pid) if isinstance(pid, str) else None
        if poll is None:
            continue
        end = poll.get("end_datetime")
        out.append(
            {
                "options": [
                    {"position": o.get("position"), "text": o.get("label")}
                    for o in poll.get("options") or _EMPTY_LIST
                ],
                "end_datetime": None if end is None else format_created_at(end),
                "duration_minutes": poll.get("duration_minutes"),
            }
        )
    return out


# --------------------------------------------------------------------------- tweets


def _place(place_id: Any, idx: Includes) -> dict[str, Any] | None:
    place = idx.places.get(place_id) if isinstance(place_id, str) else None
    if place is None:
        return None
    geo = place.get("geo") or _EMPTY
    bbox = geo.get("bbox")
    box: dict[str, Any] | None = None
    if isinstance(bbox, list) and len(bbox) == 4:
        west, south, east, north = bbox
        box = {
            "type": "Polygon",
            "coordinates": [[[west, south], [east, south], [east, north], [west, north]]],
        }
    return {
        "id": place_id,
        "url": f"https://api.twitter.com/1.1/geo/id/{place_id}.json",
        "place_type": place.get("place_type"),
        "name": place.get("name"),
        "full_name": place.get("full_name"),
        "country_code": place.get("country_code"),
        "country": place.get("country"),
        "contained_within": [],
        "bounding_box": box,
        "attributes": {},
    }


def _display_range(
    text: str, mentions: Any, urls: Any, media_keys: Any, is_reply: bool
) -> tuple[int, int]:
    start = 0
    if is_reply and mentions:
        for m in sorted(mentions, key=lambda m: m.get("start") or 0):
            s = m.get("start")
            if not isinstance(s, int) or text[start:s].strip():
                break
            start = m.get("end") or start
        while start < len(text) and text[start].isspace():
            start += 1
    end = len(text)
    if media_keys and urls:
        for u in urls:
            if u.get("media_key") and isinstance(u.get("start"), int) and u.get("end") == end:
                end = len(text[: u["start"]].rstrip())
                break
    return start, max(start, end)


def _trim(items: list[dict[str, Any]], cut: int) -> list[dict[str, Any]]:
    return [e for e in items if isinstance(e["indices"][1], int) and e["indices"][1] <= cut]


def tweet_to_v1(
    tweet: Mapping[str, Any],
    idx: Includes | None = None,
    *,
    tweet_mode: str = "compat",
    include_entities: bool = True,
    trim_user: bool = False,
    include_ext_alt_text: bool = True,
    favorited: bool | None = None,
    missing: set[str] | None = None,
    _depth: int = 0,
    _prefix: str = "",
) -> dict[str, Any]:
    """One v2 post (+ its page's indexed ``includes``) as a v1.1 tweet dict.

    ``tweet_mode`` ``"compat"`` (v1.1's default) cuts text longer than 140 code points to 115
    + ``"… https://twitter.com/i/web/status/<id>"`` with ``truncated`` true; ``"extended"``
    gives ``full_text`` and ``display_text_range``. ``favorited=None`` means not known (→ false).
    ``missing``, when given, receives the dotted names of fields set to a default (see the
    module docs and :data:`NOT_DERIVABLE`).

    Usage::

        >>> from compat.reshape import tweet_to_v1
        >>> t = tweet_to_v1({"id": "20", "text": "just setting up my twttr",
        ...                  "public_metrics": {"like_count": 7, "retweet_count": 1,
        ...                                     "reply_count": 0, "quote_count": 0}},
        ...                 trim_user=True, favorited=True)
        >>> t["id_str"], t["favorite_count"], t["favorited"], t["user"], t["truncated"]
        ('20', 7, True, {'id': None, 'id_str': None}, False)
    """
    if not isinstance(tweet, Mapping):
        raise MalformedResponse(f"reshape.tweet: expected an object, got {type(tweet).__name__}")
    if idx is None:
        idx = _NO_INCLUDES
    get = tweet.get
    tid = get("id")
    if not isinstance(tid, str) or not tid.isdigit() or not tid.isascii():
        raise MalformedResponse(f"reshape.tweet.id: not a post id: {tid!r:.40}")
    note = get("note_tweet")
    if note:
        text = note.get("text")
        ents = note.get("entities") or _EMPTY
    else:
        text = get("text")
        ents = get("entities") or _EMPTY
    if not isinstance(text, str):
        raise MalformedResponse(f"reshape.tweet.text: expected a string for post {tid}")
    extended = tweet_mode == "extended"
    if not extended and tweet_mode != "compat":
        raise ValueError(f"tweet_mode must be 'compat' or 'extended', got {tweet_mode!r}")

    # -- references
    replied_to = quoted_id = retweeted_id = None
    for ref in get("referenced_tweets") or _EMPTY_LIST:
        kind = ref.get("type")
        if kind == "replied_to":
            replied_to = ref.get("id")
        elif kind == "quoted":
            quoted_id = ref.get("id")
        elif kind == "retweeted":
            retweeted_id = ref.get("id")
    author_id = get("author_id")
    reply_user_id = get("in_reply_to_user_id")
    mentions = ents.get("mentions") or _EMPTY_LIST
    reply_user = None
    reply_screen_name = None
    if reply_user_id is not None:
        reply_user = idx.users.get(reply_user_id)
        if reply_user is not None:
            reply_screen_name = reply_user.get("username")
        else:
            for m in mentions:
                if m.get("id") == reply_user_id:
                    reply_screen_name = m.get("username")
                    break

    # -- text
    attachments = get("attachments") or _EMPTY
    media_keys = attachments.get("media_keys") or _EMPTY_LIST
    urls = ents.get("urls") or _EMPTY_LIST
    length = len(text)
    cut: int | None = None
    if extended:
        start, end = _display_range(
            text, mentions, urls, media_keys, bool(replied_to or reply_user_id)
        )
        truncated = False
        shown = text
    elif length > _TRUNCATE_AT:
        cut = _KEEP
        for u in (*urls, *mentions, *(ents.get("hashtags") or ()), *(ents.get("cashtags") or ())):
            s, e = u.get("start"), u.get("end")
            if isinstance(s, int) and isinstance(e, int) and s < cut < e:
                cut = s
        prefix_text = text[:cut].rstrip()
        cut = len(prefix_text)
        link = f"https://twitter.com/i/web/status/{tid}"
        shown = f"{prefix_text}… {link}"
        truncated = True
    else:
        shown = text
        truncated = False

    # -- user
    if trim_user:
        user: dict[str, Any] = {"id": _id_int(author_id), "id_str": author_id}
        if author_id is None and missing is not None:
            missing.add(_prefix + "user")
    else:
        author = idx.users.get(author_id) if author_id is not None else None
        if author is None:
            if missing is not None:
                missing.add(_prefix + "user")
            user = user_to_v1(None, idx, user_id=author_id, missing=missing, prefix=_prefix + "user.")
        else:
            user = user_to_v1(author, idx, missing=missing, prefix=_prefix + "user.")

    # -- geo
    geo_obj = get("geo") or _EMPTY
    point = geo_obj.get("coordinates")
    coordinates = geo = None
    if isinstance(point, Mapping) and point.get("type") == "Point":
        lon_lat = point.get("coordinates")
        if isinstance(lon_lat, list) and len(lon_lat) == 2:
            coordinates = {"type": "Point", "coordinates": [lon_lat[0], lon_lat[1]]}
            geo = {"type": "Point", "coordinates": [lon_lat[1], lon_lat[0]]}
    place = _place(geo_obj.get("place_id"), idx)

    metrics = get("public_metrics") or _EMPTY
    created = get("created_at")
    out: dict[str, Any] = {
        "created_at": created_at_from_id(tid) if created is None else format_created_at(created),
        "id": int(tid),
        "id_str": tid,
    }
    if extended:
        out["full_text"] = shown
        out["truncated"] = False
        out["display_text_range"] = [start, end]
    else:
        out["text"] = shown
        out["truncated"] = truncated

    if include_entities:
        url_by_key: dict[str, Mapping[str, Any]] = {}
        plain_urls = []
        for u in urls:
            key = u.get("media_key")
            if key:
                url_by_key.setdefault(key, u)
            else:
                plain_urls.append(u)
        entities: dict[str, Any] = {
            "hashtags": _hashtags(ents.get("hashtags") or _EMPTY_LIST),
            "symbols": _hashtags(ents.get("cashtags") or _EMPTY_LIST),
            "user_mentions": _mentions(mentions, idx),
            "urls": _url_entities(plain_urls),
        }
        media = _media_entities(
            media_keys, url_by_key, idx, include_ext_alt_text, missing, _prefix + "entities."
        )
        poll_ids = attachments.get("poll_ids")
        if poll_ids:
            entities["polls"] = _polls(poll_ids, idx)
        if cut is not None:
            for name in ("hashtags", "symbols", "user_mentions", "urls"):
                entities[name] = _trim(entities[name], cut)
            entities["urls"].append(
                {
                    "url": link,
                    "expanded_url": link,
                    "display_url": f"twitter.com/i/web/status/{tid[:1]}…",
                    "indices": [cut + 2, cut + 2 + len(link)],
                }
            )
            media = [m for m in media if m["indices"] and m["indices"][1] <= cut]
        if media:
            first = dict(media[0])
            first["type"] = "photo"
            first.pop("video_info", None)
            entities["media"] = [first]
        out["entities"] = entities
        if media:
            out["extended_entities"] = {"media": media}
    out["source"] = get("source")
    out["in_reply_to_status_id"] = _id_int(replied_to)
    out["in_reply_to_status_id_str"] = replied_to
    out["in_reply_to_user_id"] = _id_int(reply_user_id)
    out["in_reply_to_user_id_str"] = reply_user_id
    out["in_reply_to_screen_name"] = reply_screen_name
    out["user"] = user
    out["geo"] = geo
    out["coordinates"] = coordinates
    out["place"] = place
    out["contributors"] = None
    out["is_quote_status"] = quoted_id is not None
    nested_options = {
        "tweet_mode": tweet_mode,
        "include_entities": include_entities,
        "trim_user": trim_user,
        "include_ext_alt_text": include_ext_alt_text,
        "missing": missing,
    }
    if quoted_id is not None:
        out["quoted_status_id"] = _id_int(quoted_id)
        out["quoted_status_id_str"] = quoted_id
        quoted = idx.tweets.get(quoted_id)
        if quoted is not None and _depth < MAX_DEPTH:
            out["quoted_status"] = tweet_to_v1(
                quoted,
                idx,
                **nested_options,
                _depth=MAX_DEPTH,
                _prefix=_prefix + "quoted_status.",
            )
        elif missing is not None and quoted is None:
            missing.add(_prefix + "quoted_status")
    if retweeted_id is not None:
        original = idx.tweets.get(retweeted_id)
        if original is not None and _depth < MAX_DEPTH:
            out["retweeted_status"] = tweet_to_v1(
                original,
                idx,
                **nested_options,
                _depth=_depth + 1,
                _prefix=_prefix + "retweeted_status.",
            )
        elif missing is not None and original is None:
            missing.add(_prefix + "retweeted_status")
    out["retweet_count"] = metrics.get("retweet_count", 0)
    out["favorite_count"] = metrics.get("like_count", 0)
    out["reply_count"] = metrics.get("reply_count", 0)
    out["quote_count"] = metrics.get("quote_count", 0)
    out["favorited"] = bool(favorited)
    out["retweeted"] = False
    out["possibly_sensitive"] = get("possibly_sensitive", False)
    out["possibly_sensitive_appealable"] = False
    out["lang"] = get("lang")
    withheld = get("withheld")
    if isinstance(withheld, Mapping) and withheld.get("country_codes"):
        out["withheld_in_countries"] = list(withheld["country_codes"])
    if missing is not None:
        _tweet_missing(tweet, metrics, favorited, include_entities, missing, _prefix)
    return out


_TWEET_SOURCES = (
    ("lang", "lang"),
    ("possibly_sensitive", "possibly_sensitive"),
    ("source", "source"),
)
_METRICS = (
    ("like_count", "favorite_count"),
    ("retweet_count", "retweet_count"),
    ("reply_count", "reply_count"),
    ("quote_count", "quote_count"),
)
# v2 leaves these out when they do not apply, so their absence means "none" only when the
# post was fetched with V2_QUERY; conversation_id (always sent when asked for) tells that.
_AMBIGUOUS = (
    ("referenced_tweets", ("in_reply_to_status_id", "is_quote_status")),
    ("in_reply_to_user_id", ("in_reply_to_user_id", "in_reply_to_screen_name")),
    ("geo", ("geo", "coordinates", "place")),
)


def _tweet_missing(
    tweet: Mapping[str, Any],
    metrics: Mapping[str, Any],
    favorited: bool | None,
    include_entities: bool,
    missing: set[str],
    prefix: str,
) -> None:
    for source, name in _TWEET_SOURCES:
        if source not in tweet:
            missing.add(prefix + name)
    for source, name in _METRICS:
        if source not in metrics:
            missing.add(prefix + name)
    if favorited is None:
        missing.add(prefix + "favorited")
    for name in _TWEET_NOT_DERIVABLE:
        missing.add(prefix + name)
    if "conversation_id" not in tweet:
        if include_entities and "entities" not in tweet:
            missing.add(prefix + "entities")
        for source, names in _AMBIGUOUS:
            if source not in tweet:
                for name in names:
                    missing.add(prefix + name)


def page_to_v1(
    payload: Mapping[str, Any],
    *,
    tweet_mode: str = "compat",
    include_entities: bool = True,
    trim_user: bool = False,
    include_ext_alt_text: bool = True,
    favorited: bool | None = None,
    missing: set[str] | None = None,
) -> list[dict[str, Any]]:
    """A v2 ``{data, includes, meta}`` page (or a single-post lookup) as a list of v1.1 tweets.

    ``data`` may be a list (liked_tweets, ``GET /2/tweets?ids=``) or one object
    (``GET /2/tweets/:id``); no ``data`` (an empty page) gives ``[]``. ``includes`` is indexed
    once for the page. Options as in :func:`tweet_to_v1`.

    Usage::

        >>> from compat.reshape import page_to_v1
        >>> page_to_v1({"meta": {"result_count": 0}})
        []
        >>> [t["id_str"] for t in page_to_v1({"data": [{"id": "5", "text": "a"}]})]
        ['5']
    """
    if not isinstance(payload, Mapping):
        raise MalformedResponse(
            f"reshape.page: expected an object, got {type(payload).__name__}"
        )
    data = payload.get("data")
    if data is None:
        return []
    items: Iterable[Any] = [data] if isinstance(data, Mapping) else data
    if not isinstance(items, list) and not isinstance(data, Mapping):
        raise MalformedResponse(f"reshape.page.data: expected a list, got {type(data).__name__}")
    idx = index_includes(payload.get("includes"))
    return [
        tweet_to_v1(
            tweet,
            idx,
            tweet_mode=tweet_mode,
            include_entities=include_entities,
            trim_user=trim_user,
            include_ext_alt_text=include_ext_alt_text,
            favorited=favorited,
            missing=missing,
        )
        for tweet in items
    ]
