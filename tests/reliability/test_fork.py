"""fork() after compat has a keep-alive connection: a child never reads its parent's (or a
sibling's) answers. Checked with ``os.fork()`` and a ``multiprocessing`` Pool (fork start
method) against the emulator, whose request log shows each post unliked exactly once.
"""

from __future__ import annotations

import collections
import json
import multiprocessing
import os
import threading
from collections.abc import Iterator

import pytest

from compat import CompatError, Favorites
from compat.emulator import Emulator
from compat.transport import recording
from tests._support.hostile_server import HANG_GUARD, Tally

POSTS = 120

# The Favorites the forked workers inherit (a fork child sees the parent's memory).
_inherited: dict[str, Favorites] = {}


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator(likes=POSTS + 30) as emulator:
        emulator.rate_limits.lift()
        yield emulator


def _unlike(tweet_id: str) -> tuple[str, str, bool, int, str]:
    """In a worker: (asked id, answered id, favorited, pid, error) of one unlike."""
    try:
        status = _inherited["favorites"].destroy(tweet_id)
    except CompatError as exc:
        return tweet_id, "", True, os.getpid(), f"{type(exc).__name__}: {exc}"
    return tweet_id, status["id_str"], status["favorited"], os.getpid(), ""


def _pooled(favorites: Favorites) -> int:
    """Requests compat made so far on a kept-alive connection (>= 1: one is pooled)."""
    with recording() as calls:
        favorites.list(count=1)
    return len(calls)


def test_a_pool_of_forked_workers_never_crosses_answers(emu: Emulator, tally: Tally) -> None:
    liked = emu.state.liked(emu.user_id)
    targets = liked[:POSTS]
    favorites = Favorites(emu.credentials, api_base=emu.base_url)
    assert _pooled(favorites) == 1  # the parent holds a kept-alive connection now
    _inherited["favorites"] = favorites
    emu.clear_requests()
    context = multiprocessing.get_context("fork")
    try:
        with context.Pool(4) as pool:
            results = pool.map_async(_unlike, targets, chunksize=3).get(HANG_GUARD)
    finally:
        _inherited.clear()
    errors = [r for r in results if r[4]]
    crossed = [r for r in results if r[0] != r[1] or r[2] is not False]
    tally.record(
        "concurrency: fork pool", clean=not errors and not crossed, requests=len(emu.requests)
    )
    assert not errors, errors[:3]
    assert not crossed, crossed[:3]
    assert len({r[3] for r in results}) > 1  # the work was spread over several processes
    unliked = collections.Counter(
        r.path.rsplit("/", 1)[-1] for r in emu.requests if r.endpoint == "unlike"
    )
    assert unliked == collections.Counter(targets)  # each post unliked exactly once
    assert all(r.status == 200 for r in emu.requests)
    assert emu.state.liked(emu.user_id) == liked[POSTS:]
    # the parent's own connection was never touched by a child: its next call still works
    assert [s["id_str"] for s in favorites.list(count=5)] == liked[POSTS : POSTS + 5]


def test_os_fork_child_and_parent_keep_their_own_connections(emu: Emulator, tally: Tally) -> None:
    liked = emu.state.liked(emu.user_id)
    favorites = Favorites(emu.credentials, api_base=emu.base_url)
    assert _pooled(favorites) == 1
    child_posts, parent_posts = liked[:20], liked[20:40]
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: answer through the pipe, never return into pytest
        code = 1
        try:
            os.close(read_end)
            answers = [_unlike_here(favorites, t) for t in child_posts]
            os.write(write_end, json.dumps(answers).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    parent_answers = [_unlike_here(favorites, t) for t in parent_posts]
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(_read_all(read_end)), daemon=True)
    reader.start()
    reader.join(HANG_GUARD)  # a hang guard only
    assert not reader.is_alive(), "the forked child hangs"
    _, status = os.waitpid(pid, 0)
    child_answers = json.loads(received[0] or b"[]")
    clean = os.waitstatus_to_exitcode(status) == 0 and child_answers == [
        [t, t, False] for t in child_posts
    ]
    tally.record("concurrency: os.fork", clean=clean, requests=len(emu.requests))
    assert os.waitstatus_to_exitcode(status) == 0
    assert child_answers == [[t, t, False] for t in child_posts]
    assert parent_answers == [[t, t, False] for t in parent_posts]
    assert emu.state.liked(emu.user_id) == liked[40:]


def _unlike_here(favorites: Favorites, tweet_id: str) -> list[object]:
    status = favorites.destroy(tweet_id)
    return [tweet_id, status["id_str"], status["favorited"]]


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks)
