package dev.kafkasdk.producer.internal;

import dev.kafkasdk.core.internal.SecretRedaction;
import dev.kafkasdk.producer.Acks;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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
 * @param effective effective values (defaults included) of the reliability-relevant settings, in
 *     log order
 */
public record ProducerSettings(
    Map<String, Object> kafkaConfig,
    String clientId,
    String mode,
    Acks acks,
    Duration closeTimeout,
    TransactionOptions transaction,
    Map<String, Object> effective) {

  /** Reliability-relevant Kafka settings, shown with their effective values at start-up. */
  static final List<String> LOGGED =
      List.of(
          "bootstrap.servers",
          "acks",
          "enable.idempotence",
          "max.in.flight.requests.per.connection",
          "retries",
          "delivery.timeout.ms",
          "request.timeout.ms",
          "linger.ms",
          "max.block.ms",
          "transaction.timeout.ms");

  /** Validates nothing; use {@link ProducerConfigResolver#resolve}. Copies the maps. */
  public ProducerSettings {
    kafkaConfig = Map.copyOf(kafkaConfig);
    effective = Collections.unmodifiableMap(new LinkedHashMap<>(effective));
  }

  /**
   * Tells whether this is a transactional producer.
   *
   * @return true if transaction settings are present
   */
  public boolean transactional() {
    return transaction != null;
  }

  /** Shows the Kafka configuration with its secrets hidden ({@link SecretRedaction}). */
  @Override
  public String toString() {
    return "ProducerSettings[kafkaConfig="
        + SecretRedaction.redacted(kafkaConfig)
        + ", clientId="
        + clientId
        + ", mode="
        + mode
        + ", acks="
        + acks
        + ", closeTimeout="
        + closeTimeout
        + ", transaction="
        + transaction
        + ", effective="
        + SecretRedaction.redacted(effective)
        + "]";
  }

  /**
   * One line describing the reliability-relevant settings, for the start-up log.
   *
   * @return the summary
   */
  public String summary() {
    StringBuilder s = new StringBuilder();
    s.append("client.id=").append(clientId).append(", mode=").append(mode);
    effective.forEach(
        (key, value) ->
            s.append(", ").append(key).append('=').append(SecretRedaction.shown(key, value)));
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
