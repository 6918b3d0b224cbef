"""The static audit: find legacy v1.1 favorites code in Python sources with :mod:`ast`.

Two passes per module. The first (iterative, :func:`ast.walk`) indexes imports and their
aliases, module and class string constants, local classes and their methods, and which names
hold a client (``api = tw.API(auth)``, ``self.api = twitter.Api(...)``, ``def f(api: tweepy.API)``,
copies ``b = api``, subclasses ``class Bot(tweepy.API)``). The second visits the tree and reports
what :mod:`compat.audit.rules` lists. String *values* (URLs) are matched with patterns; code is
never matched as text.

Confidence:

* **high** — the receiver resolves through imports to a client class (``tweepy.API``,
  ``twitter.Api``, ``twython.Twython``, ``TwitterAPI.TwitterAPI``); a URL names the Twitter/X
  API host (or is host-less in a module that uses Twitter); a field is read from the result of a
  reported legacy call (``s = api.create_favorite(i); s.favorited``, ``for s in api.favorites()``).
* **low** — guessed: a distinctive method name (``create_favorite``, ``GetFavorites``, …) on a
  receiver the audit cannot resolve; the generic tweepy 3 name ``favorites`` or
  ``request('favorites/…')`` only in a module with *Twitter evidence*; a field read in such a
  module.
* **nil** — not reported. Twitter evidence means: the module imports tweepy, twitter, twython,
  TwitterAPI, birdy or peony, contains a Twitter/X API host string, or has a reported call or
  URL (for a host-less URL's own confidence only the imports and host strings count). So
  ``row["favorited"]`` in a module that only loads a JSON archive is not reported, and
  neither is ``self.favorites()`` on a class of the module that defines ``favorites``, a call of
  a plain function named ``favorites``, a docstring or bare string statement (treated as a
  comment), or a ``…/favorites/list`` URL of another host or without the ``1.1/`` version.

Usage::

    >>> from compat.audit.static import scan_source
    >>> src = '''
    ... import tweepy as tw
    ... api = tw.API(auth)
    ... status = api.create_favorite(20)
    ... print(status.favorited)
    ... '''
    >>> [(f.code, f.line, f.confidence, f.legacy) for f in scan_source(src, "bot.py")]
    [('CPT101', 4, 'high', 'api.create_favorite(20)'), ('CPT201', 5, 'high', 'status.favorited')]
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import io
import logging
import os
import re
import stat
import tokenize
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from compat._plans import Plan, get_plan
from compat.audit import companions, gate, notebook
from compat.audit.costs import estimate
from compat.audit.report import Counters, Report
from compat.audit.rules import Confidence, Finding, rule_for_endpoint

__all__ = [
    "IGNORED_DIRS",
    "ProgressCallback",
    "discover",
    "scan",
    "scan_file",
    "scan_source",
]

logger = logging.getLogger("compat.audit")

#: Directory names skipped unless ``include_ignored``; a directory holding ``pyvenv.cfg``
#: (any virtualenv, whatever its name) is skipped too.
IGNORED_DIRS: frozenset[str] = frozenset(
    {
        ".venv",
        "venv",
        "site-packages",
        "dist-packages",
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "build",
        "dist",
        "__pycache__",
        ".tox",
        ".nox",
        ".eggs",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
    }
)
PYTHON_SUFFIXES: tuple[str, ...] = (".py", ".pyw", ".ipynb")
NOTEBOOK_SUFFIX = ".ipynb"
#: Characters of the flagged code kept in a finding (a huge expression is cut).
LEGACY_MAX = 500
#: At most this many rounds to resolve copies of clients (``b = a``): linear, not quadratic.
_BINDING_ROUNDS = 8

#: ``progress(done, total, path)`` after each file.
ProgressCallback = Callable[[int, int, str], None]

# --- what the finder knows about the client libraries -------------------------------------

_CLIENT_CLASSES: dict[str, str] = {
    "tweepy.API": "tweepy",
    "tweepy.api.API": "tweepy",
    "twitter.Api": "python-twitter",
    "twitter.api.Api": "python-twitter",
    "twython.Twython": "Twython",
    "twython.api.Twython": "Twython",
    "TwitterAPI.TwitterAPI": "TwitterAPI",
    "TwitterAPI.TwitterAPI.TwitterAPI": "TwitterAPI",
    "tweepy.Client": "tweepy v2",
    "tweepy.client.Client": "tweepy v2",
    **companions.CLIENT_CLASSES,
}
_CURSOR_CLASSES = frozenset({"tweepy.Cursor", "tweepy.cursor.Cursor"})
_METHODS: dict[str, dict[str, str]] = {
    "tweepy": {
        "create_favorite": "favorites/create",
        "destroy_favorite": "favorites/destroy",
        "favorites": "favorites/list",  # tweepy 3
        "get_favorites": "favorites/list",  # tweepy 4
    },
    "python-twitter": {
        "CreateFavorite": "favorites/create",
        "DestroyFavorite": "favorites/destroy",
        "GetFavorites": "favorites/list",
    },
    "Twython": {
        "create_favorite": "favorites/create",
        "destroy_favorite": "favorites/destroy",
        "get_favorites": "favorites/list",
    },
    "TwitterAPI": {},
    "tweepy v2": {},
    "python-twitter-tools": {},
}
# Generic request methods whose first argument names the v1.1 endpoint.
_GENERIC: dict[str, frozenset[str]] = {
    "Twython": frozenset({"request", "get", "post"}),
    "TwitterAPI": frozenset({"request"}),
}
_ANY_GENERIC = frozenset({"request", "get", "post"})
# Distinctive names reported with low confidence on receivers that do not resolve.
_GUESSED: dict[str, tuple[str, str]] = {
    "create_favorite": ("favorites/create", "tweepy or Twython"),
    "destroy_favorite": ("favorites/destroy", "tweepy or Twython"),
    "get_favorites": ("favorites/list", "tweepy 4 or Twython"),
    "CreateFavorite": ("favorites/create", "python-twitter"),
    "DestroyFavorite": ("favorites/destroy", "python-twitter"),
    "GetFavorites": ("favorites/list", "python-twitter"),
}
# Companion names distinctive enough to guess (low confidence, in modules with evidence).
_GUESSED_COMPANIONS = frozenset(
    {
        "verify_credentials",
        "VerifyCredentials",
        "user_timeline",
        "get_user_timeline",
        "GetUserTimeline",
        "update_status",
        "PostUpdate",
        "create_friendship",
        "rate_limit_status",
        "statuses_lookup",
        "lookup_statuses",
        "search_tweets",
        "GetSearch",
        "followers_ids",
        "get_follower_ids",
    }
)
# compat's own entry points: a module calling them already runs on compat.
_COMPAT_INSTALL = frozenset({"compat.install", "compat.patch.install"})
_COMPAT_DROPINS = frozenset(
    {
        "compat.favorites_create",
        "compat.favorites_destroy",
        "compat.favorites_list",
        "compat.favorites.favorites_create",
        "compat.favorites.favorites_destroy",
        "compat.favorites.favorites_list",
        "compat.Favorites",
        "compat.favorites.Favorites",
        "compat.configure",
    }
)
# Findings that compat serves: informational in code that already runs on compat.
_SERVED_CODES = frozenset(
    {
        "CPT101",
        "CPT102",
        "CPT103",
        "CPT104",
        "CPT105",
        "CPT111",
        "CPT112",
        "CPT113",
        "CPT114",
        "CPT115",
        "CPT201",
        "CPT202",
        "CPT203",
        "CPT204",
    }
)
_SEARCH_METHODS = frozenset(
    {"search", "search_tweets", "GetSearch", "search_recent_tweets", "search_all_tweets"}
)
_SCHEDULERS = frozenset({"do", "add_job", "enter", "enterabs", "every", "scheduled_job"})
_TWITTER_MODULES = frozenset({"tweepy", "twitter", "twython", "TwitterAPI", "birdy", "peony"})
_FIELDS: dict[str, str] = {
    "favorited": "CPT201",
    "favourites_count": "CPT202",
    "favorite_count": "CPT203",
}
_NOTIFY_KEYWORD = "wait_on_rate_limit_notify"
_PY2_HINTS: tuple[str, ...] = (
    "Missing parentheses in call to 'print'",
    "Missing parentheses in call to 'exec'",
    "multiple exception types must be parenthesized",
    "leading zeros in decimal integer literals",
)
_PY2_STATEMENT_LINES = ("print ", "print\t", "exec ", "raise ")

# --- URL patterns (applied to string values, never to code) --------------------------------

_PLACEHOLDER = "{}"
_FIELD_RE = re.compile(r"\{[^{}]*\}")
_PERCENT_RE = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdirfxXo]")
_URL_RE = re.compile(
    r"(?:^|/)(?P<ver>1(?:\.1)?)/favorites"
    r"(?:/(?P<ep>create|destroy|list|\{\})(?:/(?:\d+|\{\}))?)?(?P<json>\.json)?"
    r"(?=$|[?#&/\s'\"])"
)
_SHORT_RE = re.compile(
    r"^(?:\{\})?/?favorites/(?P<ep>create|destroy|list)(?:/(?:\d+|\{\}))?\.json(?=$|[?#&])"
)
_ENDPOINT_ARG_RE = re.compile(
    r"^/?(?:1\.1/)?favorites/(?P<ep>create|destroy|list)(?:/(?:\d+|\{\}|:id))?(?:\.json)?$"
)
_BARE_RE = re.compile(r"^favorites/(?:create|destroy|list)$")
_TWITTER_HOSTS = ("twitter.com", "x.com")


def _host_of(value: str) -> str | None:
    if "://" in value:
        return value.split("://", 1)[1].split("/", 1)[0].split("?", 1)[0]
    first = value.split("/", 1)[0]
    if "." in first and first.endswith(_TWITTER_HOSTS) and "{" not in first:
        return first
    return None


def _is_twitter_host(host: str) -> bool:
    host = host.rsplit("@", 1)[-1].split(":", 1)[0].lower()
    return any(host == h or host.endswith("." + h) for h in _TWITTER_HOSTS)


def _endpoint_for(ep: str | None, ver: str, has_json: bool) -> str | None:
    if ep is None:
        # v1 `1/favorites.json` was the list endpoint; `1.1/favorites` alone is not a URL.
        return "favorites/list" if ver == "1" and has_json else None
    if ep == _PLACEHOLDER:
        return "favorites/*"
    return f"favorites/{ep}"


def match_url(value: str, *, evidence: bool) -> tuple[str, Confidence] | None:
    """The v1.1 favorites endpoint a string value names, with the confidence, or None.

    ``value`` may hold ``{}`` placeholders for the parts only known at run time.

    >>> match_url("https://api.twitter.com/1.1/favorites/create.json?id=1", evidence=False)
    ('favorites/create', 'high')
    >>> match_url("https://example.com/api/favorites/list", evidence=True) is None
    True
    """
    value = _FIELD_RE.sub(_PLACEHOLDER, value)
    host = _host_of(value)
    twitter_host = host is not None and _is_twitter_host(host)
    if host is not None and not twitter_host and _PLACEHOLDER not in host:
        return None  # another API's URL
    for m in _URL_RE.finditer(value):
        endpoint = _endpoint_for(m["ep"], m["ver"], m["json"] is not None)
        if endpoint is None:
            continue
        confidence: Confidence = "high" if twitter_host or evidence else "low"
        return endpoint, confidence
    if evidence and host is None:
        short = _SHORT_RE.match(value)
        if short:
            return f"favorites/{short['ep']}", "low"
    return None


def _endpoint_argument(value: str) -> str | None:
    """The endpoint of a generic ``request('favorites/create')``-style argument."""
    value = _FIELD_RE.sub(_PLACEHOLDER, value).split("?", 1)[0]
    if "://" in value:
        host = _host_of(value)
        if host is None or not _is_twitter_host(host):
            return None
        value = value.split("://", 1)[1].split("/", 1)[-1]
    m = _ENDPOINT_ARG_RE.match(value)
    if m:
        return f"favorites/{m['ep']}"
    return companions.endpoint_of_argument(value)


# --- pass 1: the module index ----------------------------------------------------------------


def _dotted(node: ast.expr) -> str | None:
    """``a.b.c`` for a chain of attributes on a name, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


