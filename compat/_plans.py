"""The X API plans as data: which endpoints each plan has, their documented limits, and prices.

The values live in ``compat/_data/plans.json``; each one names the copied documentation page
and line it comes from (``tests/realdata/x-docs-2026/``), and a test checks every value
against that line's literal text. The client, the emulator and the audit read limits and
prices only from here; a response's own rate-limit headers always win over the table
(:meth:`Plan.limit_for`).

Two rules shape the table (its ``_about`` says more, with sources):

* a later changelog entry wins over a table: likes left every self-serve tier on 2026-04-20
  (Basic and Pro included), ``POST`` likes left Free on 2025-08-22. Such an endpoint is
  ``available`` False with no ``limits``; the row the table still prints is kept in
  ``listed_limits``;
* like and unlike each count in their own 24-hour window (``Limit.shared`` is None): the docs
  give each endpoint its own limits, and in 2025 gave the two different daily caps.

Usage::

    >>> from compat._plans import get_plan
    >>> payg = get_plan("pay-per-use")
    >>> payg.terms("like").available, payg.terms("liked_tweets").price.usd
    (False, 0.005)
    >>> payg.price("liked_tweets").owned_usd, payg.user_limit_15min("liked_tweets")
    (0.001, 75)
    >>> get_plan("enterprise").stand_in
    True
    >>> day = get_plan("enterprise").day_window("like")
    >>> day.requests, day.per, day.shared
    (1000, 'user', None)
"""

from __future__ import annotations

import dataclasses
import functools
import json
import pathlib
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, Literal, cast

from compat._v2 import ROUTES, WINDOW_15MIN, WINDOW_24H
from compat.errors import ConfigurationError
from compat.ratelimit import RateLimit

__all__ = [
    "DEFAULT_PLAN",
    "PLAN_NAMES",
    "Limit",
    "Plan",
    "Price",
    "Terms",
    "get_plan",
    "parse_table",
    "plans",
    "source_date",
]

DEFAULT_PLAN = "enterprise"
PLAN_NAMES = ("enterprise", "pay-per-use", "legacy-pro", "legacy-basic", "legacy-free")
_DATA = pathlib.Path(__file__).with_name("_data") / "plans.json"


@dataclasses.dataclass(frozen=True)
class Limit:
    """At most ``requests`` in any ``window_s`` seconds, counted ``per`` user or app.
    ``shared``: the name of a window several endpoints count in together, else None (no docs
    page names one: like and unlike each have their own 24-hour window, see the table's
    ``_about``). ``source``: ``"file.mdx:LINE"``. ``note``: why, where the value needs a word
    (e.g. that a 24-hour window is not shared)."""

    requests: int
    window_s: int
    per: Literal["user", "app"]
    source: str
    shared: str | None = None
    note: str = ""


@dataclasses.dataclass(frozen=True)
class Price:
    """What a call costs: ``usd`` per ``unit`` (``"resource"`` for reads, priced per
    ``resource`` kind returned, ``"post"`` or ``"user"``; ``"request"`` for writes);
    ``owned_usd``: the Owned Reads price when the user read is the app owner's own;
    ``usd`` None: custom (Enterprise), not published. ``source``: ``"file.mdx:LINE"``.
    ``category_source``: the cost estimator's line that puts the endpoint in that price's
    category; ``owned_endpoint_source``: the line listing the endpoint as an Owned Read."""

    usd: float | None
    unit: Literal["resource", "request"]
    source: str
    resource: Literal["post", "user"] | None = None
    owned_usd: float | None = None
    owned_source: str | None = None
    category_source: str | None = None
    owned_endpoint_source: str | None = None
    note: str = ""


