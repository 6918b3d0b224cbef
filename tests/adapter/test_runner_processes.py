"""``compat run``: what happens when the shim cannot be installed in the program, and the
refusing layer (issues 16 and 17); the Python processes a program starts are in
tests/runner/test_environments.py."""

from __future__ import annotations

import json
import os
import pathlib
import textwrap
from collections.abc import Iterator

import pytest
import requests

from compat import _environment, cli
from compat import patch as compat_patch
from compat.adapter import RefusingAdapter
from compat.emulator import Emulator
from tests._support.adapter import LIST

# A favorites call as legacy code makes it, printing what it got.
FAVORITES_CALL = textwrap.dedent(
    """
    import os, requests
    from requests_oauthlib import OAuth1
    auth = OAuth1(*(os.environ.get("TWITTER_" + n, "x") for n in
                    ("CONSUMER_KEY", "CONSUMER_SECRET", "ACCESS_TOKEN", "ACCESS_TOKEN_SECRET")))
    try:
        r = requests.get("https://api.twitter.com/1.1/favorites/list.json?count=1", auth=auth)
        print("answered", r.status_code)
    except requests.ConnectionError as exc:
        print("refused", exc)
    """
)


def credential_names() -> list[str]:
    return [row.name for row in _environment.table() if row.setting.startswith("credentials.")]


@pytest.fixture
def keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[Emulator]:
    """The emulator's keys in the environment as ``TWITTER_*``, as a user exports them."""
    for name in credential_names():
        monkeypatch.delenv(name, raising=False)
    with Emulator(likes=3) as emu:
        creds = emu.credentials
        for name, field in [
            ("CONSUMER_KEY", "consumer_key"),
            ("CONSUMER_SECRET", "consumer_secret"),
            ("ACCESS_TOKEN", "access_token"),
            ("ACCESS_TOKEN_SECRET", "access_token_secret"),
        ]:
            monkeypatch.setenv(f"TWITTER_{name}", str(getattr(creds, field)))
        yield emu


def test_the_program_that_drops_its_credentials_is_refused_not_sent(
    tmp_path: pathlib.Path, keys: Emulator, capfd: pytest.CaptureFixture[str]
) -> None:
    # compat run checked the keys; the program then removes them before its first import
    # of requests: its v1.1 favorites calls are refused, never sent to the retired API.
    names = json.dumps(credential_names())
    program = tmp_path / "bot.py"
    program.write_text(
        f"import json, os\nfor n in json.loads({names!r}): os.environ.pop(n, None)\n"
        + FAVORITES_CALL,
        encoding="utf-8",
    )
    status = cli.main(["run", "--api-base", keys.base_url, "--", "python", str(program)])
    out, err = capfd.readouterr()
    assert status == 0, err
    assert out.strip().startswith("refused compat: v1.1 favorites/list") and "not sent" in out
    assert "the shim could not be installed" in err
    assert keys.requests == []


def test_a_broken_compat_on_the_path_and_another_sitecustomize(
    tmp_path: pathlib.Path,
    keys: Emulator,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    broken = tmp_path / "broken"  # a `compat` the program's path finds first
    (broken / "compat").mkdir(parents=True)
    (broken / "compat" / "__init__.py").write_text("raise ImportError('no compat here')\n")
    other = tmp_path / "other"  # the user's own sitecustomize, further down the path
    other.mkdir()
    (other / "sitecustomize.py").write_text("print('their sitecustomize')\n")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(broken), str(other)]))
    program = tmp_path / "bot.py"
    program.write_text(FAVORITES_CALL, encoding="utf-8")
    status = cli.main(["run", "--api-base", keys.base_url, "--", "python", str(program)])
    out, err = capfd.readouterr()
    assert status == 0, err
    # compat is imported from its own location, never from the program's path
    assert out.splitlines() == ["their sitecustomize", "answered 200"]
    assert [r.endpoint for r in keys.requests] == ["liked_tweets"]


def test_refuse_layer_in_process(emu: Emulator) -> None:
    # What a grandchild without credentials gets, in this process: nothing is sent.
    with compat_patch.refuse("no credentials here") as handle:
        assert "RefusingAdapter('no credentials here')" in repr(handle)
        with pytest.raises(requests.ConnectionError, match="was not sent.*no credentials here"):
            requests.get(LIST, params={"count": 1})
        assert requests.get(emu.base_url + "/2/users/me").status_code == 401  # others go out
        with compat_patch.disabled():
            assert requests.Session().get_adapter(LIST) is not handle.adapter
    assert not compat_patch.installed()
    assert emu.requests[-1:] and emu.requests[-1].endpoint == "users_me"


def test_refusing_adapter_used_directly_passes_other_urls(emu: Emulator) -> None:
    adapter = RefusingAdapter("no credentials here")
    other = requests.Request("GET", emu.base_url + "/2/users/me").prepare()
    assert adapter.send(other, timeout=5).status_code == 401
    with pytest.raises(requests.ConnectionError):
        adapter.send(requests.Request("POST", LIST.replace("list", "create")).prepare())
    adapter.close()
