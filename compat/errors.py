"""Every exception compat raises, and the v2 → v1.1 error mapping.

The hierarchy::

    CompatError                      base; carries .request and .response (may be None)
    ├── ConfigurationError           missing/unsupported credentials or settings
    ├── InvalidParameter             bad caller input; raised before any request (also ValueError)
    ├── TransportError               connection failure or timeout, after the bounded retries
    ├── MalformedResponse            the server's body is not the JSON it promised
    │   └── SchemaError              a v2 payload in, or a v1.1 object out, breaks its JSON schema
    └── ApiError                     the API answered with an error (.status, .v2_body, .rate_limit)
        ├── BadRequest               400
        ├── Unauthorized             401
        ├── Forbidden                403
        │   └── PlanRefused          403 client-not-enrolled on a like/unlike: the plan has no likes
        ├── NotFound                 404
        ├── TooManyRequests          429 (.rate_limit.retry_at says when to come back)
        ├── QuotaExhausted           money or monthly quota used up: no wait of minutes helps
        │   ├── CreditsDepleted      402 pay-per-use credits used up (add credits)
        │   └── UsageCapExceeded     429 usage-capped (wait for the next billing cycle)
        └── ServerError              5xx

``QuotaExhausted`` is not a ``TooManyRequests`` on purpose: code that sleeps until
``rate_limit.reset`` on a ``TooManyRequests`` would loop on a monthly cap.

Every ``ApiError`` also carries what v1.1 would have answered in its place:
``.v1_status`` and ``.v1_body`` (``{"errors": [{"code": …, "message": …}]}``), which the
monkeypatch adapter sends to legacy client libraries so that they raise their own errors.
Which v2 answer becomes which is one table, :data:`ERROR_TABLE` (first matching row wins),
shown in the README as :func:`error_table_markdown` renders it; :func:`api_error_for` applies it
to error statuses, :func:`lookup_error` to the ``errors[]`` entries of a lookup's 200 answer.

Usage::

    >>> from compat.errors import NotFound, api_error_for
    >>> err = NotFound("gone", v2_body={"title": "Not Found Error"})
    >>> err.v1_status, err.v1_body["errors"][0]["code"]
    (404, 144)
    >>> capped = api_error_for(429, {"title": "UsageCapExceeded", "period": "Monthly",
    ...                              "detail": "Usage cap exceeded: Monthly product cap",
    ...                              "type": "https://api.twitter.com/2/problems/usage-capped"})
    >>> type(capped).__name__, capped.v1_status, capped.v1_codes
    ('UsageCapExceeded', 403, [185])
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import urllib.parse
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from compat._v2 import GATEWAY_ROUTES, ROUTES

if TYPE_CHECKING:
    import requests

    from compat.ratelimit import RateLimit

__all__ = [
    "ERROR_TABLE",
    "V1_CODES",
    "ApiError",
    "BadRequest",
    "CompatError",
    "ConfigurationError",
    "CreditsDepleted",
    "ErrorRule",
    "Forbidden",
    "InvalidParameter",
    "MalformedResponse",
    "NotFound",
    "PlanRefused",
    "QuotaExhausted",
    "SchemaError",
    "ServerError",
    "TooManyRequests",
    "TransportError",
    "Unauthorized",
    "UsageCapExceeded",
    "api_error_for",
    "endpoint_for",
    "error_table_markdown",
    "lookup_error",
    "v1_error_body",
]

#: v1.1's 453 text, verbatim as X sent it in 2025 (Socioboard#440, quoted in
#: shared/realdata/x-docs-2026/README.md).
ACCESS_LEVEL_453 = (
    "You currently have access to a subset of X API V2 endpoints and limited v1.1 endpoints "
    "(e.g. media post, oauth) only. If you need access to this endpoint, you may need a "
    "different access level. You can learn more here: https://developer.x.com/en/portal/product"
)

# The v1.1 error codes compat produces (developer.x.com "Error codes & responses"; 179, 63 and
# 453 as quoted in shared/realdata/x-docs-2026/README.md).
V1_CODES: dict[str, tuple[int, int, str]] = {
    # name: (http status, v1.1 code, v1.1 message)
    "could_not_authenticate": (401, 32, "Could not authenticate you."),
    # v1.1's answer to a request with no (readable) authorization: HTTP 400 in every public
    # capture (rhiever/data-analysis-and-machine-learning-projects#49, tweepy/tweepy#905,
    # haarts/golang_news#2; dev.twitter.com's 2013 response-codes page: "In API v1.1, requests
    # without authentication are considered invalid and will yield this response")
    "bad_authentication_data": (400, 215, "Bad Authentication data."),
    "invalid_token": (401, 89, "Invalid or expired token."),
    "missing_parameter": (400, 38, "id parameter is missing."),
    "invalid_parameter": (400, 44, "id parameter is invalid."),
    "bad_request": (400, 214, "Bad request."),
    "page_not_found": (404, 34, "Sorry, that page does not exist."),
    "user_not_found": (404, 50, "User not found."),
    "no_status": (404, 144, "No status found with that ID."),
    "user_suspended": (403, 63, "User has been suspended."),
    "already_favorited": (403, 139, "You have already favorited this status."),
    "not_authorized_status": (403, 179, "Sorry, you are not authorized to see this status."),
    "access_level": (403, 453, ACCESS_LEVEL_453),
    # v1.1 said 185 when an account was over a (daily) update limit; a legacy client sees a
    # 403, never a 429, so that no library sleeps for a cap that lifts only with the cycle.
    "usage_capped": (
        403,
        185,
        "Usage cap exceeded: this app's monthly X API usage cap is used up. Requests are "
        "refused until the next billing cycle starts; waiting for the rate-limit reset does "
        "not help.",
    ),
    "credits_depleted": (
        403,
        453,
        "Your X developer account has no credits left to pay for this request. Add credits "
        "in the Developer Console (https://console.x.com), then try again.",
    ),
    "forbidden": (403, 200, "Forbidden."),
    "no_permission": (403, 220, "Your credentials do not allow access to this resource."),
    "missing_like_write": (
        403,
        220,
        "Your credentials do not allow access to this resource: the OAuth 2.0 user token "
        "lacks the like.write scope.",
    ),
    "rate_limited": (429, 88, "Rate limit exceeded"),
    # the companion calls (developer.twitter.com/en/docs/basics/response-codes): users/lookup
    # finding none of its users, search/tweets without q, and a parameter v1.1 took that
    # v2 cannot serve (v1.1's "Missing or invalid url parameter", with compat's reason)
    "no_user_matches": (404, 17, "No user matches for specified terms."),
    "query_missing": (400, 25, "Query parameters are missing."),
    "unsupported_parameter": (400, 195, "Missing or invalid url parameter."),
    "internal_error": (500, 131, "Internal error"),
    "over_capacity": (503, 130, "Over capacity"),
}


def v1_error_body(name: str, message: str | None = None) -> tuple[int, dict[str, Any]]:
    """The v1.1 (status, body) for one of the names in :data:`V1_CODES`.

    >>> v1_error_body("no_status")
    (404, {'errors': [{'code': 144, 'message': 'No status found with that ID.'}]})
    """
    status, code, default = V1_CODES[name]
    return status, {"errors": [{"code": code, "message": message or default}]}


class CompatError(Exception):
    """Base of every compat exception; ``request``/``response`` are the HTTP ones when known."""

    def __init__(
        self,
        message: str,
        *,
        request: requests.PreparedRequest | None = None,
        response: requests.Response | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.response = response

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class ConfigurationError(CompatError):
    """Credentials or settings are missing, incomplete or of a kind that cannot work."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


