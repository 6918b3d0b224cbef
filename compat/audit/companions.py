"""The v1.1 calls around favorites: which compat serves, which fail on the retired API.

compat serves the v1.1 endpoints that are keys of :data:`compat.params.LEGACY_ENDPOINTS`
(read at every call of :func:`served`, so an endpoint the core adds is served here too); every
other v1.1 endpoint a legacy favorites program typically calls is refused by v2-only access
(403, code 453: "You currently have access to a subset of X API V2 endpoints and limited v1.1
endpoints (e.g. media post, oauth) only", ``shared/realdata/x-docs-2026/README.md:44``), except
media upload, which that message names as still open.

:data:`METHODS` maps each client library's method names to the v1.1 endpoint they send;
:data:`V11` says what replaces each endpoint on v2, with the price line of X's pricing page
(``x-api_getting-started_pricing.mdx``) where compat does not serve it.

Usage::

    >>> from compat.audit.companions import served, V11, endpoint_of_path
    >>> served("statuses/user_timeline"), served("statuses/update")
    (True, False)
    >>> V11["statuses/update"].v2
    'POST /2/tweets'
    >>> endpoint_of_path("1.1/statuses/show/20.json")
    'statuses/show'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from compat import params

__all__ = [
    "CLIENT_CLASSES",
    "METHODS",
    "V11",
    "V11Endpoint",
    "endpoint_of_path",
    "served",
]

#: Where the v1.1 retirement fact comes from (the 453 body seen in the wild).
RETIRED_SOURCE = "shared/realdata/x-docs-2026/README.md:44"
_PRICING = "x-api_getting-started_pricing.mdx"


@dataclass(frozen=True)
class V11Endpoint:
    """One v1.1 endpoint: ``v2`` its replacement as X's docs write it; ``v2_endpoints`` the
    :data:`compat._v2.ROUTES` names compat uses for it (served ones) with the requests per
    call; ``price``: the pricing page's line for an unserved endpoint's v2 replacement
    (``(text, "file:line")``); ``still_v11``: v2-only access still allows it (media upload)."""

    name: str
    v2: str
    v2_endpoints: tuple[tuple[str, int], ...] = ()
    price: tuple[str, str] | None = None
    still_v11: bool = False
    resource: str | None = None  # what a served read returns per call: "post" or "user"
    per_call: int = 1  # resources a call returns by default (count's default)


V11: dict[str, V11Endpoint] = {
    e.name: e
    for e in (
        V11Endpoint("favorites/create", "POST /2/users/:id/likes", (("tweets", 1), ("like", 1))),
        V11Endpoint(
            "favorites/destroy",
            "DELETE /2/users/:id/likes/:tweet_id",
            (("tweets", 1), ("unlike", 1)),
        ),
        V11Endpoint(
            "favorites/list",
            "GET /2/users/:id/liked_tweets",
            (("liked_tweets", 1),),
            None,
            False,
            "post",
            20,
        ),
        V11Endpoint(
            "account/verify_credentials",
            "GET /2/users/me",
            (("users_me", 1),),
            None,
            False,
            "user",
            1,
        ),
        V11Endpoint(
            "users/show",
            "GET /2/users/:id or /2/users/by/username/:username",
            (("user_by_id", 1),),
            None,
            False,
            "user",
            1,
        ),
        V11Endpoint(
            "users/lookup",
            "GET /2/users?ids= or /2/users/by?usernames=",
            (("users", 1),),
            None,
            False,
            "user",
            100,
        ),
        V11Endpoint("statuses/show", "GET /2/tweets/:id", (("tweet", 1),), None, False, "post", 1),
        V11Endpoint(
            "statuses/lookup", "GET /2/tweets?ids=", (("tweets", 1),), None, False, "post", 100
        ),
        V11Endpoint(
            "statuses/user_timeline",
            "GET /2/users/:id/tweets",
            (("user_tweets", 1),),
            None,
            False,
            "post",
            20,
        ),
        V11Endpoint(
            "search/tweets",
            "GET /2/tweets/search/recent",
            (("search_recent", 1),),
            None,
            False,
            "post",
            15,
        ),
        V11Endpoint(
            "application/rate_limit_status",
            "x-rate-limit-* headers of each v2 answer (no v2 endpoint)",
        ),
        # not served: the v2 replacement and its price line on X's pricing page
        V11Endpoint(
            "statuses/update",
            "POST /2/tweets",
            price=("Post: Create $0.015 per request", f"{_PRICING}:72"),
        ),
        V11Endpoint(
            "statuses/destroy",
            "DELETE /2/tweets/:id",
            price=("Interaction: Delete $0.010 per request", f"{_PRICING}:77"),
        ),
        V11Endpoint(
            "statuses/retweet",
            "POST /2/users/:id/retweets",
            price=("User Interaction: Create $0.015 per request", f"{_PRICING}:76"),
        ),
        V11Endpoint(
            "statuses/home_timeline",
            "GET /2/users/:id/timelines/reverse_chronological",
            price=("Posts: Read $0.005 per resource", f"{_PRICING}:49"),
        ),
        V11Endpoint(
            "statuses/mentions_timeline",
            "GET /2/users/:id/mentions",
            price=("Posts: Read $0.005 per resource", f"{_PRICING}:49"),
        ),
        V11Endpoint(
            "friendships/create",
            "POST /2/users/:id/following",
            price=("User Interaction: Create $0.015 per request", f"{_PRICING}:76"),
        ),
        V11Endpoint(
            "friendships/destroy",
            "DELETE /2/users/:source_user_id/following/:target_user_id",
            price=("Interaction: Delete $0.010 per request", f"{_PRICING}:77"),
        ),
        V11Endpoint(
            "followers/ids",
            "GET /2/users/:id/followers",
            price=("Following/Followers: Read $0.010 per resource", f"{_PRICING}:52"),
        ),
        V11Endpoint(
            "friends/ids",
            "GET /2/users/:id/following",
            price=("Following/Followers: Read $0.010 per resource", f"{_PRICING}:52"),
        ),
        V11Endpoint(
            "direct_messages/events/new",
            "POST /2/dm_conversations/with/:participant_id/messages",
            price=("DM Interaction: Create $0.015 per request", f"{_PRICING}:75"),
        ),
        V11Endpoint(
            "media/upload",
            "v1.1 media upload (still open to v2-only access) or POST /2/media/upload",
            still_v11=True,
        ),
    )
}

#: Client classes (qualified names) of the libraries whose attribute chains name endpoints:
#: python-twitter-tools' ``Twitter`` (``t.statuses.user_timeline(...)``).
CLIENT_CLASSES: dict[str, str] = {
    "twitter.Twitter": "python-twitter-tools",
    "twitter.api.Twitter": "python-twitter-tools",
}

_TWEEPY = {
    "verify_credentials": "account/verify_credentials",
    "user_timeline": "statuses/user_timeline",
    "search": "search/tweets",  # tweepy 3
    "search_tweets": "search/tweets",  # tweepy 4
    "rate_limit_status": "application/rate_limit_status",
    "get_user": "users/show",
    "lookup_users": "users/lookup",
    "get_status": "statuses/show",
    "statuses_lookup": "statuses/lookup",  # tweepy 3
    "lookup_statuses": "statuses/lookup",  # tweepy 4
    "update_status": "statuses/update",
    "update_with_media": "statuses/update",
    "destroy_status": "statuses/destroy",
    "retweet": "statuses/retweet",
    "home_timeline": "statuses/home_timeline",
    "mentions_timeline": "statuses/mentions_timeline",
    "create_friendship": "friendships/create",
    "destroy_friendship": "friendships/destroy",
    "followers_ids": "followers/ids",  # tweepy 3
    "get_follower_ids": "followers/ids",  # tweepy 4
    "friends_ids": "friends/ids",  # tweepy 3
    "get_friend_ids": "friends/ids",  # tweepy 4
    "send_direct_message": "direct_messages/events/new",
    "media_upload": "media/upload",
    "simple_upload": "media/upload",
    "chunked_upload": "media/upload",
}

#: library -> method name -> v1.1 endpoint (the favorites methods are in compat.audit.static).
METHODS: dict[str, dict[str, str]] = {
    "tweepy": _TWEEPY,
    "python-twitter": {
        "VerifyCredentials": "account/verify_credentials",
        "GetUserTimeline": "statuses/user_timeline",
        "GetSearch": "search/tweets",
        "InitializeRateLimit": "application/rate_limit_status",
        "GetUser": "users/show",
        "UsersLookup": "users/lookup",
        "GetStatus": "statuses/show",
        "GetStatuses": "statuses/lookup",
        "PostUpdate": "statuses/update",
        "DestroyStatus": "statuses/destroy",
        "PostRetweet": "statuses/retweet",
        "GetHomeTimeline": "statuses/home_timeline",
        "GetMentions": "statuses/mentions_timeline",
        "CreateFriendship": "friendships/create",
        "DestroyFriendship": "friendships/destroy",
        "GetFollowerIDs": "followers/ids",
        "GetFriendIDs": "friends/ids",
        "PostDirectMessage": "direct_messages/events/new",
        "UploadMediaSimple": "media/upload",
        "UploadMediaChunked": "media/upload",
    },
    "Twython": {
        "verify_credentials": "account/verify_credentials",
        "get_user_timeline": "statuses/user_timeline",
        "search": "search/tweets",
        "get_application_rate_limit_status": "application/rate_limit_status",
        "show_user": "users/show",
        "lookup_user": "users/lookup",
        "show_status": "statuses/show",
        "lookup_status": "statuses/lookup",
        "update_status": "statuses/update",
        "destroy_status": "statuses/destroy",
        "retweet": "statuses/retweet",
        "get_home_timeline": "statuses/home_timeline",
        "get_mentions_timeline": "statuses/mentions_timeline",
        "create_friendship": "friendships/create",
        "destroy_friendship": "friendships/destroy",
        "get_followers_ids": "followers/ids",
        "get_friends_ids": "friends/ids",
        "send_direct_message": "direct_messages/events/new",
        "upload_media": "media/upload",
    },
    "TwitterAPI": {},
}

_PATH_RE = re.compile(
    r"(?:^|/)1\.1/(?P<ep>[a-z_]+(?:/[a-z_]+){1,2}?)(?:/(?:\d+|\{\}))?\.json(?=$|[?#&\s'\"])"
)
_ARG_RE = re.compile(
    r"^/?(?:1\.1/)?(?P<ep>[a-z_]+(?:/[a-z_]+){1,2}?)(?:/(?:\d+|\{\}|:id))?(?:\.json)?$"
)


def served(endpoint: str) -> bool:
    """Whether compat serves the v1.1 ``endpoint`` (a key of compat.params.LEGACY_ENDPOINTS,
    read now: the table grows)."""
    return endpoint in params.LEGACY_ENDPOINTS


def _known(name: str) -> str | None:
    if name in V11 or name in params.LEGACY_ENDPOINTS:
        return name
    return None


def endpoint_of_path(value: str) -> str | None:
    """The known v1.1 endpoint a URL path names (``…/1.1/statuses/show/20.json``), or None."""
    for m in _PATH_RE.finditer(value):
        found = _known(m["ep"])
        if found is not None:
            return found
    return None


def endpoint_of_argument(value: str) -> str | None:
    """The known v1.1 endpoint of a generic ``request('statuses/user_timeline')`` argument."""
    m = _ARG_RE.match(value.split("?", 1)[0])
    return _known(m["ep"]) if m else None
