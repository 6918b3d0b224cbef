"""Authored timelines: the posts each dataset user wrote, generated deterministically.

The recordings hold posts people liked, hardly any a user wrote, so ``GET /2/users/:id/tweets``
and recent search need more. Each user gets ``counts`` posts (the dataset's ``authored``
entry; the shipped one: the default user 150, the second user 40, everyone else 5), newest
first at ``anchor`` (the emulator's clock when it starts) minus a few minutes, then one every
``step`` back in time, so some are inside recent search's 7-day window and some are not.
A post is a pure function of (user, index, anchor): originals with words, hashtags, links,
mentions and photos, replies (to other users' posts and, from everyone else, to the default
user's), retweets (``RT @name: text``) and quotes of real recorded posts, a few in Spanish,
Japanese or French.

Usage::

    >>> from compat.emulator.dataset import Dataset
    >>> ds = Dataset.default().with_anchor(1_700_000_000)
    >>> mine = ds.timeline(ds.default_user)
    >>> len(mine), ds.tweet(mine[0])["created_at"]
    (150, '2023-11-14T21:59:56.000Z')
    >>> sorted({r["type"] for t in mine for r in ds.tweet(t).get("referenced_tweets", [])})
    ['quoted', 'replied_to', 'retweeted']
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

__all__ = ["DEFAULT_COUNTS", "AuthoredCounts", "authored_posts", "post_id"]

TWEPOCH_MS = 1288834974657
_LOW_MASK = (1 << 22) - 1

_WORDS = (
    "favorites",
    "likes",
    "timeline",
    "python",
    "archive",
    "migration",
    "compat",
    "API",
    "bots",
    "emulator",
    "search",
    "paging",
    "legacy",
    "cursor",
    "tweepy",
)
_TAGS = ("compat", "python", "favorites", "XAPI")
_FOREIGN = (
    ("es", "Hola desde el emulador, mis favoritos siguen aquí"),
    ("ja", "お気に入りのアーカイブを更新しました"),
    ("fr", "Bonjour depuis l'émulateur des favoris"),
)


@dataclasses.dataclass(frozen=True)
class AuthoredCounts:
    """How many posts each user wrote, and the time between two of them (seconds)."""

    default_user: int = 150
    second_user: int = 40
    others: int = 5
    default_step_s: int = 7200
    second_step_s: int = 21600
    others_step_s: int = 172800

    @classmethod
    def from_doc(cls, raw: Mapping[str, Any]) -> AuthoredCounts:
        return cls(**{k: int(v) for k, v in raw.items()})

    def count(self, role: str) -> int:
        return int(getattr(self, role))

    def step(self, role: str) -> int:
        return int(getattr(self, f"{role.removesuffix('_user')}_step_s"))


DEFAULT_COUNTS = AuthoredCounts()


def _h(seed: str, mod: int) -> int:
    return int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "big") % mod


def _iso(ms: int) -> str:
    stamp = dt.datetime.fromtimestamp(ms // 1000, tz=dt.timezone.utc)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _when_ms(uid: str, index: int, anchor_s: float, step_s: int) -> int:
    first = int(anchor_s) - 300 - _h(f"offset:{uid}", 3600)
    return (first - index * step_s) * 1000


def post_id(uid: str, index: int, anchor_s: float, step_s: int) -> str:
    """The snowflake id of ``uid``'s authored post number ``index`` (0: the newest)."""
    ms = _when_ms(uid, index, anchor_s, step_s)
    return str(((ms - TWEPOCH_MS) << 22) | (_h(f"low:{uid}:{index}", 1 << 22) & _LOW_MASK))


class _Text:
    """A post text with v2 entities (code point offsets) built up piece by piece."""

    def __init__(self) -> None:
        self.text = ""
        self.entities: dict[str, list[dict[str, Any]]] = {}

    def words(self, fragment: str) -> None:
        self.text += (" " if self.text else "") + fragment

    def entity(self, kind: str, fragment: str, item: dict[str, Any]) -> None:
        if self.text:
            self.text += " "
        start = len(self.text)
        self.text += fragment
        self.entities.setdefault(kind, []).append({"start": start, "end": len(self.text), **item})


