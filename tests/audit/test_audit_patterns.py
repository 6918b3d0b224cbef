"""Each detected pattern, on real-world-looking legacy code; near misses; aliases."""

from __future__ import annotations

import textwrap

import pytest

from compat.audit.static import match_url, scan_source
from tests._support.audit_tree import line_of, triples

# The companion calls (CPT105/106) and automated liking (CPT301) these programs also make are
# asserted in test_audit_companions.py and test_audit_policy.py; here, the favorites codes.
_LATER = frozenset({"CPT105", "CPT106", "CPT115", "CPT116", "CPT301"})


def audit(source: str, path: str = "app.py") -> tuple[str, list[tuple[str, int, str]]]:
    source = textwrap.dedent(source).lstrip("\n")
    return source, [t for t in triples(scan_source(source, path)) if t[0] not in _LATER]


# --- tweepy 3 ----------------------------------------------------------------------------------

TWEEPY3_BOT = """
#!/usr/bin/env python
# -*- coding: utf-8 -*-
'''Like every tweet about #python, unlike the ones nobody else liked.'''
import time

import tweepy

import config

auth = tweepy.OAuthHandler(config.CONSUMER_KEY, config.CONSUMER_SECRET)
auth.set_access_token(config.ACCESS_TOKEN, config.ACCESS_TOKEN_SECRET)
api = tweepy.API(auth, wait_on_rate_limit=True, wait_on_rate_limit_notify=True)


def like_hashtag(tag, limit=50):
    for tweet in tweepy.Cursor(api.search, q=tag, lang="en").items(limit):
        if tweet.favorited:
            continue
        try:
            api.create_favorite(tweet.id)
        except tweepy.TweepError as e:
            print(e.reason)
        time.sleep(10)


def unlike_lonely():
    for status in tweepy.Cursor(api.favorites, screen_name="me", count=200).items():
        if status.favorite_count < 2:
            api.destroy_favorite(status.id)


if __name__ == "__main__":
    like_hashtag("#python")
    print(api.me().favourites_count)
    print(len(api.favorites()))
"""


def test_tweepy3_bot() -> None:
    src, found = audit(TWEEPY3_BOT)
    assert found == [
        ("CPT204", line_of(src, "wait_on_rate_limit_notify"), "high"),
        ("CPT201", line_of(src, "tweet.favorited"), "low"),  # tweet comes from search
        ("CPT101", line_of(src, "api.create_favorite"), "high"),
        ("CPT104", line_of(src, "Cursor(api.favorites"), "high"),
        ("CPT203", line_of(src, "status.favorite_count"), "high"),  # from the favorites cursor
        ("CPT102", line_of(src, "api.destroy_favorite"), "high"),
        ("CPT202", line_of(src, "favourites_count"), "low"),
        ("CPT103", line_of(src, "api.favorites()"), "high"),
    ]


def test_finding_carries_location_legacy_text_and_rule_texts() -> None:
    src = textwrap.dedent(TWEEPY3_BOT).lstrip("\n")
    findings = scan_source(src, "bots/liker.py")
    create = next(f for f in findings if f.code == "CPT101")
    assert create.path == "bots/liker.py"
    assert create.column == 13  # 1-based, the start of `api`
    assert create.legacy == "api.create_favorite(tweet.id)"
    assert create.library == "tweepy"
    assert create.location == f"bots/liker.py:{create.line}:13"
    replacement = create.rule.replacement
    assert replacement is not None and "POST /2/users/:id/likes" in replacement
    assert create.rule.rate_limit is not None and "50 requests/15 min" in create.rule.rate_limit
    assert "1000 requests/24 h" in create.rule.rate_limit
    assert create.rule.cost is not None and create.rule.cost.startswith("2 v2 requests")
    assert "favorites_create" in create.advice and "compat.install()" in create.advice
    notify = next(f for f in findings if f.code == "CPT204")
    assert notify.legacy == "wait_on_rate_limit_notify=True"
    cursor = next(f for f in findings if f.code == "CPT104")
    assert cursor.legacy == 'tweepy.Cursor(api.favorites, screen_name="me", count=200)'


# --- tweepy 4 ----------------------------------------------------------------------------------

