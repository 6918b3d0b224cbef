"""tweepy 3.10.0's own companion methods (issue 17, part 1), unchanged, against the emulator
through the global patch: ``api.me()``, ``verify_credentials``, ``get_user``,
``lookup_users``, ``get_status``, ``statuses_lookup``, ``user_timeline`` (and its Cursor),
``search`` and ``rate_limit_status``. Runs where tweepy 3 is installed:
``scripts/tweepy3.sh``."""

from __future__ import annotations

from typing import Any

import pytest

from compat import Credentials
from compat import patch as compat_patch
from compat.emulator import Emulator
from tests._support.companions import (
    OTHER,
    WORD,
    check_search,
    expected,
    most_pages,
    pages,
    v2_endpoints,
)

tweepy = pytest.importorskip("tweepy")

if not tweepy.__version__.startswith("3."):
    pytest.skip(
        f"tweepy {tweepy.__version__} here; these run with tweepy 3.10.0: scripts/tweepy3.sh",
        allow_module_level=True,
    )


def api_for(creds: Credentials) -> Any:
    auth = tweepy.OAuthHandler(creds.consumer_key, creds.consumer_secret)
    auth.set_access_token(creds.access_token, creds.access_token_secret)
    return tweepy.API(auth)


def test_me_and_verify_credentials(emu: Emulator, shim: compat_patch.Installation) -> None:
    truth = expected(emu)
    api = api_for(emu.credentials)
    me = api.me()
    assert isinstance(me, tweepy.models.User)
    assert (me.id_str, me.screen_name) == (truth.user_id, truth.screen_name)
    # tweepy 3's me(): verify_credentials for the name, then users/show of that name
    assert v2_endpoints(emu) == ["users_me", "user_by_username"]
    again = api.verify_credentials()
    assert again.screen_name == truth.screen_name


def test_user_timeline_and_cursor(emu: Emulator, shim: compat_patch.Installation) -> None:
    truth = expected(emu)
    api = api_for(emu.credentials)
    page = api.user_timeline(screen_name=OTHER, count=5)
    assert [s.id_str for s in page] == truth.other_timeline[:5]
    assert all(s.user.screen_name == OTHER for s in page)
    emu.clear_requests()
    walked = [s.id_str for s in tweepy.Cursor(api.user_timeline, count=40).items()]
    assert walked == truth.timeline
    assert pages(emu, "user_tweets") <= most_pages(len(truth.timeline))


def test_search_and_rate_limit_status(emu: Emulator, shim: compat_patch.Installation) -> None:
    api = api_for(emu.credentials)
    found = api.search(q=WORD, count=8)
    check_search(emu, [s._json for s in found], 8)
    assert v2_endpoints(emu) == ["search_recent"]
    emu.clear_requests()
    limits = api.rate_limit_status()
    assert "/statuses/user_timeline" in limits["resources"]["statuses"]
    assert set(v2_endpoints(emu)) <= {"users_me"}


def test_users_and_statuses(emu: Emulator, shim: compat_patch.Installation) -> None:
    truth = expected(emu)
    api = api_for(emu.credentials)
    other = api.get_user(screen_name=OTHER)
    assert isinstance(other, tweepy.models.User) and other.id_str == truth.other_id
    # tweepy 3 sends users/lookup as a POST form, as v1.1 allowed
    looked = api.lookup_users(user_ids=[truth.user_id, truth.other_id])
    assert sorted(u.screen_name for u in looked) == sorted([truth.screen_name, OTHER])
    newest = truth.timeline[0]
    status = api.get_status(newest)
    assert isinstance(status, tweepy.models.Status)
    assert (status.id_str, status.user.screen_name) == (newest, truth.screen_name)
    emu.clear_requests()
    statuses = api.statuses_lookup(truth.timeline[:3])
    assert sorted(s.id_str for s in statuses) == sorted(truth.timeline[:3])
    assert v2_endpoints(emu) in (["tweets"], [])  # [] when the post cache had them all
