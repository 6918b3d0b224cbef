"""``compat doctor``: what these keys can do, and what each legacy favorites call will cost.

It reads the credentials and settings as every way in does (:mod:`compat._settings`), then says
in plain words: which credential family was found, who the keys act as (one ``users/me``),
the plan the answers and headers point to (with the evidence), whether writes are possible
(``--probe-write POST_ID``: an unlike of a post you have not liked, an idempotent no-op), the
gateway's answer when ``backend`` is ``gateway``, and one row per legacy call
(``favorites/create``, ``favorites/destroy``, ``favorites/list``): can or cannot, why, and the
price per call on the inferred plan, every price from :mod:`compat._plans` through
:mod:`compat._pricing`.

**Nothing billable is sent without consent.** Every request the doctor would send is billable
when it succeeds (X bills successful answers that return data, and writes), so it lists them
with their worst-case price on the plan you named first, then: with ``--yes`` sends them; on a
terminal asks once; without a terminal (``sys.stdin.isatty()`` false) and without ``--yes``
sends **nothing** and says what it skipped. ``--emulator`` spends nothing real and asks nothing.

**Exit status:** 0 when every legacy call can be served, 1 when at least one cannot (the table
says which and why), 2 on bad usage (a bad option or setting, a bad ``POST_ID``) or when no
credentials are found. A row no answer decided (a request skipped or not made) counts as the
plans table says for the inferred plan (for the gateway: as configured), and is marked
``not checked``; so without consent the status is the table's verdict on the plan you named.

What compat cannot know about these answers is written down once, in :data:`UNKNOWNS`.

Usage::

    $ compat doctor                             # your keys from the environment; asks first
    $ compat doctor --yes --probe-write 1626194750222094336 --format json
    $ compat doctor --emulator --emulator-plan pay-per-use

    >>> from compat.cli import main
    >>> main(["doctor", "--emulator"])  # doctest: +ELLIPSIS
    compat doctor: ...
    favorites/create   can ...
    0
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime
import json
import sys
import textwrap
import urllib.parse
from collections.abc import Callable, Hashable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, TextIO

from compat import _environment, _settings
from compat._plans import DEFAULT_PLAN, PLAN_NAMES, Plan, get_plan, plans
from compat._pricing import CallCost, Pricer, RequestCost, charge, format_usd, micros
from compat._v2 import ROUTES
from compat.client import LikesClient
from compat.credentials import Credentials
from compat.emulator import Emulator
from compat.errors import (
    ApiError,
    CompatError,
    ConfigurationError,
    CreditsDepleted,
    PlanRefused,
    QuotaExhausted,
    TransportError,
    UsageCapExceeded,
)
from compat.gateway import TWEETS_ROUTE, GatewayClient, request_id_of
from compat.params import snowflake
from compat.ratelimit import RateLimit
from compat.transport import recording

__all__ = [
    "LEGACY_CALLS",
    "REPORT_VERSION",
    "UNKNOWNS",
    "Evidence",
    "Probe",
    "Report",
    "Row",
    "credential_family",
    "diagnose",
    "explain",
    "problem_kind",
    "register",
    "render_text",
]

#: The version of the ``--json`` report's shape; raised when a field changes meaning.
REPORT_VERSION = 1
#: The legacy calls the table has a row for, in its order.
LEGACY_CALLS = ("favorites/create", "favorites/destroy", "favorites/list")
#: How many posts the listing probe asks for: v2's minimum page, so the least is spent.
PROBE_PAGE = 10

#: What X does not say publicly and the doctor assumes (the one place; a recording of a real
#: answer can replace each).
UNKNOWNS: Mapping[str, str] = MappingProxyType(
    {
        "write_refusal": (
            "the exact answer a self-serve app gets for POST/DELETE likes since 2026-04-20 is not "
            "published: a 403 whose reason or type says client-not-enrolled or client-forbidden is "
            "read as the plan refusing likes"
        ),
        "unlike_implies_like": (
            "an accepted unlike is taken to mean that likes work too: the docs offer and remove "
            "the two together (sliders.js ENTERPRISE_ONLY_SLUGS holds like-post and unlike-post)"
        ),
        "usage_cap_product": (
            "the usage-cap body's product_name (one capture: 'standard-basic') is reported, not "
            "mapped to a plan: one capture does not say how X names its products"
        ),
        "headers": (
            "x-rate-limit-limit values of real accounts often match no table (one pay-per-use "
            "account saw 1 on liked_tweets): a header narrows the plan only when it agrees with "
            "the answers, and is otherwise reported and ignored"
        ),
        "gateway_price": "the gateway's per-call price is not in its copied documentation",
    }
)

_PREFERENCE = ("pay-per-use", "enterprise", "legacy-pro", "legacy-basic", "legacy-free")
_WAY_OUT = "the ways out: Enterprise access, or backend='gateway' (see the README)"


# -- what the answers mean ------------------------------------------------------------------------


def problem_kind(exc: CompatError) -> str:
    """What an error says, as one word: ``credits``, ``usage-capped``, ``rate-limited``,
    ``unauthorized``, ``client-not-enrolled``, ``client-forbidden``, ``oauth1-permissions``,
    ``unsupported-authentication``, ``forbidden``, ``not-found``, ``invalid-request``,
    ``server-error``, ``unreachable``, ``malformed`` or ``http-<status>``.

    compat's own classes first (:class:`~compat.errors.CreditsDepleted`,
    :class:`~compat.errors.UsageCapExceeded`, :class:`~compat.errors.PlanRefused`), then the
    HTTP status and the v2 body's ``type``/``reason``/``title``, so that an error built
    elsewhere reads the same.

    >>> from compat.errors import api_error_for
    >>> problem_kind(api_error_for(403, {"title": "Client Forbidden",
    ...                                  "reason": "client-not-enrolled"}))
    'client-not-enrolled'
    >>> problem_kind(api_error_for(402, {"title": "CreditsDepleted"}))
    'credits'
    """
    if isinstance(exc, TransportError):
        return "unreachable"
    if isinstance(exc, CreditsDepleted):
        return "credits"
    if isinstance(exc, UsageCapExceeded):
        return "usage-capped"
    if isinstance(exc, PlanRefused):
        return "client-not-enrolled"
    if not isinstance(exc, ApiError):
        return "malformed"
    body = exc.v2_body if isinstance(exc.v2_body, dict) else {}
    kind = str(body.get("type") or "")
    reason = str(body.get("reason") or "")
    title = str(body.get("title") or "")
    status = exc.status
    if status == 402 or kind.endswith("/credits") or title == "CreditsDepleted":
        return "credits"
    if status == 429:
        capped = kind.endswith("/usage-capped") or title == "UsageCapExceeded"
        return "usage-capped" if capped else "rate-limited"
    if status == 401:
        return "unauthorized"
    if status == 403:
        if "client-not-enrolled" in (reason, kind.rsplit("/", 1)[-1]):
            return "client-not-enrolled"
        if kind.rsplit("/", 1)[-1] == "client-forbidden":
            return "client-forbidden"
        if kind.endswith("/oauth1-permissions"):
            return "oauth1-permissions"
        if kind.endswith("/unsupported-authentication"):
            return "unsupported-authentication"
        return "forbidden"
    if status == 404:
        return "not-found"
    if status == 400:
        return "invalid-request"
    if status >= 500:
        return "server-error"
    return f"http-{status}"


def _likes_left_self_serve() -> str:
    """When the last self-serve plan lost likes, from the plans table."""
    dates = [
        terms.since
        for plan in plans().values()
        if plan.self_serve
        for terms in (plan.terms("like"), plan.terms("unlike"))
        if not terms.available and terms.since
    ]
    return max(dates) if dates else "2026"


def _shown_url(url: str) -> str:
    """``url`` without any ``user:password@`` part, for the report.

    >>> _shown_url("https://user:secret@api.x.com")
    'https://api.x.com'
    """
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def _utc(epoch: int | None) -> str:
    if epoch is None:
        return "the reset the answer did not give"
    moment = datetime.datetime.fromtimestamp(epoch, tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def explain(exc: CompatError, *, write: bool = False, oauth2: bool = False) -> str:
    """Plain words for an X API error, with the way out: ``write`` when it answered a like or
    unlike, ``oauth2`` when an OAuth 2.0 token was sent.

    >>> from compat.errors import api_error_for
    >>> explain(api_error_for(402, {"title": "CreditsDepleted"}))
    'out of credits (402 CreditsDepleted): add credits in the X developer console; ...'
    """
    kind = problem_kind(exc)
    if kind == "credits":
        return (
            "out of credits (402 CreditsDepleted): add credits in the X developer console; "
            "nothing is served until then"
        )
    if kind == "usage-capped":
        return (
            "the monthly usage cap is reached (429 UsageCapExceeded): it lifts with the next "
            "billing cycle, not at x-rate-limit-reset"
        )
    if kind == "rate-limited":
        reset = exc.rate_limit.retry_at if isinstance(exc, ApiError) and exc.rate_limit else None
        return f"rate limited (429) until {_utc(reset)}: run the doctor again after that"
    if kind == "unauthorized":
        return (
            "X did not accept these keys (401): check the values, or generate a new access "
            "token in the developer console"
        )
    if kind in ("client-not-enrolled", "client-forbidden") and write:
        return (
            f"X refused it ({kind}): likes through X's API are Enterprise-only since "
            f"{_likes_left_self_serve()}, removed from every self-serve plan; {_WAY_OUT}"
        )
    if kind in ("client-not-enrolled", "client-forbidden"):
        return (
            f"X refused it ({kind}): the app is not enrolled for this endpoint; attach it to a "
            "Project with the access it needs in the developer console"
        )
    if kind == "oauth1-permissions":
        return (
            "the app's permissions are Read only: set 'Read and write' in the developer "
            "console, then generate a new access token and secret"
        )
    if kind == "forbidden" and write and oauth2:
        return (
            "403 Forbidden: the answer an OAuth 2.0 token without the like.write scope gets; "
            "authorize again with like.write"
        )
    if kind == "unsupported-authentication":
        return "the endpoint takes user context only: an app-only bearer token is refused"
    if kind == "unreachable":
        return f"the X API could not be reached: {exc.message}"
    status = exc.status if isinstance(exc, ApiError) else None
    return f"X answered {status or 'something unreadable'}: {exc.message}"


# -- the report -----------------------------------------------------------------------------------


@dataclasses.dataclass
class Probe:
    """One request the doctor may send: ``price`` its worst case, said before it is sent."""

    name: str
    request: str
    price: str
    worst_micro_usd: int
    sent: bool = False
    status: int | None = None
    outcome: str = ""
    problem: str | None = None
    rate_limit: RateLimit | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "request": self.request,
            "price_before": self.price,
            "worst_micro_usd": self.worst_micro_usd,
            "sent": self.sent,
            "status": self.status,
            "outcome": self.outcome,
            "problem": self.problem,
            "x_rate_limit_limit": None if self.rate_limit is None else self.rate_limit.limit,
        }


@dataclasses.dataclass(frozen=True)
class Evidence:
    """One observation about the plan: the ``plans`` it is consistent with; ``strong``: an
    answer (else a header); ``applied``: it narrowed the inference (a header that contradicts
    the answers is reported, not applied)."""

    what: str
    plans: tuple[str, ...]
    strong: bool
    applied: bool = True

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self) | {"plans": list(self.plans)}


@dataclasses.dataclass(frozen=True)
class Row:
    """One legacy call: ``can`` serve it; ``checked``: an answer decided it (else the plans
    table or the configuration); ``price`` per call on the inferred plan."""

    call: str
    can: bool
    checked: bool
    why: str
    price: str
    price_micro_usd: int
    unpriced: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self) | {"unpriced": list(self.unpriced)}


@dataclasses.dataclass
class Report:
    """Everything the doctor found; :meth:`to_json` is the ``--json`` document."""

    backend: str
    api_base: str
    credentials: dict[str, Any] | None
    user: dict[str, str] | None
    believed_plan: str
    believed_from: str
    plan: str
    candidates: tuple[str, ...]
    evidence: list[Evidence]
    writes: str
    writes_possible: bool | None
    probes: list[Probe]
    consent: str
    rows: list[Row]
    gateway: dict[str, Any] | None
    spent: CallCost
    notes: list[str] = dataclasses.field(default_factory=list)

    @property
    def exit_status(self) -> int:
        return 0 if all(row.can for row in self.rows) else 1

    def to_json(self) -> dict[str, Any]:
        return {
            "format": "compat-doctor",
            "version": REPORT_VERSION,
            "exit_status": self.exit_status,
            "backend": self.backend,
            "api_base": self.api_base,
            "credentials": self.credentials,
            "user": self.user,
            "plan": {
                "believed": self.believed_plan,
                "believed_from": self.believed_from,
                "inferred": self.plan,
                "candidates": list(self.candidates),
                "evidence": [e.to_json() for e in self.evidence],
            },
            "writes": {"possible": self.writes_possible, "why": self.writes},
            "consent": self.consent,
            "probes": [p.to_json() for p in self.probes],
            "calls": [r.to_json() for r in self.rows],
            "gateway": self.gateway,
            "spent": {
                "text": self.spent.describe(),
                "micro_usd": self.spent.micro_usd,
                "usd": self.spent.usd,
                "unpriced": list(self.spent.unpriced),
            },
            "notes": list(self.notes),
        }


# -- prices, all from the plans table -------------------------------------------------------------


def _all_new(keys: Sequence[tuple[str, Hashable]]) -> list[bool]:
    return [True] * len(keys)


def _cost(
    plan: Plan, endpoint: str, resources: Sequence[tuple[str, str]] = (), *, owned: bool = False
) -> RequestCost:
    """What one successful request of ``endpoint`` returning ``resources`` costs on ``plan``."""
    method = ROUTES[endpoint].method
    return charge(plan, endpoint, method, 200, resources, owned=owned, claim=_all_new)


def _cost_text(plan: Plan, cost: RequestCost) -> str:
    if cost.unpriced is None:
        return format_usd(cost.micro_usd)
    flat = plan.available(cost.endpoint) and plan.price(cost.endpoint) is None
    if flat and plan.monthly_usd is not None:
        if not plan.monthly_usd:
            return "free (no per-call price)"
        return f"in the ${plan.monthly_usd:,.0f}/month subscription"
    return cost.unpriced


def _list_price(plan: Plan, endpoint: str) -> str:
    """``" (list price $0.015)"`` for a write the plan does not offer, else ``""``."""
    price = plan.price(endpoint)
    if plan.available(endpoint) or price is None or price.usd is None:
        return ""
    return f" (list price {format_usd(micros(price.usd))})"


def _posts(count: int) -> list[tuple[str, str]]:
    return [("post", str(i)) for i in range(count)]


def _probe_prices(plan: Plan, endpoint: str, count: int = 0) -> tuple[str, int]:
    """The worst-case price of one probe on ``plan`` (text, micro-dollars)."""
    if endpoint == "users_me":
        cost = _cost(plan, endpoint, [("user", "me")])
        return f"1 user read: {_cost_text(plan, cost)}", cost.micro_usd
    if endpoint == "liked_tweets":
        listed = _cost(plan, endpoint, _posts(count))
        owned = _cost(plan, endpoint, _posts(count), owned=True)
        text = f"at most {count} posts: {_cost_text(plan, listed)}"
        if owned.micro_usd != listed.micro_usd:
            text += f" ({_cost_text(plan, owned)} as Owned Reads)"
        return text, listed.micro_usd
    cost = _cost(plan, endpoint)
    text = f"{_cost_text(plan, cost)}{_list_price(plan, endpoint)}"
    if not plan.available(endpoint):
        text += "; a refusal is not billed"
    return text, cost.micro_usd


def _row_price(
    plan: Plan, call: str, *, lookup: bool, gateway: bool, gateway_read: bool = False
) -> tuple[str, int, tuple[str, ...]]:
    """The price of one legacy call on ``plan``: text, the published part, the unpriced parts.

    create/destroy: the post lookup (the post and its author) then the write (through the
    gateway: its price, unpublished; ``gateway_read``: the lookup is the gateway's posts read,
    unpublished too); the lookup is billed even when the write is refused.
    list: per like returned, the post (Owned Reads: your own likes) and its author when not
    read yet today.
    """
    if call == "favorites/list":
        per_like = _cost(plan, "liked_tweets", [("post", "p"), ("user", "a")], owned=True)
        post = _cost(plan, "liked_tweets", [("post", "p")], owned=True)
        other = _cost(plan, "liked_tweets", [("post", "p")])
        if per_like.unpriced is not None:
            text = f"per like returned: {_cost_text(plan, per_like)}"
        else:
            author = per_like.micro_usd - post.micro_usd
            text = (
                f"per like returned: {format_usd(post.micro_usd)} (Owned Reads; "
                f"{format_usd(other.micro_usd)} for another user's likes) + "
                f"{format_usd(author)} per author not read yet today"
            )
        return text, per_like.micro_usd, tuple(filter(None, [per_like.unpriced]))
    write = "like" if call == "favorites/create" else "unlike"
    parts: list[tuple[str, str]] = []
    missing: list[str] = []
    total = 0
    if lookup:
        looked = _cost(plan, "tweets", [("post", "p"), ("user", "a")])
        parts.append(("post lookup (the post and its author)", _cost_text(plan, looked)))
        total += looked.micro_usd
        if looked.unpriced is not None:
            missing.append(f"tweets: {looked.unpriced}")
    if gateway:
        if gateway_read:
            parts.append(("post read through the gateway", UNKNOWNS["gateway_price"]))
            missing.append("gateway_tweets: not published")
        parts.append((f"{write} through the gateway", UNKNOWNS["gateway_price"]))
        missing.append(f"gateway_{write}: not published")
    else:
        written = _cost(plan, write)
        parts.append((write, _cost_text(plan, written) + _list_price(plan, write)))
        total += written.micro_usd
        if written.unpriced is not None:
            missing.append(f"{write}: {written.unpriced}")
    if len({text for _label, text in parts}) == 1:  # e.g. all custom: say it once
        text = f"{parts[0][1]} ({' and '.join(label for label, _text in parts)})"
    else:
        text = " + ".join(f"{label}: {text}" for label, text in parts)
    if lookup and not gateway and total:
        text += "; the lookup is billed even when the write is refused"
    return text, total, tuple(missing)


# -- which credentials ----------------------------------------------------------------------------


def credential_family(environ: Mapping[str, str] | None = None) -> str | None:
    """The environment family (``"X_"``, ``"TWITTER_"``, ``"(unprefixed)"``) whose values
    the settings use, or None: the first complete one, as :mod:`compat._environment` picks.

    >>> credential_family({"TWITTER_USER_ACCESS_TOKEN": "t", "X_CONSUMER_KEY": "half"})
    'TWITTER_'
    """
    env = _environment.current() if environ is None else environ
    for family, fields in _environment.ENV_FAMILIES:
        names = {name for found in fields.values() for name in found}
        own = {k: v for k, v in env.items() if k in names}
        if _environment.credential_fields(own) is not None:
            return family
    return None


def _describe_credentials(creds: Credentials, family: str) -> dict[str, Any]:
    """What may be shown of the credentials: never a secret, at most the key's last 4."""
    shown: dict[str, Any] = {"family": family, "kind": creds.kind}
    if creds.kind == "oauth1" and creds.consumer_key is not None:
        key = creds.consumer_key
        # a short key would be shown whole by its last four characters
        shown["consumer_key_last4"] = key[-4:] if len(key) >= 12 else None
    else:
        shown["refreshable"] = creds.refreshable
    return shown


