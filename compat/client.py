"""The X API v2 Likes client: every v2 route, auth and retry rule lives here.

:class:`LikesClient` speaks v2 over :mod:`requests`; :class:`LikesBackend` is the small
interface the rest of compat uses, so that another backend (a hosted gateway) can stand in.
Every call returns a :class:`V2Result` (decoded JSON, already validated against its schema,
plus the :class:`~compat.ratelimit.RateLimit` of the response) or raises a
:class:`~compat.errors.CompatError`.

Usage::

    >>> from compat import Credentials
    >>> from compat.client import LikesClient
    >>> client = LikesClient(Credentials("ck", "cs", "1072250532645998596-tok", "ts"),
    ...                      api_base="http://127.0.0.1:9")
    >>> client.authenticated_user_id()      # from the access token: no request
    '1072250532645998596'
    >>> client.like("12/../")
    Traceback (most recent call last):
    ...
    compat.errors.InvalidParameter: tweet_id: must be 1 to 19 ASCII digits (an int64 id), ...
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import email.utils
import hashlib
import logging
import os
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

import requests
from requests_oauthlib import OAuth1

from compat import schemas
from compat.credentials import Credentials
from compat.errors import (
    ApiError,
    ConfigurationError,
    InvalidParameter,
    MalformedResponse,
    SchemaError,
    TooManyRequests,
    TransportError,
    api_error_for,
)
from compat.params import screen_name, snowflake
from compat.ratelimit import RateLimit

__all__ = [
    "DEFAULT_API_BASE",
    "DEFAULT_TIMEOUT",
    "LikesBackend",
    "LikesClient",
    "RetryPolicy",
    "V2Call",
    "V2Result",
    "call_options",
    "recording",
    "resolve_api_base",
]

log = logging.getLogger("compat.client")

DEFAULT_API_BASE = "https://api.x.com"
#: (connect, read) seconds; requests itself has no default timeout at all.
DEFAULT_TIMEOUT: tuple[float, float] = (5.0, 30.0)
MAX_RESULTS_LOW, MAX_RESULTS_HIGH = 10, 100


@dataclasses.dataclass(frozen=True)
class V2Call:
    """One HTTP request compat made on the caller's behalf (secrets never included)."""

    method: str
    path: str
    status: int | None
    elapsed_ms: float
    endpoint: str


@dataclasses.dataclass(frozen=True)
class V2Result:
    """A successful v2 answer: the decoded JSON (validated) and its rate-limit headers."""

    payload: dict[str, Any]
    rate_limit: RateLimit
    status: int = 200


@runtime_checkable
class LikesBackend(Protocol):
    """What compat needs from a Likes service; :class:`LikesClient` is the X API v2 one."""

    name: str

    def authenticated_user_id(self) -> str: ...

    def like(self, tweet_id: object) -> V2Result: ...

    def unlike(self, tweet_id: object) -> V2Result: ...

    def liked_tweets(
        self,
        user_id: object,
        *,
        max_results: int = 100,
        pagination_token: str | None = None,
        query: Mapping[str, str] | None = None,
    ) -> V2Result: ...

    def lookup_tweets(
        self, ids: Sequence[object], query: Mapping[str, str] | None = None
    ) -> V2Result: ...

    def user_by_username(
        self, username: object, query: Mapping[str, str] | None = None
    ) -> V2Result: ...

    def me(self) -> V2Result: ...


@dataclasses.dataclass(frozen=True)
class RetryPolicy:
    """Bounded retries: connection failures and 502/503/504 always, 429 only when asked.

    A 4xx other than 429 is never retried. The wait is ``backoff * 2**attempt`` capped at
    ``max_wait``, or the server's ``Retry-After`` (or rate-limit reset, for 429) when it says
    more; a server that asks for longer than ``max_wait`` gets its error raised instead.
    """

    attempts: int = 3
    backoff: float = 0.5
    max_wait: float = 60.0
    retry_on_429: bool = False
    statuses: frozenset[int] = frozenset({502, 503, 504})


