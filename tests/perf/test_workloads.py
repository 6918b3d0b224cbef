"""The request and dollar rows of the workload benchmark are deterministic: each workload,
through each way in, sends what the floor sends (requests counted at the emulator, dollars
from the plans table), except the liker of posts compat never saw, which pays one post read
per call where a batching v2 client pays one per 100."""

from __future__ import annotations

import collections
import math

import pytest

from benchmarks import workloads
from compat.emulator import Emulator

N = 230  # likes: three v2 pages, the last one partial
K = 12  # posts the liker likes


@pytest.mark.parametrize("way", workloads.WAYS)
@pytest.mark.parametrize("workload", ["like cleaner", "archiver"])
def test_listing_workloads_cost_the_floor(workload: str, way: str) -> None:
    row = workloads.measure(workload, way, N)
    pages = math.ceil(N / 100)
    expected = {"liked_tweets": pages} | ({"unlike": N} if workload == "like cleaner" else {})
    assert row.requests == collections.Counter(expected) == row.floor
    assert row.total == workloads.floor_requests(workload, N)
    # the same posts and users read, the same writes: the same bill on every plan
    assert row.micro_usd == row.floor_micro_usd
    assert row.micro_usd["pay-per-use"] > 0  # N owned reads and the expanded authors
    assert row.unpriced == row.floor_unpriced == (N if workload == "like cleaner" else 0)


@pytest.mark.parametrize("way", workloads.WAYS)
def test_liker_costs(way: str) -> None:
    minimal = workloads.measure("liker", way, K, lookup=False)
    assert minimal.requests == collections.Counter({"like": K}) == minimal.floor
    assert minimal.micro_usd == minimal.floor_micro_usd
    full = workloads.measure("liker", way, K)
    # one lookup per legacy call (answered at once), against the floor's one per 100 ids
    assert full.requests == collections.Counter({"tweets": K, "like": K})
    assert full.floor == collections.Counter({"tweets": 1, "like": K})
    assert full.micro_usd == full.floor_micro_usd  # the same posts read once a day


def test_unchanged_tweepy3_cleaner_under_compat_run_spends_pages_plus_one_per_like() -> None:
    """The issue's criterion, counted at the emulator: ceil(N/100) + N requests."""
    with Emulator(likes=N, rate_limits=False) as emu:
        emu.clear_requests()
        done = workloads.run_tweepy3(emu, "like cleaner")
        counted = collections.Counter(r.endpoint for r in emu.requests)
        left = emu.state.liked(emu.user_id)
    assert done.stdout.strip().splitlines()[-1] == str(N)  # tweepy 3's Cursor saw every like
    assert left == []
    assert sum(counted.values()) == math.ceil(N / 100) + N
    assert counted == collections.Counter({"liked_tweets": math.ceil(N / 100), "unlike": N})


def test_tweepy3_cleaner_with_lookup_true_pays_a_lookup_per_like() -> None:
    """What lookup=True (the old default) cost: the cache is what saves the N lookups."""
    with Emulator(likes=N, rate_limits=False) as emu:
        emu.clear_requests()
        workloads.run_tweepy3(emu, "like cleaner", lookup=True)
        counted = collections.Counter(r.endpoint for r in emu.requests)
    assert counted == collections.Counter(
        {"liked_tweets": math.ceil(N / 100), "tweets": N, "unlike": N}
    )
