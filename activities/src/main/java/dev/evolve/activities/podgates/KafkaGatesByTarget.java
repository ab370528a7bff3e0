package dev.evolve.activities.podgates;

import dev.evolve.workflows.activities.KafkaActivities;
import dev.evolve.workflows.model.GateResult;
import dev.evolve.workflows.model.KafkaTarget;
import java.util.List;

/**
 * The Kafka gates a worker registers: a request whose bootstrap servers are
 * {@code pods://NAMESPACE/STATEFULSET} is judged from pod readiness (the degraded mode, and the
 * sandbox's Kafka stand-in); every other request goes to the Admin API gates. One worker can so
 * serve real clusters and the sandbox without a switch.
 */
public final class KafkaGatesByTarget implements KafkaActivities {

  private final KafkaActivities adminApi;
  private final KafkaActivities podReadiness;

  public KafkaGatesByTarget(KafkaActivities adminApi, KafkaActivities podReadiness) {
    this.adminApi = adminApi;
    this.podReadiness = podReadiness;
  }

  @Override
  public GateResult awaitSafeToMove(KafkaTarget kafka, int brokerId, long budgetSeconds) {
    return gatesFor(kafka).awaitSafeToMove(kafka, brokerId, budgetSeconds);
  }

  @Override
  public GateResult awaitCaughtUp(KafkaTarget kafka, int brokerId, long budgetSeconds) {
    return gatesFor(kafka).awaitCaughtUp(kafka, brokerId, budgetSeconds);
  }

  @Override
  public List<Integer> brokerMoveOrder(KafkaTarget kafka, List<Integer> brokerIds) {
    return gatesFor(kafka).brokerMoveOrder(kafka, brokerIds);
  }

  private KafkaActivities gatesFor(KafkaTarget kafka) {
    boolean pods = kafka != null && kafka.bootstrapServers() != null
        && kafka.bootstrapServers().startsWith(PodReadinessKafkaActivities.SCHEME);
    return pods ? podReadiness : adminApi;
  }
}
