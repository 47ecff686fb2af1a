package dev.kafkasdk.spring;

import dev.kafkasdk.consumer.Ordering;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The properties of one named runner, {@code kafkasdk.runners.<name>.*}. Every value left unset
 * keeps the {@code ConsumerRunner.Builder} default; each is handed to the matching builder method,
 * whose {@code build()} checks it. The runner's name is the map key: its meter tag, and the name of
 * the handler bean.
 */
public class RunnerProperties {

  /** The runner's threads, see {@code dev.kafkasdk.consumer.Strategy}. */
  public enum StrategyKind {
    /** {@code Strategy.threadPerPartition()}: a consumer per thread, records in partition order. */
    THREAD_PER_PARTITION,
    /** {@code Strategy.multiWorker(workers, ordering)}: one consumer, a pool of handler threads. */
    MULTI_WORKER
  }

  /** What happens to a record that failed for good, see {@code FailureAction}. */
  public enum FailureKind {
    /** Stop the runner ({@code FailureAction.stop()}). */
    STOP,
    /** Send the record to the dead-letter topic and go on ({@code FailureAction.deadLetter}). */
    DEAD_LETTER,
    /** Log, count and go on ({@code FailureAction.skip()}). */
    SKIP
  }

  /** Topics to subscribe to; exactly one of topics and topic-pattern is required. */
  private List<String> topics = new ArrayList<>();

  /** Regular expression: subscribes to every topic whose whole name matches; in place of topics. */
  private String topicPattern;

  /** The consumer group (group.id); required here or in the runner's properties. */
  private String groupId;

  /**
   * The threads: thread-per-partition (one consumer per thread, or workers consumers) or
   * multi-worker (one consumer, workers handler threads); default multi-worker with one worker per
   * processor and partition ordering.
   */
  private StrategyKind strategy;

  /**
   * Handler threads of multi-worker (default the number of processors), or consumer threads of
   * thread-per-partition (default one per assigned partition).
   */
  private Integer workers;

  /**
   * Ordering of multi-worker: partition (default), key or unordered; thread-per-partition always
   * keeps partition order.
   */
  private Ordering ordering;

  /** The most records polled and not yet committable, for the whole runner; default 5000. */
  private Integer maxInFlight;

  /** The most in-flight records per partition; default min(1000, max-in-flight). */
  private Integer maxInFlightPerPartition;

  /** The most records per BatchHandler call; default 100. */
  private Integer maxBatchSize;

  /** How often finished offsets are committed; default 1 second. */
  private Duration commitInterval;

  /**
   * How long stopping the runner waits for running handlers and the final commit; default 30
   * seconds. Keep it within spring.lifecycle.timeout-per-shutdown-phase.
   */
  private Duration closeTimeout;

  /** Timeout of each poll; default 100 ms. */
  private Duration pollTimeout;

  /**
   * How long a revocation waits for the revoked partitions' running handlers; default min(30 s,
   * max.poll.interval.ms / 2).
   */
  private Duration revocationTimeout;

  /** When a running handler call is logged and counted as slow; default 30 seconds. */
  private Duration slowHandlerThreshold;

  /**
   * When a partition whose records wait and whose offset does not move counts as stuck in the
   * runner's health; default 5 minutes.
   */
  private Duration stuckAfter;

  /**
   * What happens to a record that failed for good: stop (the runner, the default), dead-letter or
   * skip.
   */
  private FailureKind failureAction;

  /** Topic of failure-action dead-letter; default the record's topic plus .DLT. */
  private String deadLetterTopic;

  /** Retries of failed handler calls. */
  private Retry retry = new Retry();

  /** A circuit breaker around the handler. */
  private CircuitBreaker circuitBreaker = new CircuitBreaker();

  /** A rate limit of handler calls. */
  private RateLimit rateLimit = new RateLimit();

  /**
   * Whether the runner starts with the application context; when false, start it through
   * KafkaSdkRunners.
   */
  private boolean autoStartup = true;

  /**
   * Whether each handler call sets the SLF4J MDC entries (topic, partition, offset, group, runner);
   * default true.
   */
  private Boolean mdc;

