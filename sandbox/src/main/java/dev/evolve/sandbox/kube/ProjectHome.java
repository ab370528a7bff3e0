package dev.evolve.sandbox.kube;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checkout this code runs from, where {@code scripts/} lives: {@code EVOLVE_HOME} when set
 * (the {@code ./evolve} launcher sets it), else the nearest folder above the working directory
 * that holds {@code scripts/kube.sh} (tests run from a module's folder).
 */
public final class ProjectHome {

  private ProjectHome() {}

  public static Path find() {
    String home = System.getenv("EVOLVE_HOME");
    if (home != null && !home.isBlank()) {
      return Path.of(home).toAbsolutePath();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("scripts/kube.sh"))) {
        return dir;
      }
    }
    throw new IllegalStateException("cannot find scripts/kube.sh above " + Path.of("").toAbsolutePath()
        + "; set EVOLVE_HOME to the evolve checkout");
  }
}
