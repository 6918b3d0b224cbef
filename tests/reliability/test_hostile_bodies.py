"""Hostile bodies: real v2 payloads with one field mutated, served in ``validation="warn"``
and ``"off"`` (where compat carries on past schema violations), and v2 error bodies with
fields of every wrong type. Every outcome is a result or a CompatError; a create whose answer
cannot be shaped fails before the like is written.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from compat import Favorites
from compat.errors import ApiError, CompatError, api_error_for
from compat.transport import MAX_MESSAGE_CHARS
from tests._support.adapter import no_sleep
from tests._support.hostile_server import CREDENTIALS, HostileServer, Tally, guarded
from tests._support.realdata import load_real

_DEEP: Any = "x"
for _ in range(60):
    _DEEP = {"a": [_DEEP]}
#: What a field becomes: every JSON type, edge numbers, hostile strings, nesting.
VALUES: tuple[Any, ...] = (
    None,
    0,
    -1,
    2**64,
    1.5,
    "",
    "x",
    "12/../",
    "\u0000\ud800",
    "x" * 5000,
    True,
    [],
    [None],
    {},
    {"id": 1},
    _DEEP,
)
_DELETE = object()


def mutations(doc: Any, budget: int) -> Iterator[tuple[str, Any]]:
    """(where, mutated copy) for up to ``budget`` single-field mutations of ``doc``: every
    field deleted or replaced, spread over every path."""
    paths: list[tuple[Any, ...]] = []

    def visit(node: Any, path: tuple[Any, ...]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                paths.append((*path, key))
                visit(value, (*path, key))
        elif isinstance(node, list):
            for index, value in enumerate(node[:3]):
                paths.append((*path, index))
                visit(value, (*path, index))

    visit(doc, ())
    choices = (_DELETE, *VALUES)
    pairs = [(p, v) for v in choices for p in paths]  # every path once per value
    step = max(1, len(pairs) // budget)
    for path, value in itertools.islice(pairs[::step], budget):
        mutated = copy.deepcopy(doc)
        parent = mutated
        for part in path[:-1]:
            parent = parent[part]
        if value is _DELETE:
            if isinstance(parent, dict):
                del parent[path[-1]]
            else:
                parent.pop(path[-1])
        else:
            parent[path[-1]] = value
        yield (
            "/".join(map(str, path)) + f" <- {'(deleted)' if value is _DELETE else _short(value)}",
            mutated,
        )


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 40 else text[:37] + "..."


def favorites(server: HostileServer, validation: str) -> Favorites:
    return Favorites(CREDENTIALS, api_base=server.base_url, sleep=no_sleep, validation=validation)


@pytest.mark.parametrize("validation", ["warn", "off"])
def test_mutated_liked_pages_are_results_or_compat_errors(
    server: HostileServer, tally: Tally, validation: str
) -> None:
    page = load_real("sns_sdks_v2_liked_tweets_author_expansion.json")
    client = favorites(server, validation)
    escaped: list[str] = []
    for where, mutated in mutations(page, budget=700):
        server.clear()
        server.behave("liked_tweets", "json", body=mutated)
        try:
            statuses = guarded(lambda: client.list(count=5))
        except CompatError:
            clean = True
        except Exception as exc:
            clean = False
            escaped.append(f"{where}: {type(exc).__name__}: {exc}"[:300])
        else:
            clean = isinstance(statuses, list)
        tally.record(f"mutated pages ({validation})", clean=clean, requests=1)
    assert not escaped, escaped[:10]


def test_mutated_lookups_fail_before_the_like_is_written(
    server: HostileServer, tally: Tally
) -> None:
    lookup = load_real("socialfoundations_v2_tweet_1_expanded.json")
    post = lookup["data"]["id"]
    client = favorites(server, "warn")
    escaped: list[str] = []
    written_then_failed: list[str] = []
    for where, mutated in mutations(lookup, budget=900):
        server.clear()
        server.behave("tweets", "json", body=mutated)
        try:
            guarded(lambda: client.create(post))
        except CompatError as exc:
            clean = True
            if server.count("like"):  # a failure after the write must say so
                written_then_failed.append(f"{where}: {exc}"[:300])
                clean = "applied" in str(exc)
        except Exception as exc:
            clean = False
            escaped.append(f"{where}: {type(exc).__name__}: {exc}"[:300])
        else:
            clean = server.count("like") == 1
        tally.record("mutated lookups (warn)", clean=clean, requests=len(server.served))
    assert not escaped, escaped[:10]
    assert not written_then_failed, written_then_failed[:10]


# -- error bodies ---------------------------------------------------------------------------

STATUSES = (400, 401, 402, 403, 404, 429, 500, 503)
FIELDS = ("type", "title", "detail", "errors", "status", "reason", "resource_id")
ODD = (
    None,
    42,
    1.5,
    True,
    [],
    ["x"],
    {},
    {"a": 1},
    [1, 2],
    [{"message": 5}],
    [{"message": None, "detail": []}],
    "x" * 5000,
    "",
)


def error_bodies() -> Iterator[tuple[int, Any]]:
    base = {"title": "Forbidden", "detail": "no", "type": "about:blank"}
    for status in STATUSES:
        for field in FIELDS:
            for value in ODD:
                yield status, {**base, field: value}
        for whole in (None, [], ["errors"], "text", 7, {"errors": {"message": "x"}}):
            yield status, whole


def test_api_error_for_takes_any_decoded_body() -> None:
    """compat.errors.api_error_for on every odd body: an ApiError, never AttributeError
    (an error body whose `type` is not a string used to be one)."""
    for status, body in error_bodies():
        error = api_error_for(status, body)
        assert isinstance(error, ApiError) and error.status == status, (status, body)
        assert error.v1_status >= 400


def test_odd_error_bodies_through_the_transport(server: HostileServer, tally: Tally) -> None:
    client = favorites(server, "strict")
    escaped: list[str] = []
    for status, body in error_bodies():
        server.clear()
        server.behave("liked_tweets", "json", status=status, body=body)
        try:
            guarded(lambda: client.list(count=5))
        except ApiError as exc:
            clean = exc.status == status and len(str(exc)) < MAX_MESSAGE_CHARS + 400
        except Exception as exc:
            clean = False
            escaped.append(f"{status} {_short(body)}: {type(exc).__name__}: {exc}"[:300])
        else:
            clean = False
        tally.record("error bodies", clean=clean, requests=len(server.served))
        if not clean and not escaped:
            escaped.append(f"{status} {_short(body)}: not an ApiError of that status")
    assert not escaped, escaped[:10]


RATE_HEADERS = (
    "x-rate-limit-reset",
    "x-rate-limit-remaining",
    "x-rate-limit-limit",
    "x-user-limit-24hour-reset",
    "Retry-After",
)
ODD_HEADERS = (
    "99999999999999999999",
    "253402300800",
    "-5",
    "1e10",
    "9" * 400,
    "",
    "now",
    "Wed, 21 Oct 2015 07:28:00 GMT",
    "Fri, 31 Dec 9999 23:59:59 GMT",
)


@pytest.mark.parametrize("status", [200, 429, 503])
def test_odd_rate_limit_headers(server: HostileServer, tally: Tally, status: int) -> None:
    client = favorites(server, "strict")
    escaped: list[str] = []
    for name in RATE_HEADERS:
        for value in ODD_HEADERS:
            server.clear()
            if status == 200:
                body = {"data": server.posts[:5], "meta": {"result_count": 5}}
            else:
                body = {"title": "Too Many Requests" if status == 429 else "Unavailable"}
            headers = {name: value, "x-rate-limit-remaining": "0"}
            server.behave("liked_tweets", "json", status=status, body=body, headers=headers)
            try:
                guarded(lambda: client.list(count=5))
            except CompatError:
                clean = status != 200
            except Exception as exc:
                clean = False
                escaped.append(f"{status} {name}: {value[:30]}: {type(exc).__name__}: {exc}")
            else:
                clean = status == 200
            tally.record("rate-limit headers", clean=clean, requests=len(server.served))
    assert not escaped, escaped[:10]