  /** Records each record's key in its process observation and the MDC; default false. */
  private Boolean observeMessageKeys;

  /**
   * Class name of the key Deserializer (public no-argument constructor; configured with the client
   * properties); default StringDeserializer.
   */
  private Class<?> keyDeserializer;

  /** Class name of the value Deserializer; default StringDeserializer. */
  private Class<?> valueDeserializer;

  /** Kafka consumer properties of this runner, after (and over) kafkasdk.properties. */
  private Map<String, String> properties = new LinkedHashMap<>();

  /**
   * Returns the value of {@code topics}: topics to subscribe to; exactly one of topics and
   * topic-pattern is required.
   *
   * @return the value
   */
  public List<String> getTopics() {
    return topics;
  }

  /**
   * Sets {@code topics}.
   *
   * @param topics the value
   */
  public void setTopics(List<String> topics) {
    this.topics = topics;
  }

  /**
   * Returns the value of {@code topicPattern}: regular expression: subscribes to every topic whose
   * whole name matches; in place of topics.
   *
   * @return the value, or null if not set
   */
  public String getTopicPattern() {
    return topicPattern;
  }

  /**
   * Sets {@code topicPattern}.
   *
   * @param topicPattern the value
   */
  public void setTopicPattern(String topicPattern) {
    this.topicPattern = topicPattern;
  }

  /**
   * Returns the value of {@code groupId}: the consumer group (group.id); required here or in the
   * runner's properties.
   *
   * @return the value, or null if not set
   */
  public String getGroupId() {
    return groupId;
  }

  /**
   * Sets {@code groupId}.
   *
   * @param groupId the value
   */
  public void setGroupId(String groupId) {
    this.groupId = groupId;
  }

  /**
   * Returns the value of {@code strategy}: the threads: thread-per-partition (one consumer per
   * thread, or workers consumers) or multi-worker (one consumer, workers handler threads); default
   * multi-worker with one worker per processor and partition ordering.
   *
   * @return the value, or null if not set
   */
  public StrategyKind getStrategy() {
    return strategy;
  }

  /**
   * Sets {@code strategy}.
   *
   * @param strategy the value
   */
  public void setStrategy(StrategyKind strategy) {
    this.strategy = strategy;
  }

  /**
   * Returns the value of {@code workers}: handler threads of multi-worker (default the number of
   * processors), or consumer threads of thread-per-partition (default one per assigned partition).
   *
   * @return the value, or null if not set
   */
  public Integer getWorkers() {
    return workers;
  }

  /**
   * Sets {@code workers}.
   *
   * @param workers the value
   */
  public void setWorkers(Integer workers) {
    this.workers = workers;
  }

  /**
   * Returns the value of {@code ordering}: ordering of multi-worker: partition (default), key or
   * unordered; thread-per-partition always keeps partition order.
   *
   * @return the value, or null if not set
   */
  public Ordering getOrdering() {
    return ordering;
  }

  /**
   * Sets {@code ordering}.
   *
   * @param ordering the value
   */
  public void setOrdering(Ordering ordering) {
    this.ordering = ordering;
  }

  /**
   * Returns the value of {@code maxInFlight}: the most records polled and not yet committable, for
   * the whole runner; default 5000.
   *
   * @return the value, or null if not set
   */
  public Integer getMaxInFlight() {
    return maxInFlight;
  }

  /**
   * Sets {@code maxInFlight}.
   *
   * @param maxInFlight the value
   */
  public void setMaxInFlight(Integer maxInFlight) {
    this.maxInFlight = maxInFlight;
  }

  /**
   * Returns the value of {@code maxInFlightPerPartition}: the most in-flight records per partition;
   * default min(1000, max-in-flight).
   *
   * @return the value, or null if not set
   */
  public Integer getMaxInFlightPerPartition() {
    return maxInFlightPerPartition;
  }

