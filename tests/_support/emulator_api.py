"""Clients for the emulator tests: a signed requests session (:class:`Api`), a bearer-token
auth (:class:`Bearer`) and OAuth 1.0a auth from :class:`~compat.credentials.Credentials`.

Plain helpers, imported by name (``from tests._support.emulator_api import Api``); the
fixtures that build them stay in ``tests/emulator/conftest.py``.
"""

from __future__ import annotations

from typing import Any

import requests
from requests_oauthlib import OAuth1

from compat.credentials import Credentials
from compat.emulator import Emulator

__all__ = ["Api", "Bearer", "oauth1"]


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
    """``Authorization: Bearer <token>`` (OAuth 2.0 user-context or app-only)."""

    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers["Authorization"] = f"Bearer {self.token}"
        return r
