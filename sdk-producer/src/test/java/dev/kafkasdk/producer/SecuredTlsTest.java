package dev.kafkasdk.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kafkasdk.producer.internal.ProducerConfigResolver;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.Security;
import dev.kafkasdk.test.TestCertificates;
import dev.kafkasdk.test.TestNames;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Reliability plan row B8 over TLS: a client that does not trust the broker's CA fails at once with
 * a {@code CONFIGURATION} error that says what to check, and the SDK leaves Kafka's hostname
 * verification on.
 */
@KafkaTest(security = Security.SSL)
class SecuredTlsTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void aClientThatDoesNotTrustTheBrokersCaFailsAtOnceNamingTheTlsHandshake(
      KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 1, 1);
    Map<String, Object> client = kafka.clientProperties("anyone");
    client.put(SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, TestCertificates.unrelatedCaPem());

    try (ReliableProducer<String, String> producer =
        ReliableProducer.builder(new StringSerializer(), new StringSerializer())
            .properties(client)
            .property(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000)
            .build()) {
      long start = System.nanoTime();
      ProducerSendException failure =
          catchThrowableOfType(
              ProducerSendException.class,
              () -> producer.sendAndWait(new ProducerRecord<>(names.topic(), "k", "v"), WAIT));

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
      assertThat(failure.category()).isEqualTo(ErrorCategory.CONFIGURATION);
      assertThat(failure).hasCauseInstanceOf(SslAuthenticationException.class);
      assertThat(failure.getMessage()).contains("TLS handshake", "ssl.truststore");
    }
  }

  @Test
  void hostnameVerificationStaysOnAndTheTrustedClientWrites(KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 1, 1);
    ReliableProducer.Builder<String, String> builder =
        ReliableProducer.builder(new StringSerializer(), new StringSerializer())
            .properties(kafka.clientProperties("anyone"));

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
}
