"""tweepy 3.10.0, unchanged, served by v2 through the global patch (tweepy 3's per-call
``requests.Session``). Runs only where tweepy 3 is installed: ``scripts/tweepy3.sh``."""

from __future__ import annotations

import importlib
import math
import types
from collections.abc import Callable
from typing import Any

import pytest

from compat import Credentials
from compat import patch as compat_patch
from compat.emulator import Emulator, FakeClock
from tests._support import failure_bodies
from tests._support.scripted_v2 import GOLDEN_POST, OWNER_ID, ScriptedV2

tweepy = pytest.importorskip("tweepy")

if not tweepy.__version__.startswith("3."):
    pytest.skip(
        f"tweepy {tweepy.__version__} here; these run with tweepy 3.10.0: scripts/tweepy3.sh",
        allow_module_level=True,
    )

REAL_TWEET = "1626194750222094336"  # the socialfoundations golden post, in the default dataset


def api_for(creds: Credentials, **kwargs: Any) -> Any:
    auth = tweepy.OAuthHandler(creds.consumer_key, creds.consumer_secret)
    auth.set_access_token(creds.access_token, creds.access_token_secret)
    return tweepy.API(auth, **kwargs)


def test_create_destroy_positional(
    emu: Emulator, shim: compat_patch.Installation, realdata: Callable[[str], Any]
) -> None:
    api = api_for(emu.credentials)
    status = api.create_favorite(REAL_TWEET)
    assert isinstance(status, tweepy.models.Status)
    assert status.favorited is True
    assert status.user.screen_name == "ruchowdh"
    golden = realdata("socialfoundations_v1_tweet_1.json")["created_at"]
    assert status.created_at.strftime("%a %b %d %H:%M:%S +0000 %Y") == golden
    assert [r.endpoint for r in emu.requests] == ["tweets", "like"]
    assert api.destroy_favorite(int(REAL_TWEET)).favorited is False


def test_favorites_positional_screen_name(emu: Emulator, shim: compat_patch.Installation) -> None:
    api = api_for(emu.credentials)
    liked = emu.state.liked(emu.user_id)
    assert [s.id_str for s in api.favorites("TweepyDev")] == liked[:20]
    assert [s.id_str for s in api.favorites(count=5)] == liked[:5]


def test_cursor_walks_every_like_once(emu: Emulator, shim: compat_patch.Installation) -> None:
    api = api_for(emu.credentials)
    liked = emu.state.liked(emu.user_id)
    assert len(liked) >= 500
    walked = [s.id_str for s in tweepy.Cursor(api.favorites).items()]
    assert walked == liked
    pages = [r for r in emu.requests if r.endpoint == "liked_tweets"]
    assert len(pages) == len(emu.requests) <= math.ceil(len(liked) / 100) + 2


def test_errors(emu: Emulator, shim: compat_patch.Installation) -> None:
    api = api_for(emu.credentials)
    with pytest.raises(tweepy.TweepError) as missing:
        api.create_favorite(1)
    assert missing.value.api_code == 144
    assert missing.value.response.status_code == 404
    with pytest.raises(tweepy.TweepError) as unauthorized:
        api_for(emu.credentials_for("ruchowdh")).create_favorite(REAL_TWEET)
    assert unauthorized.value.api_code == 32
    emu.faults.inject("like", "429")
    with pytest.raises(tweepy.RateLimitError) as limited:
        api.create_favorite(REAL_TWEET)
    assert limited.value.response.status_code == 429
    assert limited.value.response.headers["x-rate-limit-remaining"] == "0"


def test_wait_on_rate_limit(
    clocked: tuple[Emulator, FakeClock], monkeypatch: pytest.MonkeyPatch
) -> None:
    emu, clock = clocked
    slept: list[float] = []

    def fake_sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.advance(seconds)

    monkeypatch.setattr(
        importlib.import_module("tweepy.binder"),
        "time",
        types.SimpleNamespace(time=clock.time, sleep=fake_sleep),
    )
    api = api_for(emu.credentials, wait_on_rate_limit=True)
    # lookup=True: each call looks the post up, so the second one meets the spent window
    with compat_patch.install(emu.credentials, api_base=emu.base_url, lookup=True):
        assert api.create_favorite(REAL_TWEET).favorited is True  # spends the window
        started = clock.time()
        assert api.destroy_favorite(REAL_TWEET).favorited is False  # 429, wait, retry
    assert len(slept) == 1
    assert 900 <= clock.time() - started <= 910
    assert [r.status for r in emu.requests if r.endpoint == "tweets"] == [200, 429, 200]


@pytest.mark.parametrize(
    ("endpoint", "answer", "code"),
    [
        ("like", failure_bodies.USAGE_CAP, 185),
        ("like", failure_bodies.CREDITS_DEPLETED, 453),
        ("like", failure_bodies.CLIENT_NOT_ENROLLED_NO_TYPE, 453),
        ("liked_tweets", failure_bodies.USAGE_CAP, 185),
    ],
    ids=["usage-cap", "credits", "plan-refused", "usage-cap-list"],
)
def test_quota_and_plan_refusals_are_403_not_rate_limits(
    endpoint: str, answer: tuple[int, dict[str, Any]], code: int
) -> None:
    """The real 2026 bodies (tests/_support/failure_bodies.py) from a scripted v2 stand-in."""
    creds = Credentials("ck3", "cs3", f"{OWNER_ID}-token3", "ts3")
    with ScriptedV2() as server, compat_patch.install(creds, api_base=server.base_url):
        server.answer(endpoint, *answer, failure_bodies.USAGE_CAP_HEADERS)
        api = api_for(creds, wait_on_rate_limit=True)
        with pytest.raises(tweepy.TweepError) as raised:
            if endpoint == "like":
                api.create_favorite(GOLDEN_POST)
            else:
                api.favorites()
    assert not isinstance(raised.value, tweepy.RateLimitError)
    assert raised.value.response.status_code == 403
    assert raised.value.api_code == code
    assert server.endpoints().count(endpoint) == 1
