"""The post cache: bounded, fresh for post_cache_ttl seconds, per account, thread- and
fork-safe; with lookup="auto" (the default) a like/unlike of a post just listed or looked up
costs the write alone, and returns the status a lookup would have given."""

from __future__ import annotations

import concurrent.futures
import json
import os
import pathlib
import time
from collections.abc import Iterator

import pytest

from compat import Favorites
from compat._postcache import MAX_TTL, PostCache
from compat._service import Service
from compat._settings import Settings, resolve
from compat.emulator import Emulator
from compat.emulator.clock import FakeClock
from compat.errors import ConfigurationError
from compat.pagination import MAX_MEMO_POST_AGE, Cursor, PageMemo
from tests._support.adapter import REAL_TWEET


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(likes=250, rate_limits=False) as emulator:
        yield emulator


def endpoints(emu: Emulator) -> list[str]:
    return [r.endpoint for r in emu.requests]


def page(*ids: str) -> dict[str, object]:
    return {"data": [{"id": i, "text": f"post {i}"} for i in ids]}


# -- the cache itself ---------------------------------------------------------------------------


def test_default_is_auto_and_the_ttl_is_capped_at_24_hours() -> None:
    assert Settings().lookup == "auto"
    assert Settings().post_cache_ttl == 900.0
    assert MAX_TTL == 24 * 60 * 60 == MAX_MEMO_POST_AGE
    with pytest.raises(ConfigurationError):
        resolve({"post_cache_ttl": 86_401}, door="test")
    with pytest.raises(ValueError):
        PostCache(ttl=86_401)


def test_bounded_least_recently_used_first() -> None:
    cache = PostCache(size=3, ttl=900)
    cache.put(page("1", "2", "3"), fields=None)
    assert cache.get("1", fields=None) is not None  # 1 is now the most recently used
    cache.put(page("4"), fields=None)
    assert len(cache) == 3
    assert cache.get("2", fields=None) is None
    assert [cache.get(i, fields=None) is not None for i in ("1", "3", "4")] == [True] * 3


def test_freshness_follows_the_settings_clock_and_zero_turns_it_off() -> None:
    clock = FakeClock()
    cache = PostCache(ttl=900, clock=clock.time)
    cache.put(page("1"), fields=None)
    clock.advance(899)
    assert cache.get("1", fields=None) is not None
    clock.advance(1)
    assert cache.get("1", fields=None) is None
    assert len(cache) == 0  # a stale post is dropped, not kept
    off = PostCache(ttl=0)
    assert off.put(page("1"), fields=None) == 0 and off.get("1", fields=None) is None


def test_posts_an_answer_reports_gone_are_dropped() -> None:
    cache = PostCache()
    cache.put(page("1", "2"), fields=None)
    gone = {
        "data": [{"id": "2", "text": "still here"}],
        "errors": [{"resource_type": "tweet", "resource_id": "1", "title": "Not Found Error"}],
    }
    cache.put(gone, fields=None)
    assert cache.get("1", fields=None) is None
    assert cache.get("2", fields=None)[0]["text"] == "still here"  # type: ignore[index]


def test_like_moves_the_cached_count_without_touching_the_answer_object() -> None:
    answer = {"data": [{"id": "1", "text": "t", "public_metrics": {"like_count": 4}}]}
    cache = PostCache()
    cache.put(answer, fields=None)
    cache.liked("1", liked=True)
    post, _includes = cache.get("1", fields=None)  # type: ignore[misc]
    assert post["public_metrics"]["like_count"] == 5
    assert answer["data"][0]["public_metrics"]["like_count"] == 4  # a memo may share it


