package dev.kafkasdk.consumer;

import static dev.kafkasdk.consumer.KafkaFixtures.WAIT;
import static dev.kafkasdk.consumer.TestTracing.header;
import static dev.kafkasdk.consumer.TestTracing.spanId;
import static dev.kafkasdk.consumer.TestTracing.traceId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.consumer.internal.CapturingLogProvider;
import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import dev.kafkasdk.test.TestRecords;
import io.github.resilience4j.core.IntervalFunction;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.MDC;

/**
 * Process observations and MDC entries around handler calls on a real broker: every record is
 * produced with a trace context of its own (a {@code traceparent} header written here, as a traced
 * producer would), and every handler call must run inside a span of its record's trace, whose
 * parent is the producer's span, with its own record's fields in the MDC, while calls of many
 * traces interleave on the same workers.
 */
@KafkaTest
class HandlerTracingTest {
  private static final int PARTITIONS = 3;
  private static final int RECORDS = 200;
  private static final String SENTINEL = "outer";
  private static final AttributeKey<String> OFFSET =
      AttributeKey.stringKey("messaging.kafka.offset");
  private static final AttributeKey<String> PARTITION =
      AttributeKey.stringKey("messaging.destination.partition.id");
  private static final AttributeKey<String> ATTEMPT = AttributeKey.stringKey("ksdk.attempt");

  private static final TestTracing tracing = new TestTracing();

  @AfterAll
  static void closeTracing() {
    tracing.close();
  }

  /** What a handler call saw on its thread. */
  record Seen(
      String topic,
      int partition,
      long offset,
      String key,
      String value,
      String traceparent,
      String spanTrace,
      String spanId,
      Map<String, String> mdc) {

    /** Takes the MDC and the current span, and logs through SLF4J as a handler would. */
    static Seen of(ConsumerRecord<?, ?> record, TestTracing tracing) {
      CapturingLogProvider.captured(record.topic())
          .info(
              "{} {} {} {}",
              record.partition(),
              record.offset(),
              traceId(header(record, "traceparent")),
              record.key());
      Map<String, String> mdc = MDC.getCopyOfContextMap();
      return new Seen(
          record.topic(),
          record.partition(),
          record.offset(),
          String.valueOf(record.key()),
          String.valueOf(record.value()),
          header(record, "traceparent"),
          tracing.currentTraceId(),
          tracing.currentSpanId(),
          mdc == null ? Map.of() : mdc);
    }
  }

  static Stream<Arguments> strategies() {
    return Stream.of(
        Arguments.of("thread-per-partition", null),
        Arguments.of("multi-worker", Ordering.PARTITION),
        Arguments.of("multi-worker", Ordering.KEY),
        Arguments.of("multi-worker", Ordering.UNORDERED));
  }

