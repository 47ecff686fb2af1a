package dev.kafkasdk.producer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kafkasdk.producer.ErrorCategory;
import dev.kafkasdk.producer.ProducerMeters;
import dev.kafkasdk.producer.Transaction;
import dev.kafkasdk.producer.TransactionFailedException;
import dev.kafkasdk.producer.TransactionResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The transaction state machine against MockProducer, for the paths a real broker cannot be made to
 * take on demand (commit timeouts, commit rejections). The broker-backed behaviour is in
 * TransactionsTest.
 */
class TransactionRunnerTest {
  private static final String TOPIC = "out";
  private static final String ID = "app-0";

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ProducerMetrics metrics = new ProducerMetrics(registry, "app", true);

  @Test
  void commitsTheSendsOfTheBody() {
    MockProducerFactory factory = new MockProducerFactory(TransactionRunnerTest::autoCompleting);
    TransactionRunner<String, String> runner = runner(factory, 3, 3);

    TransactionResult result =
        runner.run(
            tx -> {
              tx.send(TOPIC, "k", "v1");
              tx.send(TOPIC, "k", "v2");
            });

    assertThat(result.attempts()).isEqualTo(1);
    assertThat(result.records()).hasSize(2);
    assertThat(factory.last().transactionCommitted()).isTrue();
    assertThat(factory.last().history()).extracting(r -> r.value()).containsExactly("v1", "v2");
    assertThat(count(ProducerMetrics.COMMITTED)).isEqualTo(1);
  }

  @Test
  void retriesATimedOutCommitAsACommitAndNeverAborts() {
    AtomicInteger timeouts = new AtomicInteger(2);
    MockProducerFactory factory = new MockProducerFactory(() -> commitTimingOut(timeouts));
    TransactionRunner<String, String> runner = runner(factory, 3, 3);

    TransactionResult result = runner.run(tx -> tx.send(TOPIC, "k", "v"));

    assertThat(result.attempts()).isEqualTo(1);
    assertThat(factory.created).hasSize(1);
    assertThat(factory.last().transactionCommitted()).isTrue();
    assertThat(factory.last().transactionAborted()).isFalse();
  }

  @Test
  void aCommitThatKeepsTimingOutReplacesTheProducerWithoutAbortAndReportsUnknownOutcome() {
    AtomicInteger timeouts = new AtomicInteger(Integer.MAX_VALUE);
    MockProducerFactory factory = new MockProducerFactory(() -> commitTimingOut(timeouts));
    TransactionRunner<String, String> runner = runner(factory, 3, 2);

    TransactionFailedException e =
        catchThrowableOfType(
            TransactionFailedException.class, () -> runner.run(tx -> tx.send(TOPIC, "k", "v")));

    assertThat(e.category()).isEqualTo(ErrorCategory.PRODUCER_FATAL);
    assertThat(e.commitOutcomeUnknown()).isTrue();
    assertThat(e.attempts()).as("an unknown outcome is never re-run").isEqualTo(1);
    MockProducer<String, String> first = factory.created.get(0);
    assertThat(first.transactionAborted()).isFalse();
    assertThat(first.closed()).isTrue();
    assertThat(factory.created)
        .as("a fresh producer was initialized to complete or abort the old transaction")
        .hasSize(2);
    assertThat(factory.last().transactionInitialized()).isTrue();
    assertThat(recreated("commit-failed")).isEqualTo(1);
    assertThat(count(ProducerMetrics.ABORTED)).isZero();
    assertThat(count(ProducerMetrics.FAILED)).isEqualTo(1);
  }

  @Test
  void aRejectedCommitIsNotAbortedButRunAgainOnAFreshProducer() {
    AtomicInteger rejections = new AtomicInteger(1);
    MockProducerFactory factory =
        new MockProducerFactory(
            () ->
                new MockProducer<>(true, null, new StringSerializer(), new StringSerializer()) {
                  @Override
                  public void commitTransaction() {
                    if (rejections.getAndDecrement() > 0) {
                      throw new TransactionAbortableException("rejected");
                    }
                    super.commitTransaction();
                  }
                });
    TransactionRunner<String, String> runner = runner(factory, 3, 3);

    TransactionResult result = runner.run(tx -> tx.send(TOPIC, "k", "v"));

    assertThat(result.attempts()).isEqualTo(2);
    assertThat(factory.created.get(0).transactionAborted()).isFalse();
    assertThat(factory.created.get(0).closed()).isTrue();
    assertThat(factory.last().transactionCommitted()).isTrue();
  }

