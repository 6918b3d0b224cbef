# ruff: noqa -- legacy style on purpose (%-formatting, old idioms): this is a corpus program
# Public pattern: the keyword "fav bot" on tweepy 3 -- config.create_api() (keys from
# CONSUMER_KEY/... env vars, verify_credentials at start-up, as in the widely copied Real Python
# bot tutorial), api.me(), then tweepy.Cursor(api.search, q=KEYWORD).items(N) and
# tweet.favorite() unless already favorited (e.g. saurav-choudhary/twiiter_bot,
# akshyeah/TweeterBot). X's developer policy forbids automated liking: this program stands for
# the legacy code `compat audit` flags. Written for this corpus; no public code copied.
import logging
import time

import tweepy

from config import create_api

logging.basicConfig(level=logging.INFO)
logger = logging.getLogger()

KEYWORD = "#python"
LIMIT = 20


def main():
    api = create_api()
    me = api.me()
    liked = 0
    for tweet in tweepy.Cursor(api.search, q=KEYWORD, result_type="recent", count=100).items(LIMIT):
        if tweet.user.id == me.id or tweet.favorited:
            continue
        try:
            tweet.favorite()
            liked += 1
            logger.info("Liked tweet %s by @%s", tweet.id, tweet.user.screen_name)
        except tweepy.TweepError as e:
            logger.error("Error on fav: %s", e.reason)
        time.sleep(0.1)
    logger.info("Liked %d tweets", liked)


if __name__ == "__main__":
    main()
