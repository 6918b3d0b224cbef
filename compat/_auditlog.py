"""The runtime audit log writer: one JSON line per legacy favorites call the shim served.

The shim writes it when it runs with ``install(audit_log=PATH)``, ``configure(audit_log=PATH)``
or ``COMPAT_AUDIT_LOG=PATH``. Each line says which v1.1 endpoint was called with which
parameters (never a secret: ``oauth_*`` and anything named like a token, key, secret or
signature is dropped), from which ``file:line`` of the caller, the v2 requests it became,
their latency, the resources each answer returned (as digests, see :func:`resource_digest`),
what the call cost under the configured plan (:class:`compat._pricing.CallCost`), the
rate-limit headroom after it and the v1.1 fields that v2 could not supply.

Writes are append-only ``O_APPEND`` single writes under an advisory ``flock``, so several
threads and processes can share one log; a full disk or an unwritable path never breaks the
user's call (one warning per path, then silence).

This is core code: it imports no part of :mod:`compat.audit`, which reads the logs back
(:func:`compat.audit.runtime.summarise`) and re-exports these names. The line format is
documented field by field in the README ("Runtime audit"). :data:`LOG_VERSION` 2 added the
resources and the cost; the reader still reads version 1 lines. A line with an ``unserved``
key (``"passed through"`` or ``"refused"``; optional within version 2: older readers see a
call with no v2 requests) is a v1.1 call compat does not serve
(:meth:`compat._service.Service.unserved`).

Usage::

    >>> import json, pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "audit.jsonl"
    >>> AuditLog(path).record(endpoint="favorites/list", params={"count": "20", "oauth_token": "t"},
    ...                       caller="bot.py:12", outcome=None, error=None, latency_ms=3.2)
    >>> line = json.loads(path.read_text())
    >>> line["endpoint"], line["params"]
    ('favorites/list', {'count': '20'})
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import os
import re
import stat
import threading
from collections.abc import Callable, Mapping, Sequence, Set
from typing import TYPE_CHECKING, Any, Protocol

from compat.errors import ApiError, CompatError, InvalidParameter
from compat.ratelimit import RateLimit
from compat.transport import cut

if TYPE_CHECKING:
    # transport pulls in requests and the schemas, and the pricer stands beside the writer in
    # the layers: the writer only reads V2Call's and CallCost's fields
    from compat._pricing import CallCost
    from compat.transport import V2Call

try:  # advisory locking is POSIX-only; O_APPEND alone still keeps short lines whole
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["LOG_VERSION", "AuditLog", "AuditedOutcome", "resource_digest", "scrub_params"]

# The logger the audit has always used, so existing logging configuration keeps applying.
log = logging.getLogger("compat.audit")

#: Longest error message (characters) an audit line keeps.
MESSAGE_LIMIT = 500

LOG_VERSION = 2
_SECRET_NAME = re.compile(r"oauth|token|secret|key|signature|password|auth", re.IGNORECASE)
_warned: set[str] = set()
_warned_lock = threading.Lock()


class AuditedOutcome(Protocol):
    """What the writer reads of a successful call's outcome (:class:`compat.favorites.Outcome`).

    Read-only properties, so that an outcome holding a ``list`` and a ``set`` matches. Its
    ``cost`` (a :class:`compat._pricing.CallCost`) is read when it has one.
    """

    @property
    def value(self) -> Any: ...

    @property
    def calls(self) -> Sequence[V2Call]: ...

    @property
    def rate_limit(self) -> RateLimit: ...

    @property
    def missing(self) -> Set[str]: ...


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def resource_digest(kind: str, resource_id: str) -> str:
    """A stable 16-hex-digit digest of a returned post or user, as the log writes it.

    The runtime summary only needs to tell resources apart to deduplicate them per UTC day,
    and a ``liked_tweets`` answer is the user's likes list, which X keeps private: so the log
    holds digests, not ids. It is no secret-keeping device: anyone holding an id can compute
    its digest and find it.

    >>> resource_digest("post", "1626194750222094336")
    '1e2a4ee968e0ae3a'
    """
    # surrogatepass: an id a hostile server sent with lone surrogates still digests
    data = f"{kind}:{resource_id}".encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=8).hexdigest()


def _v2_request(call: V2Call, owned: bool) -> dict[str, Any]:
    line: dict[str, Any] = {
        "method": call.method,
        "path": call.path,
        "status": call.status,
        "ms": round(call.elapsed_ms, 3),
        "endpoint": call.endpoint,
    }
    for kind, key in (("post", "posts"), ("user", "users")):
        found = [resource_digest(k, i) for k, i in call.resources if k == kind]
        if found:
            line[key] = found
    if owned:
        line["owned"] = True
    return line


def _cost(cost: CallCost) -> dict[str, Any]:
    return {
        "plan": cost.plan,
        "usd": round(cost.micro_usd / 1_000_000, 6),
        "posts_read": cost.posts_read,
        "owned_reads": cost.owned_reads,
        "users_read": cost.users_read,
        "writes": [{"endpoint": w.endpoint, "usd": w.usd} for w in cost.writes],
        "unpriced": list(cost.unpriced),
    }


def scrub_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters without anything that could be a credential.

    >>> scrub_params({"id": "1", "oauth_signature": "s", "api_key": "k", "Access-Token": "t"})
    {'id': '1'}
    """
    return {k: v for k, v in params.items() if not _SECRET_NAME.search(str(k))}


