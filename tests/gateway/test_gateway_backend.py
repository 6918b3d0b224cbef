"""The gateway backend on the emulator: the requests it sends, where it reads, how it lists."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests

import compat
from compat import Favorites, LikesClient
from compat.credentials import AppBearer
from compat.emulator import Emulator, Reply, Route
from compat.gateway import GatewayClient, gateway_error_for
from compat.ratelimit import RateLimit

POST = "1626194750222094336"
GONE = "1"  # no such post in the dataset


def gateway(emu: Emulator, *, source: Any = None, **kw: Any) -> GatewayClient:
    return GatewayClient(
        kw.pop("key", None) or emu.gateway_key(), base_url=emu.base_url + "/apis/v1",
        source=source, **kw,
    )  # fmt: skip


def test_create_and_destroy_cost_one_gateway_read_and_one_gateway_write(
    emu: Emulator, sent: Callable[[], list[str]]
) -> None:
    favorites = Favorites(backend=gateway(emu))
    created = favorites.service.call("favorites/create", {"id": POST})
    assert sent() == ["gateway_tweets", "gateway_like"]
    assert created.value["favorited"] is True and POST in emu.state.liked(emu.user_id)
    assert created.value["favorite_count"] == emu.state.like_count(POST)
    assert created.value["user"]["screen_name"] == "ruchowdh"  # the full status, not minimal
    emu.clear_requests()
    destroyed = favorites.destroy(POST)
    assert sent() == ["gateway_tweets", "gateway_unlike"]
    assert destroyed["favorited"] is False and POST not in emu.state.liked(emu.user_id)
    assert destroyed["favorite_count"] == created.value["favorite_count"] - 1


def test_the_requests_are_the_documented_ones(emu: Emulator) -> None:
    client = gateway(emu)
    client.like(POST)
    client.unlike(POST)
    client.read_tweets([POST, "1293593516040269825"])
    like, unlike, read = emu.requests
    assert (like.method, like.path, like.body) == (
        "POST",
        "/apis/v1/twitter/like_twitter",
        b'{"tweet_id": "1626194750222094336"}',
    )
    assert (unlike.method, unlike.path) == ("POST", "/apis/v1/twitter/unlike_twitter")
    assert (read.method, read.path) == ("GET", "/apis/v1/twitter/tweets")
    assert read.query == {"tweet_ids": ["1626194750222094336,1293593516040269825"]}


def test_idempotent_like_and_unlike(emu: Emulator) -> None:
    client = gateway(emu)
    assert client.like(POST).payload == {"data": {"liked": True}}
    assert client.like(POST).payload == {"data": {"liked": True}}
    assert client.unlike(POST).payload == {"data": {"liked": False}}
    assert client.unlike(POST).payload == {"data": {"liked": False}}


def test_the_read_answers_in_v2_shape_with_not_found_entries(emu: Emulator) -> None:
    answer = gateway(emu).read_tweets([POST, GONE])
    (post,) = answer.payload["data"]
    assert post["id"] == POST and post["author_id"] in {
        u["id"] for u in answer.payload["includes"]["users"]
    }
    assert [e["resource_id"] for e in answer.payload["errors"]] == [GONE]
    assert answer.rate_limit.limit == 600  # the starter tier's requests per minute


def test_gateway_read_x_looks_up_through_x_and_answers_exactly_the_x_status(
    emu: Emulator, sent: Callable[[], list[str]]
) -> None:
    direct = Favorites(emu.credentials, api_base=emu.base_url)
    through_x = Favorites(
        emu.credentials,
        backend="gateway",
        gateway_url=emu.base_url + "/apis/v1",
        gateway_api_key=emu.gateway_key(),
        api_base=emu.base_url,
        gateway_read="x",
    )
    expected = direct.create(POST)
    direct.destroy(POST)
    emu.clear_requests()
    assert through_x.create(POST) == expected
    assert sent() == ["tweets", "gateway_like"]
    through_x.destroy(POST)


def test_an_app_only_bearer_looks_posts_up_and_never_lists(
    emu: Emulator, sent: Callable[[], list[str]]
) -> None:
    reader = LikesClient(AppBearer(emu.app_only_bearer), api_base=emu.base_url)
    favorites = Favorites(backend=gateway(emu, source=reader, read="x", user_id=emu.user_id))
    assert favorites.create(POST)["favorited"] is True
    assert sent() == ["tweets", "gateway_like"]
    favorites.destroy(POST)
    emu.clear_requests()
    with pytest.raises(compat.ConfigurationError, match="user-context") as info:
        favorites.list()
    assert "app-only bearer token cannot list likes" in info.value.message
    assert sent() == []


def test_listing_reads_x_liked_tweets_with_the_user_context_credentials(
    emu: Emulator, sent: Callable[[], list[str]]
) -> None:
    # no public_likes: X's 2026 rule, user context only, holds in the emulator
    direct = Favorites(emu.credentials, api_base=emu.base_url)
    behind = Favorites(
        emu.credentials,
        backend="gateway",
        gateway_url=emu.base_url + "/apis/v1",
        gateway_api_key=emu.gateway_key(),
        api_base=emu.base_url,
    )
    assert behind.list(count=15) == direct.list(count=15)
    assert sent() == ["liked_tweets", "liked_tweets"]
    assert behind.backend.credentials == emu.credentials  # type: ignore[attr-defined]


def test_listing_without_x_credentials_says_what_to_configure_and_sends_nothing(
    emu: Emulator, sent: Callable[[], list[str]]
) -> None:
    for favorites in (
        Favorites(backend=gateway(emu)),
        Favorites(backend=gateway(emu, user_id=emu.user_id)),
    ):
        with pytest.raises(compat.ConfigurationError) as info:
            favorites.list(count=5)
        message = info.value.message
        assert "user-context" in message and "liked_tweets" in message
        assert "X_CONSUMER_KEY" in message and "X_USER_ACCESS_TOKEN" in message
    assert sent() == []


def test_lookup_false_sends_the_write_alone(emu: Emulator, sent: Callable[[], list[str]]) -> None:
    outcome = Favorites(backend=gateway(emu)).service.call(
        "favorites/create", {"id": POST, "lookup": "false"}
    )
    assert sent() == ["gateway_like"]
    assert outcome.value["created_at"] == "Thu Feb 16 12:20:16 +0000 2023"  # from the id
    assert {"text", "user", "favorite_count"} <= outcome.missing
    gateway(emu).unlike(POST)


def test_a_missing_post_is_144_and_nothing_is_written(
    emu: Emulator, sent: Callable[[], list[str]]
) -> None:
    favorites = Favorites(backend=gateway(emu))
    with pytest.raises(compat.NotFound) as info:
        favorites.create(GONE)
    assert (info.value.v1_status, info.value.v1_codes) == (404, [144])
    assert sent() == ["gateway_tweets"]
    emu.clear_requests()
    # destroy still sends the unlike (a like cleaner removes likes of gone posts); the
    # gateway documents 404 for a post that does not exist (unlike_twitter.mdx line 29)
    with pytest.raises(compat.NotFound) as gone:
        favorites.destroy(GONE)
    assert gone.value.v1_codes == [144]
    assert sent() == ["gateway_tweets", "gateway_unlike"]


def test_forbidden_names_the_scope_and_how_to_relink(emu: Emulator) -> None:
    for key in (emu.gateway_key(write=False), emu.gateway_key(linked=False)):
        with pytest.raises(compat.Forbidden) as info:
            Favorites(backend=gateway(emu, key=key)).create(POST)
        err = info.value
        assert (err.v1_status, err.v1_codes) == (403, [220])
        message = err.v1_body["errors"][0]["message"]
        assert "like.write" in message and "auth_twitter" in message
        assert "compat gateway link" in err.message
    assert POST not in emu.state.liked(emu.user_id)


def test_bad_key_is_401_32(emu: Emulator) -> None:
    with pytest.raises(compat.Unauthorized) as info:
        gateway(emu, key="not-a-key").like(POST)
    assert (info.value.v1_status, info.value.v1_codes) == (401, [32])
    assert "invalid_api_key" in info.value.message


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
    client = gateway(emu)
    for attempt in (
        lambda: client.like("12/../"),
        lambda: client.unlike(-1),
        lambda: client.read_tweets(["1", "x"]),
        lambda: client.read_tweets([]),
        lambda: client.link(["like.write", "tweet.read", "users.read", "bogus.scope"]),
        lambda: client.link(["tweet.read"]),
    ):
        with pytest.raises(compat.InvalidParameter):
            attempt()
    assert emu.requests == []


def test_a_status_error_answer_is_a_server_error(emu: Emulator) -> None:
    def failing(ctx: Any) -> Reply:
        return Reply(200, {"status": "error", "msg": "upstream said no"})

    with Emulator() as other:
        other.add_route(Route.make("GET", "/apis/v1/twitter/tweets", "gateway_tweets", failing,
                                   auth="none"))  # fmt: skip
        with pytest.raises(compat.ServerError, match="upstream said no") as info:
            GatewayClient("k", base_url=other.base_url + "/apis/v1").read_tweets([POST])
    assert (info.value.v1_status, info.value.v1_codes) == (503, [130])


def test_an_answer_that_breaks_the_gateway_schema_writes_nothing(emu: Emulator) -> None:
    def textless(ctx: Any) -> Reply:
        return Reply(200, {"tweets": [{"id": POST}], "status": "success"})

    with Emulator() as other:
        other.add_route(Route.make("GET", "/apis/v1/twitter/tweets", "gateway_tweets", textless,
                                   auth="none"))  # fmt: skip
        favorites = Favorites(
            backend=GatewayClient(other.gateway_key(), base_url=other.base_url + "/apis/v1")
        )
        with pytest.raises(compat.SchemaError, match="gateway/tweets") as info:
            favorites.create(POST)
        assert info.value.path == "$.tweets[0]"
        assert [r.endpoint for r in other.requests] == ["gateway_tweets"]
        assert POST not in other.state.liked(other.user_id)


def test_selected_by_environment_and_key_never_shown(
    emu: Emulator, monkeypatch: pytest.MonkeyPatch, sent: Callable[[], list[str]]
) -> None:
    key = emu.gateway_key()
    creds = emu.credentials
    for name, value in {
        "COMPAT_BACKEND": "gateway",
        "COMPAT_GATEWAY_URL": emu.base_url + "/apis/v1",
        "COMPAT_GATEWAY_API_KEY": key,
        "COMPAT_GATEWAY_TIER": "growth",
        "COMPAT_API_BASE": emu.base_url,
        "X_CONSUMER_KEY": str(creds.consumer_key),
        "X_CONSUMER_SECRET": str(creds.consumer_secret),
        "X_ACCESS_TOKEN": str(creds.access_token),
        "X_ACCESS_TOKEN_SECRET": str(creds.access_token_secret),
    }.items():
        monkeypatch.setenv(name, value)
    favorites = Favorites()
    assert isinstance(favorites.backend, GatewayClient)
    assert favorites.backend.read == "gateway" and favorites.backend.requests_per_minute == 3000
    assert key not in repr(favorites) and key not in repr(favorites.settings)
    compat.favorites_create(POST)
    compat.favorites_destroy(POST)
    assert compat.favorites_list(count=3)
    assert sent() == [
        "gateway_tweets", "gateway_like", "gateway_tweets", "gateway_unlike", "liked_tweets",
    ]  # fmt: skip
    monkeypatch.setenv("COMPAT_GATEWAY_READ", "x")
    assert Favorites().backend.read == "x"  # type: ignore[attr-defined]
    with compat.configure(backend="x", credentials=emu.credentials, api_base=emu.base_url):
        assert isinstance(compat.favorites.default_favorites().backend, LikesClient)


@pytest.mark.parametrize(
    ("variable", "value", "words"),
    [
        ("COMPAT_GATEWAY_READ", "carrier-pigeon", "$COMPAT_GATEWAY_READ: gateway_read must be"),
        ("COMPAT_GATEWAY_TIER", "platinum", "$COMPAT_GATEWAY_TIER: gateway_tier must be one of"),
    ],
)
def test_a_bad_gateway_setting_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, words: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(compat.ConfigurationError) as info:
        Favorites(backend="gateway", gateway_api_key="k")
    assert words in info.value.message


def test_configuration_errors() -> None:
    with pytest.raises(compat.ConfigurationError, match="API key"):
        GatewayClient("")
    with pytest.raises(compat.ConfigurationError, match="like_route"):
        GatewayClient("k", like_route="no-slash")
    with pytest.raises(compat.ConfigurationError, match="read must be"):
        GatewayClient("k", read="carrier-pigeon")
    with pytest.raises(compat.ConfigurationError, match="tier must be one of"):
        GatewayClient("k", tier="platinum")
    with pytest.raises(compat.ConfigurationError, match="gateway_read='x'.*needs X credentials"):
        GatewayClient("k", read="x")
    with pytest.raises(compat.ConfigurationError, match="gateway_read='x'"):
        Favorites(backend="gateway", gateway_api_key="k", gateway_read="x")
    with pytest.raises(compat.ConfigurationError, match="backend must be"):
        Favorites(backend="carrier-pigeon")
    with pytest.raises(compat.ConfigurationError, match="user-context"):
        GatewayClient("k").authenticated_user_id()
    assert GatewayClient("k", user_id=12).authenticated_user_id() == "12"
