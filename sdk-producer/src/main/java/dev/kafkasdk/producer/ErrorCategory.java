package dev.kafkasdk.producer;

import dev.kafkasdk.producer.internal.ExceptionClassifier;
import java.util.Locale;

/**
 * What a failed Kafka operation means for the caller, with one action per category.
 *
 * <p>Every {@link ProducerException} carries one. The table that maps Kafka's exceptions to
 * categories follows the KIP-1050 supertypes of Kafka 4.4 ({@code RetriableException}, {@code
 * ApplicationRecoverableException}, {@code InvalidConfigurationException}, {@code
 * TransactionAbortableException}) plus concrete types that predate them or stand outside them; it
 * is documented in {@code docs/producer.md}. Other modules (for example the consumer runners
 * deciding whether a record goes to a dead-letter topic) use {@link #of(Throwable)} to classify
 * errors the same way.
 *
 * <pre>{@code
 * try {
 *   producer.sendAndWait(record, Duration.ofSeconds(30));
 * } catch (ProducerSendException e) {
 *   switch (e.category()) {
 *     case RETRIABLE -> retryLater(record);
 *     case INVALID_RECORD -> deadLetter(record, e);
 *     default -> alertAndStop(e);
 *   }
 * }
 * }</pre>
 */
public enum ErrorCategory {
  /**
   * A transient failure (broker unavailable, not enough in-sync replicas, timeout). Kafka has
   * already retried internally until {@code delivery.timeout.ms}; the producer is healthy. A send
   * that expired because its partition has too few in-sync replicas says so and carries a
   * suppressed {@code NotEnoughReplicasException}. Action: send again later, or let a circuit
   * breaker hold sends back. A resend is at-least-once: if the first attempt was in fact stored,
   * the record is written twice.
   */
  RETRIABLE("send again later; the producer is healthy"),

  /**
   * The transaction could not commit and was aborted (or must be); the producer is still usable.
   * Action: run the whole transaction again. {@code TransactionalProducer} does this itself up to
   * its attempt limit. Outside transactions this category only appears for commit failures such as
   * Kafka's {@code CommitFailedException}.
   */
  ABORTABLE("run the whole transaction again"),

  /**
   * The underlying {@code KafkaProducer} is defunct (fenced by a newer instance with the same
   * {@code transactional.id}, epoch or sequence lost, or an unknown fatal error). The SDK has
   * already closed it; the next operation creates a fresh producer with the same {@code
   * transactional.id}, whose initialization fences any zombie. Action: retry on the fresh producer
   * (a consume-transform-produce loop must first rewind its consumer to the committed offsets).
   */
  PRODUCER_FATAL("the producer was replaced; retry, rewinding consumers to committed offsets"),

  /**
   * Configuration or authorization is wrong: authentication failed, an ACL is missing, the topic
   * name is invalid, the broker does not support a feature, a setting is out of the broker's range,
   * the bootstrap servers did not resolve within {@code bootstrap.resolve.timeout.ms}. Action: stop
   * and fix the configuration; retrying does not help. If Kafka put the producer into its error
   * state for this (cluster or transactional-id authorization, authentication, unsupported version,
   * bootstrap resolution), the SDK has replaced the producer, so sends work again once the cause is
   * fixed.
   */
  CONFIGURATION("stop and fix configuration or ACLs; do not retry"),

  /**
   * This one record can never be written (larger than {@code max.request.size} or the topic's
   * {@code max.message.bytes}, not serializable, rejected by the topic, for example a null key on a
   * compacted topic). The producer is healthy and other records are unaffected. Action: do not
   * retry the record; route it to a dead-letter topic or drop it. In a transaction the transaction
   * is aborted and not retried, because the same record would fail again.
   */
  INVALID_RECORD("do not retry this record; dead-letter or drop it");

  private final String action;

  ErrorCategory(String action) {
    this.action = action;
  }

  /**
   * Returns the one action this category asks for, as a short sentence for logs and messages.
   *
   * @return the recommended action, never null
   */
  public String action() {
    return action;
  }

  /**
   * Returns the value used for this category in meter tags, e.g. {@code producer_fatal}.
   *
   * @return the lower-case name
   */
  public String tagValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Classifies an error from a non-transactional client call. The cause chain is searched, so
   * wrappers such as {@code ExecutionException}, {@code CompletionException} or the {@code
   * KafkaException} a defunct producer throws are looked through. Errors of unknown type are {@link
   * #PRODUCER_FATAL}, the conservative choice.
   *
   * @param error the error, not null
   * @return its category, never null
   * @throws NullPointerException if {@code error} is null
   */
  public static ErrorCategory of(Throwable error) {
    return ExceptionClassifier.classify(error, false);
  }

  /**
   * Classifies an error raised inside a transaction. Same as {@link #of(Throwable)}, except that
   * transient errors become {@link #ABORTABLE}: a timed-out send inside a transaction must not be
   * re-sent on its own (KAFKA-18579); the transaction is aborted and run again.
   *
   * @param error the error, not null
   * @return its category, never null
   * @throws NullPointerException if {@code error} is null
   */
  public static ErrorCategory ofTransactional(Throwable error) {
    return ExceptionClassifier.classify(error, true);
  }
}
