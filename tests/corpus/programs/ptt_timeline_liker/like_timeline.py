# ruff: noqa -- legacy style on purpose (%-formatting, old idioms): this is a corpus program
# Public pattern: the python-twitter-tools "like everything a user posts" bot --
# t.statuses.user_timeline(screen_name=..., count=...) then t.favorites.create(_id=...) for
# every tweet not favorited yet (the `_id` keyword is how that package passes `id`). X's
# developer policy forbids automated liking by user: this program stands for the legacy code
# `compat audit` flags. Written for this corpus; no public code copied.
import os

from twitter import OAuth, Twitter, TwitterHTTPError

TARGET = "TwitterDev"

t = Twitter(
    auth=OAuth(
        os.environ["TWITTER_ACCESS_TOKEN"],
        os.environ["TWITTER_ACCESS_TOKEN_SECRET"],
        os.environ["TWITTER_CONSUMER_KEY"],
        os.environ["TWITTER_CONSUMER_SECRET"],
    )
)

liked = 0
for tweet in t.statuses.user_timeline(screen_name=TARGET, count=50):
    if tweet["favorited"]:
        continue
    try:
        t.favorites.create(_id=tweet["id"])
        liked += 1
        print("liked", tweet["id_str"])
    except TwitterHTTPError as e:
        print("failed", tweet["id_str"], e)
print("liked %d tweets of @%s" % (liked, TARGET))