  /**
   * 200 records of 200 traces over 4 workers: each call's current span belongs to its own record's
   * trace and is the child of its record's producer span, and the MDC names its own record (and its
   * span) and nothing else; between calls a worker's MDC is back to what it was.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("strategies")
  void everyCallRunsInItsOwnRecordsTraceAndMdc(
      String kind, Ordering ordering, KafkaCluster kafka, TestNames names) throws Exception {
    String topic = names.topic();
    kafka.createTopic(topic, PARTITIONS, 1);
    produceTraced(kafka, topic, RECORDS);

    Queue<Seen> seen = new ConcurrentLinkedQueue<>();
    Queue<Map<String, String>> between = new ConcurrentLinkedQueue<>();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostRunning = new AtomicInteger();
    ExecutorService workers = ordering == null ? null : sentinelPool(between);
    try (ConsumerRunner<String, String> runner =
        ConsumerRunner.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .groupId(names.groupId())
            .topics(topic)
            .name("traced")
            .meterRegistry(new SimpleMeterRegistry())
            .observationRegistry(tracing.registry)
            .strategy(
                ordering == null
                    ? Strategy.threadPerPartition()
                    : Strategy.multiWorker(workers, ordering))
            .handler(
                record -> {
                  mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                  // Simulated work, so that calls of different traces overlap.
                  LockSupport.parkNanos(200_000);
                  seen.add(Seen.of(record, tracing));
                  running.decrementAndGet();
                })
            .build()) {
      runner.start();
      await().atMost(WAIT).until(() -> seen.size() >= RECORDS);
      await().atMost(WAIT).until(() -> processSpans(topic).size() >= RECORDS);
    } finally {
      if (workers != null) {
        workers.shutdownNow();
      }
    }

    assertThat(seen).hasSize(RECORDS);
    for (Seen call : seen) {
      assertThat(call.spanTrace())
          .as("span of the call of %s", call.offset())
          .isEqualTo(traceId(call.traceparent()));
      assertThat(call.mdc())
          .containsEntry(HandlerMdc.TOPIC, topic)
          .containsEntry(HandlerMdc.PARTITION, Integer.toString(call.partition()))
          .containsEntry(HandlerMdc.OFFSET, Long.toString(call.offset()))
          .containsEntry(HandlerMdc.GROUP, names.groupId())
          .containsEntry(HandlerMdc.RUNNER, "traced")
          .containsEntry("traceId", call.spanTrace())
          .containsEntry("spanId", call.spanId())
          .doesNotContainKeys(HandlerMdc.KEY, HandlerMdc.FIRST_OFFSET, HandlerMdc.LAST_OFFSET);
    }
    Map<String, String> parentByRecord = new HashMap<>();
    for (Seen call : seen) {
      parentByRecord.put(call.partition() + "@" + call.offset(), call.traceparent());
    }
    List<SpanData> spans = processSpans(topic);
    assertThat(spans).hasSize(RECORDS);
    for (SpanData span : spans) {
      String traceparent =
          parentByRecord.get(
              span.getAttributes().get(PARTITION) + "@" + span.getAttributes().get(OFFSET));
      assertThat(span.getTraceId()).isEqualTo(traceId(traceparent));
      assertThat(span.getParentSpanId()).isEqualTo(spanId(traceparent));
      assertThat(span.getAttributes().get(AttributeKey.stringKey("messaging.system")))
          .isEqualTo("kafka");
      assertThat(span.getAttributes().get(AttributeKey.stringKey("messaging.kafka.message.key")))
          .as("keys only when opted in")
          .isNull();
      assertThat(span.getAttributes().get(AttributeKey.stringKey("ksdk.runner")))
          .isEqualTo("traced");
      assertThat(span.getAttributes().get(AttributeKey.stringKey("messaging.consumer.group.name")))
          .isEqualTo(names.groupId());
    }
    List<CapturingLogProvider.Event> events = logged(topic);
    assertThat(events).hasSize(RECORDS);
    for (CapturingLogProvider.Event event : events) {
      String[] fields = event.message().split(" ");
      assertThat(event.mdc())
          .as("MDC of the event %s", event)
          .containsEntry(HandlerMdc.TOPIC, topic)
          .containsEntry(HandlerMdc.PARTITION, fields[0])
          .containsEntry(HandlerMdc.OFFSET, fields[1])
          .containsEntry("traceId", fields[2]);
    }
    if (ordering != null) {
      assertThat(mostRunning.get()).as("calls overlapped").isGreaterThan(1);
      assertThat(between).isNotEmpty();
      assertThat(between)
          .allSatisfy(mdc -> assertThat(mdc).isEqualTo(Map.of(HandlerMdc.TOPIC, SENTINEL)));
    }
  }

  /**
   * A batch call runs in the trace of its first record, and the MDC names the batch's partition and
   * first and last offsets.
   */
  @Test
  void aBatchCallRunsInItsFirstRecordsTrace(KafkaCluster kafka, TestNames names) {
    String topic = names.topic();
    kafka.createTopic(topic, PARTITIONS, 1);
    produceTraced(kafka, topic, 60);
    Queue<List<Seen>> batches = new ConcurrentLinkedQueue<>();
    AtomicInteger records = new AtomicInteger();
    try (ConsumerRunner<String, String> runner =
        ConsumerRunner.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .groupId(names.groupId())
            .topics(topic)
            .meterRegistry(new SimpleMeterRegistry())
            .observationRegistry(tracing.registry)
            .strategy(Strategy.multiWorker(4, Ordering.PARTITION))
            .observeMessageKeys(true)
            .maxBatchSize(7)
            .batchHandler(
                batch -> {
                  List<Seen> calls = new ArrayList<>();
                  for (ConsumerRecord<String, String> record : batch) {
                    calls.add(Seen.of(record, tracing));
                  }
                  batches.add(calls);
                  records.addAndGet(batch.size());
                })
            .build()) {
      runner.start();
      await().atMost(WAIT).until(() -> records.get() >= 60);
      await().atMost(WAIT).until(() -> processSpans(topic).size() >= batches.size());
    }
    for (List<Seen> batch : batches) {
      Seen first = batch.get(0);
      Seen last = batch.get(batch.size() - 1);
      for (Seen call : batch) {
        assertThat(call.spanTrace()).isEqualTo(traceId(first.traceparent()));
        assertThat(call.mdc())
            .containsEntry(HandlerMdc.TOPIC, topic)
            .containsEntry(HandlerMdc.PARTITION, Integer.toString(first.partition()))
            .containsEntry(HandlerMdc.FIRST_OFFSET, Long.toString(first.offset()))
            .containsEntry(HandlerMdc.LAST_OFFSET, Long.toString(last.offset()))
            .containsEntry(HandlerMdc.KEY, first.key())
            .doesNotContainKey(HandlerMdc.OFFSET);
      }
    }
    List<SpanData> spans = processSpans(topic);
    assertThat(spans).hasSize(batches.size());
    Map<String, List<Seen>> batchByFirst = new HashMap<>();
    batches.forEach(
        batch -> batchByFirst.put(batch.get(0).partition() + "@" + batch.get(0).offset(), batch));
    for (SpanData span : spans) {
      List<Seen> batch =
          batchByFirst.get(
              span.getAttributes().get(PARTITION) + "@" + span.getAttributes().get(OFFSET));
      assertThat(batch).as("the batch whose first record the span names").isNotNull();
      assertThat(span.getParentSpanId()).isEqualTo(spanId(batch.get(0).traceparent()));
      assertThat(span.getAttributes().get(AttributeKey.stringKey("messaging.kafka.message.key")))
          .isEqualTo(batch.get(0).key());
      if (batch.size() > 1) {
        assertThat(
                span.getAttributes().get(AttributeKey.stringKey("messaging.batch.message_count")))
            .isEqualTo(Integer.toString(batch.size()));
      }
    }
  }

