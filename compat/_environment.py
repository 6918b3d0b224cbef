"""The environment table: every variable compat reads, in order of precedence, and the one
place that reads ``os.environ``.

Only :class:`compat.Settings` (and :meth:`compat.Credentials.from_env`, which reads the
credential families of the same table) come here; no other module of compat touches the
process environment, so what a variable means is written down once (a test checks it).

Precedence: an explicit keyword argument beats :func:`compat.configure`, which beats the
environment. Within the environment, for credentials the *first complete family* wins
(``X_*``, then ``TWITTER_*``, then unprefixed) and two families are never mixed; within a
family, and for the other settings, the first name listed that is set (and not blank) wins.

Usage::

    >>> from compat._environment import credential_fields, setting
    >>> env = {"TWITTER_API_KEY": "ck", "TWITTER_API_SECRET": "cs",
    ...        "TWITTER_ACCESS_TOKEN": "1-t", "TWITTER_ACCESS_SECRET": "ts"}
    >>> credential_fields(env)["consumer_key"]
    'ck'
    >>> setting("gateway_api_key", {"AISA_API_KEY": "k"})
    'k'
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping

__all__ = [
    "CREDENTIAL_FIELDS",
    "ENV_FAMILIES",
    "SETTING_VARIABLES",
    "EnvVar",
    "credential_fields",
    "current",
    "looked_for",
    "setting",
    "setting_source",
    "table",
]

# (family name, {field: env names, first present wins}). Families are never mixed.
ENV_FAMILIES: tuple[tuple[str, dict[str, tuple[str, ...]]], ...] = (
    (
        "X_",
        {
            "consumer_key": ("X_CONSUMER_KEY", "X_API_KEY"),
            "consumer_secret": ("X_CONSUMER_SECRET", "X_API_SECRET", "X_API_KEY_SECRET"),
            "access_token": ("X_ACCESS_TOKEN",),
            "access_token_secret": ("X_ACCESS_TOKEN_SECRET",),
            "bearer_token": ("X_USER_ACCESS_TOKEN", "X_OAUTH2_ACCESS_TOKEN"),
            "user_id": ("X_USER_ID",),
            "refresh_token": ("X_OAUTH2_REFRESH_TOKEN",),
            "client_id": ("X_CLIENT_ID",),
            "client_secret": ("X_CLIENT_SECRET",),
        },
    ),
    (
        "TWITTER_",
        {
            "consumer_key": ("TWITTER_CONSUMER_KEY", "TWITTER_API_KEY"),
            "consumer_secret": (
                "TWITTER_CONSUMER_SECRET",
                "TWITTER_API_SECRET",
                "TWITTER_API_KEY_SECRET",
            ),
            "access_token": ("TWITTER_ACCESS_TOKEN", "TWITTER_ACCESS_KEY"),
            "access_token_secret": ("TWITTER_ACCESS_TOKEN_SECRET", "TWITTER_ACCESS_SECRET"),
            "bearer_token": ("TWITTER_USER_ACCESS_TOKEN", "TWITTER_OAUTH2_ACCESS_TOKEN"),
            "user_id": ("TWITTER_USER_ID",),
            "refresh_token": ("TWITTER_OAUTH2_REFRESH_TOKEN",),
            "client_id": ("TWITTER_CLIENT_ID",),
            "client_secret": ("TWITTER_CLIENT_SECRET",),
        },
    ),
    (
        "(unprefixed)",
        {
            "consumer_key": ("CONSUMER_KEY", "API_KEY"),
            "consumer_secret": ("CONSUMER_SECRET", "API_SECRET"),
            "access_token": ("ACCESS_TOKEN", "ACCESS_KEY"),
            "access_token_secret": ("ACCESS_TOKEN_SECRET", "ACCESS_SECRET"),
            "bearer_token": ("USER_ACCESS_TOKEN",),
            "user_id": ("USER_ID",),
        },
    ),
)

CREDENTIAL_FIELDS = ("consumer_key", "consumer_secret", "access_token", "access_token_secret")
_OAUTH2_FIELDS = ("bearer_token", "refresh_token", "client_id", "client_secret")

#: The other settings: option name -> environment names, first set wins.
SETTING_VARIABLES: Mapping[str, tuple[str, ...]] = {
    "backend": ("COMPAT_BACKEND",),
    "api_base": ("COMPAT_API_BASE",),
    "audit_log": ("COMPAT_AUDIT_LOG",),
    "token_file": ("COMPAT_TOKEN_FILE",),
    "plan": ("COMPAT_PLAN",),
    "gateway_url": ("COMPAT_GATEWAY_URL",),
    "gateway_api_key": ("COMPAT_GATEWAY_API_KEY", "AISA_API_KEY"),
    "gateway_like_route": ("COMPAT_GATEWAY_LIKE_ROUTE",),
    "gateway_unlike_route": ("COMPAT_GATEWAY_UNLIKE_ROUTE",),
    "gateway_user_id": ("COMPAT_GATEWAY_USER_ID",),
    "gateway_source_bearer": ("COMPAT_GATEWAY_SOURCE_BEARER",),
    "gateway_read": ("COMPAT_GATEWAY_READ",),
    "gateway_tier": ("COMPAT_GATEWAY_TIER",),
    "lookup": ("COMPAT_LOOKUP",),
    "post_cache_ttl": ("COMPAT_POST_CACHE_TTL",),
    "post_cache_size": ("COMPAT_POST_CACHE_SIZE",),
    "unserved": ("COMPAT_UNSERVED",),
    # set by `compat run` in the child it starts, never by users
    "any_signer": ("COMPAT_RUN_ANY_SIGNER",),
    "run_bootstrap": ("COMPAT_RUN_BOOTSTRAP",),
}


@dataclasses.dataclass(frozen=True)
class EnvVar:
    """One row of :func:`table`: ``name`` sets ``setting`` (``credentials.<field>`` for the
    credential families), at ``rank`` in its precedence order (0 first)."""

    name: str
    setting: str
    family: str | None
    rank: int


def table() -> tuple[EnvVar, ...]:
    """Every environment name compat reads, in order of precedence per setting."""
    rows: list[EnvVar] = []
    for family_rank, (family, fields) in enumerate(ENV_FAMILIES):
        for field, names in fields.items():
            for rank, name in enumerate(names):
                rows.append(EnvVar(name, f"credentials.{field}", family, family_rank * 10 + rank))
    for option, names in SETTING_VARIABLES.items():
        for rank, name in enumerate(names):
            rows.append(EnvVar(name, option, None, rank))
    return tuple(rows)


def current() -> Mapping[str, str]:
    """The process environment: the one read of ``os.environ`` in compat."""
    return os.environ


def _first(names: tuple[str, ...], env: Mapping[str, str]) -> tuple[str, str] | None:
    for name in names:
        value = env.get(name, "").strip()
        if value:
            return name, value
    return None


def setting(option: str, env: Mapping[str, str] | None = None) -> str | None:
    """The environment's value for ``option`` (see :data:`SETTING_VARIABLES`), or None."""
    found = _first(SETTING_VARIABLES[option], current() if env is None else env)
    return None if found is None else found[1]


