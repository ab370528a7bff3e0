#!/usr/bin/env bash
# One worker, many cycles: one worker JVM (512 MB heap, 2 cores) drives N concurrent cycles (default
# 200) against fast fakes on the real Temporal dev server. Prints the inputs, the completed cycles,
# the cycles' wall time and overhead (p50/p99/max), the worker's peak heap, its garbage collections
# and the worker settings it ran with. Exits non-zero when a limit is broken: not every cycle
# SUCCEEDED, the worker died (an OutOfMemoryError ends it: -XX:+ExitOnOutOfMemoryError), or its
# heap went over the limit.
#
#   scripts/benchmark-many-cycles.sh [--cycles N] [--heap 512m] [--timeout-seconds 900]
#
# Maven options (e.g. an offline local repository) go through MAVEN_ARGS, which Maven reads itself.
# The dev server and the worker are stopped on exit, Ctrl-C or SIGTERM; logs stay in
# worker/target/many-cycles/.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

cycles=200
heap=512m
cores=2
timeout_seconds=900
while [[ $# -gt 0 ]]; do
  case "$1" in
    --cycles) cycles="$2"; shift 2 ;;
    --heap) heap="$2"; shift 2 ;;
    --timeout-seconds) timeout_seconds="$2"; shift 2 ;;
    *) echo "usage: $0 [--cycles N] [--heap 512m] [--timeout-seconds S]" >&2; exit 2 ;;
  esac
done

work="$root/worker/target/many-cycles"
server_pid=""
worker_pid=""
driver_pid=""