  /**
   * A record that fails twice is two process spans of its trace, each with the error, numbered by
   * attempt; its dead letter keeps the record's {@code traceparent} and links to the failed call.
   */
  @Test
  void retriesAreSpansOfTheSameTraceAndTheDeadLetterLinksTheFailedCall(
      KafkaCluster kafka, TestNames names) {
    String topic = names.topic();
    String deadLetters = topic + ".DLT";
    kafka.createTopic(topic, 1, 1);
    kafka.createTopic(deadLetters, 1, 1);
    String traceparent = TestTracing.newTraceparent();
    RecordHeaders headers = new RecordHeaders();
    headers.add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
    TestRecords.of(kafka).produce(List.of(new ProducerRecord<>(topic, null, "bad", "v", headers)));
    Queue<Seen> seen = new ConcurrentLinkedQueue<>();
    try (ConsumerRunner<String, String> runner =
        ConsumerRunner.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .groupId(names.groupId())
            .topics(topic)
            .meterRegistry(new SimpleMeterRegistry())
            .observationRegistry(tracing.registry)
            .retry(
                RetryPolicy.builder()
                    .maxAttempts(2)
                    .backoff(IntervalFunction.of(Duration.ofMillis(50)))
                    .build())
            .onFailure(FailureAction.deadLetter())
            .handler(
                record -> {
                  seen.add(Seen.of(record, tracing));
                  throw new IllegalStateException("cannot process " + record.value());
                })
            .build()) {
      runner.start();
      List<ConsumerRecord<String, String>> letters =
          TestRecords.of(kafka).consume(deadLetters, 1, WAIT);
      assertThat(letters).hasSize(1);
      ConsumerRecord<String, String> letter = letters.get(0);
      await().atMost(WAIT).until(() -> processSpans(topic).size() >= 2);

      assertThat(seen).hasSize(2);
      assertThat(seen)
          .allSatisfy(call -> assertThat(call.spanTrace()).isEqualTo(traceId(traceparent)));
      List<SpanData> attempts = processSpans(topic);
      assertThat(attempts).hasSize(2);
      assertThat(attempts)
          .allSatisfy(
              span -> {
                assertThat(span.getTraceId()).isEqualTo(traceId(traceparent));
                assertThat(span.getParentSpanId()).isEqualTo(spanId(traceparent));
                assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
              });
      assertThat(attempts)
          .extracting(span -> span.getAttributes().get(ATTEMPT))
          .containsExactlyInAnyOrder("1", "2");

      assertThat(header(letter.headers(), DeadLetterHeaders.ORIGINAL_TRACEPARENT))
          .isEqualTo(traceparent);
      String link = header(letter.headers(), DeadLetterHeaders.FAILED_CALL_TRACEPARENT);
      assertThat(link).isNotNull();
      assertThat(traceId(link)).isEqualTo(traceId(traceparent));
      await().atMost(WAIT).until(() -> !tracing.spansNamed("send " + deadLetters).isEmpty());
      SpanData deadLetter =
          tracing.spansNamed("dead_letter " + deadLetters).stream()
              .filter(span -> span.getSpanId().equals(spanId(link)))
              .findFirst()
              .orElseThrow();
      // The dead letter's traceparent is its traced send, a child of the dead-letter span: a
      // consumer of the dead-letter topic continues the record's trace.
      String sent = header(letter.headers(), "traceparent");
      assertThat(traceId(sent)).isEqualTo(traceId(traceparent));
      SpanData send =
          tracing.spansNamed("send " + deadLetters).stream()
              .filter(span -> span.getSpanId().equals(spanId(sent)))
              .findFirst()
              .orElseThrow();
      assertThat(send.getParentSpanId()).isEqualTo(deadLetter.getSpanId());
      SpanData secondAttempt =
          attempts.stream()
              .filter(span -> "2".equals(span.getAttributes().get(ATTEMPT)))
              .findFirst()
              .orElseThrow();
      assertThat(deadLetter.getParentSpanId()).isEqualTo(secondAttempt.getSpanId());
    }
  }

