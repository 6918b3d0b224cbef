"""compat's gateway knowledge against the gateway's own documentation (tests/realdata/aisa-docs):
the copies are the ones the README names, the tables say what the pages say, every citation
points at a line that exists, and the README shows the code's tables."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from compat import _gateway_reshape, _v2
from compat._gateway_reshape import field_sources_markdown
from compat.gateway import GATEWAY_ERROR_TABLE, gateway_error_table_markdown
from tests._support import ROOT

DOCS = ROOT / "tests" / "realdata" / "aisa-docs"
README = (ROOT / "README.md").read_text(encoding="utf-8")


def page(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def test_the_copies_are_the_ones_the_readme_names() -> None:
    table = re.findall(r"^\| `([^`]+)` \| `([0-9a-f]{64})` \|", page("README.md"), re.M)
    assert len(table) == 11
    for name, digest in table:
        assert hashlib.sha256((DOCS / name).read_bytes()).hexdigest() == digest, name
    assert {p.name for p in DOCS.iterdir()} == {name for name, _ in table} | {"README.md"}


def test_the_tiers_are_the_rate_limits_page() -> None:
    rows = re.findall(r"^\| \*\*(\w+)\*\*\s*\|\s*([0-9,]+|Custom)\s*\|", page(
        "api-reference_rate-limits.mdx"), re.M)  # fmt: skip
    documented = {t.lower(): None if v == "Custom" else int(v.replace(",", "")) for t, v in rows}
    assert documented == dict(_gateway_reshape.TIERS)


def test_the_codes_are_the_errors_page() -> None:
    text = page("api-reference_errors.mdx")
    found: dict[int, tuple[str, ...]] = {}
    for status, body in re.findall(r'<Accordion title="([0-9]{3})[^"]*"[^>]*>(.*?)</Accordion>',
                                   text, re.S):  # fmt: skip
        common = re.search(r"\*\*Common codes:\*\* (.*)", body)
        if common:
            found[int(status)] = tuple(re.findall(r"`(\w+)`", common.group(1)))
    assert found == dict(_gateway_reshape.CODES)
    envelope = json.loads(re.search(r"```json\n(.*?)```", text, re.S).group(1))  # type: ignore[union-attr]
    assert set(envelope["error"]) == {"type", "code", "message", "request_id"}


def test_the_endpoint_causes_and_the_scopes_are_the_pages() -> None:
    for name in (
        "api-reference_twitter_like_twitter.mdx",
        "api-reference_twitter_unlike_twitter.mdx",
    ):
        causes = dict(
            (cause, int(status))
            for status, cause in re.findall(r"^- `([0-9]{3}) ([a-z-]+)`", page(name), re.M)
        )
        assert causes == dict(_gateway_reshape.ENDPOINT_CAUSES), name
        scopes = re.search(r"must hold (.*)\.", page(name)).group(1)  # type: ignore[union-attr]
        assert re.findall(r"`([a-z.]+)`", scopes) == list(_gateway_reshape.LIKE_SCOPES)
    listed = re.findall(r"^- `([a-z.]+)` —", page("api-reference_twitter_auth_twitter.mdx"), re.M)
    assert tuple(listed) == _gateway_reshape.DEFAULT_SCOPES


def test_the_routes_are_the_openapi_files() -> None:
    actions = json.loads(page("openapi_twitter-actions.json"))
    batch = json.loads(page("openapi_twitter-tweet-batch_01.json"))
    base = actions["servers"][0]["url"]
    assert base == _v2.DEFAULT_GATEWAY_URL == batch["servers"][0]["url"]
    for route in _v2.GATEWAY_ROUTES.values():
        assert route.method.lower() in actions["paths"][route.path]
        schema = actions["paths"][route.path]["post"]["requestBody"]["content"]["application/json"]
        assert schema["schema"]["required"] == ["tweet_id"]
    auth = _gateway_reshape.READ_ROUTES["gateway_auth"]
    assert "post" in actions["paths"][auth.path]
    tweets = _gateway_reshape.READ_ROUTES["gateway_tweets"]
    (parameter,) = batch["paths"][tweets.path]["get"]["parameters"]
    assert (parameter["name"], parameter["required"]) == ("tweet_ids", True)
    assert "liked" not in json.dumps(list(batch["paths"]))  # no liked-tweets read
    users = json.loads(page("openapi_twitter-user-batch_01.json"))
    assert not any("like" in path for path in users["paths"])


_CITATION = re.compile(
    r"((?:api-reference_|openapi_|guides_)?[\w-]+\.(?:mdx|json))"
    r"(?::| lines? )([0-9]+)(?:-([0-9]+))?"
)
_SHORT = {
    "like_twitter.mdx": "api-reference_twitter_like_twitter.mdx",
    "unlike_twitter.mdx": "api-reference_twitter_unlike_twitter.mdx",
    "auth_twitter.mdx": "api-reference_twitter_auth_twitter.mdx",
    "errors.mdx": "api-reference_errors.mdx",
    "rate-limits.mdx": "api-reference_rate-limits.mdx",
    "actions.json": "openapi_twitter-actions.json",
    "tweet-batch_01.json": "openapi_twitter-tweet-batch_01.json",
}


@pytest.mark.parametrize(
    "module",
    ["compat/gateway.py", "compat/_gateway_reshape.py", "compat/emulator/gateway.py",
     "compat/emulator/unknowns.py", "compat/gateway_cli.py"],
)  # fmt: skip
def test_every_citation_points_at_a_line_of_a_copied_page(module: str) -> None:
    text = (ROOT / module).read_text(encoding="utf-8")
    if module.endswith("unknowns.py"):  # its first part cites X's docs; the gateway's follow
        text = text.split("# -- the hosted gateway", 1)[1]
    cited = 0
    for name, first, last in _CITATION.findall(text):
        name = _SHORT.get(name, name)
        if name.startswith("x-api_") or name in ("openapi.json", "plans.json", "tweets.json"):
            continue
        path = DOCS / name
        assert path.exists(), f"{module} cites {name}"
        lines = path.read_text(encoding="utf-8").count("\n") + 1
        assert int(first) <= int(last or first) <= lines, f"{module} cites {name}:{first}"
        cited += 1
    assert cited >= (1 if module.endswith("cli.py") else 3), module


def test_every_error_row_cites_its_source() -> None:
    for rule in GATEWAY_ERROR_TABLE:
        assert _CITATION.search(rule.source), rule.answer


def test_the_docs_show_the_codes_tables() -> None:
    section = (ROOT / "docs" / "gateway.md").read_text(encoding="utf-8")
    assert gateway_error_table_markdown() in section
    assert field_sources_markdown() in section
    assert "not documented" in section and "2026-04-20" in section
    decision = section.split("The same three ways in work", 1)[0]
    assert "Enterprise X keys" in decision and "no X keys, a gateway key" in decision
    # the README keeps the decision table and links the page
    assert "Enterprise X keys" in README and "no X keys, a gateway key" in README
    assert "docs/gateway.md" in README
