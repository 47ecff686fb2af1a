package dev.kafkasdk.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import dev.kafkasdk.test.TestRecords;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Producer tracing end to end, with Micrometer Tracing's OpenTelemetry bridge and the W3C
 * propagator, on a real broker: the {@code traceparent} header of the record a consumer reads names
 * the send's span, for plain and transactional sends; a failed send's span carries the error.
 */
@KafkaTest
class ProducerTracingTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final EndedSpans spans = new EndedSpans();
  private final SdkTracerProvider provider =
      SdkTracerProvider.builder().setSampler(Sampler.alwaysOn()).addSpanProcessor(spans).build();
  private final ObservationRegistry observations = tracingRegistry();

  @AfterEach
  void closeTracer() {
    provider.close();
  }

  @Test
  void theRecordAConsumerReadsCarriesTheTraceAndSpanOfItsSend(KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 2, 1);
    RecordMetadata sent;
    try (ReliableProducer<String, String> producer =
        builder(kafka).clientId("traced").observationRegistry(observations).build()) {
      sent =
          Observation.createNotStarted("order", observations)
              .observe(
                  () -> producer.sendAndWait(new ProducerRecord<>(names.topic(), "k", "v"), WAIT));
    }
    try (ReliableProducer<String, String> untraced = builder(kafka).build()) {
      untraced.sendAndWait(new ProducerRecord<>(names.topic(), "k", "untraced"), WAIT);
    }

    SpanData parent = named(spans.spans(), "order");
    SpanData send = named(spans.spans(), "send " + names.topic());
    assertThat(send.getKind()).isEqualTo(SpanKind.PRODUCER);
    assertThat(send.getParentSpanId())
        .as("the send is a child of the observation open when it was sent")
        .isEqualTo(parent.getSpanId());
    assertThat(send.getTraceId()).isEqualTo(parent.getTraceId());
    assertThat(send.getAttributes().get(AttributeKey.stringKey("messaging.system")))
        .isEqualTo("kafka");
    assertThat(send.getAttributes().get(AttributeKey.stringKey("messaging.destination.name")))
        .isEqualTo(names.topic());
    assertThat(send.getAttributes().get(AttributeKey.stringKey("messaging.client.id")))
        .isEqualTo("traced");
    assertThat(send.getAttributes().get(AttributeKey.stringKey("messaging.kafka.offset")))
        .isEqualTo(Long.toString(sent.offset()));
    assertThat(
            send.getAttributes().get(AttributeKey.stringKey("messaging.destination.partition.id")))
        .isEqualTo(Integer.toString(sent.partition()));

    List<ConsumerRecord<String, String>> read =
        TestRecords.of(kafka).consume(names.topic(), 2, WAIT);
    ConsumerRecord<String, String> traced = value(read, "v");
    assertThat(traced.headers().headers("traceparent")).hasSize(1);
    assertThat(text(traced.headers().lastHeader("traceparent"))).isEqualTo(traceparent(send));
    assertThat(value(read, "untraced").headers().toArray())
        .as("a producer without a registry adds no header")
        .isEmpty();
  }

  @Test
  void eachSendOfATransactionIsASpanOfTheCallersTrace(KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 1, 1);
    try (TransactionalProducer<String, String> producer =
        builder(kafka)
            .observationRegistry(observations)
            .transactional(names.transactionalId())
            .build()) {
      Observation.createNotStarted("batch", observations)
          .observe(
              () ->
                  producer.inTransaction(
                      tx -> {
                        tx.send(names.topic(), "a", "1");
                        tx.send(names.topic(), "b", "2");
                      }));
    }

    List<SpanData> sends =
        spans.spans().stream()
            .filter(span -> span.getName().equals("send " + names.topic()))
            .toList();
    SpanData parent = named(spans.spans(), "batch");
    assertThat(sends).hasSize(2);
    assertThat(sends).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(parent.getTraceId()));
    assertThat(TestRecords.of(kafka).readCommitted(names.topic(), WAIT))
        .extracting(r -> text(r.headers().lastHeader("traceparent")))
        .containsExactlyInAnyOrderElementsOf(
            sends.stream().map(ProducerTracingTest::traceparent).toList());
  }

  @Test
  void aFailedSendEndsItsSpanWithTheError(KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 1, 1);
    try (ReliableProducer<String, String> producer =
        builder(kafka)
            .property("max.request.size", 1024)
            .observationRegistry(observations)
            .build()) {
      assertThatThrownBy(
              () ->
                  producer.sendAndWait(
                      new ProducerRecord<>(names.topic(), "k", "x".repeat(4096)), WAIT))
          .isInstanceOf(ProducerSendException.class)
          .hasCauseInstanceOf(RecordTooLargeException.class);
    }

    SpanData send = named(spans.spans(), "send " + names.topic());
    assertThat(send.hasEnded()).isTrue();
    assertThat(send.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(send.getEvents())
        .anySatisfy(event -> assertThat(event.getName()).isEqualTo("exception"));
  }

  /** Keeps every ended span. */
  private static final class EndedSpans implements SpanProcessor {
    private final ConcurrentLinkedQueue<SpanData> ended = new ConcurrentLinkedQueue<>();

    List<SpanData> spans() {
      return List.copyOf(ended);
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
      ended.add(span.toSpanData());
    }

    @Override
    public boolean isEndRequired() {
      return true;
    }
  }

  private ObservationRegistry tracingRegistry() {
    ContextPropagators w3c = ContextPropagators.create(W3CTraceContextPropagator.getInstance());
    io.opentelemetry.api.trace.Tracer otel = provider.get("ksdk-test");
    OtelCurrentTraceContext current = new OtelCurrentTraceContext();
    OtelTracer tracer =
        new OtelTracer(
            otel, current, event -> {}, new OtelBaggageManager(current, List.of(), List.of()));
    ObservationRegistry registry = ObservationRegistry.create();
    registry
        .observationConfig()
        .observationHandler(
            new ObservationHandler.FirstMatchingCompositeObservationHandler(
                new PropagatingSenderTracingObservationHandler<>(
                    tracer, new OtelPropagator(w3c, otel)),
                new DefaultTracingObservationHandler(tracer)));
    return registry;
  }

  private static ReliableProducer.Builder<String, String> builder(KafkaCluster kafka) {
    return ReliableProducer.builder(new StringSerializer(), new StringSerializer())
        .bootstrapServers(kafka.bootstrapServers());
  }

  private static SpanData named(List<SpanData> all, String name) {
    List<SpanData> matching = all.stream().filter(s -> s.getName().equals(name)).toList();
    assertThat(matching).as("spans named " + name).hasSize(1);
    return matching.get(0);
  }

  /** The W3C header value that names this span (version 00). */
  private static String traceparent(SpanData span) {
    return "00-"
        + span.getTraceId()
        + "-"
        + span.getSpanId()
        + "-"
        + span.getSpanContext().getTraceFlags().asHex();
  }

  private static ConsumerRecord<String, String> value(
      List<ConsumerRecord<String, String>> records, String value) {
    return records.stream().filter(r -> value.equals(r.value())).findFirst().orElseThrow();
  }

  private static String text(Header header) {
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
