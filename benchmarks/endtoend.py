"""Sections 3 and 4: end to end on the emulator, and v2 requests spent per legacy call.

The emulator (:class:`compat.emulator.Emulator`, rate limits lifted) runs in this process on
127.0.0.1, so its own time is inside every figure of section 3, equally for every row; the rows
are compared with each other, not with a target.

tweepy 4's ``Client`` hard-codes ``host = "https://api.twitter.com"`` inside
``BaseClient.request`` and sends through ``self.session``; :class:`EmulatorSession` (a
``requests.Session``) rewrites that host to the emulator's base URL *before* the request is
prepared, so the OAuth 1.0a signature covers the URL actually sent.

Usage::

    >>> from benchmarks.endtoend import EmulatorSession
    >>> s = EmulatorSession("http://127.0.0.1:9")
    >>> s.rewrite("https://api.twitter.com/2/users/me"), s.rewrite("https://example.com/x")
    ('http://127.0.0.1:9/2/users/me', 'https://example.com/x')
"""

from __future__ import annotations

import contextlib
import functools
import math
import warnings
from collections.abc import Callable, Collection, Iterator
from typing import Any

import requests
import tweepy

import compat
from benchmarks.report import Report, time_interleaved
from compat import reshape
from compat.emulator import Emulator

__all__ = ["TWEEPY_HOST", "EmulatorSession", "adapter_error", "run", "walk"]

TWEEPY_HOST = "https://api.twitter.com"
POST = "1626194750222094336"  # the real socialfoundations post, in the emulator's dataset
WALK = 1000


