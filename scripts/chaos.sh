#!/usr/bin/env bash
# The chaos soak (issue 13): many cycles in a row on the sandbox (real Kubernetes control plane, fake
# GKE, the real Temporal dev server on a database file, the worker as its own process), each under
# faults drawn from a seed in every part: GKE (transient errors, rate limits, an operation failing
# half-way or staying RUNNING, another caller's operation), Kubernetes (kube-apiserver killed and
# restarted, the controller-manager paused, a node NotReady, a budget tightened), Temporal (the worker
# killed with SIGKILL, the dev server restarted) and operators (pause, resume, cancel, approve).
# After every cycle it checks the invariants and stops at the first breach; at the end it prints a
# table. Exit code 0: no breach; 1: a breach (the replay command is printed); 2: bad options.
#
#   scripts/chaos.sh [--seed N] [--cycles 50] [--first-cycle N] [--faults 5-7] [--minutes N] [--scenario FILE] [--no-build]
#
# The same seed gives the same plan for every cycle (--first-cycle N --cycles 1 replays cycle N).
# Maven options (e.g. an offline local repository) go through MAVEN_ARGS, which Maven reads itself.
# Everything it starts is stopped on exit, Ctrl-C or SIGTERM (the Java driver's shutdown hooks, and
# each process watches the driver); logs go to integration-tests/target/chaos-logs/.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

build=1
args=()
for arg in "$@"; do
  if [[ "$arg" == --no-build ]]; then build=0; else args+=("$arg"); fi
done

logs="$root/integration-tests/target/chaos-logs"
mkdir -p "$logs"
if ((build)); then
  echo "chaos: building the modules and the test classes..." >&2
  ./mvnw -q -B -pl integration-tests -am install -DskipTests
fi
./mvnw -q -B -pl integration-tests dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$logs/classpath" >/dev/null
classpath="$root/integration-tests/target/test-classes:$root/integration-tests/target/classes:$(cat "$logs/classpath")"

# exec: Ctrl-C and SIGTERM reach the driver, whose shutdown hooks clear the faults and stop the processes
exec java -Xmx768m -cp "$classpath" -Devolve.root="$root" -Devolve.logs="$logs" dev.evolve.it.chaos.ChaosMain "${args[@]}"
