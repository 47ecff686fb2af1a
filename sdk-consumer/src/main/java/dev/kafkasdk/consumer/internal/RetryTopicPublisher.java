package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.DeadLetterHeaders;
import dev.kafkasdk.consumer.DeserializationFailure;
import dev.kafkasdk.consumer.RetryTopicHeaders;
import dev.kafkasdk.producer.ReliableProducer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Moves failed records one step along their {@link RetryChain}: a main topic's record to the first
 * retry topic, a retry topic's record to the next, and a record of the last retry topic (or one
 * whose failure cannot be cured by waiting: it could not be deserialized, or the retry policy calls
 * the failure not retryable) to the dead-letter topic, once, through the {@link
 * DeadLetterPublisher}. Sends go through the SDK's idempotent producer (the dead-letter one); the
 * returned future completes when the broker has acknowledged every send, and only then do the
 * records count as processed.
 */
final class RetryTopicPublisher {
  private final RetryChain chain;
  private final ReliableProducer<byte[], byte[]> producer;
  private final DeadLetterPublisher deadLetters;
  private final RunnerMetrics metrics;
  private final LongSupplier clock;
  // Null unless the chain keeps key order. Its monitor is held across a decision and its send, so
  // the sends reach each retry partition in the order of the decisions.
  private final KeyOrderQueues queues;

  RetryTopicPublisher(
      RetryChain chain,
      ReliableProducer<byte[], byte[]> producer,
      DeadLetterPublisher deadLetters,
      RunnerMetrics metrics,
      LongSupplier clock) {
    this(chain, producer, deadLetters, metrics, clock, null);
  }

