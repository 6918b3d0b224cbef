# ruff: noqa -- legacy style on purpose (%-formatting, old idioms): this is a corpus program
# My Twitter app keys. Do not commit the real ones!
api_key = "PUT-YOUR-CONSUMER-KEY-HERE"
api_secret = "PUT-YOUR-CONSUMER-SECRET-HERE"
access_token = "PUT-YOUR-ACCESS-TOKEN-HERE"
access_token_secret = "PUT-YOUR-ACCESS-TOKEN-SECRET-HERE"
