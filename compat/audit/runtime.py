"""The runtime audit: one JSON line per legacy favorites call the shim served.

Written when the shim runs with ``install(audit_log=PATH)``, ``configure(audit_log=PATH)`` or
``COMPAT_AUDIT_LOG=PATH``, by :class:`AuditLog` (core code in :mod:`compat._auditlog`,
re-exported here with :data:`LOG_VERSION`, :func:`resource_digest` and :func:`scrub_params`).
Each line says which v1.1 endpoint was called with which parameters (never a secret:
``oauth_*`` and anything named like a token, key, secret or signature is dropped), from which
``file:line`` of the caller, the v2 requests it became, their latency, the resources each
answer returned (as digests), what the call cost, the rate-limit headroom after it and the
v1.1 fields that v2 could not supply.

Writes are append-only ``O_APPEND`` single writes under an advisory ``flock``, so several
threads and processes can share one log; a full disk or an unwritable path never breaks the
user's call (one warning, then silence).

:func:`summarise` reads one or more logs back (``compat audit --runtime LOG...``) against one
plan of :mod:`compat._plans` (``--plan``, default ``pay-per-use``): calls per endpoint, v2
requests per call, failed calls by v1.1 status/code, the peak v2 requests per 15-minute and
24-hour sliding window per v2 endpoint against the plan's limits (:func:`v2_limits`) with the
projected 429s and the requests the plan refuses, the bill (every line re-priced under the
plan, each post and user charged once per UTC day across all the lines), the v1.1 fields sent
as null/default, and the slowest calls. The line format and the summary's JSON are documented
field by field in the README ("Runtime audit").

Usage::

    >>> import json, pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "audit.jsonl"
    >>> AuditLog(path).record(endpoint="favorites/list", params={"count": "20"},
    ...                       caller="bot.py:12", outcome=None, error=None, latency_ms=3.2)
    >>> json.loads(path.read_text())["endpoint"]
    'favorites/list'
    >>> summarise(path).calls
    1
"""

from __future__ import annotations

import collections
import dataclasses
import datetime
import heapq
import json
import logging
import math
import os
import re
from collections import Counter
from collections.abc import Hashable, Iterator, Mapping, Sequence
from typing import Any

from compat._auditlog import LOG_VERSION, AuditLog, resource_digest, scrub_params
from compat._plans import Plan, get_plan
from compat._pricing import DayLedger, charge
from compat._v2 import ROUTES, V2_ENDPOINTS, WINDOW_15MIN, WINDOW_24H
from compat.audit.model import (
    CorruptLine,
    CostSummary,
    DayCost,
    EndpointCost,
    ErrorCount,
    LegacyUsage,
    LimitUsage,
    SlowCall,
    V2Limit,
    V2Usage,
)
from compat.audit.report import RuntimeReport

__all__ = [
    "DEFAULT_PLAN",
    "LEGACY_ENDPOINTS",
    "LOG_VERSION",
    "V2_ENDPOINTS",
    "V2_LIMITS",
    "AuditLog",
    "CorruptLine",
    "CostSummary",
    "DayCost",
    "EndpointCost",
    "ErrorCount",
    "LegacyUsage",
    "LimitUsage",
    "RuntimeReport",
    "SlowCall",
    "V2Limit",
    "V2Usage",
    "resource_digest",
    "scrub_params",
    "summarise",
    "v2_limits",
]

log = logging.getLogger("compat.audit")


# --- the summary: ``compat audit --runtime LOG`` ----------------------------------------------

# V2_ENDPOINTS, WINDOW_15MIN and WINDOW_24H are compat._v2's, re-exported: a summary lists the
# v2 endpoints compat calls in V2_ENDPOINTS order.

#: The plan a summary is checked and priced against unless told: today's self-serve plan.
DEFAULT_PLAN = "pay-per-use"


def _limit_name(endpoints: tuple[str, ...], window_s: int, per: str, shared: bool) -> str:
    name = "+".join(endpoints)
    if window_s != WINDOW_15MIN and not (shared and len(endpoints) > 1):
        name += f"/{V2Limit(name, endpoints, window_s, 0).window}"
    return name + (" per app" if per == "app" else "")


