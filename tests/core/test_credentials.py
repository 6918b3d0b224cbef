"""Credentials: completeness, env families, no secret in repr, the token's user id."""

from __future__ import annotations

import pytest

from compat import ConfigurationError, Credentials

SECRETS = ("consumer-SECRET-value", "token-SECRET-value", "bearer-SECRET-value")


def oauth1(**extra: str) -> Credentials:
    return Credentials("ck", SECRETS[0], "1072250532645998596-abcdef", SECRETS[1], **extra)


def test_repr_never_shows_secrets() -> None:
    shown = repr(oauth1()) + str(oauth1()) + repr(Credentials(bearer_token=SECRETS[2]))
    for secret in SECRETS:
        assert secret not in shown
    assert "abcdef" not in shown  # the token's random part is a secret too
    assert "1072250532645998596" in repr(oauth1())


def test_frozen() -> None:
    creds = oauth1()
    with pytest.raises(AttributeError):
        creds.consumer_key = "other"  # type: ignore[misc]


def test_user_id_from_token_prefix() -> None:
    assert oauth1().token_user_id() == "1072250532645998596"
    assert oauth1(user_id="42").token_user_id() == "42"  # an explicit user_id wins
    assert Credentials("ck", "cs", "not-numeric", "ts").token_user_id() is None
    assert Credentials(bearer_token="user-token").token_user_id() is None


def test_incomplete_oauth1_names_what_is_missing() -> None:
    with pytest.raises(ConfigurationError, match="missing access_token_secret"):
        Credentials("ck", "cs", "1-a")


def test_nothing_at_all() -> None:
    with pytest.raises(ConfigurationError, match="no credentials"):
        Credentials()


def test_app_only_bearer_is_refused() -> None:
    app_only = (
        "AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid%2BULvsea4JtiGRiSDSJSI%3D"
        "EUifiRBkKG5E2XzMDjRfl76ZC9Ub0wnz4XsNiRVBChTYbJcE3F"
    )
    with pytest.raises(ConfigurationError, match="app-only"):
        Credentials(bearer_token=app_only)


def test_bad_user_id_is_refused() -> None:
    with pytest.raises(Exception, match="user_id"):
        Credentials(bearer_token="t", user_id="12/../")


def test_from_env_prefers_x_then_twitter_then_unprefixed() -> None:
    env = {
        "TWITTER_CONSUMER_KEY": "t-ck",
        "TWITTER_CONSUMER_SECRET": "t-cs",
        "TWITTER_ACCESS_TOKEN": "1-t",
        "TWITTER_ACCESS_TOKEN_SECRET": "t-ts",
        "CONSUMER_KEY": "u-ck",
        "CONSUMER_SECRET": "u-cs",
        "ACCESS_KEY": "2-u",
        "ACCESS_SECRET": "u-ts",
    }
    assert Credentials.from_env(env).consumer_key == "t-ck"
    env.update(
        X_CONSUMER_KEY="x-ck",
        X_CONSUMER_SECRET="x-cs",
        X_ACCESS_TOKEN="3-x",
        X_ACCESS_TOKEN_SECRET="x-ts",
    )
    assert Credentials.from_env(env).access_token == "3-x"
    only_unprefixed = {k: v for k, v in env.items() if not k.startswith(("X_", "TWITTER_"))}
    creds = Credentials.from_env(only_unprefixed)
    assert (creds.consumer_key, creds.access_token) == ("u-ck", "2-u")


def test_from_env_never_mixes_families() -> None:
    env = {
        "X_CONSUMER_KEY": "x-ck",
        "X_CONSUMER_SECRET": "x-cs",
        "TWITTER_ACCESS_TOKEN": "1-t",
        "TWITTER_ACCESS_TOKEN_SECRET": "t-ts",
    }
    with pytest.raises(ConfigurationError) as info:
        Credentials.from_env(env)
    message = str(info.value)
    for name in ("X_ACCESS_TOKEN", "TWITTER_CONSUMER_KEY", "CONSUMER_KEY", "ACCESS_TOKEN"):
        assert name in message


def test_from_env_oauth2_user_token() -> None:
    creds = Credentials.from_env({"X_USER_ACCESS_TOKEN": "user-ctx", "X_USER_ID": "99"})
    assert creds.kind == "oauth2"
    assert creds.token_user_id() == "99"
