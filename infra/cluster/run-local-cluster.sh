#!/usr/bin/env bash
# Starts N silos and the API as a client of their cluster on this machine, against an existing PostgreSQL.
# Usage: infra/cluster/run-local-cluster.sh "<Npgsql connection string>" [silos=2]
# Ctrl-C stops everything it started.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
database=${1:?usage: run-local-cluster.sh "<connection string>" [silos]}
count=${2:-2}
url=${JOBS_URL:-http://127.0.0.1:5080}
: "${JOBS_OPERATOR_KEY:?set JOBS_OPERATOR_KEY to the operator key the API should accept}"

dotnet build "$root/src/Jobs.Api" -c Release -nologo -v quiet -clp:ErrorsOnly

pids=()
stop() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

for i in $(seq 1 "$count"); do
  ConnectionStrings__Jobs="$database" \
  Jobs__Cluster__SiloPort=$((21110 + i)) Jobs__Cluster__GatewayPort=$((21300 + i)) \
    dotnet "$root/src/Jobs.Silo/bin/Release/net10.0/Jobs.Silo.dll" --urls "http://127.0.0.1:$((5180 + i))" &
  pids+=($!)
  echo "[jobs] silo $i: silo port $((21110 + i)), gateway $((21300 + i)), health http://127.0.0.1:$((5180 + i))/health/ready" >&2
  # Let the first silo apply the schema before the others race it (they would wait on its lock anyway).
  until curl -sf "http://127.0.0.1:$((5180 + i))/health/ready" >/dev/null; do sleep 0.5; done
done

ConnectionStrings__Jobs="$database" Jobs__Mode=client \
  dotnet "$root/src/Jobs.Api/bin/Release/net10.0/Jobs.Api.dll" --urls "$url" --contentRoot "$root/src/Jobs.Api" &
pids+=($!)
echo "[jobs] API (client of the cluster) on $url" >&2
wait
