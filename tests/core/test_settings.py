"""One Settings value: every way in checks its options the same way, at the call that got them."""

from __future__ import annotations

import pathlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

import compat
from compat import _settings, cli
from compat import patch as compat_patch
from compat.adapter import LegacyAdapter
from compat.emulator import Emulator
from compat.gateway import GatewayClient

POST = "1626194750222094336"

#: (options, the words the error must contain: the option and what it accepts)
BAD_OPTIONS: list[tuple[dict[str, Any], tuple[str, ...]]] = [
    ({"tiemout": 3}, ("unknown option 'tiemout'", "did you mean 'timeout'")),
    ({"timeout": -1}, ("timeout must be", "> 0")),
    ({"timeout": (5, "30")}, ("timeout must be",)),
    ({"timeout": True}, ("timeout must be",)),
    ({"proxies": "http://proxy:3128"}, ("proxies must be", "mapping")),
    ({"api_base": "http://"}, ("api_base must be", "with a host")),
    ({"api_base": "ftp://nowhere"}, ("api_base must be", "http(s)")),
    ({"api_base": "http://127.0.0.1:99999"}, ("api_base must be",)),
    ({"api_base": "http://127.0.0.1:port"}, ("api_base must be",)),
    ({"audit_log": 42}, ("audit_log must be", "file path")),
    ({"memo_path": ["a"]}, ("memo_path must be", "file path")),
    ({"backend": "carrier-pigeon"}, ("backend must be", "'x', 'gateway'")),
    ({"validation": "loud"}, ("validation must be", "'strict', 'warn', 'off'")),
    ({"filter_pages": 0}, ("filter_pages must be", "from 1")),
    ({"lookup": "yes"}, ("lookup must be", "True, False or 'auto'")),
    ({"post_cache_ttl": 90_000}, ("post_cache_ttl must be", "86400 (24 hours)")),
    ({"post_cache_size": 0}, ("post_cache_size must be", "from 1 to 1000000")),
    ({"unserved": "maybe"}, ("unserved must be", "'pass' or 'error'")),
    ({"retry": 3}, ("retry must be", "RetryPolicy")),
    ({"memo": {}}, ("memo must be", "compat.PageMemo")),
    ({"gateway_source": 5}, ("gateway_source must be", "compat.LikesBackend")),
    ({"credentials": "ck:cs"}, ("credentials must be", "compat.Credentials")),
    ({"backend": "gateway"}, ("backend 'gateway' needs an API key", "COMPAT_GATEWAY_API_KEY")),
    ({"gateway_like_route": "no-slash"}, ("gateway_like_route must be", "a path like")),
]
IDS = [next(iter(o)) + "=" + repr(next(iter(o.values())))[:20] for o, _ in BAD_OPTIONS]


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator() as emulator:
        yield emulator


@pytest.fixture
def no_env_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for row in compat._environment.table():
        monkeypatch.delenv(row.name, raising=False)


def _doors(emu: Emulator) -> dict[str, Callable[[dict[str, Any]], object]]:
    creds = {"credentials": emu.credentials}

    def with_creds(options: dict[str, Any]) -> dict[str, Any]:
        return {**creds, **options} if "credentials" not in options else options

    return {
        "install": lambda o: compat.install(**with_creds(o)),
        "configure": lambda o: compat.configure(**with_creds(o)),
        "Favorites": lambda o: compat.Favorites(**with_creds(o)),
        "mount": lambda o: compat.mount(requests.Session(), **with_creds(o)),
        "LegacyAdapter": lambda o: LegacyAdapter(**with_creds(o)),
        "patched": lambda o: compat.patched(**with_creds(o)).__enter__(),
    }


@pytest.mark.parametrize(("options", "words"), BAD_OPTIONS, ids=IDS)
@pytest.mark.parametrize(
    "door", ["install", "configure", "Favorites", "mount", "LegacyAdapter", "patched"]
)
def test_each_door_refuses_a_bad_option_with_a_configuration_error(
    emu: Emulator,
    no_env_credentials: None,
    door: str,
    options: dict[str, Any],
    words: tuple[str, ...],
) -> None:
    before = _settings.configured_overlay()
    emu.clear_requests()
    with pytest.raises(compat.ConfigurationError) as info:
        _doors(emu)[door](options)
    message = str(info.value)
    shown = "install" if door == "patched" else door  # patched() is install() for a block
    assert message.startswith(f"{shown}():"), message
    for word in words:
        assert word in message, message
    assert not compat_patch.installed()
    assert _settings.configured_overlay() == before  # configure() changed nothing
    assert emu.requests == []  # and nothing was sent


RUN_CASES = [
    ({"COMPAT_API_BASE": "http://"}, [], "$COMPAT_API_BASE: api_base must be"),
    ({"COMPAT_API_BASE": "http://127.0.0.1:99999"}, [], "$COMPAT_API_BASE: api_base must be"),
    ({"COMPAT_BACKEND": "carrier-pigeon"}, [], "$COMPAT_BACKEND: backend must be"),
    ({"COMPAT_GATEWAY_USER_ID": "me"}, [], "$COMPAT_GATEWAY_USER_ID: gateway_user_id must be"),
    ({}, ["--api-base", "ftp://nowhere"], "compat run: api_base must be"),
]


