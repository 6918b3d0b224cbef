"""``compat audit --runtime LOG...``: formats, exit codes, usage errors, the README sample."""

from __future__ import annotations

import argparse
import json
import pathlib
import re

import pytest

from compat.audit.cli import run
from compat.audit.runtime import summarise
from compat.cli import main
from tests._support.runtime_log import at, burst, entry, sample_log, write

ROOT = pathlib.Path(__file__).resolve().parents[2]
README = ROOT / "README.md"


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
    assert main(["audit", "--runtime", str(clean)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("compat audit --runtime: 23 legacy calls in 1 log, ")
    assert "; 0 failed; 0 projected 429s\n" in out
    assert err == ""


def test_exit_1_for_projected_429s(over: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--runtime", str(over)]) == 1
    out = capsys.readouterr().out
    assert "; 0 failed; 10 projected 429s" in out
    (like,) = [line.split() for line in out.splitlines() if line.startswith("  like ")]
    assert like == ["like", "60", "60", "50", "60", "1000*", "10", "0"]


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
    assert main(["audit", "--runtime", str(first)]) == 0
    assert main(["audit", "--runtime", str(first), str(second)]) == 1
    out = capsys.readouterr().out
    assert "60 legacy calls in 2 logs" in out


def test_json_format_is_stable(over: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--runtime", str(over), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert list(data) == [
        "version",
        "kind",
        "tool",
        "tool_version",
        "logs",
        "lines",
        "period",
        "accounts",
        "calls",
        "v2_endpoints",
        "rate_limits",
        "projected_429s",
        "errors",
        "missing_fields",
        "slowest",
        "exit_code",
    ]
    assert (data["version"], data["kind"], data["tool"]) == (1, "runtime", "compat")
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
    }
    like = data["rate_limits"][0]
    assert like == {
        "name": "like",
        "endpoints": ["like"],
        "window_seconds": 900,
        "limit": 50,
        "requests": 60,
        "peak": 60,
        "peak_start": "2026-11-23T10:00:00.000Z",
        "projected_429s": 10,
    }
    assert [r["name"] for r in data["rate_limits"]] == [
        "like",
        "unlike",
        "like+unlike",
        "liked_tweets",
        "tweets",
        "users_me",
        "user_by_username",
    ]
    assert (data["projected_429s"], data["exit_code"]) == (10, 1)
    assert data["slowest"][0]["caller"] == "bot.py:10"


def test_markdown_tables_are_well_formed(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sample_log(tmp_path / "audit.jsonl")
    write(path, ["{torn"])
    assert main(["audit", "--runtime", str(path), "--format", "markdown"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("### compat audit --runtime: 62 legacy calls in 1 log")
    assert "Skipped 1 corrupt line(s)." in out
    tables = [block.splitlines() for block in out.split("\n\n") if block.startswith("| ")]
    assert len(tables) == 5  # calls, v2 limits, errors, fields, slowest
    for rows in tables:
        assert re.fullmatch(r"\|( --- \|)+", rows[1])
        cells = {len(re.findall(r"(?<!\\)\|", row)) for row in rows}
        assert len(cells) == 1  # every row has the header's number of cells
    assert "| like | 55 | 55 | 50 | 55 | 1000* | 5 | 0 |" in out
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
    path = sample_log(tmp_path / "audit.jsonl")
    assert main(["audit", "--runtime", str(path)]) == 1
    assert capsys.readouterr().out == blocks[0]


def test_the_readme_documents_every_json_key(
    over: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = readme_text()
    section = text[text.index("compat audit --runtime:") :]
    main(["audit", "--runtime", str(over), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    keys = set(data) | set(data["lines"]) | set(data["calls"]) | set(data["period"])
    keys |= set(data["calls"]["v2_requests"]) | set(data["v2_endpoints"]["like"])
    keys |= set(data["rate_limits"][0]) | set(data["slowest"][0])
    keys |= {"status", "code", "type", "count"}  # errors[]
    undocumented = sorted(k for k in keys if f"`{k}`" not in section)
    assert undocumented == []


def test_the_readme_documents_every_log_field(tmp_path: pathlib.Path) -> None:
    text = readme_text()
    section = text[text.index("compat audit --runtime:") :]
    path = sample_log(tmp_path / "audit.jsonl")
    fields: set[str] = set()
    for line in path.read_text().splitlines():
        data = json.loads(line)
        fields |= set(data)
        for name in ("v2_requests", "rate_limit", "error"):
            value = data.get(name)
            if isinstance(value, list) and value:
                fields |= set(value[0])
            elif isinstance(value, dict):
                fields |= set(value)
    undocumented = sorted(k for k in fields if f"`{k}`" not in section)
    assert undocumented == []


def test_text_lists_corrupt_lines(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "a.jsonl", [*burst(0, 2, 1), *["{torn"] * 12])
    assert main(["audit", "--runtime", str(path)]) == 0
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
