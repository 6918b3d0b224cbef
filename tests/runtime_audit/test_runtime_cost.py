"""``compat audit --runtime``'s bill, on hand-computed cases.

Prices (pay-per-use, x-api_getting-started_pricing.mdx of 2026-08-22): a post $0.005, a user
$0.010, an Owned Read $0.001 per post; likes Enterprise-only. Each post and user is billed once
per UTC day across every line of every log.
"""

from __future__ import annotations

import datetime
import json
import pathlib
from typing import Any

import pytest

from compat.audit.runtime import RuntimeReport, resource_digest, summarise
from compat.cli import main
from tests._support.runtime_log import T0, at, entry, write

ME = "1449263876"


def digests(kind: str, ids: range) -> list[str]:
    return [resource_digest(kind, str(i)) for i in ids]


def listing(
    when: datetime.datetime,
    posts: range = range(100, 103),
    users: range = range(200, 202),
    *,
    owned: bool = False,
    status: int = 200,
    version: int = 2,
) -> dict[str, Any]:
    """A favorites/list line whose liked_tweets page returned ``posts`` by ``users``."""
    line = entry(when, "favorites/list", ("liked_tweets",), v2_status=status)
    line["v"] = version
    (request,) = line["v2_requests"]
    if version >= 2 and status == 200:
        request["posts"] = digests("post", posts)
        request["users"] = digests("user", users)
    if owned:
        request["owned"] = True
    return line


def create(when: datetime.datetime, post: int = 300, author: int = 400) -> dict[str, Any]:
    """A favorites/create line: the lookup returned ``post`` by ``author``, then the like."""
    line = entry(when)
    line["v"] = 2
    lookup = line["v2_requests"][0]
    lookup["posts"] = digests("post", range(post, post + 1))
    lookup["users"] = digests("user", range(author, author + 1))
    return line


def bill(report: RuntimeReport) -> dict[str, Any]:
    data: dict[str, Any] = report.to_dict()["cost"]
    return data


def test_a_page_of_3_posts_and_2_authors(tmp_path: pathlib.Path) -> None:
    report = summarise(write(tmp_path / "a.jsonl", [listing(at(0))]))
    cost = bill(report)
    # 3 x $0.005 + 2 x $0.010
    assert (cost["usd"], cost["micro_usd"]) == (0.035, 35_000)
    assert (cost["posts_read"], cost["users_read"], cost["owned_reads"]) == (3, 2, 0)
    assert cost["by_endpoint"]["liked_tweets"]["requests"] == 1
    assert cost["post_cap_share"] == 3 / 3_000_000
    assert report.exit_code == 0


def test_your_own_likes_are_owned_reads(tmp_path: pathlib.Path) -> None:
    cost = bill(summarise(write(tmp_path / "a.jsonl", [listing(at(0), owned=True)])))
    # 3 x $0.001 + 2 x $0.010
    assert (cost["usd"], cost["posts_read"], cost["owned_reads"]) == (0.023, 3, 3)


def test_one_page_read_twice_a_day_is_billed_once_and_again_the_next_day(
    tmp_path: pathlib.Path,
) -> None:
    midnight = T0.replace(hour=0) + datetime.timedelta(days=1)
    lines = [
        listing(T0),  # 10:00
        listing(midnight - datetime.timedelta(milliseconds=1)),  # 23:59:59.999, same day
        listing(midnight),  # 00:00 UTC: a new window
    ]
    report = summarise(write(tmp_path / "a.jsonl", lines))
    cost = bill(report)
    assert (cost["usd"], cost["posts_read"], cost["users_read"]) == (0.07, 6, 4)
    assert cost["by_endpoint"]["liked_tweets"]["requests"] == 2  # the repeat billed nothing
    assert cost["by_day"] == [
        {"day": "2026-11-23", "usd": 0.035, "micro_usd": 35_000, "posts_read": 3, "users_read": 2},
        {"day": "2026-11-24", "usd": 0.035, "micro_usd": 35_000, "posts_read": 3, "users_read": 2},
    ]
    text = report.render("text")
    assert "  2026-11-23: $0.035 (3 posts, 2 users)\n" in text
    assert "post reads: 6 billed, 0.0002 % of the monthly cap of 3,000,000 post reads" in text


def test_lines_of_several_processes_are_deduplicated_together(tmp_path: pathlib.Path) -> None:
    # the same post looked up by two processes on one day, each billing it in its own line
    first = write(tmp_path / "p1.jsonl", [create(at(0))])
    second = write(tmp_path / "p2.jsonl", [{**create(at(60)), "pid": 4343}])
    both = bill(summarise([first, second]))
    # one post and one author: $0.005 + $0.010, once
    assert (both["usd"], both["posts_read"], both["users_read"]) == (0.015, 1, 1)
    assert both["by_endpoint"]["tweets"]["requests"] == 1


def test_an_overlapping_page_bills_only_what_is_new(tmp_path: pathlib.Path) -> None:
    lines = [listing(at(0), range(100, 103)), listing(at(10), range(102, 106), range(201, 203))]
    cost = bill(summarise(write(tmp_path / "a.jsonl", lines)))
    # page 1: 3 posts, 2 users; page 2 adds posts 103-105 and user 202
    assert (cost["posts_read"], cost["users_read"]) == (6, 3)
    assert cost["usd"] == 0.06  # 6 x $0.005 + 3 x $0.010


