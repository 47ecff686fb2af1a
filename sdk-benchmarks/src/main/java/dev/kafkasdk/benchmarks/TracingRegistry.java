package dev.kafkasdk.benchmarks;

import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.List;

/**
 * An observation registry that turns every observation into a sampled OpenTelemetry span and
 * propagates it as W3C {@code traceparent}, as an application with Micrometer Tracing would. Spans
 * are recorded but not exported: the figure is the SDK's and the tracer's cost per record, not a
 * backend's.
 */
final class TracingRegistry implements AutoCloseable {
  private final SdkTracerProvider provider =
      SdkTracerProvider.builder().setSampler(Sampler.alwaysOn()).build();
  private final ObservationRegistry registry = ObservationRegistry.create();

  TracingRegistry() {
    Tracer otel = provider.get("ksdk-benchmarks");
    OtelCurrentTraceContext current = new OtelCurrentTraceContext();
    OtelTracer tracer =
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
                new DefaultTracingObservationHandler(tracer)));
  }

  ObservationRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    provider.close();
  }
}
