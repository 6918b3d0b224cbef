"""``compat audit --runtime LOG...``: formats, exit codes, usage errors, the README sample."""

from __future__ import annotations

import argparse
import json
import pathlib
import re

import pytest

from compat.audit.cli import run
from compat.audit.runtime import resource_digest, summarise
from compat.cli import main
from tests._support.runtime_log import at, burst, entry, sample_log, write

ROOT = pathlib.Path(__file__).resolve().parents[2]
README = ROOT / "docs" / "audit.md"  # the audit's docs page (moved from the README)
ENTERPRISE = ["--plan", "enterprise"]


def _ids(prefix: str, numbers: range) -> list[str]:
    return [resource_digest("post" if prefix in "PQ" else "user", f"{prefix}{n}") for n in numbers]


def priced_sample_log(path: pathlib.Path) -> pathlib.Path:
    """The README's sample as version-2 lines, with what each answer returned.

    The bot's 55 post lookups return post P<i> and its author A<i mod 7>; the 3 unlikes look
    up P0-P2 again; the export lists its own likes (Owned Reads): page 1 holds P0-P54 and
    Q0-Q44 by A0-A6 and B0-B9, page 2 Q45-Q144 by B10-B29; the second listing is page 1 again.
    """
    sample_log(path)
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    creates = destroys = lists = 0
    for line in lines:
        line["v"] = 2
        requests = line.get("v2_requests") or []
        if line["endpoint"] == "favorites/create" and requests:
            requests[0]["posts"] = _ids("P", range(creates, creates + 1))
            requests[0]["users"] = _ids("A", range(creates % 7, creates % 7 + 1))
            creates += 1
        elif line["endpoint"] == "favorites/destroy":
            requests[0]["posts"] = _ids("P", range(destroys, destroys + 1))
            requests[0]["users"] = _ids("A", range(destroys, destroys + 1))
            destroys += 1
        elif line["endpoint"] == "favorites/list" and requests:
            page_1 = {"posts": _ids("P", range(55)) + _ids("Q", range(45))}
            page_1["users"] = _ids("A", range(7)) + _ids("B", range(10))
            page_2 = {"posts": _ids("Q", range(45, 145)), "users": _ids("B", range(10, 30))}
            pages = iter([page_1, page_2])
            for request in requests:
                if request["endpoint"] == "user_by_username":
                    request["users"] = _ids("U", range(1))
                else:
                    request.update(next(pages), owned=True)
            lists += 1
    path.write_text("".join(json.dumps(line, separators=(",", ":")) + "\n" for line in lines))
    return path


@pytest.fixture
def over(tmp_path: pathlib.Path) -> pathlib.Path:
    """60 likes in 10 minutes: 10 projected 429s."""
    return write(tmp_path / "over.jsonl", burst(0, 60, 10))


@pytest.fixture
def clean(tmp_path: pathlib.Path) -> pathlib.Path:
    return write(
        tmp_path / "clean.jsonl",
        burst(0, 20, 10) + burst(5, 3, 10, "favorites/list", ("liked_tweets",)),
    )


def test_exit_0_when_nothing_failed_and_nothing_is_projected(
    clean: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "--runtime", str(clean), *ENTERPRISE]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("compat audit --runtime: 23 legacy calls in 1 log, ")
    assert "; 0 failed; 0 projected 429s; $0.000 on enterprise (+ 20 unpriced)\n" in out
    assert err == ""


def test_exit_1_when_the_plan_refuses_an_endpoint(
    clean: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "--runtime", str(clean)]) == 1  # pay-per-use: no likes
    out = capsys.readouterr().out
    assert "; 0 failed; 0 projected 429s; 20 refused by pay-per-use; " in out
    like = next(line.split() for line in out.splitlines() if line.startswith("  like "))
    assert like[:4] == ["like", "20", "20", "n/a"]


