"""The X API v2 Likes client: every v2 route, auth and retry rule lives here.

:class:`LikesClient` speaks v2 over :mod:`requests`; :class:`LikesBackend` is the small
interface the rest of compat uses, so that another backend (a hosted gateway) can stand in.
Every call returns a :class:`V2Result` (decoded JSON, already validated against its schema,
plus the :class:`~compat.ratelimit.RateLimit` of the response) or raises a
:class:`~compat.errors.CompatError`.

Secrets stay out of what error reporters record: a bearer token travels in a
:class:`BearerAuth` (its ``repr`` hides it) rather than in a headers dict, so no frame's locals
hold it; every request compat sends runs inside :func:`own_request`, which gives each
:class:`~compat.errors.CompatError` a copy of its request with the ``Authorization`` header
and the token fields of a form body masked (:func:`redacted`), and silences the DEBUG records
requests-oauthlib and oauthlib make while signing compat's own requests
(:data:`SIGNING_LOGGERS`; the user's own requests are logged by them as before).

Usage::

    >>> from compat import Credentials
    >>> from compat.client import LikesClient
    >>> client = LikesClient(Credentials("ck", "cs", "1072250532645998596-tok", "ts"),
    ...                      api_base="http://127.0.0.1:9")
    >>> client.authenticated_user_id()      # from the access token: no request
    '1072250532645998596'
    >>> client.like("12/../")
    Traceback (most recent call last):
    ...
    compat.errors.InvalidParameter: tweet_id: must be 1 to 19 ASCII digits (an int64 id), ...
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import logging
import os
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

import requests
from requests_oauthlib import OAuth1

from compat._oauth2 import TokenRefresher
from compat._postcache import PostCache
from compat._v2 import DEFAULT_API_BASE, ROUTES
from compat.credentials import AppBearer, Credentials
from compat.errors import CompatError, ConfigurationError, InvalidParameter, Unauthorized
from compat.params import screen_name, snowflake
from compat.transport import (
    DEFAULT_TIMEOUT,
    RetryPolicy,
    Timeout,
    Transport,
    V2Call,
    V2Result,
    call_options,
    recording,
)

__all__ = [
    "DEFAULT_API_BASE",
    "DEFAULT_TIMEOUT",
    "SIGNING_LOGGERS",
    "BearerAuth",
    "CompanionBackend",
    "LikesBackend",
    "LikesClient",
    "RetryPolicy",
    "V2Call",
    "V2Result",
    "call_options",
    "own_request",
    "recording",
    "redacted",
    "resolve_api_base",
]

MAX_RESULTS_LOW, MAX_RESULTS_HIGH = 10, 100

# -- secrets out of tracebacks, errors and third-party DEBUG logs ------------------------------


class BearerAuth(requests.auth.AuthBase):
    """Sets ``Authorization: Bearer <token>`` when a request is prepared.

    The token lives only here (``repr`` hides it), never in a headers dict or a local variable
    of compat's frames, which is what tracebacks with locals (Sentry-style reporters) record.

    >>> BearerAuth("secret-token")
    BearerAuth('***')
    """

    __slots__ = ("_token",)

    def __init__(self, token: str) -> None:
        self._token = token

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers["Authorization"] = "Bearer " + self._token
        return r

    def __repr__(self) -> str:
        return "BearerAuth('***')"


#: The loggers that record tokens and signatures at DEBUG while signing a request: requests-
#: oauthlib's "Signing request … using client <Client … resource_owner_key=<access token>…>",
#: "Updated url/headers/body" (the whole ``Authorization: OAuth … oauth_signature=…`` header)
#: and oauthlib's "Collected params", "Normalized params", "Signing: signature base string"
#: and "Signature: …". Their records are dropped while compat sends its own requests.
SIGNING_LOGGERS: tuple[str, ...] = (
    "requests_oauthlib",
    "requests_oauthlib.oauth1_auth",
    "requests_oauthlib.oauth1_session",
    "requests_oauthlib.oauth2_session",
    "oauthlib",
    "oauthlib.oauth1.rfc5849",
    "oauthlib.oauth1.rfc5849.signature",
)
_sending: contextvars.ContextVar[bool] = contextvars.ContextVar("compat_sending", default=False)
_MASK = "[redacted by compat]"
# Form fields of compat's own requests that are secrets (the OAuth 2.0 refresh form).
_SECRET_FIELDS = frozenset({"refresh_token", "client_secret", "access_token", "code_verifier"})


class _OwnRequestsFilter(logging.Filter):
    """Drops the records of :data:`SIGNING_LOGGERS` made while compat is sending."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not _sending.get()