  /**
   * Sets {@code maxInFlightPerPartition}.
   *
   * @param maxInFlightPerPartition the value
   */
  public void setMaxInFlightPerPartition(Integer maxInFlightPerPartition) {
    this.maxInFlightPerPartition = maxInFlightPerPartition;
  }

  /**
   * Returns the value of {@code maxBatchSize}: the most records per BatchHandler call; default 100.
   *
   * @return the value, or null if not set
   */
  public Integer getMaxBatchSize() {
    return maxBatchSize;
  }

  /**
   * Sets {@code maxBatchSize}.
   *
   * @param maxBatchSize the value
   */
  public void setMaxBatchSize(Integer maxBatchSize) {
    this.maxBatchSize = maxBatchSize;
  }

  /**
   * Returns the value of {@code commitInterval}: how often finished offsets are committed; default
   * 1 second.
   *
   * @return the value, or null if not set
   */
  public Duration getCommitInterval() {
    return commitInterval;
  }

  /**
   * Sets {@code commitInterval}.
   *
   * @param commitInterval the value
   */
  public void setCommitInterval(Duration commitInterval) {
    this.commitInterval = commitInterval;
  }

  /**
   * Returns the value of {@code closeTimeout}: how long stopping the runner waits for running
   * handlers and the final commit; default 30 seconds.
   *
   * @return the value, or null if not set
   */
  public Duration getCloseTimeout() {
    return closeTimeout;
  }

  /**
   * Sets {@code closeTimeout}.
   *
   * @param closeTimeout the value
   */
  public void setCloseTimeout(Duration closeTimeout) {
    this.closeTimeout = closeTimeout;
  }

  /**
   * Returns the value of {@code pollTimeout}: timeout of each poll; default 100 ms.
   *
   * @return the value, or null if not set
   */
  public Duration getPollTimeout() {
    return pollTimeout;
  }

  /**
   * Sets {@code pollTimeout}.
   *
   * @param pollTimeout the value
   */
  public void setPollTimeout(Duration pollTimeout) {
    this.pollTimeout = pollTimeout;
  }

  /**
   * Returns the value of {@code revocationTimeout}: how long a revocation waits for the revoked
   * partitions' running handlers; default min(30 s, max.poll.interval.ms / 2).
   *
   * @return the value, or null if not set
   */
  public Duration getRevocationTimeout() {
    return revocationTimeout;
  }

  /**
   * Sets {@code revocationTimeout}.
   *
   * @param revocationTimeout the value
   */
  public void setRevocationTimeout(Duration revocationTimeout) {
    this.revocationTimeout = revocationTimeout;
  }

  /**
   * Returns the value of {@code slowHandlerThreshold}: when a running handler call is logged and
   * counted as slow; default 30 seconds.
   *
   * @return the value, or null if not set
   */
  public Duration getSlowHandlerThreshold() {
    return slowHandlerThreshold;
  }

  /**
   * Sets {@code slowHandlerThreshold}.
   *
   * @param slowHandlerThreshold the value
   */
  public void setSlowHandlerThreshold(Duration slowHandlerThreshold) {
    this.slowHandlerThreshold = slowHandlerThreshold;
  }

  /**
   * Returns the value of {@code stuckAfter}: when a partition whose records wait and whose offset
   * does not move counts as stuck in the runner's health; default 5 minutes.
   *
   * @return the value, or null if not set
   */
  public Duration getStuckAfter() {
    return stuckAfter;
  }

  /**
   * Sets {@code stuckAfter}.
   *
   * @param stuckAfter the value
   */
  public void setStuckAfter(Duration stuckAfter) {
    this.stuckAfter = stuckAfter;
  }

  /**
   * Returns the value of {@code failureAction}: what happens to a record that failed for good: stop
   * (the runner, the default), dead-letter or skip.
   *
   * @return the value, or null if not set
   */
  public FailureKind getFailureAction() {
    return failureAction;
  }

  /**
   * Sets {@code failureAction}.
   *
   * @param failureAction the value
   */
  public void setFailureAction(FailureKind failureAction) {
    this.failureAction = failureAction;
  }

