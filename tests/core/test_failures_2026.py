"""The 2026 failure modes, on the real bodies (tests/_support/failure_bodies.py, quoted from
shared/realdata/x-docs-2026/README.md): the v2 → compat → v1.1 table, lookup errors, the
24-hour window in the legacy headers, and the renamed response keys of spec v2.167."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from requests_oauthlib import OAuth1

import compat
from compat import _v2, reshape, schemas
from compat.errors import (
    ERROR_TABLE,
    CreditsDepleted,
    Forbidden,
    NotFound,
    PlanRefused,
    QuotaExhausted,
    TooManyRequests,
    UsageCapExceeded,
    api_error_for,
    error_table_markdown,
    lookup_error,
)
from compat.ratelimit import RateLimit
from compat.transport import RetryPolicy
from tests._support import REALDATA, ROOT, failure_bodies, load_real
from tests._support.failure_bodies import (
    APP_ONLY_ON_USER_CONTEXT,
    CLIENT_NOT_ENROLLED,
    CLIENT_NOT_ENROLLED_NO_TYPE,
    CREDITS_DEPLETED,
    DELETED_POST_LIKE,
    MISSING_POST_LOOKUP,
    NOT_AUTHORIZED_POST_ID,
    NOT_AUTHORIZED_POST_LOOKUP,
    OAUTH1_NO_WRITE_PERMISSION,
    OAUTH2_NO_LIKE_WRITE,
    SUSPENDED_USER_ID,
    SUSPENDED_USER_LOOKUP,
    USAGE_CAP,
    USAGE_CAP_HEADERS,
    V11_ACCESS_LEVEL_453,
    V11_NOT_AUTHORIZED_179,
    V11_SUSPENDED_63,
)
from tests._support.scripted_v2 import GOLDEN_POST, OWNER_ID, ScriptedV2

X_DOCS = REALDATA / "x-docs-2026"  # copies of shared/realdata/x-docs-2026 (its README there)
ERRORS_PAGE = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
REAL_453 = V11_ACCESS_LEVEL_453["errors"][0]["message"]
SECRET = "s3cr3t-value"
OAUTH1 = compat.Credentials("ck", "cs", f"{OWNER_ID}-token", "ts")
OAUTH2 = compat.Credentials(bearer_token="user-context-token", user_id=OWNER_ID)


def test_the_bodies_are_the_ones_quoted_in_the_shared_readme() -> None:
    text = (X_DOCS / "shared-README.md").read_text(encoding="utf-8")
    section = text[text.index("## Failure bodies seen in the wild") :]
    quoted = [json.loads(m) for m in re.findall(r"`(\{.*?\})`(?=\s*(?:and |\||\())", section)]
    ours = [
        value[1] if isinstance(value, tuple) else value
        for name, value in vars(failure_bodies).items()
        if name.isupper() and isinstance(value, (tuple, dict)) and not name.endswith("HEADERS")
    ]
    assert len(ours) == 12
    for body in ours:
        assert body in quoted
    assert "`x-rate-limit-limit: 40000`, `x-rate-limit-remaining: 39999`" in section
    assert USAGE_CAP_HEADERS == {"x-rate-limit-limit": "40000", "x-rate-limit-remaining": "39999"}
    flat = " ".join(section.split())
    assert f'179 "{V11_NOT_AUTHORIZED_179}"' in flat
    assert f'63 "{V11_SUSPENDED_63}"' in flat


# -- the table, on each body ------------------------------------------------------------------


def prepared(method: str, path: str, *, oauth2: bool) -> requests.PreparedRequest:
    """A request as compat's transport sends it (real OAuth 1.0a signature or bearer)."""
    url = "https://api.x.com" + path
    if oauth2:
        headers = {"Authorization": f"Bearer {SECRET}"}
        return requests.Request(method, url, headers=headers).prepare()
    return requests.Request(method, url, auth=OAuth1("ck", SECRET, "1-tok", SECRET)).prepare()


LIKE = ("POST", f"/2/users/{OWNER_ID}/likes")
UNLIKE = ("DELETE", f"/2/users/{OWNER_ID}/likes/{GOLDEN_POST}")
LIST = ("GET", f"/2/users/{OWNER_ID}/liked_tweets")


