package dev.kafkasdk.reliability;

import java.util.Locale;
import java.util.Random;

/**
 * The seed and size of a reliability run. The fault schedule is drawn from the seed, so a failing
 * run is replayed with {@code -Dreliability.seed=<seed>}.
 *
 * <p>System properties:
 *
 * <ul>
 *   <li>{@code kafkasdk.tests}: {@code quick} (the default, the normal test command) or {@code
 *       full} (also set by the Maven profile {@code -Pfull-tests}). The quick run strikes each
 *       fault once per scenario, and twice where a scenario alternates two kinds of fault (see
 *       {@link #rounds(int)}); the full run strikes each fault twice.
 *   <li>{@code reliability.iterations}: fault rounds per scenario, overriding the mode's number.
 *   <li>{@code reliability.seed}: a number, or {@code random}; default 20261126.
 * </ul>
 *
 * @param seed the seed
 * @param iterations fault rounds per scenario
 * @param full whether this is the full run ({@code -Dkafkasdk.tests=full})
 */
public record RunSettings(long seed, int iterations, boolean full) {
  static final long DEFAULT_SEED = 20261126L;

  /** The property that selects the quick or full run, for this suite and the modules' tests. */
  public static final String MODE_PROPERTY = "kafkasdk.tests";

  /**
   * Reads the settings from system properties.
   *
   * @return the settings
   * @throws IllegalArgumentException if {@value #MODE_PROPERTY} is neither {@code quick} nor {@code
   *     full}
   */
  public static RunSettings fromSystemProperties() {
    String seed = System.getProperty("reliability.seed", Long.toString(DEFAULT_SEED));
    long value = seed.equals("random") ? new Random().nextLong() : Long.parseLong(seed);
    boolean full = fullRun();
    int iterations = Integer.getInteger("reliability.iterations", full ? 2 : 1);
    return new RunSettings(value, Math.max(1, iterations), full);
  }

  /**
   * Tells whether {@code -Dkafkasdk.tests=full} asks for the full run.
   *
   * @return true for {@code full}, false for {@code quick} or no setting
   * @throws IllegalArgumentException for any other value
   */
  public static boolean fullRun() {
    String mode = System.getProperty(MODE_PROPERTY, "quick").trim().toLowerCase(Locale.ROOT);
    return switch (mode) {
      case "", "quick" -> false;
      case "full" -> true;
      default ->
          throw new IllegalArgumentException(
              MODE_PROPERTY + " must be quick or full, was '" + mode + "'");
    };
  }

  /**
   * Fault rounds for a scenario that alternates {@code kinds} kinds of fault from round to round
   * (for example one broker blackholed, then all of them): at least one round of each kind, even in
   * the quick run.
   *
   * @param kinds how many kinds of fault the scenario alternates
   * @return {@code max(kinds, iterations)}
   */
  public int rounds(int kinds) {
    return Math.max(kinds, iterations);
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
