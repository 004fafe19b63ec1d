#!/usr/bin/env bash
# Runs every test of the solution, after installing what they need on a fresh Debian machine with the .NET SDK:
# PostgreSQL's server binaries (the tests start their own throwaway server on a free port above 20000) and
# Chromium for the pages' browser tests. Extra arguments go to `dotnet test` (for example --filter).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/postgres.sh
source "$root/scripts/lib/postgres.sh"

install_packages() {
  if [[ $(id -u) -ne 0 ]]; then
    pg_log "missing: $* — install them with: sudo apt-get install -y $*"
    return 1
  fi
  pg_log "installing $* (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "$@" >/dev/null
}

pg_ensure_installed
if ! command -v chromium >/dev/null 2>&1; then
  install_packages chromium
fi

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1

cd "$root"
dotnet build Jobs.sln -c Release -nologo -clp:ErrorsOnly
dotnet test Jobs.sln -c Release --no-build -nologo --logger "console;verbosity=minimal" "$@"
