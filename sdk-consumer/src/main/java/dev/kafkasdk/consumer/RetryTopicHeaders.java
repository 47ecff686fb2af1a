package dev.kafkasdk.consumer;

/**
 * Names of the headers a {@link ConsumerRunner} adds to a record it sends to a retry topic (see
 * {@link FailureAction#retryTopics(RetryTopics)}), besides the {@link DeadLetterHeaders} that mean
 * the same there. Values are UTF-8 strings; numbers are in decimal.
 *
 * <table>
 *   <caption>Retry-topic headers</caption>
 *   <tr><th>Header</th><th>Value</th></tr>
 *   <tr><td>{@value #ATTEMPT}</td><td>the retry's number: 1 in the first retry topic, n in the
 *       n-th</td></tr>
 *   <tr><td>{@value #DUE_AT}</td><td>when the record may be processed again, epoch
 *       milliseconds (the send time plus the retry topic's delay)</td></tr>
 *   <tr><td>{@value #FIRST_FAILURE_AT}</td><td>when the record first failed, epoch
 *       milliseconds</td></tr>
 *   <tr><td>{@value #EXCEPTION_STACKTRACE}</td><td>the last failure's stack trace, at most
 *       {@value #STACKTRACE_MAX_CHARS} characters</td></tr>
 *   <tr><td>{@link DeadLetterHeaders#ORIGINAL_TOPIC}, {@link DeadLetterHeaders#ORIGINAL_PARTITION},
 *       {@link DeadLetterHeaders#ORIGINAL_OFFSET}, {@link DeadLetterHeaders#ORIGINAL_TIMESTAMP}
 *       </td><td>the record as first read from the main topic; kept unchanged along the
 *       chain</td></tr>
 *   <tr><td>{@link DeadLetterHeaders#EXCEPTION_CLASS}, {@link DeadLetterHeaders#EXCEPTION_MESSAGE},
 *       {@link DeadLetterHeaders#FAILURE_KIND}</td><td>the last failure</td></tr>
 *   <tr><td>{@link DeadLetterHeaders#ATTEMPTS}</td><td>handler calls made so far, over the main
 *       topic and every retry topic</td></tr>
 * </table>
 *
 * <p>When the chain is over, the dead letter carries the usual {@link DeadLetterHeaders}, whose
 * original topic, partition and offset are the main topic's record (not the last retry topic's),
 * and keeps these headers too.
 */
public final class RetryTopicHeaders {
  /** The retry's number: 1 in the first retry topic. */
  public static final String ATTEMPT = "ksdk.retry.attempt";

  /** When the record is due again, epoch milliseconds. */
  public static final String DUE_AT = "ksdk.retry.due.at";

  /** When the record first failed, epoch milliseconds. */
  public static final String FIRST_FAILURE_AT = "ksdk.retry.first.failure.at";

  /** The last failure's stack trace, cut to {@link #STACKTRACE_MAX_CHARS} characters. */
  public static final String EXCEPTION_STACKTRACE = "ksdk.retry.exception.stacktrace";

  /**
   * {@code "true"} on a record that never failed itself but was sent into the chain behind an
   * earlier record of its key ({@link RetryTopics#keepKeyOrder()}); such a record has no {@link
   * #FIRST_FAILURE_AT} and its {@code ksdk.dlt.attempts} counts no handler call.
   */
  public static final String FOLLOWER = "ksdk.retry.follower";

  /** The longest stack trace kept in {@link #EXCEPTION_STACKTRACE}. */
  public static final int STACKTRACE_MAX_CHARS = 4096;

  private RetryTopicHeaders() {}
}
