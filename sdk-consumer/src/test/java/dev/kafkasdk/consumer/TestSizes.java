package dev.kafkasdk.consumer;

import java.util.Locale;

/**
 * Which test sizes this run uses: {@code quick} (the default, the normal test command, which must
 * stay within 15 minutes on CI) or {@code full} ({@code -Dkafkasdk.tests=full} or {@code
 * -Pfull-tests}). A quick run still exercises every case a full run does at least once; the full
 * run repeats them with more cases and combinations. See docs/reliability.md, "Running it".
 */
public final class TestSizes {
  private TestSizes() {}

  /**
   * Tells whether this is the full run.
   *
   * @return true for {@code -Dkafkasdk.tests=full}, false for {@code quick} or no setting
   * @throws IllegalArgumentException for any other value, so a typo does not silently run quick
   */
  public static boolean full() {
    String mode = System.getProperty("kafkasdk.tests", "quick").trim().toLowerCase(Locale.ROOT);
    return switch (mode) {
      case "", "quick" -> false;
      case "full" -> true;
      default ->
          throw new IllegalArgumentException(
              "kafkasdk.tests must be quick or full, was '" + mode + "'");
    };
  }
}
