"""Every documented gateway error code and rate-limit header, through the drop-in functions
and through unchanged tweepy 4 under ``install(backend="gateway")``.

The codes are api-reference_errors.mdx's (per status) and the Twitter endpoint pages' causes
(like_twitter.mdx lines 27-29), both spellings; the emulator answers them in the documented
envelope on demand (``emu.gateway.inject``).
"""

from __future__ import annotations

import json
import pathlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import tweepy

import compat
from compat import Favorites
from compat import patch as compat_patch
from compat.emulator import Emulator
from compat.emulator.gateway import FAULT_CODES
from compat.errors import api_error_for
from compat.gateway import request_id_of
from compat.transport import RetryPolicy

pytestmark = pytest.mark.filterwarnings("ignore::compat.warnings.LegacyFavoritesWarning")

POST = "1626194750222094336"
LEGACY_KEYS = ("legacy-ck", "legacy-cs", "1072250532645998596-legacy", "legacy-ts")
E = compat

#: code → (what compat raises, v1.1 status, v1.1 code); None: X's mapping of that status
EXPECTED: dict[str, tuple[type[compat.ApiError], int, int] | None] = {
    "invalid_request": (E.BadRequest, 400, 44),
    "invalid-request": (E.BadRequest, 400, 44),
    "missing_parameter": (E.BadRequest, 400, 38),
    "invalid_parameter_type": (E.BadRequest, 400, 44),
    "json_parse_error": (E.BadRequest, 400, 214),
    "missing_api_key": (E.Unauthorized, 401, 32),
    "invalid_api_key": (E.Unauthorized, 401, 32),
    "revoked_api_key": (E.Unauthorized, 401, 32),
    "insufficient_permissions": (E.Forbidden, 403, 453),
    "client-forbidden": (E.Forbidden, 403, 220),
    "client_forbidden": (E.Forbidden, 403, 220),
    "model_not_allowed": None,
    "region_blocked": None,
    "resource_not_found": (E.NotFound, 404, 144),
    "resource-not-found": (E.NotFound, 404, 144),
    "unknown_endpoint": (E.NotFound, 404, 34),
    "unknown_model": None,
    "max_tokens_exceeded": None,
    "unsupported_parameter": None,
    "content_policy_violation": None,
    "rate_limit_exceeded": (E.TooManyRequests, 429, 88),
    "upstream_rate_limit": (E.TooManyRequests, 429, 88),
    "quota_exceeded": (E.QuotaExhausted, 403, 185),
    "upstream_unavailable": (E.ServerError, 503, 130),
    "upstream_timeout": (E.ServerError, 503, 130),
    "gateway_error": (E.ServerError, 503, 130),
    "internal_error": (E.ServerError, 500, 131),
}
RETRIED = {"upstream_unavailable", "upstream_timeout", "gateway_error", "internal_error"}
TWEEPY = {
    400: tweepy.BadRequest,
    401: tweepy.Unauthorized,
    403: tweepy.Forbidden,
    404: tweepy.NotFound,
    429: tweepy.TooManyRequests,
    500: tweepy.TwitterServerError,
    503: tweepy.TwitterServerError,
}


def test_every_documented_code_is_covered() -> None:
    assert set(FAULT_CODES) == set(EXPECTED)


@pytest.fixture(autouse=True)
def _uninstall() -> Iterator[None]:
    yield
    compat_patch.uninstall()


def expected_for(code: str, error: compat.ApiError) -> tuple[type[compat.ApiError], int, int]:
    known = EXPECTED[code]
    if known is not None:
        return known
    body = error.v2_body["error"]
    as_x = api_error_for(error.status, {"title": body["code"], "detail": body["message"]})
    return type(as_x), as_x.v1_status, as_x.v1_codes[0]


