"""HTTP for every backend: timeouts, bounds, bounded retries, error decoding, call recording.

A :class:`Transport` sends one logical request (re-preparing it on each retry, so an OAuth
1.0a nonce is never replayed), reads the answer within its bounds, decodes and
schema-validates the JSON, and turns error statuses into :class:`~compat.errors.ApiError`
through the backend's own mapping.

Bounds (docs/dropin.md "Bounds and hostile answers"): an answer body is read in chunks and refused
past ``max_response_bytes`` decoded bytes (gzip/deflate are inflated here, chunk by chunk,
never beyond the bound); every request of one call shares a total deadline
(:func:`call_bounds`, ``call_deadline`` seconds): reads are cut at the deadline however
slowly the server drips, and no retry waits past it. A redirect is never followed nor taken
for success. Every failure is a :class:`~compat.errors.CompatError`: ``TransportError`` when
no whole answer came (a write that may have been applied says so), ``MalformedResponse``
when it is not the JSON promised. Messages built from server text are cut to
:data:`MAX_MESSAGE_CHARS`.

After ``os.fork()`` a transport never shares its parent's keep-alive connections: the child
gets a fresh session (or, for a session given by the caller, fresh connection pools).

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
    >>> len(cut("x" * 5000)), cut("x" * 5000)[-34:]
    (1031, 'xxx… [cut: 5000 characters in all]')
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import email.utils
import heapq
import http.client
import ipaddress
import itertools
import logging
import os
import socket
import threading
import time
import urllib.parse
import urllib.request
import weakref
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import requests
import urllib3
from requests.adapters import HTTPAdapter

from compat import _json, schemas
from compat._bounds import (
    DEFAULT_CALL_DEADLINE,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_TIMEOUT,
    Timeout,
)
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
    "DEFAULT_CALL_DEADLINE",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_TIMEOUT",
    "MAX_MESSAGE_CHARS",
    "ErrorMapper",
    "RetryPolicy",
    "Timeout",
    "Transport",
    "V2Call",
    "V2Result",
    "call_bounds",
    "call_options",
    "cut",
    "proxies_for",
    "recording",
    "returned_resources",
]

log = logging.getLogger("compat.client")

#: Longest message compat builds from server text (errors, logs); v2's own are < 300.
MAX_MESSAGE_CHARS = 1000

_CHUNK = 64 * 1024
# What compat inflates itself (bounded); a server sending another coding is malformed.
_ACCEPT_ENCODING = "gzip, deflate"
_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

#: Builds the ApiError for an error status: (status, decoded body or None, rate limit,
#: request, response) -> ApiError. The v2 one is :func:`compat.errors.api_error_for`.
ErrorMapper = Callable[..., ApiError]


@dataclasses.dataclass(frozen=True)
class V2Call:
    """One HTTP request compat made on the caller's behalf (secrets never included).

    ``resources``: the ``(kind, id)`` of every post and user its answer returned (``data``
    and the expansions in ``includes``), which is what a read is billed by; ``bytes_read``:
    the decoded bytes of its answer compat read (at most ``max_response_bytes`` + one chunk).
    """

    method: str
    path: str
    status: int | None
    elapsed_ms: float
    endpoint: str
    resources: tuple[tuple[str, str], ...] = ()
    bytes_read: int = 0


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
            if isinstance(item, dict) and _an_id(item.get("id")):
                found.append((kind, item["id"]))
    includes = payload.get("includes")
    if isinstance(includes, dict):
        for key, included in (("tweets", "post"), ("users", "user")):
            items = includes.get(key)
            if isinstance(items, list):
                found.extend(
                    (included, i["id"])
                    for i in items
                    if isinstance(i, dict) and _an_id(i.get("id"))
                )
    return tuple(found)


def _an_id(value: object) -> bool:
    """A v2 id: 1 to 19 ASCII digits (anything else in a hostile answer names no resource)."""
    return isinstance(value, str) and 0 < len(value) <= 19 and value.isascii() and value.isdigit()


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
    when it says so; a server that asks for longer than ``max_wait`` (or than the call's
    deadline leaves) gets its error raised.
    """

    attempts: int = 3
    backoff: float = 0.5
    max_wait: float = 60.0
    retry_on_429: bool = False
    statuses: frozenset[int] = frozenset({502, 503, 504})


@dataclasses.dataclass(frozen=True)
class _Bounds:
    """The bounds of the call in progress: ``deadline`` a ``time.monotonic()`` instant."""

    deadline: float
    seconds: float
    max_response_bytes: int