class EmulatorSession(requests.Session):
    """Sends tweepy 4 ``Client`` requests for ``https://api.twitter.com`` to ``base_url``."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")

    def rewrite(self, url: str) -> str:
        if url.startswith(TWEEPY_HOST + "/"):
            return self.base_url + url[len(TWEEPY_HOST) :]
        return url

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        if isinstance(url, str):
            url = self.rewrite(url)
        return super().request(method, url, *args, **kwargs)


def adapter_error() -> str | None:
    """None when the monkeypatch adapter (:mod:`compat.patch`) imports, else why not."""
    try:
        import compat.patch  # noqa: F401
    except Exception as exc:  # a half-written module may fail in any way
        return f"{type(exc).__name__}: {exc}"
    return None


@contextlib.contextmanager
def _shim(emu: Emulator) -> Iterator[None]:
    from compat import patch
    from compat.warnings import LegacyFavoritesWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LegacyFavoritesWarning)
        with patch.install(emu.credentials, api_base=emu.base_url):
            yield


def _tweepy_client(emu: Emulator) -> Any:
    c = emu.credentials
    client = tweepy.Client(
        consumer_key=c.consumer_key,
        consumer_secret=c.consumer_secret,
        access_token=c.access_token,
        access_token_secret=c.access_token_secret,
    )
    client.session = EmulatorSession(emu.base_url)
    return client


def _tweepy_api(emu: Emulator) -> Any:
    c = emu.credentials
    auth = tweepy.OAuth1UserHandler(
        c.consumer_key, c.consumer_secret, c.access_token, c.access_token_secret
    )
    return tweepy.API(auth)


#: tweepy Client keyword arguments asking for the same fields and expansions compat asks for
FIELDS = {key.replace(".", "_"): value for key, value in reshape.V2_QUERY.items()}


def walk(list_call: Callable[..., list[dict[str, Any]]], count: int, limit: int) -> list[str]:
    """A legacy max_id walk (as tweepy's Cursor pages): ids of the first ``limit`` likes."""
    seen: list[str] = []
    max_id: int | None = None
    while len(seen) < limit:
        page = list_call(count=count) if max_id is None else list_call(count=count, max_id=max_id)
        if not page:
            break
        seen.extend(str(s["id_str"]) for s in page)
        max_id = min(int(s["id"]) for s in page) - 1
    return seen[:limit]


def _requests(emu: Emulator, action: Callable[[], object]) -> tuple[int, dict[str, int]]:
    emu.clear_requests()
    action()
    by_endpoint: dict[str, int] = {}
    for record in emu.requests:
        by_endpoint[record.endpoint] = by_endpoint.get(record.endpoint, 0) + 1
    return sum(by_endpoint.values()), by_endpoint


def run(
    report: Report, *, repeat: int, min_run_s: float, sections: Collection[str] = ("3", "4")
) -> None:
    """Measure sections 3 and/or 4 into ``report`` and print them."""
    missing = adapter_error()
    with Emulator(likes=WALK, rate_limits=False) as emu:
        client = _tweepy_client(emu)
        api = _tweepy_api(emu)
        if "3" in sections:
            with compat.configure(credentials=emu.credentials, api_base=emu.base_url):
                _section3(report, emu, client, api, missing, repeat=repeat, min_run_s=min_run_s)
        if "4" in sections:
            _section4(report, emu, api, missing)


LIST_V2 = "tweepy 4 Client.get_liked_tweets(max_results=100) [v2]"
LIST_DROPIN = "compat.favorites_list(count=100) [drop-in]"
LIST_SHIM = "tweepy 4 API.get_favorites(count=100) [v1.1 via shim]"
LIKE_V2 = "tweepy 4 Client.like(id) [v2]"
CREATE = "compat.favorites_create(id) [drop-in: lookup + like]"
CREATE_BARE = "compat.favorites_create(id, lookup=False) [like only]"


def _section3(
    report: Report,
    emu: Emulator,
    client: Any,
    api: Any,
    missing: str | None,
    *,
    repeat: int,
    min_run_s: float,
) -> None:
    print("\n3. End to end on the emulator (loopback, emulator in-process; ms per call, median;")
    print("   rows timed round-robin; no target: each legacy row next to tweepy 4's own v2")
    print("   Client doing the same work)")
    liked_tweets = functools.partial(
        client.get_liked_tweets, emu.user_id, max_results=100, user_auth=True, **FIELDS
    )
    got = liked_tweets()
    if len(got.data) != 100:
        raise SystemExit(f"tweepy Client.get_liked_tweets returned {len(got.data)} posts")
    rows: dict[str, Callable[[], object]] = {
        LIST_V2: liked_tweets,
        LIST_DROPIN: functools.partial(compat.favorites_list, count=100),
    }
    if missing is None:
        rows[LIST_SHIM] = functools.partial(api.get_favorites, count=100)
    rows[LIKE_V2] = functools.partial(client.like, POST)
    rows[CREATE] = functools.partial(compat.favorites_create, POST)
    rows[CREATE_BARE] = functools.partial(compat.favorites_create, POST, lookup=False)
    timings = time_interleaved(
        rows,
        repeat=repeat,
        min_run_s=min_run_s,
        contexts={LIST_SHIM: functools.partial(_shim, emu)},
    )
    ms = {name: t.median_s * 1e3 for name, t in timings.items()}
    for name in (LIST_V2, LIST_DROPIN, LIST_SHIM, LIKE_V2, CREATE, CREATE_BARE):
        if name not in ms:
            print(f"   {name:60} skipped: adapter not available")
            report.add("3", name, None, "ms", note="skipped: adapter not available")
            continue
        print(f"   {name:60} {ms[name]:8.2f} ms")
        report.add("3", name, ms[name], "ms")
    print("   ratios to the v2 Client (same rounds):")
    for name, base, label in (
        (LIST_DROPIN, LIST_V2, "favorites_list(count=100) / Client.get_liked_tweets"),
        (LIST_SHIM, LIST_V2, "API.get_favorites(count=100) / Client.get_liked_tweets"),
        (CREATE, LIKE_V2, "favorites_create / Client.like"),
        (CREATE_BARE, LIKE_V2, "favorites_create(lookup=False) / Client.like"),
    ):
        if name in ms:
            print(f"   {label:60} {ms[name] / ms[base]:8.2f}x")
            report.add("3", f"  {label}", ms[name] / ms[base], "x")


def _section4(report: Report, emu: Emulator, api: Any, missing: str | None) -> None:
    print(
        "\n4. v2 requests per legacy call (counted by the emulator; target: equal to the minimum)"
    )
    pages = math.ceil(WALK / 100)

    def row(name: str, action: Callable[[], object] | None, minimum: int, why: str) -> None:
        if action is None:
            print(f"   {name:56} skipped: adapter not available")
            report.add(
                "4",
                name,
                None,
                "requests",
                target=f"= {minimum}",
                note="skipped: adapter not available",
            )
            return
        total, by_endpoint = _requests(emu, action)
        detail = ", ".join(f"{k} {v}" for k, v in sorted(by_endpoint.items()))
        verdict = "met" if total == minimum else "MISSED"
        print(f"   {name:56} {total:4} (minimum {minimum}: {why}) [{detail}] {verdict}")
        report.add("4", name, total, "requests", target=f"= {minimum}", met=total == minimum)

    def fresh(action: Callable[[], object]) -> Callable[[], object]:
        def call() -> object:  # a new configuration: no page memo left from another row
            with compat.configure(credentials=emu.credentials, api_base=emu.base_url):
                return action()

        return call

    def checked_walk(count: int) -> Callable[[], object]:
        def call() -> object:
            first = emu.state.liked(emu.user_id)[:WALK]
            ids = walk(compat.favorites_list, count, WALK)
            if ids != first:
                raise SystemExit(f"walk with count={count} did not return the first {WALK} likes")
            return ids

        return call

    row(
        "favorites_create(id)",
        fresh(functools.partial(compat.favorites_create, POST)),
        2,
        "lookup + like",
    )
    row(
        "favorites_create(id, lookup=False)",
        fresh(functools.partial(compat.favorites_create, POST, lookup=False)),
        1,
        "like",
    )
    row(
        "favorites_destroy(id)",
        fresh(functools.partial(compat.favorites_destroy, POST)),
        2,
        "lookup + unlike",
    )
    row(
        "favorites_list(count=20)",
        fresh(functools.partial(compat.favorites_list, count=20)),
        1,
        "1 page",
    )
    row(
        "favorites_list(count=200)",
        fresh(functools.partial(compat.favorites_list, count=200)),
        2,
        "2 pages of 100",
    )
    for count in (20, 200):
        calls = math.ceil(WALK / count)
        row(
            f"walk of {WALK:,} likes, count={count} ({calls} calls)",
            fresh(checked_walk(count)),
            pages,
            f"{pages} pages of 100",
        )

    def via_shim(action: Callable[[], object]) -> Callable[[], object] | None:
        if missing is not None:
            return None

        def call() -> object:
            with _shim(emu):
                return action()

        return call

    def cursor_walk() -> object:
        first = emu.state.liked(emu.user_id)[:WALK]
        ids = [s.id_str for s in tweepy.Cursor(api.get_favorites, count=200).items(WALK)]
        if ids != first:
            raise SystemExit("tweepy Cursor walk through the shim did not return the first likes")
        return ids

    row(
        "tweepy API.get_favorites(count=200) via shim",
        via_shim(functools.partial(api.get_favorites, count=200)),
        2,
        "2 pages of 100",
    )
    row(
        f"tweepy Cursor walk of {WALK:,} likes, count=200 via shim",
        via_shim(cursor_walk),
        pages,
        f"{pages} pages of 100",
    )
