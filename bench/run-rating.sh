#!/usr/bin/env bash
# The rating benchmarks: the engine in memory (suite "rating": deck build, calls rated per core, CSV in and out), then
# the card and cdr jobs end to end (suite "rating-jobs": the real US deck built by a card job, CALLS generated calls
# uploaded and re-rated by a cdr job through a silo in the bench process and PostgreSQL, the output joined into one
# stored file). PostgreSQL is a throwaway server set up as in bench/run-engine.sh: initdb's defaults plus
# listen_addresses=127.0.0.1, max_connections=200, shared_buffers=256MB (fsync and synchronous_commit stay on), as
# scripts/run.sh runs it. Needs ../shared/data (us-npanxx-deck.csv, dialed-numbers.csv); the suites say what they
# skip without it. Prints one "name value unit" line per figure, and the machine's load average around each suite.
#
#   CALLS=10000000        calls the cdr job re-rates (the in-memory suite rates the same number in two partitions)
#   SUITES=rating,rating-jobs
#   SECTIONS=deck,cdr     what rating-jobs runs
#   DATA=                 the folder holding rates/ and cdrs/ (default: the nearest shared/data above the bench)
#   EXTRA=                more rating-jobs options, e.g. "--partitions 8 --keep-calls false"
#
# The machine is shared: hold the benchmark lock, as in `flock /tmp/bench.lock bench/run-rating.sh`.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../scripts/lib/postgres.sh
source "$root/scripts/lib/postgres.sh"
pg_ensure_installed

load() { echo "machine.loadavg_1m_$1 $(cut -d' ' -f1 /proc/loadavg) load"; }

work=$(mktemp -d /tmp/jobs-bench.XXXXXX)
chmod 755 "$work"
pg_data=$work/pg
cleanup() {
  pg_stop "$pg_data"
  rm -rf "$work"
}
trap cleanup EXIT

pg_port=$(pg_start_throwaway "$pg_data")

echo "[bench] building (Release)" >&2
dotnet build "$root/bench/Jobs.Bench" -c Release -nologo -v quiet -clp:ErrorsOnly >&2
bench_dll=$root/bench/Jobs.Bench/bin/Release/net10.0/Jobs.Bench.dll

calls=${CALLS:-10000000}
data_args=()
[[ -n ${DATA:-} ]] && data_args=(--data "$DATA")

IFS=, read -r -a suites <<<"${SUITES:-rating,rating-jobs}"
for suite in "${suites[@]}"; do
  echo "[bench] $suite" >&2
  load "before_$suite"
  case $suite in
    rating)
      dotnet "$bench_dll" rating --calls "$calls" "${data_args[@]}"
      ;;
    rating-jobs)
      # shellcheck disable=SC2086 # EXTRA is a list of options
      dotnet "$bench_dll" rating-jobs --calls "$calls" --sections "${SECTIONS:-deck,cdr}" \
        --pg "Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres" "${data_args[@]}" ${EXTRA:-}
      ;;
    *)
      echo "unknown suite $suite (rating, rating-jobs)" >&2
      exit 2
      ;;
  esac
  load "after_$suite"
done
