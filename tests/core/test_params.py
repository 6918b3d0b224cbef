"""Bad input is refused with InvalidParameter naming the parameter, before any request."""

from __future__ import annotations

import pytest

from compat.errors import InvalidParameter
from compat.params import INT64_MAX, count, screen_name, snowflake, tweet_mode

BAD_IDS = [
    -1,
    0,
    "0",
    1.5,
    "1.5",
    "12/../",
    " 12",
    "12 ",
    "12\n",
    "\u0661\u0662",  # Arabic-Indic digits: str.isdigit() says yes, an id says no
    "\uff11\uff12",  # full-width digits
    None,
    True,
    False,
    "",
    "1" * 20,
    INT64_MAX + 1,
    str(INT64_MAX + 1),
    b"12",
    [12],
    "0x1f",
    "1e5",
    "12%2F",
]


@pytest.mark.parametrize("value", BAD_IDS, ids=repr)
def test_bad_ids_are_refused_naming_the_parameter(value: object) -> None:
    with pytest.raises(InvalidParameter) as info:
        snowflake(value, "id")
    assert info.value.parameter == "id"
    assert str(info.value).startswith("id: ")
    assert info.value.v1_status == 400


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1050118621198921728, "1050118621198921728"),
        ("1050118621198921728", "1050118621198921728"),
        ("007", "7"),
        (INT64_MAX, str(INT64_MAX)),
        (1, "1"),
    ],
)
def test_good_ids_are_canonical_strings(value: object, expected: str) -> None:
    assert snowflake(value, "id") == expected


def test_missing_id_says_missing() -> None:
    with pytest.raises(InvalidParameter, match="id: is missing") as info:
        snowflake(None, "id")
    assert info.value.v1_body["errors"][0]["code"] == 38


@pytest.mark.parametrize("value", [0, 201, -5, "abc", "", 1.0, True, None, "20 "])
def test_count_outside_v11_range(value: object) -> None:
    with pytest.raises(InvalidParameter, match="^count: "):
        count(value)


@pytest.mark.parametrize(("value", "expected"), [(1, 1), (200, 200), ("20", 20)])
def test_count_accepts_v11_range(value: object, expected: int) -> None:
    assert count(value) == expected


def test_screen_name_rules() -> None:
    assert screen_name("@TweepyDev") == "TweepyDev"
    for bad in ["", "a" * 16, "bad name", "x/../y", "é", 5]:
        with pytest.raises(InvalidParameter, match="^screen_name: "):
            screen_name(bad)


def test_tweet_mode() -> None:
    assert tweet_mode(None) == "compat"
    assert tweet_mode("extended") == "extended"
    with pytest.raises(InvalidParameter, match="tweet_mode"):
        tweet_mode("full")
