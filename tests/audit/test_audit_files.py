"""Real trees: unparseable files, encodings, symlink loops, ignored directories."""

from __future__ import annotations

import builtins
import os
import pathlib
from typing import Any

import pytest

from compat.audit.static import IGNORED_DIRS, discover, scan, scan_source
from tests._support.audit_tree import Tree

LEGACY = "import tweepy\napi = tweepy.API(auth)\napi.create_favorite(1)\n"


def codes_by_file(report_findings: list[Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in report_findings:
        out.setdefault(f.path, []).append(f.code)
    return out


def test_unparseable_files_are_findings_and_the_audit_carries_on(tree: Tree) -> None:
    root = tree(
        {
            "a_syntax.py": "def broken(:\n    pass\n",
            "b_py2_print.py": 'import tweepy\nprint "liked", api.create_favorite(1)\n',
            "c_py2_except.py": "try:\n    x = 1\nexcept ValueError, e:\n    pass\n",
            "d_latin1.py": b"import tweepy\n# caf\xe9 au lait\napi.create_favorite(1)\n",
            "e_nul.py": b"x = 1\x00\n",
            "z_ok.py": LEGACY,
        }
    )
    report = scan([root])
    by_file = {pathlib.PurePosixPath(f.path).name: f for f in report.findings}
    assert by_file["a_syntax.py"].code == "CPT900"
    assert by_file["a_syntax.py"].line == 1
    assert by_file["a_syntax.py"].detail is not None
    assert by_file["a_syntax.py"].detail.startswith("SyntaxError")
    assert by_file["b_py2_print.py"].code == "CPT901"
    assert by_file["b_py2_print.py"].line == 2
    assert by_file["c_py2_except.py"].code == "CPT901"
    latin = by_file["d_latin1.py"]
    assert (latin.code, latin.line, latin.column) == ("CPT902", 2, 6)
    assert latin.detail == "byte 0xe9 at offset 19 does not decode as utf-8"
    assert by_file["e_nul.py"].code == "CPT900"
    assert by_file["z_ok.py"].code == "CPT101"  # the audit went on after the bad files
    assert report.files_scanned == 6
    summary = report.summary()
    assert summary["unparsed_files"] == 5
    assert report.exit_code == 1


def test_a_coding_cookie_makes_latin1_source_auditable() -> None:
    source = (
        b"# -*- coding: latin-1 -*-\nimport tweepy\napi = tweepy.API(a)\n"
        b"# caf\xe9\napi.favorites()\n"
    )
    assert [(f.code, f.line) for f in scan_source(source)] == [("CPT103", 5)]


def test_an_unknown_coding_cookie_is_undecodable() -> None:
    (finding,) = scan_source(b"# -*- coding: no-such-codec -*-\nx = 1\n")
    assert finding.code == "CPT902"


def test_compile_warnings_in_audited_code_are_not_errors() -> None:
    """Legacy code full of "\\d" escapes parses even with warnings as errors (as in pytest)."""
    source = 'import re, tweepy\nR = re.compile("\\d+")\ntweepy.API(a).favorites()\n'
    assert [f.code for f in scan_source(source)] == ["CPT103"]


def test_deep_nesting_does_not_crash_the_audit() -> None:
    source = "x = " + " + ".join(["a"] * 20000) + "\n"
    findings = scan_source(source)
    assert [f.code for f in findings] in ([], ["CPT900"])


def test_unreadable_file_is_a_finding(tree: Tree, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tree({"locked.py": LEGACY, "open.py": LEGACY})
    real_open = builtins.open

    def fake_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file).endswith("locked.py"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", fake_open)
    report = scan([root])
    assert [(pathlib.PurePosixPath(f.path).name, f.code) for f in report.findings] == [
        ("locked.py", "CPT903"),
        ("open.py", "CPT101"),
    ]
    assert report.findings[0].detail == "PermissionError: Permission denied"


def test_symlink_loops_end_and_each_file_is_audited_once(
    tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tree({"pkg/bot.py": LEGACY, "pkg/sub/more.py": LEGACY})
    (root / "pkg" / "sub" / "up").symlink_to("../..", target_is_directory=True)
    (root / "pkg" / "self").symlink_to(".", target_is_directory=True)
    (root / "pkg" / "alias.py").symlink_to("bot.py")
    (root / "dangling.py").symlink_to("nowhere.py")
    listed: list[str] = []
    real_scandir = os.scandir

    def counting_scandir(path: str) -> Any:
        real = os.path.realpath(path)
        assert real not in listed, f"{real} listed twice: a symlink loop was followed"
        listed.append(real)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", counting_scandir)
    report = scan([root])
    # every real directory is listed exactly once: the loops were not entered
    assert sorted(listed) == sorted(
        os.path.realpath(p) for p in (root, root / "pkg", root / "pkg" / "sub")
    )
    assert report.files_scanned == 2
    assert sorted(pathlib.PurePosixPath(f.path).name for f in report.findings) == [
        "bot.py",
        "more.py",
    ]


def test_a_symlinked_directory_outside_the_tree_is_followed(
    tree: Tree, tmp_path: pathlib.Path
) -> None:
    outside = tmp_path / "shared"
    outside.mkdir()
    (outside / "lib.py").write_text(LEGACY, encoding="utf-8")
    root = tree({"main.py": "print('hi')\n"})
    (root / "vendor").symlink_to(outside, target_is_directory=True)
    report = scan([root])
    assert [f.path.rsplit("/", 2)[-2:] for f in report.findings] == [["vendor", "lib.py"]]


@pytest.mark.parametrize("ignored", sorted(IGNORED_DIRS))
def test_ignored_directories_are_skipped_unless_asked(tree: Tree, ignored: str) -> None:
    root = tree({f"{ignored}/lib/legacy.py": LEGACY, "app.py": "print('ok')\n"})
    assert scan([root]).findings == []
    included = scan([root], include_ignored=True)
    assert [f.code for f in included.findings] == ["CPT101"]


def test_required_ignored_names_are_in_the_default_set() -> None:
    required = {".venv", "venv", "site-packages", ".git", "node_modules", "build", "dist"}
    assert required | {"__pycache__", ".tox"} <= IGNORED_DIRS


def test_any_virtualenv_and_egg_info_are_skipped(tree: Tree) -> None:
    root = tree(
        {
            "env-py311/pyvenv.cfg": "home = /usr/bin\n",
            "env-py311/lib/legacy.py": LEGACY,
            "compat_app.egg-info/legacy.py": LEGACY,
        }
    )
    assert scan([root]).findings == []
    assert len(scan([root], include_ignored=True).findings) == 2


def test_explicit_paths_are_audited_even_inside_ignored_dirs(tree: Tree) -> None:
    root = tree({"build/gen.py": LEGACY, "build/deeper/more.py": LEGACY, "notes.txt": LEGACY})
    report = scan([root / "build", root / "notes.txt"])
    assert sorted(pathlib.PurePosixPath(f.path).name for f in report.findings) == [
        "gen.py",
        "more.py",
        "notes.txt",
    ]


def test_a_named_fifo_is_reported_not_read(tree: Tree) -> None:
    root = tree({"app.py": LEGACY})
    fifo = root / "pipe.py"
    os.mkfifo(fifo)
    report = scan([root, fifo])  # in the walk it is skipped, named explicitly it is reported
    assert [(pathlib.PurePosixPath(f.path).name, f.code) for f in report.findings] == [
        ("app.py", "CPT101"),
        ("pipe.py", "CPT903"),
    ]


def test_python_scripts_without_extension_are_found_by_shebang(tree: Tree) -> None:
    root = tree(
        {
            "bin/likebot": "#!/usr/bin/env python3\n" + LEGACY,
            "bin/deploy": "#!/bin/sh\necho api.create_favorite\n",
            "README": "api.create_favorite(1)\n",
        }
    )
    report = scan([root])
    assert [(pathlib.PurePosixPath(f.path).name, f.code) for f in report.findings] == [
        ("likebot", "CPT101")
    ]


def test_discover_is_sorted_and_paths_are_normalised(tree: Tree) -> None:
    root = tree({"b.py": "", "a/z.py": "", "a/b.pyw": "", "c.txt": ""})
    files, problems = discover([root])
    assert problems == []
    rel = [os.path.relpath(f, root) for f in files]
    assert rel == [os.path.join("a", "b.pyw"), os.path.join("a", "z.py"), "b.py"]
    report = scan([str(root) + "/./a/../b.py"])
    assert report.paths == [str(root / "b.py")]


def test_progress_callback_sees_every_file(tree: Tree) -> None:
    root = tree({"a.py": LEGACY, "b.py": "", "c.py": ""})
    calls: list[tuple[int, int, str]] = []
    scan([root], progress=lambda done, total, path: calls.append((done, total, path)))
    assert [(d, t) for d, t, _ in calls] == [(1, 3), (2, 3), (3, 3)]
    assert calls[-1][2].endswith("c.py")
