"""Jupyter notebooks (``.ipynb``, nbformat 4 JSON) as Python for the static audit.

:func:`cells` reads the code cells with :mod:`json` only (no nbformat, no Jupyter): a cell's
``source`` is a list of lines or one string. IPython-only lines (``%magic``, ``%%cell magic``,
``!shell``, ``?help``) are blanked, keeping the line numbers, so the rest parses as Python; a
cell whose first line is a ``%%`` cell magic is skipped whole (its body is another language).
Each code cell is audited as its own module, in the notebook's context: the imports of the
cells before it count (a notebook is one namespace), so :func:`cells` also gives each cell the
source of the code before it.

Usage::

    >>> import json
    >>> nb = {"nbformat": 4, "cells": [
    ...     {"cell_type": "markdown", "source": ["# notes"]},
    ...     {"cell_type": "code", "source": ["%matplotlib inline\\n", "import tweepy\\n"]},
    ...     {"cell_type": "code", "source": "api.favorites(count=200)"}]}
    >>> [(c.index, c.source) for c in cells(json.dumps(nb))]
    [(2, '\\nimport tweepy\\n'), (3, 'api.favorites(count=200)')]
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

__all__ = ["Cell", "NotebookError", "cells", "file_lines"]

_IPYTHON_PREFIXES = ("%", "!", "?")
_HELP = re.compile(r"[\w.]+\?{1,2}")  # obj? / obj.attr??


class NotebookError(ValueError):
    """The file is not a notebook this module can read (the reason is the message)."""


@dataclass(frozen=True)
class Cell:
    """One code cell: ``index`` 1-based among all the notebook's cells, ``source`` as Python
    (IPython lines blanked), ``lines`` the raw source lines (for locating them in the file)."""

    index: int
    source: str
    lines: tuple[str, ...]


def _lines(source: Any) -> list[str]:
    if isinstance(source, str):
        return source.splitlines(keepends=True)
    if isinstance(source, list) and all(isinstance(part, str) for part in source):
        # nbformat splits at newlines, but a hand-written list may hold several per item
        return "".join(source).splitlines(keepends=True)
    raise NotebookError("a cell's source is neither a string nor a list of strings")


def _python(line: str) -> str:
    stripped = line.lstrip()
    if stripped.startswith(_IPYTHON_PREFIXES) or _HELP.fullmatch(stripped.rstrip()):
        return "\n" if line.endswith("\n") else ""
    return line


def cells(text: str) -> list[Cell]:
    """The code cells of a notebook's JSON text (NotebookError when it is not one)."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise NotebookError(f"not JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise NotebookError("no cells list (not an nbformat 4 notebook)")
    if data.get("nbformat", 4) != 4:
        raise NotebookError(f"nbformat {data.get('nbformat')!r}, not 4")
    out: list[Cell] = []
    for index, cell in enumerate(data["cells"], start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        raw = _lines(cell.get("source", ""))
        if raw and raw[0].lstrip().startswith("%%"):
            continue  # a cell magic: the body is not Python
        out.append(Cell(index, "".join(_python(line) for line in raw), tuple(raw)))
    return out


def file_lines(text: str, notebook: list[Cell]) -> dict[tuple[int, int], int]:
    """``(cell index, line in cell) -> line of the notebook file`` where the JSON text holds
    that source line as a string, searched forward once (linear in the text)."""
    found: dict[tuple[int, int], int] = {}
    cursor = 0
    line_no = 1
    counted_to = 0
    for cell in notebook:
        for number, raw in enumerate(cell.lines, start=1):
            if not raw.strip():
                continue
            at = -1
            for needle in (json.dumps(raw, ensure_ascii=False), json.dumps(raw)):
                at = text.find(needle, cursor)
                if at >= 0:
                    break
            if at < 0:
                continue
            line_no += text.count("\n", counted_to, at)
            counted_to = at
            cursor = at + 1
            found[(cell.index, number)] = line_no
    return found
