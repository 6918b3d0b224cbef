"""Shared fixtures for the reshape tests: real payloads and v1.1 schema validators.

The validators are built here with both backends (jsonschema + referencing.Registry, and
jsonschema-rs with its Registry), so these tests do not depend on compat.schemas' engine.
"""

from __future__ import annotations

import json
import pathlib
from collections.abc import Callable
from typing import Any

import jsonschema
import jsonschema_rs
import pytest
import referencing
import referencing.jsonschema

ROOT = pathlib.Path(__file__).resolve().parents[2]
REALDATA = ROOT / "tests" / "realdata"
V11_DIR = ROOT / "schemas" / "v1.1"


def load_real(name: str) -> Any:
    return json.loads((REALDATA / name).read_text(encoding="utf-8"))


def _v11_schemas() -> dict[str, dict[str, Any]]:
    return {
        p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(V11_DIR.glob("*.json"))
    }


class V11Validators:
    """``check(name, instance)`` → list of error messages from both backends (must agree)."""

    def __init__(self) -> None:
        schemas = _v11_schemas()
        resources = [
            (s["$id"], referencing.Resource.from_contents(s, referencing.jsonschema.DRAFT202012))
            for s in schemas.values()
        ]
        registry: referencing.Registry[Any] = referencing.Registry().with_resources(resources)
        self.py = {
            name: jsonschema.Draft202012Validator(schema, registry=registry)
            for name, schema in schemas.items()
        }
        rs_registry = jsonschema_rs.Registry([(s["$id"], s) for s in schemas.values()])
        self.rs = {
            name: jsonschema_rs.validator_for(schema, registry=rs_registry)
            for name, schema in schemas.items()
        }

    def errors(self, name: str, instance: Any) -> list[str]:
        py_errors = [f"{e.json_path}: {e.message}" for e in self.py[name].iter_errors(instance)]
        rs_valid = self.rs[name].is_valid(instance)
        assert rs_valid == (not py_errors), (name, py_errors[:5])
        return py_errors


@pytest.fixture(scope="session")
def v11() -> V11Validators:
    return V11Validators()


@pytest.fixture
def real() -> Callable[[str], Any]:
    return load_real
