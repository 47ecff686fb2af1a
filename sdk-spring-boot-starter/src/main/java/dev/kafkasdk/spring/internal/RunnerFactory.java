package dev.kafkasdk.spring.internal;

import dev.kafkasdk.consumer.BatchHandler;
import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.FailureAction;
import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.consumer.RecordHandler;
import dev.kafkasdk.consumer.RetryPolicy;
import dev.kafkasdk.consumer.Strategy;
import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.spring.KafkaSdkProperties;
import dev.kafkasdk.spring.RunnerBuilderCustomizer;
import dev.kafkasdk.spring.RunnerProperties;
import dev.kafkasdk.spring.RunnerProperties.FailureKind;
import dev.kafkasdk.spring.RunnerProperties.StrategyKind;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Maps {@code kafkasdk.runners.<name>.*} onto {@link ConsumerRunner.Builder}: the one place that
 * knows which property is which builder method, used for the runners declared in properties and by
 * other integrations of this module (annotated handler methods) through {@link #builderFor(String,
 * RunnerProperties)}. Validation is the builder's; this class only rejects property combinations
 * that no builder method can express (an ordering for thread-per-partition, a dead-letter topic
 * without the dead-letter action).
 */
public final class RunnerFactory {
  private final KafkaSdkProperties shared;
  private final List<RunnerBuilderCustomizer> customizers;
  private final MeterRegistry meters;
  private final ObservationRegistry observations;

  /**
   * Creates the factory.
   *
   * @param shared the bound {@code kafkasdk.*} properties
   * @param customizers in order
   * @param meters the application's registry, or null for the SDK's default
   * @param observations the application's observation registry, or null for none
   */
  public RunnerFactory(
      KafkaSdkProperties shared,
      List<RunnerBuilderCustomizer> customizers,
      MeterRegistry meters,
      ObservationRegistry observations) {
    this.shared = shared;
    this.customizers = List.copyOf(customizers);
    this.meters = meters;
    this.observations = observations;
  }

  /**
   * Returns a builder with the runner's properties, the shared properties, the application's meter
   * and observation registries and every customizer applied; the caller sets the handler and
   * builds. A property combination no builder method expresses throws here; everything else is
   * checked by {@code build()}.
   *
   * @param name the runner's name (meter tag, client ids)
   * @param props its properties
   * @param <K> key type, as the configured key deserializer produces
   * @param <V> value type, as the configured value deserializer produces
   * @return the builder
   * @throws SdkConfigException if properties contradict each other
   */
  @SuppressWarnings("unchecked")
  public <K, V> ConsumerRunner.Builder<K, V> builderFor(String name, RunnerProperties props) {
    String prefix = prefix(name);
    ClientProperties client = new ClientProperties(shared, props.getProperties());
    ConsumerRunner.Builder<K, V> builder =
        ConsumerRunner.builder(
            (Deserializer<K>)
                deserializer(
                    name, client, props.getKeyDeserializer(), true, prefix + ".key-deserializer"),
            (Deserializer<V>)
                deserializer(
                    name,
                    client,
                    props.getValueDeserializer(),
                    false,
                    prefix + ".value-deserializer"));
    builder.name(name);
    String servers = client.bootstrapServersUnlessOverridden();
    if (servers != null) {
      builder.bootstrapServers(servers);
    }
    builder.properties(client.properties());
    Optional.ofNullable(props.getGroupId()).ifPresent(builder::groupId);
    if (!props.getTopics().isEmpty()) {
      builder.topics(props.getTopics());
    }
    if (props.getTopicPattern() != null) {
      builder.topicPattern(pattern(prefix, props.getTopicPattern()));
    }
    strategy(prefix, props).ifPresent(builder::strategy);
    Optional.ofNullable(props.getMaxInFlight()).ifPresent(builder::maxInFlight);
    Optional.ofNullable(props.getMaxInFlightPerPartition())
        .ifPresent(builder::maxInFlightPerPartition);
    Optional.ofNullable(props.getMaxBatchSize()).ifPresent(builder::maxBatchSize);
    Optional.ofNullable(props.getCommitInterval()).ifPresent(builder::commitInterval);
    Optional.ofNullable(props.getCloseTimeout()).ifPresent(builder::closeTimeout);
    Optional.ofNullable(props.getPollTimeout()).ifPresent(builder::pollTimeout);
    Optional.ofNullable(props.getRevocationTimeout()).ifPresent(builder::revocationTimeout);
    Optional.ofNullable(props.getSlowHandlerThreshold()).ifPresent(builder::slowHandlerThreshold);
    Optional.ofNullable(props.getStuckAfter()).ifPresent(builder::stuckAfter);
    Optional.ofNullable(props.getMdc()).ifPresent(builder::mdc);
    Optional.ofNullable(props.getObserveMessageKeys()).ifPresent(builder::observeMessageKeys);
    retry(prefix, props.getRetry()).ifPresent(builder::retry);
    failureAction(prefix, props).ifPresent(builder::onFailure);
    circuitBreaker(name, prefix, props.getCircuitBreaker()).ifPresent(builder::circuitBreaker);
    rateLimiter(name, prefix, props.getRateLimit()).ifPresent(builder::rateLimiter);
    Optional.ofNullable(meters).ifPresent(builder::meterRegistry);
    Optional.ofNullable(observations).ifPresent(builder::observationRegistry);
    customizers.forEach(customizer -> customizer.customize(name, builder));
    return builder;
  }

