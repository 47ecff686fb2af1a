package dev.kafkasdk.consumer;

import static dev.kafkasdk.consumer.KafkaFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import dev.kafkasdk.test.TestRecords;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@KafkaTest
class LifecycleTest {

  private static ConsumerRunner.Builder<String, String> builder(
      KafkaCluster kafka, TestNames names) {
    return ConsumerRunner.builder()
        .bootstrapServers(kafka.bootstrapServers())
        .groupId(names.groupId())
        .topics(names.topic());
  }

  @Test
  void startingTwiceOrAfterCloseFailsClearly(KafkaCluster kafka, TestNames names) throws Exception {
    kafka.createTopic(names.topic(), 1, 1);
    ConsumerRunner<String, String> runner = builder(kafka, names).handler(record -> {}).build();
    runner.start();
    assertThat(runner.state()).isEqualTo(ConsumerRunner.State.RUNNING);
    assertThat(runner.awaitTermination(Duration.ofMillis(10))).isFalse();
    assertThatThrownBy(runner::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already started");
    runner.close();
    assertThat(runner.state()).isEqualTo(ConsumerRunner.State.STOPPED);
    assertThat(runner.awaitTermination(Duration.ZERO)).isTrue();
    assertThat(runner.failure()).isEmpty();
    assertThatThrownBy(runner::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot be restarted");
    runner.close(); // harmless
    assertThat(runner.assignment()).isEmpty();
  }

  @Test
  void deserializersSharedByConsumerThreadsAreClosedOnceWhenTheRunnerStops(
      KafkaCluster kafka, TestNames names) throws Exception {
    kafka.createTopic(names.topic(), 3, 1);
    KafkaFixtures.produceKeyed(kafka, names.topic(), 30, 3);
    AtomicInteger closes = new AtomicInteger();
    AtomicInteger afterClose = new AtomicInteger();
    Deserializer<String> values =
        new Deserializer<>() {
          @Override
          public String deserialize(String topic, byte[] data) {
            if (closes.get() > 0) {
              afterClose.incrementAndGet();
            }
            return new String(data, StandardCharsets.UTF_8);
          }

          @Override
          public void close() {
            closes.incrementAndGet();
          }
        };
    Set<String> processed = ConcurrentHashMap.newKeySet();
    ConsumerRunner<String, String> runner =
        ConsumerRunner.builder(new StringDeserializer(), values)
            .bootstrapServers(kafka.bootstrapServers())
            .groupId(names.groupId())
            .topics(names.topic())
            .strategy(Strategy.threadPerPartition())
            .handler(record -> processed.add(record.value()))
            .build();
    runner.start();
    await().atMost(WAIT).until(() -> processed.size() == 30);
    assertThat(closes).as("still open while running").hasValue(0);
    runner.close();
    assertThat(closes).hasValue(1);
    assertThat(afterClose).hasValue(0);
  }

  @Test
  void closingBeforeStartingStopsForGood(KafkaCluster kafka, TestNames names) throws Exception {
    ConsumerRunner<String, String> runner = builder(kafka, names).handler(record -> {}).build();
    runner.close();
    assertThat(runner.state()).isEqualTo(ConsumerRunner.State.STOPPED);
    assertThat(runner.awaitTermination(Duration.ZERO)).isTrue();
    assertThatThrownBy(runner::start).isInstanceOf(IllegalStateException.class);
  }

  /**
   * The handler fails on offset 20: the runner stops by itself, reports why, and never commits past
   * the failed record, whatever the ordering, so the record is delivered again. With partition
   * ordering the commit is exactly at the failed record.
   */
  @ParameterizedTest
  @EnumSource(Ordering.class)
  void aFailingHandlerStopsTheRunnerAndNothingPastItIsCommitted(
      Ordering ordering, KafkaCluster kafka, TestNames names) throws Exception {
    kafka.createTopic(names.topic(), 1, 1);
    KafkaFixtures.produceToPartition(kafka, names.topic(), 0, 60);
    IllegalStateException boom = new IllegalStateException("boom");
    Set<Long> processed = ConcurrentHashMap.newKeySet();
    try (ConsumerRunner<String, String> runner =
            builder(kafka, names)
                .strategy(Strategy.multiWorker(4, ordering))
                .handler(
                    record -> {
                      Thread.sleep(ThreadLocalRandom.current().nextInt(3));
                      if (record.offset() == 20) {
                        throw boom;
                      }
                      processed.add(record.offset());
                    })
                .build();
        Admin admin = KafkaFixtures.admin(kafka)) {
      runner.start();
      assertThat(runner.awaitTermination(WAIT)).isTrue();
      assertThat(runner.state()).isEqualTo(ConsumerRunner.State.FAILED);
      assertThat(runner.failure())
          .get()
          .isInstanceOfSatisfying(
              HandlerFailedException.class,
              e -> {
                assertThat(e.partition()).isEqualTo(new TopicPartition(names.topic(), 0));
                assertThat(e.offset()).isEqualTo(20);
                assertThat(e.getCause()).isSameAs(boom);
              });
      assertThat(processed).doesNotContain(20L);
      long committed =
          KafkaFixtures.committed(admin, names.groupId()).get(new TopicPartition(names.topic(), 0));
      if (ordering != Ordering.PARTITION) {
        // Records of different keys (or unordered ones) are spread over the workers in runs;
        // when the runner stops, a run still going stops between records like queued work, so
        // the commit may stay below the failed record, but never passes it or an unprocessed one.
        assertThat(committed).isLessThanOrEqualTo(20L);
        for (long offset = 0; offset < committed; offset++) {
          assertThat(processed).contains(offset);
        }
      } else {
        // In the partition's lane everything before the failed record was processed first.
        assertThat(committed).isEqualTo(20L);
      }
    }
  }

  @Test
  void aRecordThatCannotBeDeserializedStopsTheRunnerBeforeItByDefault(
      KafkaCluster kafka, TestNames names) throws Exception {
    kafka.createTopic(names.topic(), 1, 1);
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      records.add(new ProducerRecord<>(names.topic(), 0, "k", i == 6 ? "poison" : "v" + i));
    }
    TestRecords.of(kafka).produce(records);
    Deserializer<String> values =
        (topic, data) -> {
          String value = new String(data, StandardCharsets.UTF_8);
          if (value.equals("poison")) {
            throw new IllegalArgumentException("cannot read " + value);
          }
          return value;
        };
    Set<String> processed = ConcurrentHashMap.newKeySet();
    try (Admin admin = KafkaFixtures.admin(kafka);
        ConsumerRunner<String, String> runner =
            ConsumerRunner.builder(new StringDeserializer(), values)
                .bootstrapServers(kafka.bootstrapServers())
                .groupId(names.groupId())
                .topics(names.topic())
                .handler(record -> processed.add(record.value()))
                .build()) {
      runner.start();
      assertThat(runner.awaitTermination(WAIT)).isTrue();
      assertThat(runner.state()).isEqualTo(ConsumerRunner.State.FAILED);
      // The default failure action is stop: the poison pill reaches it as such, with its offset.
      assertThat(runner.failure())
          .get()
          .isInstanceOfSatisfying(
              HandlerFailedException.class,
              e -> {
                assertThat(e.offset()).isEqualTo(6);
                assertThat(e.getCause()).isInstanceOf(DeserializationFailure.class);
              });
      // Records already polled may or may not have run before the stop (queued ones are
      // abandoned), but the commit never passes one that did not, nor the poison record.
      long committed =
          KafkaFixtures.committed(admin, names.groupId())
              .getOrDefault(new TopicPartition(names.topic(), 0), 0L);
      assertThat(committed).isLessThanOrEqualTo(6);
      for (long offset = 0; offset < committed; offset++) {
        assertThat(processed).contains("v" + offset);
      }
      assertThat(processed).doesNotContain("v7", "v8", "v9");
    }
  }

  @Test
  void closeFromInsideAHandlerReturnsAndStopsTheRunner(KafkaCluster kafka, TestNames names)
      throws Exception {
    kafka.createTopic(names.topic(), 1, 1);
    KafkaFixtures.produceToPartition(kafka, names.topic(), 0, 10);
    AtomicReference<ConsumerRunner<String, String>> self = new AtomicReference<>();
    Set<Long> processed = ConcurrentHashMap.newKeySet();
    ConsumerRunner<String, String> runner =
        builder(kafka, names)
            .strategy(Strategy.multiWorker(1, Ordering.PARTITION))
            .handler(
                record -> {
                  processed.add(record.offset());
                  if (record.offset() == 3) {
                    self.get().close();
                  }
                })
            .build();
    self.set(runner);
    runner.start();
    assertThat(runner.awaitTermination(WAIT)).isTrue();
    assertThat(runner.state()).isEqualTo(ConsumerRunner.State.STOPPED);
    assertThat(processed).contains(0L, 1L, 2L, 3L);
  }

  @Test
  void closeLetsRunningHandlersFinishAndCommitsThem(KafkaCluster kafka, TestNames names)
      throws Exception {
    kafka.createTopic(names.topic(), 1, 1);
    KafkaFixtures.produceToPartition(kafka, names.topic(), 0, 5);
    Set<Long> started = ConcurrentHashMap.newKeySet();
    CountDownLatch release = new CountDownLatch(1);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Admin admin = KafkaFixtures.admin(kafka)) {
      ConsumerRunner<String, String> runner =
          builder(kafka, names)
              .strategy(Strategy.multiWorker(1, Ordering.PARTITION))
              .commitInterval(Duration.ofHours(1))
              .meterRegistry(registry)
              .handler(
                  record -> {
                    started.add(record.offset());
                    if (record.offset() == 2) {
                      release.await();
                    }
                  })
              .build();
      runner.start();
      await().atMost(WAIT).until(() -> started.contains(2L));
      CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> runner.close(WAIT));
      // Stopping pauses every partition (the back-pressure limits are far away here), after
      // which queued records are no longer started.
      await()
          .atMost(WAIT)
          .until(() -> registry.get(ConsumerMeters.PARTITIONS_PAUSED).gauge().value() == 1.0);
      release.countDown();
      closing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(runner.state()).isEqualTo(ConsumerRunner.State.STOPPED);
      // Offset 2 was running when close began: it finished and was committed; 3 and 4 were queued
      // and are abandoned, left for the next consumer.
      assertThat(started).doesNotContain(3L, 4L);
      assertThat(KafkaFixtures.committed(admin, names.groupId()))
          .isEqualTo(Map.of(new TopicPartition(names.topic(), 0), 3L));
    }
  }
}