  @Test
  void aFencedProducerIsClosedWithoutAbortAndNotRecreatedEagerly() {
    MockProducerFactory factory = new MockProducerFactory(TransactionRunnerTest::autoCompleting);
    TransactionRunner<String, String> runner = runner(factory, 3, 3);

    TransactionFailedException e =
        catchThrowableOfType(
            TransactionFailedException.class,
            () ->
                runner.run(
                    tx -> {
                      factory.last().fenceProducer();
                      tx.send(TOPIC, "k", "v");
                    }));

    assertThat(e.category()).isEqualTo(ErrorCategory.PRODUCER_FATAL);
    assertThat(e.commitOutcomeUnknown()).isFalse();
    assertThat(factory.last().transactionAborted()).isFalse();
    assertThat(factory.last().closed()).isTrue();
    assertThat(factory.created)
        .as("re-initializing at once would fence the instance that now owns the id")
        .hasSize(1);
    assertThat(recreated("fenced")).isEqualTo(1);
    assertThat(count(ProducerMetrics.ABORTED)).isZero();

    runner.run(tx -> tx.send(TOPIC, "k", "after"));
    assertThat(factory.created).as("the next transaction creates a fresh producer").hasSize(2);
    assertThat(factory.last().transactionCommitted()).isTrue();
  }

  @Test
  void aDefunctProducerIsClosedWithoutAbortAndItsOpenTransactionEndedAtOnce() {
    MockProducerFactory factory = new MockProducerFactory(TransactionRunnerTest::autoCompleting);
    TransactionRunner<String, String> runner = runner(factory, 3, 3);

    TransactionFailedException e =
        catchThrowableOfType(
            TransactionFailedException.class,
            () ->
                runner.run(
                    tx -> {
                      tx.send(TOPIC, "k", "v");
                      throw new KafkaException("defunct");
                    }));

    assertThat(e.category()).isEqualTo(ErrorCategory.PRODUCER_FATAL);
    assertThat(factory.created.get(0).transactionAborted()).isFalse();
    assertThat(factory.created.get(0).closed()).isTrue();
    assertThat(factory.created)
        .as("a fresh producer's initTransactions() aborts the transaction left open")
        .hasSize(2);
    assertThat(factory.last().transactionInitialized()).isTrue();
  }

  @Test
  void aFailedAbortEndsTheOpenTransactionWithAFreshProducer() {
    MockProducerFactory factory =
        new MockProducerFactory(
            () ->
                new MockProducer<>(true, null, new StringSerializer(), new StringSerializer()) {
                  @Override
                  public void abortTransaction() {
                    throw new TimeoutException("abort timed out");
                  }
                });
    TransactionRunner<String, String> runner = runner(factory, 3, 3);
    IllegalArgumentException own = new IllegalArgumentException("bad input");

    assertThatThrownBy(
            () ->
                runner.run(
                    tx -> {
                      tx.send(TOPIC, "k", "v");
                      throw own;
                    }))
        .isSameAs(own);

    assertThat(factory.created.get(0).closed()).isTrue();
    assertThat(factory.created)
        .as("a fresh producer's initTransactions() aborts the transaction left open")
        .hasSize(2);
    assertThat(factory.last().transactionInitialized()).isTrue();
    assertThat(recreated("abort-failed")).isEqualTo(1);
  }

  @Test
  void anInvalidEpochDuringSendIsFatalToo() {
    MockProducerFactory factory = new MockProducerFactory(TransactionRunnerTest::manual);
    TransactionRunner<String, String> runner = runner(factory, 3, 3);

    TransactionFailedException e =
        catchThrowableOfType(
            TransactionFailedException.class,
            () ->
                runner.run(
                    tx -> {
                      tx.send(TOPIC, "k", "v");
                      factory.last().errorNext(new InvalidProducerEpochException("bumped"));
                    }));

    assertThat(e.category()).isEqualTo(ErrorCategory.PRODUCER_FATAL);
    assertThat(factory.last().transactionAborted()).isFalse();
    assertThat(recreated("invalid-epoch")).isEqualTo(1);
  }

  @Test
  void abortsAndRunsTheBodyAgainAfterAnAbortableSendFailure() {
    MockProducerFactory factory = new MockProducerFactory(TransactionRunnerTest::manual);
    TransactionRunner<String, String> runner = runner(factory, 3, 3);
    AtomicInteger runs = new AtomicInteger();

    TransactionResult result =
        runner.run(
            tx -> {
              runs.incrementAndGet();
              tx.send(TOPIC, "k", "attempt-" + tx.attempt());
              if (tx.attempt() == 1) {
                factory.last().errorNext(new TimeoutException("batch expired"));
              }
            });

    assertThat(runs).hasValue(2);
    assertThat(result.attempts()).isEqualTo(2);
    assertThat(factory.created).as("abortable: same producer").hasSize(1);
    assertThat(count(ProducerMetrics.ABORTED)).isEqualTo(1);
    assertThat(count(ProducerMetrics.COMMITTED)).isEqualTo(1);
  }

  @Test
  void givesUpAfterMaxAttemptsOfAbortableFailures() {
    MockProducerFactory factory = new MockProducerFactory(TransactionRunnerTest::manual);
    TransactionRunner<String, String> runner = runner(factory, 2, 3);

    TransactionFailedException e =
        catchThrowableOfType(
            TransactionFailedException.class,
            () ->
                runner.run(
                    tx -> {
                      tx.send(TOPIC, "k", "v");
                      factory.last().errorNext(new TimeoutException("batch expired"));
                    }));

    assertThat(e.category()).isEqualTo(ErrorCategory.ABORTABLE);
    assertThat(e.attempts()).isEqualTo(2);
    assertThat(count(ProducerMetrics.ABORTED)).isEqualTo(2);
  }

