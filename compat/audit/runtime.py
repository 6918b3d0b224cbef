"""The runtime audit: one JSON line per legacy favorites call the shim served.

Written when the shim runs with ``install(audit_log=PATH)``, ``configure(audit_log=PATH)`` or
``COMPAT_AUDIT_LOG=PATH``. Each line says which v1.1 endpoint was called with which
parameters (never a secret: ``oauth_*`` and anything named like a token, key, secret or
signature is dropped), from which ``file:line`` of the caller, the v2 requests it became,
their latency, the rate-limit headroom after it and the v1.1 fields that v2 could not supply.

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
import re
import threading
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from compat.errors import ApiError, CompatError, InvalidParameter

if TYPE_CHECKING:
    from compat.favorites import Outcome
    from compat.transport import V2Call

try:  # advisory locking is POSIX-only; O_APPEND alone still keeps short lines whole
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

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

LOG_VERSION = 1
_SECRET_NAME = re.compile(r"oauth|token|secret|key|signature|password|auth", re.IGNORECASE)
_warned: set[str] = set()
_warned_lock = threading.Lock()


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def scrub_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters without anything that could be a credential."""
    return {k: v for k, v in params.items() if not _SECRET_NAME.search(str(k))}


class AuditLog:
    """Appends one JSON object per line to ``path``; see the module docstring.

    ``clock`` (tests) returns the aware datetime written as ``time``; default: now, in UTC.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        clock: Callable[[], datetime.datetime] | None = None,
    ) -> None:
        self.path = os.fspath(path)
        self._clock = clock if clock is not None else _now

    def __repr__(self) -> str:
        return f"AuditLog({self.path!r})"

    def record(
        self,
        *,
        endpoint: str,
        params: Mapping[str, Any],
        caller: str | None,
        outcome: Outcome | None,
        error: CompatError | None,
        latency_ms: float,
        account: str | None = None,
        calls: Sequence[V2Call] | None = None,
    ) -> None:
        """Append the line for one served legacy call; never raises.

        ``account`` (optional) names the account that made the call (its user id, say: never
        a credential); :func:`summarise` then checks the per-user rate limits per account.
        ``calls``: the v2 requests made, for a call that failed (a successful one's are in
        ``outcome``), so that they count in the rate-limit windows too.
        """
        entry: dict[str, Any] = {
            "v": LOG_VERSION,
            "time": self._clock().isoformat(timespec="milliseconds"),
            "pid": os.getpid(),
            "endpoint": endpoint,
            "params": scrub_params(params),
            "caller": caller,
            "latency_ms": round(latency_ms, 3),
        }
        if account is not None:
            entry["account"] = str(account)
        made = outcome.calls if outcome is not None else (calls or [])
        if outcome is not None or made:
            entry["v2_requests"] = [
                {
                    "method": c.method,
                    "path": c.path,
                    "status": c.status,
                    "ms": round(c.elapsed_ms, 3),
                    "endpoint": c.endpoint,
                }
                for c in made
            ]
        if outcome is not None:
            entry["status"] = 200
            entry["rate_limit"] = {
                "limit": outcome.rate_limit.limit,
                "remaining": outcome.rate_limit.remaining,
                "reset": outcome.rate_limit.reset,
                "day_remaining": outcome.rate_limit.day_remaining,
            }
            entry["missing_fields"] = sorted(outcome.missing)
        if error is not None:
            v1_status = getattr(error, "v1_status", None)
            entry["status"] = v1_status
            entry["error"] = {"type": type(error).__name__, "message": error.message}
            if isinstance(error, (ApiError, InvalidParameter)):
                entry["error"]["v1_codes"] = [e["code"] for e in error.v1_body["errors"]]
            if isinstance(error, ApiError) and error.rate_limit is not None:
                entry["rate_limit"] = {
                    "limit": error.rate_limit.limit,
                    "remaining": error.rate_limit.remaining,
                    "reset": error.rate_limit.reset,
                    "day_remaining": error.rate_limit.day_remaining,
                }
        self._append((json.dumps(entry, separators=(",", ":"), default=str) + "\n").encode())

    def _append(self, line: bytes) -> None:
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                if fcntl is not None:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                written = os.write(fd, line)
                if written != len(line):
                    raise OSError(f"short write ({written} of {len(line)} bytes)")
            finally:
                os.close(fd)  # closing releases the flock
        except OSError as exc:
            with _warned_lock:
                first = self.path not in _warned
                _warned.add(self.path)
            if first:
                log.warning(
                    "audit.unwritable %s: %s; lines that fail are dropped (reported once)",
                    self.path,
                    exc.strerror or exc,
                    extra={"path": self.path},
                )


# --- the summary: ``compat audit --runtime LOG`` ----------------------------------------------


@dataclasses.dataclass(frozen=True)
class V2Limit:
    """One X API v2 per-user rate limit: at most ``limit`` requests to ``endpoints`` (the
    :attr:`compat.client.V2Call.endpoint` names) in any ``window_s`` seconds."""

    name: str
    endpoints: tuple[str, ...]
    window_s: int
    limit: int

    @property
    def window(self) -> str:
        """The window for people: ``"15 min"``, ``"24 h"``."""
        if self.window_s % 3600 == 0:
            return f"{self.window_s // 3600} h"
        return f"{self.window_s // 60} min"


WINDOW_15MIN = 15 * 60
WINDOW_24H = 24 * 60 * 60

#: The v2 limits the summary checks, per user. A request must fit every limit naming its
#: endpoint; when it does not, the first such limit in this order is the one it breaks.
V2_LIMITS: tuple[V2Limit, ...] = (
    V2Limit("like", ("like",), WINDOW_15MIN, 50),
    V2Limit("unlike", ("unlike",), WINDOW_15MIN, 50),
    V2Limit("like+unlike", ("like", "unlike"), WINDOW_24H, 1000),
    V2Limit("liked_tweets", ("liked_tweets",), WINDOW_15MIN, 75),
    V2Limit("tweets", ("tweets",), WINDOW_15MIN, 75),
    V2Limit("users_me", ("users_me",), WINDOW_15MIN, 75),
    V2Limit("user_by_username", ("user_by_username",), WINDOW_15MIN, 75),
)

#: The legacy endpoints the shim serves, always listed (in this order) in a summary.
LEGACY_ENDPOINTS: tuple[str, ...] = ("favorites/create", "favorites/destroy", "favorites/list")
#: The v2 endpoints compat calls, always listed (in this order) in a summary.
V2_ENDPOINTS: tuple[str, ...] = (
    "like",
    "unlike",
    "liked_tweets",
    "tweets",
    "users_me",
    "user_by_username",
)
SLOWEST = 5
CORRUPT_EXAMPLES = 10


@dataclasses.dataclass(frozen=True)
class LegacyUsage:
    """Calls of one v1.1 endpoint and the v2 requests they became.

    ``measured`` counts the calls whose line lists its v2 requests (the successful ones: a
    failed call's line has no ``v2_requests``); the mean is over those.
    """

    endpoint: str
    calls: int = 0
    errors: int = 0
    measured: int = 0
    v2_requests: int = 0
    max_v2_requests: int = 0

    @property
    def mean_v2_requests(self) -> float | None:
        """v2 requests per measured call, or None when no call was measured."""
        return self.v2_requests / self.measured if self.measured else None


@dataclasses.dataclass(frozen=True)
class V2Usage:
    """Requests to one v2 endpoint: total, peaks per sliding window, projected 429s.

    ``limit_24h`` is the shared like+unlike limit for those two and None for the others;
    ``observed_429s`` counts the requests the API really answered with 429.
    """

    endpoint: str
    requests: int
    peak_15min: int
    peak_24h: int
    limit_15min: int | None
    limit_24h: int | None
    projected_429s: int
    observed_429s: int


@dataclasses.dataclass(frozen=True)
class LimitUsage:
    """One :class:`V2Limit` against the log: its peak window and the requests beyond it."""

    limit: V2Limit
    requests: int
    peak: int
    peak_start: datetime.datetime | None
    projected_429s: int


@dataclasses.dataclass(frozen=True)
class ErrorCount:
    """Failed legacy calls with one v1.1 status, code and error type."""

    status: int | None
    code: int | None
    type: str
    count: int


@dataclasses.dataclass(frozen=True)
class SlowCall:
    """One of the slowest legacy calls."""

    time: datetime.datetime
    endpoint: str
    caller: str | None
    latency_ms: float
    v2_requests: int | None
    status: int | None


@dataclasses.dataclass(frozen=True)
class CorruptLine:
    """A line of a log that is not an audit entry (kept for the first few only)."""

    path: str
    line: int
    reason: str


@dataclasses.dataclass(frozen=True)
class RuntimeReport:
    """What :func:`summarise` found in one or more audit logs; a ``compat audit`` report.

    ``exit_code`` is 0 when no call failed and no request is projected to get a 429, 1
    otherwise. ``render(fmt)`` formats it as ``text``, ``json`` or ``markdown`` (see
    :func:`compat.audit.report.render_runtime`).
    """

    logs: tuple[str, ...]
    entries: int
    accounts: int
    corrupt_lines: int
    corrupt_examples: tuple[CorruptLine, ...]
    first: datetime.datetime | None
    last: datetime.datetime | None
    legacy: tuple[LegacyUsage, ...]
    v2: tuple[V2Usage, ...]
    limits: tuple[LimitUsage, ...]
    errors: tuple[ErrorCount, ...]
    missing_fields: tuple[tuple[str, int], ...]
    slowest: tuple[SlowCall, ...]

    @property
    def calls(self) -> int:
        return sum(u.calls for u in self.legacy)

    @property
    def failed_calls(self) -> int:
        return sum(e.count for e in self.errors)

    @property
    def v2_requests(self) -> int:
        return sum(u.v2_requests for u in self.legacy)

    @property
    def measured_calls(self) -> int:
        return sum(u.measured for u in self.legacy)

    @property
    def max_v2_requests(self) -> int:
        return max((u.max_v2_requests for u in self.legacy), default=0)

    @property
    def projected_429s(self) -> int:
        return sum(u.projected_429s for u in self.limits)

    @property
    def exit_code(self) -> int:
        """0 when no call failed and no 429 is projected, 1 otherwise."""
        return 1 if self.failed_calls or self.projected_429s else 0

    def to_dict(self) -> dict[str, Any]:
        """The JSON format (``--format json``, documented in the README)."""
        from compat.audit.report import runtime_dict

        return runtime_dict(self)

    def render(self, fmt: str) -> str:
        """The summary as ``text``, ``json`` or ``markdown``; ends with a newline."""
        from compat.audit.report import render_runtime

        return render_runtime(self, fmt)


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