@dataclasses.dataclass(frozen=True)
class Terms:
    """One endpoint (a :data:`compat._v2.ROUTES` name) on one plan. ``price`` None: no per-call
    price (a subscription plan, see :attr:`Plan.monthly_usd`). ``listed_limits``: the limits a
    table still prints for an endpoint a later changelog entry removed (``limits`` is then
    empty); ``since``: the date ``available`` took its value, from ``since_source``."""

    endpoint: str
    available: bool
    limits: tuple[Limit, ...]
    price: Price | None
    source: str  # where ``available`` comes from
    note: str = ""
    listed_limits: tuple[Limit, ...] = ()
    since: str | None = None
    since_source: str | None = None


@dataclasses.dataclass(frozen=True)
class Plan:
    """One plan: ``as_of`` the date its values were documented; ``self_serve``: bought in the
    developer console; ``stand_in``: values are compat's stand-ins (custom plans publish
    none); ``monthly_post_cap``: post reads per billing cycle (None: none documented);
    ``monthly_usd``: the flat monthly price of a subscription plan (None: none)."""

    name: str
    label: str
    as_of: str
    self_serve: bool
    stand_in: bool
    endpoints: Mapping[str, Terms]
    monthly_post_cap: int | None = None
    monthly_post_cap_source: str | None = None
    note: str = ""
    monthly_usd: float | None = None
    monthly_usd_source: str | None = None

    def terms(self, endpoint: str) -> Terms:
        """The terms of ``endpoint``; an endpoint the plan does not list is unavailable."""
        found = self.endpoints.get(endpoint)
        if found is None:
            return Terms(endpoint, False, (), None, f"not listed for plan {self.name}")
        return found

    def limits(self, endpoint: str, per: str = "user") -> tuple[Limit, ...]:
        return tuple(limit for limit in self.terms(endpoint).limits if limit.per == per)

    def available(self, endpoint: str) -> bool:
        return self.terms(endpoint).available

    def price(self, endpoint: str) -> Price | None:
        """The list price of ``endpoint`` (also of an unavailable one, for messages)."""
        return self.terms(endpoint).price

    def window(self, endpoint: str, window_s: int, per: str = "user") -> Limit | None:
        """The limit of ``endpoint`` over ``window_s`` seconds counted ``per`` user or app."""
        for limit in self.limits(endpoint, per):
            if limit.window_s == window_s:
                return limit
        return None

    def day_window(self, endpoint: str, per: str = "user") -> Limit | None:
        """The 24-hour limit of ``endpoint``, if the plan documents one."""
        return self.window(endpoint, WINDOW_24H, per)

    def user_limit_15min(self, endpoint: str) -> int | None:
        """Requests per user per 15 minutes (None: unavailable, or no such window)."""
        found = self.window(endpoint, WINDOW_15MIN, "user")
        return None if found is None else found.requests

    def app_limit_15min(self, endpoint: str) -> int | None:
        """Requests per app (bearer token) per 15 minutes (None: no such window)."""
        found = self.window(endpoint, WINDOW_15MIN, "app")
        return None if found is None else found.requests

    def shared_windows(self) -> Mapping[str, frozenset[str]]:
        """Window name -> the endpoints that count in it together (empty: none shared)."""
        shared: dict[str, set[str]] = {}
        for terms in self.endpoints.values():
            for limit in terms.limits:
                if limit.shared is not None:
                    shared.setdefault(limit.shared, set()).add(terms.endpoint)
        return MappingProxyType({name: frozenset(found) for name, found in shared.items()})

    def limit_for(
        self,
        endpoint: str,
        observed: RateLimit | None = None,
        *,
        day: bool = False,
        per: str = "user",
    ) -> int | None:
        """The limit to plan by: what the last answer's headers said when they said it
        (``x-user-limit-24hour-limit`` for ``day``, else ``x-rate-limit-limit``), because X's
        word for this app and user beats the documented figure; else the table's 24-hour
        limit for ``day``, or the endpoint's window that ``x-rate-limit-*`` describes (its
        15-minute one, else its shortest)."""
        if observed is not None:
            header = observed.day_limit if day else observed.limit
            if header is not None:
                return header
        if day:
            found = self.day_window(endpoint, per)
        else:
            windows = sorted(self.limits(endpoint, per), key=lambda limit: limit.window_s)
            found = self.window(endpoint, WINDOW_15MIN, per) or next(iter(windows), None)
        return None if found is None else found.requests


