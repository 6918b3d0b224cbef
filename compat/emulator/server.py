"""The emulator's HTTP server: the X API v2 Likes surface on loopback, table-driven.

Routes (:data:`ROUTES`) map a method and path pattern to an endpoint name and a handler
(:class:`~compat.emulator.routing.Route`; method, path, endpoint name and auth come from
:data:`compat._v2.ROUTES`); each request goes: identify the caller (OAuth 1.0a / bearer) →
injected fault → 401 / app-only 403 → the plan's refusal of an endpoint it does not offer
(403) → credits (402) → path user 403 → the plan's rate limits (429) → the monthly cap on
post reads (429 usage-capped) → handler (v2's 400s) → billing (credits, the cap's count) →
body faults → request log. The plan is one of compat's plans table (:mod:`compat._plans`);
the error bodies are :mod:`compat.emulator.problems`' and the guesses
:mod:`compat.emulator.unknowns`'.
Control paths under ``/_emulator/`` (see :mod:`compat.emulator.control`) are not logged.
:meth:`Emulator.add_route` serves more routes (e.g. a gateway) against the same state.

Usage::

    >>> import requests
    >>> from requests_oauthlib import OAuth1
    >>> from compat.emulator import Emulator
    >>> with Emulator(likes=25) as emu:
    ...     c = emu.credentials
    ...     auth = OAuth1(c.consumer_key, c.consumer_secret, c.access_token, c.access_token_secret)
    ...     with requests.Session() as s:
    ...         page = s.get(f"{emu.base_url}/2/users/{emu.user_id}/liked_tweets",
    ...                      params={"max_results": 10}, auth=auth).json()
    >>> page["meta"]["result_count"], "next_token" in page["meta"]
    (10, True)
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import re
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from compat._plans import DEFAULT_PLAN, Plan
from compat._v2 import ROUTES as V2_ROUTES
from compat.credentials import Credentials
from compat.emulator import problems, unknowns
from compat.emulator.auth import Authenticator, AuthFailed, Principal
from compat.emulator.billing import Credits, UsageCap
from compat.emulator.clock import Clock, SystemClock
from compat.emulator.config import (
    check_clock,
    check_dataset,
    check_flag,
    check_host,
    check_likes,
    check_plan,
    check_port,
    check_screen_name,
    is_loopback,
)
from compat.emulator.control import CONTROL_PREFIX, handle_control
from compat.emulator.dataset import Dataset
from compat.emulator.faults import Fault, Faults
from compat.emulator.fields import (
    FieldSelection,
    InvalidRequest,
    Renderer,
    invalid_request_body,
    not_found_error,
)
from compat.emulator.gateway import GATEWAY_EXTRA_ROUTES, GATEWAY_ROUTES
from compat.emulator.gateway import gateway_key as _gateway_key
from compat.emulator.gateway_state import GatewayState
from compat.emulator.ratelimit import RateLimiter
from compat.emulator.routing import (
    Context,
    Handler,
    Reply,
    RequestRecord,
    Route,
    canned,
    problem,
)
from compat.emulator.search import Query, QueryError
from compat.emulator.state import State
from compat.errors import InvalidParameter

# Context, Reply, RequestRecord and Route live in compat.emulator.routing; named here too for
# code that imported them from this module.
__all__ = [
    "CONTROL_PREFIX",
    "ROUTES",
    "Context",
    "Emulator",
    "Reply",
    "RequestRecord",
    "Route",
    "v2_routes",
]

log = logging.getLogger("compat.emulator")

_ID = re.compile(r"[0-9]{1,19}")
_ID_PATTERN = "^[0-9]{1,19}$"
_FIELD_PARAMS = ("tweet.fields", "user.fields", "media.fields", "place.fields", "poll.fields")
_USER_PARAMS = frozenset({"expansions", "tweet.fields", "user.fields"})
_TWEET_PARAMS = frozenset({"expansions", *_FIELD_PARAMS})

#: The refusals a fault kind answers with (see compat.emulator.faults).
_REFUSAL_FAULTS: dict[str, problems.Answer] = {
    "credits": problems.CREDITS_DEPLETED,
    "usage-capped": problems.USAGE_CAPPED,
    "client-not-enrolled": problems.CLIENT_NOT_ENROLLED,
    "client-forbidden": problems.CLIENT_FORBIDDEN,
}
NOT_FOUND_PAGE = {"errors": [{"message": "Sorry, that page does not exist", "code": 34}]}
TWEET_CANNOT_BE_FOUND = invalid_request_body([{"message": "This tweet cannot be found."}])


# -- helpers used by the handlers -------------------------------------------------------
def _check_id(name: str, value: str) -> None:
    if not _ID.fullmatch(value):
        raise InvalidRequest.parameter(
            name,
            [value],
            f"The `{name}` query parameter value [{value}] does not match {_ID_PATTERN}",
        )


def _max_results(query: dict[str, list[str]], low: int, high: int, default: int) -> int:
    values = query.get("max_results")
    if not values:
        return default
    raw = values[-1]
    try:
        number = int(raw)
    except ValueError:
        raise InvalidRequest.parameter(
            "max_results", [raw], f"The `max_results` query parameter value [{raw}] is not a number"
        ) from None
    if not low <= number <= high:
        raise InvalidRequest.parameter(
            "max_results",
            [raw],
            f"The `max_results` query parameter value [{raw}] is not between {low} and {high}",
        )
    return number


def _token_key(scope: str) -> bytes:
    return hashlib.sha256(f"compat-emulator:{scope}".encode()).digest()


def _encode_token(direction: str, seq: int, scope: str) -> str:
    """An opaque pagination token for the like with sequence number ``seq`` in one listing."""
    body = direction.encode() + seq.to_bytes(8, "big")
    key = _token_key(scope)
    mac = hmac.new(key, body, "sha256").digest()[:6]
    mixed = bytes(b ^ k for b, k in zip(body + mac, key, strict=False))
    return base64.b32encode(mixed).decode().rstrip("=").lower()


def _decode_token(token: str, scope: str) -> tuple[str, int]:
    """(direction "n"/"p", seq) from a token made for this ``scope``; else v2's 400."""
    bad = InvalidRequest.parameter(
        "pagination_token",
        [token],
        f"The `pagination_token` query parameter value [{token}] is not valid",
    )
    try:
        mixed = base64.b32decode(token.upper() + "=" * (-len(token) % 8))
    except (binascii.Error, ValueError):
        raise bad from None
    key = _token_key(scope)
    raw = bytes(b ^ k for b, k in zip(mixed, key, strict=False))
    body, mac = raw[:9], raw[9:]
    if len(raw) != 15 or not hmac.compare_digest(mac, hmac.new(key, body, "sha256").digest()[:6]):
        raise bad
    direction = chr(body[0])
    if direction not in "np":
        raise bad
    return direction, int.from_bytes(body[1:], "big")