def v2_limits(plan: Plan) -> tuple[V2Limit, ...]:
    """The limits of ``plan`` (the plans table) on the v2 endpoints compat calls.

    In :data:`V2_ENDPOINTS` order, each endpoint's own limits (per user before per app, 15
    minutes before longer windows), and a window several endpoints share (like and unlike's 24
    hours) right after the last endpoint it covers, so that a request that breaks both is
    charged to its own limit. An endpoint the plan does not offer has none.

    >>> [lim.name for lim in v2_limits(get_plan("pay-per-use"))][:3]
    ['liked_tweets', 'liked_tweets per app', 'tweets']
    """
    shared: dict[str, list[tuple[str, int, int, str]]] = {}
    for endpoint in V2_ENDPOINTS:
        terms = plan.terms(endpoint)
        for lim in terms.limits if terms.available else ():
            if lim.shared is not None:
                shared.setdefault(lim.shared, []).append(
                    (endpoint, lim.window_s, lim.requests, lim.per)
                )
    limits: list[V2Limit] = []
    for endpoint in V2_ENDPOINTS:
        terms = plan.terms(endpoint)
        own = [lim for lim in terms.limits if lim.shared is None] if terms.available else []
        for lim in sorted(own, key=lambda x: (x.window_s, x.per != "user")):
            limits.append(
                V2Limit(
                    _limit_name((endpoint,), lim.window_s, lim.per, False),
                    (endpoint,),
                    lim.window_s,
                    lim.requests,
                    lim.per,
                )
            )
        for members in shared.values():
            if members[-1][0] == endpoint:
                covered = tuple(m[0] for m in members)
                _, window_s, requests, per = members[0]
                limits.append(
                    V2Limit(
                        _limit_name(covered, window_s, per, True), covered, window_s, requests, per
                    )
                )
    return tuple(limits)


#: The limits of the default plan (:data:`DEFAULT_PLAN`); :func:`v2_limits` gives any plan's.
#: A request must fit every limit naming its endpoint; when it does not, the first such limit
#: in this order is the one it breaks.
V2_LIMITS: tuple[V2Limit, ...] = v2_limits(get_plan(DEFAULT_PLAN))

#: The legacy endpoints the shim serves, always listed (in this order) in a summary.
LEGACY_ENDPOINTS: tuple[str, ...] = ("favorites/create", "favorites/destroy", "favorites/list")
SLOWEST = 5
CORRUPT_EXAMPLES = 10
#: A line longer than this (bytes) is corrupt: skipped without being held whole in memory.
MAX_LINE = 1_000_000
_MAX_TEXT = 200  # characters kept of a line's endpoint, caller or field name


@dataclasses.dataclass(frozen=True)
class _Request:
    """One v2 request of a line. ``posts``/``users``: the digests of what its answer returned
    (None: a version-1 line, which does not say); ``owned``: priced as an Owned Read."""

    endpoint: str
    status: int | None
    method: str
    posts: tuple[str, ...] | None
    users: tuple[str, ...] | None
    owned: bool


@dataclasses.dataclass
class _Entry:
    time: datetime.datetime
    order: int
    endpoint: str
    caller: str | None
    latency_ms: float
    status: int | None
    v2: list[_Request] | None
    error: tuple[str, list[int]] | None
    missing: list[str]
    account: str | None


class _Corrupt(ValueError):
    pass


_ENDPOINT_RE = re.compile(r"[a-z0-9_]+(?:/[a-z0-9_]+){1,3}")


def _parse_time(value: object) -> datetime.datetime:
    if not isinstance(value, str):
        raise _Corrupt("no time")
    text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value  # for Python 3.10
    try:
        when = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise _Corrupt(f"bad time {value[:40]!r}") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    return when.astimezone(datetime.timezone.utc)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _digests(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(d, str) for d in value):
        raise _Corrupt("bad v2_requests")
    return tuple(value)


def _request(raw: Mapping[str, object], *, resources: bool) -> _Request:
    """One v2 request of a line; ``resources``: the line's version records what answers
    returned (from version 2), so a request without ``posts`` returned none."""
    endpoint = str(raw["endpoint"])
    status = raw.get("status")
    method = raw.get("method")
    if not isinstance(method, str):
        route = ROUTES.get(endpoint)
        method = route.method if route is not None else "GET"
    return _Request(
        endpoint=endpoint,
        status=status if isinstance(status, int) and not isinstance(status, bool) else None,
        method=method,
        posts=_digests(raw.get("posts")) if resources else None,
        users=_digests(raw.get("users")) if resources else None,
        owned=raw.get("owned") is True,
    )


