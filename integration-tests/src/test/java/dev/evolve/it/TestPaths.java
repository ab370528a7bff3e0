package dev.evolve.it;

import java.nio.file.Path;

/** Where the project is and where the tests write logs; set by the failsafe configuration. */
public final class TestPaths {

  private TestPaths() {}

  public static Path root() {
    return Path.of(System.getProperty("evolve.root", "..")).toAbsolutePath().normalize();
  }

  public static Path logs() {
    return Path.of(System.getProperty("evolve.logs", "target/it-logs")).toAbsolutePath().normalize();
  }

  /** The temporary folder of the processes the tests start: under target/, not /tmp. */
  static Path tmp() {
    return logs().resolveSibling("it-tmp");
  }
}
