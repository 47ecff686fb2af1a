package dev.kafkasdk.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kafkasdk.test.TestRecords;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The proxy in front of a real broker: clients stay behind it (the broker advertises the proxy),
 * and its faults do to Kafka clients what they are meant to.
 */
class FaultProxyOnKafkaTest {
  private static ChildProcessCluster cluster;

  @BeforeAll
  static void start() {
    cluster = ChildProcessCluster.startBehindProxies(1);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @AfterEach
  void heal() {
    cluster.proxy(1).heal();
  }

  @Test
  void clientsLearnTheProxyAddressFromMetadata() throws Exception {
    assertThat(advertisedPort(cluster.bootstrapServers())).isEqualTo(cluster.proxy(1).port());
    assertThat(advertisedPort(cluster.directBootstrapServers()))
        .as("the inter-broker listener is not proxied")
        .isNotEqualTo(cluster.proxy(1).port());
  }

  @Test
  void blackholeTimesSendsOutAndHealLetsThemThrough() throws Exception {
    String topic = "proxy-blackhole";
    cluster.createTopic(topic, 1, 1);
    try (KafkaProducer<String, String> producer = producer(Map.of())) {
      producer.send(new ProducerRecord<>(topic, "k", "before")).get(60, TimeUnit.SECONDS);

      cluster.proxy(1).blackhole();
      assertThatThrownBy(
              () ->
                  producer.send(new ProducerRecord<>(topic, "k", "lost")).get(60, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(TimeoutException.class);

      cluster.proxy(1).heal();
      producer.send(new ProducerRecord<>(topic, "k", "after")).get(60, TimeUnit.SECONDS);
    }
    assertThat(TestRecords.of(cluster.direct()).readCommitted(topic, Duration.ofSeconds(60)))
        .extracting(ConsumerRecord::value)
        .contains("before", "after");
  }

  @Test
  void clientsReconnectAfterAReset() throws Exception {
    String topic = "proxy-reset";
    cluster.createTopic(topic, 1, 1);
    FaultProxy proxy = cluster.proxy(1);
    try (KafkaProducer<String, String> producer = producer(Map.of())) {
      producer.send(new ProducerRecord<>(topic, "k", "1")).get(60, TimeUnit.SECONDS);
      long accepted = proxy.acceptedConnections();

      proxy.resetConnections();
      producer.send(new ProducerRecord<>(topic, "k", "2")).get(60, TimeUnit.SECONDS);

      assertThat(proxy.acceptedConnections()).as("a new connection").isGreaterThan(accepted);
    }
  }

  @Test
  void aDroppedProduceResponseHidesAWriteThatHappened() throws Exception {
    String topic = "proxy-drop";
    cluster.createTopic(topic, 1, 1);
    FaultProxy proxy = cluster.proxy(1);
    try (KafkaProducer<String, String> producer =
        producer(
            Map.of(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                false,
                ProducerConfig.RETRIES_CONFIG,
                0))) {
      producer.partitionsFor(topic); // metadata first, so only the produce request is in question
      long dropped = proxy.droppedResponses();
      proxy.dropProduceResponses(1.0, 3);

      assertThatThrownBy(
              () ->
                  producer
                      .send(new ProducerRecord<>(topic, "k", "written"))
                      .get(60, TimeUnit.SECONDS))
          .as("the client never hears of its write")
          .isInstanceOf(ExecutionException.class);
      assertThat(proxy.droppedResponses()).isEqualTo(dropped + 1);
    }
    assertThat(TestRecords.of(cluster.direct()).readCommitted(topic, Duration.ofSeconds(60)))
        .extracting(ConsumerRecord::value)
        .as("but the broker wrote it")
        .containsExactly("written");
  }

  @Test
  void latencyDelaysButDoesNotBreak() throws Exception {
    String topic = "proxy-latency";
    cluster.createTopic(topic, 1, 1);
    cluster.proxy(1).latency(Duration.ofMillis(200));
    try (KafkaProducer<String, String> producer = producer(Map.of())) {
      producer.send(new ProducerRecord<>(topic, "k", "slow")).get(60, TimeUnit.SECONDS);
    }
  }

  private static int advertisedPort(String bootstrap) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      return admin.describeCluster().nodes().get(60, TimeUnit.SECONDS).stream()
          .mapToInt(Node::port)
          .findFirst()
          .orElseThrow();
    }
  }

  private static KafkaProducer<String, String> producer(Map<String, Object> overrides) {
    Map<String, Object> config = cluster.clientConfig();
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 6_000);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    config.putAll(overrides);
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }
}