@dataclass
class _Index:
    imports: dict[str, str] = field(default_factory=dict)  # local name -> qualified name
    constants: dict[str, str] = field(default_factory=dict)  # dotted name -> string value
    instances: dict[str, str] = field(default_factory=dict)  # dotted name -> library / local:X
    local_classes: dict[str, set[str]] = field(default_factory=dict)  # class -> method names
    client_subclasses: dict[str, str] = field(default_factory=dict)  # class -> library
    evidence: bool = False
    roots: set[str] = field(default_factory=set)  # top-level modules imported
    static_evidence: bool = False  # evidence from imports and host strings alone (pass 1)

    def qualname(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Name):
            return self.imports.get(node.id)
        if isinstance(node, ast.Attribute):
            base = self.qualname(node.value)
            return f"{base}.{node.attr}" if base else None
        if (
            isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) < 200
        ):  # "tweepy.API"
            try:
                parsed = ast.parse(node.value, mode="eval").body
            except SyntaxError:
                return None
            return self.qualname(parsed) if isinstance(parsed, ast.Name | ast.Attribute) else None
        return None

    def class_library(self, node: ast.expr) -> str | None:
        """The client library of the class ``node`` names (a subclass counts)."""
        qualname = self.qualname(node)
        if qualname in _CLIENT_CLASSES:
            return _CLIENT_CLASSES[qualname]
        if isinstance(node, ast.Name) and node.id in self.client_subclasses:
            return self.client_subclasses[node.id]
        return None

    def type_of(self, node: ast.expr) -> str | None:
        """``"tweepy"`` etc. for a client instance, ``"local:Cls"`` for a local class's."""
        if isinstance(node, ast.Call):
            library = self.class_library(node.func)
            if library:
                return library
            if isinstance(node.func, ast.Name) and node.func.id in self.local_classes:
                return "local:" + node.func.id
            return None
        dotted = _dotted(node)
        return self.instances.get(dotted) if dotted else None

    def static_str(self, node: ast.expr, seen: set[int] | None = None) -> str | None:
        """The value of a string expression, ``{}`` for the parts known only at run time."""
        if seen is not None:
            seen.add(id(node))
        if isinstance(node, ast.Constant):
            return node.value if isinstance(node.value, str) else None
        if isinstance(node, ast.JoinedStr):
            parts: list[str] = []
            for part in node.values:
                if seen is not None:
                    seen.add(id(part))
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    parts.append(part.value)
                elif isinstance(part, ast.FormattedValue):
                    name = _dotted(part.value)
                    known = self.constants.get(name) if name else None
                    parts.append(known if known is not None else _PLACEHOLDER)
            return "".join(parts)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left = self.static_str(node.left, seen)
            right = self.static_str(node.right, seen)
            if left is None and right is None:
                return None
            return (left if left is not None else _PLACEHOLDER) + (
                right if right is not None else _PLACEHOLDER
            )
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            left = self.static_str(node.left, seen)
            return _PERCENT_RE.sub(_PLACEHOLDER, left) if left is not None else None
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format"
        ):
            template = self.static_str(node.func.value, seen)
            return _FIELD_RE.sub(_PLACEHOLDER, template) if template is not None else None
        if isinstance(node, ast.Name | ast.Attribute):
            name = _dotted(node)
            return self.constants.get(name) if name else None
        return None


