"""What one legacy call costs once served from v2, under one plan of the plans table.

:func:`estimate` gives, for a v1.1 endpoint, the v2 requests compat makes for one call, the
price of one call under the plan (priced with :func:`compat._pricing.charge`, every resource
taken as new that day: the most one call can cost) and the plan the call needs when this one
does not offer it (a like or unlike: Enterprise or the gateway, since 2026-04-20). The static
audit prices on ``pay-per-use`` unless ``--plan`` says otherwise.

Assumptions, said in each estimate's ``basis``: a create/destroy looks the post up first (1
post and its author returned) unless the lookup is skipped (``lookup=False``, or the post was
in a page of the last 15 minutes: the post cache); a read returns ``count``
resources (the v1.1 default when the code does not pass a literal ``count``), authors of
returned posts not counted (they add the User: Read price each, once per UTC day).

Usage::

    >>> from compat._plans import get_plan
    >>> e = estimate("favorites/create", get_plan("pay-per-use"))
    >>> e.v2_requests, e.usd, e.needs
    (2, '$0.015', 'Enterprise or the gateway (likes left the self-serve plans on 2026-04-20)')
    >>> estimate("favorites/list", get_plan("pay-per-use"), count=200).v2_requests
    2
    >>> estimate("favorites/list", get_plan("pay-per-use"), count=200, owned=True).usd
    '$0.200'
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from compat._plans import Plan
from compat._pricing import charge, enterprise_only, format_usd
from compat._v2 import ROUTES
from compat.audit.companions import V11, served

__all__ = ["CallEstimate", "estimate", "monthly"]

_PAGE = 100  # resources per v2 page
# the reads X bills as Owned Reads when they are the authenticated user's own (pricing.mdx)
_OWNED_READS = frozenset({"liked_tweets", "user_tweets"})
_DAYS_PER_MONTH = 30


@dataclass(frozen=True)
class CallEstimate:
    """One call of ``endpoint`` under ``plan``: ``requests`` ((v2 endpoint, n) in order),
    ``micro_usd`` the priced part, ``unpriced`` why the rest has no price, ``needs`` the plan
    the call needs (None: this one serves it)."""

    endpoint: str
    plan: str
    requests: tuple[tuple[str, int], ...]
    micro_usd: int
    unpriced: tuple[str, ...]
    needs: str | None
    basis: str

    @property
    def v2_requests(self) -> int:
        return sum(n for _, n in self.requests)

    @property
    def usd(self) -> str:
        if self.unpriced and not self.micro_usd:
            return "unpriced"
        text = format_usd(self.micro_usd)
        return text + " + unpriced" if self.unpriced else text

    @property
    def text(self) -> str:
        """One line: ``2 v2 requests (tweets, like), $0.015 + unpriced per call on …``."""
        names = ", ".join(f"{e}×{n}" if n > 1 else e for e, n in self.requests)
        out = f"{self.v2_requests} v2 request{'s' if self.v2_requests != 1 else ''}"
        out += f" ({names})" if names else ""
        out += f", {self.usd} per call on {self.plan}"
        if self.unpriced:
            out += f" ({'; '.join(self.unpriced)})"
        if self.needs:
            out += f"; needs {self.needs}"
        return out

    def to_dict(self) -> dict[str, object]:
        return {
            "plan": self.plan,
            "v2_requests": self.v2_requests,
            "requests": {e: n for e, n in self.requests},
            "usd_per_call": round(self.micro_usd / 1_000_000, 6),
            "micro_usd_per_call": self.micro_usd,
            "unpriced": list(self.unpriced),
            "needs": self.needs,
            "basis": self.basis,
        }


def _needs(plan: Plan, endpoint: str) -> str | None:
    terms = plan.terms(endpoint)
    if terms.available or endpoint not in plan.endpoints:
        return None
    if endpoint in {"like", "unlike"} or enterprise_only(plan, endpoint):
        since = terms.since
        when = f" (likes left the self-serve plans on {since})" if since else ""
        return "Enterprise or the gateway" + when
    return f"a plan that offers {endpoint}"


def estimate(
    endpoint: str,
    plan: Plan,
    *,
    count: int | None = None,
    skip_lookup: bool = False,
    owned: bool = False,
) -> CallEstimate | None:
    """One call of the v1.1 ``endpoint`` served by compat under ``plan``; None for an endpoint
    compat does not serve (the finding then quotes the v2 price line instead). ``owned``: the
    call reads the authenticated user's own likes or posts (no other user named), which X
    bills as Owned Reads."""
    known = V11.get(endpoint)
    if known is None or not served(endpoint):
        return None
    unpriced: list[str] = []
    needs: str | None = None
    total = 0
    requests: list[tuple[str, int]] = []
    basis: str
    if not known.v2_endpoints:
        basis = "answered from the rate-limit headers compat has seen, no v2 request"
        return CallEstimate(endpoint, plan.name, (), 0, (), None, basis)
    if known.resource is None:  # a write: lookup (1 post + author) then the write
        lookup, write = known.v2_endpoints[0][0], known.v2_endpoints[-1][0]
        parts: list[tuple[str, list[tuple[str, object]], str]] = []
        if not skip_lookup:
            parts.append((lookup, [("post", 1), ("user", 1)], "GET"))
        parts.append((write, [], ROUTES[write].method))
        basis = (
            "post lookup (1 post and its author) then the write"
            if not skip_lookup
            else ("the write alone (lookup skipped)")
        )
    else:
        n = known.per_call if count is None else max(1, count)
        pages = math.ceil(n / _PAGE) if known.per_call > 1 else 1
        v2 = known.v2_endpoints[0][0]
        parts = [(v2, [(known.resource, i) for i in range(n)], "GET")]
        basis = (
            f"{n} {known.resource}s returned"
            + ("" if count is not None else " (the v1.1 default count)")
            + (", your own (Owned Reads)" if owned else "")
            + ", authors not counted"
        )
        if pages > 1:
            parts += [(v2, [], "GET")] * (pages - 1)
    for v2, resources, method in parts:
        if v2 not in plan.endpoints:
            unpriced.append(f"{v2}: not in compat's plans table")
        else:
            cost = charge(
                plan,
                v2,
                method,
                200,
                resources,
                owned=owned and v2 in _OWNED_READS,
                claim=lambda keys: [True] * len(keys),
            )
            total += cost.micro_usd
            if cost.unpriced is not None:
                unpriced.append(f"{v2}: {cost.unpriced}")
            needs = needs or _needs(plan, v2)
        if requests and requests[-1][0] == v2:
            requests[-1] = (v2, requests[-1][1] + 1)
        else:
            requests.append((v2, 1))
    return CallEstimate(
        endpoint, plan.name, tuple(requests), total, tuple(dict.fromkeys(unpriced)), needs, basis
    )


def monthly(micro_usd_per_call: int, calls_per_day: float) -> int:
    """The micro-dollars of ``calls_per_day`` calls a day over a 30-day month."""
    return round(micro_usd_per_call * calls_per_day * _DAYS_PER_MONTH)