class InvalidParameter(CompatError, ValueError):
    """A caller's argument was rejected before any request was made.

    ``parameter`` names the argument; ``v1_status``/``v1_body`` are v1.1's answer to it.
    """

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        missing = "missing" in message
        self.v1_status, self.v1_body = v1_error_body(
            "missing_parameter" if missing else "invalid_parameter",
            f"{parameter} parameter is {'missing' if missing else 'invalid'}: {message}",
        )


class TransportError(CompatError):
    """The request never got an HTTP answer (connection refused/reset, timeout)."""


class MalformedResponse(CompatError):
    """The server answered with a body that is not the JSON the API promises."""


class SchemaError(MalformedResponse):
    """A document broke its JSON schema.

    ``schema`` is the schema's name (e.g. ``"v2/liked_tweets_page"``), ``path`` the JSON path
    of the offending value (``$.data[3].id``), ``rule`` the failing keyword (``pattern``) and
    ``schema_path`` where that rule sits in the schema.
    """

    def __init__(
        self,
        schema: str,
        path: str,
        rule: str,
        detail: str,
        *,
        schema_path: str = "",
        request: requests.PreparedRequest | None = None,
        response: requests.Response | None = None,
    ) -> None:
        super().__init__(
            f"{schema}: {path} violates {rule!r}: {detail}", request=request, response=response
        )
        self.schema = schema
        self.path = path
        self.rule = rule
        self.detail = detail
        self.schema_path = schema_path


