"""The hosted gateway (AIsa), as its documentation describes it, served from the emulator's own
state: the likes it writes are the likes the v2 routes list, its posts the v2 routes' posts.

Every behaviour cites its source in ``tests/realdata/aisa-docs``; what the docs leave open is
decided in :mod:`compat.emulator.unknowns` (``GATEWAY_*``), nowhere else.

Routes, under ``/apis/v1`` (the default base ``https://api.aisa.one/apis/v1``):

=============================================  ===============================================
``POST /twitter/like_twitter``                 ``{"tweet_id"}`` → ``{"data": {"liked": true}}``,
``POST /twitter/unlike_twitter``               idempotent (like_twitter.mdx lines 15-23,
                                               unlike_twitter.mdx lines 15-23)
``GET /twitter/tweets?tweet_ids=…``            ``{"tweets": [Tweet], "status", "message"}``
                                               (tweet-batch_01.json lines 263-309)
``POST /twitter/auth_twitter``                 ``{"auth_url", "state", "expires_at"}``
                                               (actions.json lines 29-104)
``GET /twitter/oauth_callback``                the link's end: the session is kept against
                                               the key (auth_twitter.mdx lines 25-27)
``GET /i/oauth2/authorize`` (no prefix)        stands in for X's consent screen: approves at
                                               once and redirects to the callback
=============================================  ===============================================

Each request to the first four: the API key (``Authorization: Bearer``, actions.json lines
13-26; 401 ``missing_api_key`` / ``invalid_api_key``, errors.mdx line 45) → a fault asked for
(:meth:`GatewayState.inject`) → the key's quota (429 ``quota_exceeded``) → its requests per
minute by tier (429 ``rate_limit_exceeded``, rate-limits.mdx lines 22-29; counted per key,
line 6) → the route. Every answer has ``X-RateLimit-Limit-Requests`` / ``-Remaining-Requests``
/ ``-Reset-Requests`` (rate-limits.mdx lines 49-69), a 429 also ``Retry-After``; errors are the
envelope ``{"error": {"type", "code", "message", "request_id"}}`` (errors.mdx lines 12-28).

Keys: every dataset user with a token has three, :func:`gateway_key`: ``write=True`` (linked,
the default scopes, auth_twitter.mdx lines 33-43), ``write=False`` (linked without
``like.write``: 403 ``client-forbidden``, like_twitter.mdx line 28) and ``linked=False`` (no
account linked yet, until ``auth_twitter`` and the callback link it).

Usage::

    >>> import requests
    >>> from compat.emulator import Emulator
    >>> with Emulator() as emu:
    ...     key = emu.gateway_key()
    ...     r = requests.post(emu.base_url + "/apis/v1/twitter/unlike_twitter",
    ...                       json={"tweet_id": "1293593516040269825"},
    ...                       headers={"Authorization": f"Bearer {key}"}, timeout=5)
    ...     r.status_code, r.json(), r.headers["X-RateLimit-Limit-Requests"]
    (200, {'data': {'liked': False}}, '600')
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import hmac
import json
import re
import urllib.parse
from collections.abc import Callable, Mapping
from typing import Any

from compat import _v2
from compat.emulator import unknowns
from compat.emulator.gateway_state import DEFAULT_SCOPES, FAULT_CODES, LIKE_SCOPES, GatewayState
from compat.emulator.routing import Context, EmulatorView, Handler, Reply, Route

__all__ = [
    "FAULT_CODES",
    "GATEWAY_EXTRA_ROUTES",
    "GATEWAY_PREFIX",
    "GATEWAY_ROUTES",
    "GatewayState",
    "gateway_key",
    "gateway_tweet",
    "gateway_user",
]

#: The gateway's base path (``/apis/v1``), where compat's table puts its routes.
GATEWAY_PREFIX = urllib.parse.urlsplit(_v2.DEFAULT_GATEWAY_URL).path.rstrip("/")
#: X's consent screen (the documented example auth_url, actions.json line 84), emulated.
AUTHORIZE_PATH = "/i/oauth2/authorize"
CALLBACK_PATH = "/twitter/oauth_callback"
_TWEET_ID = re.compile(r"[0-9]{1,19}")
_VARIANTS = ("rw", "ro", "new")


# errors.mdx line 25: the categories; which code is in which is not listed beyond 401's
# (line 15) and 429's (rate-limits.mdx line 75)
_TYPES = {401: "authentication_error", 429: "rate_limit_error", 500: "api_error"}


def _type_of(status: int) -> str:
    if status in _TYPES:
        return _TYPES[status]
    return "upstream_error" if status >= 502 else "invalid_request_error"


def gateway_key(emu: EmulatorView, user_id: str, *, write: bool = True, linked: bool = True) -> str:
    """The gateway API key issued for ``user_id``: linked to their X session with the default
    scopes (``write``), linked without ``like.write`` (``write=False``), or not linked yet
    (``linked=False``)."""
    variant = "new" if not linked else ("rw" if write else "ro")
    secret = emu.dataset.token_for(user_id).access_token_secret
    label = f"gateway:{user_id}:{variant}"
    digest = hmac.new(secret.encode(), label.encode(), hashlib.sha256).hexdigest()[:32]
    return f"gw-{variant}-{digest}"


# -- the gateway's shapes, from the emulator's v2 posts and users -------------------------------


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _v1_time(iso: Any) -> str | None:
    """v2's ``2023-02-16T12:20:16.000Z`` as the gateway writes times (unknowns
    ``GATEWAY_TIME_FORMAT``: v1.1's ``Thu Feb 16 12:20:16 +0000 2023``)."""
    if not isinstance(iso, str):
        return None
    if unknowns.GATEWAY_TIME_FORMAT != "v1.1":
        return iso
    moment = _dt.datetime.strptime(iso[:19], "%Y-%m-%dT%H:%M:%S")
    return (
        f"{_DAYS[moment.weekday()]} {_MONTHS[moment.month - 1]} {moment.day:02d} "
        f"{moment:%H:%M:%S} +0000 {moment.year}"
    )


