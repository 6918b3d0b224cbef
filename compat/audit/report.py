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

import dataclasses
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
from compat.audit import costs, gate, policy
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
    "Counters",
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
INFORMATION_URI = "https://github.com/compat-contributors/compat/blob/main/docs/audit.md"
SRCROOT = "%SRCROOT%"
#: SARIF result level by confidence (code scanning reads ``level``, not properties).
_LEVEL_BY_CONFIDENCE = {"high": "error", "medium": "warning", "low": "note"}
_PRECISION = {"high": "high", "medium": "medium", "low": "low"}
FORMATS: tuple[str, ...] = ("text", "json", "markdown", "sarif")
_LEGACY_WIDTH = 48


class Renderable(Protocol):
    """What ``compat audit`` prints: a report that renders itself and says its exit code."""

    def render(self, fmt: str) -> str: ...

    @property
    def exit_code(self) -> int: ...


@dataclass
class Counters:
    """Work done, for the linearity tests: AST nodes visited and bytes read, in all and per
    file (``per_file``: display path -> (nodes, bytes))."""

    nodes: int = 0
    bytes_read: int = 0
    per_file: dict[str, tuple[int, int]] = field(default_factory=dict)

    def add(self, path: str, nodes: int, bytes_read: int) -> None:
        self.nodes += nodes
        self.bytes_read += bytes_read
        self.per_file[path] = (nodes, bytes_read)

    @property
    def max_bytes_per_file(self) -> int:
        return max((b for _, b in self.per_file.values()), default=0)


