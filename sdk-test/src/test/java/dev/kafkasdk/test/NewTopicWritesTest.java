package dev.kafkasdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A topic is writable the moment {@link KafkaCluster#createTopic} returns: a producer that gives up
 * at the first error ({@code retries=0}) lands a record in every partition at once. Before the test
 * kit waited for serving leaders, a send in that moment could get {@code NOT_LEADER_OR_FOLLOWER};
 * with an idempotent producer that lost whole batches (KAFKA-15591).
 */
@KafkaTest
class NewTopicWritesTest {
  private static final int TOPICS = 5;
  private static final int PARTITIONS = 12;

  @Test
  void everyPartitionOfANewTopicTakesWritesAtOnce(KafkaCluster kafka, TestNames names)
      throws Exception {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    config.put(ProducerConfig.ACKS_CONFIG, "1");
    config.put(ProducerConfig.RETRIES_CONFIG, 0);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      for (int t = 0; t < TOPICS; t++) {
        String topic = names.topic("t" + t);
        kafka.createTopic(topic, PARTITIONS, 1);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
          sent.add(producer.send(new ProducerRecord<>(topic, p, "k", "v")));
        }
        for (int p = 0; p < PARTITIONS; p++) {
          // Throws (failing the test) if the leader refused the write.
          assertThat(sent.get(p).get(60, TimeUnit.SECONDS).offset()).isZero();
        }
      }
    }
  }
}