def _credentials_text(shown: Mapping[str, Any]) -> str:
    family = shown["family"]
    where = family if family.startswith("the ") else f"the {family} environment family"
    if shown["kind"] == "oauth1":
        key = shown.get("consumer_key_last4")
        tail = f", consumer key …{key}" if key else ""
        return f"OAuth 1.0a user context from {where}{tail}"
    refresh = "refreshable" if shown.get("refreshable") else "not refreshable"
    return f"OAuth 2.0 user access token from {where} ({refresh})"


# -- plan inference -------------------------------------------------------------------------------


def _plans_where(test: Callable[[Plan], bool]) -> tuple[str, ...]:
    return tuple(name for name, plan in plans().items() if test(plan))


def _limit_evidence(endpoint: str, observed: RateLimit | None) -> Evidence | None:
    """What an answer's ``x-rate-limit-limit`` says about the plan, compared with the table."""
    if observed is None or observed.limit is None:
        return None
    value = observed.limit
    matching = _plans_where(
        lambda plan: any(limit.requests == value for limit in plan.terms(endpoint).limits)
    )
    what = f"{endpoint} answered with x-rate-limit-limit: {value}"
    if matching:
        what += f"; the plans table gives {value} to {', '.join(matching)}"
    else:
        what += "; no plan in the table has that limit (the header is what counts)"
    return Evidence(what, matching, strong=False)


