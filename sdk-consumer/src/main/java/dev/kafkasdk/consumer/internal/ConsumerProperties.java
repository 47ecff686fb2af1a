package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.core.internal.ConfigChecks;
import dev.kafkasdk.core.internal.SecretRedaction;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The Kafka consumer properties of a runner: the application's properties plus the settings the
 * runner must own (auto-commit off) and its safe defaults, and the checks of the properties that
 * interact with the runner's own settings.
 */
final class ConsumerProperties {
  private static final Duration DEFAULT_REVOCATION_TIMEOUT = Duration.ofSeconds(30);
  private static final long DEFAULT_MAX_POLL_INTERVAL_MS = 300_000;

  private ConsumerProperties() {}

  /** The application's properties plus the runner's mandatory settings and safe defaults. */
  static Map<String, Object> resolve(RunnerDraft<?, ?> draft) {
    Map<String, Object> config = new HashMap<>(draft.properties);
    String bootstrap =
        draft.bootstrapServers != null
            ? draft.bootstrapServers
            : stringOrNull(config.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
    if (bootstrap == null || bootstrap.isBlank()) {
      throw new SdkConfigException(
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
          "missing",
          "call bootstrapServers(\"host:port\")");
    }
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    String group =
        draft.groupId != null
            ? draft.groupId
            : stringOrNull(config.get(ConsumerConfig.GROUP_ID_CONFIG));
    if (group == null || group.isBlank()) {
      throw new SdkConfigException(
          ConsumerConfig.GROUP_ID_CONFIG,
          "missing: the runner commits offsets for a consumer group",
          "call groupId(\"my-service\")");
    }
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    Object autoCommit = config.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);
    if (autoCommit != null && String.valueOf(autoCommit).trim().equalsIgnoreCase("true")) {
      throw new SdkConfigException(
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
          "auto-commit would commit offsets of records that are still being processed, losing"
              + " them on a crash or rebalance",
          "remove the property; the runner commits offsets after processing");
    }
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    String protocol =
        String.valueOf(config.getOrDefault(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic"))
            .trim()
            .toLowerCase(Locale.ROOT);
    if (protocol.equals("classic")) {
      // With KIP-848 (group.protocol=consumer) the broker assigns, and a client assignor is an
      // error.
      config.putIfAbsent(
          ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
          CooperativeStickyAssignor.class.getName());
    }
    return config;
  }

  /** Exactly-once mode must not read records of aborted transactions. */
  static void requireReadCommitted(Map<String, Object> config) {
    Object isolation = config.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG);
    if (!"read_committed".equalsIgnoreCase(String.valueOf(isolation).trim())) {
      throw new SdkConfigException(
          ConsumerConfig.ISOLATION_LEVEL_CONFIG,
          "exactly-once mode must not read uncommitted (possibly aborted) input",
          "remove the property; the runner uses read_committed");
    }
  }

  /** Takes an explicit max.poll.records out of the config; the runner sets it per consumer. */
  static Optional<Integer> takeMaxPollRecords(Map<String, Object> config, int perPartition) {
    Object explicit = config.remove(ConsumerConfig.MAX_POLL_RECORDS_CONFIG);
    if (explicit == null) {
      return Optional.empty();
    }
    int value = ConfigChecks.parseInt(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, explicit);
    if (value < 1 || value > perPartition) {
      throw new SdkConfigException(
          ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
          value
              + " does not fit the per-partition in-flight limit "
              + perPartition
              + ": one poll could exceed it",
          "remove max.poll.records (the runner sizes it) or raise maxInFlightPerPartition");
    }
    return Optional.of(value);
  }

  /** Takes the application's client.id out of the config; the runner numbers it per consumer. */
  static Optional<String> takeClientId(Map<String, Object> config) {
    return Optional.ofNullable(config.remove(ConsumerConfig.CLIENT_ID_CONFIG)).map(String::valueOf);
  }

  /**
   * The explicit revocation timeout, or min(30 s, max.poll.interval.ms / 2); either must stay below
   * max.poll.interval.ms, because the wait happens inside the rebalance.
   */
  static Duration revocationTimeout(Map<String, Object> config, Duration explicit) {
    long maxPollIntervalMs =
        config.containsKey(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG)
            ? ConfigChecks.parseInt(
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
                config.get(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG))
            : DEFAULT_MAX_POLL_INTERVAL_MS;
    Duration revocation = explicit;
    if (revocation == null) {
      Duration half = Duration.ofMillis(Math.max(1, maxPollIntervalMs / 2));
      revocation =
          half.compareTo(DEFAULT_REVOCATION_TIMEOUT) < 0 ? half : DEFAULT_REVOCATION_TIMEOUT;
    }
    ConfigChecks.positive("revocationTimeout", revocation);
    if (revocation.toMillis() >= maxPollIntervalMs) {
      throw new SdkConfigException(
          "revocationTimeout",
          revocation.toMillis()
              + " ms is not below max.poll.interval.ms ("
              + maxPollIntervalMs
              + " ms); the member would be removed while waiting inside a rebalance",
          "lower revocationTimeout or raise max.poll.interval.ms");
    }
    return revocation;
  }

  /** Lets Kafka parse the final configuration, so what it would reject fails at build time. */
  static void checkWithKafka(
      Map<String, Object> config,
      String clientIdPrefix,
      Optional<Integer> maxPollRecords,
      Deserializer<?> keys,
      Deserializer<?> values) {
    Map<String, Object> check = new HashMap<>(config);
    check.put(ConsumerConfig.CLIENT_ID_CONFIG, clientIdPrefix + "-0");
    check.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords.orElse(1));
    try {
      ConsumerConfigCheck.validate(ConsumerConfig.appendDeserializerToConfig(check, keys, values));
    } catch (ConfigException e) {
      throw new SdkConfigException(
          "consumer properties",
          SecretRedaction.scrub(e.getMessage(), config),
          "correct or remove the property named in the message");
    }
  }

  private static String stringOrNull(Object value) {
    return value == null ? null : String.valueOf(value);
  }
}
