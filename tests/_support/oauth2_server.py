"""A loopback X API stand-in for OAuth 2.0 refresh tests: real HTTP, tokens that expire.

It serves ``POST /2/oauth2/token`` (refresh grant, rotating the refresh token and
invalidating the old one, as users report X does), ``GET /2/users/me`` and
``GET /2/users/:id/liked_tweets`` (answering 401 to a token that is not the current one), with
the request shapes of X's OAuth 2.0 docs (form fields, Basic auth for a confidential client).
The emulator serves the Likes surface; this covers the token endpoint it does not have.
"""

from __future__ import annotations

import base64
import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

USER_ID = "1072250532645998596"
UNAUTHORIZED = {
    "title": "Unauthorized",
    "type": "about:blank",
    "status": 401,
    "detail": "Unauthorized",
}


class TokenServer:
    """State: the one valid access token, the one valid refresh token, what was asked."""

    def __init__(self, *, client_id: str = "client-1", client_secret: str | None = None) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.access = "access-0"
        self.refresh = "refresh-0"
        self.generation = 0
        self.refreshes: list[dict[str, str]] = []
        self.basic_auth: list[str | None] = []
        self.paths: list[str] = []
        self.lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def expire(self) -> None:
        """The access token's two hours are over."""
        with self.lock:
            self.access = f"expired-{self.generation}"

    def rotate(self, form: dict[str, str], basic: str | None) -> tuple[int, dict[str, Any]]:
        with self.lock:
            self.refreshes.append(form)
            self.basic_auth.append(basic)
            if form.get("grant_type") != "refresh_token" or form.get("client_id") != self.client_id:
                return 400, {"error": "invalid_request"}
            if self.client_secret is not None:
                expected = base64.b64encode(
                    f"{self.client_id}:{self.client_secret}".encode()
                ).decode()
                if basic != f"Basic {expected}":
                    return 401, {"error": "unauthorized_client"}
            if form.get("refresh_token") != self.refresh:
                return 400, {
                    "error": "invalid_request",
                    "error_description": "Value passed for the token was invalid.",
                }
            self.generation += 1
            self.access = f"access-{self.generation}"
            self.refresh = f"refresh-{self.generation}"
            return 200, {
                "token_type": "bearer",
                "expires_in": 7200,
                "access_token": self.access,
                "scope": "tweet.read users.read like.read like.write offline.access",
                "refresh_token": self.refresh,
            }

    def __enter__(self) -> TokenServer:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                owner.paths.append("POST " + self.path)
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length).decode()
                form = dict(urllib.parse.parse_qsl(raw))
                if self.path != "/2/oauth2/token":
                    self._send(404, {"title": "Not Found"})
                    return
                self._send(*owner.rotate(form, self.headers.get("authorization")))

            def do_GET(self) -> None:
                owner.paths.append("GET " + self.path.split("?")[0])
                if self.headers.get("authorization") != f"Bearer {owner.access}":
                    self._send(401, UNAUTHORIZED)
                elif self.path == "/2/users/me":
                    self._send(200, {"data": {"id": USER_ID, "name": "T", "username": "t"}})
                elif self.path.startswith(f"/2/users/{USER_ID}/liked_tweets"):
                    self._send(200, {"data": [], "meta": {"result_count": 0}})
                else:
                    self._send(404, {"title": "Not Found"})

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()


def token_server(**kwargs: Any) -> Iterator[TokenServer]:
    with TokenServer(**kwargs) as server:
        yield server
