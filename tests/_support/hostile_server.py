"""A hostile X API v2 server on loopback: real answers, or one bad behaviour on demand.

:class:`HostileServer` answers the v2 routes compat calls (liked_tweets, tweets lookup, like,
unlike, users/me, users/by/username) with real recorded payloads (``tests/realdata``), until
:meth:`HostileServer.behave` makes an endpoint misbehave in one of :data:`BEHAVIOURS`:

* framing and size: ``gzip_bomb`` (a ~1 MB gzip body that inflates to 1 GiB), ``bad_gzip``,
  ``gzip_cut`` (a gzip body cut in half, correctly framed), ``bad_encoding`` (``br``),
  ``endless`` (an endless chunked stream), ``truncated`` (``Content-Length`` promises more than
  is sent), ``reset`` (headers, part of the body, then a TCP reset), ``reset_early`` (a reset
  instead of an answer);
* time: ``drip`` (the body one byte per ``interval`` seconds), ``drip_headers`` (the status line
  and headers the same way);
* content: ``redirect`` (``status`` 3xx, a success-looking JSON body and a ``Location`` on this
  server, which records whether anyone followed it), ``deep_json`` (100,000 nested arrays),
  ``huge_message`` (an error whose ``detail`` has ``size`` characters), ``json`` (any
  ``body``/``status``/``headers`` the test gives, e.g. a mutated real payload);
* pagination (liked_tweets): ``empty_pages`` (no posts, always a new next_token),
  ``repeated_token`` (the same page and the same next_token forever), ``token_cycle``
  (tokens a → b → a …), ``bad_token`` (a next_token compat cannot send back).

Every request is recorded (:class:`Served`: endpoint, behaviour, bytes sent, whether the
answer was sent whole); nothing is checked about credentials.

Also here, for the tests that use the server: :func:`guarded` (run a call with a generous hang
guard, so a broken build fails instead of hanging) and :class:`Tally` (the work counters the
reliability figures print: hostile inputs per category, handled cleanly, requests, peak
memory).

Usage::

    >>> import requests
    >>> from tests._support.hostile_server import HostileServer
    >>> with HostileServer() as server:
    ...     server.behave("users_me", "huge_message", status=403, size=50)
    ...     answer = requests.get(server.base_url + "/2/users/me", timeout=5)
    ...     answer.status_code, len(answer.json()["detail"]), server.served[-1].behaviour
    (403, 50, 'huge_message')
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import functools
import gzip
import json
import re
import socket
import struct
import threading
import urllib.parse
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from compat.credentials import Credentials
from tests._support.realdata import load_real

__all__ = [
    "BEHAVIOURS",
    "CREDENTIALS",
    "HANG_GUARD",
    "OWNER",
    "HostileServer",
    "Served",
    "Tally",
    "guarded",
    "gzip_bomb",
    "huge_message",
]

#: The account every request is answered for (an OAuth 1.0a token "<OWNER>-…" names it).
OWNER = "1072250532645998596"
#: OAuth 1.0a credentials whose token names that account (so compat sends no users/me).
CREDENTIALS = Credentials("consumer", "consumer-secret", f"{OWNER}-token", "token-secret")
BEHAVIOURS: tuple[str, ...] = (
    "gzip_bomb",
    "bad_gzip",
    "gzip_cut",
    "bad_encoding",
    "endless",
    "truncated",
    "reset",
    "reset_early",
    "drip",
    "drip_headers",
    "redirect",
    "deep_json",
    "huge_message",
    "json",
    "empty_pages",
    "repeated_token",
    "token_cycle",
    "bad_token",
)
_ROUTES = (
    ("GET", re.compile(r"/2/users/me"), "users_me"),
    ("GET", re.compile(r"/2/users/by/username/[^/]+"), "user_by_username"),
    ("GET", re.compile(r"/2/users/[0-9]+/liked_tweets"), "liked_tweets"),
    ("GET", re.compile(r"/2/tweets"), "tweets"),
    ("POST", re.compile(r"/2/users/[0-9]+/likes"), "like"),
    ("DELETE", re.compile(r"/2/users/[0-9]+/likes/[0-9]+"), "unlike"),
)
_GIB = 1 << 30
_ITEMS = b'{"id": "1", "text": "again"},' * 2000
_ENDLESS_CHUNK = f"{len(_ITEMS):x}\r\n".encode() + _ITEMS + b"\r\n"


#: Seconds a guarded call may take before its test fails as hung (never a timing assertion).
HANG_GUARD = 120.0


def guarded(call: Callable[[], Any], timeout: float = HANG_GUARD) -> Any:
    """``call()`` in a thread (in a copy of the caller's context, so ``recording()`` blocks
    see its requests): its result, or its exception re-raised; AssertionError when it is
    still running after ``timeout`` seconds (the thread is left behind, as a daemon)."""
    outcome: dict[str, Any] = {}
    context = contextvars.copy_context()

    def run() -> None:
        try:
            outcome["value"] = context.run(call)
        except BaseException as exc:  # re-raised in the caller's thread
            outcome["error"] = exc

    worker = threading.Thread(target=run, name="hang-guarded-call", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise AssertionError(f"the call still runs after {timeout:g} s: it hangs")
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


@dataclasses.dataclass
class _Category:
    inputs: int = 0
    clean: int = 0
    requests: int = 0
    peak: int = 0
    read: int = 0


class Tally:
    """Work counters of the hostile tests, per category, printed as the figures table."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.categories: dict[str, _Category] = {}

    def record(
        self, category: str, *, clean: bool, requests: int = 0, peak: int = 0, read: int = 0
    ) -> None:
        with self._lock:
            found = self.categories.setdefault(category, _Category())
            found.inputs += 1
            found.clean += int(clean)
            found.requests += requests
            found.peak = max(found.peak, peak)
            found.read = max(found.read, read)

    def lines(self) -> list[str]:
        rows = [
            "hostile answers, concurrency and files (inputs / handled cleanly / v2 requests / "
            "largest answer read / peak traced memory):"
        ]
        for name, c in sorted(self.categories.items()):
            peak = f"{c.peak / 2**20:.1f} MiB" if c.peak else "-"
            read = f"{c.read / 2**20:.1f} MiB" if c.read else "-"
            rows.append(
                f"  {name.ljust(32)} {c.inputs:6} inputs {c.clean:6} clean {c.requests:7} "
                f"requests  read {read.rjust(9)}  peak {peak.rjust(9)}"
            )
        total = sum(c.inputs for c in self.categories.values())
        clean = sum(c.clean for c in self.categories.values())
        rows.append(f"  {total} hostile inputs, {clean} handled cleanly")
        return rows


