"""An expired OAuth 2.0 access token is refreshed once, the rotated pair kept, the call retried."""

from __future__ import annotations

import json
import os
import pathlib
import stat
import threading
from collections.abc import Iterator

import pytest

import compat
from compat.client import LikesClient
from compat.credentials import Credentials
from tests._support.oauth2_server import USER_ID, TokenServer


@pytest.fixture
def server() -> Iterator[TokenServer]:
    with TokenServer() as running:
        yield running


def creds(server: TokenServer, **extra: str) -> Credentials:
    return Credentials(
        bearer_token=server.access,
        refresh_token=server.refresh,
        client_id=server.client_id,
        **extra,
    )


def test_an_expired_token_is_refreshed_once_and_the_call_retried(
    server: TokenServer, tmp_path: pathlib.Path
) -> None:
    seen: list[Credentials] = []
    store = tmp_path / "tokens.json"
    favorites = compat.Favorites(
        creds(server), api_base=server.base_url, token_refreshed=seen.append, token_file=store
    )
    assert favorites.list(count=5) == []
    server.expire()
    assert favorites.list(count=5, max_id=1) == []
    assert server.refreshes == [
        {"refresh_token": "refresh-0", "grant_type": "refresh_token", "client_id": "client-1"}
    ]
    assert [c.bearer_token for c in seen] == ["access-1"]
    assert seen[0].refresh_token == "refresh-1"  # rotated: the old one no longer works
    assert json.loads(store.read_text()) == {
        "access_token": "access-1",
        "refresh_token": "refresh-1",
    }
    assert stat.S_IMODE(os.stat(store).st_mode) == 0o600
    # users/me is cached by user: the refresh did not cost a second one
    assert server.paths.count("GET /2/users/me") == 1


def test_a_restart_reads_the_stored_pair_instead_of_the_spent_one(
    server: TokenServer, tmp_path: pathlib.Path
) -> None:
    store = tmp_path / "tokens.json"
    first = compat.Favorites(creds(server), api_base=server.base_url, token_file=store)
    server.expire()
    first.list(count=1)
    assert server.generation == 1
    # the same (now spent) pair from the environment, a new process: the file wins
    spent = Credentials(bearer_token="access-0", refresh_token="refresh-0", client_id="client-1")
    second = compat.Favorites(spent, api_base=server.base_url, token_file=store)
    assert second.list(count=1) == []
    assert server.generation == 1  # no second refresh was needed


def test_a_failed_refresh_is_one_attempt_and_says_what_to_do(server: TokenServer) -> None:
    stale = Credentials(
        bearer_token="stale-access-x9", refresh_token="revoked-refresh-x9", client_id="client-1"
    )
    client = LikesClient(stale, api_base=server.base_url)
    with pytest.raises(compat.Unauthorized, match="authorize the app again") as info:
        client.me()
    assert len(server.refreshes) == 1
    shown = str(info.value) + repr(info.value.v1_body) + repr(info.value)
    assert "x9" not in shown


def test_a_confidential_client_sends_basic_auth() -> None:
    with TokenServer(client_secret="s3cret") as server:
        client = LikesClient(creds(server, client_secret="s3cret"), api_base=server.base_url)
        server.expire()
        assert client.me().payload["data"]["id"] == USER_ID
        assert server.basic_auth == ["Basic Y2xpZW50LTE6czNjcmV0"]  # client-1:s3cret


def test_threads_racing_on_an_expired_token_refresh_it_once(server: TokenServer) -> None:
    client = LikesClient(creds(server), api_base=server.base_url)
    server.expire()
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []

    def call() -> None:
        barrier.wait()
        try:
            client.liked_tweets(USER_ID)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=call) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(server.refreshes) == 1


def test_refresh_settings_are_checked_and_secrets_masked(server: TokenServer) -> None:
    with pytest.raises(compat.ConfigurationError, match="both refresh_token and client_id"):
        Credentials(bearer_token="a", refresh_token="r")
    with pytest.raises(compat.ConfigurationError, match="go with an OAuth 2.0 bearer_token"):
        Credentials("ck", "cs", "1-t", "ts", refresh_token="r", client_id="c")
    with pytest.raises(compat.ConfigurationError, match="token_refreshed must be a callable"):
        compat.Favorites(creds(server), token_refreshed="print")
    shown = repr(creds(server, client_secret="s3cret"))
    assert "refresh-0" not in shown and "s3cret" not in shown and "client-1" in shown
    assert {"refresh-0", "s3cret"} <= set(creds(server, client_secret="s3cret").secrets())


def test_the_environment_families_carry_the_refresh_values(
    server: TokenServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {
        "X_USER_ACCESS_TOKEN": "a",
        "X_OAUTH2_REFRESH_TOKEN": "r",
        "X_CLIENT_ID": "c",
        "X_CLIENT_SECRET": "s",
    }
    found = Credentials.from_env(env)
    assert (found.refresh_token, found.client_id, found.client_secret) == ("r", "c", "s")


def test_a_failed_refresh_leaves_no_secret_in_traceback_locals(server: TokenServer) -> None:
    """What a Sentry-style reporter records: every frame's locals, by repr."""
    stale = Credentials(
        bearer_token="stale-access-q7", refresh_token="spent-refresh-q7", client_id="client-1"
    )
    client = LikesClient(stale, api_base=server.base_url)
    with pytest.raises(compat.Unauthorized) as info:
        client.me()
    shown = []
    tb = info.value.__traceback__
    while tb is not None:
        shown += [repr(v) for v in tb.tb_frame.f_locals.values()]
        tb = tb.tb_next
    assert shown and not [text for text in shown if "q7" in text]
