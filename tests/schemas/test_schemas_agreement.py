"""jsonschema-rs and jsonschema give the same verdict on every document (issue 5 part 4).

Every real payload and cassette body is checked against every schema; then hypothesis mutates
real documents (fields dropped, types flipped, ids as ints, trailing newlines, non-ASCII
digits, NaN/Infinity, malformed dates, nested quoted posts) and each mutant is checked too.
"""

from __future__ import annotations

import copy
import math
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compat import schemas
from tests._support.schemas import REALDATA, cassette_bodies, documents, load

NAMES = schemas.schema_names()
DOCS = documents()
tried: Counter[str] = Counter()


def verdicts(name: str, doc: Any) -> tuple[bool, bool]:
    """(jsonschema-rs, jsonschema) verdicts, straight from each backend's compiled validator."""
    fast = schemas.get_validator(name, "jsonschema-rs")._fast
    slow = schemas.get_validator(name, "jsonschema")._py
    return bool(fast.is_valid(doc)), bool(slow.is_valid(doc))


@pytest.mark.parametrize("name", NAMES)
def test_every_real_document_gets_the_same_verdict(name: str) -> None:
    assert len(DOCS) >= 25
    for label, doc in DOCS:
        fast, slow = verdicts(name, doc)
        assert fast == slow, f"{name} on {label}: jsonschema-rs {fast}, jsonschema {slow}"


def test_nan_and_infinity_are_not_json_numbers_in_either_backend() -> None:
    for value in (math.nan, math.inf, -math.inf):
        for schema in ({"type": "number"}, {"type": "integer"}):
            import jsonschema_rs

            assert not jsonschema_rs.validator_for(schema).is_valid(value)
            assert not schemas._ReferenceValidator(schema).is_valid(value)
    assert schemas._ReferenceValidator({"type": "number"}).is_valid(1.5)


# ---- mutation -------------------------------------------------------------------------------

DATES: list[str] = [
    "2023-02-30T12:20:16.000Z",
    "2023-2-16T12:20:16Z",
    "2023-02-16 12:20:16",
    "2023-02-16T12:20:16.000Z\n",
    "2023-02-16T24:00:00Z",
    "2023-02-16T12:20:16.000+0100",
    "2023-02-16T12:20:16.000Z",
    "Wed Oct 10 20:19:24 +0000 2018",
    "\u0661\u0669\u0669\u0660-\u0660\u0661-\u0660\u0661T00:00:00Z",
]
NASTY: list[Any] = [
    0,
    -1,
    1.0,
    1.5,
    2**64,
    2**70,
    True,
    False,
    None,
    "",
    "\n",
    "1\n",
    "12 ",
    " 12",
    "\u0661\u0662\u0663",  # Arabic-Indic 123
    "\uff11\uff12\uff13",  # fullwidth 123
    "12a",
    "0x1F",
    math.nan,
    math.inf,
    -math.inf,
    [],
    {},
    [1],
    {"id": "1"},
    *DATES,
]
ARABIC = str.maketrans("0123456789", "".join(chr(0x0660 + i) for i in range(10)))
FULLWIDTH = str.maketrans("0123456789", "".join(chr(0xFF10 + i) for i in range(10)))
OPS = ["drop", "replace", "flip", "newline", "digits", "date", "nest"]


def _positions(doc: Any) -> list[tuple[Any, Any]]:
    """(container, key) of every value below the root."""
    out: list[tuple[Any, Any]] = []
    stack = [doc]
    while stack:
        node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in list(items):
            out.append((node, key))
            if isinstance(value, (dict, list)):
                stack.append(value)
    return out


def _posts(doc: Any) -> list[dict[str, Any]]:
    return [
        c[k]
        for c, k in _positions(doc)
        if isinstance(c[k], dict) and "id" in c[k] and ("text" in c[k] or "full_text" in c[k])
    ]


def _flip(value: Any) -> Any:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return int(value) if value.isascii() and value.isdigit() else len(value)
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return {str(i): v for i, v in enumerate(value)}
    if isinstance(value, dict):
        return list(value.values())
    return "null"


def mutate(doc: Any, name: str, op: str, pick: int, arg: int) -> None:
    """Apply one mutation in place (no-op when the document has nothing it applies to)."""
    if op == "nest":
        posts = _posts(doc)
        if not posts:
            return
        post = posts[pick % len(posts)]
        quoted = copy.deepcopy(post)
        if name.startswith("v1.1/"):
            post["quoted_status"] = quoted
            post["is_quote_status"] = True
        elif isinstance(doc, dict) and isinstance(doc.setdefault("includes", {}), dict):
            doc["includes"].setdefault("tweets", [])
            if isinstance(doc["includes"]["tweets"], list):
                doc["includes"]["tweets"].append(quoted)
            post.setdefault("referenced_tweets", [])
            if isinstance(post["referenced_tweets"], list):
                post["referenced_tweets"].append({"type": "quoted", "id": quoted["id"]})
        return
    positions = _positions(doc)
    if not positions:
        return
    if op == "date":
        dated = [(c, k) for c, k in positions if k in ("created_at", "end_datetime")]
        positions = dated or positions
    container, key = positions[pick % len(positions)]
    value = container[key]
    if op == "drop":
        del container[key]
    elif op == "replace":
        container[key] = copy.deepcopy(NASTY[arg % len(NASTY)])
    elif op == "flip":
        container[key] = _flip(value)
    elif op == "newline" and isinstance(value, str):
        container[key] = value + "\n"
    elif op == "digits" and isinstance(value, str):
        container[key] = value.translate(ARABIC if arg % 2 else FULLWIDTH)
    elif op == "date":
        container[key] = DATES[arg % len(DATES)]


