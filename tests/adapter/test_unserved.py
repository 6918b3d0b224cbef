"""v1.1 calls compat does not serve (issue 17, part 2): the routing of every v1.1 URL, the
``unserved`` setting ("pass": untouched to the transport it had, one warning per endpoint;
"error": v1.1's 403/453, no request at all), the log event and the runtime audit line."""

from __future__ import annotations

import io
import json
import logging
import pathlib
import warnings
from typing import Any

import pytest
import requests
import tweepy  # type: ignore[import-untyped]
import twython  # type: ignore[import-untyped]
from requests.adapters import BaseAdapter

from compat import patch as compat_patch
from compat.adapter import LegacyAdapter, legacy_route
from compat.emulator import Emulator
from compat.errors import ACCESS_LEVEL_453
from compat.warnings import UnservedLegacyWarning
from tests._support.adapter import LIST, signer

UPDATE = "https://api.twitter.com/1.1/statuses/update.json"
FRIENDS = "https://api.twitter.com/1.1/friends/ids.json"
UPLOAD = "https://upload.twitter.com/1.1/media/upload.json"


class Recorder(BaseAdapter):
    """The transport requests would have used: records what it is handed, answers 200."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[requests.PreparedRequest] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        self.sent.append(request)
        response = requests.Response()
        response.status_code = 200
        response.raw = io.BytesIO(b'{"ids":[1,2],"next_cursor":0}')
        response.request = request
        return response

    def close(self) -> None:
        pass


def lines(path: pathlib.Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.mark.parametrize(
    ("url", "endpoint", "served"),
    [
        ("https://api.twitter.com/1.1/favorites/list.json", "favorites/list", True),
        ("https://api.x.com/1.1/statuses/show/20.json", "statuses/show", True),
        ("https://API.Twitter.com./1.1/Account//Verify_Credentials.JSON", None, True),
        ("https://api.twitter.com/1.1/statuses/update.json", "statuses/update", False),
        ("https://api.twitter.com:443/1.1/friends%2Fids.json", "friends/ids", False),
        ("https://api.twitter.com/1.1/statuses/destroy/123.json", "statuses/destroy/:id", False),
        ("https://api.twitter.com/1.1/direct_messages/events/new.json", None, False),
        ("https://upload.twitter.com/1.1/media/upload.json", "media/upload", False),
        ("https://upload.twitter.com/1.1/statuses/show.json", "statuses/show", False),
    ],
)
def test_every_v11_url_has_an_endpoint_name(url: str, endpoint: str | None, served: bool) -> None:
    route = legacy_route(url)
    assert route is not None
    assert route.served is served
    if endpoint is not None:
        assert route.endpoint == endpoint
    else:  # the name is the path, lower-cased, without ".json"
        assert route.endpoint in ("account/verify_credentials", "direct_messages/events/new")


@pytest.mark.parametrize(
    "url",
    [
        "https://api.twitter.com/oauth/request_token",
        "https://api.twitter.com/oauth2/token",
        "https://api.x.com/2/users/me",
        "https://upload.twitter.com/2/media/upload",
        "https://stream.twitter.com/1.1/statuses/filter.json",
        "https://example.com/1.1/statuses/update.json",
    ],
)
def test_other_urls_are_no_v11_calls(url: str) -> None:
    assert legacy_route(url) is None


def test_pass_hands_the_request_on_untouched_and_warns_once_per_endpoint(
    emu: Emulator, tmp_path: pathlib.Path, caplog: pytest.LogCaptureFixture
) -> None:
    log = tmp_path / "audit.jsonl"
    recorder = Recorder()
    adapter = LegacyAdapter(
        emu.credentials, api_base=emu.base_url, audit_log=str(log), fallback=lambda url: recorder
    )
    assert adapter.settings.unserved == "pass"  # the default
    emu.clear_requests()
    auth = signer(emu.credentials)
    prepared = [
        requests.Request("POST", UPDATE, data={"status": "hello"}, auth=auth).prepare(),
        requests.Request("POST", UPDATE, data={"status": "again"}, auth=auth).prepare(),
        requests.Request("GET", FRIENDS, params={"cursor": -1}, auth=auth).prepare(),
    ]
    with (
        caplog.at_level(logging.WARNING, logger="compat.adapter"),
        warnings.catch_warnings(record=True) as seen,
    ):
        warnings.simplefilter("always")
        answers = [adapter.send(p) for p in prepared]
    # untouched: the very request objects, sent once each, answered as the transport answered
    assert recorder.sent == prepared
    assert [a.json()["ids"] for a in answers] == [[1, 2]] * 3
    assert [str(w.message).split(" is not served")[0] for w in seen] == [
        "legacy Twitter API v1.1 statuses/update",
        "legacy Twitter API v1.1 friends/ids",
    ]
    assert all(w.category is UnservedLegacyWarning for w in seen)
    assert "sent to X's v1.1 API untouched" in str(seen[0].message)
    events = [r for r in caplog.records if getattr(r, "event", None) == "adapter.unserved"]
    assert [getattr(r, "endpoint", None) for r in events] == ["statuses/update", "friends/ids"]
    assert emu.requests == []  # no v2 request for an unserved call
    audit = lines(log)
    assert [(e["endpoint"], e["unserved"]) for e in audit] == [
        ("statuses/update", "passed through"),
        ("statuses/update", "passed through"),
        ("friends/ids", "passed through"),
    ]
    for entry in audit:
        assert entry["params"] == {}  # a post's text stays out of the log
        assert entry["v2_requests"] == [] and "cost" not in entry and "error" not in entry
        assert entry["caller"].startswith(f"{__file__}:")


def test_error_answers_v11_453_without_any_request(
    emu: Emulator, tmp_path: pathlib.Path, realdata_readme_453: str
) -> None:
    log = tmp_path / "audit.jsonl"
    recorder = Recorder()
    adapter = LegacyAdapter(
        emu.credentials,
        api_base=emu.base_url,
        audit_log=str(log),
        unserved="error",
        fallback=lambda url: recorder,
    )
    emu.clear_requests()
    request = requests.Request(
        "POST", UPDATE, data={"status": "hello"}, auth=signer(emu.credentials)
    ).prepare()
    with pytest.warns(UnservedLegacyWarning, match="statuses/update is not served.*refused"):
        answer = adapter.send(request)
    assert answer.status_code == 403
    assert answer.headers["content-type"] == "application/json;charset=utf-8"
    (error,) = answer.json()["errors"]
    assert error["code"] == 453
    assert error["message"].startswith("compat does not serve v1.1 statuses/update")
    assert error["message"].endswith(realdata_readme_453)  # X's recorded text follows
    assert recorder.sent == [] and emu.requests == []
    (entry,) = lines(log)
    assert (entry["endpoint"], entry["unserved"], entry["status"]) == (
        "statuses/update",
        "refused",
        403,
    )
    assert entry["error"]["v1_codes"] == [453] and entry["v2_requests"] == []


@pytest.fixture
def realdata_readme_453() -> str:
    """The 453 message as X sent it (tests/realdata/x-docs-2026/shared-README.md)."""
    readme = pathlib.Path(__file__).parents[1] / "realdata" / "x-docs-2026" / "shared-README.md"
    row = next(line for line in readme.read_text().splitlines() if '"code":453' in line)
    body = json.loads(row.split("`")[1])
    message = body["errors"][0]["message"]
    assert message == ACCESS_LEVEL_453
    return str(message)


def test_error_through_the_libraries_own_methods(
    emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``COMPAT_UNSERVED=error``: tweepy's update_status and simple_upload (upload host) and
    Twython's get_friends_ids raise each library's own error carrying 453; nothing is sent."""
    monkeypatch.setenv("COMPAT_UNSERVED", "error")
    creds = emu.credentials
    emu.clear_requests()
    api = tweepy.API(
        tweepy.OAuth1UserHandler(
            creds.consumer_key, creds.consumer_secret, creds.access_token, creds.access_token_secret
        )
    )
    client = twython.Twython(
        creds.consumer_key, creds.consumer_secret, creds.access_token, creds.access_token_secret
    )
    with (
        compat_patch.install(creds, api_base=emu.base_url) as handle,
        pytest.warns(UnservedLegacyWarning) as seen,
    ):
        assert isinstance(handle.adapter, LegacyAdapter)
        assert handle.adapter.settings.unserved == "error"
        with pytest.raises(tweepy.Forbidden) as update:
            api.update_status("hello")
        with pytest.raises(tweepy.Forbidden) as upload:
            api.simple_upload("cat.png", file=io.BytesIO(b"\x89PNG\r\n\x1a\n"))
        with pytest.raises(twython.TwythonError) as friends:
            client.get_friends_ids(screen_name="TweepyDev")
    assert update.value.api_codes == upload.value.api_codes == [453]
    assert friends.value.error_code == 403
    assert "compat does not serve v1.1 friends/ids" in str(friends.value.msg)
    assert sorted(str(w.message).split(" is not")[0].rsplit(" ", 1)[1] for w in seen) == [
        "friends/ids",
        "media/upload",
        "statuses/update",
    ]
    assert emu.requests == []