def _infer(
    evidence: Sequence[Evidence], believed: str
) -> tuple[str, tuple[str, ...], list[Evidence]]:
    """The plan the evidence points to: answers first, then headers; each narrows the
    candidates unless it would leave none. The believed plan wins among what remains."""
    candidates = tuple(PLAN_NAMES)
    kept: list[Evidence] = []
    for item in sorted(evidence, key=lambda e: not e.strong):
        narrowed = tuple(p for p in candidates if p in item.plans)
        if item.plans and narrowed:
            candidates = narrowed
            kept.append(item)
        else:
            kept.append(dataclasses.replace(item, applied=False))
    if believed in candidates:
        chosen = believed
    else:
        chosen = next(p for p in (*_PREFERENCE, *PLAN_NAMES) if p in candidates)
    return chosen, candidates, kept


# -- the checks -----------------------------------------------------------------------------------


@dataclasses.dataclass
class _Verdict:
    can: bool
    checked: bool
    why: str


@dataclasses.dataclass
class _Run:
    """The state of one doctor run while its probes go out."""

    report_probes: list[Probe] = dataclasses.field(default_factory=list)
    evidence: list[Evidence] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)
    user: dict[str, str] | None = None
    blocked: _Verdict | None = None  # an answer that stops every call (keys, credits, cap)
    listing: _Verdict | None = None
    writing: _Verdict | None = None
    listed_ids: set[str] = dataclasses.field(default_factory=set)
    gateway_write: _Verdict | None = None
    gateway_list: _Verdict | None = None
    gateway_key: bool | None = None  # the key-check read: accepted, rejected, or not told


