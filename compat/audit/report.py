"""Audit reports and their four formats: text, json, markdown, sarif.

* ``text`` — a compact table grouped by file, then what each code found means (v2 replacement,
  rate limits, request cost, fix).
* ``markdown`` — the same as a GitHub-flavoured table, to paste into a pull request.
* ``json`` — stable, documented (README): ``{"version": 1, "tool": "compat", "tool_version",
  "paths", "findings": [...], "summary": {...}}``; each finding is
  :meth:`compat.audit.rules.Finding.to_dict`.
* ``sarif`` — SARIF 2.1.0 for code scanning: every rule of the catalogue in
  ``runs[0].tool.driver.rules``, one result per finding, columns in Unicode code points.

Any report the ``compat audit`` command prints implements :class:`Renderable`: the static
audit's :class:`Report` and the runtime summary's :class:`RuntimeReport`
(``compat.audit.runtime.summarise(path)``), whose figures are :mod:`compat.audit.model`'s.

Usage::

    >>> from compat.audit.report import Report
    >>> from compat.audit.rules import Finding
    >>> report = Report([Finding("CPT103", "bot.py", 7, 5, legacy="api.favorites()",
    ...                          library="tweepy")], files_scanned=3)
    >>> print(report.render("text").splitlines()[0])
    compat audit: 1 finding in 1 of 3 files (1 high, 0 low confidence)
    >>> report.exit_code
    1
"""

from __future__ import annotations

import datetime
import json
import os
import urllib.parse
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, Protocol

from compat._plans import Plan
from compat._pricing import enterprise_only, format_usd
from compat._version import __version__
from compat.audit.model import (
    CorruptLine,
    CostSummary,
    ErrorCount,
    LegacyUsage,
    LimitUsage,
    SlowCall,
    V2Usage,
)
from compat.audit.rules import RULES, Finding, Rule

__all__ = [
    "FORMATS",
    "JSON_VERSION",
    "RUNTIME_FORMATS",
    "RUNTIME_JSON_VERSION",
    "SARIF_SCHEMA",
    "Renderable",
    "Report",
    "RuntimeReport",
    "render",
    "render_runtime",
    "runtime_dict",
]

JSON_VERSION = 1
SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FORMATS: tuple[str, ...] = ("text", "json", "markdown", "sarif")
_LEGACY_WIDTH = 48


class Renderable(Protocol):
    """What ``compat audit`` prints: a report that renders itself and says its exit code."""

    def render(self, fmt: str) -> str: ...

    @property
    def exit_code(self) -> int: ...


