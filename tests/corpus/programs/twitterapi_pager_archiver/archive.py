# ruff: noqa -- legacy style on purpose (%-formatting, old idioms): this is a corpus program
# Public pattern: the favorites archiver on TwitterAPI -- TwitterAPI(...) with keys from the
# environment and TwitterPager(api, 'favorites/list', {'count': 200}).get_iterator(), which
# pages v1.1 with max_id = last id - 1, one JSON line per liked tweet (the TwitterPager
# examples of the TwitterAPI docs, applied to favorites). Written for this corpus; no public
# code copied.
import json
import os

from TwitterAPI import TwitterAPI, TwitterPager

api = TwitterAPI(
    os.environ["TWITTER_CONSUMER_KEY"],
    os.environ["TWITTER_CONSUMER_SECRET"],
    os.environ["TWITTER_ACCESS_TOKEN"],
    os.environ["TWITTER_ACCESS_TOKEN_SECRET"],
)

pager = TwitterPager(api, "favorites/list", {"count": 200, "tweet_mode": "extended"})
n = 0
with open("favorites.jsonl", "w", encoding="utf-8") as out:
    for item in pager.get_iterator(wait=0.5):
        if "full_text" in item:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
            n += 1
        elif "message" in item:
            raise SystemExit("error %s: %s" % (item.get("code"), item["message"]))
print("%d favorites archived" % n)
