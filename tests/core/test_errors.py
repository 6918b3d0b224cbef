"""The exception tree and the v2 → v1.1 error mapping, on the real error bodies."""

from __future__ import annotations

import re

import pytest

import compat
from compat import errors
from compat.errors import api_error_for
from compat.ratelimit import RateLimit

DELETED_POST = {  # the real v2 answer to a like of a deleted post
    "errors": [{"message": "This tweet cannot be found."}],
    "title": "Invalid Request",
    "detail": "One or more parameters to your request was invalid.",
    "type": "https://api.twitter.com/2/problems/invalid-request",
}


def test_public_names_are_pinned() -> None:
    assert sorted(compat.__all__) == sorted(
        [
            "ApiError",
            "BadRequest",
            "CompatError",
            "ConfigurationError",
            "CreditsDepleted",
            "Credentials",
            "Favorites",
            "Forbidden",
            "InvalidParameter",
            "LikesBackend",
            "LikesClient",
            "MalformedResponse",
            "NotFound",
            "PageMemo",
            "PlanRefused",
            "QuotaExhausted",
            "RateLimit",
            "RetryPolicy",
            "SchemaError",
            "ServerError",
            "Settings",
            "TooManyRequests",
            "TransportError",
            "TweetMode",
            "Unauthorized",
            "UsageCapExceeded",
            "V1Tweet",
            "V1User",
            "__version__",
            "configure",
            "favorites_create",
            "favorites_destroy",
            "favorites_list",
            "LegacyFavoritesWarning",
            "disabled",
            "install",
            "mount",
            "patched",
            "uninstall",
            # the v1.1 calls around favorites (the legacy-programs issue)
            "CompanionBackend",
            "UnservedLegacyWarning",
            "lookup_statuses",
            "lookup_users",
            "rate_limit_status",
            "search_tweets",
            "show_status",
            "show_user",
            "user_timeline",
            "verify_credentials",
        ]
    )
    for name in compat.__all__:
        assert hasattr(compat, name)


def test_tree_matches_the_docstring() -> None:
    doc = errors.__doc__ or ""
    for name in errors.__all__:
        obj = getattr(errors, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert name in doc
            assert issubclass(obj, compat.CompatError)
    assert issubclass(compat.SchemaError, compat.MalformedResponse)
    assert issubclass(compat.InvalidParameter, ValueError)


def test_the_drawn_tree_is_the_class_tree() -> None:
    """Each class in the docstring's drawing is a direct subclass of the one it hangs from,
    and every exception class errors exports is drawn."""
    doc = errors.__doc__ or ""
    start = doc.index("    CompatError")
    drawn: dict[str, str | None] = {}
    parents: list[str] = []
    for line in doc[start : doc.index("\n\n", start)].splitlines():
        match = re.match(r"^ {4}([ │├└─]*)(\w+)", line)
        assert match is not None, line
        depth = len(match.group(1)) // 4
        parents[depth:] = [match.group(2)]
        drawn[match.group(2)] = parents[depth - 1] if depth else None
    exported = {
        name
        for name in errors.__all__
        if isinstance(getattr(errors, name), type) and issubclass(getattr(errors, name), Exception)
    }
    assert set(drawn) == exported
    for name, parent in drawn.items():
        if parent is not None:
            assert parent in [base.__name__ for base in getattr(errors, name).__bases__], name


def test_deleted_post_becomes_v11_144() -> None:
    err = api_error_for(400, DELETED_POST)
    assert isinstance(err, compat.BadRequest)
    assert err.status == 400
    assert (err.v1_status, err.v1_codes) == (404, [144])
    assert "This tweet cannot be found." in str(err)


def test_missing_content_type_is_a_plain_400() -> None:
    body = {
        "errors": [{"message": "Requests with bodies must have content-type of application/json."}],
        "title": "Invalid Request",
        "type": "https://api.twitter.com/2/problems/invalid-request",
    }
    err = api_error_for(400, body)
    assert err.v1_status == 400
    assert "content-type" in err.v1_body["errors"][0]["message"]


@pytest.mark.parametrize(
    ("status", "body", "cls", "v1_status", "v1_code"),
    [
        (
            401,
            {
                "title": "Unauthorized",
                "type": "about:blank",
                "status": 401,
                "detail": "Unauthorized",
            },
            compat.Unauthorized,
            401,
            32,
        ),
        (
            403,
            {
                "title": "Forbidden",
                "type": "about:blank",
                "status": 403,
                "detail": "You are not permitted to perform this action.",
            },
            compat.Forbidden,
            403,
            200,
        ),
        (
            403,
            {
                "title": "Client Forbidden",
                "type": "https://api.twitter.com/2/problems/client-forbidden",
                "detail": "This request must be made using an approved developer account",
            },
            compat.Forbidden,
            403,
            453,
        ),
        (  # the real answer to a write from an app without write permission
            # (reported in plhery/node-twitter-api-v2 issue #493)
            403,
            {
                "title": "Forbidden",
                "status": 403,
                "detail": "Your client app is not configured with the appropriate oauth1 app "
                "permissions for this endpoint.",
                "type": "https://api.twitter.com/2/problems/oauth1-permissions",
            },
            compat.Forbidden,
            403,
            220,
        ),
        (
            429,
            {
                "title": "Too Many Requests",
                "detail": "Too Many Requests",
                "type": "about:blank",
                "status": 429,
            },
            compat.TooManyRequests,
            429,
            88,
        ),
        (503, None, compat.ServerError, 503, 130),
        (500, {"title": "Internal"}, compat.ServerError, 500, 131),
        (
            404,
            {
                "title": "Not Found Error",
                "type": "https://api.twitter.com/2/problems/resource-not-found",
            },
            compat.NotFound,
            404,
            144,
        ),
    ],
)
def test_status_mapping(status: int, body: object, cls: type, v1_status: int, v1_code: int) -> None:
    rl = RateLimit(limit=50, remaining=0, reset=1619531089)
    err = api_error_for(status, body, rate_limit=rl)
    assert type(err) is cls
    assert (err.v1_status, err.v1_codes) == (v1_status, [v1_code])
    assert err.rate_limit is rl


def test_v1_body_has_the_real_v11_shape(realdata) -> None:  # type: ignore[no-untyped-def]
    real = realdata("twitter_ruby_v11_error_139_already_favorited.json")
    status, body = errors.v1_error_body("already_favorited")
    assert status == 403
    assert set(body) == set(real)
    assert set(body["errors"][0]) == set(real["errors"][0])
    assert body["errors"][0]["code"] == real["errors"][0]["code"]
