package dev.kafkasdk.producer.internal;

import dev.kafkasdk.core.internal.AccessFailure;
import dev.kafkasdk.producer.ErrorCategory;
import dev.kafkasdk.producer.TransactionBody;
import dev.kafkasdk.producer.TransactionFailedException;
import dev.kafkasdk.producer.TransactionResult;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs transaction bodies on one transactional producer: begin, body, commit; abort on failure; run
 * again on abortable failures; never abort after a failed commit; never abort with a fenced or
 * otherwise defunct producer. Whenever a producer is retired while its transaction may be open (a
 * fatal error, a failed commit, a failed abort), a fresh producer with the same id is initialized
 * at once so that the open transaction ends now, unless the epoch was taken over (fenced), in which
 * case it has already ended.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class TransactionRunner<K, V> {
  private static final Logger log = LoggerFactory.getLogger(TransactionRunner.class);

  private final ReplaceableProducer<K, V> producers;
  private final TransactionOptions options;
  private final ProducerMetrics metrics;
  private final CircuitBreaker breaker;
  private final String transactionalId;
  private final SendObservations observations;
  private final ReentrantLock lock = new ReentrantLock();
  private final Set<String> groupsWarnedWithoutGeneration = ConcurrentHashMap.newKeySet();

  /**
   * Creates the runner.
   *
   * @param producers holder of the transactional producer
   * @param transactionalId its transactional.id
   * @param options validated transaction options
   * @param metrics meters
   * @param breaker circuit breaker, or null
   * @param observations observes each send of a transaction, or null (tracing off)
   */
  public TransactionRunner(
      ReplaceableProducer<K, V> producers,
      String transactionalId,
      TransactionOptions options,
      ProducerMetrics metrics,
      CircuitBreaker breaker,
      SendObservations observations) {
    this.producers = Objects.requireNonNull(producers, "producers");
    this.transactionalId = Objects.requireNonNull(transactionalId, "transactionalId");
    this.options = Objects.requireNonNull(options, "options");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.breaker = breaker;
    this.observations = observations;
  }

  /**
   * Returns the transactional.id.
   *
   * @return the id
   */
  public String transactionalId() {
    return transactionalId;
  }

  /**
   * Runs one transaction; see {@code TransactionalProducer.inTransaction}.
   *
   * @param body the work
   * @return what was committed
   */
  public TransactionResult run(TransactionBody<K, V> body) {
    Objects.requireNonNull(body, "body");
    if (lock.isHeldByCurrentThread()) {
      throw new IllegalStateException(
          "inTransaction called inside a transaction of the same producer ("
              + transactionalId
              + "); a transaction cannot contain another: send everything through the outer"
              + " Transaction");
    }
    lock.lock();
    try {
      if (producers.isClosed()) {
        throw new IllegalStateException("transactional producer " + transactionalId + " is closed");
      }
      if (breaker != null && !breaker.tryAcquirePermission()) {
        throw new TransactionFailedException(
            transactionalId,
            0,
            false,
            ErrorCategory.RETRIABLE,
            "Transaction not started: circuit breaker '"
                + breaker.getName()
                + "' is "
                + breaker.getState()
                + " because recent transactions failed; "
                + ErrorCategory.RETRIABLE.action(),
            CallNotPermittedException.createCallNotPermittedException(breaker));
      }
      long start = System.nanoTime();
      try {
        TransactionResult result = attempts(body);
        if (breaker != null) {
          breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
        return result;
      } catch (TransactionFailedException e) {
        if (breaker != null) {
          if (e.category() == ErrorCategory.ABORTABLE || e.category() == ErrorCategory.RETRIABLE) {
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
          } else {
            breaker.releasePermission();
          }
        }
        throw e;
      } catch (RuntimeException | Error e) {
        if (breaker != null) {
          breaker.releasePermission();
        }
        throw e;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Replaces the producer before the next transaction if it is older than the maximum age. Called
   * with the lock free, e.g. by a pool when handing out a producer.
   */
  public void replaceIfOlderThanMaxAge() {
    lock.lock();
    try {
      ManagedProducer<K, V> current = producers.peek();
      if (current != null && current.olderThan(options.maxAge())) {
        producers.retire(current, "max-age", false);
      }
    } finally {
      lock.unlock();
    }
  }

  private TransactionResult attempts(TransactionBody<K, V> body) {
    int maxAttempts = options.maxAttempts();
    for (int attempt = 1; ; attempt++) {
      boolean lastAttempt = attempt >= maxAttempts;
      ManagedProducer<K, V> producer = readyProducer(attempt, lastAttempt);
      if (producer == null) {
        continue;
      }
      long start = System.nanoTime();
      try {
        producer.producer().beginTransaction();
      } catch (KafkaException e) {
        // beginTransaction only fails when the producer is already in an error state.
        ErrorCategory category = ExceptionClassifier.classify(e, true);
        producers.retire(producer, ExceptionClassifier.recreationReason(e), false);
        if (category == ErrorCategory.ABORTABLE && !lastAttempt) {
          continue;
        }
        throw failed(attempt - 1, false, category, "beginTransaction failed", e);
      }

      OpenTransaction<K, V> tx =
          new OpenTransaction<>(
              producer.producer(),
              transactionalId,
              attempt,
              observations,
              groupsWarnedWithoutGeneration);
      Throwable bodyFailure = null;
      try {
        body.run(tx);
      } catch (RuntimeException | Error e) {
        bodyFailure = e;
      }
      Throwable sendFailure = tx.finish();
      Throwable failure = bodyFailure != null ? bodyFailure : sendFailure;

      if (failure != null) {
        boolean kafkaFailure = ExceptionClassifier.isKafkaFailure(failure);
        ErrorCategory category = kafkaFailure ? ExceptionClassifier.classify(failure, true) : null;
        Throwable fatal =
            category == ErrorCategory.PRODUCER_FATAL
                ? failure
                : sendFailure != null
                        && ExceptionClassifier.classify(sendFailure, true)
                            == ErrorCategory.PRODUCER_FATAL
                    ? sendFailure
                    : null;
        if (fatal != null) {
          // A fenced or defunct producer must not abort: close it, and end what it left open.
          producers.retire(producer, ExceptionClassifier.recreationReason(fatal), false);
          endLeftOpen(fatal);
          metrics.transaction(ProducerMetrics.FAILED, System.nanoTime() - start);
          if (!kafkaFailure) {
            throw rethrow(failure);
          }
          log.error(
              "Transaction {} failed [PRODUCER_FATAL] on attempt {}; producer closed without"
                  + " abort: {}",
              transactionalId,
              attempt,
              fatal.toString());
          throw failed(
              attempt,
              false,
              ErrorCategory.PRODUCER_FATAL,
              "the producer is defunct (" + fatal + ") and was closed without aborting",
              failure);
        }
        boolean aborted = abort(producer, failure);
        metrics.transaction(
            aborted ? ProducerMetrics.ABORTED : ProducerMetrics.FAILED, System.nanoTime() - start);
        if (!kafkaFailure) {
          throw rethrow(failure);
        }
        if (category == ErrorCategory.ABORTABLE && !lastAttempt) {
          log.warn(
              "Transaction {} aborted on attempt {} of {} [ABORTABLE], running it again: {}",
              transactionalId,
              attempt,
              maxAttempts,
              failure.toString());
          continue;
        }
        log.error(
            "Transaction {} aborted on attempt {} [{}]: {}",
            transactionalId,
            attempt,
            category,
            category.action(),
            failure);
        throw failed(
            attempt,
            false,
            category,
            category == ErrorCategory.ABORTABLE
                ? "aborted on each of " + attempt + " attempts"
                : "aborted and not retried",
            failure);
      }

      KafkaException commitFailure = commit(producer);
      if (commitFailure == null) {
        metrics.transaction(ProducerMetrics.COMMITTED, System.nanoTime() - start);
        return new TransactionResult(transactionalId, attempt, tx.metadata());
      }
      // Never abort after a failed commit: the commit may have been applied. Replace the producer;
      // the fresh producer's initTransactions() completes or aborts what the old one left.
      boolean outcomeUnknown =
          commitFailure instanceof TimeoutException || commitFailure instanceof InterruptException;
      ErrorCategory category = ExceptionClassifier.classify(commitFailure, true);
      producers.retire(
          producer,
          category == ErrorCategory.PRODUCER_FATAL
              ? ExceptionClassifier.recreationReason(commitFailure)
              : "commit-failed",
          false);
      metrics.transaction(ProducerMetrics.FAILED, System.nanoTime() - start);
      endLeftOpen(commitFailure);
      if (!outcomeUnknown && category == ErrorCategory.ABORTABLE && !lastAttempt) {
        log.warn(
            "Transaction {}: commit rejected on attempt {} [ABORTABLE]; producer replaced, running"
                + " the transaction again: {}",
            transactionalId,
            attempt,
            commitFailure.toString());
        continue;
      }
      log.error(
          "Transaction {}: commit failed on attempt {}{}; producer replaced without abort",
          transactionalId,
          attempt,
          outcomeUnknown ? " with unknown outcome" : "",
          commitFailure);
      throw failed(
          attempt,
          outcomeUnknown,
          outcomeUnknown ? ErrorCategory.PRODUCER_FATAL : category,
          outcomeUnknown
              ? "commit did not complete after "
                  + options.commitAttempts()
                  + " attempts; it may or may not have been applied"
              : "commit failed",
          commitFailure);
    }
  }

  /** Returns an initialized producer, or null if this attempt is used up and another may follow. */
  private ManagedProducer<K, V> readyProducer(int attempt, boolean lastAttempt) {
    ManagedProducer<K, V> producer;
    try {
      producer = producers.get();
    } catch (KafkaException e) {
      throw failed(
          attempt - 1,
          false,
          ExceptionClassifier.classify(e, true),
          "creating the Kafka producer failed",
          e);
    }
    if (producer.olderThan(options.maxAge())) {
      producers.retire(producer, "max-age", false);
      producer = producers.get();
    }
    try {
      producer.ensureTransactionsInitialized();
      return producer;
    } catch (KafkaException e) {
      ErrorCategory category = ExceptionClassifier.classify(e, true);
      producers.retire(producer, "init-failed", false);
      if (category == ErrorCategory.ABORTABLE && !lastAttempt) {
        log.warn(
            "Transaction {}: initTransactions failed on attempt {}, trying again: {}",
            transactionalId,
            attempt,
            e.toString());
        return null;
      }
      throw failed(attempt - 1, false, category, "initTransactions failed", e);
    }
  }

  private KafkaException commit(ManagedProducer<K, V> producer) {
    KafkaException last = null;
    for (int i = 1; i <= options.commitAttempts(); i++) {
      try {
        producer.producer().commitTransaction();
        return null;
      } catch (TimeoutException e) {
        // Kafka: retrying commitTransaction() after a timeout is safe; anything else is not.
        last = e;
        log.warn(
            "Transaction {}: commit timed out (attempt {} of {}), retrying the commit",
            transactionalId,
            i,
            options.commitAttempts());
      } catch (KafkaException e) {
        return e;
      }
    }
    return last;
  }

  private boolean abort(ManagedProducer<K, V> producer, Throwable failure) {
    try {
      producer.producer().abortTransaction();
      return true;
    } catch (KafkaException | IllegalStateException e) {
      // IllegalStateException: the producer was closed concurrently; nothing left to abort.
      failure.addSuppressed(e);
      producers.retire(producer, "abort-failed", false);
      endLeftOpen(e);
      return false;
    }
  }

  /**
   * Ends the transaction a just retired producer may have left open (or whose commit may be in
   * progress), by initializing a fresh producer with the same id now: Kafka's initTransactions()
   * completes or aborts it before it returns. Left alone, it would stay open until {@code
   * transaction.timeout.ms}, holding back read_committed readers of its partitions and making the
   * group's offsets unstable for a consumer that rewinds to them. Not done when another producer
   * (or the coordinator, on a timeout) has taken the epoch over: it has already ended the
   * transaction, and re-initializing at once would fence the instance that now owns the id.
   */
  private void endLeftOpen(Throwable cause) {
    boolean epochTakenOver =
        ExceptionClassifier.hasCause(
            cause, ProducerFencedException.class, InvalidProducerEpochException.class);
    if (!epochTakenOver) {
      reinitializeQuietly();
    }
  }

  private void reinitializeQuietly() {
    try {
      producers.get().ensureTransactionsInitialized();
    } catch (KafkaException e) {
      ManagedProducer<K, V> broken = producers.peek();
      producers.retire(broken, "init-failed", false);
      log.warn(
          "Transaction {}: re-initializing to end the retired producer's transaction failed; the"
              + " next transaction tries again: {}",
          transactionalId,
          e.toString());
    } catch (IllegalStateException e) {
      // Closed concurrently: nothing to re-initialize.
    }
  }

  private TransactionFailedException failed(
      int attempts, boolean outcomeUnknown, ErrorCategory category, String what, Throwable cause) {
    return new TransactionFailedException(
        transactionalId,
        Math.max(attempts, 0),
        outcomeUnknown,
        category,
        "Transaction "
            + transactionalId
            + " failed ["
            + category
            + ": "
            + category.action()
            + "]: "
            + what
            + AccessFailure.describe(cause).map(access -> "; " + access).orElse(""),
        cause);
  }

  private static RuntimeException rethrow(Throwable failure) {
    if (failure instanceof Error error) {
      throw error;
    }
    return (RuntimeException) failure;
  }
}
