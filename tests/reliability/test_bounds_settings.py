"""The bounds are settings, checked like every other option; the deadline also bounds the
retry waits; credentials over plain http to a host that is not loopback are warned about once.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest

import compat
from compat import ConfigurationError, Credentials, Favorites
from compat._settings import Settings, resolve
from compat.errors import ServerError
from compat.pagination import DEFAULT_MAX_PAGES_PER_CALL
from compat.transport import DEFAULT_CALL_DEADLINE, DEFAULT_MAX_RESPONSE_BYTES
from tests._support.hostile_server import CREDENTIALS, OWNER, HostileServer

BAD = [
    ("max_response_bytes", 0),
    ("max_response_bytes", 1023),
    ("max_response_bytes", -1),
    ("max_response_bytes", True),
    ("max_response_bytes", "16MB"),
    ("max_response_bytes", 1.5e6),
    ("max_response_bytes", 2**40),
    ("call_deadline", 0),
    ("call_deadline", -1),
    ("call_deadline", "30"),
    ("call_deadline", float("inf")),
    ("call_deadline", float("nan")),
    ("call_deadline", 10**6),
    ("call_deadline", True),
    ("max_pages_per_call", 0),
    ("max_pages_per_call", 10_001),
    ("max_pages_per_call", 2.0),
    ("max_pages_per_call", False),
    ("max_pages_per_call", "50"),
]


@pytest.mark.parametrize(("option", "value"), BAD, ids=[f"{o}={v!r}" for o, v in BAD])
@pytest.mark.parametrize("door", ["Favorites", "configure", "install"])
def test_a_bad_bound_is_refused_where_it_is_given(
    server: HostileServer, door: str, option: str, value: Any
) -> None:
    options = {"credentials": CREDENTIALS, "api_base": server.base_url, option: value}
    with pytest.raises(ConfigurationError) as refused:
        if door == "Favorites":
            Favorites(**options)
        elif door == "configure":
            compat.configure(**options)
        else:
            compat.install(**options)
    assert option in str(refused.value)
    assert server.served == []  # nothing sent


def test_the_defaults_and_the_values_given() -> None:
    defaults = Settings()
    assert defaults.max_response_bytes == DEFAULT_MAX_RESPONSE_BYTES == 16 * 2**20
    assert defaults.call_deadline == DEFAULT_CALL_DEADLINE == 120.0
    assert defaults.max_pages_per_call == DEFAULT_MAX_PAGES_PER_CALL == 50
    given = resolve(
        {"max_response_bytes": 4096, "call_deadline": 2, "max_pages_per_call": 3},
        door="install",
        environ={},
    )
    assert (given.max_response_bytes, given.call_deadline, given.max_pages_per_call) == (
        4096,
        2.0,
        3,
    )


def test_no_retry_waits_past_the_deadline(server: HostileServer) -> None:
    slept: list[float] = []
    server.behave(
        "liked_tweets",
        "json",
        status=503,
        body={"title": "Service Unavailable"},
        headers={"Retry-After": "5"},
    )
    client = Favorites(CREDENTIALS, api_base=server.base_url, sleep=slept.append, call_deadline=2)
    with pytest.raises(ServerError):
        client.list(count=5)
    assert slept == [] and server.count("liked_tweets") == 1  # raised, not waited for
    server.clear()
    server.behave(
        "liked_tweets",
        "json",
        status=503,
        body={"title": "Service Unavailable"},
        headers={"Retry-After": "5"},
        times=1,
    )
    patient = Favorites(CREDENTIALS, api_base=server.base_url, sleep=slept.append)
    assert patient.list(count=5)  # with the default deadline the wait fits: retried
    assert slept == [5.0] and server.count("liked_tweets") == 2


@pytest.mark.parametrize(
    "credentials",
    [CREDENTIALS, Credentials(bearer_token="user-context-token", user_id=OWNER)],
    ids=["oauth1", "oauth2"],
)
def test_credentials_over_plain_http_are_warned_about_once(
    server: HostileServer, caplog: pytest.LogCaptureFixture, credentials: Credentials
) -> None:
    host = f"api-{credentials.kind}.example.test"
    # the hostile server stands in as an http proxy: nothing leaves the machine
    client = Favorites(credentials, api_base=f"http://{host}", proxies={"http": server.base_url})
    with caplog.at_level(logging.WARNING, "compat.client"):
        client.list(count=5)
        client.list(count=5, max_id=1)
    warned = [r for r in caplog.records if getattr(r, "event", None) == "http.cleartext"]
    assert len(warned) == 1 and host in warned[0].getMessage()
    assert server.count("liked_tweets") >= 1
    assert "user-context-token" not in caplog.text  # the warning names the host, not the token


def test_loopback_over_plain_http_is_not_warned_about(
    server: HostileServer, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, "compat.client"):
        Favorites(CREDENTIALS, api_base=server.base_url).list(count=5)
        localhost = server.base_url.replace("127.0.0.1", "localhost")
        Favorites(CREDENTIALS, api_base=localhost).list(count=5)
    assert not [r for r in caplog.records if getattr(r, "event", None) == "http.cleartext"]
