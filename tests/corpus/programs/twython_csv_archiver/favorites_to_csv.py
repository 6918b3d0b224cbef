# ruff: noqa -- legacy style on purpose (%-formatting, old idioms): this is a corpus program
# Public pattern: the favorites CSV exporter on Twython -- the constructor pattern
# Twython(APP_KEY, APP_SECRET, OAUTH_TOKEN, OAUTH_TOKEN_SECRET) followed by
# verify_credentials(), then a loop over get_favorites(count=200, max_id=oldest - 1) (the
# "max_id minus one" paging of the Twython docs and countless scripts), one CSV row per like.
# Keys from TWITTER_* environment variables. Written for this corpus; no public code copied.
import csv
import os

from twython import Twython, TwythonError

APP_KEY = os.environ.get("TWITTER_CONSUMER_KEY")
APP_SECRET = os.environ.get("TWITTER_CONSUMER_SECRET")
OAUTH_TOKEN = os.environ.get("TWITTER_ACCESS_TOKEN")
OAUTH_TOKEN_SECRET = os.environ.get("TWITTER_ACCESS_TOKEN_SECRET")

twitter = Twython(APP_KEY, APP_SECRET, OAUTH_TOKEN, OAUTH_TOKEN_SECRET)
try:
    me = twitter.verify_credentials()
except TwythonError as e:
    raise SystemExit("login failed: %s" % e)

rows = []
max_id = None
while True:
    params = {"count": 200, "tweet_mode": "extended"}
    if max_id is not None:
        params["max_id"] = max_id
    page = twitter.get_favorites(**params)
    if not page:
        break
    for tweet in page:
        rows.append(
            [
                tweet["id_str"],
                tweet["created_at"],
                tweet["user"]["screen_name"],
                tweet["favorite_count"],
                tweet["full_text"].replace("\n", " "),
            ]
        )
    max_id = page[-1]["id"] - 1

with open("favorites.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["id", "created_at", "screen_name", "favorite_count", "text"])
    w.writerows(rows)
print("wrote %d favorites of @%s" % (len(rows), me["screen_name"]))
