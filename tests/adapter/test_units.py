"""Smaller pieces: signature methods, any_signer, direct adapter use, the run bootstrap."""

from __future__ import annotations

import pathlib
import sys
from typing import Any

import pytest
import requests
from requests.adapters import BaseAdapter
from requests_oauthlib import OAuth1

from compat import patch as compat_patch
from compat import runner
from compat.adapter import Accounts, LegacyAdapter, legacy_route
from compat.emulator import Emulator
from compat.errors import ConfigurationError
from compat.warnings import UnservedLegacyWarning
from tests._support.adapter import LIST, signer


def oauth1(emu: Emulator, method: str) -> OAuth1:
    creds = emu.credentials
    return OAuth1(
        creds.consumer_key,
        creds.consumer_secret,
        creds.access_token,
        creds.access_token_secret,
        signature_method=method,
    )


@pytest.mark.parametrize(("method", "status"), [("PLAINTEXT", 200), ("HMAC-SHA256", 200)])
def test_other_signature_methods(
    emu: Emulator, shim: compat_patch.Installation, method: str, status: int
) -> None:
    response = requests.get(LIST, params={"count": 1}, auth=oauth1(emu, method))
    assert response.status_code == status


def test_unverifiable_signature_method_is_refused(
    emu: Emulator, shim: compat_patch.Installation
) -> None:
    creds = emu.credentials
    header = (
        f'OAuth oauth_consumer_key="{creds.consumer_key}", oauth_token="{creds.access_token}", '
        'oauth_signature_method="RSA-SHA1", oauth_signature="x"'
    )
    response = requests.get(LIST, headers={"Authorization": header})
    assert response.status_code == 401
    assert emu.requests == []


def test_any_signer_serves_unknown_keys_as_the_default(emu: Emulator) -> None:
    emu.clear_requests()
    stranger = emu.credentials_for("ruchowdh")
    with compat_patch.install(emu.credentials, api_base=emu.base_url, any_signer=True):
        signed = requests.get(LIST, params={"count": 1}, auth=signer(stranger))
        bearer = requests.get(LIST, params={"count": 1}, headers={"Authorization": "Bearer x"})
    assert signed.status_code == bearer.status_code == 200
    assert {r.user_id for r in emu.requests} == {emu.user_id}


class _Fallback(BaseAdapter):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> requests.Response:
        self.urls.append(str(request.url))
        raise requests.ConnectionError("no network in tests")

    def close(self) -> None:
        pass


def test_adapter_used_directly(emu: Emulator) -> None:
    fallback = _Fallback()
    adapter = LegacyAdapter(emu.credentials, api_base=emu.base_url, fallback=lambda url: fallback)
    assert "accounts=1" in repr(adapter)
    prepared = requests.Request("GET", LIST + "?count=1", auth=signer(emu.credentials)).prepare()
    assert adapter.send(prepared).json()[0]["favorited"] is True
    with compat_patch.disabled(), pytest.raises(requests.ConnectionError):
        adapter.send(prepared)
    other = requests.Request("GET", "https://api.twitter.com/1.1/friends/ids.json").prepare()
    with pytest.warns(UnservedLegacyWarning), pytest.raises(requests.ConnectionError):
        adapter.send(other)  # unserved, passed through to the fallback
    assert fallback.urls == [LIST + "?count=1", "https://api.twitter.com/1.1/friends/ids.json"]
    adapter.close()


def test_routes_and_accounts_edge_cases() -> None:
    assert legacy_route(None) is None
    assert legacy_route(b"https://api.twitter.com/1.1/favorites/list.json") is not None
    assert legacy_route("https://[::1/1.1/favorites/list.json") is None
    with pytest.raises(ConfigurationError):
        Accounts([])


def test_bootstrap_child_installs_from_the_environment(
    emu: Emulator, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # chaining another sitecustomize is the hook's job now (tests/runner/test_environments.py)
    ours = tmp_path / "ours"
    ours.mkdir()
    monkeypatch.setenv(runner.ENV_BOOTSTRAP, str(ours))
    monkeypatch.setenv(runner.ENV_ANY_SIGNER, "1")
    monkeypatch.setenv("COMPAT_API_BASE", emu.base_url)
    for name, value in [
        ("X_CONSUMER_KEY", emu.credentials.consumer_key),
        ("X_CONSUMER_SECRET", emu.credentials.consumer_secret),
        ("X_ACCESS_TOKEN", emu.credentials.access_token),
        ("X_ACCESS_TOKEN_SECRET", emu.credentials.access_token_secret),
    ]:
        monkeypatch.setenv(name, str(value))
    runner.bootstrap_child()
    try:
        assert compat_patch.installed()
        assert requests.get(LIST, params={"count": 1}).status_code == 200
    finally:
        compat_patch.uninstall()
    env = runner.child_env(str(ours), {"PYTHONPATH": "/x"}, audit_log="a.jsonl")
    assert env["PYTHONPATH"].split(":")[:2] == [str(ours), "/x"]
    assert env["COMPAT_AUDIT_LOG"].endswith("a.jsonl")
    assert runner._command(["--", "python3", "x.py"]) == [sys.executable, "x.py"]
