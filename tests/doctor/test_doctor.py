"""``compat doctor`` against the emulator on each plan: what the keys can do, what it costs,
and that nothing billable is sent without consent (the emulator's request log says so)."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

from compat import _environment
from compat._plans import PLAN_NAMES, get_plan
from compat._pricing import format_usd, micros
from compat.doctor import (
    LEGACY_CALLS,
    REPORT_VERSION,
    credential_family,
    explain,
    problem_kind,
)
from compat.emulator import Emulator, problems
from compat.errors import api_error_for
from tests._support import ROOT
from tests._support import failure_bodies as bodies

Start = Callable[..., Emulator]


def unliked(emu: Emulator) -> str:
    """A post of the dataset the default user has not liked: the write probe's no-op."""
    return next(
        tid
        for tid in sorted(emu.dataset.tweets)
        if tid not in emu.dataset.deleted and not emu.state.is_liked(emu.user_id, tid)
    )


def sent(emu: Emulator) -> list[tuple[str, str, int]]:
    return [(r.method, r.endpoint, r.status) for r in emu.requests]


@pytest.fixture
def on_plan(emulator_for: Start, export: Callable[..., None]) -> Callable[[str], Emulator]:
    """An emulator serving ``plan`` whose default user's keys are in the environment."""

    def start(plan: str) -> Emulator:
        emu = emulator_for(plan=plan)
        export(emu.credentials)
        return emu

    return start


# -- each plan ------------------------------------------------------------------------------------


def test_enterprise_every_call_can_be_served_and_the_probes_say_so(
    on_plan: Callable[[str], Emulator], doctor: Callable[..., Any]
) -> None:
    emu = on_plan("enterprise")
    post = unliked(emu)
    run = doctor("--api-base", emu.base_url, "--yes", "--probe-write", post, "--json")
    assert run.status == 0
    report = run.report
    assert report["format"] == "compat-doctor" and report["version"] == REPORT_VERSION
    assert report["exit_status"] == 0
    assert report["plan"]["inferred"] == "enterprise"
    assert report["plan"]["believed"] == "pay-per-use"  # the default; the answers win
    assert report["writes"]["possible"] is True
    assert [(r["call"], r["can"], r["checked"]) for r in report["calls"]] == [
        ("favorites/create", True, True),
        ("favorites/destroy", True, True),
        ("favorites/list", True, True),
    ]
    assert report["user"] == {"id": emu.user_id, "username": "TweepyDev"}
    assert sent(emu) == [
        ("GET", "users_me", 200),
        ("GET", "liked_tweets", 200),
        ("DELETE", "unlike", 200),
    ]
    assert emu.requests[1].query["max_results"] == ["10"]
    assert not emu.state.is_liked(emu.user_id, post)  # the probe changed nothing


def test_pay_per_use_listing_works_liking_does_not(
    on_plan: Callable[[str], Emulator], doctor: Callable[..., Any]
) -> None:
    emu = on_plan("pay-per-use")
    run = doctor("--api-base", emu.base_url, "--yes", "--probe-write", unliked(emu), "--json")
    assert run.status == 1
    report = run.report
    assert report["plan"]["inferred"] == "pay-per-use"
    assert report["writes"]["possible"] is False
    create, destroy, listing = (run.row(c) for c in LEGACY_CALLS)
    for row in (create, destroy):
        assert (row["can"], row["checked"]) == (False, True)
        assert "client-not-enrolled" in row["why"]
        assert "Enterprise" in row["why"] and "gateway" in row["why"]
        assert "Enterprise-only, custom price" in row["price"]
    assert (listing["can"], listing["checked"]) == (True, True)
    assert run.probe("unlike")["status"] == 403
    assert run.probe("unlike")["problem"] == "client-not-enrolled"
    assert sent(emu)[-1] == ("DELETE", "unlike", 403)