@pytest.mark.parametrize(
    ("answer", "route", "oauth2", "cls", "v1", "says"),
    [
        (CREDITS_DEPLETED, LIKE, False, CreditsDepleted, (403, 453), "add credits"),
        (CREDITS_DEPLETED, LIST, True, CreditsDepleted, (403, 453), "console.x.com"),
        (USAGE_CAP, LIKE, False, UsageCapExceeded, (403, 185), "next billing cycle"),
        (USAGE_CAP, LIST, False, UsageCapExceeded, (403, 185), "not at x-rate-limit-reset"),
        (CLIENT_NOT_ENROLLED, LIKE, False, PlanRefused, (403, 453), "Enterprise-only"),
        (CLIENT_NOT_ENROLLED_NO_TYPE, LIKE, True, PlanRefused, (403, 453), 'backend="gateway"'),
        (CLIENT_NOT_ENROLLED_NO_TYPE, UNLIKE, False, PlanRefused, (403, 453), "Enterprise"),
        (CLIENT_NOT_ENROLLED, LIST, False, Forbidden, (403, 453), "does not include this"),
        (CLIENT_NOT_ENROLLED_NO_TYPE, LIST, False, Forbidden, (403, 453), "portal/product"),
        (OAUTH2_NO_LIKE_WRITE, LIKE, True, Forbidden, (403, 220), "like.write scope"),
        (OAUTH2_NO_LIKE_WRITE, UNLIKE, True, Forbidden, (403, 220), "like.write scope"),
        (OAUTH2_NO_LIKE_WRITE, LIKE, False, Forbidden, (403, 200), "Forbidden"),
        (OAUTH2_NO_LIKE_WRITE, LIST, True, Forbidden, (403, 200), "Forbidden"),
        (OAUTH1_NO_WRITE_PERMISSION, LIKE, False, Forbidden, (403, 220), "oauth1 app perm"),
        (APP_ONLY_ON_USER_CONTEXT, LIST, True, Forbidden, (403, 220), "Likes are private"),
        (DELETED_POST_LIKE, LIKE, False, compat.BadRequest, (404, 144), "cannot be found"),
    ],
)
def test_each_real_body_maps_by_the_table(
    answer: tuple[int, dict[str, Any]],
    route: tuple[str, str],
    oauth2: bool,
    cls: type,
    v1: tuple[int, int],
    says: str,
) -> None:
    status, body = answer
    request = prepared(*route, oauth2=oauth2)
    rl = RateLimit(limit=40000, remaining=39999)
    err = api_error_for(status, copy.deepcopy(body), rate_limit=rl, request=request)
    assert type(err) is cls
    assert err.status == status
    assert (err.v1_status, *err.v1_codes) == v1
    assert says in err.message
    assert err.request is request and err.rate_limit is rl
    assert SECRET not in err.message  # the token is read for its kind only


def test_quota_errors_are_their_own_branch() -> None:
    assert issubclass(CreditsDepleted, QuotaExhausted)
    assert issubclass(UsageCapExceeded, QuotaExhausted)
    assert not issubclass(UsageCapExceeded, TooManyRequests)  # no caller sleeps on it
    assert issubclass(PlanRefused, Forbidden)
    capped = api_error_for(*USAGE_CAP)
    assert capped.v1_status == 403 and capped.status == 429


def test_v11_texts_name_the_cause_and_the_way_out() -> None:
    credits = api_error_for(*CREDITS_DEPLETED)
    assert "no credits" in credits.v1_body["errors"][0]["message"]
    assert "Add credits" in credits.v1_body["errors"][0]["message"]
    capped = api_error_for(*USAGE_CAP)
    assert "billing cycle" in capped.v1_body["errors"][0]["message"]
    refused = api_error_for(*CLIENT_NOT_ENROLLED_NO_TYPE, endpoint="like")
    assert refused.v1_body == V11_ACCESS_LEVEL_453  # the real 2025 453, verbatim
    assert "Enterprise" in refused.message and 'backend="gateway"' in refused.message
    elsewhere = api_error_for(*CLIENT_NOT_ENROLLED_NO_TYPE, endpoint="liked_tweets")
    assert elsewhere.v1_body == V11_ACCESS_LEVEL_453
    scope = api_error_for(*OAUTH2_NO_LIKE_WRITE, request=prepared(*LIKE, oauth2=True))
    assert "like.write" in scope.v1_body["errors"][0]["message"]


def test_an_explicit_endpoint_wins_over_the_request() -> None:
    request = prepared(*LIST, oauth2=False)
    assert type(api_error_for(*CLIENT_NOT_ENROLLED, request=request)) is Forbidden
    assert type(api_error_for(*CLIENT_NOT_ENROLLED, request=request, endpoint="like")) is (
        PlanRefused
    )


