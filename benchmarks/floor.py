"""Section 8: compat's in-process hot path against the JSON floor and against tweepy 4.

Per v2 body (the recorded liked_tweets pages and a full-field page the emulator answers to
compat's real request), timed round-robin in one run, as ratios of medians:

* **floor**: orjson parsing the v2 body + orjson writing the v1.1 list compat produces for it
  (the least any v1.1-from-v2 server must do);
* **ours**: the whole hot path with strict validation: :func:`compat.transport._parse`, the
  v2 schema (in), :func:`compat.reshape.page_to_v1`, the v1.1 schema of every status (out)
  and :func:`compat.adapter.dump_v1`; goal ≤ 8× the floor;
* **tweepy 4's** ``Status.parse`` of the same v1.1 statuses (what a legacy client pays anyway
  for each answer); goal: ours ≤ 0.25× that. It leaves out tweepy's own JSON parse of the
  answer, which tweepy 4 does for every answer (``ModelParser.parse``: ``json.loads`` of the
  body, then ``Status.parse_list``); that whole per-answer work is printed too, as
  **tweepy answer** (of the v1.1 bytes compat writes), with its own ratio, no goal.

Usage::

    >>> from benchmarks.floor import GOAL_FLOOR, GOAL_TWEEPY, documents
    >>> GOAL_FLOOR, GOAL_TWEEPY
    (8.0, 0.25)
    >>> [d.posts for d in documents(emulator_page=False)]
    [96, 5]
"""

from __future__ import annotations

import functools
from typing import Any

import orjson
import tweepy

from benchmarks import inprocess
from benchmarks.report import Report, time_interleaved
from compat import _json, adapter, reshape, schemas, transport

__all__ = ["GOAL_FLOOR", "GOAL_TWEEPY", "documents", "floor", "ours", "run", "tweepy_parse"]

GOAL_FLOOR = 8.0
GOAL_TWEEPY = 0.25
_PAGES = ("tweepy_v2_liked_tweets.json", "sns_sdks_v2_liked_tweets_author_expansion.json")


def documents(*, emulator_page: bool = True) -> list[inprocess.Document]:
    """The two recorded liked_tweets pages and (``emulator_page``) the full-field one."""
    names = {name for _label, name, _schema in inprocess.DOCUMENTS if name in _PAGES}
    docs = [
        d
        for d, (_l, name, _s) in zip(inprocess.load(), inprocess.DOCUMENTS, strict=True)
        if name in names
    ]
    if emulator_page:
        docs.append(inprocess.load(emulator_page=True)[-1])
    return docs


def floor(body: bytes, statuses: list[Any]) -> bytes:
    orjson.loads(body)
    return orjson.dumps(statuses)


def ours(body: bytes, schema_in: str) -> bytes:
    """The strict hot path with compat's own JSON (orjson when installed)."""
    return inprocess.run_ours(body, schema_in, parse=transport._parse, dump=adapter.dump_v1)


_API = tweepy.API()


def stages(doc: inprocess.Document, *, repeat: int, min_run_s: float) -> dict[str, float]:
    """Where the hot path's time goes: µs per post of each stage, medians, round-robin."""
    payload = transport._parse(doc.body)
    statuses = reshape.page_to_v1(payload, favorited=True)
    out = schemas.get_validator("v1.1/tweet")
    timings = time_interleaved(
        {
            "parse": functools.partial(transport._parse, doc.body),
            "validate in": functools.partial(schemas.validate, doc.schema_in, payload),
            "reshape": functools.partial(reshape.page_to_v1, payload, favorited=True),
            "validate out": functools.partial(lambda: [out.is_valid(x) for x in statuses]),
            "dump": functools.partial(adapter.dump_v1, statuses),
        },
        repeat=repeat,
        min_run_s=min_run_s,
    )
    return {name: t.median_s / doc.posts * 1e6 for name, t in timings.items()}


def tweepy_parse(statuses: list[Any]) -> list[tweepy.models.Status]:
    return [tweepy.models.Status.parse(_API, s) for s in statuses]


