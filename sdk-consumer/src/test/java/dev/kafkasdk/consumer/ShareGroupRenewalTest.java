package dev.kafkasdk.consumer;

import static dev.kafkasdk.consumer.KafkaFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.ShareGroups;
import dev.kafkasdk.test.TestNames;
import dev.kafkasdk.test.TestRecords;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Acquisition locks of the share-group runner against a real broker: a graceful close releases the
 * records in flight, so another runner gets them at once rather than after the lock timeout; a
 * handler that runs longer than the lock keeps it by renewal, and its record is not delivered to
 * anyone else.
 */
@KafkaTest
class ShareGroupRenewalTest {
  @Test
  void aHandlerLongerThanTheLockKeepsItByRenewal(KafkaCluster kafka, TestNames names)
      throws Exception {
    String topic = names.topic();
    String group = names.groupId();
    kafka.createTopic(topic, 1, 1);
    Duration lock = Duration.ofSeconds(2);
    ShareFixtures.configureGroup(kafka, group, lock);
    TestRecords.of(kafka)
        .produce(
            List.of(
                new ProducerRecord<>(topic, "k", "long"),
                new ProducerRecord<>(topic, "k", "short-1"),
                new ProducerRecord<>(topic, "k", "short-2")));
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    CountDownLatch longDone = new CountDownLatch(1);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    SimpleMeterRegistry otherRegistry = new SimpleMeterRegistry();
    RecordHandler<String, String> handler =
        record -> {
          calls.computeIfAbsent(record.value(), v -> new AtomicInteger()).incrementAndGet();
          if (record.value().equals("long")) {
            // Three lock durations: without renewal the lock would run out twice over and the
            // record would be delivered to the other runner.
            await().pollDelay(lock.multipliedBy(3)).atMost(lock.multipliedBy(4)).until(() -> true);
            longDone.countDown();
          }
        };
    try (ConsumerRunner<String, String> holder =
            ShareFixtures.runner(kafka, group, topic, Strategy.shareGroup(1, 2))
                .name(group + "-holder")
                .meterRegistry(registry)
                .handler(handler)
                .build();
        ConsumerRunner<String, String> other =
            ShareFixtures.runner(kafka, group, topic, Strategy.shareGroup(1, 2))
                .name(group + "-other")
                .meterRegistry(otherRegistry)
                .handler(handler)
                .build()) {
      holder.start();
      await().atMost(WAIT).until(() -> calls.containsKey("long"));
      other.start();
      assertThat(longDone.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      await()
          .atMost(WAIT)
          .until(() -> count(registry, "accept") + count(otherRegistry, "accept") == 3);
      double renewals = count(registry, "renew");
      holder.close(Duration.ofSeconds(10));
      other.close(Duration.ofSeconds(10));
      assertThat(holder.failure()).isEmpty();
      assertThat(other.failure()).isEmpty();
      assertThat(renewals).isGreaterThanOrEqualTo(2);
    }
    assertThat(calls.get("long").get()).isEqualTo(1);
    // Nothing left for the group: every record was acknowledged (accepted or rejected).
    ShareGroups.of(kafka).awaitAcknowledgedToEnd(group, topic, WAIT);
  }

  private static double count(SimpleMeterRegistry registry, String type) {
    return registry
        .get(ConsumerMeters.SHARE_ACKNOWLEDGEMENTS)
        .tag(ConsumerMeters.TAG_TYPE, type)
        .counter()
        .count();
  }
}