  /**
   * Builds the runner named in {@code kafkasdk.runners} with its handler bean.
   *
   * @param name the runner's name
   * @param handler the bean named like the runner: a {@link RecordHandler} or a {@link
   *     BatchHandler}
   * @return the runner, not started
   * @throws ClientConfigurationException wrapping the {@link SdkConfigException} of an invalid
   *     property or a handler bean of the wrong kind
   */
  public ConsumerRunner<?, ?> create(String name, Object handler) {
    RunnerProperties props = shared.getRunners().get(name);
    if (props == null) {
      throw new IllegalStateException("no runner '" + name + "' in kafkasdk.runners");
    }
    return withContext(name, () -> build(name, props, handler));
  }

  /**
   * Runs a build step and says which runner's properties an {@link SdkConfigException} belongs to.
   *
   * @param name the runner's name
   * @param step the step
   * @param <T> what it returns
   * @return what it returned
   * @throws ClientConfigurationException if the step threw an {@link SdkConfigException}
   */
  public static <T> T withContext(String name, Supplier<T> step) {
    try {
      return step.get();
    } catch (SdkConfigException e) {
      throw new ClientConfigurationException("runner '" + name + "'", prefix(name), e);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private ConsumerRunner<?, ?> build(String name, RunnerProperties props, Object handler) {
    boolean record = handler instanceof RecordHandler;
    boolean batch = handler instanceof BatchHandler;
    if (record == batch) {
      throw new SdkConfigException(
          prefix(name),
          record
              ? "the bean '" + name + "' is both a RecordHandler and a BatchHandler"
              : "the bean '" + name + "' is a " + handler.getClass().getName() + ", not a handler",
          "make the bean named '" + name + "' exactly one of RecordHandler and BatchHandler");
    }
    ConsumerRunner.Builder builder = builderFor(name, props);
    if (record) {
      builder.handler((RecordHandler) handler);
    } else {
      builder.batchHandler((BatchHandler) handler);
    }
    return builder.build();
  }

  static String prefix(String name) {
    return "kafkasdk.runners." + name;
  }

  private static Pattern pattern(String prefix, String regex) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new SdkConfigException(
          prefix + ".topic-pattern",
          "is not a regular expression: " + e.getDescription(),
          "use a java.util.regex pattern, e.g. orders\\..*");
    }
  }

  private static Optional<Strategy> strategy(String prefix, RunnerProperties props) {
    StrategyKind kind = props.getStrategy();
    Integer workers = props.getWorkers();
    Ordering ordering = props.getOrdering();
    if (kind == StrategyKind.THREAD_PER_PARTITION) {
      if (ordering != null) {
        throw new SdkConfigException(
            prefix + ".ordering",
            "applies only to strategy multi-worker; thread-per-partition always keeps the"
                + " partition's order",
            "remove ordering, or set strategy: multi-worker");
      }
      return Optional.of(
          workers == null ? Strategy.threadPerPartition() : Strategy.threadPerPartition(workers));
    }
    if (kind == StrategyKind.MULTI_WORKER || workers != null || ordering != null) {
      return Optional.of(
          Strategy.multiWorker(
              workers == null ? Runtime.getRuntime().availableProcessors() : workers,
              ordering == null ? Ordering.PARTITION : ordering));
    }
    return Optional.empty();
  }

  private static Optional<RetryPolicy> retry(String prefix, RunnerProperties.Retry retry) {
    boolean backoff =
        retry.getBackoff() != null
            || retry.getBackoffMultiplier() != null
            || retry.getMaxBackoff() != null;
    if (!backoff && retry.getMaxAttempts() == null && retry.getMaxDuration() == null) {
      return Optional.empty();
    }
    RetryPolicy.Builder policy = RetryPolicy.builder();
    Optional.ofNullable(retry.getMaxAttempts()).ifPresent(policy::maxAttempts);
    Optional.ofNullable(retry.getMaxDuration()).ifPresent(policy::maxDuration);
    if (backoff) {
      Duration initial = retry.getBackoff() == null ? Duration.ofMillis(200) : retry.getBackoff();
      double multiplier = retry.getBackoffMultiplier() == null ? 2.0 : retry.getBackoffMultiplier();
      Duration max = retry.getMaxBackoff() == null ? Duration.ofSeconds(10) : retry.getMaxBackoff();
      policy.backoff(
          resilience(
              prefix + ".retry.backoff",
              "use a positive backoff, a backoff-multiplier of at least 1 and a max-backoff"
                  + " of at least backoff",
              () -> {
                IntervalFunction function =
                    IntervalFunction.ofExponentialBackoff(initial, multiplier, max);
                // Resilience4j checks the arguments on the first call, not when created: check
                // them now rather than at the first retry.
                function.apply(1);
                return function;
              }));
    }
    return Optional.of(policy.build());
  }

