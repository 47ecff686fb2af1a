package dev.kafkasdk.consumer;

import dev.kafkasdk.core.RetryTopicNames;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link ConsumerRunner} does with a record whose processing failed for good: after the
 * {@linkplain RetryPolicy retries} are used up, at once for a failure the retry policy calls not
 * retryable, and always for a record that cannot be deserialized ({@link DeserializationFailure}).
 *
 * <ul>
 *   <li>{@link #stop()} (the default): the runner stops ({@code FAILED}); nothing at or after the
 *       record is committed, so it is delivered again after a restart.
 *   <li>{@link #deadLetter()} / {@link #deadLetter(String)}: the record's original bytes are
 *       published, with {@link DeadLetterHeaders}, through the SDK's idempotent {@code
 *       ReliableProducer}; the record counts as processed only once the broker has acknowledged the
 *       dead letter. If publishing fails, the runner stops and commits nothing past the record.
 *   <li>{@link #skip()}: the record counts as processed; it is logged at ERROR and counted in
 *       {@value ConsumerMeters#SKIPPED}. Choose it only when losing the record is acceptable.
 *   <li>{@link #retryTopics(RetryTopics)}: the record is sent to the next topic of a retry chain
 *       ({@code <topic>.retry-<delay>}, see {@link RetryTopicNames}), which the runner consumes
 *       itself and processes again when the delay is over, without holding its partition or key;
 *       after the last retry topic it is dead-lettered once to {@code <topic>.DLT}. Like a dead
 *       letter, the record counts as processed only once the broker has acknowledged the send.
 * </ul>
 *
 * <pre>{@code
 * ConsumerRunner.builder()
 *     ...
 *     .retry(RetryPolicy.builder().maxAttempts(5).build())
 *     .onFailure(FailureAction.deadLetter()) // to "<topic>.DLT"
 * }</pre>
 *
 * <p>Immutable.
 */
public final class FailureAction {
  /** The kinds of action. */
  public enum Kind {
    /** Stop the runner. */
    STOP,
    /** Publish to a dead-letter topic, then go on. */
    DEAD_LETTER,
    /** Log, count and go on. */
    SKIP,
    /** Publish to the next retry topic (or, after the last, the dead-letter topic), then go on. */
    RETRY_TOPICS
  }

  /**
   * Suffix of the default dead-letter topic: records of {@code orders} go to {@code orders.DLT}.
   */
  public static final String DEFAULT_DEAD_LETTER_SUFFIX = RetryTopicNames.DEAD_LETTER_SUFFIX;

  private static final FailureAction STOP = new FailureAction(Kind.STOP, null);
  private static final FailureAction SKIP = new FailureAction(Kind.SKIP, null);
  private static final FailureAction DEAD_LETTER = new FailureAction(Kind.DEAD_LETTER, null);

  private final Kind kind;
  private final String topic;
  private final RetryTopics retryTopics;

  private FailureAction(Kind kind, String topic) {
    this(kind, topic, null);
  }

  private FailureAction(Kind kind, String topic, RetryTopics retryTopics) {
    this.kind = kind;
    this.topic = topic;
    this.retryTopics = retryTopics;
  }

  /**
   * Stops the runner on a failure; the default.
   *
   * @return the action
   */
  public static FailureAction stop() {
    return STOP;
  }

  /**
   * Skips the failed record after logging it at ERROR and counting it. The record is lost to the
   * application.
   *
   * @return the action
   */
  public static FailureAction skip() {
    return SKIP;
  }

  /**
   * Publishes failed records to {@code <their topic>.DLT}.
   *
   * @return the action
   */
  public static FailureAction deadLetter() {
    return DEAD_LETTER;
  }

  /**
   * Publishes failed records to the given topic.
   *
   * @param topic the dead-letter topic; must exist unless the broker creates topics automatically
   * @return the action
   * @throws NullPointerException if {@code topic} is null
   */
  public static FailureAction deadLetter(String topic) {
    return new FailureAction(Kind.DEAD_LETTER, Objects.requireNonNull(topic, "topic"));
  }

  /**
   * Sends failed records through a chain of retry topics, one per delay, and dead-letters a record
   * once when it fails in the last one. The runner subscribes to the retry topics of each of its
   * topics itself and processes a retried record no earlier than its due time, pausing only that
   * retry partition meanwhile (no worker thread waits, and other keys and partitions go on). The
   * handler sees a retried record as the main topic's record: {@code topic()}, {@code partition()},
   * {@code offset()} and {@code timestamp()} are the original's, and {@link RetryTopicHeaders} tell
   * that it is a retry.
   *
   * <p>A record that moves to a retry topic gives up its order: later records of its key are
   * processed before it. {@code build()} refuses this action with a topic pattern and in
   * exactly-once mode. The retry and dead-letter topics must exist (declare them with {@code
   * sdk-topics}' {@code RetryTopicSpecs}) unless the broker creates topics automatically.
   *
   * <pre>{@code
   * .retry(RetryPolicy.builder().maxAttempts(3).build())   // in place first
   * .onFailure(FailureAction.retryTopics(RetryTopics.delays(
   *     Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(1))))
   * }</pre>
   *
   * @param retryTopics the delays of the chain
   * @return the action
   * @throws NullPointerException if {@code retryTopics} is null
   */
  public static FailureAction retryTopics(RetryTopics retryTopics) {
    return new FailureAction(
        Kind.RETRY_TOPICS, null, Objects.requireNonNull(retryTopics, "retryTopics"));
  }

  /**
   * Returns the retry chain of a {@link Kind#RETRY_TOPICS} action.
   *
   * @return the chain, or empty for other kinds
   */
  public Optional<RetryTopics> retryTopics() {
    return Optional.ofNullable(retryTopics);
  }

  /**
   * Returns the kind of action.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * Returns the explicit dead-letter topic.
   *
   * @return the topic, or empty for the default {@code <topic>.DLT} (and for other kinds)
   */
  public Optional<String> topic() {
    return Optional.ofNullable(topic);
  }

  /**
   * Returns the dead-letter topic for a record read from {@code sourceTopic}.
   *
   * @param sourceTopic where the record came from
   * @return the explicit topic or {@code sourceTopic + ".DLT"}
   */
  public String deadLetterTopic(String sourceTopic) {
    return topic != null ? topic : RetryTopicNames.deadLetterTopic(sourceTopic);
  }

  @Override
  public String toString() {
    return switch (kind) {
      case DEAD_LETTER -> "deadLetter(" + deadLetterTopic("<topic>") + ")";
      case RETRY_TOPICS -> retryTopics.toString();
      default -> kind.name();
    };
  }
}
