"""The post cache: the posts of one account's recent v2 answers, so that a like or unlike of a
post just listed needs no second read of it.

Every v2 answer with posts that :class:`~compat.client.LikesClient` gets (``liked_tweets``
pages, ``GET /2/tweets`` lookups, and every other route whose ``resource`` is ``"post"``) is
put here: each post with the ``includes`` of its answer (authors, media, polls, places,
referenced posts), which is what rebuilding the same v1.1 status as a lookup needs. With
``lookup="auto"`` (the default) :class:`~compat._likes.LikesEngine` answers a create/destroy
of a fresh cached post from here and sends only the write, so a like cleaner (list every like,
then unlike each) costs ceil(N/100) + N requests instead of ceil(N/100) + 2N.

Memory: an answer is kept as its posts and ``includes`` serialised and compressed (about a
seventh of the JSON's size, some 25 times less than the parsed objects), so a full cache of
10,000 posts with every field and expansion holds about 1.5 MB and a long walk stays in
bounded memory; the last few answers read back are kept parsed, so a cleaner that unlikes the
posts of a page one after the other parses that page once.

Bounds: at most ``size`` posts (least recently used dropped first), each usable for ``ttl``
seconds after it arrived (``0``: the cache keeps nothing). It lives in memory only and the
settings cap ``ttl`` at 24 hours: X's developer guidelines, "Content deletion" (binding under
the Developer Agreement; ``shared/realdata/x-docs-2026/developer-guidelines.mdx``): "Content
is suspended/removed on X | **24 hours**", "Remove content within 24 hours if deleted on X".
A post an answer reports as gone (an ``errors`` entry naming it) is dropped at once.

A post is only served to a request that asked for the same fields and expansions it was
fetched with (a search with fewer fields never stands in for compat's lookup).

Thread-safe; safe across ``fork()`` (the child gets a fresh lock, as the page memo does).

Usage::

    >>> from compat._postcache import PostCache
    >>> now = [1000.0]
    >>> cache = PostCache(size=2, ttl=900, clock=lambda: now[0])
    >>> page = {"data": [{"id": "1", "text": "hi", "author_id": "9"}],
    ...         "includes": {"users": [{"id": "9", "username": "nine"}]}}
    >>> cache.put(page, fields={"expansions": "author_id"})
    1
    >>> post, includes = cache.get("1", fields={"expansions": "author_id"})
    >>> post["text"], includes["users"][0]["username"]
    ('hi', 'nine')
    >>> cache.get("1", fields={}) is None        # asked for other fields: not this entry
    True
    >>> now[0] += 901
    >>> cache.get("1", fields={"expansions": "author_id"}) is None   # no longer fresh
    True
"""

from __future__ import annotations

import collections
import os
import threading
import time
import weakref
import zlib
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from compat import _json

__all__ = ["MAX_TTL", "PostCache", "fields_key"]

#: The longest freshness allowed: content removed on X must leave your systems within 24 hours
#: (X's developer guidelines, "Content deletion", ``developer-guidelines.mdx``).
MAX_TTL = 24 * 60 * 60

#: Query keys that decide what a post of an answer holds (ids, pages and counts do not).
_SHAPING = (
    "expansions",
    "tweet.fields",
    "user.fields",
    "media.fields",
    "place.fields",
    "poll.fields",
)

FieldsKey = tuple[tuple[str, str], ...]


def fields_key(query: Mapping[str, str] | None) -> FieldsKey:
    """The part of a request's query that decides the posts' shape (fields, expansions).

    >>> fields_key({"ids": "1,2", "tweet.fields": "id,text", "max_results": "100"})
    (('tweet.fields', 'id,text'),)
    """
    if not query:
        return ()
    return tuple((k, str(query[k])) for k in _SHAPING if k in query)


_PARSED_KEPT = 4  # answers kept parsed after a read (a cleaner walks one page at a time)


class _Answer:
    """One answer's posts and includes, compressed JSON (read back at most once while it is
    among the last :data:`_PARSED_KEPT` answers read)."""

    __slots__ = ("__weakref__", "blob")

    def __init__(self, posts: list[Any], includes: dict[str, Any]) -> None:
        self.blob = zlib.compress(_json.dumps([posts, includes]), 1)

    def parsed(self) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        posts, includes = _json.loads(zlib.decompress(self.blob))
        return posts, includes


class _Entry(NamedTuple):
    answer: _Answer
    position: int
    fields: FieldsKey
    at: float
    # the post as a write moved it (None: as it came)
    post: dict[str, Any] | None = None


_caches: weakref.WeakSet[PostCache] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    # a lock another thread of the parent held at fork() would never be released here
    for cache in list(_caches):
        cache._lock = threading.Lock()


if hasattr(os, "register_at_fork"):  # POSIX
    os.register_at_fork(after_in_child=_after_fork_in_child)


