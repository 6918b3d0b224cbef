"""Authentication like the real API: verified OAuth 1.0a, user and app-only bearer tokens."""

from __future__ import annotations

import warnings
from typing import Any

import pytest
import requests
from requests_oauthlib import OAuth1

from compat.credentials import Credentials
from compat.emulator import Emulator
from tests._support.emulator_api import Api, Bearer, oauth1
from tests._support.failure_bodies import APP_ONLY_ON_USER_CONTEXT

POST = "1626194750222094336"
UNAUTHORIZED = {
    "title": "Unauthorized",
    "type": "about:blank",
    "status": 401,
    "detail": "Unauthorized",
}


def test_default_credentials_are_oauth1_for_the_default_user(emu: Emulator) -> None:
    creds = emu.credentials
    assert creds.kind == "oauth1"
    assert creds.token_user_id() == emu.user_id == "1072250532645998596"
    assert "secret" not in repr(creds)


@pytest.mark.parametrize(
    "field", ["consumer_key", "consumer_secret", "access_token", "access_token_secret"]
)
def test_any_wrong_oauth1_value_is_401(emu: Emulator, make_api: Any, field: str) -> None:
    values = {
        "consumer_key": emu.credentials.consumer_key,
        "consumer_secret": emu.credentials.consumer_secret,
        "access_token": emu.credentials.access_token,
        "access_token_secret": emu.credentials.access_token_secret,
    }
    values[field] = f"{values[field]}x"
    auth = OAuth1(
        values["consumer_key"],
        values["consumer_secret"],
        values["access_token"],
        values["access_token_secret"],
    )
    api = make_api(emu, auth)
    answer = api.like(POST)
    assert answer.status_code == 401
    assert answer.json() == UNAUTHORIZED
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert emu.state.liked(emu.user_id) == []
    assert emu.requests[-1].status == 401 and emu.requests[-1].user_id is None


def test_no_credentials_is_401(emu: Emulator, make_api: Any) -> None:
    api = make_api(emu, None)
    assert api.get("/2/tweets/1").status_code == 401
    assert api.get("/2/users/me").json() == UNAUTHORIZED


def test_unknown_bearer_token_is_401(emu: Emulator, make_api: Any) -> None:
    api = make_api(emu, Bearer("not-a-token"))
    assert api.get("/2/users/me").status_code == 401


def test_tampered_request_fails_verification(emu: Emulator, api: Api) -> None:
    """The signature covers the URL: a signed request replayed to another path is refused."""
    prepared = requests.Request("GET", f"{emu.base_url}/2/users/me", auth=api.auth).prepare()
    prepared.url = f"{emu.base_url}/2/users/{emu.user_id}"
    assert api.session.send(prepared, timeout=10).status_code == 401


def test_replayed_nonce_is_refused(emu: Emulator, api: Api) -> None:
    prepared = requests.Request("GET", f"{emu.base_url}/2/users/me", auth=api.auth).prepare()
    assert api.session.send(prepared, timeout=10).status_code == 200
    assert api.session.send(prepared, timeout=10).status_code == 401


def test_signed_query_parameters_verify(api: Api) -> None:
    answer = api.get("/2/users/me", **{"user.fields": "created_at,public_metrics"})
    assert answer.status_code == 200
    assert "created_at" in answer.json()["data"]


def test_signed_form_body_verifies(emu: Emulator, api: Api) -> None:
    """A form-encoded POST (how v1.1 clients send bodies) verifies; v2 then wants JSON."""
    answer = api.request("POST", f"/2/users/{emu.user_id}/likes", data={"tweet_id": POST})
    assert answer.status_code == 400  # not 401: the signature over the form body was good
    assert answer.json()["errors"] == [
        {"message": "Requests with bodies must have content-type of application/json."}
    ]
    assert emu.state.liked(emu.user_id) == []


def test_tweepy_oauth1_handler_signs_get_and_form_post(emu: Emulator, make_api: Any) -> None:
    import tweepy  # type: ignore[import-untyped]

    c = emu.credentials
    handler = tweepy.OAuth1UserHandler(
        c.consumer_key, c.consumer_secret, c.access_token, c.access_token_secret
    )
    api = make_api(emu, handler.apply_auth())
    assert api.get("/2/users/me", **{"user.fields": "verified"}).status_code == 200
    form = api.request("POST", f"/2/users/{emu.user_id}/likes", data={"tweet_id": POST})
    assert form.status_code == 400


def test_python_twitter_signs_get_query_and_form_post(emu: Emulator) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import twitter  # type: ignore[import-untyped]

    c = emu.credentials
    tw = twitter.Api(
        c.consumer_key,
        c.consumer_secret,
        c.access_token,
        c.access_token_secret,
        base_url=emu.base_url,
    )
    try:
        got = tw._RequestUrl(f"{emu.base_url}/2/users/me", "GET", data={"user.fields": "url"})
        # verified (the user is known), then refused as v2 does: python-twitter always adds
        # tweet_mode=compat, which v2 does not know
        assert emu.requests[-1].user_id == emu.user_id
        assert got.status_code == 400
        assert list(got.json()["errors"][0]["parameters"]) == ["tweet_mode"]
        posted = tw._RequestUrl(
            f"{emu.base_url}/2/users/{emu.user_id}/likes", "POST", data={"tweet_id": POST}
        )
        assert posted.status_code == 400  # signature fine, form body refused like v2 does
    finally:
        tw._session.close()


