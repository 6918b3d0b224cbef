"""The v1.1 calls around favorites, served from X API v2: verify_credentials, users/show,
users/lookup, statuses/show, statuses/lookup, statuses/user_timeline, search/tweets and
application/rate_limit_status.

:class:`CompanionsEngine` serves them for one account on the account's
:class:`~compat._likes.LikesEngine` (its backend, page memo and bounds), with the favorites
calls' parameter rules (an unknown parameter is a 400/44, an ignored one is logged with its
reason), reshape (:mod:`compat.reshape`), schema validation and :class:`~compat._likes.Outcome`.
:func:`companions_for` gives the one engine of a likes engine; the drop-in functions
(:func:`compat.verify_credentials`, :func:`compat.user_timeline`, …) and the adapter reach it
through :meth:`compat._service.Service.call`. docs/companions.md documents each call, its v2
requests and what v2 cannot do.

Request cost (the minimum): one v2 request per call (``users/lookup`` with both ``user_id``
and ``screen_name``: two); ``user_timeline`` and ``search/tweets`` one page of 100 per 100
statuses walked, remembered by the page memo as ``favorites/list`` is;
``rate_limit_status`` none.

Usage::

    >>> from compat._service import Service
    >>> from compat._settings import resolve
    >>> from compat.emulator import Emulator
    >>> with Emulator() as emu:
    ...     service = Service(resolve({"credentials": emu.credentials,
    ...                                "api_base": emu.base_url}, door="Service"))
    ...     me = service.call("account/verify_credentials", {"skip_status": True}).value
    ...     me["id_str"] == emu.user_id, "status" in me
    (True, False)
"""

from __future__ import annotations

import logging
import re
import threading
import time
import urllib.parse
import weakref
from collections.abc import Callable, Mapping
from typing import Any

from compat import reshape, schemas
from compat._likes import LikesEngine, Outcome, Walk
from compat._plans import Plan
from compat.client import CompanionBackend
from compat.errors import (
    CompatError,
    ConfigurationError,
    InvalidParameter,
    MalformedResponse,
    NotFound,
    lookup_error,
    v1_error_body,
)
from compat.pagination import Cursor
from compat.params import COMMON_PARAMETERS, LEGACY_ENDPOINTS, flag, optional_snowflake, snowflake
from compat.params import count as check_count
from compat.params import screen_name as check_screen_name
from compat.params import tweet_mode as check_tweet_mode
from compat.ratelimit import RateLimit
from compat.transport import V2Result, cut, recording

__all__ = [
    "COMPANION_ENDPOINTS",
    "RATE_LIMIT_RESOURCES",
    "CompanionsEngine",
    "companions_for",
]

log = logging.getLogger("compat.companions")

#: The companion endpoints (keys of :data:`~compat.params.LEGACY_ENDPOINTS`).
COMPANION_ENDPOINTS: frozenset[str] = frozenset(
    {
        "account/verify_credentials",
        "users/show",
        "users/lookup",
        "statuses/show",
        "statuses/lookup",
        "statuses/user_timeline",
        "search/tweets",
        "application/rate_limit_status",
    }
)

#: v1.1's rate-limit resources compat serves -> the v2 endpoint behind each (None: answered by
#: compat itself, no v2 request). Paths as v1.1's rate_limit_status listed them (python-twitter
#: 3.5 twitter/ratelimit.py maps ``/statuses/show`` and ``/users/show`` to these ``:id`` keys).
RATE_LIMIT_RESOURCES: Mapping[str, str | None] = {
    "/favorites/list": "liked_tweets",
    "/statuses/user_timeline": "user_tweets",
    "/statuses/show/:id": "tweets",
    "/statuses/lookup": "tweets",
    "/search/tweets": "search_recent",
    "/users/show/:id": "user_by_id",
    "/users/lookup": "users",
    "/account/verify_credentials": "users_me",
    "/application/rate_limit_status": None,
}
#: v1.1's documented limit of rate_limit_status itself (180 per 15 minutes, user context).
_RATE_LIMIT_STATUS_LIMIT = 180
_WINDOW = 15 * 60

