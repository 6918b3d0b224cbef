# ruff: noqa -- legacy style on purpose (%-formatting, old idioms): this is a corpus program
# Public pattern: the favorites image grabber on tweepy 4 -- keys and screen name in a .env
# file, tweepy.Cursor(api.get_favorites, screen_name=sn, count=200, tweet_mode="extended")
# .items(), each status's extended_entities["media"]: media_url_https of photos, the best mp4
# variant of video_info for videos, written to a URL list for a downloader (e.g. kgtkr/tw-favo-image,
# edbryson7/twitterDL). python-dotenv is not used: the .env is parsed by hand as older scripts
# did. Nothing is downloaded. Written for this corpus; no public code copied.
import os

import tweepy


def load_env(path=".env"):
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#") or "=" not in line:
                continue
            key, value = line.split("=", 1)
            os.environ.setdefault(key.strip(), value.strip().strip('"').strip("'"))


load_env()
ck = os.environ["ck"]
cs = os.environ["cs"]
tk = os.environ["tk"]
ts = os.environ["ts"]
sn = os.environ["sn"]

auth = tweepy.OAuth1UserHandler(ck, cs, tk, ts)
api = tweepy.API(auth, wait_on_rate_limit=True)


def best_video(media):
    variants = [v for v in media["video_info"]["variants"] if v["content_type"] == "video/mp4"]
    if not variants:
        return None
    return max(variants, key=lambda v: v.get("bitrate", 0))["url"]


count = 0
with open("media_urls.txt", "w") as out:
    for t in tweepy.Cursor(
        api.get_favorites, screen_name=sn, count=200, tweet_mode="extended"
    ).items():
        if not hasattr(t, "extended_entities"):
            continue
        for m in t.extended_entities["media"]:
            if m["type"] == "photo":
                url = m["media_url_https"]
            else:
                url = best_video(m)
            if url:
                out.write(url + "\n")
                count += 1
print("%d media URLs written to media_urls.txt" % count)