  /**
   * Creates a publisher.
   *
   * @param queues the key queues when the chain keeps key order, else null
   */
  RetryTopicPublisher(
      RetryChain chain,
      ReliableProducer<byte[], byte[]> producer,
      DeadLetterPublisher deadLetters,
      RunnerMetrics metrics,
      LongSupplier clock,
      KeyOrderQueues queues) {
    this.chain = chain;
    this.queues = queues;
    this.producer = producer;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Sends each failed record to its next retry topic or the dead-letter topic.
   *
   * @param failure the failed records
   * @param retryable whether waiting may cure the failure (the retry policy's judgement)
   * @return completes when every send is acknowledged; exceptionally if one failed
   */
  CompletableFuture<Void> forward(FailurePolicy.Failure failure, boolean retryable) {
    List<CompletableFuture<?>> sends = new ArrayList<>(failure.raw().size());
    boolean curable = retryable && !(failure.error() instanceof DeserializationFailure);
    for (ConsumerRecord<byte[], byte[]> record : failure.raw()) {
      if (queues == null) {
        sends.add(forward(record, failure, curable));
      } else {
        synchronized (queues) {
          sends.add(forward(record, failure, curable));
        }
      }
    }
    return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
  }

  private CompletableFuture<?> forward(
      ConsumerRecord<byte[], byte[]> record, FailurePolicy.Failure failure, boolean curable) {
    RetriedRecord origin = RetriedRecord.of(record, chain);
    // The record's own retries so far. Keeping key order, a record may sit in a later stage than
    // its own retries (it followed an earlier record of its key there): its header counts.
    int stage = origin == null ? 0 : queues == null ? origin.stage() : ownRetries(record, origin);
    if (!curable || stage >= chain.stages()) {
      if (queues != null) {
        queues.left(mainPartition(record, origin), record.key(), mainOffset(record, origin));
      }
      return deadLetters
          .publish(List.of(record), failure.error(), failure.attempts(), failure.failedCall())
          .whenComplete(
              (ignored, e) -> {
                metrics.deadLetter(e == null, 1);
                if (e == null && stage > 0) {
                  metrics.retryChainExhausted();
                }
              });
    }
    try {
      ProducerRecord<byte[], byte[]> next = next(record, origin, failure, stage + 1);
      if (queues != null) {
        queues.movedTo(
            mainPartition(record, origin), record.key(), mainOffset(record, origin), stage + 1);
      }
      return producer.send(next).whenComplete((ignored, e) -> metrics.retryTopicSent(e == null));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** A retry record's own retries: its attempt header, 0 for a follower that never failed. */
  private static int ownRetries(ConsumerRecord<byte[], byte[]> record, RetriedRecord origin) {
    Header attempt = record.headers().lastHeader(RetryTopicHeaders.ATTEMPT);
    if (attempt == null || attempt.value() == null) {
      return origin.stage();
    }
    try {
      return Integer.parseInt(new String(attempt.value(), StandardCharsets.UTF_8).trim());
    } catch (NumberFormatException e) {
      return origin.stage();
    }
  }

  /** Whether the chain keeps key order. */
  boolean keepsKeyOrder() {
    return queues != null;
  }

  /**
   * Decides, before the handler is called, whether a record of a chain that keeps key order is
   * handled: null if it is; otherwise completes when the record needs nothing more (it follows an
   * earlier record of its key into the chain: when the send is acknowledged; it is in the chain
   * further on already: at once).
   */
  CompletableFuture<Void> beforeHandling(ConsumerRecord<byte[], byte[]> record) {
    if (queues == null || record.key() == null) {
      return null;
    }
    RetriedRecord origin = RetriedRecord.of(record, chain);
    TopicPartition main = mainPartition(record, origin);
    long offset = mainOffset(record, origin);
    synchronized (queues) {
      KeyOrderQueues.Route route =
          origin == null
              ? queues.main(main, record.key(), offset)
              : queues.retry(main, record.key(), offset, origin.stage());
      if (route instanceof KeyOrderQueues.Route.Handle) {
        return null;
      }
      if (!(route instanceof KeyOrderQueues.Route.Follow follow)) {
        return CompletableFuture.completedFuture(null);
      }
      try {
        return producer
            .send(follower(record, origin, follow.stage()))
            .whenComplete((ignored, e) -> metrics.retryTopicSent(e == null))
            .thenApply(ignored -> null);
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
  }

  /** A record of a chain that keeps key order was handled successfully: it leaves its queue. */
  void handled(ConsumerRecord<byte[], byte[]> record) {
    if (queues == null || record.key() == null) {
      return;
    }
    RetriedRecord origin = RetriedRecord.of(record, chain);
    if (origin == null) {
      return;
    }
    synchronized (queues) {
      queues.left(mainPartition(record, origin), record.key(), origin.offset());
    }
  }

  /** The queues, to rebuild or drop; lock them while in use. */
  KeyOrderQueues queues() {
    return queues;
  }

  private static TopicPartition mainPartition(
      ConsumerRecord<byte[], byte[]> record, RetriedRecord origin) {
    return origin == null
        ? new TopicPartition(record.topic(), record.partition())
        : new TopicPartition(origin.topic(), origin.partition());
  }

  private static long mainOffset(ConsumerRecord<byte[], byte[]> record, RetriedRecord origin) {
    return origin == null ? record.offset() : origin.offset();
  }

  /**
   * A record that follows an earlier record of its key to {@code stage}, never having failed: its
   * headers say so, count no handler call and have no first failure.
   */
  ProducerRecord<byte[], byte[]> follower(
      ConsumerRecord<byte[], byte[]> record, RetriedRecord origin, int stage) {
    long now = clock.getAsLong();
    RecordHeaders headers = new RecordHeaders();
    for (Header header : record.headers()) {
      headers.add(header);
    }
    String mainTopic = origin == null ? record.topic() : origin.topic();
    int partition = origin == null ? record.partition() : origin.partition();
    if (origin == null) {
      put(headers, DeadLetterHeaders.ORIGINAL_TOPIC, record.topic());
      put(headers, DeadLetterHeaders.ORIGINAL_PARTITION, Integer.toString(record.partition()));
      put(headers, DeadLetterHeaders.ORIGINAL_OFFSET, Long.toString(record.offset()));
      put(headers, DeadLetterHeaders.ORIGINAL_TIMESTAMP, Long.toString(record.timestamp()));
      put(headers, DeadLetterHeaders.ATTEMPTS, "0");
      put(headers, RetryTopicHeaders.FOLLOWER, "true");
      // Its own retries: none yet. A retry record that follows keeps its count.
      put(headers, RetryTopicHeaders.ATTEMPT, "0");
    }
    put(headers, RetryTopicHeaders.DUE_AT, Long.toString(now + chain.delay(stage).toMillis()));
    return new ProducerRecord<>(
        chain.retryTopic(mainTopic, stage), partition, record.key(), record.value(), headers);
  }

  /** The record for the retry topic of {@code stage}, with the original's bytes and headers. */
  ProducerRecord<byte[], byte[]> next(
      ConsumerRecord<byte[], byte[]> record,
      RetriedRecord origin,
      FailurePolicy.Failure failure,
      int stage) {
    long now = clock.getAsLong();
    RecordHeaders headers = new RecordHeaders();
    for (Header header : record.headers()) {
      headers.add(header);
    }
    String mainTopic;
    if (origin == null) {
      mainTopic = record.topic();
      put(headers, DeadLetterHeaders.ORIGINAL_TOPIC, record.topic());
      put(headers, DeadLetterHeaders.ORIGINAL_PARTITION, Integer.toString(record.partition()));
      put(headers, DeadLetterHeaders.ORIGINAL_OFFSET, Long.toString(record.offset()));
      put(headers, DeadLetterHeaders.ORIGINAL_TIMESTAMP, Long.toString(record.timestamp()));
      put(
          headers,
          RetryTopicHeaders.FIRST_FAILURE_AT,
          Long.toString(now - failure.sinceFirstFailure().toMillis()));
    } else {
      // A record written to a retry topic by hand may lack them: its origin's defaults go in.
      mainTopic = origin.topic();
      put(headers, DeadLetterHeaders.ORIGINAL_TOPIC, origin.topic());
      put(headers, DeadLetterHeaders.ORIGINAL_PARTITION, Integer.toString(origin.partition()));
      put(headers, DeadLetterHeaders.ORIGINAL_OFFSET, Long.toString(origin.offset()));
      put(headers, DeadLetterHeaders.ORIGINAL_TIMESTAMP, Long.toString(origin.timestamp()));
      long firstFailure =
          headers.lastHeader(RetryTopicHeaders.FOLLOWER) == null
              ? origin.firstFailureAt()
              // A follower fails for the first time now.
              : now - failure.sinceFirstFailure().toMillis();
      put(headers, RetryTopicHeaders.FIRST_FAILURE_AT, Long.toString(firstFailure));
      headers.remove(RetryTopicHeaders.FOLLOWER);
    }
    int calls = (origin == null ? 0 : origin.callsBefore()) + failure.attempts();
    Throwable error = failure.error();
    put(headers, DeadLetterHeaders.EXCEPTION_CLASS, error.getClass().getName());
    put(
        headers,
        DeadLetterHeaders.EXCEPTION_MESSAGE,
        error.getMessage() == null ? "" : error.getMessage());
    put(headers, DeadLetterHeaders.FAILURE_KIND, "handler");
    put(headers, DeadLetterHeaders.ATTEMPTS, Integer.toString(calls));
    put(headers, RetryTopicHeaders.ATTEMPT, Integer.toString(stage));
    put(headers, RetryTopicHeaders.DUE_AT, Long.toString(now + chain.delay(stage).toMillis()));
    put(headers, RetryTopicHeaders.EXCEPTION_STACKTRACE, stackTrace(error));
    // Keeping key order, a key's retry records stay in the main record's partition number, which
    // the member owning the main partition owns too (RangeAssignor); null keys included.
    Integer partition =
        queues == null ? null : origin == null ? record.partition() : origin.partition();
    return new ProducerRecord<>(
        chain.retryTopic(mainTopic, stage), partition, record.key(), record.value(), headers);
  }

  /** The stack trace, cut to {@link RetryTopicHeaders#STACKTRACE_MAX_CHARS}. */
  static String stackTrace(Throwable error) {
    StringWriter text = new StringWriter();
    try (PrintWriter out = new PrintWriter(text)) {
      error.printStackTrace(out);
    }
    String trace = text.toString();
    return trace.length() <= RetryTopicHeaders.STACKTRACE_MAX_CHARS
        ? trace
        : trace.substring(0, RetryTopicHeaders.STACKTRACE_MAX_CHARS);
  }

  private static void put(Headers headers, String name, String value) {
    headers.remove(name);
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
