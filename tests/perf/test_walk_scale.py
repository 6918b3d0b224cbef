"""A long walk (the benchmark walks 1,000,000 likes; here 20,000) costs ceil(N/100) v2
requests and holds bounded memory: after the bounded stores (page memo, post cache) fill,
compat's allocations grow only by the pricing day ledger (X bills a post once per UTC day, so
the ledger keeps each post and user billed today, 8 bytes each and a little, up to
compat._pricing.MAX_DAY_KEYS a day; measured here)."""

from __future__ import annotations

import gc
import math
import tracemalloc
from collections.abc import Iterator

import pytest

from compat import Favorites
from compat.emulator import Emulator

N = 20_000


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(likes=N, rate_limits=False) as emulator:
        yield emulator


def _bytes(snapshot: tracemalloc.Snapshot, pattern: str) -> int:
    """Bytes allocated in files matching ``pattern``; the emulator (here in the same process)
    left out."""
    kept = snapshot.filter_traces(
        [tracemalloc.Filter(True, pattern), tracemalloc.Filter(False, "*/compat/emulator/*")]
    )
    return sum(stat.size for stat in kept.statistics("filename"))


def test_walk_costs_a_page_per_100_likes_in_bounded_memory(emu: Emulator) -> None:
    client = Favorites(emu.credentials, api_base=emu.base_url)
    emu.clear_requests()
    tracemalloc.start()
    try:
        walked, max_id = 0, None
        marks: list[tuple[int, int]] = []
        while True:
            page = (
                client.list(count=200) if max_id is None else client.list(count=200, max_id=max_id)
            )
            if not page:
                break
            walked += len(page)
            max_id = min(int(s["id"]) for s in page) - 1
            del page
            if walked in (N // 10, N // 2, N):
                gc.collect()
                snapshot = tracemalloc.take_snapshot()
                marks.append(
                    (
                        _bytes(snapshot, "*/compat/*"),
                        _bytes(snapshot, "*/_pricing.py"),
                        _bytes(snapshot, "*/_postcache.py"),
                    )
                )
    finally:
        tracemalloc.stop()
    assert walked == N
    # the last page carries no next_token: the empty call after it costs nothing
    assert len(emu.requests) == math.ceil(N / 100)
    (tenth, _l1, _c1), (half, ledger_half, cache_half), (end, ledger_end, cache_end) = marks
    # 18,000 likes walked after the first tenth: keeping them would take ~3.7 KB each parsed
    # (the page memo once kept a copy of every place a walk passed: ~150 KB a v2 page)
    assert end - tenth < 6_000_000, marks
    # all but the ledger and the post cache (compressed, at most post_cache_size posts): the
    # page memo's places and copies, a v2 page in flight; ~3 MB measured
    assert end - ledger_end - cache_end < 4_000_000, marks
    assert cache_end < 3_500_000, marks  # 10,000 posts (the default size)
    # the second half's 10,000 likes, once the bounded stores are full: what grows is the
    # pricing day ledger (one entry per post and user billed today, X's deduplication, up to
    # compat._pricing.MAX_DAY_KEYS) and nothing that scales with the likes: ~0.5 MB measured
    # (snapshot noise: the pages of the memo's copies differ), 150 bytes a like at most
    rest_grown = (end - half) - (ledger_end - ledger_half) - (cache_end - cache_half)
    assert rest_grown < 150 * (N // 2), marks
    # a post and at most one new author a like, ~8.6 bytes each (a set of ids took ~160)
    assert ledger_end - ledger_half < 20 * (N // 2), marks
