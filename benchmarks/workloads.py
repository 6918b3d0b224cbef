"""Section 7: what whole workloads cost in v2 requests and dollars, against the floor.

Three workloads, each through the drop-in functions, unchanged tweepy 4 under
:func:`compat.install` and unchanged tweepy 3 (``.venv-tweepy3``, see ``scripts/tweepy3.sh``)
under ``compat run``, each on a fresh :class:`~compat.emulator.Emulator`:

* **like cleaner** over N likes: list every like (``favorites/list``, count=200, paged by
  ``max_id`` as tweepy's Cursor pages), then ``favorites/destroy`` each;
* **archiver**: walk all N likes;
* **liker** of K posts by id, posts the program found elsewhere (not in any listing compat
  saw), with ``lookup="auto"`` (the default: a full status back) and ``lookup=False`` (a
  minimal status).

Requests are counted at the emulator (every request that reached it). Dollars come from the
plans table (:mod:`compat._plans`) through :class:`compat._pricing.Pricer`, for every plan,
from the runtime audit log each run writes (its per-request resource digests), deduplicated
per UTC day as X bills; writes have no self-serve price (likes are Enterprise-only since
2026-04-20) and are counted as unpriced.

The **floor** is the least a v2 client must send for the same result, priced the same way:
ceil(N/100) ``liked_tweets`` pages to list N likes, one ``unlike`` per like, one ``like`` per
post; a full status of K posts not seen before also needs their post reads, at best
ceil(K/100) ``GET /2/tweets?ids=`` (100 ids a request), which a legacy program that likes
one post per call cannot batch: that row's gap is the price of answering each call at once.

Usage::

    >>> from benchmarks.workloads import floor_requests
    >>> floor_requests("like cleaner", 250), floor_requests("archiver", 250)
    (253, 3)
    >>> floor_requests("liker", 30, lookup="auto"), floor_requests("liker", 30, lookup=False)
    (31, 30)
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import datetime
import json
import math
import os
import pathlib
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterable, Sequence

import tweepy

import compat
from benchmarks.report import Report
from compat import reshape
from compat._plans import get_plan, plans
from compat._pricing import Pricer
from compat.client import LikesClient
from compat.emulator import Emulator
from compat.transport import V2Call, recording

__all__ = [
    "TWEEPY3_PYTHON",
    "WAYS",
    "WORKLOADS",
    "Row",
    "floor_requests",
    "measure",
    "run",
    "run_tweepy3",
]

ROOT = pathlib.Path(__file__).resolve().parent.parent
TWEEPY3_PYTHON = ROOT / ".venv-tweepy3" / "bin" / "python"
WAYS = ("drop-in", "tweepy 4 + install()", "tweepy 3 + compat run")
WORKLOADS = ("like cleaner", "archiver", "liker")
#: a fixed UTC noon: every row is priced on one billing day, so reruns price alike
_NOON = datetime.datetime(2026, 9, 1, 12, tzinfo=datetime.timezone.utc)


def floor_requests(workload: str, n: int, *, lookup: object = "auto") -> int:
    """The fewest v2 requests any client needs for ``workload`` over ``n`` likes/posts."""
    pages = math.ceil(n / 100) if n else 1  # an empty list is still one answer
    if workload == "like cleaner":
        return pages + n
    if workload == "archiver":
        return pages
    if workload == "liker":
        return n + (math.ceil(n / 100) if lookup is not False else 0)
    raise ValueError(f"unknown workload {workload!r}")


@dataclasses.dataclass(frozen=True)
class Row:
    """One workload through one way in: requests by v2 endpoint, dollars per plan (micro-USD,
    priced writes only) and unpriced writes, next to the floor's."""

    workload: str
    way: str
    n: int
    lookup: object
    requests: collections.Counter[str]
    floor: collections.Counter[str]
    micro_usd: dict[str, int]
    floor_micro_usd: dict[str, int]
    unpriced: int
    floor_unpriced: int

    @property
    def total(self) -> int:
        return sum(self.requests.values())

    @property
    def floor_total(self) -> int:
        return sum(self.floor.values())

    @property
    def at_floor(self) -> bool:
        return self.total == self.floor_total and self.micro_usd == self.floor_micro_usd


