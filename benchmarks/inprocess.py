"""Sections 1 and 2: in-process cost per post, ours against the obvious peer pipeline.

Ours, per v2 response body (what the client and the adapter do for every page):
``json.loads`` → ``schemas.validate`` of the v2 document (in) → ``reshape.page_to_v1`` →
``schemas.validate("v1.1/tweet", …)`` of every status (out) → ``json.dumps`` of the v1.1 list
(compact UTF-8, as the adapter answers). The peer pipeline is :mod:`benchmarks.peer`.

The documents are real recorded payloads from tests/realdata/: the socialfoundations expanded
post (sent as a ``GET /2/tweets?ids=`` answer, ``data`` a one-post list; it quotes another
post, which is reshaped too), tweepy's liked_tweets page (96 posts, default fields) and
sns-sdks' liked_tweets page with the author expansion (5 posts). The real pages were recorded
with few fields; the command also measures the page compat really asks for (every field and
expansion of ``V2_QUERY``, 100 posts), as the emulator answers it.

Usage::

    >>> from benchmarks.inprocess import DOCUMENTS, load, run_ours
    >>> docs = load()
    >>> [d.posts for d in docs]
    [1, 96, 5]
    >>> import json
    >>> json.loads(run_ours(docs[0].body, docs[0].schema_in))[0]["user"]["screen_name"]
    'ruchowdh'
"""

from __future__ import annotations

import dataclasses
import functools
import json
import pathlib
import warnings
from collections.abc import Callable, Collection
from typing import Any

import requests
from requests_oauthlib import OAuth1

from benchmarks import peer
from benchmarks.report import Report, Timing, time_call, time_interleaved
from compat import reshape, schemas
from compat.emulator import Emulator

__all__ = ["DOCUMENTS", "Document", "load", "run", "run_ours"]

REALDATA = pathlib.Path(__file__).resolve().parent.parent / "tests" / "realdata"
EMULATOR_PAGE = "emulator page (100, all V2_QUERY fields)"
TARGET_US = 50.0
TARGET_RATIO = 20.0

#: (label, file under tests/realdata, v2 schema the body is validated against)
DOCUMENTS: tuple[tuple[str, str, str], ...] = (
    (
        "expanded post (socialfoundations)",
        "socialfoundations_v2_tweet_1_expanded.json",
        "v2/tweets_lookup",
    ),
    ("liked_tweets page (tweepy, 96)", "tweepy_v2_liked_tweets.json", "v2/liked_tweets_page"),
    (
        "liked_tweets page (sns-sdks, 5)",
        "sns_sdks_v2_liked_tweets_author_expansion.json",
        "v2/liked_tweets_page",
    ),
)


@dataclasses.dataclass(frozen=True)
class Document:
    """One real v2 response body, as bytes off the wire."""

    label: str
    body: bytes
    schema_in: str
    posts: int


def load(*, emulator_page: bool = False) -> list[Document]:
    """The real documents of :data:`DOCUMENTS` (a single post becomes a one-post list), and
    with ``emulator_page`` the emulator's answer to the request compat really sends."""
    docs = []
    for label, name, schema_in in DOCUMENTS:
        payload = json.loads((REALDATA / name).read_text(encoding="utf-8"))
        if isinstance(payload.get("data"), dict):  # GET /2/tweets/:id → as GET /2/tweets?ids=
            payload["data"] = [payload["data"]]
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        docs.append(Document(label, body, schema_in, len(payload["data"])))
    if emulator_page:
        docs.append(_emulator_page())
    return docs


def _emulator_page() -> Document:
    """``GET /2/users/:id/liked_tweets`` with every field and expansion of ``V2_QUERY`` and
    ``max_results=100``, as compat asks for it, answered by the emulator (synthetic posts
    built on the real ones: media, polls, places, quotes, long posts, many authors)."""
    with Emulator(likes=100, rate_limits=False) as emu, requests.Session() as session:
        c = emu.credentials
        response = session.get(
            f"{emu.base_url}/2/users/{emu.user_id}/liked_tweets",
            params={**reshape.V2_QUERY, "max_results": "100"},
            auth=OAuth1(c.consumer_key, c.consumer_secret, c.access_token, c.access_token_secret),
            timeout=30,
        )
        response.raise_for_status()
        body = response.content
    posts = len(json.loads(body)["data"])
    return Document(EMULATOR_PAGE, body, "v2/liked_tweets_page", posts)


