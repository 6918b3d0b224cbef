"""Hostile pagination: empty pages that always carry a next_token, the same token again, a
cycle of tokens, a token compat cannot send back. Every walk ends, bounded, with each post
handed out once; the page bound is ``max_pages_per_call``.

Decisions (README "Bounds and hostile answers"): a next_token the walk already followed ends
the walk (``pagination.repeated_token`` is logged; what the page brought is returned, the
next call answers ``[]``); a call that reaches ``max_pages_per_call`` pages with nothing to
return raises MalformedResponse (an empty list would tell a paginator "done"); with posts to
return it returns them, a short page, and the next call goes on from there.
"""

from __future__ import annotations

import itertools
import logging
from typing import Any

import pytest
import tweepy  # type: ignore[import-untyped]
import twython  # type: ignore[import-untyped]

from compat import Favorites, MalformedResponse
from compat import patch as compat_patch
from compat.pagination import DEFAULT_MAX_PAGES_PER_CALL
from compat.transport import recording
from tests._support.adapter import no_sleep
from tests._support.hostile_server import CREDENTIALS, HostileServer, Tally, guarded


def favorites(server: HostileServer, **options: Any) -> Favorites:
    return Favorites(CREDENTIALS, api_base=server.base_url, sleep=no_sleep, **options)


def walk(client: Favorites, count: int, limit: int = 50) -> list[str]:
    """A tweepy-style max_id walk; at most ``limit`` calls (a loop fails the test)."""
    seen: list[str] = []
    max_id = None
    for _ in range(limit):
        page = client.list(count=count, max_id=max_id)
        if not page:
            return seen
        seen.extend(s["id_str"] for s in page)
        max_id = min(s["id"] for s in page) - 1
    raise AssertionError(f"the walk did not end after {limit} calls")


def test_empty_pages_with_a_next_token_stop_at_the_page_bound(
    server: HostileServer, tally: Tally, caplog: pytest.LogCaptureFixture
) -> None:
    server.behave("liked_tweets", "empty_pages")
    with recording() as calls, pytest.raises(MalformedResponse) as raised:
        guarded(lambda: favorites(server).list(count=20))
    tally.record("pages: empty with token", clean=True, requests=len(calls))
    assert len(calls) == server.count("liked_tweets") == DEFAULT_MAX_PAGES_PER_CALL
    assert "max_pages_per_call" in str(raised.value)
    assert any(getattr(r, "event", None) == "list.page_bound" for r in caplog.records)


def test_the_page_bound_is_a_setting(server: HostileServer, tally: Tally) -> None:
    server.behave("liked_tweets", "empty_pages")
    with pytest.raises(MalformedResponse):
        guarded(lambda: favorites(server, max_pages_per_call=3).list(count=20))
    tally.record("pages: empty with token", clean=True, requests=server.count("liked_tweets"))
    assert server.count("liked_tweets") == 3


def test_a_retry_goes_on_from_where_the_bound_stopped(server: HostileServer) -> None:
    # one real page with a next_token, then empty pages: each call scans on from the last
    page = {"data": server.posts[:20], "meta": {"result_count": 20, "next_token": "e0"}}
    server.behave("liked_tweets", "json", times=1, body=page)
    server.behave("liked_tweets", "empty_pages")
    client = favorites(server, max_pages_per_call=4)
    first = client.list(count=10)
    rest = client.list(count=200, max_id=min(s["id"] for s in first) - 1)  # a short page
    assert [s["id_str"] for s in first + rest] == [p["id"] for p in server.posts[:20]]
    for _ in range(2):
        with pytest.raises(MalformedResponse):
            client.list(count=200, max_id=min(s["id"] for s in rest) - 1)
    tokens = [s.query.get("pagination_token", [""])[-1] for s in server.served]
    assert len(tokens) == 1 + 3 * 4 and len(set(tokens)) == len(tokens)  # no page twice


