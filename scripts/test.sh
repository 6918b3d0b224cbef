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
echo "== import contract (layers, the tools outside the core, no cycles)"
"$BIN/lint-imports"
echo "== mypy --strict"
"$BIN/mypy" --strict compat
echo "== docs site: mkdocs build --strict (warnings are errors)"
site_dir="$(mktemp -d)"
"$BIN/mkdocs" build --strict --quiet --site-dir "$site_dir"
rm -rf "$site_dir"
if [ -f "$ROOT/scripts/tweepy3.sh" ]; then
  echo "== tweepy 3.10.0's own venv (the corpus runs its tweepy 3 programs there)"
  bash "$ROOT/scripts/tweepy3.sh" --setup-only
fi
echo "== pytest, -W error, branch coverage gate on compat/"
rm -rf "$ROOT/artifacts"
"$BIN/python" -m pytest --cov=compat --cov-branch --cov-report=term:skip-covered \
  --cov-fail-under="${COMPAT_COVERAGE_MIN:-90}" "$@"
echo "== secrets scan of the run's logs, audit logs and cassettes"
COMPAT_SCAN_ARTIFACTS=1 "$BIN/python" -m pytest -q -s -p no:cacheprovider tests/secrets_scan
if [ -f "$ROOT/scripts/tweepy3.sh" ]; then
  echo "== tweepy 3.10.0 in its own venv"
  bash "$ROOT/scripts/tweepy3.sh"
fi
