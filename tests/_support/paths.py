"""Where the test data lives."""

from __future__ import annotations

import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
#: The real recorded payloads the tests compare against (tests/realdata/README.md).
REALDATA = ROOT / "tests" / "realdata"
CASSETTES = ROOT / "cassettes"
#: Where the normal run leaves its DEBUG logs and runtime audit logs for the secrets scan.
ARTIFACTS = ROOT / "artifacts"