def gateway_user(user: Mapping[str, Any]) -> dict[str, Any]:
    """A v2 user of the dataset in the gateway's ``User`` shape (tweet-batch lines 160-254)."""
    metrics = user.get("public_metrics") or {}
    verified_type = user.get("verified_type")
    out: dict[str, Any] = {
        "type": "user",
        "userName": user.get("username"),
        "url": f"https://x.com/{user.get('username')}",
        "id": user["id"],
        "name": user.get("name"),
        "isBlueVerified": bool(user.get("verified")) and verified_type in (None, "blue"),
        "verifiedType": verified_type or ("none" if not user.get("verified") else None),
        "profilePicture": user.get("profile_image_url"),
        "description": user.get("description"),
        "location": user.get("location"),
        "followers": metrics.get("followers_count"),
        "following": metrics.get("following_count"),
        "createdAt": _v1_time(user.get("created_at")),
        "favouritesCount": metrics.get("like_count"),
        "statusesCount": metrics.get("tweet_count"),
        "withheldInCountries": list((user.get("withheld") or {}).get("country_codes") or []),
    }
    pinned = user.get("pinned_tweet_id")
    if pinned:
        out["pinnedTweetIds"] = [pinned]
    return {k: v for k, v in out.items() if v is not None}


def gateway_tweet(emu: EmulatorView, post: Mapping[str, Any]) -> dict[str, Any]:
    """A v2 post of the dataset in the gateway's ``Tweet`` shape (tweet-batch lines 21-159),
    with the like count of the emulator's state; the choices the docs leave open are
    :data:`compat.emulator.unknowns.GATEWAY_TIME_FORMAT`'s."""
    ds = emu.dataset
    note = post.get("note_tweet") or {}
    text = note.get("text") or post["text"]
    ents = (note.get("entities") if note else None) or post.get("entities") or {}
    metrics = post.get("public_metrics") or {}
    author = ds.user(post.get("author_id") or "")
    refs = {r.get("type"): r.get("id") for r in post.get("referenced_tweets") or ()}
    tid = post["id"]
    out: dict[str, Any] = {
        "type": "tweet",
        "id": tid,
        "url": f"https://x.com/{(author or {}).get('username', 'i')}/status/{tid}",
        "text": text,
        "source": post.get("source"),
        "retweetCount": metrics.get("retweet_count"),
        "replyCount": metrics.get("reply_count"),
        "likeCount": emu.state.like_count(tid),
        "quoteCount": metrics.get("quote_count"),
        "viewCount": metrics.get("impression_count"),
        "createdAt": _v1_time(post.get("created_at")),
        "lang": post.get("lang"),
        "bookmarkCount": metrics.get("bookmark_count"),
        "isReply": "replied_to" in refs,
        "conversationId": post.get("conversation_id"),
        "isLimitedReply": post.get("reply_settings") not in (None, "everyone"),
    }
    if "replied_to" in refs:
        out["inReplyToId"] = refs["replied_to"]
        replied = post.get("in_reply_to_user_id")
        if replied:
            out["inReplyToUserId"] = replied
            user = ds.user(replied)
            if user is not None:
                out["inReplyToUsername"] = user.get("username")
    if author is not None:
        out["author"] = gateway_user(author)
    mentions = []
    for mention in ents.get("mentions") or ():
        name = mention.get("username")
        uid = mention.get("id") or ds.user_id_for(name or "")
        user = ds.user(uid) if uid else None
        mentions.append(
            {
                "id_str": uid,
                "name": user.get("name") if user else None,
                "screen_name": user.get("username", name) if user else name,
            }
        )
    out["entities"] = {
        "hashtags": [
            {"indices": [h["start"], h["end"]], "text": h["tag"]}
            for h in ents.get("hashtags") or ()
        ],
        "urls": [
            {
                "display_url": u.get("display_url"),
                "expanded_url": u.get("expanded_url"),
                "indices": [u["start"], u["end"]],
                "url": u["url"],
            }
            for u in ents.get("urls") or ()
            if not u.get("media_key")
        ],
        "user_mentions": [{k: v for k, v in m.items() if v is not None} for m in mentions],
    }
    for kind, field in (("quoted", "quoted_tweet"), ("retweeted", "retweeted_tweet")):
        if refs.get(kind):
            out[field] = refs[kind]
    return {k: v for k, v in out.items() if v is not None}


