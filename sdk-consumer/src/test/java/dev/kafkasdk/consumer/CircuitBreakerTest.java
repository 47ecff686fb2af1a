package dev.kafkasdk.consumer;

import static dev.kafkasdk.consumer.KafkaFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The circuit breaker and the rate limiter act by pausing partitions, never by losing records. */
@KafkaTest
class CircuitBreakerTest {
  private static final int PARTITIONS = 2;
  private static final int RECORDS = 200;

  /**
   * The downstream goes "down" for a while: the circuit opens, every partition is paused, no retry
   * runs out (the policy has attempts for the outage) and nothing is dead-lettered; when it is back
   * the circuit closes and every record is processed.
   */
  @Test
  void anOpenCircuitPausesConsumptionWithoutDeadLetteringAndNothingIsLost(
      KafkaCluster kafka, TestNames names) throws Exception {
    String topic = names.topic();
    kafka.createTopic(topic, PARTITIONS, 1);
    kafka.createTopic(topic + ".DLT", 1, 1);
    KafkaFixtures.produceKeyed(kafka, topic, RECORDS, 10);
    AtomicBoolean down = new AtomicBoolean();
    AtomicInteger failedCalls = new AtomicInteger();
    Set<String> processed = ConcurrentHashMap.newKeySet();
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "downstream",
            CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(2)
                .minimumNumberOfCalls(2)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofMillis(500))
                .permittedNumberOfCallsInHalfOpenState(1)
                .build());
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Admin admin = KafkaFixtures.admin(kafka);
        ConsumerRunner<String, String> runner =
            ConsumerRunner.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .groupId(names.groupId())
                .topics(topic)
                .strategy(Strategy.multiWorker(4, Ordering.PARTITION))
                .meterRegistry(registry)
                // Every failed call is an attempt, half-open probes included: enough attempts to
                // ride out the outage (about one probe per 500 ms open wait) without dead letters.
                .retry(
                    RetryPolicy.builder()
                        .maxAttempts(100)
                        .backoff(IntervalFunction.of(Duration.ofMillis(100)))
                        .build())
                .onFailure(FailureAction.deadLetter())
                .circuitBreaker(breaker)
                .handler(
                    record -> {
                      if (down.get()) {
                        failedCalls.incrementAndGet();
                        throw new UncheckedIOException(new IOException("database unreachable"));
                      }
                      processed.add(record.value());
                      Thread.sleep(2);
                    })
                .build()) {
      runner.start();
      await().atMost(WAIT).until(() -> processed.size() >= 40);
      down.set(true);
      await().atMost(WAIT).until(() -> breaker.getState() == CircuitBreaker.State.OPEN);
      await()
          .atMost(WAIT)
          .until(() -> gauge(registry, ConsumerMeters.PARTITIONS_PAUSED) == PARTITIONS);
      assertThat(gauge(registry, ConsumerMeters.CIRCUIT_STATE)).isIn(1.0, 2.0);
      // Stay down through several open/half-open cycles.
      int before = processed.size();
      await().atMost(WAIT).until(() -> breaker.getMetrics().getNumberOfNotPermittedCalls() > 0);
      await().atMost(WAIT).until(() -> failedCalls.get() >= 6);
      assertThat(processed).hasSize(before);
      down.set(false);

      Map<TopicPartition, Long> end = KafkaFixtures.endOffsets(admin, topic, PARTITIONS);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(KafkaFixtures.committed(admin, names.groupId())).isEqualTo(end));
      assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
      assertThat(processed).hasSize(RECORDS);
      assertThat(registry.find(ConsumerMeters.DEAD_LETTERS).counters())
          .allSatisfy(c -> assertThat(c.count()).isZero());
      assertThat(runner.state()).isEqualTo(ConsumerRunner.State.RUNNING);
    }
    assertThat(KafkaFixtures.readDeadLetters(kafka, topic + ".DLT"))
        .as("nothing dead-lettered")
        .isEmpty();
  }

  /** A rate limit delays records without losing or reordering them. */
  @Test
  void aRateLimitPacesTheHandlerWithoutLosingOrReordering(KafkaCluster kafka, TestNames names)
      throws Exception {
    kafka.createTopic(names.topic(), 1, 1);
    KafkaFixtures.produceToPartition(kafka, names.topic(), 0, 60);
    List<Long> offsets = new CopyOnWriteArrayList<>();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AtomicBoolean sawPause = new AtomicBoolean();
    try (ConsumerRunner<String, String> runner =
        ConsumerRunner.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .groupId(names.groupId())
            .topics(names.topic())
            .strategy(Strategy.multiWorker(2, Ordering.PARTITION))
            .meterRegistry(registry)
            .rateLimiter(
                RateLimiterConfig.custom()
                    .limitForPeriod(20)
                    .limitRefreshPeriod(Duration.ofMillis(500))
                    .timeoutDuration(Duration.ZERO)
                    .build())
            .handler(record -> offsets.add(record.offset()))
            .build()) {
      runner.start();
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(20))
          .until(
              () -> {
                if (gauge(registry, ConsumerMeters.PARTITIONS_PAUSED) > 0) {
                  sawPause.set(true);
                }
                return offsets.size() >= 60;
              });
    }
    assertThat(offsets).hasSize(60).isSorted();
    assertThat(sawPause).as("partitions paused while no permit was left").isTrue();
  }

  private static double gauge(SimpleMeterRegistry registry, String name) {
    return registry.get(name).gauge().value();
  }
}
