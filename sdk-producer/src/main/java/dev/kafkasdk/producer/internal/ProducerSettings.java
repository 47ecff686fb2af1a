package dev.kafkasdk.producer.internal;

import dev.kafkasdk.producer.Acks;
import java.time.Duration;
import java.util.Map;

/**
 * Validated, immutable producer settings.
 *
 * @param kafkaConfig the Kafka producer properties, without {@code client.id} and {@code
 *     transactional.id} (set per producer by the factory)
 * @param clientId the configured client id
 * @param mode {@code idempotent}, {@code transactional} or {@code unsafe-acks-1}/{@code
 *     unsafe-acks-0}, for logs
 * @param acks the effective acks
 * @param closeTimeout how long close() waits for pending sends
 * @param transaction validated transaction settings, or null
 */
public record ProducerSettings(
    Map<String, Object> kafkaConfig,
    String clientId,
    String mode,
    Acks acks,
    Duration closeTimeout,
    TransactionOptions transaction) {

  /** Validates nothing; use {@link ProducerConfigResolver#resolve}. Copies the map. */
  public ProducerSettings {
    kafkaConfig = Map.copyOf(kafkaConfig);
  }

  /**
   * Tells whether this is a transactional producer.
   *
   * @return true if transaction settings are present
   */
  public boolean transactional() {
    return transaction != null;
  }

  /**
   * One line describing the reliability-relevant settings, for the start-up log.
   *
   * @return the summary
   */
  public String summary() {
    StringBuilder s = new StringBuilder();
    s.append("client.id=").append(clientId).append(", mode=").append(mode);
    for (String key :
        new String[] {
          "bootstrap.servers",
          "acks",
          "enable.idempotence",
          "max.in.flight.requests.per.connection",
          "retries",
          "delivery.timeout.ms",
          "request.timeout.ms",
          "linger.ms",
          "transaction.timeout.ms"
        }) {
      Object value = kafkaConfig.get(key);
      if (value != null) {
        s.append(", ").append(key).append('=').append(value);
      }
    }
    if (transaction != null) {
      s.append(", transactional.id prefix=")
          .append(transaction.idPrefix())
          .append(", max attempts=")
          .append(transaction.maxAttempts())
          .append(", max age=")
          .append(transaction.maxAge());
    }
    return s.toString();
  }
}
