"""Pure reshaping of X API v2 posts (with ``includes``) into Twitter API v1.1 tweet dicts.

No HTTP, no I/O: the client fetches a v2 page with :data:`V2_QUERY`, this module turns it into
what ``GET favorites/list`` / ``POST favorites/create`` returned, with exactly the keys v1.1 sent
in the same ``tweet_mode``: the ones it always sent (:data:`TWEET_KEYS`, :data:`USER_KEYS`),
and the others where v1.1 had them (quotes, retweets, media, links, withheld posts and users;
``ReshapeOptions(v2_extras=True)`` adds what v2 knows and v1.1 never sent). A value v2 cannot
supply is set to what v1.1 used when unknown (``None``, ``False``, ``0``) and, when a
``missing`` set is passed, its dotted name (``"user.followers_count"``,
``"quoted_status.favorited"``) is added to it. :data:`NOT_DERIVABLE` says why each field v2 can
never supply is so. ``includes`` objects are matched by id (the author by ``author_id``), never
by position. When the author is unknown, ``user`` is still a full v1.1 user (``id``/``id_str``
from ``author_id`` when known, else null; every other value its default), so the key set is
stable. Fields v2 leaves out when they do not apply (``referenced_tweets``, ``entities``,
``geo``, ``in_reply_to_user_id``) count as missing only for posts fetched without
``conversation_id`` (i.e. not with :data:`V2_QUERY`). The options may be passed as one
:class:`ReshapeOptions`; results are typed :class:`~compat._v1types.V1Tweet` and
:class:`~compat._v1types.V1User`, whose keys :data:`TWEET_KEYS` and :data:`USER_KEYS` are.

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

import dataclasses
import datetime as _dt
import html
import logging
import math
import re
from collections.abc import Mapping
from typing import Any, NamedTuple, cast

from compat._v1types import TweetMode, V1Tweet, V1User
from compat.errors import InvalidParameter, MalformedResponse

__all__ = [
    "MAX_DEPTH",
    "NOT_DERIVABLE",
    "SOURCE_URLS",
    "TWEET_KEYS",
    "UNKNOWN_SOURCE_URL",
    "UNKNOWN_USER_CREATED_AT",
    "USER_KEYS",
    "V2_QUERY",
    "Includes",
    "ReshapeOptions",
    "TweetMode",
    "V1Tweet",
    "V1User",
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

# Top-level keys of a v1.1 tweet with the default options, in v1.1's order: the ones always
# present, plus the text and entities that tweet_mode and include_entities decide.
TWEET_KEYS: tuple[str, ...] = tuple(
    key
    for key in V1Tweet.__annotations__
    if key in V1Tweet.__required_keys__ or key in ("text", "entities")
)
"""Keys always present (``entities`` unless ``include_entities=False``; ``full_text`` and
``display_text_range`` instead of ``text`` in extended mode). Present only when they apply, as in
v1.1: ``extended_entities`` (media), ``quoted_status_id``/``_str`` (quotes and retweets of
quotes), ``quoted_status_permalink`` (the same, extended mode), ``quoted_status`` (quotes),
``retweeted_status`` (retweets), ``possibly_sensitive``/``_appealable`` (a link or media in the
text), ``withheld_in_countries`` (withheld posts); ``reply_count``/``quote_count`` only with
``ReshapeOptions(v2_extras=True)``.

Usage::

    >>> from compat.reshape import TWEET_KEYS, tweet_to_v1
    >>> set(tweet_to_v1({"id": "20", "text": "hi"})) == set(TWEET_KEYS)
    True
"""

USER_KEYS: tuple[str, ...] = tuple(
    key for key in V1User.__annotations__ if key in V1User.__required_keys__
)
"""Every key of every v1.1 user object we emit, in v1.1's order (``trim_user=True`` gives only
id/id_str); ``withheld_in_countries`` follows only for a withheld user, as in v1.1.

Usage::

    >>> from compat.reshape import USER_KEYS, user_to_v1
    >>> tuple(user_to_v1(None)) == USER_KEYS
    True
"""

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
    "quoted_status_permalink.url": "the t.co link to the quoted post, when the post's text does "
    "not carry it (v2 has no other): the expanded link stands in",
    # user
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
_TWEET_NOT_DERIVABLE = ("retweeted", "contributors")

MAX_DEPTH = 2
"""How deep quoted/retweeted posts nest: a retweet's original may carry its quoted post (as in
v1.1), a quoted post never carries another (v1.1 gave only ``quoted_status_id`` there).

Usage::

    >>> from compat.reshape import MAX_DEPTH
    >>> MAX_DEPTH
    2
"""

SOURCE_URLS: dict[str, str] = {
    # The links of X's own apps in real v1.1 source anchors (the X docs' v1.1 example payloads,
    # tweepy's and python-twitter's recorded v1.1 statuses, public v1.1 fixtures).
    "Twitter Web App": "https://mobile.twitter.com",
    "Twitter Web Client": "http://twitter.com",
    "Twitter for iPhone": "http://twitter.com/download/iphone",
    "Twitter for Android": "http://twitter.com/download/android",
    "Twitter for iPad": "http://twitter.com/#!/download/ipad",
    "Twitter for Mac": "http://itunes.apple.com/us/app/twitter/id409789998?mt=12",
    "TweetDeck": "https://about.twitter.com/products/tweetdeck",
    "TweetDeck Web App": "https://twitter.com",
    "Twitter Media Studio": "https://studio.twitter.com",
    "Twitter for Advertisers": "https://twitter.com",
}
"""v2's ``source`` (the app's name) → the URL v1.1's ``source`` anchor linked it to.

v1.1 sent ``<a href="URL" rel="nofollow">NAME</a>``, URL being the website the app registered;
v2 sends only NAME. Apps not listed here get :data:`UNKNOWN_SOURCE_URL`.

Usage::

    >>> from compat.reshape import SOURCE_URLS
    >>> SOURCE_URLS["Twitter for iPhone"]
    'http://twitter.com/download/iphone'