def _renderer(ctx: Context, kind: str) -> Renderer:
    sel = FieldSelection.parse(ctx.query, kind=kind)
    emu = ctx.emulator
    ds = emu.dataset

    def by_name(username: str) -> dict[str, Any] | None:
        uid = ds.user_id_for(username)
        return None if uid is None else ds.user(uid)

    return Renderer(
        sel,
        tweet_lookup=ds.tweet,
        user_lookup=ds.user,
        user_by_name=by_name,
        media_lookup=ds.media_object,
        place_lookup=ds.places.get,
        poll_lookup=ds.poll,
        like_count=emu.state.like_count,
    )


# -- handlers ---------------------------------------------------------------------------
def _single(
    ctx: Context, kind: str, found: dict[str, Any] | None, parameter: str, value: str
) -> Reply:
    """One user or post with the requested fields, or v2's 200 with only a not-found error."""
    render = _renderer(ctx, kind)
    if found is None:
        return Reply(200, {"errors": [not_found_error(kind, parameter, value)]})
    return Reply(200, render.document(found, kind=kind))


def _users_me(ctx: Context) -> Reply:
    assert ctx.principal is not None and ctx.principal.user_id is not None
    uid = ctx.principal.user_id
    return _single(ctx, "user", ctx.emulator.dataset.user(uid), "id", uid)


def _user_by_id(ctx: Context) -> Reply:
    uid = ctx.params["id"]
    _check_id("id", uid)
    return _single(ctx, "user", ctx.emulator.dataset.user(uid), "id", uid)


def _user_by_username(ctx: Context) -> Reply:
    name = ctx.params["username"]
    if not re.fullmatch(r"[A-Za-z0-9_]{1,15}", name):
        raise InvalidRequest.parameter(
            "username",
            [name],
            f"The `username` query parameter value [{name}] does not match ^[A-Za-z0-9_]{{1,15}}$",
        )
    ds = ctx.emulator.dataset
    uid = ds.user_id_for(name)
    return _single(ctx, "user", None if uid is None else ds.user(uid), "username", name)