# Per-call transport settings (timeout, proxies, verify, cert) of the caller, e.g. those a
# legacy library passed to requests, applied to the requests made on its behalf.
_call_options: contextvars.ContextVar[Mapping[str, Any] | None] = contextvars.ContextVar(
    "compat_call_options", default=None
)
# The active recording() lists, innermost last: a call is recorded in every one of them.
_recorders: contextvars.ContextVar[tuple[list[V2Call], ...]] = contextvars.ContextVar(
    "compat_recorders", default=()
)
_bounds: contextvars.ContextVar[_Bounds | None] = contextvars.ContextVar(
    "compat_call_bounds", default=None
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
def call_bounds(
    *, deadline: float | None = None, max_response_bytes: int | None = None
) -> Iterator[None]:
    """Bound every request made in this block (this thread/async context only) together:
    ``deadline`` seconds from now in total, answers of at most ``max_response_bytes`` decoded
    bytes. A nested block can only tighten the bounds of the one around it.

    >>> with call_bounds(deadline=5, max_response_bytes=1024):
    ...     with call_bounds(deadline=60):
    ...         bounds = _bounds.get()
    >>> bounds.seconds, bounds.max_response_bytes
    (5.0, 1024)
    """
    outer = _bounds.get()
    seconds = float(deadline) if deadline is not None else DEFAULT_CALL_DEADLINE
    until = time.monotonic() + seconds
    limit = max_response_bytes if max_response_bytes is not None else DEFAULT_MAX_RESPONSE_BYTES
    if outer is not None:
        if outer.deadline <= until:
            until, seconds = outer.deadline, outer.seconds
        limit = min(limit, outer.max_response_bytes)
    token = _bounds.set(_Bounds(until, seconds, limit))
    try:
        yield
    finally:
        _bounds.reset(token)


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
    bytes_read: int = 0,
) -> None:
    recorders = _recorders.get()
    if recorders:
        resources = returned_resources(endpoint, payload) if payload is not None else ()
        call = V2Call(method, path, status, elapsed, endpoint, resources, bytes_read)
        for calls in recorders:
            calls.append(call)


# -- messages from server text ----------------------------------------------------------------


def cut(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """``text`` cut to at most about ``limit`` characters, saying how long it was."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… [cut: {len(text)} characters in all]"


def _cut_strings(value: Any, depth: int = 0) -> Any:
    """An error body with every string cut and every list/object capped (for messages, logs
    and ``ApiError.v2_body``); beyond a few levels nothing is kept."""
    if isinstance(value, str):
        return cut(value)
    if depth >= 6:
        return None if isinstance(value, (dict, list)) else value
    if isinstance(value, dict):
        items = list(itertools.islice(value.items(), 100))
        return {cut(str(k), 100): _cut_strings(v, depth + 1) for k, v in items}
    if isinstance(value, list):
        return [_cut_strings(v, depth + 1) for v in value[:100]]
    return value


def _cut_error(exc: CompatError) -> CompatError:
    """``exc`` with its message cut (a schema error quotes the offending value)."""
    if len(exc.message) > MAX_MESSAGE_CHARS:
        exc.message = cut(exc.message)
        exc.args = (exc.message,)
    return exc


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
    except (TypeError, ValueError, OverflowError):
        return None
    return max(0.0, when.timestamp() - now)


def _usage_capped(body: Any) -> bool:
    """A 429 that is the monthly usage cap (``…/problems/usage-capped``), not a rate limit."""
    kind = body.get("type") if isinstance(body, dict) else None
    return isinstance(kind, str) and kind.endswith("/usage-capped")


def _path(url: str | None) -> str:
    return urllib.parse.urlsplit(url or "").path


def _loopback(host: str) -> bool:
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_cleartext_lock = threading.Lock()
_cleartext_warned: set[tuple[str, int | None]] = set()


def _warn_cleartext(url: str) -> None:
    """Log once per host that credentials go over plain http (loopback hosts excepted)."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme != "http" or _loopback(host):
        return
    try:
        port = parts.port
    except ValueError:
        port = None
    with _cleartext_lock:
        if (host, port) in _cleartext_warned:
            return
        _cleartext_warned.add((host, port))
    log.warning(
        "compat sends your credentials unencrypted to http://%s%s (api_base is plain http and "
        "not this machine): anyone on the way can read and replay them. Use an https:// "
        "api_base",
        host,
        f":{port}" if port is not None else "",  # never the URL's user:password part
        extra={"event": "http.cleartext", "host": host},
    )


# -- connections: deadline enforcement and fork safety ---------------------------------------


class _Guard:
    """One exchange under a deadline: the connection it uses, shut down if the deadline
    passes before :meth:`done` (a blocked read then returns at once)."""

    __slots__ = ("_connection", "_done", "_lock", "_response", "expired")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._connection: Any = None
        self._response: requests.Response | None = None
        self._done = False
        self.expired = False

    @property
    def finished(self) -> bool:
        return self._done

    def track(self, connection: Any) -> None:
        with self._lock:
            self._connection = connection

    def untrack(self, connection: Any) -> None:
        with self._lock:
            if self._connection is connection:
                self._connection = None

    def attach(self, response: requests.Response) -> None:
        with self._lock:
            self._response = response

    def done(self) -> None:
        with self._lock:
            self._done = True
            self._connection = self._response = None

    def fire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.expired = True
            connection = self._connection
            if connection is None and self._response is not None:
                # a session compat did not make: the connection its response still reads
                connection = getattr(self._response.raw, "connection", None)
            sock = getattr(connection, "sock", None)
            if isinstance(sock, socket.socket):
                with contextlib.suppress(OSError):
                    # the plain socket's shutdown: an SSL object is left to its reader
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)


