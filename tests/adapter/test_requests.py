"""Raw requests through the global patch: routing, parameters, accounts, responses, errors."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
from requests.adapters import HTTPAdapter
from requests_oauthlib import OAuth1, OAuth1Session

from compat import patch as compat_patch
from compat.adapter import LegacyAdapter, legacy_route
from compat.emulator import Emulator
from compat.errors import V1_CODES
from tests._support.adapter import CREATE, DESTROY, LIST, REAL_TWEET, TWEEPY_TWEET, no_sleep, signer


def endpoints(emu: Emulator) -> list[str]:
    return [r.endpoint for r in emu.requests]


def v1_codes(response: requests.Response) -> list[int]:
    return [e["code"] for e in response.json()["errors"]]


# -- routing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "action"),
    [
        ("https://api.twitter.com/1.1/favorites/create.json", "create"),
        ("https://API.TWITTER.COM/1.1/favorites/destroy.json?id=1", "destroy"),
        ("https://api.x.com/1.1/favorites/list.json", "list"),
        ("https://Api.X.Com:443/1.1/favorites/list.json", "list"),
        ("http://api.twitter.com/1.1/favorites/create/20.json", "create"),
    ],
)
def test_legacy_urls_are_taken(url: str, action: str) -> None:
    route = legacy_route(url)
    assert route is not None and route.action == action


@pytest.mark.parametrize(
    "url",
    [
        "https://api.twitter.com/2/users/1/likes",
        "https://api.twitter.com/oauth/request_token",
        "https://api.twitter.com.evil.example/1.1/favorites/list.json",
        "https://evil.example/1.1/favorites/list.json?h=api.twitter.com",
        "https://example.com/search?q=1.1%2F",
        "ftp://api.twitter.com/1.1/favorites/list.json",
        "http://127.0.0.1:9/1.1/favorites/list.json",
    ],
)
def test_other_urls_keep_their_adapter(shim: compat_patch.Installation, url: str) -> None:
    assert legacy_route(url) is None
    with requests.Session() as session:
        if url.startswith("ftp:"):  # as without compat: requests has no adapter for it
            with pytest.raises(requests.exceptions.InvalidSchema):
                session.get_adapter(url)
        else:
            assert type(session.get_adapter(url)) is HTTPAdapter


def test_every_session_kind_reaches_the_adapter(shim: compat_patch.Installation) -> None:
    assert OAuth1Session("ck").get_adapter(LIST) is shim.adapter
    assert (
        requests.Session().get_adapter(
            CREATE.upper().replace("/1.1/FAVORITES/CREATE.JSON", "/1.1/favorites/create.json")
        )
        is shim.adapter
    )


def test_non_legacy_traffic_is_untouched(emu: Emulator, shim: compat_patch.Installation) -> None:
    # A v2 request of the user's own goes straight to the emulator, through the HTTPAdapter.
    response = requests.get(emu.base_url + "/2/users/me", auth=signer(emu.credentials))
    assert response.status_code == 200
    assert response.json()["data"]["id"] == emu.user_id
    assert not isinstance(response.connection, LegacyAdapter)


# -- the three calls --------------------------------------------------------------------------


def test_create_then_destroy_with_query_params(
    emu: Emulator, shim: compat_patch.Installation, realdata: Callable[[str], Any]
) -> None:
    before = emu.state.like_count(TWEEPY_TWEET)
    auth = signer(emu.credentials)
    created = requests.post(CREATE, params={"id": TWEEPY_TWEET}, auth=auth)
    assert created.status_code == 200
    assert endpoints(emu) == ["tweets", "like"]
    real = realdata("tweepy_v11_create_favorite.json")  # v1.1's answer to this very request
    body = created.json()
    assert set(real) <= set(body)
    assert set(real["user"]) <= set(body["user"])
    for key in ("id_str", "created_at", "text", "favorited", "favorite_count"):
        assert body[key] == real[key], key
    assert body["user"]["screen_name"] == real["user"]["screen_name"]
    assert emu.state.like_count(TWEEPY_TWEET) == before + 1
    emu.clear_requests()
    destroyed = requests.post(DESTROY, params={"id": TWEEPY_TWEET}, auth=auth)
    real_destroy = realdata("tweepy_v11_destroy_favorite.json")
    assert destroyed.status_code == 200
    # lookup="auto" (the default): the post the create looked up is in the post cache
    assert endpoints(emu) == ["unlike"]
    assert destroyed.json()["favorited"] is real_destroy["favorited"] is False
    assert destroyed.json()["favorite_count"] == real_destroy["favorite_count"]
    assert emu.state.like_count(TWEEPY_TWEET) == before


def test_form_body_params_and_old_path_form(emu: Emulator, shim: compat_patch.Installation) -> None:
    auth = signer(emu.credentials)
    response = requests.post(
        CREATE, data={"id": REAL_TWEET, "include_entities": "false"}, auth=auth
    )
    assert response.status_code == 200
    assert "entities" not in response.json()
    assert json.loads(emu.requests[-1].body) == {"tweet_id": REAL_TWEET}
    old = requests.post(
        f"https://api.twitter.com/1.1/favorites/create/{REAL_TWEET}.json", auth=auth
    )
    assert old.status_code == 200 and old.json()["id_str"] == REAL_TWEET
    requests.post(DESTROY, data={"id": REAL_TWEET}, auth=auth)
    assert REAL_TWEET not in emu.state.liked(emu.user_id)


def test_list_with_count_and_max_id(emu: Emulator, shim: compat_patch.Installation) -> None:
    auth = signer(emu.credentials)
    first = requests.get(LIST, params={"count": 5}, auth=auth)
    assert first.status_code == 200
    page = first.json()
    liked = emu.state.liked(emu.user_id)
    assert [s["id_str"] for s in page] == liked[:5]
    assert all(s["favorited"] is True for s in page)
    emu.clear_requests()
    max_id = min(int(s["id"]) for s in page) - 1
    second = requests.get(LIST, params={"count": "5", "max_id": str(max_id)}, auth=auth)
    assert [s["id_str"] for s in second.json()] == liked[5:10]
    assert endpoints(emu) == []  # served from the page already fetched (the page memo)


def test_list_by_screen_name(emu: Emulator, shim: compat_patch.Installation) -> None:
    response = requests.get(
        LIST, params={"screen_name": "TweepyDev", "count": "1"}, auth=signer(emu.credentials)
    )
    assert response.status_code == 200 and len(response.json()) == 1


# -- parameters -------------------------------------------------------------------------------


def test_oauth_params_dropped_unknown_ignored(
    emu: Emulator, shim: compat_patch.Installation
) -> None:
    # OAuth 1.0a in the query string (signature_type=query) and a parameter v1.1 never had.
    auth = OAuth1(
        emu.credentials.consumer_key,
        emu.credentials.consumer_secret,
        emu.credentials.access_token,
        emu.credentials.access_token_secret,
        signature_type="query",
    )
    response = requests.get(LIST, params={"count": "2", "no_such_param": "x"}, auth=auth)
    assert response.status_code == 200
    assert len(response.json()) == 2


@pytest.mark.parametrize(
    ("method", "url", "kwargs", "status", "code"),
    [
        ("post", CREATE, {"params": {"id": "12/../"}}, 400, 44),
        ("post", CREATE, {}, 400, 38),
        ("post", CREATE, {"params": {"id": "1"}, "data": {"id": "2"}}, 400, 44),
        ("post", CREATE + "?id=1&id=1", {}, 400, 44),
        ("get", LIST, {"params": {"count": "500"}}, 400, 44),
        ("get", LIST, {"params": {"screen_name": "no spaces allowed"}}, 400, 44),
        ("post", "https://api.twitter.com/1.1/favorites/create/abc.json", {}, 400, 44),
        (
            "post",
            "https://api.twitter.com/1.1/favorites/create/20.json",
            {"data": {"id": "21"}},
            400,
            44,
        ),
        ("get", CREATE + "?id=20", {}, 404, 34),  # v1.1 favorites/create was POST only
    ],
)
def test_bad_input_gets_v1_error_and_no_request(
    emu: Emulator,
    shim: compat_patch.Installation,
    method: str,
    url: str,
    kwargs: Any,
    status: int,
    code: int,
) -> None:
    response = getattr(requests, method)(url, auth=signer(emu.credentials), **kwargs)
    assert response.status_code == status
    assert v1_codes(response) == [code]
    assert emu.requests == []


# -- accounts ---------------------------------------------------------------------------------


@pytest.fixture
def two_accounts(emu: Emulator) -> Iterator[compat_patch.Installation]:
    emu.clear_requests()
    other = emu.credentials_for("tweepytest")
    with compat_patch.install([emu.credentials, other], api_base=emu.base_url) as handle:
        yield handle


def test_each_request_served_as_its_signer(emu: Emulator, two_accounts: Any) -> None:
    other = emu.credentials_for("tweepytest")
    mine = requests.get(LIST, params={"count": 1}, auth=signer(emu.credentials))
    theirs = requests.post(CREATE, params={"id": REAL_TWEET}, auth=signer(other))
    assert mine.status_code == theirs.status_code == 200
    assert [r.user_id for r in emu.requests] == [
        emu.user_id,
        other.token_user_id(),
        other.token_user_id(),
    ]
    assert REAL_TWEET in emu.state.liked(str(other.token_user_id()))
    requests.post(DESTROY, params={"id": REAL_TWEET}, auth=signer(other))


def test_unsigned_request_gets_v11_bad_authentication(emu: Emulator, two_accounts: Any) -> None:
    response = requests.get(LIST, params={"count": 1})
    assert response.status_code == 400  # v1.1 answered 400/215 to a request without auth
    assert response.json() == {"errors": [{"code": 215, "message": "Bad Authentication data."}]}
    assert emu.requests == []


def test_unregistered_or_forged_signer_gets_401_code_32(emu: Emulator, two_accounts: Any) -> None:
    stranger = emu.credentials_for("ruchowdh")  # a valid v2 account, but not registered
    creds = emu.credentials
    forged = OAuth1(creds.consumer_key, "not-the-secret", creds.access_token, "nor-this")
    for auth in (signer(stranger), forged):
        response = requests.post(CREATE, params={"id": REAL_TWEET}, auth=auth)
        assert response.status_code == 401
        assert response.json() == {
            "errors": [{"code": 32, "message": "Could not authenticate you."}]
        }
    assert emu.requests == []  # never signed with someone else's keys


def test_oauth2_bearer_selects_its_account(emu: Emulator) -> None:
    emu.clear_requests()
    bearer = emu.oauth2_credentials()
    with compat_patch.install([emu.credentials_for("tweepytest"), bearer], api_base=emu.base_url):
        ok = requests.get(
            LIST, params={"count": 1}, headers={"Authorization": f"Bearer {bearer.bearer_token}"}
        )
        bad = requests.get(LIST, headers={"Authorization": "Bearer unknown"})
    assert ok.status_code == 200
    assert bad.status_code == 401 and v1_codes(bad) == [32]
    assert [r.path for r in emu.requests if r.endpoint == "liked_tweets"] == [
        f"/2/users/{emu.user_id}/liked_tweets"
    ]


# -- the synthesised response -----------------------------------------------------------------


def test_response_is_a_real_requests_response(
    emu: Emulator, shim: compat_patch.Installation
) -> None:
    auth = signer(emu.credentials)
    with requests.get(LIST, params={"count": 3}, auth=auth, stream=True) as response:
        assert response.status_code == 200 and response.reason == "OK"
        assert response.headers["Content-Type"] == "application/json;charset=utf-8"
        assert response.encoding == "utf-8"
        assert response.headers["x-rate-limit-limit"] == "75"
        assert int(response.headers["x-rate-limit-reset"]) > 0
        assert response.url.startswith(LIST)
        assert response.request is not None and response.request.method == "GET"
        chunks = list(response.iter_content(chunk_size=7))
    body = b"".join(chunks)
    assert len(json.loads(body)) == 3
    assert int(response.headers["Content-Length"]) == len(body)
    response.close()
    response.close()  # idempotent, as tweepy 4 closes its session after every call
    raw = requests.get(LIST, params={"count": 1}, auth=auth, stream=True)
    assert json.loads(raw.raw.read())[0]["favorited"] is True
    raw.close()


def test_write_response_carries_24h_limits(emu: Emulator, shim: compat_patch.Installation) -> None:
    auth = signer(emu.credentials)
    response = requests.post(CREATE, params={"id": REAL_TWEET}, auth=auth)
    assert response.headers["x-rate-limit-limit"] == "50"
    assert response.headers["x-user-limit-24hour-limit"] == "1000"
    requests.post(DESTROY, params={"id": REAL_TWEET}, auth=auth)


# -- v2 failures ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "status", "code"),
    [("500", 500, 131), ("503", 503, 130), ("malformed", 500, 131), ("schema", 500, 131)],
)
def test_v2_failures_become_v1_errors(
    emu: Emulator, shim: compat_patch.Installation, kind: str, status: int, code: int
) -> None:
    emu.faults.inject("liked_tweets", kind, times=3)
    try:
        response = requests.get(LIST, params={"count": 1}, auth=signer(emu.credentials))
    finally:
        emu.faults.clear()
    assert response.status_code == status
    assert v1_codes(response) == [code]


def test_v2_rate_limit_becomes_v1_429_with_reset(
    emu: Emulator, shim: compat_patch.Installation
) -> None:
    emu.faults.inject("like", "429")
    response = requests.post(CREATE, params={"id": REAL_TWEET}, auth=signer(emu.credentials))
    assert response.status_code == 429
    assert v1_codes(response) == [V1_CODES["rate_limited"][1]]
    assert response.headers["x-rate-limit-remaining"] == "0"
    assert int(response.headers["x-rate-limit-reset"]) > 0


def test_v2_unreachable_is_a_connection_error(emu: Emulator) -> None:
    with (
        compat_patch.install(emu.credentials, api_base="http://127.0.0.1:9", sleep=no_sleep),
        pytest.raises(requests.ConnectionError) as caught,
    ):
        requests.get(LIST, auth=signer(emu.credentials), timeout=2)
    assert "favorites/list" in str(caught.value)


# -- the caller's transport settings ----------------------------------------------------------


class _Spy(HTTPAdapter):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[dict[str, Any]] = []

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> requests.Response:
        self.seen.append({"timeout": timeout, "verify": verify, "cert": cert})
        # The files named do not exist: only record them.
        return super().send(request, stream, timeout, True, None, proxies)


def test_caller_transport_settings_reach_v2(emu: Emulator) -> None:
    spy = _Spy()
    v2_session = requests.Session()  # the session the v2 client sends through
    v2_session.mount(emu.base_url, spy)
    with compat_patch.install(emu.credentials, api_base=emu.base_url, session=v2_session):
        requests.get(
            LIST,
            params={"count": 1},
            auth=signer(emu.credentials),
            timeout=(3.0, 7.0),
            verify="/etc/ssl/certs/ca-certificates.crt",
            cert=("/tmp/client.pem", "/tmp/client.key"),
        )
    (seen,) = spy.seen
    assert seen["timeout"] == (3.0, 7.0)
    assert seen["verify"] == "/etc/ssl/certs/ca-certificates.crt"
    assert seen["cert"] == ("/tmp/client.pem", "/tmp/client.key")


def test_caller_proxies_reach_v2(emu: Emulator, shim: compat_patch.Installation) -> None:
    # A proxy nobody listens on: the v2 request fails there, so it went through the proxy.
    with pytest.raises(requests.ConnectionError):
        requests.get(LIST, auth=signer(emu.credentials), proxies={"http": "http://127.0.0.1:9"})
    assert emu.requests == []
