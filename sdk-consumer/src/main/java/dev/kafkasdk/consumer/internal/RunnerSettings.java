package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.Strategy;
import dev.kafkasdk.core.internal.SecretRedaction;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Everything a runner needs, validated by {@link RunnerConfigResolver}. Immutable apart from the
 * objects the application supplied (deserializers, handler, executor, registry).
 *
 * @param name the configured name; the engine numbers it if another running runner has it
 * @param topics the topics to subscribe to, empty when {@code pattern} is used
 * @param pattern the topic pattern, or empty
 * @param consumerConfig the consumer configuration without {@code max.poll.records} and {@code
 *     client.id}, which are set per consumer
 * @param clientId the application's {@code client.id}, used as prefix of each consumer's id
 * @param keys key deserializer
 * @param values value deserializer
 * @param mode which handler runs, and the settings that only that mode has
 * @param failureHandling retries, the failure action, the circuit breaker and the rate limiter
 * @param strategy the threading strategy
 * @param maxInFlight limit on records polled and not yet committable, for the whole runner
 * @param maxInFlightPerPartition the same limit per partition
 * @param maxPollRecords {@code max.poll.records} if the application set it
 * @param limitGrowth which in-flight limits may grow while the handler is cheap
 * @param commitInterval how often completed offsets are committed asynchronously
 * @param closeTimeout how long a stop may wait for in-flight records and the final commit
 * @param revocationTimeout how long a revocation waits for in-flight records of revoked partitions
 * @param slowHandlerThreshold when a running handler call is reported as slow
 * @param pollTimeout the timeout of each {@code poll}
 * @param registry where meters go
 * @param stuckAfter how long a partition's records may wait without its commit moving before the
 *     partition counts as stuck
 * @param telemetry the observation and MDC entries around each handler call
 * @param <K> key type
 * @param <V> value type
 */
public record RunnerSettings<K, V>(
    String name,
    List<String> topics,
    Optional<Pattern> pattern,
    Map<String, Object> consumerConfig,
    Optional<String> clientId,
    Deserializer<K> keys,
    Deserializer<V> values,
    ProcessingMode<K, V> mode,
    FailureHandling failureHandling,
    Strategy strategy,
    int maxInFlight,
    int maxInFlightPerPartition,
    Optional<Integer> maxPollRecords,
    LimitGrowth limitGrowth,
    Duration commitInterval,
    Duration closeTimeout,
    Duration revocationTimeout,
    Duration slowHandlerThreshold,
    Duration pollTimeout,
    MeterRegistry registry,
    Duration stuckAfter,
    HandlerTelemetry telemetry) {

  /** Copies the collections so the settings cannot change after validation. */
  public RunnerSettings {
    topics = List.copyOf(topics);
    consumerConfig = Map.copyOf(consumerConfig);
  }

  /** Shows every setting, with the consumer configuration's secrets hidden. */
  @Override
  public String toString() {
    return "RunnerSettings[name="
        + name
        + ", topics="
        + topics
        + ", pattern="
        + pattern
        + ", consumerConfig="
        + SecretRedaction.redacted(consumerConfig)
        + ", clientId="
        + clientId
        + ", mode="
        + mode
        + ", failureHandling="
        + failureHandling
        + ", strategy="
        + strategy
        + ", maxInFlight="
        + maxInFlight
        + ", maxInFlightPerPartition="
        + maxInFlightPerPartition
        + ", maxPollRecords="
        + maxPollRecords
        + ", limitGrowth="
        + limitGrowth
        + ", commitInterval="
        + commitInterval
        + ", closeTimeout="
        + closeTimeout
        + ", revocationTimeout="
        + revocationTimeout
        + ", slowHandlerThreshold="
        + slowHandlerThreshold
        + ", pollTimeout="
        + pollTimeout
        + "]";
  }

  /**
   * Returns the prefix of each consumer's {@code client.id}: the application's, or the name the
   * runner runs under.
   *
   * @param runnerName the name the runner runs under (the configured one, perhaps numbered)
   * @return the prefix
   */
  public String clientIdPrefix(String runnerName) {
    return clientId.orElse(runnerName);
  }
}
