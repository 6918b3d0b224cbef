"""v1.1 favorites, served from v2 Likes: the drop-in functions and the class behind them.

Usage::

    >>> import compat
    >>> from compat.emulator import Emulator
    >>> with Emulator() as emu, compat.configure(credentials=emu.credentials,
    ...                                          api_base=emu.base_url):
    ...     status = compat.favorites_create(1626194750222094336)
    ...     status["favorited"], status["user"]["screen_name"]
    (True, 'ruchowdh')

Request cost (the minimum, see the README): ``create``/``destroy`` = one tweet lookup + the
like/unlike (``lookup=False``: the write alone, minimal status back); ``list`` = one v2 page
per 100 likes, remembered between calls by the page memo; no users/me under OAuth 1.0a.
"""

from __future__ import annotations

import builtins
import contextlib
import dataclasses
import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from compat import reshape, schemas
from compat.audit.runtime import AuditLog
from compat.client import LikesBackend, LikesClient, V2Call, recording
from compat.credentials import Credentials
from compat.errors import CompatError, ConfigurationError, InvalidParameter, NotFound
from compat.gateway import GatewayClient, backend_from_env
from compat.pagination import Cursor, PageMemo
from compat.params import count as check_count
from compat.params import optional_snowflake, snowflake
from compat.params import screen_name as check_screen_name
from compat.params import tweet_mode as check_tweet_mode
from compat.ratelimit import RateLimit
from compat.warnings import caller_location

__all__ = [
    "Favorites",
    "Outcome",
    "configure",
    "default_favorites",
    "favorites_create",
    "favorites_destroy",
    "favorites_list",
]

log = logging.getLogger("compat.favorites")

#: Legacy v1.1 parameters compat accepts and ignores, each with the reason it is logged with.
IGNORED_PARAMETERS: Mapping[str, str] = {
    "include_card_uri": "v2 has no cards",
    "include_ext_edit_control": "v2 always sends edit_history_tweet_ids",
    "include_my_retweet": "v2 cannot say whether you retweeted a post",
    "include_ext_media_color": "v2 has no media colours",
    "include_ext_media_availability": "v2 has no media availability",
    "include_rts": "favorites were never filtered by retweet",
    "skip_status": "favorites always return statuses",
    "cards_platform": "v2 has no cards",
    "callback": "JSONP was never supported for v2 and is ignored",
    "stringify_ids": "ids are always sent as both id and id_str",
}
_COMMON = frozenset({"include_entities", "tweet_mode", "trim_user", "include_ext_alt_text"})
_TRUE = frozenset({"true", "t", "1", "yes"})
_FALSE = frozenset({"false", "f", "0", "no", ""})


Status = dict[str, Any]
StatusList = list[Status]  # spelled out here: inside Favorites, `list` is the method


@dataclasses.dataclass
class Outcome:
    """What one legacy call produced: the v1.1 value and what it cost.

    ``calls`` are the v2 requests made, ``rate_limit`` the last headers seen, ``missing`` the
    v1.1 fields sent as null/default because v2 could not supply them.
    """

    value: Any
    calls: list[V2Call]
    rate_limit: RateLimit
    missing: set[str]


