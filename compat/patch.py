"""Installing the v1.1 favorites shim: every global patch compat makes, and how it is undone.

compat patches exactly what :data:`PATCHES` lists — today one class attribute,
``requests.Session.get_adapter``, wrapped so that every session (module-level
``requests.post``, ``OAuth1Session``, tweepy 3's per-call sessions, tweepy 4's
``api.session``, python-twitter, Twython) hands v1.1 favorites URLs to one
:class:`~compat.adapter.LegacyAdapter` and everything else to the adapter it had. The wrapper
takes no lock per request.

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
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import requests
from requests.adapters import BaseAdapter

from compat import _settings
from compat.adapter import (
    LEGACY_HOSTS,
    LegacyAdapter,
    RefusingAdapter,
    _disabled,
    disabled,
    is_disabled,
    legacy_route,
    session_fallback,
)
from compat.errors import ConfigurationError

__all__ = [
    "MOUNT_PREFIXES",
    "PATCHES",
    "Installation",
    "PatchSpec",
    "disabled",
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
#: the favorites paths, longer than any broader mount of the user's so that they win, and the
#: bare hosts, so that ``:443``, a trailing-dot host or ``//`` still reach the adapter (which
#: hands what it does not take to the session's other adapters).
MOUNT_PREFIXES: tuple[str, ...] = tuple(
    f"{scheme}://{host}{path}"
    for path in ("/1.1/favorites/", "")
    for scheme in ("https", "http")
    for host in sorted(LEGACY_HOSTS)
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


def _build_get_adapter(original: Callable[[requests.Session, str], BaseAdapter]) -> Any:
    @functools.wraps(original)
    def get_adapter(self: requests.Session, url: str) -> BaseAdapter:
        adapter = original(self, url)
        shim = _active
        if shim is None or isinstance(adapter, LegacyAdapter) or _disabled.get():
            return adapter
        if legacy_route(url) is None:  # cheap for the URLs that are not even candidates
            return adapter
        return shim

    setattr(get_adapter, _MARK, True)
    return get_adapter


#: Every global patch compat makes; :func:`install` applies them, :func:`uninstall` undoes them.
PATCHES: tuple[PatchSpec, ...] = (
    PatchSpec(
        requests.Session,
        "get_adapter",
        _build_get_adapter,
        "route v1.1 favorites URLs of every requests session to the LegacyAdapter",
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
                "patch.covered %s was patched again on top of compat; left in place",
                spec.name,
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
        _remove_patches()
        log.info("patch.uninstalled")
        return True


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
