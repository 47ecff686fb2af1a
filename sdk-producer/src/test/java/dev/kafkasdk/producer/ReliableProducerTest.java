package dev.kafkasdk.producer;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import dev.kafkasdk.test.TestRecords;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

/** The idempotent preset against a real single-broker cluster. */
@KafkaTest
class ReliableProducerTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void sendsAsynchronouslyAndSynchronouslyWithHeaders(KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 3, 1);
    try (ReliableProducer<String, String> producer = builder(kafka).build()) {
      List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        acks.add(producer.send(names.topic(), "key-" + (i % 4), "value-" + i));
      }
      RecordHeaders headers = new RecordHeaders();
      headers.add("trace-id", "abc-123".getBytes(StandardCharsets.UTF_8));
      RecordMetadata last =
          producer.sendAndWait(
              new ProducerRecord<>(names.topic(), null, "key-0", "with-header", headers), WAIT);

      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
      assertThat(last.offset()).isGreaterThanOrEqualTo(0);
    }

    List<ConsumerRecord<String, String>> read =
        TestRecords.of(kafka).readCommitted(names.topic(), WAIT);
    assertThat(read).hasSize(21);
    ConsumerRecord<String, String> withHeader =
        read.stream().filter(r -> r.value().equals("with-header")).findFirst().orElseThrow();
    assertThat(
            new String(withHeader.headers().lastHeader("trace-id").value(), StandardCharsets.UTF_8))
        .isEqualTo("abc-123");
    // Per key (hence per partition) the log keeps send order.
    List<String> key0 =
        read.stream().filter(r -> r.key().equals("key-0")).map(ConsumerRecord::value).toList();
    assertThat(key0)
        .containsExactly("value-0", "value-4", "value-8", "value-12", "value-16", "with-header");
  }

  @Test
  void aRecordOverMaxRequestSizeFailsAloneWithAPerRecordError(KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 1, 1);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (ReliableProducer<String, String> producer =
        builder(kafka).property("max.request.size", 10_000).meterRegistry(registry).build()) {
      CompletableFuture<RecordMetadata> before = producer.send(names.topic(), "k", "before");
      CompletableFuture<RecordMetadata> huge =
          producer.send(names.topic(), "k", "x".repeat(20_000));
      CompletableFuture<RecordMetadata> after = producer.send(names.topic(), "k", "after");

      ProducerSendException failure = sendFailure(huge);
      assertThat(failure.category()).isEqualTo(ErrorCategory.INVALID_RECORD);
      assertThat(failure.topic()).isEqualTo(names.topic());
      assertThat(failure).hasCauseInstanceOf(RecordTooLargeException.class);
      assertThat(before.join().offset()).isEqualTo(0);
      assertThat(after.join().offset()).isEqualTo(1);
      assertThat(producer.sendAndWait(new ProducerRecord<>(names.topic(), "k", "later"), WAIT))
          .extracting(RecordMetadata::offset)
          .isEqualTo(2L);
      assertThat(registry.find(ProducerMeters.RECREATED).counters())
          .as("a per-record error does not replace the producer")
          .isEmpty();
    }
    assertThat(TestRecords.of(kafka).readCommitted(names.topic(), WAIT))
        .extracting(ConsumerRecord::value)
        .containsExactly("before", "after", "later");
  }

  @Test
  void aCallbackGetsEveryOutcomeOnceWithClassifiedFailures(KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 3, 1);
    List<RecordMetadata> succeeded = new CopyOnWriteArrayList<>();
    List<RecordMetadata> failedMetadata = new CopyOnWriteArrayList<>();
    List<Exception> failures = new CopyOnWriteArrayList<>();
    Callback shared =
        (metadata, error) -> {
          if (error == null) {
            succeeded.add(metadata);
          } else {
            failedMetadata.add(metadata);
            failures.add(error);
          }
        };
    // The builders' default registry, empty here: the untimed path, whose sends share one Kafka
    // callback object (RecordSenderTest covers the sharing; this covers what a broker reports).
    assertThat(Metrics.globalRegistry.getRegistries()).isEmpty();
    try (ReliableProducer<String, String> producer =
        builder(kafka).property("max.request.size", 10_000).build()) {
      for (int i = 0; i < 30; i++) {
        producer.send(new ProducerRecord<>(names.topic(), "key-" + (i % 3), "value-" + i), shared);
        if (i == 10) {
          producer.send(
              new ProducerRecord<>(names.topic(), 1, "key-x", "x".repeat(20_000)), shared);
        }
      }
      producer.flush();

      assertThat(succeeded).hasSize(30).allSatisfy(m -> assertThat(m.offset()).isNotNegative());
      assertThat(failures).singleElement().isInstanceOf(ProducerSendException.class);
      ProducerSendException failure = (ProducerSendException) failures.get(0);
      assertThat(failure.category()).isEqualTo(ErrorCategory.INVALID_RECORD);
      assertThat(failure).hasCauseInstanceOf(RecordTooLargeException.class);
      assertThat(failedMetadata)
          .singleElement()
          .satisfies(
              m -> {
                assertThat(m.topic()).isEqualTo(names.topic());
                assertThat(m.partition()).isEqualTo(1);
                assertThat(m.offset()).isEqualTo(-1);
              });
    }
    List<ConsumerRecord<String, String>> read =
        TestRecords.of(kafka).readCommitted(names.topic(), WAIT);
    assertThat(read).hasSize(30);
    assertThat(read.stream().filter(r -> r.key().equals("key-0")).map(ConsumerRecord::value))
        .as("send order per key")
        .containsExactly(
            "value-0",
            "value-3",
            "value-6",
            "value-9",
            "value-12",
            "value-15",
            "value-18",
            "value-21",
            "value-24",
            "value-27");
  }

  @Test
  void sendAfterCloseFailsClearlyAndCloseIsIdempotent(KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 1, 1);
    ReliableProducer<String, String> producer = builder(kafka).clientId(names.topic()).build();
    CompletableFuture<RecordMetadata> pending = producer.send(names.topic(), "k", "v");
    assertThat(producer.isClosed()).isFalse();

    producer.close();
    assertThat(producer.isClosed()).isTrue();
    producer.close();
    producer.close(Duration.ZERO);

    assertThat(pending)
        .as("close waits for pending sends")
        .isCompletedWithValueMatching(m -> m.offset() == 0);
    assertThatThrownBy(() -> producer.send(names.topic(), "k", "late"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(names.topic())
        .hasMessageContaining("is closed");
    assertThatThrownBy(
            () -> producer.sendAndWait(new ProducerRecord<>(names.topic(), "k", "v"), WAIT))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void anOpenCircuitBreakerFailsSendsFastInsteadOfQueuing(KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 1, 1);
    CircuitBreaker breaker =
        CircuitBreaker.of(
            names.topic(),
            CircuitBreakerConfig.custom()
                .slidingWindowSize(2)
                .minimumNumberOfCalls(2)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofMinutes(10))
                .build());
    try (ReliableProducer<String, String> producer =
        builder(kafka).property("max.block.ms", 1_000).circuitBreaker(breaker).build()) {
      // Fetch the topic's metadata first, so the short max.block.ms only affects partition 7.
      producer.sendAndWait(new ProducerRecord<>(names.topic(), "k", "warm-up"), WAIT);
      breaker.reset();
      // Partition 7 does not exist: Kafka waits max.block.ms for it, then reports a retriable
      // TimeoutException, just as it does while the partition's leader is unreachable.
      for (int i = 0; i < 2; i++) {
        ProducerSendException timedOut =
            sendFailure(producer.send(new ProducerRecord<>(names.topic(), 7, "k", "v")));
        assertThat(timedOut.category()).isEqualTo(ErrorCategory.RETRIABLE);
      }
      assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);

      ProducerSendException rejected =
          catchThrowableOfType(
              ProducerSendException.class,
              () -> producer.sendAndWait(new ProducerRecord<>(names.topic(), "k", "v"), WAIT));
      assertThat(rejected.category()).isEqualTo(ErrorCategory.RETRIABLE);
      assertThat(rejected).hasCauseInstanceOf(CallNotPermittedException.class);
      List<Exception> rejectedInCallback = new ArrayList<>();
      producer.send(
          new ProducerRecord<>(names.topic(), "k", "v"),
          (metadata, error) -> {
            assertThat(metadata.topic()).isEqualTo(names.topic());
            rejectedInCallback.add(error);
          });
      assertThat(rejectedInCallback)
          .as("reported on the calling thread before send returns")
          .singleElement(as(InstanceOfAssertFactories.THROWABLE))
          .isInstanceOf(ProducerSendException.class)
          .hasCauseInstanceOf(CallNotPermittedException.class);

      breaker.transitionToClosedState();
      assertThat(producer.sendAndWait(new ProducerRecord<>(names.topic(), "k", "v"), WAIT).offset())
          .isEqualTo(1);
    }
  }

  @Test
  void documentedMetersArePresentAfterARunAndClientMetricsGoWithTheProducer(
      KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 1, 1);
    MeterRegistry registry = new SimpleMeterRegistry();
    ReliableProducer<String, String> producer =
        builder(kafka).clientId(names.topic()).meterRegistry(registry).build();
    for (int i = 0; i < 5; i++) {
      producer.sendAndWait(new ProducerRecord<>(names.topic(), "k", "v" + i), WAIT);
    }

    assertThat(
            registry
                .get(ProducerMeters.SEND)
                .tag(ProducerMeters.TAG_CLIENT, names.topic())
                .tag(ProducerMeters.TAG_RESULT, "success")
                .tag(ProducerMeters.TAG_CATEGORY, "none")
                .timer()
                .count())
        .isEqualTo(5);
    assertThat(Search.in(registry).name("kafka.producer.record.send.total").meters())
        .as("Micrometer's KafkaClientMetrics is bound to the underlying producer")
        .isNotEmpty();

    producer.close();
    assertThat(Search.in(registry).name(n -> n.startsWith("kafka.producer.")).meters())
        .as("client metrics are closed with the producer")
        .isEmpty();
  }

  @Test
  void unsafeAcksWorksButLogsWhatCanBeLost(KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 1, 1);
    PrintStream originalErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    // slf4j-simple writes to the current System.err.
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (ReliableProducer<String, String> producer =
        builder(kafka).clientId(names.topic()).unsafeAcks(Acks.ONE).build()) {
      assertThat(producer.sendAndWait(new ProducerRecord<>(names.topic(), "k", "v"), WAIT).offset())
          .isEqualTo(0);
    } finally {
      System.setErr(originalErr);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .contains("WARN")
        .contains(names.topic())
        .contains("acks=1 without idempotence")
        .contains("LOST");
  }

  private static ReliableProducer.Builder<String, String> builder(KafkaCluster kafka) {
    return ReliableProducer.builder(new StringSerializer(), new StringSerializer())
        .bootstrapServers(kafka.bootstrapServers());
  }

  private static ProducerSendException sendFailure(CompletableFuture<RecordMetadata> send) {
    Throwable error = send.handle((m, e) -> e).join();
    if (error instanceof CompletionException) {
      error = error.getCause();
    }
    assertThat(error).isInstanceOf(ProducerSendException.class);
    return (ProducerSendException) error;
  }
}
