package dev.kafkasdk.reliability;

import java.util.Random;

/**
 * The seed and size of a reliability run. The fault schedule is drawn from the seed, so a failing
 * run is replayed with {@code -Dreliability.seed=<seed>}.
 *
 * <p>System properties: {@code reliability.seed} (a number, or {@code random}; default 20261126),
 * {@code reliability.iterations} (fault rounds per scenario; default 2 for the short run in the
 * normal test suite).
 *
 * @param seed the seed
 * @param iterations fault rounds per scenario
 */
public record RunSettings(long seed, int iterations) {
  static final long DEFAULT_SEED = 20261126L;

  /**
   * Reads the settings from system properties.
   *
   * @return the settings
   */
  public static RunSettings fromSystemProperties() {
    String seed = System.getProperty("reliability.seed", Long.toString(DEFAULT_SEED));
    long value = seed.equals("random") ? new Random().nextLong() : Long.parseLong(seed);
    int iterations = Integer.getInteger("reliability.iterations", 2);
    return new RunSettings(value, Math.max(1, iterations));
  }

  /**
   * A random source for one scenario, derived from the run seed and the scenario's name so that
   * scenarios do not share a sequence.
   *
   * @param scenario the scenario name
   * @return a seeded random
   */
  public Random random(String scenario) {
    return new Random(seed * 31 + scenario.hashCode());
  }
}
