package dev.kafkasdk.spring.internal;

import dev.kafkasdk.producer.ReliableProducer;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * One producer's health: {@code UP} while it accepts sends, {@code DOWN} once it is closed.
 * Details: {@code clientId}. A producer has no connection state of its own to report (Kafka
 * reconnects on its own and a send's failure is the send's), so a broker outage shows in the
 * runners and the send meters, not here.
 */
final class ProducerHealthIndicator implements HealthIndicator {
  private final ReliableProducer<?, ?> producer;

  ProducerHealthIndicator(ReliableProducer<?, ?> producer) {
    this.producer = producer;
  }

  @Override
  public Health health() {
    Health.Builder builder = producer.isClosed() ? Health.down() : Health.up();
    return builder.withDetail("clientId", producer.clientId()).build();
  }
}