def _parse_entry(raw: bytes, order: int) -> _Entry:
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise _Corrupt("not UTF-8") from None
    except ValueError:
        raise _Corrupt("not JSON (a torn or truncated line?)") from None
    except RecursionError:
        raise _Corrupt("JSON nested too deeply") from None
    if not isinstance(data, dict):
        raise _Corrupt("not a JSON object")
    endpoint = data.get("endpoint")
    if not isinstance(endpoint, str) or not endpoint:
        raise _Corrupt("no endpoint")
    if len(endpoint) > _MAX_TEXT or not _ENDPOINT_RE.fullmatch(endpoint):
        raise _Corrupt("bad endpoint")
    when = _parse_time(data.get("time"))
    latency = data.get("latency_ms", 0.0)
    if (
        not isinstance(latency, int | float)
        or isinstance(latency, bool)
        or not math.isfinite(latency)
        or latency < 0
    ):
        raise _Corrupt("bad latency_ms")
    caller = data.get("caller")
    account = data.get("account")
    if account is not None and not isinstance(account, str | int):
        raise _Corrupt("bad account")
    status = data.get("status")
    version = data.get("v", 1)
    v2: list[_Request] | None = None
    if "v2_requests" in data:
        requests = data["v2_requests"]
        if not isinstance(requests, list) or not all(
            isinstance(r, dict) and isinstance(r.get("endpoint"), str) for r in requests
        ):
            raise _Corrupt("bad v2_requests")
        v2 = [_request(r, resources=_is_int(version) and version >= 2) for r in requests]
    error: tuple[str, list[int]] | None = None
    if data.get("error") is not None:
        err = data["error"]
        if not isinstance(err, dict):
            raise _Corrupt("bad error")
        codes = err.get("v1_codes") or []
        error = (
            str(err.get("type") or "error"),
            [c for c in codes if _is_int(c)] if isinstance(codes, list) else [],
        )
    missing = data.get("missing_fields") or []
    if not isinstance(missing, list) or not all(isinstance(m, str) for m in missing):
        raise _Corrupt("bad missing_fields")
    missing = [m[:_MAX_TEXT] for m in missing]
    if isinstance(caller, str):
        caller = caller[:_MAX_TEXT]
    return _Entry(
        time=when,
        order=order,
        endpoint=endpoint,
        caller=caller if isinstance(caller, str) else None,
        latency_ms=float(latency),
        status=status if _is_int(status) else None,
        v2=v2,
        error=error,
        missing=missing,
        account=None if account is None else str(account),
    )


def _lines(handle: Any) -> Iterator[bytes | None]:
    """The lines of a binary file, each read at most :data:`MAX_LINE` bytes at a time; a
    longer line is yielded as None (and its rest skipped), so a 60 MB line is never held."""
    while True:
        raw = handle.readline(MAX_LINE + 1)
        if not raw:
            return
        if len(raw) > MAX_LINE and not raw.endswith(b"\n"):
            while True:
                rest = handle.readline(MAX_LINE)
                if not rest or rest.endswith(b"\n"):
                    break
            yield None
            continue
        yield raw


def _read(paths: Sequence[str], corrupt: list[CorruptLine]) -> tuple[list[_Entry], int]:
    entries: list[_Entry] = []
    bad = 0
    for path in paths:
        with open(path, "rb") as handle:
            for number, raw in enumerate(_lines(handle), start=1):
                if raw is not None and not raw.strip():
                    continue
                try:
                    if raw is None:
                        raise _Corrupt(f"line longer than {MAX_LINE:,} bytes")
                    entries.append(_parse_entry(raw, len(entries)))
                except _Corrupt as exc:
                    bad += 1
                    if len(corrupt) < CORRUPT_EXAMPLES:
                        corrupt.append(CorruptLine(path, number, str(exc)))
    log.debug("audit.runtime_read logs=%s entries=%s corrupt=%s", len(paths), len(entries), bad)
    return entries, bad


def _peak(times: Sequence[int], window_s: int) -> tuple[int, int]:
    """The most ``times`` (sorted, in microseconds) inside any window ``[t, t + window_s)``,
    and the index of the first one of the earliest such window (0 when there are none)."""
    span = window_s * _SECOND
    best, best_at, start = 0, 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= span:
            start += 1
        if end - start + 1 > best:
            best, best_at = end - start + 1, start
    return best, best_at


