"""The runtime audit: one JSON line per legacy favorites call the shim served.

Written when the shim runs with ``install(audit_log=PATH)``, ``configure(audit_log=PATH)`` or
``COMPAT_AUDIT_LOG=PATH``, by :class:`AuditLog` (core code in :mod:`compat._auditlog`,
re-exported here with :data:`LOG_VERSION` and :func:`scrub_params`). Each line says which
v1.1 endpoint was called with which parameters (never a secret: ``oauth_*`` and anything
named like a token, key, secret or signature is dropped), from which ``file:line`` of the
caller, the v2 requests it became, their latency, the rate-limit headroom after it and the
v1.1 fields that v2 could not supply.

Writes are append-only ``O_APPEND`` single writes under an advisory ``flock``, so several
threads and processes can share one log; a full disk or an unwritable path never breaks the
user's call (one warning, then silence).

:func:`summarise` reads one or more logs back (``compat audit --runtime LOG...``): calls per
endpoint, v2 requests per call, failed calls by v1.1 status/code, the peak v2 requests per
15-minute and 24-hour sliding window per v2 endpoint against :data:`V2_LIMITS` with the
projected 429s, the v1.1 fields sent as null/default, and the slowest calls. The line format
and the summary's JSON are documented field by field in the README ("Runtime audit").

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
from collections import Counter
from collections.abc import Mapping, Sequence

from compat._auditlog import LOG_VERSION, AuditLog, scrub_params
from compat._v2 import (
    LIKES_DAY_LIMIT,
    LIKES_DAY_SHARED,
    ROUTES,
    V2_ENDPOINTS,
    WINDOW_15MIN,
    WINDOW_24H,
)
from compat.audit.model import (
    CorruptLine,
    ErrorCount,
    LegacyUsage,
    LimitUsage,
    SlowCall,
    V2Limit,
    V2Usage,
)
from compat.audit.report import RuntimeReport

__all__ = [
    "LEGACY_ENDPOINTS",
    "LOG_VERSION",
    "V2_ENDPOINTS",
    "V2_LIMITS",
    "AuditLog",
    "CorruptLine",
    "ErrorCount",
    "LegacyUsage",
    "LimitUsage",
    "RuntimeReport",
    "SlowCall",
    "V2Limit",
    "V2Usage",
    "scrub_params",
    "summarise",
]

log = logging.getLogger("compat.audit")


# --- the summary: ``compat audit --runtime LOG`` ----------------------------------------------

# V2_ENDPOINTS, WINDOW_15MIN and WINDOW_24H are compat._v2's, re-exported: a summary lists the
# v2 endpoints compat calls in V2_ENDPOINTS order.


def _v2_limits() -> tuple[V2Limit, ...]:
    """Each endpoint's per-user 15-minute limit in :data:`V2_ENDPOINTS` order, and the shared
    24-hour like/unlike limit right after the last endpoint it covers, so that a request that
    breaks both is charged to the 15-minute one."""
    shared = tuple(e for e in V2_ENDPOINTS if e in LIKES_DAY_SHARED)
    limits: list[V2Limit] = []
    for endpoint in V2_ENDPOINTS:
        per_user = ROUTES[endpoint].user_limit
        if per_user is not None:
            limits.append(V2Limit(endpoint, (endpoint,), WINDOW_15MIN, per_user))
        if shared and endpoint == shared[-1]:
            limits.append(V2Limit("+".join(shared), shared, WINDOW_24H, LIKES_DAY_LIMIT))
    return tuple(limits)


#: The v2 limits the summary checks, per user (from :data:`compat._v2.ROUTES` and
#: :data:`compat._v2.LIKES_DAY_LIMIT`). A request must fit every limit naming its endpoint;
#: when it does not, the first such limit in this order is the one it breaks.
V2_LIMITS: tuple[V2Limit, ...] = _v2_limits()

#: The legacy endpoints the shim serves, always listed (in this order) in a summary.
LEGACY_ENDPOINTS: tuple[str, ...] = ("favorites/create", "favorites/destroy", "favorites/list")
SLOWEST = 5
CORRUPT_EXAMPLES = 10


@dataclasses.dataclass
class _Entry:
    time: datetime.datetime
    order: int
    endpoint: str
    caller: str | None
    latency_ms: float
    status: int | None
    v2: list[tuple[str, int | None]] | None
    error: tuple[str, list[int]] | None
    missing: list[str]
    account: str | None


class _Corrupt(ValueError):
    pass


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


def _parse_entry(raw: bytes, order: int) -> _Entry:
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise _Corrupt("not UTF-8") from None
    except ValueError:
        raise _Corrupt("not JSON (a torn or truncated line?)") from None
    if not isinstance(data, dict):
        raise _Corrupt("not a JSON object")
    endpoint = data.get("endpoint")
    if not isinstance(endpoint, str) or not endpoint:
        raise _Corrupt("no endpoint")
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
    v2: list[tuple[str, int | None]] | None = None
    if "v2_requests" in data:
        requests = data["v2_requests"]
        if not isinstance(requests, list) or not all(
            isinstance(r, dict) and isinstance(r.get("endpoint"), str) for r in requests
        ):
            raise _Corrupt("bad v2_requests")
        v2 = [
            (r["endpoint"], r.get("status") if _is_int(r.get("status")) else None) for r in requests
        ]
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


def _read(paths: Sequence[str], corrupt: list[CorruptLine]) -> tuple[list[_Entry], int]:
    entries: list[_Entry] = []
    bad = 0
    for path in paths:
        with open(path, "rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                try:
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


def _simulate(requests: Sequence[tuple[int, str]]) -> tuple[Counter[str], Counter[str]]:
    """Replay ``(time in microseconds, v2 endpoint)`` (sorted) against :data:`V2_LIMITS`.

    A request is answered 429 when any limit naming its endpoint already holds ``limit``
    answered requests in the trailing window ``(t - window_s, t]``; a 429 uses no quota.
    Returns the projected 429s per limit name and per endpoint.
    """
    windows: dict[str, collections.deque[int]] = {
        lim.name: collections.deque() for lim in V2_LIMITS
    }
    by_limit: Counter[str] = Counter()
    by_endpoint: Counter[str] = Counter()
    for t, endpoint in requests:
        applying = [lim for lim in V2_LIMITS if endpoint in lim.endpoints]
        blocked: V2Limit | None = None
        for lim in applying:
            window = windows[lim.name]
            while window and window[0] <= t - lim.window_s * _SECOND:
                window.popleft()
            if blocked is None and len(window) >= lim.limit:
                blocked = lim
        if blocked is not None:
            by_limit[blocked.name] += 1
            by_endpoint[endpoint] += 1
            continue
        for lim in applying:
            windows[lim.name].append(t)
    return by_limit, by_endpoint


def summarise(paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]]) -> RuntimeReport:
    """Summarise one or more audit logs written by :class:`AuditLog`.

    Lines that are not audit entries (torn, truncated, not JSON, missing ``endpoint`` or
    ``time``) are skipped and counted; blank lines are ignored. Lines of all the logs are
    merged in time order. Each v2 request is counted at its legacy call's ``time``. Peaks are
    over sliding windows (``[t, t + 15 min)``, ``[t, t + 24 h)``); the projected 429s replay
    the requests against :data:`V2_LIMITS` (see :func:`_simulate`), per user: a log holding
    several accounts' calls overstates them.

    Raises :class:`OSError` (``FileNotFoundError``, ``IsADirectoryError``, ``PermissionError``)
    when a log cannot be read.

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
    requests: dict[str | None, list[tuple[int, str]]] = {}
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
            for endpoint, status in entry.v2:
                requests.setdefault(entry.account, []).append((stamp, endpoint))
                if status == 429:
                    observed[endpoint] += 1
        missing.update(set(entry.missing))

    v2, limits = _windows(requests, observed)
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
    )


