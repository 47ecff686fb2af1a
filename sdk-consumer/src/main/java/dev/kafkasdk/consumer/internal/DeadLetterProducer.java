package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.producer.ReliableProducer;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The SDK's idempotent producer for dead letters, with the consumer's connection settings
 * (bootstrap servers and security properties), so a runner that can read can also dead-letter.
 */
final class DeadLetterProducer {
  private DeadLetterProducer() {}

  /**
   * Creates the producer.
   *
   * @param consumerConfig the runner's consumer configuration
   * @param clientId the producer's {@code client.id}
   * @param registry where the producer's meters go
   * @param telemetry the runner's: with a registry, each dead letter's send is observed too
   */
  static ReliableProducer<byte[], byte[]> create(
      Map<String, Object> consumerConfig,
      String clientId,
      MeterRegistry registry,
      HandlerTelemetry telemetry) {
    ReliableProducer.Builder<byte[], byte[]> builder =
        ReliableProducer.builder(new ByteArraySerializer(), new ByteArraySerializer())
            .bootstrapServers(
                String.valueOf(consumerConfig.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)))
            .clientId(clientId)
            .meterRegistry(registry);
    telemetry.observeSends(builder);
    for (Map.Entry<String, Object> entry : consumerConfig.entrySet()) {
      String key = entry.getKey();
      if (key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.")) {
        builder.property(key, entry.getValue());
      }
    }
    return builder.build();
  }
}
