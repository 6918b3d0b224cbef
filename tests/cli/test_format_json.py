"""``--format json`` wherever a command prints a report: ``demo``, ``emulator`` (its banner),
``audit``, ``doctor`` (``--json`` kept as its alias), ``gateway link``. ``run`` prints no report
of its own (stdout is the program's): it has no ``--format`` and writes JSON with
``--emulator-state`` instead."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from requests_oauthlib import OAuth1

from compat.emulator import Emulator
from tests._support import ROOT
from tests._support.cli import LEGACY_CODE, invoke


def test_demo_report_is_the_run_the_text_shows() -> None:
    text = invoke(["demo", "--likes", "3"])
    ran = invoke(["demo", "--likes", "3", "--format", "json"])
    assert ran.status == text.status == 0
    report = json.loads(ran.out)  # stdout is the one JSON document
    assert report["version"] == 1 and report["plan"]["name"] == "enterprise"
    calls = [step["call"] for step in report["steps"]]
    assert calls == [line[4:] for line in text.out.splitlines() if line.startswith(">>> ")]
    requests_shown = [
        line
        for line in text.out.splitlines()
        if line.startswith("    v2 ") and not line.startswith("    v2 requests: none")
    ]
    assert (
        report["v2_requests"]
        == len(requests_shown)
        == sum(len(step["v2_requests"]) for step in report["steps"])
    )
    bad = next(step for step in report["steps"] if "bad input" in step["call"])
    assert bad["error"]["type"] == "InvalidParameter" and bad["v2_requests"] == []
    assert report["cost"]["plan"] == "pay-per-use"


def test_demo_on_pay_per_use_marks_likes_enterprise_only() -> None:
    report = json.loads(
        invoke(["demo", "--likes", "0", "--plan", "pay-per-use", "-q", "--format", "json"]).out
    )
    assert report["cost"]["enterprise_only"]  # the likes requests that plan does not offer
    refused = [s for s in report["steps"] if s["call"].startswith("favorites_create(")]
    assert refused[0]["error"]["type"]


def test_doctor_format_json_and_its_json_alias() -> None:
    ran = invoke(["doctor", "--emulator", "--format", "json"])
    alias = invoke(["doctor", "--emulator", "--json"])
    assert ran.status == alias.status == 0
    a, b = json.loads(ran.out), json.loads(alias.out)
    assert a.keys() == b.keys() and a["exit_status"] == 0
    assert [r["call"] for r in a["calls"]] == [r["call"] for r in b["calls"]]
    assert {r["call"] for r in a["calls"]} >= {"favorites/create", "favorites/list"}


def test_gateway_link_format_json(monkeypatch: pytest.MonkeyPatch) -> None:
    with Emulator() as emu:
        monkeypatch.setenv("COMPAT_GATEWAY_URL", emu.base_url + "/apis/v1")
        monkeypatch.setenv("COMPAT_GATEWAY_API_KEY", emu.gateway_key(linked=False))
        ran = invoke(["gateway", "link", "--format", "json"])
        alias = invoke(["gateway", "link", "--json"])
    assert ran.status == alias.status == 0
    doc = json.loads(ran.out)
    assert doc["auth_url"].startswith("http") and json.loads(alias.out).keys() == doc.keys()


def test_audit_format_json(tmp_path: Path) -> None:
    legacy = tmp_path / "legacy.py"
    legacy.write_text(LEGACY_CODE, encoding="utf-8")
    ran = invoke(["audit", "--format", "json", str(legacy)])
    assert ran.status == 1 and json.loads(ran.out)


def test_emulator_banner_as_json_serves_with_its_credentials() -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "compat", "emulator", "--format", "json", "--likes", "3"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    ) as proc:
        assert proc.stdout is not None
        banner = json.loads(proc.stdout.readline())
        env = banner["env"]
        auth = OAuth1(
            env["X_CONSUMER_KEY"],
            env["X_CONSUMER_SECRET"],
            env["X_ACCESS_TOKEN"],
            env["X_ACCESS_TOKEN_SECRET"],
        )
        url = f"{banner['base_url']}/2/users/{banner['user']['id']}/liked_tweets"
        with requests.Session() as session:
            page = session.get(url, auth=auth, timeout=10)
        proc.send_signal(signal.SIGINT)
        out, _err = proc.communicate(timeout=20)
    assert proc.returncode == 0
    assert page.status_code == 200 and len(page.json()["data"]) >= 3
    assert env["COMPAT_API_BASE"] == banner["base_url"] and banner["synthetic_likes"] == 3
    assert out == ""  # stdout held only the banner


def test_run_has_no_report_and_writes_its_json_with_emulator_state(tmp_path: Path) -> None:
    assert invoke(["run", "--format", "json", "--", sys.executable, "-c", "pass"]).status == 2
    state = tmp_path / "state.json"
    ran = invoke(
        ["run", "--emulator", "--emulator-state", str(state), "--", sys.executable, "-c", "pass"]
    )
    assert ran.status == 0 and isinstance(json.loads(state.read_text()), dict)
