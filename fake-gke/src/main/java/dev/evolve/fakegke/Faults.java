package dev.evolve.fakegke;

import com.google.container.v1.Operation;
import io.grpc.Status;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failures to inject, each used once: the next operation of a type ends with an error or stays
 * RUNNING until released, or the next call of an RPC is answered with an error status.
 */
public final class Faults {

  record OperationFault(String message, String poolStatusAfter) {}

  private final Map<Operation.Type, OperationFault> failing = new ConcurrentHashMap<>();
  private final Map<Operation.Type, Boolean> stuck = new ConcurrentHashMap<>();
  private final Map<String, Status> rejected = new ConcurrentHashMap<>();
  private volatile boolean released;

  /** The next operation of this type ends DONE with this error; the pool is left RUNNING. */
  public Faults failNext(Operation.Type type, String message) {
    return failNext(type, message, "RUNNING");
  }

  /** Same, leaving the pool in {@code poolStatusAfter} (e.g. ERROR, RUNNING_WITH_ERROR). */
  public Faults failNext(Operation.Type type, String message, String poolStatusAfter) {
    failing.put(type, new OperationFault(message, poolStatusAfter));
    return this;
  }

  /** The next operation of this type stays RUNNING until {@link #release()}. */
  public Faults stickNext(Operation.Type type) {
    released = false;
    stuck.put(type, true);
    return this;
  }

  public void release() {
    released = true;
  }

  /** The next call of {@code rpc} (e.g. "CreateNodePool") is answered with {@code status}. */
  public Faults rejectNext(String rpc, Status status) {
    rejected.put(rpc, status);
    return this;
  }

  /** Quota, with GKE's wording. */
  public Faults quotaExceededOnNext(String rpc) {
    return rejectNext(rpc, Status.RESOURCE_EXHAUSTED.withDescription("Insufficient regional quota to satisfy "
        + "request: resource \"CPUS\": request requires '12.0' and is short '4.0'. project has a quota of '24.0' "
        + "with '8.0' available."));
  }

  /** Forgets every fault armed and not yet used, and releases a stuck operation. */
  public void clear() {
    failing.clear();
    stuck.clear();
    rejected.clear();
    released = true;
  }

  OperationFault takeFailure(Operation.Type type) {
    return failing.remove(type);
  }

  boolean takeStuck(Operation.Type type) {
    return stuck.remove(type) != null;
  }

  boolean released() {
    return released;
  }

  Status takeRejection(String rpc) {
    return rejected.remove(rpc);
  }
}
