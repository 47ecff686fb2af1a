package dev.kafkasdk.producer.internal;

import dev.kafkasdk.core.internal.SecretRedaction;
import dev.kafkasdk.producer.Acks;
import java.time.Duration;
import java.util.Map;

/**
 * Everything a builder collected, before validation. Null means "not set".
 *
 * @param bootstrapServers from bootstrapServers(...)
 * @param clientId from clientId(...)
 * @param properties pass-through producer properties, in the order given
 * @param deliveryTimeout from deliveryTimeout(...)
 * @param closeTimeout how long close() waits for pending sends
 * @param unsafeAcks the explicit weak mode, if chosen
 * @param transaction transaction settings, or null for a non-transactional producer
 */
public record ProducerOptions(
    String bootstrapServers,
    String clientId,
    Map<String, Object> properties,
    Duration deliveryTimeout,
    Duration closeTimeout,
    Acks unsafeAcks,
    TransactionOptions transaction) {

  /** Shows the pass-through properties with their secrets hidden ({@link SecretRedaction}). */
  @Override
  public String toString() {
    return "ProducerOptions[bootstrapServers="
        + bootstrapServers
        + ", clientId="
        + clientId
        + ", properties="
        + (properties == null ? null : SecretRedaction.redacted(properties))
        + ", deliveryTimeout="
        + deliveryTimeout
        + ", closeTimeout="
        + closeTimeout
        + ", unsafeAcks="
        + unsafeAcks
        + ", transaction="
        + transaction
        + "]";
  }
}
