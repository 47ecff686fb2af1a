package dev.kafkasdk.topics;

import dev.kafkasdk.core.SdkConfigException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The share group (KIP-932) that reads a topic, as {@link TopicAdvisor} reviews it: its group-level
 * configuration (what {@code kafka-configs --entity-type groups} or Admin {@code
 * incrementalAlterConfigs} on the {@code GROUP} resource sets), the broker settings that bound and
 * default it, and how its members work.
 *
 * <pre>{@code
 * ShareGroupSettings group = ShareGroupSettings.builder()
 *     .config("share.auto.offset.reset", "earliest")
 *     .config("share.record.lock.duration.ms", "30000")
 *     .handlingTime(Duration.ofMillis(40))   // slowest usual time to handle one record
 *     .maxPollRecords(500)                   // records one member takes per poll
 *     .transactionalProducers(true)
 *     .build();
 * List<Finding> findings = TopicAdvisor.builder().shareGroup(group).build().review(spec);
 * }</pre>
 *
 * <p>Unset values take the broker's group defaults ({@code group.share.*}), given with {@link
 * Builder#brokerConfig}, and otherwise Kafka 4.4's documented defaults: lock duration 30 s (broker
 * bounds 15 s to 60 s), delivery count limit 5 (bounds 2 to 10), {@code share.auto.offset.reset}
 * {@code latest}, {@code share.isolation.level} {@code read_uncommitted}. Instances are immutable
 * and thread-safe.
 */
public final class ShareGroupSettings {
  /** Group config: how long a delivered record stays locked to its member. */
  public static final String RECORD_LOCK_DURATION_MS = "share.record.lock.duration.ms";

  /** Group config: delivery attempts before a record is archived. */
  public static final String DELIVERY_COUNT_LIMIT = "share.delivery.count.limit";

  /** Group config: where the group starts on a partition it has not read yet. */
  public static final String AUTO_OFFSET_RESET = "share.auto.offset.reset";

  /** Group config: whether members see records of open and aborted transactions. */
  public static final String ISOLATION_LEVEL = "share.isolation.level";

  /** Group config (Kafka 4.4): the topic archived records are written to. */
  public static final String DEAD_LETTER_TOPIC = "errors.deadletterqueue.topic.name";

  private static final long DEFAULT_LOCK_MS = 30_000;
  private static final long DEFAULT_DELIVERY_LIMIT = 5;

  private final Map<String, String> configs;
  private final Map<String, String> brokerConfigs;
  private final Duration handlingTime;
  private final int maxPollRecords;
  private final boolean transactionalProducers;

  private ShareGroupSettings(Builder b) {
    this.configs = Collections.unmodifiableMap(new LinkedHashMap<>(b.configs));
    this.brokerConfigs = Collections.unmodifiableMap(new LinkedHashMap<>(b.brokerConfigs));
    this.handlingTime = b.handlingTime;
    this.maxPollRecords = b.maxPollRecords;
    this.transactionalProducers = b.transactionalProducers;
  }

  /**
   * Starts describing a share group.
   *
   * @return a builder for a group with every setting at its default
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the group-level configuration as given.
   *
   * @return an unmodifiable map
   */
  public Map<String, String> configs() {
    return configs;
  }

  /**
   * Returns the broker configuration as given.
   *
   * @return an unmodifiable map
   */
  public Map<String, String> brokerConfigs() {
    return brokerConfigs;
  }

  /**
   * Returns the usual longest time a member takes to handle one record, if given.
   *
   * @return the handling time
   */
  public Optional<Duration> handlingTime() {
    return Optional.ofNullable(handlingTime);
  }

  /**
   * Returns how many records a member acquires per poll and handles before its next poll.
   *
   * @return the consumer's {@code max.poll.records}
   */
  public int maxPollRecords() {
    return maxPollRecords;
  }

  /**
   * Tells whether transactional producers write the topic.
   *
   * @return true if declared
   */
  public boolean transactionalProducers() {
    return transactionalProducers;
  }

  /**
   * Returns the lock duration that applies: the group's, else the broker's {@code
   * group.share.record.lock.duration.ms}, else 30 s.
   *
   * @return milliseconds
   */
  public long recordLockDurationMs() {
    return effective(
        RECORD_LOCK_DURATION_MS, "group.share.record.lock.duration.ms", DEFAULT_LOCK_MS);
  }

  /**
   * Returns the delivery count limit that applies: the group's, else the broker's {@code
   * group.share.delivery.count.limit}, else 5.
   *
   * @return the limit
   */
  public long deliveryCountLimit() {
    return effective(
        DELIVERY_COUNT_LIMIT, "group.share.delivery.count.limit", DEFAULT_DELIVERY_LIMIT);
  }

  /**
   * Returns the {@code share.auto.offset.reset} that applies.
   *
   * @return {@code earliest}, {@code latest} (the default) or {@code by_duration:<ISO-8601>}
   */
  public String autoOffsetReset() {
    return configs.getOrDefault(AUTO_OFFSET_RESET, "latest").trim().toLowerCase(Locale.ROOT);
  }

  /**
   * Returns the {@code share.isolation.level} that applies.
   *
   * @return {@code read_uncommitted} (the default) or {@code read_committed}
   */
  public String isolationLevel() {
    return configs
        .getOrDefault(ISOLATION_LEVEL, "read_uncommitted")
        .trim()
        .toLowerCase(Locale.ROOT);
  }

  /**
   * Returns the group's dead-letter topic, if set.
   *
   * @return the topic name
   */
  public Optional<String> deadLetterTopic() {
    String topic = configs.get(DEAD_LETTER_TOPIC);
    return topic == null || topic.isBlank() ? Optional.empty() : Optional.of(topic.trim());
  }

