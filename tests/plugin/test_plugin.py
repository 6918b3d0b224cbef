"""compat's pytest plugin as a user's project meets it: the fixtures, their options, the shim
installed for one test only, and a user's own vcrpy cassette answering next to it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

# Imported here so the in-process inner runs share them: pytester drops the modules a run
# imported, and PyYAML's C loader (under vcrpy) does not survive being imported twice.
import vcr  # noqa: F401

from tests._support import ROOT
from tests._support.docs import all_blocks

from .conftest import PLUGIN_ARGS

Run = Callable[..., pytest.RunResult]

LIST_V11 = "https://api.twitter.com/1.1/favorites/list.json"

SIGNED = """
import os

import requests
from requests_oauthlib import OAuth1


def legacy_favorites(count):
    # a legacy program: v1.1 URL, OAuth 1.0a keys from the environment
    auth = OAuth1(*(os.environ[n] for n in (
        "X_CONSUMER_KEY", "X_CONSUMER_SECRET", "X_ACCESS_TOKEN", "X_ACCESS_TOKEN_SECRET")))
    return requests.get(
        "https://api.twitter.com/1.1/favorites/list.json", params={"count": count}, auth=auth,
        timeout=10)
"""


def test_the_entry_point_is_declared() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '[project.entry-points.pytest11]\ncompat = "compat.pytest_plugin"\n' in pyproject


def test_compat_shim_serves_legacy_code_from_x_emulator(
    pytester: pytest.Pytester, run_inner: Run
) -> None:
    pytester.makepyfile(
        legacy=SIGNED,
        test_it="""
        import pytest
        from legacy import legacy_favorites

        @pytest.mark.x_emulator(likes=30)
        def test_list(compat_shim):
            answer = legacy_favorites(count=20)
            assert answer.status_code == 200
            statuses = answer.json()
            assert len(statuses) == 20 and all(s["favorited"] for s in statuses)
            assert [r.endpoint for r in compat_shim.requests] == ["liked_tweets"]
            assert compat_shim.requests[0].path == f"/2/users/{compat_shim.user_id}/liked_tweets"
        """,
    )
    run_inner().assert_outcomes(passed=1)


def test_the_marker_sets_plan_likes_and_faults(pytester: pytest.Pytester, run_inner: Run) -> None:
    pytester.makepyfile(
        legacy=SIGNED,
        test_it="""
        import pytest
        from legacy import legacy_favorites

        @pytest.mark.x_emulator(plan="pay-per-use", likes=7)
        def test_plan(x_emulator):
            assert x_emulator.plan.name == "pay-per-use"
            assert len(x_emulator.dataset.initial_likes(x_emulator.user_id)) >= 7

        @pytest.mark.x_emulator(screen_name="legacy_bot")
        def test_screen_name(x_emulator):
            assert x_emulator.dataset.user(x_emulator.user_id)["username"] == "legacy_bot"

        @pytest.mark.x_emulator(faults=[("liked_tweets", "503", 9)])
        def test_fault(compat_shim):
            answer = legacy_favorites(count=5)
            # v1.1's "over capacity" answer, after compat's bounded retries of the 503
            assert answer.status_code == 503 and answer.json()["errors"][0]["code"] == 130
            assert {r.status for r in compat_shim.requests} == {503}
        """,
    )
    run_inner().assert_outcomes(passed=3)


def test_indirect_parametrisation_and_the_function_scope(
    pytester: pytest.Pytester, run_inner: Run
) -> None:
    pytester.makepyfile(
        test_it="""
        import pytest

        SEEN = []

        @pytest.mark.parametrize("x_emulator", [{"likes": 3}, {"plan": "pay-per-use"}],
                                 indirect=True)
        def test_each(x_emulator):
            SEEN.append((x_emulator.base_url, x_emulator.plan.name))

        def test_a_new_emulator_each_time():
            (url_a, plan_a), (url_b, plan_b) = SEEN
            assert url_a != url_b and (plan_a, plan_b) == ("enterprise", "pay-per-use")
        """
    )
    run_inner().assert_outcomes(passed=3)


def test_the_session_emulator_is_shared_and_stopped_at_the_end(
    pytester: pytest.Pytester, run_inner: Run
) -> None:
    pytester.makepyfile(
        test_a="""
        import requests

        URLS = []

        def test_one(x_emulator_session):
            URLS.append(x_emulator_session.base_url)

        def test_two(x_emulator_session):
            assert URLS == [x_emulator_session.base_url]
            assert requests.get(URLS[0] + "/2/users/me", timeout=5).status_code == 401
        """,
        test_z="""
        import pytest
        import requests
        from test_a import URLS

        def test_the_same_one_in_another_module(x_emulator_session):
            assert x_emulator_session.base_url == URLS[0]
        """,
        conftest="""
        import requests

        def pytest_sessionfinish(session):
            from test_a import URLS
            try:
                requests.get(URLS[0] + "/2/users/me", timeout=5)
            except requests.ConnectionError:
                print("EMULATOR STOPPED")
        """,
    )
    result = run_inner("-s")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["*EMULATOR STOPPED*"])


def test_the_shim_and_the_keys_are_gone_after_the_test(
    pytester: pytest.Pytester, run_inner: Run
) -> None:
    pytester.makepyfile(
        test_it="""
        import os
        from compat.patch import installed

        def test_with(compat_shim):
            assert installed() and os.environ["X_CONSUMER_KEY"]

        def test_after():
            assert not installed()
            assert "X_CONSUMER_KEY" not in os.environ
        """
    )
    run_inner("-p", "no:randomly").assert_outcomes(passed=2)


CASSETTE = """\
interactions:
- request:
    body: null
    headers: {}
    method: GET
    uri: https://api.twitter.com/1.1/favorites/list.json?count=1
  response:
    status: {code: 200, message: OK}
    headers:
      content-type: [application/json;charset=utf-8]
    body: {string: '[{"id": 1, "id_str": "1", "text": "from my cassette", "favorited": true}]'}
