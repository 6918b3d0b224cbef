"""v1.1 favorites, served from v2 Likes: the drop-in functions and the class behind them.

Usage::

    >>> import compat
    >>> from compat.emulator import Emulator
    >>> with Emulator() as emu, compat.configure(credentials=emu.credentials,
    ...                                          api_base=emu.base_url):
    ...     status = compat.favorites_create(1626194750222094336)
    ...     status["favorited"], status["user"]["screen_name"]
    (True, 'ruchowdh')

Every call goes through the one serving path, :meth:`compat._service.Service.call`, as the
monkeypatch adapter's do; the settings are built by :func:`compat._settings.resolve`, as every
other way in builds them.
"""

from __future__ import annotations

import builtins
import contextlib
import sys
import threading
from typing import Any

from compat import _settings
from compat._likes import Outcome
from compat._service import Service
from compat._v1types import TweetMode, V1Tweet, V1User
from compat.errors import ConfigurationError
from compat.params import IGNORED_PARAMETERS
from compat.warnings import caller_location

__all__ = [
    "IGNORED_PARAMETERS",
    "Favorites",
    "Outcome",
    "configure",
    "default_favorites",
    "favorites_create",
    "favorites_destroy",
    "favorites_list",
    "lookup_statuses",
    "lookup_users",
    "rate_limit_status",
    "search_tweets",
    "show_status",
    "show_user",
    "user_timeline",
    "verify_credentials",
]

#: The options :class:`Favorites` and :func:`configure` accept (``any_signer`` is the
#: adapter's alone).
_OPTIONS = tuple(name for name in _settings.OPTIONS if name != "any_signer")