  /**
   * An exactly-once transform runs in its record's trace, and its output carries the trace on: the
   * output record's {@code traceparent} is its send span, a child of the call's process span.
   */
  @Test
  void anExactlyOnceTransformRunsInItsRecordsTrace(KafkaCluster kafka, TestNames names) {
    String topic = names.topic();
    String output = topic + "-out";
    kafka.createTopic(topic, PARTITIONS, 1);
    kafka.createTopic(output, PARTITIONS, 1);
    produceTraced(kafka, topic, 30);
    Queue<Seen> seen = new ConcurrentLinkedQueue<>();
    try (ConsumerRunner<String, String> runner =
        ConsumerRunner.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .groupId(names.groupId())
            .topics(topic)
            .meterRegistry(new SimpleMeterRegistry())
            .observationRegistry(tracing.registry)
            .strategy(Strategy.threadPerPartition())
            .exactlyOnce(
                ReliableProducer.builder(new StringSerializer(), new StringSerializer())
                    .bootstrapServers(kafka.bootstrapServers())
                    .meterRegistry(new SimpleMeterRegistry()),
                names.groupId(),
                (in, out) -> {
                  seen.add(Seen.of(in, tracing));
                  out.send(output, in.key(), in.value());
                })
            .build()) {
      runner.start();
      await()
          .atMost(WAIT)
          .until(() -> TestRecords.of(kafka).readCommitted(output, WAIT).size() >= 30);
    }
    List<ConsumerRecord<String, String>> outputs =
        TestRecords.of(kafka).readCommitted(output, WAIT);
    Map<String, SpanData> processById = new HashMap<>();
    processSpans(topic).forEach(span -> processById.put(span.getSpanId(), span));
    Map<String, SpanData> sendById = new HashMap<>();
    tracing.spansNamed("send " + output).forEach(span -> sendById.put(span.getSpanId(), span));
    Map<String, String> inputTraceByValue = new HashMap<>();
    seen.forEach(call -> inputTraceByValue.put(call.value(), traceId(call.traceparent())));
    assertThat(outputs).hasSize(30);
    for (ConsumerRecord<String, String> out : outputs) {
      String traceparent = header(out, "traceparent");
      assertThat(traceId(traceparent)).isEqualTo(inputTraceByValue.get(out.value()));
      SpanData send = sendById.get(spanId(traceparent));
      assertThat(send).as("send span of %s", out.value()).isNotNull();
      SpanData process = processById.get(send.getParentSpanId());
      assertThat(process).as("process span parent of the send of %s", out.value()).isNotNull();
      assertThat(process.getTraceId()).isEqualTo(inputTraceByValue.get(out.value()));
    }
    assertThat(seen).hasSizeGreaterThanOrEqualTo(30);
    for (Seen call : seen) {
      assertThat(call.spanTrace()).isEqualTo(traceId(call.traceparent()));
      assertThat(call.mdc()).containsEntry(HandlerMdc.OFFSET, Long.toString(call.offset()));
    }
  }

