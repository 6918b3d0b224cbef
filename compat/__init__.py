"""compat: legacy Twitter API v1.1 favorites on X API v2 Likes.

Usage::

    from compat import favorites_create, favorites_destroy, favorites_list
    status = favorites_create(1626194750222094336)      # a v1.1 tweet dict, favorited True
    page = favorites_list(count=200, tweet_mode="extended")

Everything public is in :data:`__all__` and importable from here; the submodules are the
implementation (``compat.reshape`` and ``compat.schemas`` are documented tools of their own,
``compat.audit`` and ``compat.emulator`` are the tools' packages). Names load on first use,
so ``import compat`` costs little more than the exceptions.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from compat._version import __version__
from compat.errors import (
    ApiError,
    BadRequest,
    CompatError,
    ConfigurationError,
    CreditsDepleted,
    Forbidden,
    InvalidParameter,
    MalformedResponse,
    NotFound,
    PlanRefused,
    QuotaExhausted,
    SchemaError,
    ServerError,
    TooManyRequests,
    TransportError,
    Unauthorized,
    UsageCapExceeded,
)

if TYPE_CHECKING:
    from compat._settings import Settings
    from compat._v1types import TweetMode, V1Tweet, V1User
    from compat.client import CompanionBackend, LikesBackend, LikesClient, RetryPolicy
    from compat.credentials import Credentials
    from compat.favorites import (
        Favorites,
        configure,
        favorites_create,
        favorites_destroy,
        favorites_list,
        lookup_statuses,
        lookup_users,
        rate_limit_status,
        search_tweets,
        show_status,
        show_user,
        user_timeline,
        verify_credentials,
    )
    from compat.pagination import PageMemo
    from compat.patch import disabled, install, mount, patched, uninstall
    from compat.ratelimit import RateLimit
    from compat.warnings import LegacyFavoritesWarning, UnservedLegacyWarning

# name -> the module that defines it, imported when the name is first used
_LAZY: dict[str, str] = {
    "CompanionBackend": "compat.client",
    "Credentials": "compat.credentials",
    "Favorites": "compat.favorites",
    "LegacyFavoritesWarning": "compat.warnings",
    "LikesBackend": "compat.client",
    "LikesClient": "compat.client",
    "PageMemo": "compat.pagination",
    "RateLimit": "compat.ratelimit",
    "RetryPolicy": "compat.transport",
    "Settings": "compat._settings",
    "TweetMode": "compat._v1types",
    "UnservedLegacyWarning": "compat.warnings",
    "V1Tweet": "compat._v1types",
    "V1User": "compat._v1types",
    "configure": "compat.favorites",
    "disabled": "compat.adapter",
    "favorites_create": "compat.favorites",
    "favorites_destroy": "compat.favorites",
    "favorites_list": "compat.favorites",
    "install": "compat.patch",
    "lookup_statuses": "compat.favorites",
    "lookup_users": "compat.favorites",
    "rate_limit_status": "compat.favorites",
    "search_tweets": "compat.favorites",
    "show_status": "compat.favorites",
    "show_user": "compat.favorites",
    "user_timeline": "compat.favorites",
    "verify_credentials": "compat.favorites",
    "mount": "compat.patch",
    "patched": "compat.patch",
    "uninstall": "compat.patch",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'compat' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "ApiError",
    "BadRequest",
    "CompanionBackend",
    "CompatError",
    "ConfigurationError",
    "Credentials",
    "CreditsDepleted",
    "Favorites",
    "Forbidden",
    "InvalidParameter",
    "LegacyFavoritesWarning",
    "LikesBackend",
    "LikesClient",
    "MalformedResponse",
    "NotFound",
    "PageMemo",
    "PlanRefused",
    "QuotaExhausted",
    "RateLimit",
    "RetryPolicy",
    "SchemaError",
    "ServerError",
    "Settings",
    "TooManyRequests",
    "TransportError",
    "TweetMode",
    "Unauthorized",
    "UnservedLegacyWarning",
    "UsageCapExceeded",
    "V1Tweet",
    "V1User",
    "__version__",
    "configure",
    "disabled",
    "favorites_create",
    "favorites_destroy",
    "favorites_list",
    "install",
    "lookup_statuses",
    "lookup_users",
    "mount",
    "patched",
    "rate_limit_status",
    "search_tweets",
    "show_status",
    "show_user",
    "uninstall",
    "user_timeline",
    "verify_credentials",
]
