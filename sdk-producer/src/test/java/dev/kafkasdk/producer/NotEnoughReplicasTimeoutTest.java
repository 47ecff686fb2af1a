package dev.kafkasdk.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A send refused because the partition has fewer in-sync replicas than {@code min.insync.replicas}:
 * Kafka retries it until the delivery timeout and then reports only that the batch expired. The
 * SDK's failure must still say why.
 *
 * <p>Two brokers and replication factor 2, one broker stopped: the broker caps {@code
 * min.insync.replicas} at the replication factor, so a single broker with replication 1 would
 * accept the write.
 */
@KafkaTest(brokers = 2, scope = KafkaTest.Scope.CLASS)
class NotEnoughReplicasTimeoutTest {
  private static final Duration WAIT = Duration.ofSeconds(90);

  private KafkaCluster kafka;

  @AfterEach
  void restartEveryBroker() {
    if (kafka != null) {
      kafka.brokerIds().forEach(kafka::startBroker);
    }
  }

  @Test
  void aSendThatTimesOutForTooFewInSyncReplicasNamesNotEnoughReplicas(
      KafkaCluster kafka, TestNames names) throws Exception {
    this.kafka = kafka;
    String topic = names.topic();
    kafka.createTopic(topic, 1, 2, Map.of("min.insync.replicas", "2"));
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      int leader = partition(admin, topic).leader().id();
      int follower =
          kafka.brokerIds().stream().filter(id -> id != leader).findFirst().orElseThrow();
      kafka.stopBroker(follower);
      Awaitility.await("the follower left the ISR")
          .atMost(WAIT)
          .until(() -> partition(admin, topic).isr().size() == 1);
    }

    try (ReliableProducer<String, String> producer =
        ReliableProducer.builder(new StringSerializer(), new StringSerializer())
            .bootstrapServers(kafka.bootstrapServers())
            .property("request.timeout.ms", 2_000)
            .deliveryTimeout(Duration.ofSeconds(4))
            .build()) {
      ProducerSendException failure =
          catchThrowableOfType(
              ProducerSendException.class,
              () -> producer.sendAndWait(new ProducerRecord<>(topic, "k", "v"), WAIT));

      assertThat(failure).as("the send must fail: 1 in-sync replica, 2 required").isNotNull();
      assertThat(failure.category()).isEqualTo(ErrorCategory.RETRIABLE);
      assertThat(failure.partition()).isZero();
      assertThat(failure.getMessage()).contains("NotEnoughReplicas", "min.insync.replicas=2");
      assertThat(failure.getSuppressed())
          .as("the reason, next to Kafka's own timeout as the cause")
          .anySatisfy(s -> assertThat(s).isInstanceOf(NotEnoughReplicasException.class));
    }
  }

  private static TopicPartitionInfo partition(Admin admin, String topic) throws Exception {
    TopicDescription description =
        admin.describeTopics(List.of(topic)).allTopicNames().get(1, TimeUnit.MINUTES).get(topic);
    return description.partitions().get(0);
  }
}