#: One v2 request in the replay: (time in microseconds, account, v2 endpoint).
_Timed = tuple[int, str | None, str]


def _simulate(
    requests: Sequence[_Timed], limits: Sequence[V2Limit], refused: frozenset[str]
) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """Replay the requests (in time order) against ``limits``.

    A request to an endpoint in ``refused`` (one the plan does not offer) is refused and uses
    no quota. Any other is answered 429 when a limit naming its endpoint already holds
    ``limit`` answered requests in the trailing window ``(t - window_s, t]``, counted per
    account for a per-user limit and over every account for a per-app one; a 429 uses no
    quota. Returns the projected 429s per limit name and per endpoint, and the refusals per
    endpoint.
    """
    windows: dict[tuple[str, str | None], collections.deque[int]] = {}
    by_limit: Counter[str] = Counter()
    by_endpoint: Counter[str] = Counter()
    refusals: Counter[str] = Counter()
    for t, account, endpoint in requests:
        if endpoint in refused:
            refusals[endpoint] += 1
            continue
        applying = [
            (lim, windows.setdefault((lim.name, account if lim.per == "user" else None), _deque()))
            for lim in limits
            if endpoint in lim.endpoints
        ]
        blocked: V2Limit | None = None
        for lim, window in applying:
            while window and window[0] <= t - lim.window_s * _SECOND:
                window.popleft()
            if blocked is None and len(window) >= lim.limit:
                blocked = lim
        if blocked is not None:
            by_limit[blocked.name] += 1
            by_endpoint[endpoint] += 1
            continue
        for _lim, window in applying:
            window.append(t)
    return by_limit, by_endpoint, refusals


def _deque() -> collections.deque[int]:
    return collections.deque()


def summarise(
    paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    plan: str | Plan = DEFAULT_PLAN,
    calls_per_day: float | None = None,
) -> RuntimeReport:
    """Summarise one or more audit logs written by :class:`AuditLog` against ``plan`` (a
    name of :data:`compat._plans.PLAN_NAMES` or a :class:`~compat._plans.Plan`).

    Lines that are not audit entries (torn, truncated, not JSON, missing ``endpoint`` or
    ``time``) are skipped and counted; blank lines are ignored. Lines of all the logs are
    merged in time order. Each v2 request is counted at its legacy call's ``time``. Peaks are
    over sliding windows (``[t, t + 15 min)``, ``[t, t + 24 h)``); the projected 429s replay
    the requests against the plan's limits (see :func:`_simulate`), per user (by the lines'
    ``account``: a log holding several accounts' calls without it overstates them) and per
    app (all the lines). The bill re-prices every successful v2 request under the plan, each
    post and user charged once per UTC day of the lines' ``time`` across every line (the
    logs are taken to be one app's: X bills per app).

    Raises :class:`OSError` (``FileNotFoundError``, ``IsADirectoryError``, ``PermissionError``)
    when a log cannot be read, :class:`~compat.errors.ConfigurationError` for an unknown plan.

    Usage::

        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "audit.jsonl"
        >>> AuditLog(path).record(endpoint="favorites/list", params={}, caller="bot.py:3",
        ...                       outcome=None, error=None, latency_ms=12.5)
        >>> with open(path, "a") as f:
        ...     _ = f.write('{"torn": \\n')
        >>> report = summarise(path)
        >>> report.calls, report.corrupt_lines, report.exit_code
        (1, 1, 0)
        >>> report.slowest[0].caller
        'bot.py:3'
    """
    chosen = plan if isinstance(plan, Plan) else get_plan(plan)
    if isinstance(paths, str | os.PathLike):
        names = [os.fspath(paths)]
    else:
        names = [os.fspath(p) for p in paths]
    corrupt: list[CorruptLine] = []
    entries, bad = _read(names, corrupt)
    entries.sort(key=lambda e: (e.time, e.order))

    legacy: dict[str, dict[str, int]] = {
        name: dict.fromkeys(("calls", "errors", "measured", "v2", "max"), 0)
        for name in LEGACY_ENDPOINTS
    }
    errors: Counter[tuple[int | None, int | None, str]] = Counter()
    missing: Counter[str] = Counter()
    affected: dict[str, Counter[str]] = {}  # field -> the calls it affected, by endpoint
    requests: list[_Timed] = []
    observed: Counter[str] = Counter()
    for entry in entries:
        usage = legacy.setdefault(
            entry.endpoint, dict.fromkeys(("calls", "errors", "measured", "v2", "max"), 0)
        )
        usage["calls"] += 1
        if entry.error is not None:
            usage["errors"] += 1
            kind, codes = entry.error  # one count per call: its first v1.1 code names it
            errors[(entry.status, codes[0] if codes else None, kind)] += 1
        if entry.v2 is not None:
            usage["measured"] += 1
            usage["v2"] += len(entry.v2)
            usage["max"] = max(usage["max"], len(entry.v2))
        stamp = _micros(entry.time)
        for request in entry.v2 or ():
            requests.append((stamp, entry.account, request.endpoint))
            if request.status == 429:
                observed[request.endpoint] += 1
        fields = set(entry.missing)
        missing.update(fields)
        for name in fields:
            affected.setdefault(name, Counter())[entry.endpoint] += 1

    v2, limits = _windows(requests, observed, chosen)
    slowest = heapq.nsmallest(SLOWEST, entries, key=lambda e: (-e.latency_ms, e.time, e.order))
    return RuntimeReport(
        logs=tuple(names),
        entries=len(entries),
        accounts=len({e.account for e in entries}),
        corrupt_lines=bad,
        corrupt_examples=tuple(corrupt),
        first=entries[0].time if entries else None,
        last=entries[-1].time if entries else None,
        legacy=tuple(
            LegacyUsage(name, u["calls"], u["errors"], u["measured"], u["v2"], u["max"])
            for name, u in legacy.items()
        ),
        v2=tuple(v2),
        limits=tuple(limits),
        errors=tuple(
            ErrorCount(status, code, kind, n)
            for (status, code, kind), n in sorted(
                errors.items(), key=lambda item: (-item[1], str(item[0]))
            )
        ),
        missing_fields=tuple(sorted(missing.items(), key=lambda item: (-item[1], item[0]))),
        slowest=tuple(
            SlowCall(
                e.time,
                e.endpoint,
                e.caller,
                e.latency_ms,
                len(e.v2) if e.v2 is not None else None,
                e.status,
            )
            for e in slowest
        ),
        plan=chosen,
        cost=_bill(entries, chosen),
        missing_groups=_missing_groups(affected),
        calls_per_day=calls_per_day,
    )