_current_guard: contextvars.ContextVar[_Guard | None] = contextvars.ContextVar(
    "compat_exchange_guard", default=None
)


class _Watchdog:
    """One daemon thread that fires the guards whose deadline passed (started on first use,
    again in a forked child)."""

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._heap: list[tuple[float, int, _Guard]] = []
        self._live = 0
        self._thread: threading.Thread | None = None
        self._counter = itertools.count()

    def arm(self, when: float, guard: _Guard) -> None:
        with self._cond:
            heapq.heappush(self._heap, (when, next(self._counter), guard))
            self._live += 1
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="compat-deadline", daemon=True
                )
                self._thread.start()
            if self._heap[0][2] is guard:
                self._cond.notify()

    def disarm(self, guard: _Guard) -> None:
        guard.done()
        with self._cond:
            self._live -= 1
            # finished guards leave lazily; rebuild when they outnumber the live ones
            if len(self._heap) > 2 * self._live + 64:
                self._heap = [e for e in self._heap if not e[2].finished]
                heapq.heapify(self._heap)

    def _run(self) -> None:
        while True:
            with self._cond:
                while True:
                    while self._heap and self._heap[0][2].finished:
                        heapq.heappop(self._heap)
                    if not self._heap:
                        self._cond.wait()
                        continue
                    delay = self._heap[0][0] - time.monotonic()
                    if delay <= 0:
                        guard = heapq.heappop(self._heap)[2]
                        break
                    self._cond.wait(delay)
            guard.fire()


_WATCHDOG = _Watchdog()


def _tracked(connection: Any) -> Any:
    guard = _current_guard.get()
    if guard is not None:
        guard.track(connection)
    return connection


def _untracked(connection: Any) -> None:
    guard = _current_guard.get()
    if guard is not None:
        guard.untrack(connection)  # back in the pool: another exchange's from now on


class _TrackedPool(urllib3.HTTPConnectionPool):
    """Lets the exchange's guard know the connection it sends on (to cut a header drip)."""

    def _get_conn(self, timeout: float | None = None) -> Any:
        return _tracked(super()._get_conn(timeout))

    def _put_conn(self, conn: Any) -> None:
        _untracked(conn)
        super()._put_conn(conn)


class _TrackedHTTPSPool(urllib3.HTTPSConnectionPool):
    """:class:`_TrackedPool` for https."""

    def _get_conn(self, timeout: float | None = None) -> Any:
        return _tracked(super()._get_conn(timeout))

    def _put_conn(self, conn: Any) -> None:
        _untracked(conn)
        super()._put_conn(conn)


_TRACKED_POOLS: dict[str, type[urllib3.HTTPConnectionPool]] = {
    "http": _TrackedPool,
    "https": _TrackedHTTPSPool,
}


class _TrackedAdapter(HTTPAdapter):
    """requests' adapter with connection pools that report to the exchange's guard."""

    def init_poolmanager(
        self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any
    ) -> None:
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(_TRACKED_POOLS)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if isinstance(manager, urllib3.ProxyManager):  # not SOCKS: its pools are its own
            manager.pool_classes_by_scheme = dict(_TRACKED_POOLS)
        return manager


def proxies_for(
    url: str,
    *,
    own: Mapping[str, str] | None = None,
    caller: Mapping[str, str] | None = None,
    trust_env: bool = True,
) -> dict[str, str]:
    """The proxies for a request to ``url``, resolved for that URL as requests resolves them:
    ``{"all": proxy}``, or ``{}`` for a direct connection.

    ``own``: compat's ``proxies=`` setting; ``caller``: the proxies requests resolved for the
    legacy call (its explicit ``proxies=`` merged with the environment's, for the legacy
    host). Explicit entries apply by requests' scheme/host rules (``select_proxy``); entries
    that are the environment's (``HTTPS_PROXY`` …) are resolved again for ``url``, so
    ``NO_PROXY`` (or a ``no_proxy`` entry) covering ``url`` means no proxy: the proxy of a
    call to api.twitter.com is never forced onto a v2 request to a loopback emulator.

    >>> proxies_for("http://127.0.0.1:8/2/users/me", caller={"http": "http://proxy:3128"},
    ...             trust_env=False)
    {'all': 'http://proxy:3128'}
    >>> proxies_for("http://127.0.0.1:8/2/users/me", trust_env=False)
    {}
    """
    environment = urllib.request.getproxies() if trust_env else {}
    explicit = {
        key: value
        for key, value in (caller or {}).items()
        if value and environment.get(key) != value  # the environment's: resolved again below
    }
    merged: dict[str, str] = {**(own or {}), **explicit}
    no_proxy = merged.get("no_proxy")
    if trust_env and not requests.utils.should_bypass_proxies(url, no_proxy=no_proxy):
        for key, value in requests.utils.get_environ_proxies(url, no_proxy=no_proxy).items():
            merged.setdefault(key, value)
    chosen = requests.utils.select_proxy(url, merged)
    return {"all": chosen} if chosen else {}


