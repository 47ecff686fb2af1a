package dev.kafkasdk.producer;

import java.util.Objects;

/**
 * A transaction run by {@link TransactionalProducer#inTransaction} did not commit, and the SDK will
 * not try it again on its own.
 *
 * <p>What has already happened depends on the {@linkplain #category() category}:
 *
 * <ul>
 *   <li>{@link ErrorCategory#ABORTABLE}: every attempt was aborted; {@link #attempts()} tells how
 *       many ran. Nothing from them is visible to {@code read_committed} consumers.
 *   <li>{@link ErrorCategory#INVALID_RECORD} or {@link ErrorCategory#CONFIGURATION}: the
 *       transaction was aborted and not retried, because retrying would fail the same way.
 *   <li>{@link ErrorCategory#PRODUCER_FATAL}: the producer was closed without an abort (a fenced or
 *       defunct producer must not abort); the next call creates a fresh one. If {@link
 *       #commitOutcomeUnknown()} is true, the commit request may have reached the coordinator: the
 *       transaction is either fully committed or fully aborted, and the SDK cannot tell which.
 * </ul>
 *
 * <pre>{@code
 * try {
 *   producer.inTransaction(tx -> tx.send(record));
 * } catch (TransactionFailedException e) {
 *   if (e.category() == ErrorCategory.PRODUCER_FATAL) {
 *     rewindConsumerToCommittedOffsets();
 *   }
 * }
 * }</pre>
 */
public final class TransactionFailedException extends ProducerException {
  private static final long serialVersionUID = 1L;

  private final String transactionalId;
  private final int attempts;
  private final boolean commitOutcomeUnknown;

  /**
   * Creates the exception.
   *
   * @param transactionalId the {@code transactional.id} of the producer
   * @param attempts how many times the transaction body ran (0 if it never started)
   * @param commitOutcomeUnknown true if a commit may or may not have been applied
   * @param category what the failure means
   * @param message what happened
   * @param cause the Kafka error
   * @throws NullPointerException if {@code transactionalId}, {@code category} or {@code message} is
   *     null
   */
  public TransactionFailedException(
      String transactionalId,
      int attempts,
      boolean commitOutcomeUnknown,
      ErrorCategory category,
      String message,
      Throwable cause) {
    super(Objects.requireNonNull(message, "message"), category, cause);
    this.transactionalId = Objects.requireNonNull(transactionalId, "transactionalId");
    this.attempts = attempts;
    this.commitOutcomeUnknown = commitOutcomeUnknown;
  }

  /**
   * Returns the {@code transactional.id} of the producer that ran the transaction.
   *
   * @return the transactional id, never null
   */
  public String transactionalId() {
    return transactionalId;
  }

  /**
   * Returns how many times the transaction body ran before the SDK gave up.
   *
   * @return the number of attempts, 0 if the transaction never began
   */
  public int attempts() {
    return attempts;
  }

  /**
   * Tells whether the last commit timed out or was interrupted after being sent, so the transaction
   * may have committed. Re-running it can then write its records twice; a consume-transform-produce
   * loop that sent its offsets in the transaction is safe if it rewinds to the committed offsets.
   *
   * @return true if the outcome of the commit is unknown
   */
  public boolean commitOutcomeUnknown() {
    return commitOutcomeUnknown;
  }
}