  private static Optional<FailureAction> failureAction(String prefix, RunnerProperties props) {
    FailureKind kind = props.getFailureAction();
    String topic = props.getDeadLetterTopic();
    if (topic != null && kind != FailureKind.DEAD_LETTER) {
      throw new SdkConfigException(
          prefix + ".dead-letter-topic",
          "is set but failure-action is " + (kind == null ? "not (so stop)" : kind),
          "set failure-action: dead-letter, or remove dead-letter-topic");
    }
    if (kind == null) {
      return Optional.empty();
    }
    switch (kind) {
      case STOP:
        return Optional.of(FailureAction.stop());
      case SKIP:
        return Optional.of(FailureAction.skip());
      default:
        return Optional.of(
            topic == null ? FailureAction.deadLetter() : FailureAction.deadLetter(topic));
    }
  }

  private static Optional<CircuitBreaker> circuitBreaker(
      String name, String prefix, RunnerProperties.CircuitBreaker props) {
    boolean any =
        props.isEnabled()
            || props.getFailureRateThreshold() != null
            || props.getSlidingWindowSize() != null
            || props.getMinimumNumberOfCalls() != null
            || props.getWaitDurationInOpenState() != null
            || props.getPermittedCallsInHalfOpenState() != null;
    if (!any) {
      return Optional.empty();
    }
    CircuitBreakerConfig config =
        resilience(
            prefix + ".circuit-breaker",
            "use a failure-rate-threshold in (0, 100], positive sizes and durations",
            () -> {
              CircuitBreakerConfig.Builder custom = CircuitBreakerConfig.custom();
              Optional.ofNullable(props.getFailureRateThreshold())
                  .ifPresent(custom::failureRateThreshold);
              Optional.ofNullable(props.getSlidingWindowSize())
                  .ifPresent(custom::slidingWindowSize);
              Optional.ofNullable(props.getMinimumNumberOfCalls())
                  .ifPresent(custom::minimumNumberOfCalls);
              Optional.ofNullable(props.getWaitDurationInOpenState())
                  .ifPresent(custom::waitDurationInOpenState);
              Optional.ofNullable(props.getPermittedCallsInHalfOpenState())
                  .ifPresent(custom::permittedNumberOfCallsInHalfOpenState);
              return custom.build();
            });
    return Optional.of(CircuitBreaker.of("kafkasdk-" + name, config));
  }

  private static Optional<RateLimiter> rateLimiter(
      String name, String prefix, RunnerProperties.RateLimit props) {
    if (props.getLimitForPeriod() == null) {
      if (props.getLimitRefreshPeriod() != null) {
        throw new SdkConfigException(
            prefix + ".rate-limit.limit-for-period",
            "is required when rate-limit.limit-refresh-period is set",
            "set rate-limit.limit-for-period to the calls allowed per period");
      }
      return Optional.empty();
    }
    RateLimiterConfig config =
        resilience(
            prefix + ".rate-limit",
            "use a positive limit-for-period and limit-refresh-period",
            () -> {
              // The runner waits for permits on a timer, never in a thread: no timeout.
              RateLimiterConfig.Builder custom =
                  RateLimiterConfig.custom()
                      .limitForPeriod(props.getLimitForPeriod())
                      .timeoutDuration(Duration.ZERO);
              Optional.ofNullable(props.getLimitRefreshPeriod())
                  .ifPresent(custom::limitRefreshPeriod);
              return custom.build();
            });
    return Optional.of(RateLimiter.of("kafkasdk-" + name, config));
  }

  /** Resilience4j checks its own configurations with IllegalArgumentException. */
  private static <T> T resilience(String property, String fix, Supplier<T> config) {
    try {
      return config.get();
    } catch (IllegalArgumentException e) {
      throw new SdkConfigException(property, String.valueOf(e.getMessage()), fix);
    }
  }

  private Deserializer<?> deserializer(
      String name, ClientProperties client, Class<?> type, boolean isKey, String property) {
    Function<RunnerBuilderCustomizer, Optional<Deserializer<?>>> supplied =
        isKey ? c -> c.keyDeserializer(name) : c -> c.valueDeserializer(name);
    for (RunnerBuilderCustomizer customizer : customizers) {
      Optional<Deserializer<?>> deserializer = supplied.apply(customizer);
      if (deserializer.isPresent()) {
        return deserializer.get();
      }
    }
    return type == null ? new StringDeserializer() : configured(client, type, isKey, property);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Deserializer<?> configured(
      ClientProperties client, Class<?> type, boolean isKey, String property) {
    return client.serde(
        type,
        Deserializer.class,
        (deserializer, key) -> deserializer.configure(client.properties(), key),
        isKey,
        property);
  }
}
