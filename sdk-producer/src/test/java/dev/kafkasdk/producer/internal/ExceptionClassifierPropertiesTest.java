package dev.kafkasdk.producer.internal;

import static dev.kafkasdk.producer.ErrorCategory.ABORTABLE;
import static dev.kafkasdk.producer.ErrorCategory.CONFIGURATION;
import static dev.kafkasdk.producer.ErrorCategory.INVALID_RECORD;
import static dev.kafkasdk.producer.ErrorCategory.PRODUCER_FATAL;
import static dev.kafkasdk.producer.ErrorCategory.RETRIABLE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.producer.ErrorCategory;
import dev.kafkasdk.producer.ProducerSendException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.BootstrapResolutionException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.ControllerIdNotRegisteredException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.GroupDeletionFailedException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.InvalidTxnTimeoutException;
import org.apache.kafka.common.errors.LeaderNotAvailableException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.NotEnoughReplicasAfterAppendException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.StreamsTopologyDescriptionUpdateFailedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.common.errors.TransactionAbortedException;
import org.apache.kafka.common.errors.TransactionCoordinatorFencedException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.UnknownProducerIdException;
import org.apache.kafka.common.errors.UnknownServerException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The producer's classification table as a model, checked against generated errors and wrapper
 * chains: every error maps to exactly one category and one producer action (keep or replace),
 * wrappers never change the category, and a producer that Kafka put into its error state is always
 * replaced, in the classifier and in the send path.
 */
class ExceptionClassifierPropertiesTest {

  /** One row of the model: the error, its category outside transactions, and the action. */
  record Row(String name, Supplier<Throwable> error, ErrorCategory category, boolean replace) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** The wrappers an error reaches the classifier in. */
  enum Wrapper {
    EXECUTION,
    COMPLETION,
    /** A plain KafkaException around the cause, as kafka-clients writes its own wrappers. */
    KAFKA,
    /** The wrapper a producer in an error state throws from every later call. */
    ERROR_STATE;

    Throwable wrap(Throwable cause) {
      return switch (this) {
        case EXECUTION -> new ExecutionException(cause);
        case COMPLETION -> new CompletionException(cause);
        case KAFKA -> new KafkaException("wrapped", cause);
        case ERROR_STATE -> errorState(cause);
      };
    }

    /** Whether the wrapper itself says the producer can no longer send (outside transactions). */
    boolean marksDeadProducer() {
      return this == KAFKA || this == ERROR_STATE;
    }
  }

