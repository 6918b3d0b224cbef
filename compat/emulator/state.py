"""Mutable emulator state: who likes what, in which order, and the like counts that follow.

Every like gets a sequence number from one global counter. A user's likes are listed newest
first (as ``GET /2/users/:id/liked_tweets`` serves them); pagination tokens carry the
sequence number of the page edge, so likes and unlikes between two page requests never make
a walk skip or repeat a post that stayed liked.

Usage::

    >>> from compat.emulator.dataset import Dataset
    >>> from compat.emulator.state import State
    >>> state = State(Dataset.default())
    >>> me = "1072250532645998596"
    >>> state.like(me, "145344012"), state.like(me, "145344012")
    (True, False)
    >>> state.liked(me), state.like_count("145344012")
    (['145344012'], 1137)
"""

from __future__ import annotations

import bisect
import threading
from typing import Any

from compat.emulator.dataset import Dataset

__all__ = ["State", "UserLikes"]


class UserLikes:
    """One user's likes: parallel ascending (seq, tweet id) lists plus a live index."""

    __slots__ = ("_dead", "live", "seqs", "tids")

    def __init__(self) -> None:
        self.seqs: list[int] = []
        self.tids: list[str] = []
        self.live: dict[str, int] = {}  # tweet id -> seq of its current like
        self._dead = 0

    def add(self, seq: int, tweet_id: str) -> None:
        self.seqs.append(seq)
        self.tids.append(tweet_id)
        self.live[tweet_id] = seq

    def remove(self, tweet_id: str) -> None:
        del self.live[tweet_id]
        self._dead += 1
        if self._dead > 1024 and self._dead > len(self.live):
            pairs = [
                (s, t) for s, t in zip(self.seqs, self.tids, strict=True) if self.live.get(t) == s
            ]
            self.seqs = [s for s, _ in pairs]
            self.tids = [t for _, t in pairs]
            self._dead = 0

    def _alive(self, i: int) -> bool:
        return self.live.get(self.tids[i]) == self.seqs[i]

    def older(self, before: int | None, limit: int) -> tuple[list[tuple[int, str]], bool]:
        """Up to ``limit`` likes with seq < ``before`` (None: from the newest), newest first,
        and whether more older ones exist."""
        i = len(self.seqs) if before is None else bisect.bisect_left(self.seqs, before)
        out: list[tuple[int, str]] = []
        i -= 1
        while i >= 0 and len(out) < limit:
            if self._alive(i):
                out.append((self.seqs[i], self.tids[i]))
            i -= 1
        while i >= 0 and not self._alive(i):
            i -= 1
        return out, i >= 0

    def newer(self, after: int, limit: int) -> tuple[list[tuple[int, str]], bool]:
        """Up to ``limit`` likes with seq > ``after`` nearest to it, newest first, and whether
        still newer ones exist."""
        i = bisect.bisect_right(self.seqs, after)
        out: list[tuple[int, str]] = []
        n = len(self.seqs)
        while i < n and len(out) < limit:
            if self._alive(i):
                out.append((self.seqs[i], self.tids[i]))
            i += 1
        while i < n and not self._alive(i):
            i += 1
        out.reverse()
        return out, i < n

    def has_newer(self, seq: int) -> bool:
        i = bisect.bisect_right(self.seqs, seq)
        return any(self._alive(j) for j in range(i, len(self.seqs)))


