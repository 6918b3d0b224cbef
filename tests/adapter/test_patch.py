"""install / uninstall / patched / mount / disabled: what is patched, and that it is undone."""

from __future__ import annotations

import asyncio
import threading
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
import requests
from requests.adapters import BaseAdapter, HTTPAdapter

from compat import Credentials
from compat import patch as compat_patch
from compat.adapter import LegacyAdapter
from compat.emulator import Emulator
from compat.errors import ConfigurationError
from compat.warnings import UnservedLegacyWarning
from tests._support.adapter import CREATE, LIST, REAL_TWEET, signer

ORIGINAL = vars(requests.Session)["get_adapter"]


def served_by(url: str = LIST, session: requests.Session | None = None) -> BaseAdapter:
    return (session or requests.Session()).get_adapter(url)


class MockV1(BaseAdapter):
    """A user's own v1.1 mock (as requests_mock or a hand-written adapter would be)."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> requests.Response:
        self.calls.append(str(request.url))
        response = requests.Response()
        response.status_code = 299
        response._content = b"[]"
        response.request = request
        return response

    def close(self) -> None:
        pass


def test_patches_are_declared_applied_and_restored(emu: Emulator) -> None:
    assert [(spec.owner, spec.attribute) for spec in compat_patch.PATCHES] == [
        (requests.Session, "get_adapter"),
        (urllib.request.HTTPHandler, "http_open"),
        (urllib.request.HTTPSHandler, "https_open"),
    ]
    before = {spec.name: vars(spec.owner)[spec.attribute] for spec in compat_patch.PATCHES}
    handle = compat_patch.install(emu.credentials, api_base=emu.base_url)
    for spec in compat_patch.PATCHES:
        assert vars(spec.owner)[spec.attribute] is not before[spec.name]
    assert isinstance(served_by(), LegacyAdapter)
    assert compat_patch.installed() and handle.active
    assert compat_patch.uninstall() is True
    for spec in compat_patch.PATCHES:
        assert vars(spec.owner)[spec.attribute] is before[spec.name]
    assert type(served_by()) is HTTPAdapter
    assert not handle.active
    assert compat_patch.uninstall() is False
    handle.uninstall()  # already gone: harmless


def test_install_is_idempotent_and_nests(emu: Emulator) -> None:
    other = emu.credentials_for("tweepytest")
    outer = compat_patch.install(emu.credentials, api_base=emu.base_url)
    again = compat_patch.install(emu.credentials, api_base=emu.base_url)
    assert again.adapter is outer.adapter  # same settings: one adapter, one page memo
    assert vars(requests.Session)["get_adapter"].__wrapped__ is ORIGINAL  # wrapped once
    with compat_patch.patched(other, api_base=emu.base_url) as inner:
        assert served_by() is inner.adapter is not outer.adapter
    assert served_by() is outer.adapter  # the inner block did not undo the outer install
    again.uninstall()
    assert served_by() is outer.adapter
    outer.uninstall()
    assert vars(requests.Session)["get_adapter"] is ORIGINAL


def test_handle_is_a_context_manager(emu: Emulator) -> None:
    with compat_patch.install(emu.credentials, api_base=emu.base_url) as handle:
        assert served_by() is handle.adapter
    assert vars(requests.Session)["get_adapter"] is ORIGINAL


def test_bad_credentials_patch_nothing(emu: Emulator) -> None:
    with pytest.raises(ConfigurationError):
        compat_patch.install("ck:cs", api_base=emu.base_url)
    with pytest.raises(ConfigurationError):
        compat_patch.install(emu.credentials, api_base="ftp://nowhere")
    assert vars(requests.Session)["get_adapter"] is ORIGINAL


def test_credentials_and_settings_from_env(
    emu: Emulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    creds = emu.credentials
    for name, value in {
        "X_CONSUMER_KEY": creds.consumer_key,
        "X_CONSUMER_SECRET": creds.consumer_secret,
        "X_ACCESS_TOKEN": creds.access_token,
        "X_ACCESS_TOKEN_SECRET": creds.access_token_secret,
        "COMPAT_API_BASE": emu.base_url,
        "COMPAT_AUDIT_LOG": str(tmp_path / "audit.jsonl"),
    }.items():
        monkeypatch.setenv(name, str(value))
    with compat_patch.install() as handle:
        assert handle.adapter.accounts.default == creds
        assert handle.adapter.settings.api_base == emu.base_url
        assert handle.adapter.settings.audit_log == str(tmp_path / "audit.jsonl")
        response = requests.get(LIST, params={"count": 1}, auth=signer(creds))
    assert response.status_code == 200


def test_accounts_forms(emu: Emulator) -> None:
    one, two = emu.credentials, emu.credentials_for("tweepytest")

    def registered(credentials: object) -> list[Credentials]:
        with compat_patch.install(credentials, api_base=emu.base_url) as handle:
            return list(handle.adapter.accounts.all)

    assert registered(one) == [one]
    assert registered([one, two]) == [one, two]
    assert registered({"main": one, "alt": two}) == [one, two]
    fields = {
        "consumer_key": one.consumer_key,
        "consumer_secret": one.consumer_secret,
        "access_token": one.access_token,
        "access_token_secret": one.access_token_secret,
    }
    assert registered(fields) == [one]
    for bad in ([], {"nope": 1}, 42, ["x"]):
        with pytest.raises(ConfigurationError, match="credentials"):
            compat_patch.install(bad, api_base=emu.base_url)
        assert not compat_patch.installed()
    clash = Credentials(one.consumer_key, "other", one.access_token, "other")
    with pytest.raises(ConfigurationError):
        compat_patch.install([one, clash], api_base=emu.base_url)


def test_someone_elses_patch_on_top_is_left_alone(emu: Emulator) -> None:
    compat_patch.install(emu.credentials, api_base=emu.base_url)
    ours = vars(requests.Session)["get_adapter"]
    mock = MockV1()

    def theirs(self: requests.Session, url: str) -> BaseAdapter:
        return mock if "/1.1/" in url else ours(self, url)

    requests.Session.get_adapter = theirs  # type: ignore[method-assign]
    try:
        with pytest.warns(RuntimeWarning, match="patched by someone else"):
            assert compat_patch.uninstall() is True
        assert vars(requests.Session)["get_adapter"] is theirs
        assert served_by() is mock
        assert type(served_by("https://api.twitter.com/2/users/me")) is HTTPAdapter
        assert type(ours(requests.Session(), LIST)) is HTTPAdapter  # compat's wrapper: inert
        requests.Session.get_adapter = ours  # type: ignore[method-assign]  # they restore
        with compat_patch.install(emu.credentials, api_base=emu.base_url):
            wrapper = vars(requests.Session)["get_adapter"]
            assert wrapper.__wrapped__ is ORIGINAL  # the stale wrapper is not wrapped again
            assert isinstance(served_by(), LegacyAdapter)
        assert vars(requests.Session)["get_adapter"] is ORIGINAL
    finally:
        requests.Session.get_adapter = ORIGINAL  # type: ignore[method-assign]


def test_disabled_lets_the_users_mocks_answer(
    emu: Emulator, shim: compat_patch.Installation
) -> None:
    mock = MockV1()
    session = requests.Session()
    session.mount("https://api.twitter.com/", mock)
    auth = signer(emu.credentials)
    assert session.post(CREATE, params={"id": REAL_TWEET}, auth=auth).status_code == 200
    assert mock.calls == []
    with compat_patch.disabled():
        assert compat_patch.is_disabled()
        assert session.get(LIST).status_code == 299
    assert not compat_patch.is_disabled()
    assert mock.calls == [LIST]
    assert (
        session.post(
            "https://api.twitter.com/1.1/favorites/destroy.json",
            params={"id": REAL_TWEET},
            auth=auth,
        ).json()["favorited"]
        is False
    )


def test_disabled_is_thread_local(shim: compat_patch.Installation) -> None:
    entered, checked = threading.Event(), threading.Event()
    seen: dict[str, BaseAdapter] = {}

    def other_thread() -> None:
        entered.wait()
        seen["other"] = served_by()
        checked.set()

    thread = threading.Thread(target=other_thread)
    thread.start()
    with compat_patch.disabled():
        entered.set()
        checked.wait()
        seen["here"] = served_by()
    thread.join()
    assert seen["other"] is shim.adapter
    assert type(seen["here"]) is HTTPAdapter


def test_disabled_is_task_local(shim: compat_patch.Installation) -> None:
    async def main() -> tuple[BaseAdapter, BaseAdapter]:
        inside, outside = asyncio.Event(), asyncio.Event()

        async def disabled_task() -> BaseAdapter:
            with compat_patch.disabled():
                inside.set()
                await outside.wait()
                return served_by()

        async def plain_task() -> BaseAdapter:
            await inside.wait()
            adapter = served_by()
            outside.set()
            return adapter

        return await asyncio.gather(disabled_task(), plain_task())

    off, on = asyncio.run(main())
    assert type(off) is HTTPAdapter
    assert on is shim.adapter


def test_mount_serves_one_session_only(emu: Emulator) -> None:
    session = requests.Session()
    spy: list[str] = []
    real_send: Callable[..., requests.Response] = session.adapters["https://"].send

    def spying_send(request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        spy.append(str(request.url))
        raise requests.ConnectionError("no network in tests")

    session.adapters["https://"].send = spying_send  # type: ignore[method-assign,assignment]
    adapter = compat_patch.mount(session, emu.credentials, api_base=emu.base_url)
    assert vars(requests.Session)["get_adapter"] is ORIGINAL  # no global patch
    assert session.get_adapter("https://API.X.COM/1.1/favorites/list.json") is adapter
    assert type(served_by()) is HTTPAdapter  # other sessions: untouched
    response = session.get(LIST, params={"count": 2}, auth=signer(emu.credentials))
    assert response.status_code == 200 and len(response.json()) == 2
    # A v1.1 call compat does not serve passes through the session's own adapter.
    with (
        pytest.warns(UnservedLegacyWarning, match="favorites/destroy/:id is not served"),
        pytest.raises(requests.ConnectionError),
    ):
        session.post("https://api.twitter.com/1.1/favorites/destroy/20.json")
    with compat_patch.disabled(), pytest.raises(requests.ConnectionError):
        session.get(LIST)
    assert spy == ["https://api.twitter.com/1.1/favorites/destroy/20.json", LIST]
    session.close()  # tweepy 4 closes after every call; the adapter keeps working
    assert session.get(LIST, params={"count": 1}, auth=signer(emu.credentials)).status_code == 200
    session.adapters["https://"].send = real_send  # type: ignore[method-assign]


def test_mount_needs_a_session(emu: Emulator) -> None:
    with pytest.raises(ConfigurationError, match="session must be a requests.Session"):
        compat_patch.mount(object(), emu.credentials)  # type: ignore[arg-type]


def test_patched_is_also_a_decorator(emu: Emulator) -> None:
    @compat_patch.patched(emu.credentials, api_base=emu.base_url)
    def legacy_job() -> int:
        return requests.get(LIST, params={"count": 2}, auth=signer(emu.credentials)).status_code

    assert legacy_job() == 200
    assert legacy_job() == 200  # reusable: installs and uninstalls on each call
    assert not compat_patch.installed()
