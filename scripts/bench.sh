#!/usr/bin/env bash
# Benchmarks Latchkey (issue 6) and writes BENCHMARKS.md.
#
# One run at a time on this machine, each against a server started for it on an empty store:
#   1. builds release, runs the crypto floor (criterion, `crypto_floor`);
#   2. cold start to the first /health 200 and idle RSS;
#   3. every scenario (signup, signin, verify, refresh, mixed) against Latchkey on SQLite, Latchkey
#      on PostgreSQL and each peer under bench/peers/ (started by its start.sh); and email (an
#      email-code sign-in, the email delivered over SMTP to latchkey-bench's own sink), oidc (the
#      OpenID Provider's code flow for a signed-in user: authorize, code exchange, userinfo) and
#      introspect (`oauth/introspect` as the client) against Latchkey only: the peers implement
#      no email sign-in and no OpenID Provider, so these are recorded as not applicable for them;
#   4. sign-in latency at an offered 1,000 sign-ins/s;
#   5. per Latchkey backend: 100,000 sign-ups into one server (its RSS and database size), then
#      sessions added by SQL up to 1,000,000 and `verify` against that store.
# Every result is a JSON file under target/bench/<UTC timestamp>/; scripts/bench-report.py renders
# them, with bench/ANALYSIS.md copied in verbatim, into BENCHMARKS.md.
#
# Errors are never hidden: a run with errors is reported with its count, and the script exits
# non-zero at the end, naming every run that had errors and every step that failed. Every server,
# database and data directory it made is removed on exit, Ctrl-C included.
#
# On 2 cores a full run takes about 13-16 minutes (half of it the two 100,000-user fills), a quick
# one (BENCH_QUICK=1) about 3 minutes; add the release build when it is not up to date.
#
# Environment (defaults in brackets; BENCH_QUICK=1 changes them to the second value):
#   BENCH_QUICK=1            a smoke pass: short runs, small sizes (numbers not meaningful)
#   BENCH_DURATION           seconds per timed run [10 | 2]
#   BENCH_CONCURRENCY        load-generator workers [16 | 16]
#   BENCH_USERS              users signed up before sign-in, verify, refresh, mixed [200 | 32]
#   BENCH_EMAIL_USERS        users made before email; each may be signed in only once per 32 s,
#                            so they cap it at that many sign-ins per 32 s [20000 | 2000]
#   BENCH_EMAIL_CONCURRENCY  workers for email, whose operations wait for an email [64 | 64]
#   BENCH_OIDC_USERS         users signed in before oidc, taken in turn; a user's code flows past
#                            its 20th also revoke its oldest grant, so enough users keep the
#                            flows under that cap [2000 | 400]
#   BENCH_RATE               offered sign-ins/s for the latency-at-rate run [1000 | 1000]
#   BENCH_RATE_CONCURRENCY   workers for that run, so the schedule has room [64 | 64]
#   BENCH_USERS_FILL         users signed up for the store-size runs; 0 skips them [100000 | 2000]
#   BENCH_SESSIONS_FILL      sessions in the store for verify-at-size [1000000 | 20000]
#   BENCH_COLD_TRIES         cold starts per backend [10 | 3]
#   BENCH_IDLE_WAIT          seconds after start before idle RSS is read [5 | 2]
#   BENCH_FLOOR_ARGS         criterion arguments [--warm-up-time 1 --measurement-time 3 | ... 0.5 ... 1]
#   BENCH_SCENARIOS          which scenarios, may be empty
#                            ["signup signin verify refresh mixed email oidc introspect"]
#   BENCH_PEERS              which peers ["handwritten better-auth"]
#   BENCH_PEER_WORKERS       WORKERS for the peers [all cores]
#   BENCH_SKIP_PEERS=1       run no peer (reported as skipped); otherwise a missing peer fails
#   BENCH_SKIP_POSTGRES=1    run nothing on PostgreSQL (reported as skipped)
#   BENCH_PG_URL             PostgreSQL server, no database [postgres://postgres@127.0.0.1:5432];
#                            a database is created per run and dropped after it
#   BENCH_REPORT             where to write the report [BENCHMARKS.md]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
    exit 0
