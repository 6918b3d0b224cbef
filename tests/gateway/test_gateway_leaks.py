"""The gateway API key never shows: not in a repr, an error (message, v1.1 body, attached
requests), a log record at DEBUG, an audit line, the output of ``compat gateway link``, nor
the locals of any frame of a failing call's traceback (what Sentry-style reporters record)."""

from __future__ import annotations

import logging
import pathlib
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Any

import pytest
import requests
import tweepy

import compat
from compat import Favorites
from compat import patch as compat_patch
from compat.cli import main
from compat.emulator import Emulator
from compat.gateway import GatewayAuth, GatewayClient
from tests._support.leaks import BEARER_HEADER, all_secrets, leaks

pytestmark = pytest.mark.filterwarnings("ignore::compat.warnings.LegacyFavoritesWarning")

POST = "1626194750222094336"
UNREACHABLE = "http://127.0.0.1:9/apis/v1"
LEGACY_KEYS = ("legacy-ck", "legacy-cs", "1072250532645998596-legacy", "legacy-ts")
TESTS = pathlib.Path(__file__).resolve().parents[1]


@pytest.fixture
def secrets(emu: Emulator) -> list[str]:
    keys = [emu.gateway_key(write=w, linked=link) for w in (True, False) for link in (True, False)]
    return sorted({*all_secrets(emu), *keys})


@pytest.fixture(autouse=True)
def _uninstall() -> Iterator[None]:
    yield
    compat_patch.uninstall()


def chain(error: BaseException) -> list[BaseException]:
    found: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and all(current is not e for e in found):
        found.append(current)
        current = current.__cause__ if current.__suppress_context__ else current.__context__
    return found


def frames(tb: TracebackType | None) -> Iterator[tuple[str, dict[str, object]]]:
    while tb is not None:
        yield tb.tb_frame.f_code.co_filename, dict(tb.tb_frame.f_locals)
        tb = tb.tb_next


def recorded(error: BaseException) -> tuple[str, int]:
    """What a reporter records of ``error`` outside the tests' own frames, and how many
    locals that was."""
    seen: list[str] = []
    count = 0
    for exc in chain(error):
        seen.append(f"{exc!s} {exc!r}")
        for filename, variables in frames(exc.__traceback__):
            if pathlib.Path(filename).resolve().is_relative_to(TESTS):
                continue
            for name, value in variables.items():
                seen.append(f"{filename} {name}={value!r}")
                count += 1
        if isinstance(exc, compat.CompatError):
            seen.append(repr(getattr(exc, "v1_body", None)))
            for holder in (exc, exc.response):
                request = getattr(holder, "request", None)
                if isinstance(request, requests.PreparedRequest):
                    assert request.headers.get("Authorization") == "[redacted by compat]"
                    seen.append(f"{dict(request.headers)!r} {request.body!r}")
    return "\n".join(seen), count


def failing(emu: Emulator, options: Callable[..., dict[str, Any]]) -> dict[str, Callable[[], Any]]:
    def drop_in(**kw: Any) -> Callable[[], Any]:
        return lambda: Favorites(**options(**kw)).create(POST)

    def fault(code: str, **kw: Any) -> Callable[[], Any]:
        def run() -> Any:
            emu.gateway.inject("gateway_like", code, times=3)
            return Favorites(**options(**kw)).create(POST)

        return run

    def tweepy_forbidden() -> Any:
        compat.install(**options(write=False))
        return tweepy.API(tweepy.OAuth1UserHandler(*LEGACY_KEYS)).create_favorite(POST)

    return {
        "forbidden": drop_in(write=False),
        "unlinked": drop_in(linked=False),
        "invalid_api_key": fault("invalid_api_key"),
        "rate_limit_exceeded": fault("rate_limit_exceeded"),
        "quota_exceeded": fault("quota_exceeded"),
        "upstream_unavailable": fault("upstream_unavailable"),
        "unreachable": drop_in(gateway_url=UNREACHABLE),
        "listing without X keys": lambda: Favorites(**options()).list(),
        "bad route": lambda: GatewayClient(emu.gateway_key(), like_route="nope"),
        "link scopes": lambda: GatewayClient(emu.gateway_key()).link(["bogus"]),
        "tweepy forbidden": tweepy_forbidden,
    }


@pytest.mark.parametrize(
    "scenario",
    [
        "forbidden",
        "unlinked",
        "invalid_api_key",
        "rate_limit_exceeded",
        "quota_exceeded",
        "upstream_unavailable",
        "unreachable",
        "listing without X keys",
        "bad route",
        "link scopes",
        "tweepy forbidden",
    ],
)
def test_no_key_in_errors_tracebacks_or_debug_logs(
    emu: Emulator,
    gateway_options: Callable[..., dict[str, Any]],
    secrets: list[str],
    caplog: pytest.LogCaptureFixture,
    scenario: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(Exception) as info:  # each scenario fails its own way
        failing(emu, gateway_options)[scenario]()
    text, count = recorded(info.value)
    assert count >= (1 if scenario in ("bad route", "link scopes") else 3)
    assert leaks(text, secrets) == []
    logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    # the legacy program's own request is signed and logged by requests-oauthlib as before
    # (README "Secrets in tracebacks and logs"): only compat's secrets are looked for there
    assert [s for s in secrets if s in logged] == []
    assert BEARER_HEADER.findall(logged) == []


def test_no_key_in_reprs_audit_lines_or_the_link_command(
    emu: Emulator,
    gateway_options: Callable[..., dict[str, Any]],
    secrets: list[str],
    tmp_path: pathlib.Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    key = emu.gateway_key()
    favorites = Favorites(**gateway_options(audit_log=str(tmp_path / "a.jsonl")))
    favorites.create(POST)
    favorites.destroy(POST)
    emu.gateway.inject("gateway_like", "insufficient_permissions")
    with pytest.raises(compat.Forbidden):
        favorites.create(POST)
    shown = [
        repr(favorites),
        repr(favorites.settings),
        repr(favorites.backend),
        repr(GatewayAuth(key)),
        (tmp_path / "a.jsonl").read_text(encoding="utf-8"),
    ]
    monkeypatch.setenv("COMPAT_GATEWAY_URL", emu.base_url + "/apis/v1")
    for chosen in (key, "gw-rw-0123456789abcdef-not-issued"):
        monkeypatch.setenv("COMPAT_GATEWAY_API_KEY", chosen)
        main(["gateway", "link", "--json"])
        out, err = capsys.readouterr()
        shown.append(out + err)
        assert chosen not in out + err
    assert leaks("\n".join(shown), secrets) == []
    assert "'***'" in repr(favorites.backend) and "'***'" in repr(favorites.settings)
