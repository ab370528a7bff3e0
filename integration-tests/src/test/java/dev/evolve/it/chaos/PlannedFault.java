package dev.evolve.it.chaos;

import dev.evolve.workflows.model.Phase;

/**
 * One fault of a cycle's plan, drawn up front from the seed so that a replay injects the same
 * faults at the same moments of the cycle (timings aside).
 *
 * @param kind what breaks
 * @param phase the phase whose start (or any later phase's) arms the trigger
 * @param afterMillis how long after that the fault starts
 * @param lastsMillis how long it lasts before the soak clears it (0: a one-off, e.g. a kill)
 * @param target what it hits, where the kind needs it: an RPC name, a GKE operation type
 * @param pick which of the candidates found at injection time (a node, a budget), modulo their count
 */
record PlannedFault(FaultKind kind, Phase phase, long afterMillis, long lastsMillis, String target, int pick) {

  @Override
  public String toString() {
    return kind + (target.isEmpty() ? "" : "(" + target + ")") + " at " + phase + "+" + afterMillis + "ms"
        + (lastsMillis > 0 ? " for " + lastsMillis + "ms" : "");
  }
}
