"""The transport adapter that answers legacy v1.1 favorites requests from X API v2 Likes.

:class:`LegacyAdapter` is a :class:`requests.adapters.BaseAdapter`. It takes only
``/1.1/favorites/create.json``, ``/1.1/favorites/destroy.json``, ``/1.1/favorites/list.json``
and the old ``/1.1/favorites/create/<id>.json`` on ``api.twitter.com`` / ``api.x.com``, in
every spelling requests would send to that host (see :func:`legacy_route`); everything else
goes to the adapter requests would have used. For a taken request it:

1. reads the parameters from the query string *and* a form body (tweepy puts them in the
   query even for POST, python-twitter and Twython in the form), drops ``oauth_*``, refuses a
   parameter given twice and ignores parameters v1.1 favorites never had (as v1.1 did);
2. picks the account from the request's OAuth 1.0a authorization (consumer key + token,
   signature checked with that account's secrets; the header parsed as
   :func:`parse_oauth_params` says) or ``Bearer`` token. A request signed by an account that
   is not registered gets v1.1's 401 (code 32): it is never served with someone else's keys.
   A request without OAuth 1.0a or Bearer authorization (none, Basic auth, a header that is
   not OAuth) gets v1.1's 400 "Bad Authentication data." (code 215, :data:`BAD_AUTHENTICATION`),
   as the real API answered it; only ``compat run --emulator`` (``any_signer``: nothing real
   is at stake) serves it as the default account. A create or destroy that requests sends
   because another server redirected it there is refused (401/32) even when signed
   (``OAuth1Session`` re-signs redirects): nothing outside the program can make it like;
3. serves it with that account's :class:`~compat.favorites.Favorites` (one per account,
   cached), inside :func:`compat.client.call_options` so the caller's ``timeout``,
   ``proxies``, ``verify`` and ``cert`` apply to the v2 requests made on its behalf;
4. answers a real :class:`requests.Response`: the v1.1 status and body (or the v1.1 error
   body, ``{"errors": [{"code", "message"}]}``, of the :class:`~compat.errors.CompatError`),
   ``content-type: application/json;charset=utf-8``, the v2 ``x-rate-limit-*`` headers, and a
   urllib3 ``HTTPResponse`` over the bytes, so ``stream=True``, ``iter_content``,
   ``raw.read`` and ``with`` blocks work and ``close()`` may be called any number of times.

A v2 transport failure (connection refused, timeout) is raised as requests'
``ConnectionError``/``ReadTimeout``, as the legacy call itself would have failed. A ``HEAD``
(or any method the endpoint never had) gets v1.1's 404 code 34 without a request; to a
``HEAD`` the answer has no body. Server messages copied into answers and log lines are cut to
:data:`MESSAGE_LIMIT` characters.

Usage (one session, no global state; :func:`compat.patch.install` does it for every
session)::

    >>> import requests, warnings
    >>> from requests_oauthlib import OAuth1
    >>> from compat.emulator import Emulator
    >>> from compat.patch import mount
    >>> from compat.warnings import LegacyFavoritesWarning
    >>> with Emulator() as emu, requests.Session() as session, warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", LegacyFavoritesWarning)
    ...     _ = mount(session, emu.credentials, api_base=emu.base_url)
    ...     c = emu.credentials
    ...     session.auth = OAuth1(c.consumer_key, c.consumer_secret, c.access_token,
    ...                           c.access_token_secret)
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
import logging
import re
import sys
import time
import urllib.parse
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import FrameType
from typing import Any

import requests
import urllib3
from oauthlib.oauth1.rfc5849 import signature as oauth_signature
from requests.adapters import BaseAdapter, HTTPAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

from compat import _json, _settings
from compat._service import Service
from compat.client import redacted
from compat.credentials import Credentials
from compat.errors import (
    V1_CODES,
    ApiError,
    CompatError,
    ConfigurationError,
    Forbidden,
    InvalidParameter,
    MalformedResponse,
    TransportError,
    Unauthorized,
    v1_error_body,
)
from compat.params import LEGACY_ENDPOINTS
from compat.transport import call_options, cut
from compat.warnings import caller_frame, caller_location, warn_legacy, warn_unserved

__all__ = [
    "BAD_AUTHENTICATION",
    "LEGACY_HOSTS",
    "MESSAGE_LIMIT",
    "UPLOAD_HOSTS",
    "V1_HOSTS",
    "Accounts",
    "LegacyAdapter",
    "LegacyRoute",
    "RefusingAdapter",
    "cut_message",
    "disabled",
    "dump_v1",
    "is_disabled",
    "legacy_route",
    "parse_oauth_params",
    "session_fallback",
]

log = logging.getLogger("compat.adapter")

LEGACY_HOSTS: frozenset[str] = frozenset({"api.twitter.com", "api.x.com"})
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

#: v1.1's answer to an unsigned request: HTTP 400, code 215 (sources at
#: compat.errors.V1_CODES["bad_authentication_data"]); never served, never sent on.
BAD_AUTHENTICATION: tuple[int, int, str] = V1_CODES["bad_authentication_data"]

#: Longest server message (characters) copied into a v1.1 answer or a log line.
MESSAGE_LIMIT = 500


def cut_message(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """``text`` cut to ``limit`` characters (:func:`compat.transport.cut`, the one cutter).

    >>> cut_message("x" * 600, 10)
    'xxxxxxxxxx… [cut: 600 characters in all]'
    """
    return cut(text, limit)


def _cut_body(body: Any) -> Any:
    """A v1.1 error body with each ``errors[].message`` cut to :data:`MESSAGE_LIMIT`."""
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, list):
        return body
    cut = [
        {**e, "message": cut_message(e["message"])}
        if isinstance(e, dict) and isinstance(e.get("message"), str)
        else e
        for e in errors
    ]
    return {**body, "errors": cut}


# -- OAuth 1.0a authorization headers ------------------------------------------------------------

# One auth-param: name BWS "=" BWS value, the value a quoted-string (RFC 5849 §3.5.1, with
# RFC 7230 quoted-pairs), a single-quoted string or a bare token (RFC 7235 auth-param), then
# optional whitespace and a comma or the end.
_AUTH_PARAM = re.compile(
    r"""([A-Za-z0-9_.~-]+)[ \t]*=[ \t]*"""
    r"""(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s,"']*))[ \t]*(?:,|$)""",
    re.DOTALL,
)
_QUOTED_PAIR = re.compile(r"\\(.)", re.DOTALL)