# -- the routes --------------------------------------------------------------------------------


def _key_of(ctx: Context) -> tuple[str, str, str] | None:
    """(key, user id, variant) of the API key in the Authorization header, if it is one."""
    header = ctx.header("Authorization") or ""
    if not header.startswith("Bearer "):
        return None
    key = header[len("Bearer ") :].strip()
    for token in ctx.emulator.dataset.tokens():
        for variant in _VARIANTS:
            issued = gateway_key(
                ctx.emulator, token.user_id, write=variant == "rw", linked=variant != "new"
            )
            if hmac.compare_digest(issued, key):
                return key, token.user_id, variant
    return "", "", ""  # a key, but not one this gateway issued


def _limit_headers(gw: GatewayState, limit: int, remaining: int, reset: int) -> dict[str, str]:
    suffix = "-Requests" if gw.header_spelling == "requests" else ""
    return {
        f"X-RateLimit-Limit{suffix}": str(limit),
        f"X-RateLimit-Remaining{suffix}": str(remaining),
        f"X-RateLimit-Reset{suffix}": str(reset),
    }


def _error(
    gw: GatewayState,
    status: int,
    code: str,
    message: str,
    headers: dict[str, str] | None = None,
) -> Reply:
    doc = {
        "error": {
            "type": _type_of(status),
            "code": gw.code(code),
            "message": message,
            "request_id": gw.request_id(),
        }
    }
    return Reply(status, doc, dict(headers or {}))


_MESSAGES = {
    "rate_limit_exceeded": "Rate limit exceeded for this API key.",
    "upstream_rate_limit": "The upstream X API rate limit was hit.",
    "quota_exceeded": "The quota of this API key is exhausted.",
    "upstream_unavailable": "Upstream X API unreachable.",
    "upstream_timeout": "The upstream X API timed out.",
    "gateway_error": "The gateway could not complete the request.",
    "insufficient_permissions": "This API key lacks permission for this endpoint.",
}


@dataclasses.dataclass
class _Call:
    """One authenticated gateway request."""

    ctx: Context
    gw: GatewayState
    key: str
    user_id: str
    variant: str

    @property
    def emulator(self) -> EmulatorView:
        return self.ctx.emulator

    def body(self) -> Any:
        try:
            return json.loads(self.ctx.body.decode("utf-8") or "null")
        except (UnicodeDecodeError, ValueError):
            return None


