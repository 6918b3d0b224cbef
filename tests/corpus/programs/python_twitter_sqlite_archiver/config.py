# ruff: noqa -- legacy style on purpose (%-formatting, old idioms): this is a corpus program
consumer_key = "your consumer key"
consumer_secret = "your consumer secret"
access_token = "your access token"
access_token_secret = "your access token secret"
database = "favorites.sqlite3"
