"""The one serving path: a :class:`Service` answers every legacy call of every way in.

The drop-in functions (:mod:`compat.favorites`) and the monkeypatch adapter
(:mod:`compat.adapter`) both end in :meth:`Service.call`, which checks the call's parameters,
serves it with the account's :class:`~compat._likes.LikesEngine` under the settings'
validation mode, and writes its runtime audit line once (also when the call fails).

A service is built from one :class:`~compat._settings.Settings` value: it makes the backend
each account needs (X API v2 :class:`~compat.client.LikesClient`, the
:class:`~compat.gateway.GatewayClient`, or the backend object given) once, and shares one page
memo between its accounts (walks are keyed by account).

Usage::

    >>> from compat._service import Service
    >>> from compat._settings import resolve
    >>> from compat.emulator import Emulator
    >>> with Emulator() as emu:
    ...     service = Service(resolve({"credentials": emu.credentials,
    ...                                "api_base": emu.base_url}, door="Service"))
    ...     outcome = service.call("favorites/create", {"id": "1626194750222094336"})
    ...     outcome.value["favorited"], [c.endpoint for c in outcome.calls]
    (True, ['tweets', 'like'])
"""

from __future__ import annotations

import logging
import os
import threading
import time
import weakref
from collections.abc import Mapping

from compat import schemas
from compat._auditlog import AuditLog
from compat._companions import COMPANION_ENDPOINTS, companions_for
from compat._likes import LikesEngine, Outcome
from compat._oauth2 import with_stored_tokens
from compat._plans import get_plan
from compat._postcache import PostCache
from compat._pricing import Pricer
from compat._settings import Settings
from compat.client import LikesBackend, LikesClient
from compat.credentials import Credentials
from compat.errors import CompatError
from compat.gateway import GatewayClient
from compat.pagination import Cursor, PageMemo
from compat.params import LEGACY_ENDPOINTS
from compat.transport import V2Call, call_bounds, recording

__all__ = ["Outcome", "Service"]

log = logging.getLogger("compat.service")


_services: weakref.WeakSet[Service] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    # a lock another thread of the parent held at fork() would never be released here
    for service in list(_services):
        service._lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _posts_of_v2(cursor: Cursor) -> bool:
    """Whether a walk read back from a memo file holds only what a v2 answer could have held
    (its posts and includes pass the v2 schemas, whatever the validation mode)."""
    posts, includes = schemas.get_validator("v2/tweet"), schemas.get_validator("v2/includes")
    try:
        return all(posts.is_valid(t) for t, _n in cursor.buffer) and all(
            includes.is_valid(i) for i in cursor.pages.values()
        )
    except RecursionError:
        return False


