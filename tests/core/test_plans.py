"""The plans table (compat/_data/plans.json) against the docs it cites, and the API reading it.

Every value of the table names a copied docs page and line (tests/realdata/x-docs-2026/); the
checker below reads that line and requires the value written there the way the docs write it
(``1,000/24hrs``, ``1000 requests / 24 hours ... PER USER``, ``&dollar;0.010 per resource``), in
the right row, column and section. It also reads each endpoint's row from the plan's table
itself, so a value left out fails as well as a typo or a wrong line.
"""

from __future__ import annotations

import copy
import datetime
import functools
import hashlib
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import yaml

from compat import _plans
from compat._plans import DEFAULT_PLAN, PLAN_NAMES, get_plan, parse_table, plans, source_date
from compat._v2 import ROUTES, WINDOW_15MIN, WINDOW_24H
from compat.errors import ConfigurationError
from compat.ratelimit import RateLimit
from tests._support import CASSETTES, REALDATA, ROOT

DOCS = REALDATA / "x-docs-2026"
DATA = ROOT / "compat" / "_data" / "plans.json"

TODAY_TABLE = "x-api_fundamentals_rate-limits.mdx"
OLD_TABLE = "x-api_fundamentals_rate-limits.2025-12-01.mdx"
ABOUT = "x-api_getting-started_about-x-api.2025-12-01.mdx"
PRICING = "x-api_getting-started_pricing.mdx"
CHANGELOG = "changelog.mdx"
SLIDERS = "sliders.js"

#: the column each legacy plan reads in the 2025-12-01 tables
TIERS = {"legacy-pro": "Pro", "legacy-basic": "Basic", "legacy-free": "Free"}
#: the docs' page slug of each route: the cost estimator (sliders.js) keys its maps by it
SLUGS = {
    "like": "like-post",
    "unlike": "unlike-post",
    "liked_tweets": "get-liked-posts",
    "liking_users": "get-liking-users",
    "tweets": "get-posts-by-ids",
    "tweet": "get-post-by-id",
    "users_me": "get-my-user",
    "user_by_id": "get-user-by-id",
    "user_by_username": "get-user-by-username",
    "users": "get-users-by-ids",
    "users_by_usernames": "get-users-by-usernames",
    "user_tweets": "get-posts",
    "search_recent": "search-recent-posts",
}
#: how a removal names the endpoint: changelog.mdx says "Likes" for like and unlike alike
REMOVAL_WORDS = {
    "like": ("Likes", "`POST /2/users/:id/likes`"),
    "unlike": ("Likes", "`DELETE /2/users/:id/likes/:tweet_id`"),
}
TODAY_WINDOWS = {"15min": WINDOW_15MIN, "24hrs": WINDOW_24H, "sec": 1}
OLD_WINDOWS = {"15 mins": WINDOW_15MIN, "24 hours": WINDOW_24H, "second": 1}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
CITATION = re.compile(r"([\w.-]+\.(?:mdx|js)):(\d+)")

LimitKey = tuple[int, int, str]


#: copied for tests/core/test_failures_2026.py (the spec's key names, the reported bodies)
NOT_CITED = ("openapi.json", "shared-README.md")

# -- reading the copied docs -------------------------------------------------------------------


@functools.cache
def doc_lines(name: str) -> tuple[str, ...]:
    return tuple((DOCS / name).read_text(encoding="utf-8").splitlines())


def cited(source: str) -> tuple[str, int, str]:
    """(file, line number, text) of a ``file:LINE`` citation; ValueError if there is none."""
    name, _, number = source.rpartition(":")
    if not (DOCS / name).is_file() or not number.isdigit():
        raise ValueError(f"{source}: no such copied file")
    lines = doc_lines(name)
    if not 1 <= int(number) <= len(lines):
        raise ValueError(f"{source}: no such line")
    return name, int(number), lines[int(number) - 1]


def cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def table_header(name: str, number: int) -> list[str]:
    """The header cells of the markdown table ``name``'s line ``number`` belongs to."""
    lines = doc_lines(name)
    start = number - 1
    while start > 0 and lines[start - 1].lstrip().startswith("|"):
        start -= 1
    return cells(lines[start])


