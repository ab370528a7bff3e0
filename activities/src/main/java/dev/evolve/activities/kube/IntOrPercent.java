package dev.evolve.activities.kube;

import io.fabric8.kubernetes.api.model.IntOrString;

/**
 * An IntOrString such as maxSurge, maxUnavailable, minAvailable: a number, or a percentage of a
 * total resolved the way Kubernetes resolves it (rounded up or down, depending on the field).
 */
final class IntOrPercent {

  private IntOrPercent() {}

  /**
   * @param value the field, or null for {@code fallback}
   * @param roundUp true for maxSurge and PDB minAvailable, false for a Deployment's maxUnavailable
   */
  static int resolve(IntOrString value, String fallback, int total, boolean roundUp) {
    if (value == null) {
      return resolve(new IntOrString(fallback), fallback, total, roundUp);
    }
    if (value.getIntVal() != null) {
      return value.getIntVal();
    }
    String text = value.getStrVal().trim();
    if (!text.endsWith("%")) {
      return Integer.parseInt(text);
    }
    double exact = total * Integer.parseInt(text.substring(0, text.length() - 1).trim()) / 100.0;
    return (int) (roundUp ? Math.ceil(exact) : Math.floor(exact));
  }
}