_BLOCKING = ("unauthorized", "credits", "usage-capped", "client-not-enrolled", "unreachable")


def _answer_evidence(kind: str, exc: CompatError, where: str) -> Evidence | None:
    if kind == "credits":
        return Evidence(
            f"{where}: 402 CreditsDepleted — only a plan paid from credits answers that",
            _plans_where(lambda p: p.self_serve and p.monthly_usd is None),
            strong=True,
        )
    if kind == "usage-capped":
        body = exc.v2_body if isinstance(exc, ApiError) and isinstance(exc.v2_body, dict) else {}
        product = body.get("product_name")
        named = f" for product {product!r}" if isinstance(product, str) else ""
        return Evidence(
            f"{where}: 429 UsageCapExceeded{named} — only a plan with a monthly cap answers that",
            _plans_where(lambda p: p.monthly_post_cap is not None),
            strong=True,
        )
    return None


def _failed(probe: Probe, exc: CompatError, *, write: bool = False, oauth2: bool = False) -> str:
    """Record a probe's error answer in plain words; returns its :func:`problem_kind`."""
    probe.status = exc.status if isinstance(exc, ApiError) else None
    probe.problem = problem_kind(exc)
    probe.rate_limit = exc.rate_limit if isinstance(exc, ApiError) else None
    probe.outcome = explain(exc, write=write, oauth2=oauth2)
    return probe.problem


def _probe_users_me(run: _Run, client: LikesClient, probe: Probe, oauth2: bool) -> str | None:
    """users/me: who the keys act as; returns the user id (None when it failed)."""
    probe.sent = True
    try:
        result = client.me()
    except CompatError as exc:
        kind = _failed(probe, exc, oauth2=oauth2)
        found = _answer_evidence(kind, exc, "users/me")
        if found is not None:
            run.evidence.append(found)
        if kind in _BLOCKING:
            run.blocked = _Verdict(False, True, f"users/me: {probe.outcome}")
        return None
    probe.status = result.status
    probe.rate_limit = result.rate_limit
    data = result.payload.get("data")
    data = data if isinstance(data, dict) else {}
    user_id = str(data.get("id", ""))
    run.user = {"id": user_id, "username": str(data.get("username", ""))}
    probe.outcome = f"the keys act as @{run.user['username']} ({user_id})"
    found = _limit_evidence("users_me", result.rate_limit)
    if found is not None:
        run.evidence.append(found)
    return user_id or None


def _probe_listing(
    run: _Run, client: LikesClient, probe: Probe, user_id: str, oauth2: bool
) -> None:
    probe.sent = True
    try:
        result = client.liked_tweets(user_id, max_results=PROBE_PAGE)
    except CompatError as exc:
        kind = _failed(probe, exc, oauth2=oauth2)
        found = _answer_evidence(kind, exc, "liked_tweets")
        if found is not None:
            run.evidence.append(found)
        run.listing = _Verdict(False, True, f"liked_tweets: {probe.outcome}")
        if kind in _BLOCKING:
            run.blocked = run.blocked or run.listing
        return
    probe.status = result.status
    probe.rate_limit = result.rate_limit
    data = result.payload.get("data")
    posts = [p for p in data if isinstance(p, dict)] if isinstance(data, list) else []
    run.listed_ids = {str(p.get("id")) for p in posts}
    limit = result.rate_limit.limit
    header = f" (x-rate-limit-limit: {limit})" if limit is not None else ""
    probe.outcome = f"answered {len(posts)} of your likes{header}"
    run.listing = _Verdict(True, True, f"liked_tweets answered{header}")
    found = _limit_evidence("liked_tweets", result.rate_limit)
    if found is not None:
        run.evidence.append(found)


