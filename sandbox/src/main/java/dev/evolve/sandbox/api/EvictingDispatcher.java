package dev.evolve.sandbox.api;

import dev.evolve.sandbox.sim.Budgets;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentList;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetList;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetList;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetList;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mock API server's CRUD store plus what the CRUD mode lacks: the Eviction subresource
 * ({@code POST /api/v1/namespaces/NS/pods/NAME/eviction}) with the API server's
 * PodDisruptionBudget rules. A Ready pod may go only if every budget selecting it keeps its
 * desired healthy count without it; a pod that is not Ready may go while the budget is met
 * (the IfHealthyBudget policy); more than one budget is a 500, as the real server answers.
 */
public final class EvictingDispatcher extends Dispatcher {

  private static final Logger log = LoggerFactory.getLogger(EvictingDispatcher.class);
  private static final Pattern EVICTION =
      Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/?]+)/eviction(\\?.*)?$");

  /** Writes that can change a budget's numbers: pods (their Ready count), the budgets, the workloads' scale. */
  private static final Pattern BUDGET_INPUT = Pattern.compile(
      "^/api(?:/v1|s/apps/v1|s/policy/v1)/namespaces/([^/?]+)/(?:pods|poddisruptionbudgets|deployments|statefulsets)"
          + "(?:[/?].*)?$");

  private final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
  private volatile Consumer<List<Budgets.State>> budgetObserver = budgets -> { };
  /** Writes go one at a time, so that each is judged (eviction) and observed (budgets) on its own. */
  private final Object writeLock = new Object();
  private final AtomicLong evictionsAllowed = new AtomicLong();
  private final AtomicLong evictionsRefused = new AtomicLong();

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    if ("GET".equalsIgnoreCase(request.getMethod())) {
      return crud.dispatch(request);
    }
    synchronized (writeLock) {
      Matcher eviction = EVICTION.matcher(request.getPath());
      if ("POST".equalsIgnoreCase(request.getMethod()) && eviction.matches()) {
        return evict(eviction.group(1), eviction.group(2));
      }
      MockResponse response = crud.dispatch(request);
      Matcher input = BUDGET_INPUT.matcher(request.getPath());
      if (input.matches() && response.code() < 300) {
        budgetObserver.accept(budgetsIn(input.group(1)));
      }
      return response;
    }
  }

  /**
   * Called with the namespace's budgets after every write that may have changed them, before the
   * next write is applied: a drop in a workload's Ready count, however short, is always seen.
   */
  public void observeBudgets(Consumer<List<Budgets.State>> observer) {
    budgetObserver = observer;
  }

  public long evictionsAllowed() {
    return evictionsAllowed.get();
  }

  public long evictionsRefused() {
    return evictionsRefused.get();
  }

  private MockResponse evict(String ns, String name) {
    MockResponse podResponse = crud.handleGet("/api/v1/namespaces/" + ns + "/pods/" + name);
    if (podResponse.code() != 200) {
      return status(404, "NotFound", "pods \"" + name + "\" not found", null);
    }
    Pod pod = Serialization.unmarshal(podResponse.getBody().readUtf8(), Pod.class);
    List<Budgets.State> budgets = budgetsIn(ns).stream()
        .filter(b -> dev.evolve.sandbox.sim.Objects.matches(b.pdb().getSpec().getSelector(),
            pod.getMetadata().getLabels()))
        .toList();
    if (budgets.size() > 1) {
      evictionsRefused.incrementAndGet();
      return status(500, "InternalError",
          "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.", null);
    }
    if (budgets.size() == 1 && pod.getMetadata().getDeletionTimestamp() == null) {
      Budgets.State budget = budgets.get(0);
      boolean ready = dev.evolve.sandbox.sim.Objects.isReady(pod);
      boolean allowed = ready ? budget.healthy() - 1 >= budget.desired() : budget.healthy() >= budget.desired();
      if (!allowed) {
        evictionsRefused.incrementAndGet();
        log.info("eviction of {}/{} refused by {}: {} healthy, {} required", ns, name, budget.name(),
            budget.healthy(), budget.desired());
        return status(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.",
            "The disruption budget " + budget.pdb().getMetadata().getName() + " needs " + budget.desired()
                + " healthy pods and has " + budget.healthy() + " currently");
      }
    }
    crud.handleDelete("/api/v1/namespaces/" + ns + "/pods/" + name);
    budgetObserver.accept(budgetsIn(ns));
    evictionsAllowed.incrementAndGet();
    log.info("evicted {}/{}", ns, name);
    return status(201, null, null, null);
  }

  /** Every PodDisruptionBudget of the namespace, evaluated on what the store holds now. */
  private List<Budgets.State> budgetsIn(String ns) {
    List<Pod> pods = list("/api/v1/namespaces/" + ns + "/pods", PodList.class);
    List<ReplicaSet> replicaSets = list("/apis/apps/v1/namespaces/" + ns + "/replicasets", ReplicaSetList.class);
    List<Deployment> deployments = list("/apis/apps/v1/namespaces/" + ns + "/deployments", DeploymentList.class);
    List<StatefulSet> statefulSets = list("/apis/apps/v1/namespaces/" + ns + "/statefulsets", StatefulSetList.class);
    return list("/apis/policy/v1/namespaces/" + ns + "/poddisruptionbudgets", PodDisruptionBudgetList.class).stream()
        .map(p -> Budgets.of(p, pods, replicaSets, deployments, statefulSets))
        .toList();
  }

  private <T extends io.fabric8.kubernetes.api.model.HasMetadata, L extends KubernetesResourceList<T>> List<T> list(String path, Class<L> type) {
    MockResponse response = crud.handleGet(path);
    if (response.code() != 200 || response.getBody() == null) {
      return List.of();
    }
    L list = Serialization.unmarshal(response.getBody().readUtf8(), type);
    return list.getItems() == null ? List.of() : list.getItems();
  }

  private static MockResponse status(int code, String reason, String message, String cause) {
    StatusBuilder status = new StatusBuilder().withApiVersion("v1").withKind("Status").withCode(code)
        .withStatus(code < 300 ? "Success" : "Failure").withReason(reason).withMessage(message);
    if (cause != null) {
      status.withNewDetails().addNewCause().withReason("DisruptionBudget").withMessage(cause).endCause().endDetails();
    }
    Status body = status.build();
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
        .setBody(Serialization.asJson(body));
  }

  @Override
  public void shutdown() {
    crud.shutdown();
  }
}
