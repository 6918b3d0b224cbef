"""Section 6: start-up cost, as ratios of medians measured side by side in one run.

Each row is a fresh interpreter (``subprocess``) timed wall-clock from spawn to exit; the rows
alternate run by run (A, B, A, B, ...) so that machine noise hits both alike, and the figure
is the ratio of the two medians:

* ``import compat`` / ``import requests`` (target ≤ 1.3×; ``import compat`` loads only the
  exceptions, the rest on first use);
* ``from compat import favorites_create, install`` / ``import requests`` (no target: what a
  program that uses compat pays, requests and the validators included);
* the child's start-up with ``compat run``'s hook / without: ``python -c pass`` with the
  generated ``sitecustomize`` first on ``PYTHONPATH`` / ``python -c pass`` (target ≤ 1.3×:
  the hook imports nothing, the shim installs itself on the first import of an HTTP stack);
* ``compat run -- python -c pass`` / ``python -c pass`` (no target: compat run's own
  interpreter, its configuration check and the child, in all).

Usage::

    .venv/bin/python -m benchmarks --sections 6
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence

from benchmarks.report import Report
from compat.runner import write_hook

__all__ = ["ratio_of_medians", "run"]


def _once(argv: Sequence[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def ratio_of_medians(
    a: Sequence[str], b: Sequence[str], *, repeat: int, env: dict[str, str]
) -> tuple[float, float, float]:
    """(median seconds of ``a``, of ``b``, a/b), the two commands run alternately."""
    _once(a, env), _once(b, env)  # warm the page cache for both, untimed
    times_a, times_b = [], []
    for _ in range(repeat):
        times_a.append(_once(a, env))
        times_b.append(_once(b, env))
    med_a, med_b = statistics.median(times_a), statistics.median(times_b)
    return med_a, med_b, med_a / med_b


def run(report: Report, *, repeat: int) -> None:
    print("\n6. Start-up: fresh interpreters, alternating, ratio of medians")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COV_CORE_", "COVERAGE_"))}
    py = sys.executable
    requests_only = [py, "-c", "import requests"]
    rows: list[tuple[str, list[str], str | None, float | None]] = [
        ("import compat / import requests", [py, "-c", "import compat"], "≤ 1.3×", 1.3),
        (
            "from compat import favorites_create, install / import requests",
            [py, "-c", "from compat import favorites_create, install"],
            None,
            None,
        ),
    ]
    # compat run's child needs credentials to start: dummy ones, it makes no request.
    run_env = dict(env)
    for name in ("CONSUMER_KEY", "CONSUMER_SECRET", "ACCESS_TOKEN", "ACCESS_TOKEN_SECRET"):
        run_env[f"X_{name}"] = "1072250532645998596-bench" if name == "ACCESS_TOKEN" else "bench"
    for name, argv, target, bound in rows:
        _row(report, name, argv, requests_only, env, repeat=repeat, target=target, bound=bound)
    passing = [py, "-c", "pass"]
    with tempfile.TemporaryDirectory(prefix="compat-bench-hook-") as hook:
        # the hook as compat run writes it, this process playing compat run
        write_hook(hook, os.getpid())
        hooked = {**run_env, "PYTHONPATH": hook}
        med_a, med_b, ratio = _alternate(passing, hooked, passing, env, repeat=repeat)
    name = "child start-up with the compat run hook / without (python -c pass)"
    _report(report, name, med_a, med_b, ratio, repeat, target="≤ 1.3×", bound=1.3)
    whole = [py, "-m", "compat", "run", "--", py, "-c", "pass"]
    med_a, med_b, ratio = _alternate(whole, run_env, passing, env, repeat=repeat)
    name = "compat run -- python -c pass / python -c pass"
    _report(report, name, med_a, med_b, ratio, repeat, target=None, bound=None)


def _alternate(
    a: Sequence[str], env_a: dict[str, str], b: Sequence[str], env_b: dict[str, str], *, repeat: int
) -> tuple[float, float, float]:
    """Like :func:`ratio_of_medians`, each command with its own environment."""
    _once(a, env_a), _once(b, env_b)
    times_a, times_b = [], []
    for _ in range(repeat):
        times_a.append(_once(a, env_a))
        times_b.append(_once(b, env_b))
    med_a, med_b = statistics.median(times_a), statistics.median(times_b)
    return med_a, med_b, med_a / med_b


def _row(
    report: Report,
    name: str,
    argv: Sequence[str],
    baseline: Sequence[str],
    env: dict[str, str],
    *,
    repeat: int,
    target: str | None,
    bound: float | None,
) -> None:
    med_a, med_b, ratio = ratio_of_medians(argv, baseline, repeat=repeat, env=env)
    _report(report, name, med_a, med_b, ratio, repeat, target=target, bound=bound)


def _report(
    report: Report,
    name: str,
    med_a: float,
    med_b: float,
    ratio: float,
    repeat: int,
    *,
    target: str | None,
    bound: float | None,
) -> None:
    met = None if bound is None else ratio <= bound
    verdict = "" if met is None else (" (met)" if met else " (missed)")
    target_text = f", goal {target}" if target else ""
    print(
        f"   {name}: {med_a * 1000:.1f} ms / {med_b * 1000:.1f} ms = {ratio:.2f}×"
        f"{target_text}{verdict}"
    )
    note = f"{med_a * 1000:.1f} ms vs {med_b * 1000:.1f} ms, median of {repeat}"
    report.add("6", name, round(ratio, 3), "×", target=target, met=met, note=note)
