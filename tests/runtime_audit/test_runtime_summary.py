"""summarise(): counts, costs, sliding-window peaks, projected 429s, corrupt lines.

The window tests run against ``enterprise``, the one plan that likes (50 per 15 minutes and
1000 per 24 hours per user, each endpoint its own window); the default, ``pay-per-use``,
refuses likes (test_pay_per_use_refuses_likes_and_unlikes)."""

from __future__ import annotations

import dataclasses
import datetime
import doctest
import itertools
import json
import pathlib
from types import MappingProxyType

import pytest

import compat.audit.runtime as runtime_module
from compat._plans import get_plan
from compat.audit.runtime import (
    AuditLog,
    ErrorCount,
    RuntimeReport,
    V2Usage,
    summarise,
    v2_limits,
)
from compat.client import V2Call
from compat.errors import InvalidParameter, TransportError, api_error_for
from compat.favorites import Outcome
from compat.ratelimit import RateLimit
from tests._support.runtime_log import DESTROY, LIST, T0, at, burst, entry, sample_log, write


def v2(report: RuntimeReport, endpoint: str) -> V2Usage:
    (usage,) = [u for u in report.v2 if u.endpoint == endpoint]
    return usage


def enterprise(path: pathlib.Path | list[pathlib.Path]) -> RuntimeReport:
    return summarise(path, plan="enterprise")


def limit(report: RuntimeReport, name: str) -> tuple[int, int]:
    (usage,) = [u for u in report.limits if u.limit.name == name]
    return usage.peak, usage.projected_429s


