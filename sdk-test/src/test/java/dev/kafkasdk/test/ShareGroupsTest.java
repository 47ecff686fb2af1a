package dev.kafkasdk.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ShareMemberDescription;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** {@link ShareGroups} against share groups driven by raw {@link KafkaShareConsumer}s. */
@KafkaTest
class ShareGroupsTest {

  @Test
  void startOffsetAndLagFollowAcknowledgements(KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 1, 1);
    String group = names.groupId();
    TopicPartition p0 = new TopicPartition(names.topic(), 0);
    ShareGroups shareGroups = ShareGroups.of(kafka);
    produce(kafka, names.topic(), 6);

    assertThat(shareGroups.members(group)).isEmpty();
    assertThat(shareGroups.state(group)).isEqualTo(GroupState.DEAD);
    assertThat(shareGroups.startOffsets(group, names.topic())).isEmpty();
    assertThat(shareGroups.lagByPartition(group, names.topic())).containsExactly(Map.entry(p0, 6L));

    shareGroups.configure(group, Map.of("share.auto.offset.reset", "earliest"));
    assertThat(shareGroups.config(group)).containsEntry("share.auto.offset.reset", "earliest");

    try (KafkaShareConsumer<String, String> consumer = shareConsumer(kafka, group, "a")) {
      consumer.subscribe(List.of(names.topic()));
      List<ConsumerRecord<String, String>> got = pollUntilAny(consumer);
      shareGroups.awaitMembers(group, 1, Duration.ofSeconds(30));
      assertThat(shareGroups.members(group))
          .extracting(ShareMemberDescription::clientId)
          .containsExactly("a");
      assertThat(shareGroups.state(group)).isEqualTo(GroupState.STABLE);

      // Accept the first half of what arrived and release the rest: the start offset moves past
      // the accepted records only, the lag counts everything else.
      int accepted = Math.min(3, got.size());
      for (int i = 0; i < got.size(); i++) {
        consumer.acknowledge(
            got.get(i), i < accepted ? AcknowledgeType.ACCEPT : AcknowledgeType.RELEASE);
      }
      consumer.commitSync(Duration.ofSeconds(30));
      Awaitility.await("start offset and lag after the acknowledgements")
          .atMost(Duration.ofSeconds(15))
          .pollInSameThread()
          .pollInterval(Duration.ofMillis(100))
          .untilAsserted(
              () -> {
                assertThat(shareGroups.lag(group, names.topic())).isEqualTo(6 - accepted);
                // Persisted with the acknowledgement round, so it may still be the old one.
                assertThat(shareGroups.startOffsets(group, names.topic()).get(p0))
                    .isBetween(0L, (long) accepted);
              });

      int rest = 0;
      while (rest < 6 - accepted) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          consumer.acknowledge(record, AcknowledgeType.ACCEPT);
          rest++;
        }
        consumer.commitSync(Duration.ofSeconds(30));
      }
      shareGroups.awaitAcknowledgedToEnd(group, names.topic(), Duration.ofSeconds(30));
      assertThat(shareGroups.lag(group, names.topic())).isZero();
      assertThat(shareGroups.startOffsets(group, names.topic()).get(p0))
          .isBetween((long) accepted, 6L);
    }
    shareGroups.awaitMembers(group, 0, Duration.ofSeconds(30));
    assertThat(shareGroups.state(group)).isEqualTo(GroupState.EMPTY);
  }

  @Test
  void shortLockDurationRedeliversAnUnacknowledgedRecordToTheOtherMember(
      KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 1, 1);
    String group = names.groupId();
    ShareGroups shareGroups = ShareGroups.of(kafka);
    // 1 s is below Kafka's default group.share.min.record.lock.duration.ms (15 s): the kit's
    // clusters lower that minimum, or the broker would refuse this.
    shareGroups.configure(
        group,
        Map.of("share.auto.offset.reset", "earliest", "share.record.lock.duration.ms", "1000"));
    produce(kafka, names.topic(), 1);

    try (KafkaShareConsumer<String, String> holder = shareConsumer(kafka, group, "a");
        KafkaShareConsumer<String, String> other = shareConsumer(kafka, group, "b")) {
      holder.subscribe(List.of(names.topic()));
      List<ConsumerRecord<String, String>> held = pollUntilAny(holder);
      assertThat(held)
          .extracting(ConsumerRecord::deliveryCount)
          .containsExactly(Optional.of((short) 1));
      // The holder neither acknowledges nor polls again: its lock runs out after 1 s. A share
      // consumer joins its group on its first poll.
      other.subscribe(List.of(names.topic()));

      // Well inside the 30 s default lock: only the short lock can hand the record over this soon.
      List<ConsumerRecord<String, String>> redelivered = new ArrayList<>();
      Awaitility.await("redelivery to the other member")
          .atMost(Duration.ofSeconds(15))
          .pollInSameThread()
          .pollInterval(Duration.ZERO)
          .until(
              () -> {
                for (ConsumerRecord<String, String> record : other.poll(Duration.ofMillis(200))) {
                  other.acknowledge(record, AcknowledgeType.ACCEPT);
                  redelivered.add(record);
                }
                return !redelivered.isEmpty();
              });
      other.commitSync(Duration.ofSeconds(30));
      shareGroups.awaitMembers(group, 2, Duration.ofSeconds(30));
      assertThat(shareGroups.members(group))
          .extracting(ShareMemberDescription::clientId)
          .containsExactly("a", "b");
      assertThat(redelivered).extracting(ConsumerRecord::value).containsExactly("v0");
      assertThat(redelivered)
          .extracting(ConsumerRecord::deliveryCount)
          .containsExactly(Optional.of((short) 2));
      shareGroups.awaitAcknowledgedToEnd(group, names.topic(), Duration.ofSeconds(30));
    }
  }

  @Test
  void refusedConfigAndConsumerGroupAreIllegalArguments(KafkaCluster kafka, TestNames names)
      throws Exception {
    ShareGroups shareGroups = ShareGroups.of(kafka);
    assertThatThrownBy(
            () ->
                shareGroups.configure(
                    names.groupId(), Map.of("share.record.lock.duration.ms", "500")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("share.record.lock.duration.ms");
    // Above the broker's bounds (group.share.max.record.lock.duration.ms 60 s,
    // group.share.max.delivery.count.limit 10): what sdk-topics' advisor warns about.
    assertThatThrownBy(
            () ->
                shareGroups.configure(
                    names.groupId(), Map.of("share.record.lock.duration.ms", "70000")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                shareGroups.configure(names.groupId(), Map.of("share.delivery.count.limit", "11")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(shareGroups.config(names.groupId())).isEmpty();
    assertThatThrownBy(() -> shareGroups.configure(names.groupId(), Map.of()))
        .isInstanceOf(IllegalArgumentException.class);

    kafka.createTopic(names.topic(), 1, 1);
    String consumerGroup = names.groupId() + "-consumer";
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      admin
          .alterConsumerGroupOffsets(
              consumerGroup, Map.of(new TopicPartition(names.topic(), 0), new OffsetAndMetadata(0)))
          .all()
          .get(60, TimeUnit.SECONDS);
    }
    assertThatThrownBy(() -> shareGroups.members(consumerGroup))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void produce(KafkaCluster kafka, String topic, int count) {
    TestRecords.of(kafka)
        .produce(
            IntStream.range(0, count)
                .mapToObj(i -> new ProducerRecord<>(topic, "k", "v" + i))
                .collect(Collectors.toList()));
  }

  private static List<ConsumerRecord<String, String>> pollUntilAny(
      KafkaShareConsumer<String, String> consumer) {
    List<ConsumerRecord<String, String>> got = new ArrayList<>();
    Awaitility.await("share consumer receives records")
        .atMost(Duration.ofSeconds(60))
        .pollInSameThread()
        .pollInterval(Duration.ZERO)
        .until(
            () -> {
              consumer.poll(Duration.ofMillis(500)).forEach(got::add);
              return !got.isEmpty();
            });
    return got;
  }

  private static KafkaShareConsumer<String, String> shareConsumer(
      KafkaCluster kafka, String group, String clientId) {
    Map<String, Object> config = kafka.clientConfig();
    config.put("group.id", group);
    config.put("client.id", clientId);
    config.put("share.acknowledgement.mode", "explicit");
    return new KafkaShareConsumer<>(config, new StringDeserializer(), new StringDeserializer());
  }
}