@dataclass
class Report:
    """The result of a static audit: findings sorted by file, line, column, code."""

    findings: list[Finding]
    files_scanned: int = 0
    paths: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 when nothing was found, 1 otherwise (unparseable files count as findings)."""
        return 1 if self.findings else 0

    def summary(self) -> dict[str, Any]:
        """Counts for the JSON ``summary`` object and the report headers."""
        by_code = Counter(f.code for f in self.findings)
        by_confidence = Counter(f.confidence for f in self.findings if not _is_parse(f))
        by_endpoint = Counter(f.rule.endpoint for f in self.findings if f.rule.endpoint)
        return {
            "files_scanned": self.files_scanned,
            "files_with_findings": len({f.path for f in self.findings}),
            "findings": len(self.findings),
            "by_code": dict(sorted(by_code.items())),
            "by_confidence": {"high": by_confidence["high"], "low": by_confidence["low"]},
            "by_endpoint": dict(sorted(by_endpoint.items())),
            "unparsed_files": len({f.path for f in self.findings if _is_parse(f)}),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": JSON_VERSION,
            "tool": "compat",
            "tool_version": __version__,
            "paths": list(self.paths),
            "findings": [f.to_dict() for f in self.findings],
            "summary": self.summary(),
        }

    def render(self, fmt: str) -> str:
        """The report in one of :data:`FORMATS`; ends with a newline."""
        return render(self, fmt)


def render(report: Report, fmt: str) -> str:
    """Format ``report``; ``fmt`` is one of :data:`FORMATS` (ValueError otherwise).

    Usage::

        >>> import json
        >>> json.loads(render(Report([], files_scanned=1), "json"))["summary"]["findings"]
        0
        >>> json.loads(render(Report([]), "sarif"))["version"]
        '2.1.0'
    """
    try:
        formatter = _FORMATTERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}") from None
    return formatter(report)


# --- helpers ---------------------------------------------------------------------------------


def _is_parse(finding: Finding) -> bool:
    return finding.rule.category == "parse"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _clip(text: str, width: int) -> str:
    text = _flat(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _short_replacement(rule: Rule) -> str:
    if not rule.replacement:
        return "-"
    return rule.replacement.split(" with JSON", 1)[0].split(" (", 1)[0].split(",", 1)[0]


def _what(finding: Finding) -> str:
    """The legacy code, or for a parse finding the reason."""
    if _is_parse(finding):
        return finding.detail or finding.rule.title
    return finding.legacy


def _headline(report: Report) -> str:
    s = report.summary()
    n = s["findings"]
    noun = "finding" if n == 1 else "findings"
    files = "file" if s["files_scanned"] == 1 else "files"
    head = f"{n} {noun} in {s['files_with_findings']} of {s['files_scanned']} {files}"
    conf = s["by_confidence"]
    head += f" ({conf['high']} high, {conf['low']} low confidence)"
    if s["unparsed_files"]:
        head += f"; {s['unparsed_files']} not audited (could not parse or read)"
    return head


def _rules_used(report: Report) -> list[Rule]:
    return [RULES[code] for code in sorted({f.code for f in report.findings})]


# --- text ------------------------------------------------------------------------------------


def _text(report: Report) -> str:
    out = [f"compat audit: {_headline(report)}"]
    if not report.findings:
        out.append("No legacy v1.1 favorites code found.")
        return "\n".join(out) + "\n"
    by_file: dict[str, list[Finding]] = {}
    for f in report.findings:
        by_file.setdefault(f.path, []).append(f)
    loc_width = max(len(f"{f.line}:{f.column}") for f in report.findings)
    for path, findings in by_file.items():
        out.append("")
        out.append(path)
        for f in findings:
            loc = f"{f.line}:{f.column}".ljust(loc_width)
            legacy = _clip(_what(f), _LEGACY_WIDTH).ljust(_LEGACY_WIDTH)
            conf = "-" if _is_parse(f) else f.confidence
            out.append(f"  {loc}  {f.code}  {conf:<4}  {legacy}  {_short_replacement(f.rule)}")
    out.append("")
    out.append("What changes:")
    for rule in _rules_used(report):
        out.append(f"  {rule.code} {rule.title}")
        if rule.replacement:
            out.append(f"    v2:     {rule.replacement}")
        if rule.rate_limit:
            out.append(f"    limits: {rule.rate_limit}")
        if rule.cost:
            out.append(f"    cost:   {rule.cost}")
        out.append(f"    fix:    {rule.advice}")
    return "\n".join(out) + "\n"


# --- markdown --------------------------------------------------------------------------------


def _md_cell(text: str) -> str:
    return _flat(text).replace("\\", "\\\\").replace("|", "\\|")


def _md_code(text: str, width: int = 80) -> str:
    text = _clip(text, width).replace("|", "\\|")
    if "`" in text:
        return f"`` {text} ``"
    return f"`{text}`"


def _markdown(report: Report) -> str:
    out = [f"### compat audit: {_md_cell(_headline(report))}", ""]
    if not report.findings:
        out.append("No legacy v1.1 favorites code found.")
        return "\n".join(out) + "\n"
    out.append("| Location | Code | Confidence | Legacy code | v2 replacement |")
    out.append("| --- | --- | --- | --- | --- |")
    for f in report.findings:
        legacy = _md_cell(_what(f)) if _is_parse(f) else _md_code(f.legacy)
        replacement = _short_replacement(f.rule)
        out.append(
            f"| {_md_code(f.location, 200)} | {f.code} | {'-' if _is_parse(f) else f.confidence} "
            f"| {legacy} | "
            f"{_md_code(replacement) if replacement != '-' else '-'} |"
        )
    out.append("")
    out.append("| Code | What | Rate limits | Requests under the shim | Fix |")
    out.append("| --- | --- | --- | --- | --- |")
    for rule in _rules_used(report):
        out.append(
            f"| {rule.code} | {_md_cell(rule.title)} | {_md_cell(rule.rate_limit or '-')} | "
            f"{_md_cell(rule.cost or '-')} | {_md_cell(rule.advice)} |"
        )
    return "\n".join(out) + "\n"


# --- json ------------------------------------------------------------------------------------


def _json(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


# --- sarif -----------------------------------------------------------------------------------


def _sarif_uri(path: str) -> str:
    if os.path.isabs(path):
        return PurePath(path).as_uri()
    return urllib.parse.quote(path.replace(os.sep, "/"))


def _sarif_rule(rule: Rule) -> dict[str, Any]:
    help_lines = [rule.description]
    if rule.replacement:
        help_lines.append(f"v2 replacement: {rule.replacement}.")
    if rule.rate_limit:
        help_lines.append(f"Rate limits: {rule.rate_limit}.")
    if rule.cost:
        help_lines.append(f"Requests under the shim: {rule.cost}.")
    help_lines.append(f"Fix: {rule.advice}")
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.description},
        "help": {"text": "\n".join(help_lines), "markdown": "\n\n".join(help_lines)},
        "defaultConfiguration": {"level": rule.level},
        "properties": {"tags": list(rule.tags), "category": rule.category},
    }


def _sarif_result(finding: Finding, rule_index: int) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": finding.line, "startColumn": finding.column}
    if finding.end_line is not None and finding.end_column is not None:
        region["endLine"] = finding.end_line
        region["endColumn"] = finding.end_column
    if finding.legacy:
        region["snippet"] = {"text": finding.legacy}
    properties = {
        k: v
        for k, v in {
            "confidence": finding.confidence,
            "library": finding.library,
            "endpoint": finding.rule.endpoint,
            "replacement": finding.rule.replacement,
            "rateLimit": finding.rule.rate_limit,
            "cost": finding.rule.cost,
            "advice": finding.advice,
            "detail": finding.detail,
        }.items()
        if v is not None
    }
    return {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": finding.rule.level,
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _sarif_uri(finding.path)},
                    "region": region,
                }
            }
        ],
        "properties": properties,
    }


def _sarif(report: Report) -> str:
    codes = list(RULES)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "compat",
                        "version": __version__,
                        "rules": [_sarif_rule(RULES[code]) for code in codes],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [_sarif_result(f, codes.index(f.code)) for f in report.findings],
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


_FORMATTERS: dict[str, Callable[[Report], str]] = {
    "text": _text,
    "json": _json,
    "markdown": _markdown,
    "sarif": _sarif,
}


# --- the runtime summary (compat audit --runtime LOG) ----------------------------------------

#: The formats of a runtime summary. SARIF is refused: it describes findings at places in
#: source code, and a runtime summary's figures (rate-limit peaks, errors) belong to no line.
RUNTIME_FORMATS: tuple[str, ...] = ("text", "json", "markdown")
#: The runtime summary's JSON version: 2 added the plan, the refusals, per-app limits and the
#: bill (and ``limit_15min`` null now also means "not offered": see ``available``).
RUNTIME_JSON_VERSION = 2


@dataclass(frozen=True)
class RuntimeReport:
    """What :func:`compat.audit.runtime.summarise` found in one or more audit logs; a
    ``compat audit`` report.

    ``exit_code`` is 0 when no call failed, no request is projected to get a 429 and the
    plan offers every endpoint called, 1 otherwise. ``plan``: the plan the log was checked and
    priced against; ``cost``: the bill. ``render(fmt)`` formats it as ``text``, ``json`` or
    ``markdown`` (see :func:`render_runtime`).
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
    plan: Plan | None = None
    cost: CostSummary | None = None

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
    def refused(self) -> int:
        """Requests to endpoints the plan does not offer."""
        return sum(u.refused for u in self.v2)

    @property
    def exit_code(self) -> int:
        """0 when no call failed, no 429 is projected and nothing is refused, 1 otherwise."""
        return 1 if self.failed_calls or self.projected_429s or self.refused else 0

    def to_dict(self) -> dict[str, Any]:
        """The JSON format (``--format json``, documented in the README)."""
        return runtime_dict(self)

    def render(self, fmt: str) -> str:
        """The summary as ``text``, ``json`` or ``markdown``; ends with a newline."""
        return render_runtime(self, fmt)


