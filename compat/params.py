"""Validation of caller input, done before anything goes near a URL.

Every function returns the canonical form (ids as ASCII decimal ``str``) or raises
:class:`~compat.errors.InvalidParameter` naming the parameter.

Usage::

    >>> from compat.params import snowflake
    >>> snowflake(1050118621198921728, "id")
    '1050118621198921728'
    >>> snowflake("12/../", "id")
    Traceback (most recent call last):
    ...
    compat.errors.InvalidParameter: id: must be 1 to 19 ASCII digits (an int64 id), got '12/../'
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from types import MappingProxyType

from compat._v1types import TweetMode
from compat.errors import InvalidParameter

__all__ = [
    "COMMON_PARAMETERS",
    "IGNORED_PARAMETERS",
    "INT64_MAX",
    "LEGACY_ENDPOINTS",
    "LegacyEndpoint",
    "count",
    "flag",
    "optional_snowflake",
    "screen_name",
    "snowflake",
    "tweet_mode",
]

INT64_MAX = 2**63 - 1
# fullmatch + explicit ASCII class: `\d` and `$` would let non-ASCII digits and "\n" through.
_DIGITS = re.compile(r"[0-9]{1,19}")
_SCREEN_NAME = re.compile(r"[A-Za-z0-9_]{1,15}")


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def snowflake(value: object, parameter: str) -> str:
    """A post or user id: ``int`` or ASCII decimal ``str`` of 1–19 digits within int64, > 0."""
    if value is None:
        raise InvalidParameter(parameter, "is missing")
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise InvalidParameter(
            parameter, f"must be an int or a string of digits, got {type(value).__name__}"
        )
    text = str(value) if isinstance(value, int) else value
    if not _DIGITS.fullmatch(text):
        raise InvalidParameter(
            parameter, f"must be 1 to 19 ASCII digits (an int64 id), got {_shown(value)}"
        )
    number = int(text)
    if number <= 0 or number > INT64_MAX:
        raise InvalidParameter(parameter, f"must be between 1 and {INT64_MAX}, got {text}")
    return str(number)


def optional_snowflake(value: object, parameter: str) -> str | None:
    """Like :func:`snowflake`, but ``None`` (not given) passes through."""
    return None if value is None else snowflake(value, parameter)


def count(value: object, parameter: str = "count", *, low: int = 1, high: int = 200) -> int:
    """v1.1's ``count``: an int (or digit string, as query strings carry it) from 1 to 200."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise InvalidParameter(parameter, f"must be an int, got {type(value).__name__}")
    if isinstance(value, str):
        if not re.fullmatch(r"[0-9]{1,6}", value):
            raise InvalidParameter(parameter, f"must be a number, got {_shown(value)}")
        value = int(value)
    if not low <= value <= high:
        raise InvalidParameter(parameter, f"must be between {low} and {high}, got {value}")
    return value


def screen_name(value: object, parameter: str = "screen_name") -> str:
    """A handle: 1–15 of ``A-Z a-z 0-9 _``, an optional leading ``@`` dropped."""
    if not isinstance(value, str):
        raise InvalidParameter(parameter, f"must be a string, got {type(value).__name__}")
    name = value[1:] if value.startswith("@") else value
    if not _SCREEN_NAME.fullmatch(name):
        raise InvalidParameter(
            parameter, f"must be 1 to 15 letters, digits or '_', got {_shown(value)}"
        )
    return name


def tweet_mode(value: object) -> TweetMode:
    """v1.1's ``tweet_mode``: ``"compat"`` (default) or ``"extended"``."""
    if value is None or value == "compat":
        return "compat"
    if value == "extended":
        return "extended"
    raise InvalidParameter("tweet_mode", f"must be 'compat' or 'extended', got {_shown(value)}")


