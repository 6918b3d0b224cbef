"""Recent search's query language, the documented subset the emulator serves.

Operators (X's "Build a query" and "Operators" pages, docs.x.com/x-api/posts/search/integrate/
build-a-query and .../operators): keywords (a tokenized, case-insensitive match in the text),
``"exact phrase"``, ``#hashtag``, ``@mention``, ``from:`` and ``to:`` (a username or user id),
all standalone; ``is:retweet``, ``is:reply``, ``is:quote``, ``has:media``, ``has:links``,
``has:hashtags``, ``has:mentions`` and ``lang:`` need a standalone term next to them
("Conjunction-required operators cannot be used by themselves in a query"). Terms side by
side are AND, ``OR`` (upper case) is OR, AND binds tighter ("corona coronavirus OR covid-19:
The logical AND between corona and coronavirus will be applied first", xdevplatform's
getting-started-with-the-twitter-api-v2-for-academic-research, module 5), ``-`` negates a
term or a group, parentheses group. Anything else (``$cashtag``, ``url:``, ``retweets_of:``,
``is:verified``, an unknown ``name:``...) is a :class:`QueryError`; the emulator answers it
with a 400 (what X writes there is a guess: :data:`compat.emulator.unknowns.SEARCH_QUERY_ERROR`).

Usage::

    >>> q = Query.parse('(likes OR "legacy code") -is:retweet lang:en')
    >>> q.matches({"text": "My legacy code still works", "lang": "en"}, lambda uid: None)
    True
    >>> q.matches({"text": "RT @a: likes", "lang": "en",
    ...            "referenced_tweets": [{"type": "retweeted", "id": "1"}]}, lambda uid: None)
    False
    >>> try:
    ...     Query.parse("has:media")
    ... except QueryError as exc:
    ...     exc.reason
    'Rules must contain at least one positive, non-stand-alone clause'

"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["OPERATORS", "Query", "QueryError"]

UserLookup = Callable[[str], Mapping[str, Any] | None]

#: the ``name:value`` operators served, with their values (None: any value)
OPERATORS: Mapping[str, frozenset[str] | None] = {
    "from": None,
    "to": None,
    "lang": None,
    "is": frozenset({"retweet", "reply", "quote"}),
    "has": frozenset({"media", "links", "hashtags", "mentions"}),
}
_STANDALONE = frozenset({"keyword", "phrase", "hashtag", "mention", "from", "to"})
_LANG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?")
_HANDLE = re.compile(r"[A-Za-z0-9_]{1,15}")
_OPERATOR = re.compile(r"([A-Za-z_]+):(.*)", re.DOTALL)


class QueryError(ValueError):
    """A query the emulator does not serve: ``position`` is 1-based, as X counts."""

    def __init__(self, reason: str, position: int) -> None:
        self.reason = reason
        self.position = position
        super().__init__(
            f"There were errors processing your request: {reason} (at position {position})"
        )


def _referenced(post: Mapping[str, Any], kind: str) -> bool:
    return any(r.get("type") == kind for r in post.get("referenced_tweets", ()))


def _entities(post: Mapping[str, Any], kind: str) -> list[Mapping[str, Any]]:
    found = post.get("entities", {}).get(kind, [])
    return list(found) if isinstance(found, list) else []


def _is_user(uid: object, name: str, users: UserLookup) -> bool:
    if not isinstance(uid, str):
        return False
    if uid == name:
        return True
    user = users(uid)
    return user is not None and str(user.get("username", "")).lower() == name.lower()


@dataclasses.dataclass(frozen=True)
class _Term:
    kind: str  # keyword, phrase, hashtag, mention, from, to, is, has, lang
    value: str
    position: int

    @property
    def standalone(self) -> bool:
        return self.kind in _STANDALONE

    def matches(self, post: Mapping[str, Any], users: UserLookup) -> bool:
        kind, value = self.kind, self.value
        if kind in ("keyword", "phrase"):
            words = r"\s+".join(re.escape(w) for w in value.split())
            pattern = rf"(?<![\w]){words}(?![\w])"
            return re.search(pattern, str(post.get("text", "")), re.IGNORECASE) is not None
        if kind == "hashtag":
            return any(
                str(h.get("tag", "")).lower() == value.lower() for h in _entities(post, "hashtags")
            )
        if kind == "mention":
            return any(
                str(m.get("username", "")).lower() == value.lower()
                for m in _entities(post, "mentions")
            )
        if kind == "from":
            return _is_user(post.get("author_id"), value, users)
        if kind == "to":
            return _is_user(post.get("in_reply_to_user_id"), value, users)
        if kind == "lang":
            return str(post.get("lang", "")) == value
        if kind == "is":
            return _referenced(
                post, {"retweet": "retweeted", "reply": "replied_to"}.get(value, "quoted")
            )
        # has:
        if value == "media":
            return bool(post.get("attachments", {}).get("media_keys"))
        return bool(_entities(post, {"links": "urls"}.get(value, value)))


@dataclasses.dataclass(frozen=True)
class _Not:
    child: _Node

    def matches(self, post: Mapping[str, Any], users: UserLookup) -> bool:
        return not self.child.matches(post, users)


@dataclasses.dataclass(frozen=True)
class _All:
    children: tuple[_Node, ...]

    def matches(self, post: Mapping[str, Any], users: UserLookup) -> bool:
        return all(c.matches(post, users) for c in self.children)


@dataclasses.dataclass(frozen=True)
class _Any:
    children: tuple[_Node, ...]

    def matches(self, post: Mapping[str, Any], users: UserLookup) -> bool:
        return any(c.matches(post, users) for c in self.children)


_Node = _Term | _Not | _All | _Any


def _anchored(node: _Node) -> bool:
    """Whether every match of ``node`` needs a positive standalone term (X's rule that a
    query is not only conjunction-required operators or negations)."""
    if isinstance(node, _Term):
        return node.standalone
    if isinstance(node, _Not):
        return False
    if isinstance(node, _All):
        return any(_anchored(c) for c in node.children)
    return all(_anchored(c) for c in node.children)


@dataclasses.dataclass(frozen=True)
class _Token:
    kind: str  # "(", ")", "OR", "-", "term"
    text: str
    position: int
    quoted: bool = False


def _tokens(query: str) -> list[_Token]:
    out: list[_Token] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            out.append(_Token(ch, ch, i + 1))
            i += 1
        elif ch == "-" and i + 1 < n and not query[i + 1].isspace():
            out.append(_Token("-", ch, i + 1))
            i += 1
        elif ch == '"':
            end = query.find('"', i + 1)
            if end < 0:
                raise QueryError("Unterminated quoted phrase", i + 1)
            out.append(_Token("term", query[i + 1 : end], i + 1, quoted=True))
            i = end + 1
        else:
            start = i
            while i < n and not query[i].isspace() and query[i] not in '()"':
                i += 1
            word = query[start:i]
            if word.endswith(":") and i < n and query[i] == '"':
                end = query.find('"', i + 1)
                if end < 0:
                    raise QueryError("Unterminated quoted phrase", i + 1)
                word += query[i + 1 : end]
                i = end + 1
            out.append(_Token("OR" if word == "OR" else "term", word, start + 1))
    return out


def _term(token: _Token) -> _Term:
    text, at = token.text, token.position
    if token.quoted:
        if not text.strip():
            raise QueryError("Empty quoted phrase", at)
        return _Term("phrase", " ".join(text.split()), at)
    if text == "-":
        raise QueryError("Negation must be followed by a term", at)
    if text[0] in "#@":
        value = text[1:]
        if not value or (text[0] == "@" and not _HANDLE.fullmatch(value)):
            raise QueryError(f"Invalid {'hashtag' if text[0] == '#' else 'mention'} '{text}'", at)
        return _Term("hashtag" if text[0] == "#" else "mention", value, at)
    if text[0] == "$":
        raise QueryError("Reference to invalid operator '$'. The emulator serves no cashtags", at)
    operator = _OPERATOR.fullmatch(text)
    if operator is not None:
        name, value = operator.group(1), operator.group(2)
        if name not in OPERATORS:
            raise QueryError(
                f"Reference to invalid operator '{name}:'. The emulator serves "
                f"{', '.join(f'{k}:' for k in OPERATORS)} and keywords, phrases, # and @",
                at,
            )
        allowed = OPERATORS[name]
        bad = not value or (allowed is not None and value not in allowed)
        bad = bad or (name == "lang" and not _LANG.fullmatch(value))
        bad = bad or (name in ("from", "to") and not (_HANDLE.fullmatch(value) or value.isdigit()))
        if bad:
            raise QueryError(f"Reference to invalid operator '{name}:{value}'", at)
        return _Term(name, value, at)
    return _Term("keyword", text, at)


class _Parser:
    def __init__(self, tokens: list[_Token], length: int) -> None:
        self.tokens = tokens
        self.i = 0
        self.length = length

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def either(self) -> _Node:
        children = [self.both()]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.i += 1
            if self.peek() is None or self.peek().kind in (")", "OR"):  # type: ignore[union-attr]
                raise QueryError("OR must be between two terms", token.position)
            children.append(self.both())
        return children[0] if len(children) == 1 else _Any(tuple(children))

    def both(self) -> _Node:
        children: list[_Node] = []
        while (token := self.peek()) is not None and token.kind not in (")", "OR"):
            children.append(self.unary())
        if not children:
            token = self.peek()
            where = token.position if token is not None else self.length + 1
            raise QueryError("Expected a term", where)
        return children[0] if len(children) == 1 else _All(tuple(children))

    def unary(self) -> _Node:
        token = self.peek()
        assert token is not None
        self.i += 1
        if token.kind == "-":
            following = self.peek()
            if following is None or following.kind in (")", "OR"):
                raise QueryError("Negation must be followed by a term", token.position)
            return _Not(self.unary())
        if token.kind == "(":
            inner = self.either()
            closing = self.peek()
            if closing is None or closing.kind != ")":
                raise QueryError("Unbalanced parentheses", token.position)
            self.i += 1
            return inner
        return _term(token)


@dataclasses.dataclass(frozen=True)
class Query:
    """A parsed recent-search query; :meth:`matches` tells whether a v2 post matches it."""

    text: str
    root: _Node

    @classmethod
    def parse(cls, text: str) -> Query:
        tokens = _tokens(text)
        if not tokens:
            raise QueryError("Expected a term", 1)
        parser = _Parser(tokens, len(text))
        root = parser.either()
        extra = parser.peek()
        if extra is not None:
            raise QueryError("Unbalanced parentheses", extra.position)
        if not _anchored(root):
            raise QueryError("Rules must contain at least one positive, non-stand-alone clause", 1)
        return cls(text, root)

    def matches(self, post: Mapping[str, Any], users: UserLookup) -> bool:
        return self.root.matches(post, users)