  /**
   * Returns the value of {@code deadLetterTopic}: topic of failure-action dead-letter; default the
   * record's topic plus .DLT.
   *
   * @return the value, or null if not set
   */
  public String getDeadLetterTopic() {
    return deadLetterTopic;
  }

  /**
   * Sets {@code deadLetterTopic}.
   *
   * @param deadLetterTopic the value
   */
  public void setDeadLetterTopic(String deadLetterTopic) {
    this.deadLetterTopic = deadLetterTopic;
  }

  /**
   * Returns the value of {@code retry}: retries of failed handler calls.
   *
   * @return the value
   */
  public Retry getRetry() {
    return retry;
  }

  /**
   * Returns the value of {@code circuitBreaker}: a circuit breaker around the handler.
   *
   * @return the value
   */
  public CircuitBreaker getCircuitBreaker() {
    return circuitBreaker;
  }

  /**
   * Returns the value of {@code rateLimit}: a rate limit of handler calls.
   *
   * @return the value
   */
  public RateLimit getRateLimit() {
    return rateLimit;
  }

  /**
   * Returns the value of {@code autoStartup}: whether the runner starts with the application
   * context; when false, start it through KafkaSdkRunners.
   *
   * @return the value
   */
  public boolean isAutoStartup() {
    return autoStartup;
  }

  /**
   * Sets {@code autoStartup}.
   *
   * @param autoStartup the value
   */
  public void setAutoStartup(boolean autoStartup) {
    this.autoStartup = autoStartup;
  }

  /**
   * Returns the value of {@code mdc}: whether each handler call sets the SLF4J MDC entries (topic,
   * partition, offset, group, runner); default true.
   *
   * @return the value, or null if not set
   */
  public Boolean getMdc() {
    return mdc;
  }

  /**
   * Sets {@code mdc}.
   *
   * @param mdc the value
   */
  public void setMdc(Boolean mdc) {
    this.mdc = mdc;
  }

  /**
   * Returns the value of {@code observeMessageKeys}: records each record's key in its process
   * observation and the MDC; default false.
   *
   * @return the value, or null if not set
   */
  public Boolean getObserveMessageKeys() {
    return observeMessageKeys;
  }

  /**
   * Sets {@code observeMessageKeys}.
   *
   * @param observeMessageKeys the value
   */
  public void setObserveMessageKeys(Boolean observeMessageKeys) {
    this.observeMessageKeys = observeMessageKeys;
  }

  /**
   * Returns the value of {@code keyDeserializer}: class name of the key Deserializer (public
   * no-argument constructor; configured with the client properties); default StringDeserializer.
   *
   * @return the value, or null if not set
   */
  public Class<?> getKeyDeserializer() {
    return keyDeserializer;
  }

  /**
   * Sets {@code keyDeserializer}.
   *
   * @param keyDeserializer the value
   */
  public void setKeyDeserializer(Class<?> keyDeserializer) {
    this.keyDeserializer = keyDeserializer;
  }

  /**
   * Returns the value of {@code valueDeserializer}: class name of the value Deserializer; default
   * StringDeserializer.
   *
   * @return the value, or null if not set
   */
  public Class<?> getValueDeserializer() {
    return valueDeserializer;
  }

  /**
   * Sets {@code valueDeserializer}.
   *
   * @param valueDeserializer the value
   */
  public void setValueDeserializer(Class<?> valueDeserializer) {
    this.valueDeserializer = valueDeserializer;
  }

  /**
   * Returns the value of {@code properties}: kafka consumer properties of this runner, after (and
   * over) kafkasdk.properties.
   *
   * @return the value
   */
  public Map<String, String> getProperties() {
    return properties;
  }

  /**
   * Sets {@code properties}.
   *
   * @param properties the value
   */
  public void setProperties(Map<String, String> properties) {
    this.properties = properties;
  }

  /** Retries of failed handler calls ({@code RetryPolicy}): exponential backoff. */
  public static class Retry {
    /**
     * Calls per record, the first included; 1 for no retries. Setting any retry value turns retries
     * on, with 3 attempts unless set.
     */
    private Integer maxAttempts;