TWEEPY4 = """
import tweepy as tw
from tweepy import API

client = API(tw.OAuth1UserHandler("ck", "cs", "at", "ats"))
for fav in client.get_favorites(screen_name="jack", count=200):
    print(fav.id, fav.favorite_count)
other = client
other.create_favorite(1293593516040269825)
other.destroy_favorite(1293593516040269825)
for page in tw.Cursor(client.get_favorites, count=200).pages(5):
    for status in page:
        print(status.favorited)
"""


def test_tweepy4_script() -> None:
    src, found = audit(TWEEPY4)
    assert found == [
        ("CPT103", line_of(src, "client.get_favorites(screen"), "high"),
        ("CPT203", line_of(src, "fav.favorite_count"), "high"),
        ("CPT101", line_of(src, "other.create_favorite"), "high"),
        ("CPT102", line_of(src, "other.destroy_favorite"), "high"),
        ("CPT104", line_of(src, "tw.Cursor"), "high"),
        ("CPT201", line_of(src, "status.favorited"), "high"),
    ]


# --- python-twitter ----------------------------------------------------------------------------

PYTHON_TWITTER = """
import twitter as t

api = t.Api(consumer_key=CK, consumer_secret=CS, access_token_key=AT,
            access_token_secret=ATS, sleep_on_rate_limit=True)
favs = api.GetFavorites(screen_name="bear", count=200)
for s in favs:
    print(s.id, s.favorited, s.user.favourites_count)
api.CreateFavorite(status_id=favs[0].id)
api.DestroyFavorite(status=favs[0])
"""


def test_python_twitter_script() -> None:
    src, found = audit(PYTHON_TWITTER)
    loop = line_of(src, "s.favorited")
    assert found == [
        ("CPT103", line_of(src, "GetFavorites"), "high"),
        ("CPT201", loop, "high"),
        ("CPT202", loop, "high"),
        ("CPT101", line_of(src, "CreateFavorite"), "high"),
        ("CPT102", line_of(src, "DestroyFavorite"), "high"),
    ]
    assert {f.library for f in scan_source(src) if f.code.startswith("CPT1")} == {"python-twitter"}


# --- Twython -----------------------------------------------------------------------------------

TWYTHON = """
from twython import Twython as T, TwythonError

twitter = T(APP_KEY, APP_SECRET, OAUTH_TOKEN, OAUTH_TOKEN_SECRET)
try:
    twitter.create_favorite(id=tid)
    twitter.destroy_favorite(id=tid)
except TwythonError as e:
    print(e)
favs = twitter.get_favorites(count=200)
twitter.post("favorites/create", params={"id": tid})
twitter.request("https://api.twitter.com/1.1/favorites/destroy.json", method="POST",
                params={"id": tid})
twitter.get("statuses/user_timeline")
"""


def test_twython_script() -> None:
    src, found = audit(TWYTHON)
    assert found == [
        ("CPT101", line_of(src, "twitter.create_favorite"), "high"),
        ("CPT102", line_of(src, "twitter.destroy_favorite"), "high"),
        ("CPT103", line_of(src, "twitter.get_favorites"), "high"),
        ("CPT101", line_of(src, 'twitter.post("favorites/create"'), "high"),
        # the full URL is reported once, as the Twython call, not again as a raw URL
        ("CPT102", line_of(src, "twitter.request("), "high"),
    ]


# --- TwitterAPI --------------------------------------------------------------------------------

TWITTERAPI = """
from TwitterAPI import TwitterAPI

api = TwitterAPI(CONSUMER_KEY, CONSUMER_SECRET, ACCESS_TOKEN_KEY, ACCESS_TOKEN_SECRET)
r = api.request("favorites/create", {"id": TWEET_ID})
print(r.status_code)
r = api.request("favorites/destroy", {"id": TWEET_ID})
for item in api.request("favorites/list", {"count": 200}):
    print(item["favorited"])
api.request("statuses/update", {"status": "hi"})
"""


def test_twitterapi_script() -> None:
    src, found = audit(TWITTERAPI)
    assert found == [
        ("CPT101", line_of(src, '"favorites/create"'), "high"),
        ("CPT102", line_of(src, '"favorites/destroy"'), "high"),
        ("CPT103", line_of(src, '"favorites/list"'), "high"),
        ("CPT201", line_of(src, 'item["favorited"]'), "high"),
    ]
    create = scan_source(textwrap.dedent(TWITTERAPI))[0]
    assert create.library == "TwitterAPI"
    assert create.advice.startswith("Swap the request")  # responses, not statuses


