"""The page memo's file: corrupt, of the wrong structure, planted, a symlink, a FIFO. A memo
file never crashes a call, never hangs it, never drops a like nor hands out a post that is
not one; compat never writes through a symlink nor replaces what is not its own file.

"Planted" means: a memo file compat did not write for this user (owned by another user, or
writable by others), or entries for an account that is not the caller's. The first kind is
not read at all; the second is never handed to another account's walk.
"""

from __future__ import annotations

import collections
import json
import os
import pathlib
import stat
from collections.abc import Iterator
from typing import Any

import pytest

from compat import Favorites
from compat.emulator import Emulator
from compat.pagination import Cursor, PageMemo
from tests._support.hostile_server import Tally, guarded

FAKE = "1000000000000000001"  # a post id no account of the emulator likes


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(likes=150) as emulator:
        emulator.rate_limits.lift()
        yield emulator


def walk(client: Favorites, count: int = 30) -> list[str]:
    seen: list[str] = []
    max_id = None
    for _ in range(100):
        page = client.list(count=count, max_id=max_id)
        if not page:
            return seen
        seen.extend(s["id_str"] for s in page)
        max_id = min(s["id"] for s in page) - 1
    raise AssertionError("the walk does not end")


def resume_key(emu: Emulator, count: int = 30) -> str:
    """The max_id a tweepy-style walk sends after its first page of ``count``."""
    first = emu.state.liked(emu.user_id)[:count]
    return str(min(int(i) for i in first) - 1)


def forged_memo(path: pathlib.Path, owner: str, target: str, key: str) -> None:
    """A memo (written by compat's own code) whose walk at ``key`` hands out a post that is
    not a like and then says the walk is over."""
    memo = PageMemo(path=path)
    cursor = Cursor(
        owner=owner, target=target, exhausted=True, page_count=1, walk="count=30;since="
    )
    cursor.buffer.append(({"id": FAKE, "text": "planted"}, 1))
    memo.store(cursor, keys=[key])


# -- files compat cannot use: the call works as if there were none --------------------------

WRONG = {
    "not json": b"{not json",
    "empty": b"",
    "a list": b"[]",
    "a string": b'"memo"',
    "null": b"null",
    "no cursors": b'{"version": VERSION}',
    "cursors not a list": b'{"version": VERSION, "cursors": {}}',
    "version as string": b'{"version": "VERSION", "cursors": []}',
    "another version": b'{"version": -1, "cursors": []}',
    "entry not an object": b'{"version": VERSION, "cursors": [1, "x", null]}',
    "keys not a list": b'{"version": VERSION, "cursors": [{"keys": "KEY", "cursor": {}}]}',
    "keys not ids": b'{"version": VERSION, "cursors": [{"keys": [99, "x"], "cursor": {}}]}',
    "cursor not an object": b'{"version": VERSION, "cursors": [{"keys": ["KEY"], "cursor": []}]}',
    "owner not an id": b'{"version": VERSION, "cursors": [{"keys": ["KEY"], "cursor": {"owner": 5,'
    b' "target": "OWNER"}}]}',
    "post of wrong types": b'{"version": VERSION, "cursors": [{"keys": ["KEY"], "cursor": {"owner":'
    b' "OWNER", "target": "OWNER", "exhausted": true, "page_count": 1, "buffer": [[{"id": "5",'
    b' "text": 7, "created_at": [], "author_id": {}}, 1]]}}]}',
    "buffer not a list": b'{"version": VERSION, "cursors": [{"keys": ["KEY"], "cursor": {"owner":'
    b' "OWNER", "target": "OWNER", "buffer": {}}}]}',
    "post without id": b'{"version": VERSION, "cursors": [{"keys": ["KEY"], "cursor": {"owner":'
    b' "OWNER", "target": "OWNER", "page_count": 1, "buffer": [[{"text": "x"}, 1]]}}]}',
    "page out of range": b'{"version": VERSION, "cursors": [{"keys": ["KEY"], "cursor": {"owner":'
    b' "OWNER", "target": "OWNER", "page_count": 1, "buffer": [[{"id": "5"}, 7]]}}]}',
    "pages malformed": b'{"version": VERSION, "cursors": [{"keys": ["KEY"], "cursor": {"owner":'
    b' "OWNER", "target": "OWNER", "pages": {"x": 1}}}]}',
    "token not a string": b'{"version": VERSION, "cursors": [{"keys": ["KEY"], "cursor": {"owner":'
    b' "OWNER", "target": "OWNER", "next_token": 5}}]}',
    "count as string": b'{"version": VERSION, "cursors": [{"keys": ["KEY"], "cursor": {"owner":'
    b' "OWNER", "target": "OWNER", "page_count": "3"}}]}',
    "exhausted with a token": b'{"version": VERSION, "cursors": [{"keys": ["KEY"], "cursor":'
    b' {"owner": "OWNER", "target": "OWNER", "next_token": "t", "exhausted": true}}]}',
    "nested deeply": b"[" * 100_000 + b"]" * 100_000,
    "huge number": b'{"version": 1e999999, "cursors": []}',
    "binary": bytes(range(256)) * 4,
}


