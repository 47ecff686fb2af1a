package dev.kafkasdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Share groups (KIP-932) work on the default test cluster: a raw {@link KafkaShareConsumer} in
 * explicit acknowledgement mode gets records, and what it releases goes to the next member.
 */
@KafkaTest
class ShareGroupTest {

  @Test
  void shareConsumerAcknowledgesAndSecondMemberGetsTheReleasedRecords(
      KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 1, 1);
    String group = names.groupId();
    ShareGroups.of(kafka).configure(group, Map.of("share.auto.offset.reset", "earliest"));
    List<String> values =
        IntStream.range(0, 10).mapToObj(i -> "v" + i).collect(Collectors.toList());
    TestRecords.of(kafka)
        .produce(
            values.stream()
                .map(v -> new ProducerRecord<>(names.topic(), "k", v))
                .collect(Collectors.toList()));

    List<String> accepted = new ArrayList<>();
    try (KafkaShareConsumer<String, String> first = shareConsumer(kafka, group)) {
      first.subscribe(List.of(names.topic()));
      List<ConsumerRecord<String, String>> got = new ArrayList<>();
      Awaitility.await("first share consumer receives records")
          .atMost(Duration.ofSeconds(60))
          .pollInSameThread()
          .pollInterval(Duration.ZERO)
          .until(
              () -> {
                first.poll(Duration.ofMillis(500)).forEach(got::add);
                return !got.isEmpty();
              });
      // Accept the first 4 it got (or all if fewer), release the rest to the group.
      for (int i = 0; i < got.size(); i++) {
        ConsumerRecord<String, String> record = got.get(i);
        if (i < 4) {
          first.acknowledge(record, AcknowledgeType.ACCEPT);
          accepted.add(record.value());
        } else {
          first.acknowledge(record, AcknowledgeType.RELEASE);
        }
      }
      assertThat(first.commitSync(Duration.ofSeconds(30)).values())
          .allSatisfy(error -> assertThat(error).isEmpty());
    }
    assertThat(accepted).isNotEmpty().isEqualTo(values.subList(0, accepted.size()));

    List<String> second = new ArrayList<>();
    try (KafkaShareConsumer<String, String> next = shareConsumer(kafka, group)) {
      next.subscribe(List.of(names.topic()));
      Awaitility.await("second share consumer receives the rest")
          .atMost(Duration.ofSeconds(60))
          .pollInSameThread()
          .pollInterval(Duration.ZERO)
          .until(
              () -> {
                for (ConsumerRecord<String, String> r : next.poll(Duration.ofMillis(500))) {
                  next.acknowledge(r, AcknowledgeType.ACCEPT);
                  second.add(r.value());
                }
                next.commitSync(Duration.ofSeconds(30));
                return second.size() >= values.size() - accepted.size();
              });
    }
    assertThat(second).isEqualTo(values.subList(accepted.size(), values.size()));
  }

  private static KafkaShareConsumer<String, String> shareConsumer(
      KafkaCluster kafka, String group) {
    Map<String, Object> config = kafka.clientConfig();
    config.put("group.id", group);
    config.put("share.acknowledgement.mode", "explicit");
    return new KafkaShareConsumer<>(config, new StringDeserializer(), new StringDeserializer());
  }
}
