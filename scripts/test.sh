#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian 12 machine (as root): installs the Debian packages the
# tests need, starts real Mosquitto, InfluxDB 1.x and VictoriaMetrics servers on 127.0.0.1 with
# temporary data folders, hands their addresses to the tests, and stops them again — also on failure.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

log() { printf '[test.sh] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

command -v dotnet >/dev/null || die "the .NET 10 SDK is required (dotnet not on PATH)"

# --- 1. Debian packages -------------------------------------------------------------------------
mapfile -t wanted < <(grep -vE '^\s*(#|$)' scripts/apt-packages.txt)
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  log "installing: ${missing[*]}"
  [ "$(id -u)" = 0 ] || die "installing packages needs root: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian's packages may start their own service instances; the tests use private ones on free ports.
  for svc in mosquitto influxdb victoria-metrics; do
    service "$svc" stop >/dev/null 2>&1 || true
  done
fi

# `bash scripts/test.sh --install-only` stops here: the benchmarks start the same servers themselves.
if [[ "${1:-}" == --install-only ]]; then
  log "packages installed"
  exit 0
fi

# --- 2. Servers ---------------------------------------------------------------------------------
work="$(mktemp -d /tmp/sensorgateway-test.XXXXXX)"
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT INT TERM

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_for() { # name, command...
  local name=$1; shift
  for _ in $(seq 1 100); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  log "--- $name log ---"; cat "$work/$name.log" >&2 || true
  die "$name did not become ready"
}

# shellcheck source=scripts/servers.sh
source scripts/servers.sh
start_mosquitto
start_influxdb1
start_victoriametrics

# --- 3. Tests -----------------------------------------------------------------------------------
export SG_TEST_REQUIRE_SERVERS=1
log "mosquitto $SG_TEST_MQTT_PORT, influxdb 1.x $SG_TEST_INFLUXDB1_URL, victoria-metrics $SG_TEST_VICTORIAMETRICS_URL"
set +e
# Arguments narrow the run for development, e.g. `bash scripts/test.sh --project tests/SensorGateway.IntegrationTests`.
# Test projects run one after another: the end-to-end scenarios judge alarm timelines against the clock, and on a
# 2-core machine other test assemblies running beside them would skew those timelines.
if (($#)); then target=("$@"); else target=(--solution SensorGateway.sln --max-parallel-test-modules 1); fi
dotnet test "${target[@]}" -c Release 2>&1 | tee "$work/dotnet-test.log"
status=${PIPESTATUS[0]}
set -e

# One closing line that any CI reader understands, from the runner's final summary block.
count() { awk -v key="$1" '/Test run summary/ {seen=1} seen && $1 == key":" {print $2; exit}' "$work/dotnet-test.log"; }
echo "Tests: $(count succeeded || true) passed, $(count failed || true) failed, $(count skipped || true) skipped"
exit "$status"
