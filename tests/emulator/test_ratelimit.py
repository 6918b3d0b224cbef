"""Rate limits per user and endpoint on a FakeClock: no test sleeps."""

from __future__ import annotations

from typing import Any

import pytest

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


def posts(emu: Emulator, n: int) -> list[str]:
    return sorted(emu.dataset.tweets)[:n]


def test_like_headers_match_the_recording(api: Api, clock: FakeClock) -> None:
    answer = api.like("1293593516040269825")
    rl = RateLimit.from_headers(answer.headers)
    assert (rl.limit, rl.remaining) == (50, 49)
    assert rl.reset == int(clock.time()) + 900
    assert (rl.day_limit, rl.day_remaining) == (1000, 999)
    assert rl.day_reset == int(clock.time()) + 86_400


def test_lookups_have_75_and_no_day_headers(api: Api) -> None:
    answer = api.get("/2/users/me")
    assert answer.headers["x-rate-limit-limit"] == "75"
    assert answer.headers["x-rate-limit-remaining"] == "74"
    assert "x-user-limit-24hour-limit" not in answer.headers


def test_51st_like_is_429_until_the_window_resets(
    api: Api, emu: Emulator, clock: FakeClock
) -> None:
    tweet = "1293593516040269825"
    for i in range(50):
        answer = api.like(tweet)
        assert answer.status_code == 200, i
    refused = api.like(tweet)
    assert refused.status_code == 429
    assert refused.json() == TOO_MANY
    assert refused.headers["x-rate-limit-remaining"] == "0"
    assert refused.headers["Content-Type"] == "application/problem+json"
    # unlike has its own 15-minute window; lookups are untouched
    assert api.unlike(tweet).status_code == 200
    assert api.get("/2/users/me").status_code == 200
    clock.advance(899)
    assert api.like(tweet).status_code == 429
    clock.advance(1)
    again = api.like(tweet)
    assert again.status_code == 200
    assert again.headers["x-rate-limit-remaining"] == "49"
    assert again.headers["x-user-limit-24hour-remaining"] == str(1000 - 52)


def test_limits_are_per_user(api: Api, emu: Emulator, make_api: Any) -> None:
    for _ in range(50):
        api.like("1293593516040269825")
    assert api.like("1293593516040269825").status_code == 429
    other = make_api(emu, oauth1(emu.credentials_for("tweepytest")))
    uid = emu.credentials_for("tweepytest").token_user_id()
    assert other.like("1293593516040269825", user_id=uid).status_code == 200


def test_day_cap_of_1000_is_shared_by_like_and_unlike(
    api: Api, emu: Emulator, clock: FakeClock
) -> None:
    emu.rate_limits.scale(0.05)  # 2 per 15 min each, 50 per day: same rules, fewer requests
    tweet = "1293593516040269825"
    done = 0
    for _window in range(30):
        for call in (api.like, api.like, api.unlike, api.unlike):
            answer = call(tweet)
            if answer.status_code == 429:
                break
            done += 1
        else:
            clock.advance(900)
            continue
        break
    assert done == 50
    assert answer.headers["x-user-limit-24hour-remaining"] == "0"
    assert answer.headers["x-rate-limit-remaining"] != "0"  # the 15-minute window had room
    clock.advance(900)
    assert api.like(tweet).status_code == 429  # still the same 24 hours
    clock.advance(86_400)
    assert api.like(tweet).status_code == 200


def test_lift_scale_reset(api: Api, emu: Emulator) -> None:
    emu.rate_limits.scale(0.02)  # 1 like per window
    assert api.like("1293593516040269825").status_code == 200
    assert api.like("1293593516040269825").status_code == 429
    emu.rate_limits.lift()
    for _ in range(60):
        assert api.like("1293593516040269825").status_code == 200
    emu.rate_limits.reset()
    answer = api.like("1293593516040269825")
    assert answer.status_code == 200
    assert answer.headers["x-rate-limit-remaining"] == "49"


def test_rate_limits_false_starts_lifted() -> None:
    with Emulator(rate_limits=False, clock=FakeClock()) as emu:
        api = Api(emu, oauth1(emu.credentials))
        try:
            for _ in range(80):
                assert api.get("/2/users/me").status_code == 200
        finally:
            api.close()


def test_refused_requests_do_not_count() -> None:
    limiter = RateLimiter(FakeClock(start=0))
    for _ in range(75):
        assert limiter.hit("user:1", "tweets")[0]
    for _ in range(5):
        assert not limiter.hit("user:1", "tweets")[0]
    assert limiter.retry_after(limiter.hit("user:1", "tweets")[1]) == 900


@pytest.mark.parametrize("factor", [0, -1, float("inf")])
def test_scale_rejects_nonsense(factor: float) -> None:
    with pytest.raises(ValueError):
        RateLimiter(FakeClock()).scale(factor)
