"""The catalogue of audit findings: stable codes, v2 replacements, limits, costs and advice.

Codes never change meaning once released; new checks get new codes.

======  ===============================================================================
code    what it flags
======  ===============================================================================
CPT101  a library call of v1.1 ``POST favorites/create`` (tweepy, also its
        ``Status.favorite()``; python-twitter, Twython, TwitterAPI)
CPT102  a library call of v1.1 ``POST favorites/destroy``
CPT103  a library call of v1.1 ``GET favorites/list`` (tweepy 3 ``favorites``, tweepy 4
        ``get_favorites``, python-twitter ``GetFavorites``, Twython ``get_favorites``)
CPT104  ``tweepy.Cursor(api.favorites, …)``: paging through favorites/list
CPT111  a raw URL (string, f-string, concatenation) of ``1.1/favorites/create`` (also the old
        ``favorites/create/<id>.json`` form)
CPT112  a raw URL of ``1.1/favorites/destroy``
CPT113  a raw URL of ``1.1/favorites/list`` (also v1 ``1/favorites.json``)
CPT114  a raw v1.1 favorites URL whose endpoint is computed at run time
CPT201  a read of ``favorited``
CPT202  a read of ``favourites_count``
CPT203  a read of ``favorite_count`` (freshness changes)
CPT204  the ``wait_on_rate_limit_notify`` keyword (gone in tweepy 4)
CPT105  a library call of a v1.1 companion endpoint compat serves (verify_credentials,
        user_timeline, search/tweets, users/show, …: compat.params.LEGACY_ENDPOINTS)
CPT106  a library call of a v1.1 endpoint compat does not serve (statuses/update,
        friendships, followers/ids, direct messages, …): it fails on the retired API
CPT115  a raw URL of a v1.1 companion endpoint compat serves
CPT116  a raw URL of a v1.1 endpoint compat does not serve
CPT301  likes in a loop, over search results, on a schedule or by keyword (X's developer
        guidelines prohibit automated, bulk and indiscriminate liking)
CPT900  a file that is not valid Python 3 (syntax error)
CPT901  a file that is Python 2 code
CPT902  a file that cannot be decoded (not UTF-8 and no matching coding cookie)
CPT903  a file or directory that cannot be read
CPT904  a file larger than the size cap (``--max-file-size``), not audited
CPT910  a ``# compat: ignore`` comment that suppresses nothing
======  ===============================================================================

Usage::

    >>> from compat.audit.rules import RULES
    >>> RULES["CPT101"].replacement
    'POST /2/users/:id/likes with JSON {"tweet_id": "…"} (tweepy 4: Client.like)'
    >>> sorted({rule.level for rule in RULES.values()})
    ['error', 'note', 'warning']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from compat._plans import Limit, Plan, get_plan
from compat._pricing import ENTERPRISE_ONLY, format_usd, micros
from compat._v2 import ROUTES, WINDOW_15MIN, WINDOW_24H
from compat.audit import policy
from compat.audit.companions import V11, served
from compat.audit.costs import CallEstimate

__all__ = [
    "CONFIDENCES",
    "RULES",
    "Confidence",
    "Finding",
    "Level",
    "Rule",
    "advice_for",
    "rule_for_endpoint",
]

Level = Literal["error", "warning", "note"]
Confidence = Literal["high", "medium", "low"]
#: From the most to the least sure (``--min-confidence`` keeps a level and those before it).
CONFIDENCES: tuple[Confidence, ...] = ("high", "medium", "low")

# The v2 routes come from compat._v2 and the v2 limits and prices from the plans table
# (compat._plans), so the texts follow them. The v1.1 figures (developer.x.com, see
# /work/shared/seeds): favorites/create and favorites/destroy 1000 requests / 24 h per user
# (and per app), favorites/list 75 requests / 15 min per user.

#: The plans the texts quote: today's self-serve plan (what most keys are on; it lists likes
#: but no longer offers them) and Enterprise (the only plan that likes since 2026-04-20).
_SELF_SERVE = get_plan("pay-per-use")
_ENTERPRISE = get_plan("enterprise")


def _route(endpoint: str) -> str:
    """A v2 route as X's docs write it: ``GET /2/users/:id/liked_tweets``."""
    route = ROUTES[endpoint]
    return f"{route.method} {_docs_path(route.path)}"


