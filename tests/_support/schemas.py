"""Shared data for the schema tests: real payloads, cassette bodies and their schema names."""

from __future__ import annotations

import json
import pathlib
import re
import urllib.parse
from typing import Any

import yaml

from tests._support.paths import CASSETTES, REALDATA

#: real v2 bodies (tests/realdata) and the schema each one is the response of
REAL_V2: dict[str, str] = {
    "tweepy_v2_like.json": "v2/like_result",
    "tweepy_v2_unlike.json": "v2/like_result",
    "tweepy_v2_users_me.json": "v2/users_me",
    "tweepy_v2_liked_tweets.json": "v2/liked_tweets_page",
    "sns_sdks_v2_liked_tweets_author_expansion.json": "v2/liked_tweets_page",
    "tweepy_v2_tweets_lookup.json": "v2/tweets_lookup",
    "socialfoundations_v2_tweet_1_expanded.json": "v2/tweets_lookup",
    "tweepy_v2_liking_users.json": "v2/user_lookup",
    # X's developer docs "Example payloads" (tests/realdata/README.md)
    "x_docs_v2_example_extended.json": "v2/tweets_lookup",
    "x_docs_v2_example_media.json": "v2/tweets_lookup",
    "x_docs_v2_example_quote.json": "v2/tweets_lookup",
    "x_docs_v2_example_reply.json": "v2/tweets_lookup",
    "x_docs_v2_example_retweet.json": "v2/tweets_lookup",
    "x_docs_v2_example_retweeted_quote.json": "v2/tweets_lookup",
    "x_docs_v2_example_tweet.json": "v2/tweets_lookup",
}

_ROUTES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"/2/users/me"), "v2/users_me"),
    (re.compile(r"/2/users/[0-9]+/likes(/[0-9]+)?"), "v2/like_result"),
    (re.compile(r"/2/users/[0-9]+/liked_tweets"), "v2/liked_tweets_page"),
    (re.compile(r"/2/tweets/[0-9]+/liking_users"), "v2/user_lookup"),
    (re.compile(r"/2/tweets(/[0-9]+)?"), "v2/tweets_lookup"),
    (re.compile(r"/2/users(/by/username/[^/]+|/[0-9]+)?"), "v2/user_lookup"),
]


def load(path: pathlib.Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def real_payloads() -> dict[str, Any]:
    """Every JSON file in tests/realdata, by file name."""
    return {p.name: load(p) for p in sorted(REALDATA.glob("*.json"))}


def schema_for_v2(uri: str, status: int) -> str | None:
    """The schema of a v2 response to ``uri`` (None: not a v2 route we know)."""
    path = urllib.parse.urlsplit(uri).path
    if not path.startswith("/2/"):
        return None
    if status >= 400:
        return "v2/problem"
    for pattern, name in _ROUTES:
        if pattern.fullmatch(path):
            return name
    return None


def cassette_bodies() -> list[tuple[str, str | None, Any]]:
    """(``cassette#index METHOD uri``, v2 schema or None, decoded body) of every JSON response."""
    found: list[tuple[str, str | None, Any]] = []
    for path in sorted(CASSETTES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for i, interaction in enumerate(data.get("interactions", [])):
            request, response = interaction["request"], interaction["response"]
            raw = response.get("body", {}).get("string")
            if isinstance(raw, bytes):
                raw = raw.decode("utf-8")
            if not raw:
                continue
            try:
                body = json.loads(raw)
            except ValueError:
                continue
            label = f"{path.name}#{i} {request['method']} {request['uri']}"
            found.append((label, schema_for_v2(request["uri"], response["status"]["code"]), body))
    return found


def documents() -> list[tuple[str, Any]]:
    """Every real document (files, cassette bodies) and, for lists, each item on its own."""
    docs: list[tuple[str, Any]] = list(real_payloads().items())
    docs += [(label, body) for label, _, body in cassette_bodies()]
    out: list[tuple[str, Any]] = []
    for label, doc in docs:
        out.append((label, doc))
        if isinstance(doc, list):
            out += [(f"{label}[{i}]", item) for i, item in enumerate(doc)]
    return out