def run_ours(
    body: bytes,
    schema_in: str,
    *,
    parse: Callable[[bytes], Any] = json.loads,
    dump: Callable[[list[Any]], bytes] = peer.dump,
) -> bytes:
    """compat's whole in-process path on one v2 body: the v1.1 JSON it answers with.
    ``parse``/``dump``: the JSON functions (default the standard library's, as section 1
    measures; section 8 passes compat's own)."""
    payload = parse(body)
    schemas.validate(schema_in, payload)
    statuses = reshape.page_to_v1(payload, favorited=True)
    for status in statuses:
        schemas.validate("v1.1/tweet", status)
    return dump(statuses)


def _validate_all(schema_in: str, payload: Any, statuses: list[dict[str, Any]]) -> None:
    schemas.validate(schema_in, payload)
    for status in statuses:
        schemas.validate("v1.1/tweet", status)


def _backend_check(
    v_in: schemas.Validator, v_out: schemas.Validator, payload: Any, statuses: list[Any]
) -> bool:
    ok = v_in.is_valid(payload)
    for status in statuses:
        ok = v_out.is_valid(status) and ok
    return ok


def _us(t: Timing, posts: int) -> float:
    return t.median_s / posts * 1e6


def run(
    report: Report,
    *,
    repeat: int,
    min_run_s: float,
    peer_repeat: int,
    sections: Collection[str] = ("1", "2"),
) -> None:
    """Measure sections 1 and/or 2 into ``report`` and print them."""
    if schemas.get_mode() != "strict":
        raise SystemExit("benchmarks need compat.schemas in strict mode")
    docs = load(emulator_page=True)
    if "1" in sections:
        _section1(report, docs, repeat=repeat, min_run_s=min_run_s)
        _backends(report, docs, repeat=repeat, min_run_s=min_run_s)
    if "2" in sections:
        _section2(report, docs, peer_repeat=peer_repeat, min_run_s=min_run_s)


def _section1(report: Report, docs: list[Document], *, repeat: int, min_run_s: float) -> None:
    print("\n1. In-process cost per post: json.loads v2 → validate in → reshape → validate out")
    print("   → json.dumps v1.1 (median per post, and the best run; target ≤ 50 µs per post,")
    print("   i.e. ≥ 20,000 posts/s, one thread; the split is by stage, medians)")
    header = f"   {'document':40} {'posts':>5} {'µs/post':>9} {'(best)':>7} {'posts/s':>9}"
    print(f"{header}  {'parse':>7} {'validate':>8} {'reshape':>8} {'dump':>7}  (µs/post)")
    for doc in docs:
        total = time_call(
            functools.partial(run_ours, doc.body, doc.schema_in),
            repeat=repeat,
            min_run_s=min_run_s,
        )
        us = _us(total, doc.posts)
        best = total.best_s / doc.posts * 1e6
        payload = json.loads(doc.body)
        statuses = reshape.page_to_v1(payload, favorited=True)
        parse_t = time_call(
            functools.partial(json.loads, doc.body), repeat=repeat, min_run_s=min_run_s
        )
        validate_t = time_call(
            functools.partial(_validate_all, doc.schema_in, payload, statuses),
            repeat=repeat,
            min_run_s=min_run_s,
        )
        reshape_t = time_call(
            functools.partial(reshape.page_to_v1, payload, favorited=True),
            repeat=repeat,
            min_run_s=min_run_s,
        )
        dump_t = time_call(
            functools.partial(peer.dump, statuses), repeat=repeat, min_run_s=min_run_s
        )
        parts = [_us(t, doc.posts) for t in (parse_t, validate_t, reshape_t, dump_t)]
        print(
            f"   {doc.label:40} {doc.posts:5} {us:9.1f} {best:7.1f} {1e6 / us:9,.0f}  "
            f"{parts[0]:7.1f} {parts[1]:8.1f} {parts[2]:8.1f} {parts[3]:7.1f}"
        )
        report.add(
            "1",
            f"ours µs/post, {doc.label}",
            us,
            "µs",
            target=f"≤ {TARGET_US:.0f} µs",
            met=us <= TARGET_US,
        )
        report.add("1", f"  best run µs/post, {doc.label}", best, "µs")
        for stage, value in zip(("parse", "validate", "reshape", "dump"), parts, strict=True):
            report.add("1", f"  {stage} µs/post, {doc.label}", value, "µs")