def _docs_path(path: str) -> str:
    return re.sub(r"\{(\w+)\}", r":\1", path)


def _limit(plan: Plan, endpoint: str, window_s: int, per: str = "user") -> Limit:
    """The plan's limit of ``endpoint`` in that window, per user or app."""
    for limit in plan.terms(endpoint).limits:
        if limit.window_s == window_s and limit.per == per:
            return limit
    raise ValueError(f"the {plan.name} plan has no {per} limit per {window_s} s on {endpoint}")


def _usd(plan: Plan, endpoint: str, *, owned: bool = False) -> str:
    """A price of the plan as the texts show it: ``$0.005``."""
    price = plan.terms(endpoint).price
    usd = None if price is None else (price.owned_usd if owned else price.usd)
    if usd is None:
        raise ValueError(f"the {plan.name} plan has no published price for {endpoint}")
    return format_usd(micros(usd))


# like and unlike have one per-user figure in the texts (X gives both the same limit)
_LIKE_LIMIT = _limit(_ENTERPRISE, "like", WINDOW_15MIN).requests
_LIKES_DAY = _limit(_ENTERPRISE, "like", WINDOW_24H)
_LIST_USER_LIMIT = _limit(_SELF_SERVE, "liked_tweets", WINDOW_15MIN).requests
_LIST_APP_LIMIT = _limit(_SELF_SERVE, "liked_tweets", WINDOW_15MIN, "app").requests
_V2_PAGE_MAX = 100  # likes per v2 liked_tweets page
_POST_CAP = _SELF_SERVE.monthly_post_cap
_LIKES_SINCE = _SELF_SERVE.terms("like").since
_LIKES_WHERE = (
    f"on {_SELF_SERVE.name} too"
    if _SELF_SERVE.terms("like").available
    else "on Enterprise only"
    + (f" (likes left the self-serve plans on {_LIKES_SINCE})" if _LIKES_SINCE else "")
)
_LIKES_DAY_TEXT = f"{_LIKES_DAY.requests}/24 h per user" + (
    " shared by like and unlike" if _LIKES_DAY.shared else " each"
)
_READ_PRICES = (
    f"on {_SELF_SERVE.name} {_usd(_SELF_SERVE, 'tweets')} per post and "
    f"{_usd(_SELF_SERVE, 'users_me')} per user returned (expansions included), each billed once "
    "per UTC day"
)

_WRITE_LIMIT = (
    f"v1.1: 1000 requests/24 h per user; v2: {_LIKE_LIMIT} requests/15 min per user and "
    f"{_LIKES_DAY_TEXT}, {_LIKES_WHERE}"
)
_LIST_LIMIT = (
    f"v1.1: 75 requests/15 min per user; v2 liked_tweets: {_LIST_USER_LIMIT}/15 min per user "
    f"and {_LIST_APP_LIMIT}/15 min per app, and every post returned counts toward the monthly "
    f"cap of {_POST_CAP:,} post reads ({_SELF_SERVE.name})"
)
_WRITE_COST = (
    "2 v2 requests per call under the shim (post lookup + like/unlike), 1 with the lookup "
    f"skipped; the lookup costs {_READ_PRICES}; the like or unlike is {ENTERPRISE_ONLY} (list "
    f"prices {_usd(_SELF_SERVE, 'like')} and {_usd(_SELF_SERVE, 'unlike')} per request, not "
    "offered on self-serve)"
)
_LIST_COST = (
    "1 v2 request per 100 likes (v2 pages hold at most 100; v1.1 count=200 now takes 2), "
    f"plus 1 user lookup when called with screen_name; {_READ_PRICES}, "
    f"{_usd(_SELF_SERVE, 'liked_tweets', owned=True)} per post as Owned Reads of your own likes"
)
_CURSOR_COST = (
    "walking N likes costs ceil(N/100) v2 requests whatever count asks (v1.1: ceil(N/count), "
    f"count at most 200): at count=200 about {_LIST_USER_LIMIT * _V2_PAGE_MAX:,} likes "
    "per 15 min instead of 15,000, every post read billed and counted against the monthly "
    "post cap"
)