def render_runtime(report: RuntimeReport, fmt: str) -> str:
    """Format a runtime summary; ``fmt`` is one of :data:`RUNTIME_FORMATS` (ValueError
    otherwise, with the reason for ``sarif``).

    Usage::

        >>> import pathlib, tempfile
        >>> from compat.audit.runtime import summarise
        >>> empty = pathlib.Path(tempfile.mkdtemp()) / "audit.jsonl"
        >>> _ = empty.write_text("")
        >>> print(render_runtime(summarise(empty), "text"), end="")
        compat audit --runtime: 0 legacy calls in 1 log; 0 failed; 0 projected 429s
        No legacy calls were logged.
        >>> render_runtime(summarise(empty), "sarif")
        Traceback (most recent call last):
        ...
        ValueError: sarif is for the static audit; use text, json or markdown with --runtime
    """
    if fmt == "sarif":
        raise ValueError(
            "sarif is for the static audit; "
            f"use {', '.join(RUNTIME_FORMATS[:-1])} or {RUNTIME_FORMATS[-1]} with --runtime"
        )
    if fmt == "json":
        return json.dumps(runtime_dict(report), indent=2, ensure_ascii=False) + "\n"
    if fmt == "text":
        return _runtime_text(report)
    if fmt == "markdown":
        return _runtime_markdown(report)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(RUNTIME_FORMATS)}")


