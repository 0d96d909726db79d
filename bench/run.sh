#!/usr/bin/env bash
# One command for every performance target of the panel (see bench/README.md): builds in Release,
# starts a private PostgreSQL, runs the token-check throughput and latency (wrk) on SQLite and
# PostgreSQL against their twins, the in-process validation (BenchmarkDotNet) and the list pages
# over 100,000 tokens and then a million (MILLION=0 skips those, about 5 minutes), stops everything,
# and prints one table ending with one line per target.
# ROUNDS (default 3) alternating rounds of DURATION (default 5s) per endpoint; CONNECTIONS (16).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-3}; duration=${DURATION:-5s}; connections=${CONNECTIONS:-16}; threads=${THREADS:-2}

if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
    else
        echo "wrk is needed: sudo apt-get install -y wrk" >&2; exit 2
    fi
fi

echo "building (Release)..." >&2
dotnet build -c Release bench/AccessTokenPanel.Bench -v quiet -nologo >/dev/null
dll=bench/AccessTokenPanel.Bench/bin/Release/net10.0/AccessTokenPanel.Bench.dll

work=$(mktemp -d)
server=""
source scripts/postgres.sh
stop_server() {
    if [ -n "$server" ]; then
        exec 3>&-
        for _ in $(seq 1 40); do kill -0 "$server" 2>/dev/null || break; sleep 0.25; done
        kill -9 "$server" 2>/dev/null || true
        server=""
    fi
}
cleanup() { stop_server; postgres_stop; rm -rf "$work"; }
trap cleanup EXIT
postgres_start >&2
pg_conn=${ATP_POSTGRES/Database=postgres/Database=atp_bench}

# wrk output -> "req/s p50ms p99ms"
wrk_stats() {
    awk '
        function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
        /^Requests\/sec:/ { rps = $2 }
        $1 == "50%" { p50 = ms($2) }
        $1 == "99%" { p99 = ms($2) }
        END { printf "%.0f %.2f %.2f\n", rps, p50, p99 }'
}

# run_endpoints <Sqlite|PostgreSql> <idle|busy> [connection] -> rows in $work/<provider>-<variant>.tsv
# (name round rps p50 p99). busy: 8 writers issue and revoke tokens in the server during the load,
# and the usage flush runs every second (ATP_BENCH_WRITERS, ATP_BENCH_FLUSH; see bench/README.md).
run_endpoints() {
    local provider=$1 variant=$2 connection=${3:-} port out fifo
    local -a vars=()
    [ "$variant" = busy ] && vars=(ATP_BENCH_WRITERS=8 ATP_BENCH_FLUSH=00:00:01)
    port=$(postgres_free_port)
    out="$work/serve-$provider-$variant.log"; fifo="$work/fifo-$provider-$variant"; mkfifo "$fifo"
    # The server runs until its standard input (this fifo, held open on fd 3) closes.
    env "${vars[@]}" dotnet "$dll" serve "$port" "$provider" $connection <"$fifo" >"$out" 2>&1 &
    server=$!
    exec 3>"$fifo"
    for _ in $(seq 1 240); do grep -q '^READY' "$out" && break; kill -0 "$server" 2>/dev/null || break; sleep 0.5; done
    grep -q '^READY' "$out" || { cat "$out" >&2; exit 1; }
    local token token_id owner jwt base
    token=$(sed -n 's/^TOKEN=//p' "$out"); token_id=$(sed -n 's/^TOKEN_ID=//p' "$out")
    owner=$(sed -n 's/^OWNER=//p' "$out"); jwt=$(sed -n 's/^JWT=//p' "$out")
    base="http://127.0.0.1:$port"
    local -A url header
    url[token]="$base/api/v1/tokens/current"; header[token]="Authorization: Bearer $token"
    url[twin]="$base/bench/twin/tokens/current?id=$token_id&owner=$owner"; header[twin]="X-Bench: twin"
    url[jwt]="$base/bench/jwt/tokens/current"; header[jwt]="Authorization: Bearer $jwt"
    local names=(twin token)
    [ "$provider" = Sqlite ] && [ "$variant" = idle ] && names+=(jwt)
    for name in "${names[@]}"; do
        # Every endpoint must answer 200 with the same token before it is measured.
        curl -fsS -H "${header[$name]}" "${url[$name]}" | grep -q "$token_id" \
            || { echo "$name endpoint did not answer as expected" >&2; exit 1; }
        wrk -t"$threads" -c"$connections" -d2s -H "${header[$name]}" "${url[$name]}" >/dev/null
    done
    for round in $(seq 1 "$rounds"); do
        for name in "${names[@]}"; do
            echo "$provider ($variant) round $round: $name" >&2
            printf '%s %s %s\n' "$name" "$round" \
                "$(wrk -t"$threads" -c"$connections" -d"$duration" --latency -H "${header[$name]}" "${url[$name]}" | wrk_stats)" \
                >>"$work/$provider-$variant.tsv"
        done
    done
    stop_server
    rm -f "$fifo"
    # What the writers did while the rounds ran (printed by the server as it stops).
    sed -n 's/^WRITES //p' "$out" >"$work/writes-$provider-$variant.txt"
}

run_endpoints Sqlite idle
run_endpoints PostgreSql idle "$pg_conn"
run_endpoints Sqlite busy
run_endpoints PostgreSql busy "${ATP_POSTGRES/Database=postgres/Database=atp_bench_busy}"

