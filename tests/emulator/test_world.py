"""Whose world the emulator serves: Emulator(screen_name=...), Emulator(dataset=PATH) with its
short file format, and the ``compat emulator`` options --user and --dataset."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pytest

from compat.emulator import DatasetError, Emulator, FakeClock
from compat.emulator import cli as emulator_cli
from compat.emulator.timelines import DEFAULT_COUNTS
from compat.errors import ConfigurationError
from tests._support.emulator_api import Api, oauth1

ALICE_POST = "1720000000000000000"
WORLD: dict[str, Any] = {
    "users": [
        {"id": "1001", "username": "alice", "name": "Alice", "description": "likes things"},
        {"id": "1002", "username": "bob"},
    ],
    "posts": [
        {"id": ALICE_POST, "author_id": "alice", "text": "hello #compat @bob"},
        {
            "id": "1720000000000000001",
            "author_id": "1002",
            "text": "a reply",
            "in_reply_to_user_id": "1001",
            "referenced_tweets": [{"type": "replied_to", "id": ALICE_POST}],
        },
    ],
    "likes": {"bob": [ALICE_POST]},
    "default_user": "bob",
}


def me(emu: Emulator) -> dict[str, Any]:
    client = Api(emu, oauth1(emu.credentials))
    try:
        doc: dict[str, Any] = client.get("/2/users/me").json()
    finally:
        client.close()
    return doc["data"]


def test_screen_name_renames_the_default_user(clock: FakeClock) -> None:
    with Emulator(screen_name="@my_handle", clock=clock) as emu:
        assert me(emu) == {"id": emu.user_id, "name": "Tweepy Testing", "username": "my_handle"}
        assert emu.dataset.user_id_for("TweepyDev") is None
        client = Api(emu, oauth1(emu.credentials))
        try:
            found = client.get("/2/tweets/search/recent", query="from:my_handle").json()
        finally:
            client.close()
        assert found["meta"]["result_count"] == 10


def test_screen_name_of_a_dataset_user_makes_that_user_the_default(clock: FakeClock) -> None:
    with Emulator(screen_name="twitter", clock=clock) as emu:
        assert emu.user_id == "783214"
        assert me(emu)["username"] == "Twitter"
        assert len(emu.dataset.timeline("783214")) >= DEFAULT_COUNTS.second_user
        assert emu.state.liked("783214")  # its recorded likes come along


def test_a_dataset_file_is_served(tmp_path: Path, clock: FakeClock) -> None:
    world = tmp_path / "world.json"
    world.write_text(json.dumps(WORLD), encoding="utf-8")
    with Emulator(dataset=world, clock=clock) as emu:
        assert me(emu)["username"] == "bob"
        client = Api(emu, oauth1(emu.credentials))
        try:
            liked = client.get("/2/users/1002/liked_tweets", **{"tweet.fields": "entities"}).json()
            alice = client.get("/2/users/1001/tweets").json()
            users = client.get("/2/users/by", usernames="alice", **{"user.fields": "description"})
        finally:
            client.close()
    assert [p["id"] for p in liked["data"]] == [ALICE_POST]
    assert liked["data"][0]["entities"]["mentions"][0] == {
        "start": 14,
        "end": 18,
        "username": "bob",
        "id": "1002",
    }
    assert alice["data"] == [
        {"id": ALICE_POST, "text": "hello #compat @bob", "edit_history_tweet_ids": [ALICE_POST]}
    ]
    assert users.json()["data"] == [
        {"id": "1001", "name": "Alice", "username": "alice", "description": "likes things"}
    ]


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda w: w["users"][1].update(username="b o b"), "users[1].username"),
        (lambda w: w["users"].append({"id": "1003", "username": "ALICE"}), "users[2].username"),
        (lambda w: w["users"][0].update(id="12x"), "users[0].id"),
        (lambda w: w["posts"][1].update(author_id="carol"), "posts[1].author_id"),
        (lambda w: w["posts"][0].pop("text"), "posts[0].text"),
        (lambda w: w["likes"].update(bob=["999"]), "likes['bob'][0]"),
        (lambda w: w.update(default_user="nobody"), "default_user"),
        (lambda w: w.update(tweets=[]), "tweets: unknown key"),
        (lambda w: w.update(authored={"everyone": 5}), "authored"),
    ],
)
def test_a_bad_dataset_file_is_refused_naming_the_file_and_the_entry(
    tmp_path: Path, change: Any, named: str
) -> None:
    doc = json.loads(json.dumps(WORLD))
    change(doc)
    world = tmp_path / "world.json"
    world.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        Emulator(dataset=str(world))
    assert isinstance(caught.value, ConfigurationError)
    assert str(caught.value).startswith(f"dataset {world}: {named}")


def test_an_unreadable_dataset_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="cannot read dataset .*missing.json"):
        Emulator(dataset=tmp_path / "missing.json")


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    emulator_cli.register(parser.add_subparsers())
    return parser.parse_args(["emulator", *argv])


def test_the_cli_takes_user_and_dataset_and_prints_what_it_accepts(tmp_path: Path) -> None:
    world = tmp_path / "world.json"
    world.write_text(json.dumps(WORLD), encoding="utf-8")
    args = parse("--user", "alice", "--dataset", str(world), "--fake-clock")
    options = emulator_cli.emulator_options(args)
    assert options["screen_name"] == "alice"
    with Emulator(args.dataset, **options) as emu:
        banner = emulator_cli._banner(emu)
        creds = emu.credentials
    assert banner[0] == f"compat emulator listening on {emu.base_url}"
    assert banner[1].startswith("# default user @alice (1001)")
    assert creds.consumer_key in banner[1] and creds.access_token in banner[1]
    assert str(creds.consumer_secret) not in banner[1]  # secrets only on the export lines
    exports = dict(
        line[len("export ") :].split("=", 1) for line in banner if line.startswith("export ")
    )
    assert exports == {
        "COMPAT_API_BASE": emu.base_url,
        "X_CONSUMER_KEY": creds.consumer_key,
        "X_CONSUMER_SECRET": creds.consumer_secret,
        "X_ACCESS_TOKEN": creds.access_token,
        "X_ACCESS_TOKEN_SECRET": creds.access_token_secret,
    }


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--user", "not a handle"), "--user must be a handle"),
        (("--dataset", "/nonexistent/world.json"), "cannot read dataset /nonexistent/world.json"),
    ],
)
def test_a_bad_user_or_dataset_exits_2_before_anything_starts(
    argv: tuple[str, ...], message: str
) -> None:
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert emulator_cli.run(parse(*argv)) == 2
    assert message in err.getvalue()
