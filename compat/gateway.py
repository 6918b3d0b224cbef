"""The hosted gateway backend (AIsa): likes and unlikes, and post reads, through one API key.

Since 2026-04-20 X's API likes and unlikes only for Enterprise apps; for everyone else a
gateway like this one may be the only way a legacy ``favorites/create`` / ``favorites/destroy``
still works (whether its likes still work after that date is not documented either). Built
from the gateway's own documentation, copied in ``tests/realdata/aisa-docs`` (file and line
cited where used):

* **Writes**: ``POST {base}/twitter/like_twitter`` and ``…/unlike_twitter`` with
  ``Authorization: Bearer <API key>`` and JSON ``{"tweet_id": "…"}`` (``^[0-9]{1,19}$``),
  answering ``{"data": {"liked": …}}``, idempotent (api-reference_twitter_like_twitter.mdx
  lines 7-23, …unlike_twitter.mdx lines 7-23). They act as the X account linked to the key:
  ``compat gateway link`` (:meth:`GatewayClient.link`, ``POST …/auth_twitter``) starts that link.
* **Reads**: ``GET {base}/twitter/tweets?tweet_ids=…`` answers the posts in the gateway's own
  shape (openapi_twitter-tweet-batch_01.json), validated by ``schemas/gateway/tweets.json`` and
  turned into v2's by :mod:`compat._gateway_reshape`, so create and destroy answer the same
  v1.1 status as the X backend wherever that shape carries the field, with one read and one
  write. ``read="x"`` (``gateway_read="x"``) looks posts up through X instead.
* **Listing likes**: the gateway has no such read. ``favorites/list`` reads X's
  ``liked_tweets`` with the linked account's **user-context** X credentials (an Owned Read when
  that user owns the app); without them :class:`~compat.errors.ConfigurationError` says what to
  set. An app-only bearer (``COMPAT_GATEWAY_SOURCE_BEARER``) is used for post lookups only,
  which is all X allows it.
* **Errors** (:data:`GATEWAY_ERROR_TABLE`, :func:`gateway_error_for`): the documented envelope
  ``{"error": {"type", "code", "message", "request_id"}}`` (api-reference_errors.mdx lines
  10-28), the causes in both spellings (``resource_not_found`` / ``resource-not-found``), each
  to a :class:`~compat.errors.CompatError` and a v1.1 answer; the ``request_id`` (what the
  gateway's support asks for, line 156) is kept on the error as ``request_id`` and in its
  message.
* **Limits**: ``X-RateLimit-Limit-Requests`` / ``-Remaining-Requests`` / ``-Reset-Requests``
  (api-reference_rate-limits.mdx lines 49-69), also spelt ``X-RateLimit-Limit`` / ``-Remaining``
  / ``-Reset`` (api-reference_errors.mdx lines 79-83), and ``Retry-After`` become the
  :class:`~compat.ratelimit.RateLimit` of every answer, hence the ``x-rate-limit-*`` headers a
  legacy client reads (``wait_on_rate_limit`` works). compat never retries a gateway 429 itself
  (a 429 may be ``quota_exceeded``, which no wait lifts); 5xx are retried within the bounds.

The API key travels only in a :class:`GatewayAuth` (its ``repr`` hides it): never in a repr,
an error, a log or audit line, a traceback's locals.

Configuration (environment; keyword arguments win): ``COMPAT_BACKEND=gateway``,
``COMPAT_GATEWAY_URL`` (default ``https://api.aisa.one/apis/v1``), ``COMPAT_GATEWAY_API_KEY``
(or ``AISA_API_KEY``), ``COMPAT_GATEWAY_READ`` (``gateway`` or ``x``), ``COMPAT_GATEWAY_TIER``
(``free``, ``starter``, ``growth``, ``enterprise``: its requests per minute, for the doctor),
``COMPAT_GATEWAY_USER_ID``, ``COMPAT_GATEWAY_SOURCE_BEARER``, the X credentials of the linked
account (``X_*`` …) for listing, and the like/unlike routes.

Usage::

    >>> from compat.gateway import GatewayClient
    >>> gw = GatewayClient("secret-key", base_url="http://127.0.0.1:9/apis/v1")
    >>> gw
    GatewayClient(base_url='http://127.0.0.1:9/apis/v1', api_key='***', read='gateway', source=None)
    >>> gw.can_lookup, gw.requests_per_minute
    (True, None)
    >>> gw.liked_tweets("12")
    Traceback (most recent call last):
    ...
    compat.errors.ConfigurationError: favorites/list through the gateway reads X's liked_tweets ...
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import re
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import requests

from compat import _gateway_reshape
from compat._oauth2 import with_stored_tokens
from compat._postcache import PostCache
from compat._settings import Settings, resolve
from compat._v2 import DEFAULT_GATEWAY_URL, GATEWAY_ROUTES
from compat.client import (
    CompanionBackend,
    LikesBackend,
    LikesClient,
    own_request,
    resolve_api_base,
)
from compat.credentials import AppBearer
from compat.errors import (
    V1_CODES,
    ApiError,
    BadRequest,
    ConfigurationError,
    Forbidden,
    InvalidParameter,
    NotFound,
    QuotaExhausted,
    ServerError,
    TooManyRequests,
    Unauthorized,
    api_error_for,
    v1_error_body,
)
from compat.params import snowflake
from compat.ratelimit import RateLimit
from compat.transport import DEFAULT_TIMEOUT, RetryPolicy, Timeout, Transport, V2Result, cut

__all__ = [
    "DEFAULT_GATEWAY_URL",
    "DEFAULT_LIKE_ROUTE",
    "DEFAULT_UNLIKE_ROUTE",
    "GATEWAY_ERROR_TABLE",
    "READS",
    "TWEETS_ROUTE",
    "GatewayAuth",
    "GatewayClient",
    "GatewayRule",
    "LinkStart",
    "gateway_error_for",
    "gateway_error_table_markdown",
    "rate_limit_from_headers",
    "request_id_of",
]

DEFAULT_UNLIKE_ROUTE = GATEWAY_ROUTES["gateway_unlike"].path
DEFAULT_LIKE_ROUTE = GATEWAY_ROUTES["gateway_like"].path
TWEETS_ROUTE = _gateway_reshape.READ_ROUTES["gateway_tweets"].path
LINK_ROUTE = _gateway_reshape.READ_ROUTES["gateway_auth"].path
#: Where create/destroy look the post up: through the gateway (default) or X's lookup.
READS: tuple[str, ...] = ("gateway", "x")
_ROUTE = re.compile(r"(/[A-Za-z0-9_.~-]+)+")
_WRITES = frozenset({"gateway_like", "gateway_unlike"})
_RELINK = (
    "link the account again with the like.write scope: `compat gateway link` "
    "(POST /apis/v1/twitter/auth_twitter)"
)
_LISTING = (
    "favorites/list through the gateway reads X's liked_tweets with the linked account's "
    "user-context X credentials (the gateway has no endpoint that lists likes): set that "
    "account's OAuth 1.0a keys (X_CONSUMER_KEY, X_CONSUMER_SECRET, X_ACCESS_TOKEN, "
    "X_ACCESS_TOKEN_SECRET) or an OAuth 2.0 user token with like.read (X_USER_ACCESS_TOKEN), "
    "or pass credentials=compat.Credentials(...); an app-only bearer token cannot list likes"
)

# -- rate-limit headers -----------------------------------------------------------------------

#: The gateway's headers for each RateLimit field, in both spellings its pages use
#: (api-reference_rate-limits.mdx lines 52-58 and 61-69; api-reference_errors.mdx lines 80-83).
GATEWAY_RATE_HEADERS: Mapping[str, tuple[str, ...]] = {
    "limit": ("x-ratelimit-limit-requests", "x-ratelimit-limit"),
    "remaining": ("x-ratelimit-remaining-requests", "x-ratelimit-remaining"),
    "reset": ("x-ratelimit-reset-requests", "x-ratelimit-reset"),
}
_X_NAMES = {
    "limit": "x-rate-limit-limit",
    "remaining": "x-rate-limit-remaining",
    "reset": "x-rate-limit-reset",
}
_DURATION = re.compile(r"(?:([0-9]+)h)?(?:([0-9]+)m(?!s))?(?:([0-9]+(?:[.][0-9]+)?)s)?")
# An epoch before this is a number of seconds, not a time (2001-09-09).
_EPOCH_FLOOR = 1_000_000_000


def _number(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 12 else None


def _reset(value: str | None, now: float) -> int | None:
    """A reset as the epoch second it happens at: the docs say "UNIX timestamp" (rate-limits
    line 67); a small number or a duration (``1s``, ``6m0s``, as OpenAI-style gateways send) is
    read as seconds from ``now``."""
    number = _number(value)
    if number is not None:
        return number if number >= _EPOCH_FLOOR else int(now) + number
    match = _DURATION.fullmatch((value or "").strip())
    if match is None or not any(match.groups()):
        return None
    hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    return int(now + hours * 3600 + minutes * 60 + seconds + 0.999)


def rate_limit_from_headers(headers: Mapping[str, str], now: float) -> RateLimit:
    """The :class:`~compat.ratelimit.RateLimit` of a gateway answer's headers (either spelling;
    ``Retry-After`` alone gives the reset ``now`` + its seconds).

    >>> rl = rate_limit_from_headers({"X-RateLimit-Limit-Requests": "600",
    ...     "X-RateLimit-Remaining-Requests": "0", "X-RateLimit-Reset-Requests": "1745012400"}, 0)
    >>> rl.limit, rl.remaining, rl.reset
    (600, 0, 1745012400)
    >>> rate_limit_from_headers({"Retry-After": "3", "X-RateLimit-Limit": "60"}, 1000.0).reset
    1003
    """
    lower = {k.lower(): v for k, v in headers.items()}
    found: dict[str, int | None] = {}
    for field, names in GATEWAY_RATE_HEADERS.items():
        value = next((lower[n] for n in names if n in lower), None)
        found[field] = _reset(value, now) if field == "reset" else _number(value)
    seconds = _number(lower.get("retry-after"))  # seconds (api-reference_errors.mdx line 80)
    if found["reset"] is None and seconds is not None:
        found["reset"] = int(now) + seconds
    return RateLimit(limit=found["limit"], remaining=found["remaining"], reset=found["reset"])


class GatewayAuth(requests.auth.AuthBase):
    """``Authorization: Bearer <API key>`` on each request, and the gateway's rate-limit headers
    written as X's ``x-rate-limit-*`` on each answer (a response hook, before compat reads
    them), so every answer's :class:`~compat.ratelimit.RateLimit` carries the gateway's limits.

    The key lives only here; ``repr`` hides it.

    >>> GatewayAuth("secret-key")
    GatewayAuth('***')
    """

    __slots__ = ("_clock", "_key")

    def __init__(self, key: str, clock: Callable[[], float] = time.time) -> None:
        if not isinstance(key, str) or not key.strip():
            raise ConfigurationError("the gateway needs an API key (COMPAT_GATEWAY_API_KEY)")
        self._key = key.strip()
        self._clock = clock

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers["Authorization"] = "Bearer " + self._key
        r.hooks.setdefault("response", []).append(self._x_headers)
        return r

    def _x_headers(self, response: requests.Response, **_kwargs: Any) -> requests.Response:
        found = rate_limit_from_headers(response.headers, self._clock())
        for field, name in _X_NAMES.items():
            value = getattr(found, field)
            if value is not None and name not in response.headers:
                response.headers[name] = str(value)
        return response

    def __repr__(self) -> str:
        return "GatewayAuth('***')"


# -- errors -----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class GatewayRule:
    """One row of :data:`GATEWAY_ERROR_TABLE`, first match wins.

    ``causes``: documented causes (one spelling, :func:`compat._gateway_reshape.cause`), empty
    for a row matched by status alone (``status``: ``"403"``, ``"502|503|504"``, ``"any"``;
    it never sees a documented cause, which has its own row);
    ``endpoints``: only for these (None: any); ``error``: the class raised (None: the status's,
    as for X); ``v1``: a :data:`compat.errors.V1_CODES` name, with ``message`` as its text
    (None: the table's); ``default``: map by X's table instead (codes of other products).
    """

    answer: str
    source: str
    causes: frozenset[str] = frozenset()
    status: str = "any"
    endpoints: frozenset[str] | None = None
    error: type[ApiError] | None = None
    v1: str = "bad_request"
    message: str | None = None
    advice: str = ""
    default: bool = False

    def matches(self, status: int, found: str | None, endpoint: str | None) -> bool:
        if self.causes:
            return found in self.causes
        if found is not None:
            return False  # a documented cause has its own row above
        if self.endpoints is not None and endpoint not in self.endpoints:
            return False
        if self.status == "any":
            return status >= 400
        return str(status) in self.status.split("|")


def _causes(*names: str) -> frozenset[str]:
    return frozenset(names)


_DASHBOARD = "the AIsa dashboard (https://console.aisa.one)"

#: The gateway answer → compat → v1.1 mapping (README "Second backend" shows it).
GATEWAY_ERROR_TABLE: tuple[GatewayRule, ...] = (
    GatewayRule(
        "403 `client-forbidden` (the linked X session lacks `like.write`, or no account is "
        "linked, or its session expired)",
        "like_twitter.mdx:28, openapi_twitter-actions.json:176-177",
        _causes("client_forbidden"),
        error=Forbidden,
        v1="no_permission",
        message="Your credentials do not allow access to this resource: the X session linked "
        "to the gateway API key lacks the like.write scope (or no account is linked); link "
        "it again via POST /apis/v1/twitter/auth_twitter (compat gateway link).",
        advice=_RELINK,
    ),
    GatewayRule(
        "403 `insufficient_permissions` (the key or its workspace plan lacks the endpoint)",
        "api-reference_errors.mdx:50-56",
        _causes("insufficient_permissions"),
        error=Forbidden,
        v1="access_level",
        message="The gateway API key, or its workspace plan, does not include this endpoint: "
        "check the key's scopes and the plan in the AIsa dashboard. This is not an X "
        "permission; linking the account again does not help.",
        advice=f"the key or its plan lacks this endpoint: check the key's scopes and the "
        f"workspace plan in {_DASHBOARD}; not an X permission, re-linking does not help",
    ),
    GatewayRule(
        "401 `missing_api_key` / `invalid_api_key` / `revoked_api_key`",
        "api-reference_errors.mdx:42-48",
        _causes("missing_api_key", "invalid_api_key", "revoked_api_key"),
        error=Unauthorized,
        v1="could_not_authenticate",
        message="Could not authenticate you (the gateway API key is missing, invalid or revoked).",
        advice=f"check COMPAT_GATEWAY_API_KEY against {_DASHBOARD}",
    ),
    GatewayRule(
        "404 `resource_not_found` / `resource-not-found` (the post does not exist or is not "
        "visible to the linked account)",
        "api-reference_errors.mdx:61, like_twitter.mdx:29",
        _causes("resource_not_found"),
        error=NotFound,
        v1="no_status",
    ),
    GatewayRule(
        "404 `unknown_endpoint`",
        "api-reference_errors.mdx:58-64",
        _causes("unknown_endpoint"),
        error=NotFound,
        v1="page_not_found",
        advice="the gateway does not know this path: check COMPAT_GATEWAY_URL and the "
        "like/unlike routes",
    ),
    GatewayRule(
        "400 `missing_parameter`",
        "api-reference_errors.mdx:37",
        _causes("missing_parameter"),
        error=BadRequest,
        v1="missing_parameter",
        message="tweet_id parameter is missing (gateway 400).",
    ),
    GatewayRule(
        "400 `invalid_request` / `invalid-request` / `invalid_parameter_type` (tweet_id not "
        "`^[0-9]{1,19}$`; compat refuses such ids before sending)",
        "api-reference_errors.mdx:37, like_twitter.mdx:27",
        _causes("invalid_request", "invalid_parameter_type"),
        error=BadRequest,
        v1="invalid_parameter",
        message="tweet_id parameter is invalid (gateway 400).",
    ),
    GatewayRule(
        "400 `json_parse_error`",
        "api-reference_errors.mdx:37",
        _causes("json_parse_error"),
        error=BadRequest,
        v1="bad_request",
    ),
    GatewayRule(
        "429 `rate_limit_exceeded` / `upstream_rate_limit` (the key's requests per minute, or "
        "X's limit)",
        "api-reference_errors.mdx:74-86, api-reference_rate-limits.mdx:71-89",
        _causes("rate_limit_exceeded", "upstream_rate_limit"),
        error=TooManyRequests,
        v1="rate_limited",
    ),
    GatewayRule(
        "429 `quota_exceeded` (the key's quota; never retried)",
        "api-reference_errors.mdx:77, api-reference_rate-limits.mdx:75",
        _causes("quota_exceeded"),
        error=QuotaExhausted,
        v1="usage_capped",
        message="Quota exceeded: this gateway API key's quota is used up. Requests are refused "
        "until it is raised or the wallet is topped up; waiting for the rate-limit reset does "
        "not help.",
        advice=f"top up the wallet or ask for a quota increase in {_DASHBOARD}; waiting "
        "for the rate-limit reset does not help",
    ),
    GatewayRule(
        "502 / 503 / 504 `upstream_unavailable` / `upstream_timeout` / `gateway_error` "
        "(retried within the bounds first)",
        "api-reference_errors.mdx:94-100, openapi_twitter-actions.json:188-189",
        _causes("upstream_unavailable", "upstream_timeout", "gateway_error"),
        error=ServerError,
        v1="over_capacity",
    ),
    GatewayRule(
        "codes of the gateway's other products (`model_not_allowed`, `region_blocked`, "
        "`unknown_model`, `max_tokens_exceeded`, `unsupported_parameter`, "
        "`content_policy_violation`)",
        "api-reference_errors.mdx:53, 61, 69",
        _gateway_reshape.OTHER_PRODUCT_CODES,
        v1="bad_request",
        default=True,
        advice='as X\'s answer of the same status (README "Errors")',
    ),
    GatewayRule(
        "401 without a documented code",
        "openapi_twitter-actions.json:173-174",
        status="401",
        error=Unauthorized,
        v1="could_not_authenticate",
        message="Could not authenticate you (the gateway API key).",
        advice=f"check COMPAT_GATEWAY_API_KEY against {_DASHBOARD}",
    ),
    GatewayRule(
        '403 on like/unlike without a documented code ("OAuth session missing, expired, or '
        'lacking `like.write`")',
        "openapi_twitter-actions.json:176-177",
        status="403",
        endpoints=_WRITES,
        error=Forbidden,
        v1="no_permission",
        message="Your credentials do not allow access to this resource: the X session linked "
        "to the gateway API key is missing, expired or lacks like.write; link it again via "
        "POST /apis/v1/twitter/auth_twitter (compat gateway link).",
        advice=_RELINK,
    ),
    GatewayRule(
        "404 on like/unlike or the posts read without a documented code",
        "openapi_twitter-actions.json:179-180",
        status="404",
        endpoints=_WRITES | {"gateway_tweets"},
        error=NotFound,
        v1="no_status",
    ),
    GatewayRule(
        "400 without a documented code",
        "openapi_twitter-actions.json:170-171",
        status="400",
        error=BadRequest,
        v1="invalid_parameter",
        message="tweet_id parameter is invalid (gateway 400).",
    ),
    GatewayRule(
        "429 without a documented code",
        "openapi_twitter-actions.json:182-183",
        status="429",
        error=TooManyRequests,
        v1="rate_limited",
    ),
    GatewayRule(
        "502, 503, 504 without a documented code (retried within the bounds first)",
        "api-reference_errors.mdx:94-100",
        status="502|503|504",
        error=ServerError,
        v1="over_capacity",
    ),
    GatewayRule(
        "any other answer (e.g. 500, 422)",
        "api-reference_errors.mdx:66-92",
        default=True,
        advice='as X\'s answer of the same status (README "Errors")',
    ),
)


def _envelope(body: Any) -> tuple[str | None, str | None, str | None, str | None]:
    """(cause, code as sent, message, request_id) of an error body: the documented envelope
    first, then the fields an X-style body uses (``type``, ``code``, ``title``, ``reason``)."""
    if not isinstance(body, dict):
        return None, None, None, None
    error = body.get("error")
    inner = error if isinstance(error, dict) else {}
    sent = [inner.get("code"), inner.get("type"), error if isinstance(error, str) else None]
    sent += [body.get(k) for k in ("code", "type", "reason", "title")]
    found = next((c for c in map(_gateway_reshape.cause, sent) if c is not None), None)
    code = next((s for s in sent if isinstance(s, str) and s), None)
    message = next(
        (
            m
            for m in (inner.get("message"), body.get("message"), body.get("detail"))
            if isinstance(m, str) and m
        ),
        None,
    )
    request_id = next(
        (r for r in (inner.get("request_id"), body.get("request_id")) if isinstance(r, str)),
        None,
    )
    return found, code, message, request_id


def request_id_of(error: BaseException) -> str | None:
    """The gateway's ``request_id`` an error carries (None for every other error).

    >>> request_id_of(gateway_error_for(404, {"error": {"code": "resource_not_found",
    ...                                                 "request_id": "req_01J"}}))
    'req_01J'
    """
    found = vars(error).get("request_id")
    return found if isinstance(found, str) else None


def _when(epoch: int) -> str:
    moment = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def gateway_error_for(
    status: int,
    body: Any,
    *,
    rate_limit: RateLimit | None = None,
    request: requests.PreparedRequest | None = None,
    response: requests.Response | None = None,
    endpoint: str | None = None,
) -> ApiError:
    """The :class:`~compat.errors.ApiError` (and its v1.1 answer) for a gateway error, by the
    first row of :data:`GATEWAY_ERROR_TABLE` that matches; ``endpoint`` is the gateway route's
    name (``gateway_like``…). The body's ``request_id`` is kept as the error's ``request_id``.

    >>> err = gateway_error_for(403, {"error": {"type": "invalid_request_error",
    ...     "code": "client-forbidden", "message": "no like.write", "request_id": "req_1"}})
    >>> type(err).__name__, err.v1_status, err.v1_codes, request_id_of(err)
    ('Forbidden', 403, [220], 'req_1')
    >>> gateway_error_for(403, {"error": {"code": "insufficient_permissions"}}).v1_codes
    [453]
    """
    found, code, message, request_id = _envelope(body)
    rule = next(
        (r for r in GATEWAY_ERROR_TABLE if r.matches(status, found, endpoint)),
        GATEWAY_ERROR_TABLE[-1],
    )
    if rule.default:
        # X's table by status, with the gateway's words where X's would be
        flat = {"title": code, "detail": message} if code or message else None
        error = api_error_for(
            status, flat, rate_limit=rate_limit, request=request, response=response
        )
        error.v2_body = body
    else:
        cls = rule.error or ApiError
        error = cls(
            "",
            status=status,
            v2_body=body,
            rate_limit=rate_limit,
            v1=v1_error_body(rule.v1, rule.message),
            request=request,
            response=response,
        )
    text = f"gateway answered HTTP {status}"
    if code:
        text += f" {cut(code, 100)}"
    text += f": {cut(message, 300) if message else 'no error detail in the response'}"
    resume = rate_limit.retry_at if rate_limit is not None else None
    if isinstance(error, TooManyRequests) and resume is not None:
        text += f" — requests resume at {_when(resume)} (x-rate-limit-reset {resume})"
    if rule.advice:
        text += f" — {rule.advice}"
    if request_id is not None:
        shown = cut(request_id, 100)
        text += f" (gateway request_id {shown})"
        vars(error)["request_id"] = shown
        errors = error.v1_body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            errors[0]["message"] = f"{errors[0].get('message', '')} (request_id {shown})"
    error.message = text
    error.args = (text,)
    return error


def gateway_error_table_markdown() -> str:
    """:data:`GATEWAY_ERROR_TABLE` as the Markdown the README shows.

    >>> print(gateway_error_table_markdown().splitlines()[0])
    | gateway answer | compat raises | v1.1 status / code | source (tests/realdata/aisa-docs) |
    """
    lines = [
        "| gateway answer | compat raises | v1.1 status / code "
        "| source (tests/realdata/aisa-docs) |",
        "| --- | --- | --- | --- |",
    ]
    for rule in GATEWAY_ERROR_TABLE:
        if rule.default:
            raised, v1 = "as X's answer of that status", "as X's (see *Errors*)"
        else:
            raised = f"`{(rule.error or ApiError).__name__}`"
            status, code, _text = V1_CODES[rule.v1]
            v1 = f"{status} / {code}"
        lines.append(f"| {rule.answer} | {raised} | {v1} | {rule.source} |")
    return "\n".join(lines)


# -- the backend ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class LinkStart:
    """What ``POST /twitter/auth_twitter`` answered: the URL the account's owner opens, its
    ``state`` token and when the URL expires (openapi_twitter-actions.json lines 59-87)."""

    auth_url: str
    state: str
    expires_at: str | None
    scopes: tuple[str, ...]


def _is_user_context(backend: LikesBackend | None) -> bool:
    return backend is not None and not isinstance(getattr(backend, "credentials", None), AppBearer)


class GatewayClient:
    """Likes and post reads through a hosted gateway; listing from X with user context.

    ``source``: an X API v2 client (:class:`~compat.client.LikesClient`) for what the gateway
    cannot do: with the linked account's user credentials it lists likes (and looks posts up
    when ``read="x"``); with an app-only :class:`~compat.credentials.AppBearer` it only looks
    posts up. ``read``: ``"gateway"`` (default) or ``"x"``: where create/destroy look the
    post up. ``tier``: the gateway tier of the key (its requests per minute, for messages).
    ``retry``: the transport's policy; a 429 is never retried here (see the module doc).
    """

    name = "gateway"

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str | None = None,
        like_route: str = DEFAULT_LIKE_ROUTE,
        unlike_route: str = DEFAULT_UNLIKE_ROUTE,
        source: LikesBackend | None = None,
        user_id: object = None,
        read: str = "gateway",
        tier: str | None = None,
        session: requests.Session | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
        proxies: Mapping[str, str] | None = None,
        verify: bool | str | None = None,
        cert: str | tuple[str, str] | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._auth = GatewayAuth(api_key, clock)  # repr hides the key
        del api_key  # no frame below keeps it (tracebacks with locals)
        for name, route in (("like_route", like_route), ("unlike_route", unlike_route)):
            if not isinstance(route, str) or not _ROUTE.fullmatch(route):
                raise ConfigurationError(f"{name} must be a path like '/twitter/like_twitter'")
        if read not in READS:
            raise ConfigurationError(f"read must be 'gateway' or 'x', got {read!r:.40}")
        if tier is not None and tier not in _gateway_reshape.TIERS:
            raise ConfigurationError(
                f"tier must be one of {', '.join(_gateway_reshape.TIERS)}, got {tier!r:.40}"
            )
        if read == "x" and source is None:
            raise ConfigurationError(
                "gateway_read='x' looks posts up through X: it needs X credentials (the "
                "linked account's, or COMPAT_GATEWAY_SOURCE_BEARER for an app-only bearer)"
            )
        self.base_url = resolve_api_base(base_url or DEFAULT_GATEWAY_URL)
        self.like_route = like_route
        self.unlike_route = unlike_route
        self.source = source
        self.read = read
        self.tier = tier
        self.user_id = None if user_id is None else snowflake(user_id, "user_id")
        policy = retry or RetryPolicy(statuses=frozenset({500, 502, 503, 504}))
        self.transport = Transport(
            session=session,
            timeout=timeout,
            proxies=proxies,
            verify=verify,
            cert=cert,
            # a gateway 429 may be quota_exceeded, which the transport cannot tell apart
            # before retrying; the legacy client waits for x-rate-limit-reset instead
            retry=dataclasses.replace(policy, retry_on_429=False),
            sleep=sleep,
            clock=clock,
        )

    def __repr__(self) -> str:
        # getattr: a reporter may show an instance whose __init__ raised half-way
        return (
            f"GatewayClient(base_url={getattr(self, 'base_url', None)!r}, api_key='***', "
            f"read={getattr(self, 'read', None)!r}, source={getattr(self, 'source', None)!r})"
        )

    @property
    def can_lookup(self) -> bool:
        """Posts are looked up through the gateway, or through X with ``read="x"``."""
        return self.read == "gateway" or self.source is not None

    @property
    def post_cache(self) -> PostCache | None:
        """The X source's post cache (None without a source): the posts it listed or looked
        up, which create/destroy use instead of a lookup when fresh."""
        cache = getattr(self.source, "post_cache", None)
        return cache if isinstance(cache, PostCache) else None

    @property
    def can_list(self) -> bool:
        """Whether ``favorites/list`` can be served: X user-context credentials are set."""
        return _is_user_context(self.source)

    @property
    def credentials(self) -> object:
        """The X user credentials listing likes acts as (None without them): the service
        prices the account's own likes as Owned Reads and names the account in audit lines."""
        return getattr(self.source, "credentials", None) if self.can_list else None

    @property
    def requests_per_minute(self) -> int | None:
        """The documented requests per minute of ``tier`` (None: no tier said, or custom)."""
        return None if self.tier is None else _gateway_reshape.TIERS[self.tier]

    @classmethod
    def from_settings(cls, settings: Settings) -> GatewayClient:
        """The gateway backend one :class:`~compat._settings.Settings` value describes: its
        ``gateway_*`` options, the transport options, and the X source: ``gateway_source``,
        else a client for the first account's user credentials, else an app-only client for
        ``gateway_source_bearer`` (post lookups only), else none."""
        if settings.gateway_api_key is None:
            raise ConfigurationError("the gateway needs an API key (COMPAT_GATEWAY_API_KEY)")
        transport = settings.transport_options
        source = settings.gateway_source
        # the X source's answers feed the post cache create/destroy read (lookup "auto")
        cache = PostCache(settings.post_cache_size, settings.post_cache_ttl, clock=settings.clock)
        if source is None and settings.accounts:
            source = LikesClient(
                with_stored_tokens(settings.accounts[0], settings.token_file),
                api_base=settings.api_base,
                token_refreshed=settings.token_refreshed,
                token_file=settings.token_file,
                post_cache=cache,
                **transport,
            )
        if source is None and settings.gateway_source_bearer is not None:
            source = LikesClient(
                AppBearer(settings.gateway_source_bearer),
                api_base=settings.api_base,
                post_cache=cache,
                **transport,
            )
        return cls(
            settings.gateway_api_key,
            base_url=settings.gateway_url,
            like_route=settings.gateway_like_route,
            unlike_route=settings.gateway_unlike_route,
            source=source,
            user_id=settings.gateway_user_id,
            read=settings.gateway_read,
            tier=settings.gateway_tier,
            **transport,
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> GatewayClient:
        """Built from the ``COMPAT_GATEWAY_*`` variables (see the module docstring);
        ``overrides`` are options of :class:`compat.Favorites` (``gateway_url``,
        ``timeout``…), checked as every way in checks them."""
        settings = resolve(
            {**overrides, "backend": "gateway"},
            door="GatewayClient.from_env",
            environ=environ,
            layered=False,
        )
        return cls.from_settings(settings)

    # -- requests to the gateway --------------------------------------------------------------

    def _request(
        self,
        method: str,
        route: str,
        endpoint: str,
        schema: str,
        *,
        params: Mapping[str, str] | None = None,
        json_body: Mapping[str, Any] | None = None,
    ) -> V2Result:
        with own_request():
            return self.transport.request(
                method,
                self.base_url + route,
                endpoint=endpoint,
                schema=schema,
                params=params,
                json_body=json_body,
                auth=self._auth,
                error_for=functools.partial(gateway_error_for, endpoint=endpoint),
                error_schema="gateway/error",
            )

    def _write(self, route: str, tweet_id: object, endpoint: str) -> V2Result:
        tid = snowflake(tweet_id, "tweet_id")
        return self._request(
            "POST", route, endpoint, "gateway/like_result", json_body={"tweet_id": tid}
        )

    def like(self, tweet_id: object) -> V2Result:
        """``POST {base}/twitter/like_twitter`` ``{"tweet_id": "…"}``."""
        return self._write(self.like_route, tweet_id, "gateway_like")

    def unlike(self, tweet_id: object) -> V2Result:
        """``POST {base}/twitter/unlike_twitter`` ``{"tweet_id": "…"}``."""
        return self._write(self.unlike_route, tweet_id, "gateway_unlike")

    def read_tweets(self, ids: Sequence[object]) -> V2Result:
        """``GET {base}/twitter/tweets?tweet_ids=…`` (1-100 ids), answered in v2's shape: the
        posts in ``data``, authors and embedded posts in ``includes``, a ``resource-not-found``
        entry in ``errors`` for each id the gateway did not return."""
        if isinstance(ids, (str, bytes)) or not 1 <= len(ids) <= 100:
            raise InvalidParameter("ids", "must be a sequence of 1 to 100 ids")
        clean = [snowflake(i, "ids") for i in ids]
        result = self._request(
            "GET", TWEETS_ROUTE, "gateway_tweets", "gateway/tweets",
            params={"tweet_ids": ",".join(clean)},
        )  # fmt: skip
        payload = result.payload
        if payload.get("status") == "error":
            # a 200 that says it failed (the reads' "status" field, tweet-batch line 297-299)
            said = payload.get("message") or payload.get("msg") or "no message"
            raise ServerError(
                f"gateway answered HTTP {result.status} with status 'error': {cut(str(said), 300)}",
                status=result.status,
                v2_body=payload,
                rate_limit=result.rate_limit,
                v1=v1_error_body("over_capacity"),
            )
        converted = _gateway_reshape.tweets_to_v2(payload, clean)
        return V2Result(converted, result.rate_limit, result.status)

    def link(self, scopes: Sequence[str] | None = None) -> LinkStart:
        """Start linking an X account to the key: ``POST {base}/twitter/auth_twitter``, with
        ``scopes`` (default: the gateway's own set, which holds what likes need). A scope the
        gateway does not offer, or a set without ``like.write``, ``tweet.read`` and
        ``users.read``, is refused here, before anything is sent."""
        chosen: tuple[str, ...] = ()
        if scopes is not None:
            if isinstance(scopes, str) or not all(isinstance(s, str) for s in scopes):
                raise InvalidParameter("scopes", "must be a list of X OAuth 2.0 scope names")
            chosen = tuple(dict.fromkeys(s.strip() for s in scopes if s.strip()))
            unknown = [s for s in chosen if s not in _gateway_reshape.DEFAULT_SCOPES]
            if unknown:
                raise InvalidParameter(
                    "scopes",
                    f"the gateway offers {', '.join(_gateway_reshape.DEFAULT_SCOPES)}; not "
                    f"{', '.join(repr(s)[:40] for s in unknown)}",
                )
            lacking = [s for s in _gateway_reshape.LIKE_SCOPES if s not in chosen]
            if lacking:
                raise InvalidParameter(
                    "scopes", f"likes need like.write, tweet.read and users.read; add {lacking}"
                )
        body: dict[str, Any] = {"scopes": list(chosen)} if chosen else {}
        result = self._request("POST", LINK_ROUTE, "gateway_auth", "gateway/auth_link",
                               json_body=body)  # fmt: skip
        answer = result.payload
        expires = answer.get("expires_at")
        return LinkStart(
            str(answer["auth_url"]),
            str(answer["state"]),
            expires if isinstance(expires, str) else None,
            chosen or _gateway_reshape.DEFAULT_SCOPES,
        )

    # -- reads, through the gateway or X ------------------------------------------------------

    def _lister(self) -> LikesBackend:
        if self.source is None or not self.can_list:
            raise ConfigurationError(_LISTING)
        return self.source

    def _x(self, what: str) -> LikesBackend:
        if self.source is None:
            raise ConfigurationError(
                f"the gateway cannot {what}; it needs X credentials: the linked account's "
                "(X_CONSUMER_KEY … or X_USER_ACCESS_TOKEN), or credentials=compat.Credentials()"
            )
        return self.source

    def authenticated_user_id(self) -> str:
        """Whose likes ``favorites/list`` lists: the X credentials' user, else
        ``COMPAT_GATEWAY_USER_ID`` (the gateway does not say which account its key is linked
        to), else :class:`~compat.errors.ConfigurationError` naming what to configure."""
        if self.can_list and self.source is not None:
            return self.source.authenticated_user_id()
        if self.user_id is not None:
            return self.user_id
        raise ConfigurationError(_LISTING)

    def liked_tweets(
        self,
        user_id: object,
        *,
        max_results: int = 100,
        pagination_token: str | None = None,
        query: Mapping[str, str] | None = None,
    ) -> V2Result:
        return self._lister().liked_tweets(
            user_id, max_results=max_results, pagination_token=pagination_token, query=query
        )

    def lookup_tweets(
        self, ids: Sequence[object], query: Mapping[str, str] | None = None
    ) -> V2Result:
        """Posts by id: through the gateway (``read="gateway"``; ``query`` does not apply, the
        gateway sends its whole shape) or X's ``GET /2/tweets`` (``read="x"``)."""
        if self.read == "x":
            return self._x("look posts up through X").lookup_tweets(ids, query)
        return self.read_tweets(ids)

    def user_by_username(
        self, username: object, query: Mapping[str, str] | None = None
    ) -> V2Result:
        return self._x("look users up").user_by_username(username, query)

    def me(self) -> V2Result:
        return self._x("say who you are").me()

    # -- the companion reads (verify_credentials, users/*, statuses/*, search/tweets) ------------

    def _reader(self, what: str) -> CompanionBackend:
        """The X source for a companion read; the gateway itself serves none of them."""
        source = self._x(what)
        if not isinstance(source, CompanionBackend):
            raise ConfigurationError(
                f"the gateway cannot {what}, and its X source ({type(source).__name__}) "
                "serves only the favorites calls; give it a compat.LikesClient"
            )
        return source

    def profile(self, query: Mapping[str, str] | None = None) -> V2Result:
        return self._reader("say who you are").profile(query)

    def users(self, ids: Sequence[object], query: Mapping[str, str] | None = None) -> V2Result:
        return self._reader("look users up").users(ids, query)

    def users_by_usernames(
        self, usernames: Sequence[object], query: Mapping[str, str] | None = None
    ) -> V2Result:
        return self._reader("look users up").users_by_usernames(usernames, query)

    def user_by_id(self, user_id: object, query: Mapping[str, str] | None = None) -> V2Result:
        return self._reader("look users up").user_by_id(user_id, query)

    def user_tweets(
        self,
        user_id: object,
        *,
        max_results: int = 100,
        pagination_token: str | None = None,
        since_id: str | None = None,
        until_id: str | None = None,
        exclude: Sequence[str] = (),
        query: Mapping[str, str] | None = None,
    ) -> V2Result:
        return self._reader("read a user's timeline").user_tweets(
            user_id,
            max_results=max_results,
            pagination_token=pagination_token,
            since_id=since_id,
            until_id=until_id,
            exclude=exclude,
            query=query,
        )

    def search_recent(
        self,
        text: str,
        *,
        max_results: int = 100,
        next_token: str | None = None,
        since_id: str | None = None,
        until_id: str | None = None,
        end_time: str | None = None,
        sort_order: str | None = None,
        query: Mapping[str, str] | None = None,
    ) -> V2Result:
        return self._reader("search posts").search_recent(
            text,
            max_results=max_results,
            next_token=next_token,
            since_id=since_id,
            until_id=until_id,
            end_time=end_time,
            sort_order=sort_order,
            query=query,
        )