@pytest.mark.parametrize("kind", ["repeated_token", "token_cycle"])
def test_a_token_seen_before_ends_the_walk(
    server: HostileServer, tally: Tally, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    server.behave("liked_tweets", kind)
    with caplog.at_level(logging.WARNING, "compat.pagination"):
        seen = guarded(lambda: walk(favorites(server), count=7))
    tally.record(f"pages: {kind}", clean=True, requests=server.count("liked_tweets"))
    expected = server.posts[: 20 if kind == "repeated_token" else 40]
    assert seen == [p["id"] for p in expected]  # each post once, then the end
    assert server.count("liked_tweets") <= 3
    assert any(getattr(r, "event", None) == "pagination.repeated_token" for r in caplog.records)


def test_a_server_token_compat_cannot_send_back_is_not_the_callers_400(
    server: HostileServer, tally: Tally
) -> None:
    server.behave("liked_tweets", "bad_token")
    client = favorites(server)
    first = guarded(lambda: client.list(count=5))  # the page itself is fine
    rest = client.list(count=200, max_id=min(s["id"] for s in first) - 1)
    assert [s["id_str"] for s in first + rest] == [p["id"] for p in server.posts[:20]]
    with pytest.raises(MalformedResponse) as raised:  # only now is the token needed
        client.list(count=200, max_id=min(s["id"] for s in rest) - 1)
    tally.record("pages: bad token", clean=True, requests=server.count("liked_tweets"))
    assert "next_token" in str(raised.value)
    assert not hasattr(raised.value, "v1_status")  # no InvalidParameter: not v1.1's 400/44


@pytest.fixture
def shim(installed: compat_patch.Installation) -> compat_patch.Installation:
    return installed


@pytest.mark.parametrize("kind", ["repeated_token", "token_cycle"])
def test_a_tweepy_cursor_ends_on_a_repeating_server(
    server: HostileServer, shim: compat_patch.Installation, tally: Tally, kind: str
) -> None:
    server.behave("liked_tweets", kind)
    c = CREDENTIALS
    api = tweepy.API(
        tweepy.OAuth1UserHandler(
            c.consumer_key, c.consumer_secret, c.access_token, c.access_token_secret
        )
    )
    items = guarded(
        lambda: [s.id_str for s in itertools.islice(tweepy.Cursor(api.get_favorites).items(), 500)]
    )
    tally.record(f"pages: {kind}", clean=True, requests=server.count("liked_tweets"))
    assert len(items) == len(set(items)) == (20 if kind == "repeated_token" else 40)


def test_a_bad_server_token_is_a_server_error_for_tweepy_not_a_bad_request(
    server: HostileServer, shim: compat_patch.Installation, tally: Tally
) -> None:
    server.behave("liked_tweets", "bad_token")
    c = CREDENTIALS
    api = tweepy.API(
        tweepy.OAuth1UserHandler(
            c.consumer_key, c.consumer_secret, c.access_token, c.access_token_secret
        )
    )
    walked: list[str] = []

    def run() -> None:
        for status in tweepy.Cursor(api.get_favorites, count=20).items(500):
            walked.append(status.id_str)

    with pytest.raises(tweepy.TwitterServerError) as raised:  # v1.1's 500/131, not 400/44
        guarded(run)
    tally.record("pages: bad token", clean=True, requests=server.count("liked_tweets"))
    assert walked == [p["id"] for p in server.posts[:20]]  # the page before it, once
    assert 131 in raised.value.api_codes


def test_a_twython_cursor_ends_on_empty_pages(
    server: HostileServer, shim: compat_patch.Installation, tally: Tally
) -> None:
    server.behave("liked_tweets", "empty_pages")
    c = CREDENTIALS
    client = twython.Twython(
        c.consumer_key, c.consumer_secret, c.access_token, c.access_token_secret
    )
    with pytest.raises(twython.TwythonError):
        guarded(lambda: list(itertools.islice(client.cursor(client.get_favorites), 500)))
    tally.record("pages: empty with token", clean=True, requests=server.count("liked_tweets"))
    assert server.count("liked_tweets") == DEFAULT_MAX_PAGES_PER_CALL
