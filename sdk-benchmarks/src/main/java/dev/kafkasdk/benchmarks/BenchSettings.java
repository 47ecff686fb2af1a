package dev.kafkasdk.benchmarks;

/**
 * Run-wide settings.
 *
 * @param quick smaller counts so the whole run fits in about seven minutes
 * @param rounds trials per variant; medians are reported
 */
record BenchSettings(boolean quick, int rounds) {

  /** Picks the full or quick figure. */
  int pick(int full, int quickValue) {
    return quick ? quickValue : full;
  }
}
