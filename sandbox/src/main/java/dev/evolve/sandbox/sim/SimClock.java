package dev.evolve.sandbox.sim;

/** Wall-clock time and the conversion of simulated delays to it. */
public final class SimClock {

  private final double speed;

  public SimClock(double speed) {
    this.speed = speed;
  }

  public long millis() {
    return System.currentTimeMillis();
  }

  public long wallMillis(double simulationSeconds) {
    return Math.round(simulationSeconds * 1000 / speed);
  }
}