def authored_posts(
    users: Mapping[str, Mapping[str, Any]],
    posts: Mapping[str, Mapping[str, Any]],
    *,
    default_user: str,
    second_user: str | None,
    anchor_s: float,
    counts: AuthoredCounts = DEFAULT_COUNTS,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(posts, media objects) every user of ``users`` wrote; ``posts`` are the dataset's own
    (replies, retweets and quotes refer to them)."""
    out: list[dict[str, Any]] = []
    media: list[dict[str, Any]] = []
    uids = sorted(users)
    roles = {
        uid: "default_user"
        if uid == default_user
        else ("second_user" if uid == second_user else "others")
        for uid in uids
    }
    default_step = counts.step("default_user")
    default_count = counts.count("default_user")
    for uid in uids:
        role = roles[uid]
        others = [u for u in uids if u != uid]
        pool = sorted(
            (pid for pid, p in posts.items() if p.get("author_id") not in (None, uid)), key=int
        )
        for index in range(counts.count(role)):
            post, photo = _one(
                users,
                posts,
                uid,
                index,
                anchor_s,
                counts.step(role),
                others,
                pool,
                default_user,
                default_reply=(default_step, default_count),
            )
            out.append(post)
            if photo is not None:
                media.append(photo)
    return out, media


def _one(
    users: Mapping[str, Mapping[str, Any]],
    posts: Mapping[str, Mapping[str, Any]],
    uid: str,
    k: int,
    anchor_s: float,
    step_s: int,
    others: list[str],
    pool: list[str],
    default_user: str,
    *,
    default_reply: tuple[int, int],
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    tid = post_id(uid, k, anchor_s, step_s)
    seed = f"{uid}:{k}"
    body = _Text()
    post: dict[str, Any] = {"id": tid}
    words = " ".join(_WORDS[(_h(seed, 97) + i * 7) % len(_WORDS)] for i in range(3 + k % 4))
    lang = "en"
    photo: dict[str, Any] | None = None
    kind = k % 10
    target_id: str | None = None
    if kind == 3 and (pool or (uid != default_user and default_reply[1])):
        # a reply: everyone else answers the default user's posts, the default user others'
        if uid != default_user and default_reply[1] and k % 20 == 3:
            step, count = default_reply
            target_id = post_id(default_user, _h(seed + "r", count), anchor_s, step)
            target_author = default_user
            conversation = target_id
        else:
            target_id = pool[_h(seed + "r", len(pool))]
            target = posts[target_id]
            target_author = str(target["author_id"])
            conversation = str(target.get("conversation_id", target_id))
        name = str(users[target_author]["username"])
        body.entity("mentions", f"@{name}", {"username": name, "id": target_author})
        body.words(words)
        post["in_reply_to_user_id"] = target_author
        post["referenced_tweets"] = [{"type": "replied_to", "id": target_id}]
        post["conversation_id"] = conversation
    elif kind == 6 and pool:
        original_id = pool[_h(seed + "t", len(pool))]
        original = posts[original_id]
        author = str(original["author_id"])
        name = str(users[author]["username"])
        body.words("RT")
        body.entity("mentions", f"@{name}", {"username": name, "id": author})
        body.text += ": " + str(original.get("text", ""))
        post["referenced_tweets"] = [{"type": "retweeted", "id": original_id}]
    elif kind == 8 and pool:
        quoted_id = pool[_h(seed + "q", len(pool))]
        author = str(posts[quoted_id]["author_id"])
        name = str(users[author]["username"])
        body.words(f"Quoting this one: {words}")
        short = f"https://t.co/q{_h(seed, 36**8):x}"[:23]
        body.entity(
            "urls",
            short,
            {
                "url": short,
                "expanded_url": f"https://twitter.com/{name}/status/{quoted_id}",
                "display_url": f"twitter.com/{name}/stat…",
            },
        )
        post["referenced_tweets"] = [{"type": "quoted", "id": quoted_id}]
    elif k % 9 == 5:
        lang, text = _FOREIGN[k % len(_FOREIGN)]
        body.words(text)
    else:
        body.words(f"{words[:1].upper()}{words[1:]}, post {k}")
    if kind != 6:  # a retweet's text and entities are the original's
        if k % 3 == 0:
            tag = _TAGS[(k // 3) % len(_TAGS)]
            body.entity("hashtags", f"#{tag}", {"tag": tag})
        if k % 7 == 4 and others:
            mentioned = default_user if uid != default_user else others[k % len(others)]
            name = str(users[mentioned]["username"])
            body.entity("mentions", f"@{name}", {"username": name, "id": mentioned})
        if k % 4 == 1:
            short = f"https://t.co/l{_h(seed + 'l', 36**8):x}"[:23]
            body.entity(
                "urls",
                short,
                {
                    "url": short,
                    "expanded_url": f"https://example.com/compat/{uid}/{k}",
                    "display_url": f"example.com/compat/{uid}/{k}",
                },
            )
        if k % 5 == 2:
            key = f"3_{tid}"
            short = f"https://t.co/m{_h(seed + 'm', 36**8):x}"[:23]
            body.entity(
                "urls",
                short,
                {
                    "url": short,
                    "expanded_url": f"https://twitter.com/i/status/{tid}/photo/1",
                    "display_url": f"pic.twitter.com/m{_h(seed + 'm', 36**8):x}"[:26],
                    "media_key": key,
                },
            )
            post["attachments"] = {"media_keys": [key]}
            photo = {
                "media_key": key,
                "type": "photo",
                "url": f"https://pbs.twimg.com/media/Emu{tid}.jpg",
                "width": 1200,
                "height": 675,
            }
    post["text"] = body.text
    if body.entities:
        post["entities"] = body.entities
    post["edit_history_tweet_ids"] = [tid]
    post["author_id"] = uid
    post["created_at"] = _iso(_when_ms(uid, k, anchor_s, step_s))
    post.setdefault("conversation_id", tid)
    post["lang"] = lang
    post["source"] = "compat emulator"
    post["possibly_sensitive"] = False
    post["reply_settings"] = "everyone"
    retweet = kind == 6 and "referenced_tweets" in post
    post["public_metrics"] = {
        "retweet_count": 0 if retweet else _h(seed + "rc", 30),
        "reply_count": 0 if retweet else _h(seed + "pc", 10),
        "like_count": 0 if retweet else _h(seed + "lc", 200),
        "quote_count": 0 if retweet else _h(seed + "qc", 5),
        "impression_count": 10 + _h(seed + "ic", 5000),
    }
    return post, photo