class ApiError(CompatError):
    """The v2 API (or gateway) answered with an error status.

    ``status`` is the HTTP status, ``v2_body`` the decoded error body (problem JSON or the
    ``errors`` list), ``rate_limit`` the headers' :class:`~compat.ratelimit.RateLimit`, and
    ``v1_status``/``v1_body`` the v1.1 equivalent.
    """

    default_status = 0
    #: key into V1_CODES used when the v2 body says nothing more specific
    default_v1 = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        v2_body: Any = None,
        rate_limit: RateLimit | None = None,
        v1: tuple[int, dict[str, Any]] | None = None,
        request: requests.PreparedRequest | None = None,
        response: requests.Response | None = None,
    ) -> None:
        super().__init__(message, request=request, response=response)
        self.status = status if status is not None else self.default_status
        self.v2_body = v2_body
        self.rate_limit = rate_limit
        self.v1_status, self.v1_body = v1 if v1 is not None else v1_error_body(self.default_v1)

    @property
    def v1_codes(self) -> list[int]:
        """The v1.1 error codes, as tweepy 4's ``HTTPException.api_codes`` would show them."""
        return [int(e["code"]) for e in self.v1_body.get("errors", [])]


class BadRequest(ApiError):
    default_status = 400


class Unauthorized(ApiError):
    default_status = 401
    default_v1 = "invalid_token"


class Forbidden(ApiError):
    default_status = 403
    default_v1 = "access_level"


class PlanRefused(Forbidden):
    """X refused a like/unlike because the app's plan does not include Likes writes
    (``client-not-enrolled``): since 2026-04-20 only Enterprise access has them."""


class NotFound(ApiError):
    default_status = 404
    default_v1 = "no_status"


class TooManyRequests(ApiError):
    default_status = 429
    default_v1 = "rate_limited"


class QuotaExhausted(ApiError):
    """The account's credits or its monthly usage cap are used up: compat never retries it,
    and a legacy client gets a 403 (never a 429, so that no library sleeps and retries)."""

    default_status = 402
    default_v1 = "credits_depleted"


class CreditsDepleted(QuotaExhausted):
    """402 ``CreditsDepleted``: the pay-per-use balance is empty; add credits."""


class UsageCapExceeded(QuotaExhausted):
    """429 ``UsageCapExceeded`` (``…/problems/usage-capped``): the monthly cap, which does not
    lift at ``x-rate-limit-reset`` but with the next billing cycle."""

    default_status = 429
    default_v1 = "usage_capped"


class ServerError(ApiError):
    default_status = 500
    default_v1 = "internal_error"


_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequest,
    401: Unauthorized,
    402: CreditsDepleted,
    403: Forbidden,
    404: NotFound,
    429: TooManyRequests,
}


def _class_for(status: int) -> type[ApiError]:
    return _BY_STATUS.get(status, ServerError if status >= 500 else ApiError)


# -- the table ---------------------------------------------------------------------------------

_WRITES = frozenset({"like", "unlike"})
_POST_LOOKUPS = frozenset({"tweets", "tweet"})
_USER_LOOKUPS = frozenset(
    {"user_by_username", "user_by_id", "users_me", "users", "users_by_usernames"}
)


