"""Helpers shared by the adapter tests (imported as a plain module, like schemas_support)."""

from __future__ import annotations

from requests_oauthlib import OAuth1

from compat import Credentials

REAL_TWEET = "1626194750222094336"  # the socialfoundations golden post, in the default dataset
TWEEPY_TWEET = "145344012"  # tweepy's v1.1 create/destroy cassette post, in the default dataset
LIKES = 550
CREATE = "https://api.twitter.com/1.1/favorites/create.json"
DESTROY = "https://api.twitter.com/1.1/favorites/destroy.json"
LIST = "https://api.twitter.com/1.1/favorites/list.json"


def signer(creds: Credentials) -> OAuth1:
    """requests-oauthlib OAuth1 for ``creds``, as legacy code signs its v1.1 requests."""
    return OAuth1(
        creds.consumer_key, creds.consumer_secret, creds.access_token, creds.access_token_secret
    )


def no_sleep(seconds: float) -> None:
    """The v2 client's retry back-off, without waiting (tests never sleep)."""
