"""What the emulator serves validates against the project's v2 schemas; "schema" faults do not."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from compat import schemas
from compat.emulator import Emulator
from compat.emulator.fields import (
    MEDIA_FIELDS,
    PLACE_FIELDS,
    POLL_FIELDS,
    TWEET_EXPANSIONS,
    TWEET_FIELDS,
    USER_FIELDS,
)
from compat.errors import SchemaError
from tests._support.emulator_api import Api, oauth1

FULL = {
    "tweet.fields": ",".join(TWEET_FIELDS),
    "user.fields": ",".join(USER_FIELDS),
    "media.fields": ",".join(MEDIA_FIELDS),
    "place.fields": ",".join(PLACE_FIELDS),
    "poll.fields": ",".join(POLL_FIELDS),
    "expansions": ",".join(TWEET_EXPANSIONS),
}


@pytest.fixture(scope="module")
def synth() -> Iterator[Emulator]:
    with Emulator(likes=300, rate_limits=False) as emulator:
        yield emulator


@pytest.fixture
def sapi(synth: Emulator) -> Iterator[Api]:
    client = Api(synth, oauth1(synth.credentials))
    yield client
    client.close()


def test_every_liked_page_with_every_field_validates(sapi: Api, synth: Emulator) -> None:
    token = None
    pages = 0
    while True:
        params: dict[str, Any] = dict(FULL, max_results=100)
        if token:
            params["pagination_token"] = token
        page = sapi.get(f"/2/users/{synth.user_id}/liked_tweets", **params).json()
        schemas.validate("v2/liked_tweets_page", page)
        pages += 1
        token = page["meta"].get("next_token")
        if not token:
            break
    assert pages == 3
    schemas.validate(
        "v2/liked_tweets_page", sapi.get(f"/2/users/{synth.user_id}/liked_tweets").json()
    )


def test_every_dataset_post_validates_as_a_lookup(sapi: Api, synth: Emulator) -> None:
    ids = list(synth.dataset.tweets)
    for start in range(0, len(ids), 99):
        chunk = ids[start : start + 99]  # plus one missing id: 100
        doc = sapi.get("/2/tweets", ids=",".join([*chunk, "1"]), **FULL).json()
        schemas.validate("v2/tweets_lookup", doc)
        assert len(doc["data"]) == len(chunk)


def test_users_and_like_results_validate(sapi: Api, synth: Emulator) -> None:
    user_fields = {"user.fields": ",".join(USER_FIELDS)}
    schemas.validate("v2/users_me", sapi.get("/2/users/me", **user_fields).json())
    for uid in list(synth.dataset.users)[:20]:
        schemas.validate("v2/user_lookup", sapi.get(f"/2/users/{uid}", **user_fields).json())
    schemas.validate("v2/like_result", sapi.like("145344012").json())
    schemas.validate("v2/like_result", sapi.unlike("145344012").json())
    answer = sapi.request("GET", "/2/users/me", auth=None)
    schemas.validate("v2/problem", answer.json())


@pytest.mark.parametrize(
    ("endpoint", "schema", "path"),
    [
        ("liked_tweets", "v2/liked_tweets_page", "/2/users/{uid}/liked_tweets"),
        ("tweets", "v2/tweets_lookup", "/2/tweets?ids=145344012"),
        ("users_me", "v2/users_me", "/2/users/me"),
    ],
)
def test_schema_faults_break_the_schema(
    sapi: Api, synth: Emulator, endpoint: str, schema: str, path: str
) -> None:
    synth.faults.inject(endpoint, "schema")
    doc = sapi.request("GET", path.format(uid=synth.user_id)).json()
    with pytest.raises(SchemaError):
        schemas.validate(schema, doc)
