package dev.kafkasdk.consumer;

import static dev.kafkasdk.consumer.KafkaFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import dev.kafkasdk.test.TestRecords;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once consume-transform-produce: a copier whose handler fails the first call of every
 * twelfth record (see {@link ExactlyOnceCopierMain}; each failure ends a transaction early and the
 * record is tried again) is killed with SIGKILL mid-stream and restarted once; a {@code
 * read_committed} reader of the output sees every input record exactly once.
 */
@KafkaTest
class ExactlyOnceTest {
  private static final int PARTITIONS = 3;
  private static final int RECORDS = 600;

  @Test
  void aCopierThatAbortsAndIsKilledProducesEveryRecordExactlyOnce(
      KafkaCluster kafka, TestNames names, @TempDir Path dir) throws Exception {
    String in = names.topic("in");
    String out = names.topic("out");
    String prefix = names.transactionalId();
    kafka.createTopic(in, PARTITIONS, 1);
    kafka.createTopic(out, PARTITIONS, 1);
    KafkaFixtures.produceKeyed(kafka, in, RECORDS, 30);
    Set<String> input = new HashSet<>();
    for (ConsumerRecord<String, String> record : TestRecords.of(kafka).readCommitted(in, WAIT)) {
      input.add(record.value());
    }
    assertThat(input).hasSize(RECORDS);

    try (Admin admin = KafkaFixtures.admin(kafka)) {
      Process child =
          KafkaFixtures.startChildJvm(
              dir.resolve("child.out"),
              ExactlyOnceCopierMain.class,
              kafka.bootstrapServers(),
              in,
              out,
              names.groupId(),
              prefix,
              "15");
      try {
        await()
            .atMost(WAIT)
            .until(() -> sum(KafkaFixtures.committed(admin, names.groupId())) >= RECORDS / 5);
      } finally {
        child.destroyForcibly(); // SIGKILL: transactions may be left open
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(sum(KafkaFixtures.committed(admin, names.groupId())))
          .as("the kill landed mid-stream")
          .isLessThan(RECORDS);

      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      Map<TopicPartition, Long> end = KafkaFixtures.endOffsets(admin, in, PARTITIONS);
      try (ConsumerRunner<String, String> restarted =
          ExactlyOnceCopierMain.copier(
              kafka.bootstrapServers(), in, out, names.groupId(), prefix, 0, registry)) {
        restarted.start();
        await()
            .atMost(WAIT)
            .untilAsserted(
                () -> assertThat(KafkaFixtures.committed(admin, names.groupId())).isEqualTo(end));
        assertThat(registry.find(ConsumerMeters.RETRIES).counter().count())
            .as("the handler failed and its records were tried again")
            .isPositive();
        assertThat(count(registry, "committed")).isPositive();
      }
    }

    List<ConsumerRecord<String, String>> copied = TestRecords.of(kafka).readCommitted(out, WAIT);
    Set<String> distinct = new HashSet<>();
    for (ConsumerRecord<String, String> record : copied) {
      distinct.add(record.value());
    }
    assertThat(copied).as("no duplicates, nothing from aborted transactions").hasSize(RECORDS);
    assertThat(distinct).isEqualTo(input);
  }

  @Test
  void exactlyOnceNeedsThreadPerPartitionAndReadCommitted() {
    ReliableProducer.Builder<String, String> producer =
        ReliableProducer.builder(new StringSerializer(), new StringSerializer())
            .bootstrapServers("localhost:9");
    ConsumerRunner.Builder<String, String> base =
        ConsumerRunner.builder()
            .bootstrapServers("localhost:9")
            .groupId("g")
            .topics("in")
            .exactlyOnce(producer, "copier", (in, out) -> out.send("out", in.key(), in.value()));
    assertThatThrownBy(() -> base.strategy(Strategy.multiWorker(4, Ordering.KEY)).build())
        .isInstanceOf(SdkConfigException.class)
        .hasMessageContaining("thread-per-partition");
    base.strategy(Strategy.threadPerPartition());
    assertThatThrownBy(() -> base.property("isolation.level", "read_uncommitted").build())
        .isInstanceOf(SdkConfigException.class)
        .hasMessageContaining("isolation.level");
    base.property("isolation.level", "read_committed");
    assertThatThrownBy(() -> base.onFailure(FailureAction.deadLetter()).build())
        .isInstanceOf(SdkConfigException.class);
    base.onFailure(FailureAction.stop());
    assertThat(base.build().state()).isEqualTo(ConsumerRunner.State.NEW);
    assertThatThrownBy(() -> base.handler(record -> {}).build())
        .isInstanceOf(SdkConfigException.class)
        .hasMessageContaining("more than one handler");
  }

  private static double count(SimpleMeterRegistry registry, String outcome) {
    return registry
        .find(ConsumerMeters.TRANSACTIONS)
        .tag(ConsumerMeters.TAG_OUTCOME, outcome)
        .counters()
        .stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  private static long sum(Map<TopicPartition, Long> offsets) {
    return offsets.values().stream().mapToLong(Long::longValue).sum();
  }
}
