package dev.evolve.sandbox.sim;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Generated names as Kubernetes makes them, from a seeded random source so runs repeat. */
public final class Names {

  /** The alphabet Kubernetes uses for generated suffixes: no vowels, no look-alike digits. */
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private final Random random;

  public Names(long seed) {
    this.random = new Random(seed);
  }

  public synchronized String suffix(int length) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return s.toString();
  }

  /** A stable 10-character hash of a text in the same alphabet, like pod-template-hash. */
  public static String hash(String text) {
    long h = 0xcbf29ce484222325L;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      s.append(ALPHABET.charAt((int) Long.remainderUnsigned(h, ALPHABET.length())));
      h = Long.divideUnsigned(h, ALPHABET.length());
    }
    return s.toString();
  }
}
