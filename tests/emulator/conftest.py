"""Fixtures for the emulator tests: a running emulator on a FakeClock and signed sessions."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from requests_oauthlib import OAuth1

from compat.credentials import Credentials
from compat.emulator import Emulator, FakeClock

REALDATA = Path(__file__).resolve().parents[1] / "realdata"


def load_real(name: str) -> Any:
    return json.loads((REALDATA / name).read_text(encoding="utf-8"))


def oauth1(creds: Credentials) -> OAuth1:
    return OAuth1(
        creds.consumer_key,
        creds.consumer_secret,
        creds.access_token,
        creds.access_token_secret,
    )


class Api:
    """A requests session against one emulator, signed as one user (OAuth 1.0a by default)."""

    def __init__(self, emu: Emulator, auth: Any) -> None:
        self.emu = emu
        self.auth = auth
        self.session = requests.Session()

    def request(self, method: str, path: str, **kw: Any) -> requests.Response:
        kw.setdefault("auth", self.auth)
        kw.setdefault("timeout", 10)
        return self.session.request(method, self.emu.base_url + path, **kw)

    def get(self, path: str, **params: Any) -> requests.Response:
        return self.request("GET", path, params=params or None)

    def like(self, tweet_id: str, user_id: str | None = None) -> requests.Response:
        uid = user_id or self.emu.user_id
        return self.request("POST", f"/2/users/{uid}/likes", json={"tweet_id": tweet_id})

    def unlike(self, tweet_id: str, user_id: str | None = None) -> requests.Response:
        uid = user_id or self.emu.user_id
        return self.request("DELETE", f"/2/users/{uid}/likes/{tweet_id}")

    def close(self) -> None:
        self.session.close()


class Bearer(requests.auth.AuthBase):
    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers["Authorization"] = f"Bearer {self.token}"
        return r


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def emu(clock: FakeClock) -> Iterator[Emulator]:
    with Emulator(clock=clock) as emulator:
        yield emulator


@pytest.fixture
def api(emu: Emulator) -> Iterator[Api]:
    client = Api(emu, oauth1(emu.credentials))
    yield client
    client.close()


@pytest.fixture
def make_api() -> Iterator[Any]:
    made: list[Api] = []

    def factory(emu: Emulator, auth: Any) -> Api:
        client = Api(emu, auth)
        made.append(client)
        return client

    yield factory
    for client in made:
        client.close()
