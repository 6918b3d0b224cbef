"""HTTP for every backend: timeouts, bounded retries, error decoding, call recording.

A :class:`Transport` sends one logical request (re-preparing it on each retry, so an OAuth
1.0a nonce is never replayed), decodes and schema-validates the JSON answer, and turns error
statuses into :class:`~compat.errors.ApiError` through the backend's own mapping.

Usage::

    >>> from compat.transport import RetryPolicy, Transport, recording
    >>> transport = Transport(retry=RetryPolicy(attempts=1), timeout=0.5)
    >>> with recording() as calls:
    ...     try:
    ...         transport.request("GET", "http://127.0.0.1:9/2/users/me", endpoint="users_me",
    ...                           schema="v2/users_me")
    ...     except Exception as exc:
    ...         print(type(exc).__name__)
    TransportError
    >>> [(c.method, c.path, c.status) for c in calls]
    [('GET', '/2/users/me', None)]
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import email.utils
import logging
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import requests

from compat import schemas
from compat._v2 import ROUTES, normalise_keys
from compat.errors import (
    ApiError,
    CompatError,
    MalformedResponse,
    SchemaError,
    TooManyRequests,
    TransportError,
    api_error_for,
)
from compat.ratelimit import RateLimit

__all__ = [
    "DEFAULT_TIMEOUT",
    "ErrorMapper",
    "RetryPolicy",
    "Timeout",
    "Transport",
    "V2Call",
    "V2Result",
    "call_options",
    "recording",
    "returned_resources",
]

log = logging.getLogger("compat.client")

#: (connect, read) seconds; requests itself has no default timeout at all.
DEFAULT_TIMEOUT: tuple[float, float] = (5.0, 30.0)
#: What requests takes as ``timeout``: seconds, or a (connect, read) pair.
Timeout = float | tuple[float | None, float | None] | None

#: Builds the ApiError for an error status: (status, decoded body or None, rate limit,
#: request, response) -> ApiError. The v2 one is :func:`compat.errors.api_error_for`.
ErrorMapper = Callable[..., ApiError]


@dataclasses.dataclass(frozen=True)
class V2Call:
    """One HTTP request compat made on the caller's behalf (secrets never included).

    ``resources``: the ``(kind, id)`` of every post and user its answer returned (``data``
    and the expansions in ``includes``), which is what a read is billed by.
    """

    method: str
    path: str
    status: int | None
    elapsed_ms: float
    endpoint: str
    resources: tuple[tuple[str, str], ...] = ()


def returned_resources(endpoint: str, payload: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """The ``(kind, id)`` pairs a successful answer of ``endpoint`` returned.

    >>> returned_resources("liked_tweets", {"data": [{"id": "1"}],
    ...                                     "includes": {"users": [{"id": "2"}]}})
    (('post', '1'), ('user', '2'))
    """
    route = ROUTES.get(endpoint)
    kind = route.resource if route is not None else None
    found: list[tuple[str, str]] = []
    data = payload.get("data")
    if kind is not None:
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                found.append((kind, item["id"]))
    includes = payload.get("includes")
    if isinstance(includes, dict):
        for key, included in (("tweets", "post"), ("users", "user")):
            items = includes.get(key)
            if isinstance(items, list):
                found.extend(
                    (included, i["id"])
                    for i in items
                    if isinstance(i, dict) and isinstance(i.get("id"), str)
                )
    return tuple(found)


@dataclasses.dataclass(frozen=True)
class V2Result:
    """A successful answer: the decoded JSON (validated) and its rate-limit headers."""

    payload: dict[str, Any]
    rate_limit: RateLimit
    status: int = 200


@dataclasses.dataclass(frozen=True)
class RetryPolicy:
    """Bounded retries: connection failures and 502/503/504 always, 429 only when asked.

    A 4xx other than 429, and a read timeout, are never retried. The wait is
    ``backoff * 2**attempt``, or the server's ``Retry-After`` (or rate-limit reset, for 429)
    when it says so; a server that asks for longer than ``max_wait`` gets its error raised.
    """

    attempts: int = 3
    backoff: float = 0.5
    max_wait: float = 60.0
    retry_on_429: bool = False
    statuses: frozenset[int] = frozenset({502, 503, 504})


# Per-call transport settings (timeout, proxies, verify, cert) of the caller, e.g. those a
# legacy library passed to requests, applied to the requests made on its behalf.
_call_options: contextvars.ContextVar[Mapping[str, Any] | None] = contextvars.ContextVar(
    "compat_call_options", default=None
)
# The active recording() lists, innermost last: a call is recorded in every one of them.
_recorders: contextvars.ContextVar[tuple[list[V2Call], ...]] = contextvars.ContextVar(
    "compat_recorders", default=()
)
_TRANSPORT_KEYS = frozenset({"timeout", "proxies", "verify", "cert"})


@contextlib.contextmanager
def call_options(**options: Any) -> Iterator[None]:
    """Apply ``timeout``/``proxies``/``verify``/``cert`` to requests made in this block."""
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
    """Collect every :class:`V2Call` made in this block (this thread/async context only).

    Blocks nest: an outer block sees the calls of the inner ones too.
    """
    calls: list[V2Call] = []
    token = _recorders.set((*_recorders.get(), calls))
    try:
        yield calls
    finally:
        _recorders.reset(token)


def _record(
    method: str,
    path: str,
    status: int | None,
    elapsed: float,
    endpoint: str,
    payload: Mapping[str, Any] | None = None,
) -> None:
    recorders = _recorders.get()
    if recorders:
        resources = returned_resources(endpoint, payload) if payload is not None else ()
        call = V2Call(method, path, status, elapsed, endpoint, resources)
        for calls in recorders:
            calls.append(call)


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


def _usage_capped(response: requests.Response) -> bool:
    """A 429 that is the monthly usage cap (``…/problems/usage-capped``), not a rate limit."""
    try:
        body = response.json()
    except ValueError:
        return False
    kind = body.get("type") if isinstance(body, dict) else None
    return isinstance(kind, str) and kind.endswith("/usage-capped")


def _path(url: str | None) -> str:
    return urllib.parse.urlsplit(url or "").path


class Transport:
    """Sends requests for a backend; see the module docstring.

    ``session``: a :class:`requests.Session` (one is made otherwise); ``timeout`` default
    ``(5, 30)``; ``proxies``/``verify``/``cert`` as in requests; ``retry``: a
    :class:`RetryPolicy`; ``sleep``/``clock``: injectable for tests.
    """

    def __init__(
        self,
        *,
        session: requests.Session | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
        proxies: Mapping[str, str] | None = None,
        verify: bool | str | None = None,
        cert: str | tuple[str, str] | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.session = session if session is not None else requests.Session()
        self.defaults: dict[str, Any] = {"timeout": timeout}
        if proxies is not None:
            self.defaults["proxies"] = dict(proxies)
        if verify is not None:
            self.defaults["verify"] = verify
        if cert is not None:
            self.defaults["cert"] = cert
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._clock = clock

    def request(
        self,
        method: str,
        url: str,
        *,
        endpoint: str,
        schema: str | None,
        params: Mapping[str, str] | None = None,
        json_body: Mapping[str, Any] | None = None,
        form: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        auth: requests.auth.AuthBase | None = None,
        error_for: ErrorMapper = api_error_for,
        error_schema: str | None = "v2/problem",
    ) -> V2Result:
        """Send one request (retrying as the policy allows) and return the validated JSON
        (``schema`` None: an answer compat only reads a field or two of, not validated)."""
        options = {**self.defaults, **(_call_options.get() or {})}
        request = requests.Request(
            method,
            url,
            params=dict(params) if params else None,
            json=dict(json_body) if json_body is not None else None,
            data=dict(form) if form is not None else None,
            headers={"Accept": "application/json", **(headers or {})},
            auth=auth,
        )
        path = _path(url)
        attempt = 0
        while True:
            # Prepared anew each attempt: an OAuth 1.0a nonce/timestamp must not be replayed.
            prepared = self.session.prepare_request(request)
            started = time.perf_counter()
            try:
                response = self.session.send(prepared, allow_redirects=False, **options)
            except (requests.ConnectionError, requests.Timeout) as exc:
                _record(method, path, None, (time.perf_counter() - started) * 1000, endpoint)
                read_timeout = isinstance(exc, requests.ReadTimeout)
                if not read_timeout and attempt + 1 < self.retry.attempts:
                    wait = min(self.retry.backoff * 2**attempt, self.retry.max_wait)
                    log.warning(
                        "http.retry %s %s after %s in %.2fs",
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
            log.debug(
                "http.response %s %s -> %s in %.1fms",
                method,
                path,
                response.status_code,
                elapsed,
                extra={"endpoint": endpoint, "status": response.status_code},
            )
            rate_limit = RateLimit.from_headers(response.headers)
            if response.status_code < 400:
                try:
                    result = self._success(response, prepared, rate_limit, schema)
                except CompatError:
                    _record(method, path, response.status_code, elapsed, endpoint)
                    raise
                _record(method, path, response.status_code, elapsed, endpoint, result.payload)
                return result
            _record(method, path, response.status_code, elapsed, endpoint)
            wait = self._retry_wait(response, rate_limit, attempt)
            if wait is None:
                raise self._error(response, prepared, rate_limit, error_for, error_schema)
            log.warning(
                "http.retry %s %s after HTTP %s in %.2fs",
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
        if status == 429 and _usage_capped(response):
            return None  # a monthly cap lifts with the billing cycle, not after a wait
        now = self._clock()
        asked = _retry_after(response, now)
        if asked is None and status == 429 and rate_limit.reset is not None:
            asked = max(0.0, rate_limit.reset - now)
        wait = asked if asked is not None else self.retry.backoff * 2**attempt
        return None if wait > self.retry.max_wait else wait

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
        schema: str | None,
    ) -> V2Result:
        payload = self._decode(response)
        if isinstance(payload, dict):
            payload = normalise_keys(payload)
        if not isinstance(payload, dict):
            raise MalformedResponse(
                f"{prepared.method} {_path(prepared.url)} answered HTTP {response.status_code} "
                f"with a body that is not a JSON object ({len(response.content)} bytes)",
                request=prepared,
                response=response,
            )
        if schema is not None:
            schemas.validate(schema, payload, request=prepared, response=response)
        return V2Result(payload, rate_limit, response.status_code)

    def _error(
        self,
        response: requests.Response,
        prepared: requests.PreparedRequest,
        rate_limit: RateLimit,
        error_for: ErrorMapper,
        error_schema: str | None,
    ) -> ApiError:
        body = self._decode(response)
        if isinstance(body, dict) and error_schema is not None:
            try:
                schemas.validate(error_schema, body, request=prepared, response=response)
            except SchemaError as exc:  # the API error itself is what the caller must see
                log.warning(
                    "http.error_body_schema %s", exc, extra={"status": response.status_code}
                )
        error = error_for(
            response.status_code,
            body,
            rate_limit=rate_limit,
            request=prepared,
            response=response,
        )
        if isinstance(error, TooManyRequests):
            log.warning(
                "http.rate_limited %s reset=%s",
                _path(prepared.url),
                rate_limit.reset,
                extra={"reset": rate_limit.reset},
            )
        return error
