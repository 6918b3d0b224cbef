"""Where the truth about X's API in 2026 is not public: every guess the emulator makes, here.

Each entry says what the emulator does, why that was chosen, and what would replace it. The
point of keeping them together is that one recording of the real answer replaces one entry,
and nothing else in the emulator has to change. The verbatim bodies the choices pick from are
in :mod:`compat.emulator.problems`; the documented facts (limits, prices, which plan has which
endpoint) are in compat's plans table (:mod:`compat._plans`), not here.

Usage::

    >>> from compat.emulator import unknowns
    >>> unknowns.PLAN_REFUSAL.status, unknowns.PLAN_REFUSAL.body["reason"]
    (403, 'client-not-enrolled')
    >>> unknowns.OTHER_USERS_LIKED_TWEETS.doc()
    {'meta': {'result_count': 0}}
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from compat.emulator.fields import invalid_request_body
from compat.emulator.problems import CLIENT_NOT_ENROLLED, USAGE_CAPPED, Answer

__all__ = [
    "CAP_COUNTS_OWNED_READS",
    "CAP_REFUSAL",
    "CAP_REFUSES_RESOURCE",
    "GATEWAY_CAUSE_SPELLING",
    "GATEWAY_DEFAULT_TIER",
    "GATEWAY_ENTERPRISE_RPM",
    "GATEWAY_HEADER_SPELLING",
    "GATEWAY_INTERNAL_CODE",
    "GATEWAY_READ_MAX_IDS",
    "GATEWAY_REFUSAL_ORDER",
    "GATEWAY_TIME_FORMAT",
    "GATEWAY_UNLINKED",
    "GATEWAY_UPSTREAM_STATUS",
    "GATEWAY_WRITES_AFTER_2026_04_20",
    "OTHER_USERS_LIKED_TWEETS",
    "PLAN_REFUSAL",
    "REFUSAL_ORDER",
    "SENDS_24HOUR_HEADERS",
    "USER_TWEETS_DEFAULT_MAX_RESULTS",
    "search_query_error",
    "search_relevancy",
]

#: The answer to a request the plan does not offer: ``POST /2/users/:id/likes`` and
#: ``DELETE /2/users/:id/likes/:tweet_id`` on pay-per-use (and whatever else the plans table
#: marks unavailable).
#:
#: *Known*: "Following, Likes, and Quote-Posts via the API have been removed from all
#: self-serve tiers" (x-docs-2026/changelog.mdx:63, effective 2026-04-20); ``sliders.js`` lists
#: ``like-post`` and ``unlike-post`` in ``ENTERPRISE_ONLY_SLUGS``. *Unknown*: the body a
#: self-serve app gets since. *Chosen*: the closest documented problem, ``client-forbidden``
#: ("App not enrolled or lacks required access",
#: x-api_fundamentals_response-codes-and-errors.mdx:76) with ``reason: client-not-enrolled``, in
#: the shape of the only capture made after the change (2026-05, no ``type``, no ``detail``:
#: x-docs-2026/README.md). The older variant's ``detail`` ("…attached to a Project") is wrong
#: for an app that is in a project; it stays available as the fault kind
#: ``"client-forbidden"``. *Replace with*: a recorded answer to ``POST /2/users/:id/likes``
#: from a pay-per-use app.
PLAN_REFUSAL: Answer = CLIENT_NOT_ENROLLED


#: The answer to ``GET /2/users/:id/liked_tweets`` for a user who is not the caller.
#:
#: *Known*: likes are private since June 2024 (the developer forum's "Updates to support
#: private likes on the X API", cited in d60/twikit#143); the 2026 pricing names
#: ``liked_tweets`` among the endpoints for "accessing your own data" (changelog.mdx:58-59).
#: *Unknown*: what the v2 endpoint answers with user context for someone else.
#: *Chosen*: an empty page, HTTP 200 ``{"meta": {"result_count": 0}}``, the shape X gives a
#: user with no likes: private likes look like no likes, as the web clients saw them
#: (Rettiwt-API#813: "Trying it on any other will return an empty array"), and every legacy
#: client survives an empty list. *Replace with*: a recording of another user's
#: ``liked_tweets`` under OAuth 1.0a user context. ``Emulator(public_likes=True)`` serves the
#: likes as before 2024 instead.
OTHER_USERS_LIKED_TWEETS = Answer(
    200,
    MappingProxyType({"meta": {"result_count": 0}}),
    "compat's guess (see above); the shape of an empty liked_tweets page",
    problem=False,
)


#: Whether like and unlike answers carry ``x-user-limit-24hour-limit/-remaining/-reset`` for
#: their 24-hour window (and x-rate-limit-* keeps describing the 15-minute one).
#:
#: *Known*: the 24-hour window ("50/15min, 1,000/24hrs", x-api_fundamentals_rate-limits.mdx:111
#: -112); the headers are how X reports 24-hour user windows on other writes. *Unknown*: whether
#: like answers still send them (tweepy's 2021 like recording has none; it predates the
#: documented 24-hour window). *Chosen*: send them, so a client can see which window is
#: exhausted. With False, x-rate-limit-* describes the exhausted or tightest of all windows.
#: *Replace with*: the headers of a recorded like answer from an Enterprise app.
SENDS_24HOUR_HEADERS = True

#: The answer once the monthly cap is reached, on every plan.
#:
#: *Known*: one recorded body (xdevplatform/xdk#25, 2026-02), from a Basic account:
#: ``"product_name":"standard-basic"``. *Unknown*: what a pay-per-use account's says there.
#: *Chosen*: the recorded body as it is, on every plan. *Replace with*: a pay-per-use
#: account's recorded usage-capped answer.
CAP_REFUSAL: Answer = USAGE_CAPPED

#: The order in which a request that several refusals apply to is refused (after
#: authentication: 401, then 403 for an app-only bearer on a user-context route).
#:
#: *Unknown*: X documents none. *Chosen*: what the app may do before what the account may spend
#: before what the request asks: the plan's refusal of an endpoint it does not offer, out of
#: credits (402), a path user who is not the caller (403), the rate limit (429), the monthly cap
#: (429 usage-capped; it counts in the rate-limit window, as the recording's headers show).
#: *Replace with*: recordings of answers where two of them apply.
REFUSAL_ORDER: tuple[str, ...] = ("plan", "credits", "path-user", "rate-limit", "usage-cap")

#: Which endpoints a reached monthly cap refuses (429 usage-capped): those that return posts.
#:
#: *Known*: "a monthly cap of 3 million Post reads" (x-api_fundamentals_post-cap.mdx:21); the
#: reported body says ``"scope":"Product"``. *Unknown*: whether user lookups are refused too.
#: *Chosen*: only post reads (``compat._v2`` resource ``"post"``), what the cap counts.
#: *Replace with*: a recording of ``GET /2/users/me`` after the cap is reached.
CAP_REFUSES_RESOURCE = "post"

#: Whether Owned Reads (your own ``liked_tweets``, $0.001) count toward the monthly post cap.
#:
#: *Known*: the pricing page prices them apart (changelog.mdx:58). *Unknown*: whether the cap
#: counts them. *Chosen*: they count: they are post reads, and the cap page lists "Liked posts"
#: among the tracked endpoints (x-api_fundamentals_post-cap.mdx:36). *Replace with*: the
#: developer console's usage after an Owned Read.
CAP_COUNTS_OWNED_READS = True


# -- the companion reads: users, user timelines, recent search --------------------------------

#: How many posts ``GET /2/users/:id/tweets`` answers without ``max_results``.
#:
#: *Known*: ``max_results`` is 5 to 100 (spec v2.167, getUsersPosts); recent search's default is
#: 10 (the same spec; x-api_fundamentals_rate-limits.mdx:62 "10 default"). *Unknown*: the
#: timeline's default (the spec gives none). *Chosen*: 10, as for search. *Replace with*: the
#: ``result_count`` of a recorded timeline request without ``max_results``.
USER_TWEETS_DEFAULT_MAX_RESULTS = 10


def search_query_error(query: str, message: str) -> dict[str, Any]:
    """The 400 for a recent-search query the emulator does not serve (an unknown operator, a
    cashtag, only conjunction-required operators, a syntax error).

    *Known*: an invalid parameter is v2's 400 invalid-request body (the one
    :func:`compat.emulator.fields.invalid_request_body` builds); "Conjunction-required operators
    cannot be used by themselves in a query" (docs.x.com/x-api/posts/search/integrate/
    build-a-query). *Unknown*: X's wording of each query error. *Chosen*: that body with one
    error for the ``query`` parameter whose message says what is wrong and where,
    ``There were errors processing your request: <reason> (at position N)``; an operator X has
    but the emulator does not serve is refused the same way, so a test never passes on a
    query the emulator silently ignored. *Replace with*: recorded 400s of recent search.

    >>> search_query_error("$TWTR", "bad (at position 1)")["errors"][0]["parameters"]
    {'query': ['$TWTR']}
    """
    return invalid_request_body([{"parameters": {"query": [query]}, "message": message}])


def search_relevancy(post: Mapping[str, Any]) -> tuple[int, int]:
    """The sort key of ``sort_order=relevancy`` (higher first).

    *Unknown*: X's relevancy ranking. *Chosen*: engagement (likes + reposts + quotes + replies
    as recorded), then the newer post first; deterministic, and different from recency so a
    client that mixes the two up is seen. *Replace with*: nothing can: it is X's ranking.
    """
    metrics = post.get("public_metrics", {})
    engagement = sum(
        int(metrics.get(k, 0))
        for k in ("like_count", "retweet_count", "quote_count", "reply_count")
    )
    return engagement, int(post["id"])


# -- the hosted gateway (compat.emulator.gateway); its docs: tests/realdata/aisa-docs -----------

#: Which spelling of a cause the gateway's error ``code`` carries.
#:
#: *Known*: the envelope ``{"error": {"type", "code", "message", "request_id"}}`` with
#: snake_case codes (api-reference_errors.mdx lines 12-21, 37-97); the Twitter endpoint pages
#: name their causes with X's hyphenated names (api-reference_twitter_like_twitter.mdx lines
#: 27-29: ``invalid-request``, ``client-forbidden``, ``resource-not-found``). *Unknown*: what a
#: like answers in ``code`` (no recorded gateway error). *Chosen*: snake_case, the errors
#: page's ("stable; safe to match on", line 26), ``client_forbidden`` by the same rule;
#: ``emu.gateway.cause_spelling = "hyphen"`` sends the endpoint pages' names. compat reads both.
#: *Replace with*: a recorded 403/404 of ``like_twitter``.
GATEWAY_CAUSE_SPELLING = "snake"

#: Which rate-limit headers the gateway sends.
#:
#: *Known*: "Every response (including 429) includes" ``X-RateLimit-Limit-Requests``,
#: ``-Remaining-Requests``, ``-Reset-Requests`` (a UNIX timestamp), and ``Retry-After`` on a 429
#: (api-reference_rate-limits.mdx lines 49-69); the errors page lists ``X-RateLimit-Limit`` /
#: ``-Remaining`` / ``-Reset`` for a 429 (api-reference_errors.mdx lines 79-83). The ``-Tokens``
#: pair is about LLM tokens (line 15). *Unknown*: which spelling the Twitter endpoints send.
#: *Chosen*: the rate-limits page's, on every answer, without the token pair;
#: ``emu.gateway.header_spelling = "short"`` sends the errors page's. compat reads both.
#: *Replace with*: the headers of a recorded gateway answer.
GATEWAY_HEADER_SPELLING = "requests"

#: The order of the gateway's own refusals.
#:
#: *Unknown*: not documented. *Chosen*: the API key (401), a fault asked for, the key's quota
#: (429 ``quota_exceeded``), its requests per minute (429 ``rate_limit_exceeded``), then the
#: route's own checks (400 ``tweet_id``, 403 link/``like.write``, 404 post). *Replace with*:
#: recordings of answers where two apply.
GATEWAY_REFUSAL_ORDER: tuple[str, ...] = ("key", "fault", "quota", "rate-limit", "route")

#: The tier of a key nobody set one for, and Enterprise's limit.
#:
#: *Known*: Free 60, Starter 600, Growth 3,000 requests per minute, Enterprise "Custom"
#: (api-reference_rate-limits.mdx lines 24-29). *Chosen*: ``starter`` ("After first paid
#: top-up", what a key that pays for likes has); Enterprise as 10,000 a minute. *Replace
#: with*: nothing to record: a test sets the tier it needs (``emu.gateway.set_tier``).
GATEWAY_DEFAULT_TIER = "starter"
GATEWAY_ENTERPRISE_RPM = 10_000

#: What a write answers when no X account is linked to the key.
#:
#: *Known*: 403 "OAuth session missing, expired, or lacking ``like.write``. Re-authorize via
#: ``POST /apis/v1/twitter/auth_twitter``" (openapi_twitter-actions.json lines 176-177, 264-265).
#: *Unknown*: its code. *Chosen*: the same cause as a missing ``like.write``, client-forbidden,
#: with a message naming the missing link. *Replace with*: a recorded like from an unlinked key.
GATEWAY_UNLINKED = "client_forbidden"

#: The HTTP status of each upstream code, and the code of a 500.
#:
#: *Known*: "502 / 503 / 504 — Upstream Errors", codes ``upstream_unavailable``,
#: ``upstream_timeout``, ``gateway_error`` (api-reference_errors.mdx lines 94-97); 502 "Upstream
#: X API unreachable" (openapi_twitter-actions.json line 188); a 500 lists no code (lines
#: 88-92). *Chosen*: 502, 504, 503 respectively; a 500 carries ``internal_error`` (type
#: ``api_error``, line 25). *Replace with*: recorded upstream failures.
GATEWAY_UPSTREAM_STATUS = MappingProxyType(
    {"upstream_unavailable": 502, "upstream_timeout": 504, "gateway_error": 503}
)
GATEWAY_INTERNAL_CODE = "internal_error"

#: What the posts read answers for an id it has no post for, and how many ids it takes.
#:
#: *Known*: ``tweet_ids`` is a "Comma-separated list of tweet IDs" answered by ``{"tweets":
#: [Tweet], "status", "message"}`` (openapi_twitter-tweet-batch_01.json lines 270-304).
#: *Unknown*: missing ids, the most ids, the ``message`` of a success. *Chosen*: a missing post
#: is left out; at most 100 ids (X's ``GET /2/tweets``); ``"status": "success"``,
#: ``"message": ""``. *Replace with*: a recorded read of a deleted post.
GATEWAY_READ_MAX_IDS = 100

#: How the gateway writes a post's time, text and references in its ``Tweet`` shape.
#:
#: *Known*: the field names and JSON types (openapi_twitter-tweet-batch_01.json lines 21-159;
#: ``createdAt`` a string, ``quoted_tweet`` / ``retweeted_tweet`` strings, ``user_mentions``
#: without indices). *Unknown*: the time format, whether ``text`` is a long post's whole text,
#: what the quote strings hold, whether media links stay in ``entities.urls``, what
#: ``User.url`` is. *Chosen*: v1.1's time format (``Thu Feb 16 12:20:16 +0000 2023``); the whole
#: text (a long post's ``note_tweet``); the quoted / reposted post's id; media links left out of
#: ``urls`` (v1.1 kept them under media, which the shape lacks); ``User.url`` the profile link
#: ``https://x.com/<userName>`` (compat does not read it). compat reads v2's ISO time too, and a
#: whole post in ``quoted_tweet``. *Replace with*: a recorded ``GET /twitter/tweets``.
GATEWAY_TIME_FORMAT = "v1.1"

#: Whether the gateway's likes go through after X made likes Enterprise-only (2026-04-20).
#:
#: *Known*: nothing: the gateway's docs (last change 2026-04-22) do not say (their README).
#: *Chosen*: they do (the emulator's gateway writes always reach its state). *Replace with*: a
#: like through the real gateway after that date.
GATEWAY_WRITES_AFTER_2026_04_20 = True