def resolve_api_base(api_base: str | None = None) -> str:
    """``api_base`` if given, else ``$COMPAT_API_BASE``, else ``https://api.x.com``."""
    base = api_base or os.environ.get("COMPAT_API_BASE") or DEFAULT_API_BASE
    parts = urllib.parse.urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
        raise ConfigurationError(
            f"api_base must be an http(s) URL like {DEFAULT_API_BASE!r}, got {base!r}"
        )
    return base.rstrip("/")


# Per-call transport settings (timeout, proxies, verify, cert) of the caller, e.g. those a
# legacy library passed to requests, applied to the v2 requests made on its behalf.
_call_options: contextvars.ContextVar[Mapping[str, Any] | None] = contextvars.ContextVar(
    "compat_call_options", default=None
)
_recorder: contextvars.ContextVar[list[V2Call] | None] = contextvars.ContextVar(
    "compat_recorder", default=None
)
_TRANSPORT_KEYS = frozenset({"timeout", "proxies", "verify", "cert"})


@contextlib.contextmanager
def call_options(**options: Any) -> Iterator[None]:
    """Apply ``timeout``/``proxies``/``verify``/``cert`` to v2 requests made in this block."""
    unknown = set(options) - _TRANSPORT_KEYS
    if unknown:
        raise TypeError(f"unknown transport option(s): {', '.join(sorted(unknown))}")
    token = _call_options.set({k: v for k, v in options.items() if v is not None})
    try:
        yield
    finally:
        _call_options.reset(token)


@contextlib.contextmanager
def recording() -> Iterator[list[V2Call]]:
    """Collect every :class:`V2Call` made in this block (this thread/async context only)."""
    calls: list[V2Call] = []
    token = _recorder.set(calls)
    try:
        yield calls
    finally:
        _recorder.reset(token)