def test_the_gateway_routes_are_not_the_x_like() -> None:
    request = requests.Request(
        "POST",
        "https://api.aisa.one/apis/v1/twitter/like_twitter",
        headers={"Authorization": "Bearer key"},
    ).prepare()
    err = api_error_for(*CLIENT_NOT_ENROLLED_NO_TYPE, request=request)
    assert type(err) is Forbidden and err.v1_codes == [453]
    assert api_error_for(*OAUTH2_NO_LIKE_WRITE, request=request).v1_codes == [200]


# -- lookup errors (a 200 answer's errors[]) --------------------------------------------------


def test_post_you_may_not_see_is_403_179() -> None:
    err = lookup_error(NOT_AUTHORIZED_POST_LOOKUP[1], NOT_AUTHORIZED_POST_ID)
    assert type(err) is Forbidden
    assert (err.status, err.v1_status, err.v1_codes) == (403, 403, [179])
    assert err.v1_body["errors"][0]["message"] == V11_NOT_AUTHORIZED_179
    assert "not authorized to see the Tweet" in err.message


def test_suspended_user_is_403_63() -> None:
    for endpoint, wanted in (("user_by_id", SUSPENDED_USER_ID), ("user_by_username", "gone")):
        err = lookup_error(SUSPENDED_USER_LOOKUP[1], wanted, endpoint=endpoint)
        assert type(err) is Forbidden
        assert (err.v1_status, err.v1_codes) == (403, [63])
        assert err.v1_body["errors"][0]["message"] == V11_SUSPENDED_63


def test_missing_post_and_user_are_404() -> None:
    err = lookup_error(MISSING_POST_LOOKUP[1], "456")
    assert type(err) is NotFound and (err.v1_status, err.v1_codes) == (404, [144])
    assert "Could not find tweet with id: [456]." in err.message
    assert lookup_error({"data": [{"id": "1", "text": ""}]}, "2").v1_codes == [144]
    assert lookup_error({}, "gone", endpoint="user_by_username").v1_codes == [50]
    # an entry about another id of a several-id lookup is not this id's
    two = {"errors": [*NOT_AUTHORIZED_POST_LOOKUP[1]["errors"], *MISSING_POST_LOOKUP[1]["errors"]]}
    assert lookup_error(two, "456").v1_codes == [144]
    assert lookup_error(two, NOT_AUTHORIZED_POST_ID).v1_codes == [179]
    assert lookup_error(two, "789").v1_codes == [144]


def test_lookup_error_keeps_the_answer_and_its_rate_limit() -> None:
    page = NOT_AUTHORIZED_POST_LOOKUP[1]
    rl = RateLimit(limit=900, remaining=899, reset=1)
    err = lookup_error(page, NOT_AUTHORIZED_POST_ID, rate_limit=rl)
    assert err.v2_body == page and err.rate_limit is rl


# -- the drop-in functions, over HTTP ---------------------------------------------------------


@pytest.fixture
def server() -> Iterator[ScriptedV2]:
    with ScriptedV2() as scripted:
        yield scripted


def test_usage_cap_and_credits_are_never_retried(server: ScriptedV2) -> None:
    favorites = compat.Favorites(
        OAUTH1, api_base=server.base_url, retry=RetryPolicy(retry_on_429=True), lookup=False
    )
    server.answer("like", *USAGE_CAP, USAGE_CAP_HEADERS, times=3)
    with pytest.raises(UsageCapExceeded) as capped:
        favorites.create(GOLDEN_POST)
    assert server.endpoints() == ["like"]
    assert capped.value.rate_limit is not None and capped.value.rate_limit.limit == 40000
    assert "billing cycle" in str(capped.value)
    server.answer("unlike", *CREDITS_DEPLETED, times=3)
    with pytest.raises(CreditsDepleted, match="add credits"):
        favorites.destroy(GOLDEN_POST)
    assert server.endpoints() == ["like", "unlike"]


