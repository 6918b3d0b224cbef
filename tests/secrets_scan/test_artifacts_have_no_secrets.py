"""Run after the main suite (scripts/test.sh does): its logs, audit logs and cassettes hold no
secret. Collected only with COMPAT_SCAN_ARTIFACTS=1."""

from __future__ import annotations

import pathlib

from tests._support import ROOT
from tests._support.leaks import all_secrets, leaks


def files() -> list[pathlib.Path]:
    found = [p for p in (ROOT / "artifacts").rglob("*") if p.is_file()]
    found += [p for p in (ROOT / "cassettes").rglob("*.yaml")]
    return found


def test_artifacts_exist() -> None:
    logs = list((ROOT / "artifacts" / "logs").glob("*.log"))
    audits = list((ROOT / "artifacts" / "audit").glob("*.jsonl"))
    assert logs and sum(p.stat().st_size for p in logs) > 0, "the main run wrote no DEBUG log"
    print(f"scanned {len(files())} files ({len(logs)} debug logs, {len(audits)} audit logs)")


def test_no_secret_in_any_artifact() -> None:
    secrets = all_secrets()
    hits = {}
    for path in files():
        found = leaks(path.read_text(encoding="utf-8", errors="replace"), secrets)
        if found:
            hits[str(path.relative_to(ROOT))] = found[:3]
    assert hits == {}