fi
if [[ $# -gt 0 ]]; then
    echo "bench.sh takes no arguments (see --help for the BENCH_* variables)" >&2
    exit 2
fi

export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

QUICK="${BENCH_QUICK:-0}"
[[ "$QUICK" == 1 ]] || QUICK=0
pick() { if [[ "$QUICK" == 1 ]]; then echo "$2"; else echo "$1"; fi; }
DURATION="${BENCH_DURATION:-$(pick 10 2)}"
CONCURRENCY="${BENCH_CONCURRENCY:-16}"
USERS="${BENCH_USERS:-$(pick 200 32)}"
EMAIL_USERS="${BENCH_EMAIL_USERS:-$(pick 20000 2000)}"
EMAIL_CONCURRENCY="${BENCH_EMAIL_CONCURRENCY:-64}"
OIDC_USERS="${BENCH_OIDC_USERS:-$(pick 2000 400)}"
RATE="${BENCH_RATE:-1000}"
RATE_CONCURRENCY="${BENCH_RATE_CONCURRENCY:-64}"
USERS_FILL="${BENCH_USERS_FILL:-$(pick 100000 2000)}"
SESSIONS_FILL="${BENCH_SESSIONS_FILL:-$(pick 1000000 20000)}"
COLD_TRIES="${BENCH_COLD_TRIES:-$(pick 10 3)}"
IDLE_WAIT="${BENCH_IDLE_WAIT:-$(pick 5 2)}"
FLOOR_ARGS="${BENCH_FLOOR_ARGS:-$(pick '--warm-up-time 1 --measurement-time 3' '--warm-up-time 0.5 --measurement-time 1')}"
read -r -a SCENARIOS <<<"${BENCH_SCENARIOS-signup signin verify refresh mixed email oidc introspect}"
read -r -a PEERS <<<"${BENCH_PEERS:-handwritten better-auth}"
PEER_WORKERS="${BENCH_PEER_WORKERS:-$(nproc)}"
SKIP_PEERS="${BENCH_SKIP_PEERS:-0}"
SKIP_POSTGRES="${BENCH_SKIP_POSTGRES:-0}"
PG_URL="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}"
PG_URL="${PG_URL%/}"
REPORT="${BENCH_REPORT:-BENCHMARKS.md}"

for scenario in "${SCENARIOS[@]}"; do
    case "$scenario" in
        signup | signin | verify | refresh | mixed | email | oidc | introspect) ;;
        *) echo "BENCH_SCENARIOS: unknown scenario $scenario" >&2 && exit 2 ;;
    esac
done
for n in DURATION CONCURRENCY USERS EMAIL_USERS EMAIL_CONCURRENCY OIDC_USERS RATE RATE_CONCURRENCY \
    USERS_FILL SESSIONS_FILL COLD_TRIES IDLE_WAIT; do
    if ! [[ "${!n}" =~ ^[0-9]+([.][0-9]+)?$ ]]; then
        echo "BENCH_$n must be a number, not '${!n}'" >&2
        exit 2
    fi
done

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$ROOT/target/bench/$STAMP"
LOGS="$OUT/logs"
mkdir -p "$LOGS"
TMP_ROOT="$(mktemp -d "${TMPDIR:-/tmp}/latchkey-bench.XXXXXX")"
# Copies of the binaries built below: others may rebuild target/release during a long run.
LATCHKEY_BIN="$TMP_ROOT/bin/latchkey"
# The load comes from one address: per-client limits far above it, so the limiter counts every
# request and refuses none (the email scenario is built around the per-address email limit).
BENCH_RATE_LIMITS='*=1000000000/60,email_address=1/30+5/3600'
# Latchkey's PUBLIC_URL (its default, said out loud): oidc and introspect make their app on its
# origin, where the OpenID Provider's pages run, and latchkey-bench is told it.
PUBLIC_URL='http://localhost:8080'
BENCH_BIN="$TMP_ROOT/bin/latchkey-bench"
RUNS="$OUT/runs.jsonl"
MEASUREMENTS="$OUT/measurements.jsonl"
: >"$RUNS"
: >"$MEASUREMENTS"

FAILURES=()
SKIPPED=()
TARGETS=(latchkey-sqlite)
STARTED_AT="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
SECONDS=0

step() { printf '\n==> %s\n' "$*" >&2; }
note_failure() {
    FAILURES+=("$*")
    printf 'FAILED: %s\n' "$*" >&2
}

# jrecord FILE key=string key:=json ...: appends one JSON object as a line to FILE.
jrecord() {
    local file=$1
    shift
    python3 - "$@" >>"$file" <<'PY'
import json, sys
record = {}
for arg in sys.argv[1:]:
    key, _, value = arg.partition("=")
    if key.endswith(":"):
        record[key[:-1]] = json.loads(value)
    else:
        record[key] = value
print(json.dumps(record))
PY
}

# json_get FILE EXPR: a value from a JSON file (EXPR is Python over `d`), or empty.
json_get() {
    python3 - "$1" "$2" <<'PY' 2>/dev/null || true
import json, sys
with open(sys.argv[1]) as f:
    d = json.load(f)
v = eval(sys.argv[2], {"d": d})
print("" if v is None else v)
PY
}

# ---------------------------------------------------------------------------------------------
# Processes: one server at a time, in these globals; the EXIT trap stops whatever is left.

SERVER_PID=""
SERVER_BASE=""
SERVER_DIR=""
SERVER_DB=""
SERVER_LOG=""
ADMIN_KEY=""
# Set for the email runs: the port of latchkey-bench's SMTP sink, which Latchkey delivers to.
SMTP_PORT=""
BENCH_JOB=""
DATABASES=()
DB_SEQ=0
CREATED_DB=""

