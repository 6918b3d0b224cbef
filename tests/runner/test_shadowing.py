"""``compat run`` cannot be noticed by the program: its own modules named like the standard
library's, compat's or a library's win exactly as without compat (issue 17, part 5)."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

from tests._support.adapter import REAL_TWEET
from tests._support.runner import clean_env, compat_run, last_json, write

OWN_MODULES = ("secrets", "compat", "config", "settings", "twitter")

# What a program sees of its own modules; requests (the trigger) imported first or last.
WHICH = """
    import json, sys
    {first}
    import secrets, compat, config, settings, twitter
    {last}
    import compat as again
    import requests
    files = {{n: sys.modules[n].__file__ for n in {names!r}}}
    try:
        import requests_oauthlib
        oauth = requests_oauthlib.__file__
    except ImportError:
        oauth = None
    print(json.dumps({{"files": files, "api_key": secrets.api_key, "again": again.MINE,
                      "oauth": oauth, "requests": requests.__file__}}))
"""

# A legacy tweepy 3/4-style program keeping its keys in its own secrets.py and config.py.
BOT = f"""
    import json, sys
    import secrets, config
    import tweepy
    import compat
    auth = tweepy.OAuth1UserHandler(secrets.api_key, secrets.api_secret, config.TOKEN,
                                    config.TOKEN_SECRET)
    api = tweepy.API(auth)
    status = api.create_favorite({REAL_TWEET})
    print(json.dumps({{"favorited": status.favorited, "mine": compat.MINE,
                      "compat": sys.modules["compat"].__file__}}))
"""


def program_folder(tmp_path: pathlib.Path) -> pathlib.Path:
    folder = tmp_path / "legacy"
    write(folder, "secrets.py", 'api_key = "own-api-key"\napi_secret = "own-api-secret"\n')
    write(folder, "compat.py", "MINE = True  # an older program's own compatibility helpers\n")
    write(folder, "config.py", 'TOKEN = "1-own-token"\nTOKEN_SECRET = "own-token-secret"\n')
    write(folder, "settings.py", "DEBUG = False\n")
    write(folder, "twitter.py", "def tweet(text):\n    return text\n")
    return folder


def which(folder: pathlib.Path, first: str, last: str) -> pathlib.Path:
    text = WHICH.format(first=first, last=last, names=OWN_MODULES)
    return write(folder, f"which_{'first' if first else 'last'}.py", text)


def test_the_programs_own_modules_win_as_without_compat(tmp_path: pathlib.Path) -> None:
    folder = program_folder(tmp_path)
    for first, last in [("import requests", ""), ("", "import requests")]:
        script = which(folder, first, last)
        plain = subprocess.run(
            [sys.executable, script.name],
            cwd=folder,
            env=clean_env(),
            capture_output=True,
            text=True,
            check=True,
        )
        shimmed = compat_run(["--emulator", "--", "python", script.name], cwd=folder)
        assert shimmed.returncode == 0, shimmed.stderr
        seen, expected = last_json(shimmed.stdout), last_json(plain.stdout)
        assert seen == expected
        assert seen["api_key"] == "own-api-key" and seen["again"] is True
        for name in OWN_MODULES:
            assert seen["files"][name] == str(folder / f"{name}.py")


def test_a_program_with_its_own_secrets_and_compat_is_served(tmp_path: pathlib.Path) -> None:
    folder = program_folder(tmp_path)
    write(folder, "bot.py", BOT)
    state = tmp_path / "state.json"
    done = compat_run(
        ["--emulator", "--emulator-state", str(state), "--", "python", "bot.py"], cwd=folder
    )
    assert done.returncode == 0, done.stderr
    result = last_json(done.stdout)
    assert result == {"favorited": True, "mine": True, "compat": str(folder / "compat.py")}
    final = json.loads(state.read_text())
    assert final["likes"][final["default_user"]] >= 1
    line = 1 + BOT.splitlines().index(f"    status = api.create_favorite({REAL_TWEET})")
    assert "LegacyFavoritesWarning" in done.stderr and f"bot.py:{line}" in done.stderr
