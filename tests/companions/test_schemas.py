"""The derived v1.1 schemas are what tests/companions/_derive.py makes of tweet.json and
user.json (rewrite them with ``python -m tests.companions._derive``)."""

from __future__ import annotations

import json

from tests.companions._derive import V11, derived


def test_derived_schemas_are_up_to_date() -> None:
    for name, schema in derived().items():
        written = json.loads((V11 / f"{name}.json").read_text(encoding="utf-8"))
        assert written == schema, (
            f"schemas/v1.1/{name}.json: run python -m tests.companions._derive"
        )