def _class_constants(index: _Index, cls: ast.ClassDef) -> None:
    for stmt in cls.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = stmt.targets[0]
            if isinstance(target, ast.Name):
                value = index.static_str(stmt.value)
                if value is not None:
                    index.constants[f"{cls.name}.{target.id}"] = value
                    index.constants[f"self.{target.id}"] = value
                    index.constants[f"cls.{target.id}"] = value


def _build_index(tree: ast.Module) -> _Index:
    index = _Index()
    bindings: list[tuple[str, ast.expr, bool]] = []  # (target, expr, expr is an annotation)
    module_assigns: dict[str, int] = {}
    prose = {  # docstrings and bare string statements: comments, not evidence
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    index.imports[alias.asname] = alias.name
                else:
                    root = alias.name.split(".", 1)[0]
                    index.imports[root] = root
                index.roots.add(alias.name.split(".", 1)[0])
                if alias.name.split(".", 1)[0] in _TWITTER_MODULES:
                    index.evidence = True
        elif isinstance(node, ast.ImportFrom):
            if node.level or not node.module:
                continue
            index.roots.add(node.module.split(".", 1)[0])
            if node.module.split(".", 1)[0] in _TWITTER_MODULES:
                index.evidence = True
            for alias in node.names:
                index.imports[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.ClassDef):
            index.local_classes[node.name] = {
                s.name for s in node.body if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)
            }
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                name = _dotted(target)
                if name:
                    bindings.append((name, node.value, False))
        elif isinstance(node, ast.AnnAssign):
            name = _dotted(node.target)
            if name:
                bindings.append((name, node.annotation, True))
                if node.value is not None:
                    bindings.append((name, node.value, False))
        elif isinstance(node, ast.NamedExpr):
            bindings.append((node.target.id, node.value, False))
        elif isinstance(node, ast.arg) and node.annotation is not None:
            bindings.append((node.arg, node.annotation, True))
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in prose
            and ("api.twitter.com" in node.value or "api.x.com" in node.value)
        ):
            index.evidence = True
    # Subclasses of client classes (now that imports are known), then `self` inside them.
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for base in node.bases:
                library = index.class_library(base)
                if library:
                    index.client_subclasses[node.name] = library
    # Module-level string constants, in order; a name bound twice is not a constant.
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign | ast.AnnAssign):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    module_assigns[target.id] = module_assigns.get(target.id, 0) + 1
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = stmt.targets[0]
            if isinstance(target, ast.Name) and module_assigns.get(target.id) == 1:
                value = index.static_str(stmt.value)
                if value is not None:
                    index.constants[target.id] = value
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            _class_constants(index, node)
    # Client instances: iterate to a fixpoint so that copies (`b = a`) resolve too.
    changed = True
    rounds = 0
    while changed and rounds < _BINDING_ROUNDS:
        changed = False
        rounds += 1
        for bound, expr, is_annotation in bindings:
            if bound in index.instances:
                continue
            kind = index.class_library(expr) if is_annotation else index.type_of(expr)
            if kind:
                index.instances[bound] = kind
                changed = True
    index.static_evidence = index.evidence
    return index


# --- pass 2: the finder ------------------------------------------------------------------------


