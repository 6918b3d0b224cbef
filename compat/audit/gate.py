"""The audit as a CI gate: rule selection, confidence, inline suppressions, baselines, config.

In the conventions of ruff and flake8:

* ``--select``/``--ignore`` take codes or prefixes (``CPT1``, ``CPT201``); the most specific
  match wins, and ``--ignore`` wins a tie (:func:`selected`);
* ``--min-confidence`` (``low``, ``medium``, ``high``) drops less certain findings;
* ``# compat: ignore[CPT101]`` (or ``# compat: ignore[CPT101,CPT203]``, or bare
  ``# compat: ignore`` for every code) on any line of a finding's expression suppresses it; a
  suppression that suppresses nothing is itself reported, as CPT910 (:func:`suppress`);
* a baseline (:func:`write_baseline`, :func:`read_baseline`) holds the fingerprints of
  accepted findings: only findings not in it fail. A fingerprint (:func:`fingerprints`) hashes
  the code, the path relative to the project root and the flagged code's text (never its
  line), with the occurrence number among identical ones, so it survives lines moving;
* ``[tool.compat.audit]`` in the nearest ``pyproject.toml`` upward from the audited path
  (:func:`find_config`) sets the same options; the command line wins over it.

Usage::

    >>> selected("CPT101", select=("CPT1",), ignore=("CPT10",))
    False
    >>> selected("CPT111", select=("CPT1",), ignore=("CPT10",))
    True
    >>> parse_suppressions("api.favorites()  # compat: ignore[CPT103]\\n")
    {1: frozenset({'CPT103'})}
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import re
import sys
import tokenize
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from compat._plans import PLAN_NAMES
from compat.audit.rules import CONFIDENCES, RULES, Confidence, Finding

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 reads no configuration
    tomllib = None

__all__ = [
    "DEFAULT_MAX_FILE_SIZE",
    "BaselineError",
    "ConfigError",
    "GateConfig",
    "apply",
    "find_config",
    "find_root",
    "fingerprints",
    "parse_suppressions",
    "read_baseline",
    "selected",
    "suppress",
    "write_baseline",
]

#: Files larger than this (bytes) are not read past it nor audited: a CPT904 finding instead.
DEFAULT_MAX_FILE_SIZE = 16_000_000
BASELINE_VERSION = 1
_SUPPRESSION = re.compile(r"#\s*compat:\s*ignore\b(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE)
_CODE = re.compile(r"CPT\d{1,3}")
_KEYS = {
    "select",
    "ignore",
    "min-confidence",
    "exit-zero",
    "baseline",
    "plan",
    "calls-per-day",
    "max-file-size",
    "include-ignored",
    "format",
}


class ConfigError(ValueError):
    """A configuration that cannot be used (exit status 2): the message says where and why."""


class BaselineError(ConfigError):
    """A baseline file that cannot be read or is not one."""


@dataclasses.dataclass(frozen=True)
class GateConfig:
    """The gate's options after config and command line are merged. ``select`` empty: every
    code. ``source``: the pyproject.toml they came from (None: none)."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    min_confidence: Confidence = "low"
    exit_zero: bool = False
    baseline: str | None = None
    plan: str = "pay-per-use"
    calls_per_day: float | None = None
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    include_ignored: bool = False
    format: str = "text"
    source: str | None = None


# --- selection ---------------------------------------------------------------------------------


def check_codes(codes: Iterable[str], option: str) -> tuple[str, ...]:
    """Upper-cased codes or prefixes, each matching some rule (ConfigError otherwise)."""
    out: list[str] = []
    for raw in codes:
        code = raw.strip().upper()
        if not code:
            continue
        if not code.startswith("CPT") or not any(c.startswith(code) for c in RULES):
            raise ConfigError(f"{option}: {raw!r} is no audit code or prefix (CPT101, CPT1, …)")
        out.append(code)
    return tuple(out)


def _longest(code: str, prefixes: Sequence[str]) -> int:
    return max((len(p) for p in prefixes if code.startswith(p)), default=-1)


