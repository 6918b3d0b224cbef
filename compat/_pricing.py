"""What each served call costs under a plan, priced from the plans table (:mod:`compat._plans`).

The rules are X's (``x-api_getting-started_pricing.mdx``: "Read operations", "Write
operations", "Owned Reads", "Deduplication"; ``x-api_fundamentals_post-cap.mdx``: "Only
successful responses that return data are billed"; ``sliders.js``: which endpoint is which
price category, and ``ENTERPRISE_ONLY_SLUGS``):

* **Reads** (``GET``) that succeed (2xx) are charged per resource the answer returned, posts
  and users alike, ``data`` and the expansions in ``includes``
  (:attr:`compat.transport.V2Call.resources`). The resources of the endpoint's own kind cost
  the endpoint's price; the others cost their kind's read price, which the table gives on
  ``GET /2/tweets`` for a post ("Posts: Read") and ``GET /2/users/me`` for a user
  ("User: Read").
* **Deduplication**: a resource already charged on the same UTC day is free. Each
  :class:`Pricer` keeps one :class:`DayLedger` (today's resources only, thread-safe); two
  processes do not share one, so each bills a post it has not billed itself that day, and
  only ``compat audit --runtime``, which re-deduplicates every log line per UTC day, gives
  the totals of several processes.
* **Owned Reads**: ``liked_tweets`` of the authenticated user (the ``owner`` given to
  :meth:`Pricer.price`) costs the Owned Reads price per post; see :data:`UNKNOWNS` for what
  compat assumes there.
* **Writes** (``POST``, ``DELETE``) that succeed cost the plan's price per request. Where the
  plan does not offer the endpoint but Enterprise does (likes on every self-serve plan since
  2026-04-20), the write is unpriced: ``"like: Enterprise-only, custom price"``; Enterprise
  prices are custom and never published, so on ``enterprise`` everything is unpriced (the
  counts are still kept).
* A failed request (no answer, or not 2xx) and a read that returned no resource cost nothing.

Money is counted in integer micro-dollars, so totals never drift; ``usd`` shows them in dollars.

Usage::

    >>> import datetime
    >>> from compat._plans import get_plan
    >>> from compat.transport import V2Call
    >>> noon = datetime.datetime(2026, 9, 1, 12, tzinfo=datetime.timezone.utc)
    >>> pricer = Pricer(get_plan("pay-per-use"), clock=lambda: noon)
    >>> page = V2Call("GET", "/2/users/9/liked_tweets", 200, 1.0, "liked_tweets",
    ...               (("post", "1"), ("post", "2"), ("user", "7")))
    >>> cost = pricer.price([page], owner="8")
    >>> cost.usd, cost.posts_read, cost.users_read
    (0.02, 2, 1)
    >>> pricer.price([page], owner="8").usd  # the same posts and user, the same UTC day
    0.0
    >>> like = V2Call("POST", "/2/users/8/likes", 200, 1.0, "like")
    >>> pricer.price([like], owner="8").unpriced
    ('like: Enterprise-only, custom price',)
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import hashlib
import logging
import re
import threading
from array import array
from bisect import bisect_left
from collections.abc import Callable, Hashable, Iterable, Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from types import MappingProxyType

from compat._plans import Plan, Terms, plans
from compat._v2 import ROUTES
from compat.transport import V2Call

log = logging.getLogger("compat.pricing")

__all__ = [
    "ENTERPRISE_ONLY",
    "MAX_DAY_KEYS",
    "MICROS",
    "UNKNOWNS",
    "CallCost",
    "DayLedger",
    "Pricer",
    "RequestCost",
    "WriteCost",
    "charge",
    "enterprise_only",
    "format_usd",
    "micros",
    "owned_read",
]

#: Micro-dollars per dollar: every amount is an integer number of them.
MICROS = 1_000_000
#: The unpriced text of a write a self-serve plan does not offer and Enterprise does.
ENTERPRISE_ONLY = "Enterprise-only, custom price"
_CUSTOM = "custom price, not published"

#: What X's pages leave open and what compat assumes (the one place; a bill or a recording
#: can replace each).
UNKNOWNS = MappingProxyType(
    {
        "owned_reads": (
            "Owned Reads also require the authenticated user to own the developer app; compat "
            "cannot see who owns the app and assumes the user does "
            "(Pricer(plan, owned_reads=False) prices those reads at the list price)"
        ),
        "owned_expansions": (
            "whether the authors expanded in an Owned Read are Owned Reads too: compat prices "
            "them as User: Read, the higher price"
        ),
        "post_cap": (
            "whether the monthly post cap counts deduplicated posts and Owned Reads: compat "
            "counts every billed post, owned or not, once per UTC day"
        ),
        "writes": (
            "whether a write that changes nothing (an unlike of a post not liked) is billed: "
            "compat bills every successful write"
        ),
    }
)

# The endpoint whose price is the read price of an expanded resource of each kind.
_KIND_PRICE_ENDPOINT = MappingProxyType({"post": "tweets", "user": "users_me"})


@functools.cache  # a handful of prices, met once per resource priced
def micros(usd: float) -> int:
    """Dollars as integer micro-dollars, exactly as the table writes them.

    >>> micros(0.005), micros(0.015)
    (5000, 15000)
    """
    exact = Decimal(str(usd)) * MICROS
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def format_usd(micro_usd: int) -> str:
    """Micro-dollars for people: ``$0.035``; at least three decimals, more only when needed.

    >>> format_usd(35_000), format_usd(1_234_567_000), format_usd(1_500)
    ('$0.035', '$1,234.567', '$0.0015')
    """
    whole, part = divmod(micro_usd, MICROS)
    decimals = f"{part:06d}".rstrip("0").ljust(3, "0")
    return f"${whole:,}.{decimals}"


@dataclasses.dataclass(frozen=True)
class WriteCost:
    """One successful write: ``usd`` its price, None when the plan publishes none."""

    endpoint: str
    usd: float | None


@dataclasses.dataclass(frozen=True)
class RequestCost:
    """What one v2 request costs: ``billed`` when it succeeded with something to bill;
    ``posts_read``/``users_read`` the resources charged (after deduplication),
    ``owned_reads`` how many of them are Owned Reads; ``owned``: the request is an Owned Read;
    ``unpriced``: why part of it has no price (None when all of it has one)."""

    endpoint: str
    billed: bool = False
    micro_usd: int = 0
    posts_read: int = 0
    users_read: int = 0
    owned_reads: int = 0
    owned: bool = False
    write: WriteCost | None = None
    unpriced: str | None = None


@dataclasses.dataclass(frozen=True)
class CallCost:
    """The price of one legacy call under ``plan``.

    ``usd`` (and ``micro_usd``, exact): what has a published price; ``unpriced``: the parts
    without one, e.g. ``"like: Enterprise-only, custom price"``; ``posts_read``/``users_read``:
    the billable posts and users after deduplication (what counts toward the monthly post
    cap), ``owned_reads`` how many of the posts were Owned Reads; ``writes`` the successful
    writes and their prices; ``requests`` one :class:`RequestCost` per v2 request priced, in
    order. Costs add up with ``+``.
    """

    usd: float = 0.0
    posts_read: int = 0
    users_read: int = 0
    unpriced: tuple[str, ...] = ()
    owned_reads: int = 0
    writes: tuple[WriteCost, ...] = ()
    micro_usd: int = 0
    plan: str | None = None
    requests: tuple[RequestCost, ...] = ()

    def __post_init__(self) -> None:
        # Either amount may be given; the exact one is the integer.
        if self.micro_usd == 0 and self.usd:
            object.__setattr__(self, "micro_usd", micros(self.usd))
        object.__setattr__(self, "usd", self.micro_usd / MICROS)

    @classmethod
    def of(cls, plan: str | None, requests: Iterable[RequestCost]) -> CallCost:
        """The cost of a call made of these requests."""
        done = tuple(requests)
        return cls(
            posts_read=sum(r.posts_read for r in done),
            users_read=sum(r.users_read for r in done),
            unpriced=tuple(
                dict.fromkeys(f"{r.endpoint}: {r.unpriced}" for r in done if r.unpriced)
            ),
            owned_reads=sum(r.owned_reads for r in done),
            writes=tuple(r.write for r in done if r.write is not None),
            micro_usd=sum(r.micro_usd for r in done),
            plan=plan,
            requests=done,
        )

    def __add__(self, other: CallCost) -> CallCost:
        if not isinstance(other, CallCost):
            return NotImplemented
        plan = other.plan if self.plan is None else self.plan
        if other.plan is not None and other.plan != plan:
            plan = None  # costs under different plans: no one plan names the sum
        return CallCost(
            posts_read=self.posts_read + other.posts_read,
            users_read=self.users_read + other.users_read,
            unpriced=tuple(dict.fromkeys((*self.unpriced, *other.unpriced))),
            owned_reads=self.owned_reads + other.owned_reads,
            writes=self.writes + other.writes,
            micro_usd=self.micro_usd + other.micro_usd,
            plan=plan,
            requests=self.requests + other.requests,
        )

    def describe(self) -> str:
        """One line for people.

        >>> CallCost(micro_usd=35_000, posts_read=3, users_read=2).describe()
        '$0.035 (3 post reads, 2 user reads)'
        """
        parts = [f"{self.posts_read} post read{'s' if self.posts_read != 1 else ''}"]
        if self.owned_reads:
            parts[0] += f" ({self.owned_reads} owned)"
        parts.append(f"{self.users_read} user read{'s' if self.users_read != 1 else ''}")
        if self.writes:
            parts.append(f"{len(self.writes)} write{'s' if len(self.writes) != 1 else ''}")
        text = f"{format_usd(self.micro_usd)} ({', '.join(parts)})"
        if self.unpriced:
            text += "; unpriced: " + "; ".join(self.unpriced)
        return text


# A day's keys of one kind as 8-byte integers in many small sorted arrays (see DayLedger): a
# million resources take about 8.6 MB, and growing never copies more than one small array.
_BUCKET_BITS = 10
#: Most resources a :class:`DayLedger` remembers a day (about 4.3 MB): half a million post
#: and user reads, $2,500 at $0.005 a post; past it, prices are over-estimates.
MAX_DAY_KEYS = 500_000
_MASK64 = (1 << 64) - 1
_ID_LIMIT = 1 << 63  # X's ids are 63-bit snowflakes; any other key is digested
_DIGESTED = 1 << 63  # set on a digested key, so that it never equals an id
_GOLDEN = 0x9E3779B97F4A7C15  # Fibonacci hashing spreads snowflakes, whose low bits barely vary


def _key64(key: object) -> int:
    """The 8-byte integer a key is kept as: an id itself (exact), else a 63-bit digest."""
    if type(key) is str:
        if key.isdigit() and key.isascii() and len(key) <= 19 and (key[0] != "0" or key == "0"):
            value = int(key)  # "012" is not the id 12: it is digested below
            if value < _ID_LIMIT:
                return value
        data = key.encode("utf-8", "surrogatepass")
    elif type(key) is int and 0 <= key < _ID_LIMIT:
        return key
    else:
        data = repr(key).encode("utf-8", "backslashreplace")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big") | _DIGESTED


class _KeySet:
    """A set of 64-bit integers, ``2 ** _BUCKET_BITS`` sorted ``array("Q")`` buckets."""

    __slots__ = ("buckets", "size")

    def __init__(self) -> None:
        self.buckets: list[array[int] | None] = [None] * (1 << _BUCKET_BITS)
        self.size = 0

    def add(self, value: int) -> bool:
        """Add ``value``; whether it was new."""
        slot = ((value * _GOLDEN) & _MASK64) >> (64 - _BUCKET_BITS)
        bucket = self.buckets[slot]
        if bucket is None:
            self.buckets[slot] = array("Q", (value,))
        else:
            at = bisect_left(bucket, value)
            if at < len(bucket) and bucket[at] == value:
                return False
            bucket.insert(at, value)
        self.size += 1
        return True

    def has(self, value: int) -> bool:
        bucket = self.buckets[((value * _GOLDEN) & _MASK64) >> (64 - _BUCKET_BITS)]
        if bucket is None:
            return False
        at = bisect_left(bucket, value)
        return at < len(bucket) and bucket[at] == value

    def nbytes(self) -> int:
        """The bytes its arrays hold (allocated, not only used)."""
        return sum(b.buffer_info()[1] * b.itemsize for b in self.buckets if b is not None)


class DayLedger:
    """The resources already charged on the current UTC day, so that a repeat is free.

    Thread-safe; it keeps one day only (a new day forgets the previous one). Keys are
    ``(kind, key)`` pairs (any other hashable counts as one of its own kind); each is kept
    as 8 bytes, so a day of a million distinct posts and users takes about 8.6 MB
    (:meth:`nbytes`). A key that is an X id (a decimal string or int below 2**63, as every
    post and user id is) is kept exactly, so X's rule (one charge per resource per UTC day) is
    applied without error; any other key (the audit's digests) as a 63-bit blake2b digest of
    it: two distinct keys of one kind share one with a probability of about n**2 / 2**64
    (1 in 36 million for n = a million in a day), which would leave the second one uncharged.

    Bounded: it remembers at most ``max_keys`` resources a day (:data:`MAX_DAY_KEYS`, about
    4.3 MB; $2,500 of post reads at $0.005). Past that, a resource it remembers is still free,
    and every other one is charged as new without being remembered: the price may then be too
    high (a repeat of an unremembered resource is charged again), never too low. That is
    logged once a day (``pricing.ledger_full``).

    >>> ledger, day = DayLedger(), datetime.date(2026, 9, 1)
    >>> ledger.claim(day, [("post", "1"), ("post", "1"), ("post", "2"), ("user", "1")])
    [True, False, True, True]
    >>> ledger.claim(day + datetime.timedelta(days=1), [("post", "1")])
    [True]
    >>> full = DayLedger(max_keys=1)
    >>> full.claim(day, [("post", "1"), ("post", "2"), ("post", "2"), ("post", "1")])
    [True, True, True, False]
    """

    def __init__(self, max_keys: int = 0) -> None:
        if isinstance(max_keys, bool) or not isinstance(max_keys, int) or max_keys < 0:
            raise ValueError("max_keys must be an int of at least 1 (0: the default)")
        self.max_keys = max_keys or MAX_DAY_KEYS
        self._day: datetime.date | None = None
        self._kinds: dict[object, _KeySet] = {}
        self._size = 0
        self._full_logged = False
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """How many resources it remembers (those of its current day)."""
        with self._lock:
            return sum(keys.size for keys in self._kinds.values())

    def nbytes(self) -> int:
        """The bytes its keys take (the arrays' allocated size; a few KB of buckets besides)."""
        with self._lock:
            return sum(keys.nbytes() for keys in self._kinds.values())

    def claim(self, day: datetime.date, keys: Iterable[Hashable]) -> list[bool]:
        """For each key, whether it is charged now (True) or was already charged on ``day``."""
        with self._lock:
            if day != self._day:
                self._day, self._kinds = day, {}
                self._size, self._full_logged = 0, False
            kinds = self._kinds
            fresh = []
            for key in keys:
                if type(key) is tuple and len(key) == 2 and type(key[0]) is str:
                    kind, value = key
                else:
                    kind, value = None, key
                found = kinds.get(kind)
                if found is None:
                    found = kinds[kind] = _KeySet()
                if self._size < self.max_keys:
                    new = found.add(_key64(value))
                    self._size += new
                else:
                    new = not found.has(_key64(value))
                    if new and not self._full_logged:
                        self._full_logged = True
                        log.warning(
                            "compat remembers %s resources billed today and no more: further "
                            "new posts and users of the day are priced as new even when X "
                            "would not bill them again, so the audit's dollars may be too high "
                            "(never too low) until the next UTC day",
                            self.max_keys,
                            extra={"event": "pricing.ledger_full", "max_keys": self.max_keys},
                        )
                fresh.append(new)
            return fresh


@functools.cache
def _owned_read_endpoints() -> frozenset[str]:
    """The endpoints some plan gives an Owned Reads price (the table says which)."""
    return frozenset(
        endpoint
        for plan in plans().values()
        for endpoint, terms in plan.endpoints.items()
        if terms.price is not None and terms.price.owned_usd is not None
    )


@functools.cache
def _listed_user(endpoint: str) -> re.Pattern[str] | None:
    route = ROUTES.get(endpoint)
    if route is None or "{id}" not in route.path:
        return None
    parts = re.split(r"\{(\w+)\}", route.path)
    pattern = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>[^/]+)" for i, part in enumerate(parts)
    )
    return re.compile(pattern + "$")


