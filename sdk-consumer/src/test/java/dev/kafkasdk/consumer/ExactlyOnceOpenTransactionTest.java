package dev.kafkasdk.consumer;

import static dev.kafkasdk.consumer.KafkaFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import dev.kafkasdk.test.TestRecords;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Partitioner;
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
            ConsumerRunner.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .groupId(names.groupId())
                .topics(in)
                .strategy(Strategy.threadPerPartition())
                .exactlyOnce(
                    ReliableProducer.builder(new StringSerializer(), new StringSerializer())
                        .bootstrapServers(kafka.bootstrapServers())
                        .property("partitioner.class", FailOncePartitioner.class.getName()),
                    names.transactionalId(),
                    (record, output) -> output.send(out, record.key(), record.value()))
                .build()) {
      copier.start();
      Map<TopicPartition, Long> end = KafkaFixtures.endOffsets(admin, in, 1);
      await()
          .atMost(WAIT)
          .failFast("the copier failed", () -> assertThat(copier.failure()).isEmpty())
          .untilAsserted(
              () -> assertThat(KafkaFixtures.committed(admin, names.groupId())).isEqualTo(end));
      assertThat(POISONED).as("the fatal send was injected").isEmpty();
      assertThat(copier.state()).isEqualTo(ConsumerRunner.State.RUNNING);
    }

    List<String> copied = new ArrayList<>();
    for (ConsumerRecord<String, String> record : TestRecords.of(kafka).readCommitted(out, WAIT)) {
      copied.add(record.value());
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      expected.add("p0-" + i);
    }
    assertThat(copied).as("every record exactly once, in order").isEqualTo(expected);
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
