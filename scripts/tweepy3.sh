#!/usr/bin/env bash
# Build .venv-tweepy3 (compat + tweepy 3.10.0; one environment cannot hold both tweepys) and
# run tests/adapter_tweepy3 in it. tweepy 3 imports only on Python <= 3.12: skipped above.
# Usage: scripts/tweepy3.sh [pytest args...]     (PYTHON=python3.11 to pick the interpreter)
#        scripts/tweepy3.sh --setup-only          (build the venv, run nothing: the corpus
#                                                  runs tweepy 3 programs with its python)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-python3}"
if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info < (3, 13) else 1)'; then
  echo "tweepy3.sh: skipped: tweepy 3.10.0 does not import on Python > 3.12 ($("$PY" -V 2>&1))"
  exit 0
fi
VENV="$ROOT/.venv-tweepy3"
if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV"
fi
stamp="$VENV/.compat-installed"
if [ ! -f "$stamp" ] || [ "$ROOT/pyproject.toml" -nt "$stamp" ] || [ "$0" -nt "$stamp" ]; then
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    -e "$ROOT" "tweepy==3.10.0" pytest vcrpy pytest-recording
  touch "$stamp"
fi
if [ "${1:-}" = "--setup-only" ]; then
  exit 0
fi
cd "$ROOT"
exec "$VENV/bin/python" -m pytest -p no:cacheprovider tests/adapter_tweepy3 "$@"
