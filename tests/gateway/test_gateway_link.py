"""Linking an X account to the gateway key: ``compat gateway link`` and the documented flow
(api-reference_twitter_auth_twitter.mdx), end to end on the emulator."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable
from typing import Any

import pytest
import requests

import compat
from compat import Favorites
from compat.cli import main
from compat.emulator import Emulator, FakeClock
from compat.gateway import GatewayClient

POST = "1626194750222094336"


@pytest.fixture
def gateway_env(emu: Emulator, monkeypatch: pytest.MonkeyPatch) -> Callable[..., str]:
    def put(key: str | None = None) -> str:
        chosen = key or emu.gateway_key(linked=False)
        monkeypatch.setenv("COMPAT_GATEWAY_URL", emu.base_url + "/apis/v1")
        monkeypatch.setenv("COMPAT_GATEWAY_API_KEY", chosen)
        return chosen

    return put


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    status = main(["gateway", "link", *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_link_prints_the_url_and_opening_it_links_the_account(
    emu: Emulator,
    gateway_env: Callable[..., str],
    gateway_options: Callable[..., dict[str, Any]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    gateway_env()
    favorites = Favorites(**gateway_options(linked=False))
    with pytest.raises(compat.Forbidden) as before:
        favorites.create(POST)  # no account linked yet: the documented 403
    assert before.value.v1_codes == [220]
    status, out, _err = run(capsys)
    assert status == 0
    url = next(line.strip() for line in out.splitlines() if line.strip().startswith("http"))
    assert "like.write" in out and "compat doctor --probe-write" in out
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert query["redirect_uri"] == [emu.base_url + "/apis/v1/twitter/oauth_callback"]
    assert query["client_id"] == ["AIsa"] and query["code_challenge_method"] == ["S256"]
    assert "like.write" in query["scope"][0].split()
    (sent,) = [r for r in emu.requests if r.endpoint == "gateway_auth"]
    assert (sent.method, sent.path, sent.body) == ("POST", "/apis/v1/twitter/auth_twitter", b"{}")
    # the account's owner opens it: X's consent (emulated) approves and returns to the callback
    page = requests.get(url, timeout=5)
    assert page.status_code == 200 and "linked" in page.text
    assert favorites.create(POST)["favorited"] is True
    favorites.destroy(POST)


def test_link_with_scopes_and_json(
    emu: Emulator, gateway_env: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    gateway_env()
    status, out, _err = run(capsys, "--scopes", "like.write,tweet.read,users.read", "--json")
    assert status == 0
    doc = json.loads(out)
    assert set(doc) == {"auth_url", "state", "expires_at", "scopes"}
    assert doc["scopes"] == ["like.write", "tweet.read", "users.read"]
    assert doc["expires_at"].endswith("Z")
    (sent,) = [r for r in emu.requests if r.endpoint == "gateway_auth"]
    assert json.loads(sent.body) == {"scopes": ["like.write", "tweet.read", "users.read"]}


@pytest.mark.parametrize(
    ("scopes", "words"),
    [
        ("like.write,tweet.read,users.read,mind.read", "the gateway offers"),
        ("follows.write,tweet.read,users.read", "likes need like.write"),
    ],
)
def test_bad_scopes_are_refused_before_sending(
    emu: Emulator,
    gateway_env: Callable[..., str],
    capsys: pytest.CaptureFixture[str],
    scopes: str,
    words: str,
) -> None:
    gateway_env()
    status, _out, err = run(capsys, "--scopes", scopes)
    assert status == 2 and words in err
    assert emu.requests == []


def test_without_a_key_it_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    status, _out, err = run(capsys)
    assert status == 2 and "needs an API key" in err and "COMPAT_GATEWAY_API_KEY" in err


def test_a_refused_key_exits_1_with_the_request_id(
    emu: Emulator, gateway_env: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    gateway_env("gw-not-a-key")
    status, _out, err = run(capsys)
    assert status == 1 and "HTTP 401" in err and "request_id req_" in err
    assert "gw-not-a-key" not in err


def test_an_expired_link_links_nothing() -> None:
    clock = FakeClock()
    with Emulator(clock=clock) as emu:
        key = emu.gateway_key(linked=False)
        started = GatewayClient(key, base_url=emu.base_url + "/apis/v1").link()
        assert started.expires_at == "2023-11-14T22:23:20Z"  # 10 minutes (auth_twitter.mdx:49)
        clock.advance(601)
        assert requests.get(started.auth_url, timeout=5).status_code == 400
        with pytest.raises(compat.Forbidden):
            GatewayClient(key, base_url=emu.base_url + "/apis/v1").like(POST)


def test_relinking_without_like_write_takes_it_away(emu: Emulator) -> None:
    client = GatewayClient(emu.gateway_key(), base_url=emu.base_url + "/apis/v1")
    client.like(POST)
    started = client.link(["like.write", "tweet.read", "users.read"])
    requests.get(started.auth_url, timeout=5)
    assert client.unlike(POST).payload == {"data": {"liked": False}}
    # a session linked with other scopes (through the raw endpoint: compat refuses such a set)
    answer = requests.post(
        emu.base_url + "/apis/v1/twitter/auth_twitter",
        json={"scopes": ["tweet.read", "users.read"]},
        headers={"Authorization": f"Bearer {emu.gateway_key()}"},
        timeout=5,
    ).json()
    requests.get(answer["auth_url"], timeout=5)
    with pytest.raises(compat.Forbidden) as info:
        client.like(POST)
    assert "like.write" in info.value.v1_body["errors"][0]["message"]


def test_an_unsupported_scope_is_the_gateways_400(emu: Emulator) -> None:
    answer = requests.post(
        emu.base_url + "/apis/v1/twitter/auth_twitter",
        json={"scopes": ["mind.read"]},
        headers={"Authorization": f"Bearer {emu.gateway_key()}"},
        timeout=5,
    )
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "invalid_request"