def test_exit_1_for_projected_429s(over: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--runtime", str(over), *ENTERPRISE]) == 1
    out = capsys.readouterr().out
    assert "; 0 failed; 10 projected 429s" in out
    like = next(line.split() for line in out.splitlines() if line.startswith("  like "))
    assert like == ["like", "60", "60", "50", "60", "1000", "10", "0"]


def test_exit_1_for_failed_calls(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "a.jsonl", [entry(at(0), error=(404, "NotFound", [144]))])
    assert main(["audit", "--runtime", str(path)]) == 1
    out = capsys.readouterr().out
    assert "1 failed; 0 projected 429s" in out
    assert re.search(r"^  404/144 +NotFound +1$", out, re.MULTILINE)


def test_several_logs(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = write(tmp_path / "p1.jsonl", burst(0, 30, 20))
    second = write(tmp_path / "p2.jsonl", burst(10, 30, 20))
    assert main(["audit", "--runtime", str(first), *ENTERPRISE]) == 0
    assert main(["audit", "--runtime", str(first), str(second), *ENTERPRISE]) == 1
    out = capsys.readouterr().out
    assert "60 legacy calls in 2 logs" in out


def test_json_format_is_stable(over: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--runtime", str(over), "--format", "json", *ENTERPRISE]) == 1
    data = json.loads(capsys.readouterr().out)
    assert list(data) == [
        "version",
        "kind",
        "tool",
        "tool_version",
        "plan",
        "logs",
        "lines",
        "period",
        "accounts",
        "calls",
        "v2_endpoints",
        "rate_limits",
        "projected_429s",
        "refused",
        "cost",
        "errors",
        "missing_fields",
        "missing_field_groups",
        "monthly_projection",
        "slowest",
        "exit_code",
    ]
    assert (data["version"], data["kind"], data["tool"]) == (2, "runtime", "compat")
    assert data["plan"] == {
        "name": "enterprise",
        "label": data["plan"]["label"],
        "as_of": "2026-08-22",
        "stand_in": True,
        "monthly_post_cap": None,
    }
    assert data["logs"] == [str(over)]
    assert data["period"] == {
        "first": "2026-11-23T10:00:00.000Z",
        "last": "2026-11-23T10:09:50.000Z",
    }
    assert data["calls"]["v2_requests"] == {
        "total": 120,
        "mean": 2.0,
        "max": 2,
        "measured_calls": 60,
    }
    assert list(data["calls"]["by_endpoint"]) == [
        "favorites/create",
        "favorites/destroy",
        "favorites/list",
    ]
    assert data["v2_endpoints"]["like"] == {
        "requests": 60,
        "peak_15min": 60,
        "limit_15min": 50,
        "peak_24h": 60,
        "limit_24h": 1000,
        "projected_429s": 10,
        "observed_429s": 0,
        "available": True,
        "refused": 0,
    }
    like = data["rate_limits"][0]
    assert like == {
        "name": "like",
        "endpoints": ["like"],
        "per": "user",
        "window_seconds": 900,
        "limit": 50,
        "requests": 60,
        "peak": 60,
        "peak_start": "2026-11-23T10:00:00.000Z",
        "projected_429s": 10,
    }
    assert [r["name"] for r in data["rate_limits"]] == [
        "like",
        "like/24 h",
        "unlike",
        "unlike/24 h",
        "liked_tweets",
        "liked_tweets per app",
        "tweets",
        "tweets per app",
        "users_me",
        "user_by_username",
        "user_by_username per app",
    ]
    assert (data["projected_429s"], data["refused"], data["exit_code"]) == (10, 0, 1)
    # lines without resources (version 1): the reads are not priced, the writes are (custom)
    assert data["cost"]["unknown_requests"] == 60
    assert data["cost"]["by_endpoint"]["like"]["unpriced"] == {"custom price, not published": 60}
    assert data["slowest"][0]["caller"] == "bot.py:10"


def test_markdown_tables_are_well_formed(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = priced_sample_log(tmp_path / "audit.jsonl")
    write(path, ["{torn"])
    assert main(["audit", "--runtime", str(path), "--format", "markdown", *ENTERPRISE]) == 1
    out = capsys.readouterr().out
    assert out.startswith("### compat audit --runtime: 62 legacy calls in 1 log")
    assert "Skipped 1 corrupt line(s)." in out
    tables = [block.splitlines() for block in out.split("\n\n") if block.startswith("| ")]
    assert len(tables) == 6  # calls, v2 limits, cost, errors, fields, slowest
    for rows in tables:
        assert re.fullmatch(r"\|( --- \|)+", rows[1])
        cells = {len(re.findall(r"(?<!\\)\|", row)) for row in rows}
        assert len(cells) == 1  # every row has the header's number of cells
    assert "| like | 55 | 55 | 50 | 55 | 1000 | 5 | 0 |" in out
    assert "| tweets | 55 | 55 | 0 | 7 | 0 | unpriced |" in out
    assert "| `scripts/export.py:18` |" in out


def test_output_file(
    over: pathlib.Path, tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "summary.md"
    assert (
        main(["audit", "--runtime", str(over), "--format", "markdown", "--output", str(target)])
        == 1
    )
    assert capsys.readouterr().out == ""
    assert target.read_text(encoding="utf-8") == summarise(over).render("markdown")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--format", "sarif"], "--format sarif is for the static audit"),
        (["--include-ignored"], "--include-ignored is for the static audit"),
        (["."], "not both"),
        (["--plan", "basic"], "invalid choice: 'basic'"),
    ],
)
def test_usage_errors(
    over: pathlib.Path, extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = (
        ["audit", *extra[:1], "--runtime", str(over)]
        if extra == ["."]
        else ["audit", "--runtime", str(over), *extra]
    )
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "usage: compat audit" in err
    assert message in err


def test_plan_also_prices_the_static_audit(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "app.py").write_text("import tweepy\ntweepy.API(a).favorites()\n")
    assert main(["audit", str(tmp_path), "--plan", "enterprise", "--format", "json"]) == 1
    finding = json.loads(capsys.readouterr().out)["findings"][0]
    assert finding["estimate"]["plan"] == "enterprise"
    assert finding["estimate"]["unpriced"] == ["liked_tweets: custom price, not published"]


def test_neither_path_nor_runtime(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["audit", "--format", "json"])
    assert exc.value.code == 2
    assert "--runtime LOG" in capsys.readouterr().err


def test_a_missing_log_is_a_usage_error(
    over: pathlib.Path, tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.jsonl"
    assert main(["audit", "--runtime", str(over), str(missing)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"compat audit: error: no such file or directory: {missing}\n"


def test_an_unreadable_log_is_a_usage_error(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "--runtime", str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"compat audit: error: cannot read {tmp_path}: ")


def test_the_static_audit_still_works(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "app.py").write_text("import tweepy\ntweepy.API(a).create_favorite(1)\n")
    assert main(["audit", str(tmp_path), "--format", "sarif"]) == 1
    assert json.loads(capsys.readouterr().out)["version"] == "2.1.0"


# --- the README ------------------------------------------------------------------------------


def readme_text() -> str:
    text = README.read_text(encoding="utf-8")
    assert "compat audit --runtime:" in text, "the README lacks the runtime audit sample"
    return text


def test_the_readme_sample_is_what_the_sample_log_gives(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocks = re.findall(r"```text\n(compat audit --runtime:.*?)```", readme_text(), re.DOTALL)
    assert blocks, "no sample summary in the README"
    path = priced_sample_log(tmp_path / "audit.jsonl")
    assert main(["audit", "--runtime", str(path)]) == 1
    assert capsys.readouterr().out == blocks[0]


def test_the_readme_documents_every_json_key(
    over: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = readme_text()
    section = text[text.index("compat audit --runtime:") :]
    main(["audit", "--runtime", str(priced_sample_log(over)), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    keys = set(data) | set(data["lines"]) | set(data["calls"]) | set(data["period"])
    keys |= set(data["calls"]["v2_requests"]) | set(data["v2_endpoints"]["like"])
    keys |= set(data["rate_limits"][0]) | set(data["slowest"][0]) | set(data["plan"])
    keys |= set(data["cost"]) | set(data["cost"]["by_endpoint"]["tweets"])
    keys |= set(data["cost"]["by_day"][0])
    keys |= {"status", "code", "type", "count"}  # errors[]
    undocumented = sorted(k for k in keys if f"`{k}`" not in section)
    assert undocumented == []


def test_the_readme_documents_every_log_field(tmp_path: pathlib.Path) -> None:
    text = readme_text()
    section = text[text.index("compat audit --runtime:") :]
    path = priced_sample_log(tmp_path / "audit.jsonl")
    fields: set[str] = set()
    for line in path.read_text().splitlines():
        data = json.loads(line)
        fields |= set(data)
        for name in ("v2_requests", "rate_limit", "error"):
            value = data.get(name)
            if isinstance(value, list):
                fields |= {key for item in value for key in item}
            elif isinstance(value, dict):
                fields |= set(value)
    undocumented = sorted(k for k in fields if f"`{k}`" not in section)
    assert undocumented == []


def test_text_lists_corrupt_lines(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "a.jsonl", [*burst(0, 2, 1), *["{torn"] * 12])
    assert main(["audit", "--runtime", str(path), *ENTERPRISE]) == 0
    out = capsys.readouterr().out
    assert "; 12 corrupt lines skipped\n" in out
    tail = out[out.index("Skipped 12 corrupt line(s):") :].splitlines()
    assert tail[1] == f"  {path}:3: not JSON (a torn or truncated line?)"
    assert tail[-1] == "  … and 2 more"
    assert len(tail) == 12


def test_an_empty_log_in_each_format(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("\n")
    report = summarise(path)
    assert report.render("text").endswith("No legacy calls were logged.\n")
    assert report.render("markdown").endswith("No legacy calls were logged.\n")
    data = json.loads(report.render("json"))
    assert data["period"] == {"first": None, "last": None}
    assert data["calls"]["v2_requests"]["mean"] is None
    assert data["rate_limits"][0]["peak_start"] is None
    assert data["cost"]["usd"] == 0.0 and data["cost"]["by_day"] == []
    assert report.to_dict() == data
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        report.render("xml")


def test_run_without_argparse_reports_usage_errors(
    over: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = argparse.Namespace(
        paths=["."], runtime=[str(over)], format="text", output=None, include_ignored=False
    )
    assert run(args) == 2
    assert "not both" in capsys.readouterr().err