def _backends(report: Report, docs: list[Document], *, repeat: int, min_run_s: float) -> None:
    print(
        "\n   validation alone, in + out, µs per post by backend (issue 5; validators built once)"
    )
    print(f"   {'document':40} {'jsonschema-rs':>14} {'jsonschema':>11} {'ratio':>6}")
    for doc in docs:
        payload = json.loads(doc.body)
        statuses = reshape.page_to_v1(payload, favorited=True)
        per: dict[str, float] = {}
        for backend in schemas.BACKENDS:
            try:
                v_in = schemas.Validator(doc.schema_in, backend=backend)
                v_out = schemas.Validator("v1.1/tweet", backend=backend)
            except ValueError as exc:  # jsonschema-rs not installed here
                report.add(
                    "1",
                    f"validate µs/post {backend}, {doc.label}",
                    None,
                    "µs",
                    note=f"skipped: {exc}",
                )
                continue
            if not _backend_check(v_in, v_out, payload, statuses):
                raise SystemExit(f"{doc.label}: not valid with {backend}")
            t = time_call(
                functools.partial(_backend_check, v_in, v_out, payload, statuses),
                repeat=repeat,
                min_run_s=min_run_s,
            )
            per[backend] = _us(t, doc.posts)
            report.add("1", f"validate µs/post {backend}, {doc.label}", per[backend], "µs")
        if "jsonschema-rs" not in per:
            print(f"   {doc.label:40} {'(not installed)':>14} {per['jsonschema']:8.1f} µs")
            continue
        fast, slow = per["jsonschema-rs"], per["jsonschema"]
        print(f"   {doc.label:40} {fast:11.1f} µs {slow:8.1f} µs {slow / fast:5.0f}x")


def _section2(report: Report, docs: list[Document], *, peer_repeat: int, min_run_s: float) -> None:
    print("\n2. Peer pipeline on the same bytes: tweepy 4 Client response parsing + dict-mapping")
    print("   converter + plain jsonschema in and out + json.dumps, timed round-robin with ours")
    print(f"   (median of {peer_repeat} runs, µs per post; target: ours ≥ 20x faster than the peer")
    print("   calling jsonschema.validate as typical code does)")
    header = f"   {'document':40} {'ours':>8} {'peer, typical':>14} {'ratio':>7}"
    print(f"{header}   {'peer, built once':>16} {'ratio':>7}")
    typical = peer.PeerValidation("typical")
    once = peer.PeerValidation("once")
    with warnings.catch_warnings():
        # tweepy 4 warns for every post without edit_history_tweet_ids (sns-sdks' page)
        warnings.filterwarnings("ignore", "Tweet data missing default", RuntimeWarning)
        for doc in docs:
            timings = time_interleaved(
                {
                    "ours": functools.partial(run_ours, doc.body, doc.schema_in),
                    "typical": functools.partial(peer.run_peer, doc.body, typical, doc.schema_in),
                    "once": functools.partial(peer.run_peer, doc.body, once, doc.schema_in),
                },
                repeat=peer_repeat,
                min_run_s=min_run_s,
            )
            row = {name: _us(t, doc.posts) for name, t in timings.items()}
            r_typ, r_once = row["typical"] / row["ours"], row["once"] / row["ours"]
            print(
                f"   {doc.label:40} {row['ours']:5.1f} µs {row['typical']:11,.0f} µs "
                f"{r_typ:6.1f}x   {row['once']:13,.0f} µs {r_once:6.1f}x"
            )
            report.add("2", f"ours µs/post (same rounds), {doc.label}", row["ours"], "µs")
            report.add(
                "2", f"peer µs/post (jsonschema.validate), {doc.label}", row["typical"], "µs"
            )
            report.add(
                "2",
                f"ours vs peer (jsonschema.validate), {doc.label}",
                r_typ,
                "x",
                target=f"≥ {TARGET_RATIO:.0f}x",
                met=r_typ >= TARGET_RATIO,
            )
            report.add("2", f"peer µs/post (validator built once), {doc.label}", row["once"], "µs")
            report.add(
                "2",
                f"ours vs peer (validator built once), {doc.label}",
                r_once,
                "x",
                note="for reference",
            )
    print("   (typical = jsonschema.validate(instance, schema, registry=…) per document and per")
    print("    status, as most code calls it; built once = Draft202012Validator made up front)")
