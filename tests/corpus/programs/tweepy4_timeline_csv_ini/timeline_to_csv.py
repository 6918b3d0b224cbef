# ruff: noqa -- legacy style on purpose (%-formatting, old idioms): this is a corpus program
# Public pattern: the user_timeline walker on tweepy 4 -- keys in a config.ini read with
# configparser, api.verify_credentials(), then
# tweepy.Cursor(api.user_timeline, screen_name=..., count=200, tweet_mode="extended").items()
# written row by row to a CSV (the "all tweets of a user to CSV" scripts, e.g. yanofsky's
# tweet_dumper gist and its many forks). Written for this corpus; no public code copied.
import configparser
import csv

import tweepy

config = configparser.ConfigParser()
config.read("config.ini")
keys = config["twitter"]

auth = tweepy.OAuth1UserHandler(
    keys["consumer_key"], keys["consumer_secret"], keys["access_token"], keys["access_token_secret"]
)
api = tweepy.API(auth, wait_on_rate_limit=True)
me = api.verify_credentials()
print("logged in as", me.screen_name)

screen_name = config["export"]["screen_name"]
rows = 0
with open(config["export"]["output"], "w", newline="", encoding="utf-8") as f:
    writer = csv.writer(f)
    writer.writerow(["id", "created_at", "favorite_count", "retweet_count", "text"])
    cursor = tweepy.Cursor(
        api.user_timeline,
        screen_name=screen_name,
        count=200,
        include_rts=True,
        tweet_mode="extended",
    )
    for status in cursor.items():
        writer.writerow(
            [
                status.id_str,
                status.created_at.isoformat(),
                status.favorite_count,
                status.retweet_count,
                status.full_text,
            ]
        )
        rows += 1
print("%d tweets of @%s written" % (rows, screen_name))
