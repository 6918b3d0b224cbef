"""What the real legacy libraries raise on the 2026 failure bodies, under ``compat.install()``:
tweepy 4, python-twitter 3.5 and Twython 3.9.1 (tweepy 3.10.0: tests/adapter_tweepy3).

The bodies are the real ones (tests/_support/failure_bodies.py), served by a scripted v2
stand-in on 127.0.0.1 (tests/_support/scripted_v2.py); the 24-hour window is the emulator's own.
"""

from __future__ import annotations

import dataclasses
import importlib
import types
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import tweepy  # type: ignore[import-untyped]
import twitter  # type: ignore[import-untyped]
import twython  # type: ignore[import-untyped]

from compat import Credentials
from compat import patch as compat_patch
from compat._v2 import WINDOW_15MIN, WINDOW_24H
from compat.emulator import Emulator, FakeClock
from compat.transport import RetryPolicy
from tests._support.adapter import REAL_TWEET, no_sleep
from tests._support.failure_bodies import (
    CLIENT_NOT_ENROLLED,
    CLIENT_NOT_ENROLLED_NO_TYPE,
    CREDITS_DEPLETED,
    NOT_AUTHORIZED_POST_ID,
    NOT_AUTHORIZED_POST_LOOKUP,
    OAUTH2_NO_LIKE_WRITE,
    SUSPENDED_USER_LOOKUP,
    USAGE_CAP,
    USAGE_CAP_HEADERS,
    V11_ACCESS_LEVEL_453,
)
from tests._support.failure_bodies import V11_NOT_AUTHORIZED_179 as V11_179
from tests._support.failure_bodies import V11_SUSPENDED_63 as V11_63
from tests._support.scripted_v2 import GOLDEN_POST, OWNER_ID, ScriptedV2

OAUTH1 = Credentials("legacy-ck", "legacy-cs", f"{OWNER_ID}-legacy-token", "legacy-ts")
OAUTH2 = Credentials(bearer_token="legacy-user-context-token", user_id=OWNER_ID)
REAL_453 = V11_ACCESS_LEVEL_453["errors"][0]["message"]


@dataclasses.dataclass(frozen=True)
class Case:
    """One failure: which v2 endpoint answers which real body, which legacy call meets it,
    and the v1.1 answer the library must see."""

    name: str
    endpoint: str
    answer: tuple[int, dict[str, Any]]
    call: str  # "create" or "list"
    code: int
    message: str  # a part of the v1.1 message
    headers: dict[str, str] = dataclasses.field(default_factory=dict)


CASES = [
    Case("credits", "like", CREDITS_DEPLETED, "create", 453, "Add credits"),
    Case("credits-list", "liked_tweets", CREDITS_DEPLETED, "list", 453, "console.x.com"),
    Case("usage-cap", "like", USAGE_CAP, "create", 185, "billing cycle", USAGE_CAP_HEADERS),
    Case("usage-cap-list", "liked_tweets", USAGE_CAP, "list", 185, "Usage cap exceeded"),
    Case("not-enrolled", "like", CLIENT_NOT_ENROLLED, "create", 453, REAL_453),
    Case("not-enrolled-no-type", "like", CLIENT_NOT_ENROLLED_NO_TYPE, "create", 453, REAL_453),
    Case("not-enrolled-list", "liked_tweets", CLIENT_NOT_ENROLLED_NO_TYPE, "list", 453, REAL_453),
]
#: The lookup errors (a 200 answer's errors[]): they join CASES once compat._likes raises
#: compat.errors.lookup_error(...) for a post or user its lookup did not return (until then
#: the drop-in path answers 404/144 and 404/50 for them; tests/core checks the mapping itself).
LOOKUP_CASES = [
    Case("not-authorized-post", "tweets", NOT_AUTHORIZED_POST_LOOKUP, "create", 179, V11_179),
    Case("suspended-user", "user_by_username", SUSPENDED_USER_LOOKUP, "list", 63, V11_63),
]


def post_for(case: Case) -> str:
    return NOT_AUTHORIZED_POST_ID if case.endpoint == "tweets" else GOLDEN_POST


def by_name(case: Case) -> dict[str, str]:
    """The list call's arguments: by screen_name when the user lookup is the failing one."""
    return {"screen_name": "suspended_user"} if case.endpoint == "user_by_username" else {}


@pytest.fixture
def server() -> Iterator[ScriptedV2]:
    with ScriptedV2() as scripted:
        yield scripted


def install(server: ScriptedV2, creds: Credentials = OAUTH1) -> compat_patch.Installation:
    # retry_on_429: even a client that retries rate limits must not retry a usage cap
    return compat_patch.install(
        creds, api_base=server.base_url, sleep=no_sleep, retry=RetryPolicy(retry_on_429=True)
    )


def script(server: ScriptedV2, case: Case) -> None:
    server.answer(case.endpoint, *case.answer, case.headers, times=3)


