"""Each plan of compat's plans table, served: endpoints offered, limits, caps, the 2026 refusals.

Every expected value is read from the table (:mod:`compat._plans`) or is a failure body seen
in the wild (``tests._support.failure_bodies``, verbatim from x-docs-2026/README.md), never
written down here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from compat import _v2
from compat._plans import Limit, Plan, plans
from compat._v2 import WINDOW_24H
from compat.emulator import Emulator, FakeClock, unknowns
from compat.emulator.ratelimit import RateLimiter
from tests._support import failure_bodies as seen
from tests._support.emulator_api import Api, Bearer, oauth1

PLANS = sorted(plans())
POST = "1293593516040269825"
LIKED_BY_DEFAULT_USER = 5  # synthetic likes for the listing tests


@pytest.fixture(params=PLANS)
def plan_emu(request: pytest.FixtureRequest, clock: FakeClock) -> Iterator[Emulator]:
    with Emulator(plan=request.param, clock=clock, likes=LIKED_BY_DEFAULT_USER) as emulator:
        yield emulator


@pytest.fixture
def plan_api(plan_emu: Emulator) -> Iterator[Api]:
    client = Api(plan_emu, oauth1(plan_emu.credentials))
    yield client
    client.close()


def _call(api: Api, endpoint: str) -> requests.Response:
    """One request to ``endpoint`` for the default user, with valid parameters."""
    emu = api.emu
    paths = {
        "users_me": ("GET", "/2/users/me"),
        "user_by_id": ("GET", f"/2/users/{emu.user_id}"),
        "user_by_username": ("GET", "/2/users/by/username/TweepyDev"),
        "tweets": ("GET", f"/2/tweets?ids={POST}"),
        "tweet": ("GET", f"/2/tweets/{POST}"),
        "liked_tweets": ("GET", f"/2/users/{emu.user_id}/liked_tweets"),
        "liking_users": ("GET", f"/2/tweets/{POST}/liking_users"),
        "like": ("POST", f"/2/users/{emu.user_id}/likes"),
        "unlike": ("DELETE", f"/2/users/{emu.user_id}/likes/{POST}"),
        "users": ("GET", f"/2/users?ids={emu.user_id}"),
        "users_by_usernames": ("GET", "/2/users/by?usernames=TweepyDev"),
        "user_tweets": ("GET", f"/2/users/{emu.user_id}/tweets"),
        "search_recent": ("GET", "/2/tweets/search/recent?query=from%3ATweepyDev"),
    }
    method, path = paths[endpoint]
    body = {"tweet_id": POST} if endpoint == "like" else None
    return api.request(method, path, json=body)


def _offered(plan: Plan) -> list[str]:
    return [e for e in _v2.ROUTES if plan.terms(e).available]


def _not_offered(plan: Plan) -> list[str]:
    return [e for e in _v2.ROUTES if e in plan.endpoints and not plan.terms(e).available]


# -- which endpoints each plan offers ---------------------------------------------------------
def test_the_table_lists_every_endpoint_the_emulator_serves() -> None:
    for name in PLANS:
        assert set(plans()[name].endpoints) == set(_v2.ROUTES), name


def test_unoffered_endpoints_are_refused_as_a_self_serve_app_is(
    plan_emu: Emulator, plan_api: Api
) -> None:
    for endpoint in _not_offered(plan_emu.plan):
        answer = _call(plan_api, endpoint)
        status, body = seen.CLIENT_NOT_ENROLLED_NO_TYPE  # the chosen one (see unknowns)
        assert (answer.status_code, answer.json()) == (status, body), endpoint
        assert answer.headers["Content-Type"] == "application/problem+json"
        assert "x-rate-limit-limit" not in answer.headers  # refused before any counting
    assert plan_emu.state.liked(plan_emu.user_id)[:1] != [POST]  # nothing was liked
    for endpoint in _offered(plan_emu.plan):
        assert _call(plan_api, endpoint).status_code == 200, endpoint


def test_pay_per_use_refuses_like_and_unlike_and_enterprise_serves_them() -> None:
    payg, enterprise = plans()["pay-per-use"], plans()["enterprise"]
    assert not payg.terms("like").available and not payg.terms("unlike").available
    assert enterprise.terms("like").available and enterprise.terms("unlike").available
    with Emulator(plan="pay-per-use") as emu:
        api = Api(emu, Bearer(emu.oauth2_credentials().bearer_token or ""))
        try:
            refused = api.like(POST)
        finally:
            api.close()
    assert (refused.status_code, refused.json()) == seen.CLIENT_NOT_ENROLLED_NO_TYPE
    assert unknowns.PLAN_REFUSAL.body == seen.CLIENT_NOT_ENROLLED_NO_TYPE[1]


# -- the limits of each plan ------------------------------------------------------------------
def _exhaust(limiter: RateLimiter, clock: FakeClock, who: str, endpoint: str, window: Limit) -> int:
    """How many requests ``window`` lets through: hit until refused; when a shorter window
    refused, move to its next window, as long as ``window`` lasts."""
    shorter = [
        w.window_s
        for w in limiter.plan.limits(endpoint, window.per)
        if w.window_s < window.window_s
    ]
    step = min(shorter, default=window.window_s)
    end = clock.time() + window.window_s
    allowed = 0
    while True:
        ok, _headers = limiter.hit(who, endpoint)
        if ok:
            allowed += 1
            continue
        if clock.time() + step >= end:
            return allowed
        clock.advance(step)


def _windows() -> list[tuple[str, str, Limit]]:
    return [
        (name, endpoint, window)
        for name in PLANS
        for endpoint in _offered(plans()[name])
        for window in plans()[name].terms(endpoint).limits
    ]


@pytest.mark.parametrize(
    ("plan", "endpoint", "window"),
    _windows(),
    ids=lambda v: v if isinstance(v, str) else f"{v.requests}/{v.window_s}s/{v.per}",
)
def test_every_window_of_the_table_is_enforced(plan: str, endpoint: str, window: Limit) -> None:
    clock = FakeClock(start=0)
    limiter = RateLimiter(clock, plan=plans()[plan])
    who = f"{window.per}:1"
    assert _exhaust(limiter, clock, who, endpoint, window) == window.requests
    assert not limiter.hit(who, endpoint)[0]
    clock.set(window.window_s)  # the window, counted from the first request, is over
    assert limiter.hit(who, endpoint)[0]
    # another caller has windows of their own
    assert limiter.hit(f"{window.per}:2", endpoint)[0]


def test_each_answer_carries_the_tightest_window_of_the_table(
    plan_emu: Emulator, plan_api: Api
) -> None:
    for endpoint in _offered(plan_emu.plan):
        answer = _call(plan_api, endpoint)
        assert answer.status_code == 200, endpoint
        windows = plan_emu.plan.limits(endpoint, "user")
        short = [w for w in windows if w.window_s < WINDOW_24H] or list(windows)
        tightest = min(short, key=lambda w: w.requests)
        assert answer.headers["x-rate-limit-limit"] == str(tightest.requests), endpoint
        assert answer.headers["x-rate-limit-remaining"] == str(tightest.requests - 1), endpoint
        reset = int(plan_emu.now()) + tightest.window_s
        assert answer.headers["x-rate-limit-reset"] == str(reset), endpoint
        day = plan_emu.plan.day_window(endpoint)
        if day is None:
            assert "x-user-limit-24hour-limit" not in answer.headers, endpoint
        else:
            assert answer.headers["x-user-limit-24hour-limit"] == str(day.requests), endpoint


def test_app_only_callers_count_in_the_per_app_window(make_api: Any) -> None:
    for name in PLANS:
        with Emulator(plan=name, clock=FakeClock()) as emu:
            app = make_api(emu, Bearer(emu.app_only_bearer))
            answer = app.get(f"/2/tweets/{POST}")
            assert answer.status_code == 200
            limit = emu.plan.limits("tweet", "app")[0].requests
            assert answer.headers["x-rate-limit-limit"] == str(limit), name


# -- the refusals of 2026, on every plan ------------------------------------------------------
@pytest.mark.parametrize("endpoint", ["liked_tweets", "liking_users"])
def test_app_only_bearers_are_refused_on_likes_lookups_on_every_plan(
    plan_emu: Emulator, make_api: Any, endpoint: str
) -> None:
    app = make_api(plan_emu, Bearer(plan_emu.app_only_bearer))
    answer = _call(app, endpoint)
    assert (answer.status_code, answer.json()) == seen.APP_ONLY_ON_USER_CONTEXT


def test_another_users_likes_are_empty_on_every_plan(
    plan_emu: Emulator, plan_api: Api, clock: FakeClock
) -> None:
    other = plan_emu.dataset.user_id_for("tweepytest")
    answer = plan_api.get(f"/2/users/{other}/liked_tweets")
    assert (answer.status_code, answer.json()) == (200, unknowns.OTHER_USERS_LIKED_TWEETS.doc())
    clock.advance(WINDOW_24H)  # legacy-free allows one listing per 15 minutes
    own = plan_api.get(f"/2/users/{plan_emu.user_id}/liked_tweets").json()
    assert own["meta"]["result_count"] == LIKED_BY_DEFAULT_USER


def test_credits_run_out_on_demand_and_come_back(plan_emu: Emulator, plan_api: Api) -> None:
    plan_emu.credits.deplete()
    for endpoint in _v2.ROUTES:
        answer = _call(plan_api, endpoint)
        if endpoint in _not_offered(plan_emu.plan):
            assert answer.status_code == 403, endpoint  # not offered at all comes first
            continue
        assert (answer.status_code, answer.json()) == seen.CREDITS_DEPLETED, endpoint
        assert answer.headers["Content-Type"] == "application/problem+json"
    plan_emu.credits.refill()
    assert _call(plan_api, "users_me").status_code == 200


def test_credits_may_run_out_after_n_billed_answers(emu: Emulator, api: Api) -> None:
    emu.credits.deplete(after=2)
    assert api.get("/2/users/by/username/nobody_at_all").status_code == 200  # no data: free
    assert [api.get("/2/users/me").status_code for _ in range(3)] == [200, 200, 402]


def test_the_monthly_cap_is_the_tables(plan_emu: Emulator) -> None:
    assert plan_emu.usage_cap.limit == plan_emu.plan.monthly_post_cap
    assert not plan_emu.usage_cap.reached


def test_a_reached_cap_refuses_post_reads_and_does_not_lift_at_the_reset(
    plan_emu: Emulator, plan_api: Api, clock: FakeClock
) -> None:
    plan_emu.usage_cap.reach()
    capped = _call(plan_api, "liked_tweets")
    assert (capped.status_code, capped.json()) == seen.USAGE_CAP
    # as recorded (limit 40000, remaining 39999): the ordinary headers of a counted request,
    # so nobody takes it for an exhausted rate limit (unless the window really is used up)...
    assert set(seen.USAGE_CAP_HEADERS) <= set(capped.headers)
    limit = plan_emu.plan.user_limit_15min("liked_tweets")
    assert capped.headers["x-rate-limit-limit"] == str(limit)
    assert capped.headers["x-rate-limit-remaining"] == str(limit - 1)  # type: ignore[operator]
    # ...and waiting for x-rate-limit-reset (what a retry loop does) changes nothing
    clock.set(int(capped.headers["x-rate-limit-reset"]) + 1)
    assert _call(plan_api, "liked_tweets").json() == seen.USAGE_CAP[1]
    clock.advance(WINDOW_24H)
    for endpoint in ("tweets", "tweet", "liked_tweets"):
        assert _call(plan_api, endpoint).status_code == 429, endpoint
    assert _call(plan_api, "users_me").status_code == 200  # user reads are not post reads
    plan_emu.usage_cap.reset()  # a new billing cycle
    clock.advance(WINDOW_24H)  # (on legacy-free the capped answers used the window up)
    assert _call(plan_api, "liked_tweets").status_code == 200


def test_post_reads_count_toward_the_cap_once_per_utc_day(clock: FakeClock, make_api: Any) -> None:
    clock.set(1_700_006_400)  # 2023-11-15T00:00:00Z, the start of a UTC day
    with Emulator(plan="pay-per-use", clock=clock, likes=3) as emu:
        api = make_api(emu, oauth1(emu.credentials))
        assert emu.usage_cap.limit == plans()["pay-per-use"].monthly_post_cap == 3_000_000
        emu.usage_cap.set(4)  # the table's cap, lowered for the test
        listed = api.get(f"/2/users/{emu.user_id}/liked_tweets").json()
        ids = [t["id"] for t in listed["data"]]
        assert emu.usage_cap.used == 3
        assert api.get("/2/tweets", ids=",".join(ids)).status_code == 200
        assert emu.usage_cap.used == 3  # the same posts, the same UTC day
        clock.advance(WINDOW_24H - 1)
        assert api.get(f"/2/tweets/{ids[0]}").status_code == 200
        assert emu.usage_cap.used == 3
        clock.advance(1)  # the next UTC day: read again, counted again
        assert api.get(f"/2/tweets/{ids[0]}").status_code == 200
        assert emu.usage_cap.used == 4 and emu.usage_cap.reached
        capped = api.get(f"/2/tweets/{ids[1]}")
        assert (capped.status_code, capped.json()) == seen.USAGE_CAP
        # the expansions are post reads too
        emu.usage_cap.reset()
        emu.usage_cap.set(None)
        real = "1626194750222094336"  # quotes another post (socialfoundations' recording)
        expanded = api.get(f"/2/tweets/{real}", expansions="referenced_tweets.id").json()
        assert len(expanded["includes"]["tweets"]) == 1
        assert emu.usage_cap.used == 2


def test_failed_and_empty_answers_are_not_billed(emu: Emulator, api: Api) -> None:
    emu.usage_cap.set(10)
    assert api.get("/2/tweets/1").json()["errors"]  # not found: no data
    assert api.get("/2/tweets/abc").status_code == 400
    assert emu.usage_cap.used == 0


def test_reset_refills_credits_and_starts_a_new_cycle(emu: Emulator, api: Api) -> None:
    emu.credits.deplete()
    emu.usage_cap.reach()
    emu.reset()
    assert not emu.credits.depleted and not emu.usage_cap.reached
    assert api.get(f"/2/users/{emu.user_id}/liked_tweets").status_code == 200


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("credits", seen.CREDITS_DEPLETED),
        ("usage-capped", seen.USAGE_CAP),
        ("client-not-enrolled", seen.CLIENT_NOT_ENROLLED_NO_TYPE),
        ("client-forbidden", seen.CLIENT_NOT_ENROLLED),
    ],
)
def test_each_2026_refusal_is_a_fault_kind_too(
    emu: Emulator, api: Api, kind: str, expected: tuple[int, Any]
) -> None:
    emu.faults.inject("like", kind)
    answer = api.like(POST)
    assert (answer.status_code, answer.json()) == expected
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert api.like(POST).status_code == 200  # one request only
    if kind == "usage-capped":
        assert answer.headers["x-rate-limit-remaining"] != "0"


def test_refusals_come_in_the_order_of_the_unknowns(make_api: Any) -> None:
    assert unknowns.REFUSAL_ORDER == ("plan", "credits", "path-user", "rate-limit", "usage-cap")
    with Emulator(plan="pay-per-use", clock=FakeClock()) as emu:
        api = make_api(emu, oauth1(emu.credentials))
        other = str(emu.dataset.user_id_for("tweepytest"))
        emu.credits.deplete()
        emu.usage_cap.reach()
        assert api.like(POST, user_id=other).json() == unknowns.PLAN_REFUSAL.body  # plan
        assert api.get("/2/users/me").json() == seen.CREDITS_DEPLETED[1]  # then credits
        emu.credits.refill()
        emu.rate_limits.cap(1)
        assert api.get(f"/2/tweets/{POST}").json() == seen.USAGE_CAP[1]  # counted, then capped
        assert api.get(f"/2/tweets/{POST}").json()["title"] == "Too Many Requests"
