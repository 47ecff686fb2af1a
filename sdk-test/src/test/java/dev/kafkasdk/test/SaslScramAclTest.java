package dev.kafkasdk.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The kit's SCRAM users and ACLs, on one shared SASL_PLAINTEXT cluster. */
@KafkaTest(security = Security.SASL_SCRAM)
class SaslScramAclTest {

  @Test
  void userWithReadAndWriteAclsProducesAndConsumes(KafkaCluster kafka, TestNames names)
      throws Exception {
    String topic = names.topic();
    String group = names.groupId();
    kafka.createTopic(topic, 1, 1);
    kafka.createUser("alice", "alice-secret");
    kafka.grant("alice", ResourceType.TOPIC, topic, AclOperation.WRITE, AclOperation.READ);
    kafka.grant("alice", ResourceType.GROUP, group, AclOperation.READ);

    send(kafka.clientProperties("alice"), topic, "v1");

    Map<String, Object> config = kafka.clientProperties("alice");
    config.put("group.id", group);
    config.put("auto.offset.reset", "earliest");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      Awaitility.await("alice's record")
          .atMost(Duration.ofSeconds(60))
          .pollInSameThread()
          .until(
              () -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                  values.add(r.value());
                }
                return !values.isEmpty();
              });
      consumer.commitSync();
    }
    assertThat(values).containsExactly("v1");
    assertThat(ConsumerGroupOffsets.of(kafka).lag(group, topic)).isZero();
  }

  @Test
  void userWithoutAclIsRefusedAndAcceptedOnceGrantedUntilRevoked(
      KafkaCluster kafka, TestNames names) throws Exception {
    String topic = names.topic();
    kafka.createTopic(topic, 1, 1);
    kafka.createUser("bob", "bob-secret");

    assertThatThrownBy(() -> send(kafka.clientProperties("bob"), topic, "refused"))
        .hasCauseInstanceOf(TopicAuthorizationException.class);

    kafka.grant("bob", ResourceType.TOPIC, topic, AclOperation.WRITE);
    send(kafka.clientProperties("bob"), topic, "accepted");

    kafka.revoke("bob", ResourceType.TOPIC, topic, AclOperation.WRITE);
    assertThatThrownBy(() -> send(kafka.clientProperties("bob"), topic, "refused again"))
        .hasCauseInstanceOf(TopicAuthorizationException.class);

    // The super user (TestRecords) sees only the accepted record.
    assertThat(TestRecords.of(kafka).readCommitted(topic, Duration.ofSeconds(30)))
        .extracting(ConsumerRecord::value)
        .containsExactly("accepted");
  }

  @Test
  void wrongPasswordUnknownUserAndDeletedUserFailAuthentication(KafkaCluster kafka)
      throws Exception {
    kafka.createUser("carol", "carol-secret");

    assertThatThrownBy(() -> describeCluster(kafka.clientProperties("carol", "wrong-secret")))
        .isInstanceOf(SaslAuthenticationException.class);
    assertThatThrownBy(() -> describeCluster(kafka.clientProperties("nobody", "carol-secret")))
        .isInstanceOf(SaslAuthenticationException.class);
    describeCluster(kafka.clientProperties("carol"));

    Map<String, Object> carol = kafka.clientProperties("carol");
    kafka.deleteUser("carol");
    assertThatThrownBy(() -> describeCluster(carol))
        .isInstanceOf(SaslAuthenticationException.class);
    assertThatThrownBy(() -> kafka.clientProperties("carol"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void clientPropertiesNameTheProtocolAndMechanism(KafkaCluster kafka) {
    kafka.createUser("dave", "dave-secret");
    assertThat(kafka.security()).isEqualTo(Security.SASL_SCRAM);
    assertThat(kafka.clientProperties("dave"))
        .containsEntry("bootstrap.servers", kafka.bootstrapServers())
        .containsEntry("security.protocol", "SASL_PLAINTEXT")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    assertThatThrownBy(() -> kafka.clientProperties("unknown-user"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("createUser");
    assertThatThrownBy(kafka::caCertificatePem).isInstanceOf(IllegalStateException.class);
  }

  private static void send(Map<String, Object> config, String topic, String value)
      throws Exception {
    config.put("max.block.ms", 20_000);
    config.put("delivery.timeout.ms", 20_000);
    config.put("request.timeout.ms", 10_000);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, "k", value)).get(30, TimeUnit.SECONDS);
    }
  }

  private static void describeCluster(Map<String, Object> config) throws Exception {
    config.put("default.api.timeout.ms", 20_000);
    config.put("request.timeout.ms", 10_000);
    try (Admin admin = Admin.create(config)) {
      admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }
}