  private static final List<Row> TABLE =
      List.of(
          keep("NotEnoughReplicas", () -> new NotEnoughReplicasException("isr"), RETRIABLE),
          keep(
              "NotEnoughReplicasAfterAppend",
              () -> new NotEnoughReplicasAfterAppendException("isr"),
              RETRIABLE),
          keep("Timeout", () -> new TimeoutException("expired"), RETRIABLE),
          keep("Network", () -> new NetworkException("down"), RETRIABLE),
          keep("NotLeaderOrFollower", () -> new NotLeaderOrFollowerException("moved"), RETRIABLE),
          keep("LeaderNotAvailable", () -> new LeaderNotAvailableException("none"), RETRIABLE),
          keep("CorruptRecord", () -> new CorruptRecordException("crc"), RETRIABLE),
          keep("UnknownServer", () -> new UnknownServerException("?"), RETRIABLE),
          // New in Kafka 4.4: Admin and Streams errors without their own rule (a producer never
          // gets them), classified like any other broker refusal.
          keep("GroupDeletionFailed", () -> new GroupDeletionFailedException("del"), RETRIABLE),
          keep(
              "ControllerIdNotRegistered",
              () -> new ControllerIdNotRegisteredException("id"),
              RETRIABLE),
          keep(
              "StreamsTopologyDescriptionUpdateFailed",
              () -> new StreamsTopologyDescriptionUpdateFailedException("topology"),
              RETRIABLE),
          keep("Interrupt", ExceptionClassifierPropertiesTest::interrupt, RETRIABLE),
          keep("TransactionAborted", () -> new TransactionAbortedException("a"), ABORTABLE),
          keep("TransactionAbortable", () -> new TransactionAbortableException("a"), ABORTABLE),
          keep("CommitFailed", CommitFailedException::new, ABORTABLE),
          replace("ProducerFenced", () -> new ProducerFencedException("f"), PRODUCER_FATAL),
          replace(
              "InvalidProducerEpoch", () -> new InvalidProducerEpochException("e"), PRODUCER_FATAL),
          replace("InvalidPidMapping", () -> new InvalidPidMappingException("p"), PRODUCER_FATAL),
          replace("OutOfOrderSequence", () -> new OutOfOrderSequenceException("o"), PRODUCER_FATAL),
          replace("UnknownProducerId", () -> new UnknownProducerIdException("u"), PRODUCER_FATAL),
          replace("InvalidTxnState", () -> new InvalidTxnStateException("s"), PRODUCER_FATAL),
          replace(
              "TransactionCoordinatorFenced",
              () -> new TransactionCoordinatorFencedException("c"),
              PRODUCER_FATAL),
          replace(
              "ClosedForcefully", () -> new KafkaException("closed forcefully"), PRODUCER_FATAL),
          replace("IllegalState", () -> new IllegalStateException("?"), PRODUCER_FATAL),
          replace("Runtime", () -> new RuntimeException("?"), PRODUCER_FATAL),
          keep("RecordTooLarge", () -> new RecordTooLargeException("big"), INVALID_RECORD),
          keep("Serialization", () -> new SerializationException("bad"), INVALID_RECORD),
          keep("InvalidRecord", () -> new InvalidRecordException("null key"), INVALID_RECORD),
          keep("InvalidTimestamp", () -> new InvalidTimestampException("ts"), INVALID_RECORD),
          replace(
              "ClusterAuthorization",
              () -> new ClusterAuthorizationException("acl"),
              CONFIGURATION),
          replace(
              "TransactionalIdAuthorization",
              () -> new TransactionalIdAuthorizationException("acl"),
              CONFIGURATION),
          replace(
              "SaslAuthentication", () -> new SaslAuthenticationException("who"), CONFIGURATION),
          replace(
              "UnsupportedVersion", () -> new UnsupportedVersionException("old"), CONFIGURATION),
          // New in Kafka 4.4 (bootstrap.resolve.timeout.ms): every later call throws it until the
          // client is re-created.
          replace(
              "BootstrapResolution",
              () -> new BootstrapResolutionException("no such host"),
              CONFIGURATION),
          keep("TopicAuthorization", () -> new TopicAuthorizationException("acl"), CONFIGURATION),
          keep("GroupAuthorization", () -> new GroupAuthorizationException("acl"), CONFIGURATION),
          keep("InvalidTopic", () -> new InvalidTopicException("bad"), CONFIGURATION),
          keep(
              "RecordBatchTooLarge",
              () -> new RecordBatchTooLargeException("batch"),
              CONFIGURATION),
          keep("InvalidTxnTimeout", () -> new InvalidTxnTimeoutException("t"), CONFIGURATION),
          keep("Config", () -> new ConfigException("x", 1, "bad"), CONFIGURATION));

  /** Errors that kafka-clients 4.4 turns into an error state the producer never leaves. */
  private static final List<Row> FATAL_STATE =
      TABLE.stream()
          .filter(
              r ->
                  List.of(
                          "ClusterAuthorization",
                          "TransactionalIdAuthorization",
                          "SaslAuthentication",
                          "UnsupportedVersion",
                          "BootstrapResolution",
                          "ProducerFenced",
                          "InvalidPidMapping")
                      .contains(r.name()))
          .toList();

  @Provide
  Arbitrary<Row> rows() {
    return Arbitraries.of(TABLE);
  }

  @Provide
  Arbitrary<Row> fatalState() {
    return Arbitraries.of(FATAL_STATE);
  }

  /** Outside transactions: one category and one action per error, as the model says. */
  @Property
  void everyErrorHasTheModelsCategoryAndAction(
      @ForAll("rows") Row row, @ForAll @Size(max = 4) List<Wrapper> wrappers) {
    Throwable error = wrap(row.error().get(), wrappers);

    ExceptionClassifier.Verdict verdict = ExceptionClassifier.verdict(error, false);

    assertThat(verdict.category())
        .as("wrapping never changes the category")
        .isEqualTo(row.category);
    assertThat(ErrorCategory.of(error)).isEqualTo(verdict.category());
    boolean deadProducer = wrappers.stream().anyMatch(Wrapper::marksDeadProducer);
    assertThat(verdict.replaceProducer())
        .as("replace the producer")
        .isEqualTo(row.replace() || deadProducer);
    assertThat(ExceptionClassifier.verdict(error, false)).as("deterministic").isEqualTo(verdict);
  }

