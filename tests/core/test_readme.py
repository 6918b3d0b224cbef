"""The README's and the docs site's runnable examples run, as written, with the emulator's
credentials in the environment (as `compat emulator` prints them for a user); the README stays
short; the docs show the tables the code has; the site builds with warnings as errors.

Which blocks run, and how one opts out (only with a stated reason): tests/_support/docs.py.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import compat
from compat import patch as compat_patch
from compat import schemas
from compat._environment import table as environment_table
from compat._gateway_reshape import field_sources_markdown
from compat._plans import get_plan
from compat.emulator import Emulator
from compat.errors import error_table_markdown
from compat.gateway import gateway_error_table_markdown
from tests._support import ROOT
from tests._support.docs import Block, all_blocks, page_name, python_blocks

README_PATH = ROOT / "README.md"
README = README_PATH.read_text(encoding="utf-8")
DOCS = ROOT / "docs"
#: The README's budget (the docs site holds the rest).
README_MAX_LINES = 250

BLOCKS = all_blocks()
#: Executed here; the blocks that are pytest modules run in tests/plugin.
RUNNABLE = [b for b in BLOCKS if b.opt_out is None and not b.is_test_module]


def block_with(text: str) -> str:
    (code,) = [b.code for b in RUNNABLE if text in b.code]
    return code


@pytest.fixture
def emulator_env(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> Iterator[Emulator]:
    """A user's shell after `eval "$(compat emulator ...)"`: COMPAT_API_BASE and X_* keys (and
    the gateway's variables for the gateway example); HOME in a temporary folder."""
    for row in compat._environment.table():
        monkeypatch.delenv(row.name, raising=False)
    with Emulator(likes=250) as emu:
        creds = emu.credentials
        monkeypatch.setenv("COMPAT_API_BASE", emu.base_url)
        monkeypatch.setenv("X_CONSUMER_KEY", str(creds.consumer_key))
        monkeypatch.setenv("X_CONSUMER_SECRET", str(creds.consumer_secret))
        monkeypatch.setenv("X_ACCESS_TOKEN", str(creds.access_token))
        monkeypatch.setenv("X_ACCESS_TOKEN_SECRET", str(creds.access_token_secret))
        monkeypatch.setenv("COMPAT_GATEWAY_URL", emu.base_url + "/apis/v1")
        monkeypatch.setenv("COMPAT_GATEWAY_API_KEY", emu.gateway_key())
        monkeypatch.setenv("HOME", str(tmp_path))
        yield emu


@pytest.mark.parametrize("block", RUNNABLE, ids=[b.name for b in RUNNABLE])
def test_every_python_example_runs_as_written(emulator_env: Emulator, block: Block) -> None:
    previous_mode = schemas.get_mode()
    out = io.StringIO()
    try:
        with compat.configure(replace=True), contextlib.redirect_stdout(out):
            exec(compile("\n" * (block.line - 1) + block.code, str(block.path), "exec"), {})
    finally:
        compat_patch.uninstall()
        schemas.set_mode(previous_mode)
    assert "Traceback" not in out.getvalue()


def test_there_are_examples_to_run_and_every_opt_out_says_why() -> None:
    assert len(RUNNABLE) >= 20
    assert len([b for b in RUNNABLE if b.path == README_PATH]) >= 2
    for block in BLOCKS:
        assert block.opt_out != "", f"{block.name}: an opt-out without a reason"
    opted_out = [b.name for b in BLOCKS if b.opt_out is not None]
    assert len(opted_out) <= 3, opted_out


def test_an_opt_out_is_the_comment_right_before_the_block(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "<!-- no-exec: tweepy 3 lives in its own venv -->\n```python\nimport tweepy\n```\n\n"
        "<!-- no-exec: far away -->\n\ntext\n\n```python\nprint(1)\n```\n",
        encoding="utf-8",
    )
    assert python_blocks(page) == [
        Block(page, 3, "import tweepy\n", "tweepy 3 lives in its own venv"),
        Block(page, 11, "print(1)\n", None),
    ]


def test_the_readme_is_at_most_250_lines_and_keeps_its_outline() -> None:
    assert README.count("\n") <= README_MAX_LINES
    headings = re.findall(r"^## (.+)$", README, re.M)
    assert headings == [
        "What X allows in 2026",
        "The two commands",
        "Keeping legacy code unchanged: the three ways in",
        "Documentation",
    ]
    for way in ("### 1. Import swap", "### 2. `install()`", "### 3. `compat run`"):
        assert way in README


def test_every_link_of_the_readme_is_a_file_or_a_page_of_the_site() -> None:
    nav = set(re.findall(r":\s*(\S+\.md)\s*$", (ROOT / "mkdocs.yml").read_text(), re.M))
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", README):
        if target.startswith(("http://", "https://")):
            continue
        site_page = target.removeprefix("docs/")
        assert (ROOT / target).exists() or site_page in nav, target


def test_no_internal_wording_in_the_pages() -> None:
    for path in [README_PATH, *DOCS.glob("*.md"), *DOCS.glob("libraries/*.md")]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\bissue \d+|\bthe \w+ engineer\b|example\.invalid", text), path


