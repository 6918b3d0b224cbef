"""Logging users can read: every WARNING-or-above record compat can emit is a sentence for
people with its event name in ``extra`` (not as the message's first word), and
docs/logging.md names every logger and every warning event. Read from the source (AST), so a
new warning is held to it before it is ever emitted."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from tests._support import ROOT

COMPAT = ROOT / "compat"
DOCS = (ROOT / "docs" / "logging.md").read_text(encoding="utf-8")
EVENT = re.compile(r"[a-z0-9_]+(\.[a-z0-9_]+)+")
LOUD = {"warning", "error", "critical", "exception"}


@dataclass(frozen=True)
class Call:
    where: str
    logger: str
    message: str | None
    event: str | None


def _logger_names(tree: ast.AST) -> dict[str, str]:
    names = {}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and getattr(node.value.func, "attr", None) == "getLogger"
            and node.value.args
            and isinstance(node.value.args[0], ast.Constant)
        ):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    names[target.id] = str(node.value.args[0].value)
    return names


def _loud_calls() -> list[Call]:
    calls = []
    for path in sorted(COMPAT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        loggers = _logger_names(tree)
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in loggers
            ):
                continue
            args = list(node.args)
            if node.func.attr == "log":  # loud when its level can be WARNING or above
                if not re.search(r"WARNING|ERROR|CRITICAL", ast.unparse(args[0])):
                    continue
                args = args[1:]
            elif node.func.attr not in LOUD:
                continue
            message = args[0].value if args and isinstance(args[0], ast.Constant) else None
            event = None
            for keyword in node.keywords:
                if keyword.arg == "extra" and isinstance(keyword.value, ast.Dict):
                    for key, value in zip(keyword.value.keys, keyword.value.values, strict=True):
                        if isinstance(key, ast.Constant) and key.value == "event":
                            event = value.value if isinstance(value, ast.Constant) else None
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            calls.append(Call(where, loggers[node.func.value.id], message, event))
    return calls


CALLS = _loud_calls()


def test_there_are_warnings_to_check() -> None:
    assert len(CALLS) >= 20


def test_every_warning_is_a_sentence_with_its_event_in_extra() -> None:
    for call in CALLS:
        assert call.event is not None and EVENT.fullmatch(call.event), call
        assert isinstance(call.message, str), f"{call.where}: a constant message"
        first = call.message.split(" ", 1)[0]
        assert not EVENT.fullmatch(first), f"{call.where}: the event goes to extra: {first}"
        assert len(call.message.split()) >= 8, f"{call.where}: say what happened and what to do"


def test_the_logging_page_names_every_logger_and_warning_event() -> None:
    loggers = {
        name
        for path in COMPAT.rglob("*.py")
        for name in _logger_names(ast.parse(path.read_text())).values()
    }
    assert {"compat.favorites", "compat.client", "compat.adapter", "compat.runner"} <= loggers
    for name in loggers:
        assert f"`{name}`" in DOCS, f"docs/logging.md: logger {name}"
    for call in CALLS:
        assert f"| `{call.event}` | `{call.logger}` |" in DOCS, f"docs/logging.md: {call}"
