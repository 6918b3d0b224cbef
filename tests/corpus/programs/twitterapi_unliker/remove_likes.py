# ruff: noqa -- legacy style on purpose (%-formatting, old idioms): this is a corpus program
# Public pattern: the like cleaner on TwitterAPI (geduldig) -- keys from a credentials.txt of
# key=value lines (TwitterAPI's own TwitterOAuth.read_file format), a
# request('account/verify_credentials') at start-up, then a loop of
# request('favorites/list', {'count': 200}) and request('favorites/destroy', {'id': ...}) for
# each until the list is empty, checking r.status_code. Written for this corpus; no public code
# copied.
import sys

from TwitterAPI import TwitterAPI, TwitterOAuth

o = TwitterOAuth.read_file("credentials.txt")
api = TwitterAPI(o.consumer_key, o.consumer_secret, o.access_token_key, o.access_token_secret)

r = api.request("account/verify_credentials")
if r.status_code != 200:
    sys.exit("login failed: %s %s" % (r.status_code, r.text))
print("hello @" + r.json()["screen_name"])

removed = 0
for _ in range(100):
    r = api.request("favorites/list", {"count": 200})
    if r.status_code != 200:
        sys.exit("favorites/list failed: %s %s" % (r.status_code, r.text))
    tweets = r.json()
    if not tweets:
        break
    for tweet in tweets:
        d = api.request("favorites/destroy", {"id": tweet["id_str"]})
        if d.status_code == 200:
            removed += 1
        else:
            print("failed to unlike", tweet["id_str"], d.status_code, d.text)
print("removed %d likes" % removed)