def test_the_changelog_page_is_the_changelog() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert (DOCS / "changelog.md").read_text(encoding="utf-8") == changelog
    from compat import __version__

    assert f"## {__version__} — " in changelog


def test_the_settings_example_prints_the_error_it_shows() -> None:
    block = block_with("tiemout=3")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, "settings.md", "exec"), {})
    assert out.getvalue().startswith(
        "install(): unknown option 'tiemout' (did you mean 'timeout'?)"
    )


@pytest.mark.parametrize("page", ["README.md", "docs/plans.md"])
def test_the_prices_quoted_are_the_plans_table_s(page: str) -> None:
    """Every dollar figure and the post cap quoted come from the plans table (which a test
    checks against X's pricing page, line by line)."""
    text = (ROOT / page).read_text(encoding="utf-8")
    payg = get_plan("pay-per-use")
    prices = set()
    for terms in payg.endpoints.values():
        if terms.price is not None:
            prices |= {terms.price.usd, terms.price.owned_usd}
    quoted = {float(v) for v in re.findall(r"\$([0-9]+\.[0-9]+)", text)}
    assert quoted and quoted <= prices
    assert payg.monthly_post_cap == 3_000_000 and "3 million post reads" in text
    assert not payg.terms("like").available and get_plan("enterprise").terms("like").available
    assert "Likes must be directly initiated by the authenticated" in text


#: The tables the code renders, shown in the docs between generated markers.
GENERATORS = {
    "compat.errors.error_table_markdown": error_table_markdown,
    "compat.gateway.gateway_error_table_markdown": gateway_error_table_markdown,
    "compat._gateway_reshape.field_sources_markdown": field_sources_markdown,
}
_GENERATED = re.compile(
    r"(<!-- generated by ([\w.]+)\(\) -->\n\n)(.*?)(\n\n<!-- end generated -->)", re.DOTALL
)


def regenerated(text: str) -> str:
    """``text`` with every generated region rendered anew from the code."""
    return _GENERATED.sub(lambda m: m.group(1) + GENERATORS[m.group(2)]() + m.group(4), text)


def test_the_docs_show_the_code_s_tables() -> None:
    shown = set()
    for path in DOCS.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        shown |= {m.group(2) for m in _GENERATED.finditer(text)}
        assert regenerated(text) == text, (
            f"{page_name(path)} shows an old table: "
            "run `.venv/bin/python -m tests.core.test_readme`"
        )
    assert shown == set(GENERATORS)
    errors = (DOCS / "errors.md").read_text(encoding="utf-8")
    doc = compat.errors.__doc__ or ""
    tree = doc[doc.index("    CompatError") : doc.index("\n\n", doc.index("    CompatError"))]
    assert "```\n" + "\n".join(line[4:] for line in tree.splitlines()) + "\n```" in errors
    gateway = (DOCS / "gateway.md").read_text(encoding="utf-8")
    assert "Enterprise X keys" in gateway and "no X keys, a gateway key" in gateway


def test_every_environment_name_the_docs_name_is_one_compat_reads() -> None:
    names = {row.name for row in environment_table()}
    for path in [README_PATH, DOCS / "settings.md", DOCS / "gateway.md"]:
        text = path.read_text(encoding="utf-8")
        documented = set(re.findall(r"`((?:X_|TWITTER_|COMPAT_|AISA_)[A-Z0-9_]+)`", text))
        assert documented <= names, (path.name, documented - names)


def test_the_two_commands_are_the_scripts_ci_runs() -> None:
    assert "bash scripts/demo.sh" in README and "bash scripts/test.sh" in README
    ci = (ROOT / ".ci" / "run").read_text()
    assert "scripts/test.sh" in ci
    assert "mkdocs" in (ROOT / "scripts" / "test.sh").read_text()


#: The pages other areas write; a stand-in lets the site build before they exist.
OTHER_PAGES = ("adapter", "run", "companions", "audit", "emulator", "performance")


def test_the_site_builds_with_warnings_as_errors(tmp_path: Path) -> None:
    """`mkdocs build --strict` on a copy (scripts/test.sh builds the real one): a broken link,
    a page missing from the nav or a docstring the reference cannot render fails."""
    shutil.copy(ROOT / "mkdocs.yml", tmp_path)
    shutil.copytree(DOCS, tmp_path / "docs")
    shutil.copytree(ROOT / "compat", tmp_path / "compat", ignore=shutil.ignore_patterns("*.pyc"))
    for name in OTHER_PAGES:
        page = tmp_path / "docs" / f"{name}.md"
        if not page.exists():
            page.write_text(f"# {name}\n\nStand-in.\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    reference = (tmp_path / "site" / "reference" / "index.html").read_text(encoding="utf-8")
    assert "favorites_create" in reference and "V1Tweet" in reference
    assert "x_emulator" in reference


if __name__ == "__main__":  # `python -m tests.core.test_readme`: refresh the generated tables
    for doc_page in DOCS.rglob("*.md"):
        current = doc_page.read_text(encoding="utf-8")
        if regenerated(current) != current:
            doc_page.write_text(regenerated(current), encoding="utf-8")
            print(f"regenerated {page_name(doc_page)}")
