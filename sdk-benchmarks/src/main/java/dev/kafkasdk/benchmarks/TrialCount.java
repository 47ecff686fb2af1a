package dev.kafkasdk.benchmarks;

/**
 * How many records a count-based trial handles: the one rule for the producer and consumer-light
 * scenarios that keeps the baseline's trial from being too short to measure.
 *
 * <p>Warm-up trials run the configured count. Each warm-up trial of the baseline reports its rate
 * ({@link #observeBaseline}); the measured rounds then run {@code max(configured, fastest warm-up
 * rate x target seconds)}, at most {@code available} (what the scenario's topic holds, or what a
 * trial may keep in memory). A raw poll loop at 7 million records/s read its 1,000,000 records in
 * 145 ms, too short a trial on a small shared machine: its median rose from 4.0 to 6.9 million
 * records/s over three quiet quick runs. Every variant of a round runs the same count, so a
 * variant's trial is at least as long as the baseline's whenever it is slower.
 *
 * <p>Not thread-safe: a scenario's trials run one after another on one thread.
 */
final class TrialCount {
  /** How long a quick run's baseline trial should last at least. */
  static final double QUICK_TARGET_SECONDS = 1.0;

  private final long configured;
  private final long available;
  private final double targetSeconds;
  private double fastestBaseline;

  /**
   * @param configured the scenario's own count: the least any trial runs
   * @param available the most a trial may run (what the topic holds); at least {@code configured}
   * @param targetSeconds how long the baseline's measured trial should last at least; 0 keeps the
   *     configured count
   */
  TrialCount(long configured, long available, double targetSeconds) {
    if (configured <= 0 || available < configured || targetSeconds < 0) {
      throw new IllegalArgumentException(
          "need 0 < configured <= available and targetSeconds >= 0, got "
              + configured
              + ", "
              + available
              + ", "
              + targetSeconds);
    }
    this.configured = configured;
    this.available = available;
    this.targetSeconds = targetSeconds;
  }

  /**
   * The count rule of a run: in quick mode at least {@link #QUICK_TARGET_SECONDS} of the baseline's
   * warm-up rate, at most {@code available}; in full mode the configured count, whose trials
   * already last a second or more.
   */
  static TrialCount of(BenchSettings settings, long configured, long available) {
    return new TrialCount(configured, available, settings.quick() ? QUICK_TARGET_SECONDS : 0);
  }

  /**
   * The rule itself: {@code min(available, max(configured, ceil(rate x targetSeconds)))}.
   *
   * @param configured the least count
   * @param recordsPerSecond the baseline's rate; NaN or 0 when not measured
   * @param targetSeconds the baseline trial's wanted length
   * @param available the most a trial may run
   * @return the count of a measured trial
   */
  static long sized(
      long configured, double recordsPerSecond, double targetSeconds, long available) {
    double wanted = recordsPerSecond * targetSeconds;
    long count = Double.isNaN(wanted) ? configured : Math.max(configured, (long) Math.ceil(wanted));
    return Math.min(available, count);
  }

  /**
   * Records a baseline trial's rate; only warm-up trials ({@code round < 0}) count, so the measured
   * rounds all run the same count.
   */
  void observeBaseline(int round, double recordsPerSecond) {
    if (round < 0 && recordsPerSecond > fastestBaseline) {
      fastestBaseline = recordsPerSecond;
    }
  }

  /** Records a trial of {@code round} handles: the configured count in warm-up, else sized. */
  long forRound(int round) {
    return round < 0 ? configured : measured();
  }

  /** The count of a measured trial, from what the warm-up saw so far. */
  long measured() {
    return sized(configured, fastestBaseline, targetSeconds, available);
  }

  /** Whether measured trials may run more than the configured count (quick mode). */
  boolean raises() {
    return targetSeconds > 0;
  }

  /** The configured count, for descriptions. */
  long configured() {
    return configured;
  }
}
