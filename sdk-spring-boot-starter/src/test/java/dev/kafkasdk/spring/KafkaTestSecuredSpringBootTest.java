package dev.kafkasdk.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.Security;
import dev.kafkasdk.test.TestRecords;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * On a secured cluster (SASL/SCRAM with ACLs) the test customizer gives the application the client
 * settings it needs besides the address: the default producer's record reaches the annotated
 * handler, and without those settings neither client could connect.
 */
@SpringBootTest(classes = KafkaTestSecuredSpringBootTest.Application.class)
@KafkaTest(security = Security.SASL_SCRAM)
class KafkaTestSecuredSpringBootTest {
  private static final String TOPIC = "spring-boot-secured-test";

  @Autowired Handler handler;
  @Autowired ReliableProducer<String, String> producer;
  @Autowired Environment environment;

  @BeforeAll
  static void topic(KafkaCluster kafka) {
    kafka.createTopic(TOPIC, 1, 1);
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class Application {
    @Bean
    Handler handler() {
      return new Handler();
    }
  }

  static class Handler {
    final Queue<String> values = new ConcurrentLinkedQueue<>();

    @KafkaSdkListener(
        name = "boot-secured",
        topics = TOPIC,
        groupId = "spring-boot-secured-test",
        autoStartup = "true")
    void handle(ConsumerRecord<String, String> record) {
      values.add(record.value());
    }
  }

  @Test
  void theApplicationConnectsWithTheClustersClientSettings(KafkaCluster kafka) {
    assertThat(environment.getProperty("kafkasdk.bootstrap-servers"))
        .isEqualTo(kafka.bootstrapServers());
    assertThat(environment.getProperty("kafkasdk.properties[security.protocol]"))
        .isEqualTo(kafka.adminProperties().get("security.protocol").toString());

    producer.sendAndWait(new ProducerRecord<>(TOPIC, "k", "secured"), Duration.ofSeconds(60));

    await().atMost(Duration.ofSeconds(60)).until(() -> handler.values.contains("secured"));
    assertThat(TestRecords.of(kafka).readCommitted(TOPIC, Duration.ofSeconds(60)))
        .singleElement()
        .satisfies(record -> assertThat(record.value()).isEqualTo("secured"));
  }
}
