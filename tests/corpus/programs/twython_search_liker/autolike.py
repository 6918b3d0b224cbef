# ruff: noqa -- legacy style on purpose (%-formatting, old idioms): this is a corpus program
# Public pattern: the Twython search-and-like bot -- keys in a keys.json, Twython(...),
# search(q=..., count=25, result_type="recent")["statuses"], then create_favorite(id=...) for
# each status not favorited yet, catching TwythonError (the "auto favorite by keyword" scripts
# of the Twython era). X's developer policy forbids automated liking: this program stands for
# the legacy code `compat audit` flags. Written for this corpus; no public code copied.
import json
import time

from twython import Twython, TwythonError

with open("keys.json") as f:
    keys = json.load(f)

twitter = Twython(
    keys["app_key"], keys["app_secret"], keys["oauth_token"], keys["oauth_token_secret"]
)
me = twitter.verify_credentials()

QUERY = "tweepy"
result = twitter.search(q=QUERY, count=25, result_type="recent")
print("search_metadata:", result["search_metadata"].get("count"), "statuses")
liked = []
for status in result["statuses"]:
    if status["favorited"] or status["user"]["id_str"] == me["id_str"]:
        continue
    try:
        twitter.create_favorite(id=status["id"])
        liked.append(status["id_str"])
    except TwythonError as e:
        print("error liking %s: %s" % (status["id_str"], e))
    time.sleep(0.1)

with open("liked.txt", "w") as f:
    f.write("\n".join(liked) + ("\n" if liked else ""))
print("liked %d tweets matching %r" % (len(liked), QUERY))
