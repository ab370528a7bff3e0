package dev.evolve.sandbox.kafka;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * The main class of every Kafka process the sandbox starts: it runs the given Kafka main class,
 * and halts the process when the sandbox that started it is gone, so that a sandbox killed with
 * SIGKILL leaves no broker behind. A halt is what a node loss does to a broker: no controlled
 * shutdown. A SIGTERM still reaches Kafka's own shutdown hook, which is the controlled shutdown.
 *
 * <p>Usage: {@code DiesWithParent MAIN_CLASS ARGS...}
 */
public final class DiesWithParent {

  private DiesWithParent() {}

  public static void main(String[] args) throws Exception {
    ProcessHandle parent = ProcessHandle.current().parent()
        .orElseThrow(() -> new IllegalStateException("no parent process"));
    Thread watch = new Thread(() -> {
      while (parent.isAlive()) {
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          return;
        }
      }
      Runtime.getRuntime().halt(137);
    }, "dies-with-parent");
    watch.setDaemon(true);
    watch.start();
    Method main = Class.forName(args[0]).getMethod("main", String[].class);
    main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
  }
}
