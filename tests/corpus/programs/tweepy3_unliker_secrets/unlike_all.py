# ruff: noqa -- legacy style on purpose (%-formatting, old idioms): this is a corpus program
# Public pattern: the "delete all my likes" cleaner on tweepy 3 -- log in, api.me(), then
# tweepy.Cursor(api.favorites, count=200).items() and api.destroy_favorite(status.id) for each,
# keys imported from a secrets.py next to the script (as e.g. fulanii/Tweets-unliking-bot and
# many gists do). Written for this corpus; no public code copied.
import sys

import tweepy

import secrets  # our own secrets.py, not the standard library module

auth = tweepy.OAuthHandler(secrets.api_key, secrets.api_secret)
auth.set_access_token(secrets.access_token, secrets.access_token_secret)
api = tweepy.API(auth, wait_on_rate_limit=True, wait_on_rate_limit_notify=True)

me = api.me()
print("Logged in as @%s" % me.screen_name)

unliked = 0
failed = 0
for status in tweepy.Cursor(api.favorites, count=200).items():
    try:
        api.destroy_favorite(status.id)
        unliked += 1
        if unliked % 50 == 0:
            print("%d likes removed so far" % unliked)
    except tweepy.TweepError as e:
        failed += 1
        print("could not unlike %s: %s" % (status.id, e.reason))

print("Done: unliked %d tweets, %d errors" % (unliked, failed))
sys.exit(1 if failed else 0)
