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
 * <p>Immutable.
 */
public final class RetryTopics {
  private final List<Duration> delays;

  private RetryTopics(List<Duration> delays) {
    this.delays = delays;
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
    return new RetryTopics(List.copyOf(delays));
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
    return "retryTopics" + labels;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RetryTopics that && delays.equals(that.delays);
  }

  @Override
  public int hashCode() {
    return delays.hashCode();
  }
}