# -- the programs -----------------------------------------------------------------------------


def _walk_drop_in(client: compat.Favorites) -> list[str]:
    ids: list[str] = []
    max_id: int | None = None
    while True:
        page = client.list(count=200) if max_id is None else client.list(count=200, max_id=max_id)
        if not page:
            return ids
        ids.extend(s["id_str"] for s in page)
        max_id = min(int(s["id"]) for s in page) - 1


def _drop_in(emu: Emulator, workload: str, posts: Sequence[str], lookup: object, log: str) -> None:
    client = compat.Favorites(emu.credentials, api_base=emu.base_url, audit_log=log, lookup=lookup)
    if workload == "liker":
        for tid in posts:
            client.create(tid)
        return
    ids = _walk_drop_in(client)
    if workload == "like cleaner":
        for tid in ids:
            client.destroy(tid)


def _tweepy4(emu: Emulator, workload: str, posts: Sequence[str], lookup: object, log: str) -> None:
    c = emu.credentials
    auth = tweepy.OAuth1UserHandler(
        c.consumer_key, c.consumer_secret, c.access_token, c.access_token_secret
    )
    api = tweepy.API(auth)
    with compat.patched(c, api_base=emu.base_url, audit_log=log, lookup=lookup):
        if workload == "liker":
            for tid in posts:
                api.create_favorite(int(tid))
            return
        ids = [s.id for s in tweepy.Cursor(api.get_favorites, count=200).items()]
        if workload == "like cleaner":
            for tid in ids:
                api.destroy_favorite(tid)


#: The tweepy 3.10 program (unchanged legacy code: keys from the environment).
TWEEPY3_PROGRAM = textwrap.dedent(
    """
    import os, sys, tweepy
    auth = tweepy.OAuthHandler(os.environ["TWITTER_CONSUMER_KEY"],
                               os.environ["TWITTER_CONSUMER_SECRET"])
    auth.set_access_token(os.environ["TWITTER_ACCESS_TOKEN"],
                          os.environ["TWITTER_ACCESS_TOKEN_SECRET"])
    api = tweepy.API(auth)
    workload, posts = sys.argv[1], sys.argv[2:]
    if workload == "liker":
        for tid in posts:
            api.create_favorite(int(tid))
    else:
        ids = [s.id for s in tweepy.Cursor(api.favorites, count=200).items()]
        if workload == "like cleaner":
            for tid in ids:
                api.destroy_favorite(tid)
        print(len(ids))
    """
)


