"""Costs and plans per finding, X's policy on automated likes (quoted exactly), and the
companion calls of each library."""

from __future__ import annotations

import hashlib
import json
import pathlib

import pytest

from compat import params
from compat._plans import get_plan
from compat.audit import companions, policy, scan_source
from compat.audit.costs import estimate
from compat.cli import main
from tests._support.audit_tree import Tree

HERE = pathlib.Path(__file__).resolve().parent
GUIDELINES = HERE / "realdata" / "developer-guidelines.mdx"
PRICING = (
    HERE.parents[1] / "tests" / "realdata" / "x-docs-2026" / "x-api_getting-started_pricing.mdx"
)


def test_the_guidelines_copy_is_the_shared_one() -> None:
    digest = hashlib.sha256(GUIDELINES.read_bytes()).hexdigest()
    assert digest == "3fae414e4544710e57a98ee002dce193197a9d0172a8d204b799da9be5883223"


@pytest.mark.parametrize("quote", [policy.LIKES_RULE, policy.AUTOMATION_ROW, policy.HASHTAG_ROW])
def test_every_quote_is_on_its_line(quote: policy.Quote) -> None:
    line = GUIDELINES.read_text(encoding="utf-8").splitlines()[quote.line - 1]
    assert quote.text in line


def test_every_price_line_of_an_unserved_endpoint_is_on_its_line() -> None:
    lines = PRICING.read_text(encoding="utf-8").splitlines()
    for endpoint in companions.V11.values():
        if endpoint.price is None:
            continue
        text, source = endpoint.price
        file, number = source.split(":")
        assert file == PRICING.name
        name, price = text.rsplit(" $", 1)
        row = lines[int(number) - 1]
        assert f"**{name}**" in row and f"&dollar;{price}" in row, (endpoint.name, row)


@pytest.mark.parametrize(
    ("source", "pattern", "confidence"),
    [
        ("for t in api.search(q='#python'):\n    api.create_favorite(t.id)\n", "search", "high"),
        (
            "for t in api.home_timeline():\n    if 'python' in t.text:\n"
            "        api.create_favorite(t.id)\n",
            "keyword",
            "high",
        ),
        (
            "while True:\n    api.create_favorite(next_id())\n    time.sleep(60)\n",
            "schedule",
            "high",
        ),
        (
            "def job():\n    api.create_favorite(1)\nschedule.every(10).minutes.do(job)\n",
            "schedule",
            "high",
        ),
        ("for i in ids:\n    api.create_favorite(i)\n", "loop", "medium"),
        ("[api.create_favorite(i) for i in ids]\n", "loop", "medium"),
    ],
)
def test_automated_liking_quotes_the_guidelines(source: str, pattern: str, confidence: str) -> None:
    found = scan_source("import tweepy, time, schedule\napi = tweepy.API(a)\n" + source)
    (rule,) = [f for f in found if f.code == "CPT301"]
    assert (rule.policy, rule.confidence) == (pattern, confidence)
    data = rule.to_dict()["policy"]
    assert data["source"] == "developer-guidelines.mdx:108"
    assert data["quote"].startswith("Likes must be directly initiated by the authenticated user.")


def test_a_single_like_is_no_policy_finding() -> None:
    found = scan_source("import tweepy\napi = tweepy.API(a)\napi.create_favorite(int(argv[1]))\n")
    assert "CPT301" not in {f.code for f in found}


def test_v2_and_compat_likes_in_loops_are_policy_findings_too() -> None:
    src = (
        "import tweepy\nfrom compat import favorites_create\nclient = tweepy.Client(b)\n"
        "for t in tweets:\n    client.like(t)\n    favorites_create(id=t)\n"
    )
    assert [f.code for f in scan_source(src)].count("CPT301") == 2


