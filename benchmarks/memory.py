"""Section 5: peak RSS growth while walking many likes with the drop-in functions.

The parent serves an :class:`~compat.emulator.Emulator` with ``likes`` synthetic likes; a fresh
child interpreter (``python -m benchmarks.memory --child``) imports compat, configures the
drop-in functions from the environment (``X_*`` credentials, ``COMPAT_API_BASE``) and walks
every like with ``favorites_list(count=200, max_id=…)`` as tweepy's Cursor pages, keeping only a
count (as a legacy exporter that writes each page out would). It reads its own peak RSS
(``VmHWM`` of /proc/self/status; :func:`_peak_kb` says why not ``ru_maxrss``) before the
first call, after it, after 10 % of the walk and at the end, and prints one JSON line.
Neither the emulator's memory nor the parent's state is in the child's figures. The goal's
baseline is the peak after the first call (a program that calls compat once pays the imports,
the schema validators and the connection too); the growth from before it is printed beside.

Usage::

    >>> from benchmarks.memory import TARGET_MB
    >>> TARGET_MB
    20.0
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import resource
import subprocess
import sys
import time
from typing import Any

from benchmarks.report import Report
from compat.emulator import Emulator

__all__ = ["TARGET_MB", "child", "measure", "run"]

TARGET_MB = 20.0
ROOT = pathlib.Path(__file__).resolve().parent.parent


def _status_kb(field: str) -> int | None:
    try:
        for line in pathlib.Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def _peak_kb() -> int:
    """This process's peak RSS in KiB.

    ``VmHWM`` (Linux): the high-water mark of this process's own address space. The
    ``ru_maxrss`` of a child started by fork/vfork + exec starts at its *parent's* peak (Linux
    keeps the larger of the two across exec), which would hide the child's growth; it is used
    only where /proc is missing.
    """
    hwm = _status_kb("VmHWM")
    return hwm if hwm is not None else int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def child(likes: int) -> dict[str, Any]:
    """The walk itself (run in the child process): RSS checkpoints and the request count."""
    import compat

    credentials = compat.Credentials.from_env()
    api_base = os.environ["COMPAT_API_BASE"]
    marks: dict[str, int] = {}
    walked = 0
    started = time.perf_counter()
    # no recording() here: it keeps every request's resources (the ids of 200 posts and users
    # a page), which would be the benchmark's own growth; the parent counts at the emulator
    with compat.configure(credentials=credentials, api_base=api_base):
        marks["before"] = _peak_kb()
        max_id: int | None = None
        while True:
            if max_id is None:
                page = compat.favorites_list(count=200)
            else:
                page = compat.favorites_list(count=200, max_id=max_id)
            if not page:
                break
            walked += len(page)
            max_id = min(int(s["id"]) for s in page) - 1
            del page
            if "first_call" not in marks:
                marks["first_call"] = _peak_kb()
            if "tenth" not in marks and walked >= likes // 10:
                marks["tenth"] = _peak_kb()
        marks["end"] = _peak_kb()
    return {
        "likes": walked,
        "seconds": time.perf_counter() - started,
        "peak_kb": marks,
        "current_kb_end": _status_kb("VmRSS"),
    }


def measure(
    likes: int, *, timeout: float = 600.0, env_extra: dict[str, str] | None = None
) -> dict[str, Any]:
    """Serve ``likes`` likes and walk them all in a child process; the child's JSON report."""
    with Emulator(likes=likes, rate_limits=False) as emu:
        total = len(emu.state.liked(emu.user_id))
        c = emu.credentials
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("X_", "TWITTER_", "COMPAT_"))
        }
        env.update(
            X_CONSUMER_KEY=c.consumer_key or "",
            X_CONSUMER_SECRET=c.consumer_secret or "",
            X_ACCESS_TOKEN=c.access_token or "",
            X_ACCESS_TOKEN_SECRET=c.access_token_secret or "",
            COMPAT_API_BASE=emu.base_url,
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
        )
        env.update(env_extra or {})
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.memory", "--child", "--likes", str(total)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        requests = len(emu.requests)
    if done.returncode != 0:
        raise SystemExit(f"memory walk failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["served"] = total
    result["requests"] = requests  # counted at the emulator
    return result


def run(report: Report, *, likes: int) -> None:
    """Measure section 5 into ``report`` and print it."""
    print(f"\n5. Memory: walking {likes:,} likes with favorites_list(count=200, max_id=…) in a")
    print("   fresh child process; baseline: peak RSS after the first call (imports, schema")
    print("   validators, connection: paid once by any program that calls compat once); goal:")
    print("   peak RSS growth from that baseline to the end of the walk < 20 MB")
    result = measure(likes)
    peak = result["peak_kb"]
    # the goal's baseline is the first call's peak: what a walk of N likes adds on top of one
    # call; the first call's own cost is printed beside it, not hidden
    growth = (peak["end"] - peak["first_call"]) / 1024
    whole = (peak["end"] - peak["before"]) / 1024
    first = (peak["first_call"] - peak["before"]) / 1024
    steady = (peak["end"] - peak["tenth"]) / 1024
    if result["likes"] != result["served"]:
        raise SystemExit(f"walked {result['likes']} likes of {result['served']}")
    minimum = -(-result["served"] // 100)
    print(
        f"   walked {result['likes']:,} likes in {result['seconds']:.1f} s with "
        f"{result['requests']:,} v2 requests (minimum {minimum:,})"
    )
    print(
        f"   peak RSS before the first call {peak['before'] / 1024:.1f} MB; the first call "
        f"adds {first:.1f} MB; after it, the walk adds {growth:.1f} MB ({steady:.1f} MB from "
        f"10 % to the end); from before the first call {whole:.1f} MB"
    )
    report.add(
        "5",
        f"peak RSS growth walking {result['likes']:,} likes, after the first call",
        growth,
        "MB",
        target=f"< {TARGET_MB:.0f} MB",
        met=growth < TARGET_MB,
    )
    report.add("5", "  the first call itself (imports, validators, connection)", first, "MB")
    report.add("5", "  from 10 % of the walk to the end", steady, "MB")
    report.add("5", "  whole walk, from before the first call", whole, "MB")
    per_thousand = result["seconds"] / max(result["likes"], 1) * 1000
    print(f"   time per 1,000 likes: {per_thousand * 1000:.0f} ms (HTTP to the emulator included)")
    report.add(
        "5",
        "  time per 1,000 likes (end to end, emulator on the same 2 CPUs)",
        per_thousand * 1000,
        "ms",
        note="printed, no goal (issue 18)",
    )
    report.add(
        "5",
        f"v2 requests walking {result['likes']:,} likes",
        result["requests"],
        "requests",
        target=f"= {minimum:,}",
        met=result["requests"] == minimum,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="the child side of the memory benchmark")
    parser.add_argument("--child", action="store_true", help="walk (needs X_* and COMPAT_*)")
    parser.add_argument("--likes", type=int, default=100_000)
    args = parser.parse_args(argv)
    if not args.child:
        report = Report()
        run(report, likes=args.likes)
        return 0
    print(json.dumps(child(args.likes)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