@dataclasses.dataclass(frozen=True)
class ErrorRule:
    """One row of :data:`ERROR_TABLE`.

    Matching: ``status`` is the v2 HTTP status (``"403"``), a class (``"5xx"``), ``"any"``
    (any error status) or ``"200"`` (an ``errors[]`` entry of a lookup's successful answer);
    ``when`` lists (field, value) pairs of which one must hold (empty: always): ``type`` ends
    with ``/value`` (or equals it), ``text`` is in the body's messages (lower case; ``""``:
    there is a message), any other field equals ``value``; ``endpoints`` (None: any) are names
    of :data:`compat._v2.ROUTES`; ``oauth2``: only for requests sent with an OAuth 2.0 token.

    Result: ``error`` (None: the class of the status), ``v1`` (a :data:`V1_CODES` name),
    ``v1_message`` ``"v2"`` to send v2's own message instead of the table's, and ``advice``
    (the way out, added to the exception's message).
    """

    answer: str
    status: str
    v1: str
    error: type[ApiError] | None = None
    when: tuple[tuple[str, str], ...] = ()
    endpoints: frozenset[str] | None = None
    oauth2: bool = False
    v1_message: str = "table"
    advice: str = ""

    def matches(
        self, status: int, body: Mapping[str, Any], text: str, endpoint: str | None, oauth2: bool
    ) -> bool:
        if not _status_matches(self.status, status):
            return False
        if self.endpoints is not None and endpoint not in self.endpoints:
            return False
        if self.oauth2 and not oauth2:
            return False
        return not self.when or any(_holds(body, text, f, v) for f, v in self.when)


def _status_matches(pattern: str, status: int) -> bool:
    if pattern == "any":
        return status >= 400
    if pattern.endswith("xx"):
        return status >= 400 and str(status)[0] == pattern[0]
    return pattern == str(status)


def _holds(body: Mapping[str, Any], text: str, field: str, value: str) -> bool:
    if field == "text":
        return bool(text) and value in text
    found = body.get(field)
    if not isinstance(found, str):
        return False
    if field == "type":
        return found == value or found.endswith("/" + value)
    return found.lower() == value.lower()


_ENTERPRISE = "https://docs.x.com/forms/enterprise-api-interest"

#: The v2 → compat → v1.1 mapping, first matching row wins (README "Errors" shows it).
ERROR_TABLE: tuple[ErrorRule, ...] = (
    ErrorRule(
        "402 `CreditsDepleted` (type `…/problems/credits`)",
        "402",
        "credits_depleted",
        CreditsDepleted,
        advice="The pay-per-use credits are used up: add credits in the Developer Console "
        "(https://console.x.com) or turn on auto-recharge, then try again.",
    ),
    ErrorRule(
        "429 `UsageCapExceeded` (type `…/problems/usage-capped`)",
        "429",
        "usage_capped",
        UsageCapExceeded,
        when=(("type", "usage-capped"), ("title", "UsageCapExceeded")),
        advice="The monthly usage cap is reached: requests resume with the next billing "
        "cycle (not at x-rate-limit-reset); for more volume X offers Enterprise plans "
        f"({_ENTERPRISE}).",
    ),
    ErrorRule(
        "429 Too Many Requests (`x-rate-limit-reset`: the 24-hour reset when the 24-hour "
        "window is the spent one)",
        "429",
        "rate_limited",
    ),
    ErrorRule(
        "403 `client-not-enrolled` (in `reason`, with or without type `…/client-forbidden`)",
        "403",
        "access_level",
        PlanRefused,
        when=(("reason", "client-not-enrolled"), ("type", "client-forbidden")),
        endpoints=_WRITES,
        advice="This app's X API plan cannot like or unlike: since 2026-04-20 Likes writes "
        f"are Enterprise-only ({_ENTERPRISE}). Without Enterprise access, send likes "
        'through a gateway: backend="gateway" (README "Second backend").',
    ),
    ErrorRule(
        "403 `client-not-enrolled` / `client-forbidden` (access level)",
        "403",
        "access_level",
        when=(("reason", "client-not-enrolled"), ("type", "client-forbidden")),
        advice="This app's X API plan or project does not include this endpoint "
        "(see https://developer.x.com/en/portal/product).",
    ),
    ErrorRule(
        '403 `{"title":"Forbidden","type":"about:blank","detail":"Forbidden"}` (an OAuth 2.0 '
        "token without `like.write`)",
        "403",
        "missing_like_write",
        when=(("detail", "Forbidden"),),
        endpoints=_WRITES,
        oauth2=True,
        advice="Authorize the user again with the like.write scope (X also requires "
        "tweet.read and users.read; offline.access for a refresh token); a user_id given "
        "with the token must be the token's own user.",
    ),
    ErrorRule(
        "403 `oauth1-permissions` (an app without write permission) or naming `like.write`",
        "403",
        "no_permission",
        when=(("type", "oauth1-permissions"), ("text", "like.write")),
        v1_message="v2",
    ),
    ErrorRule(
        "403 `unsupported-authentication` (an app-only bearer token on a user-context endpoint)",
        "403",
        "no_permission",
        when=(("type", "unsupported-authentication"),),
        v1_message="v2",
        advice="Likes are private: use the user's own credentials (OAuth 1.0a, or an OAuth "
        "2.0 user token), not an app-only bearer token.",
    ),
    ErrorRule(
        '"This tweet cannot be found." (400 `invalid-request`, a like of a deleted post), '
        "`resource-not-found`",
        "any",
        "no_status",
        when=(
            ("text", "cannot be found"),
            ("text", "could not find"),
            ("type", "resource-not-found"),
        ),
    ),
    ErrorRule("401 naming the token", "401", "invalid_token", when=(("text", "token"),)),
    ErrorRule(
        "401 Unauthorized", "401", "could_not_authenticate", when=(("text", "unauthorized"),)
    ),
    ErrorRule("other 401", "401", "invalid_token"),
    ErrorRule(
        'other 403 with a message, e.g. "You are not permitted to perform this action."',
        "403",
        "forbidden",
        when=(("text", ""),),
        v1_message="v2",
    ),
    ErrorRule("403 without a message", "403", "access_level"),
    ErrorRule(
        '400, e.g. "Requests with bodies must have content-type of application/json."',
        "400",
        "bad_request",
        v1_message="v2",
    ),
    ErrorRule("503", "503", "over_capacity"),
    ErrorRule("500, 502, 504 and other 5xx", "5xx", "internal_error"),
    ErrorRule("any other status", "any", "bad_request", v1_message="v2"),
    ErrorRule(
        "lookup `errors[]`: `not-authorized-for-resource` (a protected post, or a suspended "
        "author's)",
        "200",
        "not_authorized_status",
        Forbidden,
        when=(("type", "not-authorized-for-resource"),),
        endpoints=_POST_LOOKUPS,
    ),
    ErrorRule(
        'lookup `errors[]`: "User has been suspended: [id]."',
        "200",
        "user_suspended",
        Forbidden,
        when=(("text", "user has been suspended"),),
    ),
    ErrorRule(
        "lookup `errors[]`: user not found (or no entry for the name)",
        "200",
        "user_not_found",
        NotFound,
        endpoints=_USER_LOOKUPS,
    ),
    ErrorRule(
        "lookup `errors[]`: `resource-not-found` (or no entry for the id)",
        "200",
        "no_status",
        NotFound,
    ),
)


