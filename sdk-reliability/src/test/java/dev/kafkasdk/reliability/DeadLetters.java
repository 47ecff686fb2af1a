package dev.kafkasdk.reliability;

import dev.kafkasdk.consumer.DeadLetterHeaders;
import dev.kafkasdk.reliability.Events.DeadLetter;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/** Reads the SDK's dead letters back into the history, from their {@link DeadLetterHeaders}. */
final class DeadLetters {
  private DeadLetters() {}

  /**
   * Describes a record of a dead-letter topic whose value is an encoded {@link Payload}.
   *
   * @param record the dead letter
   * @return its original partition and offset, payload and attempts
   */
  static DeadLetter of(ConsumerRecord<String, String> record) {
    return new DeadLetter(
        new TopicPartition(
            header(record, DeadLetterHeaders.ORIGINAL_TOPIC),
            Integer.parseInt(header(record, DeadLetterHeaders.ORIGINAL_PARTITION))),
        Long.parseLong(header(record, DeadLetterHeaders.ORIGINAL_OFFSET)),
        Payload.decode(record.value()),
        Integer.parseInt(header(record, DeadLetterHeaders.ATTEMPTS)));
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
