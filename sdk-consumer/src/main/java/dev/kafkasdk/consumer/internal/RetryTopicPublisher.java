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

  RetryTopicPublisher(
      RetryChain chain,
      ReliableProducer<byte[], byte[]> producer,
      DeadLetterPublisher deadLetters,
      RunnerMetrics metrics,
      LongSupplier clock) {
    this.chain = chain;
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
      RetriedRecord origin = RetriedRecord.of(record, chain);
      int stage = origin == null ? 0 : origin.stage();
      if (!curable || stage >= chain.stages()) {
        sends.add(
            deadLetters
                .publish(List.of(record), failure.error(), failure.attempts(), failure.failedCall())
                .whenComplete(
                    (ignored, e) -> {
                      metrics.deadLetter(e == null, 1);
                      if (e == null && stage > 0) {
                        metrics.retryChainExhausted();
                      }
                    }));
        continue;
      }
      try {
        ProducerRecord<byte[], byte[]> next = next(record, origin, failure, stage + 1);
        sends.add(
            producer.send(next).whenComplete((ignored, e) -> metrics.retryTopicSent(e == null)));
      } catch (RuntimeException e) {
        sends.add(CompletableFuture.failedFuture(e));
      }
    }
    return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
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
      put(headers, RetryTopicHeaders.FIRST_FAILURE_AT, Long.toString(origin.firstFailureAt()));
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
    return new ProducerRecord<>(
        chain.retryTopic(mainTopic, stage), null, record.key(), record.value(), headers);
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
