package dev.kafkasdk.examples;

import dev.kafkasdk.consumer.Ordering;
import java.time.Duration;
import java.util.List;

/**
 * The demo's verified result, computed by reading the topics back with {@code read_committed}.
 *
 * @param ordering the ordering mode the runner used
 * @param produced orders the producers got acknowledged
 * @param processed distinct orders with a result in the results topic
 * @param deadLettered distinct input records in the dead-letter topic (0 while it does not exist)
 * @param poison poison records the producers got acknowledged: {@code deadLettered} must equal it
 * @param validDeadLettered dead letters that are acknowledged valid orders: must be 0
 * @param duplicates result records beyond the first for the same order
 * @param orderViolations results of a customer that appear after a result of a later input record
 *     of the same customer
 * @param lost acknowledged valid orders with neither a result nor a dead letter (poison records are
 *     not orders and never count)
 * @param took wall time from creating the topics to the end of the check
 */
public record DemoSummary(
    Ordering ordering,
    long produced,
    long processed,
    long deadLettered,
    long poison,
    long validDeadLettered,
    long duplicates,
    long orderViolations,
    long lost,
    Duration took) {

  /**
   * Returns whether the run kept every promise: nothing lost, nothing duplicated, every poison
   * record and no valid order dead-lettered, and no order violation where the ordering mode
   * promises per-key order.
   *
   * @return true if a script should treat the run as a success
   */
  public boolean passed() {
    return lost == 0
        && duplicates == 0
        && deadLettered == poison
        && validDeadLettered == 0
        && (ordering == Ordering.UNORDERED || orderViolations == 0);
  }

  /**
   * Returns the summary's machine-readable lines, in this order: {@code produced}, {@code
   * processed}, {@code dead-lettered}, {@code duplicates}, {@code order violations}, {@code lost}.
   *
   * @return six {@code name: N} lines
   */
  public List<String> lines() {
    return List.of(
        "produced: " + produced,
        "processed: " + processed,
        "dead-lettered: " + deadLettered,
        "duplicates: " + duplicates,
        "order violations: " + orderViolations,
        "lost: " + lost);
  }
}
