"""Property tests: hostile input to every public entry point is a result or a CompatError.

Never another exception, never a request to an unexpected URL. Runs against the embedded
emulator over real sockets; the number of inputs tried is printed at the end of the run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import compat
from compat import Favorites, LikesClient
from compat.emulator import Emulator

ALLOWED_PATH = re.compile(
    r"/2/(tweets|users/me|users/[0-9]{1,19}/likes(/[0-9]{1,19})?|users/[0-9]{1,19}/liked_tweets"
    r"|users/by/username/[A-Za-z0-9_]{1,15})"
)
EXAMPLES = 150
TRIED: dict[str, int] = {}

ids = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.text(alphabet="0123456789", min_size=0, max_size=25),
    st.sampled_from(["1626194750222094336", "12/../", "1\n", "١٢", "1" * 19, "9" * 19, " 5"]),
    st.booleans(),
    st.none(),
    st.binary(max_size=10),
    st.lists(st.integers(), max_size=2),
)
counts = st.one_of(st.integers(min_value=-(2**40), max_value=2**40), st.text(max_size=8), ids)
words = st.one_of(st.text(max_size=20), st.sampled_from(["@TweepyDev", "TweepyDev", "../x", "a b"]))
legacy = st.dictionaries(
    st.sampled_from(
        ["tweet_mode", "trim_user", "include_ext_alt_text", "include_card_uri", "bogus", "lookup"]
    ),
    st.one_of(st.text(max_size=10), st.booleans(), st.integers(), st.none()),
    max_size=3,
)


@pytest.fixture(scope="module")
def emu(figures: list[str]) -> Iterator[Emulator]:
    with Emulator(likes=150) as emulator:
        emulator.rate_limits.lift()
        yield emulator
    total = sum(TRIED.values())
    figures.append(
        f"bad input: {total} generated inputs over {len(TRIED)} entry points "
        f"({', '.join(f'{k} {v}' for k, v in sorted(TRIED.items()))}): "
        "every outcome a result or a CompatError, every request to an expected URL"
    )


def check(emu: Emulator, name: str, call: Callable[[], Any]) -> None:
    TRIED[name] = TRIED.get(name, 0) + 1
    emu.clear_requests()
    try:
        call()
    except compat.CompatError as exc:
        assert str(exc)  # a clear message, never empty
    for record in emu.requests:
        assert ALLOWED_PATH.fullmatch(record.path), record.path


FAST = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FAST
@given(value=ids, include_entities=st.one_of(st.booleans(), st.text(max_size=5)), extra=legacy)
def test_favorites_create_and_destroy(
    emu: Emulator, value: Any, include_entities: Any, extra: dict[str, Any]
) -> None:
    favorites = Favorites(emu.credentials, api_base=emu.base_url)
    check(emu, "favorites_create", lambda: favorites.create(value, include_entities, **extra))
    check(emu, "favorites_destroy", lambda: favorites.destroy(value, include_entities, **extra))


@FAST
@given(
    user_id=st.one_of(st.none(), ids),
    name=st.one_of(st.none(), words),
    count=counts,
    since_id=st.one_of(st.none(), ids),
    max_id=st.one_of(st.none(), ids),
    extra=legacy,
)
def test_favorites_list(
    emu: Emulator,
    user_id: Any,
    name: Any,
    count: Any,
    since_id: Any,
    max_id: Any,
    extra: dict[str, Any],
) -> None:
    favorites = Favorites(emu.credentials, api_base=emu.base_url)
    extra.pop("lookup", None)
    check(
        emu,
        "favorites_list",
        lambda: favorites.list(user_id, name, count, since_id, max_id, **extra),
    )


@FAST
@given(value=ids, token=st.one_of(st.none(), st.text(max_size=40)), max_results=counts, name=words)
def test_client_methods(emu: Emulator, value: Any, token: Any, max_results: Any, name: Any) -> None:
    client = LikesClient(emu.credentials, api_base=emu.base_url)
    check(emu, "client.like", lambda: client.like(value))
    check(emu, "client.unlike", lambda: client.unlike(value))
    check(emu, "client.lookup_tweets", lambda: client.lookup_tweets([value]))
    check(emu, "client.user_by_username", lambda: client.user_by_username(name))
    check(
        emu,
        "client.liked_tweets",
        lambda: client.liked_tweets(value, max_results=max_results, pagination_token=token),
    )


@FAST
@given(
    api_base=st.one_of(
        st.text(max_size=30),
        st.sampled_from(
            ["ftp://x", "http://", "javascript:alert(1)", "http://h/?q=1", "api.x.com"]
        ),
    )
)
def test_bad_api_base_is_a_configuration_error(emu: Emulator, api_base: str) -> None:
    TRIED["api_base"] = TRIED.get("api_base", 0) + 1
    try:
        LikesClient(emu.credentials, api_base=api_base)
    except compat.ConfigurationError as exc:
        assert "api_base" in str(exc)
