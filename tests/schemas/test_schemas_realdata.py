"""The v2 schemas accept every real v2 payload and cassette body, and reject what the shim
cannot use (ids that are not digit strings, missing meta, non-boolean liked, …)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from compat import schemas
from tests._support.schemas import REAL_V2, REALDATA, cassette_bodies, load

BACKENDS = schemas.BACKENDS
V2_CASSETTES = [(label, name, body) for label, name, body in cassette_bodies() if name]

# Real v2 error bodies quoted in issue 3 (part 8) and the X API docs: problem JSON and errors list.
PROBLEMS: list[Any] = [
    {
        "errors": [{"message": "This tweet cannot be found."}],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": "https://api.twitter.com/2/problems/invalid-request",
    },
    {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"},
    {
        "title": "Forbidden",
        "type": "about:blank",
        "status": 403,
        "detail": "You are not permitted to perform this action.",
    },
    {
        "client_id": "123",
        "detail": "When authenticating requests to the Twitter API v2 endpoints, you must use "
        "keys and tokens from a Twitter developer App that is attached to a Project.",
        "registration_url": "https://developer.twitter.com/en/docs/projects/overview",
        "title": "Client Forbidden",
        "required_enrollment": "Appropriate Level of API Access",
        "reason": "client-not-enrolled",
        "type": "https://api.twitter.com/2/problems/client-forbidden",
    },
    {
        "title": "Too Many Requests",
        "detail": "Too Many Requests",
        "type": "about:blank",
        "status": 429,
    },
    {"errors": [{"code": 32, "message": "Could not authenticate you."}]},
]


def test_every_real_v2_file_is_mapped_to_a_schema() -> None:
    v2_files = {p.name for p in REALDATA.glob("*v2*.json")}
    assert v2_files == set(REAL_V2)


def test_the_cassettes_hold_the_recorded_v2_responses() -> None:
    names = sorted(name for _, name, _ in V2_CASSETTES)
    assert names == [
        "v2/like_result",
        "v2/like_result",
        "v2/liked_tweets_page",
        "v2/tweets_lookup",
        "v2/tweets_lookup",
        "v2/user_lookup",
        "v2/users_me",
    ]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("filename", "name"), sorted(REAL_V2.items()))
def test_real_v2_payload_is_valid(filename: str, name: str, backend: schemas.Backend) -> None:
    doc = load(REALDATA / filename)
    validator = schemas.Validator(name, backend=backend)
    assert validator.error(doc) is None
    assert validator.is_valid(doc)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("label", "name", "body"), V2_CASSETTES, ids=[c[0] for c in V2_CASSETTES])
def test_cassette_v2_body_is_valid(
    label: str, name: str, body: Any, backend: schemas.Backend
) -> None:
    assert schemas.Validator(name, backend=backend).error(body) is None


@pytest.mark.parametrize(("filename", "name"), sorted(REAL_V2.items()))
def test_validate_accepts_real_payload_in_strict_mode(filename: str, name: str) -> None:
    assert schemas.get_mode() == "strict"
    schemas.validate(name, load(REALDATA / filename))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("body", PROBLEMS)
def test_real_v2_error_bodies_are_problems(body: Any, backend: schemas.Backend) -> None:
    assert schemas.Validator("v2/problem", backend=backend).error(body) is None


def _liked() -> Any:
    return load(REALDATA / "tweepy_v2_liked_tweets.json")


def _expanded() -> Any:
    return load(REALDATA / "socialfoundations_v2_tweet_1_expanded.json")


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    doc = copy.deepcopy(doc)
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return doc


def _drop(doc: Any, path: tuple[Any, ...]) -> Any:
    doc = copy.deepcopy(doc)
    node = doc
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return doc


BROKEN: list[tuple[str, str, Any, str, str]] = [
    # (case, schema, document, expected JSON path, expected rule)
    (
        "id as int",
        "v2/liked_tweets_page",
        _set(_liked(), ("data", 3, "id"), 1443969410440601638),
        "$.data[3].id",
        "type",
    ),
    (
        "id with newline",
        "v2/liked_tweets_page",
        _set(_liked(), ("data", 3, "id"), "1443969410440601638\n"),
        "$.data[3].id",
        "pattern",
    ),
    (
        "id in Arabic-Indic digits",
        "v2/liked_tweets_page",
        _set(_liked(), ("data", 0, "id"), "١٢٣"),
        "$.data[0].id",
        "pattern",
    ),
    (
        "id of 20 digits",
        "v2/liked_tweets_page",
        _set(_liked(), ("data", 0, "id"), "1" * 20),
        "$.data[0].id",
        "pattern",
    ),
    ("no meta", "v2/liked_tweets_page", _drop(_liked(), ("meta",)), "$", "required"),
    (
        "result_count a string",
        "v2/liked_tweets_page",
        _set(_liked(), ("meta", "result_count"), "96"),
        "$.meta.result_count",
        "type",
    ),
    (
        "result_count NaN",
        "v2/liked_tweets_page",
        _set(_liked(), ("meta", "result_count"), float("nan")),
        "$.meta.result_count",
        "type",
    ),
    ("data not a list", "v2/liked_tweets_page", _set(_liked(), ("data",), {}), "$.data", "type"),
    (
        "text missing",
        "v2/liked_tweets_page",
        _drop(_liked(), ("data", 5, "text")),
        "$.data[5]",
        "required",
    ),
    (
        "text a number",
        "v2/tweets_lookup",
        _set(_expanded(), ("data", "text"), 5),
        "$.data.text",
        "type",
    ),
    (
        "created_at not ISO",
        "v2/liked_tweets_page",
        _set(
            load(REALDATA / "sns_sdks_v2_liked_tweets_author_expansion.json"),
            ("data", 1, "created_at"),
            "Wed Oct 10 20:19:24 +0000 2018",
        ),
        "$.data[1].created_at",
        "pattern",
    ),
    (
        "created_at month 13",
        "v2/liked_tweets_page",
        _set(
            load(REALDATA / "sns_sdks_v2_liked_tweets_author_expansion.json"),
            ("data", 1, "created_at"),
            "2021-13-10T16:34:04.000Z",
        ),
        "$.data[1].created_at",
        "pattern",
    ),
    (
        "like_count a string",
        "v2/tweet",
        _set(_expanded()["data"], ("public_metrics", "like_count"), "35"),
        "$.public_metrics.like_count",
        "type",
    ),
    (
        "like_count negative",
        "v2/tweet",
        _set(_expanded()["data"], ("public_metrics", "like_count"), -1),
        "$.public_metrics.like_count",
        "minimum",
    ),
    (
        "url entity start a string",
        "v2/tweet",
        _set(_expanded()["data"], ("entities", "urls", 0, "start"), "30"),
        "$.entities.urls[0].start",
        "type",
    ),
    (
        "includes.users not a list",
        "v2/includes",
        _set(_expanded()["includes"], ("users",), {}),
        "$.users",
        "type",
    ),
    (
        "included user without username",
        "v2/includes",
        _drop(_expanded()["includes"], ("users", 1, "username")),
        "$.users[1]",
        "required",
    ),
    (
        "quoted post id as int",
        "v2/includes",
        _set(_expanded()["includes"], ("tweets", 0, "id"), 1625906492120477709),
        "$.tweets[0].id",
        "type",
    ),
    ("liked a string", "v2/like_result", {"data": {"liked": "true"}}, "$.data.liked", "type"),
    ("liked missing", "v2/like_result", {"data": {}}, "$.data", "required"),
    ("users/me without data", "v2/users_me", {"errors": []}, "$", "required"),
    (
        "users/me id as int",
        "v2/users_me",
        {"data": {"id": 1072250532645998596, "name": "T", "username": "T"}},
        "$.data.id",
        "type",
    ),
    ("lookup with neither data nor errors", "v2/tweets_lookup", {"includes": {}}, "$", "anyOf"),
    ("problem without anything", "v2/problem", {"status": 400}, "$", "anyOf"),
    ("problem status a string", "v2/problem", {"title": "x", "status": "400"}, "$.status", "type"),
    (
        "media key malformed",
        "v2/media",
        {"media_key": "3_x", "type": "photo"},
        "$.media_key",
        "pattern",
    ),
]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    ("case", "name", "doc", "path", "rule"), BROKEN, ids=[b[0] for b in BROKEN]
)
def test_broken_payload_is_rejected_with_path_and_rule(
    case: str, name: str, doc: Any, path: str, rule: str, backend: schemas.Backend
) -> None:
    validator = schemas.Validator(name, backend=backend)
    assert not validator.is_valid(doc)
    err = validator.error(doc)
    assert err is not None
    assert (err.schema, err.path, err.rule) == (name, path, rule)


@pytest.mark.parametrize("backend", BACKENDS)
def test_fields_x_adds_later_are_accepted(backend: schemas.Backend) -> None:
    doc = _expanded()
    doc["data"]["brand_new_field"] = {"anything": [1, "x", None]}
    doc["includes"]["users"][0]["another_new_field"] = True
    doc["includes"]["brand_new_kind"] = [{"id": "1"}]
    doc["meta"] = {"whatever": 1}
    assert schemas.Validator("v2/tweets_lookup", backend=backend).error(doc) is None


@pytest.mark.parametrize("backend", BACKENDS)
def test_partial_errors_without_data_are_valid_lookups(backend: schemas.Backend) -> None:
    body = {
        "errors": [
            {
                "value": "1",
                "detail": "Could not find tweet with ids: [1].",
                "title": "Not Found Error",
                "resource_type": "tweet",
                "parameter": "ids",
                "resource_id": "1",
                "type": "https://api.twitter.com/2/problems/resource-not-found",
            }
        ]
    }
    assert schemas.Validator("v2/tweets_lookup", backend=backend).error(body) is None
    assert schemas.Validator("v2/user_lookup", backend=backend).error(body) is None
    assert (
        schemas.Validator("v2/liked_tweets_page", backend=backend).error(
            {"meta": {"result_count": 0}}
        )
        is None
    )
