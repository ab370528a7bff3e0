package dev.evolve.sandbox;

import java.time.Instant;

/** A pod starting on a node: a new pod, or a StatefulSet pod created again under its old name. */
public record PodStart(String workload, String pod, String uid, String node, Instant at) {}
