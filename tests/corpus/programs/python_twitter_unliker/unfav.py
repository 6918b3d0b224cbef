# ruff: noqa -- legacy style on purpose (%-formatting, old idioms): this is a corpus program
# Public pattern: the python-twitter unliker -- twitter.Api(..., sleep_on_rate_limit=True)
# (python-twitter then asks application/rate_limit_status before its first request),
# VerifyCredentials() printed at start-up, then `while True: GetFavorites(count=200)` and
# DestroyFavorite(status=...) for each until the list comes back empty (e.g.
# joeywatts/TwitterUnliker); keys in a settings.py module. Written for this corpus; no public
# code copied.
import twitter

import settings

api = twitter.Api(
    consumer_key=settings.CONSUMER_KEY,
    consumer_secret=settings.CONSUMER_SECRET,
    access_token_key=settings.ACCESS_TOKEN_KEY,
    access_token_secret=settings.ACCESS_TOKEN_SECRET,
    sleep_on_rate_limit=True,
)
user = api.VerifyCredentials()
print("Authenticated as @%s" % user.screen_name)

total = 0
rounds = 0
while True:
    favorites = api.GetFavorites(count=settings.BATCH, include_entities=False)
    if len(favorites) == 0:
        break
    rounds += 1
    if rounds > 50:
        raise SystemExit("still not empty after 50 rounds, giving up")
    print("Got list of {} favorites".format(len(favorites)))
    for status in favorites:
        api.DestroyFavorite(status=status)
        total += 1
print("All done! {} favorites destroyed".format(total))