def owned_read(endpoint: str, path: str, owner: str | None) -> bool:
    """Whether a request is an Owned Read: an endpoint with an Owned Reads price whose
    ``{id}`` is ``owner`` (the authenticated user).

    >>> owned_read("liked_tweets", "/2/users/12/liked_tweets", "12")
    True
    >>> owned_read("liked_tweets", "/2/users/12/liked_tweets", "13")
    False
    """
    if owner is None or endpoint not in _owned_read_endpoints():
        return False
    pattern = _listed_user(endpoint)
    found = pattern.match(path) if pattern is not None else None
    return found is not None and found.group("id") == str(owner)


def enterprise_only(plan: Plan, endpoint: str) -> bool:
    """Whether ``plan`` (a self-serve one) lacks ``endpoint`` and only a custom plan has it.

    >>> from compat._plans import get_plan
    >>> enterprise_only(get_plan("pay-per-use"), "like")
    True
    """
    return (
        plan.self_serve
        and not plan.terms(endpoint).available
        and any(not p.self_serve and p.terms(endpoint).available for p in plans().values())
    )


def _unpriced(plan: Plan, terms: Terms) -> str | None:
    """Why ``terms`` have no usable price on ``plan``, or None when they have one."""
    if not terms.available:
        if enterprise_only(plan, terms.endpoint):
            return ENTERPRISE_ONLY
        return f"not offered on {plan.name}"
    if terms.price is None:
        if plan.monthly_usd is not None:
            return f"in the {plan.name} subscription, no per-request price"
        return f"no price in the {plan.name} table"
    if terms.price.usd is None:
        return _CUSTOM
    return None


