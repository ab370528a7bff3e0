#!/bin/sh
# Creates the namespace the worker uses and the search attributes every cycle keeps current
# (EvolveCluster, EvolvePool, EvolvePhase): without them the workflow's first task fails. The
# worker would add them itself at start-up, but only with operator rights it should not need.
set -eu
namespace="${TEMPORAL_NAMESPACE:-default}"

echo "waiting for the Temporal frontend at $TEMPORAL_ADDRESS"
until temporal operator cluster health >/dev/null 2>&1; do sleep 2; done

temporal operator namespace describe --namespace "$namespace" >/dev/null 2>&1 \
  || temporal operator namespace create --namespace "$namespace" --retention 30d

for attribute in EvolveCluster EvolvePool EvolvePhase; do
  temporal operator search-attribute create --namespace "$namespace" --name "$attribute" --type Keyword \
    || echo "search attribute $attribute exists"
done
echo "namespace $namespace ready"
