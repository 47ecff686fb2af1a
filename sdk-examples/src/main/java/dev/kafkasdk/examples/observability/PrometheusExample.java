package dev.kafkasdk.examples.observability;

import com.sun.net.httpserver.HttpServer;
import dev.kafkasdk.consumer.ConsumerMeters;
import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.FailureAction;
import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.consumer.RetryPolicy;
import dev.kafkasdk.consumer.Strategy;
import dev.kafkasdk.producer.ProducerMeters;
import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.test.KafkaCluster;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Exposes the SDK's meters to Prometheus: a producer writes orders and a runner processes them
 * (retrying a flaky one, dead-lettering an invalid one, behind a circuit breaker), both recording
 * to one {@link PrometheusMeterRegistry} that an HTTP server publishes at {@code /metrics}, the
 * endpoint a Prometheus scrape job and {@code docs/dashboards/ksdk-overview.json} read.
 *
 * <p>Two things a production setup needs as well: give every SDK component the same registry (or
 * add it to {@code Metrics.globalRegistry}), and turn on histogram buckets for the handler and send
 * timers with a {@link MeterFilter} before the components register their meters, or the dashboard's
 * percentile panels stay empty (Micrometer publishes no buckets by default).
 *
 * <pre>
 * mvn -B -q -Pdemo -pl sdk-examples -am package \
 *     -Ddemo.main=dev.kafkasdk.examples.observability.PrometheusExample -Ddemo.args=9464
 * curl -s localhost:9464/metrics | grep ksdk_
 * </pre>
 */
public final class PrometheusExample implements AutoCloseable {
  private final PrometheusMeterRegistry registry;
  private final HttpServer server;
  private final ReliableProducer<String, String> producer;
  private final ConsumerRunner<String, String> runner;
  private final String topic;
  private final AtomicInteger processed = new AtomicInteger();
  private final Set<String> flakySeen = ConcurrentHashMap.newKeySet();

  private PrometheusExample(KafkaCluster kafka, int port) throws IOException {
    topic = "orders-" + UUID.randomUUID();
    kafka.createTopic(topic, 3, 1);
    kafka.createTopic(topic + ".DLT", 1, 1);
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(histogramsFor(ConsumerMeters.PROCESS, ProducerMeters.SEND));
    server = HttpServer.create(new InetSocketAddress("localhost", port), 0);
    server.createContext(
        "/metrics",
        exchange -> {
          byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
          exchange
              .getResponseHeaders()
              .set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    producer =
        ReliableProducer.builder(new StringSerializer(), new StringSerializer())
            .bootstrapServers(kafka.bootstrapServers())
            .clientId("orders-producer")
            .meterRegistry(registry)
            .build();
    runner =
        ConsumerRunner.builder(new StringDeserializer(), new StringDeserializer())
            .bootstrapServers(kafka.bootstrapServers())
            .groupId("orders-" + topic)
            .name("orders")
            .topics(topic)
            .strategy(Strategy.multiWorker(4, Ordering.KEY))
            .meterRegistry(registry)
            .retry(
                RetryPolicy.builder()
                    .maxAttempts(3)
                    .backoff(IntervalFunction.of(Duration.ofMillis(50)))
                    .nonRetryable(IllegalArgumentException.class)
                    .build())
            .onFailure(FailureAction.deadLetter())
            .circuitBreaker(CircuitBreakerConfig.ofDefaults())
            .handler(
                record -> {
                  if (record.value().startsWith("invalid")) {
                    throw new IllegalArgumentException("not an order: " + record.value());
                  }
                  if (record.value().startsWith("flaky") && flakySeen.add(record.value())) {
                    throw new IllegalStateException("inventory service timed out");
                  }
                  processed.incrementAndGet();
                })
            .build();
    runner.start();
  }

  /**
   * Starts the server, the producer and the runner.
   *
   * @param kafka the cluster
   * @param port the port of the {@code /metrics} endpoint; 0 picks a free one
   * @return the running example; close it when done
   * @throws IOException if the port cannot be bound
   */
  public static PrometheusExample start(KafkaCluster kafka, int port) throws IOException {
    return new PrometheusExample(kafka, port);
  }

  /**
   * Sends orders: every tenth is flaky (fails once, then succeeds on a retry) and one is invalid
   * (dead-lettered), so the retry and dead-letter meters move too.
   *
   * @param count how many orders
   * @return how many the handler will eventually process successfully ({@code count - 1})
   */
  public int sendOrders(int count) {
    for (int i = 0; i < count; i++) {
      String value = i == count / 2 ? "invalid-" + i : i % 10 == 3 ? "flaky-" + i : "order-" + i;
      producer.send(new ProducerRecord<>(topic, "customer-" + (i % 7), value));
    }
    producer.flush();
    return count - 1;
  }

  /**
   * Returns how many orders the handler has processed successfully.
   *
   * @return the count
   */
  public int processed() {
    return processed.get();
  }

  /**
   * Returns the address Prometheus scrapes.
   *
   * @return {@code http://localhost:<port>/metrics}
   */
  public URI metricsUri() {
    return URI.create("http://localhost:" + server.getAddress().getPort() + "/metrics");
  }

  @Override
  public void close() {
    runner.close();
    producer.close();
    server.stop(0);
    registry.close();
  }

  /**
   * Publishes histogram buckets for the named timers, which {@code histogram_quantile} needs.
   * Micrometer's Prometheus registry then also writes {@code <name>_seconds_bucket} series.
   */
  private static MeterFilter histogramsFor(String... names) {
    Set<String> timers = Set.of(names);
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(
          Meter.Id id, DistributionStatisticConfig config) {
        if (!timers.contains(id.getName())) {
          return config;
        }
        return DistributionStatisticConfig.builder()
            .percentilesHistogram(true)
            .build()
            .merge(config);
      }
    };
  }

  /**
   * Runs the example against an embedded cluster and serves {@code /metrics} until interrupted.
   *
   * @param args optional port, default 9464
   * @throws Exception if the cluster or the server cannot start
   */
  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 9464;
    try (KafkaCluster kafka = KafkaCluster.builder().start();
        PrometheusExample example = start(kafka, port)) {
      System.out.println("Scrape " + example.metricsUri() + " (Ctrl-C to stop)");
      while (!Thread.currentThread().isInterrupted()) {
        example.sendOrders(100);
        // A steady trickle of orders, so rates on the dashboard stay above zero.
        Thread.sleep(1_000);
      }
    }
  }
}
