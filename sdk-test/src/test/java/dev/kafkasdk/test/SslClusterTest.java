package dev.kafkasdk.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.Test;

/** The TLS-only option: encryption and server authentication, no users, no ACLs. */
@KafkaTest(security = Security.SSL)
class SslClusterTest {

  @Test
  void trustingClientsRoundTripAndOthersFailTheHandshake(KafkaCluster kafka, TestNames names)
      throws Exception {
    kafka.createTopic(names.topic(), 1, 1);
    TestRecords records = TestRecords.of(kafka);
    records.produce(names.topic(), "k", "v");
    assertThat(records.readCommitted(names.topic(), Duration.ofSeconds(30)))
        .extracting(ConsumerRecord::value)
        .containsExactly("v");
    assertThat(kafka.clientProperties("anyone")).containsEntry("security.protocol", "SSL");

    Map<String, Object> untrusting = kafka.clientProperties("anyone");
    untrusting.put("ssl.truststore.certificates", TestCertificates.unrelatedCaPem());
    untrusting.put("default.api.timeout.ms", 20_000);
    untrusting.put("request.timeout.ms", 10_000);
    try (Admin admin = Admin.create(untrusting)) {
      assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(SslAuthenticationException.class);
    }
    assertThatThrownBy(() -> kafka.grant("anyone", null, "x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