_MODEL_PARSER = tweepy.parsers.ModelParser()


def tweepy_answer(text: str) -> Any:
    """What tweepy 4 does with each favorites answer: ``API.request`` hands ``resp.text`` to
    ``ModelParser.parse`` (``json.loads``, then ``Status.parse_list``)."""
    return _MODEL_PARSER.parse(text, api=_API, payload_list=True, payload_type="status")


def run(report: Report, *, repeat: int, min_run_s: float) -> None:
    """Measure section 8 into ``report`` and print it."""
    if schemas.get_mode() != "strict":
        raise SystemExit("benchmarks need compat.schemas in strict mode")
    print("\n8. Hot path against the floor (orjson parse of the v2 page + orjson write of the")
    print("   v1.1 list) and against tweepy 4's Status.parse of the same statuses; ratios of")
    print(f"   medians, one run, round-robin (JSON library: {_json.backend()})")
    header = f"   {'document':40} {'floor':>8} {'ours':>8} {'tweepy':>8}"
    print(f"{header} {'ours/floor':>11} {'ours/tweepy':>12}  (µs/post)")
    for doc in documents():
        statuses = reshape.page_to_v1(orjson.loads(doc.body), favorited=True)
        answer = adapter.dump_v1(statuses).decode("utf-8")
        timings = time_interleaved(
            {
                "floor": functools.partial(floor, doc.body, statuses),
                "ours": functools.partial(ours, doc.body, doc.schema_in),
                "tweepy": functools.partial(tweepy_parse, statuses),
                "tweepy answer": functools.partial(tweepy_answer, answer),
            },
            repeat=repeat,
            min_run_s=min_run_s,
        )
        us = {name: t.median_s / doc.posts * 1e6 for name, t in timings.items()}
        to_floor = timings["ours"].median_s / timings["floor"].median_s
        to_tweepy = timings["ours"].median_s / timings["tweepy"].median_s
        ok_floor, ok_tweepy = to_floor <= GOAL_FLOOR, to_tweepy <= GOAL_TWEEPY
        print(
            f"   {doc.label:40} {us['floor']:8.2f} {us['ours']:8.2f} {us['tweepy']:8.2f} "
            f"{to_floor:10.1f}x {to_tweepy:11.2f}x  "
            f"{'met' if ok_floor else 'MISSED'}/{'met' if ok_tweepy else 'MISSED'}"
        )
        to_answer = timings["ours"].median_s / timings["tweepy answer"].median_s
        print(
            f"   {'':40} tweepy's whole answer (json.loads + Status.parse_list) "
            f"{us['tweepy answer']:.2f} µs/post: ours {to_answer:.2f}x of it"
        )
        report.add(
            "8",
            f"  ours / tweepy 4 answer (json.loads + parse_list), {doc.label}",
            to_answer,
            "x",
            note="printed, no goal: the fair per-answer comparison",
        )
        if not (ok_floor and ok_tweepy):
            split = stages(doc, repeat=repeat, min_run_s=min_run_s)
            shown = ", ".join(f"{name} {value:.2f}" for name, value in split.items())
            print(f"   {'':40} where the time goes (µs/post): {shown}")
            for name, value in split.items():
                report.add("8", f"  {name} µs/post, {doc.label}", value, "µs")
        report.add("8", f"floor µs/post, {doc.label}", us["floor"], "µs")
        report.add("8", f"ours µs/post (strict), {doc.label}", us["ours"], "µs")
        report.add("8", f"tweepy 4 Status.parse µs/post, {doc.label}", us["tweepy"], "µs")
        report.add(
            "8",
            f"ours / floor, {doc.label}",
            to_floor,
            "x",
            target=f"≤ {GOAL_FLOOR:g}x",
            met=ok_floor,
        )
        report.add(
            "8",
            f"ours / tweepy 4 Status.parse, {doc.label}",
            to_tweepy,
            "x",
            target=f"≤ {GOAL_TWEEPY:g}x",
            met=ok_tweepy,
        )
