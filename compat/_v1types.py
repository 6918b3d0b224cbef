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
    >>> list(V1User.__annotations__)[:4], V1User.__optional_keys__
    (['id', 'id_str', 'name', 'screen_name'], frozenset())
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict

__all__ = ["TweetMode", "V1Tweet", "V1User"]

TweetMode = Literal["compat", "extended"]
"""v1.1's ``tweet_mode``: ``"compat"`` (``text``, cut at 140) or ``"extended"`` (``full_text``)."""


class V1User(TypedDict):
    """A v1.1 user object: every key is always there (``None`` where v2 cannot say).

    With ``trim_user=True`` a tweet's ``user`` holds only ``id`` and ``id_str``.
    """

    id: int | None
    id_str: str | None
    name: str | None
    screen_name: str | None
    location: str | None
    profile_location: None
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
    is_quote_status: bool
    retweet_count: int
    favorite_count: int
    reply_count: int
    quote_count: int
    favorited: bool
    retweeted: bool
    possibly_sensitive: bool
    possibly_sensitive_appealable: bool
    lang: str | None


class V1Tweet(_V1TweetBody, total=False):
    """A v1.1 tweet (status) object as ``favorites/list`` and ``favorites/create`` gave it.

    Always there: the keys of the total base classes. Only when they apply: ``text``
    (compat mode) or ``full_text`` and ``display_text_range`` (extended mode), ``entities``
    and ``extended_entities`` (media), the quoted/reposted post and ``withheld_in_countries``.
    """

    quoted_status_id: int  # quotes
    quoted_status_id_str: str
    quoted_status: V1Tweet  # quotes whose post the response included
    retweeted_status: V1Tweet  # reposts whose original the response included
    withheld_in_countries: list[str]  # withheld posts