_OWN_REQUESTS_FILTER = _OwnRequestsFilter("compat.client")
# A logger's filters see only the records made on that very logger (not its children's), so
# the filter goes on each logger that signs. Added once per logger, whatever reloads happen.
for _name in SIGNING_LOGGERS:
    _logger = logging.getLogger(_name)
    if not any(isinstance(f, _OwnRequestsFilter) for f in _logger.filters):
        _logger.addFilter(_OWN_REQUESTS_FILTER)


def redacted(request: requests.PreparedRequest) -> requests.PreparedRequest:
    """A copy of ``request`` with its ``Authorization``/``Proxy-Authorization`` headers and the
    secret fields of a form body masked (the original, which was sent, is left alone).

    >>> r = requests.Request("POST", "http://127.0.0.1:9/2/oauth2/token",
    ...                      headers={"Authorization": "Bearer tok"},
    ...                      data={"refresh_token": "rt", "grant_type": "refresh_token"})
    >>> safe = redacted(r.prepare())
    >>> safe.headers["Authorization"], safe.body
    ('[redacted by compat]', 'refresh_token=%5Bredacted+by+compat%5D&grant_type=refresh_token')
    """
    copy = request.copy()
    for name in ("Authorization", "Proxy-Authorization"):
        if name in copy.headers:
            copy.headers[name] = _MASK
    body = copy.body
    content_type = str(copy.headers.get("Content-Type", ""))
    if body and "application/x-www-form-urlencoded" in content_type:
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
        pairs = urllib.parse.parse_qsl(text, keep_blank_values=True)
        if any(k in _SECRET_FIELDS for k, _v in pairs):
            masked = urllib.parse.urlencode(
                [(k, _MASK if k in _SECRET_FIELDS else v) for k, v in pairs]
            )
            copy.body = masked.encode() if isinstance(body, bytes) else masked
            copy.headers["Content-Length"] = str(len(masked.encode()))
    return copy


