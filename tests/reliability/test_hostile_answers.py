"""Hostile v2 answers on loopback: every one bounded, and a CompatError (drop-in) or the
legacy library's own error (under install()), never another exception, never unbounded.

Work counters are asserted (bytes read, requests made, peak traced memory), never elapsed
time; each call runs under a generous hang guard only so that a broken build fails.
"""

from __future__ import annotations

import gzip
import json
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
import tweepy  # type: ignore[import-untyped]
import twitter  # type: ignore[import-untyped]
import twython  # type: ignore[import-untyped]

from compat import Favorites, MalformedResponse, TransportError
from compat import patch as compat_patch
from compat.errors import ApiError, CompatError, Forbidden
from compat.transport import DEFAULT_MAX_RESPONSE_BYTES, MAX_MESSAGE_CHARS, V2Call, recording
from tests._support.adapter import LIST, no_sleep
from tests._support.hostile_server import CREDENTIALS, HostileServer, Tally, guarded

CHUNK = 64 * 1024  # what the transport reads at a time: the most it can read past the bound
POST = "1345434652891373571"  # the first real post the hostile server knows


def favorites(server: HostileServer, **options: Any) -> Favorites:
    return Favorites(CREDENTIALS, api_base=server.base_url, sleep=no_sleep, **options)


def traced(call: Callable[[], Any]) -> tuple[Any, BaseException | None, list[V2Call], int]:
    """(value, exception, the v2 calls made, peak traced memory) of one guarded call."""
    tracemalloc.start()
    try:
        with recording() as calls:
            try:
                return guarded(call), None, calls, tracemalloc.get_traced_memory()[1]
            except Exception as exc:
                return None, exc, calls, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# -- size: the bound holds whatever the body claims or inflates to ----------------------------


@pytest.mark.parametrize("kind", ["gzip_bomb", "endless"])
@pytest.mark.parametrize("entry", ["list", "create"])
def test_oversized_answers_stop_at_the_bound(
    server: HostileServer, tally: Tally, kind: str, entry: str
) -> None:
    server.behave("liked_tweets" if entry == "list" else "tweets", kind)
    client = favorites(server)
    call = (lambda: client.list(count=200)) if entry == "list" else lambda: client.create(POST)
    _value, error, calls, peak = traced(call)
    read = max(c.bytes_read for c in calls)
    tally.record(
        f"size: {kind}",
        clean=isinstance(error, MalformedResponse),
        requests=len(calls),
        peak=peak,
        read=read,
    )
    assert isinstance(error, MalformedResponse), error
    assert "max_response_bytes" in str(error)
    assert DEFAULT_MAX_RESPONSE_BYTES < read <= DEFAULT_MAX_RESPONSE_BYTES + CHUNK
    assert peak < 2 * DEFAULT_MAX_RESPONSE_BYTES  # never the 1 GiB, nor the endless stream
    assert len(calls) == 1  # not retried
    assert server.count("like") == 0  # a create whose lookup failed writes nothing


def test_a_smaller_bound_is_a_setting(server: HostileServer, tally: Tally) -> None:
    server.behave("liked_tweets", "gzip_bomb")
    _value, error, calls, peak = traced(
        lambda: favorites(server, max_response_bytes=1 << 20).list(count=20)
    )
    tally.record(
        "size: gzip_bomb",
        clean=isinstance(error, MalformedResponse),
        requests=len(calls),
        peak=peak,
        read=calls[0].bytes_read,
    )
    assert isinstance(error, MalformedResponse)
    assert (1 << 20) < calls[0].bytes_read <= (1 << 20) + CHUNK
    assert peak < 4 << 20


def _raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-15)
    return packer.compress(data) + packer.flush()


ENCODED = {
    "gzip": ("gzip", gzip.compress),
    "x-gzip": ("x-gzip", gzip.compress),
    "gzip, two members": ("gzip", lambda d: gzip.compress(d[:100]) + gzip.compress(d[100:])),
    "deflate (zlib)": ("deflate", zlib.compress),
    "deflate (raw)": ("deflate", _raw_deflate),
    "identity": ("identity", lambda d: d),
}


@pytest.mark.parametrize("name", list(ENCODED))
def test_compressed_answers_are_read(server: HostileServer, name: str) -> None:
    coding, encode = ENCODED[name]
    page = {"data": server.posts[:30], "meta": {"result_count": 30}}
    raw = encode(json.dumps(page).encode())
    server.behave("liked_tweets", "json", raw=raw, headers={"Content-Encoding": coding})
    statuses = guarded(lambda: favorites(server).list(count=30))
    assert [s["id_str"] for s in statuses] == [p["id"] for p in server.posts[:30]]