"""

UNKNOWN_SOURCE_URL = "https://twitter.com"
"""The ``source`` anchor's link for an app v2 names and :data:`SOURCE_URLS` does not know: its
registered website is not in v2 (unknown; a recording of that app's v1.1 posts can say), so
the anchor links to X, as v1.1's anchors of X's own web apps did, and the name stays exact.

Usage::

    >>> from compat.reshape import tweet_to_v1
    >>> tweet_to_v1({"id": "20", "text": "hi", "source": "My Bot"})["source"]
    '<a href="https://twitter.com" rel="nofollow">My Bot</a>'
"""

_TRUNCATE_AT = 140
# v1.1's compat text of a longer post: the cut text, "…", " " and a 23-character t.co link to
# the post, 140 code points in all. v2 names no such t.co link: compat puts the post's own link
# there (the one v1.1's entity expanded to) and cuts the text shorter, so that the whole stays
# within 140 (see _truncated_text).
_WEB_STATUS = "https://twitter.com/i/web/status/"
# v1.1 cut a retweet's "RT @name: …" text at 140 with a bare "…" (no link, truncated false);
# v2 sends that cut text, so this applies only to a longer one.
_RT_KEEP = _TRUNCATE_AT - 1
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_TWEPOCH_MS = 1288834974657
_MEDIA_TYPES = {"3": "photo", "7": "video", "16": "animated_gif"}
_SIZE_BOXES = (("small", 680), ("medium", 1200), ("large", 2048))
_ISO = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T((?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9])"
    r"(?:\.[0-9]{1,9})?(?:Z|\+00:00)"
)
_MEMO_SIZE = 4096
_FORMATTED: dict[str, str] = {}
# Day number since 1970 → (v1.1's "Thu Feb 16 ", " +0000 2023") around the clock time.
_DAYS_SINCE_1970: dict[int, tuple[str, str]] = {}
# "YYYY-MM-DD" → the same two parts, for v2's ISO times (posts of one day share it).
_ISO_DAYS: dict[str, tuple[str, str]] = {}
_HOURS = frozenset(f"{n:02d}" for n in range(24))
_SIXTY = frozenset(f"{n:02d}" for n in range(60))
_CLOCK_MINUTES = tuple(f"{m // 60:02d}:{m % 60:02d}:" for m in range(1440))
_TWO_DIGITS = tuple(f"{n:02d}" for n in range(60))
_ORDINAL_1970 = _dt.date(1970, 1, 1).toordinal()
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


# --------------------------------------------------------------------------- options


@dataclasses.dataclass(frozen=True, slots=True)
class ReshapeOptions:
    """How v1.1 tweets are shaped: v1.1's request parameters of the same names, with v1.1's
    defaults (so ``ReshapeOptions()`` gives exactly the keys v1.1 sent for a request without
    them), plus ``v2_extras``.

    Build one per request and pass it as ``options=`` to :func:`tweet_to_v1` or
    :func:`page_to_v1` in place of the separate keywords (giving both is a ``TypeError``).
    A ``tweet_mode`` other than ``"compat"``/``"extended"`` raises
    :class:`~compat.errors.InvalidParameter` here, before any post is read.
    ``v2_extras=True`` adds what v2 knows and standard v1.1 never sent: ``reply_count`` and
    ``quote_count`` on every post, ``entities.polls`` on posts with a poll. It has no keyword
    of its own: it is not a v1.1 parameter.

    Usage::

        >>> from compat.reshape import ReshapeOptions, tweet_to_v1
        >>> options = ReshapeOptions(tweet_mode="extended", trim_user=True)
        >>> t = tweet_to_v1({"id": "20", "text": "hi"}, options=options)
        >>> t["full_text"], t["user"], options.extended
        ('hi', {'id': None, 'id_str': None}, True)
        >>> "reply_count" in t, "reply_count" in tweet_to_v1(
        ...     {"id": "20", "text": "hi"}, options=ReshapeOptions(v2_extras=True))
        (False, True)
    """

    tweet_mode: TweetMode = "compat"
    include_entities: bool = True
    trim_user: bool = False
    # v1.1 sent ext_alt_text only when asked to, with include_ext_alt_text=true.
    include_ext_alt_text: bool = False
    v2_extras: bool = False
    #: ``tweet_mode == "extended"``, worked out once rather than for every post.
    extended: bool = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "extended", _extended(self.tweet_mode))


def _extended(tweet_mode: object) -> bool:
    if tweet_mode == "extended":
        return True
    if tweet_mode == "compat":
        return False
    raise InvalidParameter("tweet_mode", f"must be 'compat' or 'extended', got {tweet_mode!r:.40}")


class _Default:
    """A keyword's default, told apart from the same value passed explicitly (``options=`` and
    that keyword together are a TypeError); shown as the value itself in ``help()``."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __repr__(self) -> str:
        return repr(self.value)


_DEFAULT_OPTIONS = ReshapeOptions()
# Typed Any so that the signatures keep their real types (TweetMode, bool).
_TWEET_MODE_DEFAULT: Any = _Default(_DEFAULT_OPTIONS.tweet_mode)
_INCLUDE_ENTITIES_DEFAULT: Any = _Default(_DEFAULT_OPTIONS.include_entities)
_TRIM_USER_DEFAULT: Any = _Default(_DEFAULT_OPTIONS.trim_user)
_INCLUDE_EXT_ALT_TEXT_DEFAULT: Any = _Default(_DEFAULT_OPTIONS.include_ext_alt_text)
# The options that have a keyword of their own in tweet_to_v1/page_to_v1 (v1.1's parameters).
_OPTION_NAMES = ("tweet_mode", "include_entities", "trim_user", "include_ext_alt_text")


def _unwrap_default(value: Any) -> Any:
    return value.value if type(value) is _Default else value


# The options of every mix of defaults and bools, built once: a call, often one per post,
# finds its own with one dict lookup.
_PRESETS: dict[tuple[object, ...], ReshapeOptions] = {
    keywords: ReshapeOptions(*map(_unwrap_default, keywords))
    for keywords in [
        (mode, entities, trim, alt_text)
        for mode in (_TWEET_MODE_DEFAULT, "compat", "extended")
        for entities in (_INCLUDE_ENTITIES_DEFAULT, True, False)
        for trim in (_TRIM_USER_DEFAULT, False, True)
        for alt_text in (_INCLUDE_EXT_ALT_TEXT_DEFAULT, True, False)
    ]
}


def _options(
    caller: str,
    options: ReshapeOptions | None,
    tweet_mode: object,
    include_entities: object,
    trim_user: object,
    include_ext_alt_text: object,
) -> ReshapeOptions:
    """``options``, or those the separate keywords give."""
    keywords = (tweet_mode, include_entities, trim_user, include_ext_alt_text)
    if options is None:
        try:
            found = _PRESETS.get(keywords)
        except TypeError:  # an unhashable flag: counts by its truth value, as any other
            found = None
        return ReshapeOptions(*map(_unwrap_default, keywords)) if found is None else found
    if not isinstance(options, ReshapeOptions):
        raise TypeError(
            f"{caller}() options must be a ReshapeOptions, not {type(options).__name__}"
        )
    both = [
        name
        for name, value in zip(_OPTION_NAMES, keywords, strict=True)
        if type(value) is not _Default
    ]
    if both:
        raise TypeError(
            f"{caller}() got options= and {'=, '.join(both)}=: pass the settings in one of them"
        )
    return options


# --------------------------------------------------------------------------- includes, ids, times


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
    if (
        type(tweet_id) is not str
        or not tweet_id.isdigit()
        or not tweet_id.isascii()
        or len(tweet_id) > 20
        or tweet_id.strip("0") == ""
    ):
        raise MalformedResponse(f"reshape.id: not a post id: {tweet_id!r:.40}")
    return _snowflake_time(int(tweet_id))


