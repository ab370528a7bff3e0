package dev.evolve.sandbox.demo;

import java.time.Duration;

/**
 * How often the demo's side of things looks at the world. The activities' poll intervals are
 * minutes-friendly defaults for a real cluster; against the sandbox they would spend most of the
 * demo asleep, so the demo hands them shorter ones.
 *
 * @param activityPoll how often the activities poll GKE operations and the Kubernetes API
 * @param settleSeconds the request's settle time between Kafka brokers (a visible countdown)
 * @param progressPoll how often the demo queries the cycle's progress and the cluster
 * @param clusterReadyLimit how long the sandbox may take to run every pod of the scenario (real Kafka
 *     brokers take seconds to start on a busy machine)
 */
public record Pace(Duration activityPoll, long settleSeconds, Duration progressPoll, Duration clusterReadyLimit) {

  /** The pace a person watches: the default scenario's cycle in about a minute. */
  public static Pace demo() {
    return new Pace(Duration.ofMillis(300), 2, Duration.ofMillis(250), Duration.ofSeconds(60));
  }

  /** For tests, with {@code Sandbox.Settings.fast()}. */
  public static Pace fast() {
    return new Pace(Duration.ofMillis(50), 0, Duration.ofMillis(50), Duration.ofSeconds(90));
  }

  public Pace withSettleSeconds(long seconds) {
    return new Pace(activityPoll, seconds, progressPoll, clusterReadyLimit);
  }
}
