"""The v1.1 favorites calls on one :class:`~compat.client.LikesBackend`: what each legacy
call means in v2 requests, and the v1.1 value built from their answers.

:class:`LikesEngine` is what :class:`compat._service.Service` runs for one account; it takes
the legacy parameters as they came (keywords of the drop-in functions, or a legacy request's
query and form) and answers an :class:`Outcome`.

Request cost (the minimum, see the README): ``create``/``destroy`` = one tweet lookup + the
like/unlike (``lookup=False``: the write alone, minimal status back); ``list`` = one v2 page
per 100 likes, remembered between calls by the page memo; no users/me under OAuth 1.0a.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from typing import Any

from compat import reshape, schemas
from compat._pricing import CallCost
from compat._v1types import V1Tweet
from compat.client import LikesBackend
from compat.errors import InvalidParameter, NotFound
from compat.pagination import Cursor, PageMemo
from compat.params import (
    COMMON_PARAMETERS,
    IGNORED_PARAMETERS,
    LEGACY_ENDPOINTS,
    flag,
    optional_snowflake,
    snowflake,
)
from compat.params import count as check_count
from compat.params import screen_name as check_screen_name
from compat.params import tweet_mode as check_tweet_mode
from compat.ratelimit import RateLimit
from compat.transport import V2Call, recording

__all__ = ["LikesEngine", "Outcome"]

log = logging.getLogger("compat.favorites")


@dataclasses.dataclass
class Outcome:
    """What one legacy call produced: the v1.1 value and what it cost.

    ``calls`` are the v2 requests made, ``rate_limit`` the last headers seen, ``missing`` the
    v1.1 fields sent as null/default because v2 could not supply them, ``cost`` what the
    requests cost under the configured plan (set by the service).
    """

    value: Any
    calls: list[V2Call]
    rate_limit: RateLimit
    missing: set[str]
    cost: CallCost | None = None


def _reshape_options(endpoint: str, legacy: Mapping[str, object]) -> reshape.ReshapeOptions:
    """The tweet-shaping parameters of a call; an unknown parameter raises, an ignored one is
    logged with its reason."""
    accepted = LEGACY_ENDPOINTS[endpoint]
    for name in legacy:
        if name in accepted.parameters or name in accepted.extras or name in COMMON_PARAMETERS:
            continue
        if name in IGNORED_PARAMETERS:
            log.info(
                "legacy.ignored %s: %s",
                name,
                IGNORED_PARAMETERS[name],
                extra={"parameter": name},
            )
            continue
        raise InvalidParameter(name, "is not a parameter v1.1 favorites accepted")
    return reshape.ReshapeOptions(
        tweet_mode=check_tweet_mode(legacy.get("tweet_mode")),
        include_entities=flag(legacy.get("include_entities", True), "include_entities"),
        trim_user=flag(legacy.get("trim_user", False), "trim_user"),
        include_ext_alt_text=flag(legacy.get("include_ext_alt_text", True), "include_ext_alt_text"),
    )


class LikesEngine:
    """The three v1.1 favorites calls for one account on ``backend``.

    ``lookup``: look the post up before a like/unlike; ``memo``: the page memo shared by the
    walks of every account of a service; ``filter_pages``: how many v2 pages a
    ``since_id``/``max_id`` the memo does not recognise may scan.
    """

    def __init__(
        self, backend: LikesBackend, *, lookup: bool, memo: PageMemo, filter_pages: int
    ) -> None:
        self.backend = backend
        self.lookup = lookup
        self.memo = memo
        self.filter_pages = filter_pages
        self._usernames: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"LikesEngine(backend={self.backend!r})"

    def serve(self, endpoint: str, params: Mapping[str, object]) -> Outcome:
        """Answer one legacy call (a key of :data:`~compat.params.LEGACY_ENDPOINTS`)."""
        if endpoint == "favorites/list":
            return self._list(params)
        return self._write(endpoint == "favorites/create", params)

    # -- create / destroy ---------------------------------------------------------------------

    def _write(self, liked: bool, params: Mapping[str, object]) -> Outcome:
        endpoint = "favorites/create" if liked else "favorites/destroy"
        legacy = {k: v for k, v in params.items() if k != "id"}
        tweet_id = snowflake(params.get("id"), "id")
        # A backend that cannot look posts up (a gateway without a read source) answers a
        # minimal status, whatever was asked.
        lookup = flag(legacy.get("lookup", self.lookup), "lookup") and self.backend.can_lookup
        options = _reshape_options(endpoint, legacy)
        missing: set[str] = set()
        tweet: dict[str, Any] = {"id": tweet_id, "text": ""}  # what the id alone says
        includes = reshape.index_includes(None)
        found = False
        with recording() as calls:
            if lookup:
                looked = self.backend.lookup_tweets([tweet_id], reshape.V2_QUERY)
                page = looked.payload
                data = page.get("data") or []
                if isinstance(data, dict):  # GET /2/tweets/:id shape
                    data = [data]
                match = next((t for t in data if t.get("id") == tweet_id), None)
                if match is not None:
                    tweet, includes, found = (
                        match,
                        reshape.index_includes(page.get("includes")),
                        True,
                    )
                elif liked:
                    raise NotFound(
                        f"No status found with that ID: {tweet_id} "
                        "(the post does not exist or is not visible to you)",
                        status=404,
                        v2_body=page,
                        rate_limit=looked.rate_limit,
                    )
                else:
                    # A like cleaner must be able to remove likes of deleted or protected
                    # posts: the unlike is idempotent and unbilled when it fails, so it is
                    # sent anyway and the answer is the minimal status of the id.
                    log.info(
                        "unlike.cleanup %s: the post is gone or hidden; unliking it anyway",
                        tweet_id,
                        extra={"tweet_id": tweet_id},
                    )
            written = (self.backend.like if liked else self.backend.unlike)(tweet_id)
        status = reshape.tweet_to_v1(
            tweet, includes, favorited=liked, missing=missing, options=options
        )
        if found and "favorite_count" not in missing:
            # v2's write answers only {"liked": …}; the count is the looked-up one moved by
            # this call (it over-counts when the post was already liked: v2 cannot tell).
            count = int(status.get("favorite_count") or 0)
            status["favorite_count"] = count + 1 if liked else max(0, count - 1)
        if not found:
            missing.add("text")  # minimal status: only what the id itself says
        schemas.validate("v1.1/tweet", status)
        return Outcome(status, calls, written.rate_limit, missing)

    # -- list -----------------------------------------------------------------------------------

    def _resolve_target(self, user_id: str | None, name: str | None) -> str:
        if user_id is not None:
            return user_id
        if name is not None:
            key = name.lower()
            if key not in self._usernames:
                found = self.backend.user_by_username(name)
                data = found.payload.get("data")
                if not isinstance(data, dict):
                    raise NotFound(
                        f"User not found: {name}",
                        status=404,
                        v2_body=found.payload,
                        rate_limit=found.rate_limit,
                        v1=(404, {"errors": [{"code": 50, "message": "User not found."}]}),
                    )
                self._usernames[key] = snowflake(data.get("id"), "user id")
            return self._usernames[key]
        return self.backend.authenticated_user_id()

    def _list(self, params: Mapping[str, object]) -> Outcome:
        uid = optional_snowflake(params.get("user_id"), "user_id")
        name = params.get("screen_name")
        checked_name = None if name is None else check_screen_name(name)
        wanted = check_count(params.get("count", 20))
        since = optional_snowflake(params.get("since_id"), "since_id")
        before = optional_snowflake(params.get("max_id"), "max_id")
        options = _reshape_options("favorites/list", params)
        with recording() as calls:
            value, rate_limit, missing = self._walk(
                uid, checked_name, wanted, since, before, options
            )
        return Outcome(value, calls, rate_limit, missing)

    def _walk(
        self,
        user_id: str | None,
        name: str | None,
        wanted: int,
        since: str | None,
        before: str | None,
        options: reshape.ReshapeOptions,
    ) -> tuple[list[V1Tweet], RateLimit, set[str]]:
        owner = self.backend.authenticated_user_id()
        target = self._resolve_target(user_id, name)
        cursor = self.memo.pop(owner, target, before) if before is not None else None
        # A recognised max_id continues the walk in like order; any other since_id/max_id
        # filters by id over at most `filter_pages` pages.
        low = int(since) if since is not None else 0
        high = int(before) if before is not None and cursor is None else None
        bounded = since is not None or high is not None
        if cursor is None:
            cursor = Cursor(owner=owner, target=target)
        rate_limit = RateLimit()
        picked: list[tuple[dict[str, Any], int]] = []
        fetched = 0
        while len(picked) < wanted:
            while cursor.buffer and len(picked) < wanted:
                tweet, number = cursor.buffer.popleft()
                tid = int(tweet["id"])
                if tid > low and (high is None or tid <= high):
                    picked.append((tweet, number))
            if len(picked) >= wanted or cursor.exhausted:
                break
            if bounded and fetched >= self.filter_pages:
                log.info(
                    "list.filter_bound reached after %s pages",
                    fetched,
                    extra={"pages": fetched, "target": target},
                )
                break
            page = self.backend.liked_tweets(
                target,
                max_results=100,
                pagination_token=cursor.next_token,
                query=reshape.V2_QUERY,
            )
            fetched += 1
            rate_limit = page.rate_limit
            cursor.add_page(page.payload)
        pages = {number: reshape.index_includes(cursor.pages.get(number)) for _t, number in picked}
        favorited = True if target == owner else None
        missing: set[str] = set()
        statuses = [
            reshape.tweet_to_v1(
                tweet, pages[number], favorited=favorited, missing=missing, options=options
            )
            for tweet, number in picked
        ]
        for status in statuses:
            schemas.validate("v1.1/tweet", status)
        if picked:
            ids = [int(t["id"]) for t, _n in picked]
            # tweepy's Cursor sends min(ids) - 1 next; Twython's cursor the last id - 1.
            self.memo.store(cursor, keys={str(min(ids) - 1), str(ids[-1] - 1)})
        return statuses, rate_limit, missing