echo "in-process validation (BenchmarkDotNet)..." >&2
(cd "$work" && dotnet "$OLDPWD/$dll" validate --filter '*' >"$work/validate.log" 2>&1) || { tail -40 "$work/validate.log" >&2; exit 1; }
validate_csv=$(ls "$work"/BenchmarkDotNet.Artifacts/results/*ValidationBenchmarks-report.csv)

echo "list pages (100,000 tokens)..." >&2
dotnet "$dll" lists Sqlite >"$work/lists-sqlite.log" 2>&1 || { cat "$work/lists-sqlite.log" >&2; exit 1; }
dotnet "$dll" lists PostgreSql "${ATP_POSTGRES/Database=postgres/Database=atp_lists}" >"$work/lists-pg.log" 2>&1 || { cat "$work/lists-pg.log" >&2; exit 1; }
: >"$work/lists-sqlite-million.log"; : >"$work/lists-pg-million.log"
if [ "${MILLION:-1}" != 0 ]; then
    echo "list pages (1,000,000 tokens, 10,000 users)..." >&2
    ATP_BENCH_TOKENS=1000000 ATP_BENCH_USERS=10000 dotnet "$dll" lists Sqlite >"$work/lists-sqlite-million.log" 2>&1 \
        || { cat "$work/lists-sqlite-million.log" >&2; exit 1; }
    ATP_BENCH_TOKENS=1000000 ATP_BENCH_USERS=10000 dotnet "$dll" lists PostgreSql "${ATP_POSTGRES/Database=postgres/Database=atp_million}" \
        >"$work/lists-pg-million.log" 2>&1 || { cat "$work/lists-pg-million.log" >&2; exit 1; }
fi

python3 - "$work" "$validate_csv" <<'PY'
import csv, statistics, sys, re
work, validate_csv = sys.argv[1], sys.argv[2]
def load(provider):
    rows = {}
    for line in open(f"{work}/{provider}.tsv"):
        name, rnd, rps, p50, p99 = line.split()
        rows.setdefault(name, []).append((float(rps), float(p50), float(p99)))
    return rows
def med(values): return statistics.median(values)
print(f"| endpoint: GET /api/v1/tokens/current | provider | while | req/s (median of rounds) | p50 ms | p99 ms |")
print("|---|---|---|---|---|---|")
labels = {"twin": "unauthenticated twin", "token": "panel token (Bearer atp_rest_...)", "jwt": "stateless JwtBearer HS256 twin"}
whiles = {"idle": "nothing else", "busy": "8 writers + usage flush every 1 s"}
data = {(p, v): load(f"{p}-{v}") for v in ("idle", "busy") for p in ("Sqlite", "PostgreSql")}
for (provider, variant), rows in data.items():
    writes = open(f"{work}/writes-{provider}-{variant}.txt").read().strip()
    for name, values in rows.items():
        print(f"| {labels[name]} | {provider} | {whiles[variant]}{' (' + writes + ')' if writes and name == 'token' else ''} | "
              f"{med([v[0] for v in values]):.0f} | {med([v[1] for v in values]):.2f} | {med([v[2] for v in values]):.2f} |")
def ratio(provider, a, b, variant="idle"):
    # Per round (the two ran back to back), then the median of the rounds.
    rows = data[(provider, variant)]
    return med([x[0] / y[0] for x, y in zip(rows[a], rows[b])])
print()
print("| in-process (SQLite, BenchmarkDotNet) | median | allocated |")
print("|---|---|---|")
def micro(text):
    value, unit = text.replace(",", "").split()[:2]
    return float(value) * {"ns": 0.001, "μs": 1, "us": 1, "ms": 1000, "s": 1e6}[unit]
validate_median = None
for row in csv.DictReader(open(validate_csv)):
    median = micro(row["Median"])
    print(f"| {row['Method']} | {median:.2f} µs | {row.get('Allocated', '?')} |")
    if row["Method"].startswith("'TokenValidator.ValidateAsync") or row["Method"].startswith("TokenValidator.ValidateAsync"):
        validate_median = median
print()
p99s, million = [], []
for log in ("lists-sqlite.log", "lists-pg.log", "lists-sqlite-million.log", "lists-pg-million.log"):
    for line in open(f"{work}/{log}"):
        if line.startswith("|") or line.startswith("seeded"):
            print(line.rstrip())
        m = re.match(r"LIST_P99_MS=([\d.]+)", line)
        if m: (million if "million" in log else p99s).append(float(m.group(1)))
    print()
print(f"ratio token-vs-twin-sqlite: {ratio('Sqlite', 'token', 'twin'):.2f}")
print(f"ratio token-vs-twin-postgresql: {ratio('PostgreSql', 'token', 'twin'):.2f}")
print(f"ratio token-vs-jwt: {ratio('Sqlite', 'token', 'jwt'):.2f}")
print(f"ratio token-vs-twin-sqlite-busy: {ratio('Sqlite', 'token', 'twin', 'busy'):.2f}")
print(f"ratio token-vs-twin-postgresql-busy: {ratio('PostgreSql', 'token', 'twin', 'busy'):.2f}")
print(f"validate-us-median: {validate_median:.2f}")
print(f"list-ms-p99: {max(p99s):.2f}")
if million: print(f"list-ms-p99-million: {max(million):.2f}")
PY