def test_plan_refusal_on_like_names_the_way_out(server: ScriptedV2) -> None:
    favorites = compat.Favorites(OAUTH1, api_base=server.base_url)
    server.answer("like", *CLIENT_NOT_ENROLLED_NO_TYPE)
    with pytest.raises(PlanRefused) as refused:
        favorites.create(GOLDEN_POST)
    assert server.endpoints() == ["tweets", "like"]
    assert "Enterprise" in str(refused.value) and 'backend="gateway"' in str(refused.value)
    assert refused.value.v1_body == V11_ACCESS_LEVEL_453
    server.answer("liked_tweets", *CLIENT_NOT_ENROLLED_NO_TYPE)
    with pytest.raises(Forbidden) as listing:
        favorites.list(count=5)
    assert type(listing.value) is Forbidden and listing.value.v1_codes == [453]


def test_oauth2_without_like_write(server: ScriptedV2) -> None:
    favorites = compat.Favorites(OAUTH2, api_base=server.base_url, lookup=False)
    server.answer("unlike", *OAUTH2_NO_LIKE_WRITE)
    with pytest.raises(Forbidden, match="like.write") as refused:
        favorites.destroy(GOLDEN_POST)
    assert refused.value.v1_codes == [220]


# -- the 24-hour window -----------------------------------------------------------------------


def test_a_spent_24_hour_window_is_the_legacy_reset() -> None:
    day = RateLimit.from_headers(
        {
            "x-rate-limit-limit": "50",
            "x-rate-limit-remaining": "37",
            "x-rate-limit-reset": "1000",
            "x-user-limit-24hour-limit": "1000",
            "x-user-limit-24hour-remaining": "0",
            "x-user-limit-24hour-reset": "86000",
        }
    )
    assert (day.exhausted, day.retry_at) == ("24-hour (user)", 86000)
    legacy = day.headers()
    assert legacy["x-rate-limit-remaining"] == "0"
    assert legacy["x-rate-limit-reset"] == "86000"
    assert legacy["x-rate-limit-limit"] == "50"
    assert legacy["x-user-limit-24hour-remaining"] == "0"
    assert day.headroom() == 0


def test_the_app_24_hour_headers_are_read_when_present() -> None:
    app = RateLimit.from_headers(
        {
            "X-Rate-Limit-Remaining": "10",
            "X-Rate-Limit-Reset": "1000",
            "x-app-limit-24hour-limit": "3000",
            "x-app-limit-24hour-remaining": "0",
            "x-app-limit-24hour-reset": "90000",
        }
    )
    assert (app.app_day_limit, app.app_day_remaining, app.app_day_reset) == (3000, 0, 90000)
    assert app.exhausted == "24-hour (app)"
    assert app.headers()["x-rate-limit-reset"] == "90000"
    assert app.headers()["x-app-limit-24hour-limit"] == "3000"


def test_only_the_15_minute_window_spent_keeps_its_reset() -> None:
    quarter = RateLimit(limit=50, remaining=0, reset=1000, day_remaining=12, day_reset=86000)
    assert quarter.exhausted == "15-minute" and quarter.retry_at == 1000
    assert quarter.headers()["x-rate-limit-reset"] == "1000"
    both = RateLimit(limit=50, remaining=0, reset=1000, day_remaining=0, day_reset=86000)
    assert both.retry_at == 86000 and both.headers()["x-rate-limit-reset"] == "86000"
    fresh = RateLimit(limit=50, remaining=49, reset=1000, day_remaining=999, day_reset=86000)
    assert fresh.exhausted is None and fresh.retry_at == 1000
    assert fresh.headers()["x-rate-limit-remaining"] == "49"
    assert RateLimit().headers() == {} and RateLimit().retry_at is None


def test_a_429_says_which_window_and_when() -> None:
    body = {"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank"}
    day = RateLimit(limit=50, remaining=3, reset=1000, day_remaining=0, day_reset=86400)
    err = api_error_for(429, body, rate_limit=day)
    assert type(err) is TooManyRequests and (err.v1_status, err.v1_codes) == (429, [88])
    assert "24-hour (user) window" in err.message and "1970-01-02T00:00:00Z" in err.message


# -- renamed keys (spec v2.167) ---------------------------------------------------------------


def spec_schemas() -> dict[str, Any]:
    spec = json.loads((X_DOCS / "openapi.json").read_text(encoding="utf-8"))
    assert spec["info"]["version"] == "2.167"
    found: dict[str, Any] = spec["components"]["schemas"]
    return found


