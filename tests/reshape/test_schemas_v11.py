"""schemas/v1.1: what the shim produces validates; real v1.1 payloads agree on types; both
backends (jsonschema and jsonschema-rs) give the same verdict everywhere."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
import referencing
import referencing.jsonschema

from compat import reshape, schemas
from compat._v1types import V1User
from tests._support import load_real
from tests._support.v11 import V11_DIR, V11Validators
from tests.reshape._pairs import PAIRS

V2_PAYLOADS = [
    "socialfoundations_v2_tweet_1_expanded.json",
    "sns_sdks_v2_liked_tweets_author_expansion.json",
    "tweepy_v2_liked_tweets.json",
    "tweepy_v2_tweets_lookup.json",
    *sorted({pair.v2 for pair in PAIRS if pair.v2.startswith("x_docs_")}),
]
REAL_V11 = [
    ("tweepy_v11_create_favorite.json", False),
    ("tweepy_v11_destroy_favorite.json", False),
    ("tweepy_v11_favorites_list_2014.json", True),
    ("python_twitter_v11_get_favorites.json", True),
    ("python_twitter_v11_create_favorite.json", False),
    ("socialfoundations_v1_tweet_1.json", False),
    *((pair.v11, False) for pair in PAIRS if pair.v11.startswith("x_docs_")),
]
# Keys of users embedded in statuses of 2014 that compat does not emit (null then, gone by 2016).
ERA_USER_KEYS = {"profile_location"}
OPTIONS: list[dict[str, Any]] = [
    {},
    {"tweet_mode": "extended"},
    {"trim_user": True},
    {"include_entities": False},
    {"include_ext_alt_text": False, "favorited": True},
    {"tweet_mode": "extended", "trim_user": True, "include_entities": False},
]


@pytest.mark.parametrize("name", V2_PAYLOADS)
@pytest.mark.parametrize(
    "options", OPTIONS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items())
)
def test_reshaped_real_v2_pages_validate(
    name: str, options: dict[str, Any], v11: V11Validators
) -> None:
    tweets = reshape.page_to_v1(load_real(name), **options)
    assert tweets
    for tweet in tweets:
        assert v11.errors("tweet", tweet) == []


def test_the_project_validator_accepts_our_output() -> None:
    # compat.schemas resolves our cross-file refs ({"$ref": "user.json"}) itself.
    for name in V2_PAYLOADS:
        for tweet in reshape.page_to_v1(load_real(name), tweet_mode="extended"):
            schemas.validate("v1.1/tweet", tweet)


def _walk(schema: Any) -> Iterator[Any]:
    yield schema
    if isinstance(schema, dict):
        for value in schema.values():
            yield from _walk(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _walk(value)


@pytest.mark.parametrize("name", ["tweet", "user", "entities", "error"])
def test_schema_files_follow_the_house_rules(name: str) -> None:
    schema = json.loads((V11_DIR / f"{name}.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"https://compat.invalid/schemas/v1.1/{name}.json"
    jsonschema.Draft202012Validator.check_schema(schema)
    for node in _walk(schema):
        if isinstance(node, dict):
            pattern = node.get("pattern")
            if isinstance(pattern, str):
                assert not pattern.endswith("$"), pattern
                assert "\\d" not in pattern, pattern
            if node.get("type") == "object" and "properties" in node:
                # Exactly what we produce: no stray keys.
                assert node.get("additionalProperties") is False, node.get("title", node)
            ref = node.get("$ref")
            if isinstance(ref, str):
                assert not ref.startswith("http"), ref  # relative, within our files


def test_error_schema_matches_the_real_v11_error_body(v11: V11Validators) -> None:
    body = load_real("twitter_ruby_v11_error_139_already_favorited.json")
    assert v11.errors("error", body) == []
    bad: dict[str, Any]
    for bad in (
        {"errors": []},
        {"errors": [{"code": "139", "message": "x"}]},
        {"errors": [{"code": 139}]},
        {"errors": [{"code": 139, "message": "x", "extra": 1}]},
        {"error": "x"},
    ):
        assert v11.errors("error", bad) != []


def test_pattern_rejects_trailing_newline_in_both_backends(v11: V11Validators) -> None:
    tweet = reshape.page_to_v1(load_real(V2_PAYLOADS[0]))[0]
    for field, value in (
        ("id_str", tweet["id_str"] + "\n"),
        ("id_str", "١٢٣"),
        ("created_at", tweet["created_at"] + "\n"),
        ("id", str(tweet["id"])),
        ("retweet_count", 1.5),
        ("favorite_count", -1),
        ("extra_key", 1),
    ):
        broken = dict(tweet)
        broken[field] = value
        assert v11.errors("tweet", broken) != [], field


def test_text_and_full_text_are_exclusive(v11: V11Validators) -> None:
    compat_mode = reshape.page_to_v1(load_real(V2_PAYLOADS[0]))[0]
    extended = reshape.page_to_v1(load_real(V2_PAYLOADS[0]), tweet_mode="extended")[0]
    both = dict(compat_mode, full_text="x", display_text_range=[0, 1])
    assert v11.errors("tweet", both) != []
    no_range = {k: v for k, v in extended.items() if k != "display_text_range"}
    assert v11.errors("tweet", no_range) != []
    neither = {k: v for k, v in compat_mode.items() if k != "text"}
    assert v11.errors("tweet", neither) != []


# -- real v1.1 payloads: same types for the fields we produce ------------------------------

_STRUCTURAL = {"required", "additionalProperties", "oneOf", "dependentRequired", "minItems"}


def _relaxed(schema: Any, fixed: set[str], here: str = "") -> Any:
    """Our schema without its 'exactly these keys' rules; the properties we always fill with a
    fixed default (NOT_DERIVABLE: null, false, 'none') accept any value."""
    if isinstance(schema, list):
        return [_relaxed(s, fixed, here) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key in _STRUCTURAL:
            continue
        if key == "properties":
            out[key] = {
                prop: ({} if f"{here}{prop}" in fixed else _relaxed(sub, fixed, here))
                for prop, sub in value.items()
            }
        elif key == "$defs":
            out[key] = {name: _relaxed(sub, fixed, here) for name, sub in value.items()}
        else:
            out[key] = _relaxed(value, fixed, here)
    return out


@pytest.fixture(scope="module")
def relaxed_tweet() -> jsonschema.protocols.Validator:
    raw = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in V11_DIR.glob("*.json")}
    tweet_fixed = {k for k in reshape.NOT_DERIVABLE if "." not in k}
    user_fixed = {k[5:] for k in reshape.NOT_DERIVABLE if k.startswith("user.")}
    relaxed = {
        "tweet": _relaxed(raw["tweet"], tweet_fixed),
        "user": _relaxed(raw["user"], user_fixed),
        "entities": _relaxed(raw["entities"], set()),
    }
    resources = [
        (s["$id"], referencing.Resource.from_contents(s, referencing.jsonschema.DRAFT202012))
        for s in relaxed.values()
    ]
    registry: referencing.Registry[Any] = referencing.Registry().with_resources(resources)
    return jsonschema.Draft202012Validator(relaxed["tweet"], registry=registry)


def _real_tweets(name: str, is_list: bool) -> list[dict[str, Any]]:
    data = load_real(name)
    return list(data) if is_list else [data]


@pytest.mark.parametrize(("name", "is_list"), REAL_V11)
def test_real_v11_tweets_have_our_types(
    name: str, is_list: bool, relaxed_tweet: jsonschema.protocols.Validator
) -> None:
    for tweet in _real_tweets(name, is_list):
        errors = [f"{e.json_path}: {e.message:.200}" for e in relaxed_tweet.iter_errors(tweet)]
        assert errors == []


@pytest.mark.parametrize(("name", "is_list"), REAL_V11)
def test_real_v11_key_sets_are_covered(name: str, is_list: bool) -> None:
    # Every key a real v1.1 tweet/user had is one our schema knows (and we emit).
    tweet_schema = json.loads((V11_DIR / "tweet.json").read_text(encoding="utf-8"))
    user_schema = json.loads((V11_DIR / "user.json").read_text(encoding="utf-8"))
    for tweet in _real_tweets(name, is_list):
        assert set(tweet) <= set(tweet_schema["properties"])
        assert set(tweet["user"]) - ERA_USER_KEYS <= set(user_schema["properties"])
        assert set(tweet["user"]) - ERA_USER_KEYS <= set(V1User.__annotations__)


def test_schemas_say_which_keys_each_mode_has(v11: V11Validators) -> None:
    quote = next(p for p in PAIRS if p.label == "quote, extended")
    extended = quote.reshaped()
    compat_mode = reshape.page_to_v1(load_real(quote.v2))[0]
    assert v11.errors("tweet", extended) == [] and v11.errors("tweet", compat_mode) == []
    # Extended mode: every quote has its permalink; compat mode never.
    no_permalink = {k: v for k, v in extended.items() if k != "quoted_status_permalink"}
    assert v11.errors("tweet", no_permalink) != []
    assert v11.errors("tweet", dict(compat_mode, quoted_status_permalink={})) != []
    # The possibly_sensitive pair and the v2_extras counts come together or not at all.
    assert v11.errors("tweet", dict(compat_mode, reply_count=1)) != []
    lone = {k: v for k, v in compat_mode.items() if k != "possibly_sensitive_appealable"}
    assert v11.errors("tweet", lone) != []
    assert v11.errors("tweet", dict(compat_mode, user=dict(compat_mode["user"], x=1))) != []
    assert (
        v11.errors(
            "tweet", dict(compat_mode, user=dict(compat_mode["user"], profile_location=None))
        )
        != []
    )


def test_relaxed_check_still_catches_type_changes(
    relaxed_tweet: jsonschema.protocols.Validator,
) -> None:
    tweet = copy.deepcopy(load_real("tweepy_v11_create_favorite.json"))
    tweet["favorite_count"] = "1137"
    assert list(relaxed_tweet.iter_errors(tweet))


def test_no_pattern_in_any_v11_schema_uses_dollar_or_backslash_d() -> None:
    for path in V11_DIR.glob("*.json"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r'\$"', text.replace('"$ref"', "").replace('"$id"', "")), path