version: 1
"""


def test_a_users_own_cassette_answers_under_compat_disabled(
    pytester: pytest.Pytester, run_inner: Run
) -> None:
    pytester.makefile(".yaml", favorites=CASSETTE)
    pytester.makepyfile(
        legacy=SIGNED,
        test_it="""
        import pytest
        import vcr
        from legacy import legacy_favorites

        REPLAY = vcr.VCR(record_mode="none", match_on=["method", "host", "path"])

        @pytest.mark.compat_disabled
        def test_replayed_from_my_cassette(compat_shim):
            with REPLAY.use_cassette("favorites.yaml"):
                statuses = legacy_favorites(count=1).json()
            assert statuses[0]["text"] == "from my cassette"
            assert compat_shim.requests == []   # the shim let it through to vcrpy

        @pytest.mark.x_emulator(likes=3)
        def test_without_the_marker_the_shim_answers(compat_shim):
            # the shim's own v2 requests go to the emulator on 127.0.0.1: vcrpy lets them pass
            with REPLAY.use_cassette("favorites.yaml", ignore_localhost=True):
                statuses = legacy_favorites(count=1).json()
            assert statuses[0]["text"] != "from my cassette"
            assert [r.endpoint for r in compat_shim.requests] == ["liked_tweets"]
        """,
    )
    run_inner().assert_outcomes(passed=2)


def test_bad_options_are_a_clear_error(pytester: pytest.Pytester, run_inner: Run) -> None:
    pytester.makepyfile(
        test_it="""
        import pytest

        @pytest.mark.x_emulator(plan="platinum")
        def test_plan(x_emulator):
            pass

        @pytest.mark.x_emulator(faults=[("liked_tweets",)])
        def test_fault(x_emulator):
            pass

        @pytest.mark.x_emulator(faults=[("nowhere", "503")])
        def test_endpoint(x_emulator):
            pass

        @pytest.mark.x_emulator("enterprise")
        def test_positional(x_emulator):
            pass

        @pytest.mark.x_emulator(faults={"kind": "503"})
        def test_no_endpoint(x_emulator):
            pass

        @pytest.mark.parametrize("x_emulator", ["enterprise"], indirect=True)
        def test_param(x_emulator):
            pass

        @pytest.mark.x_emulator(faults={"endpoint": "like", "kind": "503", "times": 2})
        def test_one_fault_as_a_dict_is_fine(x_emulator):
            assert [(f.endpoint, f.remaining) for f in x_emulator.faults.pending()] == [
                ("like", 2)
            ]
        """
    )
    result = run_inner()
    result.assert_outcomes(errors=6, passed=1)
    result.stdout.fnmatch_lines(
        [
            "*UsageError: x_emulator: *platinum*",
            "*UsageError: x_emulator: a fault is (endpoint, kind*) or a dict*",
            "*UsageError: x_emulator: fault {'endpoint': 'nowhere'*",
            "*UsageError: x_emulator marker: options are keywords only*",
            "*UsageError: x_emulator: a fault needs an endpoint and a kind*",
            "*UsageError: x_emulator: an indirect parameter is a dict of options*",
        ]
    )


def test_the_markers_are_registered_for_strict_markers(
    pytester: pytest.Pytester, run_inner: Run
) -> None:
    result = run_inner("--markers")
    result.stdout.fnmatch_lines(
        ["@pytest.mark.x_emulator(**options):*", "@pytest.mark.compat_disabled:*"]
    )


def test_a_project_that_uses_no_fixture_pays_nothing(pytester: pytest.Pytester) -> None:
    """Registered but unused: the inner session (a fresh interpreter) imports neither the
    emulator nor the shim, nor requests through compat."""
    pytester.makepyfile(
        test_it="""
        import sys

        def test_nothing_loaded(request):
            assert request.config.pluginmanager.hasplugin("compat.pytest_plugin") or \\
                request.config.pluginmanager.hasplugin("compat")
            loaded = {m for m in sys.modules if m.startswith("compat")}
            assert not {"compat.emulator", "compat.patch", "compat.adapter"} & loaded, loaded
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", *PLUGIN_ARGS)
    result.assert_outcomes(passed=1)


DOC_TEST_MODULES = [b for b in all_blocks() if b.opt_out is None and b.is_test_module]


def test_the_docs_test_examples_pass_as_written(pytester: pytest.Pytester, run_inner: Run) -> None:
    """The examples that are pytest modules (README.md, docs/pytest.md) run as a user's test
    files, with the plugin and nothing else."""
    assert len(DOC_TEST_MODULES) >= 4
    tests = 0
    for number, block in enumerate(DOC_TEST_MODULES):
        pytester.makepyfile(**{f"test_doc_{number}": block.code})
        tests += block.code.count("\ndef test_") + block.code.startswith("def test_")
    # the parametrised example is two tests
    tests += sum(b.code.count("indirect=True") for b in DOC_TEST_MODULES)
    result = run_inner("-p", "no:randomly")
    result.assert_outcomes(passed=tests)
