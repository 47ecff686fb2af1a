package dev.kafkasdk.consumer.internal;

import static dev.kafkasdk.consumer.ConsumerMeters.CIRCUIT_STATE;
import static dev.kafkasdk.consumer.ConsumerMeters.COMMIT;
import static dev.kafkasdk.consumer.ConsumerMeters.DEAD_LETTERS;
import static dev.kafkasdk.consumer.ConsumerMeters.HANDLER_SLOW;
import static dev.kafkasdk.consumer.ConsumerMeters.IN_FLIGHT;
import static dev.kafkasdk.consumer.ConsumerMeters.IN_FLIGHT_LIMIT;
import static dev.kafkasdk.consumer.ConsumerMeters.LAG;
import static dev.kafkasdk.consumer.ConsumerMeters.PARTITIONS_PAUSED;
import static dev.kafkasdk.consumer.ConsumerMeters.PARTITIONS_STUCK;
import static dev.kafkasdk.consumer.ConsumerMeters.PARTITIONS_USER_PAUSED;
import static dev.kafkasdk.consumer.ConsumerMeters.PROCESS;
import static dev.kafkasdk.consumer.ConsumerMeters.QUEUED;
import static dev.kafkasdk.consumer.ConsumerMeters.REBALANCE_PARTITIONS;
import static dev.kafkasdk.consumer.ConsumerMeters.RECORDS;
import static dev.kafkasdk.consumer.ConsumerMeters.RETRIES;
import static dev.kafkasdk.consumer.ConsumerMeters.RETRY_CHAIN_EXHAUSTED;
import static dev.kafkasdk.consumer.ConsumerMeters.RETRY_PARTITIONS_WAITING;
import static dev.kafkasdk.consumer.ConsumerMeters.RETRY_TOPIC_SENDS;
import static dev.kafkasdk.consumer.ConsumerMeters.SHARE_ACKNOWLEDGEMENTS;
import static dev.kafkasdk.consumer.ConsumerMeters.SHARE_DELIVERY_COUNT;
import static dev.kafkasdk.consumer.ConsumerMeters.SHARE_LOCKS_LOST;
import static dev.kafkasdk.consumer.ConsumerMeters.SKIPPED;
import static dev.kafkasdk.consumer.ConsumerMeters.TAG_EVENT;
import static dev.kafkasdk.consumer.ConsumerMeters.TAG_MODE;
import static dev.kafkasdk.consumer.ConsumerMeters.TAG_OUTCOME;
import static dev.kafkasdk.consumer.ConsumerMeters.TAG_RESULT;
import static dev.kafkasdk.consumer.ConsumerMeters.TAG_RUNNER;
import static dev.kafkasdk.consumer.ConsumerMeters.TAG_TYPE;
import static dev.kafkasdk.consumer.ConsumerMeters.TRANSACTIONS;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.clients.consumer.AcknowledgeType;

/** The runner's SDK meters (see {@code ConsumerMeters}); removed from the registry on close. */
final class RunnerMetrics implements AutoCloseable {
  private final MeterRegistry registry;
  private final String runner;
  private final List<Meter> meters = new ArrayList<>();

  private final Counter recordsSuccess;
  private final Counter recordsFailure;
  private final Counter recordsAbandoned;
  private final Timer processSuccess;
  private final Timer processFailure;
  private final Timer commitAsyncSuccess;
  private final Timer commitAsyncFailure;
  private final Timer commitSyncSuccess;
  private final Timer commitSyncFailure;
  private final Counter slowHandler;
  private final Counter assigned;
  private final Counter revoked;
  private final Counter lost;
  private final Counter retries;
  private final Counter deadLettersSuccess;
  private final Counter deadLettersFailure;
  private final Counter skipped;
  private final Counter retryTopicSuccess;
  private final Counter retryTopicFailure;
  private final Counter retryChainExhausted;
  private final Counter transactionsCommitted;
  private final Counter transactionsAborted;

