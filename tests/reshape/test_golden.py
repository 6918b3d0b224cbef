"""The golden pair: real v2 lookup of post 1626194750222094336 → the real v1.1 statuses/show.

Every field the v2 payload can supply must equal the real v1.1 value, recursively into user,
entities and quoted_status (ids compared through ``id_str``: the v1.1 file's ``id`` ints were
rounded when that project re-serialised them). The fields treated as not derivable are named
below, each with its reason; everything else is compared.
"""

from __future__ import annotations

from typing import Any

import pytest

from compat import reshape
from tests._support import load_real
from tests._support.v11 import V11Validators

V2 = "socialfoundations_v2_tweet_1_expanded.json"
V1 = "socialfoundations_v1_tweet_1.json"
Pair = tuple[reshape.V1Tweet, dict[str, Any]]  # (ours, the real v1.1 status)

# Paths are dotted with list positions dropped ("quoted_status.entities.media.sizes").
_NO_MEDIA = "the payload has no includes.media (media.fields not asked for)"
_NO_SOURCE = "the payload was fetched without tweet.fields=source"
NOT_DERIVABLE_HERE: dict[str, str] = {
    "source": _NO_SOURCE,
    "quoted_status.source": _NO_SOURCE,
    "possibly_sensitive_appealable": "no v2 field",
    "quoted_status.possibly_sensitive_appealable": "no v2 field",
    "quoted_status.entities.media.media_url": _NO_MEDIA,
    "quoted_status.entities.media.media_url_https": _NO_MEDIA,
    "quoted_status.entities.media.sizes": _NO_MEDIA + "; and v2 has only the original size",
    "quoted_status.extended_entities.media.media_url": _NO_MEDIA,
    "quoted_status.extended_entities.media.media_url_https": _NO_MEDIA,
    "quoted_status.extended_entities.media.sizes": _NO_MEDIA
    + "; and v2 has only the original size",
}
# Every user field v2 has no source for (profile theme, counts of likes, the viewer's
# relationship, ...): reasons from reshape.NOT_DERIVABLE, for both users in the pair.
for _key, _why in reshape.NOT_DERIVABLE.items():
    if _key.startswith("user."):
        NOT_DERIVABLE_HERE[_key] = _why
        NOT_DERIVABLE_HERE["quoted_status." + _key] = _why

# Keys whose real value we do not compare directly but through their *_str twin.
_INT_IDS = {"id", "quoted_status_id", "in_reply_to_status_id", "in_reply_to_user_id"}


def _compare(ours: Any, real: Any, path: str, problems: list[str], checked: list[str]) -> None:
    if isinstance(real, dict):
        if not isinstance(ours, dict):
            problems.append(f"{path or '$'}: expected an object, got {ours!r:.60}")
            return
        for key, real_value in real.items():
            sub = f"{path}.{key}" if path else key
            if key not in ours:
                problems.append(f"{sub}: key missing from the reshaped tweet")
                continue
            if sub in NOT_DERIVABLE_HERE:
                continue
            if key in _INT_IDS and f"{key}_str" in real:
                # Rounded in the file: ours must be the exact int of the real id_str.
                twin = real[f"{key}_str"]
                expected = None if twin is None else int(twin)
                if ours[key] != expected:
                    problems.append(f"{sub}: {ours[key]!r} != int({twin!r})")
                checked.append(sub)
                continue
            _compare(ours[key], real_value, sub, problems, checked)
    elif isinstance(real, list):
        if not isinstance(ours, list) or len(ours) != len(real):
            problems.append(f"{path}: {ours!r:.80} != {real!r:.80}")
            return
        for ours_item, real_item in zip(ours, real, strict=True):
            _compare(ours_item, real_item, path, problems, checked)
    else:
        checked.append(path)
        if ours != real or type(ours) is not type(real):
            problems.append(f"{path}: {ours!r:.80} != {real!r:.80}")


@pytest.fixture(scope="module")
def pair() -> Pair:
    tweets = reshape.page_to_v1(load_real(V2))
    assert len(tweets) == 1
    return tweets[0], load_real(V1)


def test_every_derivable_field_equals_the_real_v11(
    pair: Pair,
) -> None:
    ours, real = pair
    problems: list[str] = []
    checked: list[str] = []
    _compare(ours, real, "", problems, checked)
    assert problems == []
    # Sanity: the comparison really went deep (user, entities, quoted post, its media).
    for expected in (
        "text",
        "created_at",
        "entities.urls.indices",
        "user.screen_name",
        "user.followers_count",
        "user.entities.url.urls.expanded_url",
        "quoted_status.user.entities.description.urls.indices",
        "quoted_status.entities.media.id_str",
        "quoted_status.extended_entities.media.expanded_url",
        "quoted_status_id",
        "favorite_count",
    ):
        assert expected in checked


def test_reshaped_has_every_key_the_real_v11_has(
    pair: Pair,
) -> None:
    ours, real = pair
    assert set(real) <= set(ours)
    assert set(real["user"]) <= set(ours["user"])
    assert set(real["quoted_status"]) <= set(ours["quoted_status"])
    assert set(real["quoted_status"]["user"]) <= set(ours["quoted_status"]["user"])
    assert set(real["entities"]) <= set(ours["entities"])
    assert set(real["quoted_status"]["entities"]) <= set(ours["quoted_status"]["entities"])
    real_media = real["quoted_status"]["extended_entities"]["media"][0]
    assert set(real_media) <= set(ours["quoted_status"]["extended_entities"]["media"][0])


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