def _probe_unlike(run: _Run, client: LikesClient, probe: Probe, post_id: str, oauth2: bool) -> None:
    probe.sent = True
    try:
        result = client.unlike(post_id)
    except CompatError as exc:
        kind = _failed(probe, exc, write=True, oauth2=oauth2)
        found = _answer_evidence(kind, exc, "unlike")
        if kind in ("client-not-enrolled", "client-forbidden"):
            found = Evidence(
                f"unlike: 403 {kind} — the refusal a plan without likes gets",
                _plans_where(lambda p: not p.available("unlike")),
                strong=True,
            )
        if found is not None:
            run.evidence.append(found)
        if kind in ("rate-limited", "not-found", "invalid-request", "server-error"):
            run.notes.append(
                f"the unlike probe could not tell whether writes work: {probe.outcome}"
            )
            return
        run.writing = _Verdict(False, True, f"unlike probe: {probe.outcome}")
        return
    probe.status = result.status
    probe.rate_limit = result.rate_limit
    probe.outcome = f"X accepted the unlike of {post_id} (a no-op): writes work"
    run.writing = _Verdict(
        True, True, f"X accepted the unlike of {post_id}: writes work (likes assumed alike)"
    )
    run.evidence.append(
        Evidence(
            "unlike: accepted — only a plan that offers likes does that",
            _plans_where(lambda p: p.available("unlike")),
            strong=True,
        )
    )
    day = result.rate_limit.day_limit
    if day is not None:
        matching = _plans_where(
            lambda p: (w := p.day_window("unlike")) is not None and w.requests == day
        )
        table = (
            f"the plans table gives {day} to {', '.join(matching)}"
            if matching
            else ("no plan in the table has that limit")
        )
        run.evidence.append(
            Evidence(
                f"unlike answered with x-user-limit-24hour-limit: {day}; {table}",
                matching,
                strong=False,
            )
        )


#: The post the gateway key check reads when no --probe-write post is given: the first post
#: (jack's, 2006); any id does, a missing post answers an empty list.
KEY_CHECK_POST = "20"


def _gateway_failure(exc: CompatError) -> tuple[str, str]:
    """(problem, plain words) for a gateway error, with its request_id when it sent one."""
    status = exc.status if isinstance(exc, ApiError) else None
    codes = exc.v1_codes if isinstance(exc, ApiError) else []
    if status == 401:
        kind, words = "unauthorized", "the gateway did not accept the API key (401)"
    elif isinstance(exc, QuotaExhausted):
        kind, words = (
            "quota-exceeded",
            (
                "the key's quota is used up (quota_exceeded): top up the wallet or ask for more "
                "in the AIsa dashboard; waiting does not help"
            ),
        )
    elif status == 403 and codes == [220]:
        kind, words = (
            "client-forbidden",
            (
                "the key is accepted, but no X account is linked to it or its session lacks "
                "like.write: link it with `compat gateway link` "
                "(POST /apis/v1/twitter/auth_twitter)"
            ),
        )
    elif status == 403:
        kind, words = (
            "insufficient-permissions",
            (
                "the key is accepted, but it (or its workspace plan) lacks this endpoint: check "
                "the key's scopes and plan in the AIsa dashboard"
            ),
        )
    else:
        kind = problem_kind(exc)
        words = f"the gateway answered {status or 'nothing usable'}: {exc.message}"
    request_id = request_id_of(exc)
    if request_id is not None and request_id not in words:
        words += f" (request_id {request_id})"
    return kind, words


def _probe_gateway_key(run: _Run, gateway: GatewayClient, probe: Probe, post_id: str) -> None:
    """Whether the gateway accepts the key: one posts read (it needs no linked account)."""
    probe.sent = True
    try:
        result = gateway.read_tweets([post_id])
    except CompatError as exc:
        probe.status = exc.status if isinstance(exc, ApiError) else None
        probe.rate_limit = exc.rate_limit if isinstance(exc, ApiError) else None
        probe.problem, probe.outcome = _gateway_failure(exc)
        if probe.status == 401:
            run.gateway_key = False
        elif probe.status is not None and probe.status != 429 and probe.status < 500:
            run.gateway_key = True
        if run.gateway_key is None:
            run.notes.append(f"the gateway key check could not tell: {probe.outcome}")
        return
    probe.status = result.status
    probe.rate_limit = result.rate_limit
    run.gateway_key = True
    limit = result.rate_limit.limit
    header = f" (X-RateLimit-Limit-Requests: {limit})" if limit is not None else ""
    probe.outcome = f"the gateway accepted the API key{header}"


def _probe_gateway(run: _Run, gateway: GatewayClient, probe: Probe, post_id: str) -> None:
    probe.sent = True
    try:
        gateway.unlike(post_id)
    except CompatError as exc:
        status = exc.status if isinstance(exc, ApiError) else None
        probe.status = status
        probe.rate_limit = exc.rate_limit if isinstance(exc, ApiError) else None
        probe.problem, probe.outcome = _gateway_failure(exc)
        if status == 401:
            run.gateway_key = False
        elif status is not None and status not in (429,) and status < 500:
            run.gateway_key = True
        if status == 404:
            probe.problem = "not-found"
            probe.outcome = f"the key is accepted; the gateway does not know post {post_id}"
            run.notes.append(
                f"the gateway probe could not tell whether writes work: {probe.outcome}"
            )
            return
        if probe.problem in ("rate-limited", "server-error", "unreachable", "malformed"):
            run.notes.append(f"the gateway probe could not tell: {probe.outcome}")
            return
        run.gateway_write = _Verdict(False, True, f"gateway: {probe.outcome}")
        return
    probe.status = 200
    run.gateway_key = True
    probe.outcome = (
        f"the gateway accepted the key and the unlike of {post_id} (a no-op): an X account "
        "is linked to the key, with like.write"
    )
    run.gateway_write = _Verdict(True, True, f"the gateway accepted the unlike of {post_id}")


def _probe_gateway_list(run: _Run, gateway: GatewayClient, probe: Probe) -> None:
    """The gateway backend's X source lists the user's likes (what favorites/list sends)."""
    assert gateway.user_id is not None
    probe.sent = True
    try:
        result = gateway.liked_tweets(gateway.user_id, max_results=PROBE_PAGE)
    except CompatError as exc:
        _failed(probe, exc)
        run.gateway_list = _Verdict(False, True, f"X's liked_tweets: {probe.outcome}")
        return
    probe.status = result.status
    probe.rate_limit = result.rate_limit
    data = result.payload.get("data")
    count = len(data) if isinstance(data, list) else 0
    probe.outcome = f"answered {count} likes of user {gateway.user_id}"
    run.gateway_list = _Verdict(True, True, f"X's liked_tweets answered ({count})")


# -- the diagnosis --------------------------------------------------------------------------------

Consent = Callable[[Sequence[Probe], Plan], tuple[bool, str]]


def _x_client(settings: _settings.Settings, creds: Credentials) -> LikesClient:
    return LikesClient(
        creds,
        api_base=settings.api_base,
        token_refreshed=settings.token_refreshed,
        token_file=settings.token_file,
        **settings.transport_options,
    )


def _table_verdict(plan: Plan, endpoint: str, what: str) -> _Verdict:
    terms = plan.terms(endpoint)
    if terms.available:
        return _Verdict(True, False, f"the plans table offers {what} on {plan.name}")
    since = f" since {terms.since}" if terms.since else ""
    way_out = f"; {_WAY_OUT}" if endpoint in ("like", "unlike") else ""
    return _Verdict(
        False, False, f"{plan.name} does not offer {what}{since} (the plans table){way_out}"
    )


