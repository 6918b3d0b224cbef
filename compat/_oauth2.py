"""Refreshing OAuth 2.0 user access tokens, and keeping the rotated pair.

X's OAuth 2.0 access tokens stay valid for two hours; a refresh token is issued only with the
``offline.access`` scope (``fundamentals_authentication_oauth-2-0_authorization-code.mdx``,
lines 17-23). The refresh is ``POST {api_base}/2/oauth2/token`` with the form
``refresh_token``, ``grant_type=refresh_token`` and ``client_id``, and HTTP Basic
``client_id:client_secret`` for a confidential client
(``fundamentals_authentication_oauth-2-0_user-access-token.mdx``, lines 17-31 and 114-134).

Users report that each refresh returns a new refresh token and invalidates the old one (X's
pages do not say); compat therefore hands the rotated pair to the ``token_refreshed``
callback and/or writes it atomically to ``token_file``, which is read back at start-up so a
restarted program does not reuse a spent refresh token.

Usage::

    >>> import pathlib, tempfile
    >>> from compat._oauth2 import load_token_file, store_token_file
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "tokens.json"
    >>> store_token_file(path, "new-access", "new-refresh")
    >>> load_token_file(path)
    ('new-access', 'new-refresh')
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import pathlib
import tempfile
import threading
from collections.abc import Callable

import requests

from compat.credentials import Credentials
from compat.errors import ConfigurationError, Unauthorized, v1_error_body
from compat.transport import Transport

__all__ = ["TokenRefresher", "load_token_file", "store_token_file", "with_stored_tokens"]

log = logging.getLogger("compat.oauth2")

TOKEN_PATH = "/2/oauth2/token"


def store_token_file(path: str | os.PathLike[str], access: str, refresh: str) -> None:
    """Write the pair to ``path`` atomically (a temporary file renamed over it), mode 0600."""
    target = pathlib.Path(path).expanduser()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".compat-tokens-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"access_token": access, "refresh_token": refresh}, handle)
        os.chmod(temporary, 0o600)
        os.replace(temporary, target)
    except BaseException:
        pathlib.Path(temporary).unlink(missing_ok=True)
        raise


def load_token_file(path: str | os.PathLike[str]) -> tuple[str, str] | None:
    """The stored ``(access, refresh)`` pair, None when the file does not exist yet."""
    target = pathlib.Path(path).expanduser()
    try:
        doc = json.loads(target.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f"token_file {str(target)!r} is unreadable: {exc}") from None
    access, refresh = (
        (doc.get("access_token"), doc.get("refresh_token"))
        if isinstance(doc, dict)
        else (None, None)
    )
    if not (isinstance(access, str) and access and isinstance(refresh, str) and refresh):
        raise ConfigurationError(
            f"token_file {str(target)!r} must hold access_token and refresh_token strings"
        )
    return access, refresh


def with_stored_tokens(
    credentials: Credentials, token_file: str | os.PathLike[str] | None
) -> Credentials:
    """``credentials`` with the pair from ``token_file`` when it holds one (newer than the
    environment's: it is where the last refresh put them)."""
    if token_file is None or not credentials.refreshable:
        return credentials
    stored = load_token_file(token_file)
    if stored is None:
        return credentials
    return dataclasses.replace(credentials, bearer_token=stored[0], refresh_token=stored[1])


class _SecretForm(dict[str, str]):
    """The refresh form: a dict whose ``repr`` hides the values, so a traceback with locals
    (what Sentry-style reporters record) never shows the refresh token."""

    def __repr__(self) -> str:
        return "{" + ", ".join(f"{k!r}: '***'" for k in self) + "}"


class TokenRefresher:
    """Refreshes one account's access token (at most one refresh at a time).

    ``on_refresh(credentials)`` (the ``token_refreshed`` setting) and ``token_file`` receive
    the rotated pair; a failed refresh raises :class:`~compat.errors.Unauthorized` (v1.1
    401/89, "Invalid or expired token") naming what to do.
    """

    def __init__(
        self,
        api_base: str,
        transport: Transport,
        *,
        on_refresh: Callable[[Credentials], None] | None = None,
        token_file: str | os.PathLike[str] | None = None,
    ) -> None:
        self.url = api_base + TOKEN_PATH
        self.transport = transport
        self.on_refresh = on_refresh
        self.token_file = token_file
        self.lock = threading.Lock()

    def refresh(self, credentials: Credentials) -> Credentials:
        """New credentials from ``credentials``' refresh token; stores the rotated pair."""
        assert credentials.refresh_token is not None and credentials.client_id is not None
        form = _SecretForm(
            refresh_token=credentials.refresh_token,
            grant_type="refresh_token",
            client_id=credentials.client_id,
        )
        auth = None
        if credentials.client_secret is not None:  # a confidential client: Basic auth
            auth = requests.auth.HTTPBasicAuth(credentials.client_id, credentials.client_secret)
        try:
            result = self.transport.request(
                "POST",
                self.url,
                endpoint="oauth2_token",
                schema=None,
                form=form,
                auth=auth,
                error_schema=None,  # OAuth errors are RFC 6749 bodies, not v2 problems
            )
        except Unauthorized:
            raise
        except Exception as exc:
            raise Unauthorized(
                "the OAuth 2.0 access token expired and refreshing it failed "
                f"({type(exc).__name__}); authorize the app again to get a new refresh token",
                status=401,
                v1=v1_error_body("invalid_token"),
            ) from None
        access = result.payload.get("access_token")
        rotated = result.payload.get("refresh_token") or credentials.refresh_token
        if not isinstance(access, str) or not access or not isinstance(rotated, str):
            raise Unauthorized(
                "the OAuth 2.0 token endpoint answered without an access_token",
                status=401,
                v1=v1_error_body("invalid_token"),
            )
        fresh = dataclasses.replace(credentials, bearer_token=access, refresh_token=rotated)
        if self.token_file is not None:
            store_token_file(self.token_file, access, rotated)
        if self.on_refresh is not None:
            self.on_refresh(fresh)
        log.info("oauth2.refreshed", extra={"client_id": credentials.client_id})
        return fresh
