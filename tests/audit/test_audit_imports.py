"""How the audit is put together: no import cycles, the core writer apart from the auditor,
and the v2 figures read from the plans table (with the values the README's summaries show)."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import json
import pathlib
from collections.abc import Sequence
from types import MappingProxyType

import grimp
import pytest

import compat._auditlog
import compat.audit
import compat.audit.model
import compat.audit.report
import compat.audit.runtime
from compat import _v2
from compat._plans import get_plan
from compat._pricing import format_usd, micros
from compat.audit.model import V2Limit
from compat.audit.rules import RULES
from compat.ratelimit import RateLimit
from compat.transport import V2Call

AUDIT = pathlib.Path(compat.audit.__file__).parent


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("compat", cache_dir=None)  # no cache written into the checkout


def _audit_modules(graph: grimp.ImportGraph) -> list[str]:
    return sorted({"compat.audit", *graph.find_descendants("compat.audit")})


def test_audit_has_no_import_cycle(graph: grimp.ImportGraph) -> None:
    modules = _audit_modules(graph)
    assert "compat.audit.model" in modules
    cycles = []
    for importer in modules:
        for imported in graph.find_modules_directly_imported_by(importer) & set(modules):
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back is not None:
                cycles.append((importer, *back))
    assert cycles == []


def test_the_writer_does_not_import_the_auditor(graph: grimp.ImportGraph) -> None:
    assert not graph.chain_exists("compat._auditlog", "compat.audit", as_packages=True)
    assert not graph.chain_exists("compat._auditlog", "compat.favorites")
    # compat._pricing and compat.transport for type checking only (the import contract
    # ignores those): the pricer stands beside the writer in the layers
    assert graph.find_modules_directly_imported_by("compat._auditlog") <= {
        "compat.errors",
        "compat.ratelimit",
        "compat.transport",
        "compat._pricing",
    }
    source = pathlib.Path(compat._auditlog.__file__).read_text(encoding="utf-8")
    assert "\n    from compat._pricing import CallCost\n" in source  # under TYPE_CHECKING


def _hidden_imports(tree: ast.Module) -> list[str]:
    """compat.audit modules imported in a function body or under ``if TYPE_CHECKING:``."""
    found: list[str] = []

    def visit(node: ast.AST, hidden: bool) -> None:
        if hidden and isinstance(node, ast.ImportFrom | ast.Import):
            relative = "compat.audit." if isinstance(node, ast.ImportFrom) and node.level else ""
            names = [relative + (node.module or "")] if isinstance(node, ast.ImportFrom) else []
            names += [a.name for a in node.names] if isinstance(node, ast.Import) else []
            found.extend(n for n in names if n.startswith("compat.audit"))
        for child in ast.iter_child_nodes(node):
            inside = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) or (
                isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test)
            )
            visit(child, hidden or inside)

    visit(tree, False)
    return found


@pytest.mark.parametrize("path", sorted(AUDIT.glob("*.py")), ids=lambda p: p.name)
def test_no_audit_module_is_imported_out_of_sight(path: pathlib.Path) -> None:
    assert _hidden_imports(ast.parse(path.read_text(encoding="utf-8"))) == []


def test_hidden_imports_are_seen() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from compat.audit.runtime import RuntimeReport\n"
        "def f():\n    import compat.audit.report\n"
        "import compat.audit.rules\n"
    )
    assert _hidden_imports(ast.parse(source)) == ["compat.audit.runtime", "compat.audit.report"]


#: Public names as they were before the writer moved to compat._auditlog and the summary's
#: data to compat.audit.model: every one must stay importable from the same place.
PUBLIC_NAMES = {
    "compat.audit.runtime": (
        "LEGACY_ENDPOINTS LOG_VERSION V2_ENDPOINTS V2_LIMITS WINDOW_15MIN WINDOW_24H AuditLog "
        "CorruptLine ErrorCount LegacyUsage LimitUsage RuntimeReport SlowCall V2Limit V2Usage "
        "scrub_params summarise"
    ),
    "compat.audit.report": (
        "FORMATS JSON_VERSION RUNTIME_FORMATS SARIF_SCHEMA Renderable Report render "
        "render_runtime runtime_dict"
    ),
    "compat.audit": (
        "FORMATS IGNORED_DIRS RULES Finding Renderable Report Rule discover render scan "
        "scan_file scan_source"
    ),
}


@pytest.mark.parametrize("module", sorted(PUBLIC_NAMES))
def test_public_names_stay_where_they_were(module: str) -> None:
    imported = importlib.import_module(module)
    assert [n for n in PUBLIC_NAMES[module].split() if not hasattr(imported, n)] == []
    assert [n for n in imported.__all__ if not hasattr(imported, n)] == []


def test_moved_names_are_the_same_objects() -> None:
    runtime, model = compat.audit.runtime, compat.audit.model
    assert runtime.AuditLog is compat._auditlog.AuditLog
    assert runtime.scrub_params is compat._auditlog.scrub_params
    assert runtime.LOG_VERSION == compat._auditlog.LOG_VERSION == 2
    assert runtime.resource_digest is compat._auditlog.resource_digest
    assert runtime.RuntimeReport is compat.audit.report.RuntimeReport
    for name in model.__all__:
        assert getattr(runtime, name) is getattr(model, name)


# --- the v2 figures -----------------------------------------------------------------------------


def test_v2_limits_are_the_documented_ones() -> None:
    # pinned: the README's summaries and the projected 429s depend on these, in this order
    # (x-api_fundamentals_rate-limits.mdx, 2026-08-22; pay-per-use offers no likes)
    limits = compat.audit.runtime.V2_LIMITS
    assert limits == (
        V2Limit("liked_tweets", ("liked_tweets",), 900, 75),
        V2Limit("liked_tweets per app", ("liked_tweets",), 900, 75, "app"),
        V2Limit("tweets", ("tweets",), 900, 5000),
        V2Limit("tweets per app", ("tweets",), 900, 3500, "app"),
        V2Limit("users_me", ("users_me",), 900, 75),
        V2Limit("user_by_username", ("user_by_username",), 900, 900),
        V2Limit("user_by_username per app", ("user_by_username",), 900, 300, "app"),
    )
    enterprise = compat.audit.runtime.v2_limits(get_plan("enterprise"))
    assert enterprise[:4] == (
        V2Limit("like", ("like",), 900, 50),
        V2Limit("like/24 h", ("like",), 86400, 1000),
        V2Limit("unlike", ("unlike",), 900, 50),
        V2Limit("unlike/24 h", ("unlike",), 86400, 1000),
    )
    endpoints = compat.audit.runtime.V2_ENDPOINTS
    assert endpoints == (
        "like",
        "unlike",
        "liked_tweets",
        "tweets",
        "users_me",
        "user_by_username",
    )


@pytest.mark.parametrize("name", ["pay-per-use", "enterprise", "legacy-basic", "legacy-free"])
def test_v2_limits_follow_the_plans_table(name: str) -> None:
    plan = get_plan(name)
    runtime = compat.audit.runtime
    assert runtime.V2_ENDPOINTS is _v2.V2_ENDPOINTS
    expected = sorted(
        (endpoint, lim.window_s, lim.per, lim.requests)
        for endpoint in _v2.V2_ENDPOINTS
        if plan.terms(endpoint).available
        for lim in plan.terms(endpoint).limits
    )
    found = sorted(
        (e, lim.window_s, lim.per, lim.limit)
        for lim in runtime.v2_limits(plan)
        for e in lim.endpoints
    )
    assert found == expected
    assert all(lim.per in ("user", "app") for lim in runtime.v2_limits(plan))


def test_a_shared_window_is_one_limit_after_its_last_endpoint() -> None:
    plan = get_plan("enterprise")
    endpoints = dict(plan.endpoints)
    for name in ("like", "unlike"):
        terms = endpoints[name]
        endpoints[name] = dataclasses.replace(
            terms,
            limits=tuple(
                dataclasses.replace(lim, shared="likes-24h")
                if lim.window_s == _v2.WINDOW_24H
                else lim
                for lim in terms.limits
            ),
        )
    shared = dataclasses.replace(plan, endpoints=MappingProxyType(endpoints))
    names = [lim.name for lim in compat.audit.runtime.v2_limits(shared)]
    assert names[:3] == ["like", "unlike", "like+unlike"]


def _docs(endpoint: str) -> str:
    route = _v2.ROUTES[endpoint]
    return f"{route.method} " + route.path.replace("{", ":").replace("}", "")


def _price(plan: str, endpoint: str, owned: bool = False) -> str:
    price = get_plan(plan).terms(endpoint).price
    assert price is not None
    usd = price.owned_usd if owned else price.usd
    assert usd is not None
    return format_usd(micros(usd))


def test_rule_texts_quote_the_plans_table() -> None:
    enterprise, payg = get_plan("enterprise"), get_plan("pay-per-use")
    assert RULES["CPT101"].replacement is not None
    assert RULES["CPT101"].replacement.startswith(_docs("like") + " with JSON")
    assert RULES["CPT102"].replacement == _docs("unlike") + " (tweepy 4: Client.unlike)"
    assert f"check {_docs('liked_tweets')}." in RULES["CPT201"].advice
    write_limit = RULES["CPT101"].rate_limit or ""
    for endpoint in ("like", "unlike"):
        per_15 = enterprise.user_limit_15min(endpoint)
        assert f"v2: {per_15} requests/15 min per user" in write_limit
        day = enterprise.day_window(endpoint)
        assert day is not None and f"{day.requests}/24 h per user each" in write_limit
    assert "on Enterprise only (likes left the self-serve plans on 2026-04-20)" in write_limit
    list_limit = RULES["CPT103"].rate_limit or ""
    per_user, per_app = payg.user_limit_15min("liked_tweets"), payg.app_limit_15min("liked_tweets")
    assert f"v2 liked_tweets: {per_user}/15 min per user and {per_app}/15 min per app" in list_limit
    assert f"monthly cap of {payg.monthly_post_cap:,} post reads" in list_limit
    write_cost = RULES["CPT101"].cost or ""
    assert f"{_price('pay-per-use', 'tweets')} per post" in write_cost
    assert f"{_price('pay-per-use', 'users_me')} per user" in write_cost
    assert "Enterprise-only, custom price" in write_cost
    assert f"list prices {_price('pay-per-use', 'like')} and " in write_cost
    list_cost = RULES["CPT103"].cost or ""
    owned = _price("pay-per-use", "liked_tweets", owned=True)
    assert f"{owned} per post as Owned Reads" in list_cost


# --- the writer, as core code ---------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Outcome:
    """Not compat.favorites.Outcome: the writer only needs what its protocol names."""

    value: object
    calls: Sequence[V2Call]
    rate_limit: RateLimit
    missing: frozenset[str]


def test_the_writer_takes_any_outcome_and_drops_secrets(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "audit.jsonl"
    outcome = _Outcome(
        {"id": 1},
        (V2Call("POST", "/2/users/1/likes", 200, 1.23456, "like"),),
        RateLimit(limit=50, remaining=49, reset=1700000000, day_remaining=999),
        frozenset({"b", "a"}),
    )
    compat._auditlog.AuditLog(path).record(
        endpoint="favorites/create",
        params={"id": "1", "oauth_token": "sekrit", "consumer_secret": "sekrit"},
        caller="bot.py:3",
        outcome=outcome,
        error=None,
        latency_ms=2.0,
    )
    text = path.read_text(encoding="utf-8")
    assert "sekrit" not in text
    line = json.loads(text)
    assert line["params"] == {"id": "1"}
    assert line["v2_requests"] == [
        {
            "method": "POST",
            "path": "/2/users/1/likes",
            "status": 200,
            "ms": 1.235,
            "endpoint": "like",
        }
    ]
    assert line["rate_limit"] == {
        "limit": 50,
        "remaining": 49,
        "reset": 1700000000,
        "day_remaining": 999,
    }
    assert line["missing_fields"] == ["a", "b"]
