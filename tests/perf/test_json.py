"""compat._json both ways: orjson (the `fast` extra) and the standard library fallback parse
the same v2 answers to the same values, and every legacy library parses the v1.1 bodies of
either to equal objects (the bytes may differ: orjson does not escape non-ASCII)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import tweepy
import twython

from compat import _json, adapter, reshape, transport
from compat import patch as compat_patch
from compat.credentials import Credentials
from compat.emulator import Emulator
from tests._support.adapter import LIST, signer
from tests._support.realdata import load_real

RECORDED = (
    "tweepy_v2_liked_tweets.json",
    "sns_sdks_v2_liked_tweets_author_expansion.json",
    "socialfoundations_v2_tweet_1_expanded.json",
)


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(likes=120, rate_limits=False) as emulator:
        yield emulator


@pytest.fixture(params=["orjson", "json"])
def library(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "json":
        monkeypatch.setattr(_json, "_orjson", None)  # the fallback, as without compat[fast]
    assert _json.backend() == request.param
    return str(request.param)


def test_orjson_is_what_the_fast_extra_installs() -> None:
    assert _json.BACKEND == "orjson"  # the test extra installs it; the fallback is forced below


@pytest.mark.parametrize("name", RECORDED)
def test_both_parse_real_v2_answers_to_the_same_value(name: str, library: str) -> None:
    body = json.dumps(load_real(name), ensure_ascii=False).encode("utf-8")
    assert transport._parse(body) == json.loads(body)


@pytest.mark.parametrize(
    "body",
    [b'"\\ud800"', b"NaN", b"[1, Infinity]", b"\xef\xbb\xbf{}", b"[" * 1500 + b"]" * 1500],
    ids=["lone-surrogate", "nan", "infinity", "bom", "deep"],
)
def test_what_orjson_refuses_the_standard_library_decides(body: bytes, library: str) -> None:
    try:
        expected: Any = json.loads(body)
    except (ValueError, RecursionError) as exc:
        with pytest.raises(type(exc)):
            _json.loads(body)
        return
    got = _json.loads(body)
    assert got == expected or json.dumps(got) == json.dumps(expected)  # NaN != NaN


def test_dumps_falls_back_for_what_orjson_cannot_write(library: str) -> None:
    for value in ({"n": 2**70}, {"t": "\ud800"}, {1: "non-string key"}):
        assert json.loads(adapter.dump_v1(value)) == json.loads(json.dumps(value))


def test_v1_bytes_differ_but_parse_equal(emu: Emulator) -> None:
    payload = json.loads(_emulator_page(emu))
    statuses = reshape.page_to_v1(payload, favorited=True)
    fast = adapter.dump_v1(statuses)
    slow = json.dumps(statuses, separators=(",", ":")).encode("ascii")
    assert json.loads(fast) == json.loads(slow) == statuses
    assert any(b > 0x7F for b in fast), "the page has non-ASCII text: orjson writes UTF-8"


def _emulator_page(emu: Emulator) -> bytes:
    c = emu.credentials
    response = requests.get(
        f"{emu.base_url}/2/users/{emu.user_id}/liked_tweets",
        params={**reshape.V2_QUERY, "max_results": "100"},
        auth=signer(
            Credentials(c.consumer_key, c.consumer_secret, c.access_token, c.access_token_secret)
        ),
        timeout=30,
    )
    response.raise_for_status()
    return response.content


def _served(emu: Emulator) -> dict[str, Any]:
    """What each legacy library parses from the same favorites/list answer of the shim."""
    c = emu.credentials
    with compat_patch.install(c, api_base=emu.base_url):
        raw = requests.get(LIST, params={"count": 100, "tweet_mode": "extended"}, auth=signer(c))
        api = tweepy.API(
            tweepy.OAuth1UserHandler(
                c.consumer_key, c.consumer_secret, c.access_token, c.access_token_secret
            )
        )
        tweepy_statuses = api.get_favorites(count=100, tweet_mode="extended")
        twython_statuses = twython.Twython(
            c.consumer_key, c.consumer_secret, c.access_token, c.access_token_secret
        ).get_favorites(count=100, tweet_mode="extended")
    assert raw.headers["content-type"] == "application/json;charset=utf-8"
    return {
        "bytes": raw.content,
        # python-twitter 3.5's Api._ParseAndCheckTwitter: json.loads(resp.content.decode("utf-8"))
        "python-twitter": json.loads(raw.content.decode("utf-8")),
        # tweepy 3.10 and 4: json.loads(resp.text) with the charset of the header
        "text": json.loads(raw.text),
        "tweepy 4": [s._json for s in tweepy_statuses],
        "tweepy 4 models": [
            (s.id, s.full_text, s.user.screen_name, s.created_at) for s in tweepy_statuses
        ],
        "Twython": twython_statuses,
    }


def test_every_legacy_library_parses_both_to_equal_objects(
    emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = _served(emu)
    monkeypatch.setattr(_json, "_orjson", None)
    slow = _served(emu)
    assert fast["bytes"] != slow["bytes"]  # UTF-8 against ASCII escapes
    assert slow["bytes"].isascii() and not fast["bytes"].isascii()
    for name in ("python-twitter", "text", "tweepy 4", "tweepy 4 models", "Twython"):
        assert fast[name] == slow[name], name
    assert len(fast["tweepy 4"]) == 100


def test_large_bodies_go_to_the_standard_library(monkeypatch: pytest.MonkeyPatch) -> None:
    """orjson's peak memory on a long string is many times the body's (a hostile 10 MB error
    message); above FAST_MAX_BYTES the standard library parses."""
    seen: list[int] = []

    class Recorder:
        JSONDecodeError = ValueError

        @staticmethod
        def loads(body: bytes) -> object:
            seen.append(len(body))
            return json.loads(body)

    monkeypatch.setattr(_json, "_orjson", Recorder)
    small = json.dumps({"detail": "x" * 100}).encode()
    large = json.dumps({"detail": "x" * _json.FAST_MAX_BYTES}).encode()
    assert _json.loads(small) == json.loads(small) and _json.loads(large) == json.loads(large)
    assert seen == [len(small)]