def _endpoint_patterns() -> tuple[tuple[str, re.Pattern[str], str], ...]:
    """(method, path regex, endpoint) of every route of compat's v2 and gateway tables; any
    prefix is allowed before the path (an ``api_base`` or gateway base with a path)."""
    patterns = []
    for route in (*ROUTES.values(), *GATEWAY_ROUTES.values()):
        parts = re.split(r"\{\w+\}", route.path)
        regex = "[^/]+".join(re.escape(part) for part in parts)
        patterns.append((route.method, re.compile(f"(?:/.*)?{regex}/?"), route.endpoint))
    return tuple(patterns)


_ENDPOINTS = _endpoint_patterns()


def endpoint_for(method: str | None, url: str | None) -> str | None:
    """The endpoint name (of :data:`compat._v2.ROUTES` or ``GATEWAY_ROUTES``) a request went to.

    >>> endpoint_for("DELETE", "https://api.x.com/2/users/12/likes/34")
    'unlike'
    >>> endpoint_for("GET", "http://127.0.0.1:9/2/users/me"), endpoint_for("GET", "/elsewhere")
    ('users_me', None)
    """
    path = urllib.parse.urlsplit(url or "").path
    wanted = (method or "").upper()
    for route_method, pattern, endpoint in _ENDPOINTS:
        if route_method == wanted and pattern.fullmatch(path):
            return endpoint
    return None


def _request_facts(request: requests.PreparedRequest | None) -> tuple[str | None, bool]:
    """(endpoint, sent with an OAuth 2.0 bearer token) of a request; the token is not kept."""
    if request is None:
        return None, False
    method, url = request.method, request.url
    endpoint = endpoint_for(method, url if isinstance(url, str) else None)
    # only the scheme is kept in a local: a traceback with locals must not show the token
    scheme = (request.headers.get("Authorization") or "")[:7]
    if isinstance(scheme, bytes):
        scheme = scheme.decode("latin-1")
    return endpoint, scheme.lower() == "bearer "


