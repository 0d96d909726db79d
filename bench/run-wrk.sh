#!/usr/bin/env bash
# Requests per second on loopback: GET /api/v1/tokens with a REST token vs its unauthenticated
# twin (same query and JSON, no bearer scheme), in one run against one app instance.
# Usage: bench/run-wrk.sh [threads] [connections] [duration]   (defaults: 2 16 10s)
# ROUNDS=3 alternates the two endpoints three times (default), so background load hits both alike.
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-2}; connections=${2:-16}; duration=${3:-10s}; port=${PORT:-5192}; rounds=${ROUNDS:-3}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 2; }

dotnet build -c Release bench/AccessTokenPanel.Bench -v quiet -nologo >/dev/null
out=$(mktemp); fifo=$(mktemp -u); mkfifo "$fifo"
# The server runs until its standard input (this fifo, held open on fd 3) closes.
dotnet bench/AccessTokenPanel.Bench/bin/Release/net10.0/AccessTokenPanel.Bench.dll serve "$port" <"$fifo" >"$out" 2>&1 &
server=$!
exec 3>"$fifo"
stop() {
    exec 3>&-
    for _ in $(seq 1 20); do kill -0 "$server" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$server" 2>/dev/null || true
    rm -f "$out" "$fifo"
}
trap stop EXIT
for _ in $(seq 1 120); do grep -q '^READY' "$out" && break; sleep 0.5; done
grep -q '^READY' "$out" || { cat "$out" >&2; exit 1; }
token=$(sed -n 's/^TOKEN=//p' "$out")
base="http://127.0.0.1:$port"

# Both must answer 200 before we measure them.
curl -fsS -o /dev/null "$base/bench/twin/tokens"
curl -fsS -o /dev/null -H "Authorization: Bearer $token" "$base/api/v1/tokens"

echo "warm-up..."
wrk -t"$threads" -c"$connections" -d3s "$base/bench/twin/tokens" >/dev/null
wrk -t"$threads" -c"$connections" -d3s -H "Authorization: Bearer $token" "$base/api/v1/tokens" >/dev/null

summary=()
for round in $(seq 1 "$rounds"); do
    echo "== round $round: unauthenticated twin: GET /bench/twin/tokens"
    twin=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency "$base/bench/twin/tokens" | tee /dev/stderr | sed -n 's/^Requests\/sec: *//p')
    echo "== round $round: token-authenticated: GET /api/v1/tokens (Authorization: Bearer atp_rest_...)"
    authed=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency -H "Authorization: Bearer $token" "$base/api/v1/tokens" | tee /dev/stderr | sed -n 's/^Requests\/sec: *//p')
    summary+=("round $round: twin $twin req/s, token-authenticated $authed req/s")
done
echo
echo "wrk -t$threads -c$connections -d$duration on $(nproc) cores (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%s\n' "${summary[@]}"
