package dev.kafkasdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

@KafkaTest
class RoundTripTest {

  @Test
  void producedRecordsAreConsumedInOrderPerPartition(KafkaCluster kafka, TestNames names) {
    assertThat(kafka.backend()).isEqualTo(Backend.EMBEDDED);
    kafka.createTopic(names.topic(), 3, 1);
    TestRecords records = TestRecords.of(kafka);
    List<ProducerRecord<String, String>> sent =
        IntStream.range(0, 30)
            .mapToObj(i -> new ProducerRecord<>(names.topic(), "key-" + (i % 3), "value-" + i))
            .toList();
    records.produce(sent);

    List<ConsumerRecord<String, String>> received =
        records.consume(names.topic(), 30, Duration.ofSeconds(60));

    assertThat(received).hasSize(30);
    for (String key : List.of("key-0", "key-1", "key-2")) {
      List<Integer> values =
          received.stream()
              .filter(r -> r.key().equals(key))
              .map(r -> Integer.parseInt(r.value().substring("value-".length())))
              .toList();
      assertThat(values).hasSize(10).isSorted();
      assertThat(received.stream().filter(r -> r.key().equals(key)).map(ConsumerRecord::partition))
          .as("one key, one partition")
          .containsOnly(
              received.stream().filter(r -> r.key().equals(key)).findFirst().get().partition());
    }
  }

  @Test
  void readCommittedStopsAtTheEndOfEveryPartition(KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 2, 1);
    TestRecords records = TestRecords.of(kafka);
    records.produce(names.topic(), "a", "1");
    records.produce(names.topic(), "b", "2");

    assertThat(records.readCommitted(names.topic(), Duration.ofSeconds(60)))
        .extracting(ConsumerRecord::value)
        .containsExactlyInAnyOrder("1", "2");
  }

  @Test
  void testNamesAreUniquePerCall() {
    TestNames first = TestNames.forTest(RoundTripTest.class, "same");
    TestNames second = TestNames.forTest(RoundTripTest.class, "same");
    assertThat(first.topic()).isNotEqualTo(second.topic());
    assertThat(first.groupId()).isNotEqualTo(second.groupId());
    assertThat(first.topic()).matches("[a-z0-9._-]+");
  }
}