def parse_oauth_params(params: str) -> dict[str, str] | None:
    r"""The parameters of an ``Authorization: OAuth …`` header (the text after the scheme),
    names lower-cased, values as sent (still percent-encoded); ``None`` when malformed.

    RFC 5849 §3.5.1 writes ``name="value"`` pairs separated by commas; what a server must also
    read (RFC 7235/7230): whitespace (spaces or tabs) around ``=`` and commas, bare (unquoted)
    values, upper-case names (auth-param names match case-insensitively), empty list elements.
    Which of these Twitter's own parser took is not recorded (oauthlib takes bare values, not
    a tab after the scheme nor spaces around ``=``); reading them all is safe because the
    signature is then checked with the named account's secrets over the lower-case names.
    Single-quoted values are read as quoted: an OAuth value is percent-encoded (§3.6), so a
    quote, comma or space is never part of one and reading them as delimiters cannot change
    any value. A parameter given twice (§3.1: MUST NOT) makes the header malformed.

    >>> parse_oauth_params('oauth_consumer_key = ck,\tOAUTH_TOKEN=\'1-t\', realm="x"')
    {'oauth_consumer_key': 'ck', 'oauth_token': '1-t', 'realm': 'x'}
    >>> parse_oauth_params('oauth_token="a", oauth_token="b"') is None
    True
    """
    found: dict[str, str] = {}
    pos, end = 0, len(params)
    while True:
        while pos < end and params[pos] in " \t,":
            pos += 1
        if pos >= end:
            return found
        match = _AUTH_PARAM.match(params, pos)
        if match is None:
            return None
        name = match.group(1).lower()
        quoted, single, bare = match.group(2, 3, 4)
        if quoted is not None:
            value = _QUOTED_PAIR.sub(r"\1", quoted)
        else:
            value = single if single is not None else bare
        if name in found:
            return None
        found[name] = value
        pos = match.end()


