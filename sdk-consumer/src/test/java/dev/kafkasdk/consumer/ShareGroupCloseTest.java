package dev.kafkasdk.consumer;

import static dev.kafkasdk.consumer.KafkaFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import dev.kafkasdk.test.TestRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
class ShareGroupCloseTest {

  @Test
  void aGracefulCloseReleasesRecordsInFlightToAnotherRunnerAtOnce(
      KafkaCluster kafka, TestNames names) throws Exception {
    String topic = names.topic();
    String group = names.groupId();
    kafka.createTopic(topic, 1, 1);
    // A lock far longer than the check below: only a release can hand the records over in time.
    ShareFixtures.configureGroup(kafka, group, Duration.ofSeconds(60));
    int count = 20;
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      records.add(new ProducerRecord<>(topic, "k", "v" + i));
    }
    TestRecords.of(kafka).produce(records);

    CountDownLatch never = new CountDownLatch(1);
    Set<String> startedByFirst = ConcurrentHashMap.newKeySet();
    Map<String, AtomicInteger> handledBySecond = new ConcurrentHashMap<>();
    try (ConsumerRunner<String, String> first =
            ShareFixtures.runner(kafka, group, topic, Strategy.shareGroup(1, 2))
                .name(group + "-first")
                .closeTimeout(Duration.ofSeconds(1))
                .handler(
                    record -> {
                      startedByFirst.add(record.value());
                      // Blocks until the close interrupts it.
                      never.await();
                    })
                .build();
        ConsumerRunner<String, String> second =
            ShareFixtures.runner(kafka, group, topic, Strategy.shareGroup(1, 4))
                .name(group + "-second")
                .handler(
                    record ->
                        handledBySecond
                            .computeIfAbsent(record.value(), v -> new AtomicInteger())
                            .incrementAndGet())
                .build()) {
      first.start();
      await().atMost(WAIT).until(() -> startedByFirst.size() == 2);
      second.start();
      long closing = System.nanoTime();
      first.close(Duration.ofSeconds(10));
      await().atMost(Duration.ofSeconds(20)).until(() -> handledBySecond.size() == count);
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing);
      // Well within the 60 s lock: the records were released, not left to time out.
      assertThat(tookMs).isLessThan(20_000);
      assertThat(handledBySecond.values()).allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
      second.close(Duration.ofSeconds(10));
      assertThat(second.failure()).isEmpty();
    }
  }
}
