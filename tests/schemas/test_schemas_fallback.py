"""Without jsonschema_rs the same code validates with jsonschema: same verdicts, same errors,
and one INFO log saying so (issue 5 parts 1 and 5)."""

from __future__ import annotations

import copy
import json
import math
import subprocess
import sys
import textwrap
from typing import Any

from compat import schemas
from compat.errors import SchemaError
from tests._support import ROOT
from tests._support.schemas import REAL_V2, REALDATA, load

SCRIPT = textwrap.dedent(
    """
    import json, logging, sys
    sys.modules["jsonschema_rs"] = None  # hide the fast backend: its import now fails
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append([record.name, record.levelname, record.getMessage()])

    logger = logging.getLogger("compat.schemas")
    logger.addHandler(Keep())
    logger.setLevel(logging.DEBUG)
    from compat import schemas
    from compat.errors import SchemaError

    out = {"backend": schemas.backend_name(), "results": []}
    for name, doc in json.load(sys.stdin):
        try:
            schemas.validate(name, doc)
            out["results"].append(None)
        except SchemaError as exc:
            out["results"].append([exc.path, exc.rule, exc.schema_path, str(exc)])
    try:
        schemas.Validator("v2/tweet", backend="jsonschema-rs")
    except ValueError as exc:
        out["rs_refused"] = str(exc)
    out["logs"] = records
    print(json.dumps(out))
    """
)


def _cases() -> list[tuple[str, Any]]:
    cases: list[tuple[str, Any]] = []
    for filename, name in sorted(REAL_V2.items()):
        doc = load(REALDATA / filename)
        cases.append((name, doc))
        broken = copy.deepcopy(doc)
        data = broken.get("data")
        target = data[0] if isinstance(data, list) else data
        if "id" in target:
            target["id"] = int(target["id"])
        else:
            target["liked"] = "true"
        cases.append((name, broken))
    page = load(REALDATA / "tweepy_v2_liked_tweets.json")
    page["meta"]["result_count"] = math.nan
    cases.append(("v2/liked_tweets_page", page))
    page = load(REALDATA / "tweepy_v2_liked_tweets.json")
    page["data"][7]["id"] += "\n"
    cases.append(("v2/liked_tweets_page", page))
    cases.append(("v2/problem", {"title": "Unauthorized", "status": 401}))
    cases.append(("v2/problem", {"status": 401}))
    return cases


def _here(name: str, doc: Any) -> list[str] | None:
    try:
        schemas.validate(name, doc)
    except SchemaError as exc:
        return [exc.path, exc.rule, exc.schema_path, str(exc)]
    return None


def test_fallback_to_jsonschema_gives_the_same_results_and_logs_once() -> None:
    cases = _cases()
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    out = json.loads(proc.stdout)
    assert out["backend"] == "jsonschema"
    assert schemas.backend_name() == "jsonschema-rs"  # this process still has the fast one
    here = [_here(name, json.loads(json.dumps(doc))) for name, doc in cases]
    assert out["results"] == here
    assert sum(r is None for r in here) == len(REAL_V2) + 1  # the real ones and one problem
    assert "not installed" in out["rs_refused"]
    info = [r for r in out["logs"] if r[1] == "INFO"]
    assert len(info) == 1, out["logs"]
    assert info[0][0] == "compat.schemas"
    assert info[0][2].startswith("schemas.slow_mode ")
    assert "pure-Python" in info[0][2]