# tree_pids PID: PID and all its descendants.
tree_pids() {
    ps -e -o pid=,ppid= | awk -v root="$1" '
        { kids[$2] = kids[$2] " " $1 }
        END {
            queue = root; out = ""
            while (queue != "") {
                n = split(queue, q, " "); queue = ""
                for (i = 1; i <= n; i++) { out = out " " q[i]; if (q[i] in kids) queue = queue kids[q[i]] }
            }
            print out
        }'
}

# tree_status_kib PID FIELD: FIELD (VmRSS, VmHWM) summed over PID and its descendants, in KiB.
tree_status_kib() {
    local total=0 pid value
    for pid in $(tree_pids "$1"); do
        value=$(awk -v f="$2:" '$1 == f { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
        total=$((total + ${value:-0}))
    done
    echo "$total"
}

# kill_tree PID: SIGTERM, up to 15 s for it to exit, then SIGKILL to whatever of its tree is left.
kill_tree() {
    local pid=$1 pids i p
    pids=$(tree_pids "$pid")
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 150; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    for p in $pids; do
        kill -KILL "$p" 2>/dev/null || true
    done
    wait "$pid" 2>/dev/null || true
}

pg_admin() { psql "$PG_URL/postgres" -X -q -v ON_ERROR_STOP=1 "$@"; }

# create_database: a fresh, empty PostgreSQL database, named in CREATED_DB.
create_database() {
    DB_SEQ=$((DB_SEQ + 1))
    CREATED_DB="latchkey_bench_$(tr '[:upper:]' '[:lower:]' <<<"$STAMP")_$$_$DB_SEQ"
    DATABASES+=("$CREATED_DB")
    pg_admin -c "create database $CREATED_DB" >/dev/null
}

drop_database() {
    local db left=()
    if ! pg_admin -c "drop database if exists $1 with (force)" >/dev/null; then
        echo "warning: could not drop database $1" >&2
        return 0
    fi
    for db in "${DATABASES[@]}"; do
        [[ "$db" == "$1" ]] || left+=("$db")
    done
    DATABASES=("${left[@]+"${left[@]}"}")
}

# free_port: a TCP port on 127.0.0.1 that was free a moment ago.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_listening LABEL TIMEOUT_S: waits for `listening on http://...` in the server's stdout and
# sets SERVER_BASE; fails if the server exits first or is not ready in time.
wait_listening() {
    local label=$1 timeout=$2 line i
    for ((i = 0; i < timeout * 20; i++)); do
        line=$(grep -m1 -o 'listening on http://[^[:space:]]*' "$LOGS/$label.out" 2>/dev/null || true)
        if [[ -n "$line" ]]; then
            SERVER_BASE="${line#listening on }"
            return 0
        fi
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "$label exited before it listened; the end of its stderr:" >&2
            tail -n 20 "$LOGS/$label.err" >&2 || true
            return 1
        fi
        sleep 0.05
    done
    echo "$label did not print its listening line within $timeout s" >&2
    return 1
}

# start_target TARGET LABEL: starts TARGET (latchkey-sqlite, latchkey-postgres or a peer) on an
# empty store; logs go to $LOGS/LABEL.{out,err}.
start_target() {
    local target=$1 label=$2 db_url=""
    SERVER_LOG=$label
    SERVER_DIR=$(mktemp -d "$TMP_ROOT/$label.XXXX")
    case "$target" in
        latchkey-*)
            if [[ "$target" == latchkey-postgres ]]; then
                create_database || return 1
                SERVER_DB=$CREATED_DB
                db_url="$PG_URL/$SERVER_DB"
            fi
            ADMIN_KEY="lk_admin_bench-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
            # A clean environment, and the data directory as working directory, so no
            # LATCHKEY_* variable or latchkey.toml of the caller's leaks into the run.
            (cd "$SERVER_DIR" && exec env -i PATH="$PATH" RUST_LOG=warn \
                LATCHKEY_LISTEN=127.0.0.1:0 LATCHKEY_PUBLIC_URL="$PUBLIC_URL" \
                LATCHKEY_DATA_DIR="$SERVER_DIR" \
                LATCHKEY_ADMIN_KEY="$ADMIN_KEY" ${db_url:+LATCHKEY_DATABASE_URL="$db_url"} \
                LATCHKEY_RATE_LIMITS="$BENCH_RATE_LIMITS" \
                ${SMTP_PORT:+LATCHKEY_SMTP_URL="smtp://127.0.0.1:$SMTP_PORT"} \
                "$LATCHKEY_BIN" serve) >"$LOGS/$label.out" 2>"$LOGS/$label.err" </dev/null &
            SERVER_PID=$!
            wait_listening "$label" 60
            ;;
        *)
            local port
            port=$(free_port)
            ADMIN_KEY=""
            env PORT="$port" DATA_DIR="$SERVER_DIR" WORKERS="$PEER_WORKERS" \
                "$ROOT/bench/peers/$target/start.sh" >"$LOGS/$label.out" 2>"$LOGS/$label.err" </dev/null &
            SERVER_PID=$!
            # The first start may run `npm ci`.
            wait_listening "$label" 300
            ;;
    esac
}

