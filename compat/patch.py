"""Installing the v1.1 favorites shim: every global patch compat makes, and how it is undone.

compat patches exactly what :data:`PATCHES` lists, one entry per HTTP stack legacy favorites
programs use (each wrapper takes no lock per request):

* ``requests.Session.get_adapter``, so that every session (module-level ``requests.post``,
  ``OAuth1Session``, tweepy 3's per-call sessions, tweepy 4's ``api.session``, python-twitter,
  Twython, TwitterAPI) hands the v1.1 URLs compat takes to one
  :class:`~compat.adapter.LegacyAdapter` and everything else to the adapter it had;
* ``urllib.request.HTTPHandler.http_open`` and ``HTTPSHandler.https_open``, the handlers of
  every ``urlopen`` / ``build_opener`` opener (python-twitter-tools), which hand the same URLs
  to the same adapter (:mod:`compat._urllib`).

No other stack is patched: httpx, aiohttp and ``http.client`` used directly keep their own
transports (no legacy favorites program among those the corpus follows uses them).

* :func:`install` applies the patch (once) and pushes a *layer* (credentials, v2 base URL,
  audit log); it returns an :class:`Installation`, also a context manager, that removes only
  its own layer. Installing again is harmless and nests: a :func:`patched` block inside an
  :func:`install` leaves the outer one in place on exit.
* :func:`uninstall` removes every layer and restores exactly what was there. If someone else
  patched the same attribute on top of compat in the meantime (``requests_mock``), their patch
  is left alone, compat's wrapper underneath goes inert, and a :class:`RuntimeWarning` says so.
* :func:`disabled` lets the real transport (or the user's own v1.1 mocks) run, for the current
  thread or async task only.
* :func:`mount` puts the adapter on one session, with no global state at all.
* :func:`refuse` pushes a layer whose :class:`~compat.adapter.RefusingAdapter` refuses every
  v1.1 favorites request instead of serving it (``compat run`` puts it in a process that
  its program started whose environment has no credentials).

Usage::

    >>> import requests, warnings
    >>> from requests_oauthlib import OAuth1
    >>> from compat.emulator import Emulator
    >>> from compat.patch import install, installed
    >>> from compat.warnings import LegacyFavoritesWarning
    >>> with Emulator() as emu, install(emu.credentials, api_base=emu.base_url), \\
    ...         warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", LegacyFavoritesWarning)
    ...     c = emu.credentials
    ...     auth = OAuth1(c.consumer_key, c.consumer_secret, c.access_token,
    ...                   c.access_token_secret)
    ...     r = requests.get("https://api.twitter.com/1.1/favorites/list.json",
    ...                      params={"count": 1}, auth=auth)
    ...     unsigned = requests.get("https://api.twitter.com/1.1/favorites/list.json")
    ...     r.status_code, len(r.json()), unsigned.status_code, unsigned.json()
    (200, 0, 400, {'errors': [{'code': 215, 'message': 'Bad Authentication data.'}]})
    >>> installed()
    False
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import logging
import threading
import urllib.parse
import urllib.request
import warnings
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import requests
from requests.adapters import BaseAdapter, HTTPAdapter
from requests_oauthlib import OAuth1

from compat import _settings, _urllib
from compat.adapter import (
    LEGACY_HOSTS,
    V1_HOSTS,
    LegacyAdapter,
    RefusingAdapter,
    _disabled,
    disabled,
    is_disabled,
    legacy_route,
    session_fallback,
)
from compat.credentials import Credentials
from compat.errors import ConfigurationError
from compat.transport import proxies_for

__all__ = [
    "MOUNT_PREFIXES",
    "PATCHES",
    "Installation",
    "PatchSpec",
    "disabled",
    "emulate_v2",
    "install",
    "installed",
    "is_disabled",
    "mount",
    "patched",
    "refuse",
    "uninstall",
]

log = logging.getLogger("compat.patch")

_MARK = "__compat_patch__"

#: Where :func:`mount` puts the adapter on a session (requests matches prefixes in any case):
#: the favorites and v1.1 paths, longer than a broader mount of the user's so that they win
#: (an unserved v1.1 call then still follows the ``unserved`` setting), and the bare hosts
#: (the upload host's included), so that ``:443``, a trailing-dot host or ``//`` still reach
#: the adapter (which hands what it does not take to the session's other adapters).
MOUNT_PREFIXES: tuple[str, ...] = tuple(
    f"{scheme}://{host}{path}"
    for path in ("/1.1/favorites/", "/1.1/", "")
    for scheme in ("https", "http")
    for host in sorted(V1_HOSTS)
)

_Shim = LegacyAdapter | RefusingAdapter


@dataclasses.dataclass(frozen=True)
class PatchSpec:
    """One global patch: ``owner.attribute`` is replaced by ``build(original)``."""

    owner: Any
    attribute: str
    build: Callable[[Any], Any]
    why: str

    @property
    def name(self) -> str:
        return f"{self.owner.__module__}.{self.owner.__qualname__}.{self.attribute}"


@dataclasses.dataclass
class _Applied:
    spec: PatchSpec
    had_own: bool  # the attribute was in owner.__dict__ (else inherited: delete to restore)
    original: Any
    replacement: Any


# State: changed under _lock; read lock-free by the wrapper (one reference read per request).
_lock = threading.RLock()
_layers: list[Installation] = []
_applied: list[_Applied] = []
_active: _Shim | None = None
_v2_reroute: _V2Reroute | None = None  # compat run --emulator only, see emulate_v2()


class _V2Reroute(BaseAdapter):
    """Sends a program's own v2 requests for the real hosts to the emulator instead, signed
    as the emulator's default account (the program's signature covers the real URL)."""

    def __init__(self, base_url: str, credentials: Credentials) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self._sign = OAuth1(
            credentials.consumer_key,
            credentials.consumer_secret,
            credentials.access_token,
            credentials.access_token_secret,
        )
        self._http = HTTPAdapter()

    def __repr__(self) -> str:
        return f"_V2Reroute({self.base_url!r})"

    def close(self) -> None:
        self._http.close()

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: bool | str = True,
        cert: Any = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        parts = urllib.parse.urlsplit(request.url or "")
        routed = request.copy()
        routed.url = self.base_url + parts.path + (f"?{parts.query}" if parts.query else "")
        routed.headers.pop("Authorization", None)
        routed = self._sign(routed)
        return self._http.send(
            routed,
            stream=stream,
            timeout=timeout,
            verify=verify,
            cert=cert,
            proxies=proxies_for(routed.url or "", caller=proxies),
        )


def _is_v2(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    host = (parts.hostname or "").rstrip(".")
    return (
        parts.scheme.lower() in ("https", "http")
        and host in LEGACY_HOSTS
        and parts.path.startswith("/2/")
    )


def _route(url: str | bytes) -> BaseAdapter | None:
    """The adapter of compat's that takes ``url``, or None (the URL is not compat's)."""
    shim = _active
    if shim is None or _disabled.get():
        return None
    if legacy_route(url) is not None:
        return shim
    reroute = _v2_reroute
    if reroute is not None:
        text = url.decode("utf-8", "replace") if isinstance(url, bytes) else url
        if _is_v2(text):
            return reroute
    return None


def _build_get_adapter(original: Callable[[requests.Session, str], BaseAdapter]) -> Any:
    @functools.wraps(original)
    def get_adapter(self: requests.Session, url: str) -> BaseAdapter:
        adapter = original(self, url)
        if _active is None or isinstance(adapter, LegacyAdapter):
            return adapter
        taken = _route(url)
        if taken is None:
            return adapter
        if isinstance(taken, (LegacyAdapter, RefusingAdapter)):
            # an unserved v1.1 call passes through the session's own adapter (its mounts)
            return taken.adapter_for(url, adapter)
        return taken

    setattr(get_adapter, _MARK, True)
    return get_adapter


def _build_urlopen(original: _urllib.OpenMethod) -> Any:
    wrapper = _urllib.build_open(original, _route)
    setattr(wrapper, _MARK, True)
    return wrapper


#: Every global patch compat makes; :func:`install` applies them, :func:`uninstall` undoes them.
PATCHES: tuple[PatchSpec, ...] = (
    PatchSpec(
        requests.Session,
        "get_adapter",
        _build_get_adapter,
        "route the v1.1 URLs compat takes of every requests session to the LegacyAdapter",
    ),
    PatchSpec(
        urllib.request.HTTPHandler,
        "http_open",
        _build_urlopen,
        "serve the same URLs opened with urllib.request (python-twitter-tools) over http",
    ),
    PatchSpec(
        urllib.request.HTTPSHandler,
        "https_open",
        _build_urlopen,
        "serve the same URLs opened with urllib.request (python-twitter-tools) over https",
    ),
)


def _apply_patches() -> None:
    for spec in PATCHES:
        had_own = spec.attribute in vars(spec.owner)
        original: Any = vars(spec.owner)[spec.attribute] if had_own else None
        # A wrapper of ours left under someone else's patch and restored by them: unwrap it.
        while getattr(original, _MARK, False):
            original = original.__wrapped__
        replacement = spec.build(
            original if original is not None else getattr(spec.owner, spec.attribute)
        )
        setattr(spec.owner, spec.attribute, replacement)
        _applied.append(_Applied(spec, had_own, original, replacement))
        log.debug("patch.applied %s", spec.name)


def _remove_patches() -> None:
    while _applied:
        applied = _applied.pop()
        spec = applied.spec
        current = vars(spec.owner).get(spec.attribute)
        if current is not applied.replacement:
            log.warning(
                "compat could not take its patch off %s: another library patched it again on "
                "top of compat, so that patch is left in place (compat's wrapper below it no "
                "longer serves calls). Uninstall that library's patch first for a clean state",
                spec.name,
                extra={"event": "patch.covered", "target": spec.name},
            )
            warnings.warn(
                f"compat.uninstall(): {spec.name} was patched by someone else on top of "
                "compat; their patch is left in place and compat's wrapper below it is inert",
                RuntimeWarning,
                stacklevel=3,
            )
            continue
        if applied.had_own:
            setattr(spec.owner, spec.attribute, applied.original)
        else:
            delattr(spec.owner, spec.attribute)
        log.debug("patch.restored %s", spec.name)


class Installation(contextlib.AbstractContextManager["Installation"]):
    """One :func:`install` layer; ``with`` (or :meth:`uninstall`) removes only this layer.

    ``adapter`` is the :class:`~compat.adapter.LegacyAdapter` serving while it is on top (a
    :class:`~compat.adapter.RefusingAdapter` for a :func:`refuse` layer).
    """

    def __init__(self, adapter: _Shim) -> None:
        self.adapter = adapter

    def __repr__(self) -> str:
        return f"Installation({self.adapter!r}, active={self.active})"

    @property
    def active(self) -> bool:
        """Whether this layer is still installed."""
        with _lock:
            return any(layer is self for layer in _layers)

    def __exit__(self, *exc_info: object) -> None:
        self.uninstall()

    def uninstall(self) -> None:
        """Remove this layer (a no-op if already removed); the patch goes with the last one."""
        global _active
        with _lock:
            for i, layer in enumerate(_layers):
                if layer is self:
                    del _layers[i]
                    break
            else:
                return
            _active = _layers[-1].adapter if _layers else None
            if not _layers:
                _stop_rerouting()
                _remove_patches()
                log.info("patch.uninstalled")


def _adapter_for(settings: _settings.Settings) -> LegacyAdapter:
    for layer in _layers:  # same settings: share the adapter (and its page memo)
        if isinstance(layer.adapter, LegacyAdapter) and layer.adapter.settings == settings:
            return layer.adapter
    return LegacyAdapter(settings=settings)


def _push(adapter: _Shim) -> Installation:
    global _active
    with _lock:
        handle = Installation(adapter)
        if not _layers:
            _apply_patches()
            log.info("patch.installed %s", ", ".join(spec.name for spec in PATCHES))
        _layers.append(handle)
        _active = adapter
    return handle


def install(credentials: object = None, **options: Any) -> Installation:
    """Serve v1.1 favorites requests of every requests session from v2 Likes.

    ``credentials``: a :class:`~compat.Credentials`, a list of them or ``{name: Credentials}``
    (several accounts: each request is served as the account whose consumer key and token
    sign it), default: what :func:`compat.configure` set, else the environment. The other
    keywords are :class:`compat.Favorites`' options (``api_base``, ``audit_log``, ``backend``,
    ``lookup``, ``retry``, ``timeout``, ``memo_path``…), plus ``any_signer``: serve requests
    signed by unregistered accounts, or unsigned, as the first account (for emulators only;
    without it an unsigned request gets v1.1's 400/215). A wrong
    option raises :class:`~compat.errors.ConfigurationError` here and installs nothing.

    Usage::

        handle = compat.install()            # for the process; compat.uninstall() undoes it
        with compat.install(creds) as handle:  # for a block
            tweepy.API(auth).create_favorite(20)
    """
    settings = _settings.resolve(_with_credentials(credentials, options), door="install")
    settings.serving_accounts("install")
    with _lock:  # re-entrant: _push takes it too
        return _push(_adapter_for(settings))


def refuse(reason: str) -> Installation:
    """Refuse every v1.1 favorites request of every requests session (``requests``'
    ``ConnectionError`` saying ``reason``) instead of serving it; undone like an
    :func:`install` layer.

    Usage::

        handle = compat.patch.refuse("no credentials in this process")
    """
    return _push(RefusingAdapter(reason))


def uninstall() -> bool:
    """Remove every layer and the global patch; ``False`` if nothing was installed."""
    global _active
    with _lock:
        if not _layers:
            return False
        _layers.clear()
        _active = None
        _stop_rerouting()
        _remove_patches()
        log.info("patch.uninstalled")
        return True


def emulate_v2(base_url: str, credentials: Credentials) -> None:
    """While the shim is installed, send the program's own v2 requests for the real hosts
    (``https://api.twitter.com/2/…``, ``api.x.com/2/…``, e.g. ``tweepy.Client``) to the
    emulator at ``base_url`` instead, signed as ``credentials`` (the emulator's default
    account). For ``compat run --emulator`` only, where nothing real is at stake; undone with
    the last layer.

    Usage::

        compat.patch.emulate_v2(emu.base_url, emu.credentials)
    """
    global _v2_reroute
    with _lock:
        if _v2_reroute is not None:
            _v2_reroute.close()
        _v2_reroute = _V2Reroute(base_url, credentials)


def _stop_rerouting() -> None:
    global _v2_reroute
    if _v2_reroute is not None:
        _v2_reroute.close()
        _v2_reroute = None


def installed() -> bool:
    """Whether the global patch is in force (some :func:`install` layer is active)."""
    return _active is not None


@contextlib.contextmanager
def patched(credentials: object = None, **options: Any) -> Iterator[Installation]:
    """:func:`install` for the duration of a ``with`` block (nests inside an outer install).

    Usage::

        with compat.patched(creds, api_base="http://127.0.0.1:8080"):
            legacy_bot.run()
    """
    handle = install(credentials, **options)
    try:
        yield handle
    finally:
        handle.uninstall()


def mount(session: requests.Session, credentials: object = None, **options: Any) -> LegacyAdapter:
    """Put a :class:`~compat.adapter.LegacyAdapter` on one session only (no global patch);
    the arguments are :func:`install`'s, checked the same way.

    Usage::

        api = tweepy.API(auth)
        compat.mount(api.session, creds)     # only this API object is served by v2
    """
    if not isinstance(session, requests.Session):
        raise ConfigurationError(
            f"mount(): session must be a requests.Session, got {type(session).__name__}"
        )
    settings = _settings.resolve(_with_credentials(credentials, options), door="mount")
    adapter = LegacyAdapter(settings=settings, fallback=session_fallback(session))
    for prefix in MOUNT_PREFIXES:
        session.mount(prefix, adapter)
    return adapter


def _with_credentials(credentials: object, options: dict[str, Any]) -> dict[str, Any]:
    return options if credentials is None else {**options, "credentials": credentials}
