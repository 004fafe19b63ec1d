#!/usr/bin/env bash
# The engine benchmark, set up like the peers in ../shared/peers: a throwaway PostgreSQL with initdb's defaults plus
# listen_addresses=127.0.0.1, max_connections=200, shared_buffers=256MB (fsync and synchronous_commit stay on), one
# Jobs process (API + embedded silo, default settings: 16 workers per queue), and the client in bench/Jobs.Bench.
# Prints one "name value unit" line per figure.
#
#   N=20000             jobs per throughput phase
#   SECTIONS=all        or a comma list of: api, grain, latency, delay, listing, recovery
#   LISTING_ROWS=1000000
#   HOOK='command'      run in the background once the API is ready, with PG_PORT, PG_PID and API_PID set
#                       (for example a profiler: HOOK='perf record -F 999 -g -p $API_PID -o /tmp/api.data -- sleep 30')
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../scripts/lib/postgres.sh
source "$root/scripts/lib/postgres.sh"
pg_ensure_installed

work=$(mktemp -d /tmp/jobs-bench.XXXXXX)
chmod 755 "$work"
pg_data=$work/pg
api_pid=
cleanup() {
  [[ -n $api_pid ]] && kill "$api_pid" 2>/dev/null && wait "$api_pid" 2>/dev/null || true
  pg_stop "$pg_data"
  rm -rf "$work"
}
trap cleanup EXIT

pg_port=$(pg_start_throwaway "$pg_data")
pg_pid=$(head -1 "$pg_data/postmaster.pid")

echo "[bench] building (Release)" >&2
dotnet build "$root/src/Jobs.Api" -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet build "$root/src/Jobs.Silo" -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet build "$root/bench/Jobs.Bench" -c Release -nologo -v quiet -clp:ErrorsOnly

database="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=jobs"
key=bench-operator-key
api_port=$(pg_free_port)
ConnectionStrings__Jobs="$database" JOBS_OPERATOR_KEY=$key \
  Jobs__Cluster__SiloPort=$(pg_free_port) Jobs__Cluster__GatewayPort=$(pg_free_port) Logging__LogLevel__Default=Warning \
  dotnet "$root/src/Jobs.Api/bin/Release/net10.0/Jobs.Api.dll" --urls "http://127.0.0.1:$api_port" \
  --contentRoot "$root/src/Jobs.Api" >"$work/api.log" 2>&1 &
api_pid=$!
until curl -sf "http://127.0.0.1:$api_port/health/ready" >/dev/null; do
  kill -0 "$api_pid" 2>/dev/null || { cat "$work/api.log" >&2; exit 1; }
  sleep 0.5
done
if [[ -n ${HOOK:-} ]]; then
  PG_PORT=$pg_port PG_PID=$pg_pid API_PID=$api_pid bash -c "$HOOK" &
fi

dotnet "$root/bench/Jobs.Bench/bin/Release/net10.0/Jobs.Bench.dll" engine \
  --pg "$database" --api "http://127.0.0.1:$api_port" --key "$key" --api-pid "$api_pid" --pg-pid "$pg_pid" \
  --n "${N:-20000}" --sections "${SECTIONS:-all}" --listing-rows "${LISTING_ROWS:-1000000}" \
  --silo-dll "$root/src/Jobs.Silo/bin/Release/net10.0/Jobs.Silo.dll"
