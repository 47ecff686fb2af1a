package dev.kafkasdk.benchmarks;

/**
 * One contestant of a scenario.
 *
 * @param name short name printed in the table, e.g. {@code sdk-idempotent}
 * @param baseline true for the hand-written kafka-clients code the SDK is compared against
 * @param run runs one timed trial
 */
record Variant(String name, boolean baseline, TrialRun run) {

  /** One timed run. */
  @FunctionalInterface
  interface TrialRun {
    Trial run(int round) throws Exception;
  }
}