def selected(code: str, *, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> bool:
    """Whether ``code`` is reported: the longest matching prefix decides (``select`` empty
    means ``CPT``), and ``ignore`` wins a tie."""
    chosen = _longest(code, select or ("CPT",))
    return chosen >= 0 and chosen > _longest(code, ignore)


def confident(finding: Finding, minimum: Confidence) -> bool:
    """Whether the finding is at least ``minimum`` sure (coverage/gate findings always are)."""
    if finding.rule.category in {"parse", "gate"}:
        return True
    return CONFIDENCES.index(finding.confidence) <= CONFIDENCES.index(minimum)


# --- inline suppressions -----------------------------------------------------------------------


def parse_suppressions(source: str) -> dict[int, frozenset[str] | None]:
    """Line -> the codes its ``# compat: ignore[...]`` comment names (None: bare, every code).

    Only real comments count (tokenize): the text inside a string is no suppression."""
    if "compat:" not in source and "COMPAT:" not in source.upper():
        return {}
    found: dict[int, frozenset[str] | None] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type != tokenize.COMMENT:
                continue
            m = _SUPPRESSION.search(token.string)
            if m is None:
                continue
            codes = m["codes"]
            found[token.start[0]] = (
                None if codes is None else frozenset(_CODE.findall(codes.upper()))
            )
    except (tokenize.TokenError, SyntaxError):
        pass  # the source parsed, so this is an edge of tokenize: keep what was read
    return found


def suppress(
    findings: Sequence[Finding],
    suppressions: Mapping[int, frozenset[str] | None],
    *,
    path: str,
    cell: int | None = None,
) -> tuple[list[Finding], int, list[Finding]]:
    """The findings no comment suppresses, how many were suppressed, and a CPT910 finding for
    each comment (or listed code) that suppressed nothing."""
    if not suppressions:
        return list(findings), 0, []
    used: dict[int, set[str]] = {line: set() for line in suppressions}
    kept: list[Finding] = []
    hidden = 0
    for finding in findings:
        last = finding.end_line or finding.line
        hit = None
        for line in range(finding.line, max(last, finding.line) + 1):
            codes = suppressions.get(line, frozenset())
            if codes is None or finding.code in codes:
                hit = line
                break
        if hit is None:
            kept.append(finding)
        else:
            hidden += 1
            used[hit].add(finding.code)
    unused: list[Finding] = []
    for line, codes in sorted(suppressions.items()):
        if codes is None:
            if not used[line]:
                unused.append(
                    _unused(path, line, cell, "bare `# compat: ignore` suppresses nothing")
                )
            continue
        idle = sorted(codes - used[line]) if codes else ["(no code)"]
        if idle:
            detail = f"{', '.join(idle)} not found on this line"
            unused.append(_unused(path, line, cell, detail))
    return kept, hidden, unused


def _unused(path: str, line: int, cell: int | None, detail: str) -> Finding:
    return Finding("CPT910", path, line, 1, detail=detail, cell=cell)


# --- fingerprints and baselines -----------------------------------------------------------------


def _normal(text: str) -> str:
    return " ".join(text.split())


def fingerprints(findings: Sequence[Finding], relpaths: Sequence[str]) -> list[str]:
    """``<16 hex>:<n>`` per finding: the hash of code, path (``relpaths``, parallel to
    ``findings``), endpoint and the flagged text, and n the occurrence among equal hashes in
    the findings' order (1-based): stable when lines move."""
    seen: dict[str, int] = {}
    out: list[str] = []
    for finding, rel in zip(findings, relpaths, strict=True):
        what = finding.legacy or finding.detail or ""
        key = "\0".join(
            (finding.code, rel, finding.v11_endpoint or "", str(finding.cell or ""), _normal(what))
        )
        digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        seen[digest] = seen.get(digest, 0) + 1
        out.append(f"{digest}:{seen[digest]}")
    return out


def write_baseline(path: str, findings: Sequence[Finding], prints: Sequence[str]) -> None:
    """Write the baseline of these findings (OSError when it cannot be written)."""
    data = {
        "version": BASELINE_VERSION,
        "tool": "compat",
        "kind": "baseline",
        "findings": [
            {"fingerprint": fp, "code": f.code, "path": f.path, "line": f.line}
            for f, fp in zip(findings, prints, strict=True)
        ],
    }
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def read_baseline(path: str) -> frozenset[str]:
    """The fingerprints of a baseline file (BaselineError when it is not one)."""
    try:
        with open(path, "rb") as handle:
            data = json.loads(handle.read(50_000_000).decode("utf-8"))
    except OSError as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc.strerror}") from None
    except (UnicodeDecodeError, ValueError):
        raise BaselineError(f"baseline {path} is not JSON") from None
    if (
        not isinstance(data, dict)
        or data.get("kind") != "baseline"
        or not isinstance(data.get("findings"), list)
    ):
        raise BaselineError(f"baseline {path} is not a compat audit baseline")
    if data.get("version") != BASELINE_VERSION:
        raise BaselineError(f"baseline {path}: version {data.get('version')!r} is not supported")
    return frozenset(
        str(item["fingerprint"])
        for item in data["findings"]
        if isinstance(item, dict) and "fingerprint" in item
    )


