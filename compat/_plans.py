"""The X API plans as data: which endpoints each plan has, their documented limits, and prices.

The values live in ``compat/_data/plans.json``; each one names the copied documentation page
and line it comes from (``tests/realdata/x-docs-2026/``), and a test checks every value
against that line's literal text. The client, the emulator and the audit read limits and
prices only from here; a response's own rate-limit headers always win over the table.

Usage::

    >>> from compat._plans import get_plan
    >>> payg = get_plan("pay-per-use")
    >>> payg.terms("like").available, payg.terms("liked_tweets").price.usd
    (False, 0.005)
    >>> get_plan("enterprise").stand_in
    True
"""

from __future__ import annotations

import dataclasses
import functools
import json
import pathlib
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Literal

from compat.errors import ConfigurationError

__all__ = [
    "DEFAULT_PLAN",
    "PLAN_NAMES",
    "Limit",
    "Plan",
    "Price",
    "Terms",
    "get_plan",
    "plans",
]

DEFAULT_PLAN = "enterprise"
PLAN_NAMES = ("enterprise", "pay-per-use", "legacy-pro", "legacy-basic", "legacy-free")
_DATA = pathlib.Path(__file__).with_name("_data") / "plans.json"


@dataclasses.dataclass(frozen=True)
class Limit:
    """At most ``requests`` in any ``window_s`` seconds, counted ``per`` user or app.
    ``shared``: the name of a window several endpoints count in together (e.g. like and
    unlike's 24-hour window), else None. ``source``: ``"file.mdx:LINE"``."""

    requests: int
    window_s: int
    per: Literal["user", "app"]
    source: str
    shared: str | None = None


@dataclasses.dataclass(frozen=True)
class Price:
    """What a call costs: ``usd`` per ``unit`` (``"resource"`` for reads, priced per
    ``resource`` kind returned, ``"post"`` or ``"user"``; ``"request"`` for writes);
    ``owned_usd``: the Owned Reads price when the user read is the app owner's own;
    ``usd`` None: custom (Enterprise), not published. ``source``: ``"file.mdx:LINE"``."""

    usd: float | None
    unit: Literal["resource", "request"]
    source: str
    resource: Literal["post", "user"] | None = None
    owned_usd: float | None = None
    owned_source: str | None = None


@dataclasses.dataclass(frozen=True)
class Terms:
    """One endpoint (a :data:`compat._v2.ROUTES` name) on one plan."""

    endpoint: str
    available: bool
    limits: tuple[Limit, ...]
    price: Price | None
    source: str  # where ``available`` comes from
    note: str = ""


@dataclasses.dataclass(frozen=True)
class Plan:
    """One plan: ``as_of`` the date its values were documented; ``self_serve``: bought in the
    developer console; ``stand_in``: values are compat's stand-ins (custom plans publish
    none); ``monthly_post_cap``: post reads per billing cycle (None: none documented)."""

    name: str
    label: str
    as_of: str
    self_serve: bool
    stand_in: bool
    endpoints: Mapping[str, Terms]
    monthly_post_cap: int | None = None
    monthly_post_cap_source: str | None = None
    note: str = ""

    def terms(self, endpoint: str) -> Terms:
        """The terms of ``endpoint``; an endpoint the plan does not list is unavailable."""
        found = self.endpoints.get(endpoint)
        if found is None:
            return Terms(endpoint, False, (), None, f"not listed for plan {self.name}")
        return found

    def limits(self, endpoint: str, per: str = "user") -> tuple[Limit, ...]:
        return tuple(limit for limit in self.terms(endpoint).limits if limit.per == per)


def _limit(raw: Mapping[str, Any]) -> Limit:
    return Limit(
        int(raw["requests"]), int(raw["window_s"]), raw["per"], raw["source"], raw.get("shared")
    )


def _price(raw: Mapping[str, Any] | None) -> Price | None:
    if raw is None:
        return None
    return Price(
        raw.get("usd"),
        raw["unit"],
        raw["source"],
        raw.get("resource"),
        raw.get("owned_usd"),
        raw.get("owned_source"),
    )


def _plan(name: str, raw: Mapping[str, Any]) -> Plan:
    endpoints = {
        endpoint: Terms(
            endpoint,
            bool(terms["available"]),
            tuple(_limit(limit) for limit in terms.get("limits", ())),
            _price(terms.get("price")),
            terms["source"],
            terms.get("note", ""),
        )
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
    )


@functools.cache
def plans() -> Mapping[str, Plan]:
    """Every plan, by name (read once from the package's data file)."""
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    return MappingProxyType({name: _plan(name, body) for name, body in raw["plans"].items()})


def get_plan(name: str) -> Plan:
    """The plan called ``name``, or ConfigurationError listing the known ones."""
    found = plans().get(name) if isinstance(name, str) else None
    if found is None:
        raise ConfigurationError(f"plan must be one of {', '.join(PLAN_NAMES)}, got {name!r}")
    return found
