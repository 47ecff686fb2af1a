package dev.kafkasdk.consumer;

import static dev.kafkasdk.consumer.KafkaFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@KafkaTest
class MetricsTest {

  @Test
  void runnerMetersAndClientMetricsAreRegisteredAndRemovedOnClose(
      KafkaCluster kafka, TestNames names) throws Exception {
    kafka.createTopic(names.topic(), 2, 1);
    KafkaFixtures.produceKeyed(kafka, names.topic(), 100, 5);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ConsumerRunner<String, String> runner =
        ConsumerRunner.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .groupId(names.groupId())
            .topics(names.topic())
            .name("metrics-runner")
            .commitInterval(Duration.ofMillis(200))
            .meterRegistry(registry)
            .handler(record -> {})
            .build();
    runner.start();
    await()
        .atMost(WAIT)
        .until(
            () ->
                registry
                        .get(ConsumerMeters.RECORDS)
                        .tag(ConsumerMeters.TAG_OUTCOME, "success")
                        .counter()
                        .count()
                    == 100);
    await()
        .atMost(WAIT)
        .until(
            () ->
                registry
                        .get(ConsumerMeters.COMMIT)
                        .tag(ConsumerMeters.TAG_MODE, "async")
                        .tag(ConsumerMeters.TAG_RESULT, "success")
                        .timer()
                        .count()
                    > 0);
    assertThat(registry.get(ConsumerMeters.PROCESS).tag("outcome", "success").timer().count())
        .isEqualTo(100);
    assertThat(
            registry
                .get(ConsumerMeters.REBALANCE_PARTITIONS)
                .tag(ConsumerMeters.TAG_EVENT, "assigned")
                .counter()
                .count())
        .isEqualTo(2);
    for (String gauge :
        new String[] {
          ConsumerMeters.IN_FLIGHT,
          ConsumerMeters.QUEUED,
          ConsumerMeters.PARTITIONS_PAUSED,
          ConsumerMeters.LAG
        }) {
      assertThat(registry.get(gauge).tag(ConsumerMeters.TAG_RUNNER, "metrics-runner").gauge())
          .as(gauge)
          .isNotNull();
    }
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(registry.get(ConsumerMeters.LAG).gauge().value()).isZero());
    assertThat(registry.find(ConsumerMeters.HANDLER_SLOW).counter()).isNotNull();
    assertThat(registry.getMeters())
        .as("KafkaClientMetrics is bound to the consumer")
        .anyMatch(m -> m.getId().getName().startsWith("kafka.consumer."));

    runner.close();

    assertThat(registry.getMeters())
        .as("every runner and client meter is removed when the runner stops")
        .noneMatch(MetricsTest::runnerOrClientMeter);
  }

  @Test
  // The runners are closed early on purpose; try-with-resources only cleans up after a failure.
  @SuppressWarnings("try")
  void twoRunningRunnersWithOneNameGetDistinctMeters(KafkaCluster kafka, TestNames names)
      throws Exception {
    kafka.createTopic(names.topic(), 2, 1);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ConsumerRunner.Builder<String, String> builder =
        ConsumerRunner.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .groupId(names.groupId())
            .topics(names.topic())
            .meterRegistry(registry)
            .handler(record -> {});
    try (ConsumerRunner<String, String> first = builder.build();
        ConsumerRunner<String, String> second = builder.build()) {
      first.start();
      second.start();
      assertThat(first.name()).isEqualTo(names.groupId());
      assertThat(second.name()).isEqualTo(names.groupId() + "-2");
      assertThat(registry.find(ConsumerMeters.IN_FLIGHT).gauges()).hasSize(2);
      first.close();
      assertThat(registry.find(ConsumerMeters.IN_FLIGHT).gauges())
          .singleElement()
          .satisfies(
              gauge ->
                  assertThat(gauge.getId().getTag(ConsumerMeters.TAG_RUNNER))
                      .isEqualTo(names.groupId() + "-2"));
    }
  }

  private static boolean runnerOrClientMeter(Meter meter) {
    String name = meter.getId().getName();
    return name.startsWith("ksdk.consumer.") || name.startsWith("kafka.consumer.");
  }
}
