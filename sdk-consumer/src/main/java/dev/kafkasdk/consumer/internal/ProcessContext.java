package dev.kafkasdk.consumer.internal;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * What a process observation knows about one handler call: the record whose headers carry the
 * parent trace context (for a batch, its first record), and the call's coordinates. A tracing
 * handler reads the parent context through the getter, which returns a header's last value as UTF-8
 * (the last one, because a record may pass through several producers that each add theirs).
 */
final class ProcessContext extends ReceiverContext<ConsumerRecord<?, ?>> {
  private final ConsumerRecord<?, ?> record;
  private final String group;
  private final String runner;
  private final int count;
  private final int attempt;
  private final boolean includeKey;

  /**
   * Creates the context of one call.
   *
   * @param record the record, or a batch's first record
   * @param count how many records the call handles (1 for a record handler)
   * @param attempt the call's attempt at the record, from 1; 0 if not counted
   * @param group the consumer group
   * @param runner the runner's name
   * @param includeKey whether the record's key becomes a key of the observation
   */
  ProcessContext(
      ConsumerRecord<?, ?> record,
      int count,
      int attempt,
      String group,
      String runner,
      boolean includeKey) {
    super(ProcessContext::lastHeader, Kind.CONSUMER);
    setCarrier(record);
    this.record = record;
    this.count = count;
    this.attempt = attempt;
    this.group = group;
    this.runner = runner;
    this.includeKey = includeKey;
  }

  private static String lastHeader(ConsumerRecord<?, ?> carrier, String key) {
    Header header = carrier.headers().lastHeader(key);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  ConsumerRecord<?, ?> record() {
    return record;
  }

  String group() {
    return group;
  }

  String runner() {
    return runner;
  }

  int count() {
    return count;
  }

  int attempt() {
    return attempt;
  }

  boolean includeKey() {
    return includeKey;
  }
}
