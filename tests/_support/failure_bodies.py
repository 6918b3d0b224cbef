"""The X API failure bodies seen in the wild, verbatim as quoted in
``shared/realdata/x-docs-2026/README.md`` ("Failure bodies seen in the wild"), each with the
source named there. Tests use these, never bodies of their own making.

Each value is ``(status, body)`` or, for the usage cap, also the headers it came with.
"""

from __future__ import annotations

import json
from typing import Any

# JoeMayo/LinqToTwitter#364 (2022): a like of a deleted / nonexistent post.
DELETED_POST_LIKE = (
    400,
    json.loads(
        '{"errors":[{"message":"This tweet cannot be found."}],"title":"Invalid Request",'
        '"detail":"One or more parameters to your request was invalid.",'
        '"type":"https://api.twitter.com/2/problems/invalid-request"}'
    ),
)

# X's docs, response-codes page: a lookup of a missing post (HTTP 200, partial error).
MISSING_POST_LOOKUP = (
    200,
    json.loads(
        '{"errors":[{"resource_id":"456","resource_type":"tweet","title":"Not Found Error",'
        '"detail":"Could not find tweet with id: [456].",'
        '"type":"https://api.x.com/2/problems/resource-not-found"}]}'
    ),
)

# HunterLarco/twitter-v2#26: a lookup of a post you may not see (protected, or suspended author).
NOT_AUTHORIZED_POST_LOOKUP = (
    200,
    json.loads(
        '{"errors":[{"value":"1000082502030065665","parameter":"ids","resource_type":"tweet",'
        '"section":"data","title":"Authorization Error","detail":"Sorry, you are not authorized '
        'to see the Tweet with ids: [1000082502030065665].",'
        '"type":"https://api.twitter.com/2/problems/not-authorized-for-resource"}]}'
    ),
)
NOT_AUTHORIZED_POST_ID = "1000082502030065665"

# Fixtures of several projects: a suspended user in a user lookup (HTTP 200, partial error).
SUSPENDED_USER_LOOKUP = (
    200,
    json.loads(
        '{"errors":[{"parameter":"ids","resource_id":"481186914","value":"481186914",'
        '"detail":"User has been suspended: [481186914].","title":"Forbidden",'
        '"resource_type":"user","type":"https://api.twitter.com/2/problems/resource-not-found"}]}'
    ),
)
SUSPENDED_USER_ID = "481186914"

# PLhery/node-twitter-api-v2#178, #376: an OAuth 2.0 token without like.write (problem+json;
# it does not name the scope).
OAUTH2_NO_LIKE_WRITE = (
    403,
    json.loads('{"title":"Forbidden","type":"about:blank","status":403,"detail":"Forbidden"}'),
)

# PLhery/node-twitter-api-v2#493: an app without write permission, OAuth 1.0a.
OAUTH1_NO_WRITE_PERMISSION = (
    403,
    json.loads(
        '{"title":"Forbidden","status":403,"detail":"Your client app is not configured with '
        'the appropriate oauth1 app permissions for this endpoint.",'
        '"type":"https://api.twitter.com/2/problems/oauth1-permissions"}'
    ),
)

# Fixtures: an app not in a project / a plan that lacks the endpoint (with type), and a
# 2026-05 capture of the same refusal without a type.
CLIENT_NOT_ENROLLED = (
    403,
    json.loads(
        '{"client_id":"12262375","detail":"When authenticating requests to the Twitter API v2 '
        "endpoints, you must use keys and tokens from a Twitter developer App that is attached "
        'to a Project. You can create a project via the developer portal.",'
        '"registration_url":"https://developer.twitter.com/en/docs/projects/overview",'
        '"title":"Client Forbidden","required_enrollment":"Appropriate Level of API Access",'
        '"reason":"client-not-enrolled","type":"https://api.twitter.com/2/problems/client-forbidden"}'
    ),
)
CLIENT_NOT_ENROLLED_NO_TYPE = (
    403,
    json.loads(
        '{"client_id":"28907132","title":"Client Forbidden",'
        '"required_enrollment":"Appropriate Level of API Access","reason":"client-not-enrolled"}'
    ),
)

# xdevplatform/twitter-api-typescript-sdk#92: an app-only token on a user-context endpoint.
APP_ONLY_ON_USER_CONTEXT = (
    403,
    json.loads(
        '{"title":"Unsupported Authentication","detail":"Authenticating with OAuth 2.0 '
        "Application-Only is forbidden for this endpoint.  Supported authentication types are "
        '[OAuth 1.0a User Context, OAuth 2.0 User Context].",'
        '"type":"https://api.twitter.com/2/problems/unsupported-authentication","status":403}'
    ),
)

# xdevplatform/xdk#25 (2026-02): the monthly usage cap, with the headers it came with.
USAGE_CAP = (
    429,
    json.loads(
        '{"account_id":"<redacted>","product_name":"standard-basic","title":"UsageCapExceeded",'
        '"period":"Monthly","scope":"Product","detail":"Usage cap exceeded: Monthly product cap",'
        '"type":"https://api.twitter.com/2/problems/usage-capped"}'
    ),
)
USAGE_CAP_HEADERS = {"x-rate-limit-limit": "40000", "x-rate-limit-remaining": "39999"}

# Several fixtures (wording varies): out of credits, pay-per-use.
CREDITS_DEPLETED = (
    402,
    json.loads(
        '{"title":"CreditsDepleted","detail":"Your enrolled account [id] does not have any '
        'credits to fulfill this request.","type":"https://api.x.com/2/problems/credits"}'
    ),
)

# Socioboard#440 (2025-08): v1.1's own answer to an endpoint outside the access level.
V11_ACCESS_LEVEL_453: dict[str, Any] = json.loads(
    '{"errors":[{"message":"You currently have access to a subset of X API V2 endpoints and '
    "limited v1.1 endpoints (e.g. media post, oauth) only. If you need access to this endpoint, "
    "you may need a different access level. You can learn more here: "
    'https://developer.x.com/en/portal/product","code":453}]}'
)

# The v1.1 codes for these, as the same README lists them.
V11_NOT_AUTHORIZED_179 = "Sorry, you are not authorized to see this status."
V11_SUSPENDED_63 = "User has been suspended."