def _missing_groups(
    affected: Mapping[str, Counter[str]],
) -> tuple[tuple[tuple[str, ...], tuple[tuple[str, int], ...]], ...]:
    """Each missing field once, grouped with the others that affected exactly the same calls:
    ``((fields...), ((endpoint, calls), ...))``, the widest groups first."""
    groups: dict[tuple[tuple[str, int], ...], list[str]] = {}
    for name, calls in affected.items():
        groups.setdefault(tuple(sorted(calls.items())), []).append(name)
    return tuple(
        (tuple(sorted(names)), calls)
        for calls, names in sorted(
            groups.items(), key=lambda item: (-sum(n for _, n in item[0]), item[0])
        )
    )


def _refused(plan: Plan) -> frozenset[str]:
    """The endpoints the plan lists and does not offer (an endpoint it does not list at all
    is one compat knows nothing of: counted, never refused)."""
    return frozenset(e for e, terms in plan.endpoints.items() if not terms.available)


def _windows(
    requests: Sequence[_Timed], observed: Counter[str], plan: Plan
) -> tuple[list[V2Usage], list[LimitUsage]]:
    """Peaks, projected 429s and refusals. The per-user peaks are the busiest account's, the
    per-app ones all accounts'; the requests, 429s and refusals are sums."""
    limits = v2_limits(plan)
    refused = _refused(plan)
    by_limit, by_endpoint, refusals = _simulate(requests, limits, refused)
    endpoints = list(V2_ENDPOINTS)
    endpoints += sorted({e for _, _, e in requests} - set(endpoints))
    times: dict[tuple[str | None, str], list[int]] = {}
    for stamp, account, endpoint in requests:
        times.setdefault((account, endpoint), []).append(stamp)
    accounts = sorted({a for a, _ in times}, key=lambda a: (a is not None, a or ""))

    v2: list[V2Usage] = []
    for endpoint in endpoints:
        own = [lim for lim in limits if endpoint in lim.endpoints and lim.per == "user"]
        per_account = [times.get((a, endpoint), []) for a in accounts]
        terms = plan.terms(endpoint)
        v2.append(
            V2Usage(
                endpoint=endpoint,
                requests=sum(len(t) for t in per_account),
                peak_15min=max((_peak(t, WINDOW_15MIN)[0] for t in per_account), default=0),
                peak_24h=max((_peak(t, WINDOW_24H)[0] for t in per_account), default=0),
                limit_15min=next((x.limit for x in own if x.window_s == WINDOW_15MIN), None),
                limit_24h=next((x.limit for x in own if x.window_s == WINDOW_24H), None),
                projected_429s=by_endpoint[endpoint],
                observed_429s=observed[endpoint],
                available=terms.available or endpoint not in plan.endpoints,
                refused=refusals[endpoint],
            )
        )
    usage: list[LimitUsage] = []
    for lim in limits:
        if lim.per == "user":
            groups = [
                sorted(t for e in lim.endpoints for t in times.get((a, e), ())) for a in accounts
            ]
        else:
            groups = [sorted(t for (_, e), ts in times.items() if e in lim.endpoints for t in ts)]
        total, best, start = 0, 0, None
        for group in groups:
            total += len(group)
            if not group:
                continue
            peak, at = _peak(group, lim.window_s)
            if peak > best or (peak == best and start is not None and group[at] < start):
                best, start = peak, group[at]
        usage.append(
            LimitUsage(lim, total, best, None if start is None else _utc(start), by_limit[lim.name])
        )
    return v2, usage


