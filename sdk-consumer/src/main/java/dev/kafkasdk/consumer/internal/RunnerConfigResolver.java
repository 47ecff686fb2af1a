package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.FailureAction;
import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.consumer.RetryPolicy;
import dev.kafkasdk.consumer.RetryTopics;
import dev.kafkasdk.consumer.Strategy;
import dev.kafkasdk.core.RetryTopicNames;
import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.core.internal.ConfigChecks;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.RangeAssignor;

/**
 * Turns what {@code ConsumerRunner.Builder} collected into validated {@link RunnerSettings}. Every
 * problem is an {@link SdkConfigException} naming the setting and the fix, reported in the order
 * the builder documents them; nothing here creates a client or a thread. The Kafka consumer
 * properties are {@link ConsumerProperties}' job.
 */
public final class RunnerConfigResolver {
  private static final int DEFAULT_MAX_IN_FLIGHT = 5000;
  private static final int DEFAULT_MAX_IN_FLIGHT_PER_PARTITION = 1000;
  private static final Duration DEFAULT_STUCK_AFTER = Duration.ofMinutes(5);

  /**
   * Exactly-once mode's retry policy when the builder got none: 3 attempts, and between them an
   * exponential backoff from 100 ms, factor 2, jitter of ±50 % (so that the instances of a group do
   * not retry against the transaction coordinator in step), at most 1 s.
   */
  static final RetryPolicy EXACTLY_ONCE_DEFAULT =
      RetryPolicy.builder()
          .maxAttempts(3)
          .backoff(
              IntervalFunction.ofExponentialRandomBackoff(
                  Duration.ofMillis(100), 2.0, 0.5, Duration.ofSeconds(1)))
          .build();

  private RunnerConfigResolver() {}

  /**
   * Validates the draft and computes the settings.
   *
   * @param draft what the builder collected
   * @param <K> key type
   * @param <V> value type
   * @return the settings
   * @throws SdkConfigException on the first missing, invalid or contradictory setting
   */
  public static <K, V> RunnerSettings<K, V> resolve(RunnerDraft<K, V> draft) {
    requireSubscription(draft);
    requireOneHandler(draft);
    if (draft.strategy instanceof Strategy.ShareGroup share) {
      ShareGroupChecks.require(draft, share);
    }
    Map<String, Object> config = ConsumerProperties.resolve(draft);
    if (draft.exactlyOnce != null) {
      requireExactlyOnceCompatible(draft, config);
    }
    if (draft.failureAction.kind() == FailureAction.Kind.RETRY_TOPICS) {
      requireRetryTopicsCompatible(draft);
      if (draft.failureAction.retryTopics().orElseThrow().keepsKeyOrder()) {
        requireKeyOrderCompatible(draft, config);
      }
    }
    int total = draft.maxInFlight == null ? DEFAULT_MAX_IN_FLIGHT : draft.maxInFlight;
    ConfigChecks.atLeastOne("maxInFlight", total, "use a positive limit");
    int perPartition =
        draft.maxInFlightPerPartition == null
            ? Math.min(DEFAULT_MAX_IN_FLIGHT_PER_PARTITION, total)
            : draft.maxInFlightPerPartition;
    if (perPartition < 1 || perPartition > total) {
      throw new SdkConfigException(
          "maxInFlightPerPartition",
          "must be between 1 and maxInFlight (" + total + "), was " + perPartition,
          "use a value in that range");
    }
    Optional<Integer> maxPollRecords = ConsumerProperties.takeMaxPollRecords(config, perPartition);
    ConfigChecks.atLeastOne("maxBatchSize", draft.maxBatchSize, "use a positive size");
    ConfigChecks.positive("commitInterval", draft.commitInterval);
    ConfigChecks.positive("closeTimeout", draft.closeTimeout);
    ConfigChecks.positive("slowHandlerThreshold", draft.slowHandlerThreshold);
    ConfigChecks.positive("pollTimeout", draft.pollTimeout);
    Duration stuckAfter = stuckAfter(draft);
    Duration revocation = ConsumerProperties.revocationTimeout(config, draft.revocationTimeout);

    String name =
        draft.name != null ? draft.name : (String) config.get(ConsumerConfig.GROUP_ID_CONFIG);
    ConfigChecks.notBlank("name", name, "use a non-blank name");
    Optional<String> clientId = ConsumerProperties.takeClientId(config);
    ConsumerProperties.checkWithKafka(
        draft.strategy instanceof Strategy.ShareGroup
            ? ShareGroupChecks.withoutShareSettings(config)
            : config,
        clientId.orElse(name),
        maxPollRecords,
        draft.keys,
        draft.values);

    return new RunnerSettings<>(
        name,
        draft.topics,
        Optional.ofNullable(draft.pattern),
        config,
        clientId,
        draft.keys,
        draft.values,
        mode(draft),
        new FailureHandling(
            draft.retry != null ? draft.retry : RetryPolicy.none(),
            draft.failureAction,
            Optional.ofNullable(draft.circuitBreaker),
            Optional.ofNullable(draft.rateLimiter)),
        draft.strategy,
        total,
        perPartition,
        maxPollRecords,
        limitGrowth(draft),
        draft.commitInterval,
        draft.closeTimeout,
        revocation,
        draft.slowHandlerThreshold,
        draft.pollTimeout,
        draft.registry,
        stuckAfter,
        new HandlerTelemetry(
            Optional.ofNullable(draft.observations), draft.mdc, draft.observeMessageKeys));
  }

