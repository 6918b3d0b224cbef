#!/usr/bin/env bash
# The README's first command: set up, then run legacy favorites calls on the embedded v2 emulator.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/bootstrap.sh"
exec "$ROOT/.venv/bin/compat" demo "$@"
