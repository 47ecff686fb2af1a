package dev.kafkasdk.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one naming scheme of retry topics and dead-letter topics, shared by the consumer (which sends
 * to and reads from them) and {@code sdk-topics} (which declares them).
 *
 * <ul>
 *   <li>A retry topic is {@code <topic>.retry-<delay>}, where {@code <delay>} is the delay in the
 *       largest of the units {@code d}, {@code h}, {@code m}, {@code s}, {@code ms} that divides it
 *       exactly: 500 ms is {@code 500ms}, 1 s is {@code 1s}, 90 s is {@code 90s}, 10 minutes is
 *       {@code 10m}, 2 hours is {@code 2h}, a day is {@code 1d}.
 *   <li>The dead-letter topic is {@code <topic>.DLT} ({@value #DEAD_LETTER_SUFFIX}).
 * </ul>
 *
 * <p>{@code <topic>} is always the main topic, never a retry topic: the chain of {@code orders}
 * with delays 1 s, 10 s and 1 min is {@code orders.retry-1s}, {@code orders.retry-10s}, {@code
 * orders.retry-1m}, then {@code orders.DLT}.
 *
 * <pre>{@code
 * RetryTopicNames.retryTopic("orders", Duration.ofSeconds(10)); // "orders.retry-10s"
 * RetryTopicNames.deadLetterTopic("orders");                   // "orders.DLT"
 * }</pre>
 */
public final class RetryTopicNames {
  /** Suffix of the dead-letter topic: records of {@code orders} go to {@code orders.DLT}. */
  public static final String DEAD_LETTER_SUFFIX = ".DLT";

  /** What separates the main topic's name from the delay in a retry topic's name. */
  public static final String RETRY_INFIX = ".retry-";

  private static final long SECOND = 1_000;
  private static final long MINUTE = 60 * SECOND;
  private static final long HOUR = 60 * MINUTE;
  private static final long DAY = 24 * HOUR;

  private RetryTopicNames() {}

  /**
   * Returns the retry topic of {@code topic} for records that wait {@code delay}.
   *
   * @param topic the main topic
   * @param delay the delay; positive and a whole number of milliseconds
   * @return {@code <topic>.retry-<delay>}
   * @throws IllegalArgumentException if the delay is not positive or has a fraction of a
   *     millisecond
   * @throws NullPointerException if an argument is null
   */
  public static String retryTopic(String topic, Duration delay) {
    Objects.requireNonNull(topic, "topic");
    return topic + RETRY_INFIX + delayLabel(delay);
  }

  /**
   * Returns the dead-letter topic of {@code topic}.
   *
   * @param topic the main topic
   * @return {@code <topic>.DLT}
   * @throws NullPointerException if {@code topic} is null
   */
  public static String deadLetterTopic(String topic) {
    return Objects.requireNonNull(topic, "topic") + DEAD_LETTER_SUFFIX;
  }

  /**
   * Returns the retry topics of {@code topic}, one per delay, in the order of the delays.
   *
   * @param topic the main topic
   * @param delays the delays; see {@link #requireValidDelays}
   * @return the retry topics' names (without the dead-letter topic)
   * @throws SdkConfigException if the delays break the rule of {@link #requireValidDelays}
   */
  public static List<String> retryTopics(String topic, List<Duration> delays) {
    requireValidDelays("delays", delays);
    List<String> names = new ArrayList<>(delays.size());
    for (Duration delay : delays) {
      names.add(retryTopic(topic, delay));
    }
    return List.copyOf(names);
  }

  /**
   * Returns a delay as it appears in a retry topic's name: the delay in the largest unit ({@code
   * d}, {@code h}, {@code m}, {@code s}, {@code ms}) that divides it exactly.
   *
   * @param delay the delay; positive and a whole number of milliseconds
   * @return for example {@code 500ms}, {@code 10s}, {@code 2h}
   * @throws IllegalArgumentException if the delay is not positive or has a fraction of a
   *     millisecond
   * @throws NullPointerException if {@code delay} is null
   */
  public static String delayLabel(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative() || delay.isZero() || delay.toNanosPart() % 1_000_000 != 0) {
      throw new IllegalArgumentException(
          "a retry delay must be positive and a whole number of milliseconds, was " + delay);
    }
    long millis = delay.toMillis();
    if (millis % DAY == 0) {
      return millis / DAY + "d";
    }
    if (millis % HOUR == 0) {
      return millis / HOUR + "h";
    }
    if (millis % MINUTE == 0) {
      return millis / MINUTE + "m";
    }
    if (millis % SECOND == 0) {
      return millis / SECOND + "s";
    }
    return millis + "ms";
  }

  /**
   * Checks the delays of a retry chain. The rule: at least one delay; each positive and a whole
   * number of milliseconds; strictly ascending (each stage waits longer than the one before, so
   * every delay names its own topic and a record never waits less after failing more often).
   *
   * @param setting the builder option the delays came from, named in the exception
   * @param delays the delays
   * @throws SdkConfigException naming the setting, the problem and the fix if the rule is broken
   */
  public static void requireValidDelays(String setting, List<Duration> delays) {
    Objects.requireNonNull(setting, "setting");
    if (delays == null || delays.isEmpty()) {
      throw new SdkConfigException(
          setting, "no retry delays given", "give at least one delay, e.g. Duration.ofSeconds(1)");
    }
    Duration previous = null;
    for (Duration delay : delays) {
      if (delay == null) {
        throw new SdkConfigException(setting, "a retry delay is null", "remove it");
      }
      if (delay.isNegative() || delay.isZero() || delay.toNanosPart() % 1_000_000 != 0) {
        throw new SdkConfigException(
            setting,
            "retry delay " + delay + " is not a positive whole number of milliseconds",
            "use a delay of at least 1 ms, in whole milliseconds");
      }
      if (previous != null && delay.compareTo(previous) <= 0) {
        throw new SdkConfigException(
            setting,
            "retry delays must be strictly ascending, but " + delay + " follows " + previous,
            "list each delay once, shortest first, e.g. 1s, 10s, 1m");
      }
      previous = delay;
    }
  }
}