_USER_FIELDS = reshape.V2_QUERY["user.fields"]
_USER_QUERY = {"user.fields": _USER_FIELDS}
# the latest post of each user, for v1.1's embedded "status" (skip_status drops it)
_USER_STATUS_QUERY = {
    "user.fields": _USER_FIELDS,
    "expansions": "most_recent_tweet_id",
    "tweet.fields": reshape.V2_QUERY["tweet.fields"],
}
_MAX_LOOKUP = 100
_SEARCH_MAX = 100
_TIMELINE_MAX = 200

# v1.1 standard-search operators v2 spells another way (v2 "Build a query" operators)
_OPERATOR_SPELLINGS = {
    "filter:links": "has:links",
    "filter:media": "has:media",
    "filter:images": "has:images",
    "filter:videos": "has:videos",
    "filter:native_video": "has:videos",
    "filter:retweets": "is:retweet",
    "filter:replies": "is:reply",
    "filter:verified": "is:verified",
    "filter:quote": "is:quote",
    "filter:hashtags": "has:hashtags",
    "filter:mentions": "has:mentions",
}
# v1.1-only operators: v2 recent search has nothing to serve them with
_V1_ONLY_OPERATORS = frozenset(
    {
        "since",
        "until",
        "near",
        "within",
        "min_retweets",
        "min_faves",
        "min_replies",
        "list",
        "source",
        "filter",
        "geocode",
    }
)
_OPERATOR = re.compile(r"-?([A-Za-z_]+):(\S*)")
_TOKEN = re.compile(r'-?"[^"]*"|\S+')
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _unsupported(parameter: str, why: str) -> InvalidParameter:
    """A 400 naming what v2 cannot do, with v1.1's code 195 (missing or invalid url parameter)."""
    error = InvalidParameter(parameter, why)
    error.v1_status, error.v1_body = v1_error_body(
        "unsupported_parameter", f"{parameter} parameter is not supported: {why}"
    )
    return error


def _options(endpoint: str, legacy: Mapping[str, object]) -> reshape.ReshapeOptions:
    """The tweet-shaping parameters of a call; an unknown parameter raises, an ignored one is
    logged with its reason (the endpoint's own reasons: ``include_rts`` is real for a
    timeline)."""
    accepted = LEGACY_ENDPOINTS[endpoint]
    for name in legacy:
        if name in accepted.parameters or name in COMMON_PARAMETERS:
            continue
        if name in accepted.ignored:
            log.info(
                "legacy.ignored %s: %s",
                name,
                accepted.ignored[name],
                extra={"parameter": name, "endpoint": endpoint},
            )
            continue
        raise InvalidParameter(name, f"is not a parameter v1.1 {endpoint} accepted")
    return reshape.ReshapeOptions(
        tweet_mode=check_tweet_mode(legacy.get("tweet_mode")),
        include_entities=flag(legacy.get("include_entities", True), "include_entities"),
        trim_user=flag(legacy.get("trim_user", False), "trim_user"),
        include_ext_alt_text=flag(
            legacy.get("include_ext_alt_text", False), "include_ext_alt_text"
        ),
    )