def test_docstring_examples() -> None:
    result = doctest.testmod(runtime_module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


# --- windows ---------------------------------------------------------------------------------


def test_60_likes_in_10_minutes_is_10_projected_429s(tmp_path: pathlib.Path) -> None:
    path = write(tmp_path / "a.jsonl", burst(0, 60, 10))  # 0 s … 590 s
    report = enterprise(path)
    like = v2(report, "like")
    assert (like.requests, like.peak_15min, like.limit_15min) == (60, 60, 50)
    assert like.projected_429s == 10
    assert limit(report, "like") == (60, 10)
    tweets = v2(report, "tweets")  # the post lookup: 60 of 75, fine
    assert (tweets.peak_15min, tweets.projected_429s) == (60, 0)
    assert report.projected_429s == 10
    assert report.exit_code == 1


def test_the_same_60_likes_over_20_minutes_fit(tmp_path: pathlib.Path) -> None:
    path = write(tmp_path / "a.jsonl", burst(0, 60, 20))  # any 15 min holds 45
    report = enterprise(path)
    assert (v2(report, "like").peak_15min, report.projected_429s) == (45, 0)
    assert v2(report, "like").peak_24h == 60
    assert report.exit_code == 0


def test_window_edges_are_exact_to_the_millisecond(tmp_path: pathlib.Path) -> None:
    # 50 at T0, then one at T0 + 14:59.999 (same window), then 50 at T0 + 15:00 (new window)
    lines = burst(0, 50, 0) + burst(899.999, 1, 0) + burst(900, 49, 0)
    report = enterprise(write(tmp_path / "a.jsonl", lines))
    like = v2(report, "like")
    assert like.peak_15min == 51
    # the 51st is refused; at 15:00 the first 50 have left the window, so 49 more fit
    assert like.projected_429s == 1


def test_a_sliding_window_sees_what_fixed_windows_miss(tmp_path: pathlib.Path) -> None:
    # 40 in 10:10–10:14 and 40 in 10:16–10:20: 40 per clock quarter, 80 within 15 minutes
    lines = burst(600, 40, 6) + burst(960, 40, 6)
    report = enterprise(write(tmp_path / "a.jsonl", lines))
    (usage,) = [u for u in report.limits if u.limit.name == "like"]
    assert usage.peak == 80
    assert usage.peak_start == at(600)
    assert usage.projected_429s == 30


def test_each_window_over_the_limit_counts(tmp_path: pathlib.Path) -> None:
    lines = burst(0, 60, 1) + burst(1800, 60, 1)  # two bursts half an hour apart
    report = enterprise(write(tmp_path / "a.jsonl", lines))
    assert v2(report, "like").peak_15min == 60
    assert v2(report, "like").projected_429s == 20


def test_unlike_has_its_own_15_minute_limit(tmp_path: pathlib.Path) -> None:
    lines = burst(0, 45, 1, v2=("like",)) + burst(0.5, 45, 1, "favorites/destroy", ("unlike",))
    report = enterprise(write(tmp_path / "a.jsonl", lines))
    assert (v2(report, "like").peak_15min, v2(report, "unlike").peak_15min) == (45, 45)
    assert report.projected_429s == 0
    assert report.exit_code == 0


def test_pay_per_use_refuses_likes_and_unlikes(tmp_path: pathlib.Path) -> None:
    # the same traffic with the post lookups the shim makes first
    lines = burst(0, 45, 1) + burst(0.5, 45, 1, "favorites/destroy", DESTROY)
    report = summarise(write(tmp_path / "b.jsonl", lines))
    assert report.plan is not None and report.plan.name == "pay-per-use"
    like, unlike, tweets = v2(report, "like"), v2(report, "unlike"), v2(report, "tweets")
    assert (like.available, like.refused, like.limit_15min) == (False, 45, None)
    assert (unlike.available, unlike.refused) == (False, 45)
    assert (tweets.available, tweets.refused, tweets.peak_15min) == (True, 0, 90)
    assert tweets.limit_15min == get_plan("pay-per-use").user_limit_15min("tweets")
    assert (report.refused, report.projected_429s, report.exit_code) == (90, 0, 1)
    text = report.render("text")
    assert "; 90 refused by pay-per-use" in text
    assert (
        "n/a: like and unlike: Enterprise-only: not offered on pay-per-use since 2026-04-20; "
        "their 90 requests would be refused"
    ) in text


def test_an_app_limit_counts_every_account(tmp_path: pathlib.Path) -> None:
    # 40 listings by each of two accounts in 10 minutes: 40 per user (of 75), 80 per app (of 75)
    lines = with_account(burst(0, 40, 15, "favorites/list", LIST), "111")
    lines += with_account(burst(5, 40, 15, "favorites/list", LIST), "222")
    report = summarise(write(tmp_path / "a.jsonl", lines))
    listing = v2(report, "liked_tweets")
    assert (listing.peak_15min, listing.limit_15min) == (40, 75)
    assert limit(report, "liked_tweets") == (40, 0)
    assert limit(report, "liked_tweets per app") == (80, 5)
    assert (listing.projected_429s, report.projected_429s, report.exit_code) == (5, 5, 1)
    text = report.render("text")
    assert "per app (all accounts): 75 per 15 min for liked_tweets: peak 80" in text


def _day_of_likes(tmp_path: pathlib.Path) -> pathlib.Path:
    # every 30 minutes for 22.5 hours: 24 likes and 22 unlikes (under 50/15 min each)
    lines = []
    for batch in range(45):
        lines += burst(batch * 1800, 24, 1)
        lines += burst(batch * 1800 + 100, 22, 1, "favorites/destroy", DESTROY)
    return write(tmp_path / "a.jsonl", lines)


def test_like_and_unlike_each_have_1000_per_24_hours(tmp_path: pathlib.Path) -> None:
    report = enterprise(_day_of_likes(tmp_path))
    like, unlike = v2(report, "like"), v2(report, "unlike")
    assert (like.peak_15min, unlike.peak_15min) == (24, 22)
    assert (like.peak_24h, unlike.peak_24h) == (1080, 990)
    assert (like.limit_24h, unlike.limit_24h) == (1000, 1000)
    assert limit(report, "like/24 h") == (1080, 80)
    assert limit(report, "unlike/24 h") == (990, 0)
    assert limit(report, "like") == (24, 0)
    assert (like.projected_429s, unlike.projected_429s, report.projected_429s) == (80, 0, 80)


def test_a_shared_24_hour_window_counts_both(tmp_path: pathlib.Path) -> None:
    plan = get_plan("enterprise")
    endpoints = dict(plan.endpoints)
    for name in ("like", "unlike"):
        terms = endpoints[name]
        shared = tuple(
            dataclasses.replace(lim, shared="likes-24h") if lim.window_s > 900 else lim
            for lim in terms.limits
        )
        endpoints[name] = dataclasses.replace(terms, limits=shared)
    sharing = dataclasses.replace(plan, endpoints=MappingProxyType(endpoints))
    report = summarise(_day_of_likes(tmp_path), plan=sharing)
    # all 2070 inside one 24 hours: the first 1000 are answered, the other 1070 refused
    assert limit(report, "like+unlike") == (2070, 1070)
    assert v2(report, "like").limit_24h == 1000
    assert "* 1000 per 24 h shared by like and unlike: peak 2070" in report.render("text")


def test_a_refused_request_uses_no_quota(tmp_path: pathlib.Path) -> None:
    # 100 at 10:00 (50 refused), 50 at 10:15:00 — a window holding only answered requests
    lines = burst(0, 100, 0) + burst(900, 50, 0)
    report = enterprise(write(tmp_path / "a.jsonl", lines))
    assert v2(report, "like").projected_429s == 50


def test_liked_tweets_and_lookups_have_75_per_15_minutes(tmp_path: pathlib.Path) -> None:
    lines = burst(0, 80, 5, "favorites/list", LIST)
    lines += burst(0, 40, 5, "favorites/list", ("users_me", "user_by_username", "liked_tweets"))
    report = summarise(write(tmp_path / "a.jsonl", lines))
    assert (v2(report, "liked_tweets").peak_15min, v2(report, "liked_tweets").limit_15min) == (
        120,
        75,
    )
    assert v2(report, "liked_tweets").projected_429s == 45
    assert v2(report, "users_me").projected_429s == 0
    assert v2(report, "user_by_username").limit_24h is None
    assert report.projected_429s == 45


def test_an_unknown_v2_endpoint_is_counted_without_a_limit(tmp_path: pathlib.Path) -> None:
    report = summarise(write(tmp_path / "a.jsonl", burst(0, 100, 0, v2=("bookmarks",))))
    usage = v2(report, "bookmarks")
    assert (usage.requests, usage.limit_15min, usage.projected_429s) == (100, None, 0)
    assert report.exit_code == 0


# --- counts ----------------------------------------------------------------------------------


def test_calls_and_v2_requests_per_call(tmp_path: pathlib.Path) -> None:
    lines = [
        *burst(0, 3, 1),
        entry(at(10), "favorites/list", ("user_by_username", "liked_tweets", "liked_tweets")),
        entry(at(11), "favorites/list", LIST),
        entry(at(12), "favorites/list", None, error=(429, "TooManyRequests", [88])),
    ]
    report = summarise(write(tmp_path / "a.jsonl", lines))
    create, destroy, listing = report.legacy
    assert (create.endpoint, create.calls, create.v2_requests, create.max_v2_requests) == (
        "favorites/create",
        3,
        6,
        2,
    )
    assert destroy.calls == 0 and destroy.mean_v2_requests is None
    assert (listing.calls, listing.errors, listing.measured, listing.v2_requests) == (3, 1, 2, 4)
    assert listing.mean_v2_requests == 2.0  # over the 2 calls whose requests were logged
    assert (report.calls, report.v2_requests, report.max_v2_requests) == (6, 10, 3)
    assert report.failed_calls == 1 and report.exit_code == 1


def test_errors_by_v1_status_and_code(tmp_path: pathlib.Path) -> None:
    lines = [
        entry(at(0), error=(429, "TooManyRequests", [88])),
        entry(at(1), error=(429, "TooManyRequests", [88])),
        entry(at(2), error=(404, "NotFound", [144])),
        entry(at(3), error=(None, "TransportError", [])),
    ]
    report = summarise(write(tmp_path / "a.jsonl", lines))
    assert report.errors == (
        ErrorCount(429, 88, "TooManyRequests", 2),
        ErrorCount(404, 144, "NotFound", 1),
        ErrorCount(None, None, "TransportError", 1),
    )
    assert report.exit_code == 1
    assert report.projected_429s == 0


def test_observed_429s_are_counted_apart(tmp_path: pathlib.Path) -> None:
    lines = [entry(at(0), v2=("like",), v2_status=429)]
    report = summarise(write(tmp_path / "a.jsonl", lines))
    assert (v2(report, "like").observed_429s, v2(report, "like").projected_429s) == (1, 0)


def test_missing_fields_counted_per_call(tmp_path: pathlib.Path) -> None:
    lines = [
        entry(at(0), missing=["favorited", "user.favourites_count"]),
        entry(at(1), missing=["favorited"]),
        entry(at(2)),
    ]
    report = summarise(write(tmp_path / "a.jsonl", lines))
    assert report.missing_fields == (("favorited", 2), ("user.favourites_count", 1))


def test_slowest_five_with_caller_and_latency(tmp_path: pathlib.Path) -> None:
    latencies = [5.0, 900.5, 12.0, 300.0, 7.0, 1500.0, 64.0, 300.0]
    lines = [
        entry(at(i), caller=f"app/mod.py:{i + 1}", latency_ms=ms) for i, ms in enumerate(latencies)
    ]
    report = summarise(write(tmp_path / "a.jsonl", lines))
    assert [(s.latency_ms, s.caller) for s in report.slowest] == [
        (1500.0, "app/mod.py:6"),
        (900.5, "app/mod.py:2"),
        (300.0, "app/mod.py:4"),  # a tie: the earlier call first
        (300.0, "app/mod.py:8"),
        (64.0, "app/mod.py:7"),
    ]
    assert report.slowest[0].time == at(5)
    assert report.slowest[0].v2_requests == 2


def test_an_empty_log(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text("")
    report = summarise(path)
    assert (report.calls, report.entries, report.first, report.exit_code) == (0, 0, None, 0)
    assert all(u.requests == 0 and u.peak == 0 for u in report.limits)


# --- files -----------------------------------------------------------------------------------


def test_corrupt_lines_are_skipped_and_counted(tmp_path: pathlib.Path) -> None:
    path = write(
        tmp_path / "a.jsonl",
        [
            entry(at(0)),
            '{"v":1,"time":"2026-11-23T10:00:01.000+00:00","endpoint":"favo',  # torn
            "[1, 2]",
            '{"v":1,"time":"2026-11-23T10:00:02.000+00:00"}',
            '{"v":1,"time":"yesterday","endpoint":"favorites/list"}',
            '{"v":1,"time":"2026-11-23T10:00:03Z","endpoint":"favorites/list","latency_ms":"x"}',
            '{"v":1,"time":"2026-11-23T10:00:03Z","endpoint":"favorites/list","v2_requests":{}}',
            "",
            "   ",
            entry(at(5)),
        ],
    )
    with path.open("ab") as handle:
        handle.write(b'{"endpoint": "favorites/list\xff"}\n')
    report = enterprise(path)
    assert report.entries == 2
    assert report.corrupt_lines == 7
    assert [(c.line, c.reason) for c in report.corrupt_examples] == [
        (2, "not JSON (a torn or truncated line?)"),
        (3, "not a JSON object"),
        (4, "no endpoint"),
        (5, "bad time 'yesterday'"),
        (6, "bad latency_ms"),
        (7, "bad v2_requests"),
        (11, "not UTF-8"),
    ]
    assert {c.path for c in report.corrupt_examples} == {str(path)}
    assert report.exit_code == 0  # corrupt lines are reported, not failures


def test_corrupt_examples_are_capped(tmp_path: pathlib.Path) -> None:
    path = write(tmp_path / "a.jsonl", ["nope"] * 25)
    report = summarise(path)
    assert (report.corrupt_lines, len(report.corrupt_examples)) == (25, 10)


def test_several_logs_are_merged_in_time_order(tmp_path: pathlib.Path) -> None:
    # two processes' logs, 30 likes each, interleaved in time: 60 within 10 minutes
    first = write(tmp_path / "p1.jsonl", burst(0, 30, 20))
    second = write(tmp_path / "p2.jsonl", burst(10, 30, 20))
    alone = enterprise(first)
    both = enterprise([first, second])
    assert (alone.projected_429s, v2(alone, "like").peak_15min) == (0, 30)
    assert (both.calls, v2(both, "like").peak_15min, both.projected_429s) == (60, 60, 10)
    assert both.logs == (str(first), str(second))
    assert (both.first, both.last) == (at(0), at(590))


def test_a_missing_log_raises_file_not_found(tmp_path: pathlib.Path) -> None:
    present = write(tmp_path / "a.jsonl", burst(0, 1, 0))
    with pytest.raises(FileNotFoundError):
        summarise([present, tmp_path / "missing.jsonl"])


def test_times_with_z_or_without_offset_are_utc(tmp_path: pathlib.Path) -> None:
    path = write(
        tmp_path / "a.jsonl",
        [
            '{"time":"2026-11-23T10:00:00Z","endpoint":"favorites/list"}',
            '{"time":"2026-11-23T11:00:00+01:00","endpoint":"favorites/list"}',
            '{"time":"2026-11-23T10:00:00","endpoint":"favorites/list"}',
        ],
    )
    report = summarise(path)
    assert report.corrupt_lines == 0
    assert report.first == report.last == T0


# --- with the real writer ---------------------------------------------------------------------


def test_lines_written_by_auditlog(tmp_path: pathlib.Path) -> None:
    """The reader reads what AuditLog writes: 60 likes 10 s apart via an injected clock."""
    path = tmp_path / "audit.jsonl"
    ticks = (T0 + datetime.timedelta(seconds=10 * i) for i in itertools.count())
    log = AuditLog(path, clock=lambda: next(ticks))
    outcome = Outcome(
        value={},
        calls=[
            V2Call("GET", "/2/tweets", 200, 20.0, "tweets"),
            V2Call("POST", "/2/users/1/likes", 200, 30.0, "like"),
        ],
        rate_limit=RateLimit(limit=50, remaining=10, reset=1),
        missing={"favorited"},
    )
    for i in range(60):
        log.record(
            endpoint="favorites/create",
            params={"id": str(i)},
            caller="bot.py:7",
            outcome=outcome,
            error=None,
            latency_ms=50.0 + i,
        )
    log.record(
        endpoint="favorites/create",
        params={"id": "x"},
        caller="bot.py:7",
        outcome=None,
        error=InvalidParameter("id", "not a number"),
        latency_ms=0.1,
    )
    log.record(
        endpoint="favorites/list",
        params={},
        caller="bot.py:9",
        outcome=None,
        error=api_error_for(429, {"title": "Too Many Requests"}),
        latency_ms=3,
    )
    log.record(
        endpoint="favorites/list",
        params={},
        caller="bot.py:9",
        outcome=None,
        error=TransportError("timed out"),
        latency_ms=3,
    )
    report = enterprise(path)
    assert report.corrupt_lines == 0
    assert (report.calls, report.failed_calls, report.v2_requests) == (63, 3, 120)
    assert v2(report, "like").peak_15min == 60
    assert report.projected_429s == 10
    assert report.missing_fields == (("favorited", 60),)
    assert report.slowest[0].latency_ms == 109.0
    assert report.slowest[0].time == at(590)
    assert {(e.status, e.code, e.type) for e in report.errors} == {
        (400, 44, "InvalidParameter"),
        (429, 88, "TooManyRequests"),
        (None, None, "TransportError"),
    }


def test_the_readme_sample_log(tmp_path: pathlib.Path) -> None:
    report = enterprise(sample_log(tmp_path / "audit.jsonl"))
    assert (report.calls, report.failed_calls) == (62, 2)
    assert v2(report, "like").projected_429s == 5
    assert v2(report, "liked_tweets").requests == 3
    assert report.slowest[0].caller == "scripts/export.py:18"


def test_more_corrupt_reasons(tmp_path: pathlib.Path) -> None:
    path = write(
        tmp_path / "a.jsonl",
        [
            '{"endpoint":"favorites/list"}',
            '{"time":"2026-11-23T10:00:03Z","endpoint":"favorites/list","error":"boom"}',
            '{"time":"2026-11-23T10:00:03Z","endpoint":"favorites/list","missing_fields":[1]}',
            '{"time":"2026-11-23T10:00:03Z","endpoint":"favorites/list","latency_ms":true}',
            '{"time":"2026-11-23T10:00:03Z","endpoint":"favorites/list","latency_ms":NaN}',
        ],
    )
    report = summarise(path)
    assert [c.reason for c in report.corrupt_examples] == [
        "no time",
        "bad error",
        "bad missing_fields",
        "bad latency_ms",
        "bad latency_ms",
    ]


def test_limits_name_their_window() -> None:
    limits = v2_limits(get_plan("enterprise"))
    assert [lim.window for lim in limits[:3]] == ["15 min", "24 h", "15 min"]
    assert repr(AuditLog("x.jsonl")) == "AuditLog('x.jsonl')"


# --- accounts ---------------------------------------------------------------------------------


def with_account(lines: list[dict[str, object]], account: str) -> list[dict[str, object]]:
    return [{**line, "account": account} for line in lines]


def test_limits_are_per_account_when_lines_name_it(tmp_path: pathlib.Path) -> None:
    # 40 likes by each of two accounts in the same 10 minutes: 80 in the log, 40 per user
    lines = with_account(burst(0, 40, 15), "111") + with_account(burst(5, 40, 15), "222")
    report = enterprise(write(tmp_path / "a.jsonl", lines))
    assert report.accounts == 2
    like = v2(report, "like")
    assert (like.requests, like.peak_15min, like.projected_429s) == (80, 40, 0)
    assert report.exit_code == 0
    # the same lines without the account field: one user, 80 likes → 30 projected 429s
    anonymous = enterprise(write(tmp_path / "b.jsonl", burst(0, 40, 15) + burst(5, 40, 15)))
    assert (anonymous.accounts, v2(anonymous, "like").projected_429s) == (1, 30)


def test_per_account_429s_add_up_and_the_busiest_peak_shows(tmp_path: pathlib.Path) -> None:
    lines = with_account(burst(0, 60, 1), "111") + with_account(burst(100, 55, 1), "222")
    lines += with_account(burst(0, 10, 1), "333")
    report = enterprise(write(tmp_path / "a.jsonl", lines))
    assert report.accounts == 3
    assert (v2(report, "like").peak_15min, v2(report, "like").projected_429s) == (60, 15)
    (usage,) = [u for u in report.limits if u.limit.name == "like"]
    assert (usage.requests, usage.peak, usage.peak_start, usage.projected_429s) == (
        125,
        60,
        at(0),
        15,
    )
    text = report.render("text")
    assert "125 legacy calls in 1 log (3 accounts)" in text
    assert "peaks of the busiest account" in text


def test_auditlog_writes_the_account(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)
    log.record(
        endpoint="favorites/list",
        params={},
        caller=None,
        outcome=None,
        error=None,
        latency_ms=1,
        account="1449263876",
    )
    log.record(
        endpoint="favorites/list", params={}, caller=None, outcome=None, error=None, latency_ms=1
    )
    first, second = (json.loads(line) for line in path.read_text().splitlines())
    assert first["account"] == "1449263876"
    assert "account" not in second
    assert summarise(path).accounts == 2


def test_a_bad_account_is_a_corrupt_line(tmp_path: pathlib.Path) -> None:
    path = write(
        tmp_path / "a.jsonl",
        ['{"time":"2026-11-23T10:00:00Z","endpoint":"favorites/list","account":[1]}'],
    )
    assert [c.reason for c in summarise(path).corrupt_examples] == ["bad account"]
