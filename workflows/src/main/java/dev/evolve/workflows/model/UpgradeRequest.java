package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Duration;

/**
 * What a user asks for: upgrade one GKE node pool to a version by moving its workloads onto a
 * temporary pool and back. This is the one input of the workflow, so it must read well as JSON on
 * the Temporal CLI; optional fields may be left out and take the defaults documented on each
 * {@code ...OrDefault} accessor. Durations are plain seconds.
 *
 * @param project GCP project id
 * @param location region or zone of the cluster, e.g. {@code europe-west1}
 * @param cluster GKE cluster name
 * @param nodePool the pool to upgrade
 * @param targetVersion GKE node version, e.g. {@code 1.33.5-gke.1201000}, or {@code "-"} for the
 *     control plane's version
 * @param tempPool settings of the temporary pool (all optional)
 * @param workloads which workloads move (default: everything with pods on the pool)
 * @param kafka Kafka brokers to rotate one at a time with health gates (optional)
 * @param tempPoolPolicy what happens to the temporary pool at the end (default DELETE)
 * @param dryRun stop after PREPARE and return the plan
 * @param requireApproval wait for the {@code approve} signal before upgrading the original pool
 * @param allowEmptyDirDataLoss move pods whose emptyDir volumes would be emptied by the move
 * @param moveTimeoutSeconds how long one workload move (a rollout, an eviction round) may take
 * @param operationTimeoutSeconds how long one GKE operation may run before we stop waiting
 * @param startWindow when set, the cycle only starts changing things inside this maintenance
 *     window (scheduled cycles); outside it ends as SKIPPED_OUTSIDE_WINDOW
 * @param heartbeatTimeoutSeconds how long a running GKE operation wait, move or Kafka gate may go
 *     without a heartbeat before Temporal retries it: the time a crashed worker holds the cycle up.
 *     Default 60 for moves and gates, 120 for GKE operations; keep it well above the worker's GKE
 *     poll interval (EVOLVE_GKE_POLL_SECONDS, default 10), or waits that are alive time out
 * @param moveParallelism how many workloads may move at the same time (default 10, 1 to 100; 1 moves
 *     them one after the other). Workloads under one PodDisruptionBudget, and the pods of one
 *     StatefulSet (Kafka brokers included), still move one at a time
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UpgradeRequest(
    String project,
    String location,
    String cluster,
    String nodePool,
    String targetVersion,
    TempPoolSettings tempPool,
    WorkloadSelection workloads,
    KafkaRotation kafka,
    TempPoolPolicy tempPoolPolicy,
    Boolean dryRun,
    Boolean requireApproval,
    Boolean allowEmptyDirDataLoss,
    Long moveTimeoutSeconds,
    Long operationTimeoutSeconds,
    StartWindow startWindow,
    Long heartbeatTimeoutSeconds,
    Integer moveParallelism) {

  /** Workloads moving at once unless the request says otherwise. */
  public static final int DEFAULT_MOVE_PARALLELISM = 10;
  /** The most a request may ask for: beyond it the API server and the cluster's controllers suffer. */
  public static final int MAX_MOVE_PARALLELISM = 100;

  /** A request with the default move parallelism. */
  public UpgradeRequest(String project, String location, String cluster, String nodePool, String targetVersion,
      TempPoolSettings tempPool, WorkloadSelection workloads, KafkaRotation kafka, TempPoolPolicy tempPoolPolicy,
      Boolean dryRun, Boolean requireApproval, Boolean allowEmptyDirDataLoss, Long moveTimeoutSeconds,
      Long operationTimeoutSeconds, StartWindow startWindow, Long heartbeatTimeoutSeconds) {
    this(project, location, cluster, nodePool, targetVersion, tempPool, workloads, kafka, tempPoolPolicy, dryRun,
        requireApproval, allowEmptyDirDataLoss, moveTimeoutSeconds, operationTimeoutSeconds, startWindow,
        heartbeatTimeoutSeconds, null);
  }

  /** A request without a start window, with the default heartbeat timeouts. */
  public UpgradeRequest(String project, String location, String cluster, String nodePool, String targetVersion,
      TempPoolSettings tempPool, WorkloadSelection workloads, KafkaRotation kafka, TempPoolPolicy tempPoolPolicy,
      Boolean dryRun, Boolean requireApproval, Boolean allowEmptyDirDataLoss, Long moveTimeoutSeconds,
      Long operationTimeoutSeconds) {
    this(project, location, cluster, nodePool, targetVersion, tempPool, workloads, kafka, tempPoolPolicy, dryRun,
        requireApproval, allowEmptyDirDataLoss, moveTimeoutSeconds, operationTimeoutSeconds, null, null, null);
  }

  /** A request with the default heartbeat timeouts, which is what nearly every caller wants. */
  public UpgradeRequest(String project, String location, String cluster, String nodePool, String targetVersion,
      TempPoolSettings tempPool, WorkloadSelection workloads, KafkaRotation kafka, TempPoolPolicy tempPoolPolicy,
      Boolean dryRun, Boolean requireApproval, Boolean allowEmptyDirDataLoss, Long moveTimeoutSeconds,
      Long operationTimeoutSeconds, StartWindow startWindow) {
    this(project, location, cluster, nodePool, targetVersion, tempPool, workloads, kafka, tempPoolPolicy, dryRun,
        requireApproval, allowEmptyDirDataLoss, moveTimeoutSeconds, operationTimeoutSeconds, startWindow, null, null);
  }

  public static final long DEFAULT_MOVE_TIMEOUT_SECONDS = 900;
  public static final long DEFAULT_OPERATION_TIMEOUT_SECONDS = 6 * 3600;

  public TempPoolSettings tempPoolOrDefault() {
    return tempPool != null ? tempPool : TempPoolSettings.defaults();
  }

  /** The temporary pool's name: {@code <pool>-temp} unless the request names one. */
  public String tempPoolName() {
    String name = tempPoolOrDefault().name();
    return name != null && !name.isBlank() ? name : nodePool + "-temp";
  }

  public WorkloadSelection workloadsOrDefault() {
    return workloads != null ? workloads : WorkloadSelection.everything();
  }

  public TempPoolPolicy tempPoolPolicyOrDefault() {
    return tempPoolPolicy != null ? tempPoolPolicy : TempPoolPolicy.DELETE;
  }

  public boolean isDryRun() {
    return Boolean.TRUE.equals(dryRun);
  }

  public boolean needsApproval() {
    return Boolean.TRUE.equals(requireApproval);
  }

  public boolean emptyDirLossAllowed() {
    return Boolean.TRUE.equals(allowEmptyDirDataLoss);
  }

  public long moveTimeoutSecondsOrDefault() {
    return moveTimeoutSeconds != null ? moveTimeoutSeconds : DEFAULT_MOVE_TIMEOUT_SECONDS;
  }

  /** How many workloads may move at once: {@link #DEFAULT_MOVE_PARALLELISM} unless the request says. */
  public int moveParallelismOrDefault() {
    return moveParallelism != null ? moveParallelism : DEFAULT_MOVE_PARALLELISM;
  }

  public long operationTimeoutSecondsOrDefault() {
    return operationTimeoutSeconds != null ? operationTimeoutSeconds : DEFAULT_OPERATION_TIMEOUT_SECONDS;
  }

  /** The request's heartbeat timeout if it names one, else the given default. */
  public Duration heartbeatTimeoutOr(Duration fallback) {
    return heartbeatTimeoutSeconds != null ? Duration.ofSeconds(heartbeatTimeoutSeconds) : fallback;
  }

  public ClusterRef clusterRef() {
    return new ClusterRef(project, location, cluster);
  }

  public UpgradeRequest withDryRun(boolean value) {
    return toBuilder().dryRun(value).build();
  }

  public UpgradeRequest withStartWindow(StartWindow window) {
    return toBuilder().startWindow(window).build();
  }

  /** A request for the five fields every request names; the rest by name, left out for the defaults. */
  public static Builder builder(String project, String location, String cluster, String nodePool,
      String targetVersion) {
    return new Builder().project(project).location(location).cluster(cluster).nodePool(nodePool)
        .targetVersion(targetVersion);
  }

  public Builder toBuilder() {
    return builder(project, location, cluster, nodePool, targetVersion).tempPool(tempPool).workloads(workloads)
        .kafka(kafka).tempPoolPolicy(tempPoolPolicy).dryRun(dryRun).requireApproval(requireApproval)
        .allowEmptyDirDataLoss(allowEmptyDirDataLoss).moveTimeoutSeconds(moveTimeoutSeconds)
        .operationTimeoutSeconds(operationTimeoutSeconds).startWindow(startWindow)
        .heartbeatTimeoutSeconds(heartbeatTimeoutSeconds).moveParallelism(moveParallelism);
  }

  /** Names each field instead of seventeen positional arguments, most of them null. */
  public static final class Builder {
    private String project;
    private String location;
    private String cluster;
    private String nodePool;
    private String targetVersion;
    private TempPoolSettings tempPool;
    private WorkloadSelection workloads;
    private KafkaRotation kafka;
    private TempPoolPolicy tempPoolPolicy;
    private Boolean dryRun;
    private Boolean requireApproval;
    private Boolean allowEmptyDirDataLoss;
    private Long moveTimeoutSeconds;
    private Long operationTimeoutSeconds;
    private StartWindow startWindow;
    private Long heartbeatTimeoutSeconds;
    private Integer moveParallelism;

    private Builder() {}

    public Builder project(String value) { project = value; return this; }
    public Builder location(String value) { location = value; return this; }
    public Builder cluster(String value) { cluster = value; return this; }
    public Builder nodePool(String value) { nodePool = value; return this; }
    public Builder targetVersion(String value) { targetVersion = value; return this; }
    public Builder tempPool(TempPoolSettings value) { tempPool = value; return this; }
    public Builder workloads(WorkloadSelection value) { workloads = value; return this; }
    public Builder kafka(KafkaRotation value) { kafka = value; return this; }
    public Builder tempPoolPolicy(TempPoolPolicy value) { tempPoolPolicy = value; return this; }
    public Builder dryRun(Boolean value) { dryRun = value; return this; }
    public Builder requireApproval(Boolean value) { requireApproval = value; return this; }
    public Builder allowEmptyDirDataLoss(Boolean value) { allowEmptyDirDataLoss = value; return this; }
    public Builder moveTimeoutSeconds(Long value) { moveTimeoutSeconds = value; return this; }
    public Builder operationTimeoutSeconds(Long value) { operationTimeoutSeconds = value; return this; }
    public Builder startWindow(StartWindow value) { startWindow = value; return this; }
    public Builder heartbeatTimeoutSeconds(Long value) { heartbeatTimeoutSeconds = value; return this; }
    public Builder moveParallelism(Integer value) { moveParallelism = value; return this; }

    public UpgradeRequest build() {
      return new UpgradeRequest(project, location, cluster, nodePool, targetVersion, tempPool, workloads, kafka,
          tempPoolPolicy, dryRun, requireApproval, allowEmptyDirDataLoss, moveTimeoutSeconds,
          operationTimeoutSeconds, startWindow, heartbeatTimeoutSeconds, moveParallelism);
    }
  }
}
