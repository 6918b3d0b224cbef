"""`compat demo` and the CLI entry point."""

from __future__ import annotations

import argparse
import io
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest

from compat import __version__
from compat._plans import get_plan
from compat._pricing import Pricer, format_usd
from compat.cli import build_parser, main
from compat.client import recording
from compat.demo import COST_PLAN, MAX_LIKES, cost_lines, run_demo
from compat.transport import V2Call

DEFAULT_USER = "1072250532645998596"


def test_demo_shows_calls_requests_and_tweets() -> None:
    out = io.StringIO()
    assert run_demo(likes=120, out=out) == 0
    text = out.getvalue()
    assert ">>> favorites_create(1626194750222094336)" in text
    assert "v2 GET    /2/tweets" in text
    assert re.search(r"v2 POST +/2/users/1072250532645998596/likes +-> 200", text)
    assert "@ruchowdh" in text and "Thu Feb 16 12:20:16 +0000 2023" in text
    assert "raised InvalidParameter: id:" in text
    legacy, v2 = map(int, re.search(r"(\d+) legacy calls -> (\d+) v2 requests", text).groups())  # type: ignore[union-attr]
    # create 2 + list 1 + memo page 0 + destroy 1 (the post cache holds the post the create
    # looked up: lookup="auto") + bad input 0, then through the adapter: raw requests list 1
    # + tweepy create 2 + tweepy destroy 1 (cached again)
    assert (legacy, v2) == (8, 8)
    assert "--- unchanged v1.1 client code, with compat.install() ---" in text
    assert ">>> tweepy.API(auth).create_favorite(1626194750222094336)" in text


def test_demo_ends_with_the_pay_per_use_cost_of_its_requests() -> None:
    out = io.StringIO()
    with recording() as calls:  # the demo's own recordings nest inside this one
        assert run_demo(likes=30, out=out) == 0
    lines = out.getvalue().rstrip().splitlines()
    payg = get_plan(COST_PLAN)
    cost = Pricer(payg).price(calls, owner=DEFAULT_USER)
    cost_line = next(i for i, line in enumerate(lines) if line.startswith("cost on "))
    assert lines[cost_line] == (
        f"cost on {COST_PLAN} at X's list prices: {format_usd(cost.micro_usd)} for "
        f"{cost.posts_read} post reads and {cost.users_read} user reads ({len(calls)} v2 requests)"
    )
    # the likes: the four writes (two through the drop-ins, two through tweepy) are marked
    since = payg.terms("like").since
    assert lines[cost_line + 1 :] == [
        f"  like ×2: Enterprise-only, not offered on {COST_PLAN} since {since}",
        f"  unlike ×2: Enterprise-only, not offered on {COST_PLAN} since {since}",
    ]


def test_cost_lines_on_hand_made_calls() -> None:
    lookup = V2Call("GET", "/2/tweets", 200, 1.0, "tweets", (("post", "1"), ("user", "7")))
    like = V2Call("POST", f"/2/users/{DEFAULT_USER}/likes", 200, 1.0, "like")
    lines = cost_lines([lookup, like, like], owner=DEFAULT_USER)
    expected = Pricer(get_plan(COST_PLAN)).price([lookup, like, like], owner=DEFAULT_USER)
    assert lines[0].startswith(f"cost on {COST_PLAN} at X's list prices: ")
    assert f"{format_usd(expected.micro_usd)} for {expected.posts_read} post read" in lines[0]
    assert lines[0].endswith("(3 v2 requests)")
    assert lines[1].startswith("  like ×2: Enterprise-only")
    assert cost_lines([], owner=DEFAULT_USER) == [
        f"cost on {COST_PLAN} at X's list prices: $0.000 for 0 post reads and 0 user reads "
        "(0 v2 requests)"
    ]


def test_demo_on_pay_per_use_shows_the_likes_refused() -> None:
    out = io.StringIO()
    assert run_demo(likes=10, out=out, plan="pay-per-use") == 0
    text = out.getvalue()
    assert "plan pay-per-use: " in text
    assert re.search(r"v2 POST +/2/users/1072250532645998596/likes +-> 403", text)
    assert re.search(r"v2 DELETE +/2/users/1072250532645998596/likes/\d+ +-> 403", text)
    assert "v2 GET    /2/users/1072250532645998596/liked_tweets" in text  # listing works
    assert text.count(">>> tweepy.API(auth)") == 2  # tweepy's refusal did not stop the demo
    assert "  like ×2: Enterprise-only" in text


def test_demo_with_an_unknown_plan_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--plan", "gold"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("compat demo: --plan must be one of enterprise, pay-per-use")


def test_cli_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert __version__ in capsys.readouterr().out
    assert main([]) == 2  # no subcommand: help on stderr, usage error


def test_console_script_runs_demo() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "compat.cli", "demo", "--likes", "20", "--plan", "enterprise"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "legacy calls ->" in done.stdout
    assert "cost on pay-per-use" in done.stdout


def test_python_dash_m_compat() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "compat", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for command in ("demo", "emulator", "audit", "run"):
        assert f"    {command} " in done.stdout


@pytest.mark.parametrize("likes", ["-5", "abc", "100001", "1e3"])
def test_demo_likes_out_of_range_is_a_usage_error(
    likes: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with recording() as calls, pytest.raises(SystemExit) as info:
        main(["demo", "--likes", likes])
    assert info.value.code == 2 and calls == []  # nothing started, nothing sent
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == (
        f"compat demo: error: argument --likes: must be a whole number from 0 to "
        f"{MAX_LIKES:,}, got {likes!r}"
    )
    assert "Traceback" not in err


def _subcommand_parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                yield child
                yield from _subcommand_parsers(child)


def test_every_subcommand_s_help_shows_version(capsys: pytest.CaptureFixture[str]) -> None:
    parsers = list(_subcommand_parsers(build_parser()))
    assert {p.prog for p in parsers} >= {f"compat {c}" for c in ("demo", "audit", "run")}
    for parser in parsers:
        assert "--version" in parser.format_help(), parser.prog
    for argv in (["demo", "--version"], ["audit", "--version"]):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 0
        assert capsys.readouterr().out == f"compat {__version__}\n"
