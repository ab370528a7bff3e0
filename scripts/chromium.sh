#!/usr/bin/env bash
# Headless Chromium and its chromedriver for the Web UI test (integration-tests' WebUiIT), from
# Debian's own packages, at one pinned version so that the browser and the driver always match.
#
#   scripts/chromium.sh     installs chromium and chromium-driver at $CHROMIUM_VERSION with apt
#                           (only when missing or at another version; sudo when not root) and
#                           prints the chromedriver path on its last line
#
# Override the pin with EVOLVE_CHROMIUM_VERSION=V (what `apt-cache policy chromium` offers).
# Debian-based machines only: it says so and exits 1 elsewhere.
set -euo pipefail

CHROMIUM_VERSION="${EVOLVE_CHROMIUM_VERSION:-156.0.8078.108-1~deb12u1}"

log() { echo "chromium.sh: $*" >&2; }

installed_version() {
  dpkg-query -W -f='${Status} ${Version}' "$1" 2>/dev/null | awk '$3 == "installed" { print $4 }'
}

# Whether apt knows this version of chromium (apt-cache show exits 0 for an unknown version too).
offered() {
  apt-cache madison chromium 2>/dev/null | awk -F'|' '{ gsub(/ /, "", $2); print $2 }' | grep -qxF "$1"
}

driver_path() {
  command -v chromedriver || echo /usr/bin/chromedriver
}

if [[ "$(installed_version chromium)" == "$CHROMIUM_VERSION" \
   && "$(installed_version chromium-driver)" == "$CHROMIUM_VERSION" && -x "$(driver_path)" ]]; then
  driver_path
  exit 0
fi

if ! command -v apt-get >/dev/null; then
  log "apt-get not found: install Chromium $CHROMIUM_VERSION and its chromedriver yourself (Debian: chromium, chromium-driver)"
  exit 1
fi

as_root=()
if [[ "$(id -u)" != 0 ]]; then
  if ! command -v sudo >/dev/null; then
    log "not root and no sudo: run as root, or apt-get install chromium=$CHROMIUM_VERSION chromium-driver=$CHROMIUM_VERSION"
    exit 1
  fi
  as_root=(sudo)
fi

export DEBIAN_FRONTEND=noninteractive
# A machine whose package lists are old (or were never read) does not know the pinned version yet.
if ! offered "$CHROMIUM_VERSION"; then
  log "refreshing apt's package lists"
  "${as_root[@]}" apt-get update -q >&2
fi
# Debian's security archive keeps only the newest Chromium of a release: once a newer one ships,
# the pinned version can no longer be installed. Then the newest one of this Debian is taken, with
# a warning, rather than no browser at all: apt installs chromium and chromium-driver of one
# version, and a match between the two is what the pin is for (raise the pin to quiet the warning).
if ! offered "$CHROMIUM_VERSION"; then
  candidate="$(apt-cache policy chromium | awk '/Candidate:/ { print $2 }')"
  if [[ -z "$candidate" || "$candidate" == "(none)" ]]; then
    log "apt offers no chromium: add Debian's main archive (and security updates) to its sources"
    exit 1
  fi
  log "WARNING: chromium $CHROMIUM_VERSION is no longer offered by apt; installing $candidate (set CHROMIUM_VERSION in scripts/chromium.sh to it)"
  CHROMIUM_VERSION="$candidate"
fi
log "installing chromium and chromium-driver $CHROMIUM_VERSION"
"${as_root[@]}" apt-get install -y -q --no-install-recommends \
  "chromium=$CHROMIUM_VERSION" "chromium-driver=$CHROMIUM_VERSION" >&2
driver_path
