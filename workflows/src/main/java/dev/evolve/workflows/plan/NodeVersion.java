package dev.evolve.workflows.plan;

import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A GKE version such as {@code 1.33.5-gke.1201000}: Kubernetes major.minor.patch plus GKE's build
 * number. Ordered the way GKE orders them, so that "downgrade" and "two minors behind" mean what
 * GKE means.
 */
public record NodeVersion(int major, int minor, int patch, long gkeBuild) implements Comparable<NodeVersion> {

  private static final Pattern FORMAT =
      Pattern.compile("v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?(?:-gke\\.(\\d+))?");

  private static final Comparator<NodeVersion> ORDER =
      Comparator.comparingInt(NodeVersion::major)
          .thenComparingInt(NodeVersion::minor)
          .thenComparingInt(NodeVersion::patch)
          .thenComparingLong(NodeVersion::gkeBuild);

  /** Parses {@code 1.33}, {@code 1.33.5} or {@code 1.33.5-gke.1201000} (a leading v is allowed). */
  public static Optional<NodeVersion> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher m = FORMAT.matcher(text.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new NodeVersion(
        Integer.parseInt(m.group(1)),
        Integer.parseInt(m.group(2)),
        m.group(3) == null ? 0 : Integer.parseInt(m.group(3)),
        m.group(4) == null ? 0 : Long.parseLong(m.group(4))));
  }

  /** How many minor versions this one is behind {@code other} (negative when ahead). */
  public int minorsBehind(NodeVersion other) {
    return (other.major - major) * 1000 + (other.minor - minor);
  }

  @Override
  public int compareTo(NodeVersion other) {
    return ORDER.compare(this, other);
  }
}
