package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.DeadLetterHeaders;
import dev.kafkasdk.consumer.RetryTopicHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * What a record read from a retry topic says about itself: the main topic's record it stands for,
 * where it is in the chain and when it is due. Read from its {@link RetryTopicHeaders} and {@link
 * DeadLetterHeaders}; a record written to a retry topic without them (by hand) counts as its own
 * original, failed for the first time when it was written, due its stage's delay later.
 *
 * @param topic the main topic
 * @param partition the main topic's partition
 * @param offset the main topic's offset
 * @param timestamp the main topic record's timestamp
 * @param stage the retry topic's stage (1 for the first)
 * @param callsBefore handler calls made before this retry topic
 * @param firstFailureAt when the record first failed, epoch ms
 * @param dueAt when it may be processed, epoch ms
 */
record RetriedRecord(
    String topic,
    int partition,
    long offset,
    long timestamp,
    int stage,
    int callsBefore,
    long firstFailureAt,
    long dueAt) {

  /** Reads a record of a retry topic; null for a record of any other topic. */
  static RetriedRecord of(ConsumerRecord<?, ?> record, RetryChain chain) {
    RetryChain.Stage stage = chain == null ? null : chain.stage(record.topic());
    if (stage == null) {
      return null;
    }
    Headers headers = record.headers();
    String topic = text(headers, DeadLetterHeaders.ORIGINAL_TOPIC);
    Long partition = number(headers, DeadLetterHeaders.ORIGINAL_PARTITION);
    Long offset = number(headers, DeadLetterHeaders.ORIGINAL_OFFSET);
    Long timestamp = number(headers, DeadLetterHeaders.ORIGINAL_TIMESTAMP);
    Long calls = number(headers, DeadLetterHeaders.ATTEMPTS);
    Long firstFailure = number(headers, RetryTopicHeaders.FIRST_FAILURE_AT);
    Long due = number(headers, RetryTopicHeaders.DUE_AT);
    boolean complete = topic != null && partition != null && offset != null;
    return new RetriedRecord(
        complete ? topic : stage.mainTopic(),
        complete ? partition.intValue() : record.partition(),
        complete ? offset : record.offset(),
        timestamp != null ? timestamp : record.timestamp(),
        stage.stage(),
        calls == null ? 0 : calls.intValue(),
        firstFailure != null ? firstFailure : record.timestamp(),
        due != null ? due : record.timestamp() + stage.delay().toMillis());
  }

  /** When a record of a retry topic is due, epoch ms; {@code Long.MIN_VALUE} for other topics. */
  static long dueAt(ConsumerRecord<?, ?> record, RetryChain.Stage stage) {
    Long due = number(record.headers(), RetryTopicHeaders.DUE_AT);
    return due != null ? due : record.timestamp() + stage.delay().toMillis();
  }

  private static String text(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static Long number(Headers headers, String name) {
    String text = text(headers, name);
    if (text == null) {
      return null;
    }
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
