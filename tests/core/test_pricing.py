"""compat._pricing: what a served call costs, checked on hand-computed cases.

The prices are the pricing page's (x-api_getting-started_pricing.mdx, 2026-08-22): Posts: Read
$0.005 per post, User: Read $0.010 per user, Owned Reads $0.001 per post, User Interaction:
Create $0.015 and Interaction: Delete $0.010 per request (not offered on self-serve). The
expected figures below are worked out by hand from those; the pricer reads the plans table.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import logging
import pathlib
import threading
import tracemalloc
from collections.abc import Callable, Iterator
from types import MappingProxyType

import pytest

import compat
from compat import Favorites
from compat._plans import Plan, Terms, get_plan
from compat._pricing import (
    ENTERPRISE_ONLY,
    UNKNOWNS,
    CallCost,
    DayLedger,
    Pricer,
    WriteCost,
    format_usd,
    micros,
)
from compat.emulator import Emulator
from compat.transport import V2Call

ME = "1072250532645998596"  # the emulator's default user
OTHER = "705850200473010178"
NOON = datetime.datetime(2026, 9, 1, 12, tzinfo=datetime.timezone.utc)


def at(when: datetime.datetime) -> Callable[[], datetime.datetime]:
    return lambda: when


class Clock:
    """A clock the test moves."""

    def __init__(self, now: datetime.datetime) -> None:
        self.now = now

    def __call__(self) -> datetime.datetime:
        return self.now


def page(user: str, posts: int = 3, authors: int = 2, status: int | None = 200) -> V2Call:
    """A liked_tweets page of ``user``: ``posts`` posts by ``authors`` expanded authors."""
    resources = tuple(("post", f"10{i}") for i in range(posts))
    resources += tuple(("user", f"20{i}") for i in range(authors))
    return V2Call("GET", f"/2/users/{user}/liked_tweets", status, 1.0, "liked_tweets", resources)


def lookup(post: str = "300", author: str = "400", status: int | None = 200) -> V2Call:
    return V2Call("GET", "/2/tweets", status, 1.0, "tweets", (("post", post), ("user", author)))


LIKE = V2Call("POST", f"/2/users/{ME}/likes", 200, 1.0, "like")
UNLIKE = V2Call("DELETE", f"/2/users/{ME}/likes/300", 200, 1.0, "unlike")


def payg(**options: object) -> Pricer:
    return Pricer(get_plan("pay-per-use"), clock=at(NOON), **options)  # type: ignore[arg-type]


# --- reads -------------------------------------------------------------------------------------


def test_a_page_of_3_posts_and_2_authors_of_someone_else() -> None:
    cost = payg().price([page(OTHER)], owner=ME)
    # 3 posts x $0.005 + 2 users x $0.010
    assert (cost.micro_usd, cost.usd) == (35_000, 0.035)
    assert (cost.posts_read, cost.users_read, cost.owned_reads) == (3, 2, 0)
    assert cost.unpriced == () and cost.writes == ()
    assert cost.plan == "pay-per-use"


def test_the_same_page_of_your_own_likes_is_owned_reads() -> None:
    cost = payg().price([page(ME)], owner=ME)
    # 3 posts x $0.001 (Owned Reads) + 2 users x $0.010 (the authors stay User: Read)
    assert (cost.micro_usd, cost.usd) == (23_000, 0.023)
    assert (cost.posts_read, cost.users_read, cost.owned_reads) == (3, 2, 3)
    assert [r.owned for r in cost.requests] == [True]
    assert "owned_expansions" in UNKNOWNS


def test_owned_reads_can_be_turned_off() -> None:
    # the app owner is not the authenticated user: list price
    cost = payg(owned_reads=False).price([page(ME)], owner=ME)
    assert (cost.usd, cost.owned_reads) == (0.035, 0)
    assert "owned_reads=False" in UNKNOWNS["owned_reads"]


def test_without_an_owner_nothing_is_owned() -> None:
    assert payg().price([page(ME)], owner=None).usd == 0.035


def test_one_post_read_twice_on_one_utc_day_is_billed_once() -> None:
    clock = Clock(NOON)
    pricer = Pricer(get_plan("pay-per-use"), clock=clock)
    first = pricer.price([lookup()], owner=ME)
    assert (first.usd, first.posts_read, first.users_read) == (0.015, 1, 1)  # $0.005 + $0.010
    clock.now = NOON.replace(hour=23, minute=59, second=59)
    again = pricer.price([lookup()], owner=ME)
    assert (again.usd, again.posts_read, again.users_read) == (0.0, 0, 0)
    assert again.requests[0].billed is False
    # the window resets at midnight UTC
    clock.now = NOON.replace(day=2, hour=0, minute=0, second=0)
    next_day = pricer.price([lookup()], owner=ME)
    assert (next_day.usd, next_day.posts_read) == (0.015, 1)


def test_the_utc_day_decides_not_the_local_one() -> None:
    clock = Clock(datetime.datetime(2026, 9, 1, 23, 30, tzinfo=datetime.timezone.utc))
    pricer = Pricer(get_plan("pay-per-use"), clock=clock)
    assert pricer.price([lookup()], owner=None).usd == 0.015
    # 01:30 in UTC+2 is 23:30 UTC of the same day: still deduplicated
    plus_two = datetime.timezone(datetime.timedelta(hours=2))
    clock.now = datetime.datetime(2026, 9, 2, 1, 30, tzinfo=plus_two)
    assert pricer.price([lookup()], owner=None).usd == 0.0


def test_a_resource_in_two_requests_of_one_call_is_billed_once() -> None:
    # the post lookup and the listing both return post 100 and user 200
    cost = payg().price([lookup("100", "200"), page(OTHER)], owner=ME)
    assert (cost.posts_read, cost.users_read) == (3, 2)
    assert cost.usd == 0.035
    assert [r.posts_read for r in cost.requests] == [1, 2]


def test_a_failed_request_costs_nothing() -> None:
    pricer = payg()
    for status in (None, 400, 401, 403, 404, 429, 500, 503):
        cost = pricer.price([page(OTHER, status=status), lookup(status=status)], owner=ME)
        assert (cost.micro_usd, cost.posts_read, cost.users_read) == (0, 0, 0), status
        assert not any(r.billed for r in cost.requests)
    # and its resources were not charged: a later success bills them
    assert pricer.price([lookup()], owner=ME).usd == 0.015


def test_a_read_that_returns_nothing_costs_nothing() -> None:
    empty = V2Call("GET", f"/2/users/{OTHER}/liked_tweets", 200, 1.0, "liked_tweets")
    cost = payg().price([empty], owner=ME)
    assert (cost.micro_usd, cost.posts_read, cost.users_read, cost.unpriced) == (0, 0, 0, ())
    assert cost.requests[0].billed is False


def test_a_list_of_100_posts_and_100_users() -> None:
    cost = payg().price([page(OTHER, posts=100, authors=100)], owner=ME)
    # 100 x $0.005 + 100 x $0.010, exactly
    assert (cost.micro_usd, cost.usd, format_usd(cost.micro_usd)) == (1_500_000, 1.5, "$1.500")


# --- writes ------------------------------------------------------------------------------------


def test_a_like_on_pay_per_use_is_enterprise_only() -> None:
    cost = payg().price([LIKE], owner=ME)
    assert cost.unpriced == ("like: Enterprise-only, custom price",)
    assert cost.writes == (WriteCost("like", None),)
    assert cost.usd == 0.0
    assert ENTERPRISE_ONLY == "Enterprise-only, custom price"


def test_a_create_on_pay_per_use_prices_the_lookup_and_not_the_like() -> None:
    cost = payg().price([lookup(), LIKE], owner=ME)
    assert (cost.usd, cost.posts_read, cost.users_read) == (0.015, 1, 1)
    assert cost.unpriced == ("like: Enterprise-only, custom price",)
    assert cost.describe() == (
        "$0.015 (1 post read, 1 user read, 1 write); unpriced: like: Enterprise-only, custom price"
    )


def test_an_unlike_on_pay_per_use_is_enterprise_only_too() -> None:
    assert payg().price([UNLIKE], owner=ME).unpriced == ("unlike: Enterprise-only, custom price",)


def test_a_failed_like_is_no_write() -> None:
    refused = dataclasses.replace(LIKE, status=403)
    cost = payg().price([refused], owner=ME)
    assert (cost.writes, cost.unpriced, cost.usd) == ((), (), 0.0)


def test_writes_are_not_deduplicated() -> None:
    pricer = Pricer(_priced_writes(), clock=at(NOON))
    cost = pricer.price([LIKE], owner=ME) + pricer.price([LIKE], owner=ME)
    assert cost.writes == (WriteCost("like", 0.015), WriteCost("like", 0.015))
    assert (cost.micro_usd, cost.usd) == (30_000, 0.03)


def test_enterprise_prices_are_custom_but_the_counts_are_kept() -> None:
    cost = Pricer(get_plan("enterprise"), clock=at(NOON)).price([lookup(), LIKE], owner=ME)
    assert cost.usd == 0.0
    assert (cost.posts_read, cost.users_read, len(cost.writes)) == (1, 1, 1)
    assert cost.unpriced == (
        "tweets: custom price, not published",
        "like: custom price, not published",
    )


def test_a_subscription_plan_has_no_per_request_price() -> None:
    plan = get_plan("legacy-basic")
    cost = Pricer(plan, clock=at(NOON)).price([lookup()], owner=ME)
    assert (cost.usd, cost.posts_read) == (0.0, 1)
    assert cost.unpriced == ("tweets: in the legacy-basic subscription, no per-request price",)


def test_a_gateway_write_has_no_x_price() -> None:
    gateway = V2Call("POST", "/twitter/like_twitter", 200, 1.0, "gateway_like")
    cost = payg().price([gateway], owner=ME)
    assert cost.unpriced == ("gateway_like: not offered on pay-per-use",)


# --- the table is the only source ---------------------------------------------------------------


def _priced_writes() -> Plan:
    """pay-per-use with likes offered at their list price (no such plan exists today)."""
    plan = get_plan("pay-per-use")
    endpoints = dict(plan.endpoints)
    endpoints["like"] = dataclasses.replace(endpoints["like"], available=True)
    return dataclasses.replace(plan, name="test-likes", endpoints=MappingProxyType(endpoints))


def test_prices_come_from_the_plans_table() -> None:
    plan = get_plan("pay-per-use")
    endpoints: dict[str, Terms] = dict(plan.endpoints)
    for name in ("liked_tweets", "users_me"):
        price = endpoints[name].price
        assert price is not None
        endpoints[name] = dataclasses.replace(
            endpoints[name], price=dataclasses.replace(price, usd=0.007, owned_usd=0.002)
        )
    dearer = dataclasses.replace(plan, name="test", endpoints=MappingProxyType(endpoints))
    # 3 posts x $0.007 + 2 users x $0.007 (the user price is read on users_me)
    assert Pricer(dearer, clock=at(NOON)).price([page(OTHER)], owner=ME).usd == 0.035
    # owned: 3 x $0.002 + 2 x $0.007
    assert Pricer(dearer, clock=at(NOON)).price([page(ME)], owner=ME).usd == 0.02


def test_amounts_are_exact() -> None:
    assert micros(0.005) * 3 + micros(0.010) * 2 == 35_000
    assert format_usd(1) == "$0.000001"
    assert format_usd(0) == "$0.000"
    total = CallCost()
    for _ in range(1000):
        total = total + CallCost(micro_usd=micros(0.001))
    assert (total.micro_usd, total.usd) == (1_000_000, 1.0)  # 1000 floats would drift
    assert CallCost(usd=0.035).micro_usd == 35_000


def test_costs_add_up() -> None:
    a = payg().price([page(OTHER)], owner=ME)
    b = payg().price([LIKE], owner=ME)
    both = a + b
    assert (both.usd, both.posts_read, both.users_read) == (0.035, 3, 2)
    assert both.unpriced == b.unpriced and both.writes == b.writes
    assert both.plan == "pay-per-use"
    assert (a + CallCost(plan="enterprise")).plan is None


# --- the ledger ----------------------------------------------------------------------------------


def test_the_ledger_keeps_one_day() -> None:
    ledger = DayLedger()
    day = datetime.date(2026, 9, 1)
    assert ledger.claim(day, [("post", str(i)) for i in range(50)]) == [True] * 50
    assert len(ledger) == 50
    assert ledger.claim(day + datetime.timedelta(days=1), [("post", "1")]) == [True]
    assert len(ledger) == 1  # yesterday's resources are forgotten


def test_the_ledger_bills_each_id_once_a_day_exactly() -> None:
    """X's rule over a realistic day: 200,000 distinct snowflake ids (posts, and users with
    the same numbers), each charged once; every repeat free; kinds and spellings apart."""
    ledger = DayLedger()
    day = datetime.date(2026, 9, 1)
    base = 1626194750222094336  # real snowflakes: 4,096 ids a millisecond differ in low bits
    ids = [str(base + (i << 10) + i % 7) for i in range(200_000)]
    for start in range(0, len(ids), 100):
        chunk = ids[start : start + 100]
        claimed = ledger.claim(day, [("post", i) for i in chunk] + [("user", i) for i in chunk])
        assert claimed == [True] * 200
    assert len(ledger) == 400_000
    assert ledger.claim(day, [("post", i) for i in ids[::997]]) == [False] * len(ids[::997])
    assert ledger.claim(day, [("user", i) for i in ids[::991]]) == [False] * len(ids[::991])
    # neighbours of billed ids, the largest id, and spellings that are not the same id
    assert ledger.claim(
        day,
        [("post", str(int(ids[5]) + 1)), ("post", str(2**63 - 1)), ("post", "0" + ids[5])],
    ) == [True, True, True]
    assert ledger.claim(day, [("post", "0" + ids[5]), ("post", str(2**63 - 1))]) == [False, False]
    # the audit's 8-byte hex digests, and a key that is no pair at all
    assert ledger.claim(day, [("post", "00c0ffee00c0ffee"), "odd", "odd"]) == [True, True, False]
    assert ledger.claim(day, [("post", "00c0ffee00c0ffee")]) == [False]


def test_the_ledger_keeps_8_bytes_and_a_little_a_resource() -> None:
    """The ledger's memory, counted by tracemalloc and by itself: about 8.6 bytes per distinct
    resource of the day (a set of id strings took about 160 per like)."""
    ledger = DayLedger()
    day = datetime.date(2026, 9, 1)
    batches = [
        [("post", str(1626194750222094336 + (n << 12))) for n in range(start, start + 100)]
        for start in range(0, 300_000, 100)
    ]
    tracemalloc.start()
    try:
        ledger.claim(day, batches[0])
        before = tracemalloc.get_traced_memory()[0]
        for batch in batches[1:]:
            ledger.claim(day, batch)
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(ledger) == 300_000
    assert 8 * 300_000 <= ledger.nbytes() < 9 * 300_000
    assert grown < 9 * 300_000 + 200_000, grown  # the arrays, and the bucket objects once
    ledger.claim(day + datetime.timedelta(days=1), [("post", "1")])
    assert len(ledger) == 1 and ledger.nbytes() == 8  # a new day frees the old one


def test_concurrent_calls_bill_a_post_once() -> None:
    pricer = payg()
    barrier = threading.Barrier(8)
    costs: list[CallCost] = []
    lock = threading.Lock()

    def worker() -> None:
        barrier.wait()
        for _ in range(50):
            cost = pricer.price([page(OTHER, posts=20, authors=5)], owner=ME)
            with lock:
                costs.append(cost)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(c.posts_read for c in costs) == 20
    assert sum(c.users_read for c in costs) == 5
    assert sum(c.micro_usd for c in costs) == 20 * 5_000 + 5 * 10_000


def test_repr() -> None:
    assert repr(payg()) == "Pricer('pay-per-use', owned_reads=True)"


# --- end to end: Favorites against the emulator ------------------------------------------------


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator(likes=5) as emulator:
        emulator.rate_limits.lift()
        yield emulator


POST = "1626194750222094336"  # the socialfoundations golden post, in the default dataset


def test_favorites_prices_its_calls_into_the_audit_log(
    emu: Emulator, tmp_path: pathlib.Path
) -> None:
    path = tmp_path / "audit.jsonl"
    favorites = Favorites(
        emu.credentials, api_base=emu.base_url, plan="pay-per-use", audit_log=path
    )
    favorites.list(count=5)
    favorites.list(count=5)  # the same page again, the same UTC day
    favorites.create(POST)
    listed, again, created = (json.loads(line) for line in path.read_text().splitlines())
    (request,) = listed["v2_requests"]
    assert (request["endpoint"], request["owned"]) == ("liked_tweets", True)
    posts, users = len(request["posts"]), len(request["users"])
    assert (posts, users) == (5, 5)
    # the user's own likes: 5 posts x $0.001 (Owned Reads) + 5 authors x $0.010
    assert listed["cost"] == {
        "plan": "pay-per-use",
        "usd": 0.055,
        "posts_read": 5,
        "owned_reads": 5,
        "users_read": 5,
        "writes": [],
        "unpriced": [],
    }
    assert again["cost"]["usd"] == 0.0 and again["cost"]["posts_read"] == 0
    # the lookup returns the post and the one it quotes, with their 2 authors: 2 x $0.005 +
    # 2 x $0.010; the like itself is Enterprise-only on pay-per-use
    (lookup_request, like_request) = created["v2_requests"]
    assert (len(lookup_request["posts"]), len(lookup_request["users"])) == (2, 2)
    assert created["cost"]["usd"] == 0.03
    assert created["cost"]["writes"] == [{"endpoint": "like", "usd": None}]
    assert created["cost"]["unpriced"] == ["like: Enterprise-only, custom price"]
    assert "posts" not in like_request


def test_outcome_cost_of_a_served_call(emu: Emulator) -> None:
    favorites = Favorites(emu.credentials, api_base=emu.base_url, plan="enterprise")
    outcome = favorites.service.call("favorites/create", {"id": POST})
    assert outcome.cost is not None
    assert (outcome.cost.plan, outcome.cost.usd) == ("enterprise", 0.0)
    assert (outcome.cost.posts_read, outcome.cost.users_read) == (2, 2)
    assert outcome.cost.unpriced == (
        "tweets: custom price, not published",
        "like: custom price, not published",
    )


def test_a_failed_call_s_billed_lookup_is_priced_on_its_audit_line(tmp_path: pathlib.Path) -> None:
    """A like refused on pay-per-use after its lookup: the lookup was billed, the line says so."""
    log = tmp_path / "audit.jsonl"
    with Emulator(plan="pay-per-use") as emu:
        favorites = compat.Favorites(emu.credentials, api_base=emu.base_url, audit_log=log)
        with pytest.raises(compat.PlanRefused):
            favorites.create("1626194750222094336")
    (line,) = [json.loads(text) for text in log.read_text().splitlines()]
    assert line["status"] == 403
    assert line["cost"]["posts_read"] >= 1 and line["cost"]["usd"] > 0


def test_a_full_ledger_overcharges_never_undercharges(caplog: pytest.LogCaptureFixture) -> None:
    """Past ``max_keys`` resources a day the ledger stops growing: what it remembers stays
    free, everything else is charged (a repeat of it too: an over-estimate, never an
    under-estimate), logged once a day; a new day starts exact again."""
    ledger = DayLedger(max_keys=1_000)
    day = datetime.date(2026, 9, 1)
    first = [("post", str(1626194750222094336 + n)) for n in range(1_000)]
    later = [("post", str(1726194750222094336 + n)) for n in range(500)]
    with caplog.at_level(logging.WARNING, logger="compat.pricing"):
        assert ledger.claim(day, first) == [True] * 1_000
        nbytes = ledger.nbytes()
        assert ledger.claim(day, later) == [True] * 500
        assert ledger.claim(day, later) == [True] * 500  # not remembered: charged again
        assert ledger.claim(day, first[::7]) == [False] * len(first[::7])  # still free
    assert len(ledger) == 1_000 and ledger.nbytes() == nbytes  # bounded
    full = [r for r in caplog.records if getattr(r, "event", None) == "pricing.ledger_full"]
    assert len(full) == 1 and full[0].name == "compat.pricing"
    tomorrow = day + datetime.timedelta(days=1)
    assert ledger.claim(tomorrow, later[:2] * 2) == [True, True, False, False]
    with pytest.raises(ValueError):
        DayLedger(max_keys=-1)
