#!/usr/bin/env bash
# Runs every check and test of Latchkey: formatting, lints, unit tests, the tests of the vendored
# webauthn_rp, every integration suite twice (on SQLite and on PostgreSQL), and the real-browser
# tests of the SDK and the hosted pages in headless Chromium (scripts/e2e.sh installs Chromium and
# the npm packages it needs), and a schema-based fuzzer over HTTP on both databases
# (scripts/fuzz.sh installs Schemathesis from PyPI).
#
# PostgreSQL: LATCHKEY_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres)
# must reach a server where that user may create databases; each test makes and drops its own.
# If it cannot be reached, this script fails and says so: nothing is skipped silently.
#
# The PostgreSQL pass runs every target that opens a test database through the shared harness
# (crates/latchkey-test): the store's unit tests and the harness's own (--lib), the server's
# in-process and process suites (api, process), the client's suite (api) and the load
# generator's scenarios. Cargo refuses a --test name that no crate has.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
PG_URL="${LATCHKEY_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"

step() { printf '\n==> %s\n' "$*"; }

step "toolchain: $(cargo --version)"
for tool in rustfmt clippy-driver; do
    if ! command -v "$tool" >/dev/null 2>&1 && ! rustup which "$tool" >/dev/null 2>&1; then
        echo "missing $tool: install it with 'rustup component add ${tool%-driver}'" >&2
        exit 1
    fi
done

step "PostgreSQL at ${PG_URL%%@*}@…"
if command -v pg_isready >/dev/null 2>&1; then
    host=$(sed -E 's#^[a-z]+://([^@/]*@)?([^:/?]+).*#\2#' <<<"$PG_URL")
    port=$(sed -nE 's#^[a-z]+://([^@/]*@)?[^:/?]+:([0-9]+).*#\2#p' <<<"$PG_URL")
    if ! pg_isready -q -h "$host" -p "${port:-5432}"; then
        echo "PostgreSQL is not reachable at $host:${port:-5432}; start it or set LATCHKEY_TEST_DATABASE_URL" >&2
        exit 1
    fi
fi

step "cargo fmt --check"
cargo fmt --all -- --check
# The vendored crate keeps its upstream formatting; the files of our patch are checked.
rustfmt --edition 2024 --check vendor/webauthn_rp/src/response/aws_lc.rs

step "cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "unit and integration tests on SQLite"
env -u LATCHKEY_TEST_DATABASE_URL cargo test --workspace --locked

# vendor/webauthn_rp is outside the workspace (vendor/README.md): its tests run here, once as
# upstream builds it (RustCrypto only) and once with every feature, which adds the aws-lc-rs
# signature backend and the tests that check it against RustCrypto.
step "vendored webauthn_rp: its tests as upstream builds it"
cargo test --manifest-path vendor/webauthn_rp/Cargo.toml --target-dir target --locked \
    --features custom,serde_relaxed,serializable_server_state

step "vendored webauthn_rp: its tests with the aws-lc-rs backend, checked against RustCrypto"
cargo test --manifest-path vendor/webauthn_rp/Cargo.toml --target-dir target --locked --all-features

step "store unit tests and every integration suite on PostgreSQL"
LATCHKEY_TEST_DATABASE_URL="$PG_URL" cargo test --workspace --locked \
    --lib --test api --test process --test scenarios

step "browser tests (headless Chromium)"
./scripts/e2e.sh

step "schema-based fuzzing of the HTTP API (Schemathesis) on SQLite and PostgreSQL"
LATCHKEY_TEST_DATABASE_URL="$PG_URL" ./scripts/fuzz.sh

step "all checks passed"
