"""8 threads x 100 legacy calls, 2 accounts, one global patch: each v2 request signed by the
right account, every result right, no exception (the emulator's limits lifted)."""

from __future__ import annotations

import collections
import concurrent.futures

import requests

from compat import patch as compat_patch
from compat.emulator import Emulator
from tests._support.adapter import CREATE, DESTROY, LIST, signer

THREADS, CALLS = 8, 100


def test_eight_threads_two_accounts(emu: Emulator) -> None:
    reader, writer = emu.credentials, emu.credentials_for("tweepytest")
    reader_id, writer_id = emu.user_id, str(writer.token_user_id())
    liked = emu.state.liked(reader_id)
    targets = liked[:4]  # posts the writer likes and unlikes, one per writer thread
    emu.clear_requests()

    def read(n: int) -> None:
        auth = signer(reader)
        for i in range(CALLS):
            count = 1 + (n * CALLS + i) % 20
            response = requests.get(LIST, params={"count": count}, auth=auth)
            assert response.status_code == 200, response.text
            assert [s["id_str"] for s in response.json()] == liked[:count]

    def write(n: int) -> None:
        auth, tweet = signer(writer), targets[n]
        for i in range(CALLS):
            url = CREATE if i % 2 == 0 else DESTROY
            response = requests.post(url, params={"id": tweet}, auth=auth)
            assert response.status_code == 200, response.text
            status = response.json()
            assert (status["id_str"], status["favorited"]) == (tweet, i % 2 == 0)

    with (
        compat_patch.install([reader, writer], api_base=emu.base_url),
        concurrent.futures.ThreadPoolExecutor(THREADS) as pool,
    ):
        jobs = [pool.submit(read, n) for n in range(THREADS // 2)]
        jobs += [pool.submit(write, n) for n in range(THREADS // 2)]
        for job in jobs:
            job.result()  # re-raises any assertion or exception of the thread

    records = emu.requests
    by_endpoint = collections.Counter(r.endpoint for r in records)
    assert by_endpoint["liked_tweets"] == THREADS // 2 * CALLS
    assert by_endpoint["like"] == by_endpoint["unlike"] == THREADS // 2 * CALLS // 2
    # one lookup per writer thread's post: its later creates and destroys take the post from
    # the writer's post cache (lookup="auto", the default)
    assert by_endpoint["tweets"] == THREADS // 2
    for record in records:
        expected = reader_id if record.endpoint == "liked_tweets" else writer_id
        assert record.user_id == expected, record
        assert record.status == 200
    assert emu.state.liked(reader_id) == liked
    assert not set(targets) & set(emu.state.liked(writer_id))