class Favorites:
    """The three v1.1 favorites calls for one account, and the read calls around them.

    ``credentials``: a :class:`~compat.Credentials` (default: what :func:`configure` set, else
    the environment); every other keyword is an option of :func:`compat._settings.resolve`:
    ``api_base``, ``backend`` (``"x"``, ``"gateway"`` or a :class:`~compat.LikesBackend`),
    ``timeout``, ``proxies``, ``verify``, ``cert``, ``retry``, ``session``, ``validation``,
    ``lookup`` (``"auto"``, the default: a post seen in the last 15 minutes comes from the post
    cache, any other is looked up before the like/unlike; ``True``: always look up; ``False``:
    never, a minimal status), ``memo`` /
    ``memo_path`` (the page memo, default in memory), ``filter_pages`` (how many v2 pages a
    ``since_id``/``max_id`` the memo does not recognise may scan, default 10), ``audit_log``
    (one JSON line per call) and the ``gateway_*`` options. A wrong option raises
    :class:`~compat.errors.ConfigurationError` here, before any request.
    """

    def __init__(self, credentials: object = None, **options: Any) -> None:
        given = dict(options)
        if credentials is not None:
            given["credentials"] = credentials
        settings = _settings.resolve(given, door="Favorites", allowed=_OPTIONS)
        accounts = settings.serving_accounts("Favorites")
        if len(accounts) > 1:
            raise ConfigurationError(
                "Favorites(): serves one account; got "
                f"{len(accounts)} (use compat.install() for several)"
            )
        self.service = Service(settings)
        self._account = accounts[0] if settings.backend == "x" else None

    def __repr__(self) -> str:
        return f"Favorites(backend={self.backend!r})"

    @property
    def settings(self) -> _settings.Settings:
        return self.service.settings

    @property
    def backend(self) -> Any:
        """The :class:`~compat.LikesBackend` serving the calls."""
        return self.service.engine(self._account).backend

    @property
    def memo(self) -> Any:
        return self.service.memo

    def _call(self, endpoint: str, params: dict[str, object]) -> Any:
        caller = caller_location(sys._getframe(2)) if self.service.audit is not None else None
        return self.service.call(endpoint, params, caller=caller, account=self._account).value

    # -- legacy signatures ----------------------------------------------------------------------

    def create(self, id: object, include_entities: object = True, **legacy: Any) -> V1Tweet:
        """``POST favorites/create``: like ``id``; the v1.1 status back with favorited true.

        Two requests (lookup, then like); one when the post is in the post cache (a page or
        lookup of the last 15 minutes had it) or with ``lookup=False``. A post that does not
        exist answers :class:`~compat.errors.NotFound` (v1.1 404/144) and nothing is written.
        v2 likes are idempotent: liking a liked post succeeds (v1.1 said 403/139).
        """
        value: V1Tweet = self._call(
            "favorites/create", {"id": id, "include_entities": include_entities, **legacy}
        )
        return value

    def destroy(self, id: object, include_entities: object = True, **legacy: Any) -> V1Tweet:
        """``POST favorites/destroy``: unlike ``id``; the v1.1 status back, favorited false."""
        value: V1Tweet = self._call(
            "favorites/destroy", {"id": id, "include_entities": include_entities, **legacy}
        )
        return value

    def list(
        self,
        user_id: object = None,
        screen_name: object = None,
        count: object = 20,
        since_id: object = None,
        max_id: object = None,
        include_entities: object = True,
        tweet_mode: TweetMode | None = None,
        **legacy: Any,
    ) -> list[V1Tweet]:
        """``GET favorites/list``: up to ``count`` (1–200) liked posts, newest like first."""
        if tweet_mode is not None:
            legacy["tweet_mode"] = tweet_mode
        value: list[V1Tweet] = self._call(
            "favorites/list",
            {
                "user_id": user_id,
                "screen_name": screen_name,
                "count": count,
                "since_id": since_id,
                "max_id": max_id,
                "include_entities": include_entities,
                **legacy,
            },
        )
        return value

    # -- the v1.1 calls around favorites (served from v2 too: docs/companions.md) -------------

    def verify_credentials(self, **legacy: Any) -> V1User:
        """``GET account/verify_credentials``: the authenticated user (``include_entities``,
        ``skip_status``, ``include_email``), from v2 ``users/me``."""
        value: V1User = self._call("account/verify_credentials", legacy)
        return value

    def show_user(
        self, user_id: object = None, screen_name: object = None, **legacy: Any
    ) -> V1User:
        """``GET users/show``: one user by ``user_id`` or ``screen_name``."""
        value: V1User = self._call(
            "users/show", {"user_id": user_id, "screen_name": screen_name, **legacy}
        )
        return value

    def lookup_users(
        self, user_id: object = None, screen_name: object = None, **legacy: Any
    ) -> builtins.list[V1User]:
        """``GET/POST users/lookup``: up to 100 users by ids and/or screen names."""
        value: builtins.list[V1User] = self._call(
            "users/lookup", {"user_id": user_id, "screen_name": screen_name, **legacy}
        )
        return value

    def show_status(self, id: object, **legacy: Any) -> V1Tweet:
        """``GET statuses/show``: one status by id."""
        value: V1Tweet = self._call("statuses/show", {"id": id, **legacy})
        return value

    def lookup_statuses(self, id: object, **legacy: Any) -> Any:
        """``GET/POST statuses/lookup``: up to 100 statuses by id, in the order asked
        (``map=True``: ``{"id": {id: status or None}}``)."""
        return self._call("statuses/lookup", {"id": id, **legacy})

    def user_timeline(self, **legacy: Any) -> builtins.list[V1Tweet]:
        """``GET statuses/user_timeline`` (``user_id``/``screen_name``, ``count``,
        ``since_id``, ``max_id``, ``exclude_replies``, ``include_rts``, ``trim_user``)."""
        value: builtins.list[V1Tweet] = self._call("statuses/user_timeline", legacy)
        return value

    def search_tweets(self, q: object, **legacy: Any) -> dict[str, Any]:
        """``GET search/tweets``: ``{"statuses": [...], "search_metadata": {...}}`` from v2
        recent search."""
        value: dict[str, Any] = self._call("search/tweets", {"q": q, **legacy})
        return value

    def rate_limit_status(self, **legacy: Any) -> dict[str, Any]:
        """``GET application/rate_limit_status``: the plan's limits and the headers seen (no
        v2 request)."""
        value: dict[str, Any] = self._call("application/rate_limit_status", legacy)
        return value


# -- module-level configuration and the drop-in functions ------------------------------------

_default_lock = threading.Lock()
_default: Favorites | None = None