def setting_source(option: str, env: Mapping[str, str] | None = None) -> str | None:
    """The environment name that gave ``option`` its value (for error messages), or None."""
    found = _first(SETTING_VARIABLES[option], current() if env is None else env)
    return None if found is None else found[0]


def credential_fields(env: Mapping[str, str] | None = None) -> dict[str, str] | None:
    """The first complete credential family's values (``user_id`` included when set), or
    None: the four OAuth 1.0a values, or an OAuth 2.0 user token."""
    env = current() if env is None else env
    for _family, fields in ENV_FAMILIES:
        found: dict[str, str] = {}
        for field, names in fields.items():
            hit = _first(names, env)
            if hit is not None:
                found[field] = hit[1]
        user_id = found.pop("user_id", None)
        chosen: dict[str, str] | None = None
        if all(f in found for f in CREDENTIAL_FIELDS):
            chosen = {f: found[f] for f in CREDENTIAL_FIELDS}
        elif "bearer_token" in found:
            chosen = {k: found[k] for k in _OAUTH2_FIELDS if k in found}
        if chosen is not None:
            if user_id is not None:
                chosen["user_id"] = user_id
            return chosen
    return None


def looked_for() -> str:
    """Every credential variable, for the "no credentials" message."""
    return ", ".join("/".join(names) for _f, fields in ENV_FAMILIES for names in fields.values())