def _kind_price(plan: Plan, kind: str) -> float | None:
    endpoint = _KIND_PRICE_ENDPOINT.get(kind)
    terms = plan.terms(endpoint) if endpoint is not None else None
    if terms is None or not terms.available or terms.price is None:
        return None
    return terms.price.usd


def charge(
    plan: Plan,
    endpoint: str,
    method: str,
    status: int | None,
    resources: Sequence[tuple[str, Hashable]],
    *,
    owned: bool,
    claim: Callable[[Sequence[tuple[str, Hashable]]], Sequence[bool]],
) -> RequestCost:
    """Price one v2 request under ``plan`` (the rules in the module docstring).

    ``resources``: the ``(kind, key)`` of every resource its answer returned (the key may be
    the id or a stable digest of it); ``owned``: it is an Owned Read; ``claim``: marks
    resources as charged and says which were not charged yet (a :meth:`DayLedger.claim`).
    """
    if status is None or not 200 <= status < 300:
        return RequestCost(endpoint)
    terms = plan.terms(endpoint)
    reason = _unpriced(plan, terms)
    if method.upper() != "GET":
        usd = terms.price.usd if reason is None and terms.price is not None else None
        return RequestCost(
            endpoint,
            billed=True,
            micro_usd=micros(usd) if usd is not None else 0,
            write=WriteCost(endpoint, usd),
            unpriced=reason,
        )
    if not resources:
        return RequestCost(endpoint)
    fresh = [r for r, new in zip(resources, claim(resources), strict=True) if new]
    price = terms.price
    route = ROUTES.get(endpoint)
    own_kind = price.resource if price is not None else (route.resource if route else None)
    posts = users = owned_reads = 0
    micro_usd = 0
    for kind, _key in fresh:
        if kind == "post":
            posts += 1
        elif kind == "user":
            users += 1
        unit: float | None
        if kind == own_kind:
            if owned:
                owned_reads += 1
            unit = None if price is None else price.usd
            if owned and price is not None and price.owned_usd is not None:
                unit = price.owned_usd
        else:
            unit = _kind_price(plan, kind)
        if reason is not None:
            continue  # counted, not priced
        if unit is None:
            reason = (
                _CUSTOM if price is not None and price.usd is None else f"no price for a {kind}"
            )
        else:
            micro_usd += micros(unit)
    return RequestCost(
        endpoint,
        billed=bool(fresh),
        micro_usd=micro_usd,
        posts_read=posts,
        users_read=users,
        owned_reads=owned_reads,
        owned=owned,
        unpriced=reason if fresh else None,
    )