class _Finder(ast.NodeVisitor):
    def __init__(self, source: str, path: str, index: _Index) -> None:
        self.source = source
        self.path = path
        self.index = index
        self.lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.findings: list[Finding] = []
        self.consumed: set[int] = set()
        self.legacy_nodes: set[int] = set()  # calls whose result is a v1.1 status / list
        self.legacy_names: set[str] = set()  # names bound to such results
        self.call_of_arg: dict[int, ast.Call] = {}
        self.class_stack: list[str] = []
        self._seen: set[tuple[str, int, int]] = set()
        self.nodes = 0  # nodes visited (the linearity tests count them)
        self.context: list[ast.AST] = []  # enclosing loops, ifs and functions
        self.likes: list[tuple[ast.Call, Confidence, list[ast.AST]]] = []
        self.installs = False  # calls compat.install()
        self.uses_compat = False  # calls compat's install() or drop-in functions
        self.scheduled: set[str] = set()  # function names handed to a scheduler
        self._bytes: dict[int, bytes] = {}
        self._cursor: dict[int, tuple[int, int]] = {}

    def visit(self, node: ast.AST) -> None:
        self.nodes += 1
        super().visit(node)

    # -- helpers

    def _encoded(self, line: int) -> bytes:
        data = self._bytes.get(line)
        if data is None:
            text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
            data = text.encode("utf-8", "surrogatepass")
            self._bytes[line] = data
        return data

    def _column(self, line: int, col_offset: int) -> int:
        """1-based character column of a UTF-8 byte offset; each line's bytes are decoded
        forward from the last offset asked, so many findings on one long line stay linear."""
        data = self._encoded(line)
        if len(data) == len(self.lines[line - 1] if 0 < line <= len(self.lines) else ""):
            return col_offset + 1  # ASCII
        start_byte, start_char = self._cursor.get(line, (0, 0))
        if col_offset < start_byte:
            start_byte, start_char = 0, 0
        chars = start_char + len(data[start_byte:col_offset].decode("utf-8", "replace"))
        self._cursor[line] = (col_offset, chars)
        return chars + 1

    def _segment(self, node: ast.AST) -> str:
        """The node's source text, cut at :data:`LEGACY_MAX` characters (never the whole
        source split per finding, which made findings × size quadratic)."""
        first = getattr(node, "lineno", None)
        last = getattr(node, "end_lineno", None)
        start = getattr(node, "col_offset", None)
        end = getattr(node, "end_col_offset", None)
        if first is None or last is None or start is None or end is None:
            return ""
        parts: list[str] = []
        size = 0
        for line in range(first, last + 1):
            data = self._encoded(line)
            lo = start if line == first else 0
            hi = end if line == last else len(data)
            piece = data[lo : min(hi, lo + LEGACY_MAX * 4)].decode("utf-8", "replace")
            parts.append(piece)
            size += len(piece)
            if size >= LEGACY_MAX:
                break
        text = "\n".join(parts)
        return text if len(text) <= LEGACY_MAX else text[: LEGACY_MAX - 1] + "…"

    def _report(
        self,
        code: str,
        node: ast.expr | ast.keyword,
        confidence: Confidence,
        *,
        library: str | None = None,
        legacy: ast.AST | None = None,
        detail: str | None = None,
        endpoint: str | None = None,
        policy: str | None = None,
    ) -> None:
        key = (code, node.lineno, node.col_offset)
        if key in self._seen:
            return
        self._seen.add(key)
        end_line = node.end_lineno
        end_col = (
            self._column(end_line, node.end_col_offset)
            if end_line is not None and node.end_col_offset is not None
            else None
        )
        self.findings.append(
            Finding(
                code=code,
                path=self.path,
                line=node.lineno,
                column=self._column(node.lineno, node.col_offset),
                end_line=end_line,
                end_column=end_col,
                legacy=self._segment(legacy if legacy is not None else node),
                confidence=confidence,
                library=library,
                detail=detail,
                endpoint=endpoint
                if endpoint is not None and not endpoint.startswith("favorites/")
                else None,
                policy=policy,
            )
        )
        if code.startswith("CPT1"):
            self.index.evidence = True

    def _like(self, node: ast.Call, confidence: Confidence) -> None:
        """A call that likes a post: checked for automated liking once the module is read."""
        self.likes.append((node, confidence, list(self.context)))

    def _policy_pattern(self, context: list[ast.AST]) -> str | None:
        loops = [c for c in context if isinstance(c, ast.For | ast.AsyncFor | ast.While)]
        for c in context:
            if isinstance(c, ast.For | ast.AsyncFor) and _calls_named(c.iter, _SEARCH_METHODS):
                return "search"
        for c in context:
            if isinstance(c, ast.If) and _keyword_test(c.test):
                return "keyword"
            if isinstance(c, ast.comprehension) and any(_keyword_test(t) for t in c.ifs):
                return "keyword"
        functions = [
            c.name for c in context if isinstance(c, ast.FunctionDef | ast.AsyncFunctionDef)
        ]
        if any(name in self.scheduled for name in functions):
            return "schedule"
        if any(_calls_named(c, frozenset({"sleep"})) for c in loops):
            return "schedule"
        if loops or any(isinstance(c, ast.comprehension) for c in context):
            return "loop"
        return None

    def finish(self) -> None:
        """Report CPT301 for the likes the module makes automatically."""
        for node, confidence, context in self.likes:
            pattern = self._policy_pattern(context)
            if pattern is None:
                continue
            sure: Confidence = confidence if pattern != "loop" or confidence == "low" else "medium"
            self._report("CPT301", node, sure, detail=None, policy=pattern)

    def _is_own_method(self, receiver: ast.expr, method: str, kind: str | None) -> bool:
        """True when ``receiver.method`` is a method the module defines itself."""
        if kind and kind.startswith("local:"):
            return method in self.index.local_classes.get(kind[6:], set())
        if isinstance(receiver, ast.Name) and receiver.id in {"self", "cls"} and self.class_stack:
            return method in self.index.local_classes.get(self.class_stack[-1], set())
        return False

    def _receiver_kind(self, receiver: ast.expr) -> str | None:
        kind = self.index.type_of(receiver)
        if (
            kind is None
            and isinstance(receiver, ast.Name)
            and receiver.id in {"self", "cls"}
            and self.class_stack
        ):
            kind = self.index.client_subclasses.get(self.class_stack[-1])
        return kind

    def _bind_results(self, target: ast.expr) -> None:
        name = _dotted(target)
        if name:
            self.legacy_names.add(name)
        elif isinstance(target, ast.Tuple | ast.List):
            for elt in target.elts:
                self._bind_results(elt)

    def _yields_legacy(self, node: ast.expr) -> bool:
        if id(node) in self.legacy_nodes:
            return True
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"items", "pages"}
            and id(node.func.value) in self.legacy_nodes
        ):
            return True
        name = _dotted(node)
        return name is not None and name in self.legacy_names

    def _field_confidence(self, base: ast.expr) -> Confidence | None:
        node = base
        while True:
            name = _dotted(node)
            if name is not None and _has_prefix(name, self.legacy_names):
                return "high"
            if isinstance(node, ast.Attribute | ast.Subscript):
                node = node.value
                continue
            if isinstance(node, ast.Call) and id(node) in self.legacy_nodes:
                return "high"
            break
        return "low" if self.index.evidence else None

    # -- statements whose order matters

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.class_stack.append(node.name)
        self.generic_visit(node)
        self.class_stack.pop()

    def visit_Expr(self, node: ast.Expr) -> None:
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return  # docstrings and bare string statements read like comments
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        for target in node.targets:
            if id(node.value) in self.legacy_nodes:
                self._bind_results(target)
            self.visit(target)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)
            if id(node.value) in self.legacy_nodes:
                self._bind_results(node.target)
        self.visit(node.annotation)
        self.visit(node.target)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        if id(node.value) in self.legacy_nodes:
            self._bind_results(node.target)

    def _visit_loop(self, node: ast.For | ast.AsyncFor) -> None:
        self.visit(node.iter)
        if self._yields_legacy(node.iter):
            self._bind_results(node.target)
        self.visit(node.target)
        self._visit_branches(node)

    def visit_While(self, node: ast.While) -> None:
        self.visit(node.test)
        self._visit_branches(node)

    def visit_If(self, node: ast.If) -> None:
        self.visit(node.test)
        self._visit_branches(node)

    def _visit_branches(self, node: ast.For | ast.AsyncFor | ast.While | ast.If) -> None:
        """The body inside ``node``'s context (a loop or a condition), then ``orelse``."""
        self.context.append(node)
        for stmt in node.body:
            self.visit(stmt)
        self.context.pop()
        for stmt in node.orelse:
            self.visit(stmt)

    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for decorator in node.decorator_list:
            name = _dotted(decorator.func if isinstance(decorator, ast.Call) else decorator)
            if name and ("schedul" in name.lower() or name.rsplit(".", 1)[-1] in _SCHEDULERS):
                self.scheduled.add(node.name)
        self.context.append(node)
        self.generic_visit(node)
        self.context.pop()

    visit_FunctionDef = _visit_function
    visit_AsyncFunctionDef = _visit_function

    visit_For = _visit_loop
    visit_AsyncFor = _visit_loop

    def _visit_generators(self, generators: list[ast.comprehension]) -> None:
        for gen in generators:
            self.visit(gen.iter)
            if self._yields_legacy(gen.iter):
                self._bind_results(gen.target)
            self.visit(gen.target)
            for cond in gen.ifs:
                self.visit(cond)
            self.context.append(gen)

    def _leave_generators(self, generators: list[ast.comprehension]) -> None:
        del self.context[len(self.context) - len(generators) :]

    def visit_ListComp(self, node: ast.ListComp) -> None:
        self._visit_generators(node.generators)
        self.visit(node.elt)
        self._leave_generators(node.generators)

    visit_SetComp = visit_ListComp  # type: ignore[assignment]
    visit_GeneratorExp = visit_ListComp  # type: ignore[assignment]

    def visit_DictComp(self, node: ast.DictComp) -> None:
        self._visit_generators(node.generators)
        self.visit(node.key)
        self.visit(node.value)
        self._leave_generators(node.generators)

    # -- strings

    def _check_string(self, node: ast.expr) -> None:
        if id(node) in self.consumed:
            return
        parts: set[int] = set()
        value = self.index.static_str(node, parts)
        self.consumed.update(parts)  # sub-expressions are never re-read: linear in the chain
        if value is None:
            return
        match = match_url(value, evidence=self.index.static_evidence)
        if match is None:
            match = _match_companion_url(value, evidence=self.index.static_evidence)
        if match is None:
            return
        endpoint, confidence = match
        code = "CPT114" if endpoint == "favorites/*" else rule_for_endpoint("url", endpoint).code
        call = self.call_of_arg.get(id(node))
        self._report(
            code, node, confidence, library="raw HTTP", legacy=call or node, endpoint=endpoint
        )
        if endpoint == "favorites/create" and call is not None:
            self._like(call, confidence)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str):
            self._check_string(node)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        self._check_string(node)
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        if isinstance(node.op, ast.Add | ast.Mod):
            self._check_string(node)
        self.generic_visit(node)

    # -- attributes, subscripts, calls

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if id(node) not in self.consumed and isinstance(node.ctx, ast.Load):
            if node.attr in _FIELDS:
                confidence = self._field_confidence(node.value)
                if confidence:
                    self._report(_FIELDS[node.attr], node, confidence)
            kind = self._receiver_kind(node.value)
            endpoint = _METHODS.get(kind or "", {}).get(node.attr)
            if kind and endpoint:  # a bound method passed on: pool.map(api.create_favorite, ids)
                code = rule_for_endpoint("call", endpoint).code
                self._report(code, node, "high", library=kind, detail="method reference")
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        key = node.slice
        if (
            isinstance(node.ctx, ast.Load)
            and isinstance(key, ast.Constant)
            and isinstance(key.value, str)
            and key.value in _FIELDS
        ):
            confidence = self._field_confidence(node.value)
            if confidence:
                self._report(_FIELDS[key.value], node, confidence)
            self.consumed.add(id(key))
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        for arg in node.args:
            self.call_of_arg[id(arg)] = node
        for kw in node.keywords:
            self.call_of_arg[id(kw.value)] = node
            if kw.arg == _NOTIFY_KEYWORD:
                resolved = self.index.class_library(node.func) == "tweepy"
                self._report("CPT204", kw, "high" if resolved else "low", library="tweepy")
        func = node.func
        qualname = self.index.qualname(func)
        if qualname in _COMPAT_INSTALL:
            self.installs = self.uses_compat = True
        elif qualname in _COMPAT_DROPINS:
            self.uses_compat = True
            if qualname.endswith("favorites_create"):
                self._like(node, "high")
        if isinstance(func, ast.Attribute) and func.attr in _SCHEDULERS:
            for arg in [*node.args, *(kw.value for kw in node.keywords)]:
                if isinstance(arg, ast.Name):
                    self.scheduled.add(arg.id)
        if self._check_tools_chain(node):
            self.generic_visit(node)
            return
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "get"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and node.args[0].value in _FIELDS
        ):  # status.get("favorited")
            confidence = self._field_confidence(func.value)
            if confidence:
                self._report(_FIELDS[str(node.args[0].value)], node, confidence)
            self.generic_visit(node)
            return
        if isinstance(func, ast.Attribute) and func.attr == "format":
            self._check_string(node)
        elif self._check_cursor(node):
            pass
        elif isinstance(func, ast.Attribute):
            self._check_method_call(node, func)
        self.generic_visit(node)

    def _check_cursor(self, node: ast.Call) -> bool:
        func = node.func
        qualname = self.index.qualname(func)
        if qualname in _CURSOR_CLASSES:
            cursor_resolved = True
        elif _dotted(func) in {"Cursor", "tweepy.Cursor"} and self.index.evidence:
            cursor_resolved = False
        else:
            return False
        method = node.args[0] if node.args else None
        if method is None:
            method = next((kw.value for kw in node.keywords if kw.arg == "method"), None)
        if not isinstance(method, ast.Attribute) or method.attr not in {
            "favorites",
            "get_favorites",
        }:
            return False
        kind = self._receiver_kind(method.value)
        if kind is not None and kind != "tweepy":
            return False
        confidence: Confidence = "high" if cursor_resolved and kind == "tweepy" else "low"
        self.consumed.add(id(method))
        self.legacy_nodes.add(id(node))
        self._report("CPT104", node, confidence, library="tweepy")
        return True

    def _check_tools_chain(self, node: ast.Call) -> bool:
        """python-twitter-tools: ``t.statuses.user_timeline(...)`` is statuses/user_timeline."""
        parts: list[str] = []
        base: ast.expr = node.func
        while isinstance(base, ast.Attribute):
            parts.append(base.attr)
            base = base.value
            if self.index.type_of(base) == "python-twitter-tools":
                break
        else:
            return False
        if len(parts) < 2:
            return False
        endpoint = "/".join(reversed(parts))
        if endpoint not in companions.V11 and not companions.served(endpoint):
            return False
        self.consumed.add(id(node.func))
        self.legacy_nodes.add(id(node))
        rule = rule_for_endpoint("call", endpoint)
        self._report(rule.code, node, "high", library="python-twitter-tools", endpoint=endpoint)
        if endpoint == "favorites/create":
            self._like(node, "high")
        return True

    def _check_method_call(self, node: ast.Call, func: ast.Attribute) -> None:
        receiver, method = func.value, func.attr
        kind = self._receiver_kind(receiver)
        endpoint: str | None = None
        confidence: Confidence = "high"
        library: str | None = kind
        detail: str | None = None
        if kind == "tweepy v2":
            if method == "like":
                self._like(node, "high")
            return
        if kind is not None and not kind.startswith("local:"):
            endpoint = _METHODS[kind].get(method) or companions.METHODS.get(kind, {}).get(method)
            if endpoint is None and method in _GENERIC.get(kind, frozenset()):
                endpoint = self._generic_endpoint(node)
        elif kind is None and self.index.qualname(receiver) is None:
            if self._is_own_method(receiver, method, kind):
                return
            confidence = "low"
            if method in _GUESSED:
                endpoint, library = _GUESSED[method]
                detail = "receiver not resolved; guessed from the method name"
            elif method == "favorites" and self.index.evidence:
                endpoint, library = "favorites/list", "tweepy 3"
                detail = "receiver not resolved; guessed from the method name"
            elif method == "favorite" and not node.args and "tweepy" in self.index.roots:
                # tweepy's Status.favorite() sends favorites/create (tweet.favorite() in bots)
                endpoint, library = "favorites/create", "tweepy"
                detail = "tweepy Status.favorite() calls favorites/create"
                if self._field_confidence(receiver) == "high":
                    confidence = "high"
            elif method in _GUESSED_COMPANIONS and self.index.evidence:
                endpoint = next(
                    e for table in companions.METHODS.values() if (e := table.get(method))
                )
                library = "tweepy, python-twitter or Twython"
                detail = "receiver not resolved; guessed from the method name"
            elif method in _ANY_GENERIC and self.index.evidence:
                # only the bare Twython/TwitterAPI form; URLs are left to the URL rule
                endpoint = self._generic_endpoint(node, bare_only=True)
                library = "Twython or TwitterAPI"
                detail = "receiver not resolved; guessed from the endpoint argument"
        if endpoint is None:
            return
        self.consumed.add(id(func))
        self.legacy_nodes.add(id(node))
        code = rule_for_endpoint("call", endpoint).code
        self._report(code, node, confidence, library=library, detail=detail, endpoint=endpoint)
        if endpoint == "favorites/create":
            self._like(node, confidence)

    def _generic_endpoint(self, node: ast.Call, *, bare_only: bool = False) -> str | None:
        arg = node.args[0] if node.args else None
        if arg is None:
            arg = next((k.value for k in node.keywords if k.arg in {"endpoint", "resource"}), None)
        if arg is None:
            return None
        parts: set[int] = set()
        value = self.index.static_str(arg, parts)
        if value is None or (
            bare_only
            and not _BARE_RE.match(value)
            and companions.endpoint_of_argument(value) is None
        ):
            return None
        endpoint = _endpoint_argument(value)
        if endpoint is not None:
            self.consumed.update(parts)
        return endpoint


