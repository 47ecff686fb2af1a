package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.DeadLetter;
import dev.kafkasdk.consumer.ReplayHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Turns a dead letter back into the record that failed: its key and value bytes, its own headers
 * without the SDK's {@code ksdk.dlt.*} and {@code ksdk.retry.*} ones, and its own trace context,
 * plus {@link ReplayHeaders}.
 */
public final class ReplayRecord {
  private static final String FAILURE_PREFIX = DeadLetterPublisher.TRACE_LINK_PREFIX;
  private static final String REPLAY_PREFIX = "ksdk.replay.";
  // Every RetryTopicHeaders name: a replayed record starts the chain over.
  private static final String RETRY_PREFIX = "ksdk.retry.";

  private ReplayRecord() {}

  /**
   * Builds the record to send. No partition or timestamp is set: the producer's partitioner places
   * it by its key (the original partition, as long as the topic's partition count is unchanged),
   * and it gets the time of the replay.
   *
   * @param letter the dead letter
   * @param target the topic to send to
   * @param group the replay's consumer group
   * @param nowMillis the replay time
   * @return the record
   */
  public static ProducerRecord<byte[], byte[]> of(
      DeadLetter letter, String target, String group, long nowMillis) {
    List<Header> all = letter.headers();
    boolean traced = false;
    for (String name : DeadLetterPublisher.TRACE_HEADERS) {
      traced |= last(all, DeadLetterPublisher.ORIGINAL_TRACE_PREFIX + name) != null;
    }
    RecordHeaders headers = new RecordHeaders();
    for (Header header : all) {
      String key = header.key();
      if (key.startsWith(FAILURE_PREFIX)
          || key.startsWith(REPLAY_PREFIX)
          || key.startsWith(RETRY_PREFIX)) {
        continue;
      }
      // With traced dead letters the trace headers are the dead-letter send's own context; the
      // originals, kept under ksdk.dlt.original.*, replace them below.
      if (traced && DeadLetterPublisher.TRACE_HEADERS.contains(key)) {
        continue;
      }
      headers.add(header);
    }
    if (traced) {
      for (String name : DeadLetterPublisher.TRACE_HEADERS) {
        Header original = last(all, DeadLetterPublisher.ORIGINAL_TRACE_PREFIX + name);
        if (original != null) {
          headers.add(name, original.value());
        }
      }
    }
    put(
        headers,
        ReplayHeaders.SOURCE,
        letter.topic() + "/" + letter.partition() + "/" + letter.offset());
    put(headers, ReplayHeaders.TIME, Long.toString(nowMillis));
    put(headers, ReplayHeaders.GROUP, group);
    return new ProducerRecord<>(target, null, null, letter.key(), letter.value(), headers);
  }

  private static Header last(List<Header> headers, String name) {
    for (int i = headers.size() - 1; i >= 0; i--) {
      if (headers.get(i).key().equals(name)) {
        return headers.get(i);
      }
    }
    return null;
  }

  private static void put(Headers headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
