# ruff: noqa -- legacy style on purpose (%-formatting, old idioms): this is a corpus program
# Public pattern: the raw requests_oauthlib favorites dumper -- keys in config.py,
# OAuth1Session(CK, CS, AT, ATS) (e.g. motttey/twitter_like_RT_analysis), a GET of
# account/verify_credentials.json, then favorites/list.json pages written to fav_0.json,
# fav_1.json, ... with max_id = the last id (inclusive, no "- 1" and no dedupe: each page starts
# with the last tweet of the one before) until a page brings only that tweet back. Written for
# this corpus; no public code copied.
import json

from requests_oauthlib import OAuth1Session

import config

CK = config.CONSUMER_KEY
CS = config.CONSUMER_SECRET
AT = config.ACCESS_TOKEN
ATS = config.ACCESS_TOKEN_SECRET
twitter = OAuth1Session(CK, CS, AT, ATS)

res = twitter.get("https://api.twitter.com/1.1/account/verify_credentials.json")
if res.status_code != 200:
    raise SystemExit("Error: %d %s" % (res.status_code, res.text))
print("user:", json.loads(res.text)["screen_name"])

url = "https://api.twitter.com/1.1/favorites/list.json"
params = {"count": 200}
i = 0
while True:
    req = twitter.get(url, params=params)
    if req.status_code != 200:
        raise SystemExit("Error: %d %s" % (req.status_code, req.text))
    statuses = json.loads(req.text)
    if len(statuses) <= 1:
        break
    with open("fav_%d.json" % i, "w") as f:
        json.dump(statuses, f)
    print("fav_%d.json: %d tweets" % (i, len(statuses)))
    params["max_id"] = statuses[-1]["id"]
    i += 1
    if i > 100:
        raise SystemExit("runaway paging")
