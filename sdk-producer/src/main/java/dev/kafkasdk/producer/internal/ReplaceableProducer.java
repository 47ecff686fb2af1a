package dev.kafkasdk.producer.internal;

import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current underlying producer of one SDK producer. After a fatal error the defunct producer is
 * retired (closed at once) and the next {@link #get()} creates a fresh one with the same {@code
 * transactional.id}, whose {@code initTransactions()} fences any zombie.
 *
 * <p>Creation is lazy on purpose: if this instance is itself the zombie (another instance took over
 * its transactional.id), eagerly re-initializing would fence the legitimate owner before the
 * application even decided to continue.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class ReplaceableProducer<K, V> {
  private static final Logger log = LoggerFactory.getLogger(ReplaceableProducer.class);

  private final ProducerFactory<K, V> factory;
  private final String transactionalId;
  private final String clientId;
  private final ProducerMetrics metrics;
  // Volatile so that get() can skip the lock on the hot path; every write holds the lock.
  private volatile ManagedProducer<K, V> current;
  private volatile boolean closed;

  /**
   * Creates the holder; no producer exists until {@link #get()}.
   *
   * @param factory creates producers
   * @param transactionalId transactional.id of every producer created, or null
   * @param clientId client.id of every producer created
   * @param metrics counts replacements
   */
  public ReplaceableProducer(
      ProducerFactory<K, V> factory,
      String transactionalId,
      String clientId,
      ProducerMetrics metrics) {
    this.factory = Objects.requireNonNull(factory, "factory");
    this.transactionalId = transactionalId;
    this.clientId = Objects.requireNonNull(clientId, "clientId");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /**
   * Returns the current producer, creating one if there is none.
   *
   * @return the producer
   * @throws IllegalStateException if closed
   * @throws org.apache.kafka.common.KafkaException if creating the producer fails
   */
  public ManagedProducer<K, V> get() {
    ManagedProducer<K, V> producer = current;
    if (producer != null && !closed) {
      return producer;
    }
    return getOrCreate();
  }

  private synchronized ManagedProducer<K, V> getOrCreate() {
    if (closed) {
      throw new IllegalStateException("producer " + clientId + " is closed");
    }
    if (current == null) {
      current = factory.create(transactionalId, clientId);
      log.debug("Created Kafka producer {} (transactional.id={})", clientId, transactionalId);
    }
    return current;
  }

  /**
   * Returns the current producer without creating one.
   *
   * @return the producer, or null
   */
  public synchronized ManagedProducer<K, V> peek() {
    return current;
  }

  /**
   * Tells whether {@link #close(Duration)} was called.
   *
   * @return true once closed
   */
  public synchronized boolean isClosed() {
    return closed;
  }

  /**
   * Closes the given producer at once ({@link Duration#ZERO}: its pending sends fail) if it is
   * still the current one, and counts the replacement. Does nothing if it was already replaced, so
   * failures of records caught in the forced close do not cause a second replacement.
   *
   * @param producer the defunct producer
   * @param reason the reason tag
   * @param inBackground close on a new thread; required when called from a Kafka callback, which
   *     runs on the producer's own I/O thread
   * @return true if this call retired it
   */
  public boolean retire(ManagedProducer<K, V> producer, String reason, boolean inBackground) {
    synchronized (this) {
      if (current != producer || producer == null) {
        return false;
      }
      // Before a replacement can be created (get() takes the same lock): see unbindMetrics().
      producer.unbindMetrics();
      current = null;
    }
    metrics.recreated(reason);
    log.warn(
        "Closing Kafka producer {} (transactional.id={}) after {}; the next operation creates a"
            + " fresh one",
        clientId,
        transactionalId,
        reason);
    if (inBackground) {
      Thread closer = new Thread(() -> producer.close(Duration.ZERO), "ksdk-close-" + clientId);
      closer.setDaemon(true);
      closer.start();
    } else {
      producer.close(Duration.ZERO);
    }
    return true;
  }

  /**
   * Closes the current producer, waiting up to the timeout for pending sends. Idempotent.
   *
   * @param timeout how long to wait
   */
  public void close(Duration timeout) {
    ManagedProducer<K, V> toClose;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      toClose = current;
      current = null;
    }
    if (toClose != null) {
      toClose.close(timeout);
    }
  }
}