def _snowflake_time(tweet_id: int) -> str:
    """:func:`created_at_from_id` of a checked id."""
    days, second = divmod(((tweet_id >> 22) + _TWEPOCH_MS) // 1000, 86400)
    day = _DAYS_SINCE_1970.get(days)
    if day is None:
        date = _dt.date.fromordinal(_ORDINAL_1970 + days)
        day = (
            f"{_DAYS[date.weekday()]} {_MONTHS[date.month - 1]} {date.day:02d} ",
            f" +0000 {date.year}",
        )
        if len(_DAYS_SINCE_1970) >= _MEMO_SIZE:
            _DAYS_SINCE_1970.clear()
        _DAYS_SINCE_1970[days] = day
    minute, second = divmod(second, 60)
    return day[0] + _CLOCK_MINUTES[minute] + _TWO_DIGITS[second] + day[1]


def format_created_at(iso: str) -> str:
    """v2's ISO 8601 UTC time (``2023-02-16T12:20:16.000Z``) in v1.1's format.

    Raises :class:`~compat.errors.MalformedResponse` for anything else. Results are memoised
    (bounded): authors' and posts' times repeat across pages.

    Usage::

        >>> from compat.reshape import format_created_at
        >>> format_created_at("2023-02-16T12:20:16.000Z")
        'Thu Feb 16 12:20:16 +0000 2023'
    """
    done = _FORMATTED.get(iso) if type(iso) is str else None
    if done is not None:
        return done
    # v2's own form (milliseconds, "Z"): the day's parts memoised, the clock checked by hand
    if type(iso) is str and len(iso) == 24 and iso[10] == "T" and iso[19:20] == ".":
        parts = _ISO_DAYS.get(iso[:10])
        clock = iso[11:19]
        if (
            parts is not None
            and iso[20:23].isdigit()
            and iso[23] == "Z"
            and clock[2] == ":" == clock[5]
            and clock[:2] in _HOURS
            and clock[3:5] in _SIXTY
            and clock[6:] in _SIXTY
        ):
            done = parts[0] + clock + parts[1]
            if len(_FORMATTED) >= _MEMO_SIZE:
                _FORMATTED.clear()
            _FORMATTED[iso] = done
            return done
    match = _ISO.fullmatch(iso) if isinstance(iso, str) else None
    if match is None:
        raise MalformedResponse(f"reshape.created_at: not an ISO 8601 UTC time: {iso!r:.40}")
    year, month, day, clock = match.groups()
    try:
        weekday = _dt.date(int(year), int(month), int(day)).weekday()
    except ValueError:
        raise MalformedResponse(
            f"reshape.created_at: not an ISO 8601 UTC time: {iso!r:.40}"
        ) from None
    parts = (f"{_DAYS[weekday]} {_MONTHS[int(month) - 1]} {day} ", f" +0000 {year}")
    if len(_ISO_DAYS) >= _MEMO_SIZE:
        _ISO_DAYS.clear()
    _ISO_DAYS[f"{year}-{month}-{day}"] = parts
    done = parts[0] + clock + parts[1]
    if len(_FORMATTED) >= _MEMO_SIZE:
        _FORMATTED.clear()
    _FORMATTED[iso] = done
    return done


def _id_int(value: Any, where: str = "id") -> int | None:
    """``int`` of a v2 id string (``None`` stays ``None``); anything else is malformed."""
    if value is None:
        return None
    if type(value) is str and value.isdigit() and value.isascii() and len(value) <= 20:
        return int(value)
    raise MalformedResponse(f"reshape.{where}: not an id: {value!r:.40}")


def _finite(value: Any) -> bool:
    """A JSON number both schema backends accept (no bool, NaN or infinity)."""
    return type(value) in (int, float) and math.isfinite(value)


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
) -> V1User:
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
    return cast(V1User, _user(user, missing, user_id, prefix))


def _user(
    user: Mapping[str, Any] | None, missing: set[str] | None, user_id: str | None, prefix: str
) -> dict[str, Any]:
    """:func:`user_to_v1` (posts' authors come here directly)."""
    if user is None:
        if user_id is None:
            out = _USER_TEMPLATE.copy()
            out["entities"] = {"description": {"urls": []}}
            if missing is not None:
                _user_missing(_EMPTY, _EMPTY, missing, prefix)
            return out
        user = {"id": user_id}
    elif type(user) is not dict and not isinstance(user, Mapping):
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
    out = _USER_TEMPLATE.copy()
    if uid is not None:
        out["id"] = int(uid)
        out["id_str"] = uid
    out["name"] = get("name")
    out["screen_name"] = get("username")
    out["location"] = get("location")
    out["description"] = get("description")
    out["url"] = url
    out["entities"] = user_entities
    out["protected"] = get("protected", False)
    if metrics:
        out["followers_count"] = metrics.get("followers_count", 0)
        out["friends_count"] = metrics.get("following_count", 0)
        out["listed_count"] = metrics.get("listed_count", 0)
        out["favourites_count"] = metrics.get("like_count", 0)
        out["statuses_count"] = metrics.get("tweet_count", 0)
    if created is not None:
        out["created_at"] = format_created_at(created)
    elif uid is not None and int(uid) >= 2**32:
        out["created_at"] = created_at_from_id(uid)  # accounts since 2013: a snowflake id
    else:
        # v1.1 always had a date and tweepy's User.parse cannot take null: the earliest
        # date an account can have (still listed in `missing`).
        out["created_at"] = UNKNOWN_USER_CREATED_AT
    out["verified"] = get("verified", False)
    if image is not None:
        out["profile_image_url"] = "http://" + image[8:] if image.startswith("https://") else image
        out["profile_image_url_https"] = image
        out["default_profile_image"] = "/default_profile_images/" in image
    codes = withheld.get("country_codes") if withheld else None
    if codes:
        out["withheld_in_countries"] = list(codes)
    if missing is not None:
        _user_missing(user, metrics, missing, prefix)
    return out


#: ``user.created_at`` when neither v2 nor the user id says: the day Twitter started.
UNKNOWN_USER_CREATED_AT = "Tue Mar 21 20:50:14 +0000 2006"

_USER_TEMPLATE: dict[str, Any] = {
    "id": None,
    "id_str": None,
    "name": None,
    "screen_name": None,
    "location": None,
    "description": None,
    "url": None,
    "entities": None,
    "protected": False,
    "followers_count": 0,
    "friends_count": 0,
    "listed_count": 0,
    "created_at": UNKNOWN_USER_CREATED_AT,
    "favourites_count": 0,
    "utc_offset": None,
    "time_zone": None,
    "geo_enabled": False,
    "verified": False,
    "statuses_count": 0,
    "lang": None,
    "contributors_enabled": False,
    "is_translator": False,
    "is_translation_enabled": False,
    "profile_background_color": None,
    "profile_background_image_url": None,
    "profile_background_image_url_https": None,
    "profile_background_tile": False,
    "profile_image_url": None,
    "profile_image_url_https": None,
    "profile_banner_url": None,
    "profile_link_color": None,
    "profile_sidebar_border_color": None,
    "profile_sidebar_fill_color": None,
    "profile_text_color": None,
    "profile_use_background_image": False,
    "has_extended_profile": False,
    "default_profile": False,
    "default_profile_image": False,
    "following": None,
    "follow_request_sent": None,
    "notifications": None,
    "translator_type": "none",
}
assert tuple(_USER_TEMPLATE) == USER_KEYS

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


# The names _user_missing adds, with their prefix, made once per prefix ("user.", ...):
# ((v2 field, optional, the names it fills), (public_metrics field, name), favourites_count,
# the names never derivable).
_UserNames = tuple[
    tuple[tuple[str, bool, tuple[str, ...]], ...], tuple[tuple[str, str], ...], str, tuple[str, ...]
]
_USER_NAMES: dict[str, _UserNames] = {}
# The v1.1 fields one v2 user field fills besides its own.
_USER_ALSO = {
    "id": ("id_str",),
    "profile_image_url": ("profile_image_url_https", "default_profile_image"),
}


def _user_names(prefix: str) -> _UserNames:
    names = _USER_NAMES.get(prefix)
    if names is None:
        names = (
            tuple(
                (
                    source,
                    source in _USER_OPTIONAL,
                    tuple(prefix + n for n in (name, *_USER_ALSO.get(name, ()))),
                )
                for source, name in _USER_SOURCES
            ),
            tuple((source, prefix + name) for source, name in _METRIC_SOURCES),
            prefix + "favourites_count",
            tuple(prefix + n for n in _USER_NOT_DERIVABLE if n != "favourites_count"),
        )
        if len(_USER_NAMES) < _MEMO_SIZE:
            _USER_NAMES[prefix] = names
    return names