def gateway_likes(emu: Emulator) -> list[int]:
    return [r.status for r in emu.requests if r.endpoint == "gateway_like"]


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_each_code_through_the_drop_in_functions(
    emu: Emulator, gateway_options: Callable[..., dict[str, Any]], code: str
) -> None:
    emu.gateway.inject("gateway_like", code, times=3)
    with pytest.raises(compat.ApiError) as info:
        Favorites(**gateway_options()).create(POST)
    err = info.value
    cls, v1_status, v1_code = expected_for(code, err)
    assert type(err) is cls
    assert (err.v1_status, err.v1_codes) == (v1_status, [v1_code])
    assert gateway_likes(emu) == [err.status] * (3 if code in RETRIED else 1)
    assert POST not in emu.state.liked(emu.user_id)
    # the gateway's request_id, for its support: on the error, in its message and v1.1 text
    request_id = err.v2_body["error"]["request_id"]
    assert request_id.startswith("req_") and request_id_of(err) == request_id
    assert request_id in err.message and request_id in err.v1_body["errors"][0]["message"]
    if code == "insufficient_permissions":
        assert "plan" in err.message and "re-linking does not help" in err.message
    if "forbidden" in code:
        assert "like.write" in err.v1_body["errors"][0]["message"]
    emu.gateway.reset()


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_each_code_through_unchanged_tweepy(
    emu: Emulator, gateway_options: Callable[..., dict[str, Any]], code: str
) -> None:
    compat.install(**gateway_options())
    emu.gateway.inject("gateway_like", code, times=3)
    api = tweepy.API(tweepy.OAuth1UserHandler(*LEGACY_KEYS))
    with pytest.raises(tweepy.HTTPException) as info:
        api.create_favorite(POST)
    status = info.value.response.status_code
    assert type(info.value) is TWEEPY[status]
    body = emu.requests[-1]
    assert body.endpoint == "gateway_like"
    known = EXPECTED[code]
    if known is not None:
        assert (status, info.value.api_codes) == (known[1], [known[2]])
    else:  # the default mapping of the status: X's, as compat gives it for X
        assert status in (400, 403) and len(info.value.api_codes) == 1
    emu.gateway.reset()


def test_a_retried_upstream_error_that_clears_succeeds(
    emu: Emulator, gateway_options: Callable[..., dict[str, Any]]
) -> None:
    emu.gateway.inject("gateway_like", "upstream_unavailable", times=1)
    status = Favorites(**gateway_options()).create(POST)
    assert status["favorited"] is True
    assert gateway_likes(emu) == [502, 200]
    Favorites(**gateway_options()).destroy(POST)


def test_quota_exceeded_is_never_retried_and_never_a_rate_limit(
    emu: Emulator, gateway_options: Callable[..., dict[str, Any]]
) -> None:
    keen = RetryPolicy(attempts=5, retry_on_429=True)
    emu.gateway.inject("gateway_like", "quota_exceeded", times=5, retry_after=0)
    with pytest.raises(compat.QuotaExhausted) as info:
        Favorites(**gateway_options(retry=keen)).create(POST)
    assert not isinstance(info.value, compat.TooManyRequests)
    assert gateway_likes(emu) == [429]
    assert "waiting for the rate-limit reset does not help" in info.value.message
    # a key whose quota is spent: every request, the read first
    emu.gateway.reset()
    emu.clear_requests()
    emu.gateway.exhaust_quota(emu.gateway_key())
    with pytest.raises(compat.QuotaExhausted):
        Favorites(**gateway_options()).create(POST)
    assert [r.endpoint for r in emu.requests] == ["gateway_tweets"]


def test_errors_on_the_read_map_the_same(
    emu: Emulator, gateway_options: Callable[..., dict[str, Any]]
) -> None:
    emu.gateway.inject("gateway_tweets", "invalid_api_key")
    with pytest.raises(compat.Unauthorized) as info:
        Favorites(**gateway_options()).create(POST)
    assert info.value.v1_codes == [32]
    assert [r.endpoint for r in emu.requests] == ["gateway_tweets"]


@pytest.mark.parametrize("spelling", ["snake", "hyphen"])
def test_the_routes_own_causes_in_both_spellings(
    emu: Emulator, gateway_options: Callable[..., dict[str, Any]], spelling: str
) -> None:
    emu.gateway.cause_spelling = spelling
    with pytest.raises(compat.Forbidden) as forbidden:
        Favorites(**gateway_options(linked=False)).create(POST)
    sent = forbidden.value.v2_body["error"]["code"]
    assert sent == ("client-forbidden" if spelling == "hyphen" else "client_forbidden")
    assert forbidden.value.v1_codes == [220]
    client = Favorites(**gateway_options()).backend
    with pytest.raises(compat.NotFound) as missing:
        client.like("1")  # type: ignore[attr-defined]
    sent = missing.value.v2_body["error"]["code"]
    assert sent == ("resource-not-found" if spelling == "hyphen" else "resource_not_found")
    assert missing.value.v1_codes == [144]


@pytest.mark.parametrize(
    ("kind", "status", "v1"),
    [("503", 503, (503, 130)), ("500", 500, (500, 131)), ("429", 429, (429, 88))],
)
def test_answers_without_a_documented_code_map_by_status(
    emu: Emulator,
    gateway_options: Callable[..., dict[str, Any]],
    kind: str,
    status: int,
    v1: tuple[int, int],
) -> None:
    emu.faults.inject("gateway_like", kind, times=3)  # X-style problem bodies
    with pytest.raises(compat.ApiError) as info:
        Favorites(**gateway_options()).create(POST)
    assert info.value.status == status and (info.value.v1_status, info.value.v1_codes[0]) == v1