def test_mount_passes_through_the_sessions_own_adapter(emu: Emulator) -> None:
    recorder = Recorder()
    with requests.Session() as session:
        session.mount("https://api.twitter.com/", recorder)  # the user's own broader mount
        adapter = compat_patch.mount(session, emu.credentials, api_base=emu.base_url)
        assert session.get_adapter(FRIENDS) is adapter  # "/1.1/" beats the user's mount
        with pytest.warns(UnservedLegacyWarning, match="friends/ids"):
            answer = session.get(FRIENDS, params={"cursor": -1}, auth=signer(emu.credentials))
        assert answer.json()["ids"] == [1, 2]
        assert [r.url for r in recorder.sent] == [FRIENDS + "?cursor=-1"]
        served = session.get(LIST, params={"count": 1}, auth=signer(emu.credentials))
        assert served.status_code == 200 and len(served.json()) == 1


def test_global_pass_keeps_the_sessions_own_adapter(
    emu: Emulator, shim: compat_patch.Installation
) -> None:
    """Through the global patch, what passes through goes to the adapter the session had
    (its own mounts, retries, mocks), not to a transport of compat's."""
    recorder = Recorder()
    with requests.Session() as session:
        session.mount("https://api.twitter.com/1.1/friends/", recorder)
        with pytest.warns(UnservedLegacyWarning, match="friends/ids"):
            answer = session.get(FRIENDS, auth=signer(emu.credentials))
        assert answer.status_code == 200
        assert [r.url for r in recorder.sent] == [FRIENDS]


def test_a_served_call_still_works_beside_unserved_ones(
    emu: Emulator, shim: compat_patch.Installation
) -> None:
    answer = requests.get(LIST, params={"count": 2}, auth=signer(emu.credentials))
    assert answer.status_code == 200 and len(answer.json()) == 2
    assert [r.endpoint for r in emu.requests] in (["liked_tweets"], [])