def format_version(tmp_path: pathlib.Path) -> bytes:
    """The ``version`` of the memo files this compat writes (each wrong structure above is
    written with it, so that it is read as a memo and not skipped as another format)."""
    path = tmp_path / "reference.json"
    PageMemo(path=path).store(Cursor(owner="1", target="1"), keys=["9"])
    return json.dumps(json.loads(path.read_text())["version"]).encode()


@pytest.mark.parametrize("content", list(WRONG.values()), ids=list(WRONG))
def test_a_memo_file_compat_cannot_use_costs_requests_not_the_call(
    emu: Emulator, tally: Tally, tmp_path: pathlib.Path, content: bytes
) -> None:
    path = tmp_path / "memo.json"
    emu.clear_requests()
    version = format_version(tmp_path)
    content = content.replace(b'"VERSION"', b'"' + version + b'"').replace(b"VERSION", version)
    content = content.replace(b"OWNER", emu.user_id.encode())
    path.write_bytes(content.replace(b"KEY", resume_key(emu).encode()))
    path.chmod(0o600)
    liked = emu.state.liked(emu.user_id)
    resumed = guarded(lambda: _resume(emu, path))  # as after a restart, at the entry's key
    seen = guarded(lambda: walk(Favorites(emu.credentials, api_base=emu.base_url, memo_path=path)))
    clean = seen == liked and set(resumed) <= set(liked)
    tally.record("files: memo of wrong structure", clean=clean, requests=len(emu.requests))
    assert set(resumed) <= set(liked)  # only real likes
    assert seen == liked
    document = json.loads(path.read_text())  # replaced by a memo compat wrote
    assert isinstance(document, dict) and isinstance(document["cursors"], list)


def test_a_good_entry_survives_next_to_malformed_ones(
    emu: Emulator, tmp_path: pathlib.Path
) -> None:
    path = tmp_path / "memo.json"
    liked = emu.state.liked(emu.user_id)
    first = Favorites(emu.credentials, api_base=emu.base_url, memo_path=path).list(count=30)
    document = json.loads(path.read_text())
    document["cursors"] = [1, {"keys": ["x"]}, *document["cursors"], {"cursor": None}]
    path.write_text(json.dumps(document))
    emu.clear_requests()
    resumed = Favorites(emu.credentials, api_base=emu.base_url, memo_path=path)
    following = resumed.list(count=30, max_id=min(s["id"] for s in first) - 1)
    assert [s["id_str"] for s in first + following] == liked[:60]
    assert emu.requests == []  # resumed from the good entry


# -- planted memos ----------------------------------------------------------------------------


def _resume(emu: Emulator, path: pathlib.Path) -> list[str]:
    client = Favorites(emu.credentials, api_base=emu.base_url, memo_path=path)
    return [s["id_str"] for s in client.list(count=30, max_id=resume_key(emu))]


@pytest.mark.parametrize("planted", ["another user's file", "writable by others"])
def test_a_planted_memo_file_is_not_read(
    emu: Emulator, tally: Tally, tmp_path: pathlib.Path, planted: str
) -> None:
    path = tmp_path / "memo.json"
    emu.clear_requests()
    forged_memo(path, emu.user_id, emu.user_id, resume_key(emu))
    if planted == "another user's file":
        os.chown(path, 65534, 65534)  # nobody (the suite runs as root on the CI machine)
    else:
        path.chmod(0o666)
    before = path.read_bytes()
    got = guarded(lambda: _resume(emu, path))
    liked = set(emu.state.liked(emu.user_id))
    clean = bool(got) and FAKE not in got and set(got) <= liked
    tally.record("files: planted memo", clean=clean, requests=len(emu.requests))
    assert got and FAKE not in got  # the forged walk was not continued
    assert set(got) <= liked  # only real likes (filtered by id: the memo was not trusted)
    if planted == "another user's file":
        assert path.read_bytes() == before  # never replaced


