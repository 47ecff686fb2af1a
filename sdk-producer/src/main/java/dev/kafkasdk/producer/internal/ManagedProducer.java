package dev.kafkasdk.producer.internal;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.Objects;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One underlying Kafka producer together with what must be closed with it (its Micrometer binder),
 * and when it was created.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class ManagedProducer<K, V> {
  private static final Logger log = LoggerFactory.getLogger(ManagedProducer.class);

  private final Producer<K, V> producer;
  private final KafkaClientMetrics clientMetrics;
  private final String clientId;
  private final long createdNanos;
  private boolean transactionsInitialized;
  private final Object metricsLock = new Object();
  private boolean metricsUnbound;

  /**
   * Wraps a producer.
   *
   * @param producer the producer
   * @param clientMetrics its bound Micrometer binder, or null if no registry is configured
   * @param clientId the producer's client.id
   */
  public ManagedProducer(
      Producer<K, V> producer, KafkaClientMetrics clientMetrics, String clientId) {
    this.producer = Objects.requireNonNull(producer, "producer");
    this.clientMetrics = clientMetrics;
    this.clientId = clientId;
    this.createdNanos = System.nanoTime();
  }

  /**
   * Returns the Kafka producer.
   *
   * @return the producer
   */
  public Producer<K, V> producer() {
    return producer;
  }

  /**
   * Returns the producer's client.id.
   *
   * @return the client id
   */
  public String clientId() {
    return clientId;
  }

  /**
   * Returns how long ago the producer was created.
   *
   * @return the age
   */
  public Duration age() {
    return Duration.ofNanos(System.nanoTime() - createdNanos);
  }

  /**
   * Tells whether this producer has outlived the maximum age. Only producers that have run a
   * transaction age: a producer created moments ago for the current transaction is never replaced.
   *
   * @param maxAge the maximum age
   * @return true if initialized for transactions and older than {@code maxAge}
   */
  public synchronized boolean olderThan(Duration maxAge) {
    return transactionsInitialized && age().compareTo(maxAge) > 0;
  }

  /**
   * Calls {@code initTransactions()} once; later calls do nothing.
   *
   * @throws org.apache.kafka.common.KafkaException as {@code initTransactions()} does
   */
  public synchronized void ensureTransactionsInitialized() {
    if (!transactionsInitialized) {
      producer.initTransactions();
      transactionsInitialized = true;
    }
  }

  /**
   * Removes this producer's client meters from the registry. Idempotent. A replacement producer has
   * the same client.id and therefore the same meter ids, so the old binder must be gone before the
   * new one binds, or closing it later would remove the new producer's meters.
   */
  public void unbindMetrics() {
    // Own lock: ensureTransactionsInitialized() holds the instance lock while Kafka blocks.
    synchronized (metricsLock) {
      if (clientMetrics != null && !metricsUnbound) {
        metricsUnbound = true;
        try {
          clientMetrics.close();
        } catch (RuntimeException e) {
          log.warn("Closing Kafka client metrics of producer {} failed", clientId, e);
        }
      }
    }
  }

  /**
   * Unbinds the metrics and closes the producer, waiting up to the timeout for pending sends.
   * Failures are logged, not thrown: closing is best effort.
   *
   * @param timeout how long to wait; {@link Duration#ZERO} abandons pending sends at once
   */
  public void close(Duration timeout) {
    unbindMetrics();
    try {
      producer.close(timeout);
    } catch (RuntimeException e) {
      log.warn("Closing Kafka producer {} failed", clientId, e);
    }
  }
}