def _gateway(endpoint: str, handler: Callable[[_Call], Reply]) -> Handler:
    """The checks every gateway request goes through (see the module doc), then ``handler``;
    the rate-limit headers on whatever is answered."""

    def serve(ctx: Context) -> Reply:
        gw = ctx.emulator.gateway
        found = _key_of(ctx)
        if found is None:
            return _error(gw, 401, "missing_api_key", "No API key: send Authorization: Bearer.")
        key, user_id, variant = found
        if not key:
            return _error(gw, 401, "invalid_api_key", "The API key provided is invalid.")
        fault = gw.take_fault(endpoint)
        if fault is not None and fault.status != 429:
            message = _MESSAGES.get(fault.code, f"Injected {fault.code}.")
            return _error(gw, fault.status, fault.code, message)
        allowed, limit, remaining, reset = gw.count(key)
        headers = _limit_headers(gw, limit, remaining, reset)
        if fault is not None:  # a 429 asked for: a spent window, as the real one says it
            wait = fault.retry_after if fault.retry_after is not None else 60
            headers = _limit_headers(gw, limit, 0, int(ctx.emulator.now()) + wait)
            headers["Retry-After"] = str(wait)
            return _error(gw, 429, fault.code, _MESSAGES.get(fault.code, "Rate limited."), headers)
        if gw.quota_spent(key):
            return _error(gw, 429, "quota_exceeded", _MESSAGES["quota_exceeded"], headers)
        if not allowed:
            headers["Retry-After"] = str(max(1, reset - int(ctx.emulator.now())))
            return _error(gw, 429, "rate_limit_exceeded", _MESSAGES["rate_limit_exceeded"], headers)
        reply = handler(_Call(ctx, gw, key, user_id, variant))
        reply.headers = {**headers, **reply.headers}
        return reply

    return serve


def _write(liked: bool) -> Callable[[_Call], Reply]:
    def handler(call: _Call) -> Reply:
        gw = call.gw
        payload = call.body()
        tweet_id = payload.get("tweet_id") if isinstance(payload, dict) else None
        if not isinstance(tweet_id, str) or not _TWEET_ID.fullmatch(tweet_id):
            # like_twitter.mdx line 27; the id pattern, actions.json lines 215-216
            return _error(
                gw, 400, "invalid_request", "tweet_id is required and must match ^[0-9]{1,19}$."
            )
        scopes = gw.scopes(call.key, call.variant)
        if scopes is None:
            return _error(
                gw,
                403,
                unknowns.GATEWAY_UNLINKED,
                "No X account is linked to this API key: link one via "
                "POST /apis/v1/twitter/auth_twitter.",
            )
        if not set(LIKE_SCOPES) <= scopes:
            return _error(  # like_twitter.mdx line 28
                gw,
                403,
                "client_forbidden",
                "The linked X session lacks the like.write scope. Re-link via auth_twitter.",
            )
        emu = call.emulator
        if emu.dataset.tweet(tweet_id) is None:  # like_twitter.mdx line 29
            return _error(
                gw,
                404,
                "resource_not_found",
                "The tweet does not exist or is not visible to the source user.",
            )
        if liked:
            emu.state.like(call.user_id, tweet_id)
        else:
            emu.state.unlike(call.user_id, tweet_id)
        return Reply(200, {"data": {"liked": liked}})

    return handler


def _tweets(call: _Call) -> Reply:
    gw = call.gw
    raw = ",".join(call.ctx.query.get("tweet_ids", []))
    ids = [i.strip() for i in raw.split(",") if i.strip()]
    if not ids:
        return _error(gw, 400, "missing_parameter", "tweet_ids is required.")
    if len(ids) > unknowns.GATEWAY_READ_MAX_IDS or not all(_TWEET_ID.fullmatch(i) for i in ids):
        return _error(
            gw,
            400,
            "invalid_request",
            f"tweet_ids must be 1 to {unknowns.GATEWAY_READ_MAX_IDS} ids matching ^[0-9]{{1,19}}$.",
        )
    emu = call.emulator
    found = []
    for tid in dict.fromkeys(ids):
        post = emu.dataset.tweet(tid)
        if post is not None:
            found.append(gateway_tweet(emu, post))
    return Reply(200, {"tweets": found, "status": "success", "message": ""})


def _origin(ctx: Context) -> str:
    host = ctx.header("Host") or "127.0.0.1"
    return f"http://{host}"


