"""``compat demo``: legacy favorites calls served by v2, on the embedded emulator, offline.

Starts the emulator in-process on one plan (``--plan``, default ``enterprise``, where likes
work), runs v1.1-style calls through the shim and prints each legacy call, the v2 requests it
became, the v1.1 tweets it returned and the request count; last, what those v2 requests would
cost on ``pay-per-use`` at X's list prices (:class:`compat._pricing.Pricer`), with the likes
marked Enterprise-only: no self-serve plan offers them since 2026-04-20.

Usage::

    compat demo                       # on enterprise: every call works
    compat demo --plan pay-per-use    # what today's self-serve keys get: likes refused
    compat demo --format json         # the same run as one JSON report (see report_json)

With ``--format json`` stdout holds one JSON object (:data:`REPORT_VERSION`): the plan, every
legacy call with its v2 requests and the ids it returned or the error it raised, the totals
and the cost; nothing else is printed.
"""

from __future__ import annotations

import collections
import io
import json
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any, TextIO

import requests
from requests_oauthlib import OAuth1

from compat._cliargs import whole_number
from compat._plans import DEFAULT_PLAN
from compat._pricing import ENTERPRISE_ONLY, Pricer, enterprise_only, format_usd
from compat._version import __version__
from compat.client import V2Call, recording
from compat.emulator import Emulator
from compat.emulator.config import check_plan
from compat.errors import CompatError, ConfigurationError
from compat.favorites import configure, favorites_create, favorites_destroy, favorites_list
from compat.patch import patched
from compat.warnings import LegacyFavoritesWarning

try:  # tweepy 4 is optional: the demo shows it when it is installed
    import tweepy
except ImportError:  # pragma: no cover - tweepy is installed in the test environment
    tweepy = None

__all__ = [
    "COST_PLAN",
    "MAX_LIKES",
    "REPORT_VERSION",
    "cost_json",
    "cost_lines",
    "register",
    "run_demo",
]

#: The version of the ``--format json`` report's layout.
REPORT_VERSION = 1

#: The plan the demo prices its requests on: today's self-serve plan.
COST_PLAN = "pay-per-use"
#: The most synthetic likes ``compat demo --likes`` builds (the dataset is built in memory
#: before the first call: a bound keeps a typo from running for minutes).
MAX_LIKES = 100_000

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


def cost_lines(calls: Sequence[V2Call], owner: str) -> list[str]:
    """What ``calls`` would cost on :data:`COST_PLAN`, for people: the amount and the reads
    (priced by :class:`~compat._pricing.Pricer`, deduplicated per UTC day), then the requests
    that plan does not offer at all, marked Enterprise-only."""
    plan = check_plan(COST_PLAN)
    cost = Pricer(plan).price(calls, owner=owner)
    posts = f"{cost.posts_read} post read{'' if cost.posts_read == 1 else 's'}"
    users = f"{cost.users_read} user read{'' if cost.users_read == 1 else 's'}"
    lines = [
        f"cost on {plan.name} at X's list prices: {format_usd(cost.micro_usd)} for "
        f"{posts} and {users} ({len(calls)} v2 requests)"
    ]
    refused = collections.Counter(c.endpoint for c in calls if enterprise_only(plan, c.endpoint))
    for endpoint, count in refused.items():
        since = plan.terms(endpoint).since
        when = f" since {since}" if since else ""
        lines.append(f"  {endpoint} ×{count}: Enterprise-only, not offered on {plan.name}{when}")
    # the Enterprise-only ones are the lines above; anything else without a price is said too
    lines.extend(f"  unpriced: {text}" for text in cost.unpriced if ENTERPRISE_ONLY not in text)
    return lines


def cost_json(calls: Sequence[V2Call], owner: str) -> dict[str, Any]:
    """What :func:`cost_lines` says, for programs (``--format json``)."""
    plan = check_plan(COST_PLAN)
    cost = Pricer(plan).price(calls, owner=owner)
    refused = collections.Counter(c.endpoint for c in calls if enterprise_only(plan, c.endpoint))
    return {
        "plan": plan.name,
        "micro_usd": cost.micro_usd,
        "usd": format_usd(cost.micro_usd),
        "posts_read": cost.posts_read,
        "users_read": cost.users_read,
        "v2_requests": len(calls),
        "enterprise_only": dict(refused),
        "unpriced": [text for text in cost.unpriced if ENTERPRISE_ONLY not in text],
    }


class _Demo:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.legacy_calls = 0
        self.calls: list[V2Call] = []
        self.steps: list[dict[str, Any]] = []

    @property
    def v2_calls(self) -> int:
        return len(self.calls)

    def step(
        self,
        shown: str,
        call: Callable[[], Any],
        errors: tuple[type[BaseException], ...] = (CompatError,),
    ) -> Any:
        self.legacy_calls += 1
        print(f"\n>>> {shown}", file=self.out)
        result: Any = None
        step: dict[str, Any] = {"call": shown}
        with recording() as calls:
            try:
                result = call()
            except errors as exc:
                print(f"    raised {type(exc).__name__}: {exc}", file=self.out)
                step["error"] = {"type": type(exc).__name__, "message": str(exc)}
        self._show_calls(calls)
        step["v2_requests"] = [
            {"method": c.method, "path": c.path, "status": c.status, "elapsed_ms": c.elapsed_ms}
            for c in calls
        ]
        if isinstance(result, dict):
            result = [result]
        if isinstance(result, list):
            step["ids"] = [t.get("id_str") for t in result if isinstance(t, dict)]
        self.steps.append(step)
        if isinstance(result, list) and result and isinstance(result[0], dict):
            print(table(result), file=self.out)
        elif isinstance(result, list):
            print(f"    {result!r}", file=self.out)
        return result

    def _show_calls(self, calls: list[V2Call]) -> None:
        self.calls.extend(calls)
        if not calls:
            print("    v2 requests: none", file=self.out)
        for c in calls:
            print(
                f"    v2 {c.method:<6} {c.path}  -> {c.status} ({c.elapsed_ms:.1f} ms)",
                file=self.out,
            )


