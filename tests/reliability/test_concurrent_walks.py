"""Several walks of one account's likes at once: two tweepy 4 Cursors interleaved in one
thread, two Cursors in two threads, drop-in walks in lockstep, a paginator that changes
``count`` between pages. Every walk sees every like exactly once, in like order.
"""

from __future__ import annotations

import itertools
import math
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import tweepy  # type: ignore[import-untyped]

from compat import Credentials, Favorites
from compat import patch as compat_patch
from compat.emulator import Emulator
from tests._support.adapter import no_sleep
from tests._support.hostile_server import Tally, guarded

LIKES = 300


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(likes=LIKES) as emulator:
        emulator.rate_limits.lift()
        yield emulator


@pytest.fixture
def shim(emu: Emulator) -> Iterator[compat_patch.Installation]:
    compat_patch.uninstall()
    emu.clear_requests()
    with compat_patch.install(emu.credentials, api_base=emu.base_url, sleep=no_sleep) as handle:
        yield handle
    assert not compat_patch.uninstall()


def tweepy_api(creds: Credentials) -> Any:
    auth = tweepy.OAuth1UserHandler(
        creds.consumer_key, creds.consumer_secret, creds.access_token, creds.access_token_secret
    )
    return tweepy.API(auth)


def pages(emu: Emulator) -> int:
    return sum(1 for r in emu.requests if r.endpoint == "liked_tweets")


def test_two_tweepy_cursors_interleaved_in_one_thread(
    emu: Emulator, shim: compat_patch.Installation, tally: Tally
) -> None:
    liked = emu.state.liked(emu.user_id)
    api = tweepy_api(emu.credentials)
    first = tweepy.Cursor(api.get_favorites, count=20).items()
    second = tweepy.Cursor(tweepy_api(emu.credentials).get_favorites, count=20).items()

    def interleave() -> tuple[list[str], list[str]]:
        a: list[str] = []
        b: list[str] = []
        for x, y in itertools.zip_longest(first, second):
            if x is not None:
                a.append(x.id_str)
            if y is not None:
                b.append(y.id_str)
        return a, b

    a, b = guarded(interleave)
    tally.record("concurrency: two walks", clean=a == b == liked, requests=pages(emu))
    assert a == liked and b == liked  # every like exactly once per walk, in like order
    # each walk pages on its own: ceil(N/100) v2 pages per walk, nothing lost or refetched
    assert pages(emu) == 2 * math.ceil(len(liked) / 100)


def test_two_tweepy_cursors_in_two_threads(
    emu: Emulator, shim: compat_patch.Installation, tally: Tally
) -> None:
    liked = emu.state.liked(emu.user_id)
    walks: dict[int, list[str]] = {}
    start = threading.Barrier(2)

    def run(n: int) -> None:
        api = tweepy_api(emu.credentials)
        start.wait()
        walks[n] = [s.id_str for s in tweepy.Cursor(api.get_favorites, count=20 + n).items()]

    threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)  # a hang guard only
        assert not thread.is_alive()
    tally.record("concurrency: two walks", clean=walks[0] == walks[1] == liked, requests=pages(emu))
    assert walks[0] == liked and walks[1] == liked


@pytest.mark.parametrize("count", [20, 7, 100])
def test_drop_in_walks_in_lockstep(emu: Emulator, tally: Tally, count: int) -> None:
    """Two walks with the same count at the same max_id every step: the second one must
    never find its place taken (today's memo gave it to the first and the second stopped)."""
    liked = emu.state.liked(emu.user_id)
    client = Favorites(emu.credentials, api_base=emu.base_url)
    emu.clear_requests()

    def lockstep() -> list[list[str]]:
        seen: list[list[str]] = [[], [], []]
        max_ids: list[int | None] = [None, None, None]
        while any(m != -1 for m in max_ids):
            for n in range(3):
                if max_ids[n] == -1:
                    continue
                page = client.list(count=count, max_id=max_ids[n])
                seen[n].extend(s["id_str"] for s in page)
                max_ids[n] = min(s["id"] for s in page) - 1 if page else -1
        return seen

    walks = guarded(lockstep)
    clean = all(w == liked for w in walks)
    tally.record("concurrency: two walks", clean=clean, requests=pages(emu))
    assert clean, [len(w) for w in walks]
    assert pages(emu) == 3 * math.ceil(len(liked) / 100)


def test_the_same_page_asked_twice_is_answered_twice(emu: Emulator, tally: Tally) -> None:
    """A caller repeating a call (a retry after an error of its own) gets the same page
    again, not the end of the walk."""
    liked = emu.state.liked(emu.user_id)
    client = Favorites(emu.credentials, api_base=emu.base_url)
    first = client.list(count=30)
    max_id = min(s["id"] for s in first) - 1
    again = [client.list(count=30, max_id=max_id) for _ in range(3)]
    tally.record("concurrency: two walks", clean=True, requests=pages(emu))
    assert all([s["id_str"] for s in page] == liked[30:60] for page in again)


def test_a_paginator_that_changes_count_still_continues(emu: Emulator) -> None:
    liked = emu.state.liked(emu.user_id)
    client = Favorites(emu.credentials, api_base=emu.base_url)
    emu.clear_requests()
    seen: list[str] = []
    max_id = None
    for count in itertools.cycle([5, 50, 200, 13]):
        page = client.list(count=count, max_id=max_id)
        if not page:
            break
        seen.extend(s["id_str"] for s in page)
        max_id = min(s["id"] for s in page) - 1
    assert seen == liked
    assert pages(emu) == math.ceil(len(liked) / 100)


def test_walks_of_two_accounts_never_cross(emu: Emulator, tally: Tally) -> None:
    other = emu.credentials_for("tweepytest")
    mine = Favorites(emu.credentials, api_base=emu.base_url)
    theirs = Favorites(other, api_base=emu.base_url, memo=mine.memo)  # one shared memo
    for tweet in emu.state.liked(emu.user_id)[100:250]:  # likes of their own, over HTTP
        theirs.create(tweet, lookup=False)
    expected = {
        "mine": emu.state.liked(emu.user_id),
        "theirs": emu.state.liked(str(other.token_user_id())),
    }
    emu.clear_requests()
    seen: dict[str, list[str]] = {"mine": [], "theirs": []}
    max_ids: dict[str, int | None] = {"mine": None, "theirs": None}
    clients = {"mine": mine, "theirs": theirs}
    for _ in range(40):
        for name, client in clients.items():
            if max_ids[name] == -1:
                continue
            page = client.list(count=25, max_id=max_ids[name])
            seen[name].extend(s["id_str"] for s in page)
            max_ids[name] = min(s["id"] for s in page) - 1 if page else -1
    tally.record("concurrency: two accounts", clean=seen == expected, requests=pages(emu))
    assert seen == expected