def _comma_list(value: object, parameter: str) -> list[str]:
    """A v1.1 comma-separated list (a str, or a list/tuple from the drop-in functions)."""
    if isinstance(value, (list, tuple)):
        items = [str(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in value]
    elif isinstance(value, int) and not isinstance(value, bool):
        items = [str(value)]
    elif isinstance(value, str):
        items = value.split(",")
    else:
        raise InvalidParameter(parameter, f"must be a comma-separated list, got {type(value)}")
    out = []
    for item in items:
        if not isinstance(item, str):
            raise InvalidParameter(parameter, "must list ids or screen names")
        if item.strip():
            out.append(item.strip())
    return out


def _unshapable(endpoint: str, exc: Exception) -> MalformedResponse:
    return MalformedResponse(
        f"{endpoint}: the v2 answer cannot be turned into v1.1 objects "
        f"({type(exc).__name__}: {cut(str(exc), 200)})"
    )


class CompanionsEngine:
    """The companion calls for the account of ``likes`` (see the module docstring);
    ``observed`` holds the latest rate-limit headers seen per v2 endpoint."""

    def __init__(self, likes: LikesEngine) -> None:
        self.likes = likes
        self.observed: dict[str, RateLimit] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"CompanionsEngine(backend={self.likes.backend!r})"

    @property
    def backend(self) -> CompanionBackend:
        backend = self.likes.backend
        if not isinstance(backend, CompanionBackend):
            raise ConfigurationError(
                f"the backend {type(backend).__name__} serves only the favorites calls; the "
                "calls around them (verify_credentials, users/*, statuses/*, search/tweets) "
                "need a compat.CompanionBackend such as compat.client.LikesClient"
            )
        return backend

    def observe(self, endpoint: str, rate_limit: RateLimit) -> None:
        """Remember the headers of the latest answer of the v2 ``endpoint``."""
        if rate_limit != RateLimit():
            with self._lock:
                self.observed[endpoint] = rate_limit

    def observe_outcome(self, outcome: Outcome) -> None:
        """Remember a favorites call's last headers under its last v2 request's endpoint."""
        if outcome.calls:
            self.observe(outcome.calls[-1].endpoint, outcome.rate_limit)

    def _got(self, endpoint: str, result: V2Result) -> V2Result:
        self.observe(endpoint, result.rate_limit)
        return result

    def serve(self, endpoint: str, params: Mapping[str, object], plan: Plan) -> Outcome:
        """Answer one companion call (a member of :data:`COMPANION_ENDPOINTS`)."""
        serving: dict[str, Callable[[Mapping[str, object]], tuple[Any, RateLimit, set[str]]]]
        serving = {
            "account/verify_credentials": self._verify_credentials,
            "users/show": self._users_show,
            "users/lookup": self._users_lookup,
            "statuses/show": self._statuses_show,
            "statuses/lookup": self._statuses_lookup,
            "statuses/user_timeline": self._user_timeline,
            "search/tweets": self._search,
        }
        with recording() as calls:
            if endpoint == "application/rate_limit_status":
                value, rate_limit, missing = self._rate_limit_status(params, plan)
            else:
                value, rate_limit, missing = serving[endpoint](params)
        return Outcome(value, calls, rate_limit, missing)

    # -- users -------------------------------------------------------------------------------

    def _user_query(self, status: bool, email: bool = False) -> dict[str, str]:
        query = dict(_USER_STATUS_QUERY if status else _USER_QUERY)
        if email:
            # spec v2.167 lists the user field confirmed_email (user context, the app's
            # "request email" permission); without it X sends none and email is null
            query["user.fields"] += ",confirmed_email"
        return query

    def _shape_user(
        self,
        endpoint: str,
        user: Mapping[str, Any],
        includes: Any,
        options: reshape.ReshapeOptions,
        status: bool,
        missing: set[str],
        email: bool = False,
    ) -> dict[str, Any]:
        try:
            address = user.get("confirmed_email")
            out = reshape.user_with_status(
                user,
                reshape.index_includes(includes),
                status=status,
                with_email=email,
                email=address if isinstance(address, str) else None,
                options=options,
                missing=missing,
            )
            if email and not isinstance(address, str):
                missing.add("user.email")
            schemas.validate("v1.1/profile", out)
        except CompatError:
            raise
        except Exception as exc:  # reshape is pure: any failure is the answer's shape
            raise _unshapable(endpoint, exc) from exc
        return out

    def _verify_credentials(self, params: Mapping[str, object]) -> tuple[Any, RateLimit, set[str]]:
        endpoint = "account/verify_credentials"
        options = _options(endpoint, params)
        status = not flag(params.get("skip_status", False), "skip_status")
        email = flag(params.get("include_email", False), "include_email")
        found = self._got("users_me", self.backend.profile(self._user_query(status, email)))
        data = found.payload.get("data")
        if not isinstance(data, dict):
            raise lookup_error(
                found.payload, "me", endpoint="users_me", rate_limit=found.rate_limit
            )
        missing: set[str] = set()
        user = self._shape_user(
            endpoint, data, found.payload.get("includes"), options, status, missing, email
        )
        return user, found.rate_limit, missing

    def _users_show(self, params: Mapping[str, object]) -> tuple[Any, RateLimit, set[str]]:
        endpoint = "users/show"
        uid = optional_snowflake(params.get("user_id"), "user_id")
        name = params.get("screen_name")
        checked = None if name is None or uid is not None else check_screen_name(name)
        if uid is None and checked is None:
            raise InvalidParameter("user_id", "is missing: give user_id or screen_name")
        options = _options(endpoint, params)
        status = not flag(params.get("skip_status", False), "skip_status")
        query = self._user_query(status)
        if uid is not None:
            found = self._got("user_by_id", self.backend.user_by_id(uid, query))
            v2_endpoint, wanted = "user_by_id", uid
        else:
            assert checked is not None
            found = self._got("user_by_username", self.backend.user_by_username(checked, query))
            v2_endpoint, wanted = "user_by_username", checked
        data = found.payload.get("data")
        if not isinstance(data, dict):
            # 404/50 for a missing user, 403/63 for a suspended one
            raise lookup_error(
                found.payload, wanted, endpoint=v2_endpoint, rate_limit=found.rate_limit
            )
        missing: set[str] = set()
        user = self._shape_user(
            endpoint, data, found.payload.get("includes"), options, status, missing
        )
        return user, found.rate_limit, missing

    def _users_lookup(self, params: Mapping[str, object]) -> tuple[Any, RateLimit, set[str]]:
        endpoint = "users/lookup"
        ids = list(
            dict.fromkeys(
                snowflake(i, "user_id") for i in _comma_list(params.get("user_id", ""), "user_id")
            )
        )
        names = list(
            dict.fromkeys(
                check_screen_name(n)
                for n in _comma_list(params.get("screen_name", ""), "screen_name")
            )
        )
        if not ids and not names:
            raise InvalidParameter("user_id", "is missing: give user_id and/or screen_name")
        if len(ids) + len(names) > _MAX_LOOKUP:
            raise InvalidParameter(
                "user_id", f"v1.1 looked up at most {_MAX_LOOKUP} users per request"
            )
        options = _options(endpoint, params)
        status = not flag(params.get("skip_status", False), "skip_status")
        query = self._user_query(status)
        answers: list[V2Result] = []
        if ids:
            answers.append(self._got("users", self.backend.users(ids, query)))
        if names:
            answers.append(
                self._got("users_by_usernames", self.backend.users_by_usernames(names, query))
            )
        missing: set[str] = set()
        users: list[dict[str, Any]] = []
        seen: set[str] = set()
        # v1.1: the users of user_id, then of screen_name, each once; unknown, suspended and
        # deleted users left out; none found at all is a 404 (code 17)
        for answer in answers:
            data = answer.payload.get("data") or []
            if not isinstance(data, list):
                raise MalformedResponse(f"{endpoint}: the v2 answer's data is not a list")
            for user in data:
                if not isinstance(user, dict) or user.get("id") in seen:
                    continue
                seen.add(str(user.get("id")))
                users.append(
                    self._shape_user(
                        endpoint, user, answer.payload.get("includes"), options, status, missing
                    )
                )
        rate_limit = answers[-1].rate_limit
        if not users:
            status_code, body = v1_error_body("no_user_matches")
            raise NotFound(
                "users/lookup: X returned none of the users asked for",
                status=404,
                v2_body=[a.payload for a in answers],
                rate_limit=rate_limit,
                v1=(status_code, body),
            )
        return users, rate_limit, missing

    # -- statuses ----------------------------------------------------------------------------

    def _statuses(
        self, endpoint: str, payload: Mapping[str, Any], options: reshape.ReshapeOptions
    ) -> tuple[dict[str, dict[str, Any]], set[str]]:
        """The v1.1 statuses of a lookup answer, by id (v2 cannot say whether you liked a
        post: ``favorited`` is its default)."""
        missing: set[str] = set()
        data = payload.get("data") or []
        if isinstance(data, dict):
            data = [data]
        try:
            idx = reshape.index_includes(payload.get("includes"))
            out: dict[str, dict[str, Any]] = {}
            for tweet in data:
                status = dict(reshape.tweet_to_v1(tweet, idx, missing=missing, options=options))
                schemas.validate("v1.1/tweet", status)
                out[str(status["id_str"])] = status
        except CompatError:
            raise
        except Exception as exc:
            raise _unshapable(endpoint, exc) from exc
        return out, missing

    def _statuses_show(self, params: Mapping[str, object]) -> tuple[Any, RateLimit, set[str]]:
        endpoint = "statuses/show"
        tweet_id = snowflake(params.get("id"), "id")
        options = _options(endpoint, params)
        found = self._got("tweets", self.backend.lookup_tweets([tweet_id], reshape.V2_QUERY))
        statuses, missing = self._statuses(endpoint, found.payload, options)
        if tweet_id not in statuses:
            # 404/144 for a missing post, 403/179 for one you may not see
            raise lookup_error(
                found.payload, tweet_id, endpoint="tweets", rate_limit=found.rate_limit
            )
        return statuses[tweet_id], found.rate_limit, missing

    def _statuses_lookup(self, params: Mapping[str, object]) -> tuple[Any, RateLimit, set[str]]:
        endpoint = "statuses/lookup"
        ids = list(dict.fromkeys(snowflake(i, "id") for i in _comma_list(params.get("id"), "id")))
        if not ids:
            raise InvalidParameter("id", "is missing")
        if len(ids) > _MAX_LOOKUP:
            raise InvalidParameter("id", f"v1.1 looked up at most {_MAX_LOOKUP} statuses")
        as_map = flag(params.get("map", False), "map")
        options = _options(endpoint, params)
        found = self._got("tweets", self.backend.lookup_tweets(ids, reshape.V2_QUERY))
        statuses, missing = self._statuses(endpoint, found.payload, options)
        if as_map:
            # v1.1 map=true: every id asked for, null for the ones not available
            value: Any = {"id": {i: statuses.get(i) for i in ids}}
            schemas.validate("v1.1/lookup_map", value)
        else:
            value = [statuses[i] for i in ids if i in statuses]
        return value, found.rate_limit, missing

    def _user_timeline(self, params: Mapping[str, object]) -> tuple[Any, RateLimit, set[str]]:
        endpoint = "statuses/user_timeline"
        uid = optional_snowflake(params.get("user_id"), "user_id")
        name = params.get("screen_name")
        checked = None if name is None or uid is not None else check_screen_name(name)
        wanted = check_count(params.get("count", 20), high=_TIMELINE_MAX)
        since = optional_snowflake(params.get("since_id"), "since_id")
        before = optional_snowflake(params.get("max_id"), "max_id")
        no_replies = flag(params.get("exclude_replies", False), "exclude_replies")
        with_rts = flag(params.get("include_rts", True), "include_rts")
        options = _options(endpoint, params)
        likes = self.likes
        owner = self.backend.authenticated_user_id()
        target = likes._resolve_target(uid, checked)
        backend = self.backend

        def fetch(cursor: Cursor) -> V2Result:
            # v1.1's max_id is inclusive, v2's until_id exclusive; a walk the memo continues
            # keeps the bounds its first page was asked with (they are in its tag)
            until = _tag_value(cursor.walk, "by-id")
            page = backend.user_tweets(
                target,
                max_results=100,
                pagination_token=cursor.next_token,
                since_id=since,
                until_id=str(int(until) + 1) if until is not None else None,
                query=reshape.V2_QUERY,
            )
            return self._got("user_tweets", page)

        def keep(tweet: Mapping[str, Any]) -> bool:
            kinds = {r.get("type") for r in tweet.get("referenced_tweets") or ()}
            if no_replies and ("replied_to" in kinds or tweet.get("in_reply_to_user_id")):
                return False
            return with_rts or "retweeted" not in kinds

        statuses, rate_limit, missing = likes.walk_posts(
            Walk(
                owner=owner,
                target=target,
                wanted=wanted,
                since=since,
                before=before,
                fetch=fetch,
                family="timeline",
                tag=f";replies={not no_replies};rts={with_rts}",
                native_bounds=True,
                keep=keep,
                where=endpoint,
            ),
            options,
        )
        return statuses, rate_limit, missing

    # -- search ------------------------------------------------------------------------------

    def _search(self, params: Mapping[str, object]) -> tuple[Any, RateLimit, set[str]]:
        endpoint = "search/tweets"
        started = time.perf_counter()
        q = params.get("q")
        if q is None or (isinstance(q, str) and not q.strip()):
            error = InvalidParameter("q", "is missing")
            error.v1_status, error.v1_body = v1_error_body("query_missing")
            raise error
        if not isinstance(q, str):
            raise InvalidParameter("q", f"must be a string, got {type(q).__name__}")
        if params.get("geocode") not in (None, ""):
            raise _unsupported(
                "geocode",
                "X API v2 recent search has no geocode (its point_radius: operator is not "
                "served on self-serve plans); search by keyword, or filter the results' "
                "coordinates yourself",
            )
        result_type = str(params.get("result_type") or "mixed")
        if result_type not in ("mixed", "recent", "popular"):
            raise InvalidParameter("result_type", "must be 'mixed', 'recent' or 'popular'")
        wanted = check_count(params.get("count", 15), high=_SEARCH_MAX)
        since = optional_snowflake(params.get("since_id"), "since_id")
        before = optional_snowflake(params.get("max_id"), "max_id")
        until = params.get("until")
        end_time = None
        if until not in (None, ""):
            if not isinstance(until, str) or not _DATE.fullmatch(until):
                raise InvalidParameter("until", "must be a date YYYY-MM-DD")
            end_time = f"{until}T00:00:00Z"  # v1.1: "created before the given date"
        lang = params.get("lang")
        text = _v2_query(q)
        if lang not in (None, ""):
            if not isinstance(lang, str) or not re.fullmatch(r"[a-z]{2,3}", lang):
                raise InvalidParameter("lang", "must be an ISO 639-1 language code")
            text += f" lang:{lang}"
        options = _options(endpoint, params)
        # popular -> v2's relevancy order; mixed (v1.1's default: popular and recent) has no
        # v2 counterpart and is served as recent, which is what mixed mostly returned
        sort_order = "relevancy" if result_type == "popular" else "recency"
        if result_type == "mixed":
            log.info(
                "search.mixed_as_recent v2 has no mixed results; served in recency order",
                extra={"endpoint": endpoint},
            )
        owner = self.backend.authenticated_user_id()
        backend = self.backend

        def fetch(cursor: Cursor) -> V2Result:
            bound = _tag_value(cursor.walk, "by-id")
            page = backend.search_recent(
                text,
                max_results=_SEARCH_MAX,
                next_token=cursor.next_token,
                since_id=since,
                until_id=str(int(bound) + 1) if bound is not None else None,
                end_time=end_time,
                sort_order=sort_order,
                query=reshape.V2_QUERY,
            )
            return self._got("search_recent", page)

        # the memo's target must be an id: the search is told apart by its tag
        statuses, rate_limit, missing = self.likes.walk_posts(
            Walk(
                owner=owner,
                target=owner,
                wanted=wanted,
                since=since,
                before=before,
                fetch=fetch,
                family="search",
                tag=f";q={urllib.parse.quote(text)};sort={sort_order};end={end_time or ''}",
                native_bounds=True,
                where=endpoint,
            ),
            options,
        )
        for status in statuses:
            # v1.1 search results carried each status's metadata (GET search/tweets example)
            status["metadata"] = {  # type: ignore[typeddict-unknown-key]
                "iso_language_code": status.get("lang"),
                "result_type": "popular" if result_type == "popular" else "recent",
            }
        value = {
            "statuses": statuses,
            "search_metadata": reshape.search_metadata(
                [dict(s) for s in statuses],
                quoted_query=urllib.parse.quote(q, safe=""),
                count=wanted,
                since_id=since,
                result_type=result_type,
                include_entities=options.include_entities,
                completed_in=time.perf_counter() - started,
                more=len(statuses) >= wanted,
            ),
        }
        schemas.validate("v1.1/search", value)
        return value, rate_limit, missing

    # -- rate limits -------------------------------------------------------------------------

    def _rate_limit_status(
        self, params: Mapping[str, object], plan: Plan
    ) -> tuple[Any, RateLimit, set[str]]:
        _options("application/rate_limit_status", params)
        asked = params.get("resources")
        families = set(_comma_list(asked, "resources")) if asked not in (None, "") else None
        now = int(time.time())
        resources: dict[str, dict[str, dict[str, int]]] = {}
        with self._lock:
            observed = dict(self.observed)
        for path, v2 in RATE_LIMIT_RESOURCES.items():
            family = path.split("/")[1]
            if families is not None and family not in families:
                continue
            if v2 is None:
                entry = {
                    "limit": _RATE_LIMIT_STATUS_LIMIT,
                    "remaining": _RATE_LIMIT_STATUS_LIMIT,
                    "reset": now + _WINDOW,
                }
            else:
                seen = observed.get(v2)
                limit = plan.limit_for(v2, seen)
                if limit is None:
                    continue  # neither the plan nor an answer says: not listed
                current = seen is not None and seen.reset is not None and seen.reset > now
                remaining = seen.remaining if current and seen is not None else None
                reset = seen.reset if current and seen is not None else None
                entry = {
                    "limit": limit,
                    "remaining": remaining if remaining is not None else limit,
                    "reset": reset if reset is not None else now + _WINDOW,
                }
            resources.setdefault(family, {})[path] = entry
        value = {"rate_limit_context": self._context(), "resources": resources}
        schemas.validate("v1.1/rate_limit_status", value)
        return value, RateLimit(), set()

    def _context(self) -> dict[str, str]:
        """v1.1's rate_limit_context named the access token (or the app's consumer key);
        compat names only the user id the token begins with, never a token or key."""
        credentials = getattr(self.likes.backend, "credentials", None)
        user = credentials.token_user_id() if credentials is not None else None
        if user is None:
            return {"application": "[redacted by compat]"}
        return {"access_token": f"{user}-[redacted by compat]"}


def _tag_value(walk: str, name: str) -> str | None:
    for part in walk.split(";"):
        key, eq, value = part.partition("=")
        if eq and key == name and value.isdigit():
            return value
    return None


def _v2_query(q: str) -> str:
    """A v1.1 standard-search query as a v2 recent-search query: the operators v2 shares
    pass, the ones v2 spells another way are respelled (``filter:links`` -> ``has:links``),
    and a v1.1-only operator (``near:``, ``since:``, ``min_faves:``, attitudes ``:)`` ``:(``
    and the ``?`` question filter …) is a 400 naming it."""
    out: list[str] = []
    for token in _TOKEN.findall(q):
        if token.startswith(('"', '-"')):
            out.append(token)
            continue
        if token in (":)", ":(", "?"):
            raise _unsupported("q", f"the v1.1 search operator {token!r} has no v2 counterpart")
        match = _OPERATOR.fullmatch(token)
        if match is not None and not token.startswith(("http:", "https:")):
            negated = token.startswith("-")
            bare = token[1:] if negated else token
            respelled = _OPERATOR_SPELLINGS.get(bare.lower())
            if respelled is not None:
                out.append(("-" if negated else "") + respelled)
                continue
            if match.group(1).lower() in _V1_ONLY_OPERATORS:
                raise _unsupported(
                    "q",
                    f"the v1.1 search operator {bare!r} has no v2 recent-search counterpart",
                )
        out.append(token)
    return " ".join(out)


_engines: weakref.WeakKeyDictionary[LikesEngine, CompanionsEngine] = weakref.WeakKeyDictionary()
_engines_lock = threading.Lock()


def companions_for(likes: LikesEngine) -> CompanionsEngine:
    """The one :class:`CompanionsEngine` of an account's likes engine (made on first use)."""
    with _engines_lock:
        found = _engines.get(likes)
        if found is None:
            found = _engines[likes] = CompanionsEngine(likes)
        return found


# -- drop-in functions in the style of favorites_list -------------------------------------------
