"""Who compat acts as: OAuth 1.0a user context, or an OAuth 2.0 user-context access token.

Usage::

    >>> from compat.credentials import Credentials
    >>> creds = Credentials("ck", "cs", "1072250532645998596-abc", "ts")
    >>> creds
    Credentials(kind='oauth1', consumer_key='ck', access_token='1072250532645998596-***')
    >>> creds.token_user_id()
    '1072250532645998596'
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping

from compat import _environment
from compat._environment import ENV_FAMILIES
from compat.errors import ConfigurationError
from compat.params import snowflake

__all__ = ["ENV_FAMILIES", "AppBearer", "Credentials"]

_OAUTH1 = ("consumer_key", "consumer_secret", "access_token", "access_token_secret")
_TOKEN_USER = re.compile(r"([0-9]{1,19})-.+")
# App-only bearer tokens (client credentials) start with a run of "A"s and embed "%"-escapes;
# user-context OAuth 2.0 tokens do not. Good enough to refuse the obvious mistake early.
_APP_ONLY = re.compile(r"A{10,}[A-Za-z0-9%]+")


def _mask(value: str | None) -> str | None:
    if value is None:
        return None
    match = _TOKEN_USER.fullmatch(value)
    return f"{match.group(1)}-***" if match else "***"


@dataclasses.dataclass(frozen=True, repr=False)
class Credentials:
    """OAuth 1.0a user context (the four values) or an OAuth 2.0 user-context ``bearer_token``.

    ``user_id`` pins the authenticating user's id and saves the lookup. ``repr()`` never shows
    a secret. An app-only bearer token is refused: it can neither like nor say whose likes to
    list. OAuth 2.0 access tokens live two hours; with ``refresh_token`` and ``client_id``
    (and ``client_secret`` for a confidential client) compat refreshes an expired one once and
    retries (see :mod:`compat._oauth2`).
    """

    consumer_key: str | None = None
    consumer_secret: str | None = None
    access_token: str | None = None
    access_token_secret: str | None = None
    bearer_token: str | None = dataclasses.field(default=None, kw_only=True)
    user_id: str | None = dataclasses.field(default=None, kw_only=True)
    refresh_token: str | None = dataclasses.field(default=None, kw_only=True)
    client_id: str | None = dataclasses.field(default=None, kw_only=True)
    client_secret: str | None = dataclasses.field(default=None, kw_only=True)

    def __post_init__(self) -> None:
        oauth1 = [getattr(self, f) for f in _OAUTH1]
        for name in (*_OAUTH1, "bearer_token", "refresh_token", "client_id", "client_secret"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, str) or not value.strip()):
                raise ConfigurationError(f"Credentials.{name} must be a non-empty string")
        if self.user_id is not None:
            object.__setattr__(self, "user_id", snowflake(self.user_id, "user_id"))
        refreshing = (self.refresh_token, self.client_id, self.client_secret)
        if any(v is not None for v in refreshing):
            if self.bearer_token is None:
                raise ConfigurationError(
                    "refresh_token, client_id and client_secret go with an OAuth 2.0 "
                    "bearer_token (OAuth 1.0a tokens do not expire)"
                )
            if (self.refresh_token is None) != (self.client_id is None):
                raise ConfigurationError(
                    "refreshing an OAuth 2.0 token needs both refresh_token and client_id"
                )
        if self.bearer_token is not None:
            if _APP_ONLY.fullmatch(self.bearer_token):
                raise ConfigurationError(
                    "the bearer_token looks like an app-only (client credentials) token; "
                    "liking and listing your likes need user context: pass an OAuth 2.0 "
                    "Authorization Code with PKCE access token, or the four OAuth 1.0a values"
                )
            return
        if all(v is None for v in oauth1):
            raise ConfigurationError(
                "no credentials: pass consumer_key, consumer_secret, access_token and "
                "access_token_secret (OAuth 1.0a), or bearer_token= (OAuth 2.0 user context)"
            )
        missing = [f for f, v in zip(_OAUTH1, oauth1, strict=True) if v is None]
        if missing:
            raise ConfigurationError(
                f"incomplete OAuth 1.0a credentials: missing {', '.join(missing)}"
            )

    @property
    def kind(self) -> str:
        """``"oauth2"`` when a user bearer token is used, else ``"oauth1"``."""
        return "oauth2" if self.bearer_token is not None else "oauth1"

    def __repr__(self) -> str:
        if self.kind == "oauth2":
            shown = "kind='oauth2', bearer_token='***'"
            if self.refresh_token is not None:
                shown += f", refresh_token='***', client_id={self.client_id!r}"
        else:
            shown = (
                f"kind='oauth1', consumer_key={self.consumer_key!r}, "
                f"access_token={_mask(self.access_token)!r}"
            )
        if self.user_id is not None:
            shown += f", user_id={self.user_id!r}"
        return f"Credentials({shown})"

    def token_user_id(self) -> str | None:
        """The user id an OAuth 1.0a access token names (``"<user_id>-…"``), with no request."""
        if self.user_id is not None:
            return self.user_id
        if self.kind == "oauth1" and self.access_token is not None:
            match = _TOKEN_USER.fullmatch(self.access_token)
            if match and 0 < int(match.group(1)) < 2**63:
                return str(int(match.group(1)))
        return None

    def secrets(self) -> tuple[str, ...]:
        """Every secret value held, for scrubbing logs and tests (never logged themselves)."""
        values = (
            self.consumer_secret,
            self.access_token_secret,
            self.bearer_token,
            self.refresh_token,
            self.client_secret,
        )
        return tuple(v for v in values if v)

    @property
    def refreshable(self) -> bool:
        """Whether an expired OAuth 2.0 access token can be refreshed without the user."""
        return self.refresh_token is not None and self.client_id is not None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Credentials:
        """The first complete family of environment variables: ``X_*``, ``TWITTER_*``, unprefixed.

        Within one family either the four OAuth 1.0a values or an OAuth 2.0 user token must be
        set; values are never taken from two families. Raises
        :class:`~compat.errors.ConfigurationError` naming every variable it looked for.
        """
        found = _environment.credential_fields(environ)
        if found is None:
            raise ConfigurationError(
                "no complete credentials in the environment; looked for (per family, the four "
                "OAuth 1.0a values or a user access token): " + _environment.looked_for()
            )
        return cls(**found)


@dataclasses.dataclass(frozen=True, repr=False)
class AppBearer:
    """An app-only (client credentials) bearer token, for read-only use.

    It can look posts up and list a *given* user's likes (e.g. as the read source of a
    gateway backend), never like or unlike; :class:`Credentials` refuses it for that reason.

    >>> AppBearer("AAAA-secret")
    AppBearer('***')
    """

    token: str
    kind = "app"

    def __post_init__(self) -> None:
        if not isinstance(self.token, str) or not self.token.strip():
            raise ConfigurationError("AppBearer.token must be a non-empty string")

    def __repr__(self) -> str:
        return "AppBearer('***')"

    def token_user_id(self) -> str | None:
        return None

    def secrets(self) -> tuple[str, ...]:
        return (self.token,)