def _bill(entries: Sequence[_Entry], plan: Plan) -> CostSummary:
    """Every successful v2 request of the lines (in time order) re-priced under ``plan``,
    each resource charged once per UTC day across all the lines."""
    ledger = DayLedger()
    rows: dict[str, dict[str, int]] = {}
    unpriced: dict[str, Counter[str]] = {}
    days: dict[datetime.date, list[int]] = {}
    for entry in entries:
        day = entry.time.date()  # entries are in UTC

        def claim(keys: Sequence[tuple[str, Hashable]], day: datetime.date = day) -> list[bool]:
            return ledger.claim(day, keys)

        for request in entry.v2 or ():
            row = rows.setdefault(request.endpoint, Counter())
            succeeded = request.status is not None and 200 <= request.status < 300
            if request.posts is None and request.method.upper() == "GET":
                if succeeded:
                    row["unknown"] += 1  # a version-1 line: what it returned is not known
                continue
            resources = [("post", d) for d in request.posts or ()]
            resources += [("user", d) for d in request.users or ()]
            cost = charge(
                plan,
                request.endpoint,
                request.method,
                request.status,
                resources,
                owned=request.owned,
                claim=claim,
            )
            if not cost.billed:
                continue
            row["requests"] += 1
            row["micro_usd"] += cost.micro_usd
            row["posts_read"] += cost.posts_read
            row["owned_reads"] += cost.owned_reads
            row["users_read"] += cost.users_read
            row["writes"] += cost.write is not None
            if cost.unpriced is not None:
                unpriced.setdefault(request.endpoint, Counter())[cost.unpriced] += 1
            totals = days.setdefault(day, [0, 0, 0])
            totals[0] += cost.micro_usd
            totals[1] += cost.posts_read
            totals[2] += cost.users_read
    order = [e for e in V2_ENDPOINTS if e in rows] + sorted(set(rows) - set(V2_ENDPOINTS))
    return CostSummary(
        plan=plan,
        endpoints=tuple(
            EndpointCost(
                endpoint,
                requests=rows[endpoint]["requests"],
                micro_usd=rows[endpoint]["micro_usd"],
                posts_read=rows[endpoint]["posts_read"],
                owned_reads=rows[endpoint]["owned_reads"],
                users_read=rows[endpoint]["users_read"],
                writes=rows[endpoint]["writes"],
                unpriced=tuple(sorted(unpriced.get(endpoint, Counter()).items())),
                unknown=rows[endpoint]["unknown"],
            )
            for endpoint in order
        ),
        days=tuple(DayCost(day, *totals) for day, totals in sorted(days.items())),
    )


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
_MICRO = datetime.timedelta(microseconds=1)
_SECOND = 1_000_000  # microseconds: windows are compared in exact integers


def _micros(when: datetime.datetime) -> int:
    return (when - _EPOCH) // _MICRO


def _utc(micros: int) -> datetime.datetime:
    return _EPOCH + datetime.timedelta(microseconds=micros)