def run_tweepy3(
    emu: Emulator,
    workload: str,
    posts: Sequence[str] = (),
    *,
    lookup: object = "auto",
    log: str | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Run :data:`TWEEPY3_PROGRAM` with ``.venv-tweepy3``'s interpreter under
    ``compat run --api-base <emulator>`` (credentials from the environment, as users run it)."""
    if not TWEEPY3_PYTHON.exists():
        raise SystemExit(f"{TWEEPY3_PYTHON} is missing: build it with scripts/tweepy3.sh")
    c = emu.credentials
    env = {k: v for k, v in os.environ.items() if not k.startswith(("X_", "TWITTER_", "COMPAT_"))}
    for name in ("consumer_key", "consumer_secret", "access_token", "access_token_secret"):
        env[f"TWITTER_{name.upper()}"] = str(getattr(c, name))
    if lookup != "auto":
        env["COMPAT_LOOKUP"] = str(lookup).lower()
    with tempfile.TemporaryDirectory() as folder:
        program = pathlib.Path(folder) / "legacy_cleaner.py"
        program.write_text(TWEEPY3_PROGRAM, encoding="utf-8")
        command = [sys.executable, "-m", "compat", "run", "--api-base", emu.base_url]
        if log is not None:
            command += ["--audit-log", log]
        command += ["--", str(TWEEPY3_PYTHON), str(program), workload, *posts]
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
    if done.returncode != 0:
        raise RuntimeError(f"tweepy 3 {workload} failed ({done.returncode}): {done.stderr[-3000:]}")
    return done


def _tweepy3(emu: Emulator, workload: str, posts: Sequence[str], lookup: object, log: str) -> None:
    run_tweepy3(emu, workload, posts, lookup=lookup, log=log)


_PROGRAMS = {WAYS[0]: _drop_in, WAYS[1]: _tweepy4, WAYS[2]: _tweepy3}


# -- the floor and the prices -----------------------------------------------------------------


def _floor_calls(
    emu: Emulator, workload: str, posts: Sequence[str], lookup: object
) -> list[V2Call]:
    """What the least v2 client sends for the same result, on this emulator (no cache, no
    memo: it keeps each page it listed)."""
    client = LikesClient(emu.credentials, api_base=emu.base_url)
    with recording() as calls:
        if workload == "liker":
            if lookup is not False:
                for start in range(0, len(posts), 100):
                    client.lookup_tweets(posts[start : start + 100], reshape.V2_QUERY)
            for tid in posts:
                client.like(tid)
            return list(calls)
        listed: list[str] = []
        token: str | None = None
        while True:
            page = client.liked_tweets(
                emu.user_id, max_results=100, pagination_token=token, query=reshape.V2_QUERY
            ).payload
            listed.extend(t["id"] for t in page.get("data") or [])
            token = (page.get("meta") or {}).get("next_token")
            if token is None:
                break
        if workload == "like cleaner":
            for tid in listed:
                client.unlike(tid)
    return list(calls)


def _logged_calls(log: pathlib.Path) -> list[V2Call]:
    """The v2 requests of a runtime audit log, with the resource digests it keeps (enough to
    price them: deduplication needs only to tell resources apart)."""
    calls = []
    for line in log.read_text(encoding="utf-8").splitlines():
        for req in json.loads(line).get("v2_requests", []):
            resources = tuple(("post", d) for d in req.get("posts", ())) + tuple(
                ("user", d) for d in req.get("users", ())
            )
            calls.append(
                V2Call(
                    req["method"],
                    req["path"],
                    req["status"],
                    req["ms"],
                    req["endpoint"],
                    resources,
                )
            )
    return calls


def _price(calls: Iterable[V2Call], owner: str) -> tuple[dict[str, int], int]:
    """Micro-dollars per plan (one UTC day, deduplicated), and the writes no plan prices."""
    listed = list(calls)
    dollars: dict[str, int] = {}
    unpriced = 0
    for name in plans():
        cost = Pricer(get_plan(name), clock=lambda: _NOON).price(listed, owner=owner)
        dollars[name] = cost.micro_usd
        if name == "pay-per-use":
            unpriced = sum(1 for c in listed if c.method in ("POST", "DELETE") and c.status == 200)
    return dollars, unpriced


def _liker_posts(emu: Emulator) -> list[str]:
    """The posts the liker likes: the emulator's synthetic posts, un-liked first (so the
    user likes none of them and compat has seen none of them)."""
    posts = emu.state.liked(emu.user_id)
    for tid in posts:
        emu.state.unlike(emu.user_id, tid)
    return posts


def measure(workload: str, way: str, n: int, *, lookup: object = "auto") -> Row:
    """Run ``workload`` over ``n`` likes (the liker: ``n`` posts) through ``way`` on a fresh
    emulator, then the floor on another; requests counted at the emulators."""
    liker = workload == "liker"
    with tempfile.TemporaryDirectory() as folder:
        log = pathlib.Path(folder) / "calls.jsonl"
        with Emulator(likes=n, rate_limits=False) as emu:
            posts = _liker_posts(emu) if liker else []
            assert len(emu.state.liked(emu.user_id)) == (0 if liker else n)
            emu.clear_requests()
            _PROGRAMS[way](emu, workload, posts, lookup, str(log))
            counted = collections.Counter(r.endpoint for r in emu.requests)
            if workload == "like cleaner":
                assert emu.state.liked(emu.user_id) == [], "the cleaner left likes"
            if workload == "liker":
                assert set(posts) <= set(emu.state.liked(emu.user_id)), "a like is missing"
            owner = emu.user_id
            spent = _logged_calls(log) if log.exists() else []
        with Emulator(likes=n, rate_limits=False) as emu:
            if liker:
                _liker_posts(emu)
            emu.clear_requests()
            floor_calls = _floor_calls(emu, workload, posts, lookup)
            floor = collections.Counter(r.endpoint for r in emu.requests)
    dollars, unpriced = _price(spent, owner)
    floor_dollars, floor_unpriced = _price(floor_calls, owner)
    return Row(
        workload, way, n, lookup, counted, floor, dollars, floor_dollars, unpriced, floor_unpriced
    )


# -- the section ------------------------------------------------------------------------------


def _usd(micros: int) -> str:
    return f"${micros / 1_000_000:,.3f}"


def _cases(n: int, k: int) -> list[tuple[str, int, object]]:
    return [
        ("like cleaner", n, "auto"),
        ("archiver", n, "auto"),
        ("liker", k, "auto"),
        ("liker", k, False),
    ]


def run(report: Report, *, likes: int, posts: int, ways: Sequence[str] = WAYS) -> list[Row]:
    """Measure section 7 into ``report`` and print it."""
    print(f"\n7. Workloads: v2 requests and dollars against the floor (N = {likes:,} likes,")
    print(f"   K = {posts:,} posts; requests counted at the emulator; dollars per plan from")
    print("   compat/_data/plans.json, one UTC day, writes unpriced on self-serve plans)")
    names = list(plans())
    header = f"   {'workload':24} {'way':22} {'requests':>9} {'floor':>6}"
    print(f"{header} {'pay-per-use $':>14} {'floor $':>9}  verdict")
    rows = []
    for workload, n, lookup in _cases(likes, posts):
        for way in ways:
            row = measure(workload, way, n, lookup=lookup)
            rows.append(row)
            label = workload if lookup == "auto" else f"{workload} (lookup={lookup})"
            ppu, floor_ppu = row.micro_usd["pay-per-use"], row.floor_micro_usd["pay-per-use"]
            verdict = "met" if row.at_floor else "MISSED"
            print(
                f"   {label:24} {way:22} {row.total:9,} {row.floor_total:6,} "
                f"{_usd(ppu):>14} {_usd(floor_ppu):>9}  {verdict}"
            )
            if not row.at_floor:
                extra = row.requests - row.floor
                print(f"   {'':24} over the floor: {dict(extra)}")
            report.add(
                "7",
                f"v2 requests, {label}, {way}",
                row.total,
                "requests",
                target=f"= {row.floor_total:,} (floor)",
                met=row.total == row.floor_total,
            )
            for name in names:
                report.add(
                    "7",
                    f"  {name} $, {label}, {way}",
                    row.micro_usd[name] / 1_000_000,
                    "$",
                    target=f"= floor {_usd(row.floor_micro_usd[name])}",
                    met=row.micro_usd[name] == row.floor_micro_usd[name],
                )
    print("   (liker, lookup auto: one post read per call against the floor's batched")
    print("    GET /2/tweets?ids= of 100; a legacy call is answered at once, never held back)")
    return rows


def _main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="section 7 alone")
    parser.add_argument("--likes", type=int, default=300)
    parser.add_argument("--posts", type=int, default=30)
    args = parser.parse_args(argv)
    run(Report(), likes=args.likes, posts=args.posts)
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
