package dev.evolve.sandbox.observe;

import dev.evolve.sandbox.Disruption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Records every stretch during which a workload with a PodDisruptionBudget has fewer Ready pods
 * than the budget requires. A budget is watched only once its workload has been healthy, so
 * the cluster starting up is not counted as a disruption.
 *
 * <p>It is told, not polling: {@link ClusterObserver} hands it the budgets after every watch event
 * on pods and budgets, as each event described the pods. A periodic sample could miss a drop that
 * begins and ends between two samples, such as a Ready condition reported False for an instant.
 */
public final class DisruptionWatcher {

  private final Set<String> armed = new HashSet<>();
  private final Map<String, Integer> open = new HashMap<>();
  private final List<Disruption> disruptions = new ArrayList<>();

  /** The budgets of one namespace as they stand right now. */
  public synchronized void observe(List<Budgets.State> budgets) {
    for (Budgets.State state : budgets) {
      String key = state.name();
      if (state.expected() == 0) {
        continue;
      }
      if (!armed.contains(key)) {
        if (state.healthy() >= state.desired()) {
          armed.add(key);
        }
        continue;
      }
      record(key, state);
    }
  }

  private void record(String key, Budgets.State state) {
    Integer index = open.get(key);
    if (state.healthy() < state.desired()) {
      if (index == null) {
        disruptions.add(new Disruption(state.workload(), key, Instant.now(), null, state.healthy(), state.desired()));
        open.put(key, disruptions.size() - 1);
      } else {
        Disruption d = disruptions.get(index);
        if (state.healthy() < d.lowestReady()) {
          disruptions.set(index, new Disruption(d.workload(), d.budget(), d.start(), null, state.healthy(), d.required()));
        }
      }
    } else if (index != null) {
      Disruption d = disruptions.get(index);
      disruptions.set(index, new Disruption(d.workload(), d.budget(), d.start(), Instant.now(), d.lowestReady(),
          d.required()));
      open.remove(key);
    }
  }

  public synchronized List<Disruption> disruptions() {
    return List.copyOf(disruptions);
  }
}
