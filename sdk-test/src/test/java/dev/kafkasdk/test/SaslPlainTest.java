package dev.kafkasdk.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** PLAIN users declared up front, with ACLs. */
@KafkaTest(security = Security.SASL_PLAIN, users = "henry:henry-secret")
class SaslPlainTest {

  @Test
  void declaredUserLogsInWithPlainAndNeedsAnAcl(KafkaCluster kafka, TestNames names)
      throws Exception {
    String topic = names.topic();
    kafka.createTopic(topic, 1, 1);
    assertThat(kafka.clientProperties("henry"))
        .containsEntry("security.protocol", "SASL_PLAINTEXT")
        .containsEntry("sasl.mechanism", "PLAIN");

    assertThatThrownBy(() -> send(kafka.clientProperties("henry"), topic))
        .hasCauseInstanceOf(TopicAuthorizationException.class);
    kafka.grant("henry", ResourceType.TOPIC, topic, AclOperation.WRITE);
    send(kafka.clientProperties("henry"), topic);

    Map<String, Object> wrong = kafka.clientProperties("henry", "not-henrys-secret");
    wrong.put("default.api.timeout.ms", 20_000);
    wrong.put("request.timeout.ms", 10_000);
    try (Admin admin = Admin.create(wrong)) {
      assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(SaslAuthenticationException.class);
    }
    assertThatThrownBy(() -> kafka.createUser("ivy", "ivy-secret"))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("builder().user");
  }

  private static void send(Map<String, Object> config, String topic) throws Exception {
    config.put("max.block.ms", 20_000);
    config.put("delivery.timeout.ms", 20_000);
    config.put("request.timeout.ms", 10_000);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, "k", "v")).get(30, TimeUnit.SECONDS);
    }
  }
}
