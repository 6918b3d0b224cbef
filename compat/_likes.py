"""The v1.1 favorites calls on one :class:`~compat.client.LikesBackend`: what each legacy
call means in v2 requests, and the v1.1 value built from their answers.

:class:`LikesEngine` is what :class:`compat._service.Service` runs for one account; it takes
the legacy parameters as they came (keywords of the drop-in functions, or a legacy request's
query and form) and answers an :class:`Outcome`.

Request cost (the minimum, see the README): ``create``/``destroy`` = one tweet lookup + the
like/unlike (``lookup=False``: the write alone, minimal status back; ``lookup="auto"``, the
default: the write alone when the post cache holds the post fresh); ``list`` = one v2 page
per 100 likes, remembered between calls by the page memo; no users/me under OAuth 1.0a.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping
from typing import Any, Literal

from compat import reshape, schemas
from compat._postcache import PostCache
from compat._pricing import CallCost
from compat._v1types import V1Tweet
from compat.client import LikesBackend
from compat.errors import CompatError, InvalidParameter, MalformedResponse, lookup_error
from compat.pagination import (
    DEFAULT_MAX_PAGES_PER_CALL,
    MAX_TOKEN_CHARS,
    Cursor,
    PageMemo,
    usable_token,
)
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
from compat.transport import V2Call, V2Result, cut, recording

__all__ = ["LikesEngine", "Outcome", "Walk"]

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
        # v1.1's default: ext_alt_text only when asked for
        include_ext_alt_text=flag(
            legacy.get("include_ext_alt_text", False), "include_ext_alt_text"
        ),
    )


class LikesEngine:
    """The three v1.1 favorites calls for one account on ``backend``.

    ``lookup``: look the post up before a like/unlike; ``memo``: the page memo shared by the
    walks of every account of a service; ``filter_pages``: how many v2 pages a
    ``since_id``/``max_id`` the memo does not recognise may scan; ``max_pages``: how many v2
    pages one call may fetch at most (``max_pages_per_call``); ``post_cache``: the account's
    recently seen posts, which ``lookup="auto"`` answers a like/unlike from when fresh.
    """

    def __init__(
        self,
        backend: LikesBackend,
        *,
        lookup: bool | Literal["auto"],
        memo: PageMemo,
        filter_pages: int,
        max_pages: int = DEFAULT_MAX_PAGES_PER_CALL,
        post_cache: PostCache | None = None,
    ) -> None:
        self.backend = backend
        self.lookup = lookup
        self.post_cache = post_cache
        self.memo = memo
        self.filter_pages = filter_pages
        self.max_pages = max_pages
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
        asked = legacy.get("lookup", self.lookup)
        auto = asked == "auto"
        # "auto": the post cache when it holds the post fresh (seen in a page or lookup of
        # this account within post_cache_ttl), else a lookup; True: always a lookup.
        cached = (
            self.post_cache.get(tweet_id, fields=reshape.V2_QUERY)
            if auto and self.post_cache is not None
            else None
        )
        lookup = (auto or flag(asked, "lookup")) and cached is None and self.backend.can_lookup
        options = _reshape_options(endpoint, legacy)
        missing: set[str] = set()
        tweet: dict[str, Any] = {"id": tweet_id, "text": ""}  # what the id alone says
        includes = reshape.index_includes(None)
        found = False
        if cached is not None:
            # v1.1's reference for POST favorites/create: "The immediately returned status
            # may not indicate the resultant favorited status of the tweet" (developer.twitter
            # .com/en/docs/twitter-api/v1/tweets/post-and-engage/api-reference/post-favorites-
            # create, mirrored at apidog.com/apidoc/docs-site/345501/api-3503007). A post seen
            # minutes ago is what a lookup would say, minus the request and its post read.
            tweet, found = cached[0], True
            includes = reshape.index_includes(cached[1])
        with recording() as calls:
            looked = self.backend.lookup_tweets([tweet_id], reshape.V2_QUERY) if lookup else None
            # Everything the answer needs is built before the write: a lookup answer compat
            # cannot shape fails the call with nothing written.
            try:
                if looked is not None:
                    match = _match(looked.payload, tweet_id)
                    if match is not None:
                        tweet, found = match, True
                        includes = reshape.index_includes(looked.payload.get("includes"))
                    elif liked:
                        # 404/144 for a missing post, 403/179 for one you may not see
                        raise lookup_error(
                            looked.payload,
                            tweet_id,
                            endpoint="tweets",
                            rate_limit=looked.rate_limit,
                        )
                    else:
                        # A like cleaner must be able to remove likes of deleted or protected
                        # posts: the unlike is idempotent and unbilled when it fails, so it
                        # is sent anyway and the answer is the minimal status of the id.
                        log.info(
                            "unlike.cleanup %s: the post is gone or hidden; unliking it anyway",
                            tweet_id,
                            extra={"tweet_id": tweet_id},
                        )
                status = reshape.tweet_to_v1(
                    tweet, includes, favorited=liked, missing=missing, options=options
                )
                if found and "favorite_count" not in missing:
                    # v2's write answers only {"liked": …}; the count is the looked-up one
                    # moved by this call (it over-counts when the post was already liked).
                    count = int(status.get("favorite_count") or 0)
                    status["favorite_count"] = count + 1 if liked else max(0, count - 1)
                if not found:
                    missing.add("text")  # minimal status: only what the id itself says
                schemas.validate("v1.1/tweet", status)
            except CompatError:
                raise
            except Exception as exc:  # reshape is pure: any failure is the answer's shape
                raise _unshapable(endpoint, exc, "nothing was written") from exc
            written = (self.backend.like if liked else self.backend.unlike)(tweet_id)
        if self.post_cache is not None:
            self.post_cache.liked(tweet_id, liked=liked)  # the next status counts this write
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
                    # 404/50 for a missing user, 403/63 for a suspended one
                    raise lookup_error(
                        found.payload,
                        name,
                        endpoint="user_by_username",
                        rate_limit=found.rate_limit,
                    )
                try:
                    self._usernames[key] = snowflake(data.get("id"), "user id")
                except InvalidParameter:  # the server's value, not the caller's: not a 400/44
                    raise MalformedResponse(
                        f"users/by/username/{name}: the answer's user id is not an id"
                    ) from None
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

        def fetch(cursor: Cursor) -> V2Result:
            return self.backend.liked_tweets(
                target,
                max_results=100,
                pagination_token=cursor.next_token,
                query=reshape.V2_QUERY,
            )

        return self.walk_posts(
            Walk(
                owner=owner,
                target=target,
                wanted=wanted,
                since=since,
                before=before,
                fetch=fetch,
                favorited=True if target == owner else None,
            ),
            options,
        )

    def walk_posts(
        self, walk: Walk, options: reshape.ReshapeOptions
    ) -> tuple[list[V1Tweet], RateLimit, set[str]]:
        """One v1.1 page of a walk over v2 pages (likes, or a user's posts): the page memo
        continues it at a ``max_id`` a paginator sends next (smallest id − 1, last id − 1, or
        the last id itself, which gets that status again first); any other ``since_id`` /
        ``max_id`` filters by id over at most ``filter_pages`` pages."""
        owner, target, wanted, since, before = (
            walk.owner,
            walk.target,
            walk.wanted,
            walk.since,
            walk.before,
        )
        where = walk.where
        # What makes this walk distinct beyond owner and target: two walks with the same
        # count and since_id at the same max_id stand at the same place of the walk's order.
        tag = walk.family + "|" if walk.family else ""
        tag += f"count={wanted};since={since or ''}{walk.tag}"
        cursor = self.memo.pop(owner, target, before, walk=tag) if before is not None else None
        low = int(since) if since is not None else 0
        high = int(before) if before is not None and cursor is None else None
        # a server that bounds by id itself (a timeline's since_id/until_id) needs no scan
        bounded = (since is not None or high is not None) and not walk.native_bounds
        if cursor is None:
            # a walk filtered by id is another walk than the one in like order at this count
            by_id = ";by-id" if high is not None else ""
            cursor = Cursor(owner=owner, target=target, walk=tag + by_id)
        page_bound = min(self.filter_pages, self.max_pages) if bounded else self.max_pages
        rate_limit = RateLimit()
        picked: list[tuple[dict[str, Any], int]] = []
        fetched = 0
        while len(picked) < wanted:
            while cursor.buffer and len(picked) < wanted:
                tweet, number = cursor.buffer.popleft()
                tid = int(tweet["id"])  # an id string of digits: Cursor.add_page checked it
                if tid > low and (high is None or tid <= high):
                    picked.append((tweet, number))
            if len(picked) >= wanted or cursor.exhausted:
                break
            if cursor.next_token is not None and not usable_token(cursor.next_token):
                if picked:
                    break  # hand out what came before it; the next call raises
                raise MalformedResponse(
                    f"{where}: the server's next_token cannot be sent back (it must be 1 "
                    f"to {MAX_TOKEN_CHARS} printable ASCII characters); the walk stops here"
                )
            if fetched >= page_bound:
                log.log(
                    logging.INFO if bounded else logging.WARNING,
                    "the likes listing stopped after %s v2 pages (the %s setting) and returned "
                    "the likes found so far; raise that setting to look further",
                    fetched,
                    "filter_pages"
                    if bounded and page_bound == self.filter_pages
                    else "max_pages_per_call",
                    extra={"event": "list.page_bound", "pages": fetched, "target": target},
                )
                break
            try:
                page = walk.fetch(cursor)
            except InvalidParameter as exc:
                if exc.parameter not in ("pagination_token", "next_token"):
                    raise
                # the token came from the server, not from the caller: not a 400/44
                raise MalformedResponse(
                    f"{where}: the server's next_token cannot be sent back ({exc})"
                ) from None
            fetched += 1
            rate_limit = page.rate_limit
            cursor.add_page(page.payload)
        if not picked and not bounded and not cursor.exhausted:
            if before is not None:
                self.memo.store(cursor, keys={before})  # a retry scans on from here
            raise MalformedResponse(
                f"{where}: {fetched} v2 pages in a row brought no posts but always "
                f"another next_token; stopped at max_pages_per_call={self.max_pages} "
                "(the server may be looping)"
            )
        # v1.1 counted `count` before dropping what a timeline excludes (replies, retweets)
        kept = [(t, n) for t, n in picked if walk.keep is None or walk.keep(t)]
        missing: set[str] = set()
        try:
            pages = {
                number: reshape.index_includes(cursor.pages.get(number)) for _t, number in kept
            }
            statuses = [
                reshape.tweet_to_v1(
                    tweet, pages[number], favorited=walk.favorited, missing=missing, options=options
                )
                for tweet, number in kept
            ]
            for status in statuses:
                schemas.validate("v1.1/tweet", status)
        except CompatError:
            raise
        except Exception as exc:  # reshape is pure: any failure is the answer's shape
            raise _unshapable(where, exc, "the walk's place is kept") from exc
        if picked:
            keys: set[str] = set()
            boundaries: dict[str, tuple[dict[str, Any], int]] = {}
            for chosen in (picked, kept):
                if chosen:
                    ids = [int(t["id"]) for t, _n in chosen]
                    # tweepy's Cursor sends min(ids) - 1 next; Twython's cursor the last id - 1
                    keys.update({str(min(ids) - 1), str(ids[-1] - 1)})
            if kept:
                # a hand-written loop sends the last id itself: v1.1's max_id is inclusive,
                # so that status comes again first
                boundaries[kept[-1][0]["id"]] = kept[-1]
            self.memo.store(cursor, keys=keys - set(boundaries), boundaries=boundaries)
        return statuses, rate_limit, missing


@dataclasses.dataclass(frozen=True)
class Walk:
    """One walk's terms for :meth:`LikesEngine.walk_posts`: whose (``owner``) walk over
    ``target``'s posts, the v1.1 ``count``/``since_id``/``max_id``, ``fetch`` (the next v2 page
    for a cursor), ``family`` (the memo's kind of walk: ``""`` likes, ``"timeline"``), ``tag``
    (more of what makes the walk distinct), ``native_bounds`` (``fetch`` bounds by id
    itself), ``keep`` (which picked posts are handed out: a timeline's exclusions, applied
    after ``count`` as v1.1 did) and ``favorited`` (every status's ``favorited``)."""

    owner: str
    target: str
    wanted: int
    since: str | None
    before: str | None
    fetch: Callable[[Cursor], V2Result]
    favorited: bool | None = None
    family: str = ""
    tag: str = ""
    native_bounds: bool = False
    keep: Callable[[Mapping[str, Any]], bool] | None = None
    where: str = "favorites/list"


def _match(payload: Mapping[str, Any], tweet_id: str) -> dict[str, Any] | None:
    """The post ``tweet_id`` in a lookup answer's ``data`` (a list, or one post)."""
    data = payload.get("data") or []
    if isinstance(data, dict):  # GET /2/tweets/:id shape
        data = [data]
    return next((t for t in data if t.get("id") == tweet_id), None)


def _unshapable(endpoint: str, exc: Exception, consequence: str) -> MalformedResponse:
    return MalformedResponse(
        f"{endpoint}: the v2 answer cannot be turned into v1.1 statuses "
        f"({type(exc).__name__}: {cut(str(exc), 200)}); {consequence}"
    )