@dataclasses.dataclass(frozen=True)
class LegacyRoute:
    """A recognised v1.1 URL: the ``endpoint`` name (``"favorites/list"``, ``"statuses/show"``,
    ``"friends/ids"``, ``"statuses/destroy/:id"``), the id a ``favorites/create/<id>.json`` or
    ``statuses/show/<id>.json`` path carries, and whether compat ``served`` it (an endpoint of
    :data:`compat.params.LEGACY_ENDPOINTS` on an API host; every other v1.1 call is the
    ``unserved`` setting's: passed through or refused)."""

    endpoint: str
    path_id: str | None = None
    served: bool = True

    @property
    def action(self) -> str:
        """The last part of the endpoint name (``"list"`` for ``favorites/list``)."""
        return self.endpoint.rpartition("/")[2]


#: Hosts whose ``/1.1/`` calls are v1.1 calls compat never serves: v1.1 media upload
#: (``upload.twitter.com/1.1/media/upload.json``), which still works on some plans (X's
#: changelog "Enabling v1.1 media endpoints in Essential Access"; the 453 text "limited v1.1
#: endpoints (e.g. media post, oauth)"). They follow the ``unserved`` setting like any other
#: unserved call: passed through by default, refused under ``unserved="error"``.
UPLOAD_HOSTS: frozenset[str] = frozenset({"upload.twitter.com"})

#: Every host of v1.1 calls: the API hosts (served endpoints and the rest) and the upload host.
V1_HOSTS: frozenset[str] = LEGACY_HOSTS | UPLOAD_HOSTS

# The two v1.1 paths that carry the id as a path segment: <a>/<b>/<id>.json.
_PATH_ID_FORMS = frozenset({("favorites", "create"), ("statuses", "show")})
_NAME_CHARS = re.compile(r"[^a-z0-9_.-]")
_NAME_LIMIT = 120


def _segments(path: str, *, whole: bool) -> list[str]:
    """``path``'s segments as a server resolves them: percent-decoded (``whole``: before
    splitting, so ``%2F`` separates; else per segment), dot segments resolved, empty ones
    (``//``, a trailing ``/``) dropped."""
    unquote = urllib.parse.unquote
    parts = unquote(path).split("/") if whole else [unquote(p) for p in path.split("/")]
    kept: list[str] = []
    for segment in parts:
        if segment in ("", "."):
            continue
        if segment == "..":
            if kept:
                kept.pop()
            continue
        kept.append(segment)
    return kept


def _unserved_name(folded: list[str]) -> str:
    """The name of an unserved v1.1 path (``statuses/destroy/:id``): ``.json`` dropped, ids
    as ``:id`` (one warning per endpoint, not per id), odd characters as ``?``, cut."""
    rest = folded[1:]
    if rest[-1].endswith(".json"):
        rest[-1] = rest[-1][: -len(".json")]
    parts = [":id" if s.isdigit() and s.isascii() else _NAME_CHARS.sub("?", s) for s in rest]
    return "/".join(parts)[:_NAME_LIMIT]


def _route_of(segments: list[str], api_host: bool) -> LegacyRoute | None:
    """The route of resolved path segments; the fixed parts match in any case."""
    folded = [s.lower() for s in segments]
    if len(folded) < 2 or folded[0] != "1.1":
        return None
    if api_host:
        if len(folded) == 3 and folded[2].endswith(".json"):
            name = f"{folded[1]}/{folded[2][: -len('.json')]}"
            if name in LEGACY_ENDPOINTS:
                return LegacyRoute(name)
        form = (folded[1], folded[2]) if len(folded) == 4 else None
        if form in _PATH_ID_FORMS and folded[3].endswith(".json"):
            return LegacyRoute(f"{folded[1]}/{folded[2]}", segments[3][: -len(".json")])
    return LegacyRoute(_unserved_name(folded), served=False)