# -- bodies compat cannot read: MalformedResponse, or TransportError when none came whole -----

UNREADABLE = {
    "bad_gzip": MalformedResponse,
    "gzip_cut": MalformedResponse,
    "bad_encoding": MalformedResponse,
    "deep_json": MalformedResponse,
    "truncated": TransportError,
    "reset": TransportError,
    "reset_early": TransportError,
}


@pytest.mark.parametrize("kind", sorted(UNREADABLE))
@pytest.mark.parametrize("endpoint", ["liked_tweets", "tweets", "like"])
def test_unreadable_answers_are_compat_errors(
    server: HostileServer, tally: Tally, kind: str, endpoint: str
) -> None:
    server.behave(endpoint, kind)
    client = favorites(server)
    call = (
        (lambda: client.list(count=20))
        if endpoint == "liked_tweets"
        else (lambda: client.create(POST))
    )
    _value, error, calls, _peak = traced(call)
    expected = UNREADABLE[kind]
    tally.record(f"body: {kind}", clean=type(error) is expected, requests=len(calls))
    assert type(error) is expected, error
    failed = [c for c in calls if c.endpoint == endpoint]
    # a connection that broke is retried (3 attempts); a body that came whole is not
    assert len(failed) == (3 if expected is TransportError else 1)
    if endpoint == "tweets":
        assert server.count("like") == 0  # the lookup failed: nothing written
    if endpoint == "like":
        # the like was sent: the caller is told it may have been (or was) applied
        assert "applied" in str(error)


def test_deep_json_inside_a_post_is_a_result_or_a_compat_error(
    server: HostileServer, tally: Tally
) -> None:
    deep: Any = "bottom"
    for _ in range(900):  # as deep as Python's json parses here; deeper is deep_json above
        deep = [deep]
    posts = [dict(p) for p in server.posts[:3]]
    posts[0]["entities"] = {"hashtags": deep}
    posts[1]["attachments"] = {"media_keys": deep}
    server.behave("liked_tweets", "json", body={"data": posts, "meta": {"result_count": 3}})
    for validation in ("strict", "warn", "off"):
        value, error, calls, _peak = traced(
            lambda v=validation: favorites(server, validation=v).list(count=3)
        )
        clean = error is None or isinstance(error, CompatError)
        tally.record("body: deep_json inside", clean=clean, requests=len(calls))
        assert clean, repr(error)
        if error is None:
            assert [s["id_str"] for s in value] == [p["id"] for p in posts]


# -- redirects: never followed, never success ------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("endpoint", ["liked_tweets", "like"])
def test_a_redirect_is_an_error_and_is_not_followed(
    server: HostileServer, tally: Tally, status: int, endpoint: str
) -> None:
    # the body looks like success: a 3xx must still not be taken for one
    body = {"data": {"liked": True}} if endpoint == "like" else None
    options = {"status": status} if body is None else {"status": status, "body": body}
    server.behave(endpoint, "redirect", **options)
    client = favorites(server)
    call = (
        (lambda: client.list(count=20))
        if endpoint == "liked_tweets"
        else (lambda: client.create(POST))
    )
    _value, error, calls, _peak = traced(call)
    tally.record("status: 3xx", clean=isinstance(error, MalformedResponse), requests=len(calls))
    assert isinstance(error, MalformedResponse), error
    assert f"HTTP {status}" in str(error) and "redirect" in str(error)
    assert server.followed_redirects == 0


# -- huge messages: cut where compat builds them ----------------------------------------------


@pytest.mark.parametrize("size", [10 << 20, 20 << 20])
def test_huge_server_messages_are_cut(server: HostileServer, tally: Tally, size: int) -> None:
    server.behave("liked_tweets", "huge_message", status=403, size=size)
    _value, error, calls, peak = traced(lambda: favorites(server).list(count=20))
    clean = isinstance(error, Forbidden)
    tally.record(
        "status: huge message",
        clean=clean,
        requests=len(calls),
        peak=peak,
        read=calls[0].bytes_read,
    )
    assert isinstance(error, Forbidden), error
    assert len(str(error)) < MAX_MESSAGE_CHARS + 400
    assert all(len(e["message"]) <= MAX_MESSAGE_CHARS + 60 for e in error.v1_body["errors"])
    assert len(repr(error.v2_body)) < 2 * MAX_MESSAGE_CHARS
    assert peak < 3 * DEFAULT_MAX_RESPONSE_BYTES


# -- time: one deadline for the whole call, however slowly the server drips ------------------


