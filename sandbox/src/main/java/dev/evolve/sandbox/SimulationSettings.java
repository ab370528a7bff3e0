package dev.evolve.sandbox;

import java.time.Duration;

/**
 * How the simulation runs.
 *
 * @param tick how often the controllers, scheduler and kubelet act (wall clock)
 * @param speed simulation time per wall-clock time: 2.0 makes every start-up and catch-up delay
 *     of the scenario take half as long
 * @param defaultStartupSeconds start-up delay of pods whose workload names none (simulation time)
 * @param seedNodes create the scenario's pool nodes as Node objects at start; false when the fake
 *     GKE is wired to this cluster and creates them itself
 * @param port loopback port of the API server; 0 for any free one
 */
public record SimulationSettings(Duration tick, double speed, double defaultStartupSeconds, boolean seedNodes,
    int port) {

  public SimulationSettings {
    if (speed <= 0) {
      throw new IllegalArgumentException("speed must be > 0, was " + speed);
    }
  }

  public static SimulationSettings defaults() {
    return new SimulationSettings(Duration.ofMillis(200), 1.0, 2.0, true, 0);
  }

  /** For tests: a quick tick and delays ten times shorter. */
  public static SimulationSettings fast() {
    return new SimulationSettings(Duration.ofMillis(50), 10.0, 1.0, true, 0);
  }

  public SimulationSettings withSpeed(double speed) {
    return new SimulationSettings(tick, speed, defaultStartupSeconds, seedNodes, port);
  }

  public SimulationSettings withSeedNodes(boolean seedNodes) {
    return new SimulationSettings(tick, speed, defaultStartupSeconds, seedNodes, port);
  }

  public SimulationSettings withPort(int port) {
    return new SimulationSettings(tick, speed, defaultStartupSeconds, seedNodes, port);
  }

  /** Wall-clock milliseconds for a delay given in simulation seconds. */
  public long wallMillis(double simulationSeconds) {
    return Math.round(simulationSeconds * 1000 / speed);
  }
}