def _retry_after(response: requests.Response, now: float) -> float | None:
    """Seconds the server asked us to wait, from ``Retry-After`` (seconds or HTTP date)."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


# users/me answers per token, shared by every client in the process (one request per token).
_me_cache: dict[tuple[str, str], str] = {}
_me_lock = threading.Lock()


class LikesClient:
    """X API v2 Likes over requests (OAuth 1.0a or OAuth 2.0 user context).

    ``session``: a :class:`requests.Session` to send through (one is made otherwise);
    ``timeout``: default ``(5, 30)``; ``proxies``/``verify``/``cert`` as in requests;
    ``retry``: a :class:`RetryPolicy`; ``sleep``/``clock``: injectable for tests.
    """

    name = "x-api-v2"

    def __init__(
        self,
        credentials: Credentials,
        *,
        api_base: str | None = None,
        session: requests.Session | None = None,
        timeout: float | tuple[float, float] | None = DEFAULT_TIMEOUT,
        proxies: Mapping[str, str] | None = None,
        verify: bool | str | None = None,
        cert: str | tuple[str, str] | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not isinstance(credentials, Credentials):
            raise ConfigurationError(
                f"credentials must be a compat.Credentials, got {type(credentials).__name__}"
            )
        self.credentials = credentials
        self.api_base = resolve_api_base(api_base)
        self.session = session if session is not None else requests.Session()
        self._defaults: dict[str, Any] = {"timeout": timeout}
        if proxies is not None:
            self._defaults["proxies"] = dict(proxies)
        if verify is not None:
            self._defaults["verify"] = verify
        if cert is not None:
            self._defaults["cert"] = cert
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._clock = clock
        self._auth: requests.auth.AuthBase | None = None
        if credentials.kind == "oauth1":
            self._auth = OAuth1(
                credentials.consumer_key,
                credentials.consumer_secret,
                credentials.access_token,
                credentials.access_token_secret,
                decoding=None,
            )

    def __repr__(self) -> str:
        return f"LikesClient(api_base={self.api_base!r}, credentials={self.credentials!r})"

    # -- the LikesBackend interface -------------------------------------------------------

    def authenticated_user_id(self) -> str:
        """The acting user's id: explicit, else the OAuth 1.0a token prefix, else users/me."""
        known = self.credentials.token_user_id()
        if known is not None:
            return known
        secret = self.credentials.bearer_token or self.credentials.access_token or ""
        key = (self.api_base, hashlib.sha256(secret.encode()).hexdigest())
        with _me_lock:  # one users/me per token, even when threads race for it
            cached = _me_cache.get(key)
            if cached is None:
                cached = snowflake(self.me().payload["data"]["id"], "users/me id")
                _me_cache[key] = cached
        return cached

    def me(self) -> V2Result:
        return self._request("GET", "/2/users/me", endpoint="users_me", schema="v2/users_me")

    def like(self, tweet_id: object) -> V2Result:
        """``POST /2/users/:id/likes`` with JSON ``{"tweet_id": "…"}``, as tweepy sent it."""
        tid = snowflake(tweet_id, "tweet_id")
        uid = self.authenticated_user_id()
        return self._request(
            "POST",
            f"/2/users/{uid}/likes",
            json_body={"tweet_id": tid},
            endpoint="like",
            schema="v2/like_result",
        )

    def unlike(self, tweet_id: object) -> V2Result:
        """``DELETE /2/users/:id/likes/:tweet_id`` (no body)."""
        tid = snowflake(tweet_id, "tweet_id")
        uid = self.authenticated_user_id()
        return self._request(
            "DELETE", f"/2/users/{uid}/likes/{tid}", endpoint="unlike", schema="v2/like_result"
        )

    def liked_tweets(
        self,
        user_id: object,
        *,
        max_results: int = 100,
        pagination_token: str | None = None,
        query: Mapping[str, str] | None = None,
    ) -> V2Result:
        """One page of ``GET /2/users/:id/liked_tweets`` (``max_results`` 10–100)."""
        uid = snowflake(user_id, "user_id")
        if isinstance(max_results, bool) or not isinstance(max_results, int):
            raise InvalidParameter("max_results", "must be an int")
        if not MAX_RESULTS_LOW <= max_results <= MAX_RESULTS_HIGH:
            raise InvalidParameter(
                "max_results",
                f"must be between {MAX_RESULTS_LOW} and {MAX_RESULTS_HIGH}, got {max_results}",
            )
        params: dict[str, str] = {**(query or {}), "max_results": str(max_results)}
        if pagination_token is not None:
            if not isinstance(pagination_token, str) or not pagination_token.isprintable():
                raise InvalidParameter("pagination_token", "must be a printable string")
            params["pagination_token"] = pagination_token
        return self._request(
            "GET",
            f"/2/users/{uid}/liked_tweets",
            params=params,
            endpoint="liked_tweets",
            schema="v2/liked_tweets_page",
        )

    def lookup_tweets(
        self, ids: Sequence[object], query: Mapping[str, str] | None = None
    ) -> V2Result:
        """``GET /2/tweets?ids=…`` for 1–100 ids; missing ids come back in ``errors``."""
        if isinstance(ids, (str, bytes)) or not 1 <= len(ids) <= 100:
            raise InvalidParameter("ids", "must be a sequence of 1 to 100 ids")
        clean = [snowflake(i, "ids") for i in ids]
        return self._request(
            "GET",
            "/2/tweets",
            params={**(query or {}), "ids": ",".join(clean)},
            endpoint="tweets",
            schema="v2/tweets_lookup",
        )

    def user_by_username(
        self, username: object, query: Mapping[str, str] | None = None
    ) -> V2Result:
        """``GET /2/users/by/username/:username``."""
        name = screen_name(username)
        return self._request(
            "GET",
            f"/2/users/by/username/{name}",
            params=dict(query or {}),
            endpoint="user_by_username",
            schema="v2/user_lookup",
        )

    # -- transport --------------------------------------------------------------------------

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json_body: Mapping[str, Any] | None = None,
        endpoint: str,
        schema: str,
    ) -> V2Result:
        options = {**self._defaults, **(_call_options.get() or {})}
        headers = {"Accept": "application/json"}
        if self.credentials.kind == "oauth2":
            headers["Authorization"] = f"Bearer {self.credentials.bearer_token}"
        request = requests.Request(
            method,
            self.api_base + path,
            params=dict(params) if params else None,
            json=dict(json_body) if json_body is not None else None,
            headers=headers,
            auth=self._auth,
        )
        attempt = 0
        while True:
            # Prepared anew each attempt: an OAuth 1.0a nonce/timestamp must not be replayed.
            prepared = self.session.prepare_request(request)
            started = time.perf_counter()
            try:
                response = self.session.send(prepared, allow_redirects=False, **options)
            except (requests.ConnectionError, requests.Timeout) as exc:
                elapsed = (time.perf_counter() - started) * 1000
                self._record(method, path, None, elapsed, endpoint)
                read_timeout = isinstance(exc, requests.ReadTimeout)
                if not read_timeout and attempt + 1 < self.retry.attempts:
                    wait = min(self.retry.backoff * 2**attempt, self.retry.max_wait)
                    log.warning(
                        "v2.retry %s %s after %s in %.2fs",
                        method,
                        path,
                        type(exc).__name__,
                        wait,
                        extra={"endpoint": endpoint, "attempt": attempt + 1},
                    )
                    self._sleep(wait)
                    attempt += 1
                    continue
                kind = "timed out" if isinstance(exc, requests.Timeout) else "failed to connect"
                raise TransportError(
                    f"{method} {path} {kind} ({type(exc).__name__}) after {attempt + 1} attempt(s)",
                    request=prepared,
                ) from None
            elapsed = (time.perf_counter() - started) * 1000
            self._record(method, path, response.status_code, elapsed, endpoint)
            log.debug(
                "v2.response %s %s -> %s in %.1fms",
                method,
                path,
                response.status_code,
                elapsed,
                extra={"endpoint": endpoint, "status": response.status_code},
            )
            rate_limit = RateLimit.from_headers(response.headers)
            if response.status_code < 400:
                return self._success(response, prepared, rate_limit, schema)
            wait = self._retry_wait(response, rate_limit, attempt)
            if wait is None:
                raise self._error(response, prepared, rate_limit)
            log.warning(
                "v2.retry %s %s after HTTP %s in %.2fs",
                method,
                path,
                response.status_code,
                wait,
                extra={"endpoint": endpoint, "attempt": attempt + 1},
            )
            response.close()
            self._sleep(wait)
            attempt += 1

    def _retry_wait(
        self, response: requests.Response, rate_limit: RateLimit, attempt: int
    ) -> float | None:
        """Seconds to wait before retrying this error response, or None to raise it."""
        status = response.status_code
        retryable = status in self.retry.statuses or (status == 429 and self.retry.retry_on_429)
        if not retryable or attempt + 1 >= self.retry.attempts:
            return None
        now = self._clock()
        asked = _retry_after(response, now)
        if asked is None and status == 429 and rate_limit.reset is not None:
            asked = max(0.0, rate_limit.reset - now)
        wait = asked if asked is not None else self.retry.backoff * 2**attempt
        return None if wait > self.retry.max_wait else wait

    @staticmethod
    def _record(method: str, path: str, status: int | None, elapsed: float, endpoint: str) -> None:
        calls = _recorder.get()
        if calls is not None:
            calls.append(V2Call(method, path, status, elapsed, endpoint))

    @staticmethod
    def _decode(response: requests.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            return None

    def _success(
        self,
        response: requests.Response,
        prepared: requests.PreparedRequest,
        rate_limit: RateLimit,
        schema: str,
    ) -> V2Result:
        payload = self._decode(response)
        if not isinstance(payload, dict):
            raise MalformedResponse(
                f"{prepared.method} {urllib.parse.urlsplit(prepared.url or '').path} answered "
                f"HTTP {response.status_code} with a body that is not a JSON object "
                f"({len(response.content)} bytes)",
                request=prepared,
                response=response,
            )
        schemas.validate(schema, payload, request=prepared, response=response)
        return V2Result(payload, rate_limit, response.status_code)

    def _error(
        self,
        response: requests.Response,
        prepared: requests.PreparedRequest,
        rate_limit: RateLimit,
    ) -> ApiError:
        body = self._decode(response)
        if isinstance(body, dict):
            try:
                schemas.validate("v2/problem", body, request=prepared, response=response)
            except SchemaError as exc:  # the API error itself is what the caller must see
                log.warning("v2.error_body_schema %s", exc, extra={"status": response.status_code})
        error = api_error_for(
            response.status_code,
            body,
            rate_limit=rate_limit,
            request=prepared,
            response=response,
        )
        if isinstance(error, TooManyRequests):
            log.warning(
                "v2.rate_limited %s reset=%s",
                urllib.parse.urlsplit(prepared.url or "").path,
                rate_limit.reset,
                extra={"reset": rate_limit.reset},
            )
        return error