_PERS = ("user", "app")
_UNITS = ("resource", "request")
_RESOURCES = (None, "post", "user")


def _check(value: Any, allowed: Sequence[Any], where: str) -> Any:
    if value not in allowed:
        raise ValueError(f"{_DATA.name}: {where} must be one of {allowed!r}, got {value!r}")
    return value


def _limit(raw: Mapping[str, Any], where: str) -> Limit:
    return Limit(
        int(raw["requests"]),
        int(raw["window_s"]),
        cast(Literal["user", "app"], _check(raw["per"], _PERS, f"{where}.per")),
        raw["source"],
        raw.get("shared"),
        raw.get("note", ""),
    )


def _price(raw: Mapping[str, Any] | None, where: str) -> Price | None:
    if raw is None:
        return None
    return Price(
        raw.get("usd"),
        cast(Literal["resource", "request"], _check(raw["unit"], _UNITS, f"{where}.unit")),
        raw["source"],
        cast(
            "Literal['post', 'user'] | None",
            _check(raw.get("resource"), _RESOURCES, f"{where}.resource"),
        ),
        raw.get("owned_usd"),
        raw.get("owned_source"),
        raw.get("category_source"),
        raw.get("owned_endpoint_source"),
        raw.get("note", ""),
    )


def _terms(endpoint: str, raw: Mapping[str, Any], where: str) -> Terms:
    _check(endpoint, tuple(ROUTES), where)
    return Terms(
        endpoint,
        bool(raw["available"]),
        tuple(
            _limit(limit, f"{where}.limits[{i}]") for i, limit in enumerate(raw.get("limits", ()))
        ),
        _price(raw.get("price"), f"{where}.price"),
        raw["source"],
        raw.get("note", ""),
        tuple(
            _limit(limit, f"{where}.listed_limits[{i}]")
            for i, limit in enumerate(raw.get("listed_limits", ()))
        ),
        raw.get("since"),
        raw.get("since_source"),
    )


def _plan(name: str, raw: Mapping[str, Any]) -> Plan:
    endpoints = {
        endpoint: _terms(endpoint, terms, f"plans.{name}.endpoints.{endpoint}")
        for endpoint, terms in raw["endpoints"].items()
    }
    return Plan(
        name,
        raw["label"],
        raw["as_of"],
        bool(raw["self_serve"]),
        bool(raw["stand_in"]),
        MappingProxyType(endpoints),
        raw.get("monthly_post_cap"),
        raw.get("monthly_post_cap_source"),
        raw.get("note", ""),
        raw.get("monthly_usd"),
        raw.get("monthly_usd_source"),
    )


def parse_table(raw: Mapping[str, Any]) -> Mapping[str, Plan]:
    """The plans of a table in the data file's shape (``{"plans": {name: {...}}}``); a value of
    the wrong kind (an unknown endpoint, ``per`` or ``unit``) raises ValueError naming it."""
    return MappingProxyType({name: _plan(name, body) for name, body in raw["plans"].items()})


@functools.cache
def _raw() -> Mapping[str, Any]:
    return cast(Mapping[str, Any], json.loads(_DATA.read_text(encoding="utf-8")))


@functools.cache
def plans() -> Mapping[str, Plan]:
    """Every plan, by name (read once from the package's data file)."""
    return parse_table(_raw())


def get_plan(name: str) -> Plan:
    """The plan called ``name``, or ConfigurationError listing the known ones."""
    found = plans().get(name) if isinstance(name, str) else None
    if found is None:
        raise ConfigurationError(f"plan must be one of {', '.join(PLAN_NAMES)}, got {name!r}")
    return found


def source_date(source: str) -> str:
    """The date (``YYYY-MM-DD``) of the docs a ``"file:LINE"`` source cites, so every value
    has its date; KeyError for a file the table does not list."""
    return str(_raw()["files"][source.rsplit(":", 1)[0]]["date"])
