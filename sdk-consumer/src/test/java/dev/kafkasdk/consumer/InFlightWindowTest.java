package dev.kafkasdk.consumer;

import static dev.kafkasdk.consumer.KafkaFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The in-flight limits left at their defaults grow while the handler is cheap and stay put while it
 * is slow. Each case holds one record's handler call until the poll thread has read as far ahead as
 * the limits in force let it: the records behind it then sit in flight, which is what the limits
 * bound. A held call is not timed until it returns, so the handler speed the runner measured before
 * it decides the window.
 */
@KafkaTest
class InFlightWindowTest {
  private static final int DEFAULT_PER_PARTITION = 1000;
  private static final int DEFAULT_TOTAL = 5000;

  @Test
  void aCheapHandlerGrowsTheDefaultLimitsWithinEightTimesAndLosesNothing(
      KafkaCluster kafka, TestNames names) throws Exception {
    int count = 40_000;
    kafka.createTopic(names.topic(), 1, 1);
    KafkaFixtures.produceToPartition(kafka, names.topic(), 0, count);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    // The typical time per record starts at the first run's, on a cold JVM, and comes down by an
    // eighth of the difference per run of up to 512 records: 20,000 records are about 40 runs.
    Held held = new Held(20_000);
    try (Admin admin = KafkaFixtures.admin(kafka);
        ConsumerRunner<String, String> runner =
            runner(kafka, names, registry, held::handle).build()) {
      runner.start();
      assertThat(held.started.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                assertThat(runner.highWaterInFlight()).isGreaterThan(DEFAULT_PER_PARTITION);
                assertThat(limitInForce(registry)).isGreaterThan(DEFAULT_TOTAL);
              });
      held.release.countDown();

      await().atMost(WAIT).until(() -> held.calls.size() == count);
      Map<TopicPartition, Long> end = KafkaFixtures.endOffsets(admin, names.topic(), 1);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(KafkaFixtures.committed(admin, names.groupId())).isEqualTo(end));
      assertThat(held.calls.values()).allSatisfy(calls -> assertThat(calls).hasValue(1));
      assertThat(runner.highWaterInFlight()).isLessThanOrEqualTo(8 * DEFAULT_PER_PARTITION);
    }
  }

  @Test
  void aSlowHandlerKeepsTheDefaultLimits(KafkaCluster kafka, TestNames names) throws Exception {
    int count = 1_500;
    kafka.createTopic(names.topic(), 1, 1);
    KafkaFixtures.produceToPartition(kafka, names.topic(), 0, count);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    // Every record takes 2 ms: before the held one, the first run (64 records, before the speed is
    // known) and ten runs of one record. 100 ms of handler time hold 50 records, far below the
    // defaults.
    Held held = new Held(74, TimeUnit.MILLISECONDS.toNanos(2));
    try (ConsumerRunner<String, String> runner =
        runner(kafka, names, registry, held::handle).build()) {
      runner.start();
      assertThat(held.started.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      await().atMost(WAIT).until(() -> runner.highWaterInFlight() >= DEFAULT_PER_PARTITION);
      await()
          .during(Duration.ofSeconds(2))
          .atMost(WAIT)
          .until(
              () ->
                  runner.highWaterInFlight() == DEFAULT_PER_PARTITION
                      && limitInForce(registry) == DEFAULT_TOTAL);
      held.release.countDown();

      await().atMost(WAIT).until(() -> held.calls.size() == count);
      assertThat(held.calls.values()).allSatisfy(calls -> assertThat(calls).hasValue(1));
      assertThat(runner.highWaterInFlight()).isEqualTo(DEFAULT_PER_PARTITION);
    }
  }

  private static ConsumerRunner.Builder<String, String> runner(
      KafkaCluster kafka,
      TestNames names,
      SimpleMeterRegistry registry,
      RecordHandler<String, String> handler) {
    return ConsumerRunner.builder()
        .bootstrapServers(kafka.bootstrapServers())
        .groupId(names.groupId())
        .topics(names.topic())
        .strategy(Strategy.multiWorker(2, Ordering.PARTITION))
        .meterRegistry(registry)
        .handler(handler);
  }

  private static double limitInForce(SimpleMeterRegistry registry) {
    return registry.get(ConsumerMeters.IN_FLIGHT_LIMIT).gauge().value();
  }

  /** A handler that counts calls, takes {@code nanos} before {@code heldOffset} and holds it. */
  private static final class Held {
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final long heldOffset;
    private final long nanos;

    Held(long heldOffset) {
      this(heldOffset, 0);
    }

    Held(long heldOffset, long nanos) {
      this.heldOffset = heldOffset;
      this.nanos = nanos;
    }

    void handle(ConsumerRecord<String, String> record) throws InterruptedException {
      if (record.offset() == heldOffset) {
        started.countDown();
        release.await();
      } else if (nanos > 0) {
        // Simulated work of a slow handler, not a wait of the test.
        LockSupport.parkNanos(nanos);
      }
      calls.computeIfAbsent(record.value(), v -> new AtomicInteger()).incrementAndGet();
    }
  }
}
