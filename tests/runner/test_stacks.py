"""Every HTTP stack a legacy favorites program uses goes through the same patch list:
``requests`` and ``urllib.request`` (python-twitter-tools), and proxies are resolved per
target URL (issue 17, part 4 and the proxies finding)."""

from __future__ import annotations

import contextlib
import io
import json
import pathlib
import socket
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator

import pytest
import requests
from requests_oauthlib import OAuth1

from compat import demo
from compat import patch as compat_patch
from compat._urllib import from_response
from compat.emulator import Emulator
from compat.warnings import LegacyFavoritesWarning
from tests._support import ptt
from tests._support.adapter import REAL_TWEET
from tests._support.runner import clean_env, compat_run, last_json, write

LIST = "https://api.twitter.com/1.1/favorites/list.json"


@pytest.fixture
def shimmed() -> Iterator[Emulator]:
    with (
        Emulator(likes=5) as emu,
        compat_patch.install(emu.credentials, api_base=emu.base_url),
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore", LegacyFavoritesWarning)
        yield emu


def test_urlopen_answers_as_urllib_does(shimmed: Emulator) -> None:
    c = shimmed.credentials
    signed = requests.Request(
        "GET",
        LIST,
        params={"count": 2},
        auth=OAuth1(c.consumer_key, c.consumer_secret, c.access_token, c.access_token_secret),
    ).prepare()
    req = urllib.request.Request(signed.url or "", headers=dict(signed.headers))
    with urllib.request.urlopen(req, timeout=10) as answer:
        assert answer.status == answer.getcode() == 200 and answer.reason == "OK"
        assert answer.info().get_content_type() == "application/json"
        assert len(json.loads(answer.read())) == 2
        assert answer.geturl() == signed.url
    with pytest.raises(urllib.error.HTTPError) as caught:  # unsigned: v1.1's 400/215
        urllib.request.urlopen(LIST + "?count=1", timeout=10)
    assert caught.value.code == 400
    assert json.loads(caught.value.read())["errors"][0]["code"] == 215
    # everything else goes to urllib untouched
    with urllib.request.urlopen(shimmed.base_url + "/_emulator/state", timeout=10) as answer:
        assert json.loads(answer.read())["default_user"] == shimmed.user_id


def test_the_urllib_patch_is_undone() -> None:
    original = vars(urllib.request.HTTPSHandler)["https_open"]
    with Emulator() as emu, compat_patch.install(emu.credentials, api_base=emu.base_url):
        assert vars(urllib.request.HTTPSHandler)["https_open"] is not original
        names = [spec.name for spec in compat_patch.PATCHES]
    assert vars(urllib.request.HTTPSHandler)["https_open"] is original
    assert "urllib.request.HTTPSHandler.https_open" in names
    assert "urllib.request.HTTPHandler.http_open" in names


@pytest.fixture
def proxy_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No proxy variable of the machine's in either spelling: lower case wins in urllib, so
    a machine's own ``http_proxy`` or ``no_proxy`` would decide these tests otherwise."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    return monkeypatch


@contextlib.contextmanager
def refusing_proxies(count: int) -> Iterator[list[str]]:
    """``count`` distinct proxy URLs on loopback ports that refuse every connection.

    The sockets stay bound (never listening) for the whole block: a port released early can
    be handed out again, to the emulator or as the next "free" port, and two proxies that
    happen to be equal make an explicit ``proxies=`` look like the environment's."""
    with contextlib.ExitStack() as stack:
        ports = []
        for _ in range(count):
            sock = stack.enter_context(socket.socket())
            sock.bind(("127.0.0.1", 0))
            ports.append(int(sock.getsockname()[1]))
        yield [f"http://127.0.0.1:{port}" for port in ports]


def test_the_environments_proxy_is_resolved_for_the_loopback_emulator(
    proxy_env: pytest.MonkeyPatch,
) -> None:
    with contextlib.ExitStack() as stack:
        # nothing listens on either: a proxied request fails
        proxy, explicit = stack.enter_context(refusing_proxies(2))
        proxy_env.setenv("HTTPS_PROXY", proxy)
        proxy_env.setenv("HTTP_PROXY", proxy)
        proxy_env.setenv("NO_PROXY", "127.0.0.1,localhost")
        emu = stack.enter_context(Emulator(likes=3))
        stack.enter_context(compat_patch.install(emu.credentials, api_base=emu.base_url))
        c = emu.credentials
        auth = OAuth1(c.consumer_key, c.consumer_secret, c.access_token, c.access_token_secret)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", LegacyFavoritesWarning)
            answer = requests.get(LIST, params={"count": 2}, auth=auth, timeout=10)
        assert answer.status_code == 200 and len(answer.json()) == 2
        # an explicit proxies= still applies, by requests' rules: here, to the emulator host
        with warnings.catch_warnings(), pytest.raises(requests.ConnectionError):
            warnings.simplefilter("ignore", LegacyFavoritesWarning)
            requests.get(LIST, auth=auth, timeout=10, proxies={"http": explicit})
    assert [r.endpoint for r in emu.requests] == ["liked_tweets"]


def test_the_demo_works_behind_a_proxy_with_no_proxy_for_loopback(
    proxy_env: pytest.MonkeyPatch,
) -> None:
    out = io.StringIO()
    with refusing_proxies(1) as (proxy,):
        proxy_env.setenv("HTTPS_PROXY", proxy)
        proxy_env.setenv("HTTP_PROXY", proxy)
        proxy_env.setenv("NO_PROXY", "127.0.0.1,localhost")
        assert demo.run_demo(likes=5, out=out) == 0
    text = out.getvalue()
    assert "with compat.install()" in text and "Traceback" not in text


# A python-twitter-tools program run unchanged: it calls urllib.request.urlopen with its own
# Request objects and reads .read() / .info(); errors are urllib's HTTPError.
TOOLS_BOT = f"""
    import json, os
    from twitter import OAuth, Twitter, TwitterHTTPError
    keys = [os.environ["TWITTER_" + name] for name in
            ("ACCESS_TOKEN", "ACCESS_TOKEN_SECRET", "CONSUMER_KEY", "CONSUMER_SECRET")]
    t = Twitter(auth=OAuth(*keys))
    me = t.account.verify_credentials()
    listed = t.favorites.list(count=2)
    created = t.favorites.create(_id={REAL_TWEET})
    try:
        t.favorites.create(_id=1)
        missing = None
    except TwitterHTTPError as exc:
        missing = [exc.e.code, exc.response_data]
    print(json.dumps({{"me": me["screen_name"], "listed": [s["favorited"] for s in listed],
                      "remaining": listed.headers["x-rate-limit-remaining"],
                      "created": [created["id_str"], created["favorited"]],
                      "missing": missing}}))
"""


def test_python_twitter_tools_program_under_compat_run(tmp_path: pathlib.Path) -> None:
    write(tmp_path, "bot.py", TOOLS_BOT)
    state = tmp_path / "state.json"
    done = compat_run(
        ["--emulator", "--likes", "2", "--emulator-state", str(state), "--", "python", "bot.py"],
        cwd=tmp_path,
        env=ptt.environment(clean_env()),
    )
    assert done.returncode == 0, done.stderr
    result = last_json(done.stdout)
    assert result["me"] == "TweepyDev"  # a companion endpoint, through urllib too
    assert result["listed"] == [True, True] and int(result["remaining"]) >= 0
    assert result["created"] == [str(REAL_TWEET), True]
    assert result["missing"] == [
        404,
        {"errors": [{"code": 144, "message": "No status found with that ID."}]},
    ]
    final = json.loads(state.read_text())
    assert final["likes"][final["default_user"]] == 3


def test_from_response_drops_the_wire_encoding() -> None:
    response = requests.Response()
    response.status_code = 200
    response.reason = "OK"
    response.headers.update({"Content-Encoding": "gzip", "Content-Length": "999", "X-A": "1"})
    response.raw = io.BytesIO(b"[]")
    answer = from_response(response, "https://api.twitter.com/1.1/x.json")
    assert answer.read() == b"[]" and answer.headers["Content-Length"] == "2"
    assert "Content-Encoding" not in answer.headers and answer.headers["X-A"] == "1"


def test_v2_urls_are_rerouted_only_under_emulate_v2() -> None:
    v2 = "https://api.twitter.com/2/users/me"
    with (
        Emulator() as emu,
        compat_patch.install(emu.credentials, api_base=emu.base_url),
        requests.Session() as session,
    ):
        own = session.get_adapter(v2)
        assert session.get_adapter(v2) is own  # install() alone: the program's own v2
        compat_patch.emulate_v2(emu.base_url, emu.credentials)
        assert session.get_adapter(v2) is not own
        assert session.get(v2, timeout=10).json()["data"]["id"] == emu.user_id
        assert session.get_adapter("https://example.com/2/users/me") is own
    with requests.Session() as session:  # undone with the last layer
        assert type(session.get_adapter(v2)).__name__ == "HTTPAdapter"
    assert [r.endpoint for r in emu.requests] == ["users_me"]
