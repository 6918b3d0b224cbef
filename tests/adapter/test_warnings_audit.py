"""LegacyFavoritesWarning (once per call site, on the user's line) and the runtime audit hook."""

from __future__ import annotations

import inspect
import json
import pathlib
import warnings

import pytest
import requests
import tweepy  # type: ignore[import-untyped]

from compat import patch as compat_patch
from compat.emulator import Emulator
from compat.warnings import LegacyFavoritesWarning, caller_location
from tests._support.adapter import CREATE, LIST, REAL_TWEET, signer


def line_of(marker: str) -> int:
    """The line of this file holding ``marker`` (a comment), to compare attributions with."""
    lines = inspect.getsource(inspect.getmodule(line_of)).splitlines()  # type: ignore[arg-type]
    return next(i for i, text in enumerate(lines, 1) if text.rstrip().endswith(marker))


def test_warning_once_per_call_site_on_the_users_line(
    emu: Emulator, shim: compat_patch.Installation
) -> None:
    auth = signer(emu.credentials)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        for _ in range(3):
            requests.get(LIST, params={"count": 1}, auth=auth)  # site-A
        requests.get(LIST, params={"count": 1}, auth=auth)  # site-B
    assert [w.category for w in seen] == [LegacyFavoritesWarning] * 2
    assert issubclass(LegacyFavoritesWarning, DeprecationWarning)
    assert [(w.filename, w.lineno) for w in seen] == [
        (__file__, line_of("# site-A")),
        (__file__, line_of("# site-B")),
    ]
    assert "favorites/list" in str(seen[0].message)


def test_warning_skips_library_frames(emu: Emulator, shim: compat_patch.Installation) -> None:
    creds = emu.credentials
    api = tweepy.API(
        tweepy.OAuth1UserHandler(
            creds.consumer_key,
            creds.consumer_secret,
            creds.access_token,
            creds.access_token_secret,
        )
    )
    with pytest.warns(LegacyFavoritesWarning) as seen:
        api.get_favorites(count=1)  # site-C
    assert [(w.filename, w.lineno) for w in seen] == [(__file__, line_of("# site-C"))]


def test_warning_as_error_stops_the_call(emu: Emulator, shim: compat_patch.Installation) -> None:
    emu.clear_requests()
    with warnings.catch_warnings():
        warnings.simplefilter("error", LegacyFavoritesWarning)
        with pytest.raises(LegacyFavoritesWarning):
            requests.get(LIST, auth=signer(emu.credentials))  # site-D
    assert emu.requests == []


def test_caller_location_is_the_first_user_frame() -> None:
    assert caller_location() == f"{__file__}:{line_of('# site-E')}"  # site-E


def test_audit_log_lines(emu: Emulator, tmp_path: pathlib.Path) -> None:
    path = tmp_path / "audit.jsonl"
    auth = signer(emu.credentials)
    with compat_patch.install(emu.credentials, api_base=emu.base_url, audit_log=path):
        requests.post(CREATE, params={"id": REAL_TWEET}, auth=auth)  # site-F
        requests.post(CREATE, params={"id": "12x"}, auth=auth)  # site-G
        requests.post(
            "https://api.twitter.com/1.1/favorites/destroy.json", data={"id": REAL_TWEET}, auth=auth
        )
        requests.post(CREATE, params={"id": "1"}, auth=auth)  # no such post: 404/144
    ok, bad, undo, missing = (json.loads(line) for line in path.read_text().splitlines())
    assert ok["account"] == missing["account"] == emu.user_id  # the user id, never a token
    assert (missing["status"], missing["error"]["v1_codes"]) == (404, [144])
    assert [c["endpoint"] for c in missing["v2_requests"]] == ["tweets"]  # failed, still counted
    assert ok["endpoint"] == "favorites/create"
    assert ok["params"] == {"id": REAL_TWEET}  # no oauth_* in the log
    assert ok["caller"] == f"{__file__}:{line_of('# site-F')}"
    assert ok["status"] == 200
    assert [c["endpoint"] for c in ok["v2_requests"]] == ["tweets", "like"]
    assert ok["latency_ms"] > 0
    assert bad["caller"] == f"{__file__}:{line_of('# site-G')}"
    assert (bad["status"], bad["error"]["v1_codes"]) == (400, [44])
    assert bad.get("v2_requests") is None
    assert undo["endpoint"] == "favorites/destroy"
    text = path.read_text()
    for secret in emu.credentials.secrets():
        assert secret not in text