# --- files ------------------------------------------------------------------------------------


def _has_prefix(name: str, names: set[str]) -> bool:
    """``name`` or one of its dotted prefixes is in ``names`` (per part, not per name: linear)."""
    if name in names:
        return True
    at = name.find(".")
    while at >= 0:
        if name[:at] in names:
            return True
        at = name.find(".", at + 1)
    return False


def _calls_named(node: ast.AST, names: frozenset[str]) -> bool:
    """Whether ``node`` holds a call of a function or method with one of ``names``."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            func = sub.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in names:
                return True
    return False


def _keyword_test(test: ast.expr) -> bool:
    """A test choosing posts by text: ``"word" in text``, ``text.startswith("#")``,
    ``re.search(...)``, ``any(k in t for k in KEYWORDS)``."""
    for sub in ast.walk(test):
        if isinstance(sub, ast.Compare) and any(
            isinstance(op, ast.In | ast.NotIn) for op in sub.ops
        ):
            sides = [sub.left, *sub.comparators]
            if any(isinstance(x, ast.Constant) and isinstance(x.value, str) for x in sides):
                return True
            if any(
                (
                    isinstance(x, ast.Name | ast.Attribute)
                    and "keyword" in (_dotted(x) or "").lower()
                )
                or "hashtag" in (_dotted(x) or "").lower()
                for x in sides
            ):
                return True
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute):
            if sub.func.attr in {"search", "match", "fullmatch", "findall"} and _dotted(
                sub.func.value
            ) in {"re", "regex"}:
                return True
            if sub.func.attr in {"startswith", "endswith"} and any(
                isinstance(a, ast.Constant) and isinstance(a.value, str) and a.value.startswith("#")
                for a in sub.args
            ):
                return True
    return False


def _match_companion_url(value: str, *, evidence: bool) -> tuple[str, Confidence] | None:
    """The v1.1 companion endpoint a URL names (``…/1.1/statuses/update.json``), or None."""
    value = _FIELD_RE.sub(_PLACEHOLDER, value)
    host = _host_of(value)
    twitter_host = host is not None and _is_twitter_host(host)
    if host is not None and not twitter_host:
        return None
    if not twitter_host and not evidence:
        return None
    endpoint = companions.endpoint_of_path(value)
    if endpoint is None:
        return None
    return endpoint, "high" if twitter_host else "low"


def _decode(data: bytes) -> str:
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding)


def _looks_like_python2(exc: SyntaxError) -> bool:
    message = exc.msg or ""
    if any(hint in message for hint in _PY2_HINTS):
        return True
    text = (exc.text or "").strip()
    if "`" in text or "<>" in text:
        return True
    return text.startswith(_PY2_STATEMENT_LINES) and message.startswith("invalid syntax")


def _undecodable(data: bytes, path: str, exc: Exception) -> Finding:
    """CPT902 at the first byte that does not decode (as the cookie says, else as UTF-8)."""
    bad = exc if isinstance(exc, UnicodeDecodeError) else None
    if bad is None:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as utf8_error:
            bad = utf8_error
    if bad is None:  # a coding cookie naming an unknown codec
        return Finding("CPT902", path, 1, 1, detail=f"{type(exc).__name__}: {exc}")
    before = data[: bad.start]
    line = before.count(b"\n") + 1
    column = len(before) - (before.rfind(b"\n") + 1) + 1
    byte = data[bad.start : bad.start + 1].hex()
    detail = f"byte 0x{byte} at offset {bad.start} does not decode as {bad.encoding}"
    return Finding("CPT902", path, line, column, detail=detail)


@dataclass
class ModuleResult:
    """What auditing one file found: ``findings`` (suppressions applied, CPT910 for unused
    ones), ``suppressed`` how many comments hid, ``installs``/``uses_compat`` whether it calls
    compat.install() / compat's drop-in functions, ``nodes`` AST nodes visited, ``bytes_read``."""

    findings: list[Finding]
    suppressed: int = 0
    installs: bool = False
    uses_compat: bool = False
    nodes: int = 0
    bytes_read: int = 0


