package dev.evolve.sandbox.sim;

/** One of the things a cluster does on its own, done once per tick against the current state. */
interface Controller {

  void reconcile(ClusterView view);
}
