"""``compat run``: only the program it started is refused when the shim cannot be installed;
the Python processes *that* program starts run normally (issue 16, finding 12)."""

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

# The program compat run starts: it starts Python processes of its own, with its own
# environment minus every credential variable compat reads (as a wrapper or `pip` would run).
PARENT = textwrap.dedent(
    """
    import json, os, subprocess, sys
    credential_names = set(json.loads(os.environ["CREDENTIAL_NAMES"]))
    bare = {k: v for k, v in os.environ.items() if k not in credential_names}
    bare["PYTHONPATH"] = os.environ.get("GRANDCHILD_PYTHONPATH", os.environ["PYTHONPATH"])
    out = {}
    for name, code, env in [
        ("plain", "print('started')", bare),
        ("favorites", os.environ["FAVORITES_CALL"], bare),
        ("with_keys", os.environ["FAVORITES_CALL"], dict(os.environ)),
    ]:
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                              text=True)
        out[name] = [done.returncode, done.stdout.strip(), done.stderr.strip()]
    print(json.dumps(out))
    """
)
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
        monkeypatch.setenv("CREDENTIAL_NAMES", json.dumps(credential_names()))
        monkeypatch.setenv("FAVORITES_CALL", FAVORITES_CALL)
        yield emu


def run_parent(
    tmp_path: pathlib.Path, emu: Emulator, capfd: pytest.CaptureFixture[str]
) -> tuple[int, dict[str, list[object]], str]:
    program = tmp_path / "parent.py"
    program.write_text(PARENT, encoding="utf-8")
    status = cli.main(["run", "--api-base", emu.base_url, "--", "python", str(program)])
    out, err = capfd.readouterr()
    lines = out.strip().splitlines()
    return status, json.loads(lines[-1]) if lines else {}, err


def test_grandchildren_without_credentials_start(
    tmp_path: pathlib.Path, keys: Emulator, capfd: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run_parent(tmp_path, keys, capfd)
    assert status == 0, err
    assert out["plain"] == [0, "started", ""]  # not exit 2
    code, printed, _ = out["favorites"]
    assert code == 0 and str(printed).startswith("refused compat: v1.1 favorites/list")
    assert "not sent" in str(printed) and "shim could not be installed" in str(printed)
    assert out["with_keys"][:2] == [0, "answered 200"]  # the shim, installed as usual
    assert [r.user_id for r in keys.requests if r.endpoint == "liked_tweets"] == [keys.user_id]


def test_a_grandchild_interpreter_without_compat_starts_and_chains(
    tmp_path: pathlib.Path,
    keys: Emulator,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    broken = tmp_path / "broken"  # a `compat` this interpreter finds first and cannot import
    (broken / "compat").mkdir(parents=True)
    (broken / "compat" / "__init__.py").write_text("raise ImportError('no compat here')\n")
    other = tmp_path / "other"  # the user's own sitecustomize, further down the path
    other.mkdir()
    (other / "sitecustomize.py").write_text("print('their sitecustomize')\n")
    monkeypatch.setenv("GRANDCHILD_PYTHONPATH", os.pathsep.join(["BOOTSTRAP", str(broken)]))
    program = tmp_path / "parent.py"
    # The grandchildren keep compat run's bootstrap directory first, then the broken compat.
    program.write_text(
        PARENT.replace(
            'os.environ.get("GRANDCHILD_PYTHONPATH", os.environ["PYTHONPATH"])',
            'os.environ["GRANDCHILD_PYTHONPATH"].replace("BOOTSTRAP", '
            f'os.environ["COMPAT_RUN_BOOTSTRAP"]) + os.pathsep + {str(other)!r}',
        ),
        encoding="utf-8",
    )
    status = cli.main(["run", "--api-base", keys.base_url, "--", "python", str(program)])
    out_text, err = capfd.readouterr()
    assert status == 0, err
    out = json.loads(out_text.strip().splitlines()[-1])
    code, printed, warned = out["plain"]
    assert code == 0 and printed == "their sitecustomize\nstarted"
    assert "cannot import compat" in str(warned) and "not served" in str(warned)


def test_the_program_itself_is_still_refused_without_compat(
    tmp_path: pathlib.Path,
    keys: Emulator,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    broken = tmp_path / "broken"
    (broken / "compat").mkdir(parents=True)
    (broken / "compat" / "__init__.py").write_text("raise ImportError('no compat here')\n")
    monkeypatch.setenv("PYTHONPATH", str(broken))
    marker = tmp_path / "ran"
    program = tmp_path / "bot.py"
    program.write_text(f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8")
    assert cli.main(["run", "--api-base", keys.base_url, "--", "python", str(program)]) == 2
    assert "cannot import compat in this interpreter" in capfd.readouterr().err
    assert not marker.exists()


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
