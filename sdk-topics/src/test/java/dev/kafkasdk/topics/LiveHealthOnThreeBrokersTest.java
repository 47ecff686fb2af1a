package dev.kafkasdk.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Kafka's ISR rules on three real brokers: min ISR equal to the replication factor blocks acks=all
 * producers as soon as one broker stops (a rolling restart), while RF 3 / min ISR 2 only becomes
 * under-replicated. The advisor predicts the first from the spec and sees both live.
 */
@KafkaTest(brokers = 3, scope = KafkaTest.Scope.CLASS)
class LiveHealthOnThreeBrokersTest {
  private KafkaCluster kafka;

  @AfterEach
  void restartEveryBroker() {
    if (kafka != null) {
      kafka.brokerIds().forEach(kafka::startBroker);
    }
  }

  @Test
  void stoppingOneBrokerBlocksOnlyTheTopicWhoseMinIsrEqualsItsReplicas(
      KafkaCluster kafka, TestNames names) throws Exception {
    this.kafka = kafka;
    TopicSpec strict =
        TopicSpec.durable(names.topic("strict")).partitions(1).minInsyncReplicas(3).build();
    TopicSpec recommended = TopicSpec.durable(names.topic("recommended")).partitions(1).build();
    TopicAdvisor advisor = TopicAdvisor.builder().build();
    try (TopicAdmin topics = TopicAdminTest.topics(kafka)) {
      ClusterFacts facts = topics.clusterFacts();
      assertThat(facts.brokerCount()).isEqualTo(3);
      assertThat(advisor.review(strict, facts))
          .extracting(Finding::rule)
          .contains(AdvisorRule.MIN_ISR_BLOCKS_ROLLING_RESTART);
      assertThat(advisor.review(recommended, facts))
          .extracting(Finding::severity)
          .doesNotContain(Severity.WARNING, Severity.CRITICAL);
      assertThat(topics.apply(strict).outcome()).isEqualTo(TopicReport.Outcome.CREATED);
      assertThat(topics.apply(recommended).outcome()).isEqualTo(TopicReport.Outcome.CREATED);

      kafka.stopBroker(List.copyOf(kafka.brokerIds()).get(2));

      Awaitility.await("advisor sees the strict topic below min ISR")
          .atMost(Duration.ofSeconds(120))
          .untilAsserted(
              () ->
                  assertThat(review(advisor, topics, strict, facts))
                      .contains(AdvisorRule.UNDER_MIN_ISR, AdvisorRule.UNDER_REPLICATED));
      Awaitility.await("advisor sees the recommended topic under-replicated")
          .atMost(Duration.ofSeconds(120))
          .untilAsserted(
              () ->
                  assertThat(review(advisor, topics, recommended, facts))
                      .contains(AdvisorRule.UNDER_REPLICATED)
                      .doesNotContain(AdvisorRule.UNDER_MIN_ISR));

      try (KafkaProducer<String, String> noRetries = producer(kafka, false)) {
        Throwable blocked = catchThrowable(() -> send(noRetries, strict.name()));
        assertThat(blocked)
            .isInstanceOf(ExecutionException.class)
            .cause()
            .isInstanceOf(NotEnoughReplicasException.class);
      }
      try (KafkaProducer<String, String> retrying = producer(kafka, true)) {
        assertThat(send(retrying, recommended.name())).isGreaterThanOrEqualTo(0);
      }
    }
  }

  private static List<AdvisorRule> review(
      TopicAdvisor advisor, TopicAdmin topics, TopicSpec spec, ClusterFacts facts) {
    LiveTopic live = topics.describe(spec.name()).orElseThrow();
    return advisor.review(spec, live, facts).stream().map(Finding::rule).toList();
  }

  private static long send(KafkaProducer<String, String> producer, String topic) throws Exception {
    return producer.send(new ProducerRecord<>(topic, "k", "v")).get(120, TimeUnit.SECONDS).offset();
  }

  /** acks=all; without retries a NOT_ENOUGH_REPLICAS answer surfaces at once. */
  private static KafkaProducer<String, String> producer(KafkaCluster kafka, boolean retries) {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, retries);
    config.put(ProducerConfig.RETRIES_CONFIG, retries ? Integer.MAX_VALUE : 0);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }
}
