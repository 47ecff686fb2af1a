package dev.kafkasdk.producer.internal;

import dev.kafkasdk.core.internal.CauseChain;
import dev.kafkasdk.producer.ErrorCategory;
import dev.kafkasdk.producer.ProducerException;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.ApplicationRecoverableException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.BootstrapResolutionException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.InvalidTxnTimeoutException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.common.errors.TransactionAbortedException;
import org.apache.kafka.common.errors.TransactionCoordinatorFencedException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * The classification table of docs/producer.md. Kafka 4.4's KIP-1050 supertypes decide most cases
 * (the hierarchy is unchanged since 4.1, where KIP-1050 introduced it); concrete types that predate
 * them, that KIP-1050 places in a category whose action would be wrong for a producer, or that
 * stand outside it ({@link BootstrapResolutionException}, new in 4.4) are matched first.
 *
 * <p>Two questions are answered separately: what the caller should do ({@link #classify}, the
 * category) and whether the producer that raised the error can be used again ({@link
 * #replacesProducer}). They differ when Kafka puts a producer into its error state for a
 * configuration problem: the caller must fix the ACL, and the SDK must still replace the producer,
 * or it would keep failing after the fix.
 */
public final class ExceptionClassifier {
  // Deep enough for KafkaException(ExecutionException(CompletionException(...))) chains, bounded
  // so a cyclic cause chain cannot loop forever.
  private static final int MAX_DEPTH = CauseChain.MAX_DEPTH;

  /**
   * Errors with their own replacement reason tag, in match order.
   *
   * @param kafkaErrorState whether kafka-clients 4.4 turns this error into an error state the
   *     producer never leaves, whatever the error's category (its TransactionManager, or for a
   *     failed bootstrap its metadata)
   */
  private record Replacement(
      Class<? extends Throwable> type, String reason, boolean kafkaErrorState) {}

  private static final List<Replacement> REPLACEMENTS =
      List.of(
          new Replacement(ProducerFencedException.class, "fenced", true),
          new Replacement(InvalidProducerEpochException.class, "invalid-epoch", false),
          new Replacement(InvalidPidMappingException.class, "invalid-pid-mapping", true),
          new Replacement(OutOfOrderSequenceException.class, "out-of-order-sequence", false),
          new Replacement(InvalidTxnStateException.class, "invalid-txn-state", false),
          new Replacement(ClusterAuthorizationException.class, "cluster-authorization", true),
          new Replacement(
              TransactionalIdAuthorizationException.class, "transactional-id-authorization", true),
          new Replacement(AuthenticationException.class, "authentication", true),
          new Replacement(UnsupportedVersionException.class, "unsupported-version", true),
          new Replacement(BootstrapResolutionException.class, "bootstrap-resolution", true));

  private ExceptionClassifier() {}

  /**
   * Classifies an error by the first cause in its chain that has a known category.
   *
   * @param error the error
   * @param transactional whether it was raised inside a transaction
   * @return the category; {@link ErrorCategory#PRODUCER_FATAL} when nothing in the chain is known
   */
  public static ErrorCategory classify(Throwable error, boolean transactional) {
    Objects.requireNonNull(error, "error");
    Throwable t = error;
    for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
      ErrorCategory category = classifyOne(t);
      if (category != null) {
        return transactional && category == ErrorCategory.RETRIABLE
            ? ErrorCategory.ABORTABLE
            : category;
      }
    }
    // KIP-1050: any other KafkaException is fatal to the producer. Unknown non-Kafka errors get the
    // same conservative answer: replacing a healthy producer costs little, reusing a broken one can
    // reorder or lose records.
    return ErrorCategory.PRODUCER_FATAL;
  }

  /**
   * One classification: the caller's category, and whether the SDK replaces the producer.
   *
   * @param category what the caller should do
   * @param replaceProducer whether the producer that raised the error must be closed and a fresh
   *     one created for the next operation; always true for {@link ErrorCategory#PRODUCER_FATAL}
   */
  public record Verdict(ErrorCategory category, boolean replaceProducer) {}

  /**
   * Classifies an error and decides whether its producer is replaced.
   *
   * @param error the error
   * @param transactional whether it was raised inside a transaction
   * @return the category and the replacement decision
   */
  public static Verdict verdict(Throwable error, boolean transactional) {
    ErrorCategory category = classify(error, transactional);
    return new Verdict(
        category,
        category == ErrorCategory.PRODUCER_FATAL || replacesProducer(error, transactional));
  }

  /**
   * Tells whether the error shows that Kafka put the producer into an error state it never leaves.
   * kafka-clients 4.4 does so for the errors its {@code TransactionManager} treats as fatal
   * (cluster and transactional-id authorization, authentication, unsupported version, fencing, an
   * invalid producer id mapping); afterwards every send throws a plain {@code KafkaException}
   * ("Cannot execute transactional method because we are in an error state") around that error. A
   * producer whose {@code bootstrap.resolve.timeout.ms} expired (new in 4.4) throws {@code
   * BootstrapResolutionException} from every later call until it is closed and re-created. Outside
   * transactions every error state is final: only a transaction can be aborted out of one, so that
   * wrapper alone means the producer is dead whatever it wraps.
   *
   * @param error the error
   * @param transactional whether it was raised inside a transaction
   * @return true if the producer must be replaced, whatever the error's category
   */
  public static boolean replacesProducer(Throwable error, boolean transactional) {
    Throwable t = error;
    for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
      for (Replacement replacement : REPLACEMENTS) {
        if (replacement.kafkaErrorState() && replacement.type().isInstance(t)) {
          return true;
        }
      }
      if (!transactional && t.getClass() == KafkaException.class && t.getCause() != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * Tells whether the chain contains a Kafka or SDK error. A transaction body failing for another
   * reason is the application's own failure: the SDK aborts and rethrows it unchanged.
   *
   * @param error the error
   * @return true if some cause is a {@link KafkaException} or {@link ProducerException}
   */
  public static boolean isKafkaFailure(Throwable error) {
    return hasCause(error, KafkaException.class, ProducerException.class);
  }

  /**
   * Tells whether the error or one of its causes (up to the depth every check here searches) is an
   * instance of one of the types.
   *
   * @param error the error, or null
   * @param types the types looked for
   * @return true if some link of the chain is one of them
   */
  @SafeVarargs
  public static boolean hasCause(Throwable error, Class<? extends Throwable>... types) {
    return CauseChain.first(
            error,
            t -> {
              for (Class<? extends Throwable> type : types) {
                if (type.isInstance(t)) {
                  return true;
                }
              }
              return false;
            })
        != null;
  }

  /**
   * Returns the reason tag for replacing a producer after this error, from a small fixed set.
   *
   * @param error the fatal error
   * @return one of the {@code reason} tag values listed in {@code ProducerMeters.RECREATED}
   */
  public static String recreationReason(Throwable error) {
    Throwable t = error;
    for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
      for (Replacement replacement : REPLACEMENTS) {
        if (replacement.type().isInstance(t)) {
          return replacement.reason();
        }
      }
    }
    return "fatal-error";
  }

  private static ErrorCategory classifyOne(Throwable t) {
    if (t instanceof ProducerException sdk) {
      return sdk.category();
    }
    if (t instanceof ApplicationRecoverableException
        || t instanceof OutOfOrderSequenceException
        || t instanceof InvalidTxnStateException
        || t instanceof TransactionCoordinatorFencedException) {
      return ErrorCategory.PRODUCER_FATAL;
    }
    // Before InvalidConfigurationException: InvalidRecordException is one, but the fault is in the
    // record (e.g. a null key on a compacted topic), not in the configuration.
    if (t instanceof RecordTooLargeException
        || t instanceof SerializationException
        || t instanceof InvalidRecordException
        || t instanceof InvalidTimestampException) {
      return ErrorCategory.INVALID_RECORD;
    }
    // BootstrapResolutionException (kafka-clients 4.4, bootstrap.resolve.timeout.ms > 0): the
    // bootstrap servers never resolved. A plain KafkaException, so without this rule it would be
    // PRODUCER_FATAL ("retry"); Kafka says to fix bootstrap.servers or DNS and re-create the
    // client, which the replacement above does.
    if (t instanceof InvalidConfigurationException
        || t instanceof ConfigException
        || t instanceof BootstrapResolutionException
        || t instanceof InvalidTxnTimeoutException) {
      return ErrorCategory.CONFIGURATION;
    }
    if (t instanceof TransactionAbortableException
        || t instanceof TransactionAbortedException
        || t instanceof CommitFailedException) {
      return ErrorCategory.ABORTABLE;
    }
    if (t instanceof RetriableException || t instanceof InterruptException) {
      return ErrorCategory.RETRIABLE;
    }
    if (t instanceof ApiException) {
      // A broker rejected this request for a reason without its own rule (UnknownServerException,
      // PolicyViolationException, ...): the producer itself is fine. Transactional callers see
      // ABORTABLE, which is what Kafka's TransactionManager makes of such errors.
      return ErrorCategory.RETRIABLE;
    }
    // Plain KafkaException wrappers (a defunct producer rethrows its fatal error wrapped) and
    // non-Kafka exceptions: look at the cause.
    return null;
  }
}
