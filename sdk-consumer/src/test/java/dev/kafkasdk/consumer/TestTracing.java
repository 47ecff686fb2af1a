package dev.kafkasdk.consumer;

import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.EventPublishingContextWrapper;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.micrometer.tracing.otel.bridge.Slf4JEventListener;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextStorage;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Micrometer Tracing over the OpenTelemetry SDK, the way an application wires it: W3C propagation,
 * the tracing observation handlers, and the SLF4J event listener that puts {@code traceId} and
 * {@code spanId} in the MDC. Ended spans are kept in memory.
 */
final class TestTracing implements AutoCloseable {
  static {
    // Once per JVM and before OpenTelemetry's context storage is first used: the hook through
    // which Micrometer Tracing's SLF4J listener sees scopes open and close.
    Slf4JEventListener mdc = new Slf4JEventListener();
    ContextStorage.addWrapper(new EventPublishingContextWrapper(mdc::onEvent));
  }

  final List<SpanData> spans = new CopyOnWriteArrayList<>();
  final OtelTracer tracer;
  final ObservationRegistry registry = ObservationRegistry.create();
  private final SdkTracerProvider provider;

  TestTracing() {
    provider = SdkTracerProvider.builder().addSpanProcessor(new Collector()).build();
    io.opentelemetry.api.trace.Tracer otel = provider.get("ksdk-test");
    OtelCurrentTraceContext current = new OtelCurrentTraceContext();
    tracer =
        new OtelTracer(
            otel, current, event -> {}, new OtelBaggageManager(current, List.of(), List.of()));
    OtelPropagator propagator =
        new OtelPropagator(
            ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel);
    registry
        .observationConfig()
        .observationHandler(
            new ObservationHandler.FirstMatchingCompositeObservationHandler(
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                new DefaultTracingObservationHandler(tracer)));
  }

  /** A new W3C {@code traceparent} value with a random trace id and span id, sampled. */
  static String newTraceparent() {
    byte[] trace = new byte[16];
    byte[] span = new byte[8];
    ThreadLocalRandom.current().nextBytes(trace);
    ThreadLocalRandom.current().nextBytes(span);
    HexFormat hex = HexFormat.of();
    return "00-" + hex.formatHex(trace) + "-" + hex.formatHex(span) + "-01";
  }

  static String traceId(String traceparent) {
    return traceparent.split("-")[1];
  }

  static String spanId(String traceparent) {
    return traceparent.split("-")[2];
  }

  static String header(ConsumerRecord<?, ?> record, String name) {
    return header(record.headers(), name);
  }

  static String header(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** The trace id of the span in scope on this thread, or null. */
  String currentTraceId() {
    Span span = tracer.currentSpan();
    return span == null ? null : span.context().traceId();
  }

  /** The span id of the span in scope on this thread, or null. */
  String currentSpanId() {
    Span span = tracer.currentSpan();
    return span == null ? null : span.context().spanId();
  }

  List<SpanData> spansNamed(String name) {
    return spans.stream().filter(s -> s.getName().equals(name)).collect(Collectors.toList());
  }

  @Override
  public void close() {
    provider.close();
  }

  private final class Collector implements SpanProcessor {
    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
      spans.add(span.toSpanData());
    }

    @Override
    public boolean isEndRequired() {
      return true;
    }
  }
}
