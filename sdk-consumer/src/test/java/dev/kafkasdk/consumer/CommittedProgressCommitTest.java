package dev.kafkasdk.consumer;

import static dev.kafkasdk.consumer.KafkaFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Runners write their {@link CommittedProgress} into every offset commit, and it reads back through
 * the Admin client as the state of the runner at that commit: records done past a held-back commit,
 * records in flight, the newest offset taken.
 */
@KafkaTest
class CommittedProgressCommitTest {
  private static final int RECORDS = 10;
  private static final long STUCK = 3;

  /**
   * Record 3 hangs while later records finish: the commit stays at 3 and its metadata follows the
   * work done after it (the runner commits the same offset again when only the progress changed).
   */
  @Test
  void aCommitHeldBackByASlowRecordCarriesTheRecordsDoneAfterIt(KafkaCluster kafka, TestNames names)
      throws Exception {
    kafka.createTopic(names.topic(), 1, 1);
    KafkaFixtures.produceToPartition(kafka, names.topic(), 0, RECORDS);
    CountDownLatch releaseStuck = new CountDownLatch(1);
    CountDownLatch releaseLater = new CountDownLatch(1);
    try (Admin admin = KafkaFixtures.admin(kafka);
        ConsumerRunner<String, String> runner =
            ConsumerRunner.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .groupId(names.groupId())
                .topics(names.topic())
                .strategy(Strategy.multiWorker(4, Ordering.UNORDERED))
                .commitInterval(Duration.ofMillis(50))
                .handler(
                    record -> {
                      CountDownLatch wait =
                          record.offset() == STUCK
                              ? releaseStuck
                              : record.offset() > STUCK ? releaseLater : null;
                      if (wait != null) {
                        assertThat(wait.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                      }
                    })
                .build()) {
      runner.start();
      // 0-2 done, 3 hangs, 4-9 wait: committed 3, nothing done past it, 7 records in flight.
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertCommitted(admin, names, STUCK, new CommittedProgress(0, 7, 9)));

      // The records after 3 that do not queue behind it in its run finish; the offset stays.
      releaseLater.countDown();
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                OffsetAndMetadata committed = committed(admin, names.groupId(), names.topic());
                assertThat(committed.offset()).isEqualTo(STUCK);
                CommittedProgress progress = CommittedProgress.parse(committed).orElseThrow();
                assertThat(progress.completedAhead()).isPositive();
                assertThat(progress.completedAhead() + progress.inFlight())
                    .isEqualTo(RECORDS - STUCK);
                assertThat(progress.inFlight()).as("record 3 at least").isPositive();
              });

      releaseStuck.countDown();
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertCommitted(admin, names, RECORDS, new CommittedProgress(0, 0, 9)));
    }
  }

  @Test
  void anExactlyOnceCommitCarriesTheBatchNotYetHandledAsInFlight(
      KafkaCluster kafka, TestNames names) throws Exception {
    String in = names.topic("in");
    String out = names.topic("out");
    kafka.createTopic(in, 1, 1);
    kafka.createTopic(out, 1, 1);
    KafkaFixtures.produceToPartition(kafka, in, 0, RECORDS);
    long poison = 6;
    try (Admin admin = KafkaFixtures.admin(kafka);
        ConsumerRunner<String, String> copier =
            ConsumerRunner.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .groupId(names.groupId())
                .topics(in)
                .strategy(Strategy.threadPerPartition(1))
                .retry(RetryPolicy.builder().maxAttempts(1).build())
                .exactlyOnce(
                    ReliableProducer.builder(new StringSerializer(), new StringSerializer())
                        .bootstrapServers(kafka.bootstrapServers()),
                    names.transactionalId(),
                    (record, output) -> {
                      if (record.offset() == poison) {
                        throw new IllegalStateException("poison " + record.offset());
                      }
                      output.send(out, record.key(), record.value());
                    })
                .build()) {
      copier.start();
      await().atMost(WAIT).until(() -> copier.state() == ConsumerRunner.State.FAILED);
      OffsetAndMetadata committed = committed(admin, names.groupId(), in);
      assertThat(committed.offset()).isEqualTo(poison);
      CommittedProgress progress = CommittedProgress.parse(committed).orElseThrow();
      assertThat(progress.completedAhead()).isZero();
      assertThat(progress.highestDispatched()).isBetween(poison, (long) RECORDS - 1);
      assertThat(progress.inFlight()).isEqualTo(progress.highestDispatched() - poison + 1);
    }
  }

  private static void assertCommitted(
      Admin admin, TestNames names, long offset, CommittedProgress progress) throws Exception {
    OffsetAndMetadata committed = committed(admin, names.groupId(), names.topic());
    assertThat(committed.offset()).isEqualTo(offset);
    assertThat(CommittedProgress.parse(committed)).contains(progress);
  }

  /** The committed offset of partition 0; fails the assertion while there is none. */
  private static OffsetAndMetadata committed(Admin admin, String group, String topic)
      throws InterruptedException, ExecutionException {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    OffsetAndMetadata committed = offsets.get(new TopicPartition(topic, 0));
    assertThat(committed).as("committed offset of %s-0", topic).isNotNull();
    return committed;
  }
}