def _flag(value: object, name: str) -> bool:
    """v1.1 booleans: bools, and the strings ``true/t/1`` and ``false/f/0`` as query strings."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise InvalidParameter(name, f"must be true or false, got {value!r}")


@dataclasses.dataclass(frozen=True)
class _Options:
    tweet_mode: str = "compat"
    include_entities: bool = True
    trim_user: bool = False
    include_ext_alt_text: bool = True

    @classmethod
    def parse(
        cls, include_entities: object, legacy: Mapping[str, object], allowed: frozenset[str]
    ) -> _Options:
        for name in legacy:
            if name in allowed or name in _COMMON:
                continue
            if name in IGNORED_PARAMETERS:
                log.info(
                    "legacy.ignored %s: %s",
                    name,
                    IGNORED_PARAMETERS[name],
                    extra={"parameter": name},
                )
                continue
            raise InvalidParameter(name, "is not a parameter v1.1 favorites accepted")
        return cls(
            tweet_mode=check_tweet_mode(legacy.get("tweet_mode")),
            include_entities=_flag(include_entities, "include_entities"),
            trim_user=_flag(legacy.get("trim_user", False), "trim_user"),
            include_ext_alt_text=_flag(
                legacy.get("include_ext_alt_text", True), "include_ext_alt_text"
            ),
        )

    def reshape_kwargs(self) -> dict[str, Any]:
        return {
            "tweet_mode": self.tweet_mode,
            "include_entities": self.include_entities,
            "trim_user": self.trim_user,
            "include_ext_alt_text": self.include_ext_alt_text,
        }


class Favorites:
    """The three v1.1 favorites calls for one account, served by a v2 :class:`LikesBackend`.

    ``credentials``: a :class:`~compat.Credentials` (default: ``Credentials.from_env()``);
    ``api_base`` and other keyword arguments go to :class:`~compat.client.LikesClient`;
    ``backend``: ``"x"`` (the v2 client, default), ``"gateway"`` (:mod:`compat.gateway`,
    configured from the environment; other keywords override it) or any
    :class:`~compat.client.LikesBackend`; ``$COMPAT_BACKEND`` picks when not given (with the
    gateway, ``credentials``/``api_base`` are not used: its API key decides the account);
    ``lookup``: look the post up before a like/unlike (default ``True``, see :meth:`create`);
    ``memo``: the :class:`~compat.pagination.PageMemo` (default: in memory, or persisted to
    ``memo_path``); ``filter_pages``: how many v2 pages a ``since_id``/``max_id`` the memo does
    not recognise may scan (default 10); ``audit_log``: a path for the runtime audit, one JSON
    line per :meth:`create`/:meth:`destroy`/:meth:`list` call (the drop-in functions read
    ``$COMPAT_AUDIT_LOG``; the monkeypatch adapter writes its own lines).
    """

    def __init__(
        self,
        credentials: Credentials | None = None,
        *,
        api_base: str | None = None,
        backend: LikesBackend | str | None = None,
        lookup: bool = True,
        memo: PageMemo | None = None,
        memo_path: str | os.PathLike[str] | None = None,
        filter_pages: int = 10,
        audit_log: str | os.PathLike[str] | None = None,
        **client_options: Any,
    ) -> None:
        chosen: LikesBackend
        if backend is None or isinstance(backend, str):
            if backend_from_env(backend) == "gateway":
                chosen = GatewayClient.from_env(**client_options)
            else:
                chosen = LikesClient(
                    credentials if credentials is not None else Credentials.from_env(),
                    api_base=api_base,
                    **client_options,
                )
        elif client_options or api_base is not None or credentials is not None:
            raise ConfigurationError("pass either backend= or credentials/api_base, not both")
        else:
            chosen = backend
        if filter_pages < 1:
            raise ConfigurationError("filter_pages must be at least 1")
        self.backend = chosen
        self.lookup = lookup
        self.memo = memo if memo is not None else PageMemo(path=memo_path)
        self.filter_pages = filter_pages
        self.audit_log = AuditLog(audit_log) if audit_log is not None else None
        self._usernames: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"Favorites(backend={self.backend!r})"

    # -- public, legacy signatures ----------------------------------------------------------

    def create(self, id: object, include_entities: object = True, **legacy: Any) -> dict[str, Any]:
        """``POST favorites/create``: like ``id``; the v1.1 status back with favorited true.

        Two requests (lookup, then like), or one with ``lookup=False``. A post that does not
        exist answers :class:`~compat.errors.NotFound` (v1.1 404/144) and nothing is written.
        v2 likes are idempotent: liking a liked post succeeds (v1.1 said 403/139).
        """
        outcome = self._audited(
            "favorites/create",
            {"id": id, "include_entities": include_entities, **legacy},
            lambda: self.serve_create(id, include_entities, **legacy),
        )
        return dict(outcome.value)

    def destroy(self, id: object, include_entities: object = True, **legacy: Any) -> dict[str, Any]:
        """``POST favorites/destroy``: unlike ``id``; the v1.1 status back, favorited false."""
        outcome = self._audited(
            "favorites/destroy",
            {"id": id, "include_entities": include_entities, **legacy},
            lambda: self.serve_destroy(id, include_entities, **legacy),
        )
        return dict(outcome.value)

    def list(
        self,
        user_id: object = None,
        screen_name: object = None,
        count: object = 20,
        since_id: object = None,
        max_id: object = None,
        include_entities: object = True,
        **legacy: Any,
    ) -> StatusList:
        """``GET favorites/list``: up to ``count`` (1–200) liked posts, newest like first."""
        given = {
            "user_id": user_id,
            "screen_name": screen_name,
            "count": count,
            "since_id": since_id,
            "max_id": max_id,
            "include_entities": include_entities,
            **legacy,
        }
        outcome = self._audited(
            "favorites/list",
            given,
            lambda: self.serve_list(
                user_id, screen_name, count, since_id, max_id, include_entities, **legacy
            ),
        )
        return builtins.list(outcome.value)

    # -- the same, with what each call cost (used by the adapter and the runtime audit) -----

    def serve_create(self, id: object, include_entities: object = True, **legacy: Any) -> Outcome:
        return self._write("create", id, include_entities, legacy)

    def serve_destroy(self, id: object, include_entities: object = True, **legacy: Any) -> Outcome:
        return self._write("destroy", id, include_entities, legacy)

    def serve_list(
        self,
        user_id: object = None,
        screen_name: object = None,
        count: object = 20,
        since_id: object = None,
        max_id: object = None,
        include_entities: object = True,
        **legacy: Any,
    ) -> Outcome:
        uid = optional_snowflake(user_id, "user_id")
        name = None if screen_name is None else check_screen_name(screen_name)
        wanted = check_count(count)
        since = optional_snowflake(since_id, "since_id")
        before = optional_snowflake(max_id, "max_id")
        options = _Options.parse(include_entities, legacy, frozenset())
        with recording() as calls:
            value, rate_limit, missing = self._list(uid, name, wanted, since, before, options)
        return Outcome(value, calls, rate_limit, missing)

    # -- implementation ---------------------------------------------------------------------

    def _audited(
        self, endpoint: str, given: Mapping[str, object], serve: Callable[[], Outcome]
    ) -> Outcome:
        """Run ``serve``; with an audit log, append its line (also when the call fails)."""
        if self.audit_log is None:
            return serve()
        caller = caller_location(sys._getframe(2))  # the user's frame, past compat's
        params = {k: str(v) for k, v in given.items() if v is not None}
        credentials = getattr(self.backend, "credentials", None)
        account = credentials.token_user_id() if credentials is not None else None
        started = time.perf_counter()
        outcome: Outcome | None = None
        error: CompatError | None = None
        with recording() as calls:
            try:
                outcome = serve()
                return outcome
            except CompatError as exc:
                error = exc
                raise
            finally:
                self.audit_log.record(
                    endpoint=endpoint,
                    params=params,
                    caller=caller,
                    outcome=outcome,
                    error=error,
                    latency_ms=(time.perf_counter() - started) * 1000,
                    account=account,
                    calls=calls,
                )

    def _write(
        self, action: str, id: object, include_entities: object, legacy: Mapping[str, Any]
    ) -> Outcome:
        tweet_id = snowflake(id, "id")
        # A backend that cannot look posts up (a gateway without a read source) answers a
        # minimal status, whatever was asked.
        lookup = _flag(legacy.get("lookup", self.lookup), "lookup") and self.backend.can_lookup
        options = _Options.parse(include_entities, legacy, frozenset({"lookup", "id"}))
        missing: set[str] = set()
        liked = action == "create"
        tweet: dict[str, Any]
        with recording() as calls:
            if lookup:
                found = self.backend.lookup_tweets([tweet_id], reshape.V2_QUERY)
                page = found.payload
                data = page.get("data") or []
                if isinstance(data, dict):  # GET /2/tweets/:id shape
                    data = [data]
                match = next((t for t in data if t.get("id") == tweet_id), None)
                if match is None:
                    raise NotFound(
                        f"No status found with that ID: {tweet_id} "
                        "(the post does not exist or is not visible to you)",
                        status=404,
                        v2_body=page,
                        rate_limit=found.rate_limit,
                    )
                tweet, includes = match, reshape.index_includes(page.get("includes"))
            else:
                tweet, includes = {"id": tweet_id, "text": ""}, reshape.index_includes(None)
            written = (self.backend.like if liked else self.backend.unlike)(tweet_id)
        status = reshape.tweet_to_v1(
            tweet, includes, favorited=liked, missing=missing, **options.reshape_kwargs()
        )
        if lookup and "favorite_count" not in missing:
            # v2's write answers only {"liked": …}; the count is the looked-up one moved by
            # this call (it over-counts when the post was already liked: v2 cannot tell).
            count = int(status.get("favorite_count") or 0)
            status["favorite_count"] = count + 1 if liked else max(0, count - 1)
        if not lookup:
            missing.add("text")  # minimal status: only what the id itself says
        schemas.validate("v1.1/tweet", status)
        return Outcome(status, calls, written.rate_limit, missing)

    def _resolve_target(self, user_id: str | None, name: str | None) -> str:
        if user_id is not None:
            return user_id
        if name is not None:
            key = name.lower()
            if key not in self._usernames:
                found = self.backend.user_by_username(name)
                data = found.payload.get("data")
                if not isinstance(data, dict):
                    raise NotFound(
                        f"User not found: {name}",
                        status=404,
                        v2_body=found.payload,
                        rate_limit=found.rate_limit,
                        v1=(404, {"errors": [{"code": 50, "message": "User not found."}]}),
                    )
                self._usernames[key] = snowflake(data.get("id"), "user id")
            return self._usernames[key]
        return self.backend.authenticated_user_id()

    def _list(
        self,
        user_id: str | None,
        name: str | None,
        wanted: int,
        since: str | None,
        before: str | None,
        options: _Options,
    ) -> tuple[StatusList, RateLimit, set[str]]:
        owner = self.backend.authenticated_user_id()
        target = self._resolve_target(user_id, name)
        cursor = self.memo.pop(owner, target, before) if before is not None else None
        # A recognised max_id continues the walk in like order; any other since_id/max_id
        # filters by id over at most `filter_pages` pages.
        low = int(since) if since is not None else 0
        high = int(before) if before is not None and cursor is None else None
        bounded = since is not None or high is not None
        if cursor is None:
            cursor = Cursor(owner=owner, target=target)
        rate_limit = RateLimit()
        picked: builtins.list[tuple[Status, int]] = []
        fetched = 0
        while len(picked) < wanted:
            while cursor.buffer and len(picked) < wanted:
                tweet, number = cursor.buffer.popleft()
                tid = int(tweet["id"])
                if tid > low and (high is None or tid <= high):
                    picked.append((tweet, number))
            if len(picked) >= wanted or cursor.exhausted:
                break
            if bounded and fetched >= self.filter_pages:
                log.info(
                    "list.filter_bound reached after %s pages",
                    fetched,
                    extra={"pages": fetched, "target": target},
                )
                break
            page = self.backend.liked_tweets(
                target,
                max_results=100,
                pagination_token=cursor.next_token,
                query=reshape.V2_QUERY,
            )
            fetched += 1
            rate_limit = page.rate_limit
            cursor.add_page(page.payload)
        pages = {number: reshape.index_includes(cursor.pages.get(number)) for _t, number in picked}
        favorited = True if target == owner else None
        missing: set[str] = set()
        statuses = [
            reshape.tweet_to_v1(
                tweet,
                pages[number],
                favorited=favorited,
                missing=missing,
                **options.reshape_kwargs(),
            )
            for tweet, number in picked
        ]
        for status in statuses:
            schemas.validate("v1.1/tweet", status)
        if picked:
            ids = [int(t["id"]) for t, _n in picked]
            # tweepy's Cursor sends min(ids) - 1 next; Twython's cursor the last id - 1.
            self.memo.store(cursor, keys={str(min(ids) - 1), str(ids[-1] - 1)})
        return statuses, rate_limit, missing


# -- module-level configuration and the drop-in functions ------------------------------------

_config_lock = threading.Lock()
_config: dict[str, Any] = {}
_default: Favorites | None = None


def default_favorites() -> Favorites:
    """The :class:`Favorites` the drop-in functions use, built on first use from
    :func:`configure`'s settings, else from ``Credentials.from_env()``."""
    global _default
    with _config_lock:
        if _default is None:
            settings = dict(_config)
            if "audit_log" not in settings and os.environ.get("COMPAT_AUDIT_LOG"):
                settings["audit_log"] = os.environ["COMPAT_AUDIT_LOG"]
            _default = Favorites(**settings)
        return _default


