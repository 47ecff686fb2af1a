package dev.kafkasdk.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

class SecretRedactionTest {
  private static final String JAAS =
      "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"alice\""
          + " password=\"alice-s3cret\";";

  @Test
  void kafkaPasswordsAndSecretLookingNamesAreSecret() {
    for (String key :
        new String[] {
          "sasl.jaas.config",
          "ssl.keystore.key",
          "ssl.key.password",
          "ssl.keystore.password",
          "ssl.truststore.password",
          "ssl.truststore.certificates",
          "sasl.oauthbearer.client.credentials.client.secret",
          "my.app.api.secret",
          "SASL.JAAS.CONFIG",
          "custom.auth.token"
        }) {
      assertThat(SecretRedaction.isSecret(key)).as(key).isTrue();
    }
    for (String key :
        new String[] {
          "bootstrap.servers",
          "security.protocol",
          "sasl.mechanism",
          "ssl.truststore.location",
          "ssl.endpoint.identification.algorithm",
          "sasl.oauthbearer.token.endpoint.url",
          "acks"
        }) {
      assertThat(SecretRedaction.isSecret(key)).as(key).isFalse();
    }
  }

  @Test
  void redactedHidesSecretValuesAndKeepsTheRestInOrder() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("bootstrap.servers", "b:9092");
    config.put("sasl.jaas.config", JAAS);
    config.put("ssl.key.password", new Password("key-pass"));
    config.put("security.protocol", "SASL_SSL");

    Map<String, Object> shown = SecretRedaction.redacted(config);

    assertThat(shown)
        .containsExactly(
            Map.entry("bootstrap.servers", "b:9092"),
            Map.entry("sasl.jaas.config", SecretRedaction.HIDDEN),
            Map.entry("ssl.key.password", SecretRedaction.HIDDEN),
            Map.entry("security.protocol", "SASL_SSL"));
    assertThat(shown.toString()).doesNotContain("alice-s3cret", "key-pass");
  }

  @Test
  void scrubRemovesWholeSecretsAndThePasswordsInsideAJaasLine() {
    Map<String, Object> config =
        Map.of("sasl.jaas.config", JAAS, "ssl.key.password", new Password("key-pass"));

    assertThat(SecretRedaction.scrub("bad value " + JAAS + " here", config))
        .isEqualTo("bad value [hidden] here")
        .doesNotContain("alice");
    assertThat(SecretRedaction.scrub("password alice-s3cret and key-pass", config))
        .isEqualTo("password [hidden] and [hidden]");
    // The user name is not a secret: it stays, so a message can still say who was refused.
    assertThat(SecretRedaction.scrub("user alice", config)).isEqualTo("user alice");
    assertThat(SecretRedaction.scrub(null, config)).isNull();
  }

  @Test
  void quotesSecretLooksThroughTheCauseChain() {
    Map<String, Object> config = Map.of("sasl.jaas.config", JAAS);
    KafkaException quoting =
        new KafkaException("outer", new IllegalArgumentException("bad: alice-s3cret"));

    assertThat(SecretRedaction.quotesSecret(quoting, config)).isTrue();
    assertThat(SecretRedaction.quotesSecret(new KafkaException("outer"), config)).isFalse();
  }
}
