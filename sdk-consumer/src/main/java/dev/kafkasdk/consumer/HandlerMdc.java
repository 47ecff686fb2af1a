package dev.kafkasdk.consumer;

/**
 * Names of the SLF4J MDC entries a {@link ConsumerRunner} sets for exactly the duration of each
 * handler call, on the thread that runs it, so that whatever the handler logs names its record.
 * Values are strings; numbers are in decimal. When the call returns (or throws) each entry gets
 * back the value it had before the call, or is removed if it had none, so nothing leaks to the next
 * record a pooled thread runs. On by default; {@link ConsumerRunner.Builder#mdc(boolean)} turns it
 * off.
 *
 * <table>
 *   <caption>MDC entries</caption>
 *   <tr><th>Entry</th><th>Value</th></tr>
 *   <tr><td>{@value #TOPIC}</td><td>the record's topic</td></tr>
 *   <tr><td>{@value #PARTITION}</td><td>its partition</td></tr>
 *   <tr><td>{@value #OFFSET}</td><td>its offset (record and exactly-once handlers)</td></tr>
 *   <tr><td>{@value #FIRST_OFFSET}, {@value #LAST_OFFSET}</td><td>a batch handler call's first
 *       and last offset (one partition per call)</td></tr>
 *   <tr><td>{@value #GROUP}</td><td>the consumer group</td></tr>
 *   <tr><td>{@value #RUNNER}</td><td>the runner's name</td></tr>
 *   <tr><td>{@value #KEY}</td><td>the deserialized key as {@code String.valueOf(key)}, only with
 *       {@link ConsumerRunner.Builder#observeMessageKeys(boolean)} (keys may be personal data);
 *       for a batch, its first record's key</td></tr>
 * </table>
 *
 * <p>The trace and span ids are not set here: with an {@linkplain
 * ConsumerRunner.Builder#observationRegistry observation registry} the call runs inside its process
 * observation, and the tracer's own MDC integration (Micrometer Tracing's {@code
 * Slf4JEventListener} for OpenTelemetry, Brave's MDC scope decorator) puts {@code traceId} and
 * {@code spanId} of that span in the MDC.
 */
public final class HandlerMdc {
  /** The record's topic. */
  public static final String TOPIC = "ksdk.topic";

  /** The record's partition. */
  public static final String PARTITION = "ksdk.partition";

  /** The record's offset; not set for a batch handler call. */
  public static final String OFFSET = "ksdk.offset";

  /** A batch handler call's first offset. */
  public static final String FIRST_OFFSET = "ksdk.offset.first";

  /** A batch handler call's last offset. */
  public static final String LAST_OFFSET = "ksdk.offset.last";

  /** The consumer group. */
  public static final String GROUP = "ksdk.group";

  /** The runner's name. */
  public static final String RUNNER = "ksdk.runner";

  /** The record's key, only when opted in. */
  public static final String KEY = "ksdk.key";

  private HandlerMdc() {}
}