def legacy_route(url: str | bytes | None) -> LegacyRoute | None:
    """The :class:`LegacyRoute` of ``url``, or ``None`` when it is no v1.1 call (another
    host, another API version, ``/oauth/…``): the adapter then hands it on untouched.

    A v1.1 call is any ``/1.1/…`` path on a host of :data:`V1_HOSTS`. Every spelling that
    reaches the real host is taken: ``http`` or ``https``, the host in any case,
    percent-encoded or with the trailing dot of a fully qualified name, any port (``:443``
    included), user info; the path percent-decoded, in any case, with ``//``, ``./`` and
    ``../`` resolved. ``/1.1/<a>/<b>.json`` is endpoint ``<a>/<b>``, served when
    :data:`compat.params.LEGACY_ENDPOINTS` has it; any other ``/1.1/`` path
    (``favorites/list.json/extra``, ``statuses/update.json``, the upload host's) is an
    unserved route. Whether v1.1 itself routed every such spelling is not recorded; taking
    them means none of them reaches the retired API unless the ``unserved`` setting says so.

    >>> legacy_route("https://API.Twitter.com./1.1//Favorites/list.JSON?count=5")
    LegacyRoute(endpoint='favorites/list', path_id=None, served=True)
    >>> legacy_route("https://api.x.com:443/1.1/favorites%2Fcreate/20.json").path_id
    '20'
    >>> legacy_route("https://api.twitter.com/1.1/statuses/destroy/20.json")
    LegacyRoute(endpoint='statuses/destroy/:id', path_id=None, served=False)
    >>> legacy_route("https://api.twitter.com/oauth/request_token") is None
    True
    """
    if url is None:
        return None
    if isinstance(url, bytes):
        url = url.decode("utf-8", "replace")
    # The cheap common case (every request of every session): no "1.1" and no "%" before the
    # query (whose "%"s are common and never make a v1.1 path) means no v1.1 call.
    head = url.partition("?")[0]
    if "1.1" not in head and "%" not in head:
        return None
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or host is None:
        return None
    host = urllib.parse.unquote(host).lower().rstrip(".")
    if host not in V1_HOSTS:
        return None
    api_host = host in LEGACY_HOSTS
    # An encoded "/" inside the id of create/<id>.json keeps it one (bad) id, as before;
    # decoded first, it may also join "favorites%2Fcreate.json".
    route = _route_of(_segments(parts.path, whole=False), api_host)
    if route is not None and route.served:
        return route
    whole = _route_of(_segments(parts.path, whole=True), api_host)
    return whole if whole is not None else route


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


def _bad_authentication(message: str) -> Unauthorized:
    return Unauthorized(
        f"legacy request not served: {message}",
        status=BAD_AUTHENTICATION[0],
        v1=v1_error_body("bad_authentication_data"),
    )


class _SigningKeys:
    """The two secrets oauthlib's signing functions read, behind a ``repr`` that hides them."""

    __slots__ = ("client_secret", "resource_owner_secret")

    def __init__(self, creds: Credentials) -> None:
        self.client_secret = str(creds.consumer_secret)
        self.resource_owner_secret = str(creds.access_token_secret)

    def __repr__(self) -> str:
        return "_SigningKeys('***', '***')"


def _verify_oauth1(
    request: requests.PreparedRequest,
    oauth: Mapping[str, str],
    header_params: Mapping[str, str] | None,
    creds: Credentials,
) -> bool:
    """Check the request's OAuth 1.0a signature against ``creds``' secrets.

    ``oauth``: the decoded ``oauth_*`` parameters; ``header_params``: those of the
    ``Authorization`` header as sent (None when they travel in the query or the form body,
    where oauthlib collects them itself).
    """
    method = oauth.get("oauth_signature_method", "HMAC-SHA1").upper()
    keys = _SigningKeys(creds)
    if method == "PLAINTEXT":
        expected = oauth_signature.sign_plaintext_with_client(None, keys)
        return hmac.compare_digest(expected, oauth.get("oauth_signature", ""))
    if method not in ("HMAC-SHA1", "HMAC-SHA256"):
        return False
    url = str(request.url)
    params = oauth_signature.collect_parameters(
        uri_query=urllib.parse.urlsplit(url).query,
        body=_body_text(request),
        exclude_oauth_signature=True,
        with_realm=False,
    )
    if header_params is not None:  # decoded once, as oauthlib decodes a header's values
        params += [
            (name, urllib.parse.unquote(value))
            for name, value in header_params.items()
            if name.startswith("oauth_") and name != "oauth_signature"
        ]
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
    return hmac.compare_digest(sign(base, keys), oauth.get("oauth_signature", ""))


