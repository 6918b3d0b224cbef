"""The shipped dataset, synthetic likes at scale, loading from files, and safe binding."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from compat.emulator import Dataset, DatasetError, Emulator
from compat.emulator.dataset import DEFAULT_DATASET, iso_from_snowflake
from compat.errors import ConfigurationError
from tests._support import load_real
from tests._support.emulator_api import Api, oauth1

DATA_README = DEFAULT_DATASET.parent / "README.md"


def test_shipped_dataset_holds_the_real_objects_unchanged() -> None:
    ds = Dataset.default()
    social = load_real("socialfoundations_v2_tweet_1_expanded.json")
    for post in [social["data"], *social["includes"]["tweets"]]:
        assert {k: ds.tweets[post["id"]][k] for k in post} == post
    for user in social["includes"]["users"]:
        assert {k: ds.users[user["id"]][k] for k in user} == user
    me = load_real("tweepy_v2_users_me.json")["data"]
    assert ds.default_user == me["id"]
    assert {k: ds.users[me["id"]][k] for k in me} == me
    for post in load_real("tweepy_v2_liked_tweets.json")["data"]:
        assert {k: ds.tweets[post["id"]][k] for k in post} == post
    for user in load_real("tweepy_v2_liking_users.json")["data"]:
        assert {k: ds.users[user["id"]][k] for k in user} == user


def test_every_object_has_provenance() -> None:
    doc = json.loads(DEFAULT_DATASET.read_text(encoding="utf-8"))
    keys = {f"user:{u['id']}" for u in doc["users"]} | {f"tweet:{t['id']}" for t in doc["tweets"]}
    assert keys == set(doc["provenance"])
    readme = DATA_README.read_text(encoding="utf-8")
    for name in {v.split(" ")[0] for v in doc["provenance"].values()} - {"synthetic:"}:
        assert name in readme, name


def test_missing_created_at_comes_from_the_snowflake() -> None:
    ds = Dataset.default()
    post = ds.tweets["1293593516040269825"]
    assert post["created_at"] == iso_from_snowflake(post["id"]) == "2020-08-12T17:01:42.000Z"
    assert ds.tweets["145344012"]["created_at"] == "2007-07-11T20:48:41.000Z"  # from v1.1


def test_synthetic_posts_are_deterministic_and_consistent() -> None:
    a = Dataset.default().with_synthetic(500)
    b = Dataset.default().with_synthetic(500)
    liked = a.initial_likes(a.default_user)
    assert liked == b.initial_likes(b.default_user)
    assert len(set(liked)) == 500
    assert liked != sorted(liked, key=int, reverse=True)
    for tid in liked[:50]:
        post = a.tweet(tid)
        assert post is not None and post == b.tweet(tid)
        assert post["created_at"] == iso_from_snowflake(tid)
        assert post["author_id"] in a.users
    assert a.tweet(a.synthetic_id(500)) is None  # beyond N
    assert a.synthetic_index(str(int(liked[0]) + 1)) is None


def test_100k_likes_build_and_page() -> None:
    with Emulator(likes=100_000, rate_limits=False) as emu:
        api = Api(emu, oauth1(emu.credentials))
        try:
            assert emu.state.liked_total(emu.user_id) == 100_000
            path = f"/2/users/{emu.user_id}/liked_tweets"
            token = None
            seen: list[str] = []
            for _ in range(25):  # the first 2,500: each like once, in like order
                params = {"max_results": 100, **({"pagination_token": token} if token else {})}
                page = api.get(path, **params).json()
                seen.extend(t["id"] for t in page["data"])
                token = page["meta"]["next_token"]
            liked = emu.state.liked(emu.user_id)
            assert seen == liked[:2500]
            # jump to the last page with the token of the 99,900th like: the walk ends there
            token = None
            last = api.get(
                path,
                max_results=100,
                pagination_token=_token_after(emu, liked[99_899]),
            ).json()
            assert [t["id"] for t in last["data"]] == liked[99_900:]
            assert "next_token" not in last["meta"]
        finally:
            api.close()


def _token_after(emu: Emulator, tweet_id: str) -> str:
    from compat.emulator.server import _encode_token

    likes = emu.state._users[emu.user_id]
    return _encode_token("n", likes.live[tweet_id], f"lt{emu.user_id}")


def test_load_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "world.json"
    path.write_text(json.dumps(Dataset.default().to_dict()), encoding="utf-8")
    loaded = Dataset.load(path)
    assert loaded.users == Dataset.default().users
    with Emulator(loaded.with_synthetic(3)) as emu:
        assert emu.state.liked_total(emu.user_id) == 3


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.update(format="other/9"),
        lambda d: d.pop("users"),
        lambda d: d.update(default_user="1"),
        lambda d: d.update(apps=[]),
    ],
)
def test_bad_dataset_documents_are_refused(mutate: object) -> None:
    doc = Dataset.default().to_dict()
    mutate(doc)  # type: ignore[operator]
    with pytest.raises(DatasetError):
        Dataset.from_dict(doc)


def test_unreadable_dataset_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2", encoding="utf-8")
    with pytest.raises(DatasetError):
        Dataset.load(bad)
    with pytest.raises(DatasetError):
        Dataset.load(tmp_path / "missing.json")


def test_binds_loopback_only_by_default() -> None:
    with Emulator() as emu:
        assert emu.base_url.startswith("http://127.0.0.1:")
        assert emu._server is not None
        assert emu._server.server_address[0] == "127.0.0.1"
        # not reachable through any non-loopback address of this machine
        for addr in _local_addresses():
            with socket.socket() as s:
                s.settimeout(1)
                assert s.connect_ex((addr, emu.port)) != 0


def _local_addresses() -> list[str]:
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return []
    return sorted({str(i[4][0]) for i in infos if not str(i[4][0]).startswith("127.")})


@pytest.mark.parametrize(
    "kwargs", [{"likes": -1}, {"likes": True}, {"port": 70000}, {"host": ""}, {"likes": 1.5}]
)
def test_bad_emulator_arguments_are_refused(kwargs: dict[str, object]) -> None:
    # a setup mistake, not a v1.1 code-44 InvalidParameter (tests/emulator/test_config.py)
    (option,) = kwargs
    with pytest.raises(ConfigurationError, match=option):
        Emulator(**kwargs)  # type: ignore[arg-type]


def test_start_stop_and_restart() -> None:
    emu = Emulator()
    emu.start()
    first = emu.base_url
    emu.stop()
    emu.stop()  # idempotent
    emu.start()
    try:
        assert emu.base_url == first or emu.base_url.startswith("http://127.0.0.1:")
    finally:
        emu.stop()
