"""Secrets never leak into exception messages, reprs or logs of the objects users see."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

import compat
from compat import Credentials, Favorites, LikesClient
from compat.credentials import AppBearer
from compat.emulator import Emulator
from compat.gateway import GatewayClient
from tests._support.leaks import all_secrets, leaks


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(likes=20) as emulator:
        yield emulator


def test_reprs(emu: Emulator) -> None:
    secrets = all_secrets(emu)
    objects: list[object] = [
        emu.credentials,
        emu.oauth2_credentials(),
        AppBearer(emu.app_only_bearer),
        LikesClient(emu.credentials, api_base=emu.base_url),
        LikesClient(emu.oauth2_credentials(), api_base=emu.base_url),
        Favorites(emu.credentials, api_base=emu.base_url),
        GatewayClient("gateway-key-SECRET", source=LikesClient(AppBearer(emu.app_only_bearer))),
    ]
    shown = " ".join(repr(o) + str(o) for o in objects)
    assert leaks(shown, [*secrets, "gateway-key-SECRET"]) == []


def test_errors_and_logs(emu: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    secrets = all_secrets(emu)
    creds = emu.credentials
    wrong = Credentials(creds.consumer_key, "wrong-secret", creds.access_token, "wrong-token")
    seen: list[BaseException] = []
    attempts = [
        lambda: Favorites(wrong, api_base=emu.base_url).create(1626194750222094336),
        lambda: Favorites(creds, api_base=emu.base_url).create(1),
        lambda: Favorites(creds, api_base=emu.base_url).list(user_id=12, count=500),
        lambda: LikesClient(AppBearer(emu.app_only_bearer), api_base=emu.base_url).like(5),
        lambda: LikesClient(emu.oauth2_credentials(), api_base="http://127.0.0.1:9").me(),
        lambda: Credentials(bearer_token="AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid%2BULvsea4Jti"),
        lambda: Credentials(creds.consumer_key, creds.consumer_secret, creds.access_token),
    ]

    def malformed() -> None:
        emu.faults.inject("tweets", "malformed")
        Favorites(creds, api_base=emu.base_url).create(1626194750222094336)

    attempts.append(malformed)
    with caplog.at_level(logging.DEBUG, logger="compat"):
        for attempt in attempts:
            with pytest.raises(compat.CompatError) as info:
                attempt()
            seen.append(info.value)
    emu.faults.clear()
    text = " ".join(f"{e!s} {e!r}" for e in seen) + caplog.text
    assert len(seen) == len(attempts)
    assert leaks(text, secrets) == []
    assert "oauth_signature" not in text