def _utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


class Pricer:
    """Prices calls under ``plan``, remembering what was already billed today (UTC).

    ``owned_reads``: price ``liked_tweets`` of the authenticated user as Owned Reads (True: see
    :data:`UNKNOWNS`); ``clock`` (tests): returns the aware datetime whose UTC day the
    deduplication uses. ``ledger``: its :class:`DayLedger`, one per pricer: a service shares
    it between its accounts, since X bills per app; processes do not share it.
    """

    def __init__(
        self,
        plan: Plan,
        *,
        owned_reads: bool = True,
        clock: Callable[[], datetime.datetime] | None = None,
    ) -> None:
        self.plan = plan
        self.owned_reads = owned_reads
        self._clock = clock if clock is not None else _utc_now
        self.ledger = DayLedger()

    def __repr__(self) -> str:
        return f"Pricer({self.plan.name!r}, owned_reads={self.owned_reads})"

    def price(self, calls: Sequence[V2Call], *, owner: str | None) -> CallCost:
        """The cost of one legacy call's v2 requests; ``owner``: the authenticated user's id
        (None when unknown: nothing is then an Owned Read)."""
        day = self._clock().astimezone(datetime.timezone.utc).date()

        def claim(keys: Sequence[tuple[str, Hashable]]) -> list[bool]:
            return self.ledger.claim(day, keys)

        return CallCost.of(
            self.plan.name,
            (
                charge(
                    self.plan,
                    call.endpoint,
                    call.method,
                    call.status,
                    call.resources,
                    owned=self.owned_reads and owned_read(call.endpoint, call.path, owner),
                    claim=claim,
                )
                for call in calls
            ),
        )
