package dev.kafkasdk.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.producer.internal.ProducerConfigResolver;
import dev.kafkasdk.producer.internal.ProducerSettings;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Secrets given to a producer builder never show in what the SDK prints about its configuration:
 * the builder, the options, the settings, the start-up summary, and a configuration error that
 * quotes the offending value. No broker needed: nothing here connects.
 */
class SecuredConfigurationTest {
  private static final String PASSWORD = "pw-Tz81mQ4v";
  private static final String JAAS =
      "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"alice\""
          + " password=\""
          + PASSWORD
          + "\";";

  @Test
  void theBuilderOptionsAndSettingsHideEverySecret() {
    ReliableProducer.Builder<String, String> builder =
        builder()
            .properties(
                Map.of(
                    "sasl.jaas.config",
                    JAAS,
                    "ssl.keystore.key",
                    "-----BEGIN PRIVATE KEY-----" + PASSWORD,
                    "ssl.key.password",
                    PASSWORD,
                    "ssl.truststore.type",
                    "PEM"));

    ProducerSettings settings = ProducerConfigResolver.resolve(builder.options(null));

    assertThat(settings.kafkaConfig()).containsEntry("sasl.jaas.config", JAAS);
    for (String shown :
        new String[] {
          builder.toString(),
          builder.options(null).toString(),
          settings.toString(),
          settings.summary()
        }) {
      assertThat(shown).doesNotContain(PASSWORD);
    }
    assertThat(settings.toString())
        .contains("sasl.jaas.config=[hidden]", "ssl.truststore.type=PEM", "security.protocol");
  }

  @Test
  void aConfigurationErrorNamesTheSecretSettingButNotItsValue() {
    // A password must be a string; Kafka's message quotes the value it refuses.
    SdkConfigException error =
        catchThrowableOfType(
            SdkConfigException.class,
            () -> builder().property("ssl.key.password", 918273645).build());

    assertThat(error.setting()).isEqualTo("ssl.key.password");
    assertThat(error.getMessage()).doesNotContain("918273645");
    for (Throwable t = error; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain("918273645");
    }
  }

  private static ReliableProducer.Builder<String, String> builder() {
    return ReliableProducer.builder(new StringSerializer(), new StringSerializer())
        .bootstrapServers("localhost:9092")
        .property("security.protocol", "SASL_SSL")
        .property("sasl.mechanism", "SCRAM-SHA-512");
  }
}
