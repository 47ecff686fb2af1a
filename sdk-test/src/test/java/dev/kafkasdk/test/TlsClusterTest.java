package dev.kafkasdk.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * TLS with the kit's in-memory CA, on one shared SASL_SSL cluster: the TLS listener and SCRAM users
 * with ACLs at once.
 */
@KafkaTest(security = Security.SASL_SSL)
class TlsClusterTest {

  @Test
  void clientTrustingTheKitCaWritesAsScramUser(KafkaCluster kafka, TestNames names)
      throws Exception {
    String topic = names.topic();
    kafka.createTopic(topic, 1, 1);
    kafka.createUser("erin", "erin-secret");
    kafka.grant("erin", ResourceType.TOPIC, topic, AclOperation.WRITE);
    Map<String, Object> config = kafka.clientProperties("erin");
    assertThat(config)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("ssl.truststore.type", "PEM")
        .containsEntry("ssl.truststore.certificates", kafka.caCertificatePem());

    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, "k", "over-tls")).get(30, TimeUnit.SECONDS);
    }
    assertThat(TestRecords.of(kafka).readCommitted(topic, Duration.ofSeconds(30)))
        .extracting(ConsumerRecord::value)
        .containsExactly("over-tls");
  }

  @Test
  void clientTrustingAnotherCaFailsTheHandshake(KafkaCluster kafka) {
    kafka.createUser("frank", "frank-secret");
    Map<String, Object> config = kafka.clientProperties("frank");
    config.put("ssl.truststore.certificates", TestCertificates.unrelatedCaPem());

    assertThatThrownBy(() -> describeCluster(config))
        .isInstanceOf(SslAuthenticationException.class);
  }

  @Test
  void hostnameVerificationIsOnAndTheCertificateNamesOnlyLocalhost(KafkaCluster kafka)
      throws Exception {
    kafka.createUser("grace", "grace-secret");
    Map<String, Object> config = kafka.clientProperties("grace");
    // The kit leaves Kafka's default in force: verify the broker's name against its certificate.
    assertThat(config).doesNotContainKey("ssl.endpoint.identification.algorithm");
    assertThat(new AdminClientConfig(config).getString("ssl.endpoint.identification.algorithm"))
        .isEqualTo("https");
    // With a trust store bootstrapped at 127.0.0.1 the client still connects: the address is in
    // the certificate, and so is localhost, which the broker advertises.
    config.put("bootstrap.servers", kafka.bootstrapServers().replace("localhost", "127.0.0.1"));
    describeCluster(config);

    // The same certificate, checked the way hostname verification checks it, names localhost
    // and nothing else.
    int port = Integer.parseInt(kafka.bootstrapServers().split(",")[0].split(":")[1]);
    handshake(kafka.caCertificatePem(), port, "localhost");
    assertThatThrownBy(() -> handshake(kafka.caCertificatePem(), port, "kafka.example.com"))
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("kafka.example.com");
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

  /** A TLS handshake with HTTPS endpoint identification against the given host name. */
  private static void handshake(String caPem, int port, String hostName) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry(
        "ca",
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.UTF_8))));
    TrustManagerFactory trustManagers =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trustManagers.getTrustManagers(), null);
    try (Socket plain = new Socket("localhost", port);
        SSLSocket socket =
            (SSLSocket) context.getSocketFactory().createSocket(plain, hostName, port, true)) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      socket.setSSLParameters(parameters);
      socket.startHandshake();
    }
  }
}
