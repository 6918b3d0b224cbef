"""A tiny X API v2 stand-in on 127.0.0.1 that answers what a test scripts, per endpoint.

For failure bodies the embedded emulator does not serve (yet): a test queues
``(status, body, headers)`` answers for an endpoint; everything unscripted is answered with a
real recorded payload (``tests/realdata``): the lookup of the socialfoundations golden post, a
like/unlike result, tweepy's liked_tweets page. Requests are recorded as
``(method, path, endpoint)``. No authentication is checked: compat signs, this only answers.

Usage::

    with ScriptedV2() as server:
        server.answer("like", 402, CREDITS_DEPLETED[1])
        ... Favorites(credentials, api_base=server.base_url) ...
"""

from __future__ import annotations

import collections
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from compat.errors import endpoint_for
from tests._support.realdata import load_real

__all__ = ["GOLDEN_POST", "OWNER_ID", "ScriptedV2"]

GOLDEN_POST = "1626194750222094336"  # socialfoundations_v2_tweet_1_expanded.json
OWNER_ID = "783214"  # the user whose likes tweepy_v2_liked_tweets.json lists

Answer = tuple[int, Any, dict[str, str]]


def _defaults() -> dict[str, Answer]:
    return {
        "tweets": (200, load_real("socialfoundations_v2_tweet_1_expanded.json"), {}),
        "like": (200, load_real("tweepy_v2_like.json"), {}),
        "unlike": (200, load_real("tweepy_v2_unlike.json"), {}),
        "liked_tweets": (200, load_real("tweepy_v2_liked_tweets.json"), {}),
        "users_me": (200, load_real("tweepy_v2_users_me.json"), {}),
    }


class ScriptedV2:
    """See the module docstring; ``defaults`` replaces the unscripted answer of an endpoint."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queued: dict[str, collections.deque[Answer]] = collections.defaultdict(
            collections.deque
        )
        self.defaults = _defaults()
        self.requests: list[tuple[str, str, str | None]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                status, body, headers = owner._next(self.command, self.path)
                data = json.dumps(body).encode()
                self.send_response(status)
                kind = "application/json" if status < 400 else "application/problem+json"
                self.send_header("content-type", kind)
                self.send_header("content-length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = _serve

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def answer(
        self,
        endpoint: str,
        status: int,
        body: Any,
        headers: dict[str, str] | None = None,
        *,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` requests to ``endpoint`` so."""
        with self._lock:
            for _ in range(times):
                self._queued[endpoint].append((status, body, dict(headers or {})))

    def endpoints(self) -> list[str | None]:
        """The endpoint of every request served, in order."""
        with self._lock:
            return [endpoint for _m, _p, endpoint in self.requests]

    def _next(self, method: str, target: str) -> Answer:
        path = urllib.parse.urlsplit(target).path
        endpoint = endpoint_for(method, path)
        with self._lock:
            self.requests.append((method, path, endpoint))
            queued = self._queued.get(endpoint or "")
            if queued:
                return queued.popleft()
        if endpoint in self.defaults:
            return self.defaults[endpoint]
        return 404, {"errors": [{"message": "Sorry, that page does not exist", "code": 34}]}, {}

    def __enter__(self) -> ScriptedV2:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
