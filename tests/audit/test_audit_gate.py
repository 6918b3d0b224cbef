"""The audit as a CI gate: select/ignore, min-confidence, exit-zero, suppressions, baselines,
[tool.compat.audit], exit codes, and a tree already migrated to compat exiting 0."""

from __future__ import annotations

import json
import pathlib

import pytest

from compat.audit import scan
from compat.cli import main
from tests._support.audit_tree import Tree

BOT = """\
import tweepy
api = tweepy.API(auth)
api.create_favorite(1)
status = api.get_status(2)
print(status.favorite_count)
client.GetFavorites()
"""


def _codes(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return [f["code"] for f in json.loads(capsys.readouterr().out)["findings"]]


def test_select_ignore_prefixes_most_specific_wins(
    tree: Tree, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tree({"bot.py": BOT})
    assert main(["audit", str(root), "--format", "json"]) == 1
    assert _codes(capsys) == ["CPT101", "CPT105", "CPT203", "CPT103"]
    main(["audit", str(root), "--format", "json", "--select", "CPT1", "--ignore", "CPT10"])
    assert _codes(capsys) == []
    main(["audit", str(root), "--format", "json", "--select", "CPT101,CPT2"])
    assert _codes(capsys) == ["CPT101", "CPT203"]
    main(["audit", str(root), "--format", "json", "--ignore", "CPT1", "--select", "CPT105"])
    assert _codes(capsys) == ["CPT105"]  # a given --select replaces the default (everything)


def test_min_confidence_and_exit_zero(tree: Tree, capsys: pytest.CaptureFixture[str]) -> None:
    root = tree({"bot.py": BOT})
    main(["audit", str(root), "--format", "json", "--min-confidence", "high"])
    assert "CPT103" not in _codes(capsys)  # the guessed GetFavorites is low
    assert main(["audit", str(root), "--exit-zero"]) == 0
    assert "CPT101" in capsys.readouterr().out


def test_unknown_code_is_a_usage_error(tree: Tree, capsys: pytest.CaptureFixture[str]) -> None:
    root = tree({"bot.py": BOT})
    assert main(["audit", str(root), "--select", "XYZ1"]) == 2
    assert "no audit code or prefix" in capsys.readouterr().err


def test_inline_suppressions_and_unused_ones(
    tree: Tree, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tree(
        {
            "bot.py": "import tweepy\napi = tweepy.API(a)\n"
            "api.create_favorite(1)  # compat: ignore[CPT101]\n"
            "api.favorites(\n    count=200)  # compat: ignore\n"
            "x = 1  # compat: ignore[CPT203]\n"
            "s = '# compat: ignore'\n"
        }
    )
    assert main(["audit", str(root), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [(f["code"], f["line"]) for f in data["findings"]] == [("CPT910", 6)]
    assert "CPT203 not found" in data["findings"][0]["detail"]
    assert data["summary"]["suppressed"] == 2


def test_baseline_only_new_findings_fail_and_survive_line_moves(
    tree: Tree, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tree({"bot.py": "import tweepy\napi = tweepy.API(a)\napi.create_favorite(1)\n"})
    baseline = root / "compat-baseline.json"
    assert main(["audit", str(root), "--baseline", str(baseline), "--write-baseline"]) == 0
    written = json.loads(baseline.read_text())
    assert written["kind"] == "baseline" and len(written["findings"]) == 1
    assert main(["audit", str(root), "--baseline", str(baseline)]) == 0
    capsys.readouterr()
    # the same call moves down three lines: still baselined
    (root / "bot.py").write_text(
        "import tweepy\n\n\n\napi = tweepy.API(a)\napi.create_favorite(1)\n"
    )
    assert main(["audit", str(root), "--baseline", str(baseline)]) == 0
    capsys.readouterr()
    # a new call fails, the old one stays hidden
    (root / "bot.py").write_text(
        "import tweepy\napi = tweepy.API(a)\napi.create_favorite(1)\napi.destroy_favorite(1)\n"
    )
    assert main(["audit", str(root), "--baseline", str(baseline), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [f["code"] for f in data["findings"]] == ["CPT102"]
    assert data["summary"]["baselined"] == 1


def test_a_broken_baseline_is_exit_2(tree: Tree, capsys: pytest.CaptureFixture[str]) -> None:
    root = tree({"bot.py": BOT, "b.json": "[1, 2]"})
    assert main(["audit", str(root), "--baseline", str(root / "b.json")]) == 2
    assert "not a compat audit baseline" in capsys.readouterr().err


def test_pyproject_config_found_upward_and_the_cli_wins(
    tree: Tree, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tree(
        {
            "pyproject.toml": '[tool.compat.audit]\nignore = ["CPT1"]\nformat = "json"\n',
            "src/app/bot.py": BOT,
        }
    )
    assert main(["audit", str(root / "src" / "app")]) == 1
    assert _codes(capsys) == ["CPT203"]
    main(["audit", str(root / "src"), "--ignore", "CPT2", "--format", "json"])
    assert _codes(capsys) == ["CPT101", "CPT105", "CPT103"]


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[tool.compat.audit]\nslect = []\n", "unknown key 'slect'"),
        ("[tool.compat.audit]\nmin-confidence = 'sure'\n", "min-confidence must be one of"),
        ("[tool.compat.audit\n", "is not valid TOML"),
    ],
)
def test_bad_config_is_exit_2(
    tree: Tree, capsys: pytest.CaptureFixture[str], toml: str, message: str
) -> None:
    root = tree({"pyproject.toml": toml, "bot.py": BOT})
    assert main(["audit", str(root)]) == 2
    assert message in capsys.readouterr().err


MIGRATED = {
    "pyproject.toml": "[project]\nname = 'likes-bot'\n",
    "likesbot/__main__.py": """\
        import compat
        import tweepy

        from likesbot import export

        compat.install(audit_log="audit.jsonl")
        auth = tweepy.OAuthHandler("k", "s")
        api = tweepy.API(auth, wait_on_rate_limit=True, wait_on_rate_limit_notify=True)
        for status in tweepy.Cursor(api.favorites, count=200).items(500):
            print(status.id, status.favorited, status.favorite_count)
        me = api.verify_credentials()
        print(me.favourites_count)
        export.run(api)
        """,
    "likesbot/export.py": """\
        import json

        import tweepy


        def run(api: tweepy.API) -> None:
            likes = api.favorites(screen_name="TweepyDev", count=200)
            json.dump([s._json for s in likes], open("likes.json", "w"))
        """,
    "tools/report.py": """\
        from compat import favorites_list

        for tweet in favorites_list(screen_name="TweepyDev", count=50):
            print(tweet["id_str"], tweet["favorited"], tweet["user"]["favourites_count"])
        """,
}


def test_a_tree_already_migrated_to_compat_exits_0(
    tree: Tree, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tree(MIGRATED)
    assert main(["audit", str(root), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["failing"] == 0
    assert data["summary"]["informational"] == len(data["findings"]) >= 7
    assert {f["code"] for f in data["findings"]} >= {"CPT104", "CPT103", "CPT105", "CPT201"}
    # and the same code without compat fails
    unmigrated = tree({"likesbot/__main__.py": MIGRATED["likesbot/export.py"]})
    assert main(["audit", str(unmigrated / "likesbot")]) == 1


def test_unserved_calls_still_fail_in_migrated_code(tree: Tree) -> None:
    root = tree(
        {"bot.py": "import compat, tweepy\ncompat.install()\ntweepy.API(a).update_status('x')\n"}
    )
    report = scan([root])
    assert [(f.code, f.informational) for f in report.findings] == [("CPT106", False)]
    assert report.exit_code == 1


def test_exit_codes_are_documented() -> None:
    doc = (pathlib.Path(__file__).resolve().parents[2] / "docs" / "audit.md").read_text()
    for text in ("**0** no finding fails the gate", "**1** failing findings", "**2** usage or"):
        assert text in doc
