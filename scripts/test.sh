#!/usr/bin/env bash
# The README's second command: set up, then run every check the project has.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"
BIN="$ROOT/.venv/bin"
echo "== ruff"
"$BIN/ruff" check compat tests benchmarks
"$BIN/ruff" format --check compat tests benchmarks
echo "== mypy --strict"
"$BIN/mypy" --strict compat
echo "== pytest (branch coverage gate on compat/)"
"$BIN/python" -m pytest --cov=compat --cov-branch --cov-report=term --cov-fail-under="${COMPAT_COVERAGE_MIN:-90}" "$@"
