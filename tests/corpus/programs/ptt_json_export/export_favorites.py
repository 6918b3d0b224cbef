# ruff: noqa -- legacy style on purpose (%-formatting, old idioms): this is a corpus program
# Public pattern: the python-twitter-tools (`twitter` package) favorites export --
# Twitter(auth=OAuth(token, token_secret, consumer_key, consumer_secret)),
# t.account.verify_credentials(), then t.favorites.list(count=200, max_id=...) with the last
# id as an inclusive max_id and the repeated boundary tweet dropped by hand, everything in one
# JSON file. Keys from TWITTER_* environment variables. Written for this corpus; no public code
# copied.
import json
import os

from twitter import OAuth, Twitter, TwitterHTTPError

t = Twitter(
    auth=OAuth(
        os.environ["TWITTER_ACCESS_TOKEN"],
        os.environ["TWITTER_ACCESS_TOKEN_SECRET"],
        os.environ["TWITTER_CONSUMER_KEY"],
        os.environ["TWITTER_CONSUMER_SECRET"],
    )
)

try:
    me = t.account.verify_credentials()
except TwitterHTTPError as e:
    raise SystemExit("cannot log in: %s" % e)

favorites = []
kwargs = {"count": 200}
while True:
    page = t.favorites.list(**kwargs)
    if favorites and page and page[0]["id"] == favorites[-1]["id"]:
        page = page[1:]  # max_id is inclusive: the boundary tweet comes back first
    if not page:
        break
    favorites.extend(page)
    kwargs["max_id"] = page[-1]["id"]

with open("favorites.json", "w", encoding="utf-8") as f:
    json.dump({"user": me["screen_name"], "favorites": favorites}, f, ensure_ascii=False)
print("exported %d favorites" % len(favorites))
