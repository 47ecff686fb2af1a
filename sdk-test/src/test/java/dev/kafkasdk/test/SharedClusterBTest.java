package dev.kafkasdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** One of two classes that must share one cluster yet see only their own records. */
@KafkaTest
class SharedClusterBTest {

  @Test
  void sharesTheClusterButNotTheTopic(KafkaCluster kafka, TestNames names) {
    assertThat(SharedClusters.record(kafka)).as("one cluster per JVM").isEqualTo(1);
    kafka.createTopic(names.topic(), 1, 1);
    TestRecords records = TestRecords.of(kafka);
    records.produce(
        IntStream.range(0, 5)
            .mapToObj(i -> new ProducerRecord<>(names.topic(), "B", "B-" + i))
            .toList());

    List<ConsumerRecord<String, String>> read =
        records.readCommitted(names.topic(), Duration.ofSeconds(60));

    assertThat(read).hasSize(5).allSatisfy(r -> assertThat(r.key()).isEqualTo("B"));
  }
}
