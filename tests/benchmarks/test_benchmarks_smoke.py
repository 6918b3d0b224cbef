"""CI smoke test of ``python -m benchmarks --quick``: it runs, and prints every figure with its
target. No timing is asserted (these machines are noisy); request counts and structure are."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, object]]:
    out = tmp_path_factory.mktemp("bench") / "figures.json"
    # No credentials or compat settings from outside, and no pytest-cov in the child: the
    # benchmark exercises compat without asserting on it, so it must not count as coverage.
    dropped = ("COMPAT_", "X_", "TWITTER_", "COV_CORE_", "COVERAGE_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--json", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout, json.loads(out.read_text(encoding="utf-8"))


def figures(data: dict[str, object]) -> list[dict[str, object]]:
    found = data["figures"]
    assert isinstance(found, list)
    return found


def test_every_section_prints_with_targets(quick_run: tuple[str, dict[str, object]]) -> None:
    stdout, data = quick_run
    for header in ("\n1. In-process", "\n2. Peer pipeline", "\n3. End to end", "\n4. v2 requests",
                   "\n5. Memory", "\n6. Start-up", "\n7. Workloads", "\n8. Hot path",
                   "\nSummary"):  # fmt: skip
        assert header in stdout
    for target in ("≤ 50 µs", "≥ 20x", "= 10", "< 20 MB", "≤ 1.3×"):
        assert target in stdout
    sections = {str(f["section"]) for f in figures(data)}
    assert sections == {"1", "2", "3", "4", "5", "6", "7", "8"}
    machine = data["machine"]
    assert isinstance(machine, dict)
    assert {"date", "nproc", "python", "cpu"} <= set(machine)


def test_every_figure_is_measured_or_says_why_not(
    quick_run: tuple[str, dict[str, object]],
) -> None:
    _, data = quick_run
    for figure in figures(data):
        value = figure["value"]
        if value is None:
            assert str(figure["note"]).startswith("skipped"), figure
        else:
            assert isinstance(value, (int, float)) and value >= 0, figure
        if figure["target"] is not None and value is not None:
            assert isinstance(figure["met"], bool), figure


def test_the_targeted_figures_are_all_there(quick_run: tuple[str, dict[str, object]]) -> None:
    _, data = quick_run
    names = [str(f["name"]) for f in figures(data) if f["target"] is not None]
    assert sum(n.startswith("ours µs/post") for n in names) == 4  # 3 real docs + emulator page
    assert sum(n.startswith("ours vs peer (jsonschema.validate)") for n in names) == 4
    assert any(n.startswith("walk of 1,000 likes, count=20 ") for n in names)
    assert any(n.startswith("walk of 1,000 likes, count=200 ") for n in names)
    assert any(n.startswith("peak RSS growth walking") for n in names)
    assert "import compat / import requests" in names
    # issue 18: workload rows against the floor, the hot path against the JSON floor and tweepy
    assert sum(n.startswith("v2 requests, like cleaner, ") for n in names) == 3
    assert sum(n.startswith("ours / floor, ") for n in names) == 3
    assert sum(n.startswith("ours / tweepy 4 Status.parse, ") for n in names) == 3
    # the start-up ratios (the runner's figures join them in section 6)
    ratios = [f for f in figures(data) if str(f["section"]) == "6" and f["unit"] == "×"]
    assert len(ratios) >= 3 and all("median of" in str(f["note"]) for f in ratios)


def test_request_counts_are_whole_and_never_below_the_minimum(
    quick_run: tuple[str, dict[str, object]],
) -> None:
    """Requests are counted, not timed: a walk can never cost less than one page per 100."""
    _, data = quick_run
    counted = [f for f in figures(data) if f["unit"] == "requests" and f["value"] is not None]
    assert len(counted) >= 8
    for figure in counted:
        value, target = figure["value"], str(figure["target"])
        assert isinstance(value, int), figure
        assert target.startswith("= ")
        assert value >= int(target[2:].split(" ")[0].replace(",", "")), figure
