package dev.kafkasdk.consumer;

import static dev.kafkasdk.consumer.KafkaFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import dev.kafkasdk.test.TestRecords;
import io.github.resilience4j.core.IntervalFunction;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The share-group runner ({@link Strategy#shareGroup}) against a real broker: every record is
 * handled and accepted once across consumers and runners of one share group, concurrently; a
 * failure is redelivered with a higher delivery count.
 */
@KafkaTest
class ShareGroupRunnerTest {
  private static final int RECORDS = 300;

  @Test
  void everyRecordIsHandledAndAcceptedOnceAcrossConsumersAndRunners(
      KafkaCluster kafka, TestNames names) throws Exception {
    String topic = names.topic();
    String group = names.groupId();
    kafka.createTopic(topic, 2, 1);
    ShareFixtures.configureGroup(kafka, group, Duration.ofSeconds(30));
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      records.add(new ProducerRecord<>(topic, "k" + (i % 7), "v" + i));
    }
    TestRecords.of(kafka).produce(records);

    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    RecordHandler<String, String> handler =
        record -> {
          mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
          try {
            // ~1 ms of work, so calls on different workers overlap.
            LockSupport.parkNanos(1_000_000);
            calls.computeIfAbsent(record.value(), v -> new AtomicInteger()).incrementAndGet();
          } finally {
            running.decrementAndGet();
          }
        };
    SimpleMeterRegistry first = new SimpleMeterRegistry();
    SimpleMeterRegistry second = new SimpleMeterRegistry();
    // Two share consumers x 4 workers on 2 partitions, and another runner in the same group.
    try (ConsumerRunner<String, String> a =
            ShareFixtures.runner(kafka, group, topic, Strategy.shareGroup(2, 4))
                .name(group + "-a")
                .meterRegistry(first)
                .handler(handler)
                .build();
        ConsumerRunner<String, String> b =
            ShareFixtures.runner(kafka, group, topic, Strategy.shareGroup(1, 4))
                .name(group + "-b")
                .meterRegistry(second)
                .handler(handler)
                .build()) {
      a.start();
      b.start();
      await().atMost(WAIT).until(() -> calls.size() == RECORDS);
      // Each record is accepted once its handler call returned.
      await().atMost(WAIT).until(() -> accepted(first) + accepted(second) == RECORDS);
      a.close(Duration.ofSeconds(10));
      b.close(Duration.ofSeconds(10));
      assertThat(a.failure()).isEmpty();
      assertThat(b.failure()).isEmpty();
    }
    assertThat(calls.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
    assertThat(mostAtOnce.get()).isGreaterThan(1);
    // Accepted for good: a new member of the group gets nothing.
    assertThat(ShareFixtures.freshMemberReceives(kafka, group, topic, Duration.ofSeconds(2)))
        .isEmpty();
  }

  @Test
  void aFailedRecordIsReleasedAndRedeliveredWithAHigherDeliveryCount(
      KafkaCluster kafka, TestNames names) throws Exception {
    String topic = names.topic();
    String group = names.groupId();
    kafka.createTopic(topic, 1, 1);
    ShareFixtures.configureGroup(kafka, group, Duration.ofSeconds(30));
    TestRecords.of(kafka)
        .produce(
            List.of(
                new ProducerRecord<>(topic, "k", "ok-1"),
                new ProducerRecord<>(topic, "k", "flaky"),
                new ProducerRecord<>(topic, "k", "ok-2")));
    List<Integer> flakyDeliveries = new CopyOnWriteArrayList<>();
    Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
    try (ConsumerRunner<String, String> runner =
        ShareFixtures.runner(kafka, group, topic, Strategy.shareGroup(1, 2))
            .retry(
                RetryPolicy.builder()
                    .maxAttempts(3)
                    .backoff(IntervalFunction.of(Duration.ofMillis(10)))
                    .build())
            .handler(
                record -> {
                  if (record.value().equals("flaky")) {
                    int delivery = record.deliveryCount().orElseThrow();
                    flakyDeliveries.add(delivery);
                    if (delivery == 1) {
                      throw new IllegalStateException("first delivery fails");
                    }
                  }
                  handled
                      .computeIfAbsent(record.value(), v -> new AtomicInteger())
                      .incrementAndGet();
                })
            .build()) {
      runner.start();
      await().atMost(WAIT).until(() -> handled.size() == 3);
      runner.close(Duration.ofSeconds(10));
      assertThat(runner.failure()).isEmpty();
    }
    assertThat(flakyDeliveries).containsExactly(1, 2);
    assertThat(handled.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
  }

  private static double accepted(SimpleMeterRegistry registry) {
    return registry
        .get(ConsumerMeters.SHARE_ACKNOWLEDGEMENTS)
        .tag(ConsumerMeters.TAG_TYPE, "accept")
        .counter()
        .count();
  }
}
