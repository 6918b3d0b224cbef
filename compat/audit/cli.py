"""``compat audit PATH... [--format text|json|markdown|sarif] [--output FILE] [--include-ignored]
[--select CODES] [--ignore CODES] [--min-confidence LEVEL] [--exit-zero] [--baseline FILE
[--write-baseline]] [--plan PLAN] [--calls-per-day N] [--max-file-size BYTES]`` and
``compat audit --runtime LOG [LOG...] [--plan PLAN] [--calls-per-day N]
[--format text|json|markdown] [--output FILE]``.

The first form is the static audit (:mod:`compat.audit.static`); the second summarises runtime
audit logs written by the shim (:func:`compat.audit.runtime.summarise`) against the limits
and prices of ``--plan`` (default ``pay-per-use``). Give PATHs or ``--runtime``, not both.

Exit codes, static: 0 no failing finding (informational findings, on code already served by
compat, never fail; ``--exit-zero`` always 0), 1 failing findings (files that could not be
parsed count), 2 usage or configuration error (a bad ``[tool.compat.audit]``, an unreadable
baseline). Options also come from ``[tool.compat.audit]`` in the nearest pyproject.toml
upward from the audited paths; the command line wins.
Runtime: 0 no legacy call failed, no v2 request is projected to get a 429 and the plan offers
every v2 endpoint called, 1 otherwise (corrupt log lines are reported but do not change it).
Both: 2 usage error (argparse's own, an unknown --plan, neither or both of PATH and --runtime,
``--format sarif`` or ``--include-ignored`` with --runtime, ``--plan`` without it, a PATH or
LOG that does not exist or cannot be read, an --output that cannot be written).

Progress goes to stderr, and only when stderr is a terminal; the report goes to stdout or FILE.

:func:`run` builds its report with :func:`build_report` and prints anything
:class:`compat.audit.report.Renderable`.

Usage::

    >>> from compat.cli import main
    >>> main(["audit", "/no/such/dir"])
    2
    >>> main(["audit", "--runtime", "/no/such/audit.jsonl"])
    2
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import math
import os
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

from compat._plans import PLAN_NAMES
from compat.audit import gate
from compat.audit.report import FORMATS, RUNTIME_FORMATS, Renderable, Report
from compat.audit.rules import CONFIDENCES
from compat.audit.runtime import DEFAULT_PLAN, summarise
from compat.audit.static import scan

__all__ = ["Progress", "build_report", "register", "run"]

logger = logging.getLogger("compat.audit")

_PROG = "compat audit"
#: The largest --max-file-size: 1 TiB (a file is read whole, so anything beyond is no cap).
MAX_FILE_SIZE_LIMIT = 1 << 40


class Progress:
    """``done/total files path`` on one terminal line, redrawn at most every ``interval`` s.

    ``clock`` is injectable for tests (``time.monotonic`` by default).

    Usage::

        >>> import io
        >>> out = io.StringIO()
        >>> p = Progress(out, clock=lambda: 0.0)
        >>> p(1, 2, "a.py"); p(2, 2, "b.py"); p.close()
        >>> "2/2 files" in out.getvalue()
        True
    """

    def __init__(
        self,
        stream: TextIO,
        *,
        clock: Callable[[], float] = time.monotonic,
        interval: float = 0.1,
        width: int = 79,
    ) -> None:
        self._stream = stream
        self._clock = clock
        self._interval = interval
        self._width = width
        self._last: float | None = None
        self._shown = False

    def __call__(self, done: int, total: int, path: str) -> None:
        now = self._clock()
        if done != total and self._last is not None and now - self._last < self._interval:
            return
        self._last = now
        text = f"{_PROG}: {done}/{total} files  {path}"
        if len(text) > self._width:
            text = text[: self._width - 1] + "…"
        self._stream.write("\r" + text.ljust(self._width))
        self._stream.flush()
        self._shown = True

    def close(self) -> None:
        """Erase the progress line."""
        if self._shown:
            self._stream.write("\r" + " " * self._width + "\r")
            self._stream.flush()
            self._shown = False


def register(subparsers: Any) -> None:
    """Add the ``audit`` subcommand to ``compat``'s subparsers."""
    parser = subparsers.add_parser(
        "audit",
        help="find legacy v1.1 favorites code and what v2 changes for it",
        description=(
            "Statically audit Python code for legacy Twitter API v1.1 favorites calls, raw "
            "favorites URLs and fields whose meaning changes on X API v2 Likes, or with "
            "--runtime summarise the shim's runtime audit logs against a plan's limits and "
            "prices. Exit status: 0 nothing found (runtime: no failed call, no projected 429, "
            "nothing the plan refuses), 1 findings (runtime: failed calls, projected 429s or "
            "requests the plan refuses), 2 usage error."
        ),
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or directories")
    parser.add_argument(
        "--runtime",
        nargs="+",
        metavar="LOG",
        help="summarise runtime audit logs (JSON lines written with install(audit_log=LOG) "
        "or COMPAT_AUDIT_LOG) instead of auditing code",
    )
    parser.add_argument(
        "--plan",
        choices=PLAN_NAMES,
        help=f"the X API plan whose limits and prices apply (default: {DEFAULT_PLAN})",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="report format (default: text; sarif for the static audit only)",
    )
    parser.add_argument(
        "--select",
        action="append",
        metavar="CODES",
        help="report only these codes or prefixes (comma-separated: CPT1,CPT201)",
    )
    parser.add_argument(
        "--ignore",
        action="append",
        metavar="CODES",
        help="do not report these codes or prefixes (the more specific of select/ignore wins)",
    )
    parser.add_argument(
        "--min-confidence",
        choices=CONFIDENCES,
        help="drop findings less sure than this (default: low, everything)",
    )
    parser.add_argument(
        "--exit-zero",
        action="store_true",
        default=None,
        help="exit 0 even when findings fail the gate",
    )
    parser.add_argument(
        "--baseline",
        metavar="FILE",
        help="only findings not in this baseline fail (see --write-baseline)",
    )
    parser.add_argument(
        "--write-baseline",
        action="store_true",
        help="write the current findings to the --baseline FILE and exit 0",
    )
    parser.add_argument(
        "--calls-per-day",
        type=float,
        metavar="N",
        help="project the monthly cost at N calls a day per call site",
    )
    parser.add_argument(
        "--max-file-size",
        type=int,
        metavar="BYTES",
        help=f"files larger than this are not audited (CPT904; default "
        f"{gate.DEFAULT_MAX_FILE_SIZE:,})",
    )
    parser.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE")
    parser.add_argument(
        "--include-ignored",
        action="store_true",
        help="also audit .venv, venv, site-packages, .git, node_modules, build, dist, "
        "__pycache__, .tox and other virtualenv/build directories",
    )
    parser.set_defaults(func=run, usage_error=parser.error)


def _codes(values: list[str] | None, option: str) -> tuple[str, ...] | None:
    if values is None:
        return None
    return gate.check_codes([c for v in values for c in v.split(",")], option)


def gate_config(args: argparse.Namespace) -> gate.GateConfig:
    """The gate's options: ``[tool.compat.audit]`` of the nearest pyproject.toml upward from
    the paths, overridden by the command line (ConfigError when either is unusable)."""
    source, table = gate.find_config(list(args.paths))
    options: dict[str, Any] = gate.from_table(table, source) if source else {}
    cli = {
        "select": _codes(getattr(args, "select", None), "--select"),
        "ignore": _codes(getattr(args, "ignore", None), "--ignore"),
        "min_confidence": getattr(args, "min_confidence", None),
        "exit_zero": getattr(args, "exit_zero", None),
        "baseline": getattr(args, "baseline", None),
        "plan": getattr(args, "plan", None),
        "calls_per_day": getattr(args, "calls_per_day", None),
        "max_file_size": getattr(args, "max_file_size", None),
        "include_ignored": True if getattr(args, "include_ignored", False) else None,
        "format": getattr(args, "format", None),
    }
    options.update({k: v for k, v in cli.items() if v is not None})
    size = options.get("max_file_size")
    if size is not None and not 1 <= size <= MAX_FILE_SIZE_LIMIT:
        raise gate.ConfigError(
            f"--max-file-size must be a number of bytes from 1 to {MAX_FILE_SIZE_LIMIT:,}, "
            f"got {size}"
        )
    calls = options.get("calls_per_day")
    if calls is not None and not (math.isfinite(calls) and calls >= 0):
        raise gate.ConfigError(f"--calls-per-day must be a finite number >= 0, got {calls}")
    return gate.GateConfig(**options, source=source)


def build_report(args: argparse.Namespace, *, stderr: TextIO | None = None) -> Renderable:
    """The report the arguments ask for: the summary of ``args.runtime`` when given (OSError
    when a log cannot be read), else the static audit of ``args.paths`` (ConfigError for a
    configuration or baseline that cannot be used)."""
    runtime = getattr(args, "runtime", None)
    if runtime:
        return summarise(
            runtime,
            plan=getattr(args, "plan", None) or DEFAULT_PLAN,
            calls_per_day=getattr(args, "calls_per_day", None),
        )
    config = gate_config(args)
    if getattr(args, "write_baseline", False):
        config = dataclasses.replace(config, baseline=None)  # write what is found now
    err = stderr if stderr is not None else sys.stderr
    progress = Progress(err) if _isatty(err) else None
    try:
        return scan(args.paths, progress=progress, config=config)
    finally:
        if progress is not None:
            progress.close()


def run(args: argparse.Namespace) -> int:
    """Run ``compat audit``; returns the exit code (usage errors of the arguments' combination
    go through ``args.usage_error``, argparse's ``parser.error``, when there is one)."""
    problem = _usage_problem(args)
    if problem is not None:
        usage_error = getattr(args, "usage_error", None)
        if usage_error is not None:
            usage_error(problem)  # prints the usage and exits with 2
        print(f"{_PROG}: error: {problem}", file=sys.stderr)
        return 2
    runtime = getattr(args, "runtime", None)
    missing = [p for p in (runtime or args.paths) if not os.path.lexists(p)]
    if missing:
        for path in missing:
            print(f"{_PROG}: error: no such file or directory: {path}", file=sys.stderr)
        return 2
    try:
        report = build_report(args)
    except OSError as exc:  # only a runtime log that exists but cannot be read
        print(f"{_PROG}: error: cannot read {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 2
    except gate.ConfigError as exc:
        print(f"{_PROG}: error: {exc}", file=sys.stderr)
        return 2
    if getattr(args, "write_baseline", False) and isinstance(report, Report):
        try:
            gate.write_baseline(args.baseline, report.findings, report.fingerprints)
        except OSError as exc:
            print(f"{_PROG}: error: cannot write {args.baseline}: {exc.strerror}", file=sys.stderr)
            return 2
        print(
            f"{_PROG}: wrote {len(report.findings)} findings to the baseline {args.baseline}",
            file=sys.stderr,
        )
        return 0
    fmt = args.format or _configured_format(args) or "text"
    text = report.render(fmt)
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        except OSError as exc:
            print(f"{_PROG}: error: cannot write {args.output}: {exc.strerror}", file=sys.stderr)
            return 2
        logger.info("audit.report_written path=%s format=%s", args.output, fmt)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    return report.exit_code


def _usage_problem(args: argparse.Namespace) -> str | None:
    """What is wrong with the combination of arguments, or None."""
    runtime = getattr(args, "runtime", None)
    calls = getattr(args, "calls_per_day", None)
    if calls is not None and not (math.isfinite(calls) and calls >= 0):
        return f"--calls-per-day must be a finite number >= 0, got {calls}"
    if runtime and args.paths:
        return "give PATH... to audit code or --runtime LOG... to summarise logs, not both"
    if not runtime and not args.paths:
        return "give PATH... to audit code, or --runtime LOG... to summarise audit logs"
    if runtime and args.format is not None and args.format not in RUNTIME_FORMATS:
        return (
            f"--format {args.format} is for the static audit; with --runtime use "
            f"{', '.join(RUNTIME_FORMATS)}"
        )
    if runtime and getattr(args, "include_ignored", False):
        return "--include-ignored is for the static audit, not --runtime"
    if getattr(args, "write_baseline", False) and not getattr(args, "baseline", None):
        return "--write-baseline needs --baseline FILE"
    if runtime and any(
        getattr(args, name, None)
        for name in ("select", "ignore", "min_confidence", "exit_zero", "baseline")
    ):
        return (
            "--select, --ignore, --min-confidence, --exit-zero and --baseline are for the "
            "static audit, not --runtime"
        )
    return None


def _configured_format(args: argparse.Namespace) -> str | None:
    """The format of ``[tool.compat.audit]`` (static audit only)."""
    if getattr(args, "runtime", None):
        return None
    try:
        source, table = gate.find_config(list(args.paths))
        fmt = gate.from_table(table, source).get("format") if source else None
    except gate.ConfigError:
        return None
    return fmt if isinstance(fmt, str) else None


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