_ADVICE_CALL = (
    "Run it unchanged under `compat.install()` (or `compat run -- python app.py`), "
    "or swap to `from compat import {func}` for the v1.1 dict."
)
_LIKE_PLAN = (
    " The like itself needs Enterprise or the gateway (`compat.gateway`): self-serve plans "
    f"refuse it since {_LIKES_SINCE}; and it must be directly initiated by the user (X's "
    "developer guidelines)."
)
_ADVICE_URL = (
    "Swap the request for `from compat import {func}` (same v1.1 JSON back), or keep it and "
    "call `compat.install()` so that requests is served from v2."
)
_ADVICE_CURSOR = (
    "Run it unchanged under `compat.install()` (its page memo keeps the max_id walk at 1 v2 "
    "request per 100 likes), or loop over `compat.favorites_list(max_id=…)`."
)
_ADVICE_PARSE = "Fix or port the file, then audit it again: nothing in it was checked."


@dataclass(frozen=True)
class Rule:
    """One kind of finding.

    ``endpoint`` is the v1.1 endpoint ("favorites/create", …) or None; ``replacement``,
    ``rate_limit`` and ``cost`` are None where they do not apply (field reads, parse errors).

    Usage::

        >>> rule = RULES["CPT104"]
        >>> rule.name, rule.level, rule.endpoint
        ('favorites-list-cursor', 'error', 'favorites/list')
    """

    code: str
    name: str
    title: str
    description: str
    level: Level
    category: Literal["call", "url", "field", "parse", "policy", "gate"]
    advice: str
    endpoint: str | None = None
    replacement: str | None = None
    rate_limit: str | None = None
    cost: str | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)


_CREATE_V2 = _route("like") + ' with JSON {"tweet_id": "…"} (tweepy 4: Client.like)'
_DESTROY_V2 = _route("unlike") + " (tweepy 4: Client.unlike)"
_LIST_V2 = _route("liked_tweets") + " (tweepy 4: Client.get_liked_tweets)"
_ANY_V2 = (
    f"{ROUTES['like'].method}/{ROUTES['unlike'].method} {_docs_path(ROUTES['like'].path)}, "
    + _route("liked_tweets")
)