  private long effective(String groupKey, String brokerKey, long fallback) {
    String own = configs.get(groupKey);
    String broker = brokerConfigs.get(brokerKey);
    return own != null
        ? Long.parseLong(own.trim())
        : broker != null ? Long.parseLong(broker.trim()) : fallback;
  }

  @Override
  public String toString() {
    return "ShareGroupSettings[configs="
        + configs
        + ", brokerConfigs="
        + brokerConfigs
        + ", handlingTime="
        + handlingTime
        + ", maxPollRecords="
        + maxPollRecords
        + ", transactionalProducers="
        + transactionalProducers
        + "]";
  }

  /** Configures {@link ShareGroupSettings}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, String> configs = new LinkedHashMap<>();
    private final Map<String, String> brokerConfigs = new LinkedHashMap<>();
    private Duration handlingTime;
    private int maxPollRecords = 500;
    private boolean transactionalProducers;

    private Builder() {}

    /**
     * Sets one group-level config as the group has it (or will have it).
     *
     * @param key for example {@code share.record.lock.duration.ms}
     * @param value the value as Kafka stores it
     * @return this builder
     * @throws NullPointerException if key or value is null
     */
    public Builder config(String key, String value) {
      configs.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Sets several group-level configs, for example what Admin {@code describeConfigs} on the group
     * returned.
     *
     * @param configs keys and values
     * @return this builder
     * @throws NullPointerException if a key or value is null
     */
    public Builder configs(Map<String, String> configs) {
      Objects.requireNonNull(configs, "configs").forEach(this::config);
      return this;
    }

    /**
     * Sets a broker config that defaults or bounds share groups, for example {@code
     * group.share.max.record.lock.duration.ms} or {@code group.share.delivery.count.limit}.
     *
     * @param key the broker config key
     * @param value the value
     * @return this builder
     * @throws NullPointerException if key or value is null
     */
    public Builder brokerConfig(String key, String value) {
      brokerConfigs.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Sets the usual longest time (for example the 99th percentile) a member takes to handle one
     * record, which enables the lock-duration rule.
     *
     * @param perRecord positive
     * @return this builder
     * @throws NullPointerException if perRecord is null
     */
    public Builder handlingTime(Duration perRecord) {
      this.handlingTime = Objects.requireNonNull(perRecord, "perRecord");
      return this;
    }

    /**
     * Sets how many records a member acquires in one poll and handles, one after another, before
     * acknowledging them: every one of them is locked from the same moment.
     *
     * @param records at least 1; default 500, the consumer's {@code max.poll.records} default
     * @return this builder
     */
    public Builder maxPollRecords(int records) {
      this.maxPollRecords = records;
      return this;
    }

    /**
     * Declares that transactional producers write the topic.
     *
     * @param transactional true if they do
     * @return this builder
     */
    public Builder transactionalProducers(boolean transactional) {
      this.transactionalProducers = transactional;
      return this;
    }

    /**
     * Validates and creates the settings.
     *
     * @return the settings
     * @throws SdkConfigException if a numeric setting is not a positive number, {@code
     *     share.auto.offset.reset} or {@code share.isolation.level} has a value Kafka does not
     *     accept, the handling time is not positive or {@code maxPollRecords} is below 1
     */
    public ShareGroupSettings build() {
      for (String key : new String[] {RECORD_LOCK_DURATION_MS, DELIVERY_COUNT_LIMIT}) {
        positiveNumber(key, configs.get(key), "set a positive whole number, or leave it unset");
      }
      brokerConfigs.forEach(
          (key, value) -> {
            if (key.startsWith("group.share.") && (key.endsWith(".ms") || key.endsWith(".limit"))) {
              positiveNumber(key, value, "give the broker's value as a positive whole number");
            }
          });
      String reset = configs.get(AUTO_OFFSET_RESET);
      if (reset != null) {
        String r = reset.trim().toLowerCase(Locale.ROOT);
        if (!r.equals("earliest") && !r.equals("latest") && !r.startsWith("by_duration:")) {
          throw new SdkConfigException(
              AUTO_OFFSET_RESET,
              "'" + reset + "' is not a value Kafka accepts",
              "use earliest, latest or by_duration:<ISO-8601 duration>");
        }
      }
      String isolation = configs.get(ISOLATION_LEVEL);
      if (isolation != null) {
        String i = isolation.trim().toLowerCase(Locale.ROOT);
        if (!i.equals("read_committed") && !i.equals("read_uncommitted")) {
          throw new SdkConfigException(
              ISOLATION_LEVEL,
              "'" + isolation + "' is not a value Kafka accepts",
              "use read_committed or read_uncommitted");
        }
      }
      if (handlingTime != null && (handlingTime.isNegative() || handlingTime.isZero())) {
        throw new SdkConfigException(
            "handlingTime",
            "must be positive, was " + handlingTime,
            "give the usual longest time to handle one record, or leave it unset");
      }
      if (maxPollRecords < 1) {
        throw new SdkConfigException(
            "maxPollRecords",
            "must be at least 1, was " + maxPollRecords,
            "give the members' max.poll.records (default 500)");
      }
      return new ShareGroupSettings(this);
    }

    private static void positiveNumber(String key, String value, String fix) {
      if (value == null) {
        return;
      }
      long parsed;
      try {
        parsed = Long.parseLong(value.trim());
      } catch (NumberFormatException e) {
        throw new SdkConfigException(key, "'" + value + "' is not a whole number", fix);
      }
      if (parsed < 1) {
        throw new SdkConfigException(key, "must be positive, was " + parsed, fix);
      }
    }
  }
}