def _reached_by_redirect(frame: FrameType | None) -> bool:
    """Whether requests is sending this request because an answer redirected it here: its
    ``resolve_redirects`` runs between the adapter and the caller's own code."""
    stop = caller_frame(frame)
    while frame is not None and frame is not stop:
        code = frame.f_code
        if code.co_name == "resolve_redirects" and frame.f_globals.get("__name__") == (
            "requests.sessions"
        ):
            return True
        frame = frame.f_back
    return False


# -- the adapter -------------------------------------------------------------------------------


def _default_fallback(url: str) -> BaseAdapter:
    return _SHARED_HTTP_ADAPTER


_SHARED_HTTP_ADAPTER = HTTPAdapter()


def dump_v1(body: Any) -> bytes:
    """A v1.1 JSON body as compact bytes: orjson's UTF-8 when installed (``compat[fast]``),
    else the standard library's ASCII (:func:`compat._json.dumps`); every legacy library
    parses both to the same objects."""
    return _json.dumps(body)


class LegacyAdapter(BaseAdapter):
    """Answers v1.1 favorites requests from v2 Likes; see the module docstring.

    ``credentials`` and ``options`` are those of :func:`compat.install` (checked the same
    way); ``fallback(url)``: the adapter for requests this one does not take. Every request
    it takes is served by one :class:`~compat._service.Service`, as the drop-in functions
    are. ``any_signer`` (only ``compat run --emulator`` sets it: nothing real is at stake)
    serves a request signed by an unregistered account, or not signed at all, as the default
    account.
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
        # selects nothing: any signer is served as the one placeholder account. An unsigned
        # request is still refused there (real likes are at stake): only the emulator serves it.
        self.any_signer = settings.any_signer or accounts == (_settings.GATEWAY_ACCOUNT,)
        self.serve_unsigned = settings.any_signer
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
        if not route.served:
            fallback = self._fallback(str(request.url))
            return self.send_unserved(
                fallback, route, request, frame, stream, timeout, verify, cert, proxies
            )
        warn_legacy(route.endpoint, frame)
        caller = caller_location(frame)
        started = time.perf_counter()
        params: dict[str, str] = {}
        credentials: Credentials | None = None
        served = False
        try:
            params = self._parameters(request, route)
            endpoint = LEGACY_ENDPOINTS[route.endpoint]
            if not endpoint.allows(str(request.method)):
                # HEAD included: what v1.1 answered to it is not recorded; 404/34 spends
                # nothing and needs no authentication.
                status, body = v1_error_body("page_not_found")
                return self._respond(request, status, body, {})
            credentials = self._select(request)
            # a read (GET) a redirect reaches spends nothing the program did not ask for
            if not endpoint.allows("GET") and _reached_by_redirect(frame):
                log.warning(
                    "compat refused the v1.1 %s call from %s: a redirect from another server "
                    "led to it, and a write is only sent when the program asked for it",
                    route.endpoint,
                    caller,
                    extra={"event": "adapter.redirect_refused", "endpoint": route.endpoint},
                )
                raise _not_authenticated("a write reached by a redirect from another server")
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

    def send_unserved(
        self,
        fallback: BaseAdapter,
        route: LegacyRoute,
        request: requests.PreparedRequest,
        frame: FrameType | None,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        """A v1.1 call compat does not serve, as the ``unserved`` setting says: ``"pass"``
        sends it with ``fallback`` untouched, ``"error"`` answers v1.1's 403/453 with no
        request at all; either way one :class:`~compat.warnings.UnservedLegacyWarning` per
        endpoint and process, and an audit line. ``frame``: where to look for the caller."""
        caller = caller_location(frame)
        started = time.perf_counter()
        refused = self.settings.unserved == "error"
        if warn_unserved(route.endpoint, refused, frame):
            log.warning(
                "compat does not serve the v1.1 call %s (first called from %s): %s",
                route.endpoint,
                caller,
                "it was refused with a v1.1 error (unserved='error'); set unserved='pass' to "
                "send such calls to X untouched"
                if refused
                else "it was sent to X untouched (unserved='pass'), where most of v1.1 is "
                "retired; set unserved='error' (compat run --strict) to refuse such calls",
                extra={
                    "event": "adapter.unserved",
                    "endpoint": route.endpoint,
                    "unserved": self.settings.unserved,
                },
            )
        if refused:
            error = _unserved_error(route)
            self.service.unserved(route.endpoint, caller=caller, error=error, started=started)
            return self._respond(request, error.v1_status, error.v1_body, {})
        log.debug(
            "adapter.passed %s from %s", route.endpoint, caller, extra={"endpoint": route.endpoint}
        )
        self.service.unserved(route.endpoint, caller=caller, started=started)
        return fallback.send(
            request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies=proxies
        )

    def adapter_for(self, url: str, original: BaseAdapter) -> BaseAdapter:
        """The adapter a session must use for ``url`` instead of ``original`` (the one it
        would have used): ``original`` for what is no v1.1 call, this adapter for a served
        one, and for an unserved one an adapter applying the ``unserved`` setting that sends
        through ``original`` itself (so a session's own mounts carry what passes through)."""
        route = legacy_route(url)
        if route is None:
            return original
        if route.served:
            return self
        return _UnservedAdapter(self, route, original)

    def _answer_error(
        self, request: requests.PreparedRequest, route: LegacyRoute, exc: CompatError
    ) -> requests.Response:
        """The v1.1 answer to a failed call (or the requests exception it stands for)."""
        if isinstance(exc, (ApiError, InvalidParameter)):
            limits = exc.rate_limit if isinstance(exc, ApiError) else None
            headers = limits.headers() if limits is not None else {}
            return self._respond(request, exc.v1_status, _cut_body(exc.v1_body), headers)
        if isinstance(exc, MalformedResponse):
            log.warning(
                "X's v2 answer behind the v1.1 %s call was malformed (%s); the program got a "
                "v1.1 internal error. If this repeats, report it",
                route.endpoint,
                cut_message(str(exc)),
                extra={"event": "adapter.v2_malformed", "endpoint": route.endpoint},
            )
            status, body = v1_error_body("internal_error")
            return self._respond(request, status, body, {})
        kind = requests.ReadTimeout if "timed out" in exc.message else requests.ConnectionError
        raise kind(
            f"compat: the v2 request behind {route.endpoint} failed: {cut_message(exc.message)}",
            request=redacted(request),
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
            names = cut_message(", ".join(unknown))
            log.debug("adapter.ignored_params %s: %s", route.endpoint, names)
        return {k: v for k, v in params.items() if k in accepted}

    def _select(self, request: requests.PreparedRequest) -> Credentials:
        """The registered account this request is signed by (see the module docstring)."""
        # The scheme is case-insensitive and may be followed by spaces or tabs.
        words = (_header(request, "Authorization") or "").split(None, 1)
        scheme = words[0].lower() if words else ""
        if scheme == "bearer":
            found = self.accounts.bearer(words[1].strip()) if len(words) > 1 else None
            if found is not None:
                return found
            if self.any_signer:
                return self.accounts.default
            raise _not_authenticated("bearer token of an account not registered with compat")
        header_params: dict[str, str] | None = None
        if scheme == "oauth":
            header_params = parse_oauth_params(words[1] if len(words) > 1 else "")
            oauth = (
                None
                if header_params is None
                else {
                    k: urllib.parse.unquote(v)
                    for k, v in header_params.items()
                    if k.startswith("oauth_")
                }
            )
        else:  # OAuth 1.0a may also travel in the query string or the form body
            pairs = urllib.parse.parse_qsl(urllib.parse.urlsplit(str(request.url)).query)
            pairs += urllib.parse.parse_qsl(_body_text(request) or "")
            oauth = {k: v for k, v in pairs if k.startswith("oauth_")}
        if not oauth or "oauth_consumer_key" not in oauth:
            if self.serve_unsigned:
                return self.accounts.default
            raise _bad_authentication("no OAuth 1.0a or OAuth 2.0 authorization it can read")
        if self.any_signer:
            return self.accounts.default
        found = self.accounts.oauth1(oauth["oauth_consumer_key"], oauth.get("oauth_token", ""))
        if found is None:
            raise _not_authenticated("signed by an account not registered with compat")
        if not _verify_oauth1(request, oauth, header_params, found):
            raise _not_authenticated("OAuth 1.0a signature does not match the account's keys")
        return found

    def _respond(
        self,
        request: requests.PreparedRequest,
        status: int,
        body: Any,
        headers: Mapping[str, str],
    ) -> requests.Response:
        """A real :class:`requests.Response` over a urllib3 response reading ``body``'s JSON
        (to a ``HEAD``: the same headers, no body)."""
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
        if str(request.method).upper() == "HEAD":
            data = b""
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


def _unserved_error(route: LegacyRoute) -> Forbidden:
    """What ``unserved="error"`` answers an unserved v1.1 call: v1.1's 403 code 453, the
    answer X gave for a v1.1 endpoint outside the app's access (recorded body, see
    compat.errors.ACCESS_LEVEL_453), with a first sentence naming the endpoint."""
    status, code, text = V1_CODES["access_level"]
    message = (
        f"compat does not serve v1.1 {route.endpoint} and refused it (unserved='error'). {text}"
    )
    return Forbidden(
        f"v1.1 {route.endpoint} is not served by compat (unserved='error')",
        status=status,
        v1=(status, {"errors": [{"code": code, "message": message}]}),
    )


class _UnservedAdapter(BaseAdapter):
    """One unserved v1.1 URL's adapter (:meth:`LegacyAdapter.adapter_for`): the unserved
    setting of ``shim``, sending what passes through with the session's own ``original``."""

    def __init__(self, shim: LegacyAdapter, route: LegacyRoute, original: BaseAdapter) -> None:
        super().__init__()
        self.shim, self.route, self.original = shim, route, original

    def __repr__(self) -> str:
        return f"_UnservedAdapter({self.route.endpoint!r}, {self.original!r})"

    def close(self) -> None:
        """Nothing of its own to release (the session closes ``original``)."""

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
            return self.original.send(
                request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies=proxies
            )
        if route.served:  # the URL changed since get_adapter (a hook): serve it
            return self.shim.send(request, stream, timeout, verify, cert, proxies)
        return self.shim.send_unserved(
            self.original, route, request, sys._getframe(1), stream, timeout, verify, cert, proxies
        )


class RefusingAdapter(BaseAdapter):
    """Stands in for a :class:`LegacyAdapter` where the shim could not be set up (a program
    that ``compat run``'s program started, whose environment lacks credentials): every v1.1
    request compat would serve raises ``requests.ConnectionError`` saying ``reason``, so none
    reaches the retired v1.1 API; everything else (unserved v1.1 calls included: without
    settings the default ``unserved="pass"`` holds) goes to the adapter requests would have
    used.
    """

    def adapter_for(self, url: str, original: BaseAdapter) -> BaseAdapter:
        """This adapter for a v1.1 URL compat would serve, else ``original``."""
        route = legacy_route(url)
        return self if route is not None and route.served else original

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason

    def __repr__(self) -> str:
        return f"RefusingAdapter({cut_message(self.reason, 80)!r})"

    def close(self) -> None:
        """Nothing to release."""

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
        if route is None or not route.served or _disabled.get():
            return _default_fallback(str(request.url)).send(
                request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies=proxies
            )
        raise requests.ConnectionError(
            f"compat: v1.1 {route.endpoint} was not sent (it would reach the retired v1.1 "
            f"API): {self.reason}",
            request=redacted(request),
        )


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