def _iso(epoch: float) -> str:
    moment = _dt.datetime.fromtimestamp(int(epoch), tz=_dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _auth(call: _Call) -> Reply:
    gw = call.gw
    payload = call.body() if call.ctx.body else {}
    asked = payload.get("scopes") if isinstance(payload, dict) else None
    if asked is None:
        scopes = frozenset(DEFAULT_SCOPES)  # auth_twitter.mdx lines 35-43
    elif (
        isinstance(asked, list)
        and asked
        and all(isinstance(s, str) and s in DEFAULT_SCOPES for s in asked)
    ):
        scopes = frozenset(asked)
    else:  # actions.json lines 91-92
        return _error(gw, 400, "invalid_request", "Invalid scopes: contains an unsupported scope.")
    state, expires = gw.start_link(call.key, call.user_id, scopes)
    origin = _origin(call.ctx)
    query = urllib.parse.urlencode(
        {
            "response_type": "code",
            "client_id": "AIsa",
            "redirect_uri": origin + GATEWAY_PREFIX + CALLBACK_PATH,
            "scope": " ".join(s for s in DEFAULT_SCOPES if s in scopes),
            "state": state,
            "code_challenge": hashlib.sha256(state.encode()).hexdigest()[:43],
            "code_challenge_method": "S256",
        },
        quote_via=urllib.parse.quote,
    )
    url = f"{origin}{AUTHORIZE_PATH}?{query}"
    return Reply(200, {"auth_url": url, "state": state, "expires_at": _iso(expires)})


def _authorize(ctx: Context) -> Reply:
    """X's consent screen, approved at once: back to the redirect_uri with a code."""
    state = (ctx.query.get("state") or [""])[-1]
    target = (ctx.query.get("redirect_uri") or [""])[-1]
    if ctx.emulator.gateway.pending(state, finish=False) is None or not target:
        return Reply(400, raw=b"unknown or expired state", content_type="text/plain")
    code = hashlib.sha256(f"code:{state}".encode()).hexdigest()[:24]
    location = f"{target}?{urllib.parse.urlencode({'code': code, 'state': state})}"
    return Reply(302, raw=b"", headers={"Location": location}, content_type="text/plain")


def _callback(ctx: Context) -> Reply:
    """The gateway's fixed callback: validates ``state`` and keeps the session against the key
    (auth_twitter.mdx line 26)."""
    state = (ctx.query.get("state") or [""])[-1]
    code = (ctx.query.get("code") or [""])[-1]
    if not code or ctx.emulator.gateway.pending(state, finish=True) is None:
        return Reply(400, raw=b"unknown or expired state", content_type="text/plain")
    page = b"Your X account is linked. You can close this page."
    return Reply(200, raw=page, content_type="text/plain; charset=utf-8")


# method, path and endpoint name from compat's table; auth "none": the handler checks the
# gateway's own API key, X's OAuth does not apply
GATEWAY_ROUTES: tuple[Route, ...] = (
    Route.from_v2(
        _v2.GATEWAY_ROUTES["gateway_like"],
        _gateway("gateway_like", _write(True)),
        prefix=GATEWAY_PREFIX,
        auth="none",
    ),
    Route.from_v2(
        _v2.GATEWAY_ROUTES["gateway_unlike"],
        _gateway("gateway_unlike", _write(False)),
        prefix=GATEWAY_PREFIX,
        auth="none",
    ),
)
#: The posts read (openapi_twitter-tweet-batch_01.json line 263) and the account link
#: (openapi_twitter-actions.json line 29), as compat._gateway_reshape.READ_ROUTES names them
#: (a test checks that they agree), and the two pages a browser visits while linking.
GATEWAY_EXTRA_ROUTES: tuple[Route, ...] = (
    Route.make(
        "GET",
        GATEWAY_PREFIX + "/twitter/tweets",
        "gateway_tweets",
        _gateway("gateway_tweets", _tweets),
        auth="none",
    ),
    Route.make(
        "POST",
        GATEWAY_PREFIX + "/twitter/auth_twitter",
        "gateway_auth",
        _gateway("gateway_auth", _auth),
        auth="none",
    ),
    Route.make(
        "GET", GATEWAY_PREFIX + CALLBACK_PATH, "gateway_oauth_callback", _callback, auth="none"
    ),
    Route.make("GET", AUTHORIZE_PATH, "x_oauth_authorize", _authorize, auth="none"),
)
