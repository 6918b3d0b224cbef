"""The companion v1.1 calls (issue 17, part 1) through each library's OWN method, unchanged,
against the emulator through the global patch: tweepy 4, python-twitter, Twython, TwitterAPI
and python-twitter-tools (tweepy 3: tests/adapter_tweepy3). Each asserts the library's own
model objects against the emulator's dataset and the v2 requests the emulator counted."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from typing import Any

import tweepy  # type: ignore[import-untyped]
import twython  # type: ignore[import-untyped]
from TwitterAPI import TwitterAPI  # type: ignore[import-untyped]

from compat import Credentials
from compat import patch as compat_patch
from compat.emulator import Emulator
from tests._support import ptt
from tests._support.adapter import REAL_TWEET
from tests._support.companions import (
    OTHER,
    WORD,
    check_search,
    expected,
    most_pages,
    pages,
    v2_endpoints,
)

USER_READS = {"users_me", "user_by_username", "users_by_usernames", "users", "user_by_id"}
POST_READS = {"tweets", "tweet"}


def python_twitter() -> Any:
    """python-twitter 3.5's ``twitter`` module (python-twitter-tools installs a package of the
    same name: whichever was installed last owns ``twitter``)."""
    module = importlib.import_module("twitter")
    assert hasattr(module, "Api"), (
        "python-twitter 3.5 is not importable as `twitter` here (python-twitter-tools "
        "overwrote it): the two need separate environments"
    )
    return module


# -- tweepy 4 ---------------------------------------------------------------------------------


def tweepy_api(creds: Credentials) -> tweepy.API:
    auth = tweepy.OAuth1UserHandler(
        creds.consumer_key, creds.consumer_secret, creds.access_token, creds.access_token_secret
    )
    return tweepy.API(auth)


def test_tweepy4_verify_credentials_and_users(
    emu: Emulator, shim: compat_patch.Installation
) -> None:
    truth = expected(emu)
    api = tweepy_api(emu.credentials)
    me = api.verify_credentials()
    assert isinstance(me, tweepy.models.User)
    assert (me.id_str, me.screen_name) == (truth.user_id, truth.screen_name)
    assert me.id == int(truth.user_id)
    assert v2_endpoints(emu) == ["users_me"]
    emu.clear_requests()
    other = api.get_user(screen_name=OTHER)
    assert (other.id_str, other.screen_name) == (truth.other_id, OTHER)
    by_id = api.get_user(user_id=truth.other_id)
    assert by_id.screen_name == OTHER
    assert set(v2_endpoints(emu)) <= USER_READS and len(emu.requests) == 2
    emu.clear_requests()
    users = api.lookup_users(screen_name=[truth.screen_name, OTHER])
    assert sorted(u.screen_name for u in users) == sorted([truth.screen_name, OTHER])
    users = api.lookup_users(user_id=[truth.user_id, truth.other_id])
    assert sorted(u.id_str for u in users) == sorted([truth.user_id, truth.other_id])
    assert v2_endpoints(emu) == ["users_by_usernames", "users"]


def test_tweepy4_statuses(emu: Emulator, shim: compat_patch.Installation) -> None:
    truth = expected(emu)
    api = tweepy_api(emu.credentials)
    newest = truth.timeline[0]
    status = api.get_status(newest, tweet_mode="extended")
    assert isinstance(status, tweepy.models.Status)
    assert status.id_str == newest
    assert status.full_text == truth.text(emu, newest)
    assert status.user.screen_name == truth.screen_name
    golden = api.get_status(int(REAL_TWEET))
    assert golden.user.screen_name == truth.author(emu, REAL_TWEET)
    assert len(emu.requests) <= 2 and set(v2_endpoints(emu)) <= POST_READS
    emu.clear_requests()
    ids = truth.timeline[:5]
    found = api.lookup_statuses(ids)
    assert sorted(s.id_str for s in found) == sorted(ids)
    assert all(s.user.screen_name == truth.screen_name for s in found)
    assert len(emu.requests) == 1 and set(v2_endpoints(emu)) <= POST_READS


def test_tweepy4_user_timeline_and_cursor(emu: Emulator, shim: compat_patch.Installation) -> None:
    truth = expected(emu)
    api = tweepy_api(emu.credentials)
    page = api.user_timeline(screen_name=truth.screen_name, count=20)
    assert [s.id_str for s in page] == truth.timeline[:20]
    assert all(s.user.screen_name == truth.screen_name for s in page)
    assert pages(emu, "user_tweets") == 1
    emu.clear_requests()
    other = api.user_timeline(screen_name=OTHER, count=5)
    assert [s.id_str for s in other] == truth.other_timeline[:5]
    emu.clear_requests()
    walked = [s.id_str for s in tweepy.Cursor(api.user_timeline, count=50).items()]
    assert walked == truth.timeline  # every post once, newest first
    assert pages(emu, "user_tweets") <= most_pages(len(truth.timeline))


def test_tweepy4_search_and_rate_limit_status(
    emu: Emulator, shim: compat_patch.Installation
) -> None:
    api = tweepy_api(emu.credentials)
    found = api.search_tweets(q=WORD, count=15)
    check_search(emu, [s._json for s in found], 15)
    assert found.max_id is not None or len(found) > 0
    assert v2_endpoints(emu) == ["search_recent"]
    emu.clear_requests()
    limits = api.rate_limit_status()
    resources = limits["resources"]
    timeline = resources["statuses"]["/statuses/user_timeline"]
    assert {"limit", "remaining", "reset"} <= set(timeline)
    assert "/favorites/list" in resources["favorites"]
    assert set(v2_endpoints(emu)) <= {"users_me"}  # no read of posts to tell the limits


# -- python-twitter 3.5 -----------------------------------------------------------------------


def python_twitter_api(creds: Credentials, **kwargs: Any) -> Any:
    return python_twitter().Api(
        consumer_key=creds.consumer_key,
        consumer_secret=creds.consumer_secret,
        access_token_key=creds.access_token,
        access_token_secret=creds.access_token_secret,
        **kwargs,
    )


def test_python_twitter_companions(emu: Emulator, shim: compat_patch.Installation) -> None:
    module = python_twitter()
    truth = expected(emu)
    api = python_twitter_api(emu.credentials)
    me = api.VerifyCredentials()
    assert isinstance(me, module.User)
    assert (str(me.id), me.screen_name) == (truth.user_id, truth.screen_name)
    assert api.GetUser(screen_name=OTHER).id == int(truth.other_id)
    looked = api.UsersLookup(screen_name=[truth.screen_name, OTHER])
    assert sorted(u.screen_name for u in looked) == sorted([truth.screen_name, OTHER])
    newest = truth.timeline[0]
    status = api.GetStatus(newest)
    assert isinstance(status, module.Status)
    assert (status.id_str, status.user.screen_name) == (newest, truth.screen_name)
    statuses = api.GetStatuses(truth.timeline[:3])
    assert sorted(s.id_str for s in statuses) == sorted(truth.timeline[:3])
    emu.clear_requests()
    timeline = api.GetUserTimeline(screen_name=truth.screen_name, count=30)
    assert [s.id_str for s in timeline] == truth.timeline[:30]
    older = api.GetUserTimeline(
        screen_name=truth.screen_name, count=30, max_id=int(timeline[-1].id_str) - 1
    )
    assert [s.id_str for s in older] == truth.timeline[30:60]
    assert pages(emu, "user_tweets") == 1  # 60 posts: one v2 page
    emu.clear_requests()
    found = api.GetSearch(term=WORD, count=10, return_json=True)
    check_search(emu, found["statuses"], 10)
    assert v2_endpoints(emu) == ["search_recent"]


def test_python_twitter_sleep_on_rate_limit_asks_rate_limit_status_first(
    emu: Emulator, shim: compat_patch.Installation
) -> None:
    truth = expected(emu)
    api = python_twitter_api(emu.credentials, sleep_on_rate_limit=True)
    timeline = api.GetUserTimeline(screen_name=truth.screen_name, count=5)
    assert [s.id_str for s in timeline] == truth.timeline[:5]
    limit = api.rate_limit.get_limit("/statuses/user_timeline")
    assert limit.limit > 0 and limit.remaining <= limit.limit


# -- Twython 3.9.1 ----------------------------------------------------------------------------


def twython_client(creds: Credentials) -> twython.Twython:
    return twython.Twython(
        creds.consumer_key, creds.consumer_secret, creds.access_token, creds.access_token_secret
    )


def test_twython_companions(emu: Emulator, shim: compat_patch.Installation) -> None:
    truth = expected(emu)
    client = twython_client(emu.credentials)
    me = client.verify_credentials()
    assert (me["id_str"], me["screen_name"]) == (truth.user_id, truth.screen_name)
    assert client.show_user(screen_name=OTHER)["id_str"] == truth.other_id
    looked = client.lookup_user(user_id=f"{truth.user_id},{truth.other_id}")
    assert sorted(u["screen_name"] for u in looked) == sorted([truth.screen_name, OTHER])
    newest = truth.timeline[0]
    assert client.show_status(id=newest)["id_str"] == newest
    statuses = client.lookup_status(id=",".join(truth.timeline[:4]))
    assert sorted(s["id_str"] for s in statuses) == sorted(truth.timeline[:4])
    emu.clear_requests()
    timeline = client.get_user_timeline(screen_name=truth.screen_name, count=10)
    assert [s["id_str"] for s in timeline] == truth.timeline[:10]
    assert pages(emu, "user_tweets") == 1
    emu.clear_requests()
    found = client.search(q=WORD, count=10)
    check_search(emu, found["statuses"], 10)
    assert found["search_metadata"]["count"] == 10
    assert v2_endpoints(emu) == ["search_recent"]
    emu.clear_requests()
    limits = client.get_application_rate_limit_status(resources="statuses,search")
    assert "/search/tweets" in limits["resources"]["search"]
    assert set(v2_endpoints(emu)) <= {"users_me"}


# -- TwitterAPI (builds its own URLs, sends with requests) -------------------------------------


def test_twitterapi_companions_and_favorites(
    emu: Emulator, shim: compat_patch.Installation
) -> None:
    truth = expected(emu)
    creds = emu.credentials
    api = TwitterAPI(
        creds.consumer_key, creds.consumer_secret, creds.access_token, creds.access_token_secret
    )
    me = api.request("account/verify_credentials")
    assert me.status_code == 200
    assert me.json()["screen_name"] == truth.screen_name
    timeline = api.request("statuses/user_timeline", {"count": 7})
    assert [s["id_str"] for s in timeline] == truth.timeline[:7]  # iterates the statuses
    found = api.request("search/tweets", {"q": WORD, "count": 5})
    check_search(emu, found.json()["statuses"], 5)
    assert api.request("users/show", {"screen_name": OTHER}).json()["id_str"] == truth.other_id
    # TwitterAPI sends users/lookup as a POST form, as v1.1 allowed
    looked = api.request("users/lookup", {"user_id": f"{truth.user_id},{truth.other_id}"})
    assert sorted(u["screen_name"] for u in looked.json()) == sorted([truth.screen_name, OTHER])
    newest = truth.timeline[0]
    assert api.request(f"statuses/show/:{newest}").json()["id_str"] == newest
    mapped = api.request("statuses/lookup", {"id": ",".join(truth.timeline[:2]), "map": "true"})
    assert set(mapped.json()["id"]) == set(truth.timeline[:2])
    limits = api.request("application/rate_limit_status", {"resources": "favorites"}).json()
    assert "/favorites/list" in limits["resources"]["favorites"]
    emu.clear_requests()
    liked = emu.state.liked(emu.user_id)
    favorites = api.request("favorites/list", {"count": 3})
    assert [s["id_str"] for s in favorites.json()] == liked[:3]
    created = api.request("favorites/create", {"id": REAL_TWEET})
    assert created.status_code == 200 and created.json()["favorited"] is True
    assert REAL_TWEET in emu.state.liked(emu.user_id)
    assert "like" in v2_endpoints(emu)
    emu.state.unlike(emu.user_id, REAL_TWEET)


# -- python-twitter-tools (urllib.request.urlopen) ---------------------------------------------

# python-twitter-tools' package is named ``twitter`` like python-twitter's: it runs in a
# subprocess with .venv/ptt first on its path (tests/_support/ptt.py), shimmed by install().
_PTT_PROGRAM = """
import json, os, sys
import compat, twitter
assert hasattr(twitter, "Twitter"), twitter.__file__
creds = compat.Credentials(*json.loads(os.environ["T_CREDS"]))
with compat.install(creds, api_base=os.environ["T_BASE"]):
    t = twitter.Twitter(auth=twitter.OAuth(creds.access_token, creds.access_token_secret,
                                           creds.consumer_key, creds.consumer_secret))
    me = t.account.verify_credentials()
    timeline = t.statuses.user_timeline(screen_name=sys.argv[1], count=6)
    found = t.search.tweets(q=sys.argv[2], count=5)
    favorites = t.favorites.list(count=4)
    other = t.users.show(screen_name=sys.argv[3])
    looked = t.users.lookup(screen_name=",".join([sys.argv[1], sys.argv[3]]))
    shown = t.statuses.show(_id=timeline[0]["id_str"])
    statuses = t.statuses.lookup(_id=",".join(s["id_str"] for s in timeline[:3]))
    limits = t.application.rate_limit_status(resources="search")