stop_target() {
    if [[ -n "$SERVER_PID" ]]; then
        kill_tree "$SERVER_PID"
    fi
    if [[ -n "$SERVER_DB" ]]; then
        drop_database "$SERVER_DB"
    fi
    if [[ -n "$SERVER_DIR" ]]; then
        rm -rf "$SERVER_DIR"
    fi
    SERVER_PID="" SERVER_BASE="" SERVER_DIR="" SERVER_DB="" ADMIN_KEY=""
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [[ -n "$BENCH_JOB" ]]; then
        kill_tree "$BENCH_JOB"
    fi
    stop_target
    for db in "${DATABASES[@]+"${DATABASES[@]}"}"; do
        drop_database "$db"
    done
    rm -rf "$TMP_ROOT"
    exit "$status"
}
trap cleanup EXIT
trap 'echo "bench.sh: interrupted" >&2; exit 130' INT
trap 'echo "bench.sh: terminated" >&2; exit 143' TERM

# ---------------------------------------------------------------------------------------------
# Runs

# bench GROUP TARGET SCENARIO LABEL [latchkey-bench arguments...]: runs latchkey-bench against
# the running server, writes $OUT/LABEL.json, records it in runs.jsonl, and notes any failure or
# error. Returns non-zero if the run failed or had errors.
bench() {
    local group=$1 target=$2 scenario=$3 label=$4 rc errors kind
    shift 4
    case "$target" in latchkey-*) kind=latchkey ;; *) kind=$target ;; esac
    local args=("$scenario" --target "$kind" --base-url "$SERVER_BASE" --server-pid "$SERVER_PID"
        --out "$OUT/$label.json")
    if [[ -n "$ADMIN_KEY" ]]; then
        args+=(--admin-key "$ADMIN_KEY")
    fi
    if [[ -n "$SMTP_PORT" ]]; then
        args+=(--smtp-listen "127.0.0.1:$SMTP_PORT")
    fi
    echo "latchkey-bench ${args[*]/#lk_admin_*/lk_admin_…} $*" >"$LOGS/$label.bench.log"
    # In the background, so a signal reaches the trap at once rather than after the run.
    ("$BENCH_BIN" "${args[@]}" "$@" 2>&1 | tee -a "$LOGS/$label.bench.log") &
    BENCH_JOB=$!
    rc=0
    wait "$BENCH_JOB" || rc=$?
    BENCH_JOB=""
    errors=""
    if [[ -f "$OUT/$label.json" ]]; then
        errors=$(json_get "$OUT/$label.json" 'd["errors"]')
    fi
    jrecord "$RUNS" group="$group" target="$target" scenario="$scenario" label="$label" \
        file="$label.json" exit_code:="$rc" errors:="${errors:-null}"
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        local status=0
        wait "$SERVER_PID" 2>/dev/null || status=$?
        ((status <= 128)) || status="$status (signal $(kill -l "$((status - 128))" 2>/dev/null || echo "$((status - 128))"))"
        note_failure "$label: the server exited during the run, with status $status (its stderr: $LOGS/$SERVER_LOG.err)"
        SERVER_PID=""
    fi
    if [[ "$rc" -ne 0 ]]; then
        note_failure "$label: latchkey-bench exited with status $rc (log: $LOGS/$label.bench.log)"
        return 1
    fi
    if [[ -n "$errors" && "$errors" != 0 ]]; then
        note_failure "$label: $errors errors (see error_counts in $OUT/$label.json)"
        return 1
    fi
    return 0
}

# with_target TARGET LABEL COMMAND...: starts TARGET, runs COMMAND, stops it; a target that does
# not start is a failed step.
with_target() {
    local target=$1 label=$2 rc=0
    shift 2
    if ! start_target "$target" "$label"; then
        note_failure "$label: $target did not start (logs: $LOGS/$label.{out,err})"
        jrecord "$RUNS" group=start target="$target" label="$label" exit_code:=1 errors:=null
        stop_target
        return 1
    fi
    "$@" || rc=$?
    stop_target
    return "$rc"
}

