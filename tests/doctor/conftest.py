"""Fixtures for ``compat doctor``: a clean environment, the emulator's keys in it, stdin.

The doctor reads the process environment (through compat._settings), so each test starts with
every variable compat reads removed, then sets what it needs with ``monkeypatch``.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from compat import _environment
from compat.cli import main
from compat.credentials import Credentials
from compat.emulator import Emulator


class Terminal(io.StringIO):
    """A stdin that is a terminal, with the answer the user types."""

    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for row in _environment.table():
        monkeypatch.delenv(row.name, raising=False)
    # pytest's stdin is no terminal, as under CI: say so explicitly
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))


@pytest.fixture
def export(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """``export(creds, prefix="X_")``: put ``creds`` in the environment as one family."""

    def put(creds: Credentials, prefix: str = "X_") -> None:
        if creds.kind == "oauth2":
            assert creds.bearer_token is not None
            monkeypatch.setenv(f"{prefix}USER_ACCESS_TOKEN", creds.bearer_token)
            return
        assert creds.consumer_key and creds.consumer_secret
        assert creds.access_token and creds.access_token_secret
        monkeypatch.setenv(f"{prefix}CONSUMER_KEY", creds.consumer_key)
        monkeypatch.setenv(f"{prefix}CONSUMER_SECRET", creds.consumer_secret)
        monkeypatch.setenv(f"{prefix}ACCESS_TOKEN", creds.access_token)
        monkeypatch.setenv(f"{prefix}ACCESS_TOKEN_SECRET", creds.access_token_secret)

    return put


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """``terminal("y\\n")``: stdin becomes a terminal where the user types that."""

    def typed(text: str) -> None:
        monkeypatch.setattr(sys, "stdin", Terminal(text))

    return typed


@pytest.fixture
def emulator_for() -> Iterator[Callable[..., Emulator]]:
    """Start an emulator with the given keywords (plan=…); stopped after the test."""
    started: list[Emulator] = []

    def start(**kwargs: Any) -> Emulator:
        emu = Emulator(likes=30, **kwargs).start()
        started.append(emu)
        return emu

    yield start
    for emu in started:
        emu.stop()


class Run:
    """One ``compat doctor`` run in this process: exit status, stdout, stderr, JSON."""

    def __init__(self, status: int, out: str, err: str) -> None:
        self.status = status
        self.out = out
        self.err = err

    @property
    def report(self) -> dict[str, Any]:
        loaded = json.loads(self.out)
        assert isinstance(loaded, dict)
        return loaded

    def row(self, call: str) -> dict[str, Any]:
        return next(r for r in self.report["calls"] if r["call"] == call)

    def probe(self, name: str) -> dict[str, Any]:
        return next(p for p in self.report["probes"] if p["name"] == name)


@pytest.fixture
def doctor(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """``doctor(*args)``: ``compat doctor ARGS`` through ``compat.cli.main``."""

    def run(*args: str) -> Run:
        capsys.readouterr()
        status = main(["doctor", *args])
        captured = capsys.readouterr()
        return Run(status, captured.out, captured.err)

    return run
