"""compat._v1types: the TypedDicts are the one list of v1.1 keys. The JSON schemas, reshape's key
lists and real v1.1 payloads agree with them, and mypy really catches a misspelt key or mode."""

from __future__ import annotations

import ast
import doctest
import json
import pathlib
import re
import subprocess
import sys
from typing import Any

import pytest

import compat._v1types
from compat import reshape
from compat._v1types import V1Tweet, V1User
from tests._support import ROOT, load_real
from tests._support.v11 import V11_DIR
from tests.reshape._pairs import PAIRS

# Statuses as v1.1 served them from 2016 on (favorites/create, statuses/show): v1.1's key order.
MODERN_V11 = [
    "tweepy_v11_create_favorite.json",
    "tweepy_v11_destroy_favorite.json",
    "python_twitter_v11_create_favorite.json",
    "socialfoundations_v1_tweet_1.json",
    *(pair.v11 for pair in PAIRS if pair.v11.startswith("x_docs_")),
]
# A key users embedded in 2014's statuses had (always null) and later ones did not.
ERA_USER_KEYS = {"profile_location"}
ALL_V11 = [
    *((name, False) for name in MODERN_V11),
    ("tweepy_v11_favorites_list_2014.json", True),
    ("python_twitter_v11_get_favorites.json", True),
]


def _schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((V11_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return schema


def _real_statuses() -> list[dict[str, Any]]:
    statuses: list[dict[str, Any]] = []
    for name, is_list in ALL_V11:
        data = load_real(name)
        for status in data if is_list else [data]:
            statuses.append(status)
            statuses.extend(status[k] for k in ("quoted_status", "retweeted_status") if k in status)
    return statuses


# -- the JSON schemas say the same ------------------------------------------------------------


def test_tweet_schema_has_the_typeddict_keys() -> None:
    schema = _schema("tweet")
    assert set(schema["properties"]) == set(V1Tweet.__annotations__)
    assert set(schema["required"]) == V1Tweet.__required_keys__
    assert set(schema["properties"]) - set(schema["required"]) == V1Tweet.__optional_keys__
    # The keys the schema requires only in some cases are optional ones.
    for branch in schema["oneOf"]:
        assert set(branch["required"]) <= V1Tweet.__optional_keys__
    for key, needs in schema["dependentRequired"].items():
        assert {key, *needs} <= V1Tweet.__optional_keys__


def test_user_schema_has_the_typeddict_keys() -> None:
    schema = _schema("user")
    assert set(schema["properties"]) == set(V1User.__annotations__)
    assert set(schema["required"]) == V1User.__required_keys__
    assert V1User.__optional_keys__ == frozenset({"withheld_in_countries"})
    # trim_user=True: only the ids, both v1.1 user keys.
    assert set(schema["$defs"]["trimmed"]["properties"]) == {"id", "id_str"}


# -- reshape's key lists are derived from them ------------------------------------------------


def test_user_keys_are_the_typeddict_in_order() -> None:
    assert tuple(V1User.__annotations__) == (*reshape.USER_KEYS, "withheld_in_countries")
    assert tuple(reshape.user_to_v1(None)) == reshape.USER_KEYS


def test_tweet_keys_are_the_default_options_keys() -> None:
    keys = reshape.TWEET_KEYS
    assert set(keys) == V1Tweet.__required_keys__ | {"text", "entities"}
    assert len(keys) == len(set(keys))
    order = list(V1Tweet.__annotations__)
    assert list(keys) == sorted(keys, key=order.index)
    assert set(reshape.tweet_to_v1({"id": "20", "text": "hi"})) == set(keys)


@pytest.mark.parametrize("name", MODERN_V11)
def test_key_order_is_v11s(name: str) -> None:
    status = load_real(name)
    assert [k for k in status if k in reshape.TWEET_KEYS] == [
        k for k in reshape.TWEET_KEYS if k in status
    ]
    # And every key, the optional ones too, nested statuses included: the TypedDict's order.
    for tweet in (
        status,
        *(status[k] for k in ("quoted_status", "retweeted_status") if k in status),
    ):
        assert list(tweet) == [k for k in V1Tweet.__annotations__ if k in tweet]


def test_real_v11_keys_are_all_known() -> None:
    seen_user_keys: set[str] = set()
    for status in _real_statuses():
        assert set(status) <= set(V1Tweet.__annotations__)
        # Users of each era had some of the keys, always in this order.
        user_keys = [k for k in status["user"] if k not in ERA_USER_KEYS]
        assert user_keys == [k for k in V1User.__annotations__ if k in status["user"]]
        seen_user_keys.update(user_keys)
    assert seen_user_keys == set(V1User.__annotations__)  # none made up


def test_reshaped_real_pages_have_the_declared_keys() -> None:
    for name in ("tweepy_v2_liked_tweets.json", "socialfoundations_v2_tweet_1_expanded.json"):
        for mode in ("compat", "extended"):
            for status in reshape.page_to_v1(load_real(name), tweet_mode=mode):
                assert V1Tweet.__required_keys__ <= set(status) <= set(V1Tweet.__annotations__)
                assert list(status) == [k for k in V1Tweet.__annotations__ if k in status]
                user = set(status["user"])
                assert V1User.__required_keys__ <= user <= set(V1User.__annotations__)


# -- the module itself ------------------------------------------------------------------------


def test_v1types_is_pure_types() -> None:
    source = pathlib.Path(compat._v1types.__file__).read_text(encoding="utf-8")
    imported: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0
            imported.add(node.module or "")
    assert imported == {"__future__", "typing"}


def test_v1types_docstring_examples_run() -> None:
    result = doctest.testmod(compat._v1types, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 4 and result.failed == 0


def test_reshape_exports_the_types() -> None:
    assert {"ReshapeOptions", "TweetMode", "V1Tweet", "V1User"} <= set(reshape.__all__)
    assert reshape.V1Tweet is V1Tweet and reshape.V1User is V1User


# -- mypy catches what the types promise ------------------------------------------------------

SNIPPET = """\
from compat._v1types import V1Tweet
from compat.reshape import ReshapeOptions, page_to_v1, tweet_to_v1

status: V1Tweet = tweet_to_v1({"id": "1", "text": "x"}, tweet_mode="extended")
liked: bool = status["favorited"]
first: V1Tweet = page_to_v1({}, options=ReshapeOptions(tweet_mode="compat"))[0]
name: str | None = first["user"]["screen_name"]
status["favoritd"]
tweet_to_v1({"id": "1", "text": "x"}, tweet_mode="extnded")
"""


def test_mypy_catches_a_misspelt_key_and_tweet_mode(tmp_path: pathlib.Path) -> None:
    snippet = tmp_path / "legacy_user_code.py"
    snippet.write_text(SNIPPET, encoding="utf-8")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--follow-imports=silent",  # only the snippet's errors, not other files'
            "--cache-dir",
            str(tmp_path / "mypy_cache"),
            "--no-color-output",
            "--show-error-codes",
            str(snippet),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    errors = re.findall(r"legacy_user_code\.py:(\d+): error: (.*)", run.stdout)
    assert run.returncode == 1, run.stdout + run.stderr
    assert [line for line, _ in errors] == ["8", "9"], run.stdout
    assert '"favoritd"' in errors[0][1] and "[typeddict-item]" in errors[0][1]
    assert "'extnded'" in errors[1][1] and "[arg-type]" in errors[1][1]