# --- raw URLs ----------------------------------------------------------------------------------

RAW = """
import os

from requests_oauthlib import OAuth1Session

session = OAuth1Session(os.environ["CK"], client_secret=os.environ["CS"],
                        resource_owner_key=os.environ["AT"],
                        resource_owner_secret=os.environ["ATS"])
API = "https://api.twitter.com/1.1"
LIKE_URL = "https://api.twitter.com/1.1/favorites/create.json"


def like(tid):
    return session.post(f"{API}/favorites/create.json", params={"id": tid})


def like_old(tid):
    return session.post("https://api.twitter.com/1/favorites/create/%d.json" % tid)


def unlike(tid):
    return session.post("https://api.twitter.com/1.1/favorites/destroy/{}.json".format(tid))


def likes(count=200):
    return session.get(API + "/favorites/list.json", params={"count": count}).json()


def likes_v1():
    return session.get("https://api.twitter.com/1/favorites.json").json()


def on_x(tid):
    return session.post(f"https://api.x.com/1.1/favorites/destroy.json?id={tid}")


def act(action, tid):
    return session.post(f"https://api.twitter.com/1.1/favorites/{action}.json", data={"id": tid})
"""


def test_raw_urls_strings_fstrings_concatenation_and_format() -> None:
    src, found = audit(RAW)
    assert found == [
        ("CPT111", line_of(src, "LIKE_URL ="), "high"),
        ("CPT111", line_of(src, 'f"{API}/favorites/create.json"'), "high"),
        ("CPT111", line_of(src, "1/favorites/create/%d.json"), "high"),
        ("CPT112", line_of(src, "destroy/{}.json"), "high"),
        ("CPT113", line_of(src, 'API + "/favorites/list.json"'), "high"),
        ("CPT113", line_of(src, "1/favorites.json"), "high"),
        ("CPT112", line_of(src, "api.x.com"), "high"),
        ("CPT114", line_of(src, "favorites/{action}"), "high"),
    ]
    findings = scan_source(textwrap.dedent(RAW).lstrip("\n"))
    fstring = findings[1]
    # the legacy text is the call the URL is sent with
    assert fstring.legacy == 'session.post(f"{API}/favorites/create.json", params={"id": tid})'
    assert fstring.library == "raw HTTP"
    assert "favorites_create" in fstring.advice


def test_hostless_url_is_high_with_twitter_evidence_and_low_without() -> None:
    with_evidence = 'import tweepy\nurl = "/1.1/favorites/list.json"\n'
    without = 'url = "/1.1/favorites/list.json"\n'
    assert triples(scan_source(with_evidence)) == [("CPT113", 2, "high")]
    assert triples(scan_source(without)) == [("CPT113", 1, "low")]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://api.twitter.com/1.1/favorites/create.json", ("favorites/create", "high")),
        ("https://api.twitter.com/1.1/favorites/create/{id}.json", ("favorites/create", "high")),
        ("https://api.twitter.com/1.1/favorites/destroy.json?id=1", ("favorites/destroy", "high")),
        ("http://api.twitter.com/1/favorites/list.json", ("favorites/list", "high")),
        ("https://api.twitter.com/1.1/favorites/{}.json", ("favorites/*", "high")),
        ("https://example.com/api/favorites/list", None),
        ("https://example.com/1.1/favorites/list.json", None),
        ("https://api.twitter.com/2/users/1/likes", None),
        ("https://api.twitter.com/1.1/favorites/listing.json", None),
        ("https://api.twitter.com/1.1/favorites", None),
        ("favorites/create", None),  # no version, no .json: too vague on its own
    ],
)
def test_match_url(value: str, expected: tuple[str, str] | None) -> None:
    assert match_url(value, evidence=False) == expected


def test_short_json_path_needs_evidence() -> None:
    src = "import twython\nurl = BASE + 'favorites/create.json'\n"
    assert triples(scan_source(src)) == [("CPT111", 2, "low")]
    assert scan_source("url = BASE + 'favorites/create.json'\n") == []


# --- fields ------------------------------------------------------------------------------------


