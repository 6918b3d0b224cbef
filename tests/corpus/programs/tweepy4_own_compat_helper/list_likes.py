# ruff: noqa -- legacy style on purpose (%-formatting, old idioms): this is a corpus program
# Public pattern: an older script with its own compat.py (Python 2/3 helpers: text_type,
# to_text, an API factory) next to it -- a very common module name in pre-2020 code -- that
# lists the account's likes with tweepy: api.verify_credentials(), then
# tweepy.Cursor(api.get_favorites, count=200).items() to a tab-separated text file. The program's
# own compat.py must win over the compat package. Written for this corpus; no public code copied.
import io

import tweepy

from compat import get_api, to_text

api = get_api()
me = api.verify_credentials()
print(to_text("likes of @%s" % me.screen_name))

n = 0
with io.open("likes.txt", "w", encoding="utf-8") as out:
    for status in tweepy.Cursor(api.get_favorites, count=200).items():
        out.write(to_text("%s\t%s\n" % (status.id_str, status.user.screen_name)))
        n += 1
print("%d likes listed" % n)
