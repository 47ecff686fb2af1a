package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.DeadLetterHeaders;
import dev.kafkasdk.consumer.DeserializationFailure;
import dev.kafkasdk.consumer.FailureAction;
import dev.kafkasdk.core.internal.MessagingConventions;
import dev.kafkasdk.producer.ReliableProducer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Publishes failed records, as their original bytes plus {@link DeadLetterHeaders}, through the
 * SDK's idempotent {@link ReliableProducer}. The returned future completes when the broker has
 * acknowledged every dead letter of the unit.
 *
 * <p>Without observations the record's own headers are kept as they are, its trace context ({@code
 * traceparent}) included. With them, three things tie the dead letter to its traces: each dead
 * letter of a failed handler call is sent inside a {@code ksdk.dead_letter} observation whose
 * parent is the failed call's process observation, and a tracer injects that observation's context
 * under {@value #TRACE_LINK_PREFIX}-prefixed names ({@link
 * DeadLetterHeaders#FAILED_CALL_TRACEPARENT} with W3C propagation); the dead-letter producer's own
 * send observation, a child of it, replaces {@code traceparent} (so a consumer of the dead-letter
 * topic continues the same trace); and the record's original trace headers are kept under {@value
 * #ORIGINAL_TRACE_PREFIX}-prefixed names.
 */
final class DeadLetterPublisher implements AutoCloseable {
  static final String TRACE_LINK_PREFIX = "ksdk.dlt.";

  /** Where the record's own trace context is kept when dead letters are traced. */
  static final String ORIGINAL_TRACE_PREFIX = "ksdk.dlt.original.";

  /**
   * The trace context headers of the propagators in common use (W3C Trace Context, B3 single and
   * multi): the ones a traced send replaces, and a replay ({@link ReplayRecord}) restores.
   */
  static final List<String> TRACE_HEADERS =
      List.of(
          "traceparent",
          "tracestate",
          "b3",
          "X-B3-TraceId",
          "X-B3-SpanId",
          "X-B3-ParentSpanId",
          "X-B3-Sampled");

  private final FailureAction action;
  private final ReliableProducer<byte[], byte[]> producer;
  private final ObservationRegistry observations;
  private final RetryChain chain;

  /**
   * Creates the publisher.
   *
   * @param action where dead letters go
   * @param producer sends them
   * @param observations where dead-letter observations go, or null for none
   */
  DeadLetterPublisher(
      FailureAction action,
      ReliableProducer<byte[], byte[]> producer,
      ObservationRegistry observations) {
    this(action, producer, observations, null);
  }

  /**
   * Creates the publisher of a runner with retry topics: a record of a retry topic is dead-lettered
   * as the main topic's record it stands for.
   *
   * @param chain the runner's retry topics, or null for none
   */
  DeadLetterPublisher(
      FailureAction action,
      ReliableProducer<byte[], byte[]> producer,
      ObservationRegistry observations,
      RetryChain chain) {
    this.action = action;
    this.producer = producer;
    this.observations = observations;
    this.chain = chain;
  }

  /** The producer, which the retry-topic sends share. */
  ReliableProducer<byte[], byte[]> producer() {
    return producer;
  }

  /**
   * Sends the dead letters of one failed unit.
   *
   * @param records the failed records as read
   * @param error the failure
   * @param attempts handler calls made
   * @param failedCall the failed call's observation to link to, or null
   * @return completes when every dead letter is acknowledged
   */
  CompletableFuture<Void> publish(
      List<ConsumerRecord<byte[], byte[]>> records,
      Throwable error,
      int attempts,
      Observation failedCall) {
    List<CompletableFuture<?>> sends = new ArrayList<>(records.size());
    for (ConsumerRecord<byte[], byte[]> record : records) {
      Observation link = null;
      Observation.Scope scope = null;
      try {
        ProducerRecord<byte[], byte[]> letter = deadLetter(record, error, attempts);
        if (observations != null) {
          keepOriginalTraceContext(letter.headers());
        }
        link = link(letter, failedCall);
        // In the link's scope, so that a traced producer's send is its child.
        scope = link == null ? null : link.openScope();
        sends.add(producer.send(letter));
      } catch (RuntimeException e) {
        if (link != null) {
          link.error(e);
        }
        sends.add(CompletableFuture.failedFuture(e));
      } finally {
        if (link != null) {
          scope.close();
          link.stop();
        }
      }
    }
    return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
  }

  /**
   * Copies the record's own trace context headers to {@value #ORIGINAL_TRACE_PREFIX}-prefixed
   * names: the dead-letter producer's send observation replaces the originals with its own context.
   */
  private static void keepOriginalTraceContext(Headers headers) {
    for (String name : TRACE_HEADERS) {
      Header header = headers.lastHeader(name);
      if (header != null) {
        headers.remove(ORIGINAL_TRACE_PREFIX + name);
        headers.add(ORIGINAL_TRACE_PREFIX + name, header.value());
      }
    }
  }

  /**
   * Starts the dead letter's observation, child of the failed call's; starting it injects its
   * context into the dead letter's headers under {@link #TRACE_LINK_PREFIX}-prefixed names, leaving
   * the record's own trace headers as they were. Null when calls are not observed.
   */
  private Observation link(ProducerRecord<byte[], byte[]> letter, Observation failedCall) {
    if (observations == null || failedCall == null) {
      return null;
    }
    SenderContext<Headers> context =
        new SenderContext<>(
            (headers, key, value) -> {
              if (headers != null) {
                put(headers, TRACE_LINK_PREFIX + key, value);
              }
            },
            Kind.PRODUCER);
    context.setCarrier(letter.headers());
    return Observation.createNotStarted(
            ProcessConventions.DEAD_LETTER_NAME, () -> context, observations)
        .contextualName(
            MessagingConventions.spanName(ProcessConventions.DEAD_LETTER, letter.topic()))
        .lowCardinalityKeyValue(MessagingConventions.SYSTEM, MessagingConventions.KAFKA)
        .lowCardinalityKeyValue(MessagingConventions.OPERATION_NAME, ProcessConventions.DEAD_LETTER)
        .lowCardinalityKeyValue(MessagingConventions.OPERATION_TYPE, MessagingConventions.SEND)
        .lowCardinalityKeyValue(MessagingConventions.DESTINATION_NAME, letter.topic())
        .parentObservation(failedCall)
        .start();
  }

  ProducerRecord<byte[], byte[]> deadLetter(
      ConsumerRecord<byte[], byte[]> record, Throwable error, int attempts) {
    RecordHeaders headers = new RecordHeaders();
    for (Header header : record.headers()) {
      headers.add(header);
    }
    // A retry topic's record is dead-lettered as the main topic's record it stands for, with the
    // handler calls of the whole chain, so dead-letter tools treat both alike.
    RetriedRecord origin = RetriedRecord.of(record, chain);
    String topic = origin == null ? record.topic() : origin.topic();
    put(headers, DeadLetterHeaders.ORIGINAL_TOPIC, topic);
    put(
        headers,
        DeadLetterHeaders.ORIGINAL_PARTITION,
        Integer.toString(origin == null ? record.partition() : origin.partition()));
    put(
        headers,
        DeadLetterHeaders.ORIGINAL_OFFSET,
        Long.toString(origin == null ? record.offset() : origin.offset()));
    put(
        headers,
        DeadLetterHeaders.ORIGINAL_TIMESTAMP,
        Long.toString(origin == null ? record.timestamp() : origin.timestamp()));
    Throwable reported = reported(error);
    put(headers, DeadLetterHeaders.EXCEPTION_CLASS, reported.getClass().getName());
    put(
        headers,
        DeadLetterHeaders.EXCEPTION_MESSAGE,
        reported.getMessage() == null ? "" : reported.getMessage());
    put(
        headers,
        DeadLetterHeaders.ATTEMPTS,
        Integer.toString(attempts + (origin == null ? 0 : origin.callsBefore())));
    put(headers, DeadLetterHeaders.FAILURE_KIND, kind(error));
    return new ProducerRecord<>(
        action.deadLetterTopic(topic), null, record.key(), record.value(), headers);
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

  private static void put(Headers headers, String name, String value) {
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
