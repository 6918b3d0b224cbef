"""Validation cost per post with each backend (issue 5): no assertions, just numbers.

Run from a checkout::

    .venv/bin/python benchmarks/validation.py [--repeat 5]

Measures, with ``compat.schemas.Validator(name, backend=...)`` built once (as the hot path
does), the µs per post of

* a v1.1-shaped tweet (the shim's reshape of the real golden v2 post
  tests/realdata/socialfoundations_v2_tweet_1_expanded.json, with its quoted post) against
  ``v1.1/tweet``;
* the real v2 liked_tweets page tests/realdata/tweepy_v2_liked_tweets.json (96 posts)
  against ``v2/liked_tweets_page``, divided by the number of posts;

for jsonschema-rs and jsonschema, and prints the ratio.
"""

from __future__ import annotations

import argparse
import functools
import json
import pathlib
import sys
import timeit
from collections.abc import Callable
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parent.parent
REALDATA = ROOT / "tests" / "realdata"
sys.path.insert(0, str(ROOT))

from compat import schemas  # noqa: E402


def _load(name: str) -> Any:
    return json.loads((REALDATA / name).read_text(encoding="utf-8"))


def _per_call_us(fn: Callable[[], object], repeat: int) -> float:
    """Best-of-``repeat`` µs per call, each run long enough (≥0.2 s) to be stable."""
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()
    number = max(number, 1)
    return min(timer.repeat(repeat=repeat, number=number)) / number * 1e6


def measure(repeat: int = 5) -> list[tuple[str, int, dict[str, float]]]:
    """[(case, posts per document, {backend: µs per post})]."""
    page = _load("tweepy_v2_liked_tweets.json")
    golden = _load("socialfoundations_v2_tweet_1_expanded.json")
    golden["data"] = [golden["data"]]
    cases: list[tuple[str, str, Any, int]] = []
    if "v1.1/tweet" in schemas.schema_names():
        from compat import reshape

        cases.append(
            ("v1.1 tweet (reshaped golden post)", "v1.1/tweet", reshape.page_to_v1(golden)[0], 1)
        )
    cases.append(
        ("v2 liked_tweets page (real, 96 posts)", "v2/liked_tweets_page", page, len(page["data"]))
    )
    results = []
    for label, name, doc, posts in cases:
        per_backend: dict[str, float] = {}
        for backend in schemas.BACKENDS:
            validator = schemas.Validator(name, backend=backend)
            if not validator.is_valid(doc):
                raise SystemExit(
                    f"{label} does not validate against {name}: {validator.error(doc)}"
                )
            per_backend[backend] = _per_call_us(functools.partial(validator.is_valid, doc), repeat)
            per_backend[backend] /= posts
        # the hot path as the client calls it: mode check, cached validator, default backend
        hot = functools.partial(schemas.validate, name, doc)
        per_backend["validate()"] = _per_call_us(hot, repeat) / posts
        results.append((label, posts, per_backend))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="timing runs, best is kept")
    args = parser.parse_args(argv)
    print(f"validation backend in use: {schemas.backend_name()}")
    header = f"{'document':40} {'jsonschema-rs':>16} {'jsonschema':>16} {'ratio':>7}"
    print(f"{header} {'validate()':>14}")
    for label, _, us in measure(args.repeat):
        fast, slow, hot = us["jsonschema-rs"], us["jsonschema"], us["validate()"]
        print(f"{label:40} {fast:13.1f} µs {slow:13.1f} µs {slow / fast:6.0f}x {hot:11.1f} µs")
    print(
        "(µs per post, best of --repeat runs; validators built once; is_valid on a valid "
        "document; validate() = compat.schemas.validate in strict mode, default backend)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
