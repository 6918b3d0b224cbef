"""What the companion v1.1 calls must answer, read from the emulator's own dataset (not from
compat's output): the default user, another user, their timelines, posts matching a word.
Shared by tests/adapter (tweepy 4, python-twitter, Twython, TwitterAPI, python-twitter-tools)
and tests/adapter_tweepy3."""

from __future__ import annotations

import dataclasses
import math
import re
from typing import Any

from compat.emulator import Emulator

#: A second account of the default dataset (it has authored posts of its own).
OTHER = "TwitterDev"
#: A word of the default user's authored posts (their text ends in "#compat").
WORD = "compat"


@dataclasses.dataclass(frozen=True)
class Expected:
    """The dataset's truth for one emulator."""

    user_id: str
    screen_name: str
    other_id: str
    timeline: list[str]  # the default user's authored posts, newest first
    other_timeline: list[str]

    def text(self, emu: Emulator, post_id: str) -> str:
        tweet = emu.dataset.tweet(post_id)
        assert tweet is not None
        return str(tweet["text"])

    def author(self, emu: Emulator, post_id: str) -> str:
        tweet = emu.dataset.tweet(post_id)
        assert tweet is not None
        user = emu.dataset.user(str(tweet["author_id"]))
        assert user is not None
        return str(user["username"])


def expected(emu: Emulator) -> Expected:
    me = emu.dataset.user(emu.user_id)
    other_id = emu.dataset.user_id_for(OTHER)
    assert me is not None and other_id is not None
    timeline = emu.dataset.timeline(emu.user_id)
    assert len(timeline) >= 120, "the default user needs more than one v2 page of posts"
    return Expected(
        user_id=emu.user_id,
        screen_name=str(me["username"]),
        other_id=other_id,
        timeline=timeline,
        other_timeline=emu.dataset.timeline(other_id),
    )


def v2_endpoints(emu: Emulator) -> list[str]:
    """The v2 endpoints the emulator was asked for since the last clear_requests()."""
    return [r.endpoint for r in emu.requests]


def pages(emu: Emulator, endpoint: str) -> int:
    return sum(1 for r in emu.requests if r.endpoint == endpoint)


def most_pages(n: int) -> int:
    """The v2 pages a walk of n posts may take: ceil(n/100), plus one that finds the end."""
    return math.ceil(n / 100) + 1


def matches_word(text: str, word: str = WORD) -> bool:
    return re.search(rf"\b{re.escape(word)}\b", text, re.IGNORECASE) is not None


def check_search(emu: Emulator, statuses: list[dict[str, Any]] | list[Any], count: int) -> None:
    """Statuses (dicts) a search for WORD answered: non-empty, at most ``count``, newest
    first, each a dataset post whose text has the word."""
    ids = [int(s["id_str"]) for s in statuses]
    assert 0 < len(ids) <= count
    assert ids == sorted(ids, reverse=True)
    for status in statuses:
        post = emu.dataset.tweet(status["id_str"])
        assert post is not None
        assert matches_word(str(post["text"]))