    /** Wait before the first retry; default 200 ms. */
    private Duration backoff;

    /** Factor by which each further wait grows; default 2 (1 for a fixed backoff). */
    private Double backoffMultiplier;

    /** Longest wait between attempts; default 10 seconds. */
    private Duration maxBackoff;

    /** Longest time a record may spend in retries before it fails for good; default 5 minutes. */
    private Duration maxDuration;

    /**
     * Returns the value of {@code maxAttempts}: calls per record, the first included; 1 for no
     * retries.
     *
     * @return the value, or null if not set
     */
    public Integer getMaxAttempts() {
      return maxAttempts;
    }

    /**
     * Sets {@code maxAttempts}.
     *
     * @param maxAttempts the value
     */
    public void setMaxAttempts(Integer maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    /**
     * Returns the value of {@code backoff}: wait before the first retry; default 200 ms.
     *
     * @return the value, or null if not set
     */
    public Duration getBackoff() {
      return backoff;
    }

    /**
     * Sets {@code backoff}.
     *
     * @param backoff the value
     */
    public void setBackoff(Duration backoff) {
      this.backoff = backoff;
    }

    /**
     * Returns the value of {@code backoffMultiplier}: factor by which each further wait grows;
     * default 2 (1 for a fixed backoff).
     *
     * @return the value, or null if not set
     */
    public Double getBackoffMultiplier() {
      return backoffMultiplier;
    }

    /**
     * Sets {@code backoffMultiplier}.
     *
     * @param backoffMultiplier the value
     */
    public void setBackoffMultiplier(Double backoffMultiplier) {
      this.backoffMultiplier = backoffMultiplier;
    }

    /**
     * Returns the value of {@code maxBackoff}: longest wait between attempts; default 10 seconds.
     *
     * @return the value, or null if not set
     */
    public Duration getMaxBackoff() {
      return maxBackoff;
    }

    /**
     * Sets {@code maxBackoff}.
     *
     * @param maxBackoff the value
     */
    public void setMaxBackoff(Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
    }

    /**
     * Returns the value of {@code maxDuration}: longest time a record may spend in retries before
     * it fails for good; default 5 minutes.
     *
     * @return the value, or null if not set
     */
    public Duration getMaxDuration() {
      return maxDuration;
    }

    /**
     * Sets {@code maxDuration}.
     *
     * @param maxDuration the value
     */
    public void setMaxDuration(Duration maxDuration) {
      this.maxDuration = maxDuration;
    }

    /** Creates the defaults. */
    public Retry() {}
  }

  /** A Resilience4j circuit breaker around the handler, named {@code kafkasdk-<runner>}. */
  public static class CircuitBreaker {
    /**
     * Whether a circuit breaker guards the handler; also true when any other circuit-breaker value
     * is set.
     */
    private boolean enabled = false;

    /** Failure rate in percent at which the breaker opens; Resilience4j's default 50. */
    private Float failureRateThreshold;

    /** Number of calls the failure rate is computed over; Resilience4j's default 100. */
    private Integer slidingWindowSize;

    /** Calls needed before the failure rate counts; Resilience4j's default 100. */
    private Integer minimumNumberOfCalls;

    /**
     * How long the breaker stays open before letting trial calls through; Resilience4j's default 60
     * seconds.
     */
    private Duration waitDurationInOpenState;

    /** Trial calls while half open; Resilience4j's default 10. */
    private Integer permittedCallsInHalfOpenState;

    /**
     * Returns the value of {@code enabled}: whether a circuit breaker guards the handler; also true
     * when any other circuit-breaker value is set.
     *
     * @return the value
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Sets {@code enabled}.
     *
     * @param enabled the value
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * Returns the value of {@code failureRateThreshold}: failure rate in percent at which the
     * breaker opens; Resilience4j's default 50.
     *
     * @return the value, or null if not set
     */
    public Float getFailureRateThreshold() {
      return failureRateThreshold;
    }