def _redact_error(error: BaseException) -> None:
    """Swap the requests an error (and the errors it chains) carries for redacted copies."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        request = getattr(current, "request", None)
        if isinstance(request, requests.PreparedRequest):
            safe = redacted(request)
            current.request = safe  # type: ignore[attr-defined]  # CompatError/RequestException
        response = getattr(current, "response", None)
        if isinstance(response, requests.Response) and isinstance(
            response.request, requests.PreparedRequest
        ):
            response.request = redacted(response.request)
        current = current.__cause__ or current.__context__


@contextlib.contextmanager
def own_request() -> Iterator[None]:
    """The block sends compat's own requests: signing DEBUG records of
    :data:`SIGNING_LOGGERS` are dropped, and a :class:`~compat.errors.CompatError` leaving it
    carries redacted copies of its requests (see :func:`redacted`)."""
    token = _sending.set(True)
    try:
        yield
    except CompatError as exc:
        _redact_error(exc)
        raise
    finally:
        _sending.reset(token)


@runtime_checkable
class LikesBackend(Protocol):
    """What compat needs from a Likes service; :class:`LikesClient` is the X API v2 one."""

    name: str

    @property
    def can_lookup(self) -> bool:
        """False when posts cannot be looked up (a gateway without a read source):
        create/destroy then answer a minimal status."""

    def authenticated_user_id(self) -> str: ...

    def like(self, tweet_id: object) -> V2Result: ...

    def unlike(self, tweet_id: object) -> V2Result: ...

    def liked_tweets(
        self,
        user_id: object,
        *,
        max_results: int = 100,
        pagination_token: str | None = None,
        query: Mapping[str, str] | None = None,
    ) -> V2Result: ...

    def lookup_tweets(
        self, ids: Sequence[object], query: Mapping[str, str] | None = None
    ) -> V2Result: ...

    def user_by_username(
        self, username: object, query: Mapping[str, str] | None = None
    ) -> V2Result: ...

    def me(self) -> V2Result: ...


@runtime_checkable
class CompanionBackend(LikesBackend, Protocol):
    """A :class:`LikesBackend` that also serves the reads behind v1.1's companion calls
    (account/verify_credentials, users/*, statuses/*, search/tweets). A separate protocol so
    that a backend object written for the favorites calls alone still passes as a
    ``LikesBackend``: the companion calls then answer a clear error instead."""

    def profile(self, query: Mapping[str, str] | None = None) -> V2Result:
        """``GET /2/users/me`` with the fields and expansions of ``query``."""

    def users(self, ids: Sequence[object], query: Mapping[str, str] | None = None) -> V2Result:
        """``GET /2/users?ids=`` for 1–100 user ids."""

    def users_by_usernames(
        self, usernames: Sequence[object], query: Mapping[str, str] | None = None
    ) -> V2Result:
        """``GET /2/users/by?usernames=`` for 1–100 handles."""

    def user_by_id(self, user_id: object, query: Mapping[str, str] | None = None) -> V2Result:
        """``GET /2/users/:id``."""

    def user_tweets(
        self,
        user_id: object,
        *,
        max_results: int = 100,
        pagination_token: str | None = None,
        since_id: str | None = None,
        until_id: str | None = None,
        exclude: Sequence[str] = (),
        query: Mapping[str, str] | None = None,
    ) -> V2Result:
        """One page of ``GET /2/users/:id/tweets``."""

    def search_recent(
        self,
        text: str,
        *,
        max_results: int = 100,
        next_token: str | None = None,
        since_id: str | None = None,
        until_id: str | None = None,
        end_time: str | None = None,
        sort_order: str | None = None,
        query: Mapping[str, str] | None = None,
    ) -> V2Result:
        """One page of ``GET /2/tweets/search/recent``."""


def resolve_api_base(api_base: str | None = None) -> str:
    """``api_base`` if given, else ``https://api.x.com`` (``$COMPAT_API_BASE`` is read by
    :class:`compat.Settings`, which passes it here)."""
    base = api_base or DEFAULT_API_BASE
    parts = urllib.parse.urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
        raise ConfigurationError(
            f"api_base must be an http(s) URL like {DEFAULT_API_BASE!r}, got {base!r}"
        )
    return base.rstrip("/")


def _batch(items: Sequence[object], parameter: str, check: Callable[..., str]) -> list[str]:
    """1–100 ids or handles, each checked (v2's ``ids``/``usernames`` bound)."""
    if isinstance(items, (str, bytes)) or not 1 <= len(items) <= 100:
        raise InvalidParameter(parameter, "must be a sequence of 1 to 100 values")
    return [check(item, parameter) for item in items]


def _page_params(
    query: Mapping[str, str] | None, max_results: int, low: int, token_name: str, token: object
) -> dict[str, str]:
    """A page request's parameters: ``query``, ``max_results`` (``low``–100) and the token."""
    if isinstance(max_results, bool) or not isinstance(max_results, int):
        raise InvalidParameter("max_results", "must be an int")
    if not low <= max_results <= MAX_RESULTS_HIGH:
        raise InvalidParameter(
            "max_results", f"must be between {low} and {MAX_RESULTS_HIGH}, got {max_results}"
        )
    params: dict[str, str] = {**(query or {}), "max_results": str(max_results)}
    if token is not None:
        if not isinstance(token, str) or not token or not token.isprintable():
            raise InvalidParameter(token_name, "must be a printable string")
        params[token_name] = token
    return params


def _ids(**ids: str | None) -> dict[str, str]:
    return {name: snowflake(value, name) for name, value in ids.items() if value is not None}


# users/me answers per token, shared by every client in the process (one request per token).
_me_cache: dict[tuple[str, str], str] = {}
_me_lock = threading.Lock()


def _renew_me_lock() -> None:
    # a fork() while another thread held the lock would leave the child's copy held forever
    global _me_lock
    _me_lock = threading.Lock()


if hasattr(os, "register_at_fork"):  # POSIX
    os.register_at_fork(after_in_child=_renew_me_lock)


class LikesClient:
    """X API v2 Likes over requests (OAuth 1.0a or OAuth 2.0 user context).

    ``credentials`` may also be an :class:`~compat.credentials.AppBearer` for a read-only
    client (post lookups, listing a given user's likes), as a gateway's read source uses.
    Transport keywords (``session``, ``timeout`` default ``(5, 30)``, ``proxies``, ``verify``,
    ``cert``, ``retry``, ``sleep``, ``clock``) go to :class:`~compat.transport.Transport`.
    ``post_cache``: the account's :class:`~compat._postcache.PostCache`, filled with the posts
    of every answer of a route whose ``resource`` is ``"post"``.
    """

    name = "x-api-v2"
    can_lookup = True

    def __init__(
        self,
        credentials: Credentials | AppBearer,
        *,
        api_base: str | None = None,
        session: requests.Session | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
        proxies: Mapping[str, str] | None = None,
        verify: bool | str | None = None,
        cert: str | tuple[str, str] | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        token_refreshed: Callable[[Credentials], None] | None = None,
        token_file: str | os.PathLike[str] | None = None,
        post_cache: PostCache | None = None,
    ) -> None:
        if not isinstance(credentials, (Credentials, AppBearer)):
            raise ConfigurationError(
                f"credentials must be a compat.Credentials, got {type(credentials).__name__}"
            )
        self.credentials = credentials
        self.api_base = resolve_api_base(api_base)
        self.post_cache = post_cache
        self._user_id: str | None = None
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
        self._auth: requests.auth.AuthBase
        self._refresher: TokenRefresher | None = None
        if isinstance(credentials, AppBearer):
            self._auth = BearerAuth(credentials.token)
        elif credentials.kind == "oauth2":
            assert credentials.bearer_token is not None
            self._auth = BearerAuth(credentials.bearer_token)
            if credentials.refreshable:
                self._refresher = TokenRefresher(
                    self.api_base,
                    self.transport,
                    on_refresh=token_refreshed,
                    token_file=token_file,
                )
        else:
            self._auth = OAuth1(
                credentials.consumer_key,
                credentials.consumer_secret,
                credentials.access_token,
                credentials.access_token_secret,
                decoding=None,
            )

    def __repr__(self) -> str:
        return f"LikesClient(api_base={self.api_base!r}, credentials={self.credentials!r})"

    # -- the LikesBackend interface -------------------------------------------------------

    def authenticated_user_id(self) -> str:
        """The acting user's id: explicit, else the OAuth 1.0a token prefix, else users/me."""
        known = self.credentials.token_user_id()
        if known is not None:
            return known
        if isinstance(self.credentials, AppBearer):
            raise ConfigurationError(
                "an app-only bearer token acts as no user: it can look posts up and list a "
                "given user_id's likes, but cannot like, unlike or list 'my' likes"
            )
        if self._user_id is not None:  # known for this account, across token refreshes
            return self._user_id
        key = self._token_key()
        with _me_lock:  # one users/me per token, even when threads race for it
            cached = _me_cache.get(key)
            if cached is None:
                cached = snowflake(self.me().payload["data"]["id"], "users/me id")
                _me_cache[self._token_key()] = cached  # the token may have been refreshed
        self._user_id = cached
        return cached

    def _token_key(self) -> tuple[str, str]:
        secret = getattr(self.credentials, "bearer_token", None) or ""
        secret = secret or getattr(self.credentials, "access_token", None) or ""
        return (self.api_base, hashlib.sha256(secret.encode()).hexdigest())

    def me(self) -> V2Result:
        return self._request("users_me")

    def like(self, tweet_id: object) -> V2Result:
        """``POST /2/users/:id/likes`` with JSON ``{"tweet_id": "…"}``, as tweepy sent it."""
        tid = snowflake(tweet_id, "tweet_id")
        uid = self.authenticated_user_id()
        return self._request("like", {"id": uid}, json_body={"tweet_id": tid})

    def unlike(self, tweet_id: object) -> V2Result:
        """``DELETE /2/users/:id/likes/:tweet_id`` (no body)."""
        tid = snowflake(tweet_id, "tweet_id")
        uid = self.authenticated_user_id()
        return self._request("unlike", {"id": uid, "tweet_id": tid})

    def liked_tweets(
        self,
        user_id: object,
        *,
        max_results: int = 100,
        pagination_token: str | None = None,
        query: Mapping[str, str] | None = None,
    ) -> V2Result:
        """One page of ``GET /2/users/:id/liked_tweets`` (``max_results`` 10–100)."""
        uid = snowflake(user_id, "user_id")
        if isinstance(max_results, bool) or not isinstance(max_results, int):
            raise InvalidParameter("max_results", "must be an int")
        if not MAX_RESULTS_LOW <= max_results <= MAX_RESULTS_HIGH:
            raise InvalidParameter(
                "max_results",
                f"must be between {MAX_RESULTS_LOW} and {MAX_RESULTS_HIGH}, got {max_results}",
            )
        params: dict[str, str] = {**(query or {}), "max_results": str(max_results)}
        if pagination_token is not None:
            if not isinstance(pagination_token, str) or not pagination_token.isprintable():
                raise InvalidParameter("pagination_token", "must be a printable string")
            params["pagination_token"] = pagination_token
        return self._request("liked_tweets", {"id": uid}, params=params)

    def lookup_tweets(
        self, ids: Sequence[object], query: Mapping[str, str] | None = None
    ) -> V2Result:
        """``GET /2/tweets?ids=…`` for 1–100 ids; missing ids come back in ``errors``."""
        if isinstance(ids, (str, bytes)) or not 1 <= len(ids) <= 100:
            raise InvalidParameter("ids", "must be a sequence of 1 to 100 ids")
        clean = [snowflake(i, "ids") for i in ids]
        return self._request("tweets", params={**(query or {}), "ids": ",".join(clean)})

    def user_by_username(
        self, username: object, query: Mapping[str, str] | None = None
    ) -> V2Result:
        """``GET /2/users/by/username/:username``."""
        name = screen_name(username)
        return self._request("user_by_username", {"username": name}, params=dict(query or {}))

    # -- the companion reads ------------------------------------------------------------------

    def profile(self, query: Mapping[str, str] | None = None) -> V2Result:
        """``GET /2/users/me`` with ``query``'s fields (verify_credentials)."""
        return self._request("users_me", params=dict(query or {}))

    def users(self, ids: Sequence[object], query: Mapping[str, str] | None = None) -> V2Result:
        """``GET /2/users?ids=…`` for 1–100 ids; missing ids come back in ``errors``."""
        clean = _batch(ids, "user_id", snowflake)
        return self._request("users", params={**(query or {}), "ids": ",".join(clean)})

    def users_by_usernames(
        self, usernames: Sequence[object], query: Mapping[str, str] | None = None
    ) -> V2Result:
        """``GET /2/users/by?usernames=…`` for 1–100 handles."""
        clean = _batch(usernames, "screen_name", screen_name)
        return self._request(
            "users_by_usernames", params={**(query or {}), "usernames": ",".join(clean)}
        )

    def user_by_id(self, user_id: object, query: Mapping[str, str] | None = None) -> V2Result:
        """``GET /2/users/:id``."""
        uid = snowflake(user_id, "user_id")
        return self._request("user_by_id", {"id": uid}, params=dict(query or {}))

    def user_tweets(
        self,
        user_id: object,
        *,
        max_results: int = 100,
        pagination_token: str | None = None,
        since_id: str | None = None,
        until_id: str | None = None,
        exclude: Sequence[str] = (),
        query: Mapping[str, str] | None = None,
    ) -> V2Result:
        """One page of ``GET /2/users/:id/tweets`` (``max_results`` 5–100, spec v2.167)."""
        uid = snowflake(user_id, "user_id")
        params = _page_params(query, max_results, 5, "pagination_token", pagination_token)
        params.update(_ids(since_id=since_id, until_id=until_id))
        if exclude:
            if not set(exclude) <= {"replies", "retweets"}:
                raise InvalidParameter("exclude", "must be 'replies' and/or 'retweets'")
            params["exclude"] = ",".join(sorted(set(exclude)))
        return self._request("user_tweets", {"id": uid}, params=params)

    def search_recent(
        self,
        text: str,
        *,
        max_results: int = 100,
        next_token: str | None = None,
        since_id: str | None = None,
        until_id: str | None = None,
        end_time: str | None = None,
        sort_order: str | None = None,
        query: Mapping[str, str] | None = None,
    ) -> V2Result:
        """One page of ``GET /2/tweets/search/recent`` (``query`` 1–4096 characters,
        ``max_results`` 10–100, spec v2.167)."""
        if not isinstance(text, str) or not 1 <= len(text) <= 4096:
            raise InvalidParameter("query", "must be a string of 1 to 4096 characters")
        params = _page_params(query, max_results, 10, "next_token", next_token)
        params["query"] = text
        params.update(_ids(since_id=since_id, until_id=until_id))
        if end_time is not None:
            params["end_time"] = end_time
        if sort_order is not None:
            if sort_order not in ("recency", "relevancy"):
                raise InvalidParameter("sort_order", "must be 'recency' or 'relevancy'")
            params["sort_order"] = sort_order
        return self._request("search_recent", params=params)

    def _request(
        self,
        endpoint: str,
        segments: Mapping[str, str] | None = None,
        *,
        params: Mapping[str, str] | None = None,
        json_body: Mapping[str, Any] | None = None,
    ) -> V2Result:
        """One request to the route of :data:`compat._v2.ROUTES` named ``endpoint``; the
        ``segments`` of its path are already-checked ids and names."""
        route = ROUTES[endpoint]
        assert route.schema is not None  # every route compat calls has its answer's schema
        url = self.api_base + route.url_path(**(segments or {}))

        def send() -> V2Result:
            return self.transport.request(
                route.method,
                url,
                endpoint=endpoint,
                schema=route.schema,
                params=params,
                json_body=json_body,
                auth=self._auth,
            )

        sent_with = self._auth
        with own_request():
            try:
                result = send()
            except Unauthorized:
                if self._refresher is None:
                    raise
                self._refresh(sent_with)
                result = send()  # once, with the new token: a second 401 is the caller's
        if route.resource == "post" and self.post_cache is not None:
            # every answer with posts feeds the cache a later like/unlike reads (lookup "auto")
            self.post_cache.put(result.payload, fields=params)
        return result

    def _refresh(self, sent_with: requests.auth.AuthBase) -> None:
        """Refresh the access token a 401 was answered to, unless another thread already did."""
        assert self._refresher is not None and isinstance(self.credentials, Credentials)
        with self._refresher.lock:
            if self._auth is not sent_with:
                return  # refreshed meanwhile: just retry with the new token
            user = self._user_id
            self.credentials = self._refresher.refresh(self.credentials)
            assert self.credentials.bearer_token is not None
            self._auth = BearerAuth(self.credentials.bearer_token)
            if user is not None:  # users/me is cached by user: the new token costs none
                with _me_lock:
                    _me_cache[self._token_key()] = user
