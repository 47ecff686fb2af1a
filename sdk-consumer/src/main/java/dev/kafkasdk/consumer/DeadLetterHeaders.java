package dev.kafkasdk.consumer;

/**
 * Names of the headers a {@link ConsumerRunner} adds to every dead letter (see {@link
 * FailureAction#deadLetter()}). Values are UTF-8 strings; numbers are in decimal. The record's own
 * headers are kept (with tracing on, its trace context moves: see below), and its key and value are
 * the original bytes, exactly as read.
 *
 * <table>
 *   <caption>Dead-letter headers</caption>
 *   <tr><th>Header</th><th>Value</th></tr>
 *   <tr><td>{@value #ORIGINAL_TOPIC}</td><td>topic the record was read from</td></tr>
 *   <tr><td>{@value #ORIGINAL_PARTITION}</td><td>its partition</td></tr>
 *   <tr><td>{@value #ORIGINAL_OFFSET}</td><td>its offset</td></tr>
 *   <tr><td>{@value #ORIGINAL_TIMESTAMP}</td><td>its timestamp, epoch milliseconds</td></tr>
 *   <tr><td>{@value #EXCEPTION_CLASS}</td><td>class name of the last failure: what the handler
 *       threw, or for a record that could not be deserialized what the deserializer threw</td></tr>
 *   <tr><td>{@value #EXCEPTION_MESSAGE}</td><td>its message (empty if none)</td></tr>
 *   <tr><td>{@value #ATTEMPTS}</td><td>how many times processing was attempted (0 for a record
 *       that could not be deserialized)</td></tr>
 *   <tr><td>{@value #FAILURE_KIND}</td><td>{@code handler}, {@code key-deserialization} or
 *       {@code value-deserialization}</td></tr>
 *   <tr><td>{@value #FAILED_CALL_TRACEPARENT}</td><td>only when the runner has an {@linkplain
 *       ConsumerRunner.Builder#observationRegistry observation registry} with a tracer using W3C
 *       propagation, and a handler call failed: the trace context of the dead letter's {@code
 *       ksdk.dead_letter} span, whose parent is the failed call's process span (other
 *       propagators' headers get the same {@code ksdk.dlt.} prefix)</td></tr>
 *   <tr><td>{@value #ORIGINAL_TRACEPARENT}</td><td>only with an observation registry: the
 *       record's own {@code traceparent} (likewise {@code tracestate} and the B3 headers, under
 *       {@code ksdk.dlt.original.}), because the dead letter's traced send replaces {@code
 *       traceparent} with its own span, a child of the {@code ksdk.dead_letter} span</td></tr>
 * </table>
 */
public final class DeadLetterHeaders {
  /** The topic the record was read from. */
  public static final String ORIGINAL_TOPIC = "ksdk.dlt.original.topic";

  /** The partition the record was read from. */
  public static final String ORIGINAL_PARTITION = "ksdk.dlt.original.partition";

  /** The record's offset. */
  public static final String ORIGINAL_OFFSET = "ksdk.dlt.original.offset";

  /** The record's timestamp in epoch milliseconds. */
  public static final String ORIGINAL_TIMESTAMP = "ksdk.dlt.original.timestamp";

  /**
   * Class name of the failure that sent the record to the dead-letter topic: the handler's
   * exception, or the deserializer's own exception (not the {@link DeserializationFailure} that
   * carries it to the failure action); {@link #FAILURE_KIND} tells which.
   */
  public static final String EXCEPTION_CLASS = "ksdk.dlt.exception.class";

  /** Message of that same failure; empty if it had none. */
  public static final String EXCEPTION_MESSAGE = "ksdk.dlt.exception.message";

  /** Processing attempts made; 0 for a record that could not be deserialized. */
  public static final String ATTEMPTS = "ksdk.dlt.attempts";

  /** {@code handler}, {@code key-deserialization} or {@code value-deserialization}. */
  public static final String FAILURE_KIND = "ksdk.dlt.failure.kind";

  /**
   * The W3C trace context linking the dead letter to the failed handler call: the context of the
   * dead letter's observation, a child of the call's process span. Only with tracing on.
   */
  public static final String FAILED_CALL_TRACEPARENT = "ksdk.dlt.traceparent";

  /** The record's own W3C trace context, kept when dead letters are traced. */
  public static final String ORIGINAL_TRACEPARENT = "ksdk.dlt.original.traceparent";

  private DeadLetterHeaders() {}
}
