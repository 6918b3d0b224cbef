"""The hosted gateway's documented shapes, as data and pure functions: its posts and users in
X API v2's shape (or straight to v1.1 through :mod:`compat.reshape`), its error codes, its tiers
and the routes compat uses beyond the two writes.

Pure: no HTTP, no I/O. The gateway (AIsa) answers ``GET /apis/v1/twitter/tweets?tweet_ids=…``
with ``{"tweets": [Tweet…], "status", "message"}`` in the camelCase shape of its own
``components.schemas.Tweet`` / ``User`` (``openapi_twitter-tweet-batch_01.json`` lines 21-254
and 263-309, in ``tests/realdata/aisa-docs``), not in X v2's. :func:`tweets_to_v2` turns such an
answer into what ``GET /2/tweets?ids=`` answers (``data`` + ``includes.users``/``tweets``), so
that the one v2 → v1.1 reshape (:mod:`compat.reshape`) builds the v1.1 status from either
backend; :func:`statuses_to_v1` does both steps. :data:`FIELD_SOURCES` says, per v1.1 field,
what in the gateway's shape supplies it and which fields are defaults.

What the gateway's shape says and v2's spelling cannot: that a post is no reply, no quote
(``isReply: false``) is written as ``referenced_tweets: []`` and ``in_reply_to_user_id: None``,
so that :mod:`compat.reshape` does not list those fields as missing; geo, media and
``possibly_sensitive`` (absent from the shape) are listed. ``conversation_id`` is left out on
purpose: to the reshape it would mean "fetched with every field", which the gateway's post is
not.

Usage::

    >>> from compat._gateway_reshape import statuses_to_v1, tweets_to_v2
    >>> answer = {"tweets": [{"id": "1626194750222094336", "text": "hi @jack #compat",
    ...     "createdAt": "Thu Feb 16 12:20:16 +0000 2023", "likeCount": 7, "lang": "en",
    ...     "isReply": False, "author": {"id": "12", "userName": "jack", "name": "jack"},
    ...     "entities": {"hashtags": [{"indices": [9, 16], "text": "compat"}],
    ...                  "user_mentions": [{"id_str": "12", "name": "jack",
    ...                                     "screen_name": "jack"}]}}],
    ...     "status": "success", "message": ""}
    >>> page = tweets_to_v2(answer)
    >>> page["data"][0]["created_at"], page["data"][0]["entities"]["mentions"]
    ('2023-02-16T12:20:16.000Z', [{'start': 3, 'end': 8, 'username': 'jack', 'id': '12'}])
    >>> status = statuses_to_v1(answer)[0]
    >>> status["user"]["screen_name"], status["favorite_count"], status["entities"]["hashtags"]
    ('jack', 7, [{'text': 'compat', 'indices': [9, 16]}])
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from compat import reshape
from compat._v1types import V1Tweet
from compat._v2 import GATEWAY_TIERS, Route
from compat.errors import MalformedResponse

__all__ = [
    "CODES",
    "DEFAULT_SCOPES",
    "ENDPOINT_CAUSES",
    "FIELD_SOURCES",
    "LIKE_SCOPES",
    "OTHER_PRODUCT_CODES",
    "READ_ROUTES",
    "TIERS",
    "FieldSource",
    "cause",
    "field_sources_markdown",
    "iso_time",
    "statuses_to_v1",
    "tweet_to_v2",
    "tweets_to_v2",
    "user_to_v2",
]

# -- the gateway's documentation as data --------------------------------------------------------

#: Requests per minute per API key, by tier (the table lives with the gateway's routes).
TIERS: Mapping[str, int | None] = GATEWAY_TIERS

#: The routes compat uses besides the writes of :data:`compat._v2.GATEWAY_ROUTES`, relative to
#: the gateway's base URL: the posts read (openapi_twitter-tweet-batch_01.json lines 263-309,
#: ``tweet_ids`` "Comma-separated", line 280) and the account link (openapi_twitter-actions.json
#: lines 29-104). ``auth`` "any": the API key alone, no linked X session.
READ_ROUTES: Mapping[str, Route] = MappingProxyType(
    {
        "gateway_tweets": Route(
            "gateway_tweets", "GET", "/twitter/tweets", "gateway/tweets", "any", "post"
        ),
        "gateway_auth": Route("gateway_auth", "POST", "/twitter/auth_twitter", "gateway/auth_link"),
    }
)

#: The scopes ``auth_twitter`` requests when given none (api-reference_twitter_auth_twitter.mdx
#: lines 33-43; openapi_twitter-actions.json line 49); another scope is refused with a 400
#: (openapi_twitter-actions.json line 92).
DEFAULT_SCOPES: tuple[str, ...] = (
    "follows.write",
    "tweet.read",
    "users.read",
    "tweet.write",
    "like.write",
    "dm.read",
    "dm.write",
)
#: What the linked X session must hold for like and unlike (api-reference_twitter_like_twitter
#: .mdx line 13, …unlike_twitter.mdx line 13).
LIKE_SCOPES: tuple[str, ...] = ("like.write", "tweet.read", "users.read")

#: The documented error codes, by the HTTP status they are listed under (api-reference_errors
#: .mdx: 400 line 37, 401 line 45, 403 line 53, 404 line 61, 422 line 69, 429 line 77, 502/503/
#: 504 line 97; 500 lists none, line 88-92). The endpoint pages name three causes with X's
#: hyphenated names (like_twitter.mdx lines 27-29): :data:`ENDPOINT_CAUSES`.
CODES: Mapping[int, tuple[str, ...]] = MappingProxyType(
    {
        400: ("invalid_request", "missing_parameter", "invalid_parameter_type", "json_parse_error"),
        401: ("missing_api_key", "invalid_api_key", "revoked_api_key"),
        403: ("insufficient_permissions", "model_not_allowed", "region_blocked"),
        404: ("unknown_model", "resource_not_found", "unknown_endpoint"),
        422: ("max_tokens_exceeded", "unsupported_parameter", "content_policy_violation"),
        429: ("rate_limit_exceeded", "upstream_rate_limit", "quota_exceeded"),
        502: ("upstream_unavailable", "upstream_timeout", "gateway_error"),
    }
)
#: The causes the Twitter endpoint pages name (like_twitter.mdx lines 27-29, unlike_twitter.mdx
#: lines 27-29), as written there, with their status.
ENDPOINT_CAUSES: Mapping[str, int] = MappingProxyType(
    {"invalid-request": 400, "client-forbidden": 403, "resource-not-found": 404}
)
#: Codes of the gateway's other products (models, regions, token limits): they say nothing
#: about likes and get the default mapping of their status.
OTHER_PRODUCT_CODES: frozenset[str] = frozenset(
    {
        "model_not_allowed",
        "region_blocked",
        "unknown_model",
        "max_tokens_exceeded",
        "unsupported_parameter",
        "content_policy_violation",
    }
)
_KNOWN_CAUSES = frozenset(
    [code for codes in CODES.values() for code in codes]
    + [name.replace("-", "_") for name in ENDPOINT_CAUSES]
)


def cause(value: object) -> str | None:
    """A documented cause in one spelling (``resource_not_found``) from any of the spellings
    the pages use (``resource-not-found``, a problem ``type`` URL ending in it, another case),
    or None when ``value`` names none.

    >>> cause("resource-not-found"), cause("https://api.x.com/2/problems/client-forbidden")
    ('resource_not_found', 'client_forbidden')
    >>> cause("Client Forbidden"), cause("authentication_error"), cause(None)
    ('client_forbidden', None, None)
    """
    if not isinstance(value, str) or len(value) > 200:
        return None
    name = value.strip().rsplit("/", 1)[-1].lower().replace("-", "_").replace(" ", "_")
    return name if name in _KNOWN_CAUSES else None


# -- times ------------------------------------------------------------------------------------

_V2_TIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:[.][0-9]{1,9})?"
    r"(Z|[+-][0-9]{2}:?[0-9]{2})?"
)
_V1_TIME = "%a %b %d %H:%M:%S %z %Y"


def iso_time(value: object) -> str | None:
    """X v2's UTC time (``2023-02-16T12:20:16.000Z``) from the gateway's ``createdAt``, whose
    format its docs do not give (``"type": "string"``, tweet-batch lines 54-56): v2's ISO 8601
    (any offset) and v1.1's ``Thu Feb 16 12:20:16 +0000 2023`` are read; anything else is None
    (the v1.1 ``created_at`` then comes from the post id, which carries the same second).

    >>> iso_time("Thu Feb 16 12:20:16 +0000 2023"), iso_time("2023-02-16T13:20:16+01:00")
    ('2023-02-16T12:20:16.000Z', '2023-02-16T12:20:16.000Z')
    >>> iso_time("yesterday") is None
    True
    """
    if not isinstance(value, str) or not value or len(value) > 64:
        return None
    text = value.strip()
    moment: _dt.datetime | None = None
    match = _V2_TIME.fullmatch(text)
    try:
        if match is not None:
            year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
            offset = match.group(7) or "Z"
            zone = _dt.timezone.utc
            if offset != "Z":
                sign = -1 if offset[0] == "-" else 1
                digits = offset[1:].replace(":", "")
                delta = _dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
                zone = _dt.timezone(sign * delta)
            moment = _dt.datetime(year, month, day, hour, minute, second, tzinfo=zone)
        else:
            moment = _dt.datetime.strptime(text, _V1_TIME)
    except ValueError:
        return None
    utc = moment.astimezone(_dt.timezone.utc)
    if not 1970 <= utc.year <= 9999:
        return None
    return utc.strftime("%Y-%m-%dT%H:%M:%S.000Z")


# -- posts and users --------------------------------------------------------------------------

_ESCAPES = ("&amp;", "&lt;", "&gt;")


def _plain_offset(text: str, at: int) -> int:
    """The offset ``at`` of the HTML-escaped ``text`` in unescaped code points, which is how
    v1.1 and v2 count indices (an ``&amp;`` is one)."""
    if "&" not in text:
        return at
    return at - sum((len(e) - 1) * text.count(e, 0, at) for e in _ESCAPES)


def _is_id(value: object) -> bool:
    return isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _count(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def _span(item: Mapping[str, Any]) -> tuple[int, int] | None:
    indices = item.get("indices")
    if isinstance(indices, list) and len(indices) == 2:
        start, end = indices
        if _count(start) is not None and _count(end) is not None and start <= end:
            return start, end
    return None


def user_to_v2(user: Mapping[str, Any]) -> dict[str, Any]:
    """The gateway's ``User`` (tweet-batch lines 160-254) as a v2 user object: only what it
    says. Not in the shape, so absent: ``protected``, ``url`` (the docs do not say what
    ``User.url`` is: a profile link or the user's website), ``entities``, ``listed_count``.

    >>> user_to_v2({"id": "12", "userName": "jack", "followers": 5, "verifiedType": "none",
    ...             "isBlueVerified": False, "createdAt": "Tue Mar 21 20:50:14 +0000 2006"})
    ... # doctest: +NORMALIZE_WHITESPACE
    {'id': '12', 'username': 'jack', 'created_at': '2006-03-21T20:50:14.000Z',
     'public_metrics': {'followers_count': 5}, 'verified': False, 'verified_type': 'none'}
    """
    uid = user.get("id")
    if not _is_id(uid):
        raise MalformedResponse(f"gateway user id: not a user id: {uid!r:.40}")
    out: dict[str, Any] = {"id": uid}
    for source, name in (("name", "name"), ("userName", "username")):
        value = _text(user.get(source))
        if value is not None:
            out[name] = value
    created = iso_time(user.get("createdAt"))
    if created is not None:
        out["created_at"] = created
    for source, name in (("description", "description"), ("location", "location")):
        value = _text(user.get(source))
        if value is not None:
            out[name] = value
    picture = _text(user.get("profilePicture"))
    if picture:
        out["profile_image_url"] = picture
    metrics: dict[str, int] = {}
    for source, name in (
        ("followers", "followers_count"),
        ("following", "following_count"),
        ("statusesCount", "tweet_count"),
        ("favouritesCount", "like_count"),
    ):
        number = _count(user.get(source))
        if number is not None:
            metrics[name] = number
    if metrics:
        out["public_metrics"] = metrics
    blue, kind = user.get("isBlueVerified"), _text(user.get("verifiedType"))
    if isinstance(blue, bool) or kind is not None:
        # v1.1's `verified` is any check mark, as X v2's `verified` is today
        out["verified"] = blue is True or (kind is not None and kind not in ("", "none"))
        if kind:
            out["verified_type"] = kind
    withheld = user.get("withheldInCountries")
    if isinstance(withheld, list) and withheld:
        out["withheld"] = {"country_codes": [c for c in withheld if isinstance(c, str)]}
    return out


def _mention_spans(text: str, mentions: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """v2 mention entities: the shape gives ``user_mentions`` without indices (tweet-batch
    lines 130-146), so each is found in the text (``@name`` not followed by a name character),
    in order, never twice at the same place; one the text does not contain is dropped."""
    out: list[dict[str, Any]] = []
    taken: set[int] = set()
    for mention in mentions:
        name = _text(mention.get("screen_name"))
        if not name:
            continue
        pattern = re.compile("@" + re.escape(name) + "(?![A-Za-z0-9_])", re.IGNORECASE)
        for found in pattern.finditer(text):
            if found.start() not in taken:
                taken.add(found.start())
                start = _plain_offset(text, found.start())
                entity: dict[str, Any] = {
                    "start": start,
                    "end": start + len(name) + 1,
                    "username": name,
                }
                uid = mention.get("id_str")
                if _is_id(uid):
                    entity["id"] = uid
                out.append(entity)
                break
    return out


def _entities(ents: Mapping[str, Any], text: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    tags = []
    for tag in ents.get("hashtags") or ():
        span = _span(tag) if isinstance(tag, Mapping) else None
        if span is not None and isinstance(tag.get("text"), str):
            tags.append({"start": span[0], "end": span[1], "tag": tag["text"]})
    if tags:
        out["hashtags"] = tags
    urls = []
    for link in ents.get("urls") or ():
        span = _span(link) if isinstance(link, Mapping) else None
        if span is not None and isinstance(link.get("url"), str):
            entity = {"start": span[0], "end": span[1], "url": link["url"]}
            for key in ("expanded_url", "display_url"):
                value = _text(link.get(key))
                if value is not None:
                    entity[key] = value
            urls.append(entity)
    if urls:
        out["urls"] = urls
    mentions = [m for m in ents.get("user_mentions") or () if isinstance(m, Mapping)]
    spans = _mention_spans(text, mentions)
    if spans:
        out["mentions"] = spans
    return out


def _merge(users: dict[str, dict[str, Any]], user: dict[str, Any]) -> None:
    """Index ``user`` by id; an author (more fields) wins over a mention's few."""
    found = users.get(user["id"])
    if found is None:
        users[user["id"]] = user
    else:
        for key, value in user.items():
            found.setdefault(key, value)


def tweet_to_v2(
    tweet: Mapping[str, Any],
    users: dict[str, dict[str, Any]] | None = None,
    tweets: dict[str, dict[str, Any]] | None = None,
    *,
    depth: int = 0,
) -> dict[str, Any]:
    """The gateway's ``Tweet`` (tweet-batch lines 21-159) as a v2 post; its author, the users
    it mentions or replies to and an embedded quoted/reposted post go into ``users`` and
    ``tweets`` (v2's ``includes``), indexed by id.

    ``quoted_tweet`` / ``retweeted_tweet`` are typed string (lines 149-154): an id string
    references the post (``quoted_status_id``, no embedded ``quoted_status``); a whole Tweet
    object is taken too (one level deep, as v1.1 embedded).

    >>> tweet_to_v2({"id": "2", "text": "x", "isReply": True, "inReplyToId": "1",
    ...              "inReplyToUserId": "9", "quoted_tweet": "3"})
    ... # doctest: +NORMALIZE_WHITESPACE
    {'id': '2', 'text': 'x', 'in_reply_to_user_id': '9',
     'referenced_tweets': [{'type': 'replied_to', 'id': '1'}, {'type': 'quoted', 'id': '3'}]}
    """
    users = {} if users is None else users
    tweets = {} if tweets is None else tweets
    tid, text = tweet.get("id"), tweet.get("text")
    if not _is_id(tid) or not isinstance(text, str):
        raise MalformedResponse(f"gateway post: no id and text: {tid!r:.40}")
    post: dict[str, Any] = {"id": tid, "text": text}
    created = iso_time(tweet.get("createdAt"))
    if created is not None:
        post["created_at"] = created
    author = tweet.get("author")
    if isinstance(author, Mapping) and author.get("id") is not None:
        converted = user_to_v2(author)
        post["author_id"] = converted["id"]
        _merge(users, converted)
    for source, name in (("lang", "lang"), ("source", "source")):
        value = _text(tweet.get(source))
        if value:
            post[name] = value
    metrics: dict[str, int] = {}
    for source, name in (
        ("retweetCount", "retweet_count"),
        ("replyCount", "reply_count"),
        ("likeCount", "like_count"),
        ("quoteCount", "quote_count"),
        ("bookmarkCount", "bookmark_count"),
        ("viewCount", "impression_count"),
    ):
        number = _count(tweet.get(source))
        if number is not None:
            metrics[name] = number
    if metrics:
        post["public_metrics"] = metrics
    # -- what it replies to, quotes, reposts
    refs: list[dict[str, Any]] = []
    described = isinstance(tweet.get("isReply"), bool)
    reply_to, reply_user = tweet.get("inReplyToId"), tweet.get("inReplyToUserId")
    if _is_id(reply_user):
        post["in_reply_to_user_id"] = reply_user
        replied = _text(tweet.get("inReplyToUsername"))
        if replied:
            _merge(users, {"id": reply_user, "username": replied})
    elif described and tweet.get("isReply") is False:
        post["in_reply_to_user_id"] = None  # said: no reply
    if _is_id(reply_to):
        refs.append({"type": "replied_to", "id": reply_to})
    for source, kind in (("quoted_tweet", "quoted"), ("retweeted_tweet", "retweeted")):
        embedded = tweet.get(source)
        if _is_id(embedded):
            refs.append({"type": kind, "id": embedded})
        elif isinstance(embedded, Mapping) and depth < reshape.MAX_DEPTH:
            inner = tweet_to_v2(embedded, users, tweets, depth=depth + 1)
            refs.append({"type": kind, "id": inner["id"]})
            tweets.setdefault(inner["id"], inner)
    if refs or described:
        post["referenced_tweets"] = refs
    ents = tweet.get("entities")
    if isinstance(ents, Mapping):
        post["entities"] = _entities(ents, text)
        for mention in ents.get("user_mentions") or ():
            if isinstance(mention, Mapping) and _is_id(mention.get("id_str")):
                known: dict[str, Any] = {"id": mention["id_str"]}
                for source, name in (("screen_name", "username"), ("name", "name")):
                    value = _text(mention.get(source))
                    if value is not None:
                        known[name] = value
                _merge(users, known)
    return post


def tweets_to_v2(payload: Mapping[str, Any], wanted: Iterable[str] = ()) -> dict[str, Any]:
    """A gateway ``GET /twitter/tweets`` answer as v2's ``GET /2/tweets?ids=`` answer: ``data``,
    ``includes`` (``users``, ``tweets``), and for each id of ``wanted`` the answer did not
    return a v2 ``resource-not-found`` entry in ``errors`` (what the gateway answers for a
    missing id is not documented; no post back is read as "not found").

    >>> tweets_to_v2({"tweets": [], "status": "success"}, ["5"])["errors"][0]["resource_id"]
    '5'
    """
    users: dict[str, dict[str, Any]] = {}
    included: dict[str, dict[str, Any]] = {}
    data = []
    found = payload.get("tweets")
    for tweet in found if isinstance(found, list) else ():
        if isinstance(tweet, Mapping):
            data.append(tweet_to_v2(tweet, users, included))
    out: dict[str, Any] = {}
    if data:
        out["data"] = data
    includes: dict[str, Any] = {}
    if users:
        includes["users"] = list(users.values())
    if included:
        includes["tweets"] = list(included.values())
    if includes:
        out["includes"] = includes
    returned = {post["id"] for post in data}
    errors = [
        {
            "resource_id": tid,
            "resource_type": "tweet",
            "parameter": "tweet_ids",
            "value": tid,
            "title": "Not Found Error",
            "detail": f"The gateway returned no post with id: [{tid}].",
            "type": "https://api.x.com/2/problems/resource-not-found",
        }
        for tid in dict.fromkeys(wanted)
        if tid not in returned
    ]
    if errors:
        out["errors"] = errors
    return out


def statuses_to_v1(
    payload: Mapping[str, Any],
    *,
    favorited: bool | None = None,
    missing: set[str] | None = None,
    options: reshape.ReshapeOptions | None = None,
) -> list[V1Tweet]:
    """A gateway ``GET /twitter/tweets`` answer straight to v1.1 statuses (through
    :func:`tweets_to_v2` and :func:`compat.reshape.page_to_v1`; ``missing`` receives the
    fields set to a default)."""
    return reshape.page_to_v1(
        tweets_to_v2(payload), favorited=favorited, missing=missing, options=options
    )


# -- where each v1.1 field comes from -----------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class FieldSource:
    """One v1.1 field (dotted, relative to the status) and what supplies it through the
    gateway alone: ``gateway`` the field(s) of its ``Tweet``/``User`` shape, or None when the
    shape has nothing for it and the field is v1.1's default; ``note`` the caveat."""

    v1: str
    gateway: str | None
    note: str = ""


#: The README's table "which fields come from where", and what the tests compare: every field
#: with a ``gateway`` source equals the X backend's on the same post; every other is a default.
FIELD_SOURCES: tuple[FieldSource, ...] = (
    FieldSource("id, id_str", "Tweet.id"),
    FieldSource("created_at", "Tweet.createdAt", "else from the id, which carries the same second"),
    FieldSource(
        "text / full_text, truncated, display_text_range",
        "Tweet.text + entities",
        "cut and range computed as with X; a trailing media link stays inside the range "
        "(the shape has no media)",
    ),
    FieldSource("source", "Tweet.source"),
    FieldSource("in_reply_to_status_id(_str)", "Tweet.inReplyToId"),
    FieldSource("in_reply_to_user_id(_str)", "Tweet.inReplyToUserId"),
    FieldSource("in_reply_to_screen_name", "Tweet.inReplyToUsername"),
    FieldSource("is_quote_status, quoted_status_id(_str)", "Tweet.quoted_tweet (its id)"),
    FieldSource(
        "quoted_status, retweeted_status",
        "Tweet.quoted_tweet / retweeted_tweet",
        "only when the gateway sends a whole post there; the docs type them as a string",
    ),
    FieldSource("retweet_count", "Tweet.retweetCount"),
    FieldSource("favorite_count", "Tweet.likeCount", "moved by the call, as with X"),
    FieldSource("favorited", "the call itself", "true after create, false after destroy"),
    FieldSource("lang", "Tweet.lang"),
    FieldSource("entities.hashtags", "Tweet.entities.hashtags"),
    FieldSource("entities.urls", "Tweet.entities.urls"),
    FieldSource(
        "entities.user_mentions",
        "Tweet.entities.user_mentions",
        "indices found in the text: the shape has none",
    ),
    FieldSource("user.id, user.id_str", "Tweet.author.id"),
    FieldSource("user.name", "author.name"),
    FieldSource("user.screen_name", "author.userName"),
    FieldSource("user.location, user.description", "author.location, author.description"),
    FieldSource("user.followers_count, user.friends_count", "author.followers, author.following"),
    FieldSource("user.statuses_count", "author.statusesCount"),
    FieldSource("user.favourites_count", "author.favouritesCount"),
    FieldSource("user.created_at", "author.createdAt"),
    FieldSource("user.verified", "author.isBlueVerified, author.verifiedType"),
    FieldSource(
        "user.profile_image_url(_https), user.default_profile_image", "author.profilePicture"
    ),
    FieldSource("user.withheld_in_countries", "author.withheldInCountries"),
    FieldSource("geo, coordinates, place", None, "null"),
    FieldSource("entities.media, extended_entities", None, "absent: the shape has no media"),
    FieldSource("entities.symbols", None, "[]: the shape has no cashtags"),
    FieldSource(
        "possibly_sensitive(_appealable)",
        None,
        "false (the shape's possiblySensitive is the author's)",
    ),
    FieldSource("withheld_in_countries", None, "absent (of the post; the author's is supplied)"),
    FieldSource("user.protected", None, "false: not in the shape"),
    FieldSource("user.listed_count", None, "0"),
    FieldSource(
        "user.url, user.entities",
        None,
        "null, no links: what User.url holds is not documented; the shape has no user links",
    ),
    FieldSource(
        "user.profile_banner_url",
        None,
        "null (coverPicture would be it; v2 has no such field to carry it)",
    ),
)


def field_sources_markdown() -> str:
    """:data:`FIELD_SOURCES` as the Markdown table the README shows.

    >>> print(field_sources_markdown().splitlines()[2])
    | `id, id_str` | `Tweet.id` |  |
    """
    lines = ["| v1.1 field | through the gateway alone | note |", "| --- | --- | --- |"]
    for field in FIELD_SOURCES:
        source = f"`{field.gateway}`" if field.gateway and "." in field.gateway else None
        shown = source or (field.gateway or "default")
        lines.append(f"| `{field.v1}` | {shown} | {field.note} |")
    return "\n".join(lines)
