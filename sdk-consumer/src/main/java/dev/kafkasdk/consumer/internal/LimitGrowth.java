package dev.kafkasdk.consumer.internal;

/**
 * Which in-flight limits the application left at their defaults: only those may be raised while the
 * handler is cheap ({@link FlowWindow}); a limit the application set is kept as set.
 *
 * @param total whether {@code maxInFlight} was left at its default
 * @param perPartition whether {@code maxInFlightPerPartition} was left at its default
 */
public record LimitGrowth(boolean total, boolean perPartition) {
  /** Both limits as set: nothing grows. */
  public static final LimitGrowth NONE = new LimitGrowth(false, false);

  /** Whether either limit may grow. */
  public boolean any() {
    return total || perPartition;
  }
}