def _iso(when: datetime.datetime | None) -> str | None:
    if when is None:
        return None
    return (
        when.astimezone(datetime.timezone.utc)
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z")
    )


def _mean(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def runtime_dict(report: RuntimeReport) -> dict[str, Any]:
    """The runtime summary's JSON object (``version`` 1, ``kind`` ``"runtime"``; README)."""

    def cost(total: int, measured: int, biggest: int) -> dict[str, Any]:
        return {
            "total": total,
            "mean": _mean(total / measured if measured else None),
            "max": biggest,
            "measured_calls": measured,
        }

    return {
        "version": RUNTIME_JSON_VERSION,
        "kind": "runtime",
        "tool": "compat",
        "tool_version": __version__,
        "plan": _plan_dict(report.plan),
        "logs": list(report.logs),
        "lines": {
            "entries": report.entries,
            "corrupt": report.corrupt_lines,
            "corrupt_examples": [
                {"path": c.path, "line": c.line, "reason": c.reason}
                for c in report.corrupt_examples
            ],
        },
        "period": {"first": _iso(report.first), "last": _iso(report.last)},
        "accounts": report.accounts,
        "calls": {
            "total": report.calls,
            "failed": report.failed_calls,
            "v2_requests": cost(report.v2_requests, report.measured_calls, report.max_v2_requests),
            "by_endpoint": {
                u.endpoint: {
                    "calls": u.calls,
                    "failed": u.errors,
                    "v2_requests": cost(u.v2_requests, u.measured, u.max_v2_requests),
                }
                for u in report.legacy
            },
        },
        "v2_endpoints": {
            u.endpoint: {
                "requests": u.requests,
                "peak_15min": u.peak_15min,
                "limit_15min": u.limit_15min,
                "peak_24h": u.peak_24h,
                "limit_24h": u.limit_24h,
                "projected_429s": u.projected_429s,
                "observed_429s": u.observed_429s,
                "available": u.available,
                "refused": u.refused,
            }
            for u in report.v2
        },
        "rate_limits": [
            {
                "name": u.limit.name,
                "endpoints": list(u.limit.endpoints),
                "per": u.limit.per,
                "window_seconds": u.limit.window_s,
                "limit": u.limit.limit,
                "requests": u.requests,
                "peak": u.peak,
                "peak_start": _iso(u.peak_start),
                "projected_429s": u.projected_429s,
            }
            for u in report.limits
        ],
        "projected_429s": report.projected_429s,
        "refused": report.refused,
        "cost": _cost_dict(report.cost),
        "errors": [
            {"status": e.status, "code": e.code, "type": e.type, "count": e.count}
            for e in report.errors
        ],
        "missing_fields": dict(report.missing_fields),
        "slowest": [
            {
                "time": _iso(s.time),
                "endpoint": s.endpoint,
                "caller": s.caller,
                "latency_ms": s.latency_ms,
                "v2_requests": s.v2_requests,
                "status": s.status,
            }
            for s in report.slowest
        ],
        "exit_code": report.exit_code,
    }


def _plan_dict(plan: Plan | None) -> dict[str, Any] | None:
    if plan is None:
        return None
    return {
        "name": plan.name,
        "label": plan.label,
        "as_of": plan.as_of,
        "stand_in": plan.stand_in,
        "monthly_post_cap": plan.monthly_post_cap,
    }


def _usd(micro_usd: int) -> float:
    return round(micro_usd / 1_000_000, 6)


def _cost_dict(cost: CostSummary | None) -> dict[str, Any] | None:
    if cost is None:
        return None
    return {
        "usd": _usd(cost.micro_usd),
        "micro_usd": cost.micro_usd,
        "posts_read": cost.posts_read,
        "owned_reads": cost.owned_reads,
        "users_read": cost.users_read,
        "writes": cost.writes,
        "post_cap_share": cost.post_cap_share,
        "unpriced_requests": cost.unpriced_requests,
        "unknown_requests": cost.unknown,
        "by_endpoint": {
            e.endpoint: {
                "requests": e.requests,
                "usd": _usd(e.micro_usd),
                "micro_usd": e.micro_usd,
                "posts_read": e.posts_read,
                "owned_reads": e.owned_reads,
                "users_read": e.users_read,
                "writes": e.writes,
                "unpriced": dict(e.unpriced),
                "unknown_requests": e.unknown,
            }
            for e in cost.endpoints
        },
        "by_day": [
            {
                "day": d.day.isoformat(),
                "usd": _usd(d.micro_usd),
                "micro_usd": d.micro_usd,
                "posts_read": d.posts_read,
                "users_read": d.users_read,
            }
            for d in cost.days
        ],
    }


def _runtime_headline(report: RuntimeReport) -> str:
    logs = "log" if len(report.logs) == 1 else "logs"
    calls = "call" if report.calls == 1 else "calls"
    head = f"{report.calls} legacy {calls} in {len(report.logs)} {logs}"
    if report.accounts > 1:
        head += f" ({report.accounts} accounts)"
    if report.first is not None and report.last is not None:
        head += f", {_iso(report.first)} to {_iso(report.last)}"
    head += f"; {report.failed_calls} failed; {report.projected_429s} projected 429s"
    plan = report.plan.name if report.plan is not None else None
    if report.refused:
        head += f"; {report.refused} refused by {plan}"
    if report.cost is not None and report.entries:
        head += f"; {format_usd(report.cost.micro_usd)} on {plan}"
        if report.cost.unpriced_requests:
            head += f" (+ {report.cost.unpriced_requests} unpriced)"
    if report.corrupt_lines:
        lines = "line" if report.corrupt_lines == 1 else "lines"
        head += f"; {report.corrupt_lines} corrupt {lines} skipped"
    return head


def _num(value: int | float | None, digits: int = 0) -> str:
    if value is None:
        return "-"
    return f"{value:.{digits}f}" if digits else str(value)


def _limit(value: int | None, shared: bool = False) -> str:
    return "-" if value is None else f"{value}{'*' if shared else ''}"


def _status_code(error: ErrorCount) -> str:
    return f"{_num(error.status)}/{_num(error.code)}"


def _legacy_rows(report: RuntimeReport) -> list[list[str]]:
    rows = [
        [
            u.endpoint,
            str(u.calls),
            str(u.errors),
            str(u.v2_requests),
            _num(_mean(u.mean_v2_requests), 2),
            str(u.max_v2_requests),
        ]
        for u in report.legacy
    ]
    measured = report.measured_calls
    rows.append(
        [
            "total",
            str(report.calls),
            str(report.failed_calls),
            str(report.v2_requests),
            _num(_mean(report.v2_requests / measured if measured else None), 2),
            str(report.max_v2_requests),
        ]
    )
    return rows


def _shared(report: RuntimeReport) -> list[LimitUsage]:
    return [u for u in report.limits if len(u.limit.endpoints) > 1 and u.limit.per == "user"]


def _plan_name(report: RuntimeReport) -> str:
    return report.plan.name if report.plan is not None else "the plan"


def _v2_rows(report: RuntimeReport) -> list[list[str]]:
    shared = {e for u in _shared(report) for e in u.limit.endpoints}
    rows = []
    for u in report.v2:
        off = not u.available
        rows.append(
            [
                u.endpoint,
                str(u.requests),
                str(u.peak_15min),
                "n/a" if off else _limit(u.limit_15min),
                str(u.peak_24h),
                "n/a" if off else _limit(u.limit_24h, u.endpoint in shared),
                str(u.projected_429s),
                str(u.observed_429s),
            ]
        )
    return rows


def _peak_note(u: LimitUsage) -> str:
    text = f"peak {u.peak}"
    if u.peak_start is not None:
        text += f" from {_iso(u.peak_start)}"
    return text + f", {u.projected_429s} projected 429s"


def _shared_notes(report: RuntimeReport) -> list[str]:
    """The footnotes of the v2 table: shared windows, per-app limits, refusals, stand-ins."""
    notes = [
        f"* {u.limit.limit} per {u.limit.window} shared by {' and '.join(u.limit.endpoints)}: "
        + _peak_note(u)
        for u in _shared(report)
    ]
    notes += [
        f"per app (all accounts): {u.limit.limit} per {u.limit.window} for "
        f"{' and '.join(u.limit.endpoints)}: " + _peak_note(u)
        for u in report.limits
        if u.limit.per == "app" and u.requests
    ]
    plan = report.plan
    off = [u for u in report.v2 if not u.available]
    if off and plan is not None:
        names = " and ".join(u.endpoint for u in off)
        since = sorted({s for u in off if (s := plan.terms(u.endpoint).since)})
        where = f"not offered on {plan.name}" + (f" since {since[-1]}" if since else "")
        if all(enterprise_only(plan, u.endpoint) for u in off):
            where = f"Enterprise-only: {where}"
        notes.append(
            f"n/a: {names}: {where}; their {sum(u.refused for u in off)} requests would be refused"
        )
    if plan is not None and plan.stand_in:
        notes.append(
            f"{plan.name}: compat's stand-in limits (the published ones; custom plans publish "
            "none), and no price (custom, not published)"
        )
    return notes


_COST_HEAD = [
    "v2 endpoint",
    "billed requests",
    "posts read",
    "owned",
    "users read",
    "writes",
    "cost",
]


def _cost_cell(micro_usd: int, unpriced: int) -> str:
    if not unpriced:
        return format_usd(micro_usd)
    return "unpriced" if not micro_usd else f"{format_usd(micro_usd)} + unpriced"


def _cost_rows(cost: CostSummary) -> list[list[str]]:
    rows = [
        [
            e.endpoint,
            str(e.requests),
            str(e.posts_read),
            str(e.owned_reads),
            str(e.users_read),
            str(e.writes),
            _cost_cell(e.micro_usd, sum(n for _, n in e.unpriced)),
        ]
        for e in cost.endpoints
        if e.requests or e.unknown
    ]
    rows.append(
        [
            "total",
            str(sum(e.requests for e in cost.endpoints)),
            str(cost.posts_read),
            str(cost.owned_reads),
            str(cost.users_read),
            str(cost.writes),
            _cost_cell(cost.micro_usd, cost.unpriced_requests),
        ]
    )
    return rows


def _cost_heading(cost: CostSummary) -> str:
    return (
        f"What it costs on {cost.plan.name} (prices as of {cost.plan.as_of}; each post and user "
        "charged once per UTC day across all the lines)"
    )


def _cost_notes(cost: CostSummary) -> list[str]:
    notes = [
        f"unpriced: {e.endpoint} ({n} request{'s' if n != 1 else ''}): {reason}"
        for e in cost.endpoints
        for reason, n in e.unpriced
    ]
    cap = cost.plan.monthly_post_cap
    if cap:
        share = cost.post_cap_share or 0.0
        notes.append(
            f"post reads: {cost.posts_read:,} billed, {share * 100:.4f} % of the monthly cap of "
            f"{cap:,} post reads"
        )
    else:
        notes.append(f"post reads: {cost.posts_read:,} billed ({cost.plan.name}: no monthly cap)")
    if cost.unknown:
        notes.append(
            f"not priced: {cost.unknown} successful reads logged in version-1 lines, which do "
            "not record what the answers returned"
        )
    if len(cost.days) > 1:
        notes.extend(
            f"{d.day.isoformat()}: {format_usd(d.micro_usd)} ({d.posts_read:,} posts, "
            f"{d.users_read:,} users)"
            for d in cost.days
        )
    return notes


def _slow_rows(report: RuntimeReport) -> list[list[str]]:
    return [
        [
            f"{s.latency_ms:.1f} ms",
            s.endpoint,
            s.caller or "-",
            _iso(s.time) or "-",
            _num(s.status),
            _num(s.v2_requests),
        ]
        for s in report.slowest
    ]


_LEGACY_HEAD = ["Legacy endpoint", "calls", "failed", "v2 requests", "mean/call", "max/call"]
_V2_HEAD = [
    "v2 endpoint",
    "requests",
    "peak/15 min",
    "limit",
    "peak/24 h",
    "limit",
    "projected 429s",
    "observed 429s",
]
_SLOW_HEAD = ["latency", "endpoint", "caller", "time", "status", "v2 requests"]


def _table(
    head: list[str], rows: list[list[str]], right: frozenset[int] | None = None
) -> list[str]:
    """Aligned text columns: those in ``right`` (default: all but the first) right-aligned."""
    if right is None:
        right = frozenset(range(1, len(head)))
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]

    def line(cells: list[str]) -> str:
        out = [
            cell.rjust(w) if i in right else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  " + "  ".join(out).rstrip()

    return [line(head), *(line(r) for r in rows)]


def _per(report: RuntimeReport) -> str:
    if report.accounts > 1:
        return "per user: peaks of the busiest account, requests and 429s summed"
    return "per user"


def _runtime_text(report: RuntimeReport) -> str:
    out = [f"compat audit --runtime: {_runtime_headline(report)}"]
    if not report.entries:
        out.append("No legacy calls were logged.")
        out.extend(_corrupt_text(report))
        return "\n".join(out) + "\n"
    out.append("")
    out.extend(_table(_LEGACY_HEAD, _legacy_rows(report)))
    out.append("")
    out.append(
        f"v2 requests against the {_plan_name(report)} limits ({_per(report)}, sliding windows):"
    )
    out.extend(_table(_V2_HEAD, _v2_rows(report)))
    out.extend("  " + note for note in _shared_notes(report))
    if report.cost is not None:
        out.append("")
        out.append(_cost_heading(report.cost) + ":")
        out.extend(_table(_COST_HEAD, _cost_rows(report.cost)))
        out.extend("  " + note for note in _cost_notes(report.cost))
    if report.errors:
        out.append("")
        out.append("Failed calls (v1.1 status/code):")
        out.extend(
            _table(
                ["status/code", "error", "calls"],
                [[_status_code(e), e.type, str(e.count)] for e in report.errors],
                right=frozenset({2}),
            )
        )
    if report.missing_fields:
        out.append("")
        out.append("v1.1 fields sent as null/default (calls):")
        out.extend(
            _table(
                ["field", "calls"],
                [[name, str(n)] for name, n in report.missing_fields],
            )
        )
    out.append("")
    out.append(f"Slowest calls (top {len(report.slowest)}):")
    out.extend(_table(_SLOW_HEAD, _slow_rows(report), right=frozenset({0, 4, 5})))
    out.extend(_corrupt_text(report))
    return "\n".join(out) + "\n"


def _corrupt_text(report: RuntimeReport) -> list[str]:
    if not report.corrupt_lines:
        return []
    out = ["", f"Skipped {report.corrupt_lines} corrupt line(s):"]
    out.extend(f"  {c.path}:{c.line}: {c.reason}" for c in report.corrupt_examples)
    if report.corrupt_lines > len(report.corrupt_examples):
        out.append(f"  … and {report.corrupt_lines - len(report.corrupt_examples)} more")
    return out


def _md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(_md_cell(h) for h in head) + " |"]
    out.append("|" + "|".join(" --- " for _ in head) + "|")
    out.extend("| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows)
    return out


def _runtime_markdown(report: RuntimeReport) -> str:
    out = [f"### compat audit --runtime: {_md_cell(_runtime_headline(report))}", ""]
    if not report.entries:
        out.append("No legacy calls were logged.")
        return "\n".join(out) + "\n"
    out.extend(_md_table(_LEGACY_HEAD, _legacy_rows(report)))
    out.append("")
    out.append(
        f"**v2 requests against the {_plan_name(report)} limits** ({_per(report)}, sliding windows)"
    )
    out.append("")
    out.extend(_md_table(_V2_HEAD, _v2_rows(report)))
    for note in _shared_notes(report):
        out.append("")
        out.append(_md_cell(note).replace("*", "\\*", 1))
    if report.cost is not None:
        out.append("")
        out.append(f"**{_cost_heading(report.cost)}**")
        out.append("")
        out.extend(_md_table(_COST_HEAD, _cost_rows(report.cost)))
        for note in _cost_notes(report.cost):
            out.append("")
            out.append(_md_cell(note))
    if report.errors:
        out.append("")
        out.append("**Failed calls** (v1.1 status/code)")
        out.append("")
        out.extend(
            _md_table(
                ["status/code", "error", "calls"],
                [[_status_code(e), e.type, str(e.count)] for e in report.errors],
            )
        )
    if report.missing_fields:
        out.append("")
        out.append("**v1.1 fields sent as null/default**")
        out.append("")
        out.extend(
            _md_table(["field", "calls"], [[f"`{n}`", str(c)] for n, c in report.missing_fields])
        )
    out.append("")
    out.append("**Slowest calls**")
    out.append("")
    slow = [[r[0], r[1], f"`{r[2]}`" if r[2] != "-" else "-", *r[3:]] for r in _slow_rows(report)]
    out.extend(_md_table(_SLOW_HEAD, slow))
    if report.corrupt_lines:
        out.append("")
        out.append(f"Skipped {report.corrupt_lines} corrupt line(s).")
    return "\n".join(out) + "\n"
