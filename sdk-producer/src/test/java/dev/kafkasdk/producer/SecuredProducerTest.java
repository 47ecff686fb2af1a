package dev.kafkasdk.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kafkasdk.producer.internal.ProducerConfigResolver;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.Security;
import dev.kafkasdk.test.TestCertificates;
import dev.kafkasdk.test.TestNames;
import dev.kafkasdk.test.TestRecords;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reliability plan rows B7 (authorization) and B8 (authentication) for the producers, on one
 * SASL_SSL (SCRAM-SHA-512 over TLS) cluster with ACLs enforced: each refusal is a {@code
 * CONFIGURATION} failure that says what was refused and the fix, arrives at once (not after a
 * timeout), and the same producer works once the ACL is granted. A client that does not trust the
 * brokers' CA fails the same way, and the SDK leaves hostname verification on. Every log line the
 * SDK and Kafka print during the class is captured; no password may appear in it. One cluster for
 * the class keeps its wall time low.
 */
@KafkaTest(security = Security.SASL_SSL)
class SecuredProducerTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  // Each test's user gets this password; it must never appear in a log or a message.
  private static final String PASSWORD = "pw-Kq7uZ2rX9";
  // Refusals arrive in milliseconds; a hang until max.block.ms would fail the elapsed-time checks.
  private static final Duration FAST = Duration.ofSeconds(15);

  private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
  private static PrintStream originalErr;

  @BeforeAll
  static void captureLogs() {
    originalErr = System.err;
    // slf4j-simple writes to the current System.err.
    System.setErr(new PrintStream(LOG, true, StandardCharsets.UTF_8));
  }

  @AfterAll
  static void noSecretWasLogged() {
    System.setErr(originalErr);
    String logged = LOG.toString(StandardCharsets.UTF_8);
    originalErr.print(logged);
    assertThat(logged).as("the class logged its refusals").contains("authorization failed");
    assertThat(logged).doesNotContain(PASSWORD).doesNotContain("wrong-" + PASSWORD);
  }

  @Test
  void aWrongPasswordOrAnUnknownUserFailsTheFirstSendAtOnceAsConfigurationNamingAuthentication(
      KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 1, 1);
    String user = user(names);
    kafka.createUser(user, PASSWORD);
    kafka.grant(user, ResourceType.TOPIC, names.topic(), AclOperation.WRITE);

    for (Map<String, Object> credentials :
        List.of(
            kafka.clientProperties(user, "wrong-" + PASSWORD),
            kafka.clientProperties("nobody-" + user, PASSWORD))) {
      ReliableProducer.Builder<String, String> builder = builder(credentials);
      assertThat(builder.toString()).doesNotContain(PASSWORD);
      try (ReliableProducer<String, String> producer = builder.build()) {
        long start = System.nanoTime();
        ProducerSendException failure =
            catchThrowableOfType(
                ProducerSendException.class,
                () -> producer.sendAndWait(new ProducerRecord<>(names.topic(), "k", "v"), WAIT));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAST);
        assertThat(failure.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(failure).hasRootCauseInstanceOf(SaslAuthenticationException.class);
        assertThat(failure.getMessage())
            .contains("authentication failed (SASL)", "sasl.jaas.config")
            .doesNotContain(PASSWORD);
      }
    }
  }

  @Test
  void aMissingWriteAclFailsNamingTheTopicAndTheSameProducerSucceedsAfterTheGrant(
      KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 1, 1);
    kafka.createTopic(names.topic("other"), 1, 1);
    String user = user(names);
    kafka.createUser(user, PASSWORD);
    // WRITE on some topic lets the idempotent producer get its producer id (KIP-679), so the
    // refusal is the topic's alone.
    kafka.grant(user, ResourceType.TOPIC, names.topic("other"), AclOperation.WRITE);

    try (ReliableProducer<String, String> producer =
        builder(kafka.clientProperties(user)).build()) {
      long start = System.nanoTime();
      ProducerSendException refused =
          catchThrowableOfType(
              ProducerSendException.class,
              () -> producer.sendAndWait(new ProducerRecord<>(names.topic(), "k", "v0"), WAIT));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAST);
      assertThat(refused.category()).isEqualTo(ErrorCategory.CONFIGURATION);
      assertThat(refused).hasRootCauseInstanceOf(TopicAuthorizationException.class);
      assertThat(refused.getMessage())
          .contains("authorization failed", "topic(s) " + names.topic(), "Fix: grant");

      kafka.grant(user, ResourceType.TOPIC, names.topic(), AclOperation.WRITE);

      assertThat(
              producer.sendAndWait(new ProducerRecord<>(names.topic(), "k", "v1"), WAIT).offset())
          .isZero();
    }
    assertThat(TestRecords.of(kafka).readCommitted(names.topic(), WAIT))
        .extracting(ConsumerRecord::value)
        .containsExactly("v1");
  }

  @Test
  void aMissingIdempotentWriteAclFailsClearlyAndTheSameProducerRecoversAfterTheGrant(
      KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 1, 1);
    String user = user(names);
    kafka.createUser(user, PASSWORD);
    // DESCRIBE lets the producer see the topic; without WRITE anywhere InitProducerId is refused
    // with a cluster authorization error (KIP-679).
    kafka.grant(user, ResourceType.TOPIC, names.topic(), AclOperation.DESCRIBE);

    try (ReliableProducer<String, String> producer =
        builder(kafka.clientProperties(user)).build()) {
      ProducerSendException refused =
          catchThrowableOfType(
              ProducerSendException.class,
              () -> producer.sendAndWait(new ProducerRecord<>(names.topic(), "k", "v0"), WAIT));
      assertThat(refused.category()).isEqualTo(ErrorCategory.CONFIGURATION);
      assertThat(refused).hasRootCauseInstanceOf(ClusterAuthorizationException.class);
      assertThat(refused.getMessage()).contains("IDEMPOTENT_WRITE", "grant WRITE");

      kafka.grant(user, ResourceType.TOPIC, names.topic(), AclOperation.WRITE);

      assertThat(
              producer.sendAndWait(new ProducerRecord<>(names.topic(), "k", "v1"), WAIT).offset())
          .isZero();
    }
  }

  @Test
  void aMissingTransactionalIdAclFailsClearlyAndTheSameProducerRecoversAfterTheGrant(
      KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 1, 1);
    String user = user(names);
    kafka.createUser(user, PASSWORD);
    kafka.grant(user, ResourceType.TOPIC, names.topic(), AclOperation.WRITE);

    try (TransactionalProducer<String, String> producer =
        builder(kafka.clientProperties(user)).transactional(names.transactionalId()).build()) {
      long start = System.nanoTime();
      TransactionFailedException refused =
          catchThrowableOfType(
              TransactionFailedException.class,
              () -> producer.inTransaction(tx -> tx.send(names.topic(), "k", "aborted")));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAST);
      assertThat(refused.category()).isEqualTo(ErrorCategory.CONFIGURATION);
      assertThat(refused).hasRootCauseInstanceOf(TransactionalIdAuthorizationException.class);
      assertThat(refused.getMessage())
          .contains(producer.transactionalId(), "authorization failed", "--transactional-id");

      kafka.grant(
          user, ResourceType.TRANSACTIONAL_ID, producer.transactionalId(), AclOperation.WRITE);

      producer.inTransaction(tx -> tx.send(names.topic(), "k", "committed"));
    }
    assertThat(TestRecords.of(kafka).readCommitted(names.topic(), WAIT))
        .extracting(ConsumerRecord::value)
        .containsExactly("committed");
  }

  @Test
  void aClientThatDoesNotTrustTheBrokersCaFailsAtOnceNamingTheTlsHandshake(
      KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 1, 1);
    String user = user(names);
    kafka.createUser(user, PASSWORD);
    kafka.grant(user, ResourceType.TOPIC, names.topic(), AclOperation.WRITE);
    Map<String, Object> client = kafka.clientProperties(user);
    client.put(SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, TestCertificates.unrelatedCaPem());

    try (ReliableProducer<String, String> producer = builder(client).build()) {
      long start = System.nanoTime();
      ProducerSendException failure =
          catchThrowableOfType(
              ProducerSendException.class,
              () -> producer.sendAndWait(new ProducerRecord<>(names.topic(), "k", "v"), WAIT));

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAST);
      assertThat(failure.category()).isEqualTo(ErrorCategory.CONFIGURATION);
      assertThat(failure).hasCauseInstanceOf(SslAuthenticationException.class);
      assertThat(failure.getMessage()).contains("TLS handshake", "ssl.truststore");
    }
  }

  @Test
  void hostnameVerificationStaysOnAndATrustedClientWrites(KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 1, 1);
    String user = user(names);
    kafka.createUser(user, PASSWORD);
    kafka.grant(user, ResourceType.TOPIC, names.topic(), AclOperation.WRITE);
    ReliableProducer.Builder<String, String> builder = builder(kafka.clientProperties(user));

    // The SDK never sets the algorithm, so Kafka's default applies: "https", the host name in
    // bootstrap.servers must match the broker's certificate.
    assertThat(ProducerConfigResolver.resolve(builder.options(null)).kafkaConfig())
        .doesNotContainKey(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG);
    assertThat(
            ProducerConfig.configDef()
                .defaultValues()
                .get(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG))
        .isEqualTo("https");
    try (ReliableProducer<String, String> producer = builder.build()) {
      assertThat(producer.sendAndWait(new ProducerRecord<>(names.topic(), "k", "v"), WAIT).offset())
          .isZero();
    }
  }

  private static String user(TestNames names) {
    return "u-" + names.topic();
  }

  private static ReliableProducer.Builder<String, String> builder(Map<String, Object> client) {
    return ReliableProducer.builder(new StringSerializer(), new StringSerializer())
        .properties(client)
        .property("max.block.ms", 20_000);
  }
}