def diagnose(
    settings: _settings.Settings,
    *,
    family: str | None,
    believed_plan: str,
    believed_from: str,
    consent: Consent,
    probe_write: str | None = None,
) -> Report:
    """Check what ``settings``' keys can do; see the module docstring. ``consent`` is asked
    once with every billable probe and the believed plan, and answers (allowed, why)."""
    believed = get_plan(believed_plan)
    creds = settings.accounts[0] if settings.accounts else None
    gateway_backend = settings.backend_name == "gateway"
    oauth2 = creds is not None and creds.kind == "oauth2"
    post_id = None if probe_write is None else snowflake(probe_write, "--probe-write")
    run = _Run()
    gateway = GatewayClient.from_settings(settings) if gateway_backend else None

    probes: dict[str, Probe] = {}

    def plan_probe(key: str, name: str, request: str, endpoint: str, count: int = 0) -> None:
        price, worst = _probe_prices(believed, endpoint, count)
        probes[key] = Probe(name, request, price, worst)

    if creds is not None:
        plan_probe("users_me", "users/me", "GET /2/users/me", "users_me")
        plan_probe(
            "liked_tweets",
            "liked_tweets",
            f"GET /2/users/:id/liked_tweets?max_results={PROBE_PAGE}",
            "liked_tweets",
            PROBE_PAGE,
        )
        if post_id is not None and not gateway_backend:
            plan_probe("unlike", "unlike", f"DELETE /2/users/:id/likes/{post_id}", "unlike")
    if gateway is not None:
        probes["gateway_key"] = Probe(
            "gateway key",
            f"GET {TWEETS_ROUTE}?tweet_ids={post_id or KEY_CHECK_POST} (the key check)",
            "the gateway's price (not in its documentation)",
            0,
        )
    if gateway is not None and post_id is not None:
        probes["gateway"] = Probe(
            "gateway unlike",
            f'POST {gateway.unlike_route} {{"tweet_id": "{post_id}"}}',
            "the gateway's price (not in its documentation)",
            0,
        )
    if gateway is not None and creds is None and gateway.can_list and gateway.user_id is not None:
        plan_probe(
            "gateway_list",
            "gateway source liked_tweets",
            f"GET /2/users/{gateway.user_id}/liked_tweets?max_results={PROBE_PAGE} (X source)",
            "liked_tweets",
            PROBE_PAGE,
        )
    allowed, consent_text = (False, "nothing to send")
    if probes:
        allowed, consent_text = consent(list(probes.values()), believed)

    with recording() as calls:
        if allowed and creds is not None:
            client = _x_client(settings, creds)
            user_id = _probe_users_me(run, client, probes["users_me"], oauth2)
            if user_id is None and run.blocked is None:
                user_id = creds.token_user_id()
            current = client.credentials  # a refresh during users/me rotated the token pair
            if user_id is not None and isinstance(current, Credentials) and not current.user_id:
                # pinned, so that the unlike does not ask users/me (and pay) again
                client = _x_client(settings, dataclasses.replace(current, user_id=user_id))
            for key in ("liked_tweets", "unlike"):
                probe = probes.get(key)
                if probe is None:
                    continue
                if run.blocked is not None:
                    probe.outcome = f"not sent: {run.blocked.why}"
                elif user_id is None:
                    probe.outcome = "not sent: the user id is unknown (users/me did not answer)"
                elif key == "liked_tweets":
                    _probe_listing(run, client, probe, user_id, oauth2)
                elif post_id in run.listed_ids:
                    probe.outcome = (
                        f"not sent: {post_id} is among your likes and the unlike would remove "
                        "it; name a post you have not liked"
                    )
                else:
                    assert post_id is not None
                    _probe_unlike(run, client, probe, post_id, oauth2)
        if allowed and gateway is not None:
            _probe_gateway_key(run, gateway, probes["gateway_key"], post_id or KEY_CHECK_POST)
        if allowed and gateway is not None and "gateway" in probes:
            assert post_id is not None
            if run.gateway_key is False:
                probes["gateway"].outcome = "not sent: the gateway did not accept the API key"
            elif post_id in run.listed_ids:
                probes["gateway"].outcome = (
                    f"not sent: {post_id} is among your likes and the unlike would remove "
                    "it; name a post you have not liked"
                )
            else:
                _probe_gateway(run, gateway, probes["gateway"], post_id)
        if allowed and gateway is not None and "gateway_list" in probes:
            _probe_gateway_list(run, gateway, probes["gateway_list"])
    if not allowed:
        for probe in probes.values():
            probe.outcome = f"not sent ({consent_text})"

    chosen, candidates, evidence = _infer(run.evidence, believed.name)
    plan = get_plan(chosen)
    x_calls = [c for c in calls if c.endpoint in ROUTES]
    owner = run.user["id"] if run.user else (creds.token_user_id() if creds else None)
    spent = Pricer(plan).price(x_calls, owner=owner)

    rows = _rows(run, plan, settings, gateway, creds is not None, post_id)
    writes_possible, writes = _writes_summary(run, plan, gateway_backend, post_id)
    gateway_section = _gateway_section(
        settings, gateway, run, probes.get("gateway"), probes.get("gateway_key")
    )
    return Report(
        backend=settings.backend_name,
        api_base=_shown_url(settings.api_base),
        credentials=None if creds is None else _describe_credentials(creds, family or "?"),
        user=run.user,
        believed_plan=believed.name,
        believed_from=believed_from,
        plan=plan.name,
        candidates=candidates,
        evidence=evidence,
        writes=writes,
        writes_possible=writes_possible,
        probes=list(probes.values()),
        consent=consent_text if probes else "nothing to send",
        rows=rows,
        gateway=gateway_section,
        spent=spent,
        notes=run.notes,
    )


def _writes_summary(
    run: _Run, plan: Plan, gateway_backend: bool, post_id: str | None
) -> tuple[bool | None, str]:
    verdict = run.gateway_write if gateway_backend else run.writing
    if run.blocked is not None and verdict is None:
        return False, run.blocked.why
    if verdict is not None:
        return verdict.can, verdict.why
    hint = "" if post_id is not None else "; --probe-write POST_ID checks it with an unlike no-op"
    if gateway_backend:
        return None, f"through the gateway, as configured{hint}"
    table = _table_verdict(plan, "unlike", "likes and unlikes")
    return None, table.why + hint