# The cold start of one Latchkey process on an empty data directory, in milliseconds: from just
# before exec to the first 200 from /health, polled every millisecond.
cold_start_once() {
    python3 - "$LATCHKEY_BIN" "$1" "${2:-}" <<'PY'
import http.client, os, socket, subprocess, sys, time

binary, data_dir, db_url = sys.argv[1:4]
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
env = {
    "PATH": os.environ.get("PATH", ""),
    "RUST_LOG": "warn",
    "LATCHKEY_LISTEN": f"127.0.0.1:{port}",
    "LATCHKEY_DATA_DIR": data_dir,
    "LATCHKEY_ADMIN_KEY": "lk_admin_bench-cold-start",
}
if db_url:
    env["LATCHKEY_DATABASE_URL"] = db_url
err_path = os.path.join(data_dir, "server.err")
with open(err_path, "wb") as err:
    started = time.perf_counter()
    server = subprocess.Popen([binary, "serve"], env=env, cwd=data_dir, stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=err)
try:
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/health")
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                break
        except OSError:
            pass
        if server.poll() is not None:
            sys.exit(f"the server exited with {server.returncode}: " + open(err_path).read()[-2000:])
        if time.perf_counter() - started > 30:
            sys.exit("no /health 200 within 30 s")
        time.sleep(0.001)
    print(f"{(time.perf_counter() - started) * 1000:.3f}")
finally:
    server.terminate()
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
PY
}

measure_cold_start() {
    local target=$1 i ms dir db
    for ((i = 1; i <= COLD_TRIES; i++)); do
        dir=$(mktemp -d "$TMP_ROOT/cold.XXXX")
        db=""
        if [[ "$target" == latchkey-postgres ]]; then
            create_database || {
                note_failure "cold start $target: could not create a database"
                return 1
            }
            db=$CREATED_DB
        fi
        if ms=$(cold_start_once "$dir" "${db:+$PG_URL/$db}"); then
            echo "cold start $target #$i: $ms ms" >&2
            jrecord "$MEASUREMENTS" kind=cold_start target="$target" try:="$i" ms:="$ms"
        else
            note_failure "cold start $target #$i failed"
        fi
        [[ -z "$db" ]] || drop_database "$db"
        rm -rf "$dir"
    done
}

idle_rss() {
    local target=$1
    sleep "$IDLE_WAIT"
    local rss hwm
    rss=$(tree_status_kib "$SERVER_PID" VmRSS)
    hwm=$(tree_status_kib "$SERVER_PID" VmHWM)
    echo "idle RSS $target: $rss KiB (VmHWM $hwm KiB) after $IDLE_WAIT s" >&2
    jrecord "$MEASUREMENTS" kind=idle_rss target="$target" rss_kib:="$rss" hwm_kib:="$hwm" \
        wait_s:="$IDLE_WAIT" processes:="$(tree_pids "$SERVER_PID" | wc -w)"
}

# db_size TARGET: "total file wal" in bytes for the running server's store.
db_size() {
    if [[ "$1" == latchkey-postgres ]]; then
        local size
        size=$(psql "$PG_URL/$SERVER_DB" -X -A -t -v ON_ERROR_STOP=1 -c "select pg_database_size(current_database())")
        echo "$size $size 0"
    else
        local file wal
        file=$(stat -c %s "$SERVER_DIR/latchkey.db" 2>/dev/null || echo 0)
        wal=$(stat -c %s "$SERVER_DIR/latchkey.db-wal" 2>/dev/null || echo 0)
        echo "$((file + wal)) $file $wal"
    fi
}

# fill_sessions TARGET: copies real session rows (new id, new cookie hash, one new refresh token
# each) until the store holds $SESSIONS_FILL sessions. Columns are read from the live schema, so a
# new column is copied as it is; a new unique or required column makes this fail loudly.
fill_sessions() {
    python3 - "$1" "$SESSIONS_FILL" "$SERVER_DIR/latchkey.db" "$PG_URL/$SERVER_DB" <<'PY'
import json, math, sqlite3, subprocess, sys, time

target, wanted, sqlite_path, pg_url = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
started = time.monotonic()

if target == "latchkey-postgres":
    def query(sql):
        out = subprocess.run(["psql", pg_url, "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1",
                              "-c", sql], check=True, capture_output=True, text=True).stdout
        return out.strip()
    columns = query("select column_name from information_schema.columns "
                    "where table_schema = current_schema() and table_name = 'sessions' "
                    "order by ordinal_position").split("\n")
    new_id = "gen_random_uuid()::text"
    new_hash = "sha256(convert_to(f.id || ':{}', 'UTF8'))"
    series = "generate_series(1, {reps}) as n(i)"
    def run(statements):
        subprocess.run(["psql", pg_url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-1", "-c",
                        ";\n".join(statements)], check=True)
        subprocess.run(["psql", pg_url, "-X", "-q", "-c", "analyze sessions, refresh_tokens"],
                       check=True)
else:
    db = sqlite3.connect(sqlite_path, timeout=60, isolation_level=None)
    def query(sql):
        return "\n".join(str(r[0]) for r in db.execute(sql))
    columns = query("select name from pragma_table_info('sessions') order by cid").split("\n")
    new_id = ("lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || "
              "substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(6)))")
    new_hash = "randomblob(32)"
    series = ("(with recursive n(i) as (select 1 union all select i + 1 from n where i < {reps}) "
              "select i from n) as n")
    def run(statements):
        db.execute("begin immediate")
        for statement in statements:
            db.execute(statement)
        db.execute("commit")
        # The fill is not traffic: do not leave its WAL behind to be measured.
        db.execute("pragma wal_checkpoint(truncate)")

before = int(query("select count(*) from sessions"))
add = wanted - before
if before == 0 and add > 0:
    sys.exit("no session to copy: the sign-up fill made none")
if add > 0:
    reps = math.ceil(add / before)
    select = ", ".join(
        "f.id" if c == "id" else new_hash.format("cookie") if c == "cookie_hash" else f"s.{c}"
        for c in columns)
    run([
        "create temporary table fill_sessions as "
        f"select {new_id} as id, s.id as source from {series.format(reps=reps)} cross join sessions s "
        f"limit {add}",
        f"insert into sessions ({', '.join(columns)}) "
        f"select {select} from fill_sessions f join sessions s on s.id = f.source",
        "insert into refresh_tokens (token_hash, session_id, created_at) "
        f"select {new_hash.format('refresh')}, f.id, s.created_at "
        "from fill_sessions f join sessions s on s.id = f.source",
        "drop table fill_sessions",
    ])
after = int(query("select count(*) from sessions"))
print(json.dumps({"sessions_before": before, "sessions_after": after,
                  "seconds": round(time.monotonic() - started, 3)}))
PY
}

