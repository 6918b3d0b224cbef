"""The shim writes the log, ``compat audit --runtime`` reads it: legacy calls via requests
against the embedded emulator."""

from __future__ import annotations

import json
import pathlib
from collections.abc import Iterator

import pytest
import requests
from requests_oauthlib import OAuth1

from compat import Favorites
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


def test_the_bill_of_a_log_written_through_favorites(tmp_path: pathlib.Path) -> None:
    """Favorites on pay-per-use, two services (as two processes would be) with two logs."""
    with Emulator(likes=5) as emulator:
        emulator.rate_limits.lift()
        first, second = tmp_path / "p1.jsonl", tmp_path / "p2.jsonl"
        one = Favorites(
            emulator.credentials, api_base=emulator.base_url, plan="pay-per-use", audit_log=first
        )
        other = Favorites(
            emulator.credentials, api_base=emulator.base_url, plan="pay-per-use", audit_log=second
        )
        one.list(count=5)
        other.list(count=5)  # the same page: its own service has not billed it yet
        one.create(POST)
    lines = [json.loads(line) for path in (first, second) for line in path.read_text().splitlines()]
    # per line, as each service priced it: the user's own likes, 5 posts x $0.001 + 5 authors x
    # $0.010; the lookup, 2 posts x $0.005 + 2 authors x $0.010, and the like unpriced
    assert [line["cost"]["usd"] for line in lines] == [0.055, 0.03, 0.055]
    report = summarise([first, second])
    assert report.cost is not None
    by_endpoint = {e.endpoint: e for e in report.cost.endpoints}
    # across both logs the page is billed once per UTC day
    assert (by_endpoint["liked_tweets"].micro_usd, by_endpoint["liked_tweets"].requests) == (
        55_000,
        1,
    )
    assert by_endpoint["liked_tweets"].owned_reads == 5
    assert by_endpoint["tweets"].micro_usd == 30_000
    assert by_endpoint["like"].unpriced == (("Enterprise-only, custom price", 1),)
    assert (report.cost.micro_usd, report.cost.posts_read, report.cost.users_read) == (
        85_000,
        7,
        7,
    )
    assert report.cost.post_cap_share == 7 / 3_000_000
    assert report.refused == 1  # pay-per-use does not offer the like
    text = report.render("text")
    assert "; 1 refused by pay-per-use; $0.085 on pay-per-use (+ 1 unpriced)" in text
    # on enterprise the same traffic is all custom: counted, never priced
    custom = summarise([first, second], plan="enterprise")
    assert custom.cost is not None
    assert (custom.cost.micro_usd, custom.cost.posts_read, custom.refused) == (0, 7, 0)