class State:
    """Likes per user and like-count deltas; every method is thread-safe.

    ``like_count(tweet_id)`` is the post's recorded ``public_metrics.like_count`` plus the
    likes given and minus the likes taken back since the emulator started.
    """

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self._lock = threading.RLock()
        self._users: dict[str, UserLikes] = {}
        self._delta: dict[str, int] = {}
        self._seq = 0
        # Initial likes carry no cross-user chronology: later users in the dataset order count
        # as older, so liking_users lists likers in dataset order (newest first).
        user_ids = list(dataset.likes)
        if dataset.synthetic and dataset.default_user not in dataset.likes:
            user_ids.append(dataset.default_user)
        for user_id in reversed(user_ids):
            likes = self._for(user_id)
            for tweet_id in reversed(dataset.initial_likes(user_id)):
                if tweet_id not in likes.live:
                    self._seq += 1
                    likes.add(self._seq, tweet_id)

    def _for(self, user_id: str) -> UserLikes:
        found = self._users.get(user_id)
        if found is None:
            found = self._users[user_id] = UserLikes()
        return found

    # -- mutations ----------------------------------------------------------------------
    def like(self, user_id: str, tweet_id: str) -> bool:
        """Like; True when it changed something (False: already liked, v2 still says liked)."""
        with self._lock:
            likes = self._for(user_id)
            if tweet_id in likes.live:
                return False
            self._seq += 1
            likes.add(self._seq, tweet_id)
            self._delta[tweet_id] = self._delta.get(tweet_id, 0) + 1
            return True

    def unlike(self, user_id: str, tweet_id: str) -> bool:
        """Unlike; True when a like was removed (False: there was none, v2 still says 200)."""
        with self._lock:
            likes = self._for(user_id)
            if tweet_id not in likes.live:
                return False
            likes.remove(tweet_id)
            self._delta[tweet_id] = self._delta.get(tweet_id, 0) - 1
            return True

    # -- queries ------------------------------------------------------------------------
    def is_liked(self, user_id: str, tweet_id: str) -> bool:
        with self._lock:
            likes = self._users.get(user_id)
            return likes is not None and tweet_id in likes.live

    def liked(self, user_id: str, *, oldest_first: bool = False) -> list[str]:
        """The posts ``user_id`` likes now, newest like first (the liked_tweets order)."""
        with self._lock:
            likes = self._users.get(user_id)
            if likes is None:
                return []
            ordered = sorted(likes.live, key=likes.live.__getitem__, reverse=not oldest_first)
            return ordered

    def liked_total(self, user_id: str) -> int:
        with self._lock:
            likes = self._users.get(user_id)
            return 0 if likes is None else len(likes.live)

    def username(self, user_id: str) -> str:
        """The @username of a dataset user (KeyError when there is no such user)."""
        user = self.dataset.user(user_id)
        if user is None:
            raise KeyError(user_id)
        return str(user["username"])

    def like_count(self, tweet_id: str) -> int:
        """The post's current like count (never below zero)."""
        with self._lock:
            delta = self._delta.get(tweet_id, 0)
        return max(0, self.dataset.base_like_count(tweet_id) + delta)

    def liking_users(self, tweet_id: str) -> list[tuple[int, str]]:
        """(seq, user id) of the users who like ``tweet_id`` now, newest like first."""
        with self._lock:
            found = [
                (likes.live[tweet_id], uid)
                for uid, likes in self._users.items()
                if tweet_id in likes.live
            ]
        found.sort(reverse=True)
        return found

    def page_older(
        self, user_id: str, before: int | None, limit: int
    ) -> tuple[list[tuple[int, str]], bool, bool]:
        """A page of ``user_id``'s likes older than seq ``before``: (items, more, newer)."""
        with self._lock:
            likes = self._for(user_id)
            items, more = likes.older(before, limit)
            newer = bool(items) and likes.has_newer(items[0][0]) if before is not None else False
            return items, more, newer

    def page_newer(
        self, user_id: str, after: int, limit: int
    ) -> tuple[list[tuple[int, str]], bool, bool]:
        """The page just newer than seq ``after``: (items newest first, more older, newer)."""
        with self._lock:
            likes = self._for(user_id)
            items, newer = likes.newer(after, limit)
            return items, True, newer

    def snapshot(self) -> dict[str, Any]:
        """Counts per user and the like-count deltas (for ``GET /_emulator/state``)."""
        with self._lock:
            return {
                "likes": {uid: len(u.live) for uid, u in self._users.items() if u.live},
                "like_count_delta": {t: d for t, d in self._delta.items() if d},
            }
