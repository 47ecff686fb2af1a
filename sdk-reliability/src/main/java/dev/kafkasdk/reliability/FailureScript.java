package dev.kafkasdk.reliability;

/**
 * Which records a failure-path scenario's handler fails, and how often: a seeded share of payloads
 * fails a seeded number of calls, between 1 and {@code maxAttempts + 1}. A record that fails fewer
 * calls than the runner's {@code maxAttempts} must then succeed on a retry; one that fails {@code
 * maxAttempts} calls or more must be given up (skipped or dead-lettered) after exactly {@code
 * maxAttempts} calls. The script is a pure function of the seed and the payload, so the handler (in
 * any process) and the {@link HistoryChecker} agree on it.
 *
 * @param seed the seed
 * @param percentFailing the share of payloads that fail at least once, 0 to 100
 * @param maxAttempts the runner's retry limit, at least 1
 */
public record FailureScript(long seed, int percentFailing, int maxAttempts) {

  /** Validates the parts. */
  public FailureScript {
    if (percentFailing < 0 || percentFailing > 100 || maxAttempts < 1) {
      throw new IllegalArgumentException(
          "percentFailing must be 0-100 and maxAttempts at least 1, were "
              + percentFailing
              + " and "
              + maxAttempts);
    }
  }

  /**
   * Returns how many handler calls with the payload fail before one succeeds.
   *
   * @param payload the record's payload
   * @return 0 for most payloads; otherwise 1 to {@code maxAttempts + 1}
   */
  public int failures(Payload payload) {
    // java.util.Random seeded with neighbouring values starts with correlated numbers, and payloads
    // of one key differ only in their sequence: mix the bits instead (SplitMix64's finalizer).
    long bits = mix(seed + 0x9E3779B97F4A7C15L * payload.encode().hashCode());
    if (Math.floorMod(bits, 100) >= percentFailing) {
      return 0;
    }
    return 1 + Math.floorMod(bits >>> 32, maxAttempts + 1);
  }

  /** SplitMix64's finalizer: spreads the bits of neighbouring seeds. */
  static long mix(long value) {
    long z = value;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * Tells whether the runner must give the payload up: it fails on every allowed attempt.
   *
   * @param payload the record's payload
   * @return true if it fails at least {@code maxAttempts} calls
   */
  public boolean givenUp(Payload payload) {
    return failures(payload) >= maxAttempts;
  }

  /**
   * Returns the handler calls the runner must make with the payload.
   *
   * @param payload the record's payload
   * @return {@code min(failures + 1, maxAttempts)}
   */
  public int calls(Payload payload) {
    return Math.min(failures(payload) + 1, maxAttempts);
  }
}
