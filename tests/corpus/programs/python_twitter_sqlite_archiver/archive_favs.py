# ruff: noqa -- legacy style on purpose (%-formatting, old idioms): this is a corpus program
# Public pattern: a favorites-to-SQLite archiver on python-twitter -- keys in config.py,
# twitter.Api(..., sleep_on_rate_limit=True), and a hand-written paging loop that passes the id
# of the last status as max_id (inclusive, without the "- 1": "for the 201st and later, give the
# 200th id as max_id", as nibral/twitter-fav-dl's notes put it), skipping by hand the
# boundary status that comes back again and stopping when a page brings nothing new.
# Written for this corpus; no public code copied.
import sqlite3

import twitter

import config

api = twitter.Api(
    consumer_key=config.consumer_key,
    consumer_secret=config.consumer_secret,
    access_token_key=config.access_token,
    access_token_secret=config.access_token_secret,
    sleep_on_rate_limit=True,
    tweet_mode="extended",
)
me = api.VerifyCredentials()

db = sqlite3.connect(config.database)
db.execute(
    "CREATE TABLE IF NOT EXISTS favorites ("
    " seq INTEGER PRIMARY KEY, id TEXT UNIQUE, created_at TEXT, screen_name TEXT, text TEXT)"
)

seen = set(row[0] for row in db.execute("SELECT id FROM favorites"))
seq = db.execute("SELECT COALESCE(MAX(seq), 0) FROM favorites").fetchone()[0]
max_id = None
pages = 0
while True:
    page = api.GetFavorites(count=200, max_id=max_id)
    pages += 1
    new = [s for s in page if s.id_str not in seen]
    if not new:
        break
    for status in new:
        seq += 1
        seen.add(status.id_str)
        db.execute(
            "INSERT INTO favorites (seq, id, created_at, screen_name, text) VALUES (?, ?, ?, ?, ?)",
            (
                seq,
                status.id_str,
                status.created_at,
                status.user.screen_name,
                status.full_text or status.text,
            ),
        )
    db.commit()
    max_id = page[-1].id
    if pages > 100:
        raise SystemExit("too many pages")
db.close()
print("@%s: %d favorites archived in %d requests" % (me.screen_name, seq, pages))