def _audit_text(text: str, path: str) -> ModuleResult:
    try:
        with warnings.catch_warnings():  # "invalid escape sequence" & co. are not our findings
            warnings.simplefilter("ignore")
            tree = ast.parse(text, filename=path)
    except SyntaxError as exc:
        code = "CPT901" if _looks_like_python2(exc) else "CPT900"
        detail = f"{type(exc).__name__}: {exc.msg}"
        return ModuleResult([Finding(code, path, exc.lineno or 1, exc.offset or 1, detail=detail)])
    except (ValueError, RecursionError, MemoryError) as exc:  # NUL bytes, absurd nesting
        return ModuleResult([Finding("CPT900", path, 1, 1, detail=f"{type(exc).__name__}: {exc}")])
    nodes = 0
    try:
        index = _build_index(tree)
        had_evidence = index.evidence
        finder = _Finder(text, path, index)
        finder.visit(tree)
        nodes += finder.nodes
        if index.evidence and not had_evidence:  # a reported call/URL is evidence for the
            finder = _Finder(text, path, index)  # whole module, not just the lines after it
            finder.visit(tree)
            nodes += finder.nodes
        finder.finish()
    except RecursionError:
        detail = "RecursionError: nested too deeply to audit"
        return ModuleResult([Finding("CPT900", path, 1, 1, detail=detail)])
    found = finder.findings
    if finder.uses_compat:
        found = [
            dataclasses.replace(f, informational=True) if f.code in _SERVED_CODES else f
            for f in found
        ]
    kept, hidden, unused = gate.suppress(found, gate.parse_suppressions(text), path=path)
    return ModuleResult(
        sorted([*kept, *unused], key=Finding.sort_key),
        hidden,
        finder.installs,
        finder.uses_compat,
        nodes,
    )


