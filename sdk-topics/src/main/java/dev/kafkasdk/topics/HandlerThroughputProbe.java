package dev.kafkasdk.topics;

import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.core.internal.ConfigChecks;
import dev.kafkasdk.topics.internal.ProbeRun;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.serialization.Serde;

/**
 * Measures how many records per second one consumer can push through your handler, the "consumer
 * throughput" of the partition formula. It runs a real {@code KafkaConsumer} on one thread, exactly
 * like one member of a consumer group:
 *
 * <ul>
 *   <li>{@link #measure(ProbeHandler)} creates a temporary one-partition topic, produces the sample
 *       records you describe, consumes them with the handler and deletes the topic;
 *   <li>{@link #measureTopic(String, ProbeHandler)} reads an existing topic from the beginning (all
 *       its partitions, one consumer), for example a copy of production data.
 * </ul>
 *
 * <p>Records are produced before consuming starts, so the consumer never waits for data and the
 * result is its maximum rate. Warm-up records (JIT compilation, connection set-up) are handled but
 * not timed. The consumer joins no group and commits nothing, so commit cost is not included. A
 * handler calling real downstream systems gives the honest number; one talking to a local stub
 * gives an upper bound.
 *
 * <pre>{@code
 * HandlerThroughputProbe<String, String> probe =
 *     HandlerThroughputProbe.builder(Map.of("bootstrap.servers", servers),
 *             Serdes.String(), Serdes.String())
 *         .sample(i -> "customer-" + (i % 500), i -> "{\"order\":" + i + "}")
 *         .records(5_000)
 *         .build();
 * ThroughputMeasurement one = probe.measure(record -> orderHandler.handle(record));
 * }</pre>
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class HandlerThroughputProbe<K, V> {
  private final ProbeRun.Settings<K, V> settings;

  private HandlerThroughputProbe(ProbeRun.Settings<K, V> settings) {
    this.settings = settings;
  }

  /**
   * Starts configuring a probe.
   *
   * @param clientConfig client properties shared by the probe's Admin client, producer and
   *     consumer; {@code bootstrap.servers} is required (security settings go here too)
   * @param keySerde serializes sample keys and deserializes keys for the handler
   * @param valueSerde the same for values
   * @param <K> key type
   * @param <V> value type
   * @return a builder
   * @throws NullPointerException if an argument is null
   */
  public static <K, V> Builder<K, V> builder(
      Map<String, ?> clientConfig, Serde<K> keySerde, Serde<V> valueSerde) {
    return new Builder<>(
        new HashMap<>(Objects.requireNonNull(clientConfig, "clientConfig")),
        Objects.requireNonNull(keySerde, "keySerde"),
        Objects.requireNonNull(valueSerde, "valueSerde"));
  }

  /**
   * Produces warm-up plus measured sample records to a new one-partition topic, consumes them with
   * one consumer running the handler, and deletes the topic (also when the handler fails).
   *
   * @param handler the per-record code to measure
   * @return the measurement
   * @throws IllegalStateException if no sample was configured, the handler throws (the cause), or
   *     no record was measured within the timeout
   * @throws TopicAdminException if the temporary topic cannot be created
   * @throws NullPointerException if handler is null
   */
  public ThroughputMeasurement measure(ProbeHandler<K, V> handler) {
    return ProbeRun.onSample(settings, Objects.requireNonNull(handler, "handler"));
  }

  /**
   * Consumes an existing topic from the beginning with one consumer running the handler, up to
   * warm-up plus measured records (fewer if the topic holds fewer).
   *
   * @param topic an existing topic with records
   * @param handler the per-record code to measure
   * @return the measurement
   * @throws IllegalStateException if the topic holds no more records than the warm-up, the handler
   *     throws (the cause), or no record was measured within the timeout
   * @throws TopicAdminException if the topic does not exist
   * @throws NullPointerException if an argument is null
   */
  public ThroughputMeasurement measureTopic(String topic, ProbeHandler<K, V> handler) {
    return ProbeRun.onTopic(
        settings,
        Objects.requireNonNull(topic, "topic"),
        Objects.requireNonNull(handler, "handler"));
  }

  /**
   * Configures a {@link HandlerThroughputProbe}. Not thread-safe.
   *
   * @param <K> key type
   * @param <V> value type
   */
  public static final class Builder<K, V> {
    private final Map<String, Object> clientConfig;
    private final Serde<K> keySerde;
    private final Serde<V> valueSerde;
    private IntFunction<K> keys;
    private IntFunction<V> values;
    private int records = 1_000;
    private Integer warmupRecords;
    private Duration timeout = Duration.ofMinutes(2);
    private String topicPrefix = "ksdk-throughput-probe";
    private MeterRegistry registry = Metrics.globalRegistry;

    private Builder(Map<String, Object> clientConfig, Serde<K> keySerde, Serde<V> valueSerde) {
      this.clientConfig = clientConfig;
      this.keySerde = keySerde;
      this.valueSerde = valueSerde;
    }

    /**
     * Describes the sample records for {@link HandlerThroughputProbe#measure(ProbeHandler)}: record
     * {@code i} has key {@code keys.apply(i)} and value {@code values.apply(i)}. Make them look
     * like production records (size, key spread), since the handler's cost often depends on them.
     *
     * @param keys key of record i; may return null
     * @param values value of record i
     * @return this builder
     * @throws NullPointerException if a function is null
     */
    public Builder<K, V> sample(IntFunction<K> keys, IntFunction<V> values) {
      this.keys = Objects.requireNonNull(keys, "keys");
      this.values = Objects.requireNonNull(values, "values");
      return this;
    }

    /**
     * Sets how many records are timed.
     *
     * @param records at least 1; default 1,000
     * @return this builder
     */
    public Builder<K, V> records(int records) {
      this.records = records;
      return this;
    }

    /**
     * Sets how many records are handled before timing starts.
     *
     * @param warmupRecords at least 0; default a tenth of {@link #records(int)}
     * @return this builder
     */
    public Builder<K, V> warmupRecords(int warmupRecords) {
      this.warmupRecords = warmupRecords;
      return this;
    }

    /**
     * Sets how long a whole measurement may take; a slower run ends with the records measured so
     * far.
     *
     * @param timeout positive; default two minutes
     * @return this builder
     * @throws NullPointerException if timeout is null
     */
    public Builder<K, V> timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Sets the prefix of temporary topic names; a random suffix is appended.
     *
     * @param prefix a valid topic-name prefix; default {@code ksdk-throughput-probe}
     * @return this builder
     * @throws NullPointerException if prefix is null
     */
    public Builder<K, V> topicPrefix(String prefix) {
      this.topicPrefix = Objects.requireNonNull(prefix, "prefix");
      return this;
    }

    /**
     * Records {@link TopicMeters#PROBE_THROUGHPUT} and the probe's Kafka client metrics.
     *
     * @param registry the registry; default {@code Metrics.globalRegistry}, which discards
     *     everything until the application adds a registry to it
     * @return this builder
     * @throws NullPointerException if registry is null
     */
    public Builder<K, V> meterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Validates the settings. Nothing connects to Kafka until a measurement runs.
     *
     * @return the probe
     * @throws SdkConfigException if {@code bootstrap.servers} is missing, counts are out of range,
     *     the timeout is not positive or the topic prefix is not a valid topic name
     */
    public HandlerThroughputProbe<K, V> build() {
      Object servers = clientConfig.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
      if (servers == null || servers.toString().isBlank()) {
        throw new SdkConfigException(
            CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
            "is missing",
            "add bootstrap.servers of the cluster to measure on");
      }
      ConfigChecks.atLeastOne("records", records, "time at least 1,000 records");
      int warmup = warmupRecords == null ? records / 10 : warmupRecords;
      if (warmup < 0) {
        throw new SdkConfigException(
            "warmupRecords", "must not be negative, was " + warmup, "use 0 or more");
      }
      ConfigChecks.positive("timeout", timeout, "use e.g. Duration.ofMinutes(2)");
      if (!topicPrefix.matches("[a-zA-Z0-9._-]{1,200}")) {
        throw new SdkConfigException(
            "topicPrefix",
            "'" + topicPrefix + "' is not a valid topic name prefix",
            "use 1 to 200 characters from a-z, A-Z, 0-9, '.', '_' and '-'");
      }
      return new HandlerThroughputProbe<>(
          new ProbeRun.Settings<>(
              Collections.unmodifiableMap(new HashMap<>(clientConfig)),
              keySerde,
              valueSerde,
              keys,
              values,
              records,
              warmup,
              timeout,
              topicPrefix,
              registry));
    }
  }
}
