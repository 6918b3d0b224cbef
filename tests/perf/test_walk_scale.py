"""A long walk (the benchmark walks 1,000,000 likes; here 20,000) costs ceil(N/100) v2
requests and holds bounded memory: after the bounded stores (page memo, post cache) fill,
compat's allocations grow only by the pricing day ledger (X bills a post once per UTC day, so
the ledger keeps each post and user billed today, 8 bytes each and a little; measured here)."""

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
                marks.append((_bytes(snapshot, "*/compat/*"), _bytes(snapshot, "*/_pricing.py")))
    finally:
        tracemalloc.stop()
    assert walked == N
    # the last page carries no next_token: the empty call after it costs nothing
    assert len(emu.requests) == math.ceil(N / 100)
    (tenth, _l1), (half, ledger_half), (end, ledger_end) = marks
    # 18,000 likes walked after the first tenth: keeping them would take ~3.7 KB each parsed
    assert end - tenth < 16_000_000, marks
    # the second half's 10,000 likes, once the bounded stores (page memo, post cache) are
    # nearly full: what grows is the pricing day ledger (one entry per post and user billed
    # today, X's deduplication; compat._pricing.DayLedger) and little else
    assert (end - half) - (ledger_end - ledger_half) < 3_000_000, marks
    # a post and at most one new author a like, ~8.6 bytes each (a set of ids took ~160)
    assert ledger_end - ledger_half < 20 * (N // 2), marks
