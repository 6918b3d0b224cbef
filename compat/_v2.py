"""What compat knows about X API v2 and the hosted gateway, as data.

The client (:mod:`compat.client`, :mod:`compat.gateway`), the embedded emulator and the audit
all read these tables, so a route or an endpoint name is written down once. Nothing
here does I/O or imports another part of compat.

Sources, per table:

* :data:`ROUTES`: paths, methods and security from X's OpenAPI spec
  (``tests/realdata/x-docs-2026/openapi.json``, v2.167). Limits and prices differ per plan
  and live in :mod:`compat._plans` (``compat/_data/plans.json``).
* :data:`RENAMED_KEYS`: the same spec's renamed response keys.
* :data:`GATEWAY_ROUTES`, :data:`GATEWAY_TIERS`: the gateway's own documentation
  (``shared/realdata/aisa-docs``).

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
    "GATEWAY_TIERS",
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
    calls it, only the emulator serves it); ``auth``: ``"user"`` (user context only) or
    ``"any"`` (app-only bearer tokens too). Limits and prices are per plan:
    :mod:`compat._plans`."""

    endpoint: str
    method: str
    path: str
    schema: str | None
    auth: str = "user"
    #: what the answer's ``data`` holds, for pricing: "post", "user" or None (a write)
    resource: str | None = None

    def url_path(self, **segments: str) -> str:
        """The path with its ``{name}`` segments filled in (values must be already checked)."""
        return self.path.format(**segments)


def _table(*routes: Route) -> Mapping[str, Route]:
    return MappingProxyType({r.endpoint: r for r in routes})


#: Every X API v2 route compat or its emulator speaks, by endpoint name. ``auth``: spec
#: v2.167 lists only user-context security on liked_tweets and liking_users (likes are
#: private since 2024); the lookups also take app-only bearer tokens.
ROUTES: Mapping[str, Route] = _table(
    Route("users_me", "GET", "/2/users/me", "v2/users_me", resource="user"),
    Route("user_by_id", "GET", "/2/users/{id}", "v2/user_lookup", "any", "user"),
    Route(
        "user_by_username",
        "GET",
        "/2/users/by/username/{username}",
        "v2/user_lookup",
        "any",
        "user",
    ),
    Route("tweets", "GET", "/2/tweets", "v2/tweets_lookup", "any", "post"),
    Route("tweet", "GET", "/2/tweets/{id}", None, "any", "post"),
    Route(
        "liked_tweets", "GET", "/2/users/{id}/liked_tweets", "v2/liked_tweets_page", "user", "post"
    ),
    Route("liking_users", "GET", "/2/tweets/{id}/liking_users", None, "user", "user"),
    # The companion reads behind v1.1's verify_credentials, users/*, statuses/* and
    # search/tweets (the legacy-programs issue); spec v2.167 security: user context or bearer.
    Route("users", "GET", "/2/users", "v2/users_lookup", "any", "user"),
    Route("users_by_usernames", "GET", "/2/users/by", "v2/users_lookup", "any", "user"),
    Route("user_tweets", "GET", "/2/users/{id}/tweets", "v2/tweets_page", "any", "post"),
    Route("search_recent", "GET", "/2/tweets/search/recent", "v2/tweets_page", "any", "post"),
    Route("like", "POST", "/2/users/{id}/likes", "v2/like_result"),
    Route("unlike", "DELETE", "/2/users/{id}/likes/{tweet_id}", "v2/like_result"),
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

#: The gateway's write routes, relative to its base URL.
GATEWAY_ROUTES: Mapping[str, Route] = _table(
    Route("gateway_like", "POST", "/twitter/like_twitter", "v2/like_result"),
    Route("gateway_unlike", "POST", "/twitter/unlike_twitter", "v2/like_result"),
)

#: Requests per minute per gateway API key, by tier (api-reference_rate-limits.mdx lines 22-29:
#: "Limits are enforced per API key", line 6). ``None``: Enterprise is "Custom".
GATEWAY_TIERS: Mapping[str, int | None] = MappingProxyType(
    {"free": 60, "starter": 600, "growth": 3000, "enterprise": None}
)


#: Response keys X's 2026 spec (``openapi.json`` v2.167) spells with "post", new name -> the
#: name compat reads: the ``Post`` object's ``referenced_posts``, ``edit_history_post_ids``,
#: ``note_post`` and ``public_metrics.repost_count``; the ``User`` object's ``pinned_post_id``,
#: ``most_recent_post_id`` and ``public_metrics.post_count``; ``Expansions.posts`` (includes).
#: Whether the live API sends them is unverified (no recording does), so answers are accepted
#: in either spelling (:func:`normalise_keys`; the JSON schemas name both).
RENAMED_KEYS: Mapping[str, str] = MappingProxyType(
    {
        "referenced_posts": "referenced_tweets",
        "edit_history_post_ids": "edit_history_tweet_ids",
        "note_post": "note_tweet",
        "repost_count": "retweet_count",
        "pinned_post_id": "pinned_tweet_id",
        "most_recent_post_id": "most_recent_tweet_id",
        "post_count": "tweet_count",
        "posts": "tweets",
    }
)
_RENAMED = frozenset(RENAMED_KEYS)


def _rename(obj: dict[str, object]) -> None:
    """Rename the new keys of one object (and of its ``public_metrics``), in place; a key
    already present under its old name wins and the new one is left as it is."""
    if not _RENAMED.isdisjoint(obj):
        for new in [key for key in obj if key in _RENAMED]:
            old = RENAMED_KEYS[new]
            if old not in obj:
                obj[old] = obj.pop(new)
    metrics = obj.get("public_metrics")
    if isinstance(metrics, dict) and not _RENAMED.isdisjoint(metrics):
        _rename(metrics)


def normalise_keys(payload: dict[str, object]) -> dict[str, object]:
    """``payload`` with the renamed keys of :data:`RENAMED_KEYS` under the names compat reads
    (in place; the same object back): in ``data`` (one object or a list), ``includes`` itself
    (``posts``) and every object listed in ``includes``. A payload in the old spelling is
    returned untouched; ``meta`` and ``errors`` are never changed.

    >>> page = {"data": [{"id": "1", "text": "hi", "referenced_posts": [{"type": "quoted",
    ...                                                                 "id": "2"}],
    ...                   "public_metrics": {"repost_count": 3}}],
    ...         "includes": {"posts": [{"id": "2", "text": "q", "edit_history_post_ids": ["2"]}],
    ...                      "users": [{"id": "9", "public_metrics": {"post_count": 5}}]}}
    >>> page = normalise_keys(page)
    >>> page["data"][0]["referenced_tweets"], page["data"][0]["public_metrics"]
    ([{'type': 'quoted', 'id': '2'}], {'retweet_count': 3})
    >>> page["includes"]["tweets"][0]["edit_history_tweet_ids"], page["includes"]["users"][0]
    (['2'], {'id': '9', 'public_metrics': {'tweet_count': 5}})
    """
    data = payload.get("data")
    for item in data if isinstance(data, list) else [data]:
        if isinstance(item, dict):
            _rename(item)
    includes = payload.get("includes")
    if isinstance(includes, dict):
        if not _RENAMED.isdisjoint(includes):
            _rename(includes)
        for items in includes.values():
            if isinstance(items, list):
                for item in items:
                    if isinstance(item, dict):
                        _rename(item)
    return payload
