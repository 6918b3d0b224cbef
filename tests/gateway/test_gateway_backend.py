"""Likes through the hosted-gateway backend, against the emulator's gateway routes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

import compat
from compat import Favorites, LikesClient
from compat.credentials import AppBearer
from compat.emulator import Emulator
from compat.gateway import GatewayClient, gateway_error_for
from compat.ratelimit import RateLimit

POST = "1626194750222094336"


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(likes=30) as emulator:
        emulator.rate_limits.lift()
        yield emulator


def gateway(emu: Emulator, *, source: bool = True, write: bool = True) -> GatewayClient:
    reader = LikesClient(AppBearer(emu.app_only_bearer), api_base=emu.base_url) if source else None
    return GatewayClient(
        emu.gateway_key(write=write),
        base_url=emu.base_url + "/apis/v1",
        source=reader,
        user_id=emu.user_id,
    )


def endpoints(emu: Emulator) -> list[str]:
    return [r.endpoint for r in emu.requests]


def test_same_v11_result_through_both_backends(emu: Emulator) -> None:
    direct = Favorites(emu.credentials, api_base=emu.base_url)
    via_gateway = Favorites(backend=gateway(emu))
    emu.clear_requests()
    a = direct.create(POST)
    direct.destroy(POST)
    b = via_gateway.create(POST)
    assert endpoints(emu) == ["tweets", "like", "tweets", "unlike", "tweets", "gateway_like"]
    assert a == b
    assert emu.state.like_count(POST) == a["favorite_count"]
    c = via_gateway.destroy(POST)
    assert c["favorited"] is False and c["favorite_count"] == a["favorite_count"] - 1
    assert POST not in emu.state.liked(emu.user_id)
    # listing through the gateway's v2 read source gives what the v2 backend gives
    assert via_gateway.list(count=15) == direct.list(count=15)


def test_gateway_like_request_is_the_documented_one(emu: Emulator) -> None:
    emu.clear_requests()
    gateway(emu).unlike(POST)
    (record,) = emu.requests
    assert (record.method, record.path) == ("POST", "/apis/v1/twitter/unlike_twitter")
    assert record.body == b'{"tweet_id": "1626194750222094336"}'


def test_idempotent_like_and_unlike(emu: Emulator) -> None:
    gw = gateway(emu)
    assert gw.like(POST).payload == {"data": {"liked": True}}
    assert gw.like(POST).payload == {"data": {"liked": True}}
    assert gw.unlike(POST).payload == {"data": {"liked": False}}
    assert gw.unlike(POST).payload == {"data": {"liked": False}}


def test_without_a_source_create_is_minimal_and_list_is_refused(emu: Emulator) -> None:
    favorites = Favorites(backend=gateway(emu, source=False))
    emu.clear_requests()
    outcome = favorites.service.call("favorites/create", {"id": POST})
    assert endpoints(emu) == ["gateway_like"]
    status = outcome.value
    assert status["id_str"] == POST and status["favorited"] is True
    assert status["created_at"] == "Thu Feb 16 12:20:16 +0000 2023"  # from the id bits
    assert {"text", "user", "favorite_count"} <= outcome.missing  # what the audit records
    favorites.destroy(POST)
    with pytest.raises(compat.ConfigurationError, match="read source"):
        favorites.list()


def test_forbidden_names_the_scope_and_how_to_relink(emu: Emulator) -> None:
    with pytest.raises(compat.Forbidden) as info:
        Favorites(backend=gateway(emu, write=False)).create(POST)
    err = info.value
    assert (err.v1_status, err.v1_codes) == (403, [220])
    message = err.v1_body["errors"][0]["message"]
    assert "like.write" in message and "auth_twitter" in message


def test_missing_post_is_144(emu: Emulator) -> None:
    with pytest.raises(compat.NotFound) as info:
        Favorites(backend=gateway(emu, source=False)).create(1)
    assert (info.value.v1_status, info.value.v1_codes) == (404, [144])


def test_bad_key_is_401_32(emu: Emulator) -> None:
    gw = GatewayClient("not-a-key", base_url=emu.base_url + "/apis/v1")
    with pytest.raises(compat.Unauthorized) as info:
        gw.like(POST)
    assert (info.value.v1_status, info.value.v1_codes) == (401, [32])


def test_gateway_400_maps_to_v11_invalid_parameter(emu: Emulator) -> None:
    # compat validates ids before any request, so send the bad id by hand to get the real 400
    response = requests.post(
        emu.base_url + "/apis/v1/twitter/like_twitter",
        json={"tweet_id": "12/../"},
        headers={"Authorization": f"Bearer {emu.gateway_key()}"},
        timeout=5,
    )
    assert response.status_code == 400
    err = gateway_error_for(400, response.json(), rate_limit=RateLimit())
    assert isinstance(err, compat.BadRequest)
    assert (err.v1_status, err.v1_codes) == (400, [44])


def test_bad_input_never_reaches_the_gateway(emu: Emulator) -> None:
    emu.clear_requests()
    with pytest.raises(compat.InvalidParameter):
        gateway(emu).like("12/../")
    assert emu.requests == []


def test_selected_by_environment_and_key_never_shown(
    emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = emu.gateway_key()
    monkeypatch.setenv("COMPAT_BACKEND", "gateway")
    monkeypatch.setenv("COMPAT_GATEWAY_URL", emu.base_url + "/apis/v1")
    monkeypatch.setenv("COMPAT_GATEWAY_API_KEY", key)
    monkeypatch.setenv("COMPAT_GATEWAY_USER_ID", emu.user_id)
    monkeypatch.setenv("COMPAT_GATEWAY_SOURCE_BEARER", emu.app_only_bearer)
    monkeypatch.setenv("COMPAT_API_BASE", emu.base_url)
    favorites = Favorites()
    assert isinstance(favorites.backend, GatewayClient)
    assert key not in repr(favorites) and emu.app_only_bearer not in repr(favorites)
    emu.clear_requests()
    compat.favorites_create(POST)
    compat.favorites_destroy(POST)
    assert "gateway_like" in endpoints(emu) and "gateway_unlike" in endpoints(emu)
    with compat.configure(backend="x", credentials=emu.credentials, api_base=emu.base_url):
        assert isinstance(compat.favorites.default_favorites().backend, LikesClient)


def test_configuration_errors() -> None:
    with pytest.raises(compat.ConfigurationError, match="API key"):
        GatewayClient("")
    with pytest.raises(compat.ConfigurationError, match="like_route"):
        GatewayClient("k", like_route="no-slash")
    with pytest.raises(compat.ConfigurationError, match="backend must be"):
        Favorites(backend="carrier-pigeon")
    with pytest.raises(compat.ConfigurationError, match="COMPAT_GATEWAY_USER_ID"):
        GatewayClient("k").authenticated_user_id()