def test_entries_of_another_account_are_never_handed_out(
    emu: Emulator, tally: Tally, tmp_path: pathlib.Path
) -> None:
    path = tmp_path / "memo.json"
    other = str(emu.credentials_for("tweepytest").token_user_id())
    emu.clear_requests()
    forged_memo(path, other, emu.user_id, resume_key(emu))  # their walk of my likes
    got = guarded(lambda: _resume(emu, path))
    tally.record("files: planted memo", clean=FAKE not in got, requests=len(emu.requests))
    assert got and FAKE not in got
    assert set(got) <= set(emu.state.liked(emu.user_id))


def test_a_memo_compat_wrote_for_this_user_resumes(emu: Emulator, tmp_path: pathlib.Path) -> None:
    path = tmp_path / "memo.json"
    liked = emu.state.liked(emu.user_id)
    first = Favorites(emu.credentials, api_base=emu.base_url, memo_path=path).list(count=30)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _resume(emu, path) == liked[30:60] and [s["id_str"] for s in first] == liked[:30]


# -- paths that are not a regular file of ours -----------------------------------------------


def test_a_symlinked_memo_path_is_neither_followed_nor_replaced(
    emu: Emulator, tally: Tally, tmp_path: pathlib.Path
) -> None:
    target = tmp_path / "elsewhere.json"
    emu.clear_requests()
    forged_memo(target, emu.user_id, emu.user_id, resume_key(emu))
    before = target.read_bytes()
    link = tmp_path / "memo.json"
    link.symlink_to(target)
    got = guarded(lambda: _resume(emu, link))
    seen = guarded(lambda: walk(Favorites(emu.credentials, api_base=emu.base_url, memo_path=link)))
    clean = FAKE not in got and seen == emu.state.liked(emu.user_id)
    tally.record("files: symlink", clean=clean, requests=len(emu.requests))
    assert FAKE not in got
    assert seen == emu.state.liked(emu.user_id)
    assert link.is_symlink() and target.read_bytes() == before


def test_a_fifo_as_memo_path_neither_hangs_nor_is_replaced(
    emu: Emulator, tally: Tally, tmp_path: pathlib.Path
) -> None:
    fifo = tmp_path / "memo.json"
    os.mkfifo(fifo)
    emu.clear_requests()
    seen = guarded(lambda: walk(Favorites(emu.credentials, api_base=emu.base_url, memo_path=fifo)))
    clean = seen == emu.state.liked(emu.user_id)
    tally.record("files: fifo", clean=clean, requests=len(emu.requests))
    assert seen == emu.state.liked(emu.user_id)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_folder_as_memo_path(emu: Emulator, tally: Tally, tmp_path: pathlib.Path) -> None:
    folder = tmp_path / "memo.json"
    folder.mkdir()
    emu.clear_requests()
    seen = guarded(
        lambda: walk(Favorites(emu.credentials, api_base=emu.base_url, memo_path=folder))
    )
    clean = seen == emu.state.liked(emu.user_id)
    tally.record("files: folder", clean=clean, requests=len(emu.requests))
    assert seen == emu.state.liked(emu.user_id)
    assert folder.is_dir()


def test_the_memo_file_is_valid_after_every_call(emu: Emulator, tmp_path: pathlib.Path) -> None:
    path = tmp_path / "memo.json"
    client = Favorites(emu.credentials, api_base=emu.base_url, memo_path=path)
    keys: collections.Counter[str] = collections.Counter()
    max_id: Any = None
    for _ in range(4):
        page = client.list(count=40, max_id=max_id)
        document = json.loads(path.read_text())
        for entry in document["cursors"]:
            keys.update(entry["keys"])
            Cursor.from_json(entry["cursor"])  # every entry reads back
        max_id = min(s["id"] for s in page) - 1
    assert keys and not list(tmp_path.glob(".memo-*"))  # no temporary file left behind
