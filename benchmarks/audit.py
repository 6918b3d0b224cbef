"""The static audit's throughput: files per second on a generated tree (issue 19).

The tree holds ``files`` small modules in nested packages (100 per directory), one in ten a
tweepy 3 bot with favorites calls, a companion call and a like loop, the rest plain code, so
the figure includes finding, pricing and reporting. The audit runs once over the whole tree
(``compat.audit.scan``); the figure is files / wall-clock seconds (``time.perf_counter``). No
target: nothing asserts a timing.

Usage::

    .venv/bin/python -m benchmarks.audit            # 50,000 files
    .venv/bin/python -m benchmarks.audit --files 2000
"""

from __future__ import annotations

import argparse
import pathlib
import tempfile
import time

from benchmarks.report import Report
from compat.audit import scan

__all__ = ["generate", "main", "run"]

_BOT = """import tweepy

api = tweepy.API(auth, wait_on_rate_limit=True)


def like_all(query):
    for tweet in api.search(q=query):
        if not tweet.favorited:
            api.create_favorite(tweet.id)
    return api.user_timeline(screen_name="me", count=200)
"""
_PLAIN = '''"""A module of plain code."""
import json


def load(path):
    with open(path) as handle:
        return [row["id"] for row in json.load(handle) if row.get("ok")]


class Store:
    def __init__(self):
        self.rows = {}

    def put(self, key, value):
        self.rows[key] = value
'''


def generate(root: pathlib.Path, files: int) -> pathlib.Path:
    """Write ``files`` modules under ``root`` (100 per directory); returns ``root``."""
    for n in range(files):
        folder = root / f"pkg{n // 10_000}" / f"sub{(n // 100) % 100}"
        if n % 100 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        (folder / f"m{n}.py").write_text(_BOT if n % 10 == 0 else _PLAIN, encoding="utf-8")
    return root


def run(report: Report, *, files: int = 50_000) -> float:
    """Audit a generated tree of ``files`` modules; adds and returns the files per second."""
    with tempfile.TemporaryDirectory(prefix="compat-audit-bench-") as tmp:
        root = generate(pathlib.Path(tmp), files)
        start = time.perf_counter()
        result = scan([root])
        elapsed = time.perf_counter() - start
    rate = result.files_scanned / elapsed if elapsed > 0 else float("inf")
    print(
        f"compat audit: {result.files_scanned:,} files in {elapsed:.2f} s: {rate:,.0f} files/s "
        f"({len(result.findings):,} findings, {result.counters.nodes:,} AST nodes, "
        f"{result.counters.bytes_read:,} bytes read)"
    )
    report.add("7", f"audit: files per second ({files:,} files)", rate, "files/s")
    return rate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.audit")
    parser.add_argument("--files", type=int, default=50_000)
    args = parser.parse_args(argv)
    report = Report()
    run(report, files=args.files)
    print(report.summary())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