def default_favorites() -> Favorites:
    """The :class:`Favorites` the drop-in functions use, built on first use from what
    :func:`configure` set, else from the environment."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Favorites()
        return _default


def _swap(overlay: dict[str, Any], default: Favorites | None) -> tuple[dict[str, Any], Any]:
    global _default
    with _default_lock:
        previous = _settings.swap_overlay(overlay), _default
        _default = default
    return previous


class _Configured(contextlib.AbstractContextManager[None]):
    """Returned by :func:`configure`: already applied; ``with`` restores what was there."""

    def __init__(self, overlay: dict[str, Any], default: Favorites | None) -> None:
        self._previous = (overlay, default)

    def __exit__(self, *exc_info: object) -> None:
        _swap(*self._previous)


def configure(*, replace: bool = False, **options: Any) -> contextlib.AbstractContextManager[None]:
    """Layer settings on what is configured; returns a context manager that restores it.

    The options are :class:`Favorites`' (``credentials``, ``api_base``, ``backend``,
    ``validation`` (``"strict"``, ``"warn"``, ``"off"``), ``lookup``, ``memo_path``,
    ``timeout``, ``retry``, ``audit_log``…). They apply to the drop-in functions and are the
    base every other way in (:func:`compat.install`, :class:`Favorites`) layers its own
    keywords on. ``replace=True`` starts from the environment alone instead of layering.
    A wrong option raises :class:`~compat.errors.ConfigurationError` and changes nothing.

    Usage::

        compat.configure(credentials=compat.Credentials(...))          # for the process
        with compat.configure(api_base="http://127.0.0.1:8080", validation="warn"):
            compat.favorites_list(count=200)                           # for a block
    """
    checked = _settings.check_options(options, door="configure", allowed=_OPTIONS)
    overlay = checked if replace else {**_settings.configured_overlay(), **checked}
    _settings.resolve({}, door="configure", allowed=_OPTIONS, overlay=overlay)
    return _Configured(*_swap(overlay, None))


def favorites_create(id: object, include_entities: object = True, **legacy: Any) -> V1Tweet:
    """v1.1 ``POST favorites/create.json``, served by v2: see :meth:`Favorites.create`."""
    return default_favorites().create(id, include_entities, **legacy)


def favorites_destroy(id: object, include_entities: object = True, **legacy: Any) -> V1Tweet:
    """v1.1 ``POST favorites/destroy.json``, served by v2: see :meth:`Favorites.destroy`."""
    return default_favorites().destroy(id, include_entities, **legacy)


def favorites_list(
    user_id: object = None,
    screen_name: object = None,
    count: object = 20,
    since_id: object = None,
    max_id: object = None,
    include_entities: object = True,
    tweet_mode: TweetMode | None = None,
    **legacy: Any,
) -> list[V1Tweet]:
    """v1.1 ``GET favorites/list.json``, served by v2: see :meth:`Favorites.list`."""
    return default_favorites().list(
        user_id, screen_name, count, since_id, max_id, include_entities, tweet_mode, **legacy
    )


def verify_credentials(**legacy: Any) -> V1User:
    """v1.1 ``account/verify_credentials.json``: see :meth:`Favorites.verify_credentials`."""
    return default_favorites().verify_credentials(**legacy)


def show_user(user_id: object = None, screen_name: object = None, **legacy: Any) -> V1User:
    """v1.1 ``users/show.json``: see :meth:`Favorites.show_user`."""
    return default_favorites().show_user(user_id, screen_name, **legacy)


def lookup_users(user_id: object = None, screen_name: object = None, **legacy: Any) -> list[V1User]:
    """v1.1 ``users/lookup.json``: see :meth:`Favorites.lookup_users`."""
    return default_favorites().lookup_users(user_id, screen_name, **legacy)


def show_status(id: object, **legacy: Any) -> V1Tweet:
    """v1.1 ``statuses/show.json``: see :meth:`Favorites.show_status`."""
    return default_favorites().show_status(id, **legacy)


def lookup_statuses(id: object, **legacy: Any) -> Any:
    """v1.1 ``statuses/lookup.json``: see :meth:`Favorites.lookup_statuses`."""
    return default_favorites().lookup_statuses(id, **legacy)


def user_timeline(**legacy: Any) -> list[V1Tweet]:
    """v1.1 ``statuses/user_timeline.json``: see :meth:`Favorites.user_timeline`."""
    return default_favorites().user_timeline(**legacy)


def search_tweets(q: object, **legacy: Any) -> dict[str, Any]:
    """v1.1 ``search/tweets.json``: see :meth:`Favorites.search_tweets`."""
    return default_favorites().search_tweets(q, **legacy)


def rate_limit_status(**legacy: Any) -> dict[str, Any]:
    """v1.1 ``application/rate_limit_status.json``: see :meth:`Favorites.rate_limit_status`."""
    return default_favorites().rate_limit_status(**legacy)
