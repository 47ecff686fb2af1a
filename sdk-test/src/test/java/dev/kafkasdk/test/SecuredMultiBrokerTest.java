package dev.kafkasdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Three brokers on SASL_SSL: replication runs over the secured inter-broker listener as the kit's
 * super user, and users and ACLs reach every broker.
 */
@KafkaTest(brokers = 3, security = Security.SASL_SSL)
class SecuredMultiBrokerTest {

  @Test
  void replicatedWritesWithAcksAllSucceedForAGrantedUser(KafkaCluster kafka, TestNames names)
      throws Exception {
    String topic = names.topic();
    kafka.createTopic(topic, 3, 3, Map.of("min.insync.replicas", "3"));
    kafka.createUser("judy", "judy-secret");
    kafka.grant("judy", ResourceType.TOPIC, topic, AclOperation.WRITE);

    Map<String, Object> config = kafka.clientProperties("judy");
    config.put("acks", "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < 3; i++) {
        producer.send(new ProducerRecord<>(topic, i, "k", "v" + i)).get(30, TimeUnit.SECONDS);
      }
    }
    assertThat(TestRecords.of(kafka).readCommitted(topic, Duration.ofSeconds(30)))
        .extracting(ConsumerRecord::value)
        .containsExactlyInAnyOrder("v0", "v1", "v2");
  }
}