def _new_session() -> requests.Session:
    session = requests.Session()
    session.mount("https://", _TrackedAdapter())
    session.mount("http://", _TrackedAdapter())
    return session


def _fresh_pools(session: requests.Session) -> None:
    """Give a caller's session new, empty connection pools (the old ones are the parent's
    after a fork: dropped, not closed, as they are still in use there)."""
    for adapter in session.adapters.values():
        if isinstance(adapter, HTTPAdapter):
            adapter.proxy_manager = {}
            adapter.init_poolmanager(
                getattr(adapter, "_pool_connections", 10),
                getattr(adapter, "_pool_maxsize", 10),
                block=getattr(adapter, "_pool_block", False),
            )


_transports: weakref.WeakSet[Transport] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    global _cleartext_lock
    _cleartext_lock = threading.Lock()  # another thread of the parent may have held it
    _WATCHDOG._reset()
    for transport in list(_transports):
        transport._after_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


# -- reading an answer within its bounds -----------------------------------------------------


class _TooLarge(Exception):
    def __init__(self, read: int) -> None:
        self.read = read


class _Broken(Exception):
    """The connection failed or the deadline passed while the body was read."""

    def __init__(self, read: int, reason: str, *, timed_out: bool = False) -> None:
        self.read = read
        self.reason = reason
        self.timed_out = timed_out


class _Undecodable(Exception):
    def __init__(self, read: int, reason: str) -> None:
        self.read = read
        self.reason = reason


class _Inflater:
    """gzip/deflate, inflated chunk by chunk with a bound on the output of every step."""

    def __init__(self, coding: str) -> None:
        self.coding = coding
        self._wbits = 31 if coding == "gzip" else 15
        self._z = zlib.decompressobj(self._wbits)
        self._fed = False
        self._produced = False

    def feed(self, data: bytes, room: int) -> Iterator[bytes]:
        """Inflate ``data`` in pieces of at most one chunk, ``room`` (> 0) bytes in all:
        reaching it means over the bound (the rest is not inflated)."""
        while data and room > 0:
            try:
                piece = self._z.decompress(data, min(room, _CHUNK))
            except zlib.error:
                if self.coding == "deflate" and not self._produced and self._wbits == 15:
                    # "deflate" as many servers send it: raw, without the zlib wrapper
                    self._wbits = -15
                    self._z = zlib.decompressobj(-15)
                    continue
                raise
            self._fed = True
            self._produced = self._produced or bool(piece)
            room -= len(piece)
            if piece:
                yield piece
            data = self._z.unconsumed_tail
            if not data and self._z.eof and self._z.unused_data:
                rest = self._z.unused_data
                if self.coding == "gzip" and rest[:2] == b"\x1f\x8b":
                    self._z = zlib.decompressobj(31)  # the next member of a multi-member body
                    data = rest
                # anything else after the end of the stream is ignored, as urllib3 does

    def finish(self) -> None:
        if self._fed and not self._z.eof:
            raise zlib.error("the compressed stream ends before its end marker")


def _inflater(header: str | None) -> _Inflater | None:
    codings = [c.strip().lower() for c in (header or "").split(",")]
    codings = [c for c in codings if c and c != "identity"]
    if not codings:
        return None
    if len(codings) == 1 and codings[0] in ("gzip", "x-gzip", "deflate"):
        return _Inflater("deflate" if codings[0] == "deflate" else "gzip")
    raise ValueError(f"content-encoding {cut(header or '', 80)!r} is not one compat asked for")