@pytest.mark.parametrize("kind", ["drip", "drip_headers"])
def test_a_drip_cannot_hold_a_call_beyond_its_deadline(
    server: HostileServer, tally: Tally, kind: str
) -> None:
    # each byte comes well within the read timeout: only the call's deadline can end this
    server.behave("liked_tweets", kind, interval=0.5)
    client = favorites(server, call_deadline=2, timeout=(2, 1.5))
    _value, error, calls, _peak = traced(lambda: client.list(count=20))
    clean = isinstance(error, TransportError) and "call deadline" in str(error)
    tally.record(f"time: {kind}", clean=clean, requests=len(calls))
    assert clean, error
    assert len(calls) == 1  # a deadline is never retried
    dripped = server.served[0].sent
    assert not server.served[0].whole and dripped < 1000  # the call stopped reading


def test_the_deadline_also_bounds_a_session_the_caller_gave(
    server: HostileServer, tally: Tally
) -> None:
    server.behave("liked_tweets", "drip", interval=0.5)
    with requests.Session() as session:
        client = favorites(server, call_deadline=2, timeout=(2, 1.5), session=session)
        _value, error, calls, _peak = traced(lambda: client.list(count=20))
    clean = isinstance(error, TransportError) and "call deadline" in str(error)
    tally.record("time: drip", clean=clean, requests=len(calls))
    assert clean, error
    assert not server.served[0].whole


# -- under install(): the legacy libraries get their own errors -------------------------------


def _tweepy() -> Any:
    auth = tweepy.OAuth1UserHandler(*_keys())
    return tweepy.API(auth).get_favorites(count=20)


def _python_twitter() -> Any:
    key, secret, token, token_secret = _keys()
    api = twitter.Api(
        consumer_key=key,
        consumer_secret=secret,
        access_token_key=token,
        access_token_secret=token_secret,
    )
    return api.GetFavorites(count=20)


def _twython() -> Any:
    return twython.Twython(*_keys()).get_favorites(count=20)


def _raw_requests() -> Any:
    from requests_oauthlib import OAuth1

    answer = requests.get(LIST, params={"count": 20}, auth=OAuth1(*_keys()), timeout=30)
    if answer.status_code != 200:
        raise LegacyAnswer(answer.status_code, answer.json())
    return answer.json()


class LegacyAnswer(Exception):
    """A v1.1 error answer as raw requests code sees it (status, body)."""


def _keys() -> tuple[str, str, str, str]:
    c = CREDENTIALS
    return c.consumer_key, c.consumer_secret, c.access_token, c.access_token_secret


LIBRARIES: dict[str, tuple[Callable[[], Any], tuple[type[BaseException], ...]]] = {
    "tweepy": (_tweepy, (tweepy.TweepyException,)),
    "python-twitter": (_python_twitter, (twitter.TwitterError, requests.RequestException)),
    "twython": (_twython, (twython.TwythonError,)),
    "requests": (_raw_requests, (LegacyAnswer, requests.RequestException)),
}
UNDER_INSTALL = [
    ("gzip_bomb", {}),
    ("endless", {}),
    ("bad_gzip", {}),
    ("truncated", {}),
    ("reset_early", {}),
    ("deep_json", {}),
    ("redirect", {"status": 307}),
    ("huge_message", {"status": 403, "size": 10 << 20}),
    ("empty_pages", {}),
]


@pytest.fixture
def shim(installed: compat_patch.Installation) -> Iterator[compat_patch.Installation]:
    yield installed


@pytest.mark.parametrize(("kind", "options"), UNDER_INSTALL, ids=[k for k, _ in UNDER_INSTALL])
@pytest.mark.parametrize("library", sorted(LIBRARIES))
def test_legacy_libraries_get_their_own_errors(
    server: HostileServer,
    shim: compat_patch.Installation,
    tally: Tally,
    library: str,
    kind: str,
    options: dict[str, Any],
) -> None:
    server.behave("liked_tweets", kind, **options)
    call, own_errors = LIBRARIES[library]
    _value, error, calls, _peak = traced(call)
    clean = isinstance(error, own_errors) and not isinstance(error, CompatError)
    tally.record(f"install: {library}", clean=clean, requests=len(calls))
    assert clean, repr(error)
    assert len(str(error)) < 3 * MAX_MESSAGE_CHARS
    if isinstance(error, LegacyAnswer):  # a server's fault is never the caller's 400/44
        status, body = error.args
        assert status >= 500 or status == 403, (status, body)
    assert server.followed_redirects == 0


def test_api_errors_through_the_transport_keep_their_status(
    server: HostileServer, tally: Tally
) -> None:
    server.behave("liked_tweets", "json", status=429, body={"title": "Too Many Requests"})
    _value, error, calls, _peak = traced(lambda: favorites(server).list(count=20))
    tally.record("status: error bodies", clean=isinstance(error, ApiError), requests=len(calls))
    assert isinstance(error, ApiError) and error.status == 429
