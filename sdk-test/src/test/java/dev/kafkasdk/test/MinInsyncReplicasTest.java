package dev.kafkasdk.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Kafka's {@code min.insync.replicas} rule on a real 3-broker cluster: replication factor 3 with
 * {@code min.insync.replicas=2} survives one lost broker, and refuses {@code acks=all} writes with
 * two lost, until they come back.
 *
 * <p>Full run only ({@code -Dkafkasdk.tests=full}): the quick run checks the same rule in
 * sdk-reliability's {@code ProducerFaultsTest} (F5: two of three nodes stopped under {@code
 * min.insync.replicas=2}) and stops a test-kit broker in sdk-producer's {@code
 * NotEnoughReplicasTimeoutTest}.
 */
@EnabledIfSystemProperty(named = "kafkasdk.tests", matches = "full")
@KafkaTest(brokers = 3, scope = KafkaTest.Scope.CLASS)
class MinInsyncReplicasTest {

  private KafkaCluster kafka;

  @AfterEach
  void restartEveryBroker() {
    if (kafka != null) {
      kafka.brokerIds().forEach(kafka::startBroker);
    }
  }

  @Test
  void roundTripOnThreeBrokers(KafkaCluster kafka, TestNames names) {
    this.kafka = kafka;
    assertThat(kafka.brokerCount()).isEqualTo(3);
    kafka.createTopic(names.topic(), 3, 3);
    TestRecords records = TestRecords.of(kafka);
    records.produce(names.topic(), "k", "v");
    assertThat(records.consume(names.topic(), 1, Duration.ofSeconds(60)))
        .extracting(ConsumerRecord::value)
        .containsExactly("v");
  }

  @Test
  void acksAllNeedsMinInsyncReplicas(KafkaCluster kafka, TestNames names) throws Exception {
    this.kafka = kafka;
    String topic = names.topic();
    kafka.createTopic(topic, 1, 3, Map.of("min.insync.replicas", "2"));
    List<Integer> brokers = List.copyOf(kafka.brokerIds());

    kafka.stopBroker(brokers.get(2));
    try (KafkaProducer<String, String> noRetries = producer(kafka, false)) {
      RecordMetadata ok = send(noRetries, topic, "one broker down");
      assertThat(ok.offset()).isGreaterThanOrEqualTo(0);

      kafka.stopBroker(brokers.get(1));
      Throwable refused = catchThrowable(() -> send(noRetries, topic, "two brokers down"));
      assertThat(refused)
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(NotEnoughReplicasException.class);
    }

    try (KafkaProducer<String, String> idempotent = producer(kafka, true)) {
      Throwable timedOut = catchThrowable(() -> send(idempotent, topic, "retried until timeout"));
      assertThat(timedOut)
          .as("an idempotent producer retries NOT_ENOUGH_REPLICAS until delivery.timeout.ms")
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(TimeoutException.class);
    }

    kafka.startBroker(brokers.get(1));
    kafka.startBroker(brokers.get(2));
    try (KafkaProducer<String, String> idempotent = producer(kafka, true)) {
      assertThat(send(idempotent, topic, "all back").offset()).isGreaterThanOrEqualTo(0);
    }
  }

  private static RecordMetadata send(KafkaProducer<String, String> producer, String topic, String v)
      throws Exception {
    return producer.send(new ProducerRecord<>(topic, "k", v)).get(120, TimeUnit.SECONDS);
  }

  private static KafkaProducer<String, String> producer(KafkaCluster kafka, boolean idempotent) {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, idempotent);
    config.put(ProducerConfig.RETRIES_CONFIG, idempotent ? Integer.MAX_VALUE : 0);
    // Short enough to observe the timeout, long enough for a loaded machine to reach the leader.
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, idempotent ? 10_000 : 30_000);
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }
}
