# ruff: noqa -- legacy style on purpose (%-formatting, old idioms): this is a corpus program
# Python 2/3 compatibility helpers and the API factory shared by my scripts.
import os
import sys

PY2 = sys.version_info[0] == 2

if PY2:  # pragma: no cover - kept for the old box
    text_type = unicode  # noqa: F821
else:
    text_type = str


def to_text(value):
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return text_type(value)


def get_api():
    import tweepy

    auth = tweepy.OAuth1UserHandler(
        os.environ.get("TWITTER_CONSUMER_KEY", ""),
        os.environ.get("TWITTER_CONSUMER_SECRET", ""),
        os.environ.get("TWITTER_ACCESS_TOKEN", ""),
        os.environ.get("TWITTER_ACCESS_TOKEN_SECRET", ""),
    )
    return tweepy.API(auth, wait_on_rate_limit=True)