class PostCache:
    """Bounded, thread-safe store of recently seen posts; see the module docstring.

    ``size``: most posts kept; ``ttl``: seconds a post stays usable (0 turns the cache off,
    at most :data:`MAX_TTL`); ``clock``: the settings' clock (tests move a FakeClock).
    """

    def __init__(
        self, size: int = 10_000, ttl: float = 900.0, *, clock: Callable[[], float] = time.time
    ) -> None:
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise ValueError("size must be an int of at least 1")
        if not 0 <= ttl <= MAX_TTL:
            raise ValueError(f"ttl must be from 0 to {MAX_TTL} seconds (24 hours)")
        self.size = size
        self.ttl = float(ttl)
        self.clock = clock
        self._lock = threading.Lock()
        self._entries: collections.OrderedDict[str, _Entry] = collections.OrderedDict()
        self._parsed: collections.OrderedDict[
            _Answer, tuple[list[dict[str, Any]], dict[str, Any]]
        ] = collections.OrderedDict()
        _caches.add(self)

    def __repr__(self) -> str:
        return f"PostCache(size={self.size}, ttl={self.ttl:g}, posts={len(self)})"

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    @property
    def enabled(self) -> bool:
        return self.ttl > 0

    def put(self, payload: Mapping[str, Any], *, fields: Mapping[str, str] | None) -> int:
        """Remember the posts of one v2 answer (``data``: a list or one post) with its
        ``includes``; posts its ``errors`` name as gone are dropped. Returns how many posts
        were stored. ``fields``: the query the answer was asked with."""
        if self.ttl <= 0:
            return 0
        data = payload.get("data")
        found = data if isinstance(data, list) else [data] if isinstance(data, dict) else []
        posts = [p for p in found if isinstance(p, dict) and isinstance(p.get("id"), str)]
        includes = payload.get("includes")
        gone = _gone_ids(payload.get("errors"))
        answer = None
        if posts:
            try:  # outside the lock: the one costly step
                answer = _Answer(posts, includes if isinstance(includes, dict) else {})
            except (TypeError, ValueError, RecursionError):
                answer = None  # a value JSON cannot hold again: not cached, looked up
        key = fields_key(fields)
        now = self.clock()
        with self._lock:
            entries = self._entries
            for missing in gone:
                entries.pop(missing, None)
            if answer is None:
                return 0
            for index, post in enumerate(posts):
                tid = post["id"]
                entries[tid] = _Entry(answer, index, key, now)
                entries.move_to_end(tid)
            while len(entries) > self.size:
                entries.popitem(last=False)
        return len(posts)

    def get(
        self, tweet_id: str, *, fields: Mapping[str, str] | None
    ) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """``(post, includes)`` when ``tweet_id`` is cached fresh with the same fields."""
        if self.ttl <= 0:
            return None
        key = fields_key(fields)
        with self._lock:
            entry = self._entries.get(tweet_id)
            if entry is None:
                return None
            if self.clock() - entry.at >= self.ttl:
                del self._entries[tweet_id]  # stale: never served, not kept
                return None
            if entry.fields != key:
                return None
            self._entries.move_to_end(tweet_id)
            posts, includes = self._parsed_locked(entry.answer)
            return (entry.post or posts[entry.position]), includes

    def _parsed_locked(self, answer: _Answer) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        found = self._parsed.get(answer)
        if found is None:
            found = self._parsed[answer] = answer.parsed()
            while len(self._parsed) > _PARSED_KEPT:
                self._parsed.popitem(last=False)
        else:
            self._parsed.move_to_end(answer)
        return found

    def liked(self, tweet_id: str, *, liked: bool) -> None:
        """After a successful like (``liked``) or unlike: move the cached post's
        ``public_metrics.like_count`` as the write moved it (the post object is replaced,
        not changed: a page memo may hold the same object)."""
        with self._lock:
            entry = self._entries.get(tweet_id)
            if entry is None:
                return
            current = entry.post or self._parsed_locked(entry.answer)[0][entry.position]
            metrics = current.get("public_metrics")
            if not isinstance(metrics, dict):
                return
            count = metrics.get("like_count")
            if isinstance(count, bool) or not isinstance(count, int):
                return
            moved = count + 1 if liked else max(0, count - 1)
            post = {**current, "public_metrics": {**metrics, "like_count": moved}}
            self._entries[tweet_id] = entry._replace(post=post)

    def forget(self, tweet_id: str) -> None:
        with self._lock:
            self._entries.pop(tweet_id, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._parsed.clear()


def _gone_ids(errors: Any) -> list[str]:
    """The post ids an answer's ``errors`` report as missing or hidden."""
    if not isinstance(errors, list):
        return []
    ids = []
    for error in errors:
        if not isinstance(error, dict):
            continue
        value = error.get("resource_id", error.get("value"))
        if isinstance(value, str) and error.get("resource_type", "tweet") in ("tweet", "post"):
            ids.append(value)
    return ids