@dataclass
class Report:
    """The result of a static audit: findings sorted by file, line, column, code.

    ``suppressed``: findings hidden by ``# compat: ignore`` comments; ``filtered``: dropped by
    the selection or ``--min-confidence``; ``baselined``: in the baseline (not shown, never
    failing); ``exit_zero``: the gate never fails; ``plan``: the plan calls are priced on;
    ``root``: the project root SARIF URIs and fingerprints are relative to; ``calls_per_day``:
    for the monthly projection.
    """

    findings: list[Finding]
    files_scanned: int = 0
    paths: list[str] = field(default_factory=list)
    counters: Counters = field(default_factory=Counters)
    suppressed: int = 0
    filtered: int = 0
    baselined: int = 0
    exit_zero: bool = False
    plan: Plan | None = None
    root: str | None = None
    calls_per_day: float | None = None

    @property
    def failing(self) -> list[Finding]:
        """The findings that fail the gate: all but the informational ones."""
        return [f for f in self.findings if not f.informational]

    @property
    def exit_code(self) -> int:
        """0 when no finding fails the gate (or ``exit_zero``), 1 otherwise (unparseable files
        count; informational findings, on code compat already serves, never do)."""
        return 1 if self.failing and not self.exit_zero else 0

    def relpath(self, finding: Finding) -> str:
        """The finding's file relative to :attr:`root`, ``/``-separated (its path as shown
        when there is no root or it lies outside it)."""
        if self.root is None:
            return finding.path
        rel = os.path.relpath(os.path.abspath(finding.path), self.root)
        if rel == ".." or rel.startswith(".." + os.sep) or os.path.isabs(rel):
            return finding.path
        return rel.replace(os.sep, "/")

    @property
    def fingerprints(self) -> list[str]:
        """One stable fingerprint per finding (see :func:`compat.audit.gate.fingerprints`)."""
        return gate.fingerprints(self.findings, [self.relpath(f) for f in self.findings])

    def gated(self, config: gate.GateConfig) -> Report:
        """This report after the gate of ``config``: selection, confidence, baseline."""
        kept, dropped = gate.apply(self.findings, config)
        report = dataclasses.replace(
            self,
            findings=kept,
            filtered=self.filtered + dropped,
            exit_zero=config.exit_zero,
            calls_per_day=config.calls_per_day,
        )
        if config.baseline is not None and os.path.exists(config.baseline):
            known = gate.read_baseline(config.baseline)
            prints = report.fingerprints
            fresh = [f for f, fp in zip(kept, prints, strict=True) if fp not in known]
            report = dataclasses.replace(report, findings=fresh, baselined=len(kept) - len(fresh))
        return report

    def cost_sites(self) -> list[Finding]:
        """The findings priced per call (call sites compat serves)."""
        return [f for f in self.findings if f.estimate is not None]

    def cost_summary(self) -> dict[str, Any]:
        sites = self.cost_sites()
        per_call = sum(f.estimate.micro_usd for f in sites if f.estimate is not None)
        out: dict[str, Any] = {
            "plan": self.plan.name if self.plan is not None else None,
            "call_sites": len(sites),
            "micro_usd_one_call_each": per_call,
            "usd_one_call_each": _usd(per_call),
            "unpriced_sites": sum(1 for f in sites if f.estimate and f.estimate.unpriced),
            "needs": sorted({f.estimate.needs for f in sites if f.estimate and f.estimate.needs}),
            "calls_per_day": self.calls_per_day,
            "monthly_usd": None,
        }
        if self.calls_per_day is not None:
            out["monthly_usd"] = _usd(costs.monthly(per_call, self.calls_per_day))
        return out

    def summary(self) -> dict[str, Any]:
        """Counts for the JSON ``summary`` object and the report headers."""
        by_code = Counter(f.code for f in self.findings)
        by_confidence = Counter(f.confidence for f in self.findings if not _is_parse(f))
        by_endpoint = Counter(f.v11_endpoint for f in self.findings if f.v11_endpoint)
        return {
            "files_scanned": self.files_scanned,
            "files_with_findings": len({f.path for f in self.findings}),
            "findings": len(self.findings),
            "by_code": dict(sorted(by_code.items())),
            "by_confidence": {
                "high": by_confidence["high"],
                "medium": by_confidence["medium"],
                "low": by_confidence["low"],
            },
            "by_endpoint": dict(sorted(by_endpoint.items())),
            "unparsed_files": len({f.path for f in self.findings if _is_parse(f)}),
            "failing": len(self.failing),
            "informational": len(self.findings) - len(self.failing),
            "suppressed": self.suppressed,
            "filtered": self.filtered,
            "baselined": self.baselined,
            "cost": self.cost_summary(),
            "exit_code": self.exit_code,
        }

    def to_dict(self) -> dict[str, Any]:
        prints = self.fingerprints
        findings = []
        for f, fp in zip(self.findings, prints, strict=True):
            item = f.to_dict()
            item["fingerprint"] = fp
            findings.append(item)
        return {
            "version": JSON_VERSION,
            "tool": "compat",
            "tool_version": __version__,
            "paths": list(self.paths),
            "findings": findings,
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
    return finding.rule.category in {"parse", "gate"}


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
    medium = f"{conf['medium']} medium, " if conf["medium"] else ""
    head += f" ({conf['high']} high, {medium}{conf['low']} low confidence)"
    if s["unparsed_files"]:
        head += f"; {s['unparsed_files']} not audited (could not parse or read)"
    if s["informational"]:
        head += f"; {s['informational']} informational (already on compat)"
    hidden = [f"{s[key]} {key}" for key in ("suppressed", "baselined", "filtered") if s[key]]
    if hidden:
        head += "; " + ", ".join(hidden)
    return head


def _replacement_cell(finding: Finding) -> str:
    if finding.endpoint is not None and finding.replacement:
        return f"{finding.endpoint} → {finding.replacement.split(' (', 1)[0]}"
    return _short_replacement(finding.rule)


def _cost_lines(report: Report) -> list[str]:
    """Cost per call site under the plan, and the monthly projection with calls per day."""
    sites = report.cost_sites()
    if not sites:
        return []
    plan = report.plan.name if report.plan is not None else "the plan"
    out = ["", f"Cost per call site on {plan} (one call; each resource taken as new that day):"]
    for f in sites:
        assert f.estimate is not None
        out.append(f"  {f.location}  {f.v11_endpoint}: {f.estimate.text}")
    summary = report.cost_summary()
    if report.calls_per_day is not None:
        out.append(
            f"  monthly at {report.calls_per_day:g} calls/day per site (30 days): "
            f"${summary['monthly_usd']:.3f}"
            + (
                f" + unpriced ({summary['unpriced_sites']} sites)"
                if summary["unpriced_sites"]
                else ""
            )
        )
    for need in summary["needs"]:
        out.append(f"  needs: {need}")
    return out


def _policy_lines(report: Report) -> list[str]:
    found = [f for f in report.findings if f.policy is not None]
    if not found:
        return []
    quote = policy.LIKES_RULE
    out = ["", "Policy (X's developer guidelines, " + quote.source + "):"]
    out.append(f'  "{quote.text.replace("**", "")}"')
    out.extend(f"  {f.location}  {policy.PATTERNS[f.policy or 'loop']}" for f in found)
    return out


def _rules_used(report: Report) -> list[Rule]:
    return [RULES[code] for code in sorted({f.code for f in report.findings})]


# --- text ------------------------------------------------------------------------------------


def _loc(finding: Finding) -> str:
    if finding.cell is not None:
        return f"cell {finding.cell} {finding.line}:{finding.column}"
    return f"{finding.line}:{finding.column}"


def _text(report: Report) -> str:
    out = [f"compat audit: {_headline(report)}"]
    if not report.findings:
        out.append("No legacy v1.1 favorites code found.")
        return "\n".join(out) + "\n"
    by_file: dict[str, list[Finding]] = {}
    for f in report.findings:
        by_file.setdefault(f.path, []).append(f)
    loc_width = max(len(_loc(f)) for f in report.findings)
    for path, findings in by_file.items():
        out.append("")
        out.append(path)
        for f in findings:
            loc = _loc(f).ljust(loc_width)
            legacy = _clip(_what(f), _LEGACY_WIDTH).ljust(_LEGACY_WIDTH)
            conf = "-" if _is_parse(f) else f.confidence
            mark = "  [informational]" if f.informational else ""
            out.append(f"  {loc}  {f.code}  {conf:<4}  {legacy}  {_replacement_cell(f)}{mark}")
    out.extend(_cost_lines(report))
    out.extend(_policy_lines(report))
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
        replacement = _replacement_cell(f)
        conf = (
            "-" if _is_parse(f) else f.confidence + (" (informational)" if f.informational else "")
        )
        out.append(
            f"| {_md_code(f.location, 200)} | {f.code} | {conf} "
            f"| {legacy} | "
            f"{_md_code(replacement) if replacement != '-' else '-'} |"
        )
    for line in [*_cost_lines(report), *_policy_lines(report)]:
        out.append(_md_cell(line) if line else "")
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


def _sarif_uri(report: Report, finding: Finding) -> dict[str, Any]:
    """The artifact location: relative to ``%SRCROOT%`` (the project root) when the file lies
    under it, whatever the PATH argument was (absolute, ``../x.py`` from a subfolder)."""
    if report.root is None:
        if not os.path.isabs(finding.path):
            return {
                "uri": urllib.parse.quote(finding.path.replace(os.sep, "/")),
                "uriBaseId": SRCROOT,
            }
        return {"uri": PurePath(finding.path).as_uri()}
    absolute = os.path.abspath(finding.path)
    rel = os.path.relpath(absolute, report.root)
    if rel != ".." and not rel.startswith(".." + os.sep) and not os.path.isabs(rel):
        return {"uri": urllib.parse.quote(rel.replace(os.sep, "/")), "uriBaseId": SRCROOT}
    return {"uri": PurePath(absolute).as_uri()}


def _help_text(rule: Rule) -> list[str]:
    help_lines = [rule.description]
    if rule.replacement:
        help_lines.append(f"v2 replacement: {rule.replacement}.")
    if rule.rate_limit:
        help_lines.append(f"Rate limits: {rule.rate_limit}.")
    if rule.cost:
        help_lines.append(f"Requests under the shim: {rule.cost}.")
    help_lines.append(f"Fix: {rule.advice}")
    return help_lines


def _sarif_rule(rule: Rule) -> dict[str, Any]:
    help_lines = _help_text(rule)
    precision = "high" if rule.category in {"parse", "gate"} else "medium"
    if rule.category in {"call", "url"} and rule.code not in {"CPT105", "CPT115"}:
        precision = "high"
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.description},
        "help": {"text": "\n".join(help_lines), "markdown": "\n\n".join(help_lines)},
        "helpUri": f"{INFORMATION_URI}#{rule.code.lower()}",
        "defaultConfiguration": {"level": rule.level},
        "properties": {
            "precision": precision,
            "tags": list(rule.tags),
            "category": rule.category,
        },
    }