def docs_path(endpoint: str) -> str:
    """The route as the rate-limit tables write it: ``/2/users/:id/likes``."""
    return re.sub(r"\{(\w+)\}", r":\1", ROUTES[endpoint].path)


def today_row(endpoint: str) -> tuple[int, set[LimitKey], dict[str, list[str]]]:
    """Today's table: the row's line, its limits, and each column's entries as written."""
    route = ROUTES[endpoint]
    for number, line in enumerate(doc_lines(TODAY_TABLE), 1):
        row = cells(line) if line.startswith("|") else []
        if row[:2] == [route.method, f"`{docs_path(endpoint)}`"]:
            header = table_header(TODAY_TABLE, number)
            written: dict[str, list[str]] = {}
            limits: set[LimitKey] = set()
            for per, column in (("app", "Per App"), ("user", "Per User")):
                # "50/15min, 1,000/24hrs": entries part at a comma and a space
                entries = [e.strip() for e in re.split(r",\s+", row[header.index(column)])]
                written[per] = entries
                for entry in entries:
                    found = re.fullmatch(r"([\d,]+)/(15min|24hrs|sec)", entry)
                    if found:
                        requests = int(found[1].replace(",", ""))
                        limits.add((requests, TODAY_WINDOWS[found[2]], per))
            return number, limits, written
    raise AssertionError(f"{endpoint}: no row in {TODAY_TABLE}")


OLD_SEGMENT = re.compile(
    r"(\d[\d,]*) requests / (15 mins|24 hours|second)<br/><strong[^>]*>PER (USER|APP)</strong>"
)


def old_row(endpoint: str, tier: str) -> tuple[int, set[LimitKey]]:
    """The 2025-12-01 table: the line of ``tier``'s cell in the endpoint's row, its limits."""
    route = ROUTES[endpoint]
    lines = doc_lines(OLD_TABLE)
    anchor = f">{route.method} {docs_path(endpoint)}</a>"
    for number, line in enumerate(lines, 1):
        if 'data-label="Endpoint"' in line and anchor in line:
            for offset, cell in enumerate(lines[number:], number + 1):
                if "</tr>" in cell:
                    break
                if f'data-label="{tier} Limit"' in cell:
                    limits = {
                        (int(n.replace(",", "")), OLD_WINDOWS[w], per.lower())
                        for n, w, per in OLD_SEGMENT.findall(cell)
                    }
                    return offset, limits
    raise AssertionError(f"{endpoint}: no {tier} cell in {OLD_TABLE}")


def js_set(number: int) -> str:
    """The name of the ``const X = new Set([`` that sliders.js's line ``number`` is inside."""
    lines = doc_lines(SLIDERS)
    for index in range(number - 1, -1, -1):
        found = re.match(r"const (\w+) = new Set\(\[", lines[index])
        if found:
            return found[1]
        if index < number - 1 and "]);" in lines[index]:
            break  # the line is after the end of a set, in none
    return ""


@functools.cache
def price_categories() -> dict[str, str]:
    """sliders.js's displayMapping: price category -> the name the pricing page shows."""
    lines = doc_lines(SLIDERS)
    start = next(i for i, line in enumerate(lines) if "const displayMapping = {" in line)
    out = {}
    for line in lines[start + 1 :]:
        if line.strip().startswith("}"):
            break
        found = re.match(r"\s+'(\w+)': '([^']+)',?$", line)
        if found:
            out[found[1]] = found[2]
    return out


def same_category(a: str, b: str) -> bool:
    # The pricing page writes "Posts: Read" where the estimator writes "Post: Read".
    def norm(label: str) -> str:
        return re.sub(r"^(\w+?)s?:", r"\1:", label.strip())

    return norm(a) == norm(b)


def section(name: str, number: int) -> str:
    """The ``## `` heading line ``number`` of ``name`` is under."""
    for line in reversed(doc_lines(name)[:number]):
        if line.startswith("## "):
            return line[3:].strip()
    return ""


def owned_read_paths() -> set[str]:
    lines = doc_lines(PRICING)
    return {
        found[1]
        for number, line in enumerate(lines, 1)
        if section(PRICING, number) == "Owned Reads"
        for found in [re.match(r"\| `GET (\S+)` \|", line)]
        if found
    }