def _v2_messages(body: Any) -> list[str]:
    """Messages in a v2 error body, most specific first: ``errors[]``, then detail/title."""
    if not isinstance(body, dict):
        return []
    messages: list[str] = []
    items = body.get("errors")
    for err in items if isinstance(items, list) else []:
        if isinstance(err, dict):
            text = err.get("message") or err.get("detail")
            if isinstance(text, str) and text not in messages:
                messages.append(text)
    for key in ("detail", "title"):
        value = body.get(key)
        if isinstance(value, str) and value and value not in messages:
            messages.append(value)
            break
    return messages


def _rule_for(
    status: int, body: Any, messages: list[str], endpoint: str | None, oauth2: bool
) -> ErrorRule:
    fields = body if isinstance(body, dict) else {}
    text = " ".join(messages).lower()
    for rule in ERROR_TABLE:
        if rule.matches(status, fields, text, endpoint, oauth2):
            return rule
    return ERROR_TABLE[-1]  # the "200" catch-all; error statuses always meet "any" before it


def _v1(rule: ErrorRule, messages: list[str]) -> tuple[int, dict[str, Any]]:
    own = messages[0] if rule.v1_message == "v2" and messages else None
    return v1_error_body(rule.v1, own)


def _when(epoch: int) -> str:
    try:
        moment = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc)
    except (OverflowError, OSError, ValueError):  # a hostile reset far past year 9999
        return f"epoch {epoch}"
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _rate_limit_hint(rate_limit: RateLimit | None) -> str:
    """Which window refused and when it lifts, for a 429's message."""
    if rate_limit is None or rate_limit.retry_at is None:
        return ""
    window = rate_limit.exhausted or "15-minute"
    return (
        f"the {window} window is spent; requests resume at {_when(rate_limit.retry_at)} "
        f"(x-rate-limit-reset {rate_limit.retry_at})"
    )


def api_error_for(
    status: int,
    body: Any,
    *,
    rate_limit: RateLimit | None = None,
    request: requests.PreparedRequest | None = None,
    response: requests.Response | None = None,
    endpoint: str | None = None,
) -> ApiError:
    """Build the :class:`ApiError` for an HTTP error status and its decoded body, by the first
    row of :data:`ERROR_TABLE` that matches. ``endpoint`` (a :data:`compat._v2.ROUTES` name)
    is read from ``request``'s method and path when not given; so is whether the request was
    sent with an OAuth 2.0 bearer token.

    >>> err = api_error_for(400, {"errors": [{"message": "This tweet cannot be found."}],
    ...                           "title": "Invalid Request",
    ...                           "type": "https://api.twitter.com/2/problems/invalid-request"})
    >>> type(err).__name__, err.v1_status, err.v1_codes
    ('BadRequest', 404, [144])
    >>> refused = api_error_for(403, {"client_id": "28907132", "title": "Client Forbidden",
    ...                               "required_enrollment": "Appropriate Level of API Access",
    ...                               "reason": "client-not-enrolled"}, endpoint="like")
    >>> type(refused).__name__, refused.v1_status, refused.v1_codes
    ('PlanRefused', 403, [453])
    """
    sent_to, oauth2 = _request_facts(request)
    messages = _v2_messages(body)
    rule = _rule_for(status, body, messages, endpoint or sent_to, oauth2)
    cls = rule.error or _class_for(status)
    summary = "; ".join(messages) if messages else "no error detail in the response"
    hint = _rate_limit_hint(rate_limit) if cls is TooManyRequests else ""
    text = f"X API answered HTTP {status}: {summary}"
    for extra in (hint, rule.advice):
        if extra:
            text += f" — {extra}"
    return cls(
        text,
        status=status,
        v2_body=body,
        rate_limit=rate_limit,
        v1=_v1(rule, messages),
        request=request,
        response=response,
    )


def _names(entry: Mapping[str, Any], wanted: str) -> bool:
    """Whether a lookup's ``errors[]`` entry is about ``wanted`` (an id or a username)."""
    wanted = wanted.lower()
    for key in ("resource_id", "value"):
        value = entry.get(key)
        if isinstance(value, str) and value.lower() == wanted:
            return True
    detail = entry.get("detail")
    return isinstance(detail, str) and f"[{wanted}]" in detail.lower()