def test_pay_per_use_prices_come_from_the_plans_table(
    on_plan: Callable[[str], Emulator], doctor: Callable[..., Any]
) -> None:
    emu = on_plan("pay-per-use")
    run = doctor("--api-base", emu.base_url, "--yes", "--json")
    plan = get_plan("pay-per-use")
    me = plan.price("users_me")
    listed = plan.price("liked_tweets")
    lookup = plan.price("tweets")
    like = plan.price("like")
    assert me and listed and lookup and like
    assert me.usd and listed.usd and listed.owned_usd and lookup.usd and like.usd
    assert run.probe("users/me")["price_before"] == f"1 user read: {format_usd(micros(me.usd))}"
    worst = run.probe("liked_tweets")
    assert worst["worst_micro_usd"] == 10 * micros(listed.usd)
    assert format_usd(10 * micros(listed.owned_usd)) in worst["price_before"]
    # the lookup of create: the post and its author; the like has no self-serve price
    create = run.row("favorites/create")
    assert create["price_micro_usd"] == micros(lookup.usd) + micros(me.usd)
    assert f"list price {format_usd(micros(like.usd))}" in create["price"]
    # spent: one user read and the Owned Reads of the ten likes listed
    assert run.report["spent"]["micro_usd"] == micros(me.usd) + 10 * micros(listed.owned_usd)


@pytest.mark.parametrize("plan", PLAN_NAMES)
def test_each_plan_gets_its_verdict(
    plan: str, on_plan: Callable[[str], Emulator], doctor: Callable[..., Any]
) -> None:
    emu = on_plan(plan)
    run = doctor(
        "--api-base", emu.base_url, "--yes", "--probe-write", unliked(emu), "--plan", plan, "--json"
    )
    writes = get_plan(plan).available("unlike")
    assert run.status == (0 if writes else 1)
    assert run.report["plan"]["inferred"] == plan
    assert [r["can"] for r in run.report["calls"]] == [writes, writes, True]
    assert all(r["checked"] for r in run.report["calls"])


@pytest.mark.parametrize("plan", ["legacy-basic", "legacy-free"])
def test_the_headers_tell_a_legacy_tier_from_what_the_user_believed(
    plan: str, on_plan: Callable[[str], Emulator], doctor: Callable[..., Any]
) -> None:
    emu = on_plan(plan)
    run = doctor("--api-base", emu.base_url, "--yes", "--plan", "enterprise", "--json")
    assert run.report["plan"]["believed"] == "enterprise"
    assert run.report["plan"]["inferred"] == plan
    evidence = [e["what"] for e in run.report["plan"]["evidence"] if e["applied"]]
    limit = get_plan(plan).user_limit_15min("liked_tweets")
    assert any(f"liked_tweets answered with x-rate-limit-limit: {limit}" in e for e in evidence)


def test_a_refused_unlike_overrules_the_plan_the_user_believed(
    on_plan: Callable[[str], Emulator], doctor: Callable[..., Any]
) -> None:
    emu = on_plan("pay-per-use")
    args = ("--api-base", emu.base_url, "--yes", "--probe-write", unliked(emu), "--plan")
    run = doctor(*args, "enterprise", "--json")
    assert run.report["plan"]["inferred"] == "pay-per-use"
    assert "enterprise" not in run.report["plan"]["candidates"]
    text = doctor(*args, "enterprise")
    assert "pay-per-use, from the answers; you said enterprise (--plan)" in text.out


def test_without_a_write_probe_writes_follow_the_table_and_are_marked_not_checked(
    on_plan: Callable[[str], Emulator], doctor: Callable[..., Any]
) -> None:
    emu = on_plan("enterprise")
    run = doctor("--api-base", emu.base_url, "--yes", "--plan", "enterprise", "--json")
    assert run.status == 0
    create = run.row("favorites/create")
    assert (create["can"], create["checked"]) == (True, False)
    assert "--probe-write" in run.report["writes"]["why"]
    assert [e for _m, e, _s in sent(emu)] == ["users_me", "liked_tweets"]


# -- billing failures -----------------------------------------------------------------------------


def test_out_of_credits_nothing_can_be_served_and_the_plan_is_pay_per_use(
    on_plan: Callable[[str], Emulator], doctor: Callable[..., Any]
) -> None:
    emu = on_plan("pay-per-use")
    emu.credits.deplete()
    run = doctor(
        "--api-base", emu.base_url, "--yes", "--probe-write", unliked(emu), "--plan",
        "legacy-basic", "--json",
    )  # fmt: skip
    assert run.status == 1
    assert run.report["plan"]["inferred"] == "pay-per-use"
    for row in run.report["calls"]:
        assert (row["can"], row["checked"]) == (False, True)
        assert "402 CreditsDepleted" in row["why"] and "add credits" in row["why"]
    assert run.probe("users/me")["problem"] == "credits"
    # one refused request was enough: the others would be refused the same
    assert sent(emu) == [("GET", "users_me", 402)]
    assert run.report["spent"]["micro_usd"] == 0