_RULE_LIST: tuple[Rule, ...] = (
    Rule(
        "CPT101",
        "favorites-create-call",
        "v1.1 favorites/create call",
        "A client library call that sends v1.1 POST favorites/create, an endpoint v2-only "
        "access refuses (403, code 453).",
        "error",
        "call",
        _ADVICE_CALL.format(func="favorites_create") + _LIKE_PLAN,
        "favorites/create",
        _CREATE_V2,
        _WRITE_LIMIT,
        _WRITE_COST,
        ("migration", "favorites"),
    ),
    Rule(
        "CPT102",
        "favorites-destroy-call",
        "v1.1 favorites/destroy call",
        "A client library call that sends v1.1 POST favorites/destroy, an endpoint v2-only "
        "access refuses (403, code 453).",
        "error",
        "call",
        _ADVICE_CALL.format(func="favorites_destroy") + _LIKE_PLAN,
        "favorites/destroy",
        _DESTROY_V2,
        _WRITE_LIMIT,
        _WRITE_COST,
        ("migration", "favorites"),
    ),
    Rule(
        "CPT103",
        "favorites-list-call",
        "v1.1 favorites/list call",
        "A client library call that sends v1.1 GET favorites/list, an endpoint v2-only "
        "access refuses (403, code 453).",
        "error",
        "call",
        _ADVICE_CALL.format(func="favorites_list"),
        "favorites/list",
        _LIST_V2,
        _LIST_LIMIT,
        _LIST_COST,
        ("migration", "favorites"),
    ),
    Rule(
        "CPT104",
        "favorites-list-cursor",
        "tweepy Cursor over v1.1 favorites/list",
        "tweepy.Cursor paging through favorites/list with max_id; v2 pages with pagination "
        "tokens, in like order rather than id order, at most 100 per page.",
        "error",
        "call",
        _ADVICE_CURSOR,
        "favorites/list",
        _LIST_V2 + ", paged with pagination_token",
        _LIST_LIMIT,
        _CURSOR_COST,
        ("migration", "favorites", "pagination"),
    ),
    Rule(
        "CPT111",
        "favorites-create-url",
        "raw v1.1 favorites/create URL",
        "A URL of v1.1 POST favorites/create (also the old favorites/create/<id>.json form) "
        "sent with requests, OAuth1Session or similar.",
        "error",
        "url",
        _ADVICE_URL.format(func="favorites_create") + _LIKE_PLAN,
        "favorites/create",
        _CREATE_V2,
        _WRITE_LIMIT,
        _WRITE_COST,
        ("migration", "favorites", "raw-http"),
    ),
    Rule(
        "CPT112",
        "favorites-destroy-url",
        "raw v1.1 favorites/destroy URL",
        "A URL of v1.1 POST favorites/destroy (also favorites/destroy/<id>.json).",
        "error",
        "url",
        _ADVICE_URL.format(func="favorites_destroy") + _LIKE_PLAN,
        "favorites/destroy",
        _DESTROY_V2,
        _WRITE_LIMIT,
        _WRITE_COST,
        ("migration", "favorites", "raw-http"),
    ),
    Rule(
        "CPT113",
        "favorites-list-url",
        "raw v1.1 favorites/list URL",
        "A URL of v1.1 GET favorites/list (also the v1 favorites.json form).",
        "error",
        "url",
        _ADVICE_URL.format(func="favorites_list"),
        "favorites/list",
        _LIST_V2,
        _LIST_LIMIT,
        _LIST_COST,
        ("migration", "favorites", "raw-http"),
    ),
    Rule(
        "CPT114",
        "favorites-dynamic-url",
        "v1.1 favorites URL with a computed endpoint",
        "A v1.1 favorites URL whose endpoint part (create, destroy or list) is only known at "
        "run time.",
        "error",
        "url",
        "Replace it with the matching `compat.favorites_create/destroy/list` call, or call "
        "`compat.install()` so that requests is served from v2.",
        "favorites/*",
        _ANY_V2,
        _WRITE_LIMIT + "; list: " + _LIST_LIMIT,
        "create/destroy " + _WRITE_COST + "; list " + _LIST_COST,
        ("migration", "favorites", "raw-http"),
    ),
    Rule(
        "CPT201",
        "favorited-read",
        "reads `favorited`, which v2 cannot say for any post",
        "v2 tweets carry no per-viewer `favorited`. Under the shim it is true after create and "
        "for favorites_list results, false after destroy, and false (unknown) everywhere else.",
        "warning",
        "field",
        "Only trust `favorited` on results of favorites calls; elsewhere keep your own record "
        f"of likes or check {_route('liked_tweets')}.",
        tags=("migration", "fields"),
    ),
    Rule(
        "CPT202",
        "favourites-count-read",
        "reads the user's `favourites_count`",
        "v2 has it as user public_metrics.like_count, only when the user object is expanded; "
        "the shim sends 0 when v2 did not supply it.",
        "warning",
        "field",
        "Expect 0 where v2 returned no public_metrics; fetch the user with "
        f"user.fields=public_metrics ({_route('user_by_id')}) if the number matters.",
        tags=("migration", "fields"),
    ),
    Rule(
        "CPT203",
        "favorite-count-freshness",
        "reads `favorite_count`, whose freshness changes",
        "v2 like/unlike return only {liked: true/false}; after create/destroy the shim reports "
        "the count looked up just before the write ± 1 (absent or 0 when the lookup is "
        "skipped); lists carry public_metrics.like_count at read time.",
        "note",
        "field",
        "Treat `favorite_count` after a like/unlike as an estimate; re-read the post "
        f"({_route('tweets')}?ids=) when an exact count matters.",
        tags=("migration", "fields"),
    ),
    Rule(
        "CPT204",
        "wait-on-rate-limit-notify",
        "passes `wait_on_rate_limit_notify`, removed in tweepy 4",
        f"tweepy 4 raises TypeError on this keyword; and with v2 likes at {_LIKE_LIMIT} "
        "requests/15 min, wait_on_rate_limit now sleeps far more often than it did on v1.1.",
        "warning",
        "field",
        "Delete the keyword (tweepy 4 always logs its waits) and budget likes at "
        f"{_LIKE_LIMIT} per 15 min per user.",
        rate_limit=_WRITE_LIMIT,
        tags=("migration", "tweepy4"),
    ),
    Rule(
        "CPT105",
        "companion-call-served",
        "v1.1 companion call compat serves",
        "A client library call of a v1.1 endpoint around favorites (verify_credentials, "
        "user_timeline, search/tweets, rate_limit_status, users/show, users/lookup, "
        "statuses/show, statuses/lookup) that v2-only access refuses (403, code 453) and that "
        "compat serves from v2.",
        "warning",
        "call",
        "Run it unchanged under `compat.install()` (or `compat run -- python app.py`): compat "
        "serves this endpoint from v2.",
        None,
        "the v2 endpoint of the finding's v1.1 endpoint",
        tags=("migration", "companions"),
    ),
    Rule(
        "CPT106",
        "v1-call-unserved",
        "v1.1 call compat does not serve: fails on the retired API",
        "A client library call of a v1.1 endpoint that v2-only access refuses (403, code 453) "
        "and that compat does not serve; it fails with or without compat.install().",
        "error",
        "call",
        "Port it to the v2 endpoint named in the finding (tweepy 4: tweepy.Client); compat "
        "does not serve it.",
        None,
        "the v2 endpoint of the finding's v1.1 endpoint",
        tags=("migration", "companions"),
    ),
    Rule(
        "CPT115",
        "companion-url-served",
        "raw v1.1 companion URL compat serves",
        "A URL of a v1.1 endpoint around favorites that compat serves from v2.",
        "warning",
        "url",
        "Keep it and call `compat.install()` so that requests is served from v2.",
        None,
        "the v2 endpoint of the finding's v1.1 endpoint",
        tags=("migration", "companions", "raw-http"),
    ),
    Rule(
        "CPT116",
        "v1-url-unserved",
        "raw v1.1 URL compat does not serve: fails on the retired API",
        "A URL of a v1.1 endpoint that v2-only access refuses and compat does not serve.",
        "error",
        "url",
        "Port the request to the v2 endpoint named in the finding; compat does not serve it.",
        None,
        "the v2 endpoint of the finding's v1.1 endpoint",
        tags=("migration", "companions", "raw-http"),
    ),
    Rule(
        "CPT301",
        "automated-liking",
        "likes automatically: X's developer guidelines prohibit it",
        "The code likes in a loop, over search results, on a schedule or by a keyword test. "
        + policy.quoted(),
        "error",
        "policy",
        "Like only what the user chose, one like per user action; remove the loop, schedule or "
        "keyword selection. An app that auto-likes risks suspension whatever backend serves "
        "it.",
        "favorites/create",
        tags=("policy", "favorites"),
    ),
    Rule(
        "CPT900",
        "syntax-error",
        "file is not valid Python 3",
        "The file does not parse as Python 3, so it was not audited.",
        "warning",
        "parse",
        _ADVICE_PARSE,
        tags=("audit-coverage",),
    ),
    Rule(
        "CPT901",
        "python2-source",
        "file is Python 2 code",
        "The file is Python 2 (print statement, `except E, e`, backticks, …); it was not "
        "audited, and the client libraries compat supports need Python 3.",
        "warning",
        "parse",
        "Port it to Python 3 (e.g. with 2to3 or futurize), then audit it again.",
        tags=("audit-coverage", "python2"),
    ),
    Rule(
        "CPT902",
        "undecodable-source",
        "file cannot be decoded",
        "The file is not UTF-8 and has no PEP 263 coding cookie that decodes it, so it was "
        "not audited.",
        "warning",
        "parse",
        "Re-save it as UTF-8 or add a `# -*- coding: … -*-` line, then audit it again.",
        tags=("audit-coverage",),
    ),
    Rule(
        "CPT903",
        "unreadable",
        "file or directory cannot be read",
        "The operating system refused to read it (permissions, I/O error), so it was not audited.",
        "warning",
        "parse",
        "Make it readable for the user running the audit, then audit it again.",
        tags=("audit-coverage",),
    ),
    Rule(
        "CPT904",
        "file-too-large",
        "file larger than the size cap, not audited",
        "The file is larger than --max-file-size (max-file-size in [tool.compat.audit]), so "
        "it was not read past the cap nor audited.",
        "warning",
        "parse",
        "Raise --max-file-size if it is really source code, or exclude it (generated data).",
        tags=("audit-coverage",),
    ),
    Rule(
        "CPT910",
        "unused-suppression",
        "`# compat: ignore` comment that suppresses nothing",
        "An inline suppression whose line has no finding of the codes it names.",
        "warning",
        "gate",
        "Delete the comment, or correct the codes it lists.",
        tags=("audit-gate",),
    ),
)