def _rate_limit(rate_limit: RateLimit) -> dict[str, int | None]:
    return {
        "limit": rate_limit.limit,
        "remaining": rate_limit.remaining,
        "reset": rate_limit.reset,
        "day_remaining": rate_limit.day_remaining,
    }


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
        outcome: AuditedOutcome | None,
        error: CompatError | None,
        latency_ms: float,
        account: str | None = None,
        calls: Sequence[V2Call] | None = None,
        cost: CallCost | None = None,
        unserved: str | None = None,
    ) -> None:
        """Append the line for one served legacy call; never raises.

        ``account`` (optional) names the account that made the call (its user id, say: never
        a credential); :func:`compat.audit.runtime.summarise` then checks the per-user rate
        limits per account. ``calls``: the v2 requests made, for a call that failed (a
        successful one's are in ``outcome``), so that they count in the rate-limit windows and
        the bill too; ``cost``: what they cost, for a call that failed (a successful one's is
        ``outcome.cost``). ``unserved``: ``"passed through"`` or ``"refused"`` for a v1.1 call
        compat does not serve (written with an empty ``v2_requests``).
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
        priced = getattr(outcome, "cost", None) if outcome is not None else cost
        # the cost's requests are the calls' own, in order, when it priced these calls
        owned = [False] * len(made)
        if priced is not None and len(priced.requests) == len(made):
            owned = [r.owned for r in priced.requests]
        if unserved is not None:
            entry["unserved"] = unserved
        if outcome is not None or made or unserved is not None:
            entry["v2_requests"] = [_v2_request(c, o) for c, o in zip(made, owned, strict=True)]
        if priced is not None:
            entry["cost"] = _cost(priced)
        if outcome is not None:
            entry["status"] = 200
            entry["rate_limit"] = _rate_limit(outcome.rate_limit)
            entry["missing_fields"] = sorted(outcome.missing)
        if error is not None:
            v1_status = getattr(error, "v1_status", None)
            entry["status"] = v1_status
            # a hostile server's 20 MB message stays out of the line
            message = cut(error.message, MESSAGE_LIMIT)
            entry["error"] = {"type": type(error).__name__, "message": message}
            request_id = getattr(error, "request_id", None)
            if isinstance(request_id, str):  # the gateway's: what its support asks for
                entry["error"]["request_id"] = request_id[:200]
            if isinstance(error, (ApiError, InvalidParameter)):
                entry["error"]["v1_codes"] = [e["code"] for e in error.v1_body["errors"]]
            if isinstance(error, ApiError) and error.rate_limit is not None:
                entry["rate_limit"] = _rate_limit(error.rate_limit)
        self._append((json.dumps(entry, separators=(",", ":"), default=str) + "\n").encode())

    def _append(self, line: bytes) -> None:
        try:
            # No following a symlink planted at the path, and no blocking on a FIFO there: the
            # log is a regular file or nothing (O_NOFOLLOW/O_NONBLOCK are POSIX; 0 elsewhere).
            flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT
            flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
            fd = os.open(self.path, flags, 0o600)
            try:
                if not stat.S_ISREG(os.fstat(fd).st_mode):
                    raise OSError(f"not a regular file ({self.path})")
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
                    "compat cannot write the runtime audit log %s (%s); the calls still work "
                    "but their audit lines are lost (said once). Check the path "
                    "(audit_log / COMPAT_AUDIT_LOG) and its permissions",
                    self.path,
                    exc.strerror or exc,
                    extra={"event": "audit.unwritable", "path": self.path},
                )