def _rows(
    run: _Run,
    plan: Plan,
    settings: _settings.Settings,
    gateway: GatewayClient | None,
    have_x: bool,
    post_id: str | None,
) -> list[Row]:
    rows: list[Row] = []
    for call in LEGACY_CALLS:
        endpoint = {"favorites/create": "like", "favorites/destroy": "unlike"}.get(
            call, "liked_tweets"
        )
        x_lookup = gateway is None or (gateway.read == "x" and gateway.can_lookup)
        price, published, unpriced = _row_price(
            plan,
            call,
            lookup=settings.lookup and x_lookup,
            gateway=gateway is not None,
            gateway_read=settings.lookup and gateway is not None and gateway.read == "gateway",
        )
        verdict: _Verdict
        if gateway is not None and call != "favorites/list":
            verdict = _gateway_write_verdict(run, post_id)
        elif gateway is not None:
            verdict = _gateway_list_verdict(gateway, run, have_x)
        elif run.blocked is not None:
            verdict = run.blocked
        elif call == "favorites/list" and run.listing is not None:
            verdict = run.listing
        elif call != "favorites/list" and run.writing is not None:
            verdict = run.writing
        else:
            what = "listing likes" if call == "favorites/list" else f"{endpoint}s"
            verdict = _table_verdict(plan, endpoint, what)
        if not have_x and gateway is None:
            verdict = _Verdict(False, False, "no credentials")
        rows.append(
            Row(call, verdict.can, verdict.checked, verdict.why, price, published, unpriced)
        )
    return rows


def _gateway_write_verdict(run: _Run, post_id: str | None) -> _Verdict:
    """create/destroy through the gateway: what the unlike probe showed, else the key check
    (no endpoint says whether an account is linked: only a write shows it)."""
    if run.gateway_write is not None:
        return run.gateway_write
    if run.gateway_key is False:
        return _Verdict(False, True, "the gateway did not accept the API key (401)")
    linked = "whether an X account is linked to it only a write shows"
    hint = "" if post_id is not None else ": --probe-write POST_ID checks it with an unlike no-op"
    if run.gateway_key:
        return _Verdict(True, False, f"the gateway accepted the API key; {linked}{hint}")
    return _Verdict(True, False, f"the gateway backend is configured; {linked}{hint}")


def _gateway_list_verdict(gateway: GatewayClient, run: _Run, have_x: bool) -> _Verdict:
    """favorites/list behind the gateway: X's liked_tweets with user-context X credentials."""
    if not gateway.can_list:
        return _Verdict(
            False,
            False,
            "the gateway has no endpoint that lists likes: favorites/list reads X's "
            "liked_tweets with the linked account's user-context X credentials; set them "
            "(X_CONSUMER_KEY, X_CONSUMER_SECRET, X_ACCESS_TOKEN, X_ACCESS_TOKEN_SECRET, or "
            "X_USER_ACCESS_TOKEN); an app-only bearer token cannot list likes",
        )
    if have_x and run.blocked is not None:
        return run.blocked
    if have_x and run.listing is not None:
        return run.listing
    if run.gateway_list is not None:
        return run.gateway_list
    return _Verdict(True, False, "from X's liked_tweets with your X credentials, as configured")


def _gateway_section(
    settings: _settings.Settings,
    gateway: GatewayClient | None,
    run: _Run,
    probe: Probe | None,
    key_probe: Probe | None = None,
) -> dict[str, Any] | None:
    if gateway is None:
        return None
    variable = _environment.setting_source("gateway_api_key")
    if key_probe is not None and key_probe.sent:
        answer = key_probe.outcome
    else:
        answer = "not checked (no consent to send the key check)"
    if probe is not None:
        answer += f"; write probe: {probe.outcome}"
    else:
        answer += (
            "; whether an X account is linked to the key only a write shows: --probe-write POST_ID"
        )
    return {
        "url": _shown_url(gateway.base_url),
        "key": f"set (from ${variable})" if variable else "set",
        "key_accepted": run.gateway_key,
        "writes": None if run.gateway_write is None else run.gateway_write.can,
        "answer": answer,
        "like_route": settings.gateway_like_route,
        "unlike_route": settings.gateway_unlike_route,
        "read": gateway.read,
        "tier": gateway.tier,
        "requests_per_minute": gateway.requests_per_minute,
        "lists_with": "X user-context credentials" if gateway.can_list else None,
        "read_source": None if gateway.source is None else type(gateway.source).__name__,
        "user_id": gateway.user_id,
    }


# -- text -----------------------------------------------------------------------------------------


def _wrap(text: str, indent: str, width: int = 100) -> list[str]:
    return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent) or [indent]


def render_text(report: Report) -> str:
    """The report for people (what ``compat doctor`` prints without ``--json``)."""
    lines = [f"compat doctor: what these keys can do (report v{REPORT_VERSION})", ""]

    def field(name: str, text: str) -> None:
        wrapped = _wrap(text, " " * 13)
        wrapped[0] = f"{name:<12} " + wrapped[0].lstrip()
        lines.extend(wrapped)

    if report.credentials is not None:
        field("credentials", _credentials_text(report.credentials))
    else:
        field("credentials", "no X API credentials (the gateway alone is checked)")
    where = "X API v2" if report.backend == "x" else f"the {report.backend} backend"
    field("backend", f"{where}; v2 at {report.api_base}")
    if report.user is not None:
        field("user", f"@{report.user['username']} ({report.user['id']})")
    else:
        field("user", "not known (users/me was not answered)")
    said = f"you said {report.believed_plan} ({report.believed_from})"
    if report.plan == report.believed_plan:
        field("plan", f"{report.plan}; {said}, and nothing contradicts it")
    else:
        field("plan", f"{report.plan}, from the answers; {said}")
    for item in report.evidence:
        mark = "" if item.applied else " [not used: it contradicts the answers]"
        lines.extend(_wrap(f"- {item.what}{mark}", " " * 13))
    possible = {True: "possible", False: "not possible", None: "not checked"}
    field("writes", f"{possible[report.writes_possible]}: {report.writes}")
    for probe in report.probes:
        if not probe.sent:
            answered = f"skipped; {probe.outcome}"
        elif probe.problem is not None:  # the plain words are in the rows below
            answered = f"{probe.status or 'no answer'} {probe.problem}"
        else:
            answered = f"{probe.status}; {probe.outcome}"
        field("request", f"{probe.request} [{probe.price}]: {answered}")
    if report.probes and not any(p.sent for p in report.probes):
        field(
            "consent",
            f"nothing billable was sent ({report.consent}); --yes allows the requests above",
        )
    field("spent", report.spent.describe() + f" on {report.plan}")
    for note in report.notes:
        field("note", note)
    lines.append("")
    lines.append(f"{'legacy call':<18} {'verdict':<7} price per call on {report.plan}")
    previous: Row | None = None
    for row in report.rows:
        verdict = "can" if row.can else "cannot"
        priced = _wrap(row.price, " " * 27)
        priced[0] = f"{row.call:<18} {verdict:<7} " + priced[0].lstrip()
        lines.extend(priced)
        checked = "" if row.checked else " [not checked]"
        why = row.why if previous is None or previous.why != row.why else f"as {previous.call}"
        lines.extend(_wrap(f"why: {why}{checked}", " " * 27))
        previous = row
    if report.gateway is not None:
        gw = report.gateway
        lines.append("")
        accepted = {True: "accepted", False: "rejected", None: "not checked"}[gw["key_accepted"]]
        field("gateway", f"{gw['url']}; API key {gw['key']}: {accepted}")
        field("", gw["answer"])
        lists = gw["lists_with"] or "nothing (set X user credentials)"
        field(
            "",
            f"routes {gw['like_route']}, {gw['unlike_route']}; posts read through "
            f"{gw['read']}; likes listed with {lists}",
        )
        if gw["tier"] is not None:
            rpm = gw["requests_per_minute"]
            per = f"{rpm} requests per minute per key" if rpm else "custom limits"
            field("", f"tier {gw['tier']}: {per} (api-reference_rate-limits.mdx)")
    lines.append("")
    if report.exit_status == 0:
        lines.append("exit status 0: every legacy favorites call can be served")
    else:
        cannot = ", ".join(r.call for r in report.rows if not r.can)
        lines.append(f"exit status 1: {cannot} cannot be served (see why above)")
    return "\n".join(lines)


