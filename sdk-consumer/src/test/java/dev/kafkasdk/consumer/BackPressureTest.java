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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Handlers far slower than {@code max.poll.interval.ms} allows for a whole poll's worth of records:
 * the runner keeps polling with paused partitions, so the member is never evicted (no partition is
 * lost or revoked, no record is processed twice) and the in-flight bound holds.
 */
@KafkaTest
class BackPressureTest {
  /**
   * Short enough that a runner which waited for its handlers inside the poll loop would be evicted
   * (the slow work below takes longer), long enough to leave slack on a loaded 2-core CI machine.
   */
  private static final int MAX_POLL_INTERVAL_MS = 5000;

  @Test
  void multiWorkerWithASlowHandlerIsNeverEvictedAndStaysWithinTheBound(
      KafkaCluster kafka, TestNames names) throws Exception {
    kafka.createTopic(names.topic(), 2, 1);
    KafkaFixtures.produceKeyed(kafka, names.topic(), 100, 10);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    AtomicInteger mostPaused = new AtomicInteger();
    try (Admin admin = KafkaFixtures.admin(kafka);
        ConsumerRunner<String, String> runner =
            ConsumerRunner.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .groupId(names.groupId())
                .topics(names.topic())
                .property("max.poll.interval.ms", MAX_POLL_INTERVAL_MS)
                .strategy(Strategy.multiWorker(2, Ordering.UNORDERED))
                .maxInFlight(6)
                .maxInFlightPerPartition(4)
                .meterRegistry(registry)
                .handler(
                    record -> {
                      mostPaused.accumulateAndGet(
                          (int) registry.get(ConsumerMeters.PARTITIONS_PAUSED).gauge().value(),
                          Math::max);
                      Thread.sleep(150); // 100 records x 150 ms / 2 workers > max.poll.interval.ms
                      calls
                          .computeIfAbsent(record.value(), v -> new AtomicInteger())
                          .incrementAndGet();
                    })
                .build()) {
      runner.start();
      await().atMost(WAIT).until(() -> calls.size() == 100);
      Map<TopicPartition, Long> end = KafkaFixtures.endOffsets(admin, names.topic(), 2);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(KafkaFixtures.committed(admin, names.groupId())).isEqualTo(end));

      assertThat(calls.values()).allSatisfy(count -> assertThat(count).hasValue(1));
      assertThat(rebalanced(registry, "lost")).isZero();
      assertThat(rebalanced(registry, "revoked")).isZero();
      assertThat(rebalanced(registry, "assigned")).isEqualTo(2);
      assertThat(runner.highWaterInFlight()).isBetween(1, 6);
      assertThat(mostPaused.get()).as("back-pressure paused partitions").isPositive();
      assertThat(runner.state()).isEqualTo(ConsumerRunner.State.RUNNING);
    }
  }

  @Test
  void threadPerPartitionReportsASlowHandlerAndIsNeverEvicted(KafkaCluster kafka, TestNames names)
      throws Exception {
    kafka.createTopic(names.topic(), 2, 1);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    Set<String> slowThreads = ConcurrentHashMap.newKeySet();
    try (Admin admin = KafkaFixtures.admin(kafka);
        ConsumerRunner<String, String> runner =
            ConsumerRunner.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .groupId(names.groupId())
                .topics(names.topic())
                .property("max.poll.interval.ms", MAX_POLL_INTERVAL_MS)
                .strategy(Strategy.threadPerPartition())
                .maxInFlight(10)
                .slowHandlerThreshold(Duration.ofMillis(500))
                .meterRegistry(registry)
                .handler(
                    record -> {
                      if (record.offset() == 5) {
                        slowThreads.add(Thread.currentThread().getName());
                        Thread.sleep(6000); // longer than max.poll.interval.ms
                      } else {
                        Thread.sleep(50);
                      }
                      calls
                          .computeIfAbsent(record.value(), v -> new AtomicInteger())
                          .incrementAndGet();
                    })
                .build()) {
      runner.start();
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(runner.assignmentsByConsumer())
                      .hasSize(2)
                      .allSatisfy(assigned -> assertThat(assigned).hasSize(1)));
      double revokedBefore = rebalanced(registry, "revoked");
      KafkaFixtures.produceToPartition(kafka, names.topic(), 0, 40);
      KafkaFixtures.produceToPartition(kafka, names.topic(), 1, 40);
      await().atMost(WAIT).until(() -> calls.size() == 80);
      Map<TopicPartition, Long> end = KafkaFixtures.endOffsets(admin, names.topic(), 2);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(KafkaFixtures.committed(admin, names.groupId())).isEqualTo(end));

      assertThat(calls.values()).allSatisfy(count -> assertThat(count).hasValue(1));
      assertThat(slowThreads).as("each partition has its own processing thread").hasSize(2);
      assertThat(registry.get(ConsumerMeters.HANDLER_SLOW).counter().count()).isEqualTo(2);
      assertThat(rebalanced(registry, "lost")).isZero();
      assertThat(rebalanced(registry, "revoked")).isEqualTo(revokedBefore);
      // The limit of 10 is split between the two consumer threads.
      assertThat(runner.highWaterInFlight()).isBetween(1, 10);
    }
  }

  private static double rebalanced(SimpleMeterRegistry registry, String event) {
    return registry
        .get(ConsumerMeters.REBALANCE_PARTITIONS)
        .tag(ConsumerMeters.TAG_EVENT, event)
        .counter()
        .count();
  }
}