def _user_missing(
    user: Mapping[str, Any], metrics: Mapping[str, Any], missing: set[str], prefix: str
) -> None:
    fields, metric_fields, favourites, never = _user_names(prefix)
    rich = "public_metrics" in user or "created_at" in user
    for source, optional, names in fields:
        if source not in user and not (rich and optional):
            missing.update(names)
    for source, name in metric_fields:
        if source not in metrics:
            missing.add(name)
    if "like_count" not in metrics:
        missing.add(favourites)
    missing.update(never)


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
                "id": _id_int(uid, "entities.mentions.id"),
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
            # v1.1 rounded half up (1280×720 → small 680×383); exact in integers.
            sizes[name] = {
                "w": max(1, (2 * width * box + longest) // (2 * longest)),
                "h": max(1, (2 * height * box + longest) // (2 * longest)),
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


def _entities(
    ents: Mapping[str, Any], mentions: Any, urls: Any, idx: Includes, media_link: Any
) -> tuple[dict[str, Any], dict[str, Mapping[str, Any]]]:
    """v1.1 ``entities`` (hashtags, symbols, user_mentions, urls) and the media links by
    media_key (kept out of ``urls``, as v1.1 did; ``media_link`` is one without a key)."""
    if not ents and not mentions and not urls:  # most posts fetched with the default fields
        return {"hashtags": [], "symbols": [], "user_mentions": [], "urls": []}, {}
    url_by_key: dict[str, Mapping[str, Any]] = {}
    plain_urls = []
    for u in urls:
        key = u.get("media_key")
        if key:
            url_by_key.setdefault(key, u)
        elif u is not media_link:
            plain_urls.append(u)
    entities = {
        "hashtags": _hashtags(ents.get("hashtags") or _EMPTY_LIST),
        "symbols": _hashtags(ents.get("cashtags") or _EMPTY_LIST),
        "user_mentions": _mentions(mentions, idx),
        "urls": _url_entities(plain_urls),
    }
    return entities, url_by_key


def _cut_entities(
    entities: dict[str, Any], media: list[dict[str, Any]], cut: int, tid: str, link: bool
) -> list[dict[str, Any]]:
    """Compat mode's cut text: entities past the cut go; with ``link``, the post's link (after
    "… ") is the last url, as v1.1's t.co link was. Returns the media left."""
    for name in ("hashtags", "symbols", "user_mentions", "urls"):
        entities[name] = _trim(entities[name], cut)
    if link:
        web = _WEB_STATUS + tid
        entities["urls"].append(
            {
                "url": web,
                "expanded_url": web,
                "display_url": f"twitter.com/i/web/status/{tid[:1]}…",
                "indices": [cut + 2, cut + 2 + len(web)],
            }
        )
    return [m for m in media if m["indices"] and _ends_by(m["indices"], cut)]


def _photo_entity(media: dict[str, Any]) -> dict[str, Any]:
    """``entities.media``: v1.1 gave there only the first medium, always as a photo."""
    first = dict(media)
    first["type"] = "photo"
    first.pop("video_info", None)
    return first


# --------------------------------------------------------------------------- tweets


def _place(place_id: Any, idx: Includes) -> dict[str, Any] | None:
    place = idx.places.get(place_id) if isinstance(place_id, str) else None
    if place is None:
        return None
    geo = place.get("geo") or _EMPTY
    bbox = geo.get("bbox")
    box: dict[str, Any] | None = None
    if isinstance(bbox, list) and len(bbox) == 4 and all(map(_finite, bbox)):
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
    text: str, mentions: Any, urls: Any, is_reply: bool, quoted_id: Any, media_link: Any
) -> tuple[int, int]:
    """v1.1's display_text_range: a reply's leading @mentions, and a trailing media link and
    link to the quoted post (v1.1 showed both as attachments, not text), are outside it."""
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
    trailing = True
    while urls and trailing:
        trailing = False
        for u in urls:
            s = u.get("start")
            if (
                u.get("end") == end
                and isinstance(s, int)
                and s < end
                and (
                    u.get("media_key")
                    or u is media_link
                    or (quoted_id is not None and _status_id(u.get("expanded_url")) == quoted_id)
                )
            ):
                end = len(text[:s].rstrip())
                trailing = True
                break
    return start, max(start, end)


# A link to a post: twitter.com/<user>/status/<id> (also x.com, mobile., i/web), and the media
# link v1.1 and v2 append to a post with media: …/status/<id>/photo/1 or …/video/1.
_STATUS_LINK = re.compile(
    r"https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/(?:i/web|[A-Za-z0-9_]{1,50})/status/"
    r"([0-9]{1,20})(/(?:photo|video)/[0-9]{1,2})?/?(?:[?#][^\s]*)?"
)


def _status_id(url: Any) -> str | None:
    """The post id a status link points at (``None`` for any other URL or a media link)."""
    if type(url) is not str or "/status/" not in url:
        return None
    match = _STATUS_LINK.fullmatch(url)
    return match.group(1) if match is not None and match.group(2) is None else None


def _media_link(urls: Any, tid: str) -> Any:
    """The post's trailing media link (…/status/<tid>/photo/1 or /video/1) when v2 sent it
    without a ``media_key``, as older answers did; ``None`` if there is none."""
    for u in reversed(urls):
        url = u.get("expanded_url")
        if type(url) is str and "/status/" in url:
            match = _STATUS_LINK.fullmatch(url)
            if match is not None and match.group(2) is not None and match.group(1) == tid:
                return u
    return None


def _display_url(url: str) -> str:
    """v1.1's display form of a link: no scheme, cut after 26 characters with "…"."""
    shown = url.split("://", 1)[-1]
    return shown if len(shown) <= 26 else shown[:26] + "…"


def _permalink(
    quoted_id: str, urls: Any, idx: Includes, missing: set[str] | None, prefix: str
) -> dict[str, Any]:
    """Extended mode's ``quoted_status_permalink``: the post's link to the quoted post, else
    one built from the quoted post's author (no t.co link then)."""
    for u in reversed(urls):
        if _status_id(u.get("expanded_url")) == quoted_id:
            return {
                "url": u.get("url"),
                "expanded": u.get("expanded_url"),
                "display": u.get("display_url"),
            }
    author = _author_of(quoted_id, idx)
    user = idx.users.get(author) if isinstance(author, str) else None
    username = user.get("username") if user is not None else None
    if isinstance(username, str):
        expanded = f"https://twitter.com/{username}/status/{quoted_id}"
    else:
        expanded = _WEB_STATUS + quoted_id
    if missing is not None:
        missing.add(prefix + "quoted_status_permalink.url")
    return {"url": expanded, "expanded": expanded, "display": _display_url(expanded)}


def _entities_within(ents: Mapping[str, Any], short: Any, text: str) -> dict[str, Any]:
    """A long post's entities when v2 sent none in ``note_tweet``: those of the short ``text``
    that sit at the same place in the long text."""
    if not isinstance(short, str):
        return {}
    out: dict[str, Any] = {}
    for name, items in ents.items():
        if isinstance(items, list):
            out[name] = [
                e
                for e in items
                if isinstance(e.get("start"), int)
                and isinstance(e.get("end"), int)
                and short[e["start"] : e["end"]] == text[e["start"] : e["end"]]
            ]
    return out


def _ends_by(indices: list[Any], cut: int) -> bool:
    end = indices[1]
    return isinstance(end, int) and end <= cut


def _trim(items: list[dict[str, Any]], cut: int) -> list[dict[str, Any]]:
    return [e for e in items if _ends_by(e["indices"], cut)]


def tweet_to_v1(
    tweet: Mapping[str, Any],
    idx: Includes | None = None,
    *,
    tweet_mode: TweetMode = _TWEET_MODE_DEFAULT,
    include_entities: bool = _INCLUDE_ENTITIES_DEFAULT,
    trim_user: bool = _TRIM_USER_DEFAULT,
    include_ext_alt_text: bool = _INCLUDE_EXT_ALT_TEXT_DEFAULT,
    favorited: bool | None = None,
    missing: set[str] | None = None,
    options: ReshapeOptions | None = None,
) -> V1Tweet:
    """One v2 post (+ its page's indexed ``includes``) as a v1.1 tweet dict.

    ``tweet_mode`` ``"compat"`` (v1.1's default) cuts text longer than 140 code points to
    140: the start of it + ``"… https://twitter.com/i/web/status/<id>"``, ``truncated`` true;
    ``"extended"`` gives ``full_text`` and ``display_text_range``. ``options`` (a
    :class:`ReshapeOptions`, which also holds ``v2_extras``)
    may replace ``tweet_mode``, ``include_entities``, ``trim_user`` and
    ``include_ext_alt_text``; giving both is a ``TypeError``. ``favorited=None`` means not
    known (→ false). ``missing``, when given, receives the dotted names of fields set to a
    default (see the module docs and :data:`NOT_DERIVABLE`).

    Usage::

        >>> from compat.reshape import tweet_to_v1
        >>> t = tweet_to_v1({"id": "20", "text": "just setting up my twttr",
        ...                  "public_metrics": {"like_count": 7, "retweet_count": 1,
        ...                                     "reply_count": 0, "quote_count": 0}},
        ...                 trim_user=True, favorited=True)
        >>> t["id_str"], t["favorite_count"], t["favorited"], t["user"], t["truncated"]
        ('20', 7, True, {'id': None, 'id_str': None}, False)
    """
    resolved = _options(
        "tweet_to_v1", options, tweet_mode, include_entities, trim_user, include_ext_alt_text
    )
    status = _tweet(
        tweet, _NO_INCLUDES if idx is None else idx, resolved, favorited, missing, 0, ""
    )
    return cast(V1Tweet, status)


def _tweet(
    tweet: Mapping[str, Any],
    idx: Includes,
    options: ReshapeOptions,
    favorited: bool | None,
    missing: set[str] | None,
    depth: int,
    prefix: str,
) -> dict[str, Any]:
    """One v2 post as a v1.1 tweet dict; ``depth`` and ``prefix`` (``"quoted_status."``) say
    where it is nested. Fields are read in the order they always were, so a malformed post
    fails on the same field as before."""
    if type(tweet) is not dict and not isinstance(tweet, Mapping):
        raise MalformedResponse(f"reshape.tweet: expected an object, got {type(tweet).__name__}")
    get = tweet.get
    tid = get("id")
    if not isinstance(tid, str) or not tid.isdigit() or not tid.isascii():
        raise MalformedResponse(f"reshape.tweet.id: not a post id: {tid!r:.40}")
    text: Any
    if get("note_tweet"):
        text, ents = _text_and_entities(tweet, tid)
    else:  # _text_and_entities of the common post, inline
        text = get("text")
        ents = get("entities") or _EMPTY
        if not isinstance(text, str):
            raise MalformedResponse(f"reshape.tweet.text: expected a string for post {tid}")
    refs = get("referenced_tweets")
    replied_to, quoted_id, retweeted_id = _references(refs) if refs else _NO_REFERENCES
    # A retweet of a quote is itself a quote in v1.1 (is_quote_status, quoted_status_id), of
    # the post its original quotes; v2 references one level only, so that is the original's.
    original = None
    if retweeted_id is not None:
        original = idx.tweets.get(retweeted_id)
        if quoted_id is None and original is not None:
            original_refs = original.get("referenced_tweets")
            if original_refs:
                quoted_id = _references(original_refs)[1]

    # -- the reply: v2 may name only the parent post, whose author is then the one replied to
    author_id = get("author_id")
    reply_user_id = get("in_reply_to_user_id")
    if reply_user_id is None and replied_to is not None:
        reply_user_id = _author_of(replied_to, idx)
    mentions = ents.get("mentions") or _EMPTY_LIST
    reply_screen_name = (
        None if reply_user_id is None else _screen_name(reply_user_id, mentions, idx)
    )

    attachments = get("attachments") or _EMPTY
    media_keys = attachments.get("media_keys") or _EMPTY_LIST
    urls = ents.get("urls") or _EMPTY_LIST
    # Older v2 answers left the media_key off the media link: recognise it by its form.
    media_link = None
    if media_keys and urls and not any(u.get("media_key") for u in urls):
        media_link = _media_link(urls, tid)

    # -- text: all of it (extended) or cut to 140 with the post's link (compat)
    cut: int | None = None  # where compat mode cut it
    linked = False  # and whether it added the post's link
    shown = text
    if options.extended:
        start, end = _display_range(
            _unescaped(text),
            mentions,
            urls,
            bool(replied_to or reply_user_id),
            quoted_id,
            media_link,
        )
    elif len(text) > _TRUNCATE_AT and _plain_len(text) > _TRUNCATE_AT:
        if retweeted_id is None:
            shown, cut = _truncated_text(text, tid, ents, mentions, urls)
            linked = True
        else:
            shown, cut = _raw_prefix(text, _RT_KEEP) + "…", _RT_KEEP

    # -- author, place, counts
    if author_id is None and missing is None and not options.trim_user:
        user = _USER_TEMPLATE.copy()  # _user(None, ...) inline: no author, nothing to note
        user["entities"] = {"description": {"urls": []}}
    else:
        user = _tweet_user(author_id, idx, options.trim_user, missing, prefix)
    geo_obj = get("geo")
    geo, coordinates, place = _geo(geo_obj, idx) if geo_obj else _NO_GEO
    metrics = get("public_metrics") or _EMPTY
    created = get("created_at")

    # -- entities, and media as extended_entities
    entities: dict[str, Any] | None = None
    media: list[dict[str, Any]] = []
    if options.include_entities:
        entities, url_by_key = _entities(ents, mentions, urls, idx, media_link)
        if not media_keys and url_by_key:
            media_keys = list(url_by_key)  # attachments not asked for: the links name the media
        if media_keys:
            if media_link is not None:
                for key in media_keys:
                    url_by_key.setdefault(key, media_link)
            media = _media_entities(
                media_keys,
                url_by_key,
                idx,
                options.include_ext_alt_text,
                missing,
                prefix + "entities.",
            )
        if options.v2_extras:
            poll_ids = attachments.get("poll_ids")
            if poll_ids:
                entities["polls"] = _polls(poll_ids, idx)
        if cut is not None:
            media = _cut_entities(entities, media, cut, tid, linked)
        if media:
            entities["media"] = [_photo_entity(media[0])]
    # v1.1 sent possibly_sensitive(_appealable) only for a post with a link or media in its
    # own text (a retweet's "RT @name: …" usually has none); without v2 entities, a t.co link
    # in the text tells.
    if cut is None:
        sensitive_keys = bool(urls) or bool(media_keys)
    else:
        sensitive_keys = linked or any(_ends_by([u.get("start"), u.get("end")], cut) for u in urls)
    if not sensitive_keys and "entities" not in tweet:
        sensitive_keys = "https://t.co/" in shown

    # -- the quoted and reposted posts; a quoted post never embeds another (v1.1 gave only its
    # quoted_status_id), nor does a retweet (its original carries the quoted post)
    quoted_status = retweeted_status = None
    if quoted_id is not None and retweeted_id is None:
        quoted_status = _embedded(
            quoted_id, "quoted_status", MAX_DEPTH, tid, idx, options, missing, depth, prefix
        )
    if retweeted_id is not None:
        retweeted_status = _embedded(
            retweeted_id, "retweeted_status", depth + 1, tid, idx, options, missing, depth, prefix
        )
    permalink = None
    if quoted_id is not None and options.extended:
        # A retweet's link to the quoted post is in its original's text.
        quoting = urls if original is None else _text_and_entities(original, tid)[1].get("urls")
        permalink = _permalink(quoted_id, quoting or _EMPTY_LIST, idx, missing, prefix)
    withheld = get("withheld")
    withheld_codes = withheld.get("country_codes") if withheld else None

    # -- the v1.1 object: this shape's key set in v1.1's order, filled in
    shape = (
        options.extended,
        entities is not None,
        bool(media),
        quoted_id is not None,
        quoted_status is not None,
        retweeted_status is not None,
        bool(withheld_codes),
        sensitive_keys,
        options.v2_extras,
    )
    template = _TWEET_TEMPLATES.get(shape)
    if template is None:
        template = _tweet_template(shape)
    out = template.copy()
    number = int(tid)
    if created is not None:
        out["created_at"] = format_created_at(created)
    elif len(tid) <= 20 and number:  # what created_at_from_id checks beyond _tweet's checks
        out["created_at"] = _snowflake_time(number)
    else:
        out["created_at"] = created_at_from_id(tid)  # raises, with its message
    out["id"] = number
    out["id_str"] = tid
    if options.extended:
        out["full_text"] = shown
        out["display_text_range"] = [start, end]
    else:
        out["text"] = shown
        out["truncated"] = linked
    if entities is not None:
        out["entities"] = entities
        if media:
            out["extended_entities"] = {"media": media}
    source = get("source")
    if source:
        out["source"] = _source(source)
    else:
        out["source"] = ""  # _source's answer for none
    if replied_to is not None or reply_user_id is not None:
        _put_reply(out, replied_to, reply_user_id, reply_screen_name)
    out["user"] = user
    if geo is not None:
        out["geo"] = geo
        out["coordinates"] = coordinates
    if place is not None:
        out["place"] = place
    if quoted_id is not None:
        out["is_quote_status"] = True
        out["quoted_status_id"] = _id_int(quoted_id, "referenced_tweets.id")
        out["quoted_status_id_str"] = quoted_id
        if permalink is not None:
            out["quoted_status_permalink"] = permalink
        if quoted_status is not None:
            out["quoted_status"] = quoted_status
    if retweeted_status is not None:
        out["retweeted_status"] = retweeted_status
    if metrics:
        _put_counts(out, metrics, options.v2_extras)
    if favorited:
        out["favorited"] = True
    if sensitive_keys:
        out["possibly_sensitive"] = get("possibly_sensitive", False)
    out["lang"] = get("lang")
    if withheld_codes:
        out["withheld_in_countries"] = list(withheld_codes)
    if missing is not None:
        _tweet_missing(tweet, metrics, favorited, options, sensitive_keys, missing, prefix)
    return out


_NO_REFERENCES: tuple[None, None, None] = (None, None, None)
_NO_GEO: tuple[None, None, None] = (None, None, None)


def _text_and_entities(tweet: Mapping[str, Any], tid: str) -> tuple[str, Mapping[str, Any]]:
    """The post's text and its entities: a long post's (``note_tweet``) win over the short."""
    get = tweet.get
    note = get("note_tweet")
    if note:
        text = note.get("text")
        ents = note.get("entities")
        if ents is None and isinstance(text, str):
            ents = _entities_within(get("entities") or _EMPTY, get("text"), text)
        ents = ents or _EMPTY
    else:
        text = get("text")
        ents = get("entities") or _EMPTY
    if not isinstance(text, str):
        raise MalformedResponse(f"reshape.tweet.text: expected a string for post {tid}")
    return text, ents


def _references(refs: Any) -> tuple[Any, Any, Any]:
    """The ids of the posts this one replies to, quotes and reposts (each ``None`` if not)."""
    replied_to = quoted_id = retweeted_id = None
    for ref in refs:
        kind = ref.get("type")
        if kind == "replied_to":
            replied_to = ref.get("id")
        elif kind == "quoted":
            quoted_id = ref.get("id")
        elif kind == "retweeted":
            retweeted_id = ref.get("id")
    return replied_to, quoted_id, retweeted_id


_SOURCES: dict[str, str] = {}


def _source(name: Any) -> str:
    """v1.1's ``source`` anchor for v2's app name (memoised, bounded: names repeat). ``""``
    when v2 sent none, as it no longer does for most posts: v1.1 always had a string there and
    tweepy's Status.parse does ``'<' in source``."""
    if not name:
        return ""
    if type(name) is not str:
        raise MalformedResponse(f"reshape.tweet.source: expected a string, got {name!r:.40}")
    done = _SOURCES.get(name)
    if done is None:
        if name.startswith("<a "):
            done = name  # already v1.1's anchor
        else:
            url = html.escape(SOURCE_URLS.get(name, UNKNOWN_SOURCE_URL))
            done = f'<a href="{url}" rel="nofollow">{html.escape(name, quote=False)}</a>'
        if len(_SOURCES) >= _MEMO_SIZE:
            _SOURCES.clear()
        _SOURCES[name] = done
    return done


def _author_of(post_id: Any, idx: Includes) -> Any:
    parent = idx.tweets.get(post_id)
    return None if parent is None else parent.get("author_id")


def _screen_name(user_id: Any, mentions: Any, idx: Includes) -> Any:
    """The username of the user replied to: from includes.users, else from the mentions."""
    user = idx.users.get(user_id)
    if user is not None:
        return user.get("username")
    for m in mentions:
        if m.get("id") == user_id:
            return m.get("username")
    return None


def _truncated_text(
    text: str, tid: str, ents: Mapping[str, Any], mentions: Any, urls: Any
) -> tuple[str, int]:
    """Compat mode's text of a post over 140 and where it was cut: "… " and the post's link
    after as much of the text as fits in 140 code points in all (86 for today's 19-digit ids),
    cut before any entity crossing that point and without trailing space, as v1.1 cut it.

    v1.1 kept 115 code points and a 23-character t.co link; v2 names no t.co link, and a
    23-character stand-in would lead nowhere: the length, the link as the last url ending the
    text, and a working link are kept, the cut comes earlier."""
    link = _WEB_STATUS + tid
    cut = _TRUNCATE_AT - 2 - len(link)
    for u in (*urls, *mentions, *(ents.get("hashtags") or ()), *(ents.get("cashtags") or ())):
        s, e = u.get("start"), u.get("end")
        if isinstance(s, int) and isinstance(e, int) and s < cut < e:
            cut = s
    kept = _raw_prefix(text, cut).rstrip()
    return f"{kept}… {link}", _plain_len(kept)


# v1.1 and v2 send the text HTML-escaped but count its length and every index in the
# unescaped characters (an "&amp;" is one): lengths and cuts are taken that way.
_ESCAPES = ("&amp;", "&lt;", "&gt;")


def _plain_len(text: str) -> int:
    """The length of ``text`` unescaped, in code points."""
    if "&" not in text:
        return len(text)
    return len(text) - sum((len(e) - 1) * text.count(e) for e in _ESCAPES)


def _raw_prefix(text: str, count: int) -> str:
    """The start of ``text`` that unescapes to its first ``count`` code points."""
    if "&" not in text:
        return text[:count]
    at = 0
    for _ in range(count):
        if at >= len(text):
            break
        if text[at] == "&":
            at += next((len(e) for e in _ESCAPES if text.startswith(e, at)), 1)
        else:
            at += 1
    return text[:at]


def _unescaped(text: str) -> str:
    if "&" not in text:
        return text
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _tweet_user(
    author_id: Any, idx: Includes, trim_user: bool, missing: set[str] | None, prefix: str
) -> dict[str, Any]:
    """The author as a v1.1 user: only the ids with ``trim_user``, a placeholder when v2 did
    not include it."""
    if trim_user:
        trimmed = {"id": _id_int(author_id, "author_id"), "id_str": author_id}
        if author_id is None and missing is not None:
            missing.add(prefix + "user")
        return trimmed
    author = idx.users.get(author_id) if author_id is not None else None
    if author is None:
        if missing is not None:
            missing.add(prefix + "user")
        return _user(None, missing, author_id, prefix + "user.")
    return _user(author, missing, None, prefix + "user.")


def _geo(
    geo: Mapping[str, Any], idx: Includes
) -> tuple[dict[str, Any] | None, dict[str, Any] | None, dict[str, Any] | None]:
    """v1.1's ``geo`` (lat, lon), ``coordinates`` (lon, lat) and ``place`` of a v2 ``geo``."""
    point = geo.get("coordinates")
    located = coordinates = None
    if point and point.get("type") == "Point":
        lon_lat = point.get("coordinates")
        if isinstance(lon_lat, list) and len(lon_lat) == 2 and all(map(_finite, lon_lat)):
            coordinates = {"type": "Point", "coordinates": [lon_lat[0], lon_lat[1]]}
            located = {"type": "Point", "coordinates": [lon_lat[1], lon_lat[0]]}
    return located, coordinates, _place(geo.get("place_id"), idx)


def _embedded(
    ref_id: Any,
    key: str,
    child_depth: int,
    tid: str,
    idx: Includes,
    options: ReshapeOptions,
    missing: set[str] | None,
    depth: int,
    prefix: str,
) -> dict[str, Any] | None:
    """The quoted/reposted post from includes.tweets, reshaped (or None, noted missing)."""
    found = idx.tweets.get(ref_id)
    if found is None:
        log.debug("reshape.%s_not_included %s -> %s", key, tid, ref_id)
        if missing is not None:
            missing.add(prefix + key)
        return None
    if depth >= MAX_DEPTH:
        return None
    return _tweet(found, idx, options, None, missing, child_depth, prefix + key + ".")


def _put_reply(
    out: dict[str, Any], replied_to: Any, reply_user_id: Any, reply_screen_name: Any
) -> None:
    if replied_to is not None:
        out["in_reply_to_status_id"] = _id_int(replied_to, "referenced_tweets.id")
        out["in_reply_to_status_id_str"] = replied_to
    if reply_user_id is not None:
        out["in_reply_to_user_id"] = _id_int(reply_user_id, "in_reply_to_user_id")
        out["in_reply_to_user_id_str"] = reply_user_id
        out["in_reply_to_screen_name"] = reply_screen_name


def _put_counts(out: dict[str, Any], metrics: Mapping[str, Any], v2_extras: bool) -> None:
    out["retweet_count"] = metrics.get("retweet_count", 0)
    out["favorite_count"] = metrics.get("like_count", 0)
    if v2_extras:
        out["reply_count"] = metrics.get("reply_count", 0)
        out["quote_count"] = metrics.get("quote_count", 0)


_TWEET_TEMPLATES: dict[tuple[bool, ...], dict[str, Any]] = {}


def _tweet_template(shape: tuple[bool, ...]) -> dict[str, Any]:
    """The v1.1 key set, in v1.1's order, with every value at its unknown default."""
    (
        extended,
        has_entities,
        has_media,
        is_quote,
        has_quoted,
        has_retweeted,
        withheld,
        sensitive,
        v2_extras,
    ) = shape
    out: dict[str, Any] = {"created_at": None, "id": None, "id_str": None}
    if extended:
        out.update(full_text=None, truncated=False, display_text_range=None)
    else:
        out.update(text=None, truncated=False)
    if has_entities:
        out["entities"] = None
        if has_media:
            out["extended_entities"] = None
    out.update(
        source=None,
        in_reply_to_status_id=None,
        in_reply_to_status_id_str=None,
        in_reply_to_user_id=None,
        in_reply_to_user_id_str=None,
        in_reply_to_screen_name=None,
        user=None,
        geo=None,
        coordinates=None,
        place=None,
        contributors=None,
    )
    if has_retweeted:
        out["retweeted_status"] = None
    out["is_quote_status"] = False
    if is_quote:
        out.update(quoted_status_id=None, quoted_status_id_str=None)
        if extended:
            out["quoted_status_permalink"] = None
        if has_quoted:
            out["quoted_status"] = None
    out.update(retweet_count=0, favorite_count=0)
    if v2_extras:
        out.update(reply_count=0, quote_count=0)
    out.update(favorited=False, retweeted=False)
    if sensitive:
        out.update(possibly_sensitive=False, possibly_sensitive_appealable=False)
    out["lang"] = None
    if withheld:
        out["withheld_in_countries"] = None
    _TWEET_TEMPLATES[shape] = out
    return out


_TWEET_SOURCES = (("lang", "lang"), ("source", "source"))
_METRICS = (("like_count", "favorite_count"), ("retweet_count", "retweet_count"))
_EXTRA_METRICS = (("reply_count", "reply_count"), ("quote_count", "quote_count"))
# v2 leaves these out when they do not apply, so their absence means "none" only when the
# post was fetched with V2_QUERY; conversation_id (always sent when asked for) tells that.
_AMBIGUOUS = (
    ("referenced_tweets", ("in_reply_to_status_id", "is_quote_status")),
    ("in_reply_to_user_id", ("in_reply_to_user_id", "in_reply_to_screen_name")),
    ("geo", ("geo", "coordinates", "place")),
)


class _TweetNames(NamedTuple):
    """The names _tweet_missing adds, with their prefix (made once per prefix)."""

    sources: tuple[tuple[str, str], ...]
    metrics: tuple[tuple[str, str], ...]
    extra_metrics: tuple[tuple[str, str], ...]
    favorited: str
    never: tuple[str, ...]
    possibly_sensitive: str
    appealable: str
    entities: str
    ambiguous: tuple[tuple[str, tuple[str, ...]], ...]


_TWEET_NAMES: dict[str, _TweetNames] = {}


def _tweet_names(prefix: str) -> _TweetNames:
    names = _TWEET_NAMES.get(prefix)
    if names is None:
        names = _TweetNames(
            tuple((source, prefix + name) for source, name in _TWEET_SOURCES),
            tuple((source, prefix + name) for source, name in _METRICS),
            tuple((source, prefix + name) for source, name in _EXTRA_METRICS),
            prefix + "favorited",
            tuple(prefix + name for name in _TWEET_NOT_DERIVABLE),
            prefix + "possibly_sensitive",
            prefix + "possibly_sensitive_appealable",
            prefix + "entities",
            tuple((source, tuple(prefix + n for n in names)) for source, names in _AMBIGUOUS),
        )
        if len(_TWEET_NAMES) < _MEMO_SIZE:
            _TWEET_NAMES[prefix] = names
    return names


def _tweet_missing(
    tweet: Mapping[str, Any],
    metrics: Mapping[str, Any],
    favorited: bool | None,
    options: ReshapeOptions,
    sensitive_keys: bool,
    missing: set[str],
    prefix: str,
) -> None:
    """Add the emitted fields of this post that hold a default (see :data:`NOT_DERIVABLE`)."""
    names = _tweet_names(prefix)
    for source, name in names.sources:
        if source not in tweet:
            missing.add(name)
    for source, name in names.metrics:
        if source not in metrics:
            missing.add(name)
    if options.v2_extras:
        for source, name in names.extra_metrics:
            if source not in metrics:
                missing.add(name)
    if favorited is None:
        missing.add(names.favorited)
    missing.update(names.never)
    if sensitive_keys:
        if "possibly_sensitive" not in tweet:
            missing.add(names.possibly_sensitive)
        missing.add(names.appealable)
    if "conversation_id" not in tweet:
        if options.include_entities and "entities" not in tweet:
            missing.add(names.entities)
        for source, ambiguous in names.ambiguous:
            if source not in tweet:
                missing.update(ambiguous)


def page_to_v1(
    payload: Mapping[str, Any],
    *,
    tweet_mode: TweetMode = _TWEET_MODE_DEFAULT,
    include_entities: bool = _INCLUDE_ENTITIES_DEFAULT,
    trim_user: bool = _TRIM_USER_DEFAULT,
    include_ext_alt_text: bool = _INCLUDE_EXT_ALT_TEXT_DEFAULT,
    favorited: bool | None = None,
    missing: set[str] | None = None,
    options: ReshapeOptions | None = None,
) -> list[V1Tweet]:
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
    resolved = _options(
        "page_to_v1", options, tweet_mode, include_entities, trim_user, include_ext_alt_text
    )
    if not isinstance(payload, Mapping):
        raise MalformedResponse(f"reshape.page: expected an object, got {type(payload).__name__}")
    data = payload.get("data")
    if data is None:
        return []
    if isinstance(data, Mapping):
        data = [data]
    elif not isinstance(data, list):
        raise MalformedResponse(f"reshape.page.data: expected a list, got {type(data).__name__}")
    idx = index_includes(payload.get("includes"))
    statuses = [_tweet(tweet, idx, resolved, favorited, missing, 0, "") for tweet in data]
    return cast("list[V1Tweet]", statuses)


# -- the companion calls: users with their latest status, search metadata ---------------------


def user_with_status(
    user: Mapping[str, Any],
    idx: Includes | None = None,
    *,
    status: bool = True,
    with_email: bool = False,
    email: str | None = None,
    options: ReshapeOptions | None = None,
    missing: set[str] | None = None,
) -> dict[str, Any]:
    """A v2 user as the v1.1 user object of ``users/show``, ``users/lookup`` and
    ``account/verify_credentials``: :func:`user_to_v1`'s keys with ``status`` (the user's
    latest post, without its ``user``, as v1.1 embedded it) after ``lang``, as in v1.1's
    examples (developer.twitter.com v1.1 "GET users/show" and "GET account/verify_credentials"
    example responses). ``status=False`` (``skip_status``) or a user whose latest post v2
    did not include leaves ``status`` out, as v1.1 did for a user without posts.
    ``with_email`` (``include_email``) adds ``email`` last: the address, or ``None`` when X
    sent none (v1.1: "If the user does not have an email address on their account, or if the email
    address is not verified, null will be returned").

    Usage::

        >>> from compat.reshape import index_includes, user_with_status
        >>> user = {"id": "12", "name": "jack", "username": "jack", "most_recent_tweet_id": "20"}
        >>> idx = index_includes({"tweets": [{"id": "20", "text": "just setting up my twttr",
        ...                                   "author_id": "12"}]})
        >>> out = user_with_status(user, idx)
        >>> out["screen_name"], out["status"]["id_str"], "user" in out["status"]
        ('jack', '20', False)
        >>> list(out).index("status") == list(out).index("lang") + 1
        True
        >>> "status" in user_with_status(user, idx, status=False)
        False
    """
    base = dict(_user(user, missing, None, "user."))
    recent = user.get("most_recent_tweet_id") or user.get("most_recent_post_id")
    embedded: dict[str, Any] | None = None
    if status and isinstance(recent, str) and idx is not None:
        post = idx.tweets.get(recent)
        if post is not None:
            resolved = options if options is not None else ReshapeOptions()
            embedded = dict(_tweet(post, idx, resolved, None, missing, 0, "status."))
            embedded.pop("user", None)
    out: dict[str, Any] = {}
    for key, value in base.items():
        out[key] = value
        if key == "lang" and embedded is not None:
            out["status"] = embedded
    if with_email:
        out["email"] = email
    return out


def search_metadata(
    statuses: list[Mapping[str, Any]],
    *,
    quoted_query: str,
    count: int,
    since_id: str | None,
    result_type: str,
    include_entities: bool,
    completed_in: float,
    more: bool,
) -> dict[str, Any]:
    """v1.1's ``search_metadata`` for one ``search/tweets`` answer, keys in the order of
    v1.1's example response (developer.twitter.com v1.1 "GET search/tweets"): ``completed_in``
    (seconds), ``max_id``/``max_id_str`` (the newest status returned, 0 for none),
    ``next_results`` (the query string of the next older page: ``max_id`` = the oldest id
    − 1; only when ``more`` results may follow, as v1.1 left it out on the last page),
    ``query`` (``q`` URL-encoded, as given: ``quoted_query``), ``refresh_url`` (the query
    string for newer results: ``since_id`` = ``max_id``), ``count``,
    ``since_id``/``since_id_str`` (the one asked for, else 0).

    Usage::

        >>> from compat.reshape import search_metadata
        >>> meta = search_metadata([{"id": 30}, {"id": 20}], quoted_query="%23freebandnames",
        ...                        count=2, since_id=None, result_type="mixed",
        ...                        include_entities=True, completed_in=0.035, more=True)
        >>> meta["max_id_str"], meta["query"]
        ('30', '%23freebandnames')
        >>> meta["next_results"]
        '?max_id=19&q=%23freebandnames&count=2&include_entities=1&result_type=mixed'
        >>> meta["refresh_url"]
        '?since_id=30&q=%23freebandnames&result_type=mixed&include_entities=1'
    """
    ids = [int(s["id"]) for s in statuses]
    newest = max(ids) if ids else 0
    quoted = quoted_query
    entities = "1" if include_entities else "0"
    out: dict[str, Any] = {"completed_in": round(completed_in, 3), "max_id": newest}
    out["max_id_str"] = str(newest)
    if more and ids:
        out["next_results"] = (
            f"?max_id={min(ids) - 1}&q={quoted}&count={count}"
            f"&include_entities={entities}&result_type={result_type}"
        )
    out["query"] = quoted
    out["refresh_url"] = (
        f"?since_id={newest}&q={quoted}&result_type={result_type}&include_entities={entities}"
    )
    out["count"] = count
    since = int(since_id) if since_id is not None else 0
    out["since_id"] = since
    out["since_id_str"] = str(since)
    return out
