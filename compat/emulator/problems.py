"""The error bodies the emulator answers with, verbatim as X sent them, each with its source.

Most come from ``shared/realdata/x-docs-2026/README.md`` ("Failure bodies seen in the wild",
quoted there from public issue threads and other projects' fixtures); the ids in them are the
reporters' and are kept as reported. Which of them the emulator sends where the truth is not
public (the refusal of a like on a self-serve plan, say) is decided in
:mod:`compat.emulator.unknowns`, not here.

Usage::

    >>> from compat.emulator.problems import CREDITS_DEPLETED
    >>> CREDITS_DEPLETED.status, CREDITS_DEPLETED.doc()["title"]
    (402, 'CreditsDepleted')
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

__all__ = [
    "APP_ONLY_REFUSED",
    "CLIENT_FORBIDDEN",
    "CLIENT_NOT_ENROLLED",
    "CREDITS_DEPLETED",
    "FORBIDDEN",
    "TOO_MANY_REQUESTS",
    "UNAUTHORIZED",
    "USAGE_CAPPED",
    "Answer",
]


@dataclasses.dataclass(frozen=True)
class Answer:
    """One canned answer: HTTP ``status``, the JSON ``body`` (read-only) and its ``source``;
    ``problem``: sent as ``application/problem+json`` (X's error bodies) or plain JSON."""

    status: int
    body: Mapping[str, Any]
    source: str
    problem: bool = True

    def doc(self) -> dict[str, Any]:
        """A fresh, mutable copy of the body."""
        return copy.deepcopy(dict(self.body))


def _problem(status: int, body: dict[str, Any], source: str) -> Answer:
    return Answer(status, MappingProxyType(body), source)


UNAUTHORIZED = _problem(
    401,
    {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"},
    "as reported for a bad or missing signature (plhery/node-twitter-api-v2#425, 2022, with "
    "content-type application/problem+json; xdevplatform/samples#69)",
)
#: The generic 403, also what an OAuth 2.0 token without ``like.write`` gets.
FORBIDDEN = _problem(
    403,
    {"title": "Forbidden", "type": "about:blank", "status": 403, "detail": "Forbidden"},
    "x-docs-2026/README.md, 'OAuth 2.0 token without like.write' (PLhery/node-twitter-api-v2"
    "#178, #376)",
)
TOO_MANY_REQUESTS = _problem(
    429,
    {
        "title": "Too Many Requests",
        "detail": "Too Many Requests",
        "type": "about:blank",
        "status": 429,
    },
    "X's generic problem body for HTTP 429 (x-api_fundamentals_rate-limits.mdx:8: 'Exceeding "
    "limits results in a 429 error until the window resets')",
)
#: An app-only bearer on a user-context route (liked_tweets, liking_users, users/me, likes).
APP_ONLY_REFUSED = _problem(
    403,
    {
        "title": "Unsupported Authentication",
        "detail": "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint."
        "  Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].",
        "type": "https://api.twitter.com/2/problems/unsupported-authentication",
        "status": 403,
    },
    "x-docs-2026/README.md, 'app-only token on a user-context endpoint' "
    "(xdevplatform/twitter-api-typescript-sdk#92)",
)
#: Out of credits on pay-per-use ("API requests will fail until you purchase more credits",
#: x-api_fundamentals_post-cap.mdx:121). The reported wording varies; "[id]" is as quoted.
CREDITS_DEPLETED = _problem(
    402,
    {
        "title": "CreditsDepleted",
        "detail": "Your enrolled account [id] does not have any credits to fulfill this request.",
        "type": "https://api.x.com/2/problems/credits",
    },
    "x-docs-2026/README.md, 'out of credits, pay-per-use' (several fixtures)",
)
#: The monthly cap ("Pay-per-usage plans are subject to a monthly cap of 3 million Post
#: reads", x-api_fundamentals_post-cap.mdx:21). It came with ordinary, not exhausted,
#: x-rate-limit-* headers (limit 40000, remaining 39999): the cap does not lift at their reset.
USAGE_CAPPED = _problem(
    429,
    {
        "account_id": "<redacted>",
        "product_name": "standard-basic",
        "title": "UsageCapExceeded",
        "period": "Monthly",
        "scope": "Product",
        "detail": "Usage cap exceeded: Monthly product cap",
        "type": "https://api.twitter.com/2/problems/usage-capped",
    },
    "x-docs-2026/README.md, 'monthly usage cap' (xdevplatform/xdk#25, 2026-02)",
)
#: An app whose plan lacks the endpoint: the fixtures' variant, with ``type`` and ``detail``.
CLIENT_FORBIDDEN = _problem(
    403,
    {
        "client_id": "12262375",
        "detail": "When authenticating requests to the Twitter API v2 endpoints, you must use keys "
        "and tokens from a Twitter developer App that is attached to a Project. You can create a "
        "project via the developer portal.",
        "registration_url": "https://developer.twitter.com/en/docs/projects/overview",
        "title": "Client Forbidden",
        "required_enrollment": "Appropriate Level of API Access",
        "reason": "client-not-enrolled",
        "type": "https://api.twitter.com/2/problems/client-forbidden",
    },
    "x-docs-2026/README.md, 'app not in a project / plan lacks the endpoint' (fixtures)",
)
#: The same refusal as captured in 2026-05: no ``type``, no ``detail``.
CLIENT_NOT_ENROLLED = _problem(
    403,
    {
        "client_id": "28907132",
        "title": "Client Forbidden",
        "required_enrollment": "Appropriate Level of API Access",
        "reason": "client-not-enrolled",
    },
    "x-docs-2026/README.md, 'app not in a project / plan lacks the endpoint' (a 2026-05 capture"
    " had no type)",
)
