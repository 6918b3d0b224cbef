"""Hostile trees and logs: no crash, no hang, and work linear in the tree (counters, not time)."""

from __future__ import annotations

import json
import os
import pathlib
import sys

import pytest

from benchmarks import audit as audit_benchmark
from compat.audit import discover, scan
from compat.audit.runtime import MAX_LINE, summarise
from compat.cli import main
from tests._support.audit_tree import Tree

BOT = "import tweepy\napi = tweepy.API(a)\napi.favorites()\n"


def test_deeply_nested_folders_and_symlink_loops(tmp_path: pathlib.Path) -> None:
    deep = tmp_path / "root"
    current = deep
    for _ in range(400):
        current = current / "d"
    current.mkdir(parents=True)
    (current / "bot.py").write_text(BOT)
    (current / "loop").symlink_to(deep, target_is_directory=True)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(300)  # the walk must not recurse per directory level
    try:
        files, problems = discover([deep])
    finally:
        sys.setrecursionlimit(limit)
    assert [pathlib.Path(f).name for f in files] == ["bot.py"] and problems == []
    report = scan([deep])
    assert report.files_scanned == 1 and [f.code for f in report.findings] == ["CPT103"]


def test_files_over_the_cap_are_a_finding_and_never_read(tree: Tree) -> None:
    root = tree({"bot.py": BOT})
    with open(root / "huge.py", "wb") as handle:  # 60 MB, sparse: written in no time
        handle.truncate(60_000_000)
    report = scan([root])
    codes = {f.path.rsplit("/", 1)[-1]: f.code for f in report.findings}
    assert codes == {"bot.py": "CPT103", "huge.py": "CPT904"}
    assert report.counters.per_file[f"{root.as_posix()}/huge.py"][1] == 0
    assert report.counters.max_bytes_per_file <= 16_000_001


def test_max_file_size_option(tree: Tree, capsys: pytest.CaptureFixture[str]) -> None:
    root = tree({"bot.py": BOT})
    assert main(["audit", str(root), "--max-file-size", "10", "--format", "json"]) == 1
    (finding,) = json.loads(capsys.readouterr().out)["findings"]
    assert finding["code"] == "CPT904"


def _work(tmp_path: pathlib.Path, name: str, source: str) -> tuple[int, int, int]:
    path = tmp_path / name
    path.write_text(source)
    report = scan([path])
    nodes, read = report.counters.per_file[path.as_posix()]
    return nodes, read, len(report.findings)


def test_work_is_linear_in_the_size_of_a_one_line_file(tmp_path: pathlib.Path) -> None:
    """A 10 MB-class one-line module full of findings: nodes visited grow with the source,
    and the flagged text kept per finding is bounded (findings × size stays linear)."""
    call = "api.favorites(count=200);"
    small = _work(tmp_path, "small.py", "import tweepy\napi = tweepy.API(a)\n" + call * 2_000)
    big = _work(tmp_path, "big.py", "import tweepy\napi = tweepy.API(a)\n" + call * 20_000)
    assert big[2] == 10 * small[2] == 20_000
    assert big[0] <= 11 * small[0]  # nodes visited: linear
    assert big[1] == len(("import tweepy\napi = tweepy.API(a)\n" + call * 20_000).encode())


def test_a_ten_megabyte_string_line_and_long_annotations(tmp_path: pathlib.Path) -> None:
    line = "x = '" + "a" * 10_000_000 + "'\n"
    nodes, read, found = _work(tmp_path, "data.py", "import tweepy\n" + line)
    assert found == 0 and nodes < 50 and read > 10_000_000
    annotation = "def f(api: '" + "tweepy.API." * 20_000 + "API'):\n    api.favorites()\n"
    report = scan_source_safe(tmp_path, "ann.py", "import tweepy\n" + annotation)
    assert all(len(f.legacy) <= 500 for f in report)


def scan_source_safe(tmp_path: pathlib.Path, name: str, source: str) -> list:  # type: ignore[type-arg]
    path = tmp_path / name
    path.write_text(source)
    return scan([path]).findings


def test_non_utf8_and_binary_files(tree: Tree) -> None:
    root = tree({"latin.py": b"# caf\xe9\nimport tweepy\n", "bin.py": b"\x00\x01\x02" * 1000})
    codes = sorted(f.code for f in scan([root]).findings)
    assert codes == ["CPT900", "CPT902"]


def test_runtime_on_hostile_logs(tmp_path: pathlib.Path) -> None:
    log = tmp_path / "audit.jsonl"
    good = json.dumps(
        {"v": 2, "time": "2026-11-23T10:00:00Z", "endpoint": "favorites/list", "latency_ms": 1}
    )
    with open(log, "wb") as handle:
        handle.write(good.encode() + b"\n")
        handle.write(b'{"endpoint": "' + b"x" * (MAX_LINE + 10) + b'"}\n')  # over the cap
        handle.write(b"[" * 100_000 + b"\n")  # nested too deeply
        handle.write(b"\xff\xfe\n")
        handle.write(json.dumps({"time": "2026-11-23T10:00:00Z", "endpoint": "a" * 300}).encode())
        handle.write(b"\n" + good.encode())  # the last line, no newline
    report = summarise(log)
    assert report.entries == 2 and report.corrupt_lines == 4
    reasons = [c.reason for c in report.corrupt_examples]
    assert reasons[0] == f"line longer than {MAX_LINE:,} bytes"
    assert report.render("text").startswith("compat audit --runtime: 2 legacy calls")


def test_the_missing_fields_table_lists_each_field_once(tmp_path: pathlib.Path) -> None:
    log = tmp_path / "audit.jsonl"
    fields = [f"user.field{i}" for i in range(30)] + ["favorited"]
    lines = [
        {
            "time": f"2026-11-23T10:0{i}:00Z",
            "endpoint": ep,
            "latency_ms": 1,
            "missing_fields": fields if ep == "favorites/list" else fields[:30],
        }
        for i, ep in enumerate(
            ["favorites/list", "favorites/list", "favorites/create", "favorites/create"]
        )
    ]
    log.write_text("".join(json.dumps(line) + "\n" for line in lines))
    report = summarise(log)
    text = report.render("text")
    section = text[text.index("v1.1 fields sent") :].split("\n\n")[0].splitlines()
    assert len(section) == 4  # heading, header, 2 groups: not 31 rows
    assert "4 (favorites/create 2, favorites/list 2)" in section[2]
    assert section[3].strip() == "2 (favorites/list 2)  favorited"
    data = json.loads(report.render("json"))
    assert [g["total_calls"] for g in data["missing_field_groups"]] == [4, 2]


def test_the_benchmark_prints_files_per_second(capsys: pytest.CaptureFixture[str]) -> None:
    assert audit_benchmark.main(["--files", "60"]) == 0
    assert "files/s" in capsys.readouterr().out


def test_symlink_to_a_fifo_is_not_opened(tmp_path: pathlib.Path) -> None:
    os.mkfifo(tmp_path / "pipe.py")
    report = scan([tmp_path])
    assert report.files_scanned == 0