def test_threads_share_one_cache_safely() -> None:
    cache = PostCache(size=500)

    def work(n: int) -> None:
        for i in range(200):
            cache.put(page(str(n * 1000 + i)), fields=None)
            cache.get(str(n * 1000 + i // 2), fields=None)

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(work, range(8)))
    assert len(cache) == 500


@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX fork only")
def test_a_forked_child_gets_a_fresh_lock() -> None:
    cache = PostCache()
    cache.put(page("1"), fields=None)
    with cache._lock:  # another thread holds it at fork()
        pid = os.fork()
        if pid == 0:  # the child: the lock must not be the held one
            ok = cache.get("1", fields=None) is not None
            os._exit(0 if ok else 1)
    _pid, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


# -- the engine with lookup="auto" --------------------------------------------------------------


def test_like_cleaner_costs_the_pages_and_one_unlike_per_like(emu: Emulator) -> None:
    client = Favorites(emu.credentials, api_base=emu.base_url)
    liked = emu.state.liked(emu.user_id)[:150]
    emu.clear_requests()
    listed = client.list(count=200)
    assert len(listed) == 200
    by_id = {s["id_str"]: s for s in listed}
    for tid in liked:
        status = client.destroy(tid)
        assert status["favorited"] is False
        before = by_id[tid]
        # the status a lookup would have given, with favorited and favorite_count moved
        assert status["user"] == before["user"] and status["text"] == before["text"]
        assert status["favorite_count"] == max(0, before["favorite_count"] - 1)
        assert status["favorite_count"] == emu.state.like_count(tid)
    assert endpoints(emu) == ["liked_tweets"] * 2 + ["unlike"] * 150
    for tid in liked:  # put the likes back for the other tests
        emu.state.like(emu.user_id, tid)


def test_a_stale_post_is_looked_up_again(emu: Emulator) -> None:
    clock = FakeClock()
    client = Favorites(emu.credentials, api_base=emu.base_url, clock=clock.time)
    client.create(REAL_TWEET)
    emu.clear_requests()
    clock.advance(899)
    client.destroy(REAL_TWEET)
    assert endpoints(emu) == ["unlike"]
    clock.advance(901)
    status = client.create(REAL_TWEET)
    assert endpoints(emu) == ["unlike", "tweets", "like"]
    assert status["favorite_count"] == emu.state.like_count(REAL_TWEET)
    client.destroy(REAL_TWEET)


def test_lookup_true_always_looks_up_and_false_never(emu: Emulator) -> None:
    always = Favorites(emu.credentials, api_base=emu.base_url, lookup=True)
    always.create(REAL_TWEET)
    always.destroy(REAL_TWEET)
    never = Favorites(emu.credentials, api_base=emu.base_url, lookup=False)
    emu.clear_requests()
    minimal = never.create(REAL_TWEET)
    never.destroy(REAL_TWEET)
    assert endpoints(emu) == ["like", "unlike"]
    assert minimal["id_str"] == REAL_TWEET and minimal["text"] == ""
    emu.clear_requests()
    always.create(REAL_TWEET)
    always.destroy(REAL_TWEET)
    assert endpoints(emu) == ["tweets", "like", "tweets", "unlike"]


def test_the_cache_is_per_account(emu: Emulator) -> None:
    other = emu.credentials_for("tweepytest")
    service = Service(
        resolve({"credentials": [emu.credentials, other], "api_base": emu.base_url}, door="t")
    )
    service.call("favorites/create", {"id": REAL_TWEET})  # the default account looks it up
    service.call("favorites/create", {"id": REAL_TWEET}, account=other)
    emu.clear_requests()
    service.call("favorites/destroy", {"id": REAL_TWEET}, account=other)
    service.call("favorites/destroy", {"id": REAL_TWEET})
    assert endpoints(emu) == ["unlike", "unlike"]
    fresh = Service(
        resolve({"credentials": [emu.credentials, other], "api_base": emu.base_url}, door="t")
    )
    fresh.call("favorites/create", {"id": REAL_TWEET})
    emu.clear_requests()
    fresh.call("favorites/create", {"id": REAL_TWEET}, account=other)
    assert endpoints(emu) == ["tweets", "like"]  # the other account's cache never saw it
    fresh.call("favorites/destroy", {"id": REAL_TWEET}, account=other)
    fresh.call("favorites/destroy", {"id": REAL_TWEET})


def test_a_cached_status_equals_a_looked_up_one(emu: Emulator) -> None:
    auto = Favorites(emu.credentials, api_base=emu.base_url)
    looked = Favorites(emu.credentials, api_base=emu.base_url, lookup=True)
    listed = {s["id_str"]: s for s in auto.list(count=100, tweet_mode="extended")}
    for tid in list(listed)[:40]:
        emu.clear_requests()
        cached = auto.destroy(tid, tweet_mode="extended")
        assert endpoints(emu) == ["unlike"]
        looked.create(tid)
        fresh = looked.destroy(tid, tweet_mode="extended")
        assert json.dumps(cached, sort_keys=True) == json.dumps(fresh, sort_keys=True)
        emu.state.like(emu.user_id, tid)


# -- the page memo file keeps no post longer than 24 hours -----------------------------------


def test_the_memo_file_keeps_no_post_older_than_24_hours(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "memo.json"
    memo = PageMemo(path=path)
    cursor = Cursor(owner="1", target="1", next_token="tok", walk="w")
    cursor.add_page({"data": [{"id": "5", "text": "a post"}], "meta": {"next_token": "t2"}})
    memo.store(cursor, keys=["4"])
    saved = json.loads(path.read_text())
    assert saved["cursors"][0]["fetched_at"] <= time.time()
    # a file written a day ago: its posts are not read back
    saved["cursors"][0]["fetched_at"] = time.time() - MAX_MEMO_POST_AGE - 1
    path.write_text(json.dumps(saved))
    assert len(PageMemo(path=path)) == 0
    # an entry without the stamp (an older compat's file) holds posts of unknown age
    del saved["cursors"][0]["fetched_at"]
    path.write_text(json.dumps(saved))
    assert len(PageMemo(path=path)) == 0
    # and a walk whose posts grew old in memory is not written out any more
    old = Cursor(owner="1", target="1", next_token="tok", walk="w")
    old.add_page({"data": [{"id": "7", "text": "old"}], "meta": {"next_token": "t3"}})
    old.fetched_at -= MAX_MEMO_POST_AGE + 1
    memo.store(old, keys=["6"])
    written = json.loads(path.read_text())
    assert "old" not in json.dumps(written) and "a post" in json.dumps(written)
    assert len(memo) == 2  # kept in memory: the walk's place is not lost


def test_the_gateway_backend_reads_its_x_sources_cache(emu: Emulator) -> None:
    """Behind the gateway, the posts its X source listed spare the gateway's post read."""
    client = Favorites(
        emu.credentials,
        api_base=emu.base_url,
        backend="gateway",
        gateway_api_key=emu.gateway_key(),
        gateway_url=emu.base_url + "/apis/v1",
    )
    listed = client.list(count=5)
    emu.clear_requests()
    status = client.destroy(listed[0]["id_str"])
    assert endpoints(emu) == ["gateway_unlike"]  # no gateway read, no X lookup
    assert status["favorited"] is False
    assert status["user"] == listed[0]["user"]
    emu.state.like(emu.user_id, listed[0]["id_str"])