def _audit_bytes(source: str | bytes, path: str) -> ModuleResult:
    if isinstance(source, bytes):
        try:
            text = _decode(source)
        except (SyntaxError, UnicodeDecodeError, LookupError) as exc:
            return ModuleResult([_undecodable(source, path, exc)])
    else:
        text = source
    return _audit_text(text, path)


def _audit_notebook(data: bytes, path: str) -> ModuleResult:
    """A notebook's code cells as one module (a notebook is one namespace), each finding
    moved back to its cell and line; a notebook whose cells do not parse together is
    audited cell by cell."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return ModuleResult([_undecodable(data, path, exc)])
    try:
        cells = notebook.cells(text)
    except notebook.NotebookError as exc:
        return ModuleResult([Finding("CPT900", path, 1, 1, detail=f"not a notebook: {exc}")])
    lines_in_file = notebook.file_lines(text, cells)
    result = _audit_cells(cells, path, lines_in_file)
    if any(f.rule.category == "parse" for f in result.findings) and len(cells) > 1:
        # one cell that does not parse must hide nothing else: audit the others together
        broken: list[Finding] = []
        good: list[notebook.Cell] = []
        for cell in cells:
            alone = _audit_text(cell.source, path)
            parse = [f for f in alone.findings if f.rule.category == "parse"]
            if parse:
                broken += [_in_cell(f, cell.index, 1, lines_in_file) for f in parse]
            else:
                good.append(cell)
        result = _audit_cells(good, path, lines_in_file)
        result.findings = sorted([*result.findings, *broken], key=Finding.sort_key)
    result.bytes_read = len(data)
    return result


def _audit_cells(
    cells: Sequence[notebook.Cell], path: str, lines_in_file: dict[tuple[int, int], int]
) -> ModuleResult:
    joined: list[str] = []
    starts: list[tuple[int, int, int]] = []  # (first line in the module, cell index, lines)
    line = 1
    for cell in cells:
        source = cell.source
        if source and not source.endswith("\n"):
            source += "\n"
        count = source.count("\n")
        starts.append((line, cell.index, count))
        joined.append(source)
        line += count
    result = _audit_text("".join(joined), path)
    result.findings = sorted(
        (_relocate(f, starts, lines_in_file) for f in result.findings), key=Finding.sort_key
    )
    return result


def _relocate(
    finding: Finding, starts: Sequence[tuple[int, int, int]], lines: dict[tuple[int, int], int]
) -> Finding:
    for first, index, _count in reversed(starts):
        if finding.line >= first:
            return _in_cell(finding, index, first, lines)
    return finding


def _in_cell(
    finding: Finding, index: int, first: int, lines: dict[tuple[int, int], int]
) -> Finding:
    line = finding.line - first + 1
    end = finding.end_line - first + 1 if finding.end_line is not None else None
    return dataclasses.replace(
        finding, line=line, end_line=end, cell=index, file_line=lines.get((index, line))
    )


def scan_source(source: str | bytes, path: str = "<string>") -> list[Finding]:
    """Audit one module's source; parse problems come back as CPT900–CPT902 findings.

    Usage::

        >>> [f.code for f in scan_source('print "hello"', "old.py")]
        ['CPT901']
        >>> scan_source(b"# caf\\xe9\\n", "latin1.py")[0].code
        'CPT902'
    """
    if path.endswith(NOTEBOOK_SUFFIX):
        data = source.encode("utf-8") if isinstance(source, str) else source
        return _audit_notebook(data, path).findings
    return _audit_bytes(source, path).findings


def audit_file(
    path: str | os.PathLike[str],
    display: str | None = None,
    *,
    max_file_size: int = gate.DEFAULT_MAX_FILE_SIZE,
) -> ModuleResult:
    """Audit one file, reading at most ``max_file_size`` bytes (a larger file is a CPT904
    finding, never read whole); an unreadable one is a CPT903 finding, never an exception."""
    shown = display if display is not None else os.fspath(path)
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_file_size:
                detail = f"{size:,} bytes, more than the cap of {max_file_size:,}"
                logger.info("audit.file_too_large path=%s size=%s", shown, size)
                return ModuleResult([Finding("CPT904", shown, 1, 1, detail=detail)])
            data = handle.read(max_file_size + 1)
    except OSError as exc:
        logger.warning(
            "cannot read %s (%s): it is not audited (finding CPT903). Check its permissions",
            shown,
            exc.strerror or exc,
            extra={"event": "audit.unreadable", "path": shown},
        )
        detail = f"{type(exc).__name__}: {exc.strerror}"
        return ModuleResult([Finding("CPT903", shown, 1, 1, detail=detail)])
    if len(data) > max_file_size:  # grew while read
        detail = f"more than the cap of {max_file_size:,} bytes"
        return ModuleResult([Finding("CPT904", shown, 1, 1, detail=detail)], bytes_read=len(data))
    if os.fspath(path).endswith(NOTEBOOK_SUFFIX):
        result = _audit_notebook(data, shown)
    else:
        result = _audit_bytes(data, shown)
    result.bytes_read = len(data)
    return result


def scan_file(path: str | os.PathLike[str], display: str | None = None) -> list[Finding]:
    """Audit one file; an unreadable file is a CPT903 finding, never an exception.

    ``display`` is the path to show in findings (default: ``path`` as given).

    Usage::

        >>> import pathlib, tempfile
        >>> bot = pathlib.Path(tempfile.mkdtemp()) / "bot.py"
        >>> _ = bot.write_text("from twython import Twython\\nTwython(k).get_favorites()\\n")
        >>> [(f.code, f.library) for f in scan_file(bot, "bot.py")]
        [('CPT103', 'Twython')]
        >>> scan_file(bot.parent / "missing.py", "missing.py")[0].code
        'CPT903'
    """
    return audit_file(path, display).findings


def _has_python_shebang(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            first = handle.readline(256)
    except OSError:
        return False
    return first.startswith(b"#!") and b"python" in first


def _display(path: str) -> str:
    return os.path.normpath(path).replace(os.sep, "/")


def discover(
    paths: Iterable[str | os.PathLike[str]], *, include_ignored: bool = False
) -> tuple[list[str], list[Finding]]:
    """The Python files and notebooks under ``paths`` (sorted, each once), and CPT903
    findings for directories that could not be listed.

    A file named on the command line is audited whatever its name; in directories, ``*.py``,
    ``*.pyw``, ``*.ipynb`` and extension-less scripts with a python shebang. Symlinked
    directories are followed once: a directory already visited (same device and inode) is never
    entered again, so symlink loops end. The walk is iterative: any depth of nesting.

    Usage::

        >>> import pathlib, tempfile
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> for rel in ("app/bot.py", ".venv/lib/x.py", "build/gen.py"):
        ...     (root / rel).parent.mkdir(parents=True, exist_ok=True)
        ...     _ = (root / rel).write_text("")
        >>> files, problems = discover([root])
        >>> [pathlib.Path(f).relative_to(root).as_posix() for f in files], problems
        (['app/bot.py'], [])
    """
    files: dict[tuple[int, int], str] = {}  # (device, inode) -> path, first seen order
    problems: list[Finding] = []
    seen_dirs: set[tuple[int, int]] = set()

    def add_file(path: str, st: os.stat_result) -> None:
        key = (st.st_dev, st.st_ino)
        known = files.get(key)
        if known is None or (os.path.islink(known) and not os.path.islink(path)):
            files[key] = path  # a file reached through a symlink is shown by its real name

    def walk(top: str) -> None:
        # an explicit stack (any depth of nesting), entries pushed in reverse name order so
        # that files come out in the order a recursive walk gives
        stack: list[tuple[str, bool]] = [(top, True)]
        while stack:
            path, is_directory = stack.pop()
            if not is_directory:
                with contextlib.suppress(OSError):  # gone since it was listed
                    add_file(path, os.stat(path))
                continue
            try:
                st = os.stat(path)
            except OSError:
                continue
            key = (st.st_dev, st.st_ino)
            if key in seen_dirs:
                logger.debug("audit.dir_seen path=%s", path)
                continue
            seen_dirs.add(key)
            try:
                with os.scandir(path) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as exc:
                logger.warning(
                    "cannot list the folder %s (%s): it is not audited (finding CPT903). "
                    "Check its permissions",
                    path,
                    exc.strerror or exc,
                    extra={"event": "audit.unreadable", "path": str(path)},
                )
                detail = f"{type(exc).__name__}: {exc.strerror}"
                problems.append(Finding("CPT903", _display(path), 1, 1, detail=detail))
                continue
            found: list[tuple[str, bool]] = []
            for entry in entries:
                try:
                    is_dir = entry.is_dir()  # follows symlinks
                    is_file = not is_dir and entry.is_file()
                except OSError:
                    continue
                if is_dir:
                    if not include_ignored and (
                        entry.name in IGNORED_DIRS
                        or entry.name.endswith(".egg-info")
                        or os.path.exists(os.path.join(entry.path, "pyvenv.cfg"))
                    ):
                        logger.debug("audit.dir_ignored path=%s", entry.path)
                        continue
                    found.append((entry.path, True))
                elif is_file:
                    name = entry.name
                    if name.endswith(PYTHON_SUFFIXES) or (
                        "." not in name and _has_python_shebang(entry.path)
                    ):
                        found.append((entry.path, False))
            stack.extend(reversed(found))

    for raw in paths:
        path = os.fspath(raw)
        try:
            st = os.stat(path)
        except OSError as exc:
            detail = f"{type(exc).__name__}: {exc.strerror}"
            problems.append(Finding("CPT903", _display(path), 1, 1, detail=detail))
            continue
        if stat.S_ISDIR(st.st_mode):
            walk(path)
        elif stat.S_ISREG(st.st_mode):
            add_file(path, st)
        else:  # a FIFO or device would block or never end
            detail = "not a regular file or directory"
            problems.append(Finding("CPT903", _display(path), 1, 1, detail=detail))
    return list(files.values()), problems


def _under(path: str, directories: Sequence[str]) -> bool:
    return any(path == d or path.startswith(d.rstrip(os.sep) + os.sep) for d in directories)


def _count_literal(legacy: str) -> int | None:
    """A literal ``count=N`` in the flagged call (the cost of a list depends on it)."""
    m = re.search(r"\bcount\s*=\s*(\d{1,6})\b", legacy)
    return int(m.group(1)) if m else None


# keywords by which a v1.1 read names another user than the authenticated one
_TARGET_KEYWORDS = frozenset({"id", "user_id", "screen_name", "user", "username", "screenname"})
# wrappers whose first argument is the legacy method itself, not a target
_PAGERS = frozenset({"Cursor", "Paginator"})


def _reads_own(legacy: str) -> bool:
    """Whether the flagged read names no other user: no target keyword and no positional
    argument (tweepy's ``favorites(id)``, python-twitter's ``GetFavorites(user_id)``), so it
    reads the authenticated user's own likes or posts. Unparseable (cut) text: not known,
    priced as another user's (the higher price)."""
    try:
        node = ast.parse(legacy.strip(), mode="eval").body
    except (SyntaxError, ValueError):
        return False
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    positional = node.args[1:] if name in _PAGERS else node.args
    if positional:
        return False
    return not any(k.arg in _TARGET_KEYWORDS or k.arg is None for k in node.keywords)


