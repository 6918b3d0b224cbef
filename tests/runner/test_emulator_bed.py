"""``compat run --emulator`` as a test bed for a program: its own v2 calls reach the emulator,
``--user`` / ``--dataset`` choose the default user, ``--emulator-state`` keeps the final state,
``--strict`` refuses unserved v1.1 calls (issue 17, parts 5 and 6)."""

from __future__ import annotations

import json
import pathlib

from compat.emulator.dataset import Dataset
from tests._support.adapter import REAL_TWEET
from tests._support.runner import compat_run, last_json, write

# tweepy 4's v2 Client and a v1.1 API in one program, keys from the environment.
MIXED = f"""
    import json, os, tweepy
    keys = dict(consumer_key=os.environ["X_CONSUMER_KEY"],
                consumer_secret=os.environ["X_CONSUMER_SECRET"],
                access_token=os.environ["X_ACCESS_TOKEN"],
                access_token_secret=os.environ["X_ACCESS_TOKEN_SECRET"])
    client = tweepy.Client(**keys)
    me = client.get_me(user_auth=True).data
    client.like({REAL_TWEET}, user_auth=True)
    liked = client.get_liked_tweets(me.id, user_auth=True).data or []
    api = tweepy.API(tweepy.OAuth1UserHandler(*keys.values()))
    v1 = api.get_favorites(count=5)
    print(json.dumps({{"me": me.username, "liked": [str(t.id) for t in liked],
                      "v1": [s.id_str for s in v1]}}))
"""


def test_the_programs_own_v2_calls_reach_the_emulator(tmp_path: pathlib.Path) -> None:
    write(tmp_path, "bot.py", MIXED)
    state = tmp_path / "state.json"
    done = compat_run(
        ["--emulator", "--emulator-state", str(state), "--", "python", "bot.py"], cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    result = last_json(done.stdout)
    assert result["me"] == "TweepyDev"
    assert str(REAL_TWEET) in result["liked"] and result["v1"][0] == str(REAL_TWEET)
    final = json.loads(state.read_text())
    assert final["likes"][final["default_user"]] == 1  # the like, made through v2 directly
    assert final["requests"] >= 4
    assert "listening on http://127.0.0.1:" in done.stderr
    assert "export X_CONSUMER_KEY=" in done.stderr


def test_user_and_dataset_choose_the_default_user(tmp_path: pathlib.Path) -> None:
    doc = Dataset.default().to_dict()
    dataset = tmp_path / "world.json"
    dataset.write_text(json.dumps(doc), encoding="utf-8")
    write(tmp_path, "bot.py", MIXED)
    done = compat_run(
        [
            "--emulator",
            "--user",
            "@hardcoded_name",
            "--dataset",
            str(dataset),
            "--",
            "python",
            "bot.py",
        ],
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert last_json(done.stdout)["me"] == "hardcoded_name"
    assert "acting as @hardcoded_name" in done.stderr


UNSERVED = """
    import requests
    r = requests.post("https://api.twitter.com/1.1/statuses/update.json", data={"status": "hi"})
    print(r.status_code, r.json()["errors"][0]["code"])
"""


def test_strict_answers_unserved_calls_with_a_v1_error(tmp_path: pathlib.Path) -> None:
    write(tmp_path, "bot.py", UNSERVED)
    state = tmp_path / "state.json"
    done = compat_run(
        ["--emulator", "--strict", "--emulator-state", str(state), "--", "python", "bot.py"],
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    status, code = done.stdout.split()
    assert int(status) >= 400 and int(code) > 0
    assert json.loads(state.read_text())["requests"] == 0  # nothing sent anywhere


def test_options_that_need_the_emulator(tmp_path: pathlib.Path) -> None:
    done = compat_run(["--user", "someone", "--", "python", "-c", "pass"], cwd=tmp_path)
    assert done.returncode == 2 and "go with --emulator" in done.stderr


def test_plan_is_the_emulators_plan(tmp_path: pathlib.Path) -> None:
    state = tmp_path / "state.json"
    done = compat_run(
        [
            "--emulator",
            "--plan",
            "pay-per-use",
            "--emulator-state",
            str(state),
            "--",
            "python",
            "-c",
            "pass",
        ],
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(state.read_text())["plan"] == "pay-per-use"
