"""The README's runnable examples run, as written, with the emulator's credentials in the
environment (as `compat emulator` prints them for a user)."""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator

import pytest

import compat
from compat import patch as compat_patch
from compat import schemas
from compat._plans import get_plan
from compat.emulator import Emulator
from tests._support import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def python_blocks() -> list[tuple[int, str]]:
    return [
        (README[: m.start()].count("\n") + 2, m.group(1))
        for m in re.finditer(r"```python\n(.*?)```", README, re.DOTALL)
    ]


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


BLOCKS = python_blocks()


@pytest.mark.parametrize(("line", "block"), BLOCKS, ids=[f"README.md:{n}" for n, _ in BLOCKS])
def test_every_python_example_runs_as_written(
    emulator_env: Emulator, line: int, block: str
) -> None:
    previous_mode = schemas.get_mode()
    out = io.StringIO()
    try:
        with compat.configure(replace=True), contextlib.redirect_stdout(out):
            exec(compile("\n" * (line - 1) + block, "README.md", "exec"), {})
    finally:
        compat_patch.uninstall()
        schemas.set_mode(previous_mode)
    assert "Traceback" not in out.getvalue()


def test_there_are_examples_to_run() -> None:
    assert len(BLOCKS) >= 9


def test_the_emulator_example_prints_what_it_says(capsys: pytest.CaptureFixture[str]) -> None:
    (block,) = [b for _n, b in BLOCKS if "with Emulator(likes=250, clock=FakeClock())" in b]
    exec(compile(block, "README.md", "exec"), {})
    assert capsys.readouterr().out.startswith("1 [")  # one request served, then likes listed


def test_the_settings_example_prints_the_error_it_shows() -> None:
    (block,) = [b for _n, b in BLOCKS if "tiemout=3" in b]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, "README.md", "exec"), {})
    assert out.getvalue().startswith(
        "install(): unknown option 'tiemout' (did you mean 'timeout'?)"
    )


def test_the_opening_prices_are_the_plans_table_s() -> None:
    """Every dollar figure and the post cap in the README's opening come from the plans
    table (which a test checks against X's pricing page, line by line)."""
    opening = README.split("## What X allows in 2026", 1)[1].split("\n## ", 1)[0]
    payg = get_plan("pay-per-use")
    prices = set()
    for terms in payg.endpoints.values():
        if terms.price is not None:
            prices |= {terms.price.usd, terms.price.owned_usd}
    quoted = {float(v) for v in re.findall(r"\$([0-9]+\.[0-9]+)", opening)}
    assert quoted and quoted <= prices
    assert payg.monthly_post_cap == 3_000_000 and "3 million post reads" in opening
    assert not payg.terms("like").available and get_plan("enterprise").terms("like").available
    assert "Likes must be directly initiated by the authenticated" in opening


def test_the_two_commands_are_the_scripts_ci_runs() -> None:
    assert "bash scripts/demo.sh" in README and "bash scripts/test.sh" in README
    ci = (ROOT / ".ci" / "run").read_text()
    assert "scripts/test.sh" in ci
