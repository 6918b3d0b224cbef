"""Every exception compat raises, and the v2 → v1.1 error mapping.

The hierarchy::

    CompatError                      base; carries .request and .response (may be None)
    ├── ConfigurationError           missing/unsupported credentials or settings
    ├── InvalidParameter             bad caller input; raised before any request (also ValueError)
    ├── TransportError               connection failure or timeout, after the bounded retries
    ├── MalformedResponse            the server's body is not the JSON it promised
    │   └── SchemaError              a v2 payload in, or a v1.1 object out, breaks its JSON schema
    └── ApiError                     the API answered with an error status
        ├── BadRequest               400
        ├── Unauthorized             401
        ├── Forbidden                403
        ├── NotFound                 404
        ├── TooManyRequests          429 (``.rate_limit.reset`` says when to come back)
        └── ServerError              5xx

Every ``ApiError`` also carries what v1.1 would have answered in its place:
``.v1_status`` and ``.v1_body`` (``{"errors": [{"code": …, "message": …}]}``), which the
monkeypatch adapter sends to legacy client libraries so that they raise their own errors.

Usage::

    >>> from compat.errors import NotFound
    >>> err = NotFound("gone", v2_body={"title": "Not Found Error"})
    >>> err.v1_status, err.v1_body["errors"][0]["code"]
    (404, 144)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import requests

    from compat.ratelimit import RateLimit

__all__ = [
    "V1_CODES",
    "ApiError",
    "BadRequest",
    "CompatError",
    "ConfigurationError",
    "Forbidden",
    "InvalidParameter",
    "MalformedResponse",
    "NotFound",
    "SchemaError",
    "ServerError",
    "TooManyRequests",
    "TransportError",
    "Unauthorized",
    "api_error_for",
    "v1_error_body",
]

# The v1.1 error codes compat produces (developer.x.com "Error codes & responses").
V1_CODES: dict[str, tuple[int, int, str]] = {
    # name: (http status, v1.1 code, v1.1 message)
    "could_not_authenticate": (401, 32, "Could not authenticate you."),
    "invalid_token": (401, 89, "Invalid or expired token."),
    "missing_parameter": (400, 38, "id parameter is missing."),
    "invalid_parameter": (400, 44, "id parameter is invalid."),
    "bad_request": (400, 214, "Bad request."),
    "page_not_found": (404, 34, "Sorry, that page does not exist."),
    "no_status": (404, 144, "No status found with that ID."),
    "already_favorited": (403, 139, "You have already favorited this status."),
    "access_level": (
        403,
        453,
        "You currently have access to a subset of X API v2 endpoints and limited v1.1 "
        "endpoints only. If you need access to this endpoint, you may need a different "
        "access level.",
    ),
    "forbidden": (403, 200, "Forbidden."),
    "no_permission": (403, 220, "Your credentials do not allow access to this resource."),
    "rate_limited": (429, 88, "Rate limit exceeded"),
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


class NotFound(ApiError):
    default_status = 404
    default_v1 = "no_status"


class TooManyRequests(ApiError):
    default_status = 429
    default_v1 = "rate_limited"


class ServerError(ApiError):
    default_status = 500
    default_v1 = "internal_error"


_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    429: TooManyRequests,
}


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


def _v1_for(status: int, body: Any, messages: list[str]) -> tuple[int, dict[str, Any]] | None:
    """The v1.1 answer for one v2 error, when the body tells more than the status."""
    text = " ".join(messages).lower()
    problem_type = body.get("type", "") if isinstance(body, dict) else ""
    if (
        "cannot be found" in text
        or "could not find" in text
        or problem_type.endswith("resource-not-found")
    ):
        # v2 answers a like of a deleted/missing post with 400 invalid-request
        # "This tweet cannot be found."; v1.1 said 404/144.
        return v1_error_body("no_status")
    if status == 401:
        if "unauthorized" in text and "token" not in text:
            return v1_error_body("could_not_authenticate")
        return v1_error_body("invalid_token")
    if status == 403:
        if "client-forbidden" in problem_type or "client-not-enrolled" in problem_type:
            return v1_error_body("access_level")
        if problem_type.endswith("oauth1-permissions") or "like.write" in text:
            # an app or token without write permission: v1.1's "credentials do not allow"
            return v1_error_body("no_permission", messages[0] if messages else None)
        if messages:
            return v1_error_body("forbidden", messages[0])
        return v1_error_body("access_level")
    if status == 400:
        return v1_error_body("bad_request", messages[0] if messages else None)
    if status >= 500:
        return v1_error_body("over_capacity" if status == 503 else "internal_error")
    return None


def api_error_for(
    status: int,
    body: Any,
    *,
    rate_limit: RateLimit | None = None,
    request: requests.PreparedRequest | None = None,
    response: requests.Response | None = None,
) -> ApiError:
    """Build the :class:`ApiError` subclass for an HTTP error status and its decoded body.

    >>> err = api_error_for(400, {"errors": [{"message": "This tweet cannot be found."}],
    ...                           "title": "Invalid Request",
    ...                           "type": "https://api.twitter.com/2/problems/invalid-request"})
    >>> type(err).__name__, err.v1_status, err.v1_codes
    ('BadRequest', 404, [144])
    """
    cls = _BY_STATUS.get(status, ServerError if status >= 500 else ApiError)
    messages = _v2_messages(body)
    summary = "; ".join(messages) if messages else "no error detail in the response"
    v1 = _v1_for(status, body, messages)
    return cls(
        f"X API answered HTTP {status}: {summary}",
        status=status,
        v2_body=body,
        rate_limit=rate_limit,
        v1=v1,
        request=request,
        response=response,
    )
