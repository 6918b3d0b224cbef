"""The page memo: v1.1 ``max_id`` paging on top of v2's like-ordered pagination tokens.

v1.1 ``favorites/list`` paged by id: a client asks for ``count`` posts, then again with
``max_id`` = the smallest id it got − 1. v2 ``liked_tweets`` returns likes in the order they
were liked, 10–100 a page, and pages with an opaque ``pagination_token``. The memo remembers,
per account, listed user and walk, where a walk stopped: the next token and the posts of the
last page not yet handed out. When the next call's ``max_id`` is one a v1.1 paginator would
send next (smallest id − 1, as tweepy's Cursor does, or last id − 1, as Twython's does), the
walk continues from there, so walking N likes costs ceil(N/100) requests whatever ``count`` is.
A hand-written loop that sends the last id itself (inclusive, without − 1) continues the walk
too, and gets that boundary status again first, as v1.1 answered it (its ``max_id`` is
inclusive): a place is stored with its ``boundaries``, the inclusive ``max_id`` -> the status
to put back. Walks of different kinds (likes, a user's timeline) are told apart by the
``walk`` tag's family (the part before ``|``): one never continues another.

Several walks of one account at once (two Cursors, two threads, two interleaved loops) each
keep their own place: places are stored per ``(owner, target, max_id)`` and tagged with the
``walk`` that made them (its ``count`` and ``since_id``, what else makes a walk distinct, so
a walk takes its own place first), every stored place is handed to one caller only
(:meth:`PageMemo.pop` takes it), and a second caller at the same ``max_id`` gets a copy of
the place the first one took, so it continues correctly too (it fetches again what it
needs; it never loses a like).

A walk also ends on a hostile server: a ``next_token`` already sent in this walk ends it
(logged as ``pagination.repeated_token``), posts already handed out are not handed out again,
and a token compat cannot send back (:func:`usable_token`) stops the walk with a
:class:`~compat.errors.MalformedResponse` once the posts before it are handed out.

The memo holds at most ``max_cursors`` walks (least recently used dropped first) and can be
persisted to a JSON file (opt-in) so that a long walk resumes after a restart. The file is
trusted only when it is a regular file (not a symlink, FIFO or device) owned by this user and
writable by no one else; anything else, or a malformed entry, is ignored with a warning, and a
path that is not a regular file of ours is never written through or replaced.

Usage::

    >>> from compat.pagination import Cursor, PageMemo
    >>> memo = PageMemo(max_cursors=4)
    >>> cursor = Cursor(owner="1", target="1", next_token="tok")
    >>> memo.store(cursor, keys=["99"])
    >>> memo.pop("1", "1", "99") is cursor      # taken: no one else gets this object
    True
    >>> again = memo.pop("1", "1", "99")        # a second walk at the same place: a copy
    >>> again is cursor, again.next_token
    (False, 'tok')
    >>> memo.pop("2", "1", "99") is None        # another account's walk is never handed out
    True
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import errno
import itertools
import json
import logging
import os
import pathlib
import stat
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from compat._bounds import DEFAULT_MAX_PAGES_PER_CALL
from compat.errors import MalformedResponse

__all__ = [
    "DEFAULT_MAX_PAGES_PER_CALL",
    "MAX_MEMO_FILE_BYTES",
    "MAX_TOKEN_CHARS",
    "Cursor",
    "PageMemo",
    "family_of",
    "usable_token",
]

log = logging.getLogger("compat.pagination")

_FORMAT_VERSION = 2
#: A memo file larger than this is not read (64 walks of full pages stay far below it).
MAX_MEMO_FILE_BYTES = 64 * 1024 * 1024
#: Longest pagination token compat sends back (X's are ~20 characters).
MAX_TOKEN_CHARS = 1024
_TOKENS_KEPT = 1000  # tokens a walk remembers having sent (one per page)
_IDS_KEPT = 300  # post ids a walk remembers having buffered (three pages)
#: Copies of taken places that hold posts, kept for a second walk at the same place (two
#: threads or Cursors walking in step); a long walk would otherwise leave one at every place.
_GHOSTS_WITH_POSTS = 8
#: Longest a memo file keeps posts: content deleted on X must be removed within 24 hours (X's
#: developer guidelines, "Content deletion", x-docs-2026/developer-guidelines.mdx), so a walk
#: whose buffered posts were fetched longer ago is neither written nor read back.
MAX_MEMO_POST_AGE = 24 * 60 * 60


def _is_id(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 19 and value.isascii() and value.isdigit()


def usable_token(value: object) -> bool:
    """Whether compat sends ``value`` back as a ``pagination_token`` (1 to
    :data:`MAX_TOKEN_CHARS` printable ASCII characters); a walk stops before one it cannot."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= MAX_TOKEN_CHARS
        and value.isascii()
        and value.isprintable()
    )


