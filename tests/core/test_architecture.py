"""The architecture holds: one reader of the environment, a light ``import compat``, the import
contract, and a public API that is what it says."""

from __future__ import annotations

import ast
import json
import pathlib
import re
import subprocess
import sys

import pytest

import compat
from compat import _environment
from tests._support import ROOT

PACKAGE = ROOT / "compat"
README = (ROOT / "README.md").read_text(encoding="utf-8")
SETTINGS_PAGE = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
# what users read: the README and the docs site
DOCUMENTED = "\n".join(
    [README, *(p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").rglob("*.md")))]
)


def _reads_environment(tree: ast.AST) -> list[int]:
    """Lines that touch the process environment: ``os.environ``, ``os.getenv``,
    ``os.putenv``/``unsetenv`` or ``from os import environ/getenv``."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id == "os" and node.attr in {"environ", "getenv", "putenv", "unsetenv"}:
                lines.append(node.lineno)
        elif (
            isinstance(node, ast.ImportFrom)
            and node.module == "os"
            and any(a.name in {"environ", "getenv", "environb"} for a in node.names)
        ):
            lines.append(node.lineno)
    return lines


def test_no_module_but_the_settings_environment_table_reads_os_environ() -> None:
    offenders = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        lines = _reads_environment(ast.parse(path.read_text(encoding="utf-8")))
        if lines:
            offenders[str(path.relative_to(ROOT))] = lines
    assert offenders == {"compat/_environment.py": offenders.get("compat/_environment.py")}
    assert offenders["compat/_environment.py"], "the table module is the one reader"


def test_the_checker_sees_each_way_of_reading_the_environment() -> None:
    for snippet in (
        "import os\nos.environ['X']",
        "import os\nos.getenv('X')",
        "from os import environ",
        "from os import getenv",
    ):
        assert _reads_environment(ast.parse(snippet)), snippet


def test_every_environment_name_the_docs_document_is_in_the_one_table() -> None:
    table = {row.name for row in _environment.table()}
    documented = set(re.findall(r"`((?:X_|TWITTER_|COMPAT_|AISA_)[A-Z0-9_]+)`", DOCUMENTED))
    documented |= {
        name
        for name in re.findall(r"`([A-Z][A-Z0-9]*_[A-Z0-9_]+)`", DOCUMENTED)
        if name.split("_")[0] in {"CONSUMER", "API", "ACCESS", "USER"}
    }
    # COMPAT_SCAN_ARTIFACTS is the test suite's own switch, not compat's
    assert documented - {"COMPAT_SCAN_ARTIFACTS"} <= table
    # the 44 documented before the plans issue; COMPAT_PLAN, COMPAT_TOKEN_FILE and the
    # OAuth 2.0 refresh values of the X_ and TWITTER_ families came with it; the gateway
    # issue added COMPAT_GATEWAY_READ and COMPAT_GATEWAY_TIER; the legacy-programs and
    # performance issues COMPAT_UNSERVED, COMPAT_LOOKUP and COMPAT_POST_CACHE_TTL / _SIZE
    assert len(table) == 58
    assert f"every environment name compat reads ({len(table)})" in SETTINGS_PAGE


def test_the_table_lists_precedence_within_each_setting() -> None:
    rows = [r for r in _environment.table() if r.setting == "gateway_api_key"]
    assert [(r.name, r.rank) for r in rows] == [
        ("COMPAT_GATEWAY_API_KEY", 0),
        ("AISA_API_KEY", 1),
    ]
    assert _environment.setting(
        "gateway_api_key", {"AISA_API_KEY": "second", "COMPAT_GATEWAY_API_KEY": "first"}
    ) == ("first")


def _modules_after(code: str) -> set[str]:
    probe = f"import sys\n{code}\nimport json\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return set(json.loads(done.stdout))


def test_import_compat_loads_no_tool_no_validator_and_no_http() -> None:
    loaded = _modules_after("import compat")
    heavy = {"compat.audit", "compat.emulator", "jsonschema", "jsonschema_rs", "requests"}
    assert not loaded & heavy
    assert "importlib.metadata" not in loaded  # __version__ is compat/_version.py's


def test_the_drop_in_functions_do_not_load_the_tools() -> None:
    loaded = _modules_after("from compat import favorites_create, install")
    assert not {m for m in loaded if m.startswith(("compat.audit", "compat.emulator"))}


def test_every_public_name_resolves_and_nothing_else_is_offered() -> None:
    for name in compat.__all__:
        assert getattr(compat, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'serve_create'"):
        compat.serve_create  # noqa: B018
    assert set(compat.__all__) <= set(dir(compat))


def test_version_comes_from_the_source_file() -> None:
    text = (PACKAGE / "_version.py").read_text(encoding="utf-8")
    assert f'__version__ = "{compat.__version__}"' in text


def test_the_import_contract_is_kept() -> None:
    lint = pathlib.Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint)], capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stdout[-2000:]
    assert "0 broken" in done.stdout
