package dev.kafkasdk.consumer;

/**
 * Names of the headers a {@link DeadLetterReplay} adds to every record it republishes. Values are
 * UTF-8 strings; numbers are in decimal. A record replayed, dead-lettered and replayed again
 * carries the values of its last replay.
 *
 * <p>The replayed record has the dead letter's original key and value bytes and the original
 * record's own headers: the SDK's {@code ksdk.dlt.*} failure headers and {@code ksdk.retry.*}
 * retry-topic headers are removed, and trace context headers kept under {@code ksdk.dlt.original.*}
 * (for example {@link DeadLetterHeaders#ORIGINAL_TRACEPARENT}) are restored under their own names,
 * so the replayed record continues the trace of the record that failed.
 */
public final class ReplayHeaders {
  /**
   * Where the replayed record was read: {@code <dead-letter topic>/<partition>/<offset>}, for
   * example {@code orders.DLT/0/42} (topic names cannot contain {@code /}).
   */
  public static final String SOURCE = "ksdk.replay.source";

  /** When the replay sent the record, epoch milliseconds. */
  public static final String TIME = "ksdk.replay.time";

  /** The replay's consumer group, which records its progress through the dead-letter topic. */
  public static final String GROUP = "ksdk.replay.group";

  private ReplayHeaders() {}
}
