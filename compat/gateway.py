"""A second backend: likes through a hosted X API gateway (AIsa-style), chosen by configuration.

The gateway documents ``POST {base}/twitter/unlike_twitter`` with ``Authorization: Bearer
<api key>`` and JSON ``{"tweet_id": "…"}``, answering ``{"data": {"liked": false}}``
(idempotent); "Like a Tweet" is named as the inverse operation but its route is not documented,
so ``like_twitter`` is **assumed** by symmetry and both routes are configurable.

A gateway only writes. What it cannot answer — the post for the v1.1 response, the list of
likes — comes from a ``source``: an X API v2 :class:`~compat.client.LikesClient` (with an
app-only bearer token or a user's credentials), or nothing, in which case create/destroy answer
a minimal status and the runtime audit records which fields were not available.

Configuration (environment; keyword arguments win):

========================== ==================================================================
``COMPAT_BACKEND``         ``gateway`` selects this backend (default ``x``: the v2 client)
``COMPAT_GATEWAY_URL``     base URL, default ``https://api.aisa.one/apis/v1``
``COMPAT_GATEWAY_API_KEY`` the gateway API key (``AISA_API_KEY`` also read)
``COMPAT_GATEWAY_LIKE_ROUTE`` / ``…_UNLIKE_ROUTE``  default ``/twitter/like_twitter`` (assumed)
                           and ``/twitter/unlike_twitter`` (documented)
``COMPAT_GATEWAY_USER_ID`` the linked X account's user id (needed to list "my" likes)
``COMPAT_GATEWAY_SOURCE_BEARER`` an X API v2 bearer token for lookups and lists
========================== ==================================================================

Usage::

    >>> from compat.gateway import GatewayClient
    >>> gw = GatewayClient("secret-key", base_url="http://127.0.0.1:9/apis/v1")
    >>> gw
    GatewayClient(base_url='http://127.0.0.1:9/apis/v1', api_key='***', source=None)
    >>> gw.can_lookup
    False
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import requests

from compat._settings import Settings, resolve
from compat._v2 import DEFAULT_GATEWAY_URL, GATEWAY_ROUTES
from compat.client import LikesBackend, LikesClient, resolve_api_base
from compat.credentials import AppBearer
from compat.errors import (
    ApiError,
    ConfigurationError,
    api_error_for,
    v1_error_body,
)
from compat.params import snowflake
from compat.ratelimit import RateLimit
from compat.transport import DEFAULT_TIMEOUT, RetryPolicy, Timeout, Transport, V2Result

__all__ = [
    "DEFAULT_GATEWAY_URL",
    "DEFAULT_LIKE_ROUTE",
    "DEFAULT_UNLIKE_ROUTE",
    "GatewayClient",
    "gateway_error_for",
]

DEFAULT_UNLIKE_ROUTE = GATEWAY_ROUTES["gateway_unlike"].path
DEFAULT_LIKE_ROUTE = GATEWAY_ROUTES["gateway_like"].path
_ROUTE = re.compile(r"(/[A-Za-z0-9_.~-]+)+")


def _problem_kind(body: Any) -> str:
    """The gateway's error cause (``invalid-request``, ``client-forbidden``…) from its body."""
    if not isinstance(body, dict):
        return ""
    texts = [body.get("type"), body.get("code"), body.get("title")]
    error = body.get("error")
    if isinstance(error, dict):
        texts += [error.get("type"), error.get("code")]
    elif isinstance(error, str):
        texts.append(error)
    for text in texts:
        if isinstance(text, str):
            for kind in ("invalid-request", "client-forbidden", "resource-not-found"):
                if kind in text.lower():
                    return kind
    return ""


def gateway_error_for(
    status: int,
    body: Any,
    *,
    rate_limit: RateLimit | None = None,
    request: requests.PreparedRequest | None = None,
    response: requests.Response | None = None,
) -> ApiError:
    """Map a gateway error to the compat exception and its v1.1 equivalent.

    400 ``invalid-request`` → v1.1 400/44; 403 ``client-forbidden`` → 403/220 naming the
    missing ``like.write`` scope and how to re-link; 404 ``resource-not-found`` → 404/144;
    401 → 401/32 (the API key); everything else as for X API v2.

    >>> err = gateway_error_for(403, {"type": "client-forbidden"})
    >>> err.v1_status, err.v1_codes
    (403, [220])
    """
    kind = _problem_kind(body)
    v1: tuple[int, dict[str, Any]] | None = None
    if kind == "invalid-request" or (status == 400 and not kind):
        v1 = v1_error_body("invalid_parameter", "tweet_id parameter is invalid (gateway 400).")
    elif kind == "client-forbidden":
        v1 = (
            403,
            {
                "errors": [
                    {
                        "code": 220,
                        "message": "Your credentials do not allow access to this resource: the "
                        "X session linked to the gateway API key lacks the like.write scope; "
                        "re-link the account via POST /apis/v1/twitter/auth_twitter.",
                    }
                ]
            },
        )
    elif kind == "resource-not-found" or status == 404:
        v1 = v1_error_body("no_status")
    elif status == 401:
        v1 = v1_error_body("could_not_authenticate", "Could not authenticate you (gateway key).")
    error = api_error_for(status, body, rate_limit=rate_limit, request=request, response=response)
    if v1 is not None:
        error.v1_status, error.v1_body = v1
    return error


