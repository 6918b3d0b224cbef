"""The v1.1 JSON schemas (schemas/v1.1) as validators of both backends, for tests.

Built here with jsonschema (+ referencing.Registry) and jsonschema-rs (+ its Registry), so the
tests that use them do not depend on compat.schemas' engine.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import jsonschema_rs
import referencing
import referencing.jsonschema

from tests._support.paths import ROOT

V11_DIR = ROOT / "schemas" / "v1.1"


def v11_schemas() -> dict[str, dict[str, Any]]:
    """schemas/v1.1/<name>.json by name (``"tweet"``, ``"user"``, ...)."""
    return {
        p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(V11_DIR.glob("*.json"))
    }


class V11Validators:
    """``errors(name, instance)`` → the error messages of both backends (which must agree)."""

    def __init__(self) -> None:
        schemas = v11_schemas()
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
