#!/usr/bin/env bash
# Runs Jobs on this machine: a local PostgreSQL kept under the data folder (installed with apt-get when missing and
# we are root), the schema, and one process co-hosting a silo, the HTTP API, the jobs page and the Orleans dashboard.
# Ctrl-C stops everything this script started.
#
#   JOBS_DATA_DIR   data folder (default: .data in the repository); a restart on the same folder keeps every job
#   JOBS_URL        where the API listens (default http://127.0.0.1:5080)
#   JOBS_PG_PORT    the local PostgreSQL's port (default 25432)
#   JOBS_OPERATOR_KEY  the operator API key (default: generated once and kept in the data folder)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/postgres.sh
source "$root/scripts/lib/postgres.sh"

url=${JOBS_URL:-http://127.0.0.1:5080}
pg_port=${JOBS_PG_PORT:-25432}
data=${JOBS_DATA_DIR:-$root/.data}

pg_ensure_installed
mkdir -p "$data"
data=$(cd "$data" && pwd)
pg_data=$data/postgres
mkdir -p "$pg_data"
if [[ $(id -u) -eq 0 ]]; then
  chown postgres:postgres "$pg_data"
  if ! pg_can_use_dir "$pg_data"; then
    pg_log "the postgres user cannot reach $pg_data (a parent folder is private to root)."
    pg_log "choose a data folder it can reach, for example: JOBS_DATA_DIR=/var/lib/jobs $0"
    exit 1
  fi
fi

secrets=$data/secrets
mkdir -p "$secrets"
chmod 700 "$secrets"
if [[ ! -s $secrets/pg-password ]]; then
  head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$secrets/pg-password"
fi
pg_password=$(cat "$secrets/pg-password")
if [[ -z ${JOBS_OPERATOR_KEY:-} ]]; then
  if [[ ! -s $secrets/operator-key ]]; then
    head -c 32 /dev/urandom | base64 | tr -d '/+=' >"$secrets/operator-key"
  fi
  JOBS_OPERATOR_KEY=$(cat "$secrets/operator-key")
fi
export JOBS_OPERATOR_KEY

if [[ ! -f $pg_data/PG_VERSION ]]; then
  pwfile=$(mktemp)
  printf '%s\n' "$pg_password" >"$pwfile"
  pg_init "$pg_data" "$pwfile"
  rm -f "$pwfile"
fi

pg_start "$pg_data" "$pg_port"
api_pid=
cleanup() {
  trap - EXIT INT TERM
  if [[ -n $api_pid ]] && kill -0 "$api_pid" 2>/dev/null; then
    kill -TERM "$api_pid" 2>/dev/null || true
    wait "$api_pid" 2>/dev/null || true
  fi
  pg_log "stopping PostgreSQL"
  pg_stop "$pg_data"
}
trap cleanup EXIT INT TERM

pg_create_db "$pg_port" "$pg_password" jobs
export ConnectionStrings__Jobs="Host=127.0.0.1;Port=$pg_port;Database=jobs;Username=postgres;Password=$pg_password"

url_port=${url##*:}
url_port=${url_port%%/*}
if [[ $url_port =~ ^[0-9]+$ ]] && pg_port_busy "$url_port"; then
  pg_log "port $url_port is taken by another program; choose another address with JOBS_URL=http://127.0.0.1:<port>"
  exit 1
fi

pg_log "building (the first build takes a minute or two)"
dotnet build "$root/src/Jobs.Api/Jobs.Api.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly
cat >&2 <<TEXT
[jobs] starting on $url
[jobs]   jobs page        $url/jobs
[jobs]   API              $url/api/jobs   (header X-Api-Key)
[jobs]   API reference    $url/docs
[jobs]   Orleans dashboard $url/dashboard/
[jobs]   health           $url/health/ready
[jobs]   operator key     $JOBS_OPERATOR_KEY
[jobs]   data folder      $data
TEXT
dotnet "$root/src/Jobs.Api/bin/Release/net10.0/Jobs.Api.dll" --urls "$url" --contentRoot "$root/src/Jobs.Api" &
api_pid=$!
wait "$api_pid"