def update_block(number: int) -> int:
    """The line of the changelog ``<Update label=...>`` that line ``number`` belongs to."""
    lines = doc_lines(CHANGELOG)
    for back in range(number, 0, -1):
        if lines[back - 1].startswith("<Update label="):
            return back
    return 0


def dates_on(text: str) -> set[str]:
    """ISO dates of every "Apr 20, 2026" / "April 20, 2026" on a line."""
    out = set()
    for month, day, year in re.findall(r"\b([A-Z][a-z]{2})[a-z]* (\d{1,2}), (\d{4})", text):
        if month in MONTHS:
            out.add(datetime.date(int(year), MONTHS.index(month) + 1, int(day)).isoformat())
    return out


def number_forms(value: int) -> set[str]:
    forms = {f"{value:,}", str(value)}
    if value and value % 1_000_000 == 0:
        forms.add(f"{value // 1_000_000} million")
    return forms


# -- the checker -------------------------------------------------------------------------------


def check_table(raw: dict[str, Any]) -> list[str]:
    """Every disagreement between the table and the docs it cites (empty: none)."""
    problems: list[str] = []
    for name, plan in raw["plans"].items():
        try:
            problems += [f"plans.{name}: {p}" for p in check_plan(name, plan)]
        except ValueError as exc:
            problems.append(f"plans.{name}: {exc}")
        for endpoint, terms in plan["endpoints"].items():
            where = f"plans.{name}.endpoints.{endpoint}"
            try:
                problems += [f"{where}: {p}" for p in check_terms(name, plan, endpoint, terms)]
            except ValueError as exc:  # a citation of no line at all
                problems.append(f"{where}: {exc}")
    for where, text in notes(raw):
        for name, number in CITATION.findall(text):
            try:
                cited(f"{name}:{number}")
            except ValueError as exc:
                problems.append(f"{where}: {exc}")
    return problems