def _sarif_level(finding: Finding) -> str:
    """``note`` for informational findings; else the confidence's level, never above the
    rule's own (a warning rule's high-confidence finding stays a warning)."""
    if finding.informational:
        return "note"
    rule_level = finding.rule.level
    if finding.rule.category in {"parse", "gate"}:
        return rule_level
    by_confidence = _LEVEL_BY_CONFIDENCE[finding.confidence]
    order = ["note", "warning", "error"]
    return order[min(order.index(rule_level), order.index(by_confidence))]


def _sarif_result(
    report: Report, finding: Finding, rule_index: int, fingerprint: str
) -> dict[str, Any]:
    line = finding.file_line if finding.file_line is not None else finding.line
    region: dict[str, Any] = {"startLine": line, "startColumn": finding.column}
    if finding.end_line is not None and finding.end_column is not None:
        region["endLine"] = line + (finding.end_line - finding.line)
        region["endColumn"] = finding.end_column
    if finding.legacy:
        region["snippet"] = {"text": finding.legacy}
    properties = {
        k: v
        for k, v in {
            "confidence": finding.confidence,
            "informational": finding.informational,
            "library": finding.library,
            "endpoint": finding.v11_endpoint,
            "replacement": finding.replacement,
            "rateLimit": finding.rule.rate_limit,
            "cost": finding.rule.cost,
            "estimate": finding.estimate.to_dict() if finding.estimate is not None else None,
            "advice": finding.advice,
            "detail": finding.detail,
            "cell": finding.cell,
            "cellLine": finding.line if finding.cell is not None else None,
        }.items()
        if v is not None
    }
    location: dict[str, Any] = {
        "physicalLocation": {"artifactLocation": _sarif_uri(report, finding), "region": region}
    }
    if finding.cell is not None:
        location["message"] = {"text": f"cell {finding.cell}, line {finding.line}"}
    return {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": _sarif_level(finding),
        "message": {"text": finding.message},
        "locations": [location],
        "partialFingerprints": {"primaryLocationLineHash": fingerprint},
        "properties": properties,
    }