def _like(ctx: Context) -> Reply:
    _check_id("id", ctx.params["id"])
    content_type = (ctx.header("Content-Type") or "").split(";")[0].strip().lower()
    if content_type != "application/json":
        return Reply(
            400,
            invalid_request_body(
                [{"message": "Requests with bodies must have content-type of application/json."}]
            ),
        )
    try:
        payload = json.loads(ctx.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return Reply(400, invalid_request_body([{"message": "Request body is not valid JSON."}]))
    if not isinstance(payload, dict) or "tweet_id" not in payload:
        return Reply(
            400,
            invalid_request_body(
                [{"parameters": {"tweet_id": []}, "message": "The `tweet_id` field is required."}]
            ),
        )
    tweet_id = payload["tweet_id"]
    if not isinstance(tweet_id, str):
        kind = type(tweet_id).__name__.replace("int", "integer").replace("float", "number")
        return Reply(
            400,
            invalid_request_body([{"message": f"$.tweet_id: {kind} found, string expected"}]),
        )
    _check_id("tweet_id", tweet_id)
    emu = ctx.emulator
    if emu.dataset.tweet(tweet_id) is None:
        return Reply(400, TWEET_CANNOT_BE_FOUND)
    assert ctx.principal is not None and ctx.principal.user_id is not None
    emu.state.like(ctx.principal.user_id, tweet_id)
    return Reply(200, {"data": {"liked": True}})


def _unlike(ctx: Context) -> Reply:
    _check_id("id", ctx.params["id"])
    _check_id("tweet_id", ctx.params["tweet_id"])
    assert ctx.principal is not None and ctx.principal.user_id is not None
    ctx.emulator.state.unlike(ctx.principal.user_id, ctx.params["tweet_id"])
    return Reply(200, {"data": {"liked": False}})


def _liked_tweets(ctx: Context) -> Reply:
    uid = ctx.params["id"]
    _check_id("id", uid)
    limit = _max_results(ctx.query, 10, 100, 100)
    caller = ctx.principal.user_id if ctx.principal is not None else None
    if not ctx.emulator.public_likes and uid != caller:
        # likes are private since 2024: what X answers here is a guess, kept in unknowns
        _renderer(ctx, "tweet")  # the fields are still checked (v2's 400s)
        return canned(unknowns.OTHER_USERS_LIKED_TWEETS)
    render = _renderer(ctx, "tweet")
    state = ctx.emulator.state
    token = ctx.query.get("pagination_token", [""])[-1]
    if token:
        direction, seq = _decode_token(token, f"lt{uid}")
        if direction == "n":
            items, more, newer = state.page_older(uid, seq, limit)
        else:
            items, more, newer = state.page_newer(uid, seq, limit)
    else:
        items, more, newer = state.page_older(uid, None, limit)
    ds = ctx.emulator.dataset
    posts = []
    for _seq, tid in items:
        post = ds.tweet(tid)
        if post is not None:
            posts.append(post)
    meta: dict[str, Any] = {"result_count": len(posts)}
    if items and more:
        meta["next_token"] = _encode_token("n", items[-1][0], f"lt{uid}")
    if items and newer:
        meta["previous_token"] = _encode_token("p", items[0][0], f"lt{uid}")
    return Reply(200, render.document(posts if posts else None, kind="tweet", meta=meta))


def _tweet(ctx: Context) -> Reply:
    tid = ctx.params["id"]
    _check_id("id", tid)
    return _single(ctx, "tweet", ctx.emulator.dataset.tweet(tid), "id", tid)


def _tweets(ctx: Context) -> Reply:
    raw = ",".join(ctx.query.get("ids", []))
    ids = [i for i in raw.split(",") if i]
    if not ids:
        raise InvalidRequest.parameter("ids", [], "The `ids` query parameter can not be empty")
    if len(ids) > 100:
        raise InvalidRequest.parameter(
            "ids",
            [raw],
            f"The number of values in the `ids` query parameter list [{len(ids)}] is not "
            "between 1 and 100",
        )
    errors: list[dict[str, Any]] = []
    for tid in ids:
        try:
            _check_id("ids", tid)
        except InvalidRequest as exc:
            errors.extend(exc.errors)
    if errors:
        raise InvalidRequest(errors)
    render = _renderer(ctx, "tweet")
    ds = ctx.emulator.dataset
    found: list[dict[str, Any]] = []
    missing: list[dict[str, Any]] = []
    seen: set[str] = set()
    for tid in ids:
        if tid in seen:
            continue
        seen.add(tid)
        post = ds.tweet(tid)
        if post is None:
            missing.append(not_found_error("tweet", "ids", tid))
        else:
            found.append(post)
    return Reply(200, render.document(found if found else None, kind="tweet", errors=missing))


def _liking_users(ctx: Context) -> Reply:
    tid = ctx.params["id"]
    _check_id("id", tid)
    limit = _max_results(ctx.query, 1, 100, 100)
    render = _renderer(ctx, "user")
    emu = ctx.emulator
    if emu.dataset.tweet(tid) is None:
        return Reply(200, {"errors": [not_found_error("tweet", "id", tid)]})
    likers = emu.state.liking_users(tid)
    token = ctx.query.get("pagination_token", [""])[-1]
    newer_exists = False
    if token:
        direction, seq = _decode_token(token, f"lu{tid}")
        if direction == "n":
            rest = [x for x in likers if x[0] < seq]
            page = rest[:limit]
            more = len(rest) > limit
            newer_exists = bool(page)
        else:
            newer = [x for x in likers if x[0] > seq]
            page = newer[-limit:]
            more = True
            newer_exists = len(newer) > limit
    else:
        page = likers[:limit]
        more = len(likers) > limit
    users = [u for u in (emu.dataset.user(uid) for _s, uid in page) if u is not None]
    meta: dict[str, Any] = {"result_count": len(users)}
    if page and more:
        meta["next_token"] = _encode_token("n", page[-1][0], f"lu{tid}")
    if page and newer_exists:
        meta["previous_token"] = _encode_token("p", page[0][0], f"lu{tid}")
    return Reply(200, render.document(users if users else None, kind="user", meta=meta))


def _id_list(ctx: Context, name: str, pattern: re.Pattern[str], shown: str) -> list[str]:
    """The comma-separated values of ``name`` (1 to 100, each matching ``pattern``), in order,
    duplicates dropped; else v2's 400 (the spec's minItems 1, maxItems 100)."""
    raw = ",".join(ctx.query.get(name, []))
    values = [v for v in raw.split(",") if v]
    if not values:
        raise InvalidRequest.parameter(name, [], f"The `{name}` query parameter can not be empty")
    if len(values) > 100:
        raise InvalidRequest.parameter(
            name,
            [raw],
            f"The number of values in the `{name}` query parameter list [{len(values)}] is not "
            "between 1 and 100",
        )
    bad = [
        {
            "parameters": {name: [v]},
            "message": f"The `{name}` query parameter value [{v}] does not match {shown}",
        }
        for v in values
        if not pattern.fullmatch(v)
    ]
    if bad:
        raise InvalidRequest(bad)
    return list(dict.fromkeys(values))


_USERNAME = re.compile(r"[A-Za-z0-9_]{1,15}")


def _users_list(ctx: Context, name: str, found: list[tuple[str, dict[str, Any] | None]]) -> Reply:
    render = _renderer(ctx, "user")
    users = [u for _v, u in found if u is not None]
    missing = [not_found_error("user", name, v) for v, u in found if u is None]
    return Reply(200, render.document(users if users else None, kind="user", errors=missing))


def _users(ctx: Context) -> Reply:
    ids = _id_list(ctx, "ids", _ID, _ID_PATTERN)
    ds = ctx.emulator.dataset
    return _users_list(ctx, "ids", [(uid, ds.user(uid)) for uid in ids])


def _users_by_usernames(ctx: Context) -> Reply:
    names = _id_list(ctx, "usernames", _USERNAME, "^[A-Za-z0-9_]{1,15}$")
    ds = ctx.emulator.dataset
    seen: set[str] = set()
    found: list[tuple[str, dict[str, Any] | None]] = []
    for name in names:
        uid = ds.user_id_for(name)
        if uid is not None and uid in seen:
            continue  # the same user asked for in two spellings: listed once
        if uid is not None:
            seen.add(uid)
        found.append((name, None if uid is None else ds.user(uid)))
    return _users_list(ctx, "usernames", found)


#: "Must be on or after 2010-11-06" (spec v2.167, start_time/end_time of /2/users/{id}/tweets)
_TIMELINE_EPOCH = dt.datetime(2010, 11, 6, tzinfo=dt.timezone.utc).timestamp()
#: "the 3200 most recent Posts" of a user's Post timeline (docs.x.com/x-api/posts/timelines/
#: migrate/standard-to-twitter-api-v2, "Historical access limit")
TIMELINE_DEPTH = 3200
#: recent search covers "posts posted in the last 7 days" (x-docs-2026/changelog.mdx:941;
#: the spec's start_time "Must be within the last 7 days.")
SEARCH_WINDOW_S = 7 * 86400
#: query length: "Self-serve 512 characters", "Enterprise 4,096 characters" (docs.x.com/x-api/
#: posts/search/integrate/build-a-query; 512 also x-api_fundamentals_rate-limits.mdx:62)
QUERY_LENGTH = {True: 512, False: 4096}


def _one_value(ctx: Context, name: str) -> str | None:
    values = ctx.query.get(name)
    return values[-1] if values else None


def _time_param(ctx: Context, name: str) -> float | None:
    raw = _one_value(ctx, name)
    if raw is None:
        return None
    try:
        stamp = dt.datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        stamp = None
    if stamp is None or stamp.tzinfo is None:
        raise InvalidRequest.parameter(
            name,
            [raw],
            f"Invalid '{name}':'{raw}'. '{name}' must be a date-time in RFC 3339 form, e.g. "
            "2023-11-14T12:00:00Z",
        )
    return stamp.timestamp()


def _window_params(ctx: Context, *, search: bool) -> dict[str, Any]:
    """since_id, until_id, start_time, end_time, checked as the spec words them."""
    since_id, until_id = _one_value(ctx, "since_id"), _one_value(ctx, "until_id")
    for name, value in (("since_id", since_id), ("until_id", until_id)):
        if value is not None:
            _check_id(name, value)
    start, end = _time_param(ctx, "start_time"), _time_param(ctx, "end_time")
    if search:
        # "At most one of `start_time`, `since_id` may be provided. At most one of
        # `end_time`, `until_id` may be provided." (spec v2.167, searchPostsRecent)
        for a, b in (("start_time", "since_id"), ("end_time", "until_id")):
            if a in ctx.query and b in ctx.query:
                raise InvalidRequest.parameter(
                    a, ctx.query[a], f"At most one of `{a}`, `{b}` may be provided"
                )
        now = ctx.emulator.now()
        if start is not None and start < now - SEARCH_WINDOW_S:
            raise InvalidRequest.parameter(
                "start_time",
                ctx.query["start_time"],
                "Invalid 'start_time':'"
                f"{ctx.query['start_time'][-1]}'. 'start_time' must be on or after "
                f"{_iso(now - SEARCH_WINDOW_S)}",
            )
    else:
        for name, stamp in (("start_time", start), ("end_time", end)):
            if stamp is not None and stamp < _TIMELINE_EPOCH:
                raise InvalidRequest.parameter(
                    name,
                    ctx.query[name],
                    f"Invalid '{name}':'{ctx.query[name][-1]}'. '{name}' must be on or after "
                    "2010-11-06T00:00:00Z",
                )
    # "When both are provided, `start_time` must be earlier than `end_time`. When both are
    # provided, `since_id` must be less than `until_id`." (spec v2.167, getUsersPosts)
    if start is not None and end is not None and not start < end:
        raise InvalidRequest.parameter(
            "end_time", ctx.query["end_time"], "`start_time` must be earlier than `end_time`"
        )
    if since_id is not None and until_id is not None and not int(since_id) < int(until_id):
        raise InvalidRequest.parameter(
            "until_id", [until_id], "`since_id` must be less than `until_id`"
        )
    return {"since_id": since_id, "until_id": until_id, "start": start, "end": end}


def _iso(epoch: float) -> str:
    return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _post_time(post: dict[str, Any]) -> float | None:
    created = post.get("created_at")
    if not isinstance(created, str):
        return None
    return dt.datetime.fromisoformat(created.replace("Z", "+00:00")).timestamp()


def _in_window(post: dict[str, Any], window: dict[str, Any]) -> bool:
    """since_id and until_id are exclusive; start_time inclusive, end_time exclusive."""
    pid = int(post["id"])
    if window["since_id"] is not None and not pid > int(window["since_id"]):
        return False
    if window["until_id"] is not None and not pid < int(window["until_id"]):
        return False
    if window["start"] is not None or window["end"] is not None:
        when = _post_time(post)
        if when is None:
            return False
        if window["start"] is not None and when < window["start"]:
            return False
        if window["end"] is not None and not when < window["end"]:
            return False
    return True


def _page_of_posts(
    ctx: Context, posts: list[dict[str, Any]], limit: int, scope: str, token: str | None
) -> Reply:
    """One page of ``posts`` (already in answer order) with v2's meta: ``result_count``,
    ``newest_id``, ``oldest_id``, ``next_token``, ``previous_token``. A token holds the
    position in that order, so the pages of one listing never overlap or skip."""
    render = _renderer(ctx, "tweet")
    start = 0
    if token:
        direction, seq = _decode_token(token, scope)
        start = seq + 1 if direction == "n" else max(0, seq - limit)
    page = posts[start : start + limit]
    meta: dict[str, Any] = {}
    if page:
        ids = [int(p["id"]) for p in page]
        meta["newest_id"] = str(max(ids))
        meta["oldest_id"] = str(min(ids))
    meta["result_count"] = len(page)
    if page and start + limit < len(posts):
        meta["next_token"] = _encode_token("n", start + len(page) - 1, scope)
    if page and start > 0:
        meta["previous_token"] = _encode_token("p", start, scope)
    return Reply(200, render.document(page if page else None, kind="tweet", meta=meta))


def _scope(kind: str, *parts: str) -> str:
    digest = hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:16]
    return f"{kind}{digest}"


