package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.DeadLetterHeaders;
import dev.kafkasdk.consumer.DeserializationFailure;
import dev.kafkasdk.consumer.FailureAction;
import dev.kafkasdk.producer.ReliableProducer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Publishes failed records, as their original bytes plus {@link DeadLetterHeaders}, through the
 * SDK's idempotent {@link ReliableProducer}. The returned future completes when the broker has
 * acknowledged every dead letter of the unit.
 */
final class DeadLetterPublisher implements AutoCloseable {
  private final FailureAction action;
  private final ReliableProducer<byte[], byte[]> producer;

  DeadLetterPublisher(FailureAction action, ReliableProducer<byte[], byte[]> producer) {
    this.action = action;
    this.producer = producer;
  }

  CompletableFuture<Void> publish(
      List<ConsumerRecord<byte[], byte[]>> records, Throwable error, int attempts) {
    List<CompletableFuture<?>> sends = new ArrayList<>(records.size());
    for (ConsumerRecord<byte[], byte[]> record : records) {
      try {
        sends.add(producer.send(deadLetter(record, error, attempts)));
      } catch (RuntimeException e) {
        sends.add(CompletableFuture.failedFuture(e));
      }
    }
    return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
  }

  ProducerRecord<byte[], byte[]> deadLetter(
      ConsumerRecord<byte[], byte[]> record, Throwable error, int attempts) {
    RecordHeaders headers = new RecordHeaders();
    for (Header header : record.headers()) {
      headers.add(header);
    }
    put(headers, DeadLetterHeaders.ORIGINAL_TOPIC, record.topic());
    put(headers, DeadLetterHeaders.ORIGINAL_PARTITION, Integer.toString(record.partition()));
    put(headers, DeadLetterHeaders.ORIGINAL_OFFSET, Long.toString(record.offset()));
    put(headers, DeadLetterHeaders.ORIGINAL_TIMESTAMP, Long.toString(record.timestamp()));
    Throwable reported = reported(error);
    put(headers, DeadLetterHeaders.EXCEPTION_CLASS, reported.getClass().getName());
    put(
        headers,
        DeadLetterHeaders.EXCEPTION_MESSAGE,
        reported.getMessage() == null ? "" : reported.getMessage());
    put(headers, DeadLetterHeaders.ATTEMPTS, Integer.toString(attempts));
    put(headers, DeadLetterHeaders.FAILURE_KIND, kind(error));
    return new ProducerRecord<>(
        action.deadLetterTopic(record.topic()), null, record.key(), record.value(), headers);
  }

  /**
   * The failure the headers name: the handler's exception, or for a record that could not be
   * deserialized the deserializer's own exception. The runner's {@link DeserializationFailure}
   * wrapper adds only what other headers already say (partition, offset, key or value).
   */
  private static Throwable reported(Throwable error) {
    if (error instanceof DeserializationFailure failure && failure.getCause() != null) {
      return failure.getCause();
    }
    return error;
  }

  private static String kind(Throwable error) {
    if (error instanceof DeserializationFailure failure) {
      return failure.isKey() ? "key-deserialization" : "value-deserialization";
    }
    return "handler";
  }

  private static void put(RecordHeaders headers, String name, String value) {
    headers.remove(name);
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }

  void close(Duration timeout) {
    producer.close(timeout);
  }

  @Override
  public void close() {
    producer.close();
  }
}