  /** Inside transactions: the same, except that transient errors abort the transaction. */
  @Property
  void insideATransactionRetriableBecomesAbortableAndNothingElseChanges(
      @ForAll("rows") Row row, @ForAll @Size(max = 4) List<Wrapper> wrappers) {
    Throwable error = wrap(row.error().get(), wrappers);

    ExceptionClassifier.Verdict verdict = ExceptionClassifier.verdict(error, true);

    ErrorCategory expected = row.category() == RETRIABLE ? ABORTABLE : row.category();
    assertThat(verdict.category()).isEqualTo(expected);
    assertThat(ErrorCategory.ofTransactional(error)).isEqualTo(expected);
    // A transaction is aborted out of an abortable error state: only fatal errors replace.
    assertThat(verdict.replaceProducer()).isEqualTo(row.replace());
  }

  /** Futures' own wrappers change nothing at all, neither category nor action. */
  @Property
  void futureWrappersChangeNeitherCategoryNorAction(
      @ForAll("rows") Row row,
      @ForAll @Size(max = 4) List<Wrapper> wrappers,
      @ForAll boolean transactional) {
    Throwable error = row.error().get();
    List<Wrapper> futureOnly =
        wrappers.stream().filter(w -> w == Wrapper.EXECUTION || w == Wrapper.COMPLETION).toList();

    assertThat(ExceptionClassifier.verdict(wrap(error, futureOnly), transactional))
        .isEqualTo(ExceptionClassifier.verdict(error, transactional));
  }

  /**
   * A producer Kafka put into its error state is replaced by the send path, whether the error
   * reached a record's callback or the next send threw it wrapped; the caller keeps the category,
   * and the next send goes to a fresh producer.
   */
  @Property(tries = 300)
  void aProducerInKafkasErrorStateIsAlwaysReplaced(
      @ForAll("fatalState") Row row, @ForAll boolean thrownBySend, @ForAll boolean transactional) {
    Throwable raw = row.error().get();
    assertThat(ExceptionClassifier.verdict(errorState(raw), transactional).replaceProducer())
        .isTrue();

    MockProducerFactory factory =
        new MockProducerFactory(
            () -> new MockProducer<>(false, null, new StringSerializer(), new StringSerializer()));
    ProducerMetrics metrics = new ProducerMetrics(null, "app", false);
    ReplaceableProducer<String, String> producers =
        new ReplaceableProducer<>(factory, null, "app", metrics);
    RecordSender<String, String> sender = new RecordSender<>(producers, metrics, null, "app");
    CompletableFuture<RecordMetadata> failed;
    if (thrownBySend) {
      producers.get().producer();
      factory.last().sendException = (RuntimeException) errorState(raw);
      failed = sender.send(record());
    } else {
      failed = sender.send(record());
      factory.last().errorNext((RuntimeException) raw);
    }

    Throwable error = failed.handle((m, e) -> e).join();
    assertThat(error).isInstanceOf(ProducerSendException.class);
    assertThat(((ProducerSendException) error).category()).isEqualTo(row.category());
    CompletableFuture<RecordMetadata> next = sender.send(record());
    assertThat(factory.created).hasSize(2);
    factory.last().completeNext();
    assertThat(next).isCompleted();
  }

  private static Throwable wrap(Throwable error, List<Wrapper> wrappers) {
    Throwable t = error;
    for (Wrapper wrapper : wrappers) {
      t = wrapper.wrap(t);
    }
    return t;
  }

  private static Throwable errorState(Throwable cause) {
    return new KafkaException(
        "Cannot execute transactional method because we are in an error state", cause);
  }

  private static ProducerRecord<String, String> record() {
    return new ProducerRecord<>("t", "k", "v");
  }

  private static Throwable interrupt() {
    InterruptException e = new InterruptException(new InterruptedException());
    // Kafka's constructor re-interrupts the thread; the test thread must not stay interrupted.
    Thread.interrupted();
    return e;
  }

  private static Row keep(String name, Supplier<Throwable> error, ErrorCategory category) {
    return new Row(name, error, category, false);
  }

  private static Row replace(String name, Supplier<Throwable> error, ErrorCategory category) {
    return new Row(name, error, category, true);
  }
}
