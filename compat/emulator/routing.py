"""What the emulator's server, control interface and gateway share: requests, replies, routes.

:class:`Route` maps a method and path pattern to an endpoint name and a handler;
:meth:`Route.from_v2` takes method, path, endpoint name and auth from :data:`compat._v2.ROUTES`
(or :data:`compat._v2.GATEWAY_ROUTES`), so the emulator never spells them again. A handler gets
a :class:`Context` and answers a :class:`Reply`. :class:`EmulatorView` is what handlers see of
the running emulator, as a protocol, so that this module (and every module of handlers)
depends on the state, not on :mod:`compat.emulator.server`.

Usage::

    >>> from compat._v2 import ROUTES
    >>> from compat.emulator.routing import Reply, Route
    >>> route = Route.from_v2(ROUTES["unlike"], lambda ctx: Reply(200, {"data": {"liked": False}}))
    >>> route.method, route.endpoint, route.auth
    ('DELETE', 'unlike', 'user')
    >>> route.pattern.fullmatch("/2/users/12/likes/34").groupdict()
    {'id': '12', 'tweet_id': '34'}
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from typing import Any, Protocol

from compat import _v2
from compat._plans import Plan
from compat.emulator.auth import Principal
from compat.emulator.billing import Credits, UsageCap
from compat.emulator.clock import Clock
from compat.emulator.dataset import Dataset
from compat.emulator.faults import Faults
from compat.emulator.gateway_state import GatewayState
from compat.emulator.problems import Answer
from compat.emulator.ratelimit import RateLimiter
from compat.emulator.state import State

__all__ = [
    "Context",
    "EmulatorView",
    "Handler",
    "Reply",
    "RequestRecord",
    "Route",
    "canned",
    "dumps",
    "problem",
]


@dataclasses.dataclass(frozen=True)
class RequestRecord:
    """One served request: ``status`` 0 means the connection was dropped (fault "drop")."""

    method: str
    path: str
    query: dict[str, list[str]]
    endpoint: str
    status: int
    user_id: str | None
    body: bytes


_NON_BMP = re.compile("[\U00010000-\U0010ffff]")


def _surrogates(match: re.Match[str]) -> str:
    code = ord(match.group(0)) - 0x10000
    return f"\\u{0xD800 + (code >> 10):04X}\\u{0xDC00 + (code & 0x3FF):04X}"


def dumps(doc: Any) -> bytes:
    r"""JSON bytes as the real API writes them: compact, UTF-8, characters beyond the BMP as
    upper-case surrogate escapes (see cassettes/test_client_get_tweet.yaml).

    >>> print(dumps({"text": "é🥁"}).decode())
    {"text":"é\uD83E\uDD41"}
    """
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    if _NON_BMP.search(text):
        text = _NON_BMP.sub(_surrogates, text)
    return text.encode("utf-8")


@dataclasses.dataclass
class Reply:
    """What a handler answers: a JSON document (or raw bytes) with status and headers."""

    status: int
    doc: Any = None
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    raw: bytes | None = None
    content_type: str = "application/json; charset=utf-8"

    def body(self) -> bytes:
        if self.raw is not None:
            return self.raw
        return dumps(self.doc)


PROBLEM_JSON = "application/problem+json"


def problem(doc: dict[str, Any]) -> Reply:
    """A problem-JSON reply (v2's error bodies) with the document's own ``status``."""
    return Reply(int(doc["status"]), doc, content_type=PROBLEM_JSON)


def canned(
    answer: Answer, headers: dict[str, str] | None = None, *, status: int | None = None
) -> Reply:
    """A reply with one of :mod:`compat.emulator.problems`' (or unknowns') bodies, a fresh
    copy; ``status`` overrides the answer's."""
    reply = Reply(status or answer.status, answer.doc(), dict(headers or {}))
    if answer.problem:
        reply.content_type = PROBLEM_JSON
    return reply


class EmulatorView(Protocol):
    """What handlers and the control interface use of a running emulator
    (:class:`compat.emulator.Emulator` is one)."""

    @property
    def dataset(self) -> Dataset: ...

    @property
    def state(self) -> State: ...

    @property
    def faults(self) -> Faults: ...

    @property
    def rate_limits(self) -> RateLimiter: ...

    @property
    def plan(self) -> Plan: ...

    @property
    def credits(self) -> Credits: ...

    @property
    def usage_cap(self) -> UsageCap: ...

    @property
    def public_likes(self) -> bool: ...

    @property
    def gateway(self) -> GatewayState: ...

    @property
    def clock(self) -> Clock | None: ...

    @property
    def user_id(self) -> str: ...

    @property
    def requests(self) -> list[RequestRecord]: ...

    def now(self) -> float: ...

    def clear_requests(self) -> None: ...


@dataclasses.dataclass
class Context:
    """Everything a handler needs about one request."""

    emulator: EmulatorView
    method: str
    path: str
    params: dict[str, str]
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    principal: Principal | None

    def header(self, name: str) -> str | None:
        lname = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == lname), None)


Handler = Callable[[Context], Reply]


@dataclasses.dataclass(frozen=True)
class Route:
    """A route: ``auth`` is "user" (user context only), "any" (user or app-only) or "none"
    (the handler authenticates); ``self_param`` names the path parameter that must equal the
    authenticated user; ``params`` lists the accepted query parameters (None: any)."""

    method: str
    pattern: re.Pattern[str]
    endpoint: str
    handler: Handler
    auth: str = "user"
    self_param: str | None = None
    params: frozenset[str] | None = None

    @classmethod
    def make(cls, method: str, path: str, endpoint: str, handler: Handler, **kw: Any) -> Route:
        """A route; ``path`` has ``{name}`` placeholders, one path segment each.

        >>> route = Route.make("GET", "/2/users/{id}/bookmarks", "bookmarks",
        ...                    lambda ctx: Reply(200, {"data": []}), params=frozenset())
        >>> route.pattern.fullmatch("/2/users/42/bookmarks").groupdict()
        {'id': '42'}
        """
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", path)
        return cls(method, re.compile(regex + "/?"), endpoint, handler, **kw)

    @classmethod
    def from_v2(cls, spec: _v2.Route, handler: Handler, *, prefix: str = "", **kw: Any) -> Route:
        """The route for one entry of compat's v2 table: method, ``prefix`` + path, endpoint
        name and (unless ``auth=`` is given) auth come from ``spec``."""
        kw.setdefault("auth", spec.auth)
        return cls.make(spec.method, prefix + spec.path, spec.endpoint, handler, **kw)