@functools.cache
def gzip_bomb(inflated: int = _GIB) -> bytes:
    """A gzip body of ``inflated`` zero bytes (~1 KB per MiB): one 64 MiB member, repeated
    (a multi-member gzip stream, which every decoder reads as one body)."""
    member_size = min(inflated, 64 << 20)
    member = gzip.compress(b"\0" * member_size, compresslevel=9)
    return member * (inflated // member_size)


@functools.cache
def huge_message(status: int, size: int) -> bytes:
    """A problem JSON body whose ``detail`` has ``size`` characters (made once)."""
    detail = "x" * size
    doc = {"title": "Forbidden", "detail": detail, "type": "about:blank", "status": status}
    return json.dumps(doc).encode()


@dataclasses.dataclass
class Served:
    """One request the server answered (or tried to)."""

    method: str
    path: str
    query: dict[str, list[str]]
    endpoint: str
    behaviour: str | None
    sent: int = 0
    whole: bool = False


@dataclasses.dataclass
class _Behaviour:
    kind: str
    options: dict[str, Any]
    times: int | None  # None: every request from now on


def _real_posts() -> list[dict[str, Any]]:
    posts: list[dict[str, Any]] = load_real("tweepy_v2_liked_tweets.json")["data"]
    return posts


class HostileServer:
    """See the module docstring; a context manager serving on ``127.0.0.1``."""

    def __init__(self) -> None:
        self.posts = _real_posts()
        self._by_id = {p["id"]: p for p in self.posts}
        self._behaviours: dict[str, list[_Behaviour]] = {}  # per endpoint, in turn
        self._lock = threading.Lock()
        self._served: list[Served] = []
        self.followed_redirects = 0
        self.stopping = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def stop(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def served(self) -> list[Served]:
        with self._lock:
            return list(self._served)

    def clear(self) -> None:
        """Forget what was served and every behaviour: real answers again."""
        with self._lock:
            self._served.clear()
            self._behaviours.clear()
            self.followed_redirects = 0

    def behave(self, endpoint: str, kind: str, *, times: int | None = None, **options: Any) -> None:
        """Make ``endpoint`` (a name as in compat._v2.ROUTES, or ``"*"``) answer as ``kind``
        (one of :data:`BEHAVIOURS`), ``times`` times or from then on; behaviours given for
        one endpoint take turns in the order given."""
        if kind not in BEHAVIOURS:
            raise ValueError(f"unknown behaviour {kind!r}")
        with self._lock:
            self._behaviours.setdefault(endpoint, []).append(_Behaviour(kind, options, times))

    def count(self, endpoint: str) -> int:
        return sum(1 for s in self.served if s.endpoint == endpoint)

    def _take(self, endpoint: str) -> _Behaviour | None:
        with self._lock:
            queue = self._behaviours.get(endpoint) or self._behaviours.get("*")
            if not queue:
                return None
            found = queue[0]
            if found.times is not None:
                found.times -= 1
                if found.times <= 0:
                    queue.pop(0)
            return found

    def _record(self, served: Served) -> None:
        with self._lock:
            self._served.append(served)

    # -- real answers ---------------------------------------------------------------------------

    def real_answer(
        self, endpoint: str, path: str, query: dict[str, list[str]], body: bytes
    ) -> tuple[int, Any]:
        if endpoint == "liked_tweets":
            size = int(query.get("max_results", ["100"])[-1])
            token = query.get("pagination_token", [""])[-1]
            start = int(token[1:]) if token.startswith("o") and token[1:].isdigit() else 0
            page = self.posts[start : start + size]
            meta: dict[str, Any] = {"result_count": len(page)}
            if start + size < len(self.posts):
                meta["next_token"] = f"o{start + size}"
            return 200, ({"data": page, "meta": meta} if page else {"meta": meta})
        if endpoint == "tweets":
            ids = ",".join(query.get("ids", [])).split(",")
            found = [self._by_id[i] for i in ids if i in self._by_id]
            missing = [i for i in ids if i not in self._by_id]
            answer: dict[str, Any] = {"data": found} if found else {}
            if missing:
                answer["errors"] = [
                    {
                        "resource_id": i,
                        "resource_type": "tweet",
                        "title": "Not Found Error",
                        "detail": f"Could not find tweet with id: [{i}].",
                        "type": "https://api.x.com/2/problems/resource-not-found",
                    }
                    for i in missing
                ]
            return 200, answer
        if endpoint == "like":
            return 200, load_real("tweepy_v2_like.json")
        if endpoint == "unlike":
            return 200, load_real("tweepy_v2_unlike.json")
        if endpoint == "users_me":
            return 200, load_real("tweepy_v2_users_me.json")
        if endpoint == "user_by_username":
            return 200, load_real("tweepy_v2_users_me.json")
        return 404, {"errors": [{"message": "Sorry, that page does not exist", "code": 34}]}


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hangs up or resets is what these tests are about


def _endpoint(method: str, path: str) -> str:
    for route_method, pattern, name in _ROUTES:
        if method == route_method and pattern.fullmatch(path):
            return name
    return "other"


def _handler_for(server: HostileServer) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        hostile = server

    return Handler


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hostile: HostileServer
    served: Served

    def setup(self) -> None:
        super().setup()
        # head and body go in separate writes: without this, Nagle and delayed ACKs stall
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    # -- writing --------------------------------------------------------------------------------

    def _write(self, data: bytes) -> None:
        self.wfile.write(data)
        self.wfile.flush()
        self.served.sent += len(data)

    def _head(self, status: int, headers: dict[str, str]) -> bytes:
        reason = {200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found"}.get(
            status, "Status"
        )
        lines = [f"HTTP/1.1 {status} {reason}"] + [f"{k}: {v}" for k, v in headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def _answer(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        sent = {"Content-Type": "application/json", "Content-Length": str(len(body))}
        sent.update(headers or {})
        self._write(self._head(status, sent))
        self._write(body)  # not joined to the head: a big body is never copied
        self.served.whole = True

    def _json(self, status: int, doc: Any, headers: dict[str, str] | None = None) -> None:
        self._answer(status, json.dumps(doc).encode(), headers)

    def _reset(self) -> None:
        """A TCP reset (SO_LINGER 0) instead of an orderly close."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()

    # -- serving --------------------------------------------------------------------------------

    def _dispatch(self) -> None:
        server = self.hostile
        split = urllib.parse.urlsplit(self.path)
        path, query = split.path, urllib.parse.parse_qs(split.query)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if path == "/elsewhere":
            with server._lock:
                server.followed_redirects += 1
        endpoint = _endpoint(self.command, path)
        behaviour = server._take(endpoint)
        self.served = Served(
            self.command, path, query, endpoint, behaviour.kind if behaviour else None
        )
        server._record(self.served)
        try:
            if behaviour is None:
                status, doc = server.real_answer(endpoint, path, query, body)
                self._json(status, doc)
            else:
                self._misbehave(behaviour, endpoint, path, query, body)
        except OSError:  # the client gave up: what it read is in self.served.sent
            self.close_connection = True

    def _misbehave(
        self,
        behaviour: _Behaviour,
        endpoint: str,
        path: str,
        query: dict[str, list[str]],
        body: bytes,
    ) -> None:
        server, kind, options = self.hostile, behaviour.kind, behaviour.options
        _status, real = server.real_answer(endpoint, path, query, body)
        real_bytes = json.dumps(real).encode()
        gzipped = {"Content-Encoding": "gzip"}
        if kind == "gzip_bomb":
            inflated = options.get("inflated")
            bomb = gzip_bomb() if inflated is None else gzip_bomb(int(inflated))
            self._answer(200, bomb, gzipped)
        elif kind == "bad_gzip":
            self._answer(200, b"\x1f\x8b\x08\x00 this is not gzip at all", gzipped)
        elif kind == "gzip_cut":
            packed = gzip.compress(real_bytes)
            self._answer(200, packed[: len(packed) // 2], gzipped)
        elif kind == "bad_encoding":
            self._answer(200, real_bytes, {"Content-Encoding": "br"})
        elif kind == "endless":
            self._endless()
        elif kind == "truncated":
            head = {"Content-Type": "application/json", "Content-Length": str(len(real_bytes))}
            self._write(self._head(200, head) + real_bytes[: len(real_bytes) // 2])
            self.close_connection = True
        elif kind == "reset":
            head = {"Content-Type": "application/json", "Content-Length": str(len(real_bytes))}
            self._write(self._head(200, head) + real_bytes[: len(real_bytes) // 2])
            self._reset()
        elif kind == "reset_early":
            self._reset()
        elif kind in ("drip", "drip_headers"):
            self._drip(kind, real_bytes, float(options.get("interval", 1.0)))
        elif kind == "redirect":
            status = int(options.get("status", 307))
            location = f"{server.base_url}/elsewhere"
            self._answer(
                status, json.dumps(options.get("body", real)).encode(), {"Location": location}
            )
        elif kind == "deep_json":
            depth = int(options.get("depth", 100_000))
            self._answer(int(options.get("status", 200)), b"[" * depth + b"]" * depth)
        elif kind == "huge_message":
            status = int(options.get("status", 403))
            self._answer(status, huge_message(status, int(options.get("size", 10 << 20))))
        elif kind == "json":
            raw = options.get("raw")
            payload = raw if isinstance(raw, bytes) else json.dumps(options.get("body")).encode()
            self._answer(int(options.get("status", 200)), payload, options.get("headers"))
        else:
            self._page(kind, query)

    def _page(self, kind: str, query: dict[str, list[str]]) -> None:
        token = query.get("pagination_token", [""])[-1]
        posts = self.hostile.posts[:20]
        if kind == "empty_pages":
            number = int(token[1:]) + 1 if token.startswith("e") and token[1:].isdigit() else 1
            self._json(200, {"meta": {"result_count": 0, "next_token": f"e{number}"}})
        elif kind == "repeated_token":
            self._json(200, {"data": posts, "meta": {"result_count": 20, "next_token": "again"}})
        elif kind == "token_cycle":
            following = "b" if token == "a" else "a"
            start = 20 if token == "a" else 0
            page = self.hostile.posts[start : start + 20]
            self._json(200, {"data": page, "meta": {"result_count": 20, "next_token": following}})
        elif kind == "bad_token":
            meta = {"result_count": 20, "next_token": "bad token\nwith a newline"}
            self._json(200, {"data": posts, "meta": meta})

    def _endless(self) -> None:
        head = {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}
        self._write(self._head(200, head))
        chunk = _ENDLESS_CHUNK
        self._write(b'5\r\n{"x":\r\n')
        limit = 2 << 30  # a client that never stops fails its test here, not the machine
        while self.served.sent < limit and not self.hostile.stopping.is_set():
            self._write(chunk)
        self.close_connection = True

    def _drip(self, kind: str, real_bytes: bytes, interval: float) -> None:
        head = self._head(
            200, {"Content-Type": "application/json", "Content-Length": str(len(real_bytes))}
        )
        if kind == "drip":
            self._write(head)
            dripped = real_bytes
        else:
            dripped = head + real_bytes
        for byte in dripped:
            if self.hostile.stopping.wait(interval):
                break
            self._write(bytes([byte]))
        self.close_connection = True
