"""The hosted gateway's own state in one emulator, and the gateway's documented tables the
emulator reads (tests/realdata/aisa-docs, each cited): what :mod:`compat.emulator.gateway`
serves from.

The tables are the emulator's own reading of the pages, apart from compat's client
(``compat._gateway_reshape``), which reads the same pages: a test checks that both say the
same (tests/gateway/test_gateway_emulator.py).

Usage::

    >>> from compat.emulator.clock import FakeClock
    >>> from compat.emulator.gateway_state import GatewayState
    >>> state = GatewayState(FakeClock())
    >>> state.count("gw-key")[:3]   # (allowed, limit, remaining): the starter tier
    (True, 600, 599)
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import threading
from collections.abc import Mapping
from types import MappingProxyType

from compat._gateway_reshape import CODES, DEFAULT_SCOPES, ENDPOINT_CAUSES, LIKE_SCOPES
from compat.emulator import unknowns
from compat.emulator.clock import Clock

__all__ = [
    "CODES",
    "DEFAULT_SCOPES",
    "ENDPOINTS",
    "ENDPOINT_CAUSES",
    "FAULT_CODES",
    "LIKE_SCOPES",
    "TIERS",
    "Fault",
    "GatewayState",
    "Pending",
]

#: Requests per minute per key by tier (api-reference_rate-limits.mdx lines 24-29).
TIERS: Mapping[str, int | None] = MappingProxyType(
    {"free": 60, "starter": 600, "growth": 3000, "enterprise": None}
)
# DEFAULT_SCOPES, LIKE_SCOPES, CODES and ENDPOINT_CAUSES: compat._gateway_reshape's tables
# of the gateway's docs, served from the same values the client reads.
#: The gateway routes a fault may name.
ENDPOINTS: tuple[str, ...] = ("gateway_like", "gateway_unlike", "gateway_tweets", "gateway_auth")
_LINK_MINUTES = 10  # "typically 10 minutes" (api-reference_twitter_auth_twitter.mdx line 49)
_WINDOW_S = 60  # requests per *minute* (api-reference_rate-limits.mdx line 14)


def _status_of(code: str) -> int:
    """The status a documented code is listed under (errors.mdx), the upstream ones' and a
    500's as :mod:`compat.emulator.unknowns` chose."""
    if code in unknowns.GATEWAY_UPSTREAM_STATUS:
        return unknowns.GATEWAY_UPSTREAM_STATUS[code]
    if code == unknowns.GATEWAY_INTERNAL_CODE:
        return 500
    for status, codes in CODES.items():
        if code in codes:
            return status
    hyphen = code.replace("_", "-")
    return ENDPOINT_CAUSES.get(hyphen, 400)


#: What :meth:`GatewayState.inject` accepts: every documented code (errors.mdx), the endpoint
#: pages' causes in both spellings, and a 500.
FAULT_CODES: tuple[str, ...] = (
    *(code for codes in CODES.values() for code in codes),
    *ENDPOINT_CAUSES,
    *(name.replace("-", "_") for name in ENDPOINT_CAUSES),
    unknowns.GATEWAY_INTERNAL_CODE,
)


@dataclasses.dataclass(frozen=True)
class Fault:
    """One queued gateway fault: the next ``remaining`` requests to ``endpoint`` answer
    ``code`` with ``status`` (a 429 with ``Retry-After: retry_after``)."""

    endpoint: str
    code: str
    status: int
    remaining: int
    retry_after: int | None


@dataclasses.dataclass(frozen=True)
class Pending:
    """A link started by ``auth_twitter`` and not finished yet (its ``state`` is the key)."""

    key: str
    user_id: str
    scopes: frozenset[str]
    expires: float