def test_field_reads_high_low_and_nil() -> None:
    src, found = audit(
        """
        import tweepy
        api = tweepy.API(auth)
        status = api.create_favorite(42)
        print(status.favorited, status["favorite_count"], status.get("favorited"))
        print(status.user.favourites_count, status._json["user"]["favourites_count"])
        other = api.get_status(42)
        print(other.favorite_count)
        other.favorited = True
        cache["favorited"] = False
        liked = [s.favorited for s in api.favorites()]
        """
    )
    line = line_of(src, "print(status.favorited")
    user_line = line_of(src, "status.user.favourites_count")
    assert found == [
        ("CPT101", line_of(src, "api.create_favorite"), "high"),
        ("CPT201", line, "high"),
        ("CPT203", line, "high"),
        ("CPT201", line, "high"),
        ("CPT202", user_line, "high"),
        ("CPT202", user_line, "high"),
        # get_status is statuses/show (CPT105): its result is a v1.1 status, so high
        ("CPT203", line_of(src, "other.favorite_count"), "high"),
        # stores (`other.favorited = True`, `cache[...] = ...`) are not reads
        ("CPT201", line_of(src, "liked ="), "high"),
        ("CPT103", line_of(src, "liked ="), "high"),
    ]


def test_evidence_from_a_reported_url_covers_the_whole_module() -> None:
    src = (
        "def show(status):\n    return status['favorited']\n"
        "URL = 'https://api.twitter.com/1.1/favorites/list.json'\n"
    )
    assert triples(scan_source(src)) == [("CPT201", 2, "low"), ("CPT113", 3, "high")]


def test_wait_on_rate_limit_notify_confidence() -> None:
    resolved = "from tweepy import API\napi = API(auth, wait_on_rate_limit_notify=True)\n"
    guessed = "api = make_api(auth, wait_on_rate_limit_notify=True)\n"
    assert triples(scan_source(resolved)) == [("CPT204", 2, "high")]
    assert triples(scan_source(guessed)) == [("CPT204", 1, "low")]


# --- near misses -------------------------------------------------------------------------------

NEAR_MISSES = """
'''Shop favorites. Mentions https://api.twitter.com/1.1/favorites/list.json in prose.'''
import json

import requests


def favorites(user):
    '''GET https://api.twitter.com/1.1/favorites/create.json is not called here.'''
    return requests.get("https://example.com/api/favorites/list", params={"user": user}).json()


class Shop:
    def favorites(self):
        return []

    def create_favorite(self, item):
        return item

    def show(self):
        self.create_favorite(1)
        return self.favorites()


favorites("x")
shop = Shop()
shop.create_favorite(2)
shop.favorites()
# api.create_favorite(1)  requests.post("https://api.twitter.com/1.1/favorites/create.json")
'''api.destroy_favorite(1) in a commented-out block'''
rows = json.load(open("archive.json"))
print(sum(row["favorited"] for row in rows), rows[0].favorite_count)
data = {"favorited": True, "favourites_count": 3}
requests.get("https://example.com/1.1/favorites/list.json")
cache.get("favorites/list")
user.favorites()
"""


def test_near_misses_are_not_reported() -> None:
    _, found = audit(NEAR_MISSES)
    assert found == []


def test_near_misses_in_a_module_that_uses_tweepy() -> None:
    """Local `favorites` functions and methods stay quiet even where Twitter is in use."""
    source = NEAR_MISSES.replace("import json\n", "import json\nimport tweepy\n")
    src, found = audit(source)
    # With tweepy imported, field reads of unknown origin become low-confidence findings, and
    # the generic `user.favorites()` and Twython-like `x.get("favorites/list")` low-confidence
    # guesses; the local functions, methods, prose and other hosts' URLs stay quiet.
    assert found == [
        ("CPT201", line_of(src, 'row["favorited"]'), "low"),
        ("CPT203", line_of(src, "rows[0].favorite_count"), "low"),
        ("CPT103", line_of(src, 'cache.get("favorites/list")'), "low"),
        ("CPT103", line_of(src, "user.favorites()"), "low"),
    ]