# Stops what this script started, TERM first (the worker prints its figures on TERM), then KILL.
stop() {
  local pid="$1" name="$2"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  echo "benchmark: $name did not stop within 10 s, killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  stop "$driver_pid" driver
  stop "$worker_pid" worker
  stop "$server_pid" "temporal dev server"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Waits until FILE has a line matching PATTERN (at most SECONDS), or the process PID has ended.
await_line() {
  local file="$1" pattern="$2" seconds="$3" pid="$4"
  for _ in $(seq 1 $((seconds * 10))); do
    grep -qE "$pattern" "$file" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

rm -rf "$work"
mkdir -p "$work"

echo "benchmark: building the worker and its test classes..."
./mvnw -q -B -pl worker -am install -DskipTests
./mvnw -q -B -pl worker dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/classpath" >/dev/null
classpath="$root/worker/target/test-classes:$root/worker/target/classes:$(cat "$work/classpath")"

temporal="$(scripts/temporal.sh install)"
scripts/temporal.sh start-dev >"$work/temporal.log" 2>&1 &
server_pid=$!
if ! await_line "$work/temporal.log" 'address [0-9.]+:[0-9]+' 30 "$server_pid"; then
  echo "benchmark: the dev server did not start:" >&2
  cat "$work/temporal.log" >&2
  exit 1
fi
address="$(grep -oE 'address [0-9.]+:[0-9]+' "$work/temporal.log" | head -1 | cut -d' ' -f2)"
for _ in $(seq 1 120); do
  "$temporal" operator cluster health --address "$address" 2>/dev/null | grep -q SERVING && break
  sleep 0.5
done

java -Xmx"$heap" -XX:ActiveProcessorCount="$cores" -XX:+ExitOnOutOfMemoryError -cp "$classpath" \
  dev.evolve.worker.bench.ManyCyclesWorker --address "$address" \
  --wait-log "$work/waits.tsv" --report "$work/worker.report" >"$work/worker.log" 2>&1 &
worker_pid=$!
if ! await_line "$work/worker.log" 'polling task queue' 60 "$worker_pid"; then
  echo "benchmark: the worker did not start:" >&2
  cat "$work/worker.log" >&2
  exit 1
fi

echo "== inputs =="
echo "cycles         $cycles at once, each on its own pool (one fake cluster per cycle)"
echo "worker JVM     -Xmx$heap -XX:ActiveProcessorCount=$cores, $(java -version 2>&1 | head -1)"
echo "machine        $(nproc) cores, shared by the dev server, the worker and the driver; load average $(cut -d' ' -f1-3 /proc/loadavg) before the run"
echo "temporal       dev server $address ($("$temporal" --version | head -1))"
grep -oE 'capacity: .*' "$work/worker.log" | sed 's/^capacity: /worker capacity /'
grep -oE 'fakes wait: .*' "$work/worker.log" | sed 's/^fakes wait: /fakes wait     /'

echo "== driver =="
# in the background, so that Ctrl-C or SIGTERM reach the traps at once, not after the driver has ended
java -XX:ActiveProcessorCount="$cores" -cp "$classpath" dev.evolve.worker.bench.ManyCyclesDriver \
  --address "$address" --cycles "$cycles" --timeout-seconds "$timeout_seconds" --wait-log "$work/waits.tsv" \
  --report "$work/driver.report" &
driver_pid=$!
driver_rc=0
wait "$driver_pid" || driver_rc=$?
driver_pid=""

# CPU seconds a process has used so far (user + system), from /proc
cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$1/stat" 2>/dev/null || echo "?"
}
# name=value from a report file, or "?" when the file or the line is missing
figure() {
  local value
  value="$(grep -m1 "^$2=" "$1" 2>/dev/null | cut -d= -f2)"
  echo "${value:-?}"
}
mb() { [[ "$1" == "?" ]] && echo "?" || awk -v b="$1" 'BEGIN { printf "%.0f", b / 1048576 }'; }
seconds() { [[ "$1" == "?" ]] && echo "?" || awk -v us="$1" 'BEGIN { printf "%.1f", us / 1e6 }'; }

echo "server: the dev server used $(cpu_seconds "$server_pid") s of CPU; load average now $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== worker =="
worker_alive=yes
kill -0 "$worker_pid" 2>/dev/null || worker_alive=no
stop "$worker_pid" worker
worker_pid=""
grep -E '^worker:' "$work/worker.log" || true

echo "== summary =="
driver_report="$work/driver.report"
worker_report="$work/worker.report"
peak="$(figure "$worker_report" peakUsedBytes)"
max="$(figure "$worker_report" maxHeapBytes)"
violations="$(figure "$worker_report" violations)"
echo "completed $(figure "$driver_report" completed) of $cycles cycles;" \
  "overhead p50 $(seconds "$(figure "$driver_report" overheadP50Micros)") s," \
  "p99 $(seconds "$(figure "$driver_report" overheadP99Micros)") s;" \
  "peak heap $(mb "$peak") MB (at most $(mb "$(figure "$worker_report" peakAfterGcBytes)") MB after a GC)" \
  "of -Xmx$heap; $(grep -m1 -oE 'capacity: .*' "$work/worker.log" | sed 's/^capacity: //')"

broken=()
[[ "$driver_rc" -eq 0 ]] || broken+=("not every cycle SUCCEEDED (driver exit $driver_rc)")
[[ "$worker_alive" == yes ]] || broken+=("the worker died during the run (see $work/worker.log)")
if grep -q 'OutOfMemoryError' "$work/worker.log"; then
  broken+=("the worker ran out of memory: $(grep -m1 'OutOfMemoryError' "$work/worker.log")")
fi
if [[ "$peak" == "?" || "$max" == "?" ]]; then
  broken+=("the worker reported no heap figures (see $work/worker.log)")
elif (( peak > max )); then
  broken+=("peak heap $(mb "$peak") MB over the -Xmx$heap limit")
fi
[[ "$violations" == "0" ]] || broken+=("safety violations in the fake clusters: $violations")

if [[ ${#broken[@]} -gt 0 ]]; then
  printf 'benchmark: LIMIT BROKEN: %s\n' "${broken[@]}"
  exit 1
fi
echo "benchmark: PASS: $cycles cycles completed on one worker within -Xmx$heap"
