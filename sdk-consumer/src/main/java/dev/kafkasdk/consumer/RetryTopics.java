package dev.kafkasdk.consumer;

import dev.kafkasdk.core.RetryTopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The delays of a non-blocking retry chain (see {@link FailureAction#retryTopics(RetryTopics)}): a
 * record that failed for good is sent to the first retry topic, processed again when its delay is
 * over, sent to the next one if it fails again, and dead-lettered once after the last. Topic names
 * follow {@link RetryTopicNames}: for {@code orders} with delays 1 s, 10 s and 1 min the chain is
 * {@code orders.retry-1s}, {@code orders.retry-10s}, {@code orders.retry-1m}, then {@code
 * orders.DLT}.
 *
 * <p>The delays are checked by the runner's {@code build()} (an {@link
 * dev.kafkasdk.core.SdkConfigException} for {@code onFailure}): at least one; each positive and a
 * whole number of milliseconds; strictly ascending.
 *
 * <pre>{@code
 * .onFailure(FailureAction.retryTopics(RetryTopics.delays(
 *     Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(10))))
 * }</pre>
 *
 * <p>By default a record that moves into the chain gives up its key order: later records of its key
 * are processed while it waits. {@link #keepKeyOrder()} keeps it: later records of a key with a
 * record in the chain follow it into the chain.
 *
 * <p>Immutable.
 */
public final class RetryTopics {
  private final List<Duration> delays;
  private final boolean keepKeyOrder;

  private RetryTopics(List<Duration> delays, boolean keepKeyOrder) {
    this.delays = delays;
    this.keepKeyOrder = keepKeyOrder;
  }

  /**
   * Creates a chain with one retry topic per delay, in the given order.
   *
   * @param delays the delays, shortest first
   * @return the chain
   * @throws NullPointerException if the array or a delay is null
   */
  public static RetryTopics delays(Duration... delays) {
    return delays(Arrays.asList(Objects.requireNonNull(delays, "delays")));
  }

  /**
   * Creates a chain with one retry topic per delay, in the given order.
   *
   * @param delays the delays, shortest first
   * @return the chain
   * @throws NullPointerException if the list or a delay is null
   */
  public static RetryTopics delays(List<Duration> delays) {
    // Other bad values are reported by build(), naming the setting.
    return new RetryTopics(List.copyOf(delays), false);
  }

  /**
   * Returns the same chain keeping key order across it: while a key has records in the retry chain,
   * its later records follow them into the chain (sent, not handled, to the stage of the last one)
   * and a retry record is handled only when the records of its key ahead of it are done (handled
   * successfully or dead-lettered). A handler therefore sees each key's records in the order of
   * their main-topic offsets. Records with a null key are not ordered.
   *
   * <p>The runner then needs every main partition <i>p</i> together with partition <i>p</i> of each
   * retry topic, which all must have as many partitions as the main topic: it uses Kafka's {@code
   * RangeAssignor} (classic group protocol only) and writes each retry record to the main record's
   * partition number. {@code build()} refuses it with {@code Ordering.UNORDERED}, a batch handler,
   * {@code group.protocol=consumer} and another {@code partition.assignment.strategy}; the runner
   * stops at an assignment whose retry topics' partition counts differ from the main topic's.
   *
   * <pre>{@code
   * .onFailure(FailureAction.retryTopics(
   *     RetryTopics.delays(Duration.ofSeconds(1), Duration.ofMinutes(1)).keepKeyOrder()))
   * }</pre>
   *
   * @return a chain with the same delays that keeps key order
   */
  public RetryTopics keepKeyOrder() {
    return new RetryTopics(delays, true);
  }

  /**
   * Whether the chain keeps key order ({@link #keepKeyOrder()}).
   *
   * @return true if it does
   */
  public boolean keepsKeyOrder() {
    return keepKeyOrder;
  }

  /**
   * Returns the delays.
   *
   * @return the delays, in the order given
   */
  public List<Duration> delays() {
    // Immutable already: copyOf returns it as it is.
    return List.copyOf(delays);
  }

  /**
   * Returns the number of retry topics.
   *
   * @return the number of delays
   */
  public int stages() {
    return delays.size();
  }

  /**
   * Returns the retry topic of the given stage.
   *
   * @param mainTopic the topic the record was first read from
   * @param stage 1 for the first retry topic, up to {@link #stages()}
   * @return {@code <mainTopic>.retry-<delay>}
   * @throws IndexOutOfBoundsException if there is no such stage
   */
  public String retryTopic(String mainTopic, int stage) {
    return RetryTopicNames.retryTopic(mainTopic, delays.get(stage - 1));
  }

  /**
   * Returns the retry topics of a main topic, first stage first.
   *
   * @param mainTopic the main topic
   * @return the names
   * @throws dev.kafkasdk.core.SdkConfigException if the delays are invalid
   */
  public List<String> retryTopics(String mainTopic) {
    return RetryTopicNames.retryTopics(mainTopic, delays);
  }

  @Override
  public String toString() {
    List<String> labels = new ArrayList<>(delays.size());
    for (Duration delay : delays) {
      labels.add(String.valueOf(delay));
    }
    return "retryTopics" + labels + (keepKeyOrder ? ".keepKeyOrder()" : "");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RetryTopics that
        && delays.equals(that.delays)
        && keepKeyOrder == that.keepKeyOrder;
  }

  @Override
  public int hashCode() {
    return 31 * delays.hashCode() + Boolean.hashCode(keepKeyOrder);
  }
}
