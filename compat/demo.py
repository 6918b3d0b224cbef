"""``compat demo``: legacy favorites calls served by v2, on the embedded emulator, offline.

Starts the emulator in-process, runs v1.1-style calls through the shim and prints each legacy
call, the v2 requests it became, the v1.1 tweets it returned and the request count.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

from compat.client import V2Call, recording
from compat.errors import CompatError

__all__ = ["register", "run_demo"]

_COLUMNS = (
    ("id", 19),
    ("created_at", 30),
    ("screen_name", 15),
    ("favorite_count", 14),
    ("favorited", 9),
    ("text", 44),
)


def _cell(value: object, width: int) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def table(statuses: list[dict[str, Any]]) -> str:
    """The v1.1 tweets as a fixed-width table a person can read."""
    lines = ["  " + " ".join(name.ljust(width) for name, width in _COLUMNS)]
    lines.append("  " + " ".join("-" * width for _name, width in _COLUMNS))
    for status in statuses:
        row = {
            "id": status.get("id_str"),
            "created_at": status.get("created_at"),
            "screen_name": "@" + str((status.get("user") or {}).get("screen_name") or "?"),
            "favorite_count": status.get("favorite_count"),
            "favorited": status.get("favorited"),
            "text": status.get("full_text") or status.get("text"),
        }
        lines.append(
            "  " + " ".join(_cell(row[name], width).ljust(width) for name, width in _COLUMNS)
        )
    return "\n".join(lines)


class _Demo:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.legacy_calls = 0
        self.v2_calls = 0

    def step(self, shown: str, call: Callable[[], Any]) -> Any:
        self.legacy_calls += 1
        print(f"\n>>> {shown}", file=self.out)
        result: Any = None
        with recording() as calls:
            try:
                result = call()
            except CompatError as exc:
                print(f"    raised {type(exc).__name__}: {exc}", file=self.out)
        self._show_calls(calls)
        if isinstance(result, dict):
            result = [result]
        if isinstance(result, list) and result and isinstance(result[0], dict):
            print(table(result), file=self.out)
        elif isinstance(result, list):
            print(f"    {result!r}", file=self.out)
        return result

    def _show_calls(self, calls: list[V2Call]) -> None:
        self.v2_calls += len(calls)
        if not calls:
            print("    v2 requests: none", file=self.out)
        for c in calls:
            print(
                f"    v2 {c.method:<6} {c.path}  -> {c.status} ({c.elapsed_ms:.1f} ms)",
                file=self.out,
            )


def _legacy_library_calls(demo: _Demo, emu: Any, post: str, stream: TextIO) -> None:
    """Unchanged v1.1 client code (raw requests + OAuth1; tweepy 4 when installed) served
    through the monkeypatch adapter."""
    import warnings

    import requests
    from requests_oauthlib import OAuth1

    import compat

    creds = emu.credentials
    keys = (
        creds.consumer_key,
        creds.consumer_secret,
        creds.access_token,
        creds.access_token_secret,
    )
    print("\n--- unchanged v1.1 client code, with compat.install() ---", file=stream)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", compat.LegacyFavoritesWarning)
        with compat.patched(creds, api_base=emu.base_url):
            demo.step(
                "requests.get('https://api.twitter.com/1.1/favorites/list.json?count=3', "
                "auth=OAuth1(...)).json()",
                lambda: requests.get(
                    "https://api.twitter.com/1.1/favorites/list.json?count=3",
                    auth=OAuth1(*keys),
                    timeout=10,
                ).json(),
            )
            try:
                import tweepy
            except ImportError:
                print("\n(tweepy is not installed: skipping the tweepy 4 call)", file=stream)
                return
            api = tweepy.API(tweepy.OAuth1UserHandler(*keys))
            demo.step(
                f"tweepy.API(auth).create_favorite({post})",
                lambda: api.create_favorite(post)._json,
            )
            demo.step(
                f"tweepy.API(auth).destroy_favorite({post})",
                lambda: api.destroy_favorite(post)._json,
            )


def run_demo(likes: int = 250, out: TextIO | None = None) -> int:
    """Run the demo; returns the process exit code."""
    import compat
    from compat.emulator import Emulator

    stream = out if out is not None else sys.stdout
    started = time.perf_counter()
    demo = _Demo(stream)
    with (
        Emulator(likes=likes) as emu,
        compat.configure(credentials=emu.credentials, api_base=emu.base_url),
    ):
        print(f"compat {compat.__version__}: X API v2 emulator at {emu.base_url}", file=stream)
        print(f"acting as user {emu.user_id}; {likes} synthetic likes + real posts", file=stream)
        post = "1626194750222094336"
        demo.step(f"favorites_create({post})", lambda: compat.favorites_create(post))
        first = demo.step("favorites_list(count=5)", lambda: compat.favorites_list(count=5))
        max_id = min(t["id"] for t in first) - 1
        demo.step(
            f"favorites_list(count=5, max_id={max_id})   # the next v1.1 page: from the memo",
            lambda: compat.favorites_list(count=5, max_id=max_id),
        )
        demo.step(
            f"favorites_destroy({post}, tweet_mode='extended')",
            lambda: compat.favorites_destroy(post, tweet_mode="extended"),
        )
        demo.step(
            'favorites_create("12/../")   # bad input', lambda: compat.favorites_create("12/../")
        )
        _legacy_library_calls(demo, emu, post, stream)
        print(
            f"\n{demo.legacy_calls} legacy calls -> {demo.v2_calls} v2 requests "
            f"in {time.perf_counter() - started:.2f} s (no network, no credentials)",
            file=stream,
        )
    return 0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="run legacy favorites calls on the embedded v2 emulator",
        description=__doc__,
    )
    parser.add_argument("--likes", type=int, default=250, help="synthetic likes (default 250)")
    parser.set_defaults(func=lambda args: run_demo(args.likes))
