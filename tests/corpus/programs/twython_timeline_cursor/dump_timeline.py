# ruff: noqa -- legacy style on purpose (%-formatting, old idioms): this is a corpus program
# Public pattern: the user_timeline walker on Twython -- Twython(...) with keys from the
# environment, then twitter.cursor(twitter.get_user_timeline, screen_name=..., count=200)
# (Twython's own cursor, which pages with max_id = last id - 1), one JSON object per line.
# Written for this corpus; no public code copied.
import json
import os

from twython import Twython

SCREEN_NAME = "Twitter"

twitter = Twython(
    os.environ["TWITTER_CONSUMER_KEY"],
    os.environ["TWITTER_CONSUMER_SECRET"],
    os.environ["TWITTER_ACCESS_TOKEN"],
    os.environ["TWITTER_ACCESS_TOKEN_SECRET"],
)

n = 0
with open("timeline.jsonl", "w", encoding="utf-8") as out:
    results = twitter.cursor(
        twitter.get_user_timeline, screen_name=SCREEN_NAME, count=200, include_rts=True
    )
    for tweet in results:
        out.write(
            json.dumps(
                {"id": tweet["id_str"], "user": tweet["user"]["screen_name"], "text": tweet["text"]}
            )
            + "\n"
        )
        n += 1
print("%d tweets of @%s" % (n, SCREEN_NAME))