def flag(value: object, name: str) -> bool:
    """v1.1 booleans: bools, 0/1, and the strings ``true/t/1/yes`` and ``false/f/0/no/""``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise InvalidParameter(name, f"must be true or false, got {_shown(value)}")


_TRUE = frozenset({"true", "t", "1", "yes"})
_FALSE = frozenset({"false", "f", "0", "no", ""})

# -- the v1.1 endpoints compat serves, as data ------------------------------------------------

#: Parameters every served v1.1 endpoint took that shape the tweets returned.
COMMON_PARAMETERS: frozenset[str] = frozenset(
    {"include_entities", "tweet_mode", "trim_user", "include_ext_alt_text"}
)

#: Legacy v1.1 parameters compat accepts and ignores, each with the reason it is logged with.
IGNORED_PARAMETERS: dict[str, str] = {
    "include_card_uri": "v2 has no cards",
    "include_ext_edit_control": "v2 always sends edit_history_tweet_ids",
    "include_my_retweet": "v2 cannot say whether you retweeted a post",
    "include_ext_media_color": "v2 has no media colours",
    "include_ext_media_availability": "v2 has no media availability",
    "include_rts": "favorites were never filtered by retweet",
    "skip_status": "favorites always return statuses",
    "cards_platform": "v2 has no cards",
    "callback": "JSONP was never supported for v2 and is ignored",
    "stringify_ids": "ids are always sent as both id and id_str",
}


def _ignored(**changes: str | None) -> dict[str, str]:
    """:data:`IGNORED_PARAMETERS` with per-endpoint reasons changed (``None``: the parameter is
    a real one of that endpoint, not ignored)."""
    out = {**IGNORED_PARAMETERS, **{k: v for k, v in changes.items() if v is not None}}
    for name in [k for k, v in changes.items() if v is None]:
        out.pop(name, None)
    return out


@dataclasses.dataclass(frozen=True)
class LegacyEndpoint:
    """One v1.1 endpoint compat serves: the HTTP ``methods`` it took (``method``: the first,
    for callers that know only one), the ``parameters`` it took (besides
    :data:`COMMON_PARAMETERS` and the ``ignored`` ones); ``extras`` are compat's own keywords
    for the drop-in functions (never read from a legacy request); ``ignored``: the v1.1
    parameters accepted and ignored, each with the reason logged (default:
    :data:`IGNORED_PARAMETERS`)."""

    name: str
    method: str
    parameters: frozenset[str]
    extras: frozenset[str] = frozenset()
    methods: frozenset[str] = frozenset()
    ignored: Mapping[str, str] = dataclasses.field(
        default_factory=lambda: MappingProxyType(dict(IGNORED_PARAMETERS))
    )

    def __post_init__(self) -> None:
        if not self.methods:
            object.__setattr__(self, "methods", frozenset({self.method}))
        if not isinstance(self.ignored, MappingProxyType):
            object.__setattr__(self, "ignored", MappingProxyType(dict(self.ignored)))

    @property
    def accepted(self) -> frozenset[str]:
        """Every parameter a legacy request may carry for this endpoint."""
        return self.parameters | COMMON_PARAMETERS | frozenset(self.ignored)

    def allows(self, method: str) -> bool:
        """Whether v1.1 served this endpoint for the HTTP ``method``."""
        return method.upper() in self.methods


_USER_READ = frozenset({"user_id", "screen_name", "skip_status"})
_SEARCH = frozenset(
    {
        "q",
        "geocode",
        "lang",
        "locale",
        "result_type",
        "count",
        "until",
        "since_id",
        "max_id",
    }
)

#: The v1.1 endpoints compat serves, by the name the audit uses. Parameters and methods from
#: the v1.1 API reference (developer.twitter.com/en/docs/twitter-api/v1, as recorded in
#: docs/companions.md); ``users/lookup`` and ``statuses/lookup`` took GET and POST.
LEGACY_ENDPOINTS: dict[str, LegacyEndpoint] = {
    "favorites/create": LegacyEndpoint(
        "favorites/create", "POST", frozenset({"id"}), frozenset({"lookup"})
    ),
    "favorites/destroy": LegacyEndpoint(
        "favorites/destroy", "POST", frozenset({"id"}), frozenset({"lookup"})
    ),
    "favorites/list": LegacyEndpoint(
        "favorites/list",
        "GET",
        frozenset({"user_id", "screen_name", "count", "since_id", "max_id"}),
    ),
    "account/verify_credentials": LegacyEndpoint(
        "account/verify_credentials",
        "GET",
        frozenset({"include_email", "skip_status"}),
        ignored=_ignored(skip_status=None),
    ),
    "users/show": LegacyEndpoint(
        "users/show", "GET", _USER_READ, ignored=_ignored(skip_status=None)
    ),
    "users/lookup": LegacyEndpoint(
        "users/lookup",
        "GET",
        _USER_READ,
        methods=frozenset({"GET", "POST"}),
        ignored=_ignored(skip_status=None),
    ),
    "statuses/show": LegacyEndpoint(
        "statuses/show",
        "GET",
        frozenset({"id"}),
        ignored=_ignored(include_rts="statuses/show returns the one status asked for"),
    ),
    "statuses/lookup": LegacyEndpoint(
        "statuses/lookup",
        "GET",
        frozenset({"id", "map"}),
        methods=frozenset({"GET", "POST"}),
        ignored=_ignored(include_rts="statuses/lookup returns the statuses asked for"),
    ),
    "statuses/user_timeline": LegacyEndpoint(
        "statuses/user_timeline",
        "GET",
        frozenset(
            {
                "user_id",
                "screen_name",
                "since_id",
                "max_id",
                "count",
                "exclude_replies",
                "include_rts",
            }
        ),
        ignored=_ignored(include_rts=None, contributor_details="v2 has no contributors"),
    ),
    "search/tweets": LegacyEndpoint(
        "search/tweets",
        "GET",
        _SEARCH,
        ignored=_ignored(include_rts="search never filtered by include_rts"),
    ),
    "application/rate_limit_status": LegacyEndpoint(
        "application/rate_limit_status", "GET", frozenset({"resources"})
    ),
}