class GatewayState:
    """The gateway's own state in one emulator: per-key tiers, request counts and quota, the
    accounts linked to keys, pending links, faults on demand, and which spellings it uses.

    ``header_spelling``: ``"requests"`` (``X-RateLimit-Limit-Requests`` …) or ``"short"``
    (``X-RateLimit-Limit`` …); ``cause_spelling``: ``"snake"`` (``resource_not_found``) or
    ``"hyphen"`` (``resource-not-found``) for the endpoint pages' causes; see
    :mod:`compat.emulator.unknowns` for why those defaults.
    """

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self.header_spelling = unknowns.GATEWAY_HEADER_SPELLING
        self.cause_spelling = unknowns.GATEWAY_CAUSE_SPELLING
        self.default_tier = unknowns.GATEWAY_DEFAULT_TIER
        self._tiers: dict[str, str] = {}
        self._links: dict[str, frozenset[str] | None] = {}
        self._pending: dict[str, Pending] = {}
        self._windows: dict[str, tuple[float, int]] = {}
        self._faults: list[Fault] = []
        self._no_quota: set[str] = set()
        self._lifted = False
        self._ids = itertools.count(1)

    def __repr__(self) -> str:
        return f"GatewayState(default_tier={self.default_tier!r}, faults={len(self._faults)})"

    # -- control, for tests ------------------------------------------------------------------
    def set_tier(self, key: str, tier: str) -> None:
        """Serve ``key`` with the requests per minute of ``tier`` (rate-limits.mdx 24-29)."""
        if tier not in TIERS:
            raise ValueError(f"tier must be one of {list(TIERS)}")
        with self._lock:
            self._tiers[key] = tier
            self._windows.pop(key, None)

    def tier_of(self, key: str) -> str:
        with self._lock:
            return self._tiers.get(key, self.default_tier)

    def lift(self) -> None:
        """No per-key limit from now on (until :meth:`reset`)."""
        with self._lock:
            self._lifted = True

    def exhaust_quota(self, key: str) -> None:
        """Every request with ``key`` answers 429 ``quota_exceeded`` (errors.mdx line 77)."""
        with self._lock:
            self._no_quota.add(key)

    def inject(
        self,
        endpoint: str,
        code: str,
        times: int = 1,
        *,
        status: int | None = None,
        retry_after: int | None = None,
    ) -> None:
        """The next ``times`` requests to ``endpoint`` (``gateway_like``, ``gateway_unlike``,
        ``gateway_tweets``, ``gateway_auth`` or ``"*"``) answer the documented ``code`` in the
        envelope, with the status it is listed under unless ``status`` is given; a 429 gets
        ``Retry-After: retry_after`` (default 60) and a spent window."""
        if endpoint not in (*ENDPOINTS, "*"):
            raise ValueError(f"unknown gateway endpoint {endpoint!r}; one of {ENDPOINTS}")
        if code not in FAULT_CODES:
            raise ValueError(f"unknown gateway code {code!r}; one of {list(FAULT_CODES)}")
        if isinstance(times, bool) or not isinstance(times, int) or times < 1:
            raise ValueError("times must be an integer >= 1")
        chosen = status if status is not None else _status_of(code)
        with self._lock:
            self._faults.append(Fault(endpoint, code, chosen, times, retry_after))

    def link(self, key: str, scopes: frozenset[str] | None) -> None:
        """Link (``scopes``) or unlink (None) the account of ``key``."""
        with self._lock:
            self._links[key] = scopes

    def reset(self) -> None:
        with self._lock:
            self._tiers.clear()
            self._links.clear()
            self._pending.clear()
            self._windows.clear()
            self._faults.clear()
            self._no_quota.clear()
            self._lifted = False
            self.header_spelling = unknowns.GATEWAY_HEADER_SPELLING
            self.cause_spelling = unknowns.GATEWAY_CAUSE_SPELLING
            self.default_tier = unknowns.GATEWAY_DEFAULT_TIER

    # -- what the handlers use ---------------------------------------------------------------
    def scopes(self, key: str, variant: str) -> frozenset[str] | None:
        """The scopes of the session linked to ``key`` (None: no account linked)."""
        with self._lock:
            if key in self._links:
                return self._links[key]
        if variant == "new":
            return None
        default = frozenset(DEFAULT_SCOPES)
        return default if variant == "rw" else default - {"like.write"}

    def take_fault(self, endpoint: str) -> Fault | None:
        with self._lock:
            for i, fault in enumerate(self._faults):
                if fault.endpoint in (endpoint, "*"):
                    if fault.remaining <= 1:
                        del self._faults[i]
                    else:
                        self._faults[i] = dataclasses.replace(fault, remaining=fault.remaining - 1)
                    return fault
        return None

    def quota_spent(self, key: str) -> bool:
        with self._lock:
            return key in self._no_quota

    def count(self, key: str) -> tuple[bool, int, int, int]:
        """Count one request of ``key``: (allowed, limit, remaining, reset epoch)."""
        now = self._clock.time()
        with self._lock:
            tier = self._tiers.get(key, self.default_tier)
            limit = TIERS[tier] or unknowns.GATEWAY_ENTERPRISE_RPM
            start, used = self._windows.get(key, (now, 0))
            if now >= start + _WINDOW_S:
                start, used = now, 0
            reset = int(start + _WINDOW_S)
            if self._lifted:
                return True, limit, limit, reset
            if used >= limit:
                self._windows[key] = (start, used)
                return False, limit, 0, reset
            self._windows[key] = (start, used + 1)
            return True, limit, limit - used - 1, reset

    def request_id(self) -> str:
        """A request id in the example's form (errors.mdx line 18: ``req_01JABCD9F1YYEXAMPLE``)."""
        return f"req_01EMU{next(self._ids):016d}"

    def code(self, code: str) -> str:
        """``code`` in the spelling this gateway sends (see ``cause_spelling``)."""
        if self.cause_spelling == "hyphen" and code.replace("_", "-") in (ENDPOINT_CAUSES):
            return code.replace("_", "-")
        return code

    def start_link(self, key: str, user_id: str, scopes: frozenset[str]) -> tuple[str, float]:
        now = self._clock.time()
        state = hashlib.sha256(f"{key}:{now}:{next(self._ids)}".encode()).hexdigest()[:32]
        expires = now + _LINK_MINUTES * 60
        with self._lock:
            self._pending[state] = Pending(key, user_id, scopes, expires)
        return state, expires

    def pending(self, state: str, *, finish: bool) -> Pending | None:
        with self._lock:
            found = self._pending.get(state)
            if found is None or found.expires < self._clock.time():
                return None
            if finish:
                del self._pending[state]
                self._links[found.key] = found.scopes
            return found
