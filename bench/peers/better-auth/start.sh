#!/bin/sh
# Starts the better-auth peer in the foreground: installs its dependencies if they are missing,
# migrates a SQLite database in DATA_DIR, then runs one worker per core on PORT.
#   PORT      default 3002
#   DATA_DIR  default: a fresh temporary directory
#   WORKERS   default: all cores
# Prints `listening on http://127.0.0.1:PORT` on stdout once every worker listens.
set -eu
cd "$(dirname "$0")"
if [ ! -d node_modules ]; then
    npm ci --no-audit --no-fund >&2
fi
export NODE_ENV="${NODE_ENV:-production}"
# server.mjs migrates (in the primary, before forking) and then serves.
exec node server.mjs
