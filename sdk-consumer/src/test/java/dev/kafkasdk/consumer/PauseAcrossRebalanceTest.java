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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A runner at its in-flight limit (handlers blocked, partitions paused) goes through a rebalance:
 * the partition it keeps must stay paused, so the bound still holds afterwards.
 */
@KafkaTest
class PauseAcrossRebalanceTest {
  private static final int PER_PARTITION = 10;

  /**
   * The protocols: classic (the client's default) in the quick run, both in the full run ({@code
   * -Dkafkasdk.tests=full}).
   */
  static Stream<String> protocols() {
    return TestSizes.full() ? Stream.of("classic", "consumer") : Stream.of("classic");
  }

  @ParameterizedTest
  @MethodSource("protocols")
  void pausesSurviveARebalance(String protocol, KafkaCluster kafka, TestNames names)
      throws Exception {
    kafka.createTopic(names.topic(), 2, 1);
    KafkaFixtures.produceToPartition(kafka, names.topic(), 0, PER_PARTITION);
    KafkaFixtures.produceToPartition(kafka, names.topic(), 1, PER_PARTITION);
    CountDownLatch release = new CountDownLatch(1);
    Set<String> processed = ConcurrentHashMap.newKeySet();
    SimpleMeterRegistry registryA = new SimpleMeterRegistry();
    try (Admin admin = KafkaFixtures.admin(kafka);
        ConsumerRunner<String, String> a =
            runner(kafka, names, protocol, "a", registryA, release, processed);
        ConsumerRunner<String, String> b =
            runner(kafka, names, protocol, "b", new SimpleMeterRegistry(), release, processed)) {
      a.start();
      // Two records per partition in flight (one running, one queued): both partitions paused.
      await().atMost(WAIT).until(() -> paused(registryA) == 2.0);
      assertThat(a.highWaterInFlight()).isEqualTo(4);

      b.start();
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                assertThat(a.assignment()).hasSize(1);
                assertThat(b.assignment()).hasSize(1);
              });
      // The kept partition still has its two records in flight and stays paused; had the pause
      // been lost, A would fetch past its limit while the handlers are blocked.
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(30))
          .until(() -> paused(registryA) == 1.0 && a.highWaterInFlight() <= 4);

      release.countDown();
      Map<TopicPartition, Long> end = KafkaFixtures.endOffsets(admin, names.topic(), 2);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(KafkaFixtures.committed(admin, names.groupId())).isEqualTo(end));
      assertThat(processed).hasSize(2 * PER_PARTITION);
      assertThat(a.highWaterInFlight()).isLessThanOrEqualTo(4);
    }
  }

  private static double paused(SimpleMeterRegistry registry) {
    return registry.get(ConsumerMeters.PARTITIONS_PAUSED).gauge().value();
  }

  private static ConsumerRunner<String, String> runner(
      KafkaCluster kafka,
      TestNames names,
      String protocol,
      String name,
      SimpleMeterRegistry registry,
      CountDownLatch release,
      Set<String> processed) {
    return KafkaFixtures.member(kafka, names, protocol, name)
        .strategy(Strategy.multiWorker(4, Ordering.PARTITION))
        .maxInFlight(4)
        .maxInFlightPerPartition(2)
        .revocationTimeout(Duration.ofSeconds(1))
        .closeTimeout(Duration.ofSeconds(5))
        .meterRegistry(registry)
        .handler(
            record -> {
              release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
              processed.add(record.value());
            })
        .build();
  }
}