class Service:
    """Serves legacy calls under one :class:`~compat._settings.Settings`; see the module doc."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.memo = (
            settings.memo
            if settings.memo is not None
            else PageMemo(path=settings.memo_path, check=_posts_of_v2)
        )
        self.audit = AuditLog(settings.audit_log) if settings.audit_log is not None else None
        self.pricer = Pricer(get_plan(settings.plan))
        self._engines: dict[Credentials | None, LikesEngine] = {}
        self._lock = threading.Lock()
        _services.add(self)

    def __repr__(self) -> str:
        return f"Service({self.settings!r})"

    # -- backends ----------------------------------------------------------------------------

    def _backend(self, account: Credentials | None) -> LikesBackend:
        settings = self.settings
        if not isinstance(settings.backend, str):
            return settings.backend
        if settings.backend == "gateway":
            return GatewayClient.from_settings(settings)
        assert account is not None  # engine() picks the default account
        return LikesClient(
            with_stored_tokens(account, settings.token_file),
            api_base=settings.api_base,
            token_refreshed=settings.token_refreshed,
            token_file=settings.token_file,
            # one post cache per account: its pages and lookups spare a later like's lookup
            post_cache=PostCache(
                settings.post_cache_size, settings.post_cache_ttl, clock=settings.clock
            ),
            **settings.transport_options,
        )

    def engine(self, account: Credentials | None = None) -> LikesEngine:
        """The (cached) engine serving ``account`` (default: the first account).

        Behind a gateway or a backend object the account selects nothing: one engine serves
        them all.
        """
        key: Credentials | None = None
        if self.settings.backend == "x":
            key = account if account is not None else self.settings.serving_accounts("Service")[0]
        found = self._engines.get(key)
        if found is None:
            with self._lock:
                found = self._engines.get(key)
                if found is None:
                    backend = self._backend(key)
                    cache = getattr(backend, "post_cache", None)
                    found = LikesEngine(
                        backend,
                        lookup=self.settings.lookup,
                        post_cache=cache if isinstance(cache, PostCache) else None,
                        memo=self.memo,
                        filter_pages=self.settings.filter_pages,
                        max_pages=self.settings.max_pages_per_call,
                    )
                    self._engines[key] = found
        return found

    # -- the serving path ----------------------------------------------------------------------

    def call(
        self,
        endpoint: str,
        params: Mapping[str, object],
        *,
        caller: str | None = None,
        account: Credentials | None = None,
    ) -> Outcome:
        """Serve one legacy call; write its audit line (when auditing) whatever happens.

        ``endpoint``: a key of :data:`~compat.params.LEGACY_ENDPOINTS` (the three favorites
        calls, and the companions of :mod:`compat._companions`);
        ``params``: the legacy parameters as given; ``caller``: the user's ``file:line``;
        ``account``: whose call it is (default: the first account). Every request of the call
        shares the settings' ``call_deadline`` and ``max_response_bytes``.
        """
        if endpoint not in LEGACY_ENDPOINTS:
            raise ValueError(f"not a served legacy endpoint: {endpoint!r}")
        # One deadline for every request of the call, and the answer size bound.
        with call_bounds(
            deadline=self.settings.call_deadline,
            max_response_bytes=self.settings.max_response_bytes,
        ):
            return self._call(endpoint, params, caller, account)

    def _call(
        self,
        endpoint: str,
        params: Mapping[str, object],
        caller: str | None,
        account: Credentials | None,
    ) -> Outcome:
        if self.audit is None:
            with schemas.using(self.settings.validation):
                return self._priced(self.engine(account), endpoint, params)
        started = time.perf_counter()
        outcome: Outcome | None = None
        error: CompatError | None = None
        engine: LikesEngine | None = None
        with recording() as calls:
            try:
                engine = self.engine(account)
                with schemas.using(self.settings.validation):
                    outcome = self._priced(engine, endpoint, params)
                return outcome
            except CompatError as exc:
                error = exc
                raise
            finally:
                self._record(
                    endpoint, params, caller, outcome, error, started, account, engine, calls
                )

    def _priced(self, engine: LikesEngine, endpoint: str, params: Mapping[str, object]) -> Outcome:
        companions = companions_for(engine)
        if endpoint in COMPANION_ENDPOINTS:
            outcome = companions.serve(endpoint, params, get_plan(self.settings.plan))
        else:
            outcome = engine.serve(endpoint, params)
            # rate_limit_status reports the latest headers of every v2 endpoint it maps
            companions.observe_outcome(outcome)
        owner = getattr(getattr(engine.backend, "credentials", None), "token_user_id", None)
        outcome.cost = self.pricer.price(outcome.calls, owner=owner() if owner else None)
        return outcome

    def refused(
        self,
        endpoint: str,
        params: Mapping[str, object],
        *,
        caller: str | None,
        error: CompatError,
        account: Credentials | None = None,
        started: float | None = None,
    ) -> None:
        """Write the audit line of a legacy call refused before it could be served (a
        request the adapter could not authenticate, a wrong method, a repeated parameter)."""
        if self.audit is not None:
            begun = started if started is not None else time.perf_counter()
            self._record(endpoint, params, caller, None, error, begun, account, None, [])

    def _record(
        self,
        endpoint: str,
        params: Mapping[str, object],
        caller: str | None,
        outcome: Outcome | None,
        error: CompatError | None,
        started: float,
        account: Credentials | None,
        engine: LikesEngine | None,
        calls: list[V2Call],
    ) -> None:
        assert self.audit is not None
        who: str | None = None
        if account is not None:
            who = account.token_user_id()
        elif engine is not None:
            credentials = getattr(engine.backend, "credentials", None)
            who = credentials.token_user_id() if credentials is not None else None
        # A failed call may still have been billed (a lookup before a refused like): price
        # what it sent, so the ledger and the line know it as for a served call.
        cost = self.pricer.price(calls, owner=who) if outcome is None and calls else None
        self.audit.record(
            endpoint=endpoint,
            params={k: str(v) for k, v in params.items() if v is not None},
            caller=caller,
            outcome=outcome,
            error=error,
            latency_ms=(time.perf_counter() - started) * 1000,
            account=who,
            calls=calls,
            cost=cost,
        )

    def unserved(
        self,
        endpoint: str,
        *,
        caller: str | None,
        error: CompatError | None = None,
        started: float | None = None,
    ) -> None:
        """Write the audit line of a v1.1 call compat does not serve: ``"passed through"`` to
        the real transport, or ``"refused"`` with ``error`` (its v1.1 answer). No parameters
        (an unserved call's may be a post's text or a DM), no v2 requests, no cost."""
        if self.audit is not None:
            begun = started if started is not None else time.perf_counter()
            self.audit.record(
                endpoint=endpoint,
                params={},
                caller=caller,
                outcome=None,
                error=error,
                latency_ms=(time.perf_counter() - begun) * 1000,
                unserved="refused" if error is not None else "passed through",
            )