def served_once(server: ScriptedV2, case: Case) -> None:
    """compat sent the failing request once: no retry, whatever the library did."""
    assert server.endpoints().count(case.endpoint) == 1


# -- tweepy 4 ---------------------------------------------------------------------------------


def tweepy_api(creds: Credentials = OAUTH1, **kwargs: Any) -> tweepy.API:
    if creds.kind == "oauth2":
        return tweepy.API(tweepy.OAuth2BearerHandler(creds.bearer_token), **kwargs)
    auth = tweepy.OAuth1UserHandler(
        creds.consumer_key, creds.consumer_secret, creds.access_token, creds.access_token_secret
    )
    return tweepy.API(auth, **kwargs)


def tweepy_call(api: tweepy.API, case: Case) -> Any:
    if case.call == "create":
        return api.create_favorite(post_for(case))
    return api.get_favorites(**by_name(case))


@pytest.mark.parametrize("case", CASES + LOOKUP_CASES, ids=[c.name for c in CASES + LOOKUP_CASES])
def test_tweepy4_raises_forbidden(server: ScriptedV2, case: Case) -> None:
    script(server, case)
    with install(server), pytest.raises(tweepy.Forbidden) as raised:
        tweepy_call(tweepy_api(), case)
    assert not isinstance(raised.value, tweepy.TooManyRequests)
    assert raised.value.response.status_code == 403
    assert raised.value.api_codes == [case.code]
    assert case.message in raised.value.api_messages[0]
    served_once(server, case)


@pytest.fixture
def fake_time(monkeypatch: pytest.MonkeyPatch) -> Callable[[FakeClock], list[float]]:
    """Put tweepy's time.time/time.sleep on a FakeClock; returns the sleeps it asked for."""

    def on(clock: FakeClock) -> list[float]:
        slept: list[float] = []

        def fake_sleep(seconds: float) -> None:
            slept.append(seconds)
            clock.advance(seconds)

        tweepy_api_module = importlib.import_module("tweepy.api")  # tweepy.api is also an object
        monkeypatch.setattr(
            tweepy_api_module, "time", types.SimpleNamespace(time=clock.time, sleep=fake_sleep)
        )
        return slept

    return on


@pytest.mark.parametrize("endpoint", ["like", "liked_tweets"])
def test_tweepy4_wait_on_rate_limit_does_not_loop_on_a_usage_cap(
    server: ScriptedV2, fake_time: Callable[[FakeClock], list[float]], endpoint: str
) -> None:
    slept = fake_time(FakeClock())
    server.answer(endpoint, *USAGE_CAP, USAGE_CAP_HEADERS, times=5)
    api = tweepy_api(wait_on_rate_limit=True)
    with install(server), pytest.raises(tweepy.Forbidden) as raised:
        if endpoint == "like":
            api.create_favorite(GOLDEN_POST)
        else:
            api.get_favorites()
    assert raised.value.api_codes == [185]
    assert slept == [api.retry_delay] == [0]  # tweepy's pause after any error; no reset wait
    assert server.endpoints().count(endpoint) == 1


@pytest.fixture
def day_capped() -> Iterator[tuple[Emulator, FakeClock]]:
    """An emulator on a FakeClock allowing 1 request per 15 minutes and 3 per 24 hours."""
    clock = FakeClock()
    with Emulator(clock=clock) as emulator:
        emulator.rate_limits.cap(1)
        emulator.rate_limits.cap(3, window_s=WINDOW_24H)
        yield emulator, clock


def test_tweepy4_wait_on_rate_limit_sleeps_to_the_24_hour_reset(
    day_capped: tuple[Emulator, FakeClock], fake_time: Callable[[FakeClock], list[float]]
) -> None:
    emu, clock = day_capped
    slept = fake_time(clock)
    api = tweepy_api(emu.credentials, wait_on_rate_limit=True)
    with compat_patch.install(emu.credentials, api_base=emu.base_url, sleep=no_sleep, lookup=False):
        assert api.create_favorite(REAL_TWEET).favorited is True
        headers = api.last_response.headers
        day_limit = int(headers["x-user-limit-24hour-limit"])
        day_reset = int(headers["x-user-limit-24hour-reset"])
        assert day_limit == 3
        for _ in range(day_limit - 1):
            clock.advance(WINDOW_15MIN)  # a fresh 15-minute window for each like
            assert api.create_favorite(REAL_TWEET).favorited is True
        assert api.last_response.headers["x-user-limit-24hour-remaining"] == "0"
        clock.advance(WINDOW_15MIN)
        assert slept == []
        waited_from = int(clock.time())
        assert api.create_favorite(REAL_TWEET).favorited is True  # 429 (day), wait, retry
    assert slept == [day_reset - waited_from + 1]  # tweepy sleeps to the reset, plus one second
    likes = [r.status for r in emu.requests if r.endpoint == "like"]
    assert likes == [200] * day_limit + [429, 200]


