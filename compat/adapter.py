"""The transport adapter that answers legacy v1.1 favorites requests from X API v2 Likes.

:class:`LegacyAdapter` is a :class:`requests.adapters.BaseAdapter`. It takes only
``/1.1/favorites/create.json``, ``/1.1/favorites/destroy.json``, ``/1.1/favorites/list.json``
and the old ``/1.1/favorites/create/<id>.json`` on ``api.twitter.com`` / ``api.x.com`` (any
case); everything else goes to the adapter requests would have used. For a taken request it:

1. reads the parameters from the query string *and* a form body (tweepy puts them in the
   query even for POST, python-twitter and Twython in the form), drops ``oauth_*``, refuses a
   parameter given twice and ignores parameters v1.1 favorites never had (as v1.1 did);
2. picks the account from the request's OAuth 1.0a ``Authorization`` header (consumer key +
   token, signature checked with that account's secrets) or ``Bearer`` token. A request
   signed by an account that is not registered gets v1.1's 401 (code 32): it is never served
   with someone else's keys. A request with no OAuth 1.0a or Bearer authorization (tests
   that do not sign, Basic auth) is served as the *default* account (the first registered);
3. serves it with that account's :class:`~compat.favorites.Favorites` (one per account,
   cached), inside :func:`compat.client.call_options` so the caller's ``timeout``,
   ``proxies``, ``verify`` and ``cert`` apply to the v2 requests made on its behalf;
4. answers a real :class:`requests.Response`: the v1.1 status and body (or the v1.1 error
   body, ``{"errors": [{"code", "message"}]}``, of the :class:`~compat.errors.CompatError`),
   ``content-type: application/json;charset=utf-8``, the v2 ``x-rate-limit-*`` headers, and a
   urllib3 ``HTTPResponse`` over the bytes, so ``stream=True``, ``iter_content``,
   ``raw.read`` and ``with`` blocks work and ``close()`` may be called any number of times.

A v2 transport failure (connection refused, timeout) is raised as requests'
``ConnectionError``/``ReadTimeout``, as the legacy call itself would have failed.

Usage (one session, no global state; :func:`compat.patch.install` does it for every
session)::

    >>> import requests, warnings
    >>> from compat.emulator import Emulator
    >>> from compat.patch import mount
    >>> from compat.warnings import LegacyFavoritesWarning
    >>> with Emulator() as emu, requests.Session() as session, warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", LegacyFavoritesWarning)
    ...     _ = mount(session, emu.credentials, api_base=emu.base_url)
    ...     r = session.post("https://api.twitter.com/1.1/favorites/create.json",
    ...                      params={"id": "1626194750222094336"})
    ...     r.status_code, r.json()["favorited"]
    (200, True)
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import hmac
import http
import io
import json
import logging
import re
import sys
import time
import types
import urllib.parse
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import requests
import urllib3
from oauthlib.oauth1.rfc5849 import signature as oauth_signature
from requests.adapters import BaseAdapter, HTTPAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

from compat import _settings
from compat._service import Service
from compat.credentials import Credentials
from compat.errors import (
    ApiError,
    CompatError,
    ConfigurationError,
    InvalidParameter,
    MalformedResponse,
    TransportError,
    Unauthorized,
    v1_error_body,
)
from compat.params import LEGACY_ENDPOINTS
from compat.transport import call_options
from compat.warnings import caller_location, warn_legacy

__all__ = [
    "LEGACY_HOSTS",
    "Accounts",
    "LegacyAdapter",
    "LegacyRoute",
    "disabled",
    "dump_v1",
    "is_disabled",
    "legacy_route",
    "session_fallback",
]

log = logging.getLogger("compat.adapter")

LEGACY_HOSTS: frozenset[str] = frozenset({"api.twitter.com", "api.x.com"})
_PATH = re.compile(r"/1\.1/favorites/(?:(create|destroy|list)|(create)/([^/]*))\.json")
_disabled: contextvars.ContextVar[bool] = contextvars.ContextVar("compat_disabled", default=False)


def is_disabled() -> bool:
    """Whether :func:`disabled` is in force in this thread / async context."""
    return _disabled.get()


@contextlib.contextmanager
def disabled() -> Iterator[None]:
    """Let v1.1 favorites requests through to the real transport in this block (this thread
    or async task only), e.g. so a test's own v1.1 mocks answer them.

    Usage::

        with compat.disabled():
            requests.get("https://api.twitter.com/1.1/favorites/list.json")  # not served
    """
    token = _disabled.set(True)
    try:
        yield
    finally:
        _disabled.reset(token)


_CONTENT_TYPE = "application/json;charset=utf-8"
_FORM = "application/x-www-form-urlencoded"
_AUTH_PARAM = re.compile(r'([A-Za-z0-9_]+)="([^"]*)"')


@dataclasses.dataclass(frozen=True)
class LegacyRoute:
    """A recognised v1.1 favorites URL: ``action`` (create/destroy/list), the id a
    ``create/<id>.json`` path carries, and the audit ``endpoint`` name (``favorites/list``)."""

    action: str
    path_id: str | None = None

    @property
    def endpoint(self) -> str:
        return f"favorites/{self.action}"


def legacy_route(url: str | bytes | None) -> LegacyRoute | None:
    """The :class:`LegacyRoute` of ``url``, or ``None`` when the adapter must not take it.

    >>> legacy_route("https://API.Twitter.com/1.1/favorites/list.json?count=5")
    LegacyRoute(action='list', path_id=None)
    >>> legacy_route("https://api.x.com/1.1/favorites/create/20.json").path_id
    '20'
    >>> legacy_route("https://api.twitter.com/1.1/statuses/show.json") is None
    True
    """
    if url is None:
        return None
    if isinstance(url, bytes):
        url = url.decode("utf-8", "replace")
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or host not in LEGACY_HOSTS:
        return None
    match = _PATH.fullmatch(parts.path)
    if match is None:
        return None
    if match.group(1):
        return LegacyRoute(match.group(1))
    return LegacyRoute("create", urllib.parse.unquote(match.group(3)))


# -- accounts ----------------------------------------------------------------------------------


class Accounts:
    """The registered accounts, found by the OAuth 1.0a consumer key + token or the user
    bearer token a legacy request carries; the first one is the default."""

    def __init__(self, credentials: Iterable[Credentials]) -> None:
        self.all: tuple[Credentials, ...] = tuple(credentials)
        if not self.all:
            raise ConfigurationError("at least one account is needed")
        self._oauth1: dict[tuple[str, str], Credentials] = {}
        self._bearer: dict[str, Credentials] = {}
        for creds in self.all:
            if creds.kind == "oauth1":
                key = (str(creds.consumer_key), str(creds.access_token))
                known = self._oauth1.setdefault(key, creds)
                if known != creds:
                    raise ConfigurationError(
                        f"two different accounts registered for consumer key "
                        f"{creds.consumer_key!r} and the same access token"
                    )
            else:
                self._bearer.setdefault(str(creds.bearer_token), creds)

    @property
    def default(self) -> Credentials:
        return self.all[0]

    def __repr__(self) -> str:
        return f"Accounts({list(self.all)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Accounts) and other.all == self.all

    def __hash__(self) -> int:
        return hash(self.all)

    def oauth1(self, consumer_key: str, token: str) -> Credentials | None:
        return self._oauth1.get((consumer_key, token))

    def bearer(self, token: str) -> Credentials | None:
        return self._bearer.get(token)


def _header(request: requests.PreparedRequest, name: str) -> str | None:
    value = request.headers.get(name)
    if value is None:
        return None
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def _body_text(request: requests.PreparedRequest) -> str | None:
    """The form body as text, when the request has one (not multipart, not a stream)."""
    body = request.body
    if not body:
        return None
    content_type = (_header(request, "Content-Type") or "").split(";")[0].strip().lower()
    if content_type != _FORM:
        return None
    if isinstance(body, bytes):
        return body.decode("utf-8", "replace")
    return body if isinstance(body, str) else None


def _not_authenticated(message: str) -> Unauthorized:
    return Unauthorized(
        f"legacy request not served: {message}",
        status=401,
        v1=v1_error_body("could_not_authenticate"),
    )


def _verify_oauth1(
    request: requests.PreparedRequest, oauth: Mapping[str, str], creds: Credentials
) -> bool:
    """Check the request's OAuth 1.0a signature against ``creds``' secrets."""
    method = oauth.get("oauth_signature_method", "HMAC-SHA1").upper()
    given = oauth.get("oauth_signature", "")
    client_secret = str(creds.consumer_secret)
    owner_secret = str(creds.access_token_secret)
    keys = types.SimpleNamespace(client_secret=client_secret, resource_owner_secret=owner_secret)
    if method == "PLAINTEXT":
        expected = oauth_signature.sign_plaintext_with_client(None, keys)
        return hmac.compare_digest(expected, given)
    if method not in ("HMAC-SHA1", "HMAC-SHA256"):
        return False
    url = str(request.url)
    auth_header = _header(request, "Authorization")
    params = oauth_signature.collect_parameters(
        uri_query=urllib.parse.urlsplit(url).query,
        body=_body_text(request),
        headers={"Authorization": auth_header} if auth_header else None,
        exclude_oauth_signature=True,
        with_realm=False,
    )
    base = oauth_signature.signature_base_string(
        str(request.method).upper(),
        oauth_signature.base_string_uri(url),
        oauth_signature.normalize_parameters(params),
    )
    sign = (
        oauth_signature.sign_hmac_sha1_with_client
        if method == "HMAC-SHA1"
        else oauth_signature.sign_hmac_sha256_with_client
    )
    return hmac.compare_digest(sign(base, keys), given)


# -- the adapter -------------------------------------------------------------------------------


def _default_fallback(url: str) -> BaseAdapter:
    return _SHARED_HTTP_ADAPTER


_SHARED_HTTP_ADAPTER = HTTPAdapter()


# Compact, ASCII with \u escapes (every JSON parser reads them as it reads raw UTF-8; the C
# encoder's fastest path), no circular check (reshaped objects are fresh trees).
_V1_ENCODER = json.JSONEncoder(separators=(",", ":"), check_circular=False)


def dump_v1(body: Any) -> bytes:
    """A v1.1 JSON body as bytes (about 40 % cheaper than ``json.dumps(...).encode()``)."""
    return _V1_ENCODER.encode(body).encode("ascii")


class LegacyAdapter(BaseAdapter):
    """Answers v1.1 favorites requests from v2 Likes; see the module docstring.

    ``credentials`` and ``options`` are those of :func:`compat.install` (checked the same
    way); ``fallback(url)``: the adapter for requests this one does not take. Every request
    it takes is served by one :class:`~compat._service.Service`, as the drop-in functions
    are. ``any_signer`` (only ``compat run --emulator`` sets it: nothing real is at stake)
    serves a request signed by an unregistered account as the default account.
    """

    def __init__(
        self,
        credentials: object = None,
        *,
        fallback: Callable[[str], BaseAdapter] | None = None,
        settings: _settings.Settings | None = None,
        **options: Any,
    ) -> None:
        super().__init__()
        if settings is None:
            given = dict(options)
            if credentials is not None:
                given["credentials"] = credentials
            settings = _settings.resolve(given, door="LegacyAdapter")
        elif credentials is not None or options:
            raise ConfigurationError("LegacyAdapter(): pass settings= or options, not both")
        accounts = settings.serving_accounts("LegacyAdapter")
        self.settings = settings
        self.accounts = Accounts(accounts)
        # Behind a gateway (no credentials of its own) the legacy program's own signature
        # selects nothing: any signer is served as the one placeholder account.
        self.any_signer = settings.any_signer or accounts == (_settings.GATEWAY_ACCOUNT,)
        self.service = Service(settings)
        self._fallback = fallback or _default_fallback

    def __repr__(self) -> str:
        return (
            f"LegacyAdapter(api_base={self.settings.api_base!r}, "
            f"accounts={len(self.accounts.all)}, audit_log={self.settings.audit_log!r})"
        )

    def close(self) -> None:
        """Nothing to release: tweepy 4 closes its session after every call, and the v2
        clients behind this adapter are reused."""

    # -- requests' entry point ----------------------------------------------------------------

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        route = legacy_route(request.url)
        if route is None or _disabled.get():
            adapter = self._fallback(str(request.url))
            return adapter.send(
                request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies=proxies
            )
        frame = sys._getframe(1)
        warn_legacy(route.endpoint, frame)
        caller = caller_location(frame)
        started = time.perf_counter()
        params: dict[str, str] = {}
        credentials: Credentials | None = None
        served = False
        try:
            params = self._parameters(request, route)
            if str(request.method).upper() != LEGACY_ENDPOINTS[route.endpoint].method:
                status, body = v1_error_body("page_not_found")
                return self._respond(request, status, body, {})
            credentials = self._select(request)
            transport = {
                "timeout": timeout,
                "proxies": dict(proxies) if proxies else None,
                "verify": verify,
                "cert": cert,
            }
            served = True  # from here on the service writes the audit line
            with call_options(**transport):
                outcome = self.service.call(
                    route.endpoint, params, caller=caller, account=credentials
                )
            return self._respond(request, 200, outcome.value, outcome.rate_limit.headers())
        except (ApiError, InvalidParameter, MalformedResponse, TransportError) as exc:
            if not served:
                self.service.refused(
                    route.endpoint,
                    params,
                    caller=caller,
                    error=exc,
                    account=credentials,
                    started=started,
                )
            return self._answer_error(request, route, exc)
        finally:
            log.debug(
                "adapter.served %s from %s in %.1fms",
                route.endpoint,
                caller,
                (time.perf_counter() - started) * 1000,
                extra={"endpoint": route.endpoint},
            )

    def _answer_error(
        self, request: requests.PreparedRequest, route: LegacyRoute, exc: CompatError
    ) -> requests.Response:
        """The v1.1 answer to a failed call (or the requests exception it stands for)."""
        if isinstance(exc, (ApiError, InvalidParameter)):
            limits = exc.rate_limit if isinstance(exc, ApiError) else None
            headers = limits.headers() if limits is not None else {}
            return self._respond(request, exc.v1_status, exc.v1_body, headers)
        if isinstance(exc, MalformedResponse):
            log.warning("adapter.v2_malformed %s: %s", route.endpoint, exc)
            status, body = v1_error_body("internal_error")
            return self._respond(request, status, body, {})
        kind = requests.ReadTimeout if "timed out" in exc.message else requests.ConnectionError
        raise kind(
            f"compat: the v2 request behind {route.endpoint} failed: {exc.message}",
            request=request,
        ) from exc

    # -- the steps ----------------------------------------------------------------------------

    def _parameters(self, request: requests.PreparedRequest, route: LegacyRoute) -> dict[str, str]:
        """Query + form parameters, ``oauth_*`` dropped, duplicates refused, unknown ignored."""
        pairs = urllib.parse.parse_qsl(
            urllib.parse.urlsplit(str(request.url)).query, keep_blank_values=True
        )
        body = _body_text(request)
        if body:
            pairs += urllib.parse.parse_qsl(body, keep_blank_values=True)
        params: dict[str, str] = {}
        for name, value in pairs:
            if name.lower().startswith("oauth_"):
                continue
            if name in params:
                raise InvalidParameter(name, "was given more than once")
            params[name] = value
        if route.path_id is not None:
            if "id" in params and params["id"] != route.path_id:
                raise InvalidParameter("id", "differs from the id in the path")
            params["id"] = route.path_id
        accepted = LEGACY_ENDPOINTS[route.endpoint].accepted
        unknown = sorted(set(params) - accepted)
        if unknown:
            log.debug("adapter.ignored_params %s: %s", route.endpoint, ", ".join(unknown))
        return {k: v for k, v in params.items() if k in accepted}

    def _select(self, request: requests.PreparedRequest) -> Credentials:
        """The registered account this request is signed by (see the module docstring)."""
        header = _header(request, "Authorization")
        oauth: dict[str, str] = {}
        if header and header.strip().lower().startswith("bearer "):
            token = header.strip()[7:].strip()
            found = self.accounts.bearer(token)
            if found is not None:
                return found
            if self.any_signer:
                return self.accounts.default
            raise _not_authenticated("bearer token of an account not registered with compat")
        if header and header.strip().lower().startswith("oauth "):
            oauth = {
                k: urllib.parse.unquote(v)
                for k, v in _AUTH_PARAM.findall(header)
                if k.startswith("oauth_")
            }
        else:  # OAuth 1.0a may also travel in the query string or the form body
            pairs = urllib.parse.parse_qsl(urllib.parse.urlsplit(str(request.url)).query)
            pairs += urllib.parse.parse_qsl(_body_text(request) or "")
            oauth = {k: v for k, v in pairs if k.startswith("oauth_")}
        if not oauth:
            return self.accounts.default
        if self.any_signer:
            return self.accounts.default
        found = self.accounts.oauth1(
            oauth.get("oauth_consumer_key", ""), oauth.get("oauth_token", "")
        )
        if found is None:
            raise _not_authenticated("signed by an account not registered with compat")
        if not _verify_oauth1(request, oauth, found):
            raise _not_authenticated("OAuth 1.0a signature does not match the account's keys")
        return found

    def _respond(
        self,
        request: requests.PreparedRequest,
        status: int,
        body: Any,
        headers: Mapping[str, str],
    ) -> requests.Response:
        """A real :class:`requests.Response` over a urllib3 response reading ``body``'s JSON."""
        data = dump_v1(body)
        try:
            reason = http.HTTPStatus(status).phrase
        except ValueError:
            reason = ""
        all_headers = {
            "content-type": _CONTENT_TYPE,
            "content-length": str(len(data)),
            **headers,
        }
        raw = urllib3.HTTPResponse(
            body=io.BytesIO(data),
            headers=all_headers,
            status=status,
            reason=reason,
            preload_content=False,
            decode_content=False,
            request_method=request.method,
            request_url=request.url,
        )
        response = requests.Response()
        response.status_code = status
        response.headers = CaseInsensitiveDict(all_headers)
        response.encoding = get_encoding_from_headers(response.headers)
        response.raw = raw
        response.reason = reason
        url = request.url
        response.url = url.decode("utf-8") if isinstance(url, bytes) else str(url)
        response.request = request
        response.connection = self  # type: ignore[assignment]  # requests types it loosely
        return response


def session_fallback(session: requests.Session) -> Callable[[str], BaseAdapter]:
    """A ``fallback`` for an adapter mounted on ``session``: the adapter the session would
    use for a URL if this one were not mounted (held weakly: no reference cycle)."""
    ref = weakref.ref(session)

    def fallback(url: str) -> BaseAdapter:
        owner = ref()
        if owner is not None:
            lowered = url.lower()
            for prefix, adapter in owner.adapters.items():
                if lowered.startswith(prefix.lower()) and not isinstance(adapter, LegacyAdapter):
                    return adapter
        return _SHARED_HTTP_ADAPTER

    return fallback