def test_the_renamed_keys_are_the_specs() -> None:
    spec = spec_schemas()
    named = {
        key
        for name in ("Post", "User", "Expansions", "PostPublicMetrics", "UserPublicMetrics")
        for key in spec[name]["properties"]
        if "post" in key
    }
    assert named == set(_v2.RENAMED_KEYS)
    ours = {
        name: json.loads((ROOT / "schemas" / "v2" / f"{name}.json").read_text(encoding="utf-8"))
        for name in ("tweet", "user", "includes")
    }
    props = {k for doc in ours.values() for k in doc["properties"]}
    props |= {
        k
        for doc in ours.values()
        for k in doc["properties"].get("public_metrics", {}).get("properties", {})
    }
    for new, old in _v2.RENAMED_KEYS.items():
        assert old in props and new in props  # compat's schemas name both spellings
    spelt = {k for schema in spec.values() for k in schema.get("properties", {})}
    assert not {"referenced_tweets", "note_tweet", "edit_history_tweet_ids"} & spelt


def respell(doc: Any) -> Any:
    """``doc`` with every old key spelt as spec v2.167 spells it, at any depth."""
    new_for = {old: new for new, old in _v2.RENAMED_KEYS.items()}
    if isinstance(doc, dict):
        return {new_for.get(k, k): respell(v) for k, v in doc.items()}
    if isinstance(doc, list):
        return [respell(v) for v in doc]
    return doc


PAGES = [
    ("tweepy_v2_liked_tweets.json", "v2/liked_tweets_page"),
    ("socialfoundations_v2_tweet_1_expanded.json", "v2/tweets_lookup"),
]


@pytest.mark.parametrize(("name", "schema"), PAGES)
def test_a_real_page_in_the_new_spelling_reshapes_the_same(name: str, schema: str) -> None:
    old = load_real(name)
    new = respell(load_real(name))
    assert new != old  # something was respelt
    schemas.validate(schema, new)  # the schemas take the new spelling as it comes
    normalised = _v2.normalise_keys(new)
    assert normalised is new
    schemas.validate(schema, normalised)
    assert reshape.page_to_v1(normalised) == reshape.page_to_v1(load_real(name))


def test_old_spelling_is_untouched() -> None:
    old = load_real("socialfoundations_v2_tweet_1_expanded.json")
    assert _v2.normalise_keys(copy.deepcopy(old)) == old
    both = {"data": {"id": "1", "note_tweet": {"text": "a"}, "note_post": {"text": "b"}}}
    assert _v2.normalise_keys(both)["data"]["note_tweet"] == {"text": "a"}  # old name wins
    assert _v2.normalise_keys({"meta": {"post_count": 1}}) == {"meta": {"post_count": 1}}


def test_the_new_spelling_end_to_end(server: ScriptedV2) -> None:
    favorites = compat.Favorites(OAUTH1, api_base=server.base_url)
    expected = favorites.list(count=40)
    expected_status = favorites.create(GOLDEN_POST)
    with ScriptedV2() as respelt:
        for endpoint in ("liked_tweets", "tweets"):
            status, body, headers = respelt.defaults[endpoint]
            respelt.defaults[endpoint] = (status, respell(body), headers)
        again = compat.Favorites(OAUTH1, api_base=respelt.base_url)
        assert again.list(count=40) == expected
        assert again.create(GOLDEN_POST) == expected_status


# -- the docs' errors page shows the code's table and tree ------------------------------------


def test_the_errors_page_table_is_the_code_table() -> None:
    section = ERRORS_PAGE
    assert error_table_markdown() in section
    assert section.count("| v2 answer |") == section.count("| v1.1 answer | status") == 1
    rules = error_table_markdown().split("\n\n")[0].splitlines()
    assert len(rules) == len(ERROR_TABLE) + 2  # header, separator, one row per rule


def test_the_errors_page_tree_is_the_docstring_tree() -> None:
    doc = compat.errors.__doc__ or ""
    tree = doc[doc.index("    CompatError") : doc.index("\n\n", doc.index("    CompatError"))]
    drawn = "\n".join(line[4:] for line in tree.splitlines())
    assert f"```\n{drawn}\n```" in ERRORS_PAGE


def test_a_429_with_an_absurd_reset_still_maps() -> None:
    for reset in ("99999999999999999999", "253402300800"):
        error = compat.errors.api_error_for(
            429,
            {"title": "Too Many Requests", "detail": "Too Many Requests"},
            rate_limit=compat.RateLimit.from_headers(
                {"x-rate-limit-remaining": "0", "x-rate-limit-reset": reset}
            ),
        )
        assert isinstance(error, compat.TooManyRequests) and error.v1_codes == [88]
