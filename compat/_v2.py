"""What compat knows about X API v2 and the hosted gateway, as data.

The client (:mod:`compat.client`, :mod:`compat.gateway`), the embedded emulator and the audit
all read these tables, so a route, a limit or an endpoint name is written down once. Nothing
here does I/O or imports another part of compat.

Sources, per table:

* :data:`ROUTES`: paths and methods from X's OpenAPI spec (``shared/realdata/x-docs-2026/
  openapi.json``, v2.167); the per-user 15-minute limits are the ones compat has served and
  audited since its first version (X's 2023 Likes pages: 75 per lookup, 50 per write), kept
  unchanged here; X's 2026 rate-limit page lists higher lookup limits for some routes
  (``x-api_fundamentals_rate-limits.mdx``), which the plans issue brings in.
* :data:`LIKES_DAY_LIMIT`: "50/15min, 1,000/24hrs" for ``POST /2/users/:id/likes`` and
  ``DELETE /2/users/:id/likes/:tweet_id`` (same rate-limit page), shared by both.
* :data:`GATEWAY_ROUTES`: the gateway's own documentation (``shared/realdata/aisa-docs``).

Usage::

    >>> from compat._v2 import ROUTES
    >>> ROUTES["like"].method, ROUTES["like"].path
    ('POST', '/2/users/{id}/likes')
    >>> ROUTES["liked_tweets"].url_path(id="12")
    '/2/users/12/liked_tweets'
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType

__all__ = [
    "DEFAULT_API_BASE",
    "DEFAULT_GATEWAY_URL",
    "GATEWAY_ROUTES",
    "LIKES_DAY_LIMIT",
    "LIKES_DAY_SHARED",
    "RENAMED_KEYS",
    "ROUTES",
    "V2_ENDPOINTS",
    "WINDOW_15MIN",
    "WINDOW_24H",
    "Route",
]

DEFAULT_API_BASE = "https://api.x.com"
DEFAULT_GATEWAY_URL = "https://api.aisa.one/apis/v1"

WINDOW_15MIN = 15 * 60
WINDOW_24H = 24 * 60 * 60


@dataclasses.dataclass(frozen=True)
class Route:
    """One v2 (or gateway) route: ``endpoint`` is the name every table, log line and
    :class:`~compat.transport.V2Call` uses; ``path`` a template with ``{name}`` segments;
    ``schema`` the JSON schema compat checks a successful answer against (``None``: compat never
    calls it, only the emulator serves it); ``user_limit`` requests per user per
    15 minutes (``None``: not limited per user); ``auth``: ``"user"`` (user context only) or
    ``"any"`` (app-only bearer tokens too)."""

    endpoint: str
    method: str
    path: str
    schema: str | None
    user_limit: int | None = None
    auth: str = "user"
    #: what the answer's ``data`` holds, for pricing: "post", "user" or None (a write)
    resource: str | None = None

    def url_path(self, **segments: str) -> str:
        """The path with its ``{name}`` segments filled in (values must be already checked)."""
        return self.path.format(**segments)


def _table(*routes: Route) -> Mapping[str, Route]:
    return MappingProxyType({r.endpoint: r for r in routes})


#: Every X API v2 route compat or its emulator speaks, by endpoint name.
ROUTES: Mapping[str, Route] = _table(
    Route("users_me", "GET", "/2/users/me", "v2/users_me", 75, resource="user"),
    Route("user_by_id", "GET", "/2/users/{id}", "v2/user_lookup", 75, "any", "user"),
    Route(
        "user_by_username",
        "GET",
        "/2/users/by/username/{username}",
        "v2/user_lookup",
        75,
        "any",
        "user",
    ),
    Route("tweets", "GET", "/2/tweets", "v2/tweets_lookup", 75, "any", "post"),
    Route("tweet", "GET", "/2/tweets/{id}", None, 75, "any", "post"),
    Route(
        "liked_tweets",
        "GET",
        "/2/users/{id}/liked_tweets",
        "v2/liked_tweets_page",
        75,
        "any",
        "post",
    ),
    Route("liking_users", "GET", "/2/tweets/{id}/liking_users", None, 75, resource="user"),
    Route("like", "POST", "/2/users/{id}/likes", "v2/like_result", 50),
    Route("unlike", "DELETE", "/2/users/{id}/likes/{tweet_id}", "v2/like_result", 50),
)

#: The v2 endpoints compat itself calls, in the order reports list them.
V2_ENDPOINTS: tuple[str, ...] = (
    "like",
    "unlike",
    "liked_tweets",
    "tweets",
    "users_me",
    "user_by_username",
)

#: The 24-hour cap per user shared by like and unlike (``x-user-limit-24hour-*``).
LIKES_DAY_LIMIT = 1000
LIKES_DAY_SHARED: frozenset[str] = frozenset({"like", "unlike"})

#: The gateway's write routes, relative to its base URL.
GATEWAY_ROUTES: Mapping[str, Route] = _table(
    Route("gateway_like", "POST", "/twitter/like_twitter", "v2/like_result"),
    Route("gateway_unlike", "POST", "/twitter/unlike_twitter", "v2/like_result"),
)


#: Keys X's 2026 spec (v2.167) renamed, new name -> the name compat reads; the live API's
#: spelling is unverified, so answers are accepted in either (see :func:`normalise_keys`).
RENAMED_KEYS: Mapping[str, str] = MappingProxyType({})


def normalise_keys(payload: dict[str, object]) -> dict[str, object]:
    """``payload`` with the renamed keys of :data:`RENAMED_KEYS` under the names compat reads
    (in place; the same object back). A payload in the old spelling is returned untouched."""
    return payload