# --- aliases and assignment tracking -----------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "import tweepy\napi = tweepy.API(auth)\napi.create_favorite(1)\n",
        "import tweepy as tw\napi = tw.API(auth)\napi.create_favorite(1)\n",
        "from tweepy import API\napi = API(auth)\napi.create_favorite(1)\n",
        "from tweepy import API as TwAPI\napi = TwAPI(auth)\napi.create_favorite(1)\n",
        "from tweepy.api import API\napi = API(auth)\napi.create_favorite(1)\n",
        "import tweepy.api\napi = tweepy.api.API(auth)\napi.create_favorite(1)\n",
        "import tweepy\nfirst = tweepy.API(auth)\napi = first\napi.create_favorite(1)\n",
        "import tweepy\n\ntweepy.API(auth).create_favorite(1)\n",
        "import tweepy\nif (api := tweepy.API(auth)):\n    api.create_favorite(1)\n",
        "import tweepy\ndef like(api: tweepy.API):\n    api.create_favorite(1)\n",
        "import tweepy\ndef like(api: 'tweepy.API'):\n    api.create_favorite(1)\n",
        "import tweepy\napi: tweepy.API\napi.create_favorite(1)\n",
        "import tweepy\nclass Bot(tweepy.API):\n"
        "    def go(self):\n        self.create_favorite(1)\n",
        "import twython as tn\napi = tn.Twython(k, s, t, ts)\napi.create_favorite(id=1)\n",
        "from twython import Twython as T\napi = T(k, s, t, ts)\napi.create_favorite(id=1)\n",
        "import twitter as pt\napi = pt.Api()\napi.CreateFavorite(status_id=1)\n",
        "from twitter import Api\napi = Api()\napi.CreateFavorite(status_id=1)\n",
    ],
)
def test_aliases_resolve_to_high_confidence(source: str) -> None:
    found = scan_source(source)
    assert [(f.code, f.confidence) for f in found] == [("CPT101", "high")]
    assert found[0].line == len(source.rstrip("\n").splitlines())


def test_self_attribute_set_in_init_resolves_in_other_methods() -> None:
    src, found = audit(
        """
        import tweepy as tw


        class Liker:
            def __init__(self, auth):
                self.api = tw.API(auth)

            def like(self, tweet_id):
                return self.api.create_favorite(tweet_id)

            def history(self):
                return tw.Cursor(self.api.favorites).items(100)
        """
    )
    assert found == [
        ("CPT101", line_of(src, "self.api.create_favorite"), "high"),
        ("CPT104", line_of(src, "tw.Cursor"), "high"),
    ]


def test_unresolved_receivers_are_low_confidence_guesses() -> None:
    src, found = audit(
        """
        def run(client, ids):
            for i in ids:
                client.create_favorite(i)
            return client.GetFavorites(count=20)
        """
    )
    assert found == [
        ("CPT101", line_of(src, "client.create_favorite"), "low"),
        ("CPT103", line_of(src, "client.GetFavorites"), "low"),
    ]
    guess = scan_source(src)[0]
    assert guess.library == "tweepy or Twython"
    assert guess.detail is not None and "guessed" in guess.detail


def test_tweepy_status_favorite_method() -> None:
    src, found = audit(
        """
        import tweepy
        api = tweepy.API(auth)
        for tweet in tweepy.Cursor(api.search, q="#python").items(10):
            tweet.favorite()
        for status in api.favorites():
            status.favorite()
        """
    )
    assert found == [
        ("CPT101", line_of(src, "tweet.favorite()"), "low"),
        ("CPT103", line_of(src, "api.favorites()"), "high"),
        ("CPT101", line_of(src, "status.favorite()"), "high"),
    ]
    # without tweepy, `.favorite()` is just a method name
    assert scan_source("import twython\nitem.favorite()\n") == []


def test_method_reference_on_a_resolved_client() -> None:
    src, found = audit(
        """
        from concurrent.futures import ThreadPoolExecutor
        import tweepy
        api = tweepy.API(auth)
        with ThreadPoolExecutor() as pool:
            list(pool.map(api.create_favorite, ids))
        """
    )
    assert found == [("CPT101", line_of(src, "pool.map"), "high")]


def test_other_libraries_methods_are_not_confused() -> None:
    """tweepy 4's v2 Client and python-twitter's GetFavorites on tweepy are not legacy calls."""
    src = (
        "import tweepy\nimport twitter\n"
        "client = tweepy.Client(bearer)\nclient.like(1)\nclient.get_liked_tweets(2)\n"
        "api = twitter.Api()\napi.create_favorite(1)\n"
    )
    assert scan_source(src) == []


def test_columns_count_characters_not_bytes() -> None:
    src = 'import tweepy\napi = tweepy.API(a)\nx = "café"; api.create_favorite(1)\n'
    (finding,) = scan_source(src)
    assert (finding.line, finding.column) == (3, 13)
    assert finding.end_column == 13 + len("api.create_favorite(1)")