  /**
   * Without a registry there is no span and the record's headers are as produced; with the MDC
   * turned off too, the handler's MDC is empty.
   */
  @ParameterizedTest(name = "mdc {0}")
  @MethodSource("mdcSettings")
  void withoutARegistryNothingIsTraced(boolean mdc, KafkaCluster kafka, TestNames names) {
    String topic = names.topic();
    kafka.createTopic(topic, PARTITIONS, 1);
    produceTraced(kafka, topic, 20);
    int spansBefore = tracing.spans.size();
    Queue<Seen> seen = new ConcurrentLinkedQueue<>();
    Queue<Integer> headerCounts = new ConcurrentLinkedQueue<>();
    try (ConsumerRunner<String, String> runner =
        ConsumerRunner.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .groupId(names.groupId())
            .topics(topic)
            .meterRegistry(new SimpleMeterRegistry())
            .mdc(mdc)
            .strategy(Strategy.multiWorker(4, Ordering.KEY))
            .handler(
                record -> {
                  seen.add(Seen.of(record, tracing));
                  headerCounts.add(record.headers().toArray().length);
                })
            .build()) {
      runner.start();
      await().atMost(WAIT).until(() -> seen.size() >= 20);
    }
    assertThat(tracing.spans.size()).isEqualTo(spansBefore);
    assertThat(logged(topic)).hasSize(20);
    assertThat(headerCounts).containsOnly(1);
    for (Seen call : seen) {
      assertThat(call.spanTrace()).isNull();
      if (mdc) {
        assertThat(call.mdc())
            .containsEntry(HandlerMdc.OFFSET, Long.toString(call.offset()))
            .doesNotContainKeys("traceId", "spanId");
      } else {
        assertThat(call.mdc()).isEmpty();
      }
    }
  }

  static Stream<Boolean> mdcSettings() {
    return Stream.of(true, false);
  }

  private static List<CapturingLogProvider.Event> logged(String topic) {
    return CapturingLogProvider.EVENTS.stream()
        .filter(event -> event.logger().equals(CapturingLogProvider.CAPTURED + topic))
        .toList();
  }

  private static List<SpanData> processSpans(String topic) {
    return tracing.spansNamed("process " + topic);
  }

  /** Produces records with keys k0..k9, each with a trace context of its own. */
  private static void produceTraced(KafkaCluster kafka, String topic, int count) {
    List<ProducerRecord<String, String>> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      RecordHeaders headers = new RecordHeaders();
      headers.add("traceparent", TestTracing.newTraceparent().getBytes(StandardCharsets.UTF_8));
      records.add(new ProducerRecord<>(topic, null, "k" + (i % 10), "v" + i, headers));
    }
    TestRecords.of(kafka).produce(records);
  }

  /**
   * Four workers whose MDC holds a value of their own outside calls: a call must show its record's
   * topic instead, and after each task the worker's MDC must be exactly as before.
   */
  private static ExecutorService sentinelPool(Queue<Map<String, String>> between) {
    return new ThreadPoolExecutor(4, 4, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>()) {
      @Override
      protected void beforeExecute(Thread thread, Runnable task) {
        MDC.clear();
        MDC.put(HandlerMdc.TOPIC, SENTINEL);
      }

      @Override
      protected void afterExecute(Runnable task, Throwable error) {
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        between.add(mdc == null ? Map.of() : mdc);
        MDC.clear();
      }
    };
  }
}