def test_failed_requests_cost_nothing(tmp_path: pathlib.Path) -> None:
    lines = [
        listing(at(0), status=429),
        listing(at(1), status=503),
        entry(at(2), error=(404, "NotFound", [144])),
    ]
    report = summarise(write(tmp_path / "a.jsonl", lines))
    cost = bill(report)
    assert (cost["usd"], cost["posts_read"], cost["unpriced_requests"]) == (0.0, 0, 0)
    assert cost["by_endpoint"]["liked_tweets"]["requests"] == 0
    assert cost["by_day"] == []


def test_a_like_on_pay_per_use_is_enterprise_only(tmp_path: pathlib.Path) -> None:
    report = summarise(write(tmp_path / "a.jsonl", [create(at(0))]))
    cost = bill(report)
    assert cost["usd"] == 0.015  # the lookup; the like has no self-serve price
    assert cost["by_endpoint"]["like"] == {
        "requests": 1,
        "usd": 0.0,
        "micro_usd": 0,
        "posts_read": 0,
        "owned_reads": 0,
        "users_read": 0,
        "writes": 1,
        "unpriced": {"Enterprise-only, custom price": 1},
        "unknown_requests": 0,
    }
    assert (cost["writes"], cost["unpriced_requests"]) == (1, 1)
    text = report.render("text")
    assert "; $0.015 on pay-per-use (+ 1 unpriced)" in text
    assert "  unpriced: like (1 request): Enterprise-only, custom price\n" in text
    assert report.exit_code == 1  # and pay-per-use refuses it


def test_on_enterprise_everything_is_counted_and_nothing_priced(tmp_path: pathlib.Path) -> None:
    report = summarise(write(tmp_path / "a.jsonl", [create(at(0))]), plan="enterprise")
    cost = bill(report)
    assert (cost["usd"], cost["posts_read"], cost["users_read"], cost["writes"]) == (0.0, 1, 1, 1)
    assert cost["by_endpoint"]["tweets"]["unpriced"] == {"custom price, not published": 1}
    assert cost["post_cap_share"] is None
    assert "post reads: 1 billed (enterprise: no monthly cap)" in report.render("text")


def test_version_1_lines_are_read_but_their_reads_not_priced(tmp_path: pathlib.Path) -> None:
    old = entry(at(0))  # "v": 1, a lookup and a like, no resources recorded
    lines = [old, listing(at(1), version=1), listing(at(2))]
    report = summarise(write(tmp_path / "a.jsonl", lines))
    cost = bill(report)
    assert report.corrupt_lines == 0
    assert cost["unknown_requests"] == 2
    assert cost["by_endpoint"]["tweets"]["unknown_requests"] == 1
    assert cost["by_endpoint"]["like"]["writes"] == 1  # a write needs no resources
    assert cost["usd"] == 0.035  # only the version-2 page
    assert (
        "not priced: 2 successful reads logged in version-1 lines, which do not record what "
        "the answers returned"
    ) in report.render("text")


def test_a_bad_resource_list_is_a_corrupt_line(tmp_path: pathlib.Path) -> None:
    line = listing(at(0))
    line["v2_requests"][0]["posts"] = "abc"
    report = summarise(write(tmp_path / "a.jsonl", [line, listing(at(1))]))
    assert [c.reason for c in report.corrupt_examples] == ["bad v2_requests"]
    assert bill(report)["usd"] == 0.035


def test_the_plan_option_and_the_json(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "a.jsonl", [listing(at(0), owned=True)])
    assert main(["audit", "--runtime", str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["plan"]["name"] == "pay-per-use"
    assert data["plan"]["monthly_post_cap"] == 3_000_000
    assert data["cost"]["usd"] == 0.023
    assert main(["audit", "--runtime", str(path), "--format", "json", "--plan", "enterprise"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["plan"]["name"], data["cost"]["usd"], data["cost"]["posts_read"]) == (
        "enterprise",
        0.0,
        3,
    )


def test_the_markdown_bill(tmp_path: pathlib.Path) -> None:
    path = write(tmp_path / "a.jsonl", [listing(at(0)), create(at(1))])
    out = summarise(path).render("markdown")
    assert "| liked_tweets | 1 | 3 | 0 | 2 | 0 | $0.035 |" in out
    assert "| like | 1 | 0 | 0 | 0 | 1 | unpriced |" in out
    assert "| total | 3 | 4 | 0 | 3 | 1 | $0.050 + unpriced |" in out


def test_every_cost_key_of_a_written_line_is_documented(tmp_path: pathlib.Path) -> None:
    readme = (pathlib.Path(__file__).resolve().parents[2] / "docs" / "audit.md").read_text()
    section = readme[readme.index("### Log line format") : readme.index("### Summary JSON")]
    line = json.loads(section.split("```json\n", 1)[1].splitlines()[0])
    keys = set(line) | set(line["cost"]) | {k for r in line["v2_requests"] for k in r}
    keys |= {k for w in line["cost"]["writes"] for k in w}
    assert [k for k in sorted(keys) if f"`{k}`" not in section] == []
    assert line["v"] == 2 and line["cost"]["plan"] == "pay-per-use"
    assert ME in line["v2_requests"][1]["path"]
