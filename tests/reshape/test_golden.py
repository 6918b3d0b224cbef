"""The golden pair: real v2 lookup of post 1626194750222094336 → the real v1.1 statuses/show.

Every field the v2 payload can supply must equal the real v1.1 value, recursively into user,
entities and quoted_status (ids compared through ``id_str``: the v1.1 file's ``id`` ints were
rounded when that project re-serialised them). The fields treated as not derivable are named
in tests/reshape/_pairs.py, each with its reason; everything else is compared, keys included.
"""

from __future__ import annotations

from typing import Any

import pytest

from compat import reshape
from tests._support import load_real
from tests._support.v11 import V11Validators
from tests.reshape._pairs import PAIRS, compare

V2 = "socialfoundations_v2_tweet_1_expanded.json"
V1 = "socialfoundations_v1_tweet_1.json"
PAIR = next(p for p in PAIRS if p.v2 == V2)
Pair = tuple[reshape.V1Tweet, dict[str, Any]]  # (ours, the real v1.1 status)


@pytest.fixture(scope="module")
def pair() -> Pair:
    tweets = reshape.page_to_v1(load_real(V2))
    assert len(tweets) == 1
    return tweets[0], load_real(V1)


def test_every_derivable_field_equals_the_real_v11(pair: Pair) -> None:
    ours, real = pair
    result = compare(ours, real, PAIR)
    assert result.mismatched == {} and result.moved == {}
    # Sanity: the comparison really went deep (user, entities, quoted post, its media).
    for expected in (
        "text",
        "created_at",
        "entities.urls[0].indices",
        "user.screen_name",
        "user.followers_count",
        "user.entities.url.urls[0].expanded_url",
        "quoted_status.user.entities.description.urls[0].indices",
        "quoted_status.entities.media[0].id_str",
        "quoted_status.extended_entities.media[0].expanded_url",
        "quoted_status_id",
        "favorite_count",
    ):
        assert expected in result.checked


def test_reshaped_has_exactly_the_keys_the_real_v11_has(pair: Pair) -> None:
    ours, real = pair
    result = compare(ours, real, PAIR)
    assert result.extra_keys == []  # no reply_count, profile_location, ext_alt_text, ...
    assert result.missing_keys == []  # but the withheld_in_countries PAIR.omitted names
    assert "withheld_in_countries" in real["user"] and "withheld_in_countries" not in ours["user"]


def test_not_derivable_fields_are_named_in_the_module_table() -> None:
    # Every generic reason used here comes from reshape.NOT_DERIVABLE; the payload-specific
    # ones (source, media urls) are derivable when V2_QUERY is used.
    assert "source" in reshape.V2_QUERY["tweet.fields"].split(",")
    assert "url" in reshape.V2_QUERY["media.fields"].split(",")
    assert "attachments.media_keys" in reshape.V2_QUERY["expansions"].split(",")
    for key in ("possibly_sensitive_appealable", "user.favourites_count", "user.following"):
        assert key in reshape.NOT_DERIVABLE


def test_ids_are_exact_ints(pair: Pair) -> None:
    ours, _ = pair
    assert ours["id"] == 1626194750222094336
    assert ours["user"]["id"] == 705850200473010178
    assert ours["quoted_status_id"] == 1625906492120477709
    assert ours["quoted_status"]["entities"]["media"][0]["id"] == 1625906414332915733


def test_created_at_from_the_id_bits_matches_the_real_v11() -> None:
    real = load_real(V1)
    assert reshape.created_at_from_id(real["id_str"]) == real["created_at"]
    assert (
        reshape.created_at_from_id(real["quoted_status"]["id_str"])
        == (real["quoted_status"]["created_at"])
    )
    # And a v2 post without created_at gets it from its id.
    data = dict(load_real(V2)["data"])
    del data["created_at"]
    assert reshape.tweet_to_v1(data)["created_at"] == real["created_at"]


def test_golden_output_validates(pair: Pair, v11: V11Validators) -> None:
    ours, _ = pair
    assert v11.errors("tweet", ours) == []


def test_with_media_included_the_media_urls_become_derivable() -> None:
    # What V2_QUERY adds (includes.media) fills what the recorded payload lacked.
    payload = load_real(V2)
    payload["includes"]["media"] = [
        {
            "media_key": "3_1625906414332915733",
            "type": "photo",
            "url": "https://pbs.twimg.com/media/FpBhRPhXsBUFDKd.jpg",
            "width": 986,
            "height": 600,
        }
    ]
    ours = reshape.page_to_v1(payload)[0]["quoted_status"]
    real = load_real(V1)["quoted_status"]
    for where in ("entities", "extended_entities"):
        mine, theirs = ours[where]["media"][0], real[where]["media"][0]
        assert mine["media_url"] == theirs["media_url"]
        assert mine["media_url_https"] == theirs["media_url_https"]
        assert mine["sizes"] == theirs["sizes"]