def _user_tweets(ctx: Context) -> Reply:
    uid = ctx.params["id"]
    _check_id("id", uid)
    limit = _max_results(ctx.query, 5, 100, unknowns.USER_TWEETS_DEFAULT_MAX_RESULTS)
    excluded = [v for raw in ctx.query.get("exclude", []) for v in raw.split(",") if v]
    allowed = ("replies", "retweets")
    bad = [v for v in excluded if v not in allowed]
    if bad or ("exclude" in ctx.query and not excluded):
        value = bad[0] if bad else ""
        raise InvalidRequest.parameter(
            "exclude",
            [value],
            f"The `exclude` query parameter value [{value}] is not one of [replies,retweets]",
        )
    window = _window_params(ctx, search=False)
    render_check = _renderer(ctx, "tweet")  # the fields are checked before the user is
    ds = ctx.emulator.dataset
    if ds.user(uid) is None:
        return Reply(
            200,
            render_check.document(None, kind="tweet", errors=[not_found_error("user", "id", uid)]),
        )
    posts: list[dict[str, Any]] = []
    for tid in ds.timeline(uid)[:TIMELINE_DEPTH]:
        post = ds.tweet(tid)
        if post is None:
            continue
        if "replies" in excluded and _referenced(post, "replied_to"):
            continue
        if "retweets" in excluded and _referenced(post, "retweeted"):
            continue
        if _in_window(post, window):
            posts.append(post)
    scope = _scope("ut", uid, ",".join(sorted(excluded)), repr(sorted(window.items())))
    return _page_of_posts(ctx, posts, limit, scope, _one_value(ctx, "pagination_token"))


