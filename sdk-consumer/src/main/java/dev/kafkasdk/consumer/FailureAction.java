package dev.kafkasdk.consumer;

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
    SKIP
  }

  /**
   * Suffix of the default dead-letter topic: records of {@code orders} go to {@code orders.DLT}.
   */
  public static final String DEFAULT_DEAD_LETTER_SUFFIX = ".DLT";

  private static final FailureAction STOP = new FailureAction(Kind.STOP, null);
  private static final FailureAction SKIP = new FailureAction(Kind.SKIP, null);
  private static final FailureAction DEAD_LETTER = new FailureAction(Kind.DEAD_LETTER, null);

  private final Kind kind;
  private final String topic;

  private FailureAction(Kind kind, String topic) {
    this.kind = kind;
    this.topic = topic;
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
    return topic != null ? topic : sourceTopic + DEFAULT_DEAD_LETTER_SUFFIX;
  }

  @Override
  public String toString() {
    return kind == Kind.DEAD_LETTER
        ? "deadLetter(" + deadLetterTopic("<topic>") + ")"
        : kind.name();
  }
}