def _legacy_library_calls(demo: _Demo, emu: Emulator, post: str, stream: TextIO) -> None:
    """Unchanged v1.1 client code (raw requests + OAuth1; tweepy 4 when installed) served
    through the monkeypatch adapter."""
    creds = emu.credentials
    keys = (
        creds.consumer_key,
        creds.consumer_secret,
        creds.access_token,
        creds.access_token_secret,
    )
    print("\n--- unchanged v1.1 client code, with compat.install() ---", file=stream)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LegacyFavoritesWarning)
        with patched(creds, api_base=emu.base_url):
            demo.step(
                "requests.get('https://api.twitter.com/1.1/favorites/list.json?count=3', "
                "auth=OAuth1(...)).json()",
                lambda: requests.get(
                    "https://api.twitter.com/1.1/favorites/list.json?count=3",
                    auth=OAuth1(*keys),
                    timeout=10,
                ).json(),
            )
            if tweepy is None:
                print("\n(tweepy is not installed: skipping the tweepy 4 call)", file=stream)
                return
            api = tweepy.API(tweepy.OAuth1UserHandler(*keys))
            # what a legacy program sees when its plan refuses a call: tweepy's own exception
            refused = (CompatError, tweepy.TweepyException)
            demo.step(
                f"tweepy.API(auth).create_favorite({post})",
                lambda: api.create_favorite(post)._json,
                refused,
            )
            demo.step(
                f"tweepy.API(auth).destroy_favorite({post})",
                lambda: api.destroy_favorite(post)._json,
                refused,
            )


def run_demo(
    likes: int = 250,
    out: TextIO | None = None,
    *,
    plan: str = DEFAULT_PLAN,
    output_format: str = "text",
) -> int:
    """Run the demo on the emulator serving ``plan``; returns the process exit code.

    ``output_format``: ``"text"`` for people, ``"json"`` for one JSON report on ``out``.
    A plan compat's table does not know raises :class:`~compat.errors.ConfigurationError`
    before anything starts.
    """
    served = check_plan(plan, option="--plan")
    if output_format not in ("text", "json"):
        raise ConfigurationError(f"--format must be text or json, got {output_format!r}")
    target = out if out is not None else sys.stdout
    stream: TextIO = io.StringIO() if output_format == "json" else target
    started = time.perf_counter()
    demo = _Demo(stream)
    with (
        Emulator(likes=likes, plan=served) as emu,
        configure(credentials=emu.credentials, api_base=emu.base_url),
    ):
        print(f"compat {__version__}: X API v2 emulator at {emu.base_url}", file=stream)
        print(f"plan {served.name}: {served.label}", file=stream)
        print(f"acting as user {emu.user_id}; {likes} synthetic likes + real posts", file=stream)
        post = "1626194750222094336"
        demo.step(f"favorites_create({post})", lambda: favorites_create(post))
        first = demo.step("favorites_list(count=5)", lambda: favorites_list(count=5))
        if isinstance(first, list) and first:
            max_id = min(t["id"] for t in first) - 1
            demo.step(
                f"favorites_list(count=5, max_id={max_id})   # the next v1.1 page: from the memo",
                lambda: favorites_list(count=5, max_id=max_id),
            )
        demo.step(
            f"favorites_destroy({post}, tweet_mode='extended')",
            lambda: favorites_destroy(post, tweet_mode="extended"),
        )
        demo.step('favorites_create("12/../")   # bad input', lambda: favorites_create("12/../"))
        _legacy_library_calls(demo, emu, post, stream)
        print(
            f"\n{demo.legacy_calls} legacy calls -> {demo.v2_calls} v2 requests "
            f"in {time.perf_counter() - started:.2f} s (no network, no credentials)",
            file=stream,
        )
        print("\n".join(cost_lines(demo.calls, owner=emu.user_id)), file=stream)
        if output_format == "json":
            report = {
                "version": REPORT_VERSION,
                "compat": __version__,
                "plan": {"name": served.name, "label": served.label},
                "user_id": emu.user_id,
                "synthetic_likes": likes,
                "steps": demo.steps,
                "legacy_calls": demo.legacy_calls,
                "v2_requests": demo.v2_calls,
                "cost": cost_json(demo.calls, owner=emu.user_id),
            }
            print(json.dumps(report, indent=2), file=target)
    return 0


def _run(args: Any) -> int:
    try:
        return run_demo(args.likes, plan=args.plan, output_format=args.format)
    except ConfigurationError as exc:
        print(f"compat demo: {exc}", file=sys.stderr)
        return 2


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="run legacy favorites calls on the embedded v2 emulator",
        description=__doc__,
    )
    parser.add_argument(
        "--likes",
        type=whole_number(0, MAX_LIKES),
        default=250,
        metavar="N",
        help=f"synthetic likes, 0 to {MAX_LIKES:,} (default 250)",
    )
    parser.add_argument(
        "--plan",
        default=DEFAULT_PLAN,
        metavar="NAME",
        help=f"the X API plan the emulator serves (compat's plans table; default {DEFAULT_PLAN})",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help=f"text for people (default) or json, one report (version {REPORT_VERSION})",
    )
    parser.set_defaults(func=_run)
