"""``compat run``: unchanged legacy programs in a child process, with the shim installed."""

from __future__ import annotations

import json
import pathlib
import sys
import textwrap

import pytest

from compat import cli
from compat.emulator import Emulator
from tests._support.adapter import REAL_TWEET

# A legacy tweepy 4 program as people wrote them: keys from the environment, v1.1 favorites.
TWEEPY_BOT = textwrap.dedent(
    f"""
    import json, os, tweepy
    auth = tweepy.OAuth1UserHandler(
        os.environ["TWITTER_CONSUMER_KEY"], os.environ["TWITTER_CONSUMER_SECRET"],
        os.environ["TWITTER_ACCESS_TOKEN"], os.environ["TWITTER_ACCESS_TOKEN_SECRET"],
    )
    api = tweepy.API(auth)
    status = api.create_favorite({REAL_TWEET})
    favorites = api.get_favorites(count=3)
    api.destroy_favorite({REAL_TWEET})
    print(json.dumps({{"favorited": status.favorited, "user": status.user.screen_name,
                      "listed": [s.id_str for s in favorites]}}))
    """
)
# Raw requests with hard-coded keys nobody registered (served only with --emulator).
REQUESTS_BOT = textwrap.dedent(
    """
    import sys, requests
    from requests_oauthlib import OAuth1
    auth = OAuth1("legacy-key", "legacy-secret", "1-legacy-token", "legacy-token-secret")
    r = requests.get("https://api.twitter.com/1.1/favorites/list.json?count=2", auth=auth)
    print(r.status_code, len(r.json()))
    sys.exit(3)
    """
)


def script(tmp_path: pathlib.Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_run_with_the_embedded_emulator(
    tmp_path: pathlib.Path, capfd: pytest.CaptureFixture[str]
) -> None:
    bot = script(tmp_path, "bot.py", TWEEPY_BOT)
    assert cli.main(["run", "--emulator", "--likes", "5", "--", "python", bot]) == 0
    out, err = capfd.readouterr()
    result = json.loads(out.strip().splitlines()[-1])
    assert result["favorited"] is True and result["user"] == "ruchowdh"
    assert len(result["listed"]) == 3 and result["listed"][0] == REAL_TWEET
    assert "LegacyFavoritesWarning" in err and f"{bot}:8" in err  # the program's own line


def test_exit_status_and_any_signer_under_emulator(
    tmp_path: pathlib.Path, capfd: pytest.CaptureFixture[str]
) -> None:
    bot = script(tmp_path, "raw.py", REQUESTS_BOT)
    assert cli.main(["run", "--emulator", "--likes", "4", "--", sys.executable, bot]) == 3
    assert capfd.readouterr().out.strip() == "200 2"


def test_run_with_env_credentials_and_audit_log(
    tmp_path: pathlib.Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = script(tmp_path, "bot.py", TWEEPY_BOT)
    log = tmp_path / "audit.jsonl"
    with Emulator(likes=3) as emu:
        creds = emu.credentials
        for name, field in [
            ("CONSUMER_KEY", "consumer_key"),
            ("CONSUMER_SECRET", "consumer_secret"),
            ("ACCESS_TOKEN", "access_token"),
            ("ACCESS_TOKEN_SECRET", "access_token_secret"),
        ]:
            monkeypatch.setenv(f"TWITTER_{name}", str(getattr(creds, field)))
        status = cli.main(
            ["run", "--api-base", emu.base_url, "--audit-log", str(log), "--", "python", bot]
        )
        endpoints = [r.endpoint for r in emu.requests]
    assert status == 0, capfd.readouterr().err
    assert json.loads(capfd.readouterr().out.strip().splitlines()[-1])["favorited"] is True
    # the destroy takes the post from the post cache (lookup="auto", the default)
    assert endpoints == ["tweets", "like", "liked_tweets", "unlike"]
    logged = [json.loads(line)["endpoint"] for line in log.read_text().splitlines()]
    assert logged == ["favorites/create", "favorites/list", "favorites/destroy"]


def test_unregistered_keys_refused_without_emulator(
    tmp_path: pathlib.Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = script(tmp_path, "raw.py", REQUESTS_BOT)
    with Emulator() as emu:
        creds = emu.credentials
        monkeypatch.setenv("X_CONSUMER_KEY", str(creds.consumer_key))
        monkeypatch.setenv("X_CONSUMER_SECRET", str(creds.consumer_secret))
        monkeypatch.setenv("X_ACCESS_TOKEN", str(creds.access_token))
        monkeypatch.setenv("X_ACCESS_TOKEN_SECRET", str(creds.access_token_secret))
        monkeypatch.setenv("COMPAT_API_BASE", emu.base_url)
        cli.main(["run", "--", "python", bot])
        assert emu.requests == []
    assert capfd.readouterr().out.strip().startswith("401 ")


def test_no_credentials_stops_before_the_program(
    tmp_path: pathlib.Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for family in ("X_", "TWITTER_", ""):
        for name in ("CONSUMER_KEY", "API_KEY", "ACCESS_TOKEN", "USER_ACCESS_TOKEN"):
            monkeypatch.delenv(family + name, raising=False)
    marker = tmp_path / "ran"
    bot = script(tmp_path, "bot.py", f"open({str(marker)!r}, 'w').close()\n")
    assert cli.main(["run", "--", "python", bot]) == 2
    assert "compat run: no credentials" in capfd.readouterr().err
    assert not marker.exists()


def test_usage_errors(capfd: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["run", "--emulator"]) == 2
    assert "no command given" in capfd.readouterr().err
    assert cli.main(["run", "--emulator", "--", "no-such-command-compat"]) == 127
