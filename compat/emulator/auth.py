"""Authentication as the real API does it: OAuth 1.0a HMAC-SHA1 and OAuth 2.0 bearer tokens.

OAuth 1.0a signatures are verified by oauthlib's ``SignatureOnlyEndpoint`` against the
dataset's consumer and token secrets, including query parameters and form-encoded bodies (how
tweepy and python-twitter sign), with the timestamp window and nonce replay checks. Bearer
tokens are either a user's OAuth 2.0 user-context token or an app's app-only token.

Usage::

    >>> from compat.emulator.auth import Authenticator
    >>> from compat.emulator.dataset import Dataset
    >>> ds = Dataset.default()
    >>> auth = Authenticator(ds)
    >>> headers = {"Authorization": f"Bearer {ds.token_for(ds.default_user).bearer_token}"}
    >>> auth.authenticate("GET", "http://127.0.0.1/2/users/me", headers, b"").user_id
    '1072250532645998596'
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Mapping
from typing import Any

from oauthlib.oauth1 import RequestValidator, SignatureOnlyEndpoint

from compat.emulator.dataset import Dataset

__all__ = ["AuthFailed", "Authenticator", "Principal"]

log = logging.getLogger("compat.emulator")

_NONCE_WINDOW = 600.0


@dataclasses.dataclass(frozen=True)
class Principal:
    """Who made a request: ``kind`` is "oauth1", "oauth2_user" or "app"."""

    kind: str
    app: str
    user_id: str | None = None

    @property
    def is_user(self) -> bool:
        return self.user_id is not None

    @property
    def rate_key(self) -> str:
        return f"user:{self.user_id}" if self.user_id else f"app:{self.app}"


class AuthFailed(Exception):
    """No acceptable credentials: the server answers 401."""


class _Validator(RequestValidator):  # type: ignore[misc]
    def __init__(self, auth: Authenticator) -> None:
        super().__init__()
        self._auth = auth

    # accept the shapes real keys and tokens have ("<uid>-<rand>", 20-50 characters)
    def check_client_key(self, client_key: str) -> bool:
        return 1 <= len(client_key) <= 200

    def check_access_token(self, request_token: str) -> bool:
        return 1 <= len(request_token) <= 200

    def check_nonce(self, nonce: str) -> bool:
        return 1 <= len(nonce) <= 200

    @property
    def enforce_ssl(self) -> bool:
        return False

    @property
    def dummy_client(self) -> str:
        return "dummy-client-key"

    @property
    def dummy_access_token(self) -> str:
        return "dummy-access-token"

    def validate_client_key(self, client_key: str, request: Any) -> bool:
        return client_key in self._auth.consumers

    def get_client_secret(self, client_key: str, request: Any) -> str:
        return self._auth.consumers.get(client_key, "dummy-secret")

    def get_access_token_secret(self, client_key: str, token: str, request: Any) -> str:
        found = self._auth.access_tokens.get(token)
        if found is None or found[0] != client_key:
            return "dummy-token-secret"
        return found[1]

    def validate_timestamp_and_nonce(
        self,
        client_key: str,
        timestamp: str,
        nonce: str,
        request: Any,
        request_token: str | None = None,
        access_token: str | None = None,
    ) -> bool:
        return self._auth.remember_nonce(client_key, timestamp, nonce, request.resource_owner_key)


class Authenticator:
    """Maps request credentials to a :class:`Principal`, or raises :class:`AuthFailed`."""

    def __init__(self, dataset: Dataset) -> None:
        self.consumers: dict[str, str] = {
            a.consumer_key: a.consumer_secret for a in dataset.apps.values()
        }
        self._app_by_key = {a.consumer_key: a.name for a in dataset.apps.values()}
        # access token -> (consumer key, token secret, user id)
        self.access_tokens: dict[str, tuple[str, str, str]] = {}
        self._user_bearers: dict[str, tuple[str, str]] = {}  # token -> (user id, app)
        self._app_bearers = {a.bearer_token: a.name for a in dataset.apps.values()}
        for tok in dataset.tokens():
            app = dataset.app(tok.app)
            self.access_tokens[tok.access_token] = (
                app.consumer_key,
                tok.access_token_secret,
                tok.user_id,
            )
            self._user_bearers[tok.bearer_token] = (tok.user_id, tok.app)
        self._endpoint = SignatureOnlyEndpoint(_Validator(self))
        self._nonces: dict[tuple[str, str, str | None], float] = {}
        self._nonce_lock = threading.Lock()

    def remember_nonce(
        self, client_key: str, timestamp: str, nonce: str, token: str | None
    ) -> bool:
        """False when this nonce was already used (a replayed request)."""
        now = time.time()
        key = (client_key, nonce, token)
        with self._nonce_lock:
            if key in self._nonces:
                return False
            if len(self._nonces) > 50_000:
                cutoff = now - 2 * _NONCE_WINDOW
                self._nonces = {k: v for k, v in self._nonces.items() if v >= cutoff}
            self._nonces[key] = now
        return True

    def authenticate(
        self, method: str, uri: str, headers: Mapping[str, str], body: bytes
    ) -> Principal:
        """The principal for a request; ``uri`` is the absolute URI the client signed."""
        authorization = ""
        for name, value in headers.items():
            if name.lower() == "authorization":
                authorization = value.strip()
        scheme, _, credentials = authorization.partition(" ")
        if scheme.lower() == "bearer":
            token = credentials.strip()
            user = self._user_bearers.get(token)
            if user is not None:
                return Principal("oauth2_user", user[1], user[0])
            app = self._app_bearers.get(token)
            if app is not None:
                return Principal("app", app)
            log.info("emulator.auth_failed reason=%s", "unknown bearer token")
            raise AuthFailed("unknown bearer token")
        if scheme.lower() == "oauth" or "oauth_signature=" in uri:
            return self._oauth1(method, uri, headers, body)
        log.info("emulator.auth_failed reason=%s", "no credentials")
        raise AuthFailed("no credentials")

    def _oauth1(self, method: str, uri: str, headers: Mapping[str, str], body: bytes) -> Principal:
        content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
        text: str | None = None
        if body and content_type.split(";")[0].strip() == "application/x-www-form-urlencoded":
            text = body.decode("utf-8", "replace")
        try:
            valid, request = self._endpoint.validate_request(uri, method, text, dict(headers))
        except ValueError:
            valid, request = False, None
        if not valid or request is None:
            log.info("emulator.auth_failed reason=%s", "bad oauth1 signature or token")
            raise AuthFailed("bad OAuth 1.0a signature or token")
        token = self.access_tokens.get(request.resource_owner_key or "")
        if token is None or token[0] != request.client_key:
            log.info("emulator.auth_failed reason=%s", "unknown access token")
            raise AuthFailed("unknown access token")
        return Principal("oauth1", self._app_by_key[request.client_key], token[2])