    /**
     * Sets {@code failureRateThreshold}.
     *
     * @param failureRateThreshold the value
     */
    public void setFailureRateThreshold(Float failureRateThreshold) {
      this.failureRateThreshold = failureRateThreshold;
    }

    /**
     * Returns the value of {@code slidingWindowSize}: number of calls the failure rate is computed
     * over; Resilience4j's default 100.
     *
     * @return the value, or null if not set
     */
    public Integer getSlidingWindowSize() {
      return slidingWindowSize;
    }

    /**
     * Sets {@code slidingWindowSize}.
     *
     * @param slidingWindowSize the value
     */
    public void setSlidingWindowSize(Integer slidingWindowSize) {
      this.slidingWindowSize = slidingWindowSize;
    }

    /**
     * Returns the value of {@code minimumNumberOfCalls}: calls needed before the failure rate
     * counts; Resilience4j's default 100.
     *
     * @return the value, or null if not set
     */
    public Integer getMinimumNumberOfCalls() {
      return minimumNumberOfCalls;
    }

    /**
     * Sets {@code minimumNumberOfCalls}.
     *
     * @param minimumNumberOfCalls the value
     */
    public void setMinimumNumberOfCalls(Integer minimumNumberOfCalls) {
      this.minimumNumberOfCalls = minimumNumberOfCalls;
    }

    /**
     * Returns the value of {@code waitDurationInOpenState}: how long the breaker stays open before
     * letting trial calls through; Resilience4j's default 60 seconds.
     *
     * @return the value, or null if not set
     */
    public Duration getWaitDurationInOpenState() {
      return waitDurationInOpenState;
    }

    /**
     * Sets {@code waitDurationInOpenState}.
     *
     * @param waitDurationInOpenState the value
     */
    public void setWaitDurationInOpenState(Duration waitDurationInOpenState) {
      this.waitDurationInOpenState = waitDurationInOpenState;
    }

    /**
     * Returns the value of {@code permittedCallsInHalfOpenState}: trial calls while half open;
     * Resilience4j's default 10.
     *
     * @return the value, or null if not set
     */
    public Integer getPermittedCallsInHalfOpenState() {
      return permittedCallsInHalfOpenState;
    }

    /**
     * Sets {@code permittedCallsInHalfOpenState}.
     *
     * @param permittedCallsInHalfOpenState the value
     */
    public void setPermittedCallsInHalfOpenState(Integer permittedCallsInHalfOpenState) {
      this.permittedCallsInHalfOpenState = permittedCallsInHalfOpenState;
    }

    /** Creates the defaults. */
    public CircuitBreaker() {}
  }

  /** A Resilience4j rate limiter of handler calls, named {@code kafkasdk-<runner>}. */
  public static class RateLimit {
    /** Handler calls allowed per refresh period; setting it turns the rate limit on. */
    private Integer limitForPeriod;

    /** The period after which the permits are renewed; default 1 second. */
    private Duration limitRefreshPeriod;

    /**
     * Returns the value of {@code limitForPeriod}: handler calls allowed per refresh period;
     * setting it turns the rate limit on.
     *
     * @return the value, or null if not set
     */
    public Integer getLimitForPeriod() {
      return limitForPeriod;
    }

    /**
     * Sets {@code limitForPeriod}.
     *
     * @param limitForPeriod the value
     */
    public void setLimitForPeriod(Integer limitForPeriod) {
      this.limitForPeriod = limitForPeriod;
    }

    /**
     * Returns the value of {@code limitRefreshPeriod}: the period after which the permits are
     * renewed; default 1 second.
     *
     * @return the value, or null if not set
     */
    public Duration getLimitRefreshPeriod() {
      return limitRefreshPeriod;
    }

    /**
     * Sets {@code limitRefreshPeriod}.
     *
     * @param limitRefreshPeriod the value
     */
    public void setLimitRefreshPeriod(Duration limitRefreshPeriod) {
      this.limitRefreshPeriod = limitRefreshPeriod;
    }

    /** Creates the defaults. */
    public RateLimit() {}
  }

  /** Creates the defaults; Spring Boot binds the configured values into them. */
  public RunnerProperties() {}
}
