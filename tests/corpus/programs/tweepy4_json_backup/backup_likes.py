# ruff: noqa -- legacy style on purpose (%-formatting, old idioms): this is a corpus program
# Public pattern: the JSON likes backup on tweepy 4 -- keys from TWITTER_* environment
# variables, api.verify_credentials() at start-up, then
# tweepy.Cursor(api.get_favorites, count=200, tweet_mode="extended").items() and every
# status's raw _json dumped to one file (e.g. datagrok's favorites dump, alexwlchan's
# backup_favorites.py). Written for this corpus; no public code copied.
import json
import os
import sys

import tweepy

auth = tweepy.OAuth1UserHandler(
    os.environ["TWITTER_CONSUMER_KEY"],
    os.environ["TWITTER_CONSUMER_SECRET"],
    os.environ["TWITTER_ACCESS_TOKEN"],
    os.environ["TWITTER_ACCESS_TOKEN_SECRET"],
)
api = tweepy.API(auth, wait_on_rate_limit=True)

try:
    me = api.verify_credentials()
except tweepy.TweepyException as e:
    sys.exit("Could not log in: %s" % e)
print("Backing up the likes of @%s" % me.screen_name)

likes = []
for status in tweepy.Cursor(api.get_favorites, count=200, tweet_mode="extended").items():
    likes.append(status._json)

with open("likes.json", "w", encoding="utf-8") as f:
    json.dump(likes, f, ensure_ascii=False, indent=1)
print("Saved %d likes to likes.json" % len(likes))
