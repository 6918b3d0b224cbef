"""The gateway section of ``compat doctor``: whether the key is accepted (one posts read, with
consent), the link only with ``--probe-write``, listing only with X user-context keys."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from typing import Any

import pytest

from compat.cli import main
from compat.emulator import Emulator

POST_NOT_LIKED = "1293593516040269825"


@pytest.fixture
def doctor(
    emu: Emulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., tuple[int, dict[str, Any], str]]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # no terminal: consent only by --yes

    def run(
        *args: str, key: str | None = None, x_keys: bool = False
    ) -> tuple[int, dict[str, Any], str]:
        monkeypatch.setenv("COMPAT_BACKEND", "gateway")
        monkeypatch.setenv("COMPAT_GATEWAY_URL", emu.base_url + "/apis/v1")
        monkeypatch.setenv("COMPAT_GATEWAY_API_KEY", key or emu.gateway_key())
        monkeypatch.setenv("COMPAT_API_BASE", emu.base_url)
        if x_keys:
            c = emu.credentials
            monkeypatch.setenv("X_CONSUMER_KEY", str(c.consumer_key))
            monkeypatch.setenv("X_CONSUMER_SECRET", str(c.consumer_secret))
            monkeypatch.setenv("X_ACCESS_TOKEN", str(c.access_token))
            monkeypatch.setenv("X_ACCESS_TOKEN_SECRET", str(c.access_token_secret))
        capsys.readouterr()
        emu.clear_requests()
        status = main(["doctor", *args, "--json"])
        out = capsys.readouterr().out
        return status, json.loads(out), out

    return run


def rows(report: dict[str, Any]) -> dict[str, tuple[bool, bool]]:
    return {r["call"]: (r["can"], r["checked"]) for r in report["calls"]}


def test_the_key_is_checked_with_one_read_and_listing_needs_x_keys(
    emu: Emulator, doctor: Callable[..., Any]
) -> None:
    status, report, out = doctor("--yes")
    gateway = report["gateway"]
    assert gateway["key_accepted"] is True and gateway["writes"] is None
    assert "only a write shows" in gateway["answer"]
    assert [(r.endpoint, r.status) for r in emu.requests] == [("gateway_tweets", 200)]
    assert rows(report) == {
        "favorites/create": (True, False),
        "favorites/destroy": (True, False),
        "favorites/list": (False, False),
    }
    listing = next(r for r in report["calls"] if r["call"] == "favorites/list")
    assert "user-context" in listing["why"] and "X_CONSUMER_KEY" in listing["why"]
    assert "post read through the gateway" in report["calls"][0]["price"]
    assert status == 1
    assert emu.gateway_key() not in out


def test_a_rejected_key_is_reported_and_no_write_is_tried(
    emu: Emulator, doctor: Callable[..., Any]
) -> None:
    status, report, out = doctor("--yes", "--probe-write", POST_NOT_LIKED, key="gw-not-issued")
    assert report["gateway"]["key_accepted"] is False
    assert rows(report)["favorites/create"] == (False, True)
    assert [r.endpoint for r in emu.requests] == ["gateway_tweets"]
    assert status == 1 and "gw-not-issued" not in out


def test_the_write_probe_shows_the_link(emu: Emulator, doctor: Callable[..., Any]) -> None:
    _status, linked, _out = doctor("--yes", "--probe-write", POST_NOT_LIKED)
    assert linked["gateway"]["writes"] is True
    assert "an X account is linked" in linked["gateway"]["answer"]
    assert [r.endpoint for r in emu.requests] == ["gateway_tweets", "gateway_unlike"]
    _status, unlinked, _out = doctor(
        "--yes", "--probe-write", POST_NOT_LIKED, key=emu.gateway_key(linked=False)
    )
    assert unlinked["gateway"]["key_accepted"] is True
    assert unlinked["gateway"]["writes"] is False
    create = next(r for r in unlinked["calls"] if r["call"] == "favorites/create")
    assert create["can"] is False and "compat gateway link" in create["why"]


def test_with_x_keys_listing_is_checked_through_x(
    emu: Emulator, doctor: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPAT_GATEWAY_TIER", "free")
    status, report, _out = doctor("--yes", "--probe-write", POST_NOT_LIKED, x_keys=True)
    assert rows(report)["favorites/list"] == (True, True)
    assert report["gateway"]["lists_with"] == "X user-context credentials"
    assert (report["gateway"]["tier"], report["gateway"]["requests_per_minute"]) == ("free", 60)
    endpoints = [r.endpoint for r in emu.requests]
    assert endpoints == ["users_me", "liked_tweets", "gateway_tweets", "gateway_unlike"]
    assert status == 0


def test_without_consent_nothing_is_sent(emu: Emulator, doctor: Callable[..., Any]) -> None:
    _status, report, _out = doctor()
    assert emu.requests == []
    assert report["gateway"]["key_accepted"] is None
    assert "not checked" in report["gateway"]["answer"]


def test_the_text_report_names_the_tier(
    emu: Emulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COMPAT_BACKEND", "gateway")
    monkeypatch.setenv("COMPAT_GATEWAY_URL", emu.base_url + "/apis/v1")
    monkeypatch.setenv("COMPAT_GATEWAY_API_KEY", emu.gateway_key())
    monkeypatch.setenv("COMPAT_GATEWAY_TIER", "growth")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    main(["doctor", "--yes"])
    out = capsys.readouterr().out
    assert "tier growth: 3000 requests per minute per key" in out
    assert "the gateway accepted the API key" in out


def test_the_write_probe_never_unlikes_a_post_you_liked(
    emu: Emulator, doctor: Callable[..., Any]
) -> None:
    liked = emu.state.liked(emu.user_id)[0]  # the newest like: on the listing probe's page
    _status, report, _out = doctor("--yes", "--probe-write", liked, x_keys=True)
    assert "gateway_unlike" not in [r.endpoint for r in emu.requests]
    assert emu.state.is_liked(emu.user_id, liked)
    probe = next(p for p in report["probes"] if p["name"] == "gateway unlike")
    assert "among your likes" in probe["outcome"]