def _referenced(post: dict[str, Any], kind: str) -> bool:
    return any(r.get("type") == kind for r in post.get("referenced_tweets", ()))


def _search_recent(ctx: Context) -> Reply:
    query = _one_value(ctx, "query")
    if not query:
        raise InvalidRequest.parameter(
            "query", [query or ""], "The `query` query parameter can not be empty"
        )
    longest = QUERY_LENGTH[ctx.emulator.plan.self_serve]
    if len(query) > longest:
        raise InvalidRequest.parameter(
            "query",
            [query],
            f"There were errors processing your request: Query length exceeds {longest} "
            "characters (at position 1)",
        )
    limit = _max_results(ctx.query, 10, 100, 10)
    # "At most one of `pagination_token`, `next_token` may be provided." (spec v2.167)
    if "next_token" in ctx.query and "pagination_token" in ctx.query:
        raise InvalidRequest.parameter(
            "next_token",
            ctx.query["next_token"],
            "At most one of `pagination_token`, `next_token` may be provided",
        )
    order = _one_value(ctx, "sort_order") or "recency"
    if order not in ("recency", "relevancy"):
        raise InvalidRequest.parameter(
            "sort_order",
            [order],
            f"The `sort_order` query parameter value [{order}] is not one of [recency,relevancy]",
        )
    window = _window_params(ctx, search=True)
    _renderer(ctx, "tweet")  # the fields are checked before the query
    try:
        parsed = Query.parse(query)
    except QueryError as exc:
        return Reply(400, unknowns.search_query_error(query, str(exc)))
    emu = ctx.emulator
    ds = emu.dataset
    now = emu.now()
    oldest = now - SEARCH_WINDOW_S
    posts: list[dict[str, Any]] = []
    for tid in ds.newest_first():
        post = ds.tweet(tid)
        if post is None:
            continue
        when = _post_time(post)
        if when is None or when < oldest:
            break  # newest first: everything after is older still
        if when > now or not _in_window(post, window):
            continue
        if parsed.matches(post, ds.user):
            posts.append(post)
    if order == "relevancy":
        posts.sort(key=unknowns.search_relevancy, reverse=True)
    token = _one_value(ctx, "next_token") or _one_value(ctx, "pagination_token")
    scope = _scope("sr", query, order, repr(sorted(window.items())))
    return _page_of_posts(ctx, posts, limit, scope, token)


_PAGE_PARAMS = frozenset({"max_results", "pagination_token"})
_WINDOW_PARAMS = frozenset({"since_id", "until_id", "start_time", "end_time"})
_USER_TWEETS_PARAMS = _PAGE_PARAMS | _WINDOW_PARAMS | {"exclude"}
_SEARCH_PARAMS = _PAGE_PARAMS | _WINDOW_PARAMS | {"query", "next_token", "sort_order"}


def _v2_route(endpoint: str, handler: Handler, **kw: Any) -> Route:
    """The route of ``endpoint``: method, path and auth from compat._v2.ROUTES."""
    return Route.from_v2(V2_ROUTES[endpoint], handler, **kw)


def v2_routes(*, public_likes: bool = False) -> tuple[Route, ...]:
    """The v2 routes, tried in this order: /2/users/me before /2/users/{id}, whose {id} would
    match "me".

    Likes lookups take user context only: X's spec v2.167 lists no BearerToken security on
    ``liked_tweets`` and ``liking_users`` (x-docs-2026/openapi.json; an app-only bearer got
    "Unsupported Authentication", x-docs-2026/README.md). ``public_likes`` serves them as
    before June 2024, when the docs listed "OAuth 2.0 Bearer Token" for both and tweepy's
    recording listed user 783214's likes as @TweepyDev: app-only bearers and anyone's likes.
    """
    likes_auth = "any" if public_likes else "user"
    return (
        _v2_route("users_me", _users_me, params=_USER_PARAMS),
        _v2_route("user_by_username", _user_by_username, params=_USER_PARAMS),
        # /2/users/by before /2/users/{id}, whose {id} would match "by"
        _v2_route("users_by_usernames", _users_by_usernames, params=_USER_PARAMS | {"usernames"}),
        _v2_route("users", _users, params=_USER_PARAMS | {"ids"}),
        _v2_route("user_tweets", _user_tweets, params=_TWEET_PARAMS | _USER_TWEETS_PARAMS),
        _v2_route("search_recent", _search_recent, params=_TWEET_PARAMS | _SEARCH_PARAMS),
        _v2_route(
            "liked_tweets", _liked_tweets, params=_TWEET_PARAMS | _PAGE_PARAMS, auth=likes_auth
        ),
        _v2_route("like", _like, self_param="id", params=frozenset()),
        _v2_route("unlike", _unlike, self_param="id", params=frozenset()),
        _v2_route("user_by_id", _user_by_id, params=_USER_PARAMS),
        _v2_route(
            "liking_users", _liking_users, params=_USER_PARAMS | _PAGE_PARAMS, auth=likes_auth
        ),
        _v2_route("tweets", _tweets, params=_TWEET_PARAMS | {"ids"}),
        _v2_route("tweet", _tweet, params=_TWEET_PARAMS),
    )


#: The v2 routes as served by default (likes private, as in 2026).
ROUTES: tuple[Route, ...] = v2_routes()


def _reads(endpoint: str, resource: str) -> bool:
    """Whether ``endpoint`` returns ``resource`` ("post", "user") in its ``data``."""
    spec = V2_ROUTES.get(endpoint)
    return spec is not None and spec.resource == resource


def _post_ids(endpoint: str, doc: dict[str, Any]) -> list[str]:
    """The posts one answer returned, in ``data`` and as expansions ("Posts retrieved",
    x-api_fundamentals_post-cap.mdx:28)."""
    found: list[Any] = []
    data = doc.get("data")
    if _reads(endpoint, "post"):
        found.extend(data if isinstance(data, list) else [data])
    includes = doc.get("includes")
    if isinstance(includes, dict) and isinstance(includes.get("tweets"), list):
        found.extend(includes["tweets"])
    return [p["id"] for p in found if isinstance(p, dict) and isinstance(p.get("id"), str)]


