"""``compat emulator`` as a real subprocess: base URL first, serves, exits 0 on a signal."""

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

from compat._plans import plans
from compat.emulator import Dataset
from tests._support import ROOT
from tests._support.failure_bodies import CLIENT_NOT_ENROLLED_NO_TYPE


def start(*args: str) -> tuple[subprocess.Popen[str], str, dict[str, str]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "compat.cli", "emulator", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert first.startswith("compat emulator listening on http://"), first
    base_url = first.rsplit(" ", 1)[1].strip()
    env: dict[str, str] = {}
    for line in iter(proc.stdout.readline, ""):
        if line.startswith("export "):
            name, _, value = line[len("export ") :].strip().partition("=")
            env[name] = value
        if line.startswith("# Ctrl-C"):
            break
    return proc, base_url, env


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serves_with_the_printed_credentials_and_stops_on_signal(sig: int) -> None:
    proc, base_url, env = start("--port", "0", "--likes", "25")
    try:
        assert base_url.startswith("http://127.0.0.1:")
        assert env["COMPAT_API_BASE"] == base_url
        auth = OAuth1(
            env["X_CONSUMER_KEY"],
            env["X_CONSUMER_SECRET"],
            env["X_ACCESS_TOKEN"],
            env["X_ACCESS_TOKEN_SECRET"],
        )
        uid = env["X_ACCESS_TOKEN"].split("-")[0]
        with requests.Session() as s:
            page = s.get(f"{base_url}/2/users/{uid}/liked_tweets", auth=auth, timeout=10)
        assert page.status_code == 200
        assert page.json()["meta"]["result_count"] == 25
        proc.send_signal(sig)
        out, _err = proc.communicate(timeout=15)
        assert proc.returncode == 0
        assert "stopped" in out
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=10)


def test_dataset_option_loads_a_file(tmp_path: Path) -> None:
    doc = Dataset.default().to_dict()
    doc["users"][0]["name"] = "Renamed In File"
    path = tmp_path / "world.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    proc, base_url, env = start("--dataset", str(path))
    try:
        auth = OAuth1(
            env["X_CONSUMER_KEY"],
            env["X_CONSUMER_SECRET"],
            env["X_ACCESS_TOKEN"],
            env["X_ACCESS_TOKEN_SECRET"],
        )
        with requests.Session() as s:
            me = s.get(f"{base_url}/2/users/me", auth=auth, timeout=10).json()
        assert me["data"]["name"] == "Renamed In File"
    finally:
        proc.terminate()
        proc.communicate(timeout=15)
    assert proc.returncode == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--dataset", "/nonexistent/world.json"], "cannot read dataset"),
        (["--likes", "-3"], "must be >= 0"),
        (["--port", "70000"], "between 0 and 65535"),
        (["--host", ""], "--host must be a non-empty host name or address"),
        (["--plan", "basic"], "--plan must be one of enterprise, pay-per-use"),
    ],
)
def test_bad_options_exit_2_with_a_message(args: list[str], message: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "compat.cli", "emulator", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2
    assert message in done.stderr


def test_registered_in_the_compat_parser() -> None:
    from compat.cli import build_parser

    args = build_parser().parse_args(["emulator", "--port", "0"])
    assert args.host == "127.0.0.1" and args.port == 0 and args.likes == 0
    assert callable(args.func)


def test_fake_clock_and_no_rate_limits_options() -> None:
    proc, base_url, _env = start("--fake-clock", "--no-rate-limits")
    try:
        with requests.Session() as s:
            moved = s.post(f"{base_url}/_emulator/clock", json={"advance": 60}, timeout=10)
            state = s.get(f"{base_url}/_emulator/state", timeout=10).json()
        assert moved.status_code == 200
        assert state["rate_limits"]["lifted"] is True
        assert state["clock"] == moved.json()["time"]
    finally:
        proc.terminate()
        proc.communicate(timeout=15)
    assert proc.returncode == 0


def test_plan_option_serves_that_plan() -> None:
    proc, base_url, env = start("--plan", "pay-per-use")
    try:
        auth = OAuth1(
            env["X_CONSUMER_KEY"],
            env["X_CONSUMER_SECRET"],
            env["X_ACCESS_TOKEN"],
            env["X_ACCESS_TOKEN_SECRET"],
        )
        uid = env["X_ACCESS_TOKEN"].split("-")[0]
        with requests.Session() as s:
            like = s.post(
                f"{base_url}/2/users/{uid}/likes", json={"tweet_id": "20"}, auth=auth, timeout=10
            )
            state = s.get(f"{base_url}/_emulator/state", timeout=10).json()
        assert (like.status_code, like.json()) == CLIENT_NOT_ENROLLED_NO_TYPE
        assert state["plan"] == "pay-per-use"
        assert state["usage_cap"]["limit"] == plans()["pay-per-use"].monthly_post_cap
    finally:
        proc.terminate()
        proc.communicate(timeout=15)
    assert proc.returncode == 0


def test_banner_names_the_plan_and_what_it_does_not_offer() -> None:
    done = subprocess.Popen(
        [sys.executable, "-m", "compat.cli", "emulator", "--plan", "pay-per-use"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert done.stdout is not None
        lines = [done.stdout.readline() for _ in range(12)]
    finally:
        done.terminate()
        done.communicate(timeout=15)
    [plan_line] = [line for line in lines if line.startswith("# plan ")]
    assert plan_line.startswith("# plan pay-per-use: ")
    assert plan_line.rstrip().endswith("not offered: like, unlike")
