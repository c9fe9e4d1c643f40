#!/usr/bin/env bash
# Runs the real-browser tests (tests/e2e/): the browser SDK in Debian's headless Chromium with
# virtual authenticators, against a freshly built server.
#
# Installs what it needs itself: Debian's `chromium` package when /usr/bin/chromium is missing
# (needs root), and the tests' npm packages (`npm ci`) when node_modules is missing or the
# lockfile changed. Nothing is skipped silently: without Chromium or Node it fails and says why.
#
# Environment: LATCHKEY_BIN (default: the binary this script builds), CHROMIUM (default
# /usr/bin/chromium), E2E_SCREENSHOTS (default target/e2e-screenshots).
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
E2E_DIR=tests/e2e

step() { printf '\n==> %s\n' "$*"; }
fail() {
    printf '\ne2e: %s\n' "$*" >&2
    exit 1
}

step "Chromium at $CHROMIUM"
if [[ ! -x "$CHROMIUM" ]]; then
    if [[ "$CHROMIUM" != /usr/bin/chromium ]]; then
        fail "CHROMIUM=$CHROMIUM does not exist or is not executable"
    fi
    if [[ "$(id -u)" -ne 0 ]]; then
        fail "/usr/bin/chromium is missing and installing it needs root: run" \
            "'sudo apt-get update && sudo apt-get install -y chromium', then this script again"
    fi
    command -v apt-get >/dev/null 2>&1 ||
        fail "/usr/bin/chromium is missing and there is no apt-get to install Debian's 'chromium' package"
    echo "installing Debian's chromium package"
    apt-get update -q || fail "apt-get update failed: cannot install chromium"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium ||
        fail "apt-get install chromium failed"
    [[ -x "$CHROMIUM" ]] || fail "the chromium package did not provide $CHROMIUM"
fi
"$CHROMIUM" --version 2>/dev/null || fail "$CHROMIUM does not run (try '$CHROMIUM --version')"

step "Node.js"
command -v node >/dev/null 2>&1 || fail "node is not installed: the tests need Node.js 20 or newer"
command -v npm >/dev/null 2>&1 || fail "npm is not installed: the tests need it to install playwright-core"
node_major=$(node -p 'process.versions.node.split(".")[0]')
((node_major >= 20)) || fail "Node.js $(node --version) is too old: the tests need 20 or newer"
echo "node $(node --version), npm $(npm --version)"

step "npm packages of $E2E_DIR"
lock_hash=$(sha256sum "$E2E_DIR/package-lock.json" | cut -d' ' -f1)
stamp="$E2E_DIR/node_modules/.latchkey-lock.sha256"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$lock_hash" ]]; then
    echo "up to date with package-lock.json"
else
    (cd "$E2E_DIR" && npm ci --no-audit --no-fund) || fail "npm ci in $E2E_DIR failed"
    echo "$lock_hash" >"$stamp"
fi

step "cargo build -p latchkey"
cargo build -p latchkey --locked || fail "the server does not build"
target_dir="${CARGO_TARGET_DIR:-target}"
export LATCHKEY_BIN="${LATCHKEY_BIN:-$target_dir/debug/latchkey}"
export CHROMIUM
E2E_SCREENSHOTS="${E2E_SCREENSHOTS:-target/e2e-screenshots}"
export E2E_SCREENSHOTS
rm -rf "$E2E_SCREENSHOTS"
mkdir -p "$E2E_SCREENSHOTS"

step "node --test $E2E_DIR/"
started=$(date +%s)
status=0
node --test --test-reporter=spec "$E2E_DIR/" || status=$?
elapsed=$(($(date +%s) - started))
if ((status != 0)); then
    fail "the browser tests FAILED (exit $status, ${elapsed}s): the failing tests are listed" \
        "above; screenshots in $E2E_SCREENSHOTS"
fi
step "browser tests passed in ${elapsed}s; screenshots in $E2E_SCREENSHOTS"
