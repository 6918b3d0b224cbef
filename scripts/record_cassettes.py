"""Re-record compat's own X API v2 traffic as vcrpy cassettes, with your credentials.

Needs real credentials in the environment (the X_* / TWITTER_* / unprefixed families of
``compat.Credentials.from_env``) and network access to the API. It likes, then unlikes, one
post (default: the one in tweepy's recordings), lists your likes, and writes one cassette per
legacy call under ``cassettes/recorded/``. Authorization headers, cookies and every oauth_*
parameter are removed before anything is written; read the files before committing them.

Usage::

    .venv/bin/python scripts/record_cassettes.py [--tweet-id ID] [--api-base URL]
"""

from __future__ import annotations

import argparse
import pathlib
import sys
from typing import Any

import vcr

import compat

OUT = pathlib.Path(__file__).resolve().parent.parent / "cassettes" / "recorded"


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    for name in ("set-cookie", "Set-Cookie", "x-connection-hash", "x-transaction-id"):
        response["headers"].pop(name, None)
    return response


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tweet-id", default="1293593516040269825")
    parser.add_argument("--api-base", default=None)
    args = parser.parse_args(argv)
    recorder = vcr.VCR(
        cassette_library_dir=str(OUT),
        record_mode="all",
        filter_headers=["authorization", "cookie"],
        filter_query_parameters=[
            "oauth_consumer_key",
            "oauth_token",
            "oauth_signature",
            "oauth_nonce",
            "oauth_timestamp",
        ],
        before_record_response=_scrub_response,
        decode_compressed_response=True,
    )
    favorites = compat.Favorites(compat.Credentials.from_env(), api_base=args.api_base)
    calls = {
        "favorites_create.yaml": lambda: favorites.create(args.tweet_id),
        "favorites_destroy.yaml": lambda: favorites.destroy(args.tweet_id),
        "favorites_list.yaml": lambda: favorites.list(count=20),
    }
    for name, call in calls.items():
        with recorder.use_cassette(name):
            try:
                call()
            except compat.CompatError as exc:  # recorded all the same: errors are data too
                print(f"{name}: {type(exc).__name__}: {exc}", file=sys.stderr)
        print(f"wrote {OUT / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