def _read_body(response: requests.Response, limit: int, bounds: _Bounds, guard: _Guard) -> bytes:
    """The decoded body, read in chunks: at most ``limit`` bytes, within the deadline."""
    raw = response.raw
    try:
        inflater = _inflater(response.headers.get("Content-Encoding"))
    except ValueError as exc:
        raise _Undecodable(0, str(exc)) from None
    native = isinstance(raw, urllib3.HTTPResponse)
    read1 = getattr(raw, "read1", None) if native else None
    chunks: list[bytes] = []  # joined once at the end: the body is held once, plus one copy
    size = wire = 0
    while True:
        if guard.expired or time.monotonic() >= bounds.deadline:
            raise _Broken(size, "the call deadline passed", timed_out=True)
        try:
            if read1 is not None:  # returns what one recv brings: a drip cannot hold it
                chunk = read1(_CHUNK, decode_content=False)
            elif native:
                chunk = raw.read(_CHUNK, decode_content=False)
            else:
                chunk = raw.read(_CHUNK)
        except (urllib3.exceptions.HTTPError, http.client.HTTPException, OSError, ValueError) as e:
            if guard.expired:
                raise _Broken(size, "the call deadline passed", timed_out=True) from None
            timed_out = isinstance(e, (urllib3.exceptions.TimeoutError, TimeoutError))
            reason = "timed out" if timed_out else f"broke off ({type(e).__name__})"
            raise _Broken(size, reason, timed_out=timed_out) from None
        if not chunk:
            break
        wire += len(chunk)
        pieces: Iterable[bytes] = (chunk,)
        if inflater is not None:
            pieces = inflater.feed(chunk, limit - size + 1)
        try:
            for piece in pieces:
                chunks.append(piece)
                size += len(piece)
        except zlib.error as exc:
            raise _Undecodable(
                size, f"bad {inflater.coding if inflater else ''} data ({exc})"
            ) from None
        if size > limit:
            raise _TooLarge(size)
    if inflater is not None:
        try:
            inflater.finish()
        except zlib.error as exc:
            raise _Undecodable(size, f"bad {inflater.coding} data ({exc})") from None
    declared = response.headers.get("Content-Length", "")
    chunked = "chunked" in response.headers.get("Transfer-Encoding", "")
    if declared.isdigit() and not chunked and wire < int(declared):  # urllib3 1.x: unchecked
        raise _Broken(size, f"ended after {wire} of {declared} bytes")
    return b"".join(chunks)


def _abandon(response: requests.Response) -> None:
    """Close a response whose body is not (fully) read: its connection is not reused."""
    with contextlib.suppress(Exception):
        response.raw.close()
    response._content = b""  # what an error's .response then shows: never a blocking read
    response._content_consumed = True  # type: ignore[attr-defined]
    with contextlib.suppress(Exception):
        response.close()


def _parse(body: bytes) -> Any:
    """The JSON value of ``body``; ValueError (not JSON) or RecursionError (nested deeper
    than Python parses); orjson when installed, the standard library's verdict otherwise
    (:mod:`compat._json`)."""
    return _json.loads(body)


def _capped_timeout(timeout: Any, remaining: float) -> Any:
    """``timeout`` (seconds or (connect, read); None: none) no longer than ``remaining``."""
    parts = timeout if isinstance(timeout, tuple) and len(timeout) == 2 else (timeout, timeout)
    capped = []
    for part in parts:
        if part is None:
            capped.append(remaining)
        elif isinstance(part, (int, float)):
            capped.append(min(float(part), remaining))
        else:
            return timeout  # something requests understands and compat does not: as given
    return tuple(capped)


def _sent(exc: BaseException) -> bool:
    """Whether a failed request may have reached the server (not: no connection was made)."""
    if isinstance(exc, requests.ConnectTimeout):
        return False
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)
    return not isinstance(reason, urllib3.exceptions.NewConnectionError)


def _write_note(method: str, status: int | None, sent: bool) -> str:
    """What a failed write's caller must know: whether the server applied it."""
    if method.upper() not in _WRITE_METHODS:
        return ""
    if status is not None and 200 <= status < 300:
        return f"; the server accepted the {method} (HTTP {status}), so it was applied"
    if sent:
        return f"; the {method} was sent, so it may have been applied (likes are idempotent)"
    return f"; the {method} was not sent"