  RunnerMetrics(MeterRegistry registry, String runner, Collection<LoopStats> loops) {
    this.registry = registry;
    this.runner = runner;
    recordsSuccess = counter(RECORDS, "records finished", TAG_OUTCOME, "success");
    recordsFailure = counter(RECORDS, "records finished", TAG_OUTCOME, "failure");
    recordsAbandoned = counter(RECORDS, "records finished", TAG_OUTCOME, "abandoned");
    processSuccess = timer(PROCESS, "handler calls", TAG_OUTCOME, "success");
    processFailure = timer(PROCESS, "handler calls", TAG_OUTCOME, "failure");
    commitAsyncSuccess = timer(COMMIT, "offset commits", TAG_MODE, "async", TAG_RESULT, "success");
    commitAsyncFailure = timer(COMMIT, "offset commits", TAG_MODE, "async", TAG_RESULT, "failure");
    commitSyncSuccess = timer(COMMIT, "offset commits", TAG_MODE, "sync", TAG_RESULT, "success");
    commitSyncFailure = timer(COMMIT, "offset commits", TAG_MODE, "sync", TAG_RESULT, "failure");
    slowHandler = counter(HANDLER_SLOW, "handler calls slower than the threshold");
    assigned = counter(REBALANCE_PARTITIONS, "partitions assigned", TAG_EVENT, "assigned");
    revoked = counter(REBALANCE_PARTITIONS, "partitions revoked", TAG_EVENT, "revoked");
    lost = counter(REBALANCE_PARTITIONS, "partitions lost", TAG_EVENT, "lost");
    retries = counter(RETRIES, "handler calls scheduled again after a failure");
    deadLettersSuccess = counter(DEAD_LETTERS, "dead letters published", TAG_RESULT, "success");
    deadLettersFailure = counter(DEAD_LETTERS, "dead letters published", TAG_RESULT, "failure");
    skipped = counter(SKIPPED, "failed records skipped");
    retryTopicSuccess =
        counter(RETRY_TOPIC_SENDS, "records sent to a retry topic", TAG_RESULT, "success");
    retryTopicFailure =
        counter(RETRY_TOPIC_SENDS, "records sent to a retry topic", TAG_RESULT, "failure");
    retryChainExhausted =
        counter(RETRY_CHAIN_EXHAUSTED, "records dead-lettered after the last retry topic");
    transactionsCommitted =
        counter(TRANSACTIONS, "exactly-once transactions", TAG_OUTCOME, "committed");
    transactionsAborted =
        counter(TRANSACTIONS, "exactly-once transactions", TAG_OUTCOME, "aborted");
    gauge(IN_FLIGHT, "records polled and not yet committable", loops, s -> s.inFlight.get());
    gauge(
        IN_FLIGHT_LIMIT,
        "the in-flight limit in force, summed over the runner's consumers",
        loops,
        s -> s.inFlightLimit.get());
    gauge(QUEUED, "records waiting for a worker", loops, s -> s.queued.get());
    gauge(PARTITIONS_PAUSED, "partitions paused by the SDK", loops, s -> s.paused.get());
    gauge(
        PARTITIONS_USER_PAUSED,
        "partitions paused by the application",
        loops,
        s -> s.userPaused.get());
    gauge(LAG, "records not yet processed", loops, s -> s.lag.get());
    gauge(
        RETRY_PARTITIONS_WAITING,
        "retry-topic partitions paused until their next record is due",
        loops,
        s -> s.retryWaiting.get());
  }

  /**
   * Registers the share-group meters; only share-group runners have them.
   *
   * @return the meters
   */
  ShareMeters shareMeters() {
    EnumMap<AcknowledgeType, Counter> acknowledgements = new EnumMap<>(AcknowledgeType.class);
    for (AcknowledgeType type : AcknowledgeType.values()) {
      acknowledgements.put(
          type,
          counter(
              SHARE_ACKNOWLEDGEMENTS,
              "share-group acknowledgements",
              TAG_TYPE,
              type.name().toLowerCase(java.util.Locale.ROOT)));
    }
    DistributionSummary deliveries =
        DistributionSummary.builder(SHARE_DELIVERY_COUNT)
            .description("delivery count of each record handed to the handler")
            .tag(TAG_RUNNER, runner)
            .register(registry);
    meters.add(deliveries);
    Counter locksLost =
        counter(SHARE_LOCKS_LOST, "records whose acquisition lock was lost while processed");
    return new ShareMeters(acknowledgements, deliveries, locksLost);
  }