def lookup_error(
    payload: Mapping[str, Any],
    resource_id: str,
    *,
    endpoint: str = "tweets",
    rate_limit: RateLimit | None = None,
) -> ApiError:
    """The error to raise for ``resource_id`` (a post id, or a user id or username) missing
    from the ``data`` of a lookup's successful answer ``payload``: the ``errors[]`` entry
    naming it, mapped by the ``"200"`` rows of :data:`ERROR_TABLE` (403/179 for a post you
    may not see, 403/63 for a suspended user, 404/144 or 404/50 for one that does not exist,
    also when no entry names it; a lone entry counts as naming it). ``endpoint`` is the
    lookup's :data:`compat._v2.ROUTES` name.

    >>> page = {"errors": [{"value": "1000082502030065665", "parameter": "ids",
    ...   "resource_type": "tweet", "section": "data", "title": "Authorization Error",
    ...   "detail": "Sorry, you are not authorized to see the Tweet with ids: "
    ...             "[1000082502030065665].",
    ...   "type": "https://api.twitter.com/2/problems/not-authorized-for-resource"}]}
    >>> err = lookup_error(page, "1000082502030065665")
    >>> type(err).__name__, err.status, err.v1_status, err.v1_codes
    ('Forbidden', 403, 403, [179])
    >>> lookup_error({"data": []}, "20").v1_codes
    [144]
    """
    items = payload.get("errors")
    entries = [e for e in (items if isinstance(items, list) else []) if isinstance(e, dict)]
    # the entry naming the id; a lone entry is the one resource asked for (a by-username
    # lookup's entry may name the user by id)
    sole: Mapping[str, Any] = entries[0] if len(entries) == 1 else {}
    entry = next((e for e in entries if _names(e, resource_id)), sole)
    messages = _v2_messages(entry)
    rule = _rule_for(200, entry, messages, endpoint, False)
    cls = rule.error or NotFound
    kind = "user" if endpoint in _USER_LOOKUPS else "post"
    summary = "; ".join(messages) if messages else "no data and no error entry for it"
    return cls(
        f"X API did not return {kind} {resource_id}: {summary}",
        status=cls.default_status,
        v2_body=dict(payload),
        rate_limit=rate_limit,
        v1=_v1(rule, messages),
    )


def _endpoints_cell(rule: ErrorRule) -> str:
    if rule.endpoints is None:
        where = "any"
    else:
        where = "X API v2 " + ", ".join(f"`{e}`" for e in sorted(rule.endpoints))
    return where + " (OAuth 2.0 token)" * rule.oauth2


def _raised_cell(rule: ErrorRule) -> str:
    if rule.error is not None:
        return f"`{rule.error.__name__}`"
    if rule.status.isdigit():
        return f"`{_class_for(int(rule.status)).__name__}`"
    if rule.status == "5xx":
        return "`ServerError`"
    return "the status's (`BadRequest`, `NotFound`…; else `ApiError`)"


def error_table_markdown() -> str:
    """:data:`ERROR_TABLE` as the Markdown the README shows: one row per rule, then the v1.1
    messages of the codes it uses.

    >>> print(error_table_markdown().splitlines()[0])
    | v2 answer | endpoint | compat raises | v1.1 status / code | the way out (in the exception) |
    """
    header = ("v2 answer", "endpoint", "compat raises", "v1.1 status / code")
    lines = [
        f"| {' | '.join(header)} | the way out (in the exception) |",
        "| --- | --- | --- | --- | --- |",
    ]
    used: list[str] = []
    for rule in ERROR_TABLE:
        status, code, _text = V1_CODES[rule.v1]
        own = " with v2's message" if rule.v1_message == "v2" else ""
        v1 = f"{status} / {code} `{rule.v1}`{own}"
        lines.append(
            f"| {rule.answer} | {_endpoints_cell(rule)} | {_raised_cell(rule)} | {v1} "
            f"| {rule.advice} |"
        )
        if rule.v1 not in used:
            used.append(rule.v1)
    lines += ["", "| v1.1 answer | status / code | message |", "| --- | --- | --- |"]
    for name in used:
        status, code, text = V1_CODES[name]
        lines.append(f"| `{name}` | {status} / {code} | {text} |")
    return "\n".join(lines)