def _windows(
    requests: Mapping[str | None, Sequence[tuple[int, str]]], observed: Counter[str]
) -> tuple[list[V2Usage], list[LimitUsage]]:
    """Peaks and projected 429s, per account (the limits are per user), then combined: the
    peaks are the highest of any account, the requests and 429s the sums."""
    endpoints = list(V2_ENDPOINTS)
    endpoints += sorted({e for reqs in requests.values() for _, e in reqs} - set(endpoints))
    v2_rows: dict[str, list[int]] = {e: [0, 0, 0, 0] for e in endpoints}
    limit_rows: dict[str, tuple[int, int, int | None, int]] = {
        lim.name: (0, 0, None, 0) for lim in V2_LIMITS
    }
    for account in sorted(requests, key=lambda a: (a is not None, a or "")):
        reqs = requests[account]
        by_endpoint: dict[str, list[int]] = {}
        for stamp, endpoint in reqs:
            by_endpoint.setdefault(endpoint, []).append(stamp)
        blocked_by_limit, blocked_by_endpoint = _simulate(reqs)
        for endpoint, times in by_endpoint.items():
            row = v2_rows[endpoint]
            row[0] += len(times)
            row[1] = max(row[1], _peak(times, WINDOW_15MIN)[0])
            row[2] = max(row[2], _peak(times, WINDOW_24H)[0])
            row[3] += blocked_by_endpoint[endpoint]
        for lim in V2_LIMITS:
            times = sorted(t for e in lim.endpoints for t in by_endpoint.get(e, ()))
            if not times:
                continue
            peak, at = _peak(times, lim.window_s)
            total, best, start, refused = limit_rows[lim.name]
            if peak > best or (peak == best and start is not None and times[at] < start):
                best, start = peak, times[at]
            limit_rows[lim.name] = (
                total + len(times),
                best,
                start,
                refused + blocked_by_limit[lim.name],
            )
    v2: list[V2Usage] = []
    for endpoint, (total, peak_15, peak_24, refused) in v2_rows.items():
        own = [lim for lim in V2_LIMITS if endpoint in lim.endpoints]
        v2.append(
            V2Usage(
                endpoint=endpoint,
                requests=total,
                peak_15min=peak_15,
                peak_24h=peak_24,
                limit_15min=next((x.limit for x in own if x.window_s == WINDOW_15MIN), None),
                limit_24h=next((x.limit for x in own if x.window_s == WINDOW_24H), None),
                projected_429s=refused,
                observed_429s=observed[endpoint],
            )
        )
    limits: list[LimitUsage] = []
    for lim in V2_LIMITS:
        total, peak, start, refused = limit_rows[lim.name]
        limits.append(LimitUsage(lim, total, peak, None if start is None else _utc(start), refused))
    return v2, limits


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
_MICRO = datetime.timedelta(microseconds=1)
_SECOND = 1_000_000  # microseconds: windows are compared in exact integers


def _micros(when: datetime.datetime) -> int:
    return (when - _EPOCH) // _MICRO


def _utc(micros: int) -> datetime.datetime:
    return _EPOCH + datetime.timedelta(microseconds=micros)