def notes(raw: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """(path, text) of every note and _about paragraph."""
    if isinstance(raw, dict):
        for key, value in raw.items():
            here = f"{where}.{key}" if where else key
            if key in ("note", "_about"):
                for text in value if isinstance(value, list) else [value]:
                    yield here, text
            else:
                yield from notes(value, here)
    elif isinstance(raw, list):
        for i, value in enumerate(raw):
            yield from notes(value, f"{where}[{i}]")


def check_plan(name: str, plan: dict[str, Any]) -> list[str]:
    problems = []
    tier = TIERS.get(name)
    cap, cap_source = plan.get("monthly_post_cap"), plan.get("monthly_post_cap_source")
    if cap is not None:
        file, number, text = cited(cap_source)
        if file == ABOUT:
            row, header = cells(text), table_header(ABOUT, number)
            if tier is None or row[0] != "Post caps (per month)":
                problems.append(f"monthly_post_cap: {cap_source} is not {name}'s Post cap")
            elif row[header.index(tier)] != f"{cap:,}":
                problems.append(
                    f"monthly_post_cap {cap}: {cap_source} says {row[header.index(tier)]}"
                )
        elif not any(f"{form} Post reads" in text for form in number_forms(cap)):
            problems.append(f"monthly_post_cap {cap}: not on {cap_source}")
    usd, usd_source = plan.get("monthly_usd"), plan.get("monthly_usd_source")
    if (usd is not None) != (tier is not None):
        problems.append("monthly_usd: only the legacy subscription tiers have one")
    if usd is not None and tier is not None:
        file, number, text = cited(usd_source)
        row, header = cells(text), table_header(file, number)
        want = "Free" if usd == 0 else f"\\${usd:g}/month"
        if file != ABOUT or row[0] != "Price" or row[header.index(tier)] != want:
            problems.append(f"monthly_usd {usd}: {usd_source} does not say {want}")
    return problems


def check_terms(name: str, plan: dict[str, Any], endpoint: str, terms: dict[str, Any]) -> list[str]:
    problems = []
    route = ROUTES[endpoint]
    tier = TIERS.get(name)
    table = OLD_TABLE if tier else TODAY_TABLE
    written: dict[str, list[str]] = {}
    if tier:
        row_line, documented = old_row(endpoint, tier)
    else:
        row_line, documented, written = today_row(endpoint)
    row_source = f"{table}:{row_line}"

    # the limits: each one as written on the endpoint's row, and every one the row lists
    limits = terms.get("limits", [])
    listed = terms.get("listed_limits", [])
    available = terms["available"]
    if available and listed:
        problems.append("an available endpoint keeps its limits under limits, not listed_limits")
    if not available and limits:
        problems.append("an unavailable endpoint has no limits (the table's go to listed_limits)")
    ours = {(lim["requests"], lim["window_s"], lim["per"]) for lim in limits + listed}
    if ours != documented:
        problems.append(f"limits {sorted(ours)} but {row_source} lists {sorted(documented)}")
    for lim in limits + listed:
        key = f"limit {lim['requests']}/{lim['window_s']}s per {lim['per']}"
        if lim["source"] != row_source:
            problems.append(f"{key}: cites {lim['source']}, the row is {row_source}")
            continue
        text = cited(lim["source"])[2]
        if tier:
            window = {v: k for k, v in OLD_WINDOWS.items()}.get(lim["window_s"], "?")
            literal = f"{lim['requests']} requests / {window}<br/>"
            if (str(lim["requests"]), window, lim["per"].upper()) not in OLD_SEGMENT.findall(text):
                problems.append(f"{key}: {lim['source']} has no {literal!r} PER {lim['per']}")
        else:
            window = {v: k for k, v in TODAY_WINDOWS.items()}.get(lim["window_s"], "?")
            literal = f"{lim['requests']:,}/{window}"
            if literal not in written[lim["per"]]:
                problems.append(f"{key}: {lim['source']} has no {literal!r} per {lim['per']}")
        if lim.get("shared") is not None:
            problems.append(f"{key}: no copied page names a window shared across endpoints")

    # available: a table row (or the Enterprise-only list) says so; a removal says otherwise
    source = terms["source"]
    file, number, text = cited(source)
    slug_here = f"'{SLUGS[endpoint]}'" in text and js_set(number) == "ENTERPRISE_ONLY_SLUGS"
    if available:
        enterprise_only = file == SLIDERS and slug_here and not plan["self_serve"]
        if not (enterprise_only or (source == row_source and documented)):
            problems.append(f"available: {source} does not list the endpoint for {name}")
    else:
        words = REMOVAL_WORDS.get(endpoint, (f"`{route.method} {docs_path(endpoint)}`",))
        scope = ("all self-serve tiers",) + (("Free tier",) if name == "legacy-free" else ())
        removal = (
            file == CHANGELOG
            and "removed" in text
            and any(w in text for w in words)
            and any(s in text for s in scope)
            and plan["self_serve"]
        )
        if not (removal or (file == SLIDERS and slug_here and plan["self_serve"])):
            problems.append(f"unavailable: {source} does not remove the endpoint for {name}")
        if file == CHANGELOG and not terms.get("since"):
            problems.append("a removal from the changelog carries its date (since)")
    if terms.get("since"):
        since_file, since_line, since_text = cited(terms["since_source"])
        if since_file != CHANGELOG or terms["since"] not in dates_on(since_text):
            problems.append(f"since {terms['since']}: not on {terms['since_source']}")
        elif file == CHANGELOG and update_block(since_line) != update_block(number):
            problems.append(f"since: {terms['since_source']} is another entry than {source}")

    problems += check_price(plan, endpoint, terms.get("price"))
    return problems


def check_price(plan: dict[str, Any], endpoint: str, price: dict[str, Any] | None) -> list[str]:
    if plan.get("monthly_usd") is not None:
        return [] if price is None else ["a subscription plan has no per-call price"]
    if price is None:
        return ["no price"]
    problems = []
    text = cited(price["source"])[2]
    row = re.fullmatch(
        r"\| \*\*([^*]+)\*\* \| &dollar;([\d.]+) per (resource|request) \|", text.strip()
    )
    if price["source"].rpartition(":")[0] != PRICING or row is None:
        return [f"price: {price['source']} is not a row of the price tables"]
    label, usd, unit = row.groups()
    if price["usd"] is not None and Decimal(usd) != Decimal(str(price["usd"])):
        problems.append(f"price {price['usd']}: {price['source']} says &dollar;{usd}")
    if price["usd"] is None and not plan["stand_in"]:
        problems.append("price: usd null (custom) only on a stand-in plan")
    if price["unit"] != unit:
        problems.append(f"price unit {price['unit']}: {price['source']} is per {unit}")
    kind = label.split(":")[0].rstrip("s").lower() if unit == "resource" else None
    if price.get("resource") != kind:
        problems.append(f"price resource {price.get('resource')}: {price['source']} is {label}")
    # which row applies is the cost estimator's mapping from the endpoint's page
    cat_file, cat_line, cat_text = cited(price["category_source"])
    mapped = re.search(r"mapping\['([^']+)'\] = '(\w+)';", cat_text)
    later = [
        line for line in doc_lines(SLIDERS)[cat_line:] if f"mapping['{SLUGS[endpoint]}'] =" in line
    ]
    if cat_file != SLIDERS or mapped is None or mapped[1] != SLUGS[endpoint] or later:
        problems.append(f"price: {price['category_source']} does not map {SLUGS[endpoint]}")
    elif not same_category(price_categories().get(mapped[2], ""), label):
        problems.append(f"price: {endpoint} is {mapped[2]}, {price['source']} prices {label}")
    # Owned Reads: its price, and only for the endpoints the pricing page lists
    owned = ROUTES[endpoint].path in owned_read_paths()
    if price.get("owned_usd") is not None:
        o_file, o_line, o_text = cited(price["owned_source"])
        amounts = re.findall(r"&dollar;([\d.]+) per resource", o_text)
        if o_file != PRICING or section(PRICING, o_line) != "Owned Reads":
            problems.append(f"owned_usd: {price['owned_source']} is not the Owned Reads price")
        elif Decimal(str(price["owned_usd"])) not in {Decimal(a) for a in amounts}:
            problems.append(f"owned_usd {price['owned_usd']}: not on {price['owned_source']}")
        e_file, e_line, e_text = cited(price["owned_endpoint_source"])
        in_table = e_file == PRICING and section(PRICING, e_line) == "Owned Reads"
        in_js = e_file == SLIDERS and js_set(e_line) == "OWNED_READ_SLUGS"
        listed = f"`GET {ROUTES[endpoint].path}`" in e_text or f"'{SLUGS[endpoint]}'" in e_text
        if not (listed and (in_table or in_js)):
            problems.append(f"owned_usd: {price['owned_endpoint_source']} does not list it")
    elif owned and price["usd"] is not None:
        problems.append("owned_usd: the pricing page lists this endpoint as an Owned Read")
    return problems


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return dict(json.loads(DATA.read_text(encoding="utf-8")))


# -- the table agrees with its docs ------------------------------------------------------------


def test_every_value_is_on_the_docs_line_it_cites(raw: dict[str, Any]) -> None:
    assert check_table(raw) == []


DROP = object()
MUTATIONS = [
    # a typo in a price, a limit, a cap
    ("pay-per-use", ("endpoints", "liked_tweets", "price", "usd"), 0.0005),
    ("pay-per-use", ("endpoints", "unlike", "price", "usd"), 0.015),
    ("pay-per-use", ("endpoints", "liked_tweets", "price", "owned_usd"), 0.002),
    ("enterprise", ("endpoints", "like", "limits", 1, "requests"), 100),
    ("pay-per-use", ("endpoints", "tweets", "limits", 0, "requests"), 3000),
    ("legacy-basic", ("endpoints", "unlike", "listed_limits", 0, "requests"), 200),
    ("legacy-free", ("endpoints", "users_me", "limits", 0, "window_s"), WINDOW_15MIN),
    ("legacy-pro", ("endpoints", "tweets", "limits", 0, "per"), "app"),
    ("pay-per-use", ("monthly_post_cap",), 300_000),
    ("legacy-basic", ("monthly_post_cap",), 10_000),
    ("legacy-pro", ("monthly_usd",), 500),
    # a wrong line
    ("pay-per-use", ("endpoints", "tweets", "limits", 0, "source"), f"{TODAY_TABLE}:56"),
    ("enterprise", ("endpoints", "unlike", "limits", 1, "source"), f"{TODAY_TABLE}:111"),
    ("legacy-pro", ("endpoints", "liked_tweets", "source"), f"{OLD_TABLE}:126"),
    ("pay-per-use", ("endpoints", "users_me", "price", "category_source"), f"{SLIDERS}:165"),
    ("pay-per-use", ("endpoints", "users_me", "price", "source"), f"{PRICING}:49"),
    ("legacy-free", ("endpoints", "unlike", "source"), f"{CHANGELOG}:211"),
    ("legacy-free", ("endpoints", "like", "source"), f"{CHANGELOG}:63"),
    ("pay-per-use", ("endpoints", "like", "since"), "2026-04-16"),
    ("enterprise", ("note",), "custom (x-api_fundamentals_rate-limits.mdx:4770)"),
    # a value left out, or one the docs do not give
    ("pay-per-use", ("endpoints", "tweet", "limits", 1), DROP),
    ("legacy-free", ("endpoints", "like", "listed_limits", 0), DROP),
    ("pay-per-use", ("endpoints", "like", "available"), True),
    ("enterprise", ("endpoints", "like", "limits", 1, "shared"), "likes-24h"),
]


@pytest.mark.parametrize(("plan", "path", "value"), MUTATIONS)
def test_a_wrong_value_in_a_copy_of_the_table_fails_the_check(
    raw: dict[str, Any], plan: str, path: tuple[Any, ...], value: object
) -> None:
    mutated = copy.deepcopy(raw)
    parent = mutated["plans"][plan]
    for key in path[:-1]:
        parent = parent[key]
    if value is DROP:
        del parent[path[-1]]
    else:
        assert parent[path[-1]] != value  # the mutation changes something
        parent[path[-1]] = value
    problems = check_table(mutated)
    assert problems
    assert all(p.startswith(f"plans.{plan}") for p in problems), problems
    parse_table(mutated)  # still a table the loader reads: only the docs catch it


def test_the_copies_are_the_cited_pages_byte_for_byte(raw: dict[str, Any]) -> None:
    readme = (DOCS / "README.md").read_text(encoding="utf-8")
    rows = re.findall(
        r"^\| `([^`]+)` \| (\d{4}-\d{2}-\d{2}) \| `([0-9a-f]+)` \| `([0-9a-f]{64})` \|",
        readme,
        re.M,
    )
    listed = {name: (date, commit, digest) for name, date, commit, digest in rows}
    sources = {
        text.rpartition(":")[0]
        for key, text in _values(raw)
        if (key == "source" or key.endswith("_source")) and isinstance(text, str)
    } | {name for _, text in notes(raw) for name, _ in CITATION.findall(text)}
    # the spec and the shared README are read by the failure-mapping tests, not cited here
    copied = {p.name for p in DOCS.iterdir()} - {"README.md", *NOT_CITED}
    assert sources == copied == set(listed) == set(raw["files"])
    for name, (date, commit, digest) in listed.items():
        assert hashlib.sha256((DOCS / name).read_bytes()).hexdigest() == digest, name
        assert raw["files"][name] == {"date": date, "commit": commit}
        assert (".2025-12-01." in name) == (date == "2025-12-01")


def _values(raw: Any, key: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(raw, dict):
        for k, v in raw.items():
            yield from _values(v, k)
    elif isinstance(raw, list):
        for v in raw:
            yield from _values(v, key)
    else:
        yield key, raw


def test_the_recorded_like_and_unlike_count_in_separate_windows() -> None:
    # The evidence _about gives for like and unlike not sharing a window: the one real
    # like-then-unlike exchange reports the same remaining count with different resets, and no
    # 24-hour header at all.
    recorded = yaml.safe_load((CASSETTES / "test_client_like_and_unlike.yaml").read_text())
    answers = {i["request"]["method"]: i["response"]["headers"] for i in recorded["interactions"]}
    like, unlike = answers["POST"], answers["DELETE"]
    assert like["x-rate-limit-remaining"] == unlike["x-rate-limit-remaining"] == ["48"]
    assert like["x-rate-limit-reset"] != unlike["x-rate-limit-reset"]
    assert not [h for h in (*like, *unlike) if h.startswith("x-user-limit-24hour")]


# -- the API reading it ------------------------------------------------------------------------


def test_the_table_has_every_plan_and_every_route() -> None:
    assert tuple(plans()) == PLAN_NAMES
    assert DEFAULT_PLAN in PLAN_NAMES
    for plan in plans().values():
        assert set(plan.endpoints) == set(ROUTES), plan.name
        assert get_plan(plan.name) is plan


@pytest.mark.parametrize("name", ["basic", "", None, 3])
def test_an_unknown_plan_is_a_configuration_error(name: Any) -> None:
    with pytest.raises(ConfigurationError, match="plan must be one of enterprise, pay-per-use"):
        get_plan(name)


@pytest.mark.parametrize("name", ["pay-per-use", "legacy-pro", "legacy-basic", "legacy-free"])
def test_likes_are_gone_from_every_self_serve_plan(name: str) -> None:
    plan = get_plan(name)
    assert plan.self_serve
    for endpoint in ("like", "unlike"):
        terms = plan.terms(endpoint)
        assert not plan.available(endpoint)
        assert terms.limits == () and terms.listed_limits
        assert plan.user_limit_15min(endpoint) is None and plan.day_window(endpoint) is None
    free = name == "legacy-free"
    assert plan.terms("like").since == ("2025-08-22" if free else "2026-04-20")
    assert plan.terms("unlike").since == "2026-04-20"
    # reading likes stays
    assert plan.available("liked_tweets") and plan.available("liking_users")


def test_enterprise_is_a_stand_in_with_likes() -> None:
    plan = get_plan("enterprise")
    assert plan.stand_in and not plan.self_serve and "Stand-in" in plan.note
    for terms in plan.endpoints.values():
        assert terms.available and terms.note.startswith("Stand-in"), terms.endpoint
        assert terms.price is not None and terms.price.usd is None
    assert plan.user_limit_15min("like") == plan.user_limit_15min("unlike") == 50


def test_like_and_unlike_each_have_their_own_day_window() -> None:
    plan = get_plan("enterprise")
    like, unlike = plan.day_window("like"), plan.day_window("unlike")
    assert like is not None and unlike is not None
    assert (like.requests, like.window_s, like.per, like.shared) == (1000, WINDOW_24H, "user", None)
    assert (unlike.requests, unlike.shared) == (1000, None)
    assert like.source != unlike.source and "not shared" in like.note
    assert all(not p.shared_windows() for p in plans().values())
    # in 2025 the two had different daily caps on Basic: one window could not hold both
    basic = get_plan("legacy-basic")
    assert [lim.requests for lim in basic.terms("like").listed_limits] == [200]
    assert [lim.requests for lim in basic.terms("unlike").listed_limits] == [100]


def test_a_shared_window_would_name_its_endpoints(raw: dict[str, Any]) -> None:
    # No docs page names one today (the checker refuses it), but the loader keeps the means.
    mutated = copy.deepcopy(raw)
    for endpoint in ("like", "unlike"):
        mutated["plans"]["enterprise"]["endpoints"][endpoint]["limits"][1]["shared"] = "likes-24h"
    plan = parse_table(mutated)["enterprise"]
    assert plan.shared_windows() == {"likes-24h": frozenset({"like", "unlike"})}


def test_pay_per_use_prices() -> None:
    plan = get_plan("pay-per-use")
    liked = plan.price("liked_tweets")
    assert liked is not None
    assert (liked.usd, liked.unit, liked.resource, liked.owned_usd) == (
        0.005,
        "resource",
        "post",
        0.001,
    )
    liking = plan.price("liking_users")
    assert liking is not None and (liking.usd, liking.resource, liking.owned_usd) == (
        0.01,
        "user",
        None,
    )
    like, unlike = plan.price("like"), plan.price("unlike")
    assert like is not None and unlike is not None
    assert (like.usd, like.unit, unlike.usd, unlike.unit) == (0.015, "request", 0.01, "request")
    assert plan.monthly_post_cap == 3_000_000 and plan.monthly_usd is None


@pytest.mark.parametrize(
    ("name", "usd", "cap"),
    [("legacy-pro", 5000, 1_000_000), ("legacy-basic", 200, 15_000), ("legacy-free", 0, 100)],
)
def test_legacy_tiers_as_of_2025_12_01(name: str, usd: int, cap: int) -> None:
    plan = get_plan(name)
    assert plan.as_of == "2025-12-01" and not plan.stand_in
    assert (plan.monthly_usd, plan.monthly_post_cap) == (usd, cap)
    assert plan.note.startswith("Legacy:") and "2026-04-20" in plan.note
    assert all(terms.price is None for terms in plan.endpoints.values())


def test_the_limit_helpers() -> None:
    payg, basic, pro = get_plan("pay-per-use"), get_plan("legacy-basic"), get_plan("legacy-pro")
    assert payg.user_limit_15min("liked_tweets") == 75
    assert (payg.app_limit_15min("tweets"), payg.user_limit_15min("tweets")) == (3500, 5000)
    assert payg.app_limit_15min("users_me") is None  # user context only
    assert basic.user_limit_15min("users_me") is None  # Basic counted it per 24 hours
    day = basic.day_window("users_me")
    assert day is not None and day.requests == 250
    assert basic.window("user_by_id", WINDOW_24H, "app") is not None
    assert [lim.requests for lim in pro.limits("tweet", per="app")] == [450]


def test_a_route_the_plan_does_not_list_is_unavailable() -> None:
    terms = get_plan("pay-per-use").terms("no_such_endpoint")
    assert (terms.available, terms.limits, terms.price) == (False, (), None)


def test_the_answers_headers_override_the_table() -> None:
    payg, basic = get_plan("pay-per-use"), get_plan("legacy-basic")
    # what one account reported on liked_tweets (shared README: xdevplatform/xdk#24)
    seen = RateLimit(limit=1, remaining=0)
    assert payg.limit_for("liked_tweets", seen) == 1
    assert payg.limit_for("liked_tweets", RateLimit()) == 75
    assert payg.limit_for("liked_tweets") == 75
    assert get_plan("enterprise").limit_for("like", RateLimit(day_limit=400), day=True) == 400
    assert get_plan("enterprise").limit_for("like", RateLimit(limit=40), day=True) == 1000
    assert basic.limit_for("users_me") == 250  # its only window
    assert payg.limit_for("like") is None  # not on the plan


def test_every_value_has_a_date() -> None:
    assert source_date(f"{CHANGELOG}:63") == "2026-08-22"
    plan = get_plan("legacy-pro")
    assert {source_date(lim.source) for lim in plan.limits("tweets")} == {"2025-12-01"}
    with pytest.raises(KeyError):
        source_date("nowhere.mdx:1")


@pytest.mark.parametrize(
    ("path", "value", "match"),
    [
        (("endpoints", "tweets", "limits", 0, "per"), "usr", r"limits\[0\]\.per"),
        (("endpoints", "tweets", "price", "unit"), "call", r"price\.unit"),
        (("endpoints", "tweets", "price", "resource"), "tweet", r"price\.resource"),
    ],
)
def test_the_loader_rejects_values_of_the_wrong_kind(
    raw: dict[str, Any], path: tuple[Any, ...], value: str, match: str
) -> None:
    mutated = copy.deepcopy(raw)
    parent = mutated["plans"]["pay-per-use"]
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    with pytest.raises(ValueError, match=match):
        parse_table(mutated)


def test_the_loader_rejects_an_endpoint_compat_does_not_know(raw: dict[str, Any]) -> None:
    mutated = copy.deepcopy(raw)
    endpoints = mutated["plans"]["pay-per-use"]["endpoints"]
    endpoints["retweet"] = endpoints["like"]
    with pytest.raises(ValueError, match=r"pay-per-use\.endpoints\.retweet"):
        parse_table(mutated)


def test_the_package_reads_the_data_file_it_ships() -> None:
    assert _plans._DATA == DATA
