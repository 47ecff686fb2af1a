package dev.kafkasdk.producer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.producer.ErrorCategory;
import dev.kafkasdk.producer.ProducerMeters;
import dev.kafkasdk.producer.ProducerSendException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Replacement and circuit-breaker logic of the send path, driven through MockProducer so that the
 * exact error of each record is under the test's control. Broker-backed sends are tested in
 * ReliableProducerTest.
 */
class RecordSenderTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ProducerMetrics metrics = new ProducerMetrics(registry, "app", false);
  private final MockProducerFactory factory =
      new MockProducerFactory(
          () -> new MockProducer<>(false, null, new StringSerializer(), new StringSerializer()));
  private final ReplaceableProducer<String, String> producers =
      new ReplaceableProducer<>(factory, null, "app", metrics);

  @Test
  void aFatalErrorReplacesTheProducerOnceAndTheNextSendUsesAFreshOne() {
    RecordSender<String, String> sender = new RecordSender<>(producers, metrics, null, "app");
    CompletableFuture<RecordMetadata> first = sender.send(record("1"));
    CompletableFuture<RecordMetadata> second = sender.send(record("2"));
    MockProducer<String, String> original = factory.last();

    original.errorNext(new OutOfOrderSequenceException("sequence lost"));
    original.errorNext(new KafkaException("Producer is closed forcefully."));

    assertThat(category(first)).isEqualTo(ErrorCategory.PRODUCER_FATAL);
    assertThat(category(second)).isEqualTo(ErrorCategory.PRODUCER_FATAL);
    assertThat(recreated("out-of-order-sequence")).isEqualTo(1);
    assertThat(recreated("fatal-error"))
        .as("records failing because the defunct producer was closed do not replace it again")
        .isZero();

    CompletableFuture<RecordMetadata> third = sender.send(record("3"));
    assertThat(factory.created).hasSize(2);
    factory.last().completeNext();
    assertThat(third).isCompleted();
  }

  @Test
  void aProducerKafkaPutIntoItsFatalStateIsReplacedWhileTheCallerSeesConfiguration() {
    RecordSender<String, String> sender = new RecordSender<>(producers, metrics, null, "app");
    CompletableFuture<RecordMetadata> first = sender.send(record("1"));
    // What kafka-clients does after a refused InitProducerId (4.1 and 4.4, SecuredProducerTest):
    // the pending batch fails with the error itself, and every later send throws it wrapped in
    // the error-state KafkaException.
    factory.last().errorNext(new ClusterAuthorizationException("denied"));
    factory.last().sendException = errorState(new ClusterAuthorizationException("denied"));

    assertThat(category(first)).isEqualTo(ErrorCategory.CONFIGURATION);
    CompletableFuture<RecordMetadata> second = sender.send(record("2"));
    assertThat(factory.created)
        .as("the dead producer is closed and the next send goes to a fresh one")
        .hasSize(2);
    factory.last().completeNext();
    assertThat(second).isCompleted();
    await().atMost(Duration.ofSeconds(60)).until(() -> factory.created.get(0).closed());
    assertThat(recreated("cluster-authorization")).isEqualTo(1);
  }

  @Test
  void theErrorStateWrapperThrownBySendReplacesTheProducerAndKeepsTheCategory() {
    RecordSender<String, String> sender = new RecordSender<>(producers, metrics, null, "app");
    sender.send(record("0"));
    factory.last().completeNext();
    factory.last().sendException = errorState(new TransactionalIdAuthorizationException("denied"));

    CompletableFuture<RecordMetadata> refused = sender.send(record("1"));
    assertThat(category(refused)).isEqualTo(ErrorCategory.CONFIGURATION);

    factory.last().sendException = errorState(new UnsupportedVersionException("too old"));
    CompletableFuture<RecordMetadata> next = sender.send(record("2"));
    assertThat(factory.created).as("a fresh producer took the second send").hasSize(2);
    factory.last().completeNext();
    assertThat(next).isCompleted();
  }

  @Test
  void aProducerFailingWithKafkasInvalidTransitionStateIsReplaced() {
    RecordSender<String, String> sender = new RecordSender<>(producers, metrics, null, "app");
    sender.send(record("0"));
    factory.last().completeNext();
    // TransactionManager's fatal state after an invalid state transition on its I/O thread.
    factory.last().sendException =
        new IllegalStateException(
            "Producer with transactionalId 'null' cannot execute transactional method because of"
                + " previous invalid state transition attempt",
            new IllegalStateException("Invalid transition attempted"));

    CompletableFuture<RecordMetadata> refused = sender.send(record("1"));

    assertThat(category(refused)).isEqualTo(ErrorCategory.PRODUCER_FATAL);
    CompletableFuture<RecordMetadata> next = sender.send(record("2"));
    assertThat(factory.created).hasSize(2);
    factory.last().completeNext();
    assertThat(next).isCompleted();
  }

  @Test
  void anInvalidRecordFailsAloneAndKeepsTheProducer() {
    RecordSender<String, String> sender = new RecordSender<>(producers, metrics, null, "app");
    CompletableFuture<RecordMetadata> big = sender.send(record("big"));
    CompletableFuture<RecordMetadata> small = sender.send(record("small"));

    factory.last().errorNext(new RecordTooLargeException("too large"));
    factory.last().completeNext();

    assertThat(category(big)).isEqualTo(ErrorCategory.INVALID_RECORD);
    assertThat(small).isCompleted();
    assertThat(factory.created).hasSize(1);
    assertThat(
            registry
                .get(ProducerMeters.SEND)
                .tag(ProducerMeters.TAG_CATEGORY, "invalid_record")
                .timer()
                .count())
        .isEqualTo(1);
  }

  @Test
  void anOpenCircuitBreakerRejectsSendsWithoutTouchingKafka() {
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "kafka",
            CircuitBreakerConfig.custom()
                .slidingWindowSize(2)
                .minimumNumberOfCalls(2)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofMinutes(5))
                .build());
    RecordSender<String, String> sender = new RecordSender<>(producers, metrics, breaker, "app");
    sender.send(record("1"));
    sender.send(record("2"));
    factory.last().errorNext(new NotEnoughReplicasException("isr"));
    factory.last().errorNext(new NotEnoughReplicasException("isr"));
    assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
    int sentBefore = factory.last().history().size();

    CompletableFuture<RecordMetadata> rejected = sender.send(record("3"));

    assertThat(category(rejected)).isEqualTo(ErrorCategory.RETRIABLE);
    assertThat(rejected.handle((m, e) -> e.getCause()).join())
        .isInstanceOf(CallNotPermittedException.class);
    assertThat(factory.last().history()).hasSize(sentBefore);
    assertThat(
            registry
                .get(ProducerMeters.SEND)
                .tag(ProducerMeters.TAG_RESULT, "rejected")
                .timer()
                .count())
        .isEqualTo(1);
  }

  @Test
  void recordProblemsDoNotOpenTheBreaker() {
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "kafka",
            CircuitBreakerConfig.custom().slidingWindowSize(2).minimumNumberOfCalls(2).build());
    RecordSender<String, String> sender = new RecordSender<>(producers, metrics, breaker, "app");
    for (int i = 0; i < 4; i++) {
      sender.send(record("big"));
      factory.last().errorNext(new RecordTooLargeException("too large"));
    }
    assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  /** What a producer in Kafka's error state throws from every later send. */
  private static KafkaException errorState(RuntimeException cause) {
    return new KafkaException(
        "Cannot execute transactional method because we are in an error state", cause);
  }

  private static ProducerRecord<String, String> record(String value) {
    return new ProducerRecord<>("t", "k", value);
  }

  private static ErrorCategory category(CompletableFuture<RecordMetadata> future) {
    assertThat(future).isCompletedExceptionally();
    Throwable error = future.handle((m, e) -> e).join();
    if (error instanceof CompletionException) {
      error = error.getCause();
    }
    assertThat(error).isInstanceOf(ProducerSendException.class);
    return ((ProducerSendException) error).category();
  }

  /**
   * With nothing to time a send for (no registry in the composite, no breaker, no tracing), a
   * callback shared by many sends reaches Kafka as one object: a per-send object, kept until the
   * acknowledgement, cost the producer benchmark about a fifth of the raw producer's rate.
   */
  @Test
  void anUntimedSharedCallbackReachesKafkaAsOneObjectAndStillGetsEveryOutcome() {
    ProducerMetrics untimed = new ProducerMetrics(new CompositeMeterRegistry(), "app", false);
    CallbackRecordingFactory recording = new CallbackRecordingFactory();
    RecordSender<String, String> sender = recording.sender(untimed);
    List<RecordMetadata> acknowledged = new CopyOnWriteArrayList<>();
    List<Exception> failures = new CopyOnWriteArrayList<>();
    Callback shared =
        (metadata, error) -> {
          if (error == null) {
            acknowledged.add(metadata);
          } else {
            failures.add(error);
          }
        };

    sender.send(record("1"), shared);
    sender.send(record("2"), shared);
    sender.send(record("3"), shared);

    assertThat(recording.callbacks).hasSize(3);
    assertThat(recording.callbacks.get(1)).isSameAs(recording.callbacks.get(0));
    assertThat(recording.callbacks.get(2)).isSameAs(recording.callbacks.get(0));
    MockProducer<String, String> kafka = recording.last();
    kafka.completeNext();
    kafka.errorNext(new RecordTooLargeException("too large"));
    kafka.completeNext();
    assertThat(acknowledged).hasSize(2).allMatch(m -> m.topic().equals("t"));
    assertThat(failures).singleElement().isInstanceOf(ProducerSendException.class);
    ProducerSendException failure = (ProducerSendException) failures.get(0);
    assertThat(failure.category()).isEqualTo(ErrorCategory.INVALID_RECORD);
    assertThat(failure.topic()).isEqualTo("t");
  }

  @Test
  void aTimedSendKeepsAnObjectOfItsOwnAndIsRecorded() {
    CallbackRecordingFactory recording = new CallbackRecordingFactory();
    RecordSender<String, String> sender = recording.sender(metrics);
    Callback shared = (metadata, error) -> {};

    sender.send(record("1"), shared);
    sender.send(record("2"), shared);
    recording.last().completeNext();
    recording.last().completeNext();

    assertThat(recording.callbacks.get(1)).isNotSameAs(recording.callbacks.get(0));
    assertThat(successTimer(registry).count()).isEqualTo(2);
  }

  /**
   * A registry added to the (global) composite times the sends made from then on, once the sender
   * has seen it (within {@link ProducerMetrics#RECHECK_EVERY} sends); a send made before was
   * untimed, and is not recorded with a made-up duration.
   */
  @Test
  void aRegistryAddedLaterTimesTheSendsMadeOnceItIsSeen() {
    CompositeMeterRegistry composite = new CompositeMeterRegistry();
    ProducerMetrics later = new ProducerMetrics(composite, "app", false);
    CallbackRecordingFactory recording = new CallbackRecordingFactory();
    RecordSender<String, String> sender = recording.sender(later);
    Callback shared = (metadata, error) -> {};

    sender.send(record("before"), shared);
    SimpleMeterRegistry added = new SimpleMeterRegistry();
    composite.add(added);
    for (int i = 0; i < ProducerMetrics.RECHECK_EVERY; i++) {
      sender.send(record("filler-" + i), shared);
    }
    sender.send(record("after"), shared);
    CompletableFuture<RecordMetadata> future = sender.send(record("future"));
    MockProducer<String, String> kafka = recording.last();
    kafka.errorNext(new RecordTooLargeException("the untimed send fails"));
    for (int i = 0; i < ProducerMetrics.RECHECK_EVERY; i++) {
      kafka.completeNext();
    }
    long timedFillers =
        added.find(ProducerMeters.SEND).tag(ProducerMeters.TAG_RESULT, "success").timers().stream()
            .mapToLong(Timer::count)
            .sum();
    kafka.completeNext();
    kafka.completeNext();

    assertThat(future).isCompleted();
    assertThat(timedFillers).isLessThan(ProducerMetrics.RECHECK_EVERY);
    assertThat(successTimer(added).count())
        .as("the two sends made after the registry was seen")
        .isEqualTo(timedFillers + 2);
    assertThat(
            added
                .find(ProducerMeters.SEND)
                .tag(ProducerMeters.TAG_CATEGORY, ErrorCategory.INVALID_RECORD.tagValue())
                .timer())
        .as("the untimed send's failure, not recorded with a made-up duration")
        .isNull();
  }

  private static Timer successTimer(MeterRegistry registry) {
    return registry.get(ProducerMeters.SEND).tag(ProducerMeters.TAG_RESULT, "success").timer();
  }

  /** MockProducers that remember the Kafka-level callback of every send. */
  private static final class CallbackRecordingFactory implements ProducerFactory<String, String> {
    final List<Callback> callbacks = new CopyOnWriteArrayList<>();
    private MockProducer<String, String> last;

    @Override
    public synchronized ManagedProducer<String, String> create(
        String transactionalId, String clientId) {
      last =
          new MockProducer<>(false, null, new StringSerializer(), new StringSerializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(
                ProducerRecord<String, String> record, Callback callback) {
              callbacks.add(callback);
              return super.send(record, callback);
            }
          };
      return new ManagedProducer<>(last, null, clientId);
    }

    synchronized MockProducer<String, String> last() {
      return last;
    }

    /** A send path (no breaker, no tracing) over this factory's producers. */
    RecordSender<String, String> sender(ProducerMetrics metrics) {
      return new RecordSender<>(
          new ReplaceableProducer<>(this, null, "app", metrics), metrics, null, "app");
    }
  }

  private double recreated(String reason) {
    var counter =
        registry.find(ProducerMeters.RECREATED).tag(ProducerMeters.TAG_REASON, reason).counter();
    return counter == null ? 0 : counter.count();
  }
}