class _Configured(contextlib.AbstractContextManager[None]):
    """Returned by :func:`configure`: already applied; ``with`` restores the previous settings."""

    def __init__(self, restore: Callable[[], None]) -> None:
        self._restore = restore

    def __exit__(self, *exc_info: object) -> None:
        self._restore()


def configure(
    *,
    credentials: Credentials | None = None,
    api_base: str | None = None,
    backend: LikesBackend | str | None = None,
    validation: str | None = None,
    **options: Any,
) -> contextlib.AbstractContextManager[None]:
    """Set what the drop-in functions use; returns a context manager that undoes it.

    ``validation`` is ``"strict"`` (default), ``"warn"`` or ``"off"``; every other keyword
    goes to :class:`Favorites` (``lookup``, ``memo_path``, ``timeout``, ``retry``…).

    Usage::

        compat.configure(credentials=compat.Credentials(...))          # for the process
        with compat.configure(api_base="http://127.0.0.1:8080"):      # for a block
            compat.favorites_list(count=200)
    """
    global _config, _default
    settings = dict(options)
    if credentials is not None:
        settings["credentials"] = credentials
    if api_base is not None:
        settings["api_base"] = api_base
    if backend is not None:
        settings["backend"] = backend
    new_default = Favorites(**settings) if ("credentials" in settings or backend) else None
    previous_mode = schemas.get_mode()
    if validation is not None:
        schemas.set_mode(validation)
    with _config_lock:
        previous, previous_default = _config, _default
        _config, _default = settings, new_default

    def restore() -> None:
        global _config, _default
        with _config_lock:
            _config, _default = previous, previous_default
        schemas.set_mode(previous_mode)

    return _Configured(restore)


def favorites_create(id: object, include_entities: object = True, **legacy: Any) -> dict[str, Any]:
    """v1.1 ``POST favorites/create.json``, served by v2: see :meth:`Favorites.create`."""
    return default_favorites().create(id, include_entities, **legacy)


def favorites_destroy(id: object, include_entities: object = True, **legacy: Any) -> dict[str, Any]:
    """v1.1 ``POST favorites/destroy.json``, served by v2: see :meth:`Favorites.destroy`."""
    return default_favorites().destroy(id, include_entities, **legacy)


def favorites_list(
    user_id: object = None,
    screen_name: object = None,
    count: object = 20,
    since_id: object = None,
    max_id: object = None,
    include_entities: object = True,
    **legacy: Any,
) -> list[dict[str, Any]]:
    """v1.1 ``GET favorites/list.json``, served by v2: see :meth:`Favorites.list`."""
    return default_favorites().list(
        user_id, screen_name, count, since_id, max_id, include_entities, **legacy
    )