# --- configuration -------------------------------------------------------------------------------


def _start(paths: Sequence[str]) -> str:
    absolute = [os.path.abspath(p) for p in paths] or [os.getcwd()]
    try:
        common = os.path.commonpath(absolute)
    except ValueError:  # different drives
        common = absolute[0]
    return common if os.path.isdir(common) else os.path.dirname(common)


def _ancestors(directory: str) -> Iterable[str]:
    current = directory
    while True:
        yield current
        parent = os.path.dirname(current)
        if parent == current:
            return
        current = parent


def _load_toml(path: str) -> dict[str, Any]:
    if tomllib is None:  # pragma: no cover
        return {}
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None


def find_config(paths: Sequence[str]) -> tuple[str | None, dict[str, Any]]:
    """The nearest pyproject.toml with a ``[tool.compat.audit]`` table, upward from the
    audited paths (their common directory), and that table ({} and None: none)."""
    for directory in _ancestors(_start(paths)):
        candidate = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(candidate):
            data = _load_toml(candidate)
            table = data.get("tool", {}).get("compat", {}).get("audit")
            if table is not None:
                if not isinstance(table, dict):
                    raise ConfigError(f"{candidate}: [tool.compat.audit] must be a table")
                return candidate, table
    return None, {}


def find_root(paths: Sequence[str], config_file: str | None) -> str:
    """The project root SARIF URIs and fingerprints are relative to: the directory of the
    config file, else the nearest directory upward holding ``.git`` or ``pyproject.toml``,
    else the audited paths' common directory."""
    if config_file is not None:
        return os.path.dirname(os.path.abspath(config_file))
    start = _start(paths)
    for directory in _ancestors(start):
        if os.path.exists(os.path.join(directory, ".git")) or os.path.isfile(
            os.path.join(directory, "pyproject.toml")
        ):
            return directory
    return start


def from_table(table: Mapping[str, Any], source: str) -> dict[str, Any]:
    """The options of a ``[tool.compat.audit]`` table, checked (ConfigError), as keyword
    arguments of :class:`GateConfig`; relative paths are relative to the file's directory."""
    out: dict[str, Any] = {}
    where = f"{source} [tool.compat.audit]"
    for raw_key, value in table.items():
        key = raw_key.replace("_", "-")
        if key not in _KEYS:
            raise ConfigError(
                f"{where}: unknown key {raw_key!r} (known: {', '.join(sorted(_KEYS))})"
            )
        name = key.replace("-", "_")
        if key in {"select", "ignore"}:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{where}: {raw_key} must be a list of codes")
            out[name] = check_codes(value, f"{where} {raw_key}")
        elif key == "min-confidence":
            if value not in CONFIDENCES:
                raise ConfigError(
                    f"{where}: min-confidence must be one of {', '.join(CONFIDENCES)}"
                )
            out[name] = value
        elif key in {"exit-zero", "include-ignored"}:
            if not isinstance(value, bool):
                raise ConfigError(f"{where}: {raw_key} must be true or false")
            out[name] = value
        elif key == "baseline":
            if not isinstance(value, str):
                raise ConfigError(f"{where}: baseline must be a path")
            out[name] = os.path.join(os.path.dirname(os.path.abspath(source)), value)
        elif key == "plan":
            if value not in PLAN_NAMES:
                raise ConfigError(f"{where}: plan must be one of {', '.join(PLAN_NAMES)}")
            out[name] = value
        elif key == "calls-per-day":
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise ConfigError(f"{where}: calls-per-day must be a number >= 0")
            out[name] = float(value)
        elif key == "max-file-size":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ConfigError(f"{where}: max-file-size must be a positive number of bytes")
            out[name] = value
        elif key == "format":
            if value not in {"text", "json", "markdown", "sarif"}:
                raise ConfigError(f"{where}: format must be text, json, markdown or sarif")
            out[name] = value
    return out


# --- applying the gate ---------------------------------------------------------------------------


def apply(findings: Sequence[Finding], config: GateConfig) -> tuple[list[Finding], int]:
    """The findings the selection and confidence keep, and how many they dropped."""
    kept = [
        f
        for f in findings
        if selected(f.code, select=config.select, ignore=config.ignore)
        and confident(f, config.min_confidence)
    ]
    return kept, len(findings) - len(kept)