def test_tweepy4_oauth2_token_without_like_write(server: ScriptedV2) -> None:
    server.answer("like", *OAUTH2_NO_LIKE_WRITE)
    with install(server, OAUTH2), pytest.raises(tweepy.Forbidden) as raised:
        tweepy_api(OAUTH2).create_favorite(GOLDEN_POST)
    assert raised.value.api_codes == [220]
    assert "like.write" in raised.value.api_messages[0]


# -- python-twitter 3.5 -----------------------------------------------------------------------


def python_twitter_api(creds: Credentials = OAUTH1) -> twitter.Api:
    return twitter.Api(
        consumer_key=creds.consumer_key,
        consumer_secret=creds.consumer_secret,
        access_token_key=creds.access_token,
        access_token_secret=creds.access_token_secret,
    )


@pytest.mark.parametrize("case", CASES + LOOKUP_CASES, ids=[c.name for c in CASES + LOOKUP_CASES])
def test_python_twitter_raises_twitter_error(server: ScriptedV2, case: Case) -> None:
    script(server, case)
    api = python_twitter_api()
    with install(server), pytest.raises(twitter.TwitterError) as raised:
        if case.call == "create":
            api.CreateFavorite(status_id=int(post_for(case)))
        else:
            api.GetFavorites(**by_name(case))
    (error,) = raised.value.message
    assert error["code"] == case.code
    assert case.message in error["message"]
    served_once(server, case)


# -- Twython 3.9.1 ----------------------------------------------------------------------------


def twython_client(creds: Credentials = OAUTH1) -> twython.Twython:
    if creds.kind == "oauth2":
        return twython.Twython("app-key", access_token=creds.bearer_token)
    return twython.Twython(
        creds.consumer_key, creds.consumer_secret, creds.access_token, creds.access_token_secret
    )


@pytest.mark.parametrize("case", CASES + LOOKUP_CASES, ids=[c.name for c in CASES + LOOKUP_CASES])
def test_twython_raises_twython_error_403(server: ScriptedV2, case: Case) -> None:
    script(server, case)
    client = twython_client()
    with install(server), pytest.raises(twython.TwythonError) as raised:
        if case.call == "create":
            client.create_favorite(id=post_for(case))
        else:
            client.get_favorites(**by_name(case))
    assert type(raised.value) is twython.TwythonError  # not a rate-limit or auth error
    assert raised.value.error_code == 403
    assert case.message in str(raised.value)
    served_once(server, case)


def test_twython_oauth2_token_without_like_write(server: ScriptedV2) -> None:
    server.answer("unlike", *OAUTH2_NO_LIKE_WRITE)
    with install(server, OAUTH2), pytest.raises(twython.TwythonError) as raised:
        twython_client(OAUTH2).destroy_favorite(id=GOLDEN_POST)
    assert raised.value.error_code == 403
    assert "like.write" in str(raised.value)


# -- the same refusals from the emulator's plans ----------------------------------------------


@pytest.fixture
def pay_per_use() -> Iterator[Emulator]:
    """Today's self-serve plan: listing works, likes are refused as the plan's."""
    with Emulator(plan="pay-per-use", likes=30) as emulator:
        yield emulator


def test_pay_per_use_like_is_refused_to_every_library(pay_per_use: Emulator) -> None:
    emu = pay_per_use
    creds = emu.credentials
    with compat_patch.install(creds, api_base=emu.base_url, sleep=no_sleep):
        with pytest.raises(tweepy.Forbidden) as by_tweepy:
            tweepy_api(creds).create_favorite(REAL_TWEET)
        with pytest.raises(twitter.TwitterError) as by_python_twitter:
            python_twitter_api(creds).CreateFavorite(status_id=int(REAL_TWEET))
        with pytest.raises(twython.TwythonError) as by_twython:
            twython_client(creds).destroy_favorite(id=REAL_TWEET)
        assert len(tweepy_api(creds).get_favorites(count=5)) == 5  # reading still works
    assert by_tweepy.value.api_codes == [453]
    assert by_tweepy.value.api_messages == [REAL_453]
    assert by_python_twitter.value.message == V11_ACCESS_LEVEL_453["errors"]
    assert by_twython.value.error_code == 403 and REAL_453 in str(by_twython.value)
    assert [r.status for r in emu.requests if r.endpoint in ("like", "unlike")] == [403] * 3


@pytest.mark.parametrize(
    ("kind", "code"), [("usage-capped", 185), ("credits", 453), ("client-forbidden", 453)]
)
def test_emulator_refusals_reach_tweepy_as_403(
    emu: Emulator, shim: compat_patch.Installation, kind: str, code: int
) -> None:
    emu.faults.inject("liked_tweets", kind, times=3)
    with pytest.raises(tweepy.Forbidden) as raised:
        tweepy_api(emu.credentials, wait_on_rate_limit=True).get_favorites()
    assert raised.value.api_codes == [code]
    assert [r.endpoint for r in emu.requests] == ["liked_tweets"]  # once: nobody retried
    emu.faults.clear()