def _sarif(report: Report) -> str:
    codes = list(RULES)
    prints = report.fingerprints
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "compat",
                "version": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_sarif_rule(RULES[code]) for code in codes],
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": [
            _sarif_result(report, f, codes.index(f.code), fp)
            for f, fp in zip(report.findings, prints, strict=True)
        ],
    }
    if report.root is not None:
        root_uri = PurePath(os.path.abspath(report.root)).as_uri().rstrip("/") + "/"
        run["originalUriBaseIds"] = {SRCROOT: {"uri": root_uri}}
    else:
        run["originalUriBaseIds"] = {SRCROOT: {"description": {"text": "the project root"}}}
    log = {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}
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
    #: each missing field once: (fields affecting the same calls, ((endpoint, calls), ...))
    missing_groups: tuple[tuple[tuple[str, ...], tuple[tuple[str, int], ...]], ...] = ()
    calls_per_day: float | None = None

    @property
    def days(self) -> float | None:
        """The span of the log in days (at least one), None for an empty log."""
        if self.first is None or self.last is None:
            return None
        return max(1.0, (self.last - self.first).total_seconds() / 86400)

    @property
    def monthly_micro_usd(self) -> int | None:
        """The bill projected over 30 days: at ``calls_per_day`` when given (scaled from the
        log's calls), else at the log's own rate (its bill per day of its span)."""
        if self.cost is None or not self.entries or self.days is None:
            return None
        if self.calls_per_day is not None:
            per_call = self.cost.micro_usd / self.calls if self.calls else 0
            return round(per_call * self.calls_per_day * 30)
        return round(self.cost.micro_usd / self.days * 30)

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
        "missing_field_groups": [
            {"fields": list(fields), "calls": dict(calls), "total_calls": sum(n for _, n in calls)}
            for fields, calls in report.missing_groups
        ],
        "monthly_projection": None
        if report.monthly_micro_usd is None
        else {
            "usd": _usd(report.monthly_micro_usd),
            "micro_usd": report.monthly_micro_usd,
            "calls_per_day": report.calls_per_day,
            "basis": "calls_per_day" if report.calls_per_day is not None else "log rate",
        },
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
    if report.missing_groups:
        out.append("")
        out.append(
            "v1.1 fields sent as null/default (each field once, with the calls it affected):"
        )
        out.extend(
            _table(
                ["calls", "fields"],
                _missing_rows(report),
                right=frozenset({0}),
            )
        )
    monthly = _monthly_line(report)
    if monthly:
        out.append("")
        out.append(monthly)
    out.append("")
    out.append(f"Slowest calls (top {len(report.slowest)}):")
    out.extend(_table(_SLOW_HEAD, _slow_rows(report), right=frozenset({0, 4, 5})))
    out.extend(_corrupt_text(report))
    return "\n".join(out) + "\n"


def _missing_rows(report: RuntimeReport) -> list[list[str]]:
    rows = []
    for fields, calls in report.missing_groups:
        total = sum(n for _, n in calls)
        by = ", ".join(f"{e} {n}" for e, n in calls)
        rows.append([f"{total} ({by})", ", ".join(fields)])
    return rows


def _monthly_line(report: RuntimeReport) -> str | None:
    monthly = report.monthly_micro_usd
    if monthly is None:
        return None
    plan = _plan_name(report)
    if report.calls_per_day is not None:
        basis = f"at {report.calls_per_day:g} calls/day"
    else:
        basis = f"at the log's rate ({report.calls} calls over {report.days:.1f} days)"
    return f"Monthly projection on {plan} (30 days, {basis}): {format_usd(monthly)}"


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
    if report.missing_groups:
        out.append("")
        out.append(
            "**v1.1 fields sent as null/default** (each field once, with the calls it affected)"
        )
        out.append("")
        out.extend(_md_table(["calls", "fields"], _missing_rows(report)))
    monthly = _monthly_line(report)
    if monthly:
        out.append("")
        out.append(_md_cell(monthly))
    out.append("")
    out.append("**Slowest calls**")
    out.append("")
    slow = [[r[0], r[1], f"`{r[2]}`" if r[2] != "-" else "-", *r[3:]] for r in _slow_rows(report)]
    out.extend(_md_table(_SLOW_HEAD, slow))
    if report.corrupt_lines:
        out.append("")
        out.append(f"Skipped {report.corrupt_lines} corrupt line(s).")
    return "\n".join(out) + "\n"
