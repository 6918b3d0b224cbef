"""The v1.1 tweet and user objects compat emits, as TypedDict classes: the one list of their keys.

:mod:`compat.reshape` derives ``TWEET_KEYS`` and ``USER_KEYS`` from these classes and returns
them, and tests/reshape checks schemas/v1.1 against them, so a key added in one place and not
the others fails. Annotate legacy code with them and mypy catches a misspelt key.

Python 3.10 has no ``typing.NotRequired``: keys present only when they apply sit in
``total=False`` classes, and the classes alternate only where v1.1's key order does, so each
class's ``__annotations__`` keeps v1.1's order (inherited keys first). Pure types: nothing
here imports from compat.

Usage::

    >>> from compat._v1types import V1Tweet, V1User
    >>> def likes(status: V1Tweet) -> int:
    ...     return status["favorite_count"]  # status["favorit_count"]: a mypy error
    >>> list(V1Tweet.__annotations__)[:4]
    ['created_at', 'id', 'id_str', 'text']
    >>> "quoted_status" in V1Tweet.__optional_keys__, "user" in V1Tweet.__required_keys__
    (True, True)
    >>> list(V1User.__annotations__)[:4], sorted(V1User.__optional_keys__)
    (['id', 'id_str', 'name', 'screen_name'], ['withheld_in_countries'])
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict

__all__ = ["TweetMode", "V1Tweet", "V1User"]

TweetMode = Literal["compat", "extended"]
"""v1.1's ``tweet_mode``: ``"compat"`` (``text``, cut at 140) or ``"extended"`` (``full_text``)."""


class _V1UserBase(TypedDict):
    id: int | None
    id_str: str | None
    name: str | None
    screen_name: str | None
    location: str | None
    description: str | None
    url: str | None
    entities: dict[str, Any]
    protected: bool
    followers_count: int
    friends_count: int
    listed_count: int
    created_at: str
    favourites_count: int
    utc_offset: None
    time_zone: None
    geo_enabled: bool
    verified: bool
    statuses_count: int
    lang: None
    contributors_enabled: bool
    is_translator: bool
    is_translation_enabled: bool
    profile_background_color: None
    profile_background_image_url: None
    profile_background_image_url_https: None
    profile_background_tile: bool
    profile_image_url: str | None
    profile_image_url_https: str | None
    profile_banner_url: None
    profile_link_color: None
    profile_sidebar_border_color: None
    profile_sidebar_fill_color: None
    profile_text_color: None
    profile_use_background_image: bool
    has_extended_profile: bool
    default_profile: bool
    default_profile_image: bool
    following: None
    follow_request_sent: None
    notifications: None
    translator_type: str


class V1User(_V1UserBase, total=False):
    """A v1.1 user object as statuses carried it from 2016 on: every key of the base is always
    there (``None`` where v2 cannot say); ``withheld_in_countries`` only for a withheld user.

    With ``trim_user=True`` a tweet's ``user`` holds only ``id`` and ``id_str``.
    """

    withheld_in_countries: list[str]


class _V1TweetIds(TypedDict):
    created_at: str
    id: int
    id_str: str


class _V1TweetText(_V1TweetIds, total=False):
    text: str  # tweet_mode="compat"
    full_text: str  # tweet_mode="extended"


class _V1TweetTruncated(_V1TweetText):
    truncated: bool


class _V1TweetEntities(_V1TweetTruncated, total=False):
    display_text_range: list[int]  # tweet_mode="extended"
    entities: dict[str, Any]  # unless include_entities=False
    extended_entities: dict[str, Any]  # posts with media, unless include_entities=False


class _V1TweetBody(_V1TweetEntities):
    source: str
    in_reply_to_status_id: int | None
    in_reply_to_status_id_str: str | None
    in_reply_to_user_id: int | None
    in_reply_to_user_id_str: str | None
    in_reply_to_screen_name: str | None
    user: V1User
    geo: dict[str, Any] | None
    coordinates: dict[str, Any] | None
    place: dict[str, Any] | None
    contributors: None


class _V1TweetRetweet(_V1TweetBody, total=False):
    retweeted_status: V1Tweet  # retweets whose original the response included


class _V1TweetQuote(_V1TweetRetweet):
    is_quote_status: bool


class _V1TweetQuoted(_V1TweetQuote, total=False):
    quoted_status_id: int  # quotes, and retweets of quotes
    quoted_status_id_str: str
    quoted_status_permalink: dict[str, Any]  # the same, tweet_mode="extended"
    quoted_status: V1Tweet  # quotes whose post the response included


class _V1TweetCounts(_V1TweetQuoted):
    retweet_count: int
    favorite_count: int


class _V1TweetV2Counts(_V1TweetCounts, total=False):
    reply_count: int  # ReshapeOptions(v2_extras=True) only: not in standard v1.1
    quote_count: int


class _V1TweetFlags(_V1TweetV2Counts):
    favorited: bool
    retweeted: bool


class _V1TweetSensitive(_V1TweetFlags, total=False):
    possibly_sensitive: bool  # posts with a link or media in their text
    possibly_sensitive_appealable: bool


class _V1TweetLang(_V1TweetSensitive):
    lang: str | None


class V1Tweet(_V1TweetLang, total=False):
    """A v1.1 tweet (status) object as ``favorites/list`` and ``favorites/create`` gave it.

    Always there: the keys of the total base classes. Only when they apply, as in v1.1: ``text``
    (compat mode) or ``full_text`` and ``display_text_range`` (extended mode), ``entities``
    and ``extended_entities`` (media), the reposted and quoted post and the quote's ids (and
    permalink, extended mode), ``possibly_sensitive(_appealable)`` (posts with a link or
    media), ``withheld_in_countries`` (withheld posts); ``reply_count``/``quote_count`` only
    with ``ReshapeOptions(v2_extras=True)``.
    """

    withheld_in_countries: list[str]  # withheld posts
