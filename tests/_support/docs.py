"""The Markdown pages whose ```python examples run (README.md and docs/**), and their blocks.

A block may opt out only with a stated reason, in an HTML comment on the line just before it:
``<!-- no-exec: why this block cannot run here -->``. A block that defines ``test_``
functions is a pytest module: tests/plugin runs it with ``pytester``; every other block is
executed by tests/core/test_readme.py.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from tests._support.paths import ROOT

README = ROOT / "README.md"
DOCS = ROOT / "docs"

_FENCE = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)
_OPT_OUT = re.compile(r"<!-- no-exec:(.*?)-->\s*\Z", re.DOTALL)
_TEST_FUNCTION = re.compile(r"^def test_", re.MULTILINE)


class Block(NamedTuple):
    path: Path
    line: int  #: the code's first line in the page
    code: str
    opt_out: str | None  #: the stated reason, or None

    @property
    def name(self) -> str:
        return f"{page_name(self.path)}:{self.line}"

    @property
    def is_test_module(self) -> bool:
        return bool(_TEST_FUNCTION.search(self.code))


def page_name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def pages() -> list[Path]:
    return [README, *sorted(DOCS.rglob("*.md"))]


def python_blocks(path: Path) -> list[Block]:
    text = path.read_text(encoding="utf-8")
    blocks = []
    for m in _FENCE.finditer(text):
        before = text[: m.start()]
        opt_out = _OPT_OUT.search(before.rstrip("\n").rsplit("\n", 1)[-1] + "\n")
        reason = opt_out.group(1).strip() if opt_out else None
        blocks.append(Block(path, before.count("\n") + 2, m.group(1), reason))
    return blocks


def all_blocks() -> list[Block]:
    return [block for path in pages() for block in python_blocks(path)]
