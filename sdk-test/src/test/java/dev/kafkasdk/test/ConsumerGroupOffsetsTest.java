package dev.kafkasdk.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

@KafkaTest
class ConsumerGroupOffsetsTest {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void readsCommittedEndAndLagOfEveryPartition(KafkaCluster kafka, TestNames names) {
    String topic = names.topic();
    String group = names.groupId();
    fiveThreeAndNothing(kafka, topic);
    commit(kafka, group, Map.of(partition(topic, 0), 5L, partition(topic, 1), 1L));

    ConsumerGroupOffsets offsets = ConsumerGroupOffsets.of(kafka);

    assertThat(offsets.committed(group))
        .containsExactly(Map.entry(partition(topic, 0), 5L), Map.entry(partition(topic, 1), 1L));
    assertThat(offsets.endOffsets(topic))
        .containsExactly(
            Map.entry(partition(topic, 0), 5L),
            Map.entry(partition(topic, 1), 3L),
            Map.entry(partition(topic, 2), 0L));
    assertThat(offsets.lagByPartition(group, topic))
        .containsExactly(
            Map.entry(partition(topic, 0), 0L),
            Map.entry(partition(topic, 1), 2L),
            Map.entry(partition(topic, 2), 0L));
    assertThat(offsets.lag(group, topic)).isEqualTo(2);
    assertThat(offsets.committed(names.groupId() + "-unknown")).isEmpty();
    assertThat(offsets.lag(names.groupId() + "-unknown", topic)).isEqualTo(8);
  }

  @Test
  void waitFailsWithEveryPartitionsCommittedAndEndWhenTheGroupIsBehind(
      KafkaCluster kafka, TestNames names) {
    String topic = names.topic();
    String group = names.groupId();
    fiveThreeAndNothing(kafka, topic);
    commit(kafka, group, Map.of(partition(topic, 0), 5L, partition(topic, 1), 1L));

    assertThatThrownBy(
            () ->
                ConsumerGroupOffsets.of(kafka)
                    .awaitCommittedToEnd(group, topic, Duration.ofSeconds(2)))
        .isInstanceOf(ConditionTimeoutException.class)
        .hasMessage(
            "group "
                + group
                + " has not committed to the end of "
                + topic
                + " within PT2S: partition 0 committed 5 of end 5 (lag 0), partition 1 committed"
                + " 1 of end 3 (lag 2), partition 2 committed nothing of end 0 (lag 0)");
  }

  @Test
  void waitReturnsOnceAConsumingGroupHasCommittedEverything(KafkaCluster kafka, TestNames names)
      throws Exception {
    String topic = names.topic();
    String group = names.groupId();
    fiveThreeAndNothing(kafka, topic);
    ConsumerGroupOffsets offsets = ConsumerGroupOffsets.of(kafka);
    assertThat(offsets.lag(group, topic)).isEqualTo(8);

    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<?> consuming = pool.submit(() -> consumeAndCommit(kafka, group, topic, stop));
      offsets.awaitCommittedToEnd(group, topic, WAIT);
      stop.set(true);
      consuming.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }

    assertThat(offsets.committed(group)).isEqualTo(offsets.endOffsets(topic));
    assertThat(offsets.endOffsets(topic))
        .containsExactly(
            Map.entry(partition(topic, 0), 5L),
            Map.entry(partition(topic, 1), 3L),
            Map.entry(partition(topic, 2), 0L));
    assertThat(offsets.lag(group, topic)).isZero();
  }

  @Test
  void anUnknownTopicIsAnArgumentError(KafkaCluster kafka, TestNames names) {
    ConsumerGroupOffsets offsets = ConsumerGroupOffsets.of(kafka);

    assertThatThrownBy(() -> offsets.endOffsets(names.topic("missing")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("topic " + names.topic("missing") + " does not exist");
    assertThatThrownBy(
            () -> offsets.awaitCommittedToEnd(names.groupId(), names.topic("missing"), WAIT))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Three partitions holding 5, 3 and 0 records. */
  private static void fiveThreeAndNothing(KafkaCluster kafka, String topic) {
    kafka.createTopic(topic, 3, 1);
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      records.add(new ProducerRecord<>(topic, 0, "k", "p0-" + i));
    }
    for (int i = 0; i < 3; i++) {
      records.add(new ProducerRecord<>(topic, 1, "k", "p1-" + i));
    }
    TestRecords.of(kafka).produce(records);
  }

  private static void commit(KafkaCluster kafka, String group, Map<TopicPartition, Long> offsets) {
    try (KafkaConsumer<String, String> consumer = consumer(kafka, group)) {
      Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
      offsets.forEach((partition, offset) -> commit.put(partition, new OffsetAndMetadata(offset)));
      consumer.assign(offsets.keySet());
      consumer.commitSync(commit);
    }
  }

  private static void consumeAndCommit(
      KafkaCluster kafka, String group, String topic, AtomicBoolean stop) {
    try (KafkaConsumer<String, String> consumer = consumer(kafka, group)) {
      consumer.subscribe(List.of(topic));
      while (!stop.get()) {
        if (!consumer.poll(Duration.ofMillis(200)).isEmpty()) {
          consumer.commitSync();
        }
      }
    }
  }

  private static KafkaConsumer<String, String> consumer(KafkaCluster kafka, String group) {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
  }

  private static TopicPartition partition(String topic, int partition) {
    return new TopicPartition(topic, partition);
  }
}