class Transport:
    """Sends requests for a backend; see the module docstring.

    ``session``: a :class:`requests.Session` (one is made otherwise); ``timeout`` default
    ``(5, 30)``; ``proxies``/``verify``/``cert`` as in requests; ``retry``: a
    :class:`RetryPolicy`; ``sleep``/``clock``: injectable for tests;
    ``max_response_bytes``/``deadline``: the bounds of a request made outside
    :func:`call_bounds` (inside, the tighter of the two applies).
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
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        deadline: float = DEFAULT_CALL_DEADLINE,
    ) -> None:
        self._own_session = session is None
        self.session = session if session is not None else _new_session()
        self.defaults: dict[str, Any] = {"timeout": timeout}
        if proxies is not None:
            self.defaults["proxies"] = dict(proxies)
        if verify is not None:
            self.defaults["verify"] = verify
        if cert is not None:
            self.defaults["cert"] = cert
        self.retry = retry or RetryPolicy()
        self.max_response_bytes = max_response_bytes
        self.deadline = deadline
        self._sleep = sleep
        self._clock = clock
        self._pid = os.getpid()
        _transports.add(self)

    def _after_fork(self) -> None:
        """In a forked child: never read from (or write to) the parent's connections."""
        self._pid = os.getpid()
        if self._own_session:
            self.session = _new_session()
        else:
            _fresh_pools(self.session)
        log.debug("http.fork fresh connections in process %s", self._pid)

    def _limits(self) -> _Bounds:
        given = _bounds.get()
        until = time.monotonic() + self.deadline
        if given is None or given.deadline > until:
            limit = self.max_response_bytes
            if given is not None:
                limit = min(limit, given.max_response_bytes)
            return _Bounds(until, self.deadline, limit)
        return _Bounds(
            given.deadline, given.seconds, min(given.max_response_bytes, self.max_response_bytes)
        )

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
        if self._pid != os.getpid():  # forked without os.register_at_fork's hooks
            self._after_fork()
        caller = _call_options.get() or {}
        options = {**self.defaults, **caller}
        options["proxies"] = proxies_for(
            url,
            own=self.defaults.get("proxies"),
            caller=caller.get("proxies"),
            trust_env=self.session.trust_env,
        )
        bounds = self._limits()
        request = requests.Request(
            method,
            url,
            params=dict(params) if params else None,
            json=dict(json_body) if json_body is not None else None,
            data=form,  # as given: a caller's mapping may hide its values from reprs
            headers={
                "Accept": "application/json",
                "Accept-Encoding": _ACCEPT_ENCODING,
                **(headers or {}),
            },
            auth=auth,
        )
        if auth is not None or "Authorization" in (headers or {}):
            _warn_cleartext(url)
        path = _path(url)
        attempt = 0
        while True:
            remaining = bounds.deadline - time.monotonic()
            if remaining <= 0:
                raise TransportError(
                    f"{method} {path} timed out: the call deadline ({bounds.seconds:g} s) "
                    f"passed after {attempt} attempt(s)" + _write_note(method, None, attempt > 0)
                )
            # Prepared anew each attempt: an OAuth 1.0a nonce/timestamp must not be replayed.
            prepared = self.session.prepare_request(request)
            started = time.perf_counter()
            sending = {**options, "timeout": _capped_timeout(options.get("timeout"), remaining)}
            try:
                response, body = self._exchange(prepared, sending, bounds)
            except _Failure as failure:
                elapsed = (time.perf_counter() - started) * 1000
                _record(method, path, failure.status, elapsed, endpoint, None, failure.read)
                wait = min(self.retry.backoff * 2**attempt, self.retry.max_wait)
                if (
                    failure.retryable
                    and attempt + 1 < self.retry.attempts
                    and wait < bounds.deadline - time.monotonic()
                ):
                    log.warning(
                        "%s %s failed (%s); compat tries again in %.2f s (attempt %s of %s). "
                        "Nothing to do unless it keeps failing: then check the network or "
                        "api_base",
                        method,
                        path,
                        failure.kind,
                        wait,
                        attempt + 2,
                        self.retry.attempts,
                        extra={"event": "http.retry", "endpoint": endpoint, "attempt": attempt + 1},
                    )
                    self._sleep(wait)
                    attempt += 1
                    continue
                raise failure.error(method, path, attempt + 1, prepared) from None
            elapsed = (time.perf_counter() - started) * 1000
            status = response.status_code
            log.debug(
                "http.response %s %s -> %s in %.1fms",
                method,
                path,
                status,
                elapsed,
                extra={"endpoint": endpoint, "status": status},
            )
            rate_limit = RateLimit.from_headers(response.headers)
            read = len(body) if body is not None else 0
            if 200 <= status < 300:
                try:
                    result = self._success(response, body, prepared, rate_limit, schema)
                except CompatError:
                    _record(method, path, status, elapsed, endpoint, None, read)
                    raise
                _record(method, path, status, elapsed, endpoint, result.payload, read)
                return result
            _record(method, path, status, elapsed, endpoint, None, read)
            if status < 400:
                raise self._redirect(response, prepared)
            decoded = self._decode_error(body)
            wait = self._retry_wait(response, decoded, rate_limit, attempt, bounds)
            if wait is None:
                raise self._error(
                    response, body, decoded, prepared, rate_limit, error_for, error_schema
                )
            log.warning(
                "%s %s got HTTP %s from X; compat tries again in %.2f s (attempt %s of %s). "
                "Nothing to do unless it keeps failing",
                method,
                path,
                status,
                wait,
                attempt + 2,
                self.retry.attempts,
                extra={"event": "http.retry", "endpoint": endpoint, "attempt": attempt + 1},
            )
            self._sleep(wait)
            attempt += 1

    def _exchange(
        self, prepared: requests.PreparedRequest, options: dict[str, Any], bounds: _Bounds
    ) -> tuple[requests.Response, bytes | None]:
        """Send ``prepared`` and read its answer within ``bounds``: (response, body); body
        None for a redirect or an error body over the bound. Raises :class:`_Failure`."""
        guard = _Guard()
        token = _current_guard.set(guard)
        _WATCHDOG.arm(bounds.deadline, guard)
        try:
            try:
                response = self.session.send(
                    prepared, allow_redirects=False, stream=True, **options
                )
            except requests.RequestException as exc:
                raise _Failure.sending(exc, guard, bounds) from None
            except (urllib3.exceptions.HTTPError, http.client.HTTPException, OSError) as exc:
                raise _Failure.sending(exc, guard, bounds) from None
            guard.attach(response)
            status = response.status_code
            if 300 <= status < 400:
                _abandon(response)
                return response, None
            try:
                body = _read_body(response, bounds.max_response_bytes, bounds, guard)
            except _TooLarge as over:
                _abandon(response)
                if status >= 400:  # the status still says what failed
                    return response, None
                raise _Failure.too_large(status, over.read, bounds) from None
            except _Broken as broken:
                _abandon(response)
                raise _Failure.broken(status, broken, bounds) from None
            except _Undecodable as bad:
                _abandon(response)
                raise _Failure.undecodable(status, bad) from None
            # requests' own accessors (.content, .json()) keep working on errors' .response
            response._content = body
            response._content_consumed = True  # type: ignore[attr-defined]
            return response, body
        finally:
            _WATCHDOG.disarm(guard)
            _current_guard.reset(token)

    def _retry_wait(
        self,
        response: requests.Response,
        body: Any,
        rate_limit: RateLimit,
        attempt: int,
        bounds: _Bounds,
    ) -> float | None:
        """Seconds to wait before retrying this error response, or None to raise it."""
        status = response.status_code
        retryable = status in self.retry.statuses or (status == 429 and self.retry.retry_on_429)
        if not retryable or attempt + 1 >= self.retry.attempts:
            return None
        if status == 429 and _usage_capped(body):
            return None  # a monthly cap lifts with the billing cycle, not after a wait
        now = self._clock()
        asked = _retry_after(response, now)
        if asked is None and status == 429 and rate_limit.reset is not None:
            asked = max(0.0, rate_limit.reset - now)
        wait = asked if asked is not None else self.retry.backoff * 2**attempt
        if wait > self.retry.max_wait or wait >= bounds.deadline - time.monotonic():
            return None
        return wait

    @staticmethod
    def _decode_error(body: bytes | None) -> Any:
        if body is None:
            return None
        try:
            return _parse(body)
        except (ValueError, RecursionError):
            return None

    def _success(
        self,
        response: requests.Response,
        body: bytes | None,
        prepared: requests.PreparedRequest,
        rate_limit: RateLimit,
        schema: str | None,
    ) -> V2Result:
        method, status = str(prepared.method), response.status_code
        where = f"{method} {_path(prepared.url)} answered HTTP {status}"
        note = _write_note(method, status, True)
        raw = body or b""
        try:
            payload = _parse(raw)
        except RecursionError:
            raise MalformedResponse(
                f"{where} with JSON nested too deeply to read ({len(raw)} bytes){note}",
                request=prepared,
                response=response,
            ) from None
        except ValueError:
            payload = None
        if isinstance(payload, dict):
            payload = normalise_keys(payload)
        if not isinstance(payload, dict):
            raise MalformedResponse(
                f"{where} with a body that is not a JSON object ({len(raw)} bytes){note}",
                request=prepared,
                response=response,
            )
        if schema is not None:
            try:
                schemas.validate(schema, payload, request=prepared, response=response)
            except CompatError as exc:
                if note:
                    exc.message += note
                    exc.args = (exc.message,)
                raise _cut_error(exc) from None
            except (RecursionError, ValueError) as exc:  # e.g. a lone surrogate in a string
                raise MalformedResponse(
                    f"{where} with JSON compat cannot check ({type(exc).__name__}){note}",
                    request=prepared,
                    response=response,
                ) from None
        return V2Result(payload, rate_limit, status)

    @staticmethod
    def _redirect(
        response: requests.Response, prepared: requests.PreparedRequest
    ) -> MalformedResponse:
        status = response.status_code
        target = cut(str(response.headers.get("Location", "")), 200)
        what = (
            f"(a redirect to {target!r}): the v2 API does not redirect, and compat never "
            "follows one (it would carry your credentials elsewhere)"
            if 300 <= status < 400
            else "(not a final answer the v2 API gives)"
        )
        return MalformedResponse(
            f"{prepared.method} {_path(prepared.url)} answered HTTP {status} {what}"
            + _write_note(str(prepared.method), None, True),
            request=prepared,
            response=response,
        )

    def _error(
        self,
        response: requests.Response,
        raw: bytes | None,
        decoded: Any,
        prepared: requests.PreparedRequest,
        rate_limit: RateLimit,
        error_for: ErrorMapper,
        error_schema: str | None,
    ) -> ApiError:
        status = response.status_code
        body = _cut_strings(decoded)
        if isinstance(body, dict) and error_schema is not None:
            try:
                schemas.validate(error_schema, body, request=prepared, response=response)
            except (SchemaError, RecursionError, ValueError) as exc:  # the error matters
                log.warning(
                    "X's HTTP %s error body is not in the documented shape (%s); compat maps "
                    "the error as well as it can. If this repeats, report it with the body",
                    status,
                    cut(str(exc)),
                    extra={"event": "http.error_body_schema", "status": status},
                )
        try:
            error = error_for(
                status, body, rate_limit=rate_limit, request=prepared, response=response
            )
        except Exception as exc:  # a mapper must never replace the API's error with its own
            log.warning(
                "compat could not read X's HTTP %s error in detail (%s); the error raised says "
                "only what the status says. If this repeats, report it",
                status,
                type(exc).__name__,
                extra={"event": "http.error_mapping_failed", "status": status},
            )
            # by status alone, and without the rate limit (its headers may be what failed)
            error = api_error_for(status, None, request=prepared, response=response)
            error.v2_body, error.rate_limit = body, rate_limit
        if raw is None:
            error.message += " (its body was over max_response_bytes and was not read)"
            error.args = (error.message,)
        _cut_error(error)
        if isinstance(error, TooManyRequests):
            log.warning(
                "X's rate limit for %s is used up (HTTP 429); it resets at Unix time %s. Wait "
                "until then (tweepy: wait_on_rate_limit=True), or make fewer calls",
                _path(prepared.url),
                rate_limit.reset if rate_limit.reset is not None else "(X did not say)",
                extra={"event": "http.rate_limited", "reset": rate_limit.reset},
            )
        return error


