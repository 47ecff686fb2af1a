package dev.kafkasdk.consumer.internal;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Parses a consumer configuration the way {@code KafkaConsumer} will, without creating a client and
 * without logging every value, so that invalid settings fail at build time.
 */
public final class ConsumerConfigCheck extends ConsumerConfig {

  private ConsumerConfigCheck(Map<String, Object> config) {
    super(config, false);
  }

  /**
   * Validates a complete configuration.
   *
   * @param config the configuration, deserializers included
   * @throws org.apache.kafka.common.config.ConfigException if {@code KafkaConsumer} would reject it
   */
  public static void validate(Map<String, Object> config) {
    new ConsumerConfigCheck(config);
  }
}
