#!/usr/bin/env bash
# Runs the engine benchmark and the PostgreSQL-backed peers in ../shared/peers one after another, on the same
# machine with the same PostgreSQL settings, and prints the figures that compare them. The peers are not part of
# this repository: PEERS names their folder (default ../shared/peers beside the repository).
#
#   N=20000        jobs per throughput phase, for every suite
#   OUT=dir        where each suite's raw output goes (default: a new temp folder)
#   SKIP=hangfire  a comma list of suites to leave out: baseline, bullmq-pg, hangfire, jobs
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
peers=${PEERS:-$root/../shared/peers}
out=${OUT:-$(mktemp -d /tmp/jobs-vs-peers.XXXXXX)}
export N=${N:-20000}
mkdir -p "$out"
[[ -d $peers ]] || { echo "no peers at $peers (set PEERS)" >&2; exit 1; }

runs() { [[ ",${SKIP:-}," != *",$1,"* ]]; }
suite() {
  local name=$1; shift
  echo "[bench] $name ($(cat /proc/loadavg | cut -d' ' -f1-3) load)" >&2
  "$@" >"$out/$name.txt" 2>"$out/$name.err" || { echo "[bench] $name failed: see $out/$name.err" >&2; }
}

runs baseline && suite baseline "$peers/baseline-pg/run.sh"
runs bullmq-pg && suite bullmq-pg env BACKEND=postgres "$peers/bullmq/run.sh"
runs hangfire && suite hangfire "$peers/hangfire/run.sh"
runs jobs && suite jobs env SECTIONS=api,grain "$root/bench/run-engine.sh"

echo "[bench] raw output in $out" >&2
# Every suite prints "name value unit" lines: print them all, each with its suite's name in front.
for f in "$out"/*.txt; do
  sed "s|^|$(basename "$f" .txt) |" "$f"
done
