"""reshape.ReshapeOptions: one frozen value for tweet_mode, include_entities, trim_user and
include_ext_alt_text, in place of (never together with) the separate keywords."""

from __future__ import annotations

import dataclasses
import inspect
import itertools
from typing import Any

import pytest

from compat import reshape
from compat.errors import InvalidParameter
from compat.reshape import ReshapeOptions
from tests._support import load_real

PAGE = "tweepy_v2_liked_tweets.json"
# with includes: authors, quoted posts, media
RICH_PAGES = [
    "sns_sdks_v2_liked_tweets_author_expansion.json",
    "socialfoundations_v2_tweet_1_expanded.json",
]
LEGACY = {
    "tweet_mode": "extended",
    "include_entities": False,
    "trim_user": True,
    "include_ext_alt_text": True,
}


def _all_options() -> list[dict[str, Any]]:
    return [
        dict(zip(LEGACY, values, strict=True))
        for values in itertools.product(("compat", "extended"), *[(True, False)] * 3)
    ]


@pytest.mark.parametrize("name", [PAGE, *RICH_PAGES])
@pytest.mark.parametrize("settings", _all_options(), ids=lambda s: ",".join(map(str, s.values())))
def test_options_shape_real_posts_as_the_keywords_do(name: str, settings: dict[str, Any]) -> None:
    page = load_real(name)
    options = ReshapeOptions(**settings)
    missing_kw: set[str] = set()
    missing_opt: set[str] = set()
    by_keywords = reshape.page_to_v1(page, favorited=True, missing=missing_kw, **settings)
    by_options = reshape.page_to_v1(page, favorited=True, missing=missing_opt, options=options)
    assert by_options == by_keywords and missing_opt == missing_kw
    idx = reshape.index_includes(page.get("includes"))
    posts = page["data"] if isinstance(page["data"], list) else [page["data"]]
    for post, expected in zip(posts, by_keywords, strict=True):
        assert reshape.tweet_to_v1(post, idx, favorited=True, options=options) == expected
    extended = settings["tweet_mode"] == "extended"
    assert all(("full_text" in t) is extended for t in by_options)
    assert all(("entities" in t) is settings["include_entities"] for t in by_options)


def test_no_options_and_default_options_agree() -> None:
    page = load_real(PAGE)
    assert reshape.page_to_v1(page, options=ReshapeOptions()) == reshape.page_to_v1(page)


@pytest.mark.parametrize("name", list(LEGACY))
@pytest.mark.parametrize("call", ["tweet_to_v1", "page_to_v1"])
def test_options_and_a_keyword_together_are_a_type_error(name: str, call: str) -> None:
    post = {"id": "20", "text": "hi"}
    arg = post if call == "tweet_to_v1" else {"data": [post]}
    function = getattr(reshape, call)
    # Even a keyword passed at its default value: which one was meant is not clear.
    default = getattr(ReshapeOptions(), name)
    for value in (LEGACY[name], default):
        with pytest.raises(TypeError, match=rf"{call}\(\) got options= and {name}="):
            function(arg, options=ReshapeOptions(), **{name: value})


def test_options_must_be_reshape_options() -> None:
    with pytest.raises(TypeError, match="ReshapeOptions"):
        reshape.tweet_to_v1({"id": "20", "text": "hi"}, options={"tweet_mode": "extended"})  # type: ignore[arg-type]


def test_options_are_checked_frozen_and_comparable() -> None:
    with pytest.raises(InvalidParameter, match="tweet_mode"):
        ReshapeOptions(tweet_mode="full")  # type: ignore[arg-type]
    options = ReshapeOptions(tweet_mode="extended")
    assert options.extended is True and ReshapeOptions().extended is False
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.trim_user = True  # type: ignore[misc]
    assert options == ReshapeOptions(tweet_mode="extended") != ReshapeOptions()
    assert hash(options) == hash(ReshapeOptions(tweet_mode="extended"))
    assert dataclasses.replace(options, tweet_mode="compat").extended is False
    assert repr(ReshapeOptions()) == (
        "ReshapeOptions(tweet_mode='compat', include_entities=True, trim_user=False, "
        "include_ext_alt_text=False, v2_extras=False)"
    )


def test_keyword_calls_build_no_options(monkeypatch: pytest.MonkeyPatch) -> None:
    # The hot path: a page, or one call per post, takes a prebuilt ReshapeOptions.
    built: list[ReshapeOptions] = []
    original = ReshapeOptions.__post_init__

    def counting(self: ReshapeOptions) -> None:
        built.append(self)
        original(self)

    monkeypatch.setattr(ReshapeOptions, "__post_init__", counting)
    page = load_real(PAGE)
    for settings in [{}, *_all_options()]:
        reshape.page_to_v1(page, **settings)
        reshape.tweet_to_v1(page["data"][0], **settings)
    assert built == []


def test_other_flag_values_still_count_by_truth_value() -> None:
    post = {"id": "20", "text": "hi", "author_id": "12"}
    assert "entities" not in reshape.tweet_to_v1(post, include_entities=None)  # type: ignore[arg-type]
    assert "entities" not in reshape.tweet_to_v1(post, include_entities=[])  # type: ignore[arg-type]
    trimmed = reshape.tweet_to_v1(post, trim_user=1)  # type: ignore[arg-type]
    assert trimmed["user"] == {"id": 12, "id_str": "12"}


@pytest.mark.parametrize("call", ["tweet_to_v1", "page_to_v1"])
def test_signatures_show_the_defaults(call: str) -> None:
    parameters = inspect.signature(getattr(reshape, call)).parameters
    shown = {name: repr(parameters[name].default) for name in LEGACY}
    assert shown == {
        "tweet_mode": "'compat'",
        "include_entities": "True",
        "trim_user": "False",
        "include_ext_alt_text": "False",  # v1.1's defaults: what a request without them got
    }
    assert parameters["options"].default is None
    assert "v2_extras" not in parameters  # not a v1.1 parameter: ReshapeOptions only


def test_defaults_are_v11s_defaults() -> None:
    # A request that sent none of v1.1's parameters got compat text, entities, the full user,
    # no ext_alt_text; and no key v2 adds.
    assert ReshapeOptions() == ReshapeOptions(
        tweet_mode="compat",
        include_entities=True,
        trim_user=False,
        include_ext_alt_text=False,
        v2_extras=False,
    )
