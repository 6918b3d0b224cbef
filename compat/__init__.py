"""compat: legacy Twitter API v1.1 favorites on X API v2 Likes.

Usage::

    from compat import favorites_create, favorites_destroy, favorites_list
    status = favorites_create(1050118621198921728)      # a v1.1 tweet dict, favorited True
    page = favorites_list(count=200, tweet_mode="extended")
"""

from __future__ import annotations

from importlib import metadata as _metadata

from compat._version import __version__ as _source_version
from compat.client import LikesBackend, LikesClient, RetryPolicy
from compat.credentials import Credentials
from compat.errors import (
    ApiError,
    BadRequest,
    CompatError,
    ConfigurationError,
    Forbidden,
    InvalidParameter,
    MalformedResponse,
    NotFound,
    SchemaError,
    ServerError,
    TooManyRequests,
    TransportError,
    Unauthorized,
)
from compat.favorites import (
    Favorites,
    configure,
    favorites_create,
    favorites_destroy,
    favorites_list,
)
from compat.pagination import PageMemo
from compat.patch import disabled, install, mount, patched, uninstall
from compat.ratelimit import RateLimit
from compat.warnings import LegacyFavoritesWarning

try:
    __version__ = _metadata.version("compat")
except _metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = _source_version

__all__ = [
    "ApiError",
    "BadRequest",
    "CompatError",
    "ConfigurationError",
    "Credentials",
    "Favorites",
    "Forbidden",
    "InvalidParameter",
    "LegacyFavoritesWarning",
    "LikesBackend",
    "LikesClient",
    "MalformedResponse",
    "NotFound",
    "PageMemo",
    "RateLimit",
    "RetryPolicy",
    "SchemaError",
    "ServerError",
    "TooManyRequests",
    "TransportError",
    "Unauthorized",
    "__version__",
    "configure",
    "disabled",
    "favorites_create",
    "favorites_destroy",
    "favorites_list",
    "install",
    "mount",
    "patched",
    "uninstall",
]
