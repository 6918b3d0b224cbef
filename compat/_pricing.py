"""What each served call costs under a plan (STUB: being built; see the plans issue).

:class:`Pricer` prices the v2 requests of one call from :mod:`compat._plans`: reads per
resource returned (posts and users, expansions included), deduplicated per UTC day; Owned
Reads when the listed user is the authenticated user; writes per request at the list price,
or marked unpriced where the plan publishes none.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from compat._plans import Plan
from compat.transport import V2Call

__all__ = ["CallCost", "Pricer"]


@dataclasses.dataclass(frozen=True)
class CallCost:
    """The price of one legacy call: ``usd`` for what has a published price, ``unpriced``
    the requests that have none on this plan (e.g. ``"like: Enterprise-only, custom price"``),
    ``posts_read``/``users_read`` the billable resources after deduplication."""

    usd: float = 0.0
    posts_read: int = 0
    users_read: int = 0
    unpriced: tuple[str, ...] = ()


class Pricer:
    """Prices calls under ``plan``, remembering what was already billed today."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan

    def price(self, calls: Sequence[V2Call], *, owner: str | None) -> CallCost:
        return CallCost()