print(json.dumps({"me": [me["id_str"], me["screen_name"]],
                  "timeline": [s["id_str"] for s in timeline],
                  "found": found["statuses"],
                  "favorites": [s["id_str"] for s in favorites],
                  "other": other["id_str"],
                  "looked": sorted(u["screen_name"] for u in looked),
                  "shown": shown["id_str"],
                  "statuses": sorted(s["id_str"] for s in statuses),
                  "limits": sorted(limits["resources"]["search"])}))
"""


def test_python_twitter_tools_companions(emu: Emulator) -> None:
    truth = expected(emu)
    creds = emu.credentials
    env = ptt.environment()
    env["T_CREDS"] = json.dumps(
        [creds.consumer_key, creds.consumer_secret, creds.access_token, creds.access_token_secret]
    )
    env["T_BASE"] = emu.base_url
    emu.clear_requests()
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", _PTT_PROGRAM, truth.screen_name, WORD, OTHER],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    got = json.loads(done.stdout)
    assert got["me"] == [truth.user_id, truth.screen_name]
    assert got["timeline"] == truth.timeline[:6]
    check_search(emu, got["found"], 5)
    assert got["favorites"] == emu.state.liked(emu.user_id)[:4]
    assert got["other"] == truth.other_id
    assert got["looked"] == sorted([truth.screen_name, OTHER])
    assert got["shown"] == truth.timeline[0]
    assert got["statuses"] == sorted(truth.timeline[:3])
    assert got["limits"] == ["/search/tweets"]
    # each call one v2 request at most: users_me, a timeline page, a search page, a likes page
    assert pages(emu, "liked_tweets") == 1 and pages(emu, "search_recent") == 1