RULES: dict[str, Rule] = {rule.code: rule for rule in _RULE_LIST}

_BY_CATEGORY_ENDPOINT: dict[tuple[str, str], str] = {
    (rule.category, rule.endpoint): rule.code
    for rule in _RULE_LIST
    if rule.endpoint is not None and rule.code not in {"CPT104", "CPT301"}
}

_LIB_FUNC = {
    "favorites/create": "favorites_create",
    "favorites/destroy": "favorites_destroy",
    "favorites/list": "favorites_list",
}


def rule_for_endpoint(category: Literal["call", "url"], endpoint: str) -> Rule:
    """The rule for a legacy call or URL of ``endpoint``.

    >>> rule_for_endpoint("url", "favorites/list").code
    'CPT113'
    >>> rule_for_endpoint("call", "statuses/user_timeline").code, rule_for_endpoint(
    ...     "url", "statuses/update").code
    ('CPT105', 'CPT116')
    """
    code = _BY_CATEGORY_ENDPOINT.get((category, endpoint))
    if code is None:
        if served(endpoint):
            code = "CPT105" if category == "call" else "CPT115"
        else:
            code = "CPT106" if category == "call" else "CPT116"
    return RULES[code]


def advice_for(rule: Rule, library: str | None) -> str:
    """One line of fix advice for ``rule`` as met in code using ``library``.

    TwitterAPI and Twython's generic ``request`` return responses, not statuses, so the import
    swap is worded for them like a raw HTTP call.

    >>> advice_for(RULES["CPT101"], "tweepy").startswith("Run it unchanged")
    True
    """
    if rule.category == "call" and library == "TwitterAPI" and rule.endpoint in _LIB_FUNC:
        writes = rule.endpoint in {"favorites/create", "favorites/destroy"}
        return _ADVICE_URL.format(func=_LIB_FUNC[rule.endpoint]) + (_LIKE_PLAN if writes else "")
    return rule.advice


