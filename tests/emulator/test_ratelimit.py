"""Rate limits per user and endpoint on a FakeClock: no test sleeps.

The numbers are the default plan's (``enterprise``), read from compat's plans table; each plan
against its own values is in test_plans.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from compat._plans import DEFAULT_PLAN, get_plan
from compat._v2 import WINDOW_15MIN, WINDOW_24H
from compat.emulator import Emulator, FakeClock
from compat.emulator.ratelimit import RateLimiter
from compat.ratelimit import RateLimit
from tests._support.emulator_api import Api, oauth1

TOO_MANY = {
    "title": "Too Many Requests",
    "detail": "Too Many Requests",
    "type": "about:blank",
    "status": 429,
}
PLAN = get_plan(DEFAULT_PLAN)
TWEET = "1293593516040269825"


def per_user(endpoint: str, window_s: int = WINDOW_15MIN) -> int:
    limit = PLAN.window(endpoint, window_s, "user")
    assert limit is not None, (endpoint, window_s)
    return limit.requests


LIKES_15MIN = per_user("like")
LIKES_DAY = per_user("like", WINDOW_24H)


def test_the_default_plan_is_one_where_likes_work(emu: Emulator) -> None:
    assert emu.plan is PLAN and PLAN.terms("like").available and PLAN.terms("unlike").available


def test_like_headers_match_the_recording(api: Api, clock: FakeClock) -> None:
    answer = api.like(TWEET)
    rl = RateLimit.from_headers(answer.headers)
    # tweepy's recording: x-rate-limit-limit 50 on a like (tests/realdata/README.md)
    assert (rl.limit, rl.remaining) == (LIKES_15MIN, LIKES_15MIN - 1) == (50, 49)
    assert rl.reset == int(clock.time()) + WINDOW_15MIN
    assert (rl.day_limit, rl.day_remaining) == (LIKES_DAY, LIKES_DAY - 1)
    assert rl.day_reset == int(clock.time()) + WINDOW_24H


def test_lookups_have_their_table_limit_and_no_day_headers(api: Api) -> None:
    answer = api.get("/2/users/me")
    assert answer.headers["x-rate-limit-limit"] == str(per_user("users_me"))
    assert answer.headers["x-rate-limit-remaining"] == str(per_user("users_me") - 1)
    assert "x-user-limit-24hour-limit" not in answer.headers


def test_one_more_like_than_the_window_allows_is_429_until_it_resets(
    api: Api, emu: Emulator, clock: FakeClock
) -> None:
    for i in range(LIKES_15MIN):
        answer = api.like(TWEET)
        assert answer.status_code == 200, i
    refused = api.like(TWEET)
    assert refused.status_code == 429
    assert refused.json() == TOO_MANY
    assert refused.headers["x-rate-limit-remaining"] == "0"
    assert refused.headers["Content-Type"] == "application/problem+json"
    # unlike has its own 15-minute window; lookups are untouched
    assert api.unlike(TWEET).status_code == 200
    assert api.get("/2/users/me").status_code == 200
    clock.advance(WINDOW_15MIN - 1)
    assert api.like(TWEET).status_code == 429
    clock.advance(1)
    again = api.like(TWEET)
    assert again.status_code == 200
    assert again.headers["x-rate-limit-remaining"] == str(LIKES_15MIN - 1)
    # the refused likes did not count; the unlike counts in the like's day window only if
    # the table says the two share it
    shared = PLAN.day_window("like").shared  # type: ignore[union-attr]
    used = LIKES_15MIN + 1 + (1 if shared else 0)
    assert again.headers["x-user-limit-24hour-remaining"] == str(LIKES_DAY - used)


def test_limits_are_per_user(api: Api, emu: Emulator, make_api: Any) -> None:
    for _ in range(LIKES_15MIN):
        api.like(TWEET)
    assert api.like(TWEET).status_code == 429
    other = make_api(emu, oauth1(emu.credentials_for("tweepytest")))
    uid = emu.credentials_for("tweepytest").token_user_id()
    assert other.like(TWEET, user_id=uid).status_code == 200


def test_the_day_cap_holds_across_15_minute_windows(
    api: Api, emu: Emulator, clock: FakeClock
) -> None:
    emu.rate_limits.scale(0.05)  # same rules, fewer requests
    per_window = max(1, int(LIKES_15MIN * 0.05))
    per_day = max(1, int(LIKES_DAY * 0.05))
    done = 0
    for _window in range(per_day // per_window + 2):
        answer = None
        for _ in range(per_window):
            answer = api.like(TWEET)
            if answer.status_code == 429:
                break
            done += 1
        assert answer is not None
        if answer.status_code == 429:
            break
        clock.advance(WINDOW_15MIN)
    assert done == per_day
    assert answer.headers["x-user-limit-24hour-remaining"] == "0"
    assert answer.headers["x-rate-limit-remaining"] != "0"  # the 15-minute window had room
    clock.advance(WINDOW_15MIN)
    assert api.like(TWEET).status_code == 429  # still the same 24 hours
    assert api.unlike(TWEET).status_code == (429 if PLAN.day_window("like").shared else 200)  # type: ignore[union-attr]
    clock.advance(WINDOW_24H)
    assert api.like(TWEET).status_code == 200


def test_lift_scale_cap_reset(api: Api, emu: Emulator) -> None:
    emu.rate_limits.scale(1 / LIKES_15MIN)  # 1 like per window
    assert api.like(TWEET).status_code == 200
    assert api.like(TWEET).status_code == 429
    emu.rate_limits.lift()
    for _ in range(LIKES_15MIN + 10):
        assert api.like(TWEET).status_code == 200
    emu.rate_limits.reset()
    answer = api.like(TWEET)
    assert answer.status_code == 200
    assert answer.headers["x-rate-limit-remaining"] == str(LIKES_15MIN - 1)
    emu.rate_limits.cap(1)  # one request per endpoint and 15 minutes; the day window stays
    assert api.get("/2/tweets", ids=TWEET).status_code == 200
    limited = api.get("/2/tweets", ids=TWEET)
    assert limited.status_code == 429 and limited.headers["x-rate-limit-limit"] == "1"
    assert api.unlike(TWEET).headers["x-user-limit-24hour-limit"] == str(LIKES_DAY)


def test_rate_limits_false_starts_lifted() -> None:
    with Emulator(rate_limits=False, clock=FakeClock()) as emu:
        api = Api(emu, oauth1(emu.credentials))
        try:
            for _ in range(per_user("users_me") + 5):
                assert api.get("/2/users/me").status_code == 200
        finally:
            api.close()


def test_refused_requests_do_not_count() -> None:
    limiter = RateLimiter(FakeClock(start=0))
    limit = per_user("liked_tweets")
    for _ in range(limit):
        assert limiter.hit("user:1", "liked_tweets")[0]
    for _ in range(5):
        assert not limiter.hit("user:1", "liked_tweets")[0]
    assert limiter.retry_after(limiter.hit("user:1", "liked_tweets")[1]) == WINDOW_15MIN
    assert limiter.peek("user:1", "liked_tweets")["x-rate-limit-remaining"] == "0"


def test_peek_counts_nothing_and_starts_no_window() -> None:
    clock = FakeClock(start=0)
    limiter = RateLimiter(clock)
    assert limiter.peek("user:1", "like")["x-rate-limit-remaining"] == str(LIKES_15MIN)
    clock.advance(100)
    assert limiter.hit("user:1", "like")[1]["x-rate-limit-reset"] == str(100 + WINDOW_15MIN)


@pytest.mark.parametrize("factor", [0, -1, float("inf")])
def test_scale_rejects_nonsense(factor: float) -> None:
    with pytest.raises(ValueError):
        RateLimiter(FakeClock()).scale(factor)


@pytest.mark.parametrize(("requests", "window_s"), [(0, 900), (True, 900), (1, 60), ("2", 900)])
def test_cap_rejects_nonsense(requests: object, window_s: int) -> None:
    with pytest.raises(ValueError):
        RateLimiter(FakeClock()).cap(requests, window_s=window_s)  # type: ignore[arg-type]