# -- the command ----------------------------------------------------------------------------------


def _terminal_consent(*, yes: bool, emulator: bool, stdin: TextIO, stderr: TextIO) -> Consent:
    def ask(probes: Sequence[Probe], plan: Plan) -> tuple[bool, str]:
        if yes:
            return True, "allowed by --yes"
        if emulator:
            return True, "the emulator: nothing real is spent"
        if not stdin.isatty():
            return False, "no terminal to ask and no --yes"
        print(f"compat doctor would send (worst-case prices on {plan.name}):", file=stderr)
        for probe in probes:
            print(f"  {probe.request}  [{probe.price}]", file=stderr)
        total = sum(p.worst_micro_usd for p in probes)
        print(
            f"at most {format_usd(total)} with a published price. Send? [y/N] ", end="", file=stderr
        )
        stderr.flush()
        try:
            answer = stdin.readline().strip().lower()
        except KeyboardInterrupt:  # Ctrl-C at the question is a no
            answer = ""
        if answer in ("y", "yes"):
            return True, "allowed on the terminal"
        return False, "declined on the terminal"

    return ask


def _unliked_post(emu: Emulator) -> str:
    """A post of the emulator's dataset its default user has not liked (for the write probe)."""
    dataset = emu.dataset
    for tweet_id in sorted(dataset.tweets):
        if tweet_id not in dataset.deleted and not emu.state.is_liked(emu.user_id, tweet_id):
            return tweet_id
    raise ConfigurationError("the emulator dataset has no post its default user has not liked")


#: Likes the emulator's user starts with under ``--emulator``, so the listing has posts to bill.
EMULATOR_LIKES = 20


def _believed(args: argparse.Namespace, settings: _settings.Settings) -> tuple[str, str]:
    """The plan the user believes the keys are on, and where that came from."""
    if args.plan:
        return args.plan, "--plan"
    if args.emulator:
        return args.emulator_plan or DEFAULT_PLAN, "the emulator's plan"
    if _environment.setting("plan"):
        return settings.plan, "$COMPAT_PLAN"
    return settings.plan, "the default"


def _main(args: argparse.Namespace) -> int:
    out: TextIO = sys.stdout
    err: TextIO = sys.stderr
    try:
        if args.emulator_plan is not None and not args.emulator:
            raise ConfigurationError("--emulator-plan goes with --emulator")
        if args.emulator and args.api_base is not None:
            raise ConfigurationError("pass either --emulator or --api-base")
        if args.probe_write is not None:
            snowflake(args.probe_write, "--probe-write")  # before anything is started or sent
        with contextlib.ExitStack() as stack:
            options: dict[str, object] = {"api_base": args.api_base, "plan": args.plan}
            probe_write = args.probe_write
            family: str | None
            if args.emulator:
                emulated = args.emulator_plan or DEFAULT_PLAN
                emu = stack.enter_context(Emulator(plan=emulated, likes=EMULATOR_LIKES))
                options.update(credentials=emu.credentials, api_base=emu.base_url, backend="x")
                family = "the emulator's test credentials"
                probe_write = probe_write or _unliked_post(emu)
                print(f"compat doctor: v2 emulator at {emu.base_url} ({emulated})", file=err)
            else:
                family = credential_family()
            settings = _settings.resolve(options, door="compat doctor", layered=False)
            if not settings.accounts and settings.backend_name != "gateway":
                print(
                    "compat doctor: no credentials found; looked for (per family, the four "
                    "OAuth 1.0a values or a user access token): " + _environment.looked_for(),
                    file=err,
                )
                return 2
            believed, believed_from = _believed(args, settings)
            consent = _terminal_consent(
                yes=args.yes, emulator=args.emulator, stdin=sys.stdin, stderr=err
            )
            report = diagnose(
                settings,
                family=family,
                believed_plan=believed,
                believed_from=believed_from,
                consent=consent,
                probe_write=probe_write,
            )
    except CompatError as exc:
        shown = str(exc)
        print(shown if shown.startswith("compat doctor") else f"compat doctor: {shown}", file=err)
        return 2
    if args.format == "json":
        print(json.dumps(report.to_json(), indent=2), file=out)
    else:
        print(render_text(report), file=out)
    return report.exit_status


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``compat doctor`` to the ``compat`` command line."""
    parser = subparsers.add_parser(
        "doctor",
        help="say what your keys can do and what each legacy favorites call will cost",
        description=(
            "Check the credentials in the environment (or the emulator's) against the X API: "
            "who they act as, the plan, whether writes work, and per legacy favorites call "
            "whether it can be served and its price. Nothing billable is sent without --yes "
            "or a yes on the terminal. Exit 0: every call can be served; 1: some cannot; "
            "2: bad usage or no credentials."
        ),
        epilog="example: compat doctor --yes --probe-write 1626194750222094336",
    )
    parser.add_argument(
        "--yes", action="store_true", help="allow the billable requests without asking"
    )
    parser.add_argument(
        "--probe-write",
        metavar="POST_ID",
        help="unlike this post, one you have NOT liked (an idempotent no-op), to check writes",
    )
    parser.add_argument("--api-base", metavar="URL", help="v2 base URL ($COMPAT_API_BASE)")
    parser.add_argument(
        "--plan",
        choices=PLAN_NAMES,
        help="the plan you believe the keys are on ($COMPAT_PLAN); the answers win",
    )
    parser.add_argument(
        "--emulator",
        action="store_true",
        help="check the embedded emulator's keys instead (nothing real is spent)",
    )
    parser.add_argument(
        "--emulator-plan",
        choices=PLAN_NAMES,
        help=f"with --emulator: the plan it serves (default {DEFAULT_PLAN})",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help=f"text for people (default) or json, a machine-readable report (version "
        f"{REPORT_VERSION})",
    )
    parser.add_argument(
        "--json", dest="format", action="store_const", const="json", help="--format json"
    )
    parser.set_defaults(func=_main)