def test_a_reached_usage_cap_stops_the_post_reads(
    on_plan: Callable[[str], Emulator], doctor: Callable[..., Any]
) -> None:
    emu = on_plan("pay-per-use")
    emu.usage_cap.reach()
    run = doctor("--api-base", emu.base_url, "--yes", "--probe-write", unliked(emu), "--json")
    assert run.status == 1
    assert run.probe("liked_tweets")["problem"] == "usage-capped"
    for row in run.report["calls"]:
        assert row["can"] is False
        assert "monthly usage cap" in row["why"] and "billing cycle" in row["why"]
    assert sent(emu) == [("GET", "users_me", 200), ("GET", "liked_tweets", 429)]
    assert run.probe("unlike")["sent"] is False
    capped = [e for e in run.report["plan"]["evidence"] if "UsageCapExceeded" in e["what"]]
    assert capped and "enterprise" not in capped[0]["plans"]


# -- consent --------------------------------------------------------------------------------------


def test_without_a_terminal_and_without_yes_nothing_billable_is_sent(
    on_plan: Callable[[str], Emulator], doctor: Callable[..., Any]
) -> None:
    emu = on_plan("enterprise")
    run = doctor("--api-base", emu.base_url, "--probe-write", unliked(emu), "--json")
    assert emu.requests == []
    report = run.report
    assert all(not p["sent"] for p in report["probes"])
    assert report["consent"] == "no terminal to ask and no --yes"
    # what could be established: the table's word on the plan named (the default, pay-per-use)
    assert run.status == 1
    assert [(r["can"], r["checked"]) for r in report["calls"]] == [
        (False, False),
        (False, False),
        (True, False),
    ]
    assert report["spent"]["micro_usd"] == 0


