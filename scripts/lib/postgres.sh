# PostgreSQL helpers shared by scripts/run.sh and scripts/test.sh. Source it; do not run it.
# The server runs as the `postgres` OS user when we are root, because initdb refuses root.

pg_log() { printf '[jobs] %s\n' "$*" >&2; }

# Installs Debian's PostgreSQL server if no initdb can be found.
pg_ensure_installed() {
  if pg_bindir >/dev/null 2>&1; then
    return 0
  fi
  if [[ $(id -u) -ne 0 ]]; then
    pg_log "PostgreSQL server binaries not found. Install them with: sudo apt-get install -y postgresql"
    return 1
  fi
  pg_log "installing PostgreSQL (apt-get install postgresql)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq postgresql >/dev/null
  # Debian creates and starts a default cluster on 5432; we never use it.
  if command -v pg_lsclusters >/dev/null 2>&1; then
    pg_lsclusters --no-header 2>/dev/null | while read -r ver name _; do
      pg_ctlcluster "$ver" "$name" stop >/dev/null 2>&1 || true
    done
  fi
}

# Prints the directory holding initdb/pg_ctl/postgres, newest version first.
pg_bindir() {
  if [[ -n ${PG_BIN:-} && -x $PG_BIN/initdb ]]; then
    echo "$PG_BIN"
    return 0
  fi
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x $dir/initdb ]]; then
      echo "$dir"
      return 0
    fi
  done
  if command -v initdb >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v initdb)")"
    return 0
  fi
  return 1
}

# Runs a command as the PostgreSQL owner: ourselves, or `postgres` when we are root.
pg_as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# True when the server owner can reach and write a directory.
pg_can_use_dir() {
  pg_as_owner test -w "$1" 2>/dev/null
}

# pg_init DATA_DIR PASSWORD_FILE: creates a cluster if DATA_DIR holds none.
pg_init() {
  local data=$1 pwfile=$2 bin
  bin=$(pg_bindir)
  if [[ -f $data/PG_VERSION ]]; then
    return 0
  fi
  mkdir -p "$data"
  chmod 700 "$data"
  if [[ $(id -u) -eq 0 ]]; then
    chown postgres:postgres "$data" "$pwfile"
  fi
  pg_log "creating a PostgreSQL cluster in $data"
  pg_as_owner "$bin/initdb" -D "$data" -U postgres --auth=scram-sha-256 --pwfile="$pwfile" \
    --encoding=UTF8 --locale=C.UTF-8 >/dev/null
}

# True when something accepts TCP connections on 127.0.0.1:PORT.
pg_port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# pg_start DATA_DIR PORT: starts the cluster on 127.0.0.1:PORT and waits until it accepts connections.
pg_start() {
  local data=$1 port=$2 bin
  bin=$(pg_bindir)
  if pg_as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    pg_log "PostgreSQL is already running on $data"
    return 0
  fi
  if pg_port_busy "$port"; then
    pg_log "port $port is taken by another program; choose another with JOBS_PG_PORT=<port>"
    return 1
  fi
  pg_as_owner "$bin/pg_ctl" -D "$data" -w -t 60 -l "$data/server.log" \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $data -c max_connections=200 -c shared_buffers=256MB" \
    start >/dev/null
}

# A free port on 127.0.0.1 between 30000 and 59999.
pg_free_port() {
  local p
  while :; do
    p=$((30000 + RANDOM % 30000))
    pg_port_busy "$p" || { echo "$p"; return; }
  done
}

# pg_start_throwaway DATA_DIR: a new cluster for benchmarks, set up like the peers' in ../shared/peers (initdb's
# defaults, trust for the postgres user, fsync and synchronous_commit on), started on a free port, which it prints.
pg_start_throwaway() {
  local data=$1 bin port
  bin=$(pg_bindir)
  mkdir -p "$data"
  [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$data"
  pg_as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
  port=$(pg_free_port)
  pg_start "$data" "$port"
  psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qAtc "SELECT 'postgres ' || current_setting('server_version') \
    || ' fsync=' || current_setting('fsync') || ' synchronous_commit=' || current_setting('synchronous_commit')" >&2
  echo "$port"
}

pg_stop() {
  local data=$1 bin
  bin=$(pg_bindir)
  pg_as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
}

# pg_create_db PORT PASSWORD DB: creates DB if it does not exist.
pg_create_db() {
  local port=$1 password=$2 db=$3
  if ! PGPASSWORD=$password psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
    PGPASSWORD=$password psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE \"$db\"" >/dev/null
  fi
}
