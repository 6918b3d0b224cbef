"""Real v1.1 + v2 payloads of the same posts, and the field-by-field comparison of compat's
reshape with the real v1.1 status (used by test_pairs.py and the fidelity figure).

A field is *derivable* unless reshape.NOT_DERIVABLE says v2 can never supply it, or the pair
names it in ``payload_gaps`` (the recorded v2 request did not ask for it). Among derivable
fields, ``moved`` lists the values that changed between the two captures (counts, mostly); they
are differences of the recordings, not of compat, and ``by_design`` the ones compat gives
differently on purpose (README: the compat-mode link). Keys are compared too: a key only one
side has is a mismatch unless ``omitted`` names it (v1.1 had it, v2 cannot give it).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from compat import reshape
from tests._support import load_real

# NOT_DERIVABLE also explains media sizes, which are computed (v1.1's fit rule) and compared.
_COMPUTED = frozenset({"entities.media.sizes"})
GLOBAL_NOT_DERIVABLE = frozenset(k for k in reshape.NOT_DERIVABLE if k not in _COMPUTED)
# v1.1 ids that one recording rounded: compared through their exact *_str twin.
_INT_IDS = frozenset({"id", "quoted_status_id", "in_reply_to_status_id", "in_reply_to_user_id"})


@dataclasses.dataclass(frozen=True)
class Pair:
    """One post recorded from both APIs: the v2 answer and the v1.1 status in ``tweet_mode``."""

    label: str
    v2: str
    v11: str
    tweet_mode: reshape.TweetMode
    source: str
    payload_gaps: Mapping[str, str] = dataclasses.field(default_factory=dict)
    moved: Mapping[str, str] = dataclasses.field(default_factory=dict)
    omitted: Mapping[str, str] = dataclasses.field(default_factory=dict)
    by_design: Mapping[str, str] = dataclasses.field(default_factory=dict)

    def reshaped(self, **options: Any) -> reshape.V1Tweet:
        (status,) = reshape.page_to_v1(load_real(self.v2), tweet_mode=self.tweet_mode, **options)
        return status

    def real(self) -> dict[str, Any]:
        status: dict[str, Any] = load_real(self.v11)
        return status


@dataclasses.dataclass
class Comparison:
    checked: list[str] = dataclasses.field(default_factory=list)  # derivable leaves compared
    matched: list[str] = dataclasses.field(default_factory=list)
    mismatched: dict[str, str] = dataclasses.field(default_factory=dict)  # path -> ours/real
    moved: dict[str, str] = dataclasses.field(default_factory=dict)  # recordings differ
    by_design: dict[str, str] = dataclasses.field(default_factory=dict)  # compat's choice
    missing_keys: list[str] = dataclasses.field(default_factory=list)  # v1.1 had, ours not
    extra_keys: list[str] = dataclasses.field(default_factory=list)  # ours has, v1.1 not

    @property
    def derivable(self) -> int:
        """Fields counted: every derivable leaf plus each key only one side had."""
        return len(self.checked) + len(self.missing_keys) + len(self.extra_keys)

    @property
    def compat_mismatches(self) -> list[str]:
        return [*self.mismatched, *self.missing_keys, *self.extra_keys]


def plain_path(path: str) -> str:
    """``a[0].b[1].c`` → ``a.b.c``."""
    out, depth = [], 0
    for char in path:
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif depth == 0:
            out.append(char)
    return "".join(out)


def _named(path: str, names: Mapping[str, str] | frozenset[str]) -> bool:
    plain = plain_path(path)
    if path in names or plain in names:
        return True
    return any(plain == n or plain.endswith("." + n) for n in names if n in GLOBAL_NOT_DERIVABLE)


def compare(ours: Any, real: Any, pair: Pair) -> Comparison:
    result = Comparison()
    _walk(ours, real, "", pair, result)
    return result


def _skip(path: str, pair: Pair) -> bool:
    return (
        _named(path, GLOBAL_NOT_DERIVABLE)
        or path in pair.payload_gaps
        or (plain_path(path) in pair.payload_gaps)
    )


def _walk(ours: Any, real: Any, path: str, pair: Pair, result: Comparison) -> None:
    if isinstance(real, dict) and isinstance(ours, dict):
        for key, value in real.items():
            sub = f"{path}.{key}" if path else key
            if key not in ours:
                if not (sub in pair.omitted or plain_path(sub) in pair.omitted or _skip(sub, pair)):
                    result.missing_keys.append(sub)
                continue
            if _skip(sub, pair):
                continue
            if key in _INT_IDS and f"{key}_str" in real:
                twin = real[f"{key}_str"]
                _leaf(ours[key], None if twin is None else int(twin), sub, pair, result)
                continue
            _walk(ours[key], value, sub, pair, result)
        for key in ours:
            if key not in real:
                result.extra_keys.append(f"{path}.{key}" if path else key)
        return
    if isinstance(real, list) and isinstance(ours, list) and real and isinstance(real[0], dict):
        for i, real_item in enumerate(real):
            if i < len(ours):
                _walk(ours[i], real_item, f"{path}[{i}]", pair, result)
            else:
                result.missing_keys.append(f"{path}[{i}]")
        for i in range(len(real), len(ours)):
            result.extra_keys.append(f"{path}[{i}]")
        return
    _leaf(ours, real, path, pair, result)


def _leaf(ours: Any, real: Any, path: str, pair: Pair, result: Comparison) -> None:
    result.checked.append(path)
    if ours == real and type(ours) is type(real):
        result.matched.append(path)
    elif path in pair.moved or plain_path(path) in pair.moved:
        result.moved[path] = f"{ours!r:.60} / {real!r:.60}"
    elif path in pair.by_design:
        result.by_design[path] = f"{ours!r:.60} / {real!r:.60}"
    else:
        result.mismatched[path] = f"ours {ours!r:.80} / v1.1 {real!r:.80}"


# -- the pairs ----------------------------------------------------------------------------------

_DOCS_V11 = "developer.x.com/en/docs/x-api/v1/data-dictionary/object-model/example-payloads"
_DOCS_V2 = "developer.x.com/en/docs/twitter-api/data-dictionary/example-payloads"
DOCS_SOURCE = f"X developer docs: v1.1 {_DOCS_V11} and v2 {_DOCS_V2} (same posts)"
_FOLLOWERS = "TwitterDev's followers_count moved between the captures (v1.1 513958, v2 513961/2)"
_TCO = "the t.co id of v1.1's own link to the post: v2 never names it"
_NO_VARIANTS = "the recorded v2 request did not ask for media.fields=variants"
_NO_MENTION_USER = "@TwitterAPI is not in includes.users (no entities.mentions.username expansion)"
_ONE_LEVEL = (
    "v2 expands referenced posts one level: the retweeted post's quoted post is not in includes"
)
_NO_SOURCE = "the payload was fetched without tweet.fields=source"
_NO_MEDIA = "the payload has no includes.media (media.fields not asked for)"
_MEDIA_INFO = "no v2 field (monetizable, embeddable, ...)"

_TWITTERDEV_MOVED = {"user.followers_count": _FOLLOWERS}
_TRUNCATED = {"text": _TCO}
_LINK_START = (
    "compat mode's link to the post is its 52-character twitter.com/i/web/status link, not a "
    "23-character t.co one, so the text before it is cut shorter and the link starts earlier"
)


def _tco(*paths: str) -> dict[str, str]:
    return {p: _TCO for p in paths}


def _link_start(*paths: str) -> dict[str, str]:
    return {f"{p}.indices": _LINK_START for p in paths}


PAIRS: tuple[Pair, ...] = (
    Pair(
        "quote of a media post (2023)",
        "socialfoundations_v2_tweet_1_expanded.json",
        "socialfoundations_v1_tweet_1.json",
        "compat",
        "socialfoundations/twitter-predictability: data_collection/test/converter_examples",
        payload_gaps={
            "source": _NO_SOURCE,
            "quoted_status.source": _NO_SOURCE,
            "quoted_status.entities.media.media_url": _NO_MEDIA,
            "quoted_status.entities.media.media_url_https": _NO_MEDIA,
            "quoted_status.entities.media.sizes": _NO_MEDIA,
            "quoted_status.extended_entities.media.media_url": _NO_MEDIA,
            "quoted_status.extended_entities.media.media_url_https": _NO_MEDIA,
            "quoted_status.extended_entities.media.sizes": _NO_MEDIA,
        },
        omitted={
            # statuses/show in 2023 sent [] on every user; the 2016-2020 recordings and the v1.1
            # data dictionary ("when present") have it only for withheld accounts, as compat.
            "user.withheld_in_countries": "only for withheld users (2023 sent [] on all)",
            "quoted_status.user.withheld_in_countries": "only for withheld users",
        },
    ),
    Pair(
        "reply with a link",
        "x_docs_v2_example_tweet.json",
        "x_docs_v11_example_tweet_extended.json",
        "extended",
        DOCS_SOURCE,
        moved=_TWITTERDEV_MOVED,
    ),
    Pair(
        "reply with a mention",
        "x_docs_v2_example_reply.json",
        "x_docs_v11_example_reply_compat.json",
        "compat",
        DOCS_SOURCE,
        moved=_TWITTERDEV_MOVED,
    ),
    Pair(
        "post over 140, compat",
        "x_docs_v2_example_extended.json",
        "x_docs_v11_example_extended_compat.json",
        "compat",
        DOCS_SOURCE,
        payload_gaps={**_TRUNCATED, **_tco("entities.urls[0].url")},
        moved=_TWITTERDEV_MOVED,
        by_design=_link_start("entities.urls[0]"),
    ),
    Pair(
        "post over 140, extended",
        "x_docs_v2_example_extended.json",
        "x_docs_v11_example_extended_extended.json",
        "extended",
        DOCS_SOURCE,
        moved=_TWITTERDEV_MOVED,
    ),
    Pair(
        "video post, media link without media_key",
        "x_docs_v2_example_media.json",
        "x_docs_v11_example_media_extended.json",
        "extended",
        DOCS_SOURCE,
        payload_gaps={"extended_entities.media.video_info.variants": _NO_VARIANTS},
        moved={
            **_TWITTERDEV_MOVED,
            "favorite_count": "like count moved between the captures (v1.1 2850, v2 2848)",
        },
        omitted={"extended_entities.media.additional_media_info": _MEDIA_INFO},
    ),
    Pair(
        "retweet, compat",
        "x_docs_v2_example_retweet.json",
        "x_docs_v11_example_retweet_compat.json",
        "compat",
        DOCS_SOURCE,
        payload_gaps={
            "retweeted_status.text": _TCO,
            **_tco("retweeted_status.entities.urls[0].url"),
        },
        moved=_TWITTERDEV_MOVED,
        by_design=_link_start("retweeted_status.entities.urls[0]"),
    ),
    Pair(
        "retweet, extended",
        "x_docs_v2_example_retweet.json",
        "x_docs_v11_example_retweet_extended.json",
        "extended",
        DOCS_SOURCE,
        moved=_TWITTERDEV_MOVED,
    ),
    Pair(
        "quote, compat",
        "x_docs_v2_example_quote.json",
        "x_docs_v11_example_quote_compat.json",
        "compat",
        DOCS_SOURCE,
        payload_gaps={
            **_TRUNCATED,
            "quoted_status.text": _TCO,
            **_tco("entities.urls[0].url", "quoted_status.entities.urls[0].url"),
        },
        moved={**_TWITTERDEV_MOVED, "quoted_status.user.followers_count": _FOLLOWERS},
        by_design=_link_start("entities.urls[0]", "quoted_status.entities.urls[0]"),
    ),
    Pair(
        "quote, extended",
        "x_docs_v2_example_quote.json",
        "x_docs_v11_example_quote_extended.json",
        "extended",
        DOCS_SOURCE,
        moved={**_TWITTERDEV_MOVED, "quoted_status.user.followers_count": _FOLLOWERS},
    ),
    Pair(
        "retweet of a quote, compat",
        "x_docs_v2_example_retweeted_quote.json",
        "x_docs_v11_example_retweeted_quote_compat.json",
        "compat",
        DOCS_SOURCE,
        payload_gaps={
            "retweeted_status.text": _TCO,
            **_tco("retweeted_status.entities.urls[0].url"),
            "retweeted_status.quoted_status": _ONE_LEVEL,
        },
        moved=_TWITTERDEV_MOVED,
        omitted={"retweeted_status.quoted_status": _ONE_LEVEL},
        by_design=_link_start("retweeted_status.entities.urls[0]"),
    ),
    Pair(
        "retweet of a quote, extended",
        "x_docs_v2_example_retweeted_quote.json",
        "x_docs_v11_example_retweeted_quote_extended.json",
        "extended",
        DOCS_SOURCE,
        payload_gaps={
            "retweeted_status.quoted_status": _ONE_LEVEL,
            "retweeted_status.entities.user_mentions[1].name": _NO_MENTION_USER,
            "retweeted_status.entities.user_mentions[1].id": _NO_MENTION_USER,
            "retweeted_status.entities.user_mentions[1].id_str": _NO_MENTION_USER,
        },
        moved=_TWITTERDEV_MOVED,
        omitted={"retweeted_status.quoted_status": _ONE_LEVEL},
    ),
)