def _schema_breaking(doc: Any) -> Any:
    """The same document with its v2 shape broken (ids as numbers, liked as a string...)."""
    if not isinstance(doc, dict) or "data" not in doc:
        return {"data": 42}
    data = doc["data"]
    broken = dict(doc)
    if isinstance(data, list) and data and isinstance(data[0], dict) and "id" in data[0]:
        broken["data"] = [{**item, "id": int(item["id"])} for item in data]
    elif isinstance(data, dict) and "id" in data:
        broken["data"] = {**data, "id": int(data["id"])}
    elif isinstance(data, dict) and "liked" in data:
        broken["data"] = {"liked": str(data["liked"]).lower()}
    else:
        broken["data"] = 42
    return broken


# -- the HTTP layer ---------------------------------------------------------------------
class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    emulator: Emulator

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hung up first (its timeout during a "slow" fault) is normal here:
        # log it instead of printing socketserver's traceback to stderr.
        kind, exc = sys.exc_info()[:2]
        if kind is not None and issubclass(kind, (BrokenPipeError, ConnectionResetError)):
            log.debug("emulator.client_gone %s: %s", client_address, exc)
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out at once, no 40 ms ACK stalls
    server: _Server

    def version_string(self) -> str:
        return "tsa_b"

    def setup(self) -> None:
        super().setup()
        self.server.emulator._track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.emulator._track(self.connection, add=False)

    def log_message(self, format: str, *args: Any) -> None:
        """Silenced: every request is logged once as ``emulator.request`` instead."""

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_PATCH(self) -> None:
        self._dispatch()

    def _read_body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if length and length.strip().isdigit():
            return self.rfile.read(int(length))
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        return b""

    def _dispatch(self) -> None:
        body = self._read_body()
        emu = self.server.emulator
        outcome = emu._handle(
            self.command,
            self.path,
            dict(self.headers.items()),
            body,
        )
        if outcome is None:  # fault "drop": close without a byte
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        reply = outcome
        payload = reply.body()
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Cache-Control", "no-cache, no-store, max-age=0")
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)


