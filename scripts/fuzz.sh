#!/usr/bin/env bash
# Fuzzes the HTTP API from its own OpenAPI description with Schemathesis (from PyPI, installed
# into fuzz-venv in the cargo target directory), once on SQLite and once on PostgreSQL. Every
# answer must be one the description documents (status, content type, body schema), and none
# may be a 5xx; a failure prints how to reproduce it and fails the script.
#
# Environment: LATCHKEY_TEST_DATABASE_URL (PostgreSQL server, default
# postgres://postgres@127.0.0.1:5432/postgres; a database is made for the run and dropped after),
# FUZZ_EXAMPLES (test cases per operation, default 30), FUZZ_SEED (to replay a run).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
PG_URL="${LATCHKEY_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
EXAMPLES="${FUZZ_EXAMPLES:-30}"
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
[[ "$TARGET_DIR" == /* ]] || TARGET_DIR="$ROOT/$TARGET_DIR"
VENV="$TARGET_DIR/fuzz-venv"
ADMIN_KEY="lk_admin_fuzz-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"

step() { printf '\n==> %s\n' "$*"; }
fail() {
    printf '\nfuzz: %s\n' "$*" >&2
    exit 1
}

step "Schemathesis ($(tr -d '\n' <tests/fuzz/requirements.txt | sed 's/.*\(schemathesis==[^ ]*\).*/\1/'))"
command -v python3 >/dev/null 2>&1 || fail "python3 is needed to install Schemathesis"
if ! cmp -s tests/fuzz/requirements.txt "$VENV/requirements.txt" 2>/dev/null; then
    rm -rf "$VENV"
    python3 -m venv "$VENV" || fail "cannot make a Python virtual environment (python3-venv)"
    "$VENV/bin/pip" install -q --disable-pip-version-check -r tests/fuzz/requirements.txt ||
        fail "pip could not install Schemathesis from PyPI"
    cp tests/fuzz/requirements.txt "$VENV/requirements.txt"
fi

step "the server (debug build)"
cargo build -p latchkey --locked
BIN="$TARGET_DIR/debug/latchkey"

SERVER_PID=""
DATA_DIR=""
DB_NAME=""
cleanup() {
    [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
    [[ -n "$DATA_DIR" ]] && rm -rf "$DATA_DIR"
    if [[ -n "$DB_NAME" ]]; then
        psql -q "$PG_URL" -c "drop database if exists $DB_NAME with (force)" >/dev/null 2>&1 || true
    fi
    SERVER_PID="" DATA_DIR="" DB_NAME=""
}
trap cleanup EXIT

# Fuzzes one server on `$1` (a database URL, or empty for SQLite in the data directory).
fuzz() {
    local label=$1 db_url=$2
    DATA_DIR=$(mktemp -d)
    local port
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    local base="http://127.0.0.1:$port"
    (cd "$DATA_DIR" && exec env -i PATH="$PATH" RUST_LOG=warn \
        LATCHKEY_LISTEN="127.0.0.1:$port" LATCHKEY_PUBLIC_URL="http://localhost:$port" \
        LATCHKEY_DATA_DIR="$DATA_DIR" LATCHKEY_ADMIN_KEY="$ADMIN_KEY" \
        LATCHKEY_RATE_LIMITS='*=1000000000/60' ${db_url:+LATCHKEY_DATABASE_URL="$db_url"} \
        "$BIN" serve --dev) >"$DATA_DIR/server.out" 2>"$DATA_DIR/server.err" </dev/null &
    SERVER_PID=$!
    for _ in $(seq 100); do
        curl -fsS "$base/health" >/dev/null 2>&1 && break
        kill -0 "$SERVER_PID" 2>/dev/null || fail "the server on $label exited: $(cat "$DATA_DIR/server.err")"
        sleep 0.1
    done
    local api_key
    api_key=$(curl -fsS -X POST -H "Authorization: Bearer $ADMIN_KEY" -H 'content-type: application/json' \
        -d '{"name": "fuzz"}' "$base/admin/apps/demo/api-keys" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["secret"])') ||
        fail "could not make an API key for the demo app"
    # A signed-in user's access token, through an email code from the outbox.
    local origin="http://localhost:$port" email="fuzz@example.com" access_token
    curl -fsS -X POST -H "origin: $origin" -H 'content-type: application/json' \
        -d "{\"email\": \"$email\", \"purpose\": \"sign_up\"}" "$base/apps/demo/otp/email" >/dev/null ||
        fail "could not request an email code"
    local code=""
    for _ in $(seq 50); do
        code=$(cat "$DATA_DIR"/outbox/*.eml 2>/dev/null | grep -oE '\b[0-9]{6}\b' | head -1 || true)
        [[ -n "$code" ]] && break
        sleep 0.1
    done
    [[ -n "$code" ]] || fail "no code arrived in the outbox"
    access_token=$(curl -fsS -X POST -H "origin: $origin" -H 'content-type: application/json' \
        -d "{\"method\": \"email_otp\", \"email\": \"$email\", \"code\": \"$code\"}" \
        "$base/apps/demo/sessions" | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])') ||
        fail "could not sign in with the email code"
    step "fuzzing on $label: $EXAMPLES cases per operation"
    local status=0
    (cd tests/fuzz && LATCHKEY_FUZZ_ADMIN_KEY="$ADMIN_KEY" LATCHKEY_FUZZ_API_KEY="$api_key" \
        LATCHKEY_FUZZ_ACCESS_TOKEN="$access_token" \
        "$VENV/bin/schemathesis" --no-color --config-file schemathesis.toml run "$base/openapi.json" \
        --max-examples "$EXAMPLES" --workers 2 \
        ${FUZZ_SEED:+--seed "$FUZZ_SEED"} \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
        --warnings off) || status=$?
    if grep -E 'panicked|ERROR' "$DATA_DIR/server.err" >/dev/null; then
        grep -E 'panicked|ERROR' "$DATA_DIR/server.err" | head -20 >&2
        fail "the server logged errors while fuzzed on $label"
    fi
    cleanup
    [[ $status -eq 0 ]] || fail "Schemathesis found answers the description does not allow on $label"
}

fuzz SQLite ""

command -v psql >/dev/null 2>&1 || fail "psql is needed to make the PostgreSQL database"
DB_NAME="latchkey_fuzz_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
psql -q "$PG_URL" -c "create database $DB_NAME" >/dev/null || fail "cannot create a database at $PG_URL"
fuzz PostgreSQL "${PG_URL%/*}/$DB_NAME"

step "fuzzing passed"
