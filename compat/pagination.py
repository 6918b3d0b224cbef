"""The page memo: v1.1 ``max_id`` paging on top of v2's like-ordered pagination tokens.

v1.1 ``favorites/list`` paged by id: a client asks for ``count`` posts, then again with
``max_id`` = the smallest id it got − 1. v2 ``liked_tweets`` returns likes in the order they
were liked, 10–100 a page, and pages with an opaque ``pagination_token``. The memo remembers,
per account and listed user, where a walk stopped: the next token and the posts of the last
page not yet handed out. When the next call's ``max_id`` is one a v1.1 paginator would send
next (smallest id − 1, as tweepy's Cursor does, or last id − 1, as Twython's does), the walk
continues from there, so walking N likes costs ceil(N/100) requests whatever ``count`` is.

The memo holds at most ``max_cursors`` walks (least recently used dropped first) and can be
persisted to a JSON file (opt-in) so that a long walk resumes after a restart.

Usage::

    >>> from compat.pagination import Cursor, PageMemo
    >>> memo = PageMemo(max_cursors=4)
    >>> cursor = Cursor(owner="1", target="1", next_token="tok")
    >>> memo.store(cursor, keys=["99"])
    >>> memo.pop("1", "1", "99") is cursor, memo.pop("1", "1", "99")
    (True, None)
"""

from __future__ import annotations

import collections
import dataclasses
import json
import logging
import os
import pathlib
import tempfile
import threading
from collections.abc import Iterable
from typing import Any

__all__ = ["Cursor", "PageMemo"]

log = logging.getLogger("compat.pagination")

_FORMAT_VERSION = 1


@dataclasses.dataclass
class Cursor:
    """Where one walk over a user's likes stands.

    ``buffer`` holds ``(v2 tweet, page number)`` pairs not yet handed out, in like order;
    ``pages`` the raw v2 ``includes`` of those pages, which reshaping them needs.
    """

    owner: str
    target: str
    next_token: str | None = None
    exhausted: bool = False
    buffer: collections.deque[tuple[dict[str, Any], int]] = dataclasses.field(
        default_factory=collections.deque
    )
    pages: dict[int, dict[str, Any]] = dataclasses.field(default_factory=dict)
    page_count: int = 0

    def add_page(self, payload: dict[str, Any]) -> None:
        """Buffer one v2 liked_tweets page and move the token on."""
        self.page_count += 1
        number = self.page_count
        data = payload.get("data") or []
        includes = payload.get("includes") or {}
        if includes:
            self.pages[number] = includes
        self.buffer.extend((tweet, number) for tweet in data)
        self.next_token = (payload.get("meta") or {}).get("next_token")
        self.exhausted = self.next_token is None

    def drop_unused_pages(self) -> None:
        live = {number for _tweet, number in self.buffer}
        for number in [n for n in self.pages if n not in live]:
            del self.pages[number]

    @property
    def finished(self) -> bool:
        return self.exhausted and not self.buffer

    def to_json(self) -> dict[str, Any]:
        return {
            "owner": self.owner,
            "target": self.target,
            "next_token": self.next_token,
            "exhausted": self.exhausted,
            "buffer": [[tweet, number] for tweet, number in self.buffer],
            "pages": {str(n): inc for n, inc in self.pages.items()},
            "page_count": self.page_count,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Cursor:
        return cls(
            owner=str(data["owner"]),
            target=str(data["target"]),
            next_token=data.get("next_token"),
            exhausted=bool(data.get("exhausted")),
            buffer=collections.deque((t, int(n)) for t, n in data.get("buffer", [])),
            pages={int(n): inc for n, inc in data.get("pages", {}).items()},
            page_count=int(data.get("page_count", 0)),
        )


_Key = tuple[str, str, str]


class PageMemo:
    """Bounded, thread-safe store of :class:`Cursor` objects keyed by the next ``max_id``."""

    def __init__(self, max_cursors: int = 64, path: str | os.PathLike[str] | None = None) -> None:
        if max_cursors < 1:
            raise ValueError("max_cursors must be at least 1")
        self.max_cursors = max_cursors
        self.path = pathlib.Path(path).expanduser() if path is not None else None
        self._lock = threading.Lock()
        # key -> cursor; one cursor may sit under several keys (tweepy's and Twython's).
        self._entries: collections.OrderedDict[_Key, Cursor] = collections.OrderedDict()
        if self.path is not None:
            self._load()

    def __len__(self) -> int:
        with self._lock:
            return len({id(c) for c in self._entries.values()})

    def pop(self, owner: str, target: str, max_id: str) -> Cursor | None:
        """Take the walk that a call with this ``max_id`` continues, if one is remembered."""
        with self._lock:
            cursor = self._entries.get((owner, target, max_id))
            if cursor is None:
                return None
            for key in [k for k, c in self._entries.items() if c is cursor]:
                del self._entries[key]
            self._save_locked()
            return cursor

    def store(self, cursor: Cursor, keys: Iterable[str]) -> None:
        """Remember ``cursor`` under each ``max_id`` in ``keys``; evict the oldest beyond bound.

        A finished walk is kept too: the paginator's next call then gets ``[]`` for free,
        as v1.1 answered past the last page, instead of starting over.
        """
        cursor.drop_unused_pages()
        with self._lock:
            for max_id in keys:
                key = (cursor.owner, cursor.target, max_id)
                self._entries[key] = cursor
                self._entries.move_to_end(key)
            while len({id(c) for c in self._entries.values()}) > self.max_cursors:
                oldest = next(iter(self._entries.values()))
                for key in [k for k, c in self._entries.items() if c is oldest]:
                    del self._entries[key]
                log.debug("memo.evicted", extra={"target": oldest.target})
            self._save_locked()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._save_locked()

    # -- persistence ------------------------------------------------------------------------

    def _load(self) -> None:
        assert self.path is not None
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            log.warning("memo.unreadable %s: %s; starting empty", self.path, exc)
            return
        if not isinstance(data, dict) or data.get("version") != _FORMAT_VERSION:
            log.warning("memo.unknown_format %s; starting empty", self.path)
            return
        for entry in data.get("cursors", []):
            cursor = Cursor.from_json(entry["cursor"])
            for max_id in entry["keys"]:
                self._entries[(cursor.owner, cursor.target, str(max_id))] = cursor

    def _save_locked(self) -> None:
        if self.path is None:
            return
        grouped: dict[int, tuple[Cursor, list[str]]] = {}
        for (_owner, _target, max_id), cursor in self._entries.items():
            grouped.setdefault(id(cursor), (cursor, []))[1].append(max_id)
        document = {
            "version": _FORMAT_VERSION,
            "cursors": [{"keys": keys, "cursor": c.to_json()} for c, keys in grouped.values()],
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".memo-", dir=self.path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(document, handle)
            os.replace(tmp, self.path)
        except OSError as exc:  # a memo that can't be saved costs requests, never the call
            log.warning("memo.unwritable %s: %s", self.path, exc)
