package dev.kafkasdk.producer.internal;

import dev.kafkasdk.core.internal.AccessFailure;
import dev.kafkasdk.producer.ErrorCategory;
import dev.kafkasdk.producer.ProducerSendException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.observation.Observation;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The non-transactional send path: circuit breaker, classification, meters, and replacement of the
 * producer after a fatal error.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class RecordSender<K, V> {
  private static final Logger log = LoggerFactory.getLogger(RecordSender.class);

  private final ReplaceableProducer<K, V> producers;
  private final ProducerMetrics metrics;
  private final CircuitBreaker breaker;
  private final String clientId;
  private final InSyncReplicaCheck isrCheck;
  private final SendObservations observations;
  // Logs the first of a run of retriable failures at WARN; an outage would otherwise log one WARN
  // per pending record.
  private final AtomicBoolean failing = new AtomicBoolean();

  /**
   * The outcome shared by untimed sends with the last callback seen. A race between callers with
   * different callbacks only costs an allocation.
   */
  private volatile UntimedSends untimed;

  /**
   * Creates the send path.
   *
   * @param producers the current producer
   * @param metrics meters
   * @param breaker circuit breaker, or null
   * @param clientId for logs
   */
  public RecordSender(
      ReplaceableProducer<K, V> producers,
      ProducerMetrics metrics,
      CircuitBreaker breaker,
      String clientId) {
    this(producers, metrics, breaker, clientId, null, null);
  }

  /**
   * Creates the send path with a check that explains expired batches.
   *
   * @param producers the current producer
   * @param metrics meters
   * @param breaker circuit breaker, or null
   * @param clientId for logs
   * @param isrCheck asked why a batch expired, or null; closed by {@link #close()}
   * @param observations observes each send, or null (tracing off: no allocation, no header)
   */
  public RecordSender(
      ReplaceableProducer<K, V> producers,
      ProducerMetrics metrics,
      CircuitBreaker breaker,
      String clientId,
      InSyncReplicaCheck isrCheck,
      SendObservations observations) {
    this.producers = Objects.requireNonNull(producers, "producers");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.breaker = breaker;
    this.clientId = clientId;
    this.isrCheck = isrCheck;
    this.observations = observations;
  }

  /** Releases what the send path holds besides the producer (the ISR check's Admin client). */
  public void close() {
    if (isrCheck != null) {
      isrCheck.close();
    }
  }

  /**
   * Sends a record.
   *
   * @param record the record
   * @return completes with metadata or a {@link ProducerSendException}
   * @throws IllegalStateException if the producer is closed
   */
  public CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record) {
    Objects.requireNonNull(record, "record");
    PendingSend result =
        new PendingSend(record.topic(), record.partition(), startTime(metrics.timing()));
    submit(record, result);
    return result;
  }

  /**
   * Sends a record and reports its outcome to a callback: on the producer's I/O thread, or on the
   * calling thread if the send fails before it reaches the producer. No future is created. When
   * nothing needs the send's start time or span (no meter registry recording, no breaker, no
   * tracing), sends sharing a callback share one object; otherwise each send allocates one, never
   * written after the send.
   *
   * @param record the record
   * @param callback gets the metadata, or metadata naming the topic and partition (offset -1) and a
   *     {@link ProducerSendException}
   * @throws IllegalStateException if the producer is closed
   */
  public void send(ProducerRecord<K, V> record, Callback callback) {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(callback, "callback");
    boolean timed = metrics.timing();
    if (observations == null && breaker == null && !timed) {
      // Measured: a per-send object kept until the acknowledgement cost the producer benchmark
      // about a fifth of the raw producer's rate (young collections copy every send in flight).
      submitUnobserved(record, untimedSends(callback));
      return;
    }
    submit(
        record, new CallbackSend(record.topic(), record.partition(), startTime(timed), callback));
  }

  private UntimedSends untimedSends(Callback callback) {
    UntimedSends sends = untimed;
    if (sends == null || sends.callback != callback) {
      sends = new UntimedSends(callback);
      untimed = sends;
    }
    return sends;
  }

  /**
   * A send's start time, or 0 when nobody will read its duration (the send is not {@code timed} by
   * the meters, no breaker): then the clock is not read.
   */
  private long startTime(boolean timed) {
    return timed || breaker != null ? System.nanoTime() : 0;
  }

  private void submit(ProducerRecord<K, V> record, Outcome<K, V> outcome) {
    if (observations == null) {
      submitUnobserved(record, outcome);
      return;
    }
    SendObservations.ObservedSend<K, V> observed = observations.start(record);
    if (observed == null) {
      submitUnobserved(record, outcome);
      return;
    }
    outcome.observe(observed.observation());
    try {
      submitUnobserved(observed.record(), outcome);
    } catch (RuntimeException e) {
      // Thrown to the caller (a closed producer): no outcome is reported, so stop it here.
      SendObservations.stop(observed.observation(), -1, -1, e);
      throw e;
    }
  }

  private void submitUnobserved(ProducerRecord<K, V> record, Submission<K, V> outcome) {
    if (breaker != null && !breaker.tryAcquirePermission()) {
      metrics.sendRejected();
      report(
          outcome.of(record),
          null,
          new ProducerSendException(
              record.topic(),
              partitionOf(record.partition(), null),
              ErrorCategory.RETRIABLE,
              "Send to "
                  + record.topic()
                  + " rejected without trying: circuit breaker '"
                  + breaker.getName()
                  + "' is "
                  + breaker.getState()
                  + " because recent sends failed; "
                  + ErrorCategory.RETRIABLE.action(),
              CallNotPermittedException.createCallNotPermittedException(breaker)));
      return;
    }
    for (int attempt = 0; ; attempt++) {
      ManagedProducer<K, V> producer;
      try {
        producer = producers.get();
      } catch (KafkaException e) {
        settle(null, null, e, outcome.of(record));
        return;
      } catch (RuntimeException e) {
        releasePermission();
        throw e;
      }
      Callback callback = outcome.sentWith(producer);
      try {
        producer.producer().send(record, callback);
        return;
      } catch (IllegalStateException e) {
        // The producer was retired by a concurrent fatal failure between get() and send(): the
        // record never entered it, so sending it on the replacement cannot duplicate it.
        if (attempt == 0 && !producers.isClosed() && producers.peek() != producer) {
          continue;
        }
        if (!producers.isClosed() && producers.peek() == producer) {
          // Nobody closed it: Kafka's fatal state after an invalid internal state transition,
          // which send() reports as an IllegalStateException. The producer must be replaced.
          settle(producer, null, e, outcome.of(record));
          return;
        }
        releasePermission();
        throw e;
      } catch (KafkaException e) {
        // Thrown synchronously: serialization failures, interrupts, a producer in a fatal state.
        settle(producer, null, e, outcome.of(record));
        return;
      } catch (RuntimeException e) {
        releasePermission();
        throw e;
      }
    }
  }

  /**
   * What the send loop needs of a send: the Kafka callback for the producer it goes into, and where
   * a failure before Kafka is reported.
   */
  private interface Submission<K, V> {
    /** The producer the record goes into; returns the Kafka callback for that send. */
    Callback sentWith(ManagedProducer<K, V> producer);

    /**
     * The outcome of {@code record} for a failure reported before it reached Kafka: this send's
     * own, or a new one when the submission is shared by many records.
     */
    Outcome<K, V> of(ProducerRecord<K, V> record);
  }

  /**
   * Where a send's outcome goes. Each send carries what its outcome needs (topic and partition for
   * error reports, the start time for meters, the producer it went into), not the record: key and
   * value are garbage once serialized into the batch, and holding them until the acknowledgement
   * would double the heap that in-flight sends take.
   */
  private interface Outcome<K, V> extends Submission<K, V> {
    String topic();

    Integer partition();

    long start();

    /** A send's own outcome is also that of a failure before Kafka. */
    @Override
    default Outcome<K, V> of(ProducerRecord<K, V> record) {
      return this;
    }

    /** Remembers the send's observation; called before the send, only when tracing is on. */
    void observe(Observation observation);

    /** The send's observation, or null when tracing is off. */
    Observation observation();

    void report(RecordMetadata metadata, ProducerSendException failure);
  }

  /**
   * The future handed to the caller and the producer's callback in one object: one allocation per
   * send instead of two, on the path every record takes.
   */
  private final class PendingSend extends CompletableFuture<RecordMetadata>
      implements Callback, Outcome<K, V> {
    private final String topic;
    private final Integer partition;
    private final long start;

    /** The producer the record went into; written before the send that calls back. */
    private ManagedProducer<K, V> producer;

    /** Null unless tracing is on; written before the send that calls back. */
    private Observation observation;

    PendingSend(String topic, Integer partition, long start) {
      this.topic = topic;
      this.partition = partition;
      this.start = start;
    }

    @Override
    public String topic() {
      return topic;
    }

    @Override
    public Integer partition() {
      return partition;
    }

    @Override
    public long start() {
      return start;
    }

    @Override
    public Callback sentWith(ManagedProducer<K, V> producer) {
      this.producer = producer;
      return this;
    }

    @Override
    public void observe(Observation observation) {
      this.observation = observation;
    }

    @Override
    public Observation observation() {
      return observation;
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception error) {
      settle(producer, metadata, error, this);
    }

    @Override
    public void report(RecordMetadata metadata, ProducerSendException failure) {
      if (failure == null) {
        complete(metadata);
      } else {
        completeExceptionally(failure);
      }
    }
  }

  /**
   * A send whose outcome goes to the caller's callback. Never written once sent: completing a
   * future writes into an object that has often been promoted by then, and with hundreds of
   * thousands of sends in flight those late writes cost the collector more than the allocation.
   */
  private final class CallbackSend implements Callback, Outcome<K, V> {
    private final String topic;
    private final Integer partition;
    private final long start;
    private final Callback callback;

    /** The producer the record went into; written before the send, never after. */
    private ManagedProducer<K, V> producer;

    /** Null unless tracing is on; written before the send, never after. */
    private Observation observation;

    CallbackSend(String topic, Integer partition, long start, Callback callback) {
      this.topic = topic;
      this.partition = partition;
      this.start = start;
      this.callback = callback;
    }

    @Override
    public String topic() {
      return topic;
    }

    @Override
    public Integer partition() {
      return partition;
    }

    @Override
    public long start() {
      return start;
    }

    @Override
    public Callback sentWith(ManagedProducer<K, V> producer) {
      this.producer = producer;
      return this;
    }

    @Override
    public void observe(Observation observation) {
      this.observation = observation;
    }

    @Override
    public Observation observation() {
      return observation;
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception error) {
      settle(producer, metadata, error, this);
    }

    @Override
    public void report(RecordMetadata metadata, ProducerSendException failure) {
      if (failure != null && metadata == null) {
        // Kafka's own contract: on failure the metadata names the topic and partition, offset -1.
        metadata =
            new RecordMetadata(
                new TopicPartition(topic, failure.partition()),
                -1,
                -1,
                -1L /* RecordBatch.NO_TIMESTAMP, internal since Kafka 4.4 */,
                -1,
                -1);
      }
      callback.onCompletion(metadata, failure);
    }
  }

  /**
   * Every untimed send with one callback: its Kafka callback is one object per producer, so such a
   * send allocates nothing of the SDK's. It has no outcome of its own: an acknowledgement goes
   * straight to the callback, and a failure gets an outcome naming the topic and partition from
   * Kafka's metadata (or the record, before Kafka).
   */
  private final class UntimedSends implements Submission<K, V> {
    private final Callback callback;
    private volatile ProducerCallback bound;

    UntimedSends(Callback callback) {
      this.callback = callback;
    }

    @Override
    public Callback sentWith(ManagedProducer<K, V> producer) {
      ProducerCallback current = bound;
      if (current == null || current.producer != producer) {
        current = new ProducerCallback(producer);
        bound = current;
      }
      return current;
    }

    @Override
    public Outcome<K, V> of(ProducerRecord<K, V> record) {
      return new CallbackSend(record.topic(), record.partition(), 0, callback);
    }

    /** Kafka's callback for the untimed sends into one producer. */
    private final class ProducerCallback implements Callback {
      private final ManagedProducer<K, V> producer;

      ProducerCallback(ManagedProducer<K, V> producer) {
        this.producer = producer;
      }

      @Override
      public void onCompletion(RecordMetadata metadata, Exception error) {
        if (error == null) {
          // settle()'s success path for an untimed send (nothing to record, no breaker, no span),
          // without settle()'s calls through Outcome: several send forms in one JVM make them
          // megamorphic on the I/O thread.
          failureRunEnded();
          callback.onCompletion(metadata, null);
          return;
        }
        // Kafka names the topic and partition (-1 if not chosen yet) in a failure's metadata.
        Outcome<K, V> failed =
            metadata == null
                ? new CallbackSend(null, null, 0, callback)
                : new CallbackSend(
                    metadata.topic(),
                    metadata.partition() >= 0 ? metadata.partition() : null,
                    0,
                    callback);
        settle(producer, metadata, error, failed);
      }
    }
  }

  private void settle(
      ManagedProducer<K, V> producer,
      RecordMetadata metadata,
      Exception error,
      Outcome<K, V> outcome) {
    long start = outcome.start();
    long elapsed = start != 0 ? System.nanoTime() - start : 0;
    if (error == null) {
      if (start != 0) {
        // An untimed send (no registry recording when it was made) is not recorded: it has no
        // duration, and a registry added since should not get a made-up one.
        metrics.sendSucceeded(elapsed);
      }
      if (breaker != null) {
        breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
      }
      failureRunEnded();
      report(outcome, metadata, null);
      return;
    }
    String topic = outcome.topic();
    ExceptionClassifier.Verdict verdict = ExceptionClassifier.verdict(error, false);
    ErrorCategory category = verdict.category();
    if (start != 0) {
      metrics.sendFailed(elapsed, category);
    }
    int partition = partitionOf(outcome.partition(), metadata);
    Exception reason = expiryReason(error, topic, partition);
    ProducerSendException failure =
        new ProducerSendException(
            topic,
            partition,
            category,
            "Send to "
                + topic
                + " failed ["
                + category
                + ": "
                + category.action()
                + "]: "
                + error
                + (reason == null ? "" : "; the partition's leader refuses the write: " + reason)
                + AccessFailure.describe(error).map(access -> "; " + access).orElse(""),
            error);
    if (reason != null) {
      failure.addSuppressed(reason);
    }
    if (breaker != null) {
      if (category == ErrorCategory.RETRIABLE) {
        breaker.onError(elapsed, TimeUnit.NANOSECONDS, failure);
      } else {
        // Not a sign of an unavailable cluster: neither a success nor a failure for the breaker.
        breaker.releasePermission();
      }
    }
    // Not only PRODUCER_FATAL: Kafka also kills a producer for errors whose category is
    // CONFIGURATION (an ACL), and a kept dead producer would fail every send after the fix.
    if (verdict.replaceProducer() && producer != null) {
      producers.retire(producer, ExceptionClassifier.recreationReason(error), true);
    }
    logFailure(topic, category, error);
    report(outcome, metadata, failure);
  }

  /**
   * Stops the send's observation, if any, then tells the caller: a caller that has its outcome
   * finds the send's span ended.
   */
  private static <K, V> void report(
      Outcome<K, V> outcome, RecordMetadata metadata, ProducerSendException failure) {
    Observation observation = outcome.observation();
    if (observation != null) {
      SendObservations.stop(
          observation,
          failure != null ? failure.partition() : metadata.partition(),
          failure == null && metadata.hasOffset() ? metadata.offset() : -1,
          failure);
    }
    outcome.report(metadata, failure);
  }

  /**
   * Why Kafka let a batch expire, when the partition's leader refuses writes for too few in-sync
   * replicas: Kafka retried those refusals silently and reports only the expiry.
   */
  private Exception expiryReason(Exception error, String topic, int partition) {
    if (isrCheck == null || partition < 0 || !(error instanceof TimeoutException)) {
      return null;
    }
    return isrCheck.check(new TopicPartition(topic, partition));
  }

  private void logFailure(String topic, ErrorCategory category, Exception error) {
    switch (category) {
      case RETRIABLE -> {
        if (failing.compareAndSet(false, true)) {
          log.warn(
              "Producer {}: send to {} failed [RETRIABLE] after Kafka's own retries: {} (further"
                  + " retriable failures are logged at DEBUG until a send succeeds)",
              clientId,
              topic,
              error.toString());
        } else {
          log.debug("Producer {}: send to {} failed [RETRIABLE]", clientId, topic, error);
        }
      }
      case INVALID_RECORD ->
          log.warn(
              "Producer {}: record for {} rejected [INVALID_RECORD]: {}",
              clientId,
              topic,
              error.toString());
      default ->
          log.error(
              "Producer {}: send to {} failed [{}]: {}",
              clientId,
              topic,
              category,
              AccessFailure.describe(error).orElse(category.action()),
              error);
    }
  }

  /** A send succeeded: the next retriable failure is logged at WARN again. */
  private void failureRunEnded() {
    if (failing.get()) {
      // Only after failures: a volatile write per acknowledgement would cost the I/O thread.
      failing.set(false);
    }
  }

  private void releasePermission() {
    if (breaker != null) {
      breaker.releasePermission();
    }
  }

  private static int partitionOf(Integer requested, RecordMetadata metadata) {
    if (metadata != null && metadata.partition() >= 0) {
      return metadata.partition();
    }
    return requested != null ? requested : -1;
  }
}