def test_each_finding_prices_its_call_on_the_plan(
    tree: Tree, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tree(
        {
            "bot.py": "import tweepy\napi = tweepy.API(a)\napi.create_favorite(1)\n"
            "api.favorites(count=200)\napi.favorites('jack', count=200)\n"
        }
    )
    assert main(["audit", str(root), "--format", "json", "--calls-per-day", "100"]) == 1
    data = json.loads(capsys.readouterr().out)
    create, listing, theirs = (f["estimate"] for f in data["findings"])
    assert create["plan"] == "pay-per-use"
    assert create["requests"] == {"tweets": 1, "like": 1}
    # the lookup returns a post ($0.005) and its author ($0.010); the like is not offered
    assert create["micro_usd_per_call"] == 15_000
    assert create["unpriced"] == ["like: Enterprise-only, custom price"]
    assert create["needs"].startswith("Enterprise or the gateway")
    assert listing["v2_requests"] == 2  # count=200: two pages of 100
    # your own likes are Owned Reads ($0.001 a post), another user's $0.005 a post
    assert listing["micro_usd_per_call"] == 200 * 1_000
    assert "Owned Reads" in listing["basis"]
    assert theirs["micro_usd_per_call"] == 200 * 5_000
    cost = data["summary"]["cost"]
    assert cost["monthly_usd"] == pytest.approx((0.015 + 0.2 + 1.0) * 100 * 30)
    main(["audit", str(root), "--calls-per-day", "100"])
    text = capsys.readouterr().out
    assert "Cost per call site on pay-per-use" in text and "monthly at 100 calls/day" in text


def test_the_like_advice_names_the_plan_it_needs() -> None:
    (f,) = scan_source("import tweepy\ntweepy.API(a).create_favorite(1)\n")
    assert "needs Enterprise or the gateway" in f.message
    assert "Enterprise or the gateway" in f.advice


def test_enterprise_is_unpriced_but_offered() -> None:
    e = estimate("favorites/create", get_plan("enterprise"))
    assert e is not None and e.needs is None and e.usd == "unpriced"


LIBRARIES = [
    ("import tweepy\napi = tweepy.API(a)\napi.user_timeline(screen_name='x')\n", "tweepy"),
    (
        "import twitter\napi = twitter.Api()\napi.GetUserTimeline(screen_name='x')\n",
        "python-twitter",
    ),
    (
        "from twython import Twython\nt = Twython(k)\nt.get_user_timeline(screen_name='x')\n",
        "Twython",
    ),
    (
        "from TwitterAPI import TwitterAPI\napi = TwitterAPI(k)\n"
        "api.request('statuses/user_timeline', {'count': 5})\n",
        "TwitterAPI",
    ),
    (
        "from twitter import Twitter, OAuth\nt = Twitter(auth=OAuth(1, 2, 3, 4))\n"
        "t.statuses.user_timeline(screen_name='x')\n",
        "python-twitter-tools",
    ),
    (
        "import requests\nrequests.get('https://api.twitter.com/1.1/statuses/user_timeline.json')\n",
        "raw HTTP",
    ),
]


@pytest.mark.parametrize(("source", "library"), LIBRARIES)
def test_companion_calls_of_each_library(source: str, library: str) -> None:
    (f,) = scan_source(source)
    assert (f.v11_endpoint, f.library) == ("statuses/user_timeline", library)
    assert f.code in {"CPT105", "CPT115"}
    assert f.replacement == "GET /2/users/:id/tweets"


@pytest.mark.parametrize("endpoint", sorted(params.LEGACY_ENDPOINTS))
def test_every_endpoint_compat_serves_is_a_served_finding(endpoint: str) -> None:
    src = f"import requests\nrequests.get('https://api.twitter.com/1.1/{endpoint}.json')\n"
    (f,) = scan_source(src)
    assert f.v11_endpoint == endpoint and f.code in {"CPT111", "CPT112", "CPT113", "CPT115"}


@pytest.mark.parametrize(
    ("call", "endpoint"),
    [
        ("api.update_status('hi')", "statuses/update"),
        ("api.create_friendship(user_id=1)", "friendships/create"),
        ("api.followers_ids()", "followers/ids"),
        ("api.send_direct_message(1, 'hi')", "direct_messages/events/new"),
        ("api.media_upload('a.png')", "media/upload"),
    ],
)
def test_unserved_calls_fail_on_the_retired_api(call: str, endpoint: str) -> None:
    (f,) = scan_source(f"import tweepy\napi = tweepy.API(a)\n{call}\n")
    assert (f.code, f.v11_endpoint) == ("CPT106", endpoint)
    assert f.replacement == companions.V11[endpoint].v2


@pytest.mark.parametrize("method", ["search", "search_tweets"])  # tweepy 3, tweepy 4
def test_tweepy_search_is_search_tweets(method: str) -> None:
    (f,) = scan_source(f"import tweepy\napi = tweepy.API(a)\napi.{method}(q='x')\n")
    assert (f.code, f.v11_endpoint) == ("CPT105", "search/tweets")


def test_python_twitter_tools_favorites_chain() -> None:
    src = "from twitter import Twitter\nt = Twitter(auth=a)\nt.favorites.create(_id=1)\n"
    (f,) = scan_source(src)
    assert (f.code, f.library) == ("CPT101", "python-twitter-tools")
