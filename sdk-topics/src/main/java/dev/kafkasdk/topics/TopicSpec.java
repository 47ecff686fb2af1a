package dev.kafkasdk.topics;

import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.topics.internal.TopicSpecValidation;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * An immutable declaration of a topic: name, partition count, replication factor, the topic-level
 * configuration that matters for reliability and disk use, and whether records are written with
 * keys whose per-key order matters ({@link #keyed()}).
 *
 * <p>Every setting is optional. A setting left unset is decided by the broker's default and is not
 * checked by {@link TopicAdmin#apply(TopicSpec)}; a setting that is set is created that way and
 * verified on existing topics. {@link Builder#build()} rejects impossible combinations (for example
 * {@code min.insync.replicas} above the replication factor) with an {@link SdkConfigException}.
 * Advice on risky but possible values comes from {@link TopicAdvisor}.
 *
 * <pre>{@code
 * TopicSpec orders = TopicSpec.durable("orders")      // RF 3, min.insync.replicas 2
 *     .partitions(12)
 *     .keyed(true)                                     // order per key matters
 *     .retention(Duration.ofDays(3))
 *     .build();
 * }</pre>
 *
 * <p>{@link #keyed()} is the SDK's record of your intent; Kafka does not store it. Keep your specs
 * in code and use the same spec for {@link TopicAdmin#apply(TopicSpec)} and {@link
 * TopicAdmin#increasePartitions(PartitionIncrease)}, so the partition-increase guard knows the
 * topic is keyed.
 */
public final class TopicSpec {
  private final String name;
  private final Integer partitions;
  private final Short replicationFactor;
  private final boolean keyed;
  private final Map<String, String> configs;

  private TopicSpec(Builder builder) {
    this.name = builder.name;
    this.partitions = builder.partitions;
    this.replicationFactor =
        builder.replicationFactor == null ? null : builder.replicationFactor.shortValue();
    this.keyed = builder.keyed;
    this.configs = Collections.unmodifiableMap(new TreeMap<>(builder.configs));
  }

  /**
   * Starts a specification with nothing but a name; every setting is left to the broker.
   *
   * @param name the topic name: 1 to 249 characters from {@code [a-zA-Z0-9._-]}, checked by {@link
   *     Builder#build()}
   * @return a builder
   * @throws NullPointerException if name is null
   */
  public static Builder builder(String name) {
    return new Builder(Objects.requireNonNull(name, "name"));
  }

  /**
   * Preset for an event stream: {@code cleanup.policy=delete}, seven days of retention, unclean
   * leader election off. Set the partition count from a {@link PartitionPlan}.
   *
   * @param name the topic name
   * @return a builder with the preset applied, to adjust further
   */
  public static Builder eventStream(String name) {
    return builder(name)
        .cleanupPolicy(CleanupPolicy.DELETE)
        .retention(Duration.ofDays(7))
        .uncleanLeaderElection(false);
  }

  /**
   * Preset for a changelog or state topic (the latest value per key, like a Kafka Streams KTable):
   * {@code cleanup.policy=compact}, {@link #keyed()} true, unclean leader election off. Compacted
   * topics reject records without a key.
   *
   * @param name the topic name
   * @return a builder with the preset applied
   */
  public static Builder changelog(String name) {
    return builder(name)
        .cleanupPolicy(CleanupPolicy.COMPACT)
        .keyed(true)
        .uncleanLeaderElection(false);
  }

  /**
   * Preset for a topic that must not lose acknowledged records: replication factor 3, {@code
   * min.insync.replicas=2}, unclean leader election off. With producer {@code acks=all} a write
   * then survives the loss of one broker, and a rolling restart does not block producers. Needs at
   * least three brokers.
   *
   * @param name the topic name
   * @return a builder with the preset applied
   */
  public static Builder durable(String name) {
    return builder(name).replicationFactor(3).minInsyncReplicas(2).uncleanLeaderElection(false);
  }

  /**
   * Returns the topic name.
   *
   * @return the name, never null
   */
  public String name() {
    return name;
  }

  /**
   * Returns the declared partition count.
   *
   * @return the count, or empty when the broker's {@code num.partitions} decides
   */
  public OptionalInt partitions() {
    return partitions == null ? OptionalInt.empty() : OptionalInt.of(partitions);
  }

  /**
   * Returns the declared replication factor.
   *
   * @return the factor, or empty when the broker's {@code default.replication.factor} decides
   */
  public OptionalInt replicationFactor() {
    return replicationFactor == null ? OptionalInt.empty() : OptionalInt.of(replicationFactor);
  }

  /**
   * Tells whether producers write this topic with keys and rely on the same key always landing in
   * the same partition (per-key order, compaction). Adding partitions breaks that mapping, so
   * {@link TopicAdmin#increasePartitions(PartitionIncrease)} asks for an acknowledgement.
   *
   * @return true if declared keyed
   */
  public boolean keyed() {
    return keyed;
  }

  /**
   * Returns every declared topic-level configuration as Kafka strings, typed settings included.
   *
   * @return an unmodifiable map sorted by key
   */
  public Map<String, String> configs() {
    return configs;
  }

  /**
   * Returns {@code min.insync.replicas}: how many in-sync replicas must have a record before a
   * producer with {@code acks=all} gets its acknowledgement.
   *
   * @return the value, or empty if not declared
   */
  public OptionalInt minInsyncReplicas() {
    String v = configs.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
    return v == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(v));
  }

  /**
   * Returns {@code cleanup.policy}.
   *
   * @return the policy, or empty if not declared
   */
  public Optional<CleanupPolicy> cleanupPolicy() {
    String v = configs.get(TopicConfig.CLEANUP_POLICY_CONFIG);
    return v == null ? Optional.empty() : CleanupPolicy.fromConfigValue(v);
  }

  /**
   * Returns {@code retention.ms}; {@code -1} means unlimited.
   *
   * @return the value, or empty if not declared
   */
  public OptionalLong retentionMs() {
    return longConfig(TopicConfig.RETENTION_MS_CONFIG);
  }

  /**
   * Returns {@code retention.bytes} (per partition); {@code -1} means unlimited.
   *
   * @return the value, or empty if not declared
   */
  public OptionalLong retentionBytes() {
    return longConfig(TopicConfig.RETENTION_BYTES_CONFIG);
  }

  /**
   * Returns {@code segment.bytes}, the size at which the active segment is closed and a new one is
   * opened.
   *
   * @return the value, or empty if not declared
   */
  public OptionalInt segmentBytes() {
    String v = configs.get(TopicConfig.SEGMENT_BYTES_CONFIG);
    return v == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(v));
  }

  /**
   * Returns {@code min.cleanable.dirty.ratio}: the share of not-yet-compacted records that starts
   * the log cleaner on a compacted topic.
   *
   * @return the value, or empty if not declared
   */
  public OptionalDouble minCleanableDirtyRatio() {
    String v = configs.get(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG);
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(v));
  }

  /**
   * Returns {@code unclean.leader.election.enable}.
   *
   * @return the value, or empty if not declared
   */
  public Optional<Boolean> uncleanLeaderElection() {
    String v = configs.get(TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG);
    return v == null ? Optional.empty() : Optional.of(Boolean.parseBoolean(v));
  }

  /**
   * Converts the spec into the Admin client's creation request. Unset partition count and
   * replication factor become broker defaults.
   *
   * @return a new {@link NewTopic} with every declared configuration
   */
  public NewTopic toNewTopic() {
    return new NewTopic(
            name,
            partitions == null ? Optional.empty() : Optional.of(partitions),
            replicationFactor == null ? Optional.empty() : Optional.of(replicationFactor))
        .configs(configs);
  }

  /**
   * Returns a builder holding this spec's settings, for a modified copy.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder(name);
    b.partitions = partitions;
    b.replicationFactor = replicationFactor == null ? null : replicationFactor.intValue();
    b.keyed = keyed;
    b.configs.putAll(configs);
    return b;
  }

  private OptionalLong longConfig(String key) {
    String v = configs.get(key);
    return v == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(v));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TopicSpec other
        && name.equals(other.name)
        && Objects.equals(partitions, other.partitions)
        && Objects.equals(replicationFactor, other.replicationFactor)
        && keyed == other.keyed
        && configs.equals(other.configs);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, partitions, replicationFactor, keyed, configs);
  }

  @Override
  public String toString() {
    return "TopicSpec{name="
        + name
        + ", partitions="
        + (partitions == null ? "default" : partitions)
        + ", replicationFactor="
        + (replicationFactor == null ? "default" : replicationFactor)
        + ", keyed="
        + keyed
        + ", configs="
        + configs
        + "}";
  }

  /**
   * Collects the settings of a {@link TopicSpec}. Setters only record values; {@link #build()}
   * checks them all. Not thread-safe.
   */
  public static final class Builder {
    private final String name;
    private Integer partitions;
    private Integer replicationFactor;
    private boolean keyed;
    private final Map<String, String> configs = new TreeMap<>();

    private Builder(String name) {
      this.name = name;
    }

    /**
     * Sets the partition count. Size it from measured throughput with {@link PartitionPlanner}:
     * producer rate must stay below consumer throughput times partitions.
     *
     * @param partitions at least 1
     * @return this builder
     */
    public Builder partitions(int partitions) {
      this.partitions = partitions;
      return this;
    }

    /**
     * Sets the replication factor: how many brokers hold a copy of each partition.
     *
     * @param replicationFactor at least 1, at most the broker count; 3 in production
     * @return this builder
     */
    public Builder replicationFactor(int replicationFactor) {
      this.replicationFactor = replicationFactor;
      return this;
    }

    /**
     * Sets {@code min.insync.replicas}.
     *
     * @param minInsyncReplicas at least 1, at most the replication factor; below the broker count
     * @return this builder
     */
    public Builder minInsyncReplicas(int minInsyncReplicas) {
      return config(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas));
    }

    /**
     * Sets {@code cleanup.policy}.
     *
     * @param policy the policy
     * @return this builder
     * @throws NullPointerException if policy is null
     */
    public Builder cleanupPolicy(CleanupPolicy policy) {
      return config(
          TopicConfig.CLEANUP_POLICY_CONFIG,
          Objects.requireNonNull(policy, "policy").configValue());
    }

    /**
     * Sets {@code retention.ms}: segments whose newest record is older than this are deleted
     * (delete policy).
     *
     * @param retention a positive duration
     * @return this builder
     * @throws NullPointerException if retention is null
     */
    public Builder retention(Duration retention) {
      Objects.requireNonNull(retention, "retention");
      long ms;
      try {
        ms = retention.toMillis();
      } catch (ArithmeticException tooLong) {
        ms = Long.MAX_VALUE;
      }
      return config(TopicConfig.RETENTION_MS_CONFIG, Long.toString(ms));
    }

    /**
     * Sets {@code retention.ms=-1}: records are never deleted because of their age.
     *
     * @return this builder
     */
    public Builder retentionUnlimited() {
      return config(TopicConfig.RETENTION_MS_CONFIG, "-1");
    }

    /**
     * Sets {@code retention.bytes}: the most each partition keeps before its oldest segments are
     * deleted. It applies per partition, not per topic.
     *
     * @param bytes a positive size, or {@code -1} for unlimited
     * @return this builder
     */
    public Builder retentionBytes(long bytes) {
      return config(TopicConfig.RETENTION_BYTES_CONFIG, Long.toString(bytes));
    }

    /**
     * Sets {@code segment.bytes}, the size of one segment file.
     *
     * @param bytes at least 1 MiB (the broker refuses less)
     * @return this builder
     */
    public Builder segmentBytes(int bytes) {
      return config(TopicConfig.SEGMENT_BYTES_CONFIG, Integer.toString(bytes));
    }

    /**
     * Sets {@code min.cleanable.dirty.ratio} for compacted topics. High values (0.9) compact
     * thoroughly but keep more duplicates on disk; low values (0.1) keep the log fresh but run the
     * cleaner often.
     *
     * @param ratio greater than 0, at most 1
     * @return this builder
     */
    public Builder minCleanableDirtyRatio(double ratio) {
      return config(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, Double.toString(ratio));
    }

    /**
     * Sets {@code unclean.leader.election.enable}. {@code true} lets an out-of-sync replica become
     * leader: the partition stays available but acknowledged records can be lost.
     *
     * @param enabled whether unclean leader election is allowed
     * @return this builder
     */
    public Builder uncleanLeaderElection(boolean enabled) {
      return config(TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG, Boolean.toString(enabled));
    }

    /**
     * Declares whether producers write keyed records whose per-key partition must not change; see
     * {@link TopicSpec#keyed()}.
     *
     * @param keyed true for keyed topics
     * @return this builder
     */
    public Builder keyed(boolean keyed) {
      this.keyed = keyed;
      return this;
    }

    /**
     * Sets any topic-level configuration, for example {@code max.message.bytes}. Keys with a typed
     * setter above are checked the same way as through that setter.
     *
     * @param key a topic configuration key (see {@link TopicConfig})
     * @param value its value as Kafka expects it
     * @return this builder
     * @throws NullPointerException if key or value is null
     */
    public Builder config(String key, String value) {
      configs.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Checks every setting and creates the spec.
     *
     * @return the immutable spec
     * @throws SdkConfigException naming the setting, the problem and the fix, if the name is not a
     *     valid topic name or a value is impossible: partitions or replication factor below 1,
     *     {@code min.insync.replicas} below 1 or above the replication factor, a negative retention
     *     other than -1, {@code segment.bytes} below 1 MiB, {@code min.cleanable.dirty.ratio}
     *     outside (0, 1], an unknown cleanup policy or a value that is not a number
     */
    public TopicSpec build() {
      TopicSpecValidation.validate(name, partitions, replicationFactor, configs);
      return new TopicSpec(this);
    }
  }
}
