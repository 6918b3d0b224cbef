"""Timing and reporting helpers shared by the benchmark sections.

Every timing is ``time.perf_counter`` around back-to-back calls: one warm-up call, then
``repeat`` runs of ``number`` calls each (``number`` chosen so one run lasts at least
``min_run_s``); the figure reported is the **median** run's time per call, the best run is kept
alongside. Every figure goes into a :class:`Report` with its target, so the command can print
them side by side and write them as JSON.

Usage::

    >>> from benchmarks.report import Report, time_call
    >>> t = time_call(lambda: sum(range(100)), repeat=3, min_run_s=0.001)
    >>> t.runs, t.median_s > 0, t.best_s <= t.median_s
    (3, True, True)
    >>> report = Report()
    >>> figure = report.add("1", "demo µs/post", 12.5, "µs", target="≤ 50 µs", met=12.5 <= 50)
    >>> figure.verdict, figure.shown()
    ('met', '12.5 µs')
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import os
import pathlib
import platform
import statistics
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["Figure", "Report", "Timing", "machine", "time_call", "time_interleaved"]


@dataclasses.dataclass(frozen=True)
class Timing:
    """Seconds per call: the median and the best of ``runs`` runs of ``number`` calls."""

    median_s: float
    best_s: float
    runs: int
    number: int


def time_call(fn: Callable[[], object], *, repeat: int, min_run_s: float) -> Timing:
    """Time ``fn`` (see the module docstring); ``fn`` is called once first, untimed."""
    clock = time.perf_counter
    started = clock()
    fn()
    once = max(clock() - started, 1e-7)
    number = max(1, math.ceil(min_run_s / once))
    samples = []
    for _ in range(repeat):
        started = clock()
        for _ in range(number):
            fn()
        samples.append((clock() - started) / number)
    return Timing(statistics.median(samples), min(samples), repeat, number)


def time_interleaved(
    rows: Mapping[str, Callable[[], object]],
    *,
    repeat: int,
    min_run_s: float,
    contexts: Mapping[str, Callable[[], contextlib.AbstractContextManager[object]]] | None = None,
) -> dict[str, Timing]:
    """:func:`time_call` for several rows in round-robin: run ``r`` of every row is taken
    before run ``r + 1`` of any, so a change of machine load hits every row alike and their
    ratios stay fair. ``contexts[name]()`` (e.g. installing a patch) is entered around each
    run of that row, outside the timed part.

    >>> t = time_interleaved({"a": lambda: None, "b": lambda: None}, repeat=3, min_run_s=0.0)
    >>> sorted(t), t["a"].runs
    (['a', 'b'], 3)
    """
    clock = time.perf_counter
    contexts = contexts or {}

    def entered(name: str) -> contextlib.AbstractContextManager[object]:
        factory = contexts.get(name)
        return factory() if factory is not None else contextlib.nullcontext()

    numbers: dict[str, int] = {}
    for name, fn in rows.items():
        with entered(name):
            started = clock()
            fn()
            once = max(clock() - started, 1e-7)
        numbers[name] = max(1, math.ceil(min_run_s / once))
    samples: dict[str, list[float]] = {name: [] for name in rows}
    for _ in range(repeat):
        for name, fn in rows.items():
            number = numbers[name]
            with entered(name):
                started = clock()
                for _ in range(number):
                    fn()
                samples[name].append((clock() - started) / number)
    return {
        name: Timing(statistics.median(runs), min(runs), repeat, numbers[name])
        for name, runs in samples.items()
    }


@dataclasses.dataclass(frozen=True)
class Figure:
    """One measured figure; ``met`` is None when the figure has no target."""

    section: str
    name: str
    value: float | None
    unit: str
    target: str | None = None
    met: bool | None = None
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.value is None:
            return "skipped"
        if self.met is None:
            return "-"
        return "met" if self.met else "MISSED"

    def shown(self) -> str:
        if self.value is None:
            return self.note or "skipped"
        if self.unit in ("requests", "calls", "posts"):
            return f"{self.value:,.0f} {self.unit}"
        if self.unit == "x":
            return f"{self.value:,.1f}x"
        if abs(self.value) >= 1000:
            return f"{self.value:,.0f} {self.unit}"
        return (
            f"{self.value:,.2f} {self.unit}"
            if self.value < 10
            else f"{self.value:,.1f} {self.unit}"
        )


@dataclasses.dataclass
class Report:
    """Every figure of one run, in the order measured."""

    figures: list[Figure] = dataclasses.field(default_factory=list)

    def add(
        self,
        section: str,
        name: str,
        value: float | None,
        unit: str,
        *,
        target: str | None = None,
        met: bool | None = None,
        note: str = "",
    ) -> Figure:
        figure = Figure(section, name, value, unit, target, met, note)
        self.figures.append(figure)
        return figure

    def summary(self) -> str:
        """The side-by-side table: figure, measured, target, verdict."""
        width = max(len(f.name) for f in self.figures) if self.figures else 10
        shown = [f.shown() for f in self.figures]
        vwidth = max((len(s) for s in shown), default=8)
        lines = [f"{'':3}{'figure':{width}}  {'measured':>{vwidth}}  {'target':18} verdict"]
        for figure, value in zip(self.figures, shown, strict=True):
            target = figure.target or "(none)"
            lines.append(
                f"{figure.section:3}{figure.name:{width}}  {value:>{vwidth}}  {target:18} "
                f"{figure.verdict}"
            )
        return "\n".join(lines)

    def to_json(self, meta: dict[str, Any]) -> str:
        return json.dumps(
            {"machine": meta, "figures": [dataclasses.asdict(f) for f in self.figures]},
            ensure_ascii=False,
            indent=1,
        )


def _cpu_model() -> str:
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict[str, Any]:
    """Date and machine of this run: UTC time, ``nproc``, ``python -VV``, CPU model."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "nproc": cpus,
        "python": f"Python {sys.version}".replace("\n", " "),
        "cpu": _cpu_model(),
        "platform": platform.platform(),
    }
