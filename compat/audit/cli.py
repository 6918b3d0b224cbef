"""``compat audit PATH... [--format text|json|markdown|sarif] [--output FILE] [--include-ignored]``
and ``compat audit --runtime LOG [LOG...] [--plan PLAN] [--format text|json|markdown]
[--output FILE]``.

The first form is the static audit (:mod:`compat.audit.static`); the second summarises runtime
audit logs written by the shim (:func:`compat.audit.runtime.summarise`) against the limits
and prices of ``--plan`` (default ``pay-per-use``). Give PATHs or ``--runtime``, not both.

Exit codes, static: 0 nothing found, 1 findings (files that could not be parsed count).
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
import logging
import os
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

from compat._plans import PLAN_NAMES
from compat.audit.report import FORMATS, RUNTIME_FORMATS, Renderable
from compat.audit.runtime import DEFAULT_PLAN, summarise
from compat.audit.static import scan

__all__ = ["Progress", "build_report", "register", "run"]

logger = logging.getLogger("compat.audit")

_PROG = "compat audit"


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
        help=f"with --runtime: the X API plan whose limits and prices apply (default: "
        f"{DEFAULT_PLAN})",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="report format (default: text; sarif for the static audit only)",
    )
    parser.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE")
    parser.add_argument(
        "--include-ignored",
        action="store_true",
        help="also audit .venv, venv, site-packages, .git, node_modules, build, dist, "
        "__pycache__, .tox and other virtualenv/build directories",
    )
    parser.set_defaults(func=run, usage_error=parser.error)


def build_report(args: argparse.Namespace, *, stderr: TextIO | None = None) -> Renderable:
    """The report the arguments ask for: the summary of ``args.runtime`` when given (OSError
    when a log cannot be read), else the static audit of ``args.paths``."""
    runtime = getattr(args, "runtime", None)
    if runtime:
        return summarise(runtime, plan=getattr(args, "plan", None) or DEFAULT_PLAN)
    err = stderr if stderr is not None else sys.stderr
    progress = Progress(err) if _isatty(err) else None
    try:
        return scan(args.paths, include_ignored=args.include_ignored, progress=progress)
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
    text = report.render(args.format)
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        except OSError as exc:
            print(f"{_PROG}: error: cannot write {args.output}: {exc.strerror}", file=sys.stderr)
            return 2
        logger.info("audit.report_written path=%s format=%s", args.output, args.format)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    return report.exit_code


def _usage_problem(args: argparse.Namespace) -> str | None:
    """What is wrong with the combination of arguments, or None."""
    runtime = getattr(args, "runtime", None)
    if runtime and args.paths:
        return "give PATH... to audit code or --runtime LOG... to summarise logs, not both"
    if not runtime and not args.paths:
        return "give PATH... to audit code, or --runtime LOG... to summarise audit logs"
    if runtime and args.format not in RUNTIME_FORMATS:
        return (
            f"--format {args.format} is for the static audit; with --runtime use "
            f"{', '.join(RUNTIME_FORMATS)}"
        )
    if runtime and getattr(args, "include_ignored", False):
        return "--include-ignored is for the static audit, not --runtime"
    if not runtime and getattr(args, "plan", None):
        return "--plan is for --runtime, not the static audit"
    return None


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
