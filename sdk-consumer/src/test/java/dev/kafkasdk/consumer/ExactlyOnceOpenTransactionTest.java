package dev.kafkasdk.consumer;

import static dev.kafkasdk.consumer.KafkaFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once mode after a failure that leaves a transaction open: a send fails with an error the
 * SDK classifies as fatal to the producer (a plain {@link KafkaException}, here thrown once by the
 * output producer's partitioner) after the batch's offsets were added to the transaction. The
 * producer is retired without abort; the transaction, with its pending offsets, must still end at
 * once, so the rewind can read the committed offsets and the copier retries instead of failing.
 */
@KafkaTest
class ExactlyOnceOpenTransactionTest {
  private static final int RECORDS = 30;
  private static final Set<String> POISONED = ConcurrentHashMap.newKeySet();

  @Test
  void aTransactionLeftOpenByAFatalSendIsEndedAndTheCopierRecovers(
      KafkaCluster kafka, TestNames names) {
    String in = names.topic("in");
    String out = names.topic("out");
    kafka.createTopic(in, 1, 1);
    kafka.createTopic(out, 1, 1);
    KafkaFixtures.produceToPartition(kafka, in, 0, RECORDS);
    POISONED.add(out + "/p0-17");

    try (Admin admin = KafkaFixtures.admin(kafka);
        ConsumerRunner<String, String> copier =
            copier(
                kafka, names, (record, output) -> output.send(out, record.key(), record.value()))) {
      copier.start();
      ExactlyOnceChecks.awaitEverythingCommitted(admin, names.groupId(), in, 1, copier);
      assertThat(POISONED).as("the fatal send was injected").isEmpty();
      assertThat(copier.state()).isEqualTo(ConsumerRunner.State.RUNNING);
    }

    assertThat(ExactlyOnceChecks.committedValues(kafka, out))
        .as("every record exactly once, in order")
        .isEqualTo(ExactlyOnceChecks.partitionZeroValues(RECORDS));
  }

  /**
   * The rewind after a failed transaction must wait for unstable offsets as long as it takes, not a
   * fixed 30 s: here a predecessor with another transactional.id (say, one that ran with more
   * threads) left a transaction with offsets for the group open, which the coordinator aborts only
   * after its {@code transaction.timeout.ms} of 45 s. The copier's own transaction fails (fatal
   * send of offset 10) while it is open.
   */
  @Test
  @SuppressWarnings("removal") // the abandoned predecessor is a bare producer with no consumer
  void theRewindWaitsForOffsetsThatAnAbandonedTransactionKeepsUnstable(
      KafkaCluster kafka, TestNames names) throws Exception {
    // It waits out a 45 s transaction timeout by design, a third of this module's quick run.
    assumeTrue(TestSizes.full(), "runs in the full test run (-Dkafkasdk.tests=full) only");
    String in = names.topic("in");
    String out = names.topic("out");
    kafka.createTopic(in, 1, 1);
    kafka.createTopic(out, 1, 1);
    KafkaFixtures.produceToPartition(kafka, in, 0, RECORDS);
    POISONED.add(out + "/p0-10");
    CountDownLatch reached = new CountDownLatch(1);
    CountDownLatch abandoned = new CountDownLatch(1);

    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, names.transactionalId() + "-predecessor");
    config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 45_000);
    try (Admin admin = KafkaFixtures.admin(kafka);
        KafkaProducer<String, String> predecessor =
            new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
        ConsumerRunner<String, String> copier =
            copier(
                kafka,
                names,
                (record, output) -> {
                  if (record.offset() == 10 && reached.getCount() > 0) {
                    reached.countDown();
                    assertThat(abandoned.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                  }
                  output.send(out, record.key(), record.value());
                })) {
      copier.start();
      assertThat(reached.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      predecessor.initTransactions();
      predecessor.beginTransaction();
      predecessor.sendOffsetsToTransaction(
          Map.of(new TopicPartition(in, 0), new OffsetAndMetadata(5)),
          new ConsumerGroupMetadata(names.groupId()));
      abandoned.countDown();

      ExactlyOnceChecks.awaitEverythingCommitted(admin, names.groupId(), in, 1, copier);
      assertThat(POISONED).as("the fatal send was injected").isEmpty();
    }

    assertThat(ExactlyOnceChecks.committedValues(kafka, out))
        .as("every record exactly once, in order")
        .isEqualTo(ExactlyOnceChecks.partitionZeroValues(RECORDS));
  }

  /** A copier whose output producer uses {@link FailOncePartitioner}. */
  private static ConsumerRunner<String, String> copier(
      KafkaCluster kafka,
      TestNames names,
      TransformHandler<String, String, String, String> handler) {
    return ConsumerRunner.builder()
        .bootstrapServers(kafka.bootstrapServers())
        .groupId(names.groupId())
        .topics(names.topic("in"))
        .strategy(Strategy.threadPerPartition())
        .exactlyOnce(
            ReliableProducer.builder(new StringSerializer(), new StringSerializer())
                .bootstrapServers(kafka.bootstrapServers())
                .property("partitioner.class", FailOncePartitioner.class.getName()),
            names.transactionalId(),
            handler)
        .build();
  }

  /** Throws a plain KafkaException the first time it sees a poisoned value; partition 0 else. */
  public static final class FailOncePartitioner implements Partitioner {
    @Override
    public int partition(
        String topic,
        Object key,
        byte[] keyBytes,
        Object value,
        byte[] valueBytes,
        Cluster cluster) {
      if (POISONED.remove(topic + "/" + value)) {
        throw new KafkaException("injected: the partitioner failed");
      }
      return 0;
    }

    @Override
    public void configure(Map<String, ?> configs) {}

    @Override
    public void close() {}
  }
}