  /** The share-group runner's meters. */
  static final class ShareMeters implements ShareAcknowledgements.Counts {
    private final EnumMap<AcknowledgeType, Counter> acknowledgements;
    private final DistributionSummary deliveries;
    private final Counter locksLost;

    private ShareMeters(
        EnumMap<AcknowledgeType, Counter> acknowledgements,
        DistributionSummary deliveries,
        Counter locksLost) {
      this.acknowledgements = acknowledgements;
      this.deliveries = deliveries;
      this.locksLost = locksLost;
    }

    @Override
    public void acknowledged(AcknowledgeType type) {
      acknowledgements.get(type).increment();
    }

    @Override
    public void lockLost() {
      locksLost.increment();
    }

    void delivered(int deliveryCount) {
      deliveries.record(deliveryCount);
    }
  }

  /** Counts finished records by outcome. */
  void records(int success, int failure, int abandoned) {
    if (success > 0) {
      recordsSuccess.increment(success);
    }
    if (failure > 0) {
      recordsFailure.increment(failure);
    }
    if (abandoned > 0) {
      recordsAbandoned.increment(abandoned);
    }
  }

  /** Times one successful handler call. */
  void handled(long nanos) {
    processSuccess.record(nanos, TimeUnit.NANOSECONDS);
  }

  void handlerFailed(long nanos) {
    processFailure.record(nanos, TimeUnit.NANOSECONDS);
  }

  void retry() {
    retries.increment();
  }

  void deadLetter(boolean success, int records) {
    (success ? deadLettersSuccess : deadLettersFailure).increment(records);
  }

  void retryTopicSent(boolean success) {
    (success ? retryTopicSuccess : retryTopicFailure).increment();
  }

  void retryChainExhausted() {
    retryChainExhausted.increment();
  }

  void skipped(int records) {
    skipped.increment(records);
  }

  void transaction(boolean committed) {
    (committed ? transactionsCommitted : transactionsAborted).increment();
  }

  /** Registers the gauge of stuck partitions, computed when it is read. */
  void stuckPartitions(IntSupplier stuck) {
    Gauge gauge =
        Gauge.builder(PARTITIONS_STUCK, stuck, IntSupplier::getAsInt)
            // Only the gauge holds the supplier; Micrometer's default weak reference would lose it.
            .strongReference(true)
            .description("partitions whose records wait while their commit does not move")
            .tag(TAG_RUNNER, runner)
            .register(registry);
    meters.add(gauge);
  }

  /** Registers the circuit-state gauge; only runners with a circuit breaker have it. */
  void circuitState(Gate gate) {
    Gauge gauge =
        Gauge.builder(CIRCUIT_STATE, gate, Gate::circuitStateCode)
            .description("circuit breaker state: 0 closed, 1 open, 2 half-open, 3 other")
            .tag(TAG_RUNNER, runner)
            .register(registry);
    meters.add(gauge);
  }

  void commit(boolean sync, boolean success, long nanos) {
    Timer timer =
        sync
            ? (success ? commitSyncSuccess : commitSyncFailure)
            : (success ? commitAsyncSuccess : commitAsyncFailure);
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  void slowHandler() {
    slowHandler.increment();
  }

  void assigned(int partitions) {
    assigned.increment(partitions);
  }

  void revoked(int partitions) {
    revoked.increment(partitions);
  }

  void lost(int partitions) {
    lost.increment(partitions);
  }

  @Override
  public void close() {
    meters.forEach(registry::remove);
    meters.clear();
  }

  private Counter counter(String name, String description, String... tags) {
    Counter counter =
        Counter.builder(name)
            .description(description)
            .tag(TAG_RUNNER, runner)
            .tags(tags)
            .register(registry);
    meters.add(counter);
    return counter;
  }

  private Timer timer(String name, String description, String... tags) {
    Timer timer =
        Timer.builder(name)
            .description(description)
            .tag(TAG_RUNNER, runner)
            .tags(tags)
            .register(registry);
    meters.add(timer);
    return timer;
  }

  private void gauge(
      String name,
      String description,
      Collection<LoopStats> loops,
      ToDoubleFunction<LoopStats> value) {
    Gauge gauge =
        Gauge.builder(name, loops, all -> all.stream().mapToDouble(value).sum())
            .description(description)
            .tag(TAG_RUNNER, runner)
            .register(registry);
    meters.add(gauge);
  }
}
