"""The v1.1 schemas of the companion calls that are v1.1/tweet.json or v1.1/user.json with a
key more or less, derived so that they never drift from those two files.

``python -m tests.companions._derive`` rewrites them; tests/companions/test_schemas.py fails
when a written file differs from what this derives.
"""

from __future__ import annotations

import copy
import json
import pathlib
from typing import Any

V11 = pathlib.Path(__file__).resolve().parents[2] / "schemas" / "v1.1"
BASE = "https://compat.invalid/schemas/v1.1/"


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((V11 / f"{name}.json").read_text(encoding="utf-8"))
    return data


def _nested_as_tweets(node: Any) -> Any:
    """A quoted or retweeted status inside a derived status is a whole v1.1 tweet."""
    if isinstance(node, dict):
        if node == {"$ref": "#"}:
            return {"$ref": "tweet.json"}
        return {k: _nested_as_tweets(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_nested_as_tweets(v) for v in node]
    return node


def derived() -> dict[str, dict[str, Any]]:
    tweet, user = _load("tweet"), _load("user")
    embedded = _nested_as_tweets(copy.deepcopy(tweet))
    embedded["$id"] = BASE + "embedded_status.json"
    embedded["title"] = (
        "v1.1 status embedded in a user object (users/show, users/lookup, "
        "account/verify_credentials): a tweet without its 'user' (derived from tweet.json)"
    )
    del embedded["properties"]["user"]
    embedded["required"] = [k for k in embedded["required"] if k != "user"]

    search_status = _nested_as_tweets(copy.deepcopy(tweet))
    search_status["$id"] = BASE + "search_status.json"
    search_status["title"] = (
        "v1.1 status of a search/tweets answer: a tweet with its search 'metadata' "
        "(developer.twitter.com v1.1 GET search/tweets example response; derived from "
        "tweet.json)"
    )
    search_status["properties"]["metadata"] = {
        "type": "object",
        "properties": {
            "iso_language_code": {"type": ["string", "null"]},
            "result_type": {"enum": ["recent", "popular"]},
        },
        "required": ["iso_language_code", "result_type"],
        "additionalProperties": False,
    }
    search_status["required"] = [*search_status["required"], "metadata"]

    profile = copy.deepcopy(user)
    profile["$id"] = BASE + "profile.json"
    profile["title"] = (
        "v1.1 user object of users/show, users/lookup and account/verify_credentials: "
        "user.json plus the latest 'status' (left out with skip_status or for a user "
        "without posts) and, with include_email, 'email' (developer.twitter.com v1.1 "
        "GET users/show and GET account/verify_credentials example responses; derived "
        "from user.json)"
    )
    profile["properties"]["status"] = {"$ref": "embedded_status.json"}
    profile["properties"]["email"] = {"type": ["string", "null"]}
    return {
        "embedded_status": embedded,
        "search_status": search_status,
        "profile": profile,
    }


def write() -> None:
    for name, schema in derived().items():
        (V11 / f"{name}.json").write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write()