@pytest.mark.parametrize(("env", "flags", "words"), RUN_CASES)
def test_compat_run_refuses_a_bad_setting_before_the_program_starts(
    emu: Emulator,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    tmp_path: pathlib.Path,
    env: dict[str, str],
    flags: list[str],
    words: str,
) -> None:
    """compat run takes its settings from flags and the environment: a bad value in either
    stops with exit 2 and a message naming it, and the program never runs."""
    creds = emu.credentials
    monkeypatch.setenv("X_CONSUMER_KEY", str(creds.consumer_key))
    monkeypatch.setenv("X_CONSUMER_SECRET", str(creds.consumer_secret))
    monkeypatch.setenv("X_ACCESS_TOKEN", str(creds.access_token))
    monkeypatch.setenv("X_ACCESS_TOKEN_SECRET", str(creds.access_token_secret))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    marker = tmp_path / "ran"
    bot = tmp_path / "bot.py"
    bot.write_text(f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8")
    assert cli.main(["run", *flags, "--", "python", str(bot)]) == 2
    assert words in capfd.readouterr().err
    assert not marker.exists()


def test_compat_run_gateway_without_a_key_does_not_start(
    no_env_credentials: None, capfd: pytest.CaptureFixture[str], tmp_path: pathlib.Path
) -> None:
    marker = tmp_path / "ran"
    bot = tmp_path / "bot.py"
    bot.write_text(f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8")
    assert cli.main(["run", "--backend", "gateway", "--", "python", str(bot)]) == 2
    assert "needs an API key" in capfd.readouterr().err
    assert not marker.exists()


def test_a_bad_environment_value_names_the_variable(
    emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPAT_BACKEND", "carrier-pigeon")
    with pytest.raises(compat.ConfigurationError, match=r"\$COMPAT_BACKEND: backend must be"):
        compat.install(emu.credentials, api_base=emu.base_url)
    monkeypatch.setenv("COMPAT_BACKEND", "x")
    monkeypatch.setenv("COMPAT_API_BASE", "not a url")
    with pytest.raises(compat.ConfigurationError, match=r"\$COMPAT_API_BASE: api_base"):
        compat.Favorites(emu.credentials)


def test_a_backend_object_with_credentials_is_an_impossible_combination(emu: Emulator) -> None:
    gateway = GatewayClient("key", base_url=emu.base_url + "/apis/v1")
    for door in (compat.install, compat.Favorites):
        with pytest.raises(compat.ConfigurationError, match="either backend=") as info:
            door(emu.credentials, backend=gateway)
        assert "credentials" in str(info.value)


def test_secrets_in_a_bad_option_are_not_echoed() -> None:
    with pytest.raises(compat.ConfigurationError) as info:
        compat.Favorites(backend="gateway", gateway_api_key=12345)
    assert "12345" not in str(info.value)


def test_gateway_doors_agree_without_credentials(
    emu: Emulator, no_env_credentials: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """install, mount and Favorites all serve the gateway without X credentials of their own
    (before, mount() refused what install() accepted)."""
    monkeypatch.setenv("COMPAT_GATEWAY_URL", emu.base_url + "/apis/v1")
    monkeypatch.setenv("COMPAT_GATEWAY_API_KEY", emu.gateway_key())
    session = requests.Session()
    adapter = compat.mount(session, backend="gateway")
    assert adapter.any_signer
    with compat.install(backend="gateway") as handle:
        assert handle.adapter.any_signer
    assert compat.Favorites(backend="gateway").create(POST, lookup=False)["favorited"] is True
    with pytest.raises(compat.ConfigurationError, match="no credentials"):
        compat.install()  # the X backend does need them


def test_configure_layers_and_restores_exactly(emu: Emulator) -> None:
    """The README's example: process-wide credentials, then a block that changes the base
    URL and the validation mode on top of them."""
    outer = compat.configure(credentials=emu.credentials, api_base="http://127.0.0.1:9")
    with compat.configure(api_base=emu.base_url, validation="warn"):
        assert compat.favorites_create(POST)["favorited"] is True
        assert _settings.configured_overlay()["validation"] == "warn"
    overlay = _settings.configured_overlay()
    assert overlay["api_base"] == "http://127.0.0.1:9" and "validation" not in overlay
    assert overlay["accounts"] == (emu.credentials,)
    with outer:
        pass
    assert _settings.configured_overlay() == {}


def test_configure_is_the_base_of_the_other_doors(emu: Emulator) -> None:
    with compat.configure(credentials=emu.credentials, api_base=emu.base_url, lookup=False):
        favorites = compat.Favorites()
        assert favorites.settings.lookup is False and favorites.settings.api_base == emu.base_url
        assert compat.Favorites(lookup=True).settings.lookup is True  # the call's own wins
        with compat.install() as handle:
            assert handle.adapter.settings.api_base == emu.base_url


def test_none_means_not_given(emu: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPAT_API_BASE", emu.base_url)
    settings = compat.Favorites(emu.credentials, api_base=None, timeout=None).settings
    assert settings.api_base == emu.base_url
    assert settings.timeout == (5.0, 30.0)  # never unbounded


def test_settings_repr_masks_secrets(emu: Emulator) -> None:
    settings = compat.Favorites(
        backend="gateway", gateway_api_key="very-secret", gateway_url=emu.base_url
    ).settings
    assert "very-secret" not in repr(settings) and "'***'" in repr(settings)
