package dev.kafkasdk.consumer;

import static dev.kafkasdk.consumer.KafkaFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once mode counts retry attempts per record: a record's handler calls are its failures
 * plus one, other records of its batch are not called again, and a record that keeps failing stops
 * the runner with its own offset, after everything before it was committed.
 */
@KafkaTest
class ExactlyOnceRetryTest {
  private static final int RECORDS = 60;

  @Test
  void differentRecordsThatEachFailOnceAreCopiedWithOneExtraCallEach(
      KafkaCluster kafka, TestNames names) {
    Set<Long> failOnce = Set.of(5L, 17L, 18L, 40L);
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    String out = names.topic("out");

    try (Admin admin = KafkaFixtures.admin(kafka);
        ConsumerRunner<String, String> copier =
            copier(
                kafka,
                names,
                1,
                2,
                (record, output) -> {
                  if (count(calls, record) == 1 && failOnce.contains(record.offset())) {
                    throw new IllegalStateException("first call of offset " + record.offset());
                  }
                  output.send(out, record.key(), record.value());
                })) {
      copier.start();
      ExactlyOnceChecks.awaitEverythingCommitted(
          admin, names.groupId(), names.topic("in"), 1, copier);
    }

    assertThat(ExactlyOnceChecks.committedValues(kafka, out))
        .as("every record exactly once, in order")
        .isEqualTo(ExactlyOnceChecks.partitionZeroValues(RECORDS));
    Map<Long, Integer> expectedCalls = new HashMap<>();
    Map<Long, Integer> actualCalls = new HashMap<>();
    for (long offset = 0; offset < RECORDS; offset++) {
      expectedCalls.put(offset, failOnce.contains(offset) ? 2 : 1);
      AtomicInteger count = calls.get("0@" + offset);
      actualCalls.put(offset, count == null ? 0 : count.get());
    }
    assertThat(actualCalls).as("handler calls per record = failures + 1").isEqualTo(expectedCalls);
  }

  @Test
  void aRecordThatAlwaysFailsStopsTheRunnerNamingItsOffsetAfterCommittingThoseBefore(
      KafkaCluster kafka, TestNames names) {
    long poison = 23;
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    String in = names.topic("in");
    String out = names.topic("out");

    try (Admin admin = KafkaFixtures.admin(kafka);
        ConsumerRunner<String, String> copier =
            copier(
                kafka,
                names,
                1,
                3,
                (record, output) -> {
                  if (count(calls, record) > 0 && record.offset() == poison) {
                    throw new IllegalStateException("offset " + poison + " always fails");
                  }
                  output.send(out, record.key(), record.value());
                })) {
      copier.start();
      await().atMost(WAIT).until(() -> copier.state() == ConsumerRunner.State.FAILED);

      assertThat(copier.failure()).get().isInstanceOf(HandlerFailedException.class);
      HandlerFailedException failure = (HandlerFailedException) copier.failure().get();
      assertThat(failure.partition()).isEqualTo(new TopicPartition(in, 0));
      assertThat(failure.offset()).as("the failing record, not its batch").isEqualTo(poison);
      assertThat(calls.get("0@" + poison)).as("called maxAttempts times").hasValue(3);
      assertThat(KafkaFixtures.committed(admin, names.groupId()))
          .as("everything before the failing record is committed, nothing after it")
          .isEqualTo(Map.of(new TopicPartition(in, 0), poison));
    }

    assertThat(ExactlyOnceChecks.committedValues(kafka, out))
        .isEqualTo(ExactlyOnceChecks.partitionZeroValues((int) poison));
  }

  /**
   * One consumer thread reads three partitions, so a poll batch can hold records of several of
   * them: a failing record can end a batch with partitions done, one partly done and others not
   * started, and each must resume at its first record not committed.
   */
  @Test
  void recordsOfSeveralPartitionsOnOneThreadThatFailOnceAreCalledOnceMoreEach(
      KafkaCluster kafka, TestNames names) {
    int partitions = 3;
    Set<String> failOnce = Set.of("0@3", "0@59", "1@5", "1@6", "2@0", "2@30");
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    String out = names.topic("out");

    try (Admin admin = KafkaFixtures.admin(kafka);
        ConsumerRunner<String, String> copier =
            copier(
                kafka,
                names,
                partitions,
                2,
                (record, output) -> {
                  if (count(calls, record) == 1
                      && failOnce.contains(record.partition() + "@" + record.offset())) {
                    throw new IllegalStateException("first call of " + record);
                  }
                  output.send(out, record.key(), record.value());
                })) {
      copier.start();
      ExactlyOnceChecks.awaitEverythingCommitted(
          admin, names.groupId(), names.topic("in"), partitions, copier);
    }

    List<String> expected = new ArrayList<>();
    Map<String, Integer> expectedCalls = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      for (int i = 0; i < RECORDS; i++) {
        expected.add("p" + p + "-" + i);
        expectedCalls.put(p + "@" + i, failOnce.contains(p + "@" + i) ? 2 : 1);
      }
    }
    List<String> copied = ExactlyOnceChecks.committedValues(kafka, out);
    assertThat(copied)
        .as("every record exactly once")
        .containsExactlyInAnyOrderElementsOf(expected);
    Map<String, Integer> actualCalls = new HashMap<>();
    calls.forEach((record, count) -> actualCalls.put(record, count.get()));
    assertThat(actualCalls).as("handler calls per record = failures + 1").isEqualTo(expectedCalls);
  }

  /** Counts a handler call of the record; returns its calls so far, this one included. */
  private static int count(Map<String, AtomicInteger> calls, ConsumerRecord<?, ?> record) {
    return calls
        .computeIfAbsent(record.partition() + "@" + record.offset(), r -> new AtomicInteger())
        .incrementAndGet();
  }

  private static ConsumerRunner<String, String> copier(
      KafkaCluster kafka,
      TestNames names,
      int partitions,
      int maxAttempts,
      TransformHandler<String, String, String, String> handler) {
    String in = names.topic("in");
    kafka.createTopic(in, partitions, 1);
    kafka.createTopic(names.topic("out"), 1, 1);
    for (int p = 0; p < partitions; p++) {
      KafkaFixtures.produceToPartition(kafka, in, p, RECORDS);
    }
    return ConsumerRunner.builder()
        .bootstrapServers(kafka.bootstrapServers())
        .groupId(names.groupId())
        .topics(in)
        .property("max.poll.records", 25)
        .strategy(Strategy.threadPerPartition(1))
        .retry(RetryPolicy.builder().maxAttempts(maxAttempts).build())
        .exactlyOnce(
            ReliableProducer.builder(new StringSerializer(), new StringSerializer())
                .bootstrapServers(kafka.bootstrapServers()),
            names.transactionalId(),
            handler)
        .build();
  }
}
