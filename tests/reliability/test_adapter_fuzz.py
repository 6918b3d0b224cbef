"""Property test of the adapter's parsing of v1.1 requests: hostile URLs, queries and forms.

Every request through the global patch gets a v1.1 answer (JSON, v1.1 status) and the v2
requests it causes go only to the expected routes. The count is printed at the end.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from requests_oauthlib import OAuth1

from compat import patch
from compat.emulator import Emulator

pytestmark = pytest.mark.filterwarnings("ignore::compat.warnings.LegacyFavoritesWarning")

ALLOWED_V2 = re.compile(
    r"/2/(tweets|users/me|users/[0-9]{1,19}/likes(/[0-9]{1,19})?|users/[0-9]{1,19}/liked_tweets"
    r"|users/by/username/[A-Za-z0-9_]{1,15})"
)
V1_STATUSES = {200, 400, 401, 403, 404, 429, 500, 503}
TRIED = [0]

hostile = st.one_of(
    st.text(max_size=25),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(
        [
            "1626194750222094336",
            "12/../",
            "1\n",
            "١٢",
            "%2e%2e/",
            "1;DROP",
            "0x10",
            "",
            " 7",
            "9" * 25,
            "1e3",
            "<script>",
            "\x00",
            "😀",
        ]
    ),
)
names = st.sampled_from(
    [
        "id",
        "count",
        "max_id",
        "since_id",
        "user_id",
        "screen_name",
        "tweet_mode",
        "include_entities",
        "trim_user",
        "bogus",
        "oauth_token",
    ]
)
params = st.lists(st.tuples(names, hostile), max_size=5)  # duplicates allowed on purpose
routes = st.sampled_from(
    [
        "/1.1/favorites/create.json",
        "/1.1/favorites/destroy.json",
        "/1.1/favorites/list.json",
        "/1.1/favorites/create/{x}.json",
    ]
)


@pytest.fixture(scope="module")
def emu(figures: list[str]) -> Iterator[Emulator]:
    with Emulator(likes=120) as emulator:
        emulator.rate_limits.lift()
        yield emulator
    figures.append(
        f"adapter parsing: {TRIED[0]} generated v1.1 requests (hostile ids, duplicated and "
        "unknown parameters, odd paths, GET and POST, query and form): every answer a v1.1 "
        "status with a JSON body, every v2 request to an expected route"
    )


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    route=routes,
    x=hostile,
    query=params,
    form=params,
    method=st.sampled_from(["GET", "POST"]),
    host=st.sampled_from(["api.twitter.com", "API.X.COM", "api.x.com"]),
)
def test_every_request_gets_a_v11_answer(
    emu: Emulator,
    route: str,
    x: str,
    query: list[tuple[str, str]],
    form: list[tuple[str, str]],
    method: str,
    host: str,
) -> None:
    TRIED[0] += 1
    path = route.replace("{x}", urllib.parse.quote(x, safe=""))
    creds = emu.credentials
    auth = OAuth1(
        creds.consumer_key, creds.consumer_secret, creds.access_token, creds.access_token_secret
    )
    emu.clear_requests()
    with patch.patched(creds, api_base=emu.base_url, sleep=lambda s: None):
        kwargs: dict[str, Any] = {"params": query, "auth": auth, "timeout": 10}
        if method == "POST" and form:
            kwargs["data"] = form
        response = requests.request(method, f"https://{host}{path}", **kwargs)
    assert response.status_code in V1_STATUSES, (method, path, response.status_code)
    body = response.json()
    assert isinstance(body, (list, dict))
    if response.status_code != 200:
        assert isinstance(body, dict) and body["errors"][0]["code"] > 0
    for record in emu.requests:
        assert ALLOWED_V2.fullmatch(record.path), record.path