def test_oauth2_user_token_likes(emu: Emulator, make_api: Any) -> None:
    creds = emu.oauth2_credentials()
    assert creds.kind == "oauth2"
    api = make_api(emu, Bearer(creds.bearer_token or ""))
    assert api.like(POST).json() == {"data": {"liked": True}}
    assert emu.state.liked(emu.user_id) == [POST]
    assert emu.requests[-1].user_id == emu.user_id


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/2/users/{uid}/likes"),
        ("DELETE", "/2/users/{uid}/likes/" + POST),
        ("GET", "/2/users/me"),
        ("GET", f"/2/tweets/{POST}/liking_users"),
        ("GET", "/2/users/{uid}/liked_tweets"),
    ],
)
def test_app_only_is_refused_on_user_context_routes(
    emu: Emulator, make_api: Any, method: str, path: str
) -> None:
    api = make_api(emu, Bearer(emu.app_only_bearer))
    answer = api.request(method, path.format(uid=emu.user_id), json={"tweet_id": POST})
    status, body = APP_ONLY_ON_USER_CONTEXT
    assert (answer.status_code, answer.json()) == (status, body)
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert emu.state.liked(emu.user_id) == []


def test_another_users_likes_are_an_empty_page(emu: Emulator, api: Api) -> None:
    # likes are private since 2024; the answer is compat's guess (compat.emulator.unknowns)
    other = emu.dataset.user_id_for("tweepytest")
    assert emu.state.liked(str(other))  # there are likes to hide
    answer = api.request("GET", f"/2/users/{other}/liked_tweets")
    assert (answer.status_code, answer.json()) == (200, {"meta": {"result_count": 0}})
    assert answer.headers["Content-Type"] == "application/json; charset=utf-8"
    bad_fields = api.request("GET", f"/2/users/{other}/liked_tweets?tweet.fields=nonsense")
    assert bad_fields.status_code == 400  # the request is still checked


def test_public_likes_lists_anyones_likes_to_app_only_or_another_user(make_api: Any) -> None:
    # Before June 2024 the docs listed OAuth 2.0 App-only for liked_tweets, and tweepy's real
    # recording lists user 783214's likes while authenticated as @TweepyDev.
    with Emulator(public_likes=True) as emu:
        other = emu.dataset.user_id_for("tweepytest")
        app = make_api(emu, Bearer(emu.app_only_bearer))
        user = make_api(emu, oauth1(emu.credentials))
        by_app = app.request("GET", f"/2/users/{other}/liked_tweets")
        by_user = user.request("GET", f"/2/users/{other}/liked_tweets")
        assert by_app.status_code == by_user.status_code == 200
        assert by_app.json() == by_user.json()
        assert [t["id"] for t in by_app.json()["data"]] == emu.state.liked(str(other))
        likers = app.request("GET", f"/2/tweets/{POST}/liking_users")
        assert likers.status_code == 200
        assert by_app.headers["x-rate-limit-limit"] == str(emu.plan.app_limit_15min("liked_tweets"))


def test_app_only_token_is_refused_by_credentials(emu: Emulator) -> None:
    from compat.errors import ConfigurationError

    with pytest.raises(ConfigurationError):
        Credentials(bearer_token=emu.app_only_bearer)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/2/users/{other}/likes"),
        ("DELETE", "/2/users/{other}/likes/" + POST),
    ],
)
def test_path_user_must_be_the_authenticated_user(
    emu: Emulator, api: Api, method: str, path: str
) -> None:
    other = emu.dataset.user_id_for("tweepytest")
    answer = api.request(method, path.format(other=other), json={"tweet_id": POST})
    assert answer.status_code == 403
    assert answer.json() == {
        "title": "Forbidden",
        "type": "about:blank",
        "status": 403,
        "detail": "Forbidden",
    }
    assert emu.state.liked(str(other)) == ["4901065281"]


def test_second_user_has_own_app_and_state(emu: Emulator, make_api: Any, api: Api) -> None:
    second = emu.credentials_for("TweepyTest")
    assert second.consumer_key != emu.credentials.consumer_key
    other = make_api(emu, oauth1(second))
    uid = second.token_user_id()
    assert other.like(POST, user_id=uid).status_code == 200
    assert emu.state.liked(str(uid)) == [POST, "4901065281"]
    assert emu.state.liked(emu.user_id) == []
    assert api.get("/2/users/me").json()["data"]["username"] == "TweepyDev"
    assert other.get("/2/users/me").json()["data"]["username"] == "tweepytest"


def test_credentials_for_unknown_user_is_refused(emu: Emulator) -> None:
    from compat.errors import InvalidParameter

    with pytest.raises(InvalidParameter):
        emu.credentials_for("nobody_at_all")
