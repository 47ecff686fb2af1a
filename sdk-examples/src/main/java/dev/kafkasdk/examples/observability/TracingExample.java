package dev.kafkasdk.examples.observability;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.consumer.Strategy;
import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.test.KafkaCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Follows orders from the application's checkout through the topic into the handler in one trace:
 * Micrometer Tracing over the OpenTelemetry SDK with W3C propagation, one {@link
 * ObservationRegistry} given to the producer and the runner. Each order is sent inside the
 * application's own {@code checkout} observation; the producer's send span (a child of it) writes
 * its context into the record's {@code traceparent} header, and the runner calls the handler, on a
 * worker thread, inside a {@code process <topic>} span whose parent is that send span. The handler
 * prints the trace id it runs in, which is the checkout's.
 *
 * <p>A real application registers an exporter (OTLP, Zipkin) on the {@code SdkTracerProvider}, or
 * lets Spring Boot build the registry; this example keeps finished spans in memory and prints them.
 *
 * <pre>
 * mvn -B -q -Pdemo -pl sdk-examples -am package \
 *     -Ddemo.main=dev.kafkasdk.examples.observability.TracingExample
 * </pre>
 */
public final class TracingExample {
  private TracingExample() {}

  /**
   * What one order's trace looked like.
   *
   * @param order the order id
   * @param checkoutTraceId the trace id of the checkout that sent it
   * @param handlerTraceId the trace id of the span the handler ran in
   * @param handlerThread the thread that ran the handler
   */
  public record OrderTrace(
      String order, String checkoutTraceId, String handlerTraceId, String handlerThread) {}

  /**
   * The run's outcome.
   *
   * @param orders one entry per order
   * @param spanNames the names of every finished span, in the order they ended
   */
  public record Result(List<OrderTrace> orders, List<String> spanNames) {}

  /**
   * Sends {@code count} orders, each in a checkout trace of its own, and waits until the handler
   * has seen every one.
   *
   * @param kafka the cluster
   * @param count how many orders
   * @return what each order's trace looked like
   * @throws InterruptedException if interrupted while waiting for the handler
   */
  public static Result run(KafkaCluster kafka, int count) throws InterruptedException {
    String topic = "orders-" + UUID.randomUUID();
    kafka.createTopic(topic, 3, 1);
    List<String> spanNames = new CopyOnWriteArrayList<>();
    SdkTracerProvider provider =
        SdkTracerProvider.builder().addSpanProcessor(new NameCollector(spanNames)).build();
    try {
      io.opentelemetry.api.trace.Tracer otel = provider.get("tracing-example");
      OtelCurrentTraceContext current = new OtelCurrentTraceContext();
      OtelTracer tracer =
          new OtelTracer(
              otel, current, event -> {}, new OtelBaggageManager(current, List.of(), List.of()));
      OtelPropagator propagator =
          new OtelPropagator(
              ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel);
      ObservationRegistry observations = ObservationRegistry.create();
      observations
          .observationConfig()
          .observationHandler(
              new ObservationHandler.FirstMatchingCompositeObservationHandler(
                  new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                  new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                  new DefaultTracingObservationHandler(tracer)));

      Map<String, String> checkoutTraces = new ConcurrentHashMap<>();
      Map<String, OrderTrace> seen = new ConcurrentHashMap<>();
      CountDownLatch handled = new CountDownLatch(count);
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      try (ReliableProducer<String, String> producer =
              ReliableProducer.builder(new StringSerializer(), new StringSerializer())
                  .bootstrapServers(kafka.bootstrapServers())
                  .meterRegistry(meters)
                  .observationRegistry(observations)
                  .build();
          ConsumerRunner<String, String> runner =
              ConsumerRunner.builder(new StringDeserializer(), new StringDeserializer())
                  .bootstrapServers(kafka.bootstrapServers())
                  .groupId("tracing-" + topic)
                  .name("orders")
                  .topics(topic)
                  .strategy(Strategy.multiWorker(4, Ordering.KEY))
                  .meterRegistry(meters)
                  .observationRegistry(observations)
                  .handler(
                      record -> {
                        Span span = tracer.currentSpan();
                        String traceId = span == null ? null : span.context().traceId();
                        System.out.printf(
                            "handler: %s in trace %s on %s%n",
                            record.value(), traceId, Thread.currentThread().getName());
                        OrderTrace trace =
                            new OrderTrace(
                                record.value(),
                                checkoutTraces.get(record.value()),
                                traceId,
                                Thread.currentThread().getName());
                        if (seen.putIfAbsent(record.value(), trace) == null) {
                          handled.countDown();
                        }
                      })
                  .build()) {
        runner.start();
        for (int i = 0; i < count; i++) {
          String order = "order-" + i;
          String customer = "customer-" + (i % 5);
          // The application's own unit of work; the send and the handler call join its trace.
          Observation.createNotStarted("checkout", observations)
              .observe(
                  () -> {
                    String traceId = tracer.currentSpan().context().traceId();
                    checkoutTraces.put(order, traceId);
                    System.out.printf("checkout: %s in trace %s%n", order, traceId);
                    producer.send(new ProducerRecord<>(topic, customer, order));
                  });
        }
        producer.flush();
        if (!handled.await(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException(
              "only " + seen.size() + " of " + count + " orders handled within 60 s");
        }
      }
      return new Result(List.copyOf(seen.values()), List.copyOf(spanNames));
    } finally {
      provider.close();
    }
  }

  /**
   * Runs the example against an embedded cluster.
   *
   * @param args optional order count, default 5
   * @throws InterruptedException if interrupted while waiting for the handler
   */
  public static void main(String[] args) throws InterruptedException {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    try (KafkaCluster kafka = KafkaCluster.builder().start()) {
      Result result = run(kafka, count);
      System.out.println("finished spans: " + result.spanNames());
    }
  }

  /** Keeps the name of every span that ends; a real application exports them instead. */
  private static final class NameCollector implements SpanProcessor {
    private final List<String> names;

    NameCollector(List<String> names) {
      this.names = names;
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
      names.add(span.getName());
    }

    @Override
    public boolean isEndRequired() {
      return true;
    }
  }
}