# The store-size runs on one running Latchkey server: 100,000 sign-ups, then 1,000,000 sessions.
store_size_runs() {
    local target=$1 label="fill-$1" rss hwm size filled
    step "$target: $USERS_FILL sign-ups into one store"
    local before=$SECONDS
    if ! bench fill "$target" signup "$label-signup" --ops "$USERS_FILL" --duration 3600 \
        --concurrency "$CONCURRENCY"; then
        return 1
    fi
    local fill_s=$((SECONDS - before))
    rss=$(tree_status_kib "$SERVER_PID" VmRSS)
    hwm=$(tree_status_kib "$SERVER_PID" VmHWM)
    read -r -a size <<<"$(db_size "$target")"
    echo "$target after $USERS_FILL users: RSS $rss KiB, VmHWM $hwm KiB, database ${size[0]} bytes" >&2
    jrecord "$MEASUREMENTS" kind=users_fill target="$target" users:="$USERS_FILL" \
        rss_kib:="$rss" hwm_kib:="$hwm" db_bytes:="${size[0]}" db_file_bytes:="${size[1]}" \
        wal_bytes:="${size[2]}" seconds:="$fill_s" file="$label-signup.json"

    step "$target: sessions up to $SESSIONS_FILL by SQL"
    if ! filled=$(fill_sessions "$target"); then
        note_failure "$label: adding sessions by SQL failed"
        return 1
    fi
    read -r -a size <<<"$(db_size "$target")"
    jrecord "$MEASUREMENTS" kind=sessions_fill target="$target" fill:="$filled" \
        db_bytes:="${size[0]}" db_file_bytes:="${size[1]}" wal_bytes:="${size[2]}"
    echo "$target: $filled" >&2

    step "$target: verify with $SESSIONS_FILL sessions in the store"
    bench verify_filled "$target" verify "$label-verify" --users "$USERS" \
        --concurrency "$CONCURRENCY" --duration "$DURATION"
}

scenario_run() {
    local target=$1 scenario=$2
    case "$scenario" in
        email)
            bench scenario "$target" email "email-$target" --users "$EMAIL_USERS" \
                --concurrency "$EMAIL_CONCURRENCY" --duration "$DURATION"
            return
            ;;
        oidc)
            bench scenario "$target" oidc "oidc-$target" --users "$OIDC_USERS" \
                --public-url "$PUBLIC_URL" --concurrency "$CONCURRENCY" --duration "$DURATION"
            return
            ;;
        introspect)
            bench scenario "$target" introspect "introspect-$target" --users "$USERS" \
                --public-url "$PUBLIC_URL" --concurrency "$CONCURRENCY" --duration "$DURATION"
            return
            ;;
    esac
    bench scenario "$target" "$scenario" "$scenario-$target" --users "$USERS" \
        --concurrency "$CONCURRENCY" --duration "$DURATION"
}

rate_run() {
    local target=$1 users=$USERS
    ((users >= RATE_CONCURRENCY)) || users=$RATE_CONCURRENCY
    bench rate "$target" signin "rate-$target" --rate "$RATE" --users "$users" \
        --concurrency "$RATE_CONCURRENCY" --duration "$DURATION"
}