  /**
   * Which in-flight limits may grow while the handler is cheap: those left at their defaults,
   * unless a rate limiter or circuit breaker, rather than the handler's speed, decides when records
   * run.
   */
  private static LimitGrowth limitGrowth(RunnerDraft<?, ?> draft) {
    if (draft.rateLimiter != null || draft.circuitBreaker != null) {
      return LimitGrowth.NONE;
    }
    return new LimitGrowth(draft.maxInFlight == null, draft.maxInFlightPerPartition == null);
  }

  /**
   * The stuck threshold: as set, longer than the commit interval (a busy partition's commit moves
   * once per interval at most, so a shorter one would call healthy partitions stuck); by default 5
   * minutes, or twice the commit interval if that is longer, so no commit interval that was valid
   * before the setting existed is refused.
   */
  private static Duration stuckAfter(RunnerDraft<?, ?> draft) {
    if (draft.stuckAfter == null) {
      Duration twice = draft.commitInterval.multipliedBy(2);
      return twice.compareTo(DEFAULT_STUCK_AFTER) > 0 ? twice : DEFAULT_STUCK_AFTER;
    }
    ConfigChecks.positive("stuckAfter", draft.stuckAfter);
    if (draft.stuckAfter.compareTo(draft.commitInterval) <= 0) {
      throw new SdkConfigException(
          "stuckAfter",
          "must be longer than commitInterval ("
              + draft.commitInterval
              + "), was "
              + draft.stuckAfter,
          "use a longer stuckAfter or a shorter commitInterval");
    }
    return draft.stuckAfter;
  }

  private static void requireSubscription(RunnerDraft<?, ?> draft) {
    if (draft.topics.isEmpty() == (draft.pattern == null)) {
      throw new SdkConfigException(
          "topics",
          draft.topics.isEmpty()
              ? "no topics and no topic pattern given"
              : "both topics and a topic pattern given",
          "call exactly one of topics(...) or topicPattern(...)");
    }
    for (String topic : draft.topics) {
      if (topic.isBlank()) {
        throw new SdkConfigException("topics", "a topic name is blank", "remove it");
      }
    }
  }

  private static void requireOneHandler(RunnerDraft<?, ?> draft) {
    int handlers =
        (draft.recordHandler == null ? 0 : 1)
            + (draft.batchHandler == null ? 0 : 1)
            + (draft.exactlyOnce == null ? 0 : 1);
    if (handlers != 1) {
      throw new SdkConfigException(
          "handler",
          handlers == 0 ? "no handler given" : "more than one handler given",
          "call exactly one of handler(...), batchHandler(...) or exactlyOnce(...)");
    }
  }