class Emulator:
    """An X API v2 Likes emulator on a real socket; a context manager.

    ``dataset`` None means the shipped default dataset; ``likes=N`` adds N synthetic posts
    liked by the default user; ``clock`` (e.g. :class:`~compat.emulator.clock.FakeClock`)
    drives the rate-limit windows; ``rate_limits=False`` starts with limits lifted. ``plan``
    (a name of compat's plans table, default ``"enterprise"``, where likes work) decides which
    endpoints are offered, their rate limits and the monthly post cap: under
    ``"pay-per-use"`` like and unlike are refused as a self-serve app is refused
    (:data:`compat.emulator.unknowns.PLAN_REFUSAL`). ``public_likes=True`` serves the likes
    lookups as before June 2024 (app-only bearers, anyone's likes). The server binds ``host``
    on ``port`` (0: any free port); ``host`` must be a loopback address unless
    ``allow_remote=True``. A bad argument raises :class:`~compat.errors.ConfigurationError`
    naming it, before anything is started.

    Billing on demand: :attr:`credits` (``emu.credits.deplete()``: 402 from now on) and
    :attr:`usage_cap` (``emu.usage_cap.reach()`` or ``.set(n)``: 429 usage-capped on post
    reads), see :mod:`compat.emulator.billing`.
    """

    def __init__(
        self,
        dataset: Dataset | str | os.PathLike[str] | None = None,
        *,
        likes: int = 0,
        clock: Clock | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        rate_limits: bool = True,
        allow_remote: bool = False,
        plan: str | Plan = DEFAULT_PLAN,
        public_likes: bool = False,
        screen_name: str | None = None,
    ) -> None:
        # every check first: a bad argument leaves nothing built, bound or started
        screen_name = check_screen_name(screen_name)
        dataset = check_dataset(dataset)
        likes = check_likes(likes)
        clock = check_clock(clock)
        allow_remote = check_flag(allow_remote, option="allow_remote")
        host = check_host(host, allow_remote=allow_remote)
        port = check_port(port)
        rate_limits = check_flag(rate_limits, option="rate_limits")
        self._plan = check_plan(plan)
        self._public_likes = check_flag(public_likes, option="public_likes")
        base = dataset if dataset is not None else Dataset.default()
        if screen_name is not None:
            base = base.with_screen_name(screen_name)
        self.clock = clock
        self._clock: Clock = clock if clock is not None else SystemClock()
        # the authored timelines end now: recent search's 7-day window has posts in it
        base = base.with_anchor(self._clock.time())
        self.dataset: Dataset = base.with_synthetic(likes) if likes else base
        self.host = host
        self.port = port
        self.state = State(self.dataset)
        self.faults = Faults(extra_endpoints=tuple(r.endpoint for r in GATEWAY_ROUTES))
        self.rate_limits = RateLimiter(self._clock, plan=self._plan, enabled=rate_limits)
        self.credits = Credits()
        self.usage_cap = UsageCap(self._clock, self._plan.monthly_post_cap)
        #: the hosted gateway's own state: per-key tiers, links, faults (compat.emulator.gateway)
        self.gateway = GatewayState(self._clock)
        self.routes: list[Route] = [
            *v2_routes(public_likes=self._public_likes),
            *GATEWAY_ROUTES,
            *GATEWAY_EXTRA_ROUTES,
        ]
        self._auth = Authenticator(self.dataset)
        self._records: list[RequestRecord] = []
        self._records_lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._connections: set[socket.socket] = set()
        self._conn_lock = threading.Lock()
        self._stopping = threading.Event()

    # -- lifecycle ----------------------------------------------------------------------
    def start(self) -> Emulator:
        """Bind and serve in a daemon thread; returns self."""
        if self._server is not None:
            return self
        if not is_loopback(self.host):
            log.warning(
                "the emulator listens on %s, so other machines can reach it and use its test "
                "credentials; leave --host at 127.0.0.1 unless that is what you want",
                self.host,
                extra={"event": "emulator.bind_non_loopback", "host": self.host},
            )

        server_cls = _Server
        if ":" in self.host:

            class _Server6(_Server):
                address_family = socket.AF_INET6

            server_cls = _Server6
        server = server_cls((self.host, self.port), _Handler)
        server.emulator = self
        self._server = server
        self._stopping.clear()
        self.port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"compat-emulator:{self.port}",
            daemon=True,
        )
        self._thread.start()
        log.info("emulator.start base_url=%s", self.base_url)
        return self

    def stop(self) -> None:
        """Stop serving, close open connections and the listening socket."""
        server = self._server
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        with self._conn_lock:
            conns = list(self._connections)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None
        log.info("emulator.stop port=%s", self.port)

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.base_url if self._server is not None else "stopped"
        return (
            f"Emulator({where}, plan={self._plan.name!r}, synthetic_likes={self.dataset.synthetic})"
        )

    def _track(self, conn: socket.socket, *, add: bool) -> None:
        with self._conn_lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    # -- what tests use -----------------------------------------------------------------
    @property
    def plan(self) -> Plan:
        """The plan served (compat's plans table entry)."""
        return self._plan

    @property
    def public_likes(self) -> bool:
        """Whether likes lookups are served as before June 2024 (see :func:`v2_routes`)."""
        return self._public_likes

    @property
    def base_url(self) -> str:
        """``http://HOST:PORT`` (no trailing slash)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def user_id(self) -> str:
        """The default user's id."""
        return self.dataset.default_user

    @property
    def credentials(self) -> Credentials:
        """OAuth 1.0a credentials of the default user (emulator-only test secrets)."""
        return self._oauth1_for(self.dataset.default_user)

    def _user_id_for(self, username: str) -> str:
        uid = self.dataset.user_id_for(username)
        if uid is None:
            raise InvalidParameter("username", f"no user @{username} in the emulator dataset")
        return uid

    def _oauth1_for(self, user_id: str) -> Credentials:
        token = self.dataset.token_for(user_id)
        app = self.dataset.app(token.app)
        return Credentials(
            app.consumer_key, app.consumer_secret, token.access_token, token.access_token_secret
        )

    def credentials_for(self, username: str) -> Credentials:
        """OAuth 1.0a credentials for another dataset user (by @username, case-insensitive)."""
        return self._oauth1_for(self._user_id_for(username))

    def oauth2_credentials(self, username: str | None = None) -> Credentials:
        """OAuth 2.0 user-context credentials (a bearer token) for a user (default user)."""
        uid = self.dataset.default_user if username is None else self._user_id_for(username)
        return Credentials(bearer_token=self.dataset.token_for(uid).bearer_token)

    @property
    def app_only_bearer(self) -> str:
        """The default app's app-only bearer token (post and user lookups only; likes lookups
        too with ``public_likes=True``)."""
        return next(iter(self.dataset.apps.values())).bearer_token

    @property
    def requests(self) -> list[RequestRecord]:
        """Every served request except control-path ones, in arrival order (a copy)."""
        with self._records_lock:
            return list(self._records)

    def clear_requests(self) -> None:
        with self._records_lock:
            self._records.clear()

    def now(self) -> float:
        """The emulator's time (its clock's, else the wall clock's), in epoch seconds."""
        return self._clock.time()

    def reset(self) -> None:
        """Back to the starting state: likes, pending faults, rate-limit counts, credits, the
        monthly cap, request log."""
        self.state = State(self.dataset)
        self.faults.clear()
        self.rate_limits.reset()
        self.credits.refill()
        self.usage_cap.reset()
        self.gateway.reset()
        self.clear_requests()

    def gateway_key(
        self, username: str | None = None, *, write: bool = True, linked: bool = True
    ) -> str:
        """A gateway API key linked to a user's X session (``write=False``: without
        like.write; ``linked=False``: no account linked yet)."""
        user_id = self.user_id if username is None else self.dataset.user_id_for(username)
        if user_id is None:
            raise InvalidParameter("username", f"no such user in the dataset: {username!r}")
        return _gateway_key(self, user_id, write=write, linked=linked)

    def add_route(self, route: Route, *, first: bool = True) -> None:
        """Serve another route (e.g. a gateway) against the same state."""
        self.routes.insert(0 if first else len(self.routes), route)
        self.faults.endpoints.add(route.endpoint)

    # -- request processing -------------------------------------------------------------
    def _record(self, rec: RequestRecord) -> None:
        with self._records_lock:
            self._records.append(rec)

    def _handle(
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> Reply | None:
        parts = urlsplit(target)
        path = parts.path
        query = parse_qs(parts.query, keep_blank_values=True)
        if path.startswith(CONTROL_PREFIX):
            return handle_control(self, method, path, query, body)
        route, params = self._match(method, path)
        endpoint = route.endpoint if route is not None else "unknown"
        principal: Principal | None = None
        auth_error: AuthFailed | None = None
        if route is not None and route.auth != "none":
            host = next((v for k, v in headers.items() if k.lower() == "host"), self.host)
            try:
                principal = self._auth.authenticate(method, f"http://{host}{target}", headers, body)
            except AuthFailed as exc:
                auth_error = exc
        fault = self.faults.take(endpoint) if route is not None else None
        reply = self._process(
            route, params, method, path, query, headers, body, principal, auth_error, fault
        )
        status = 0 if reply is None else reply.status
        user_id = principal.user_id if principal is not None else None
        self._record(RequestRecord(method, path, query, endpoint, status, user_id, body))
        log.debug(
            "emulator.request method=%s path=%s endpoint=%s status=%s",
            method,
            path,
            endpoint,
            status,
        )
        return reply

    def _match(self, method: str, path: str) -> tuple[Route | None, dict[str, str]]:
        for route in self.routes:
            if route.method != method:
                continue
            match = route.pattern.fullmatch(path)
            if match:
                return route, match.groupdict()
        return None, {}

    def _process(
        self,
        route: Route | None,
        params: dict[str, str],
        method: str,
        path: str,
        query: dict[str, list[str]],
        headers: dict[str, str],
        body: bytes,
        principal: Principal | None,
        auth_error: AuthFailed | None,
        fault: Fault | None,
    ) -> Reply | None:
        if route is None:
            return Reply(404, NOT_FOUND_PAGE)
        if fault is not None:
            if fault.kind == "drop":
                return None
            if fault.kind == "slow":
                self._stopping.wait(fault.delay or 0.0)
            elif fault.kind in ("500", "503"):
                status = fault.status or int(fault.kind)
                title = "Internal Server Error" if status == 500 else "Service Unavailable"
                return problem(
                    {"title": title, "detail": title, "type": "about:blank", "status": status}
                )
            elif fault.kind == "429":
                retry = int(fault.delay if fault.delay is not None else 60)
                reset = int(self._clock.time()) + retry
                return canned(
                    problems.TOO_MANY_REQUESTS,
                    {
                        "x-rate-limit-limit": "50",
                        "x-rate-limit-remaining": "0",
                        "x-rate-limit-reset": str(reset),
                        "Retry-After": str(retry),
                    },
                    status=fault.status,
                )
            elif fault.kind in _REFUSAL_FAULTS:
                ordinary: dict[str, str] = {}
                if fault.kind == "usage-capped" and principal is not None:
                    # as recorded: the caller's ordinary, not exhausted, rate-limit headers
                    ordinary = self.rate_limits.peek(principal.rate_key, route.endpoint)
                return canned(_REFUSAL_FAULTS[fault.kind], ordinary, status=fault.status)
        reply = self._serve(
            route, params, method, path, query, headers, body, principal, auth_error
        )
        if fault is not None and fault.kind in ("malformed", "truncated", "schema"):
            reply = self._corrupt(reply, fault)
        return reply

    def _serve(
        self,
        route: Route,
        params: dict[str, str],
        method: str,
        path: str,
        query: dict[str, list[str]],
        headers: dict[str, str],
        body: bytes,
        principal: Principal | None,
        auth_error: AuthFailed | None,
    ) -> Reply:
        if route.auth != "none":
            if auth_error is not None or principal is None:
                return canned(problems.UNAUTHORIZED)
            if route.auth == "user" and not principal.is_user:
                return canned(problems.APP_ONLY_REFUSED)
        rate_headers: dict[str, str] = {}
        # The gateway's routes (auth "none") are no X plan's business.
        if principal is not None:
            for step in unknowns.REFUSAL_ORDER:
                refused = self._refusal(step, route, params, principal, rate_headers)
                if refused is not None:
                    return refused
        ctx = Context(self, method, path, params, query, headers, body, principal)
        try:
            self._check_params(route, query)
            reply = route.handler(ctx)
        except InvalidRequest as exc:
            reply = Reply(400, exc.body())
        reply.headers = {**rate_headers, **reply.headers}
        if principal is not None and principal.kind == "oauth1":
            reply.headers.setdefault("x-access-level", "read-write")
        if principal is not None:
            # Owned Reads: your own liked_tweets and tweets (x-api_getting-started_pricing.mdx:129)
            owned = (
                route.endpoint in ("liked_tweets", "user_tweets")
                and params.get("id") == principal.user_id
            )
            self._bill(route.endpoint, reply, owned=owned)
        return reply

    def _refusal(
        self,
        step: str,
        route: Route,
        params: dict[str, str],
        principal: Principal,
        rate_headers: dict[str, str],
    ) -> Reply | None:
        """The refusal of one step of :data:`compat.emulator.unknowns.REFUSAL_ORDER`, or None;
        the "rate-limit" step counts the request and fills ``rate_headers``."""
        if step == "plan":
            offered = self._offered(route.endpoint)
            return None if offered else canned(unknowns.PLAN_REFUSAL)
        if step == "credits":
            return canned(problems.CREDITS_DEPLETED) if self.credits.depleted else None
        if step == "path-user":
            other = route.self_param and params.get(route.self_param) != principal.user_id
            return canned(problems.FORBIDDEN) if other else None
        if step == "rate-limit":
            allowed, headers = self.rate_limits.hit(principal.rate_key, route.endpoint)
            rate_headers.update(headers)
            return None if allowed else canned(problems.TOO_MANY_REQUESTS, rate_headers)
        if step == "usage-cap":
            capped = self.usage_cap.reached and _reads(
                route.endpoint, unknowns.CAP_REFUSES_RESOURCE
            )
            # with the ordinary headers of the counted request, as recorded
            return canned(unknowns.CAP_REFUSAL, rate_headers) if capped else None
        raise ValueError(f"unknown refusal step {step!r}")

    def _offered(self, endpoint: str) -> bool:
        """Whether the plan offers ``endpoint``; one the table does not list is served."""
        terms = self._plan.endpoints.get(endpoint)
        return terms is None or terms.available

    def _bill(self, endpoint: str, reply: Reply, *, owned: bool) -> None:
        """Count what a served answer is billed for: "Only successful responses that return
        data are billed" (x-api_fundamentals_post-cap.mdx:133), its posts toward the cap;
        ``owned``: an Owned Read (the caller's own liked_tweets)."""
        doc = reply.doc
        if not 200 <= reply.status < 300 or not isinstance(doc, dict) or "data" not in doc:
            return
        self.credits.spend()
        if owned and not unknowns.CAP_COUNTS_OWNED_READS:
            return
        self.usage_cap.count(_post_ids(endpoint, doc))

    @staticmethod
    def _check_params(route: Route, query: dict[str, list[str]]) -> None:
        if route.params is None:
            return
        unknown = [k for k in query if k not in route.params and not k.startswith("oauth_")]
        if unknown:
            allowed = ",".join(sorted(route.params))
            raise InvalidRequest(
                [
                    {
                        "parameters": {k: query[k]},
                        "message": f"The query parameter [{k}] is not one of [{allowed}]",
                    }
                    for k in unknown
                ]
            )

    @staticmethod
    def _corrupt(reply: Reply, fault: Fault) -> Reply:
        status = fault.status or reply.status
        if fault.kind == "malformed":
            raw = b"<!DOCTYPE html><html><body><h1>Over capacity</h1></body></html>"
            return Reply(status, raw=raw, headers=reply.headers)
        if fault.kind == "truncated":
            full = reply.body()
            return Reply(status, raw=full[: max(1, len(full) // 2)], headers=reply.headers)
        return Reply(status, _schema_breaking(reply.doc), headers=reply.headers)
