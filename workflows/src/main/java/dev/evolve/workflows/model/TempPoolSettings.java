package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The temporary pool, as far as the user wants a say in it. Everything else (image type, disk,
 * service account, labels, taints, locations) is copied from the original pool so that every pod
 * that fits there also fits here.
 *
 * @param name pool name; default {@code <pool>-temp}
 * @param machineType default: the original pool's machine type
 * @param nodeCountPerZone default: sized from what the moving pods request
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TempPoolSettings(String name, String machineType, Integer nodeCountPerZone) {

  public static TempPoolSettings defaults() {
    return new TempPoolSettings(null, null, null);
  }
}
