"""The shim writes the log, ``compat audit --runtime`` reads it: legacy calls via requests
against the embedded emulator."""

from __future__ import annotations

import json
import pathlib
from collections.abc import Iterator

import pytest
import requests
from requests_oauthlib import OAuth1

from compat import patch as compat_patch
from compat.audit.runtime import summarise
from compat.cli import main
from compat.emulator import Emulator

pytestmark = pytest.mark.filterwarnings("ignore::compat.warnings.LegacyFavoritesWarning")

POST = "1626194750222094336"  # the socialfoundations golden post, in the default dataset
V1 = "https://api.twitter.com/1.1/favorites"


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(likes=120, rate_limits=False) as emulator:
        yield emulator


def test_a_log_written_by_the_shim(
    emu: Emulator, tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "audit.jsonl"
    creds = emu.credentials
    auth = OAuth1(
        creds.consumer_key, creds.consumer_secret, creds.access_token, creds.access_token_secret
    )
    with compat_patch.install(creds, api_base=emu.base_url, audit_log=path):
        assert requests.post(f"{V1}/create.json", params={"id": POST}, auth=auth).ok
        assert requests.get(f"{V1}/list.json", params={"count": "150"}, auth=auth).ok
        assert requests.post(f"{V1}/destroy.json", data={"id": POST}, auth=auth).ok
        bad = requests.post(f"{V1}/create.json", params={"id": "12x"}, auth=auth)
        assert bad.status_code == 400
    report = summarise(path)
    assert report.corrupt_lines == 0
    calls = {u.endpoint: (u.calls, u.errors) for u in report.legacy}
    assert calls == {
        "favorites/create": (2, 1),
        "favorites/destroy": (1, 0),
        "favorites/list": (1, 0),
    }
    requests_by_endpoint = {u.endpoint: u.requests for u in report.v2 if u.requests}
    assert requests_by_endpoint["like"] == 1
    assert requests_by_endpoint["unlike"] == 1
    assert requests_by_endpoint["liked_tweets"] == 2  # count=150 takes two v2 pages of 100
    assert [(e.status, e.code) for e in report.errors] == [(400, 44)]
    assert report.projected_429s == 0
    this_file = pathlib.Path(__file__).name
    assert all(s.caller and this_file in s.caller for s in report.slowest)
    assert main(["audit", "--runtime", str(path), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["calls"]["total"] == 4
    for secret in creds.secrets():
        assert secret not in path.read_text()