class GatewayClient:
    """Likes through a hosted gateway; lookups and lists from an optional v2 ``source``."""

    name = "gateway"

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str | None = None,
        like_route: str = DEFAULT_LIKE_ROUTE,
        unlike_route: str = DEFAULT_UNLIKE_ROUTE,
        source: LikesBackend | None = None,
        user_id: object = None,
        session: requests.Session | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
        proxies: Mapping[str, str] | None = None,
        verify: bool | str | None = None,
        cert: str | tuple[str, str] | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not isinstance(api_key, str) or not api_key.strip():
            raise ConfigurationError("the gateway needs an API key (COMPAT_GATEWAY_API_KEY)")
        for name, route in (("like_route", like_route), ("unlike_route", unlike_route)):
            if not isinstance(route, str) or not _ROUTE.fullmatch(route):
                raise ConfigurationError(f"{name} must be a path like '/twitter/like_twitter'")
        self._api_key = api_key
        self.base_url = resolve_api_base(base_url or DEFAULT_GATEWAY_URL)
        self.like_route = like_route
        self.unlike_route = unlike_route
        self.source = source
        self.user_id = None if user_id is None else snowflake(user_id, "user_id")
        self.transport = Transport(
            session=session,
            timeout=timeout,
            proxies=proxies,
            verify=verify,
            cert=cert,
            retry=retry,
            sleep=sleep,
            clock=clock,
        )

    def __repr__(self) -> str:
        return f"GatewayClient(base_url={self.base_url!r}, api_key='***', source={self.source!r})"

    @property
    def can_lookup(self) -> bool:
        return self.source is not None

    @classmethod
    def from_settings(cls, settings: Settings) -> GatewayClient:
        """The gateway backend one :class:`~compat._settings.Settings` value describes: its
        ``gateway_*`` options, the transport options, and a read source (``gateway_source``,
        else an app-only X API v2 client for ``gateway_source_bearer``, else none)."""
        if settings.gateway_api_key is None:
            raise ConfigurationError("the gateway needs an API key (COMPAT_GATEWAY_API_KEY)")
        transport = settings.transport_options
        source = settings.gateway_source
        if source is None and settings.gateway_source_bearer is not None:
            source = LikesClient(
                AppBearer(settings.gateway_source_bearer), api_base=settings.api_base, **transport
            )
        return cls(
            settings.gateway_api_key,
            base_url=settings.gateway_url,
            like_route=settings.gateway_like_route,
            unlike_route=settings.gateway_unlike_route,
            source=source,
            user_id=settings.gateway_user_id,
            **transport,
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> GatewayClient:
        """Built from the ``COMPAT_GATEWAY_*`` variables (see the module docstring);
        ``overrides`` are options of :class:`compat.Favorites` (``gateway_url``,
        ``timeout``…), checked as every way in checks them."""
        settings = resolve(
            {**overrides, "backend": "gateway"},
            door="GatewayClient.from_env",
            environ=environ,
            layered=False,
        )
        return cls.from_settings(settings)

    # -- writes, through the gateway ---------------------------------------------------------

    def _write(self, route: str, tweet_id: object, endpoint: str) -> V2Result:
        tid = snowflake(tweet_id, "tweet_id")
        return self.transport.request(
            "POST",
            self.base_url + route,
            endpoint=endpoint,
            schema="v2/like_result",
            json_body={"tweet_id": tid},
            headers={"Authorization": f"Bearer {self._api_key}"},
            error_for=gateway_error_for,
            error_schema=None,
        )

    def like(self, tweet_id: object) -> V2Result:
        return self._write(self.like_route, tweet_id, "gateway_like")

    def unlike(self, tweet_id: object) -> V2Result:
        return self._write(self.unlike_route, tweet_id, "gateway_unlike")

    # -- reads, from the source ---------------------------------------------------------------

    def _reader(self, what: str) -> LikesBackend:
        if self.source is None:
            raise ConfigurationError(
                f"the gateway cannot {what}; give it a read source: "
                "COMPAT_GATEWAY_SOURCE_BEARER=<X API v2 bearer token> or source=LikesClient(...)"
            )
        return self.source

    def authenticated_user_id(self) -> str:
        if self.user_id is not None:
            return self.user_id
        if self.source is not None:
            try:
                return self.source.authenticated_user_id()
            except ConfigurationError:
                pass
        raise ConfigurationError(
            "the gateway does not say which X account its key is linked to: set "
            "COMPAT_GATEWAY_USER_ID (or user_id=) to list your likes"
        )

    def liked_tweets(
        self,
        user_id: object,
        *,
        max_results: int = 100,
        pagination_token: str | None = None,
        query: Mapping[str, str] | None = None,
    ) -> V2Result:
        return self._reader("list likes").liked_tweets(
            user_id, max_results=max_results, pagination_token=pagination_token, query=query
        )

    def lookup_tweets(
        self, ids: Sequence[object], query: Mapping[str, str] | None = None
    ) -> V2Result:
        return self._reader("look posts up").lookup_tweets(ids, query)

    def user_by_username(
        self, username: object, query: Mapping[str, str] | None = None
    ) -> V2Result:
        return self._reader("look users up").user_by_username(username, query)

    def me(self) -> V2Result:
        return self._reader("say who you are").me()