  /**
   * Checks what a retry chain that keeps key order needs, and sets the assignor it relies on: the
   * queues of a key are kept by the member that owns main partition p, so it must own partition p
   * of every retry topic too. Kafka's RangeAssignor gives one member the same partition number of
   * every subscribed topic with as many partitions; only the classic protocol lets the client pick
   * it.
   */
  private static void requireKeyOrderCompatible(
      RunnerDraft<?, ?> draft, Map<String, Object> config) {
    if (draft.strategy instanceof Strategy.MultiWorker multi
        && multi.ordering() == Ordering.UNORDERED) {
      throw new SdkConfigException(
          "onFailure(retryTopics.keepKeyOrder())",
          "keeping key order across the retry chain needs ordered processing, but the strategy is"
              + " Ordering.UNORDERED",
          "use Ordering.KEY or Ordering.PARTITION, or drop keepKeyOrder()");
    }
    if (draft.batchHandler != null) {
      throw new SdkConfigException(
          "onFailure(retryTopics.keepKeyOrder())",
          "key order across the retry chain is decided record by record, which a batch handler's"
              + " calls do not allow",
          "use a record handler, or drop keepKeyOrder()");
    }
    String protocol =
        String.valueOf(config.getOrDefault(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic"))
            .trim()
            .toLowerCase(Locale.ROOT);
    if (!protocol.equals("classic")) {
      throw new SdkConfigException(
          ConsumerConfig.GROUP_PROTOCOL_CONFIG,
          "keepKeyOrder() needs the client's RangeAssignor (a member must own partition p of the"
              + " main topic and of every retry topic), which only the classic protocol uses",
          "remove group.protocol (classic is the default), or drop keepKeyOrder()");
    }
    Object assignor = draft.properties.get(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
    String range = RangeAssignor.class.getName();
    if (assignor != null && !String.valueOf(assignor).trim().equals(range)) {
      throw new SdkConfigException(
          ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
          "keepKeyOrder() needs "
              + range
              + " (a member must own partition p of the main topic and of every retry topic), but "
              + assignor
              + " is set",
          "remove partition.assignment.strategy (the runner sets RangeAssignor), or drop"
              + " keepKeyOrder()");
    }
    config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, range);
  }

  /**
   * Checks what retry topics need: named topics (the runner subscribes to their retry topics by
   * name), valid delays, and no retry topic among the main topics. Exactly-once mode refuses every
   * failure action but stop (requireExactlyOnceCompatible).
   */
  private static void requireRetryTopicsCompatible(RunnerDraft<?, ?> draft) {
    RetryTopics chain = draft.failureAction.retryTopics().orElseThrow();
    if (draft.pattern != null) {
      throw new SdkConfigException(
          "onFailure",
          "retryTopics(...) cannot be used with topicPattern(...): the runner derives each topic's"
              + " retry topics from its name and subscribes to them, which a pattern subscription"
              + " cannot include",
          "subscribe with topics(...), or use FailureAction.deadLetter()");
    }
    RetryTopicNames.requireValidDelays("onFailure(retryTopics)", chain.delays());
    Set<String> main = new HashSet<>(draft.topics);
    for (String topic : draft.topics) {
      for (String retry : chain.retryTopics(topic)) {
        if (main.contains(retry)) {
          throw new SdkConfigException(
              "topics",
              retry + " is a retry topic of " + topic + ", which the runner subscribes to itself",
              "list only main topics in topics(...)");
        }
      }
    }
  }

  /** Checks what exactly-once mode needs; it reads with read_committed. */
  private static void requireExactlyOnceCompatible(
      RunnerDraft<?, ?> draft, Map<String, Object> config) {
    if (!(draft.strategy instanceof Strategy.ThreadPerPartition)) {
      throw new SdkConfigException(
          "strategy",
          "exactly-once mode supports only thread-per-partition: with a worker pool, records of"
              + " one poll finish at different times and one transaction per batch would wait"
              + " for the slowest worker",
          "use strategy(Strategy.threadPerPartition())");
    }
    ConsumerProperties.requireReadCommitted(config);
    if (draft.failureAction.kind() != FailureAction.Kind.STOP) {
      throw new SdkConfigException(
          "onFailure",
          draft.failureAction + " is not supported in exactly-once mode",
          "remove onFailure(...): a failed batch is aborted, rewound and retried, and the"
              + " runner stops when retries are over");
    }
    if (draft.circuitBreaker != null || draft.rateLimiter != null) {
      throw new SdkConfigException(
          draft.circuitBreaker != null ? "circuitBreaker" : "rateLimiter",
          "not supported in exactly-once mode",
          "remove it");
    }
    ConfigChecks.notBlank(
        "exactlyOnce.transactionalIdPrefix",
        draft.exactlyOnce.transactionalIdPrefix(),
        "use a stable, unique prefix");
  }

  /** The one processing mode the draft chose; requireOneHandler has made sure there is one. */
  private static <K, V> ProcessingMode<K, V> mode(RunnerDraft<K, V> draft) {
    if (draft.recordHandler != null) {
      return new ProcessingMode.RecordHandling<>(draft.recordHandler);
    }
    if (draft.batchHandler != null) {
      return new ProcessingMode.BatchHandling<>(draft.batchHandler, draft.maxBatchSize);
    }
    return draft.exactlyOnce.with(draft.retry != null ? draft.retry : EXACTLY_ONCE_DEFAULT);
  }
}