  @Test
  void anInvalidRecordAbortsOnceAndIsNotRetried() {
    MockProducerFactory factory = new MockProducerFactory(TransactionRunnerTest::manual);
    TransactionRunner<String, String> runner = runner(factory, 3, 3);

    TransactionFailedException e =
        catchThrowableOfType(
            TransactionFailedException.class,
            () ->
                runner.run(
                    tx -> {
                      tx.send(TOPIC, "k", "huge");
                      factory.last().errorNext(new RecordTooLargeException("too large"));
                    }));

    assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_RECORD);
    assertThat(e.attempts()).isEqualTo(1);
    assertThat(factory.last().transactionAborted()).isTrue();
  }

  @Test
  void theBodysOwnExceptionAbortsAndReachesTheCallerUnchanged() {
    MockProducerFactory factory = new MockProducerFactory(TransactionRunnerTest::autoCompleting);
    TransactionRunner<String, String> runner = runner(factory, 3, 3);
    IllegalArgumentException own = new IllegalArgumentException("bad input");

    assertThatThrownBy(
            () ->
                runner.run(
                    tx -> {
                      tx.send(TOPIC, "k", "v");
                      throw own;
                    }))
        .isSameAs(own);
    assertThat(factory.last().transactionAborted()).isTrue();
    assertThat(factory.last().transactionCommitted()).isFalse();
  }

  @Test
  void theTransactionCannotBeUsedAfterTheBodyOrNested() {
    MockProducerFactory factory = new MockProducerFactory(TransactionRunnerTest::autoCompleting);
    TransactionRunner<String, String> runner = runner(factory, 3, 3);
    AtomicReference<Transaction<String, String>> leaked = new AtomicReference<>();

    runner.run(leaked::set);

    assertThatThrownBy(() -> leaked.get().send(TOPIC, "k", "late"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is over");
    assertThatThrownBy(() -> runner.run(tx -> runner.run(inner -> {})))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot contain another");
  }

  @Test
  @SuppressWarnings("removal") // only a consumer makes real group metadata; a unit test builds one
  void offsetsGoIntoTheTransactionWithTheGroupMetadata() {
    MockProducerFactory factory = new MockProducerFactory(TransactionRunnerTest::autoCompleting);
    TransactionRunner<String, String> runner = runner(factory, 3, 3);
    ConsumerGroupMetadata group =
        new ConsumerGroupMetadata("g", 3, "member-1", java.util.Optional.empty());

    runner.run(
        tx -> {
          tx.send(TOPIC, "k", "v");
          tx.sendOffsets(Map.of(new TopicPartition("in", 0), new OffsetAndMetadata(42)), group);
        });

    assertThat(factory.last().consumerGroupOffsetsHistory())
        .containsExactly(
            Map.of("g", Map.of(new TopicPartition("in", 0), new OffsetAndMetadata(42))));
  }

  @Test
  void replacesAProducerOlderThanTheMaxAgeBeforeTheNextTransaction() {
    MockProducerFactory factory = new MockProducerFactory(TransactionRunnerTest::autoCompleting);
    TransactionRunner<String, String> runner =
        new TransactionRunner<>(
            new ReplaceableProducer<>(factory, ID, "app-0", metrics),
            ID,
            new TransactionOptions("app", Duration.ofMinutes(1), 3, 3, Duration.ofNanos(1), null),
            metrics,
            null,
            null);

    runner.run(tx -> tx.send(TOPIC, "k", "1"));
    runner.run(tx -> tx.send(TOPIC, "k", "2"));

    assertThat(factory.created).hasSize(2);
    assertThat(factory.created.get(0).closed()).isTrue();
    assertThat(recreated("max-age")).isEqualTo(1);
  }

  private TransactionRunner<String, String> runner(
      MockProducerFactory factory, int maxAttempts, int commitAttempts) {
    return new TransactionRunner<>(
        new ReplaceableProducer<>(factory, ID, "app-0", metrics),
        ID,
        new TransactionOptions(
            "app", Duration.ofMinutes(1), maxAttempts, commitAttempts, Duration.ofHours(1), null),
        metrics,
        null,
        null);
  }

  private long count(String outcome) {
    return registry
        .get(ProducerMeters.TRANSACTION)
        .tag(ProducerMeters.TAG_OUTCOME, outcome)
        .timer()
        .count();
  }

  private double recreated(String reason) {
    return registry
        .get(ProducerMeters.RECREATED)
        .tag(ProducerMeters.TAG_REASON, reason)
        .counter()
        .count();
  }

  private static MockProducer<String, String> autoCompleting() {
    return new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
  }

  private static MockProducer<String, String> manual() {
    return new MockProducer<>(false, null, new StringSerializer(), new StringSerializer());
  }

  private static MockProducer<String, String> commitTimingOut(AtomicInteger timeouts) {
    return new MockProducer<>(true, null, new StringSerializer(), new StringSerializer()) {
      @Override
      public void commitTransaction() {
        if (timeouts.getAndDecrement() > 0) {
          throw new TimeoutException("commit timed out");
        }
        super.commitTransaction();
      }
    };
  }
}
