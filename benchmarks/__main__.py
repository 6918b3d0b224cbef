"""``python -m benchmarks [--quick]``: every figure of issue 8, measured in one run.

1. in-process cost per post (parse, validate in, reshape, validate out, dump) on real payloads,
   with the split by stage and validation per backend — target ≤ 50 µs per post;
2. the peer pipeline (tweepy 4 Client parsing + dict-mapping converter + plain jsonschema) on
   the same bytes — target: ours ≥ 20x faster;
3. end to end on the emulator: drop-in calls and tweepy 4 through the shim next to tweepy 4's
   own v2 Client — no target;
4. v2 requests per legacy call and for 1,000-like walks — target: equal to the minimum;
5. peak RSS growth walking 1,000,000 likes in a child process, after its first call (imports,
   validators, connection) — target < 20 MB — with
   ceil(N/100) requests and the time per 1,000 likes (issue 18);
6. start-up: ``import compat`` / ``import requests`` (target ≤ 1.3×) and ``compat run``'s
   start-up, as ratios of medians of alternating fresh interpreters;
7. workloads (like cleaner, archiver, liker) in v2 requests and dollars per plan, through the
   drop-in functions, tweepy 4 under install() and tweepy 3 under compat run — target: the
   floor (issue 18);
8. the strict hot path against the JSON floor (≤ 8x) and tweepy 4's Status.parse (≤ 0.25x),
   ratios of medians (issue 18).

Timings are ``time.perf_counter`` medians (see :mod:`benchmarks.report`); nothing here asserts a
timing. ``--quick`` uses tiny sizes and few repeats (the CI smoke test runs it).

Usage::

    .venv/bin/python -m benchmarks            # the full run (a few minutes)
    .venv/bin/python -m benchmarks --quick    # seconds; figures are rough
    .venv/bin/python -m benchmarks --json figures.json --sections 1,2
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import pathlib
import sys

from benchmarks import audit, endtoend, floor, inprocess, memory, startup, workloads
from benchmarks.report import Report, machine

__all__ = ["Sizes", "main"]


@dataclasses.dataclass(frozen=True)
class Sizes:
    """How much to measure: repeats, the minimum length of one timed run, walk sizes."""

    repeat: int
    min_run_s: float
    peer_repeat: int
    e2e_repeat: int
    e2e_min_run_s: float
    memory_likes: int
    startup_repeat: int


FULL = Sizes(
    repeat=7,
    min_run_s=0.2,
    peer_repeat=5,
    e2e_repeat=7,
    e2e_min_run_s=0.2,
    memory_likes=1_000_000,
    startup_repeat=21,
)
QUICK = Sizes(
    repeat=3,
    min_run_s=0.002,
    peer_repeat=1,
    e2e_repeat=2,
    e2e_min_run_s=0.002,
    memory_likes=2_000,
    startup_repeat=3,
)
SECTIONS = ("1", "2", "3", "4", "5", "6", "7", "8")
#: likes and posts of the workload rows (section 7): full run, quick run
WORKLOAD_SIZES = {"full": (1_000, 100), "quick": (230, 12)}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description="compat's benchmarks (issue 8), one run"
    )
    parser.add_argument("--quick", action="store_true", help="tiny sizes, few repeats (CI)")
    parser.add_argument("--repeat", type=int, help="timed runs per figure (median kept)")
    parser.add_argument("--memory-likes", type=int, help="likes walked in section 5")
    parser.add_argument(
        "--sections", default=",".join(SECTIONS), help="comma-separated subset of 1,...,8"
    )
    parser.add_argument("--json", type=pathlib.Path, help="also write every figure here")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    sizes = QUICK if args.quick else FULL
    if args.repeat is not None:
        if args.repeat < 1:
            raise SystemExit("--repeat must be at least 1")
        sizes = dataclasses.replace(
            sizes,
            repeat=args.repeat,
            e2e_repeat=args.repeat,
            peer_repeat=args.repeat,
            startup_repeat=args.repeat,
        )
    if args.memory_likes is not None:
        if args.memory_likes < 100:
            raise SystemExit("--memory-likes must be at least 100")
        sizes = dataclasses.replace(sizes, memory_likes=args.memory_likes)
    wanted = {s.strip() for s in args.sections.split(",") if s.strip()}
    if not wanted or wanted - set(SECTIONS):
        raise SystemExit(f"--sections takes a comma-separated subset of {','.join(SECTIONS)}")

    meta = machine()
    meta["mode"] = "quick" if args.quick else "full"
    meta["load_before"] = [round(x, 2) for x in os.getloadavg()]
    print(f"compat benchmarks ({meta['mode']}) — {meta['date']}")
    print(f"machine: {meta['nproc']} CPUs ({meta['cpu']}), {meta['python']}")
    print(f"load average before: {' '.join(map(str, meta['load_before']))}")
    print(
        f"timings: time.perf_counter, median of {sizes.repeat} runs of back-to-back calls "
        f"(each run ≥ {sizes.min_run_s * 1000:g} ms), one thread"
    )
    if os.environ.get("COMPAT_AUDIT_LOG"):
        print("note: COMPAT_AUDIT_LOG is set, so the shim rows include writing the audit log")
    report = Report()
    if wanted & {"1", "2"}:
        inprocess.run(
            report,
            repeat=sizes.repeat,
            min_run_s=sizes.min_run_s,
            peer_repeat=sizes.peer_repeat,
            sections=wanted,
        )
    if wanted & {"3", "4"}:
        endtoend.run(
            report,
            repeat=sizes.e2e_repeat,
            min_run_s=sizes.e2e_min_run_s,
            sections=wanted,
        )
    if "5" in wanted:
        memory.run(report, likes=sizes.memory_likes)
    if "6" in wanted:
        startup.run(report, repeat=sizes.startup_repeat)
        # the audit's files per second (issue 19), measured with the start-up figures
        audit.run(report, files=500 if sizes == QUICK else 50_000)
    if "7" in wanted:
        likes, posts = WORKLOAD_SIZES[meta["mode"]]
        workloads.run(report, likes=likes, posts=posts)
    if "8" in wanted:
        floor.run(report, repeat=sizes.repeat, min_run_s=sizes.min_run_s)
    meta["load_after"] = [round(x, 2) for x in os.getloadavg()]
    print(f"\nSummary (load average after: {' '.join(map(str, meta['load_after']))})")
    print(report.summary())
    missed = [f.name for f in report.figures if f.met is False]
    print(f"\ntargets: {sum(f.met is True for f in report.figures)} met, {len(missed)} missed")
    if args.json is not None:
        args.json.write_text(report.to_json(meta), encoding="utf-8")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
