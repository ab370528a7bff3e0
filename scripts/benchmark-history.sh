#!/usr/bin/env bash
# Prints how many history events a full cycle writes for 5, 50, 200 and 1,000 workloads, with short
# and long waits, per workflow run (the cycle's own and its child workflows'; see
# HistoryEventsBenchmark). Exits non-zero if the count depends on wait length, 50 workloads + 6
# brokers reach 1,000 events, or any run of the 1,000-workload cycle reaches 2,000 events.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -pl workflows -am install -DskipTests
./mvnw -q -B -pl workflows test-compile exec:java \
  -Dexec.classpathScope=test -Dexec.mainClass=dev.evolve.workflows.HistoryEventsBenchmark \
  -Dlogback.configurationFile=logback-test.xml