class _Failure(Exception):
    """An exchange that brought no whole answer: what to say, and whether to retry.

    ``transport``: a TransportError (no whole answer), else a MalformedResponse; ``status``
    the HTTP status when the headers came; ``read`` the decoded bytes read; ``sent``: whether
    the request may have reached the server.
    """

    def __init__(
        self,
        kind: str,
        reason: str,
        retryable: bool,
        *,
        transport: bool = True,
        status: int | None = None,
        read: int = 0,
        sent: bool = True,
    ) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason
        self.retryable = retryable
        self.transport = transport
        self.status = status
        self.read = read
        self.sent = sent

    @classmethod
    def sending(cls, exc: BaseException, guard: _Guard, bounds: _Bounds) -> _Failure:
        if guard.expired:
            return cls.deadline(None, 0, bounds, sent=_sent(exc))
        name = type(exc).__name__
        if isinstance(exc, requests.Timeout):
            # a read timeout is not retried: the server may be working on it
            return cls(name, "timed out", isinstance(exc, requests.ConnectTimeout), sent=_sent(exc))
        if isinstance(exc, requests.ConnectionError):
            return cls(name, "failed to connect", True, sent=_sent(exc))
        return cls(name, "failed", False, sent=_sent(exc))

    @classmethod
    def deadline(
        cls, status: int | None, read: int, bounds: _Bounds, *, sent: bool = True
    ) -> _Failure:
        reason = f"timed out: the call deadline ({bounds.seconds:g} s) passed"
        return cls("deadline", reason, False, status=status, read=read, sent=sent)

    @classmethod
    def broken(cls, status: int, broken: _Broken, bounds: _Bounds) -> _Failure:
        if broken.reason == "the call deadline passed":
            return cls.deadline(status, broken.read, bounds)
        reason = f"answered HTTP {status}, then the body {broken.reason} after {broken.read} bytes"
        return cls("BrokenBody", reason, not broken.timed_out, status=status, read=broken.read)

    @classmethod
    def too_large(cls, status: int, read: int, bounds: _Bounds) -> _Failure:
        reason = (
            f"answered HTTP {status} with a body over max_response_bytes "
            f"({bounds.max_response_bytes} decoded bytes); reading stopped there"
        )
        return cls("TooLarge", reason, False, transport=False, status=status, read=read)

    @classmethod
    def undecodable(cls, status: int, bad: _Undecodable) -> _Failure:
        reason = f"answered HTTP {status} with a body compat cannot decode: {bad.reason}"
        return cls("Undecodable", reason, False, transport=False, status=status, read=bad.read)

    def error(
        self, method: str, path: str, attempts: int, prepared: requests.PreparedRequest
    ) -> CompatError:
        note = _write_note(method, self.status, self.sent)
        text = cut(f"{method} {path} {self.reason} ({self.kind}) after {attempts} attempt(s)")
        if self.transport:
            return TransportError(text + note, request=prepared)
        return MalformedResponse(text + note, request=prepared)