def _priced(finding: Finding, plan: Plan) -> Finding:
    endpoint = finding.v11_endpoint
    if endpoint is None or finding.rule.category not in {"call", "url", "policy"}:
        return finding
    if finding.code == "CPT301" or endpoint == "favorites/*":
        return finding
    own = endpoint in {"favorites/list", "statuses/user_timeline"} and _reads_own(finding.legacy)
    found = estimate(endpoint, plan, count=_count_literal(finding.legacy), owned=own)
    return dataclasses.replace(finding, estimate=found) if found is not None else finding


def scan(
    paths: Sequence[str | os.PathLike[str]],
    *,
    include_ignored: bool = False,
    progress: ProgressCallback | None = None,
    config: gate.GateConfig | None = None,
    root: str | None = None,
) -> Report:
    """Audit every Python file and notebook under ``paths`` and return the :class:`Report`.

    ``config`` (default: :class:`compat.audit.gate.GateConfig()`) selects codes, drops less
    sure findings, compares against a baseline and names the plan calls are priced on;
    ``root`` is the project root SARIF URIs and fingerprints are relative to (default: found
    upward from the paths, :func:`compat.audit.gate.find_root`). Findings in files that call
    compat's drop-in functions or ``compat.install()``, and in every file under the directory
    of a file that calls ``compat.install()``, are informational when compat serves them.

    Usage::

        >>> import pathlib, tempfile
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (root / "bot.py").write_text("import twitter\\napi = twitter.Api()\\n"
        ...                                  "api.GetFavorites(count=200)\\n")
        >>> report = scan([root])
        >>> [(f.code, f.line, f.library) for f in report.findings], report.exit_code
        ([('CPT103', 3, 'python-twitter')], 1)
    """
    config = config or gate.GateConfig(include_ignored=include_ignored)
    plan = get_plan(config.plan)
    files, findings = discover(paths, include_ignored=include_ignored or config.include_ignored)
    total = len(files)
    counters = Counters()
    installers: list[str] = []
    per_file: list[tuple[str, list[Finding]]] = []
    suppressed = 0
    for done, path in enumerate(files, start=1):
        shown = _display(path)
        result = audit_file(path, shown, max_file_size=config.max_file_size)
        logger.debug("audit.file path=%s findings=%s", shown, len(result.findings))
        counters.add(shown, result.nodes, result.bytes_read)
        suppressed += result.suppressed
        if result.installs:
            installers.append(os.path.dirname(os.path.abspath(path)))
        per_file.append((path, result.findings))
        if progress is not None:
            progress(done, total, shown)
    for path, found in per_file:
        if installers and _under(os.path.abspath(path), installers):
            found = [
                dataclasses.replace(f, informational=True) if f.code in _SERVED_CODES else f
                for f in found
            ]
        findings.extend(_priced(f, plan) for f in found)
    findings.sort(key=Finding.sort_key)
    return Report(
        findings=findings,
        files_scanned=total,
        paths=[_display(os.fspath(p)) for p in paths],
        counters=counters,
        suppressed=suppressed,
        plan=plan,
        root=root if root is not None else gate.find_root([os.fspath(p) for p in paths], None),
    ).gated(config)