def test_without_consent_the_named_plan_decides_the_exit_status(
    on_plan: Callable[[str], Emulator], doctor: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    emu = on_plan("enterprise")
    monkeypatch.setenv("COMPAT_PLAN", "enterprise")
    run = doctor("--api-base", emu.base_url)
    assert run.status == 0
    assert emu.requests == []
    assert "skipped" in run.out and "[not checked]" in run.out
    assert "nothing billable was sent (no terminal to ask and no --yes)" in run.out
    assert "you said enterprise ($COMPAT_PLAN)" in run.out


def test_on_a_terminal_the_prices_are_shown_and_a_yes_sends(
    on_plan: Callable[[str], Emulator],
    doctor: Callable[..., Any],
    terminal: Callable[[str], None],
) -> None:
    emu = on_plan("pay-per-use")
    terminal("y\n")
    run = doctor("--api-base", emu.base_url, "--json")
    me = get_plan("pay-per-use").price("users_me")
    assert me is not None and me.usd is not None
    assert "GET /2/users/me  [1 user read: " + format_usd(micros(me.usd)) in run.err
    assert "Send? [y/N]" in run.err
    assert run.report["consent"] == "allowed on the terminal"
    assert [e for _m, e, _s in sent(emu)] == ["users_me", "liked_tweets"]


def test_on_a_terminal_anything_but_yes_sends_nothing(
    on_plan: Callable[[str], Emulator],
    doctor: Callable[..., Any],
    terminal: Callable[[str], None],
) -> None:
    emu = on_plan("pay-per-use")
    terminal("\n")
    run = doctor("--api-base", emu.base_url, "--json")
    assert emu.requests == []
    assert run.report["consent"].startswith("declined on the terminal")


# -- credentials and usage ------------------------------------------------------------------------


def test_no_credentials_is_exit_2_and_sends_nothing(
    emulator_for: Start, doctor: Callable[..., Any]
) -> None:
    emu = emulator_for()
    run = doctor("--api-base", emu.base_url, "--yes")
    assert run.status == 2
    assert "no credentials" in run.err and "X_CONSUMER_KEY" in run.err
    assert emu.requests == []


@pytest.mark.parametrize(
    "args",
    [
        ["--probe-write", "12/../"],
        ["--emulator-plan", "enterprise"],
        ["--emulator", "--api-base", "http://127.0.0.1:9"],
    ],
)
def test_bad_usage_is_exit_2_and_sends_nothing(
    args: list[str],
    on_plan: Callable[[str], Emulator],
    doctor: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    emu = on_plan("enterprise")
    monkeypatch.setenv("COMPAT_API_BASE", emu.base_url)
    run = doctor("--yes", *args)
    assert run.status == 2
    assert run.err.startswith("compat doctor: ")
    assert not run.err.startswith("compat doctor: compat doctor")
    assert emu.requests == []


def test_an_unknown_plan_is_refused_by_the_parser(doctor: Callable[..., Any]) -> None:
    with pytest.raises(SystemExit) as exited:
        doctor("--plan", "gold")
    assert exited.value.code == 2


def test_the_family_is_named_and_no_secret_is_shown(
    emulator_for: Start, export: Callable[..., None], doctor: Callable[..., Any]
) -> None:
    emu = emulator_for(plan="pay-per-use")
    creds = emu.credentials
    export(creds, prefix="TWITTER_")
    text = doctor("--api-base", emu.base_url, "--yes", "--probe-write", unliked(emu))
    js = doctor("--api-base", emu.base_url, "--yes", "--json")
    assert js.report["credentials"]["family"] == "TWITTER_"
    assert "from the TWITTER_ environment family" in text.out
    assert creds.consumer_key and creds.access_token
    for output in (text.out, text.err, js.out, js.err):
        for secret in (*creds.secrets(), creds.consumer_key, creds.access_token):
            assert secret not in output
    shown = js.report["credentials"]["consumer_key_last4"]
    assert shown is None or (len(shown) <= 4 and creds.consumer_key.endswith(shown))


def test_oauth2_users_me_is_asked_once_even_with_the_write_probe(
    emulator_for: Start, export: Callable[..., None], doctor: Callable[..., Any]
) -> None:
    emu = emulator_for(plan="enterprise")
    creds = emu.oauth2_credentials()
    export(creds)
    run = doctor("--api-base", emu.base_url, "--yes", "--probe-write", unliked(emu), "--json")
    assert run.status == 0
    assert run.report["credentials"] == {"family": "X_", "kind": "oauth2", "refreshable": False}
    assert [e for _m, e, _s in sent(emu)] == ["users_me", "liked_tweets", "unlike"]
    assert creds.bearer_token is not None and creds.bearer_token not in run.out


def test_a_post_the_user_likes_is_never_unliked_by_the_probe(
    on_plan: Callable[[str], Emulator], doctor: Callable[..., Any]
) -> None:
    emu = on_plan("enterprise")
    liked = emu.state.liked(emu.user_id)[0]  # the newest like: on the probe's page
    run = doctor("--api-base", emu.base_url, "--yes", "--probe-write", liked, "--json")
    assert emu.state.is_liked(emu.user_id, liked)
    assert run.probe("unlike")["sent"] is False
    assert "among your likes" in run.probe("unlike")["outcome"]
    assert "unlike" not in [e for _m, e, _s in sent(emu)]


def test_credential_family_follows_the_environment_table() -> None:
    only_x = {"X_CONSUMER_KEY": "a", "X_CONSUMER_SECRET": "b", "X_ACCESS_TOKEN": "1-c"}
    assert credential_family(only_x) is None  # incomplete: no family
    both = {**only_x, "X_ACCESS_TOKEN_SECRET": "d", "TWITTER_USER_ACCESS_TOKEN": "t"}
    assert credential_family(both) == "X_"
    assert credential_family({"USER_ACCESS_TOKEN": "t"}) == "(unprefixed)"
    assert [family for family, _fields in _environment.ENV_FAMILIES][-1] == "(unprefixed)"


# -- the answers, classified from the bodies seen in the wild -------------------------------------


@pytest.mark.parametrize(
    ("found", "kind"),
    [
        (bodies.CREDITS_DEPLETED, "credits"),
        (bodies.USAGE_CAP, "usage-capped"),
        (bodies.CLIENT_NOT_ENROLLED, "client-not-enrolled"),
        (bodies.CLIENT_NOT_ENROLLED_NO_TYPE, "client-not-enrolled"),
        (bodies.OAUTH2_NO_LIKE_WRITE, "forbidden"),
        (bodies.APP_ONLY_ON_USER_CONTEXT, "unsupported-authentication"),
        (bodies.DELETED_POST_LIKE, "invalid-request"),
    ],
)
def test_problem_kinds_of_the_real_bodies(found: tuple[Any, ...], kind: str) -> None:
    status, body = found[0], found[1]
    assert problem_kind(api_error_for(status, body)) == kind


# -- the gateway ----------------------------------------------------------------------------------


@pytest.fixture
def gateway_env(monkeypatch: pytest.MonkeyPatch, emulator_for: Start) -> Callable[..., Emulator]:
    def configure(key: str | None = None, *, write: bool = True) -> Emulator:
        emu = emulator_for(plan="pay-per-use")
        monkeypatch.setenv("COMPAT_BACKEND", "gateway")
        monkeypatch.setenv("COMPAT_GATEWAY_URL", emu.base_url + "/apis/v1")
        monkeypatch.setenv("COMPAT_GATEWAY_API_KEY", key or emu.gateway_key(write=write))
        return emu

    return configure


def test_gateway_key_accepted_writes_through_it_listing_needs_a_read_source(
    gateway_env: Callable[..., Emulator], doctor: Callable[..., Any]
) -> None:
    emu = gateway_env()
    post = unliked(emu)
    run = doctor("--yes", "--probe-write", post, "--json")
    gateway = run.report["gateway"]
    assert gateway["key_accepted"] is True and gateway["writes"] is True
    assert gateway["key"] == "set (from $COMPAT_GATEWAY_API_KEY)"
    assert [(r["call"], r["can"]) for r in run.report["calls"]] == [
        ("favorites/create", True),
        ("favorites/destroy", True),
        ("favorites/list", False),
    ]
    why = run.row("favorites/list")["why"]
    assert "user-context" in why and "X_CONSUMER_KEY" in why  # listing needs X user keys
    assert run.status == 1
    assert sent(emu) == [("GET", "gateway_tweets", 200), ("POST", "gateway_unlike", 200)]
    assert not emu.state.is_liked(emu.user_id, post)
    assert emu.gateway_key() not in run.out


def test_gateway_key_rejected_or_without_like_write(
    gateway_env: Callable[..., Emulator], doctor: Callable[..., Any]
) -> None:
    emu = gateway_env("gw-not-a-key")
    run = doctor("--yes", "--probe-write", unliked(emu), "--json")
    assert run.report["gateway"]["key_accepted"] is False
    assert run.row("favorites/create")["can"] is False
    assert "did not accept the API key" in run.row("favorites/create")["why"]
    emu = gateway_env(write=False)
    run = doctor("--yes", "--probe-write", unliked(emu), "--json")
    assert run.report["gateway"]["key_accepted"] is True
    assert "like.write" in run.row("favorites/destroy")["why"]


def test_gateway_without_the_write_probe_checks_the_key_with_one_read(
    gateway_env: Callable[..., Emulator], doctor: Callable[..., Any]
) -> None:
    emu = gateway_env()
    run = doctor("--yes", "--json")
    assert sent(emu) == [("GET", "gateway_tweets", 200)]
    assert run.report["gateway"]["key_accepted"] is True


def test_gateway_without_consent_sends_nothing(
    gateway_env: Callable[..., Emulator], doctor: Callable[..., Any]
) -> None:
    emu = gateway_env()
    doctor()
    assert emu.requests == []


# -- the emulator option and the command as a process ---------------------------------------------


@pytest.mark.parametrize("plan", PLAN_NAMES)
def test_doctor_emulator_on_each_plan(plan: str, doctor: Callable[..., Any]) -> None:
    run = doctor("--emulator", "--emulator-plan", plan, "--json")
    writes = get_plan(plan).available("like")
    assert run.status == (0 if writes else 1)
    assert run.report["plan"]["inferred"] == plan
    assert run.report["consent"] == "the emulator: nothing real is spent"
    assert run.report["writes"]["possible"] is writes
    assert "v2 emulator at http://127.0.0.1:" in run.err


def test_the_text_report_has_one_row_per_legacy_call(doctor: Callable[..., Any]) -> None:
    run = doctor("--emulator", "--emulator-plan", "pay-per-use")
    assert run.status == 1
    rows = [line.split()[:2] for line in run.out.splitlines() if line.startswith("favorites/")]
    assert rows == [
        ["favorites/create", "cannot"],
        ["favorites/destroy", "cannot"],
        ["favorites/list", "can"],
    ]
    assert "exit status 1: favorites/create, favorites/destroy cannot be served" in run.out


def test_python_m_compat_doctor_emulator() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "compat", "doctor", "--emulator", "--emulator-plan",
         "pay-per-use", "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["version"] == REPORT_VERSION
    assert [r["can"] for r in report["calls"]] == [False, False, True]


# -- plain words for each answer ----------------------------------------------------------------

# PLhery/node-twitter-api-v2#493, as quoted in x-docs-2026/README.md: an OAuth 1.0a app without
# write permission.
OAUTH1_READ_ONLY = (
    403,
    {
        "title": "Forbidden",
        "status": 403,
        "detail": "Your client app is not configured with the appropriate oauth1 app "
        "permissions for this endpoint.",
        "type": "https://api.twitter.com/2/problems/oauth1-permissions",
    },
)


@pytest.mark.parametrize(
    ("found", "write", "oauth2", "words"),
    [
        (bodies.CREDITS_DEPLETED, False, False, "add credits"),
        (bodies.USAGE_CAP, False, False, "next billing cycle, not at x-rate-limit-reset"),
        (bodies.CLIENT_NOT_ENROLLED_NO_TYPE, True, False, "backend='gateway'"),
        (bodies.CLIENT_NOT_ENROLLED, False, False, "attach it to a Project"),
        (bodies.OAUTH2_NO_LIKE_WRITE, True, True, "authorize again with like.write"),
        (bodies.APP_ONLY_ON_USER_CONTEXT, False, False, "user context only"),
        (OAUTH1_READ_ONLY, True, False, "'Read and write'"),
        ((problems.UNAUTHORIZED.status, problems.UNAUTHORIZED.doc()), False, False, "(401)"),
        ((problems.TOO_MANY_REQUESTS.status, problems.TOO_MANY_REQUESTS.doc()), False, False,
         "rate limited (429)"),
        (bodies.DELETED_POST_LIKE, True, False, "X answered 400"),
    ],
)  # fmt: skip
def test_each_answer_is_explained_with_its_way_out(
    found: tuple[Any, ...], write: bool, oauth2: bool, words: str
) -> None:
    status, body = found[0], found[1]
    assert words in explain(api_error_for(status, body), write=write, oauth2=oauth2)


def test_an_api_that_cannot_be_reached_is_said_so(
    emulator_for: Start, export: Callable[..., None], doctor: Callable[..., Any]
) -> None:
    emu = emulator_for()
    export(emu.credentials)
    gone = emu.base_url
    emu.stop()  # nothing listens on that port any more
    run = doctor("--api-base", gone, "--yes", "--json")
    assert run.status == 1
    assert run.probe("users/me")["problem"] == "unreachable"
    assert all("could not be reached" in row["why"] for row in run.report["calls"])
    assert run.probe("liked_tweets")["sent"] is False


def test_keys_x_does_not_accept(
    emulator_for: Start, export: Callable[..., None], doctor: Callable[..., Any]
) -> None:
    emu = emulator_for()
    real = emu.credentials
    export(dataclasses.replace(real, consumer_secret="not-the-secret"))
    run = doctor("--api-base", emu.base_url, "--yes", "--json")
    assert run.status == 1
    assert run.probe("users/me")["problem"] == "unauthorized"
    assert all("did not accept these keys" in row["why"] for row in run.report["calls"])
    assert sent(emu) == [("GET", "users_me", 401)]


def test_a_rate_limited_users_me_does_not_stop_the_other_checks(
    on_plan: Callable[[str], Emulator], doctor: Callable[..., Any]
) -> None:
    emu = on_plan("pay-per-use")
    emu.faults.inject("users_me", "429")
    run = doctor("--api-base", emu.base_url, "--yes", "--json")
    assert run.probe("users/me")["problem"] == "rate-limited"
    assert "until 20" in run.probe("users/me")["outcome"]  # the reset, as a UTC time
    # the OAuth 1.0a token names the user: the listing is still checked
    assert sent(emu) == [("GET", "users_me", 429), ("GET", "liked_tweets", 200)]
    assert run.row("favorites/list")["can"] is True


def test_an_unlike_probe_that_tells_nothing_leaves_the_table_to_decide(
    on_plan: Callable[[str], Emulator], doctor: Callable[..., Any]
) -> None:
    emu = on_plan("enterprise")
    emu.faults.inject("unlike", "503", times=3)
    run = doctor(
        "--api-base", emu.base_url, "--yes", "--probe-write", unliked(emu), "--plan",
        "enterprise", "--json",
    )  # fmt: skip
    assert run.probe("unlike")["problem"] == "server-error"
    assert any("could not tell whether writes work" in n for n in run.report["notes"])
    create = run.row("favorites/create")
    assert (create["can"], create["checked"]) == (True, False)


def test_gateway_read_source_with_an_app_only_bearer_cannot_list(
    gateway_env: Callable[..., Emulator],
    doctor: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    emu = gateway_env()
    monkeypatch.setenv("COMPAT_GATEWAY_SOURCE_BEARER", emu.app_only_bearer)
    monkeypatch.setenv("COMPAT_GATEWAY_USER_ID", emu.user_id)
    monkeypatch.setenv("COMPAT_API_BASE", emu.base_url)
    run = doctor("--yes", "--json")
    listing = run.row("favorites/list")
    assert listing["can"] is False
    assert "app-only bearer token cannot list likes" in listing["why"]
    assert sent(emu) == [("GET", "gateway_tweets", 200)]
    assert emu.app_only_bearer not in run.out


def test_gateway_with_the_linked_accounts_x_keys_lists(
    doctor: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, emulator_for: Start
) -> None:
    emu = emulator_for()
    monkeypatch.setenv("COMPAT_BACKEND", "gateway")
    monkeypatch.setenv("COMPAT_GATEWAY_URL", emu.base_url + "/apis/v1")
    monkeypatch.setenv("COMPAT_GATEWAY_API_KEY", emu.gateway_key())
    creds = emu.credentials  # the linked account's own X user keys, for listing
    monkeypatch.setenv("X_CONSUMER_KEY", str(creds.consumer_key))
    monkeypatch.setenv("X_CONSUMER_SECRET", str(creds.consumer_secret))
    monkeypatch.setenv("X_ACCESS_TOKEN", str(creds.access_token))
    monkeypatch.setenv("X_ACCESS_TOKEN_SECRET", str(creds.access_token_secret))
    monkeypatch.setenv("COMPAT_API_BASE", emu.base_url)
    run = doctor("--yes", "--probe-write", unliked(emu), "--json")
    assert run.status == 0
    assert [(r["can"], r["checked"]) for r in run.report["calls"]] == [(True, True)] * 3


def test_gateway_probe_of_a_post_it_does_not_know_tells_nothing(
    gateway_env: Callable[..., Emulator], doctor: Callable[..., Any]
) -> None:
    gateway_env()
    run = doctor("--yes", "--probe-write", "1", "--json")
    assert run.report["gateway"]["key_accepted"] is True
    assert run.report["gateway"]["writes"] is None
    assert run.row("favorites/create")["checked"] is False


def test_the_docs_excerpt_is_the_real_output(doctor: Callable[..., Any]) -> None:
    section = (ROOT / "docs" / "doctor.md").read_text(encoding="utf-8")
    command = "$ compat doctor --emulator --emulator-plan pay-per-use\n"
    excerpt = section.split(command, 1)[1].split("```", 1)[0]
    run = doctor("--emulator", "--emulator-plan", "pay-per-use")
    real = run.out.splitlines()
    for line in filter(None, excerpt.splitlines()):
        # a line of the excerpt may stop where the real one goes on
        assert any(r.startswith(line) for r in real), line


def test_a_password_in_the_api_base_is_not_shown(
    emulator_for: Start, export: Callable[..., None], doctor: Callable[..., Any]
) -> None:
    emu = emulator_for()
    export(emu.credentials)
    run = doctor("--api-base", "http://someone:hunter2@127.0.0.1:9", "--json")
    assert run.report["api_base"] == "http://127.0.0.1:9"
    assert "hunter2" not in run.out + run.err
