#!/usr/bin/env bash
# Move time against the budget-bound limit and against node-by-node `kubectl drain`, with the
# capacity each uses, on one sandbox in one run (see MoveBenchmark). Options, all optional:
#   --nodes-per-zone N   pool size, N nodes in each of 3 zones (default 7: 21 nodes)
#   --deployments M      Deployments in six shapes of strategy and budget (default 30)
#   --speed S            pods start and stop S times faster than the scenario says (default 4)
# Exits non-zero when MIGRATE is over 1.5x its limit, under 3x faster than the drain, or anything
# was disrupted. Everything it starts (control plane, brokers, fake GKE) stops with it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/kube.sh install >/dev/null
./mvnw -q -B -pl sandbox -am install -DskipTests
# The sandbox finds scripts/kube.sh here; its Kafka brokers run on this same class path.
export EVOLVE_HOME="$root"
exec java -cp "$root/sandbox/target/classes:$root/sandbox/target/lib/*" dev.evolve.sandbox.bench.MoveBenchmark "$@"
