"""The runtime audit log: one JSON line per call, safe under concurrent writers, never fatal."""

from __future__ import annotations

import datetime
import json
import logging
import multiprocessing
import os
import pathlib
import threading

import pytest

from compat._auditlog import MESSAGE_LIMIT
from compat._plans import get_plan
from compat._pricing import Pricer
from compat.audit.runtime import AuditLog, resource_digest, scrub_params
from compat.client import V2Call
from compat.errors import ServerError, TooManyRequests, api_error_for
from compat.favorites import Outcome
from compat.ratelimit import RateLimit

OUTCOME = Outcome(
    value=[],
    calls=[V2Call("GET", "/2/users/1/liked_tweets", 200, 3.5, "liked_tweets")],
    rate_limit=RateLimit(limit=75, remaining=74, reset=1700000000),
    missing={"user.favourites_count", "favorite_count"},
)


def write_many(path: str, who: str, n: int) -> None:
    log = AuditLog(path)
    for i in range(n):
        log.record(
            endpoint="favorites/list",
            params={"count": str(i), "who": who, "padding": "x" * 2000},
            caller=f"{who}.py:{i}",
            outcome=OUTCOME,
            error=None,
            latency_ms=1.0,
        )


def read(path: pathlib.Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_line_content(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "audit.jsonl"
    write_many(str(path), "bot", 1)
    (entry,) = read(path)
    assert entry["endpoint"] == "favorites/list"
    assert entry["caller"] == "bot.py:0"
    assert entry["v2_requests"] == [
        {
            "method": "GET",
            "path": "/2/users/1/liked_tweets",
            "status": 200,
            "ms": 3.5,
            "endpoint": "liked_tweets",
        }
    ]
    assert entry["missing_fields"] == ["favorite_count", "user.favourites_count"]
    assert entry["rate_limit"]["remaining"] == 74  # type: ignore[index]


def test_error_line_carries_v1_equivalent(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "audit.jsonl"
    error = api_error_for(429, {"title": "Too Many Requests"}, rate_limit=RateLimit(reset=5))
    assert isinstance(error, TooManyRequests)
    AuditLog(path).record(
        endpoint="favorites/create",
        params={"id": "1"},
        caller=None,
        outcome=None,
        error=error,
        latency_ms=2,
    )
    (entry,) = read(path)
    assert entry["status"] == 429
    assert entry["error"]["v1_codes"] == [88]  # type: ignore[index]


def test_secrets_never_logged(tmp_path: pathlib.Path) -> None:
    params = {
        "id": "5",
        "oauth_token": "T0KEN",
        "oauth_signature": "S1G",
        "access_token_secret": "S3CRET",
        "api_key": "K3Y",
    }
    assert scrub_params(params) == {"id": "5"}
    path = tmp_path / "audit.jsonl"
    AuditLog(path).record(
        endpoint="favorites/create",
        params=params,
        caller="x.py:1",
        outcome=OUTCOME,
        error=None,
        latency_ms=1,
    )
    text = path.read_text()
    for secret in ("T0KEN", "S1G", "S3CRET", "K3Y"):
        assert secret not in text


def test_threads_never_interleave(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "audit.jsonl"
    threads = [threading.Thread(target=write_many, args=(str(path), f"t{i}", 50)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    entries = read(path)  # every line parses: no torn writes
    assert len(entries) == 400
    assert {e["params"]["who"] for e in entries} == {f"t{i}" for i in range(8)}  # type: ignore[index]


def test_processes_never_interleave(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "audit.jsonl"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=write_many, args=(str(path), f"p{i}", 40)) for i in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    entries = read(path)
    assert len(entries) == 160
    assert len({e["pid"] for e in entries}) == 4


def test_unwritable_path_warns_once_and_never_raises(
    tmp_path: pathlib.Path, caplog: pytest.LogCaptureFixture
) -> None:
    target = tmp_path / "missing-dir" / "audit.jsonl"
    with caplog.at_level(logging.WARNING, logger="compat.audit"):
        write_many(str(target), "bot", 3)
    warnings = [r for r in caplog.records if getattr(r, "event", None) == "audit.unwritable"]
    assert len(warnings) == 1
    assert not target.exists()


def test_full_disk_never_raises(caplog: pytest.LogCaptureFixture) -> None:
    if not pathlib.Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    with caplog.at_level(logging.WARNING, logger="compat.audit"):
        write_many("/dev/full", "bot", 2)
    assert sum(getattr(r, "event", None) == "audit.unwritable" for r in caplog.records) == 1


def test_failed_call_keeps_its_v2_requests_and_account(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "audit.jsonl"
    error = api_error_for(429, {"title": "Too Many Requests"}, rate_limit=RateLimit(reset=5))
    AuditLog(path).record(
        endpoint="favorites/create",
        params={"id": "1"},
        caller="bot.py:3",
        outcome=None,
        error=error,
        latency_ms=2,
        account="1072250532645998596",
        calls=[
            V2Call("GET", "/2/tweets", 200, 1.0, "tweets"),
            V2Call("POST", "/2/users/1/likes", 429, 1.0, "like"),
        ],
    )
    (entry,) = read(path)
    assert entry["account"] == "1072250532645998596"
    assert [c["endpoint"] for c in entry["v2_requests"]] == ["tweets", "like"]  # type: ignore[union-attr]
    assert entry["status"] == 429


def test_drop_in_functions_write_the_runtime_audit(tmp_path: pathlib.Path) -> None:
    import compat
    from compat.emulator import Emulator

    path = tmp_path / "dropin.jsonl"
    with Emulator(likes=5) as emu:
        emu.rate_limits.lift()
        with compat.configure(credentials=emu.credentials, api_base=emu.base_url, audit_log=path):
            compat.favorites_list(count=2)  # site-A
            with pytest.raises(compat.NotFound):
                compat.favorites_create(1)  # site-B: no such post
    listed, failed = read(path)
    here = pathlib.Path(__file__).read_text().splitlines()
    line_a = next(i for i, text in enumerate(here, 1) if text.endswith("# site-A"))
    assert listed["caller"] == f"{__file__}:{line_a}"  # the user's line, not compat's
    assert listed["endpoint"] == "favorites/list" and listed["params"]["count"] == "2"
    assert listed["account"] == emu.user_id
    assert [c["endpoint"] for c in listed["v2_requests"]] == ["liked_tweets"]
    assert (failed["status"], failed["error"]["v1_codes"]) == (404, [144])
    assert [c["endpoint"] for c in failed["v2_requests"]] == ["tweets"]


def test_a_line_carries_digests_and_the_cost(tmp_path: pathlib.Path) -> None:
    noon = datetime.datetime(2026, 9, 1, 12, tzinfo=datetime.timezone.utc)
    calls = [
        V2Call(
            "GET",
            "/2/users/1/liked_tweets",
            200,
            3.5,
            "liked_tweets",
            (("post", "1626194750222094336"), ("post", "2"), ("user", "545445165")),
        )
    ]
    cost = Pricer(get_plan("pay-per-use"), clock=lambda: noon).price(calls, owner="1")
    outcome = Outcome([], calls, RateLimit(), set(), cost)
    path = tmp_path / "audit.jsonl"
    AuditLog(path).record(
        endpoint="favorites/list", params={}, caller=None, outcome=outcome, error=None, latency_ms=1
    )
    (line,) = read(path)
    assert line["v"] == 2
    (request,) = line["v2_requests"]  # type: ignore[misc]
    assert request["posts"] == [
        resource_digest("post", "1626194750222094336"),
        resource_digest("post", "2"),
    ]
    assert request["users"] == [resource_digest("user", "545445165")]
    assert request["owned"] is True
    assert "1626194750222094336" not in path.read_text()  # digests, not the likes list
    # the user's own likes: 2 posts x $0.001 + 1 author x $0.010
    assert line["cost"] == {
        "plan": "pay-per-use",
        "usd": 0.012,
        "posts_read": 2,
        "owned_reads": 2,
        "users_read": 1,
        "writes": [],
        "unpriced": [],
    }


def test_a_failed_call_is_written_with_the_cost_given(tmp_path: pathlib.Path) -> None:
    calls = [
        V2Call("GET", "/2/tweets", 200, 1.0, "tweets", (("post", "7"), ("user", "8"))),
        V2Call("POST", "/2/users/1/likes", 403, 1.0, "like"),
    ]
    cost = Pricer(get_plan("pay-per-use")).price(calls, owner="1")
    path = tmp_path / "audit.jsonl"
    AuditLog(path).record(
        endpoint="favorites/create",
        params={"id": "7"},
        caller=None,
        outcome=None,
        error=api_error_for(403, {"title": "Forbidden"}),
        latency_ms=1,
        calls=calls,
        cost=cost,
    )
    (line,) = read(path)
    # the lookup succeeded and is billed ($0.005 + $0.010); the refused like costs nothing
    assert line["cost"]["usd"] == 0.015  # type: ignore[index]
    assert line["cost"]["writes"] == []  # type: ignore[index]
    assert [sorted(r) for r in line["v2_requests"]] == [  # type: ignore[union-attr]
        ["endpoint", "method", "ms", "path", "posts", "status", "users"],
        ["endpoint", "method", "ms", "path", "status"],
    ]


def test_an_outcome_without_a_cost_writes_none(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "audit.jsonl"
    write_many(str(path), "bot", 1)
    (line,) = read(path)
    assert "cost" not in line


def test_a_huge_server_message_is_cut_in_the_line(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "audit.jsonl"
    error = ServerError("x" * 2_000_000, status=500)
    AuditLog(path).record(
        endpoint="favorites/list",
        params={},
        caller=None,
        outcome=None,
        error=error,
        latency_ms=1.0,
    )
    line = json.loads(path.read_text())
    assert len(line["error"]["message"]) < MESSAGE_LIMIT + 40
    assert line["error"]["message"].endswith("[cut: 2000000 characters in all]")


def test_an_id_with_a_lone_surrogate_still_digests() -> None:
    assert len(resource_digest("post", "12\ud800")) == 16


def _write_one(path: pathlib.Path) -> None:
    AuditLog(path).record(
        endpoint="favorites/list", params={}, caller=None, outcome=None, error=None, latency_ms=1
    )


def test_the_log_never_follows_a_planted_symlink(tmp_path: pathlib.Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("precious\n")
    link = tmp_path / "audit.jsonl"
    link.symlink_to(target)
    _write_one(link)  # never raises: the line is dropped and a warning logged once
    assert target.read_text() == "precious\n"


def test_a_fifo_as_the_log_path_does_not_hang_the_call(tmp_path: pathlib.Path) -> None:
    fifo = tmp_path / "audit.jsonl"
    os.mkfifo(fifo)
    done = threading.Event()
    worker = threading.Thread(target=lambda: (_write_one(fifo), done.set()), daemon=True)
    worker.start()
    worker.join(120)  # a hang guard only: a working build returns at once
    assert done.is_set()