def test_a_bare_403_on_a_write_is_the_missing_session(
    emu: Emulator, gateway_options: Callable[..., dict[str, Any]]
) -> None:
    emu.faults.inject("gateway_like", "500", status=403)
    with pytest.raises(compat.Forbidden) as info:
        Favorites(**gateway_options()).create(POST)
    assert info.value.v1_codes == [220] and "compat gateway link" in info.value.message


# -- rate-limit headers -------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["requests", "short"])
def test_the_limit_headers_become_the_rate_limit_and_v11_headers(
    emu: Emulator, gateway_options: Callable[..., dict[str, Any]], spelling: str
) -> None:
    emu.gateway.reset()  # the per-key limit counts
    emu.gateway.header_spelling = spelling
    key = emu.gateway_key()
    emu.gateway.set_tier(key, "free")
    outcome = Favorites(**gateway_options()).service.call("favorites/create", {"id": POST})
    window_end = int(emu.now()) + 60
    assert (outcome.rate_limit.limit, outcome.rate_limit.remaining) == (60, 58)
    assert outcome.rate_limit.reset == window_end
    compat.install(**gateway_options())
    api = tweepy.API(tweepy.OAuth1UserHandler(*LEGACY_KEYS))
    api.destroy_favorite(POST)
    headers = api.last_response.headers
    assert (headers["x-rate-limit-limit"], headers["x-rate-limit-remaining"]) == ("60", "56")
    assert headers["x-rate-limit-reset"] == str(window_end)


def test_a_spent_window_is_429_88_with_the_reset(
    emu: Emulator, gateway_options: Callable[..., dict[str, Any]]
) -> None:
    emu.gateway.reset()
    key = emu.gateway_key()
    emu.gateway.set_tier(key, "free")
    client = Favorites(**gateway_options()).backend
    for _ in range(60):
        client.read_tweets([POST])  # type: ignore[attr-defined]
    with pytest.raises(compat.TooManyRequests) as info:
        Favorites(**gateway_options()).create(POST)
    err = info.value
    assert (err.v1_status, err.v1_codes) == (429, [88])
    assert err.rate_limit is not None and err.rate_limit.remaining == 0
    assert err.rate_limit.retry_at == int(emu.now()) + 60
    assert "requests resume at" in err.message
    assert err.response is not None and err.response.headers["Retry-After"] == "60"
    # another key has its own window (limits are per key, rate-limits.mdx line 6)
    other = emu.gateway_key(write=False)
    Favorites(**gateway_options(gateway_api_key=other)).backend.read_tweets([POST])  # type: ignore[attr-defined]


def test_tweepy_wait_on_rate_limit_waits_for_the_gateways_reset_then_succeeds(
    emu: Emulator, gateway_options: Callable[..., dict[str, Any]]
) -> None:
    compat.install(**gateway_options())
    # the emulator's clock is behind the wall clock: the reset has passed, tweepy waits 0 s
    emu.gateway.inject("gateway_like", "rate_limit_exceeded", retry_after=0)
    api = tweepy.API(tweepy.OAuth1UserHandler(*LEGACY_KEYS), wait_on_rate_limit=True)
    status = api.create_favorite(POST)
    assert status.favorited is True
    assert [(r.endpoint, r.status) for r in emu.requests] == [
        ("gateway_tweets", 200),
        ("gateway_like", 429),
        ("gateway_tweets", 200),
        ("gateway_like", 200),
    ]
    api.destroy_favorite(POST)


def test_the_429_a_legacy_client_gets_says_remaining_0_and_the_reset(
    emu: Emulator, gateway_options: Callable[..., dict[str, Any]]
) -> None:
    compat.install(**gateway_options())
    emu.gateway.inject("gateway_like", "upstream_rate_limit", retry_after=30)
    api = tweepy.API(tweepy.OAuth1UserHandler(*LEGACY_KEYS))
    with pytest.raises(tweepy.TooManyRequests) as info:
        api.create_favorite(POST)
    headers = info.value.response.headers
    assert headers["x-rate-limit-remaining"] == "0"
    assert headers["x-rate-limit-reset"] == str(int(emu.now()) + 30)
    assert info.value.api_codes == [88]


def test_the_request_id_is_in_the_audit_line_and_the_key_is_not(
    emu: Emulator, gateway_options: Callable[..., dict[str, Any]], tmp_path: pathlib.Path
) -> None:
    log = tmp_path / "calls.jsonl"
    emu.gateway.inject("gateway_like", "insufficient_permissions")
    with pytest.raises(compat.Forbidden) as info:
        Favorites(**gateway_options(audit_log=str(log))).create(POST)
    text = log.read_text(encoding="utf-8")
    (line,) = [json.loads(x) for x in text.splitlines()]
    assert request_id_of(info.value) in line["error"]["message"]
    assert line["error"]["v1_codes"] == [453]
    assert emu.gateway_key() not in text
