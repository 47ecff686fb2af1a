package dev.kafkasdk.benchmarks;

import java.util.List;
import java.util.Optional;

/**
 * A benchmark scenario: a fixed workload and the variants that run it, SDK and baseline alike, with
 * identical settings.
 */
interface Scenario {

  /** Stable name used in the table and the {@code ratio} lines. */
  String name();

  /** What is measured, for the table header. */
  String description();

  /**
   * Higher is better for throughput; lower is better for latency and memory. Ratios are always SDK
   * / baseline of the headline value, so the reader must know which way is good.
   */
  boolean higherIsBetter();

  /**
   * Whether {@code --quick} runs this scenario when no {@code --only} names it. Quick mode keeps to
   * the scenarios that compare the SDK with raw kafka-clients code and with its peers, so that it
   * stays near seven minutes; the others run in full mode, or in quick mode when named.
   */
  default boolean inQuickRun() {
    return true;
  }

  /** Prepares shared input (e.g. a preloaded topic) once, before any trial. */
  void prepare() throws Exception;

  /** The contestants; at most one is the baseline. */
  List<Variant> variants();

  /**
   * Whether to run every variant once, untimed, before the measured rounds, so the first measured
   * trial does not pay for class loading and JIT compilation. Time-boxed scenarios that already
   * discard a warm-up period return false.
   */
  default boolean warmUp() {
    return true;
  }

  /**
   * Whether the {@linkplain #warmUp() warm-up} repeats until every variant's last two warm-up
   * trials agree (capped), or runs one pass only: a scenario whose headline is a tail percentile
   * never agrees within 10% and would always pay the cap.
   */
  default boolean steadyWarmUp() {
    return true;
  }

  /**
   * Whether a trial lasts only a second or so (a fixed record count on a fast path). Such trials
   * vary a lot from one to the next on a small machine, so they get more rounds: see {@link
   * #rounds(BenchSettings)}.
   */
  default boolean shortTrials() {
    return false;
  }

  /**
   * Measured rounds per variant: {@code --rounds}, raised to at least 7 (quick) or 9 (full) for
   * {@linkplain #shortTrials() short trials}, so their medians are stable.
   *
   * @param settings the run's settings
   * @return the round count
   */
  default int rounds(BenchSettings settings) {
    return shortTrials()
        ? Math.max(settings.rounds(), settings.quick() ? 7 : 9)
        : settings.rounds();
  }

  /**
   * The value the SDK variants are compared with, when it is computed rather than measured (the
   * I/O-bound scenario's ideal); {@code NaN} when the baseline variant is measured.
   */
  default double computedBaseline(String variant) {
    return Double.NaN;
  }

  /**
   * Another variant of the same scenario that {@code variant} is also compared with, printed as
   * {@code ratio <scenario>/<variant>-vs-<other> <x>} (the median of per-round ratios {@code
   * variant / other}) when both ran; e.g. a share-group variant against the consumer-group runner
   * doing the same job.
   */
  default Optional<String> comparedWith(String variant) {
    return Optional.empty();
  }

  /**
   * Further variants of the same scenario that {@code variant} is compared with, each printed as
   * {@code ratio <scenario>/<variant>-vs-<other> <x>} like {@link #comparedWith(String)}; e.g. an
   * I/O-bound SDK variant against the measured thread wake-up limit at the same thread count.
   */
  default List<String> alsoComparedWith(String variant) {
    return List.of();
  }

  /**
   * Whether a quick run leaves {@code variant} out unless {@code --variants} names it: diagnostic
   * variants that full runs include but that would lengthen every quick run.
   */
  default boolean quickOnlyWhenNamed(String variant) {
    return false;
  }
}