# write_meta: the machine, the versions and the outcome, into $OUT/meta.json.
write_meta() {
    python3 - "$OUT" "$ROOT" <<'PY'
import json, os, platform, re, subprocess, sys

out, root = sys.argv[1:3]

def run(*cmd):
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        return done.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None

def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""

def lines(name):
    return [line for line in read(os.path.join(out, name)).splitlines() if line]

with open(os.path.join(out, "config.json")) as f:
    config = json.load(f)
cpu = re.search(r"^model name\s*:\s*(.*)$", read("/proc/cpuinfo"), re.M)
mem = re.search(r"^MemTotal:\s*(\d+) kB", read("/proc/meminfo"), re.M)
peers = {}
for peer in config["peers"].split():
    folder = os.path.join(root, "bench", "peers", peer)
    try:
        with open(os.path.join(folder, "package.json")) as f:
            declared = json.load(f).get("dependencies", {})
    except (OSError, ValueError):
        continue
    versions = {}
    for name, wanted in declared.items():
        try:
            with open(os.path.join(folder, "node_modules", name, "package.json")) as f:
                versions[name] = json.load(f)["version"]
        except (OSError, ValueError, KeyError):
            versions[name] = f"{wanted} (declared, not installed)"
    peers[peer] = versions
lock = read(os.path.join(root, "Cargo.lock"))

def locked(name):
    m = re.search(r'name = "' + re.escape(name) + r'"\nversion = "([^"]+)"', lock)
    return m.group(1) if m else None

pg = None
if config.get("pg_url"):
    pg = run("psql", config["pg_url"] + "/postgres", "-X", "-A", "-t", "-c", "show server_version")
meta = {
    "command": "scripts/bench.sh",
    "environment": {k: v for k, v in sorted(os.environ.items()) if k.startswith("BENCH_")},
    "config": config,
    "machine": {
        "cores": int(run("nproc") or 0),
        "cpu_model": cpu.group(1) if cpu else None,
        "memory_kib": int(mem.group(1)) if mem else None,
        "kernel": f"{platform.system()} {platform.release()} {platform.machine()}",
    },
    "versions": {
        "rustc": run("rustc", "-V"),
        "node": run("node", "--version"),
        "postgresql": pg,
        "libsqlite3-sys (bundled SQLite)": locked("libsqlite3-sys"),
        "webauthn_rp": locked("webauthn_rp"),
        "latchkey (git)": run("git", "-C", root, "describe", "--always", "--dirty"),
        "peers": peers,
    },
    "skipped": lines("skipped.txt"),
    "failures": lines("failures.txt"),
}
with open(os.path.join(out, "meta.json"), "w") as f:
    json.dump(meta, f, indent=2)
PY
}

# ---------------------------------------------------------------------------------------------
# Preflight

step "preflight (results in ${OUT#"$ROOT"/})"
for tool in cargo python3 ps; do
    command -v "$tool" >/dev/null || {
        echo "bench.sh needs $tool" >&2
        exit 1
    }
done
if [[ "$SKIP_POSTGRES" == 1 ]]; then
    SKIPPED+=("PostgreSQL (BENCH_SKIP_POSTGRES=1)")
else
    command -v psql >/dev/null || {
        echo "bench.sh needs psql for PostgreSQL (or set BENCH_SKIP_POSTGRES=1)" >&2
        exit 1
    }
    if ! pg_admin -c 'select 1' >/dev/null; then
        echo "PostgreSQL is not reachable at $PG_URL: start it, set BENCH_PG_URL, or set BENCH_SKIP_POSTGRES=1" >&2
        exit 1
    fi
    TARGETS+=(latchkey-postgres)
fi
if [[ "$SKIP_PEERS" == 1 ]]; then
    SKIPPED+=("peers ${PEERS[*]} (BENCH_SKIP_PEERS=1)")
else
    command -v node >/dev/null || {
        echo "the peers need node (or set BENCH_SKIP_PEERS=1)" >&2
        exit 1
    }
    for peer in "${PEERS[@]}"; do
        if [[ ! -x "bench/peers/$peer/start.sh" ]]; then
            echo "bench/peers/$peer/start.sh is missing or not executable: write the peer, or set BENCH_SKIP_PEERS=1 to run without peers" >&2
            exit 1
        fi
        TARGETS+=("$peer")
    done
fi

# ---------------------------------------------------------------------------------------------
# Build and crypto floor

step "cargo build --release -p latchkey -p latchkey-bench"
if ! cargo build --release -p latchkey -p latchkey-bench; then
    echo "the release build failed: nothing to benchmark" >&2
    exit 1
fi
mkdir -p "$TMP_ROOT/bin"
cp target/release/latchkey "$LATCHKEY_BIN"
cp target/release/latchkey-bench "$BENCH_BIN"

