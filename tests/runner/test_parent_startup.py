"""``compat run`` itself checks the configuration and waits: it loads no HTTP stack (the shim
is imported in the program's process), so the command adds little to a program's start-up
(issue 17, part 5; the figure: ``python -m benchmarks --sections 6``)."""

from __future__ import annotations

import subprocess
import sys

import pytest
import requests

import compat
from compat import _settings
from tests._support.runner import clean_env

CREDENTIALS = {
    "X_CONSUMER_KEY": "ck",
    "X_CONSUMER_SECRET": "cs",
    "X_ACCESS_TOKEN": "12-token",
    "X_ACCESS_TOKEN_SECRET": "ts",
}
HEAVY = ("requests", "urllib3", "jsonschema", "oauthlib", "compat.transport", "compat.patch")


def imported_by_the_command(*args: str) -> set[str]:
    """The modules the ``compat`` process itself imports (``-X importtime`` is not passed
    on to the program it starts)."""
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "compat", *args],
        env=clean_env(CREDENTIALS),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    lines = [line for line in run.stderr.splitlines() if line.startswith("import time:")]
    names = {line.rsplit("|", 1)[1].strip() for line in lines}
    assert "compat._settings" in names  # the configuration was checked in this process
    return names


def test_compat_run_checks_the_configuration_without_loading_the_http_stack() -> None:
    program = "import requests, compat.patch as p, sys; sys.exit(0 if p.installed() else 3)"
    names = imported_by_the_command("run", "--", sys.executable, "-c", program)
    assert not names & set(HEAVY), sorted(names & set(HEAVY))


def test_a_bad_setting_still_stops_the_command_before_the_program() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "compat", "run", "--", sys.executable, "-c", "print('ran')"],
        env=clean_env({**CREDENTIALS, "COMPAT_POST_CACHE_TTL": "-1"}),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 2 and "ran" not in run.stdout
    assert "$COMPAT_POST_CACHE_TTL: post_cache_ttl must be" in run.stderr


def test_objects_given_as_options_are_still_recognised_and_others_refused() -> None:
    session, memo, retry = requests.Session(), compat.PageMemo(), compat.RetryPolicy()
    settings = _settings.resolve(
        {"session": session, "memo": memo, "retry": retry}, door="install", layered=False
    )
    assert (settings.session, settings.memo, settings.retry) == (session, memo, retry)
    client = compat.LikesClient(compat.Credentials("ck", "cs", "12-token", "ts"))
    chosen = _settings.resolve({"backend": client}, door="install", environ={}, layered=False)
    assert chosen.backend is client
    with pytest.raises(compat.ConfigurationError, match=r"session must be .*requests\.Session"):
        _settings.resolve({"session": "a session"}, door="install", layered=False)
