package dev.kafkasdk.producer;

import dev.kafkasdk.producer.internal.ProducerSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;

/**
 * A bounded pool of {@link TransactionalProducer}s for running transactions on many threads at
 * once. A transactional producer can hold only one open transaction, so it must never be shared by
 * concurrent transactions; the pool lends each call its own producer for the duration of the
 * transaction.
 *
 * <p>The pool holds at most {@code size} producers with {@code transactional.id}s {@code prefix-0}
 * to {@code prefix-(size-1)}, created on first use; the most recently returned producer is lent
 * first, so a lightly loaded pool keeps few producers. A producer older than the configured max age
 * is replaced before its next transaction. Thread-safe.
 *
 * <pre>{@code
 * try (TransactionalProducerPool<String, String> pool =
 *     ReliableProducer.builder(new StringSerializer(), new StringSerializer())
 *         .bootstrapServers("localhost:9092")
 *         .transactional("payments-1")
 *         .maxAge(Duration.ofHours(6))
 *         .buildPool(4)) {
 *   workers.submit(() -> pool.inTransaction(tx -> tx.send("payments", key, value)));
 * }
 * }</pre>
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class TransactionalProducerPool<K, V> implements AutoCloseable {
  private final ProducerSettings settings;
  private final List<TransactionalProducer<K, V>> members;
  private final LinkedBlockingDeque<TransactionalProducer<K, V>> idle;
  private final Runnable onClose;
  private final AtomicBoolean closed = new AtomicBoolean();
  // Nested calls on one thread would lease a second producer: two independent transactions that
  // look like one to the caller.
  private final ThreadLocal<Boolean> inTransaction = ThreadLocal.withInitial(() -> false);

  TransactionalProducerPool(
      ProducerSettings settings,
      int size,
      IntFunction<TransactionalProducer<K, V>> member,
      Runnable onClose) {
    this.settings = settings;
    List<TransactionalProducer<K, V>> all = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      all.add(member.apply(i));
    }
    this.members = List.copyOf(all);
    this.idle = new LinkedBlockingDeque<>(members);
    this.onClose = onClose;
  }

  /**
   * Runs the body in a transaction on a free producer of the pool, waiting up to the lease timeout
   * if all are busy; see {@link TransactionalProducer#inTransaction(TransactionBody)} for the
   * transaction semantics.
   *
   * @param body the sends (and offsets) to make atomic; may run more than once
   * @return the committed records and the number of attempts
   * @throws TransactionFailedException if no attempt committed
   * @throws IllegalStateException if the pool is closed, if no producer became free within the
   *     lease timeout, or if called from inside another transaction body of this pool
   * @throws RuntimeException whatever the body threw for its own reasons, after the abort
   */
  public TransactionResult inTransaction(TransactionBody<K, V> body) {
    Objects.requireNonNull(body, "body");
    requireOpen();
    if (inTransaction.get()) {
      throw new IllegalStateException(
          "inTransaction called inside a transaction of the same pool; a transaction cannot"
              + " contain another: send everything through the outer Transaction");
    }
    TransactionalProducer<K, V> producer = lease();
    inTransaction.set(true);
    try {
      producer.replaceIfOlderThanMaxAge();
      return producer.inTransaction(body);
    } finally {
      inTransaction.set(false);
      idle.offerFirst(producer);
    }
  }

  /**
   * Returns the maximum number of producers (and concurrent transactions).
   *
   * @return the pool size
   */
  public int size() {
    return members.size();
  }

  /**
   * Closes every producer, waiting up to the configured close timeout for each. Idempotent.
   * Transactions running concurrently fail.
   */
  @Override
  public void close() {
    close(settings.closeTimeout());
  }

  /**
   * Closes every producer, waiting up to {@code timeout} for each. Idempotent.
   *
   * @param timeout how long to wait per producer
   */
  public void close(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (TransactionalProducer<K, V> member : members) {
      member.close(timeout);
    }
    onClose.run();
  }

  private TransactionalProducer<K, V> lease() {
    Duration timeout = settings.transaction().leaseTimeout();
    try {
      TransactionalProducer<K, V> producer =
          idle.pollFirst(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (producer == null) {
        throw new IllegalStateException(
            "all "
                + members.size()
                + " transactional producers stayed busy for "
                + timeout
                + "; enlarge the pool or shorten transactions");
      }
      return producer;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a free producer", e);
    }
  }

  private void requireOpen() {
    if (closed.get()) {
      throw new IllegalStateException("TransactionalProducerPool is closed");
    }
  }
}