@dataclasses.dataclass
class Cursor:
    """Where one walk over a user's likes stands.

    ``walk`` names what makes the walk distinct beyond owner and target (its ``count`` and
    ``since_id``); ``buffer`` holds ``(v2 tweet, page number)`` pairs not yet handed out, in
    like order; ``pages`` the raw v2 ``includes`` of those pages, which reshaping them needs;
    ``tokens`` the tokens this walk sent and ``recent`` the ids of its last pages' posts (a
    server that repeats itself cannot make it loop).
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
    walk: str = ""
    tokens: collections.deque[str] = dataclasses.field(
        default_factory=lambda: collections.deque(maxlen=_TOKENS_KEPT)
    )
    recent: collections.deque[str] = dataclasses.field(
        default_factory=lambda: collections.deque(maxlen=_IDS_KEPT)
    )
    #: inclusive ``max_id`` -> the ``(post, page)`` a call with it gets again first
    boundaries: dict[str, tuple[dict[str, Any], int]] = dataclasses.field(default_factory=dict)
    #: when the oldest page whose posts are still buffered was fetched (epoch seconds)
    fetched_at: float = dataclasses.field(default_factory=time.time)

    @property
    def family(self) -> str:
        """The kind of walk (``""``: likes; ``"timeline"``: a user's posts)."""
        return family_of(self.walk)

    def resume(self, max_id: str) -> Cursor:
        """This cursor as a call with ``max_id`` continues it: the boundary status put back
        first when ``max_id`` is its inclusive key; the boundaries are spent either way."""
        boundary = self.boundaries.get(max_id)
        self.boundaries = {}
        if boundary is not None:
            self.buffer.appendleft(boundary)
        return self

    def add_page(self, payload: dict[str, Any]) -> None:
        """Buffer one v2 liked_tweets page and move the token on.

        The page is checked first (whatever the validation mode: the walk depends on it) and
        leaves the cursor unchanged when it is malformed.
        """
        data = payload.get("data")
        if data is None:
            data = []
        if not isinstance(data, list) or not all(
            isinstance(t, dict) and _is_id(t.get("id")) for t in data
        ):
            raise MalformedResponse("liked_tweets page: `data` is not a list of posts with ids")
        includes = payload.get("includes") or {}
        meta = payload.get("meta") or {}
        if not isinstance(includes, dict) or not isinstance(meta, dict):
            raise MalformedResponse("liked_tweets page: `includes` or `meta` is not an object")
        token = meta.get("next_token")
        if token is not None and not isinstance(token, str):
            raise MalformedResponse("liked_tweets page: `meta.next_token` is not a string")
        sent = self.next_token
        if sent is not None:
            self.tokens.append(sent)
        seen = set(self.recent)
        fresh = [t for t in data if t["id"] not in seen]
        if len(fresh) < len(data):
            log.warning(
                "X sent %s of the %s posts of this likes page again (already returned on an "
                "earlier page); compat dropped the repeats so no post is returned twice. "
                "Nothing to do, unless it happens on every page",
                len(data) - len(fresh),
                len(data),
                extra={"event": "pagination.repeated_posts", "target": self.target},
            )
        self.page_count += 1
        number = self.page_count
        if not self.buffer and not self.boundaries:  # the posts kept from now on are younger
            self.fetched_at = time.time()
        if includes and fresh:
            self.pages[number] = includes
        self.buffer.extend((tweet, number) for tweet in fresh)
        self.recent.extend(t["id"] for t in fresh)
        if token is not None and token in self.tokens:
            log.warning(
                "X sent a next_token this likes listing already followed, so compat ended the "
                "listing after %s pages instead of looping forever; the likes after it were not "
                "listed (try again later)",
                self.page_count,
                extra={
                    "event": "pagination.repeated_token",
                    "target": self.target,
                    "pages": self.page_count,
                },
            )
            token = None
        self.next_token = token
        self.exhausted = token is None

    def drop_unused_pages(self) -> None:
        live = {number for _tweet, number in self.buffer}
        live.update(number for _tweet, number in self.boundaries.values())
        for number in [n for n in self.pages if n not in live]:
            del self.pages[number]

    @property
    def finished(self) -> bool:
        return self.exhausted and not self.buffer

    def copy(self) -> Cursor:
        """An independent cursor at the same place (the posts themselves are shared: read
        only)."""
        return dataclasses.replace(
            self,
            buffer=collections.deque(self.buffer),
            pages=dict(self.pages),
            tokens=collections.deque(self.tokens, maxlen=_TOKENS_KEPT),
            recent=collections.deque(self.recent, maxlen=_IDS_KEPT),
            boundaries=dict(self.boundaries),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "owner": self.owner,
            "target": self.target,
            "walk": self.walk,
            "next_token": self.next_token,
            "exhausted": self.exhausted,
            "buffer": [[tweet, number] for tweet, number in self.buffer],
            "pages": {str(n): inc for n, inc in self.pages.items()},
            "page_count": self.page_count,
            "tokens": list(self.tokens),
            "recent": list(self.recent),
            "boundaries": {k: [t, n] for k, (t, n) in self.boundaries.items()},
        }

    @classmethod
    def from_json(cls, data: object) -> Cursor:
        """A cursor from :meth:`to_json`'s output; ValueError for anything else (a file is
        not trusted to have the right structure)."""
        if not isinstance(data, dict):
            raise ValueError("a cursor is not an object")
        owner, target, walk = data.get("owner"), data.get("target"), data.get("walk", "")
        if not (_is_id(owner) and _is_id(target) and isinstance(walk, str)):
            raise ValueError("owner/target are not ids")
        token = data.get("next_token")
        exhausted = data.get("exhausted", False)
        count = data.get("page_count", 0)
        if token is not None and not isinstance(token, str):
            raise ValueError("next_token is not a string")
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise ValueError("page_count is not a count")
        if not isinstance(exhausted, bool) or (exhausted and token is not None):
            raise ValueError("exhausted does not match next_token")
        buffer: collections.deque[tuple[dict[str, Any], int]] = collections.deque()
        for item in _list(data.get("buffer", [])):
            if not (isinstance(item, list) and len(item) == 2):
                raise ValueError("a buffered post is not [post, page]")
            tweet, number = item
            if not (isinstance(tweet, dict) and _is_id(tweet.get("id"))):
                raise ValueError("a buffered post has no id")
            if not isinstance(number, int) or isinstance(number, bool) or not 0 < number <= count:
                raise ValueError("a buffered post's page number is out of range")
            buffer.append((tweet, number))
        pages_in = data.get("pages", {})
        if not isinstance(pages_in, dict):
            raise ValueError("pages is not an object")
        pages: dict[int, dict[str, Any]] = {}
        for key, includes in pages_in.items():
            if not (isinstance(key, str) and key.isdigit() and isinstance(includes, dict)):
                raise ValueError("a page's includes are malformed")
            pages[int(key)] = includes
        boundaries: dict[str, tuple[dict[str, Any], int]] = {}
        raw_boundaries = data.get("boundaries", {})
        if not isinstance(raw_boundaries, dict):
            raise ValueError("boundaries is not an object")
        for key, item in raw_boundaries.items():
            if not (_is_id(key) and isinstance(item, list) and len(item) == 2):
                raise ValueError("a boundary is not max_id: [post, page]")
            tweet, number = item
            if not (isinstance(tweet, dict) and _is_id(tweet.get("id"))):
                raise ValueError("a boundary post has no id")
            if not isinstance(number, int) or isinstance(number, bool) or not 0 < number <= count:
                raise ValueError("a boundary post's page number is out of range")
            boundaries[key] = (tweet, number)
        tokens = _list(data.get("tokens", []))
        recent = _list(data.get("recent", []))
        if not all(usable_token(t) for t in tokens) or not all(_is_id(i) for i in recent):
            raise ValueError("the walk's tokens or ids are malformed")
        return cls(
            owner=str(owner),
            target=str(target),
            next_token=token,
            exhausted=exhausted,
            buffer=buffer,
            pages=pages,
            page_count=count,
            walk=walk,
            tokens=collections.deque(tokens, maxlen=_TOKENS_KEPT),
            recent=collections.deque(recent, maxlen=_IDS_KEPT),
            boundaries=boundaries,
        )


def family_of(walk: str) -> str:
    """A walk tag's family: the part before ``|`` (``""`` for tags without one: likes)."""
    head, bar, _rest = walk.partition("|")
    return head if bar else ""


def _list(value: object) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError("expected a list")
    return value


_Key = tuple[str, str, str]  # owner, target, max_id


@dataclasses.dataclass
class _Entry:
    cursor: Cursor
    keys: tuple[_Key, ...]


_memos: weakref.WeakSet[PageMemo] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    # a lock held by another thread of the parent at fork() would never be released here
    for memo in list(_memos):
        memo._lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


class PageMemo:
    """Bounded, thread-safe store of walk places keyed by the next ``max_id``; see the
    module docstring. ``check(cursor)``: whether a walk read back from the file may be used
    (the service checks its posts against the v2 schemas)."""

    def __init__(
        self,
        max_cursors: int = 64,
        path: str | os.PathLike[str] | None = None,
        *,
        check: Callable[[Cursor], bool] | None = None,
    ) -> None:
        if max_cursors < 1:
            raise ValueError("max_cursors must be at least 1")
        self.max_cursors = max_cursors
        self.path = pathlib.Path(path).expanduser() if path is not None else None
        self._lock = threading.Lock()
        self._ids = itertools.count()
        # entry id -> entry, least recently stored first; a key may name several entries
        # (two walks at the same place), an entry sits under one to two keys.
        self._entries: collections.OrderedDict[int, _Entry] = collections.OrderedDict()
        self._index: dict[_Key, list[int]] = {}
        # key -> walk -> a copy of the place last taken from it (a second walk at that place)
        self._taken: collections.OrderedDict[_Key, dict[str, Cursor]] = collections.OrderedDict()
        # id(copy) -> (copy, its keys) for the copies in _taken that hold posts, oldest first
        self._ghosts: collections.OrderedDict[int, tuple[Cursor, tuple[_Key, ...]]] = (
            collections.OrderedDict()
        )
        self._unwritable: str | None = None
        self._check = check
        _memos.add(self)
        if self.path is not None:
            self._load()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def pop(self, owner: str, target: str, max_id: str, *, walk: str = "") -> Cursor | None:
        """The walk that a call with this ``max_id`` continues, if one is remembered.

        A stored place is taken (no other caller gets it); without one, a copy of the place
        last taken from that key. Only places of the ``walk``'s family are considered, and
        one stored with a boundary for ``max_id`` comes back with that status first. The
        caller's own ``walk`` is preferred: first a stored place of the same walk, then a copy
        of the one it last took, then (a paginator that changed ``count`` between pages) a
        place another walk stored under this ``max_id``.
        """
        key = (owner, target, max_id)
        family = family_of(walk)
        with self._lock:
            # a walk of another kind (a timeline for a likes walk) is never continued
            ids = [n for n in self._index.get(key, []) if self._entries[n].cursor.family == family]
            own = [n for n in ids if self._entries[n].cursor.walk == walk]
            taken = {w: c for w, c in self._taken.get(key, {}).items() if c.family == family}
            if own or (not taken.get(walk) and ids):
                entry = self._remove_locked((own or ids)[0])
                ghost = entry.cursor.copy()
                ghost.drop_unused_pages()
                for name in entry.keys:
                    self._taken.setdefault(name, {})[ghost.walk] = ghost
                    self._taken.move_to_end(name)
                while len(self._taken) > 2 * self.max_cursors:
                    self._taken.popitem(last=False)
                self._bound_ghosts_locked(ghost, entry.keys)
                self._save_locked()
                return entry.cursor.resume(max_id)
            last = taken.get(walk) or next(iter(taken.values()), None)
            return last.copy().resume(max_id) if last is not None else None

    def _bound_ghosts_locked(self, ghost: Cursor, keys: tuple[_Key, ...]) -> None:
        """Keep at most :data:`_GHOSTS_WITH_POSTS` copies that hold posts: each holds a v2
        page's ``includes`` (~150 KB parsed), and one long walk leaves a copy at every place
        it passed. A second walk further behind than that starts over at its ``max_id``
        (it fetches again; it loses no like)."""
        if _holds_posts(ghost):
            self._ghosts[id(ghost)] = (ghost, keys)
        while len(self._ghosts) > _GHOSTS_WITH_POSTS:
            _number, (old, names) = self._ghosts.popitem(last=False)
            for name in names:
                walks = self._taken.get(name)
                if walks is not None and walks.get(old.walk) is old:
                    del walks[old.walk]
                    if not walks:
                        del self._taken[name]

    def store(
        self,
        cursor: Cursor,
        keys: Iterable[str],
        *,
        boundaries: Mapping[str, tuple[dict[str, Any], int]] | None = None,
    ) -> None:
        """Remember ``cursor`` under each ``max_id`` in ``keys`` and each inclusive ``max_id``
        of ``boundaries`` (max_id -> the status a call with it gets again first); evict the
        oldest beyond bound.

        A finished walk is kept too: the paginator's next call then gets ``[]`` for free,
        as v1.1 answered past the last page, instead of starting over.
        """
        cursor.boundaries = dict(boundaries or {})
        cursor.drop_unused_pages()
        every = [*keys, *cursor.boundaries]
        full = tuple(dict.fromkeys((cursor.owner, cursor.target, str(k)) for k in every))
        with self._lock:
            for number in [n for n, e in self._entries.items() if e.cursor is cursor]:
                self._remove_locked(number)  # one place is never stored twice
            self._add_locked(_Entry(cursor, full))
            while len(self._entries) > self.max_cursors:
                oldest = self._remove_locked(next(iter(self._entries)))
                log.debug("memo.evicted", extra={"target": oldest.cursor.target})
            self._save_locked()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._index.clear()
            self._taken.clear()
            self._ghosts.clear()
            self._save_locked()

    def _add_locked(self, entry: _Entry) -> None:
        number = next(self._ids)
        self._entries[number] = entry
        for key in entry.keys:
            self._index.setdefault(key, []).append(number)

    def _remove_locked(self, number: int) -> _Entry:
        entry = self._entries.pop(number)
        for key in entry.keys:
            ids = self._index.get(key, [])
            if number in ids:
                ids.remove(number)
            if not ids:
                self._index.pop(key, None)
        return entry

    # -- persistence ------------------------------------------------------------------------

    def _load(self) -> None:
        assert self.path is not None
        text = _read_trusted(self.path)
        if text is None:
            return
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as exc:
            log.warning(
                "the page memo %s is not valid JSON (%s); compat starts with an empty memo "
                "(older pages cost requests again). Delete the file to silence this",
                self.path,
                type(exc).__name__,
                extra={"event": "memo.unreadable", "path": str(self.path)},
            )
            return
        cursors = data.get("cursors") if isinstance(data, dict) else None
        if (
            not isinstance(data, dict)
            or data.get("version") != _FORMAT_VERSION
            or not isinstance(cursors, list)
        ):
            log.warning(
                "the page memo %s is not in a format this compat version reads; compat starts "
                "with an empty memo (older pages cost requests again) and rewrites the file",
                self.path,
                extra={"event": "memo.unknown_format", "path": str(self.path)},
            )
            return
        skipped = 0
        for item in cursors[-self.max_cursors :]:
            try:
                if not isinstance(item, dict):
                    raise ValueError("an entry is not an object")
                cursor = Cursor.from_json(item.get("cursor"))
                keys = _list(item.get("keys"))
                if not keys or not all(_is_id(k) for k in keys):
                    raise ValueError("an entry's keys are not ids")
                if self._check is not None and not self._check(cursor):
                    raise ValueError("an entry's posts are not v2 posts")
            except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
                skipped += 1
                continue
            fetched = item.get("fetched_at", 0.0)
            fetched = fetched if isinstance(fetched, (int, float)) else 0.0
            if _holds_posts(cursor) and not _young(fetched):
                skipped += 1  # posts older than 24 h are not kept (see MAX_MEMO_POST_AGE)
                continue
            cursor.fetched_at = float(fetched)
            self._add_locked(_Entry(cursor, tuple((cursor.owner, cursor.target, k) for k in keys)))
        if skipped:
            log.warning(
                "compat skipped %s entries of the page memo %s (malformed, or posts older than "
                "24 h); those pages cost requests again. Nothing to do",
                skipped,
                self.path,
                extra={"event": "memo.skipped", "path": str(self.path), "skipped": skipped},
            )

    def _save_locked(self) -> None:
        if self.path is None:
            return
        refusal = _unwritable(self.path)
        if refusal is not None:
            if refusal != self._unwritable:  # once per reason: the memo stays in memory
                log.warning(
                    "compat does not save the page memo to %s (%s); it is kept in memory only, "
                    "so a restart costs requests again. Give memo_path a file only you can write",
                    self.path,
                    refusal,
                    extra={"event": "memo.not_saved", "path": str(self.path)},
                )
            self._unwritable = refusal
            return
        self._unwritable = None
        document = {
            "version": _FORMAT_VERSION,
            "cursors": [
                {
                    "keys": [key[2] for key in e.keys],
                    "cursor": e.cursor.to_json(),
                    "fetched_at": e.cursor.fetched_at,
                }
                for e in self._entries.values()
                # no post fetched more than 24 h ago goes to disk (it stays in memory only)
                if not _holds_posts(e.cursor) or _young(e.cursor.fetched_at)
            ],
        }
        tmp: str | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".memo-", dir=self.path.parent)  # mode 0600
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(document, handle)
            os.replace(tmp, self.path)
            tmp = None
        except (OSError, ValueError, TypeError, RecursionError) as exc:
            # a memo that can't be saved costs requests, never the call
            log.warning(
                "compat could not write the page memo %s (%s); it is kept in memory only, so "
                "a restart costs requests again. Check the folder exists and is writable",
                self.path,
                type(exc).__name__,
                extra={"event": "memo.unwritable", "path": str(self.path)},
            )
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)