def _trim(doc: Any, keep: int = 6) -> Any:
    doc = copy.deepcopy(doc)
    if isinstance(doc, dict) and isinstance(doc.get("data"), list):
        doc["data"] = doc["data"][:keep]
    if isinstance(doc, list):
        doc = doc[:keep]
    return doc


def _real(filename: str) -> Any:
    return load(REALDATA / filename)


def _reshaped() -> list[Any]:
    """v1.1 tweets as the shim makes them from real v2 payloads (valid v1.1 documents)."""
    try:
        from compat import reshape
    except ImportError:  # pragma: no cover - the reshape module is another part's
        return []
    out: list[Any] = []
    for filename in (
        "socialfoundations_v2_tweet_1_expanded.json",
        "sns_sdks_v2_liked_tweets_author_expansion.json",
    ):
        page = _real(filename)
        if isinstance(page["data"], dict):
            page["data"] = [page["data"]]
        page["data"] = page["data"][:2]
        for mode in ("compat", "extended"):
            out += reshape.page_to_v1(page, tweet_mode=mode)
    return out


def _bases() -> dict[str, list[Any]]:
    cassette = {label.split("#")[0]: body for label, _, body in cassette_bodies()}
    bases: dict[str, list[Any]] = {
        "v2/liked_tweets_page": [
            _trim(_real("tweepy_v2_liked_tweets.json")),
            _real("sns_sdks_v2_liked_tweets_author_expansion.json"),
        ],
        "v2/tweets_lookup": [
            _real("socialfoundations_v2_tweet_1_expanded.json"),
            _real("tweepy_v2_tweets_lookup.json"),
            cassette["test_client_get_tweet.yaml"],
        ],
        "v2/like_result": [_real("tweepy_v2_like.json"), _real("tweepy_v2_unlike.json")],
        "v2/users_me": [_real("tweepy_v2_users_me.json")],
        "v2/user_lookup": [_trim(_real("tweepy_v2_liking_users.json"))],
        "v2/problem": [
            {
                "errors": [{"message": "This tweet cannot be found."}],
                "title": "Invalid Request",
                "type": "https://api.twitter.com/2/problems/invalid-request",
            },
            {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "x"},
        ],
    }
    v1_tweets = [
        *_reshaped(),
        _real("socialfoundations_v1_tweet_1.json"),
        _real("tweepy_v11_create_favorite.json"),
        _real("python_twitter_v11_create_favorite.json"),
    ]
    optional = {
        "v1.1/tweet": v1_tweets,
        "v1.1/user": [t["user"] for t in v1_tweets],
        "v1.1/entities": [t["entities"] for t in v1_tweets],
        "v1.1/error": [_real("twitter_ruby_v11_error_139_already_favorited.json")],
    }
    bases.update({name: docs for name, docs in optional.items() if name in NAMES})
    return bases


BASES = _bases()
CHAIN = 6  # mutations applied one after the other; every intermediate document is checked

mutations = st.lists(
    st.tuples(st.sampled_from(OPS), st.integers(0, 10_000), st.integers(0, len(NASTY) - 1)),
    min_size=1,
    max_size=CHAIN,
)


@pytest.mark.parametrize("name", sorted(BASES))
def test_mutated_documents_get_the_same_verdict(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bases = BASES[name]
    before = tried[name]
    invalid = Counter[bool]()

    @settings(
        max_examples=600,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(base=st.integers(0, len(bases) - 1), ops=mutations)
    def check(base: int, ops: list[tuple[str, int, int]]) -> None:
        doc = copy.deepcopy(bases[base])
        for op, pick, arg in ops:
            mutate(doc, name, op, pick, arg)
            fast, slow = verdicts(name, doc)
            tried[name] += 1
            invalid[not slow] += 1
            assert fast == slow, (name, ops, doc)

    check()
    count = tried[name] - before
    with capsys.disabled():
        print(f"\n{name}: {count} mutated documents, {invalid[True]} invalid, same verdicts")
    assert count >= 1000
    assert invalid[True] > 0  # mutations broke documents …
    if any(schemas.get_validator(name).is_valid(doc) for doc in bases):
        assert invalid[False] > 0  # … and valid documents were checked too
