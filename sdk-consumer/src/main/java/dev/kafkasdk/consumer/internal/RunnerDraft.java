package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.BatchHandler;
import dev.kafkasdk.consumer.FailureAction;
import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.consumer.RecordHandler;
import dev.kafkasdk.consumer.RetryPolicy;
import dev.kafkasdk.consumer.Strategy;
import dev.kafkasdk.consumer.TransformHandler;
import dev.kafkasdk.producer.ReliableProducer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * What {@code ConsumerRunner.Builder} has collected, before validation: each setter rejects only a
 * null, as the builder documents, and {@link RunnerConfigResolver} judges the whole. Null means
 * "not set" where a default depends on other settings. Not thread-safe, like the builder.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class RunnerDraft<K, V> {
  private static final int DEFAULT_MAX_BATCH_SIZE = 100;

  final Deserializer<K> keys;
  final Deserializer<V> values;
  final Map<String, Object> properties = new LinkedHashMap<>();
  final List<String> topics = new ArrayList<>();
  Pattern pattern;
  String bootstrapServers;
  String groupId;
  String name;
  RecordHandler<K, V> recordHandler;
  BatchHandler<K, V> batchHandler;
  ExactlyOnceSettings.Request<K, V, ?, ?> exactlyOnce;
  int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
  Strategy strategy =
      Strategy.multiWorker(Runtime.getRuntime().availableProcessors(), Ordering.PARTITION);
  Integer maxInFlight;
  Integer maxInFlightPerPartition;
  Duration commitInterval = Duration.ofSeconds(1);
  Duration closeTimeout = Duration.ofSeconds(30);
  Duration revocationTimeout;
  Duration slowHandlerThreshold = Duration.ofSeconds(30);
  Duration pollTimeout = Duration.ofMillis(100);
  Duration stuckAfter;
  MeterRegistry registry = Metrics.globalRegistry;
  RetryPolicy retry;
  FailureAction failureAction = FailureAction.stop();
  CircuitBreaker circuitBreaker;
  RateLimiter rateLimiter;
  ObservationRegistry observations;
  boolean mdc = true;
  boolean observeMessageKeys;

  /**
   * Starts a draft.
   *
   * @param keys key deserializer
   * @param values value deserializer
   */
  public RunnerDraft(Deserializer<K> keys, Deserializer<V> values) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.values = Objects.requireNonNull(values, "values");
  }

  /**
   * Returns how long a close waits by default, which the runner needs before it is resolved.
   *
   * @return the close timeout as given
   */
  public Duration closeTimeout() {
    return closeTimeout;
  }

  /**
   * Sets {@code bootstrap.servers}.
   *
   * @param servers comma-separated host:port list
   */
  public void bootstrapServers(String servers) {
    this.bootstrapServers = Objects.requireNonNull(servers, "bootstrapServers");
  }

  /**
   * Sets {@code group.id}.
   *
   * @param group the group id
   */
  public void groupId(String group) {
    this.groupId = Objects.requireNonNull(group, "groupId");
  }

  /**
   * Replaces the topics.
   *
   * @param names topic names
   */
  public void topics(Collection<String> names) {
    topics.clear();
    for (String topic : names) {
      topics.add(Objects.requireNonNull(topic, "topic"));
    }
  }

  /**
   * Sets the topic pattern.
   *
   * @param topicPattern the pattern
   */
  public void topicPattern(Pattern topicPattern) {
    this.pattern = Objects.requireNonNull(topicPattern, "pattern");
  }

  /**
   * Sets a consumer property.
   *
   * @param key the property name
   * @param value its value
   */
  public void property(String key, Object value) {
    properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
  }

  /**
   * Sets the record handler.
   *
   * @param handler the handler
   */
  public void handler(RecordHandler<K, V> handler) {
    this.recordHandler = Objects.requireNonNull(handler, "handler");
  }

  /**
   * Sets the batch handler.
   *
   * @param handler the handler
   */
  public void batchHandler(BatchHandler<K, V> handler) {
    this.batchHandler = Objects.requireNonNull(handler, "handler");
  }

  /**
   * Sets the most records per batch handler call; checked when resolved.
   *
   * @param size the size
   */
  public void maxBatchSize(int size) {
    this.maxBatchSize = size;
  }

  /**
   * Sets the threading strategy.
   *
   * @param threading the strategy
   */
  public void strategy(Strategy threading) {
    this.strategy = Objects.requireNonNull(threading, "strategy");
  }

  /**
   * Sets the runner-wide in-flight limit; checked when resolved.
   *
   * @param limit the limit
   */
  public void maxInFlight(int limit) {
    this.maxInFlight = limit;
  }

  /**
   * Sets the per-partition in-flight limit; checked when resolved.
   *
   * @param limit the limit
   */
  public void maxInFlightPerPartition(int limit) {
    this.maxInFlightPerPartition = limit;
  }

  /**
   * Sets the commit interval.
   *
   * @param interval the interval
   */
  public void commitInterval(Duration interval) {
    this.commitInterval = Objects.requireNonNull(interval, "commitInterval");
  }

  /**
   * Sets the close timeout.
   *
   * @param timeout the timeout
   */
  public void closeTimeout(Duration timeout) {
    this.closeTimeout = Objects.requireNonNull(timeout, "closeTimeout");
  }

  /**
   * Sets the revocation timeout.
   *
   * @param timeout the timeout
   */
  public void revocationTimeout(Duration timeout) {
    this.revocationTimeout = Objects.requireNonNull(timeout, "revocationTimeout");
  }

  /**
   * Sets the slow-handler threshold.
   *
   * @param threshold the threshold
   */
  public void slowHandlerThreshold(Duration threshold) {
    this.slowHandlerThreshold = Objects.requireNonNull(threshold, "slowHandlerThreshold");
  }

  /**
   * Sets when a partition whose records wait without its commit moving counts as stuck.
   *
   * @param stuckAfter the duration
   */
  public void stuckAfter(Duration stuckAfter) {
    this.stuckAfter = Objects.requireNonNull(stuckAfter, "stuckAfter");
  }

  /**
   * Sets the poll timeout.
   *
   * @param timeout the timeout
   */
  public void pollTimeout(Duration timeout) {
    this.pollTimeout = Objects.requireNonNull(timeout, "pollTimeout");
  }

  /**
   * Sets the meter registry.
   *
   * @param meters the registry
   */
  public void meterRegistry(MeterRegistry meters) {
    this.registry = Objects.requireNonNull(meters, "registry");
  }

  /**
   * Sets the runner's name.
   *
   * @param runnerName the name
   */
  public void name(String runnerName) {
    this.name = Objects.requireNonNull(runnerName, "name");
  }

  /**
   * Sets the retry policy.
   *
   * @param policy the policy
   */
  public void retry(RetryPolicy policy) {
    this.retry = Objects.requireNonNull(policy, "retry");
  }

  /**
   * Sets the failure action.
   *
   * @param action the action
   */
  public void onFailure(FailureAction action) {
    this.failureAction = Objects.requireNonNull(action, "action");
  }

  /**
   * Sets the circuit breaker.
   *
   * @param breaker the breaker
   */
  public void circuitBreaker(CircuitBreaker breaker) {
    this.circuitBreaker = Objects.requireNonNull(breaker, "breaker");
  }

  /**
   * Sets the rate limiter.
   *
   * @param limiter the limiter
   */
  public void rateLimiter(RateLimiter limiter) {
    this.rateLimiter = Objects.requireNonNull(limiter, "limiter");
  }

  /**
   * Sets where handler calls are observed.
   *
   * @param registry the registry
   */
  public void observationRegistry(ObservationRegistry registry) {
    this.observations = Objects.requireNonNull(registry, "observationRegistry");
  }

  /**
   * Turns the MDC entries of each handler call on or off.
   *
   * @param on whether to set them
   */
  public void mdc(boolean on) {
    this.mdc = on;
  }

  /**
   * Sets whether the record's key goes into observations and the MDC.
   *
   * @param include whether to include it
   */
  public void observeMessageKeys(boolean include) {
    this.observeMessageKeys = include;
  }

  /**
   * Switches to exactly-once; the attempts are filled in when resolved.
   *
   * @param producer describes the output producer
   * @param transactionalIdPrefix the prefix
   * @param handler the transform
   * @param <OK> output key type
   * @param <OV> output value type
   */
  public <OK, OV> void exactlyOnce(
      ReliableProducer.Builder<OK, OV> producer,
      String transactionalIdPrefix,
      TransformHandler<K, V, OK, OV> handler) {
    this.exactlyOnce =
        new ExactlyOnceSettings.Request<>(
            Objects.requireNonNull(producer, "producer"),
            Objects.requireNonNull(transactionalIdPrefix, "transactionalIdPrefix"),
            Objects.requireNonNull(handler, "handler"));
  }
}
