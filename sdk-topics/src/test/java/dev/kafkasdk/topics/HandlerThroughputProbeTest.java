package dev.kafkasdk.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import dev.kafkasdk.test.TestRecords;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Measures real handlers on the embedded broker. Assertions are about behaviour, never about how
 * fast this machine is: a handler that spends at least 1 ms per record cannot exceed 1,000
 * records/s, whatever the load.
 */
@KafkaTest
class HandlerThroughputProbeTest {
  private static final long ONE_MS = TimeUnit.MILLISECONDS.toNanos(1);

  @Test
  void measuresAHandlerWithAKnownCostAndFeedsThePlanner(KafkaCluster kafka, TestNames names)
      throws Exception {
    String prefix = names.topic("probe");
    AtomicInteger calls = new AtomicInteger();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    HandlerThroughputProbe<String, String> probe =
        HandlerThroughputProbe.builder(kafka.clientConfig(), Serdes.String(), Serdes.String())
            .sample(i -> "customer-" + (i % 50), i -> "order-" + i)
            .records(200)
            .warmupRecords(20)
            .topicPrefix(prefix)
            .meterRegistry(registry)
            .build();

    ThroughputMeasurement measured =
        probe.measure(
            record -> {
              calls.incrementAndGet();
              busyFor(ONE_MS);
            });

    assertThat(calls.get()).isEqualTo(220);
    assertThat(measured.records()).isEqualTo(200);
    assertThat(measured.recordsPerSecond()).isPositive().isLessThanOrEqualTo(1_000.0);
    assertThat(measured.elapsed()).isGreaterThanOrEqualTo(measured.handlerTime());
    assertThat(measured.handlerTime()).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    assertThat(registry.get(TopicMeters.PROBE_THROUGHPUT).tag("mode", "sample").summary().count())
        .isEqualTo(1);

    double peak = 5_000;
    PartitionPlan plan =
        PartitionPlanner.builder()
            .peakProducerRate(peak)
            .consumerThroughput(measured)
            .headroom(1.0)
            .build()
            .plan();
    // At most 1,000 records/s per consumer, so 5,000 records/s need at least 5 partitions.
    assertThat(plan.minimumPartitions()).isGreaterThanOrEqualTo(5);
    assertThat(plan.minimumPartitions() * measured.recordsPerSecond())
        .isGreaterThanOrEqualTo(peak * (1 - 1e-9));
    assertThat((plan.minimumPartitions() - 1) * measured.recordsPerSecond()).isLessThan(peak);

    assertProbeTopicsDeleted(kafka, prefix);
  }

  @Test
  void measuresAnExistingTopicWithOneConsumerOverAllPartitions(
      KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 3, 1);
    TestRecords.of(kafka)
        .produce(
            IntStream.range(0, 300)
                .mapToObj(i -> new ProducerRecord<>(names.topic(), "k" + i, "v" + i))
                .toList());
    Set<Integer> partitionsSeen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    AtomicInteger calls = new AtomicInteger();
    ThroughputMeasurement measured =
        HandlerThroughputProbe.builder(kafka.clientConfig(), Serdes.String(), Serdes.String())
            .records(1_000)
            .warmupRecords(10)
            .build()
            .measureTopic(
                names.topic(),
                record -> {
                  calls.incrementAndGet();
                  partitionsSeen.add(record.partition());
                });
    assertThat(calls.get()).isEqualTo(300);
    assertThat(measured.records()).isEqualTo(290);
    assertThat(partitionsSeen).containsExactlyInAnyOrder(0, 1, 2);
    assertThat(measured.recordsPerSecond()).isPositive();
  }

  @Test
  void aFailingHandlerEndsTheMeasurementAndTheTopicIsStillDeleted(
      KafkaCluster kafka, TestNames names) throws Exception {
    String prefix = names.topic("failing");
    HandlerThroughputProbe<String, String> probe =
        HandlerThroughputProbe.builder(kafka.clientConfig(), Serdes.String(), Serdes.String())
            .sample(i -> null, i -> "v" + i)
            .records(50)
            .topicPrefix(prefix)
            .build();
    AtomicInteger calls = new AtomicInteger();
    IllegalStateException failed =
        catchThrowableOfType(
            IllegalStateException.class,
            () ->
                probe.measure(
                    record -> {
                      if (calls.incrementAndGet() == 5) {
                        throw new java.io.IOException("downstream unavailable");
                      }
                    }));
    assertThat(failed)
        .hasMessageContaining("handler failed")
        .hasRootCauseMessage("downstream unavailable");
    assertThat(calls.get()).isEqualTo(5);
    assertProbeTopicsDeleted(kafka, prefix);
  }

  @Test
  void aTopicWithTooFewRecordsIsRefused(KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 1, 1);
    TestRecords.of(kafka).produce(names.topic(), "k", "v");
    IllegalStateException e =
        catchThrowableOfType(
            IllegalStateException.class,
            () ->
                HandlerThroughputProbe.builder(
                        kafka.clientConfig(), Serdes.String(), Serdes.String())
                    .records(100)
                    .warmupRecords(5)
                    .build()
                    .measureTopic(names.topic(), record -> {}));
    assertThat(e).hasMessageContaining("holds 1 records");
  }

  @Test
  void aMissingTopicIsReportedAndNotCreated(KafkaCluster kafka, TestNames names) throws Exception {
    TopicAdminException e =
        catchThrowableOfType(
            TopicAdminException.class,
            () ->
                HandlerThroughputProbe.builder(
                        kafka.clientConfig(), Serdes.String(), Serdes.String())
                    .timeout(Duration.ofSeconds(20))
                    .build()
                    .measureTopic(names.topic(), record -> {}));
    assertThat(e).hasMessageContaining("does not exist");
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
          .doesNotContain(names.topic());
    }
  }

  @Test
  void measuringWithoutASampleOrServersIsRejected(KafkaCluster kafka) {
    HandlerThroughputProbe<String, String> noSample =
        HandlerThroughputProbe.builder(kafka.clientConfig(), Serdes.String(), Serdes.String())
            .build();
    assertThat(catchThrowableOfType(IllegalStateException.class, () -> noSample.measure(r -> {})))
        .hasMessageContaining("sample");
    SdkConfigException noServers =
        catchThrowableOfType(
            SdkConfigException.class,
            () ->
                HandlerThroughputProbe.builder(new HashMap<>(), Serdes.String(), Serdes.String())
                    .build());
    assertThat(noServers.setting()).isEqualTo("bootstrap.servers");
    assertThat(
            catchThrowableOfType(
                    SdkConfigException.class,
                    () ->
                        HandlerThroughputProbe.builder(
                                kafka.clientConfig(), Serdes.String(), Serdes.String())
                            .records(0)
                            .build())
                .setting())
        .isEqualTo("records");
  }

  private static void assertProbeTopicsDeleted(KafkaCluster kafka, String prefix) throws Exception {
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      Awaitility.await("probe topics with prefix " + prefix + " deleted")
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                      .noneMatch(t -> t.startsWith(prefix)));
    }
  }

  /** Spins rather than sleeps: a sleep may end early, a spin on nanoTime cannot. */
  private static void busyFor(long nanos) {
    long end = System.nanoTime() + nanos;
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }
}