def _holds_posts(cursor: Cursor) -> bool:
    return bool(cursor.buffer or cursor.boundaries)


def _young(fetched_at: float) -> bool:
    """Whether posts fetched at ``fetched_at`` may still be kept in the memo file."""
    return time.time() - fetched_at < MAX_MEMO_POST_AGE


def _owned_by_another(info: os.stat_result) -> bool:
    geteuid = getattr(os, "geteuid", None)
    return geteuid is not None and info.st_uid != geteuid()


def _untrusted(path: pathlib.Path, why: str) -> None:
    log.warning(
        "compat does not read the page memo %s (%s); it starts with an empty memo. Give "
        "memo_path a regular file only you can write",
        path,
        why,
        extra={"event": "memo.untrusted", "path": str(path)},
    )


def _read_trusted(path: pathlib.Path) -> bytes | None:
    """The memo file's bytes, or None (logged) when it is missing or not to be trusted."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    except OSError as exc:
        _untrusted(path, "it is a symlink" if exc.errno == errno.ELOOP else type(exc).__name__)
        return None
    try:
        info = os.fstat(fd)
        refusal = None
        if not stat.S_ISREG(info.st_mode):
            refusal = "not a regular file"
        elif _owned_by_another(info):
            refusal = "owned by another user"
        elif info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            refusal = "writable by other users"
        elif info.st_size > MAX_MEMO_FILE_BYTES:
            refusal = f"larger than {MAX_MEMO_FILE_BYTES} bytes"
        if refusal is not None:
            _untrusted(path, refusal)
            return None
        chunks = []
        size = 0
        while size <= MAX_MEMO_FILE_BYTES:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_MEMO_FILE_BYTES:
            log.warning(
                "compat does not read the page memo %s (it grew while being read: another "
                "process writes it?); it starts with an empty memo",
                path,
                extra={"event": "memo.untrusted", "path": str(path)},
            )
            return None
        return b"".join(chunks)
    except OSError as exc:
        log.warning(
            "compat could not read the page memo %s (%s); it starts with an empty memo "
            "(older pages cost requests again)",
            path,
            type(exc).__name__,
            extra={"event": "memo.unreadable", "path": str(path)},
        )
        return None
    finally:
        os.close(fd)


def _unwritable(path: pathlib.Path) -> str | None:
    """Why the memo must not be written to ``path`` (None: it may): compat never writes
    through a symlink nor replaces a FIFO, a device, a folder or another user's file."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return type(exc).__name__
    if stat.S_ISLNK(info.st_mode):
        return "it is a symlink"
    if not stat.S_ISREG(info.st_mode):
        return "it is not a regular file"
    if _owned_by_another(info):
        return "it is owned by another user"
    return None
