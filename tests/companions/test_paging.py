"""v1.1 paging as programs really do it (issue 17 part 3), for favorites/list and
statuses/user_timeline: each loop style walks N statuses for ceil(N/100) v2 pages, counted
at the emulator (GET /_emulator/requests), and gets each status exactly once, except that an
inclusive max_id (a hand-written loop sending the last id itself) gets that status again
first, as v1.1's inclusive max_id did."""

from __future__ import annotations

import math
from typing import Any

import pytest
import requests

from compat._service import Service
from compat.emulator import Emulator
from tests.companions.conftest import LIKES, v2_requests

# endpoint -> the v2 route whose pages it walks
WALKS = {"favorites/list": "liked_tweets", "statuses/user_timeline": "user_tweets"}


def truth(emu: Emulator, endpoint: str) -> list[str]:
    """Every id the walk must hand out, from the emulator's own dataset (not from compat)."""
    if endpoint == "favorites/list":
        return list(emu.state.liked(emu.user_id))
    return list(emu.dataset.timeline(emu.user_id))


def walk(service: Service, endpoint: str, style: str, count: int, **extra: Any) -> list[str]:
    """One legacy program's loop: the ids handed out, in order, boundary repeats dropped."""
    seen: list[str] = []
    max_id: int | None = None
    for _ in range(1000):
        params: dict[str, object] = {"count": count, **extra}
        if max_id is not None:
            params["max_id"] = max_id
        page = [s["id_str"] for s in service.call(endpoint, params).value]
        if style == "inclusive" and max_id is not None:
            # v1.1 returned the boundary status again as the first one
            assert page[:1] == [str(max_id)]
            page = page[1:]
        if not page:
            return seen
        seen += page
        ids = [int(i) for i in page]
        max_id = {"tweepy": min(ids) - 1, "twython": ids[-1] - 1, "inclusive": ids[-1]}[style]
    raise AssertionError("the walk never ended")


@pytest.mark.parametrize("endpoint", sorted(WALKS))
@pytest.mark.parametrize("style", ["tweepy", "twython", "inclusive"])
@pytest.mark.parametrize("count", [20, 200])
def test_every_loop_style_walks_once_for_ceil_n_over_100_pages(
    emu: Emulator, service: Service, endpoint: str, style: str, count: int
) -> None:
    expected = truth(emu, endpoint)
    assert len(expected) >= 150  # more than one v2 page
    if endpoint == "favorites/list":
        assert len(expected) == LIKES
    got = walk(service, endpoint, style, count)
    assert got == expected  # each exactly once, in the walk's order
    pages = [e for e in v2_requests(emu) if e == WALKS[endpoint]]
    assert len(pages) == math.ceil(len(expected) / 100)
    assert set(v2_requests(emu)) == {WALKS[endpoint]}  # no users/me, no lookups


def test_timeline_since_id_walk_is_bounded_by_v2_itself(emu: Emulator, service: Service) -> None:
    everything = truth(emu, "statuses/user_timeline")
    since = int(everything[120])  # the 120 newest posts are newer than it
    got = walk(service, "statuses/user_timeline", "tweepy", 50, since_id=since)
    assert got == everything[:120]
    assert v2_requests(emu) == ["user_tweets", "user_tweets"]  # ceil(120 / 100)
    log = requests.get(emu.base_url + "/_emulator/requests", timeout=10).json()
    assert all(r["query"].get("since_id") == [str(since)] for r in log["requests"])


def test_favorites_since_id_walk_hands_each_like_once(emu: Emulator, service: Service) -> None:
    likes = truth(emu, "favorites/list")
    since = sorted(int(i) for i in likes)[100]  # likes are in like order, not id order
    wanted = [i for i in likes if int(i) > since]
    got = walk(service, "favorites/list", "twython", 30, since_id=since)
    assert got == wanted
    # v2 liked_tweets has no since_id: the like order is scanned once, page by page
    assert v2_requests(emu) == ["liked_tweets"] * math.ceil(len(likes) / 100)


def test_a_likes_walk_never_continues_a_timeline_walk(emu: Emulator, service: Service) -> None:
    timeline = service.call("statuses/user_timeline", {"count": 5}).value
    after = int(timeline[-1]["id_str"]) - 1
    likes = service.call("favorites/list", {"count": 5, "max_id": after}).value
    liked = set(truth(emu, "favorites/list"))
    assert {s["id_str"] for s in likes} <= liked
    assert all(int(s["id_str"]) <= after for s in likes)