@dataclass(frozen=True)
class Finding:
    """One place in the code that depends on v1.1 favorites, or a file the audit could not read.

    ``line`` and ``column`` are 1-based (columns count characters, not bytes); ``legacy`` is
    the code as written (``ast.get_source_segment``); ``detail`` says more where useful (the
    SyntaxError message, the receiver's resolved class, …).

    Usage::

        >>> f = Finding("CPT101", "bot.py", 3, 1, legacy="api.create_favorite(1)",
        ...             confidence="high", library="tweepy")
        >>> f.location, f.rule.endpoint
        ('bot.py:3:1', 'favorites/create')
    """

    code: str
    path: str
    line: int
    column: int
    end_line: int | None = None
    end_column: int | None = None
    legacy: str = ""
    confidence: Confidence = "high"
    library: str | None = None
    detail: str | None = None
    #: the v1.1 endpoint when the rule covers several (CPT105/106/115/116), else the rule's
    endpoint: str | None = None
    #: True: the code already runs on compat (drop-in functions, install()): never fails
    informational: bool = False
    #: notebooks: the 1-based index of the cell (line and column are then the cell's) and the
    #: line of the notebook file holding that source line (None: not found)
    cell: int | None = None
    file_line: int | None = None
    #: one call priced under the report's plan (None: not a call compat serves)
    estimate: CallEstimate | None = None
    #: CPT301: which pattern (a key of compat.audit.policy.PATTERNS)
    policy: str | None = None

    @property
    def rule(self) -> Rule:
        return RULES[self.code]

    @property
    def v11_endpoint(self) -> str | None:
        return self.endpoint or self.rule.endpoint

    @property
    def replacement(self) -> str | None:
        """The v2 replacement: the rule's, or for a companion its endpoint's."""
        if self.endpoint is not None and self.endpoint in V11:
            return V11[self.endpoint].v2
        return self.rule.replacement

    @property
    def location(self) -> str:
        if self.cell is not None:
            return f"{self.path}:cell {self.cell}:{self.line}:{self.column}"
        return f"{self.path}:{self.line}:{self.column}"

    @property
    def advice(self) -> str:
        return advice_for(self.rule, self.library)

    @property
    def message(self) -> str:
        """One sentence for SARIF and other one-line views."""
        rule = self.rule
        if rule.category in {"parse", "gate"}:
            return f"{rule.title}: {self.detail}" if self.detail else rule.title
        text = f"{rule.title}: `{_one_line(self.legacy)}`"
        if self.endpoint is not None:
            text += f" ({self.endpoint})"
        if self.replacement:
            text += f" → {self.replacement}"
        if self.policy is not None:
            text += f"; {policy.PATTERNS[self.policy]}. {policy.quoted()}"
        if self.estimate is not None:
            text += f"; {self.estimate.text}"
        if self.informational:
            text += "; informational: already served by compat"
        return f"{text}. {self.advice}"

    def sort_key(self) -> tuple[str, int, int, int, str]:
        return (self.path, self.cell or 0, self.line, self.column, self.code)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form of one finding (see the README's JSON format)."""
        rule = self.rule
        return {
            "code": self.code,
            "rule": rule.name,
            "level": rule.level,
            "title": rule.title,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "legacy": self.legacy,
            "library": self.library,
            "endpoint": self.v11_endpoint,
            "replacement": self.replacement,
            "rate_limit": rule.rate_limit,
            "cost": rule.cost,
            "confidence": self.confidence,
            "advice": self.advice,
            "detail": self.detail,
            "cell": self.cell,
            "informational": self.informational,
            "estimate": self.estimate.to_dict() if self.estimate is not None else None,
            "policy": _policy_dict(self.policy),
        }


def _policy_dict(pattern: str | None) -> dict[str, str] | None:
    if pattern is None:
        return None
    return {
        "pattern": pattern,
        "what": policy.PATTERNS[pattern],
        "quote": policy.LIKES_RULE.text.replace("**", ""),
        "source": policy.LIKES_RULE.source,
        "url": policy.GUIDELINES_URL,
    }


def _one_line(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