step "crypto floor: cargo bench -p latchkey-bench --bench crypto_floor -- $FLOOR_ARGS"
marker="$TMP_ROOT/floor.marker"
touch "$marker"
read -r -a floor_args <<<"$FLOOR_ARGS"
if cargo bench -p latchkey-bench --bench crypto_floor -- "${floor_args[@]}" 2>&1 | tee "$LOGS/crypto_floor.log"; then
    mkdir -p "$OUT/criterion"
    found=0
    while IFS= read -r estimates; do
        name=$(basename "$(dirname "$(dirname "$estimates")")")
        cp "$estimates" "$OUT/criterion/$name.json"
        found=$((found + 1))
    done < <(find target/criterion -path '*/new/estimates.json' -newer "$marker")
    [[ "$found" -gt 0 ]] || note_failure "crypto floor: criterion wrote no estimates"
else
    note_failure "crypto floor: cargo bench failed (log: $LOGS/crypto_floor.log)"
fi

# ---------------------------------------------------------------------------------------------
# Cold start and idle RSS

for target in "${TARGETS[@]}"; do
    case "$target" in
        latchkey-*)
            step "cold start: $target, $COLD_TRIES tries"
            measure_cold_start "$target" || true
            ;;
    esac
done
for target in "${TARGETS[@]}"; do
    step "idle RSS: $target"
    with_target "$target" "idle-$target" idle_rss "$target" || true
done

# ---------------------------------------------------------------------------------------------
# Scenarios, then sign-in at a fixed offered rate

for scenario in "${SCENARIOS[@]}"; do
    for target in "${TARGETS[@]}"; do
        # Latchkey's alone: what the peers do not implement.
        missing=""
        case "$scenario" in
            email) missing="email sign-in" ;;
            oidc | introspect) missing="OpenID Provider" ;;
        esac
        if [[ -n "$missing" && "$target" != latchkey-* ]]; then
            echo "$scenario against $target: not applicable (the peer implements no $missing)" >&2
            jrecord "$RUNS" group=scenario target="$target" scenario="$scenario" \
                label="$scenario-$target" not_applicable:=true exit_code:=null errors:=null
            continue
        fi
        if [[ "$scenario" == email ]]; then
            step "email against $target (${DURATION} s, $EMAIL_CONCURRENCY workers, $EMAIL_USERS users)"
            SMTP_PORT=$(free_port)
            with_target "$target" "server-email-$target" scenario_run "$target" email || true
            SMTP_PORT=""
            continue
        fi
        step "$scenario against $target (${DURATION} s, $CONCURRENCY workers)"
        with_target "$target" "server-$scenario-$target" scenario_run "$target" "$scenario" || true
    done
done
for target in "${TARGETS[@]}"; do
    step "signin at an offered $RATE/s against $target"
    with_target "$target" "server-rate-$target" rate_run "$target" || true
done

# ---------------------------------------------------------------------------------------------
# Store size: Latchkey only (the peers are not asked to hold a million sessions)

if [[ "$USERS_FILL" == 0 ]]; then
    SKIPPED+=("the store-size runs (BENCH_USERS_FILL=0)")
else
    for target in "${TARGETS[@]}"; do
        case "$target" in
            latchkey-*) with_target "$target" "server-fill-$target" store_size_runs "$target" || true ;;
        esac
    done
fi

# ---------------------------------------------------------------------------------------------
# Report

step "writing $REPORT"
jrecord "$OUT/config.json" duration_s:="$DURATION" concurrency:="$CONCURRENCY" users:="$USERS" \
    email_users:="$EMAIL_USERS" email_concurrency:="$EMAIL_CONCURRENCY" oidc_users:="$OIDC_USERS" \
    rate_per_s:="$RATE" rate_concurrency:="$RATE_CONCURRENCY" users_fill:="$USERS_FILL" \
    sessions_fill:="$SESSIONS_FILL" cold_tries:="$COLD_TRIES" idle_wait_s:="$IDLE_WAIT" \
    floor_args="$FLOOR_ARGS" scenarios="${SCENARIOS[*]}" targets="${TARGETS[*]}" \
    peers="${PEERS[*]}" peer_workers:="$PEER_WORKERS" quick:="$([[ "$QUICK" == 1 ]] && echo true || echo false)" \
    started_at="$STARTED_AT" elapsed_s:="$SECONDS" pg_url="$([[ "$SKIP_POSTGRES" == 1 ]] || echo "$PG_URL")"
printf '%s\n' "${SKIPPED[@]+"${SKIPPED[@]}"}" >"$OUT/skipped.txt"
printf '%s\n' "${FAILURES[@]+"${FAILURES[@]}"}" >"$OUT/failures.txt"
if ! write_meta; then
    note_failure "describing the machine and versions failed"
fi
if ! python3 scripts/bench-report.py "$OUT" --out "$REPORT"; then
    note_failure "rendering $REPORT failed"
fi

step "done in $((SECONDS / 60)) min $((SECONDS % 60)) s; results in ${OUT#"$ROOT"/}, report in $REPORT"
if [[ ${#FAILURES[@]} -gt 0 ]]; then
    echo "${#FAILURES[@]} run(s) or step(s) failed or had errors:" >&2
    printf '  - %s\n' "${FAILURES[@]}" >&2
    exit 1
fi
