#!/usr/bin/env bash
# Starts the hand-written peer server in the foreground (the node process replaces this shell, so
# its PID is the cluster primary's). Installs the locked dependencies first if they are missing.
#
# Environment: PORT (default 3001), DATA_DIR (default: a fresh temporary directory, removed on
# exit), WORKERS (default: every core). Prints `listening on http://127.0.0.1:PORT` when ready.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -d node_modules ]; then
  # stdout is reserved for the ready line.
  npm ci --no-audit --no-fund >&2
fi
exec node server.mjs
