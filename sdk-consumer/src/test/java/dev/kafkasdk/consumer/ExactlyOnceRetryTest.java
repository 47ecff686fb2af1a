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
import java.util.function.BiPredicate;
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
    copyFailingTheFirstCallOf(kafka, names, 1, Set.of("0@5", "0@17", "0@18", "0@40"));
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
            copier(kafka, names, 1, 3, calls, (record, call) -> record.offset() == poison)) {
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
    copyFailingTheFirstCallOf(kafka, names, 3, Set.of("0@3", "0@59", "1@5", "1@6", "2@0", "2@30"));
  }

  /**
   * Copies with {@code maxAttempts(2)}, failing the first call of each record in {@code failOnce}
   * ({@code partition@offset}): the copier must finish, a read_committed reader must see every
   * record once and in order per input partition, and each record's handler calls must be its
   * failures + 1 (so the total is records + failures).
   */
  private static void copyFailingTheFirstCallOf(
      KafkaCluster kafka, TestNames names, int partitions, Set<String> failOnce) {
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    try (Admin admin = KafkaFixtures.admin(kafka);
        ConsumerRunner<String, String> copier =
            copier(
                kafka,
                names,
                partitions,
                2,
                calls,
                (record, call) ->
                    call == 1 && failOnce.contains(record.partition() + "@" + record.offset()))) {
      copier.start();
      ExactlyOnceChecks.awaitEverythingCommitted(
          admin, names.groupId(), names.topic("in"), partitions, copier);
    }

    List<String> copied = ExactlyOnceChecks.committedValues(kafka, names.topic("out"));
    Map<String, Integer> expectedCalls = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      String prefix = "p" + p + "-";
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < RECORDS; i++) {
        expected.add(prefix + i);
        expectedCalls.put(p + "@" + i, failOnce.contains(p + "@" + i) ? 2 : 1);
      }
      assertThat(copied.stream().filter(v -> v.startsWith(prefix)).toList())
          .as("every record of partition %d exactly once, in order", p)
          .isEqualTo(expected);
    }
    assertThat(copied).hasSize(partitions * RECORDS);
    Map<String, Integer> actualCalls = new HashMap<>();
    calls.forEach((record, count) -> actualCalls.put(record, count.get()));
    assertThat(actualCalls).as("handler calls per record = failures + 1").isEqualTo(expectedCalls);
  }

  /**
   * A copier of {@code RECORDS} records per input partition to one output partition whose handler
   * counts its calls per record ({@code partition@offset}) and throws when {@code fails} says so
   * for the record and the call's number.
   */
  private static ConsumerRunner<String, String> copier(
      KafkaCluster kafka,
      TestNames names,
      int partitions,
      int maxAttempts,
      Map<String, AtomicInteger> calls,
      BiPredicate<ConsumerRecord<String, String>, Integer> fails) {
    String in = names.topic("in");
    String out = names.topic("out");
    kafka.createTopic(in, partitions, 1);
    kafka.createTopic(out, 1, 1);
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
            (record, output) -> {
              int call =
                  calls
                      .computeIfAbsent(
                          record.partition() + "@" + record.offset(), r -> new AtomicInteger())
                      .incrementAndGet();
              if (fails.test(record, call)) {
                throw new IllegalStateException("call " + call + " of " + record + " fails");
              }
              output.send(out, record.key(), record.value());
            })
        .build();
  }
}
