package dev.kafkasdk.reliability;

import dev.kafkasdk.reliability.Events.Send;
import dev.kafkasdk.reliability.Events.SendStatus;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Sends {@link Payload}s with rising per-key sequence numbers through any sender (the SDK's
 * producer or a raw one) and records every outcome in a {@link History}. A failure is recorded as
 * {@link SendStatus#FAILED} only when the record certainly never reached the broker; any other
 * failure (a timeout above all) is {@link SendStatus#UNKNOWN}.
 */
public final class HistoryProducer {

  /** Whatever sends a record and completes with its metadata. */
  @FunctionalInterface
  public interface Sender {
    /**
     * Sends one record.
     *
     * @param record the record
     * @return completes with the acknowledged position, or exceptionally
     */
    CompletableFuture<RecordMetadata> send(ProducerRecord<String, String> record);

    /**
     * Adapts a raw Kafka producer, whose send reports through a callback.
     *
     * @param producer the producer under test; it stays the caller's to close
     * @return a sender that completes when the producer's callback runs
     */
    static Sender of(Producer<String, String> producer) {
      return record -> {
        CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
        producer.send(
            record,
            (metadata, error) -> {
              if (error == null) {
                future.complete(metadata);
              } else {
                future.completeExceptionally(error);
              }
            });
        return future;
      };
    }
  }

  private final String name;
  private final String topic;
  private final History history;
  private final Sender sender;
  private final Map<String, AtomicLong> sequences = new ConcurrentHashMap<>();

  /**
   * Creates a producer of payloads.
   *
   * @param name the logical producer name written into every payload
   * @param topic the topic
   * @param history where outcomes are recorded
   * @param sender the producer under test
   */
  public HistoryProducer(String name, String topic, History history, Sender sender) {
    this.name = Objects.requireNonNull(name, "name");
    this.topic = Objects.requireNonNull(topic, "topic");
    this.history = Objects.requireNonNull(history, "history");
    this.sender = Objects.requireNonNull(sender, "sender");
  }

  /**
   * Sends the next payload for a key; the outcome is recorded when the send completes.
   *
   * @param key the key
   * @return completes (normally) once the outcome is recorded
   */
  public CompletableFuture<Void> send(String key) {
    Payload payload =
        new Payload(
            name, key, sequences.computeIfAbsent(key, k -> new AtomicLong()).getAndIncrement());
    CompletableFuture<RecordMetadata> sent;
    try {
      sent = sender.send(new ProducerRecord<>(topic, key, payload.encode()));
    } catch (RuntimeException e) {
      history.send(new Send(payload, status(e), -1, -1, false));
      return CompletableFuture.completedFuture(null);
    }
    return sent.handle(
        (metadata, error) -> {
          if (error == null) {
            history.send(Send.ok(payload, metadata.partition(), metadata.offset()));
          } else {
            history.send(new Send(payload, status(error), -1, -1, false));
          }
          return null;
        });
  }

  private static SendStatus status(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof RecordTooLargeException || t instanceof SerializationException) {
        return SendStatus.FAILED;
      }
    }
    return SendStatus.UNKNOWN;
  }
}
