package dev.kafkasdk.topics.internal;

import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.core.internal.ConfigChecks;
import dev.kafkasdk.topics.CleanupPolicy;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.TopicConfig;

/** The checks behind {@code TopicSpec.Builder.build()}; every failure names setting and fix. */
public final class TopicSpecValidation {
  /** The broker refuses smaller segments (Kafka 4.x {@code segment.bytes} lower bound). */
  public static final int MIN_SEGMENT_BYTES = 1024 * 1024;

  private static final int MAX_NAME_LENGTH = 249;
  private static final Pattern LEGAL_NAME = Pattern.compile("[a-zA-Z0-9._-]+");

  private TopicSpecValidation() {}

  /**
   * Validates a whole spec.
   *
   * @param name topic name
   * @param partitions declared partitions or null
   * @param replicationFactor declared replication factor or null
   * @param configs declared configs
   * @throws SdkConfigException on the first problem found
   */
  public static void validate(
      String name, Integer partitions, Integer replicationFactor, Map<String, String> configs) {
    validateName(name);
    if (partitions != null) {
      ConfigChecks.atLeastOne(
          "partitions",
          partitions,
          "declare 1 or more partitions (size it with PartitionPlanner), or leave it unset for"
              + " the broker default");
    }
    if (replicationFactor != null
        && (replicationFactor < 1 || replicationFactor > Short.MAX_VALUE)) {
      throw new SdkConfigException(
          "replication.factor",
          "must be between 1 and " + Short.MAX_VALUE + ", was " + replicationFactor,
          "use 3 in production (1 only for local development)");
    }
    for (Map.Entry<String, String> e : configs.entrySet()) {
      if (e.getKey().isBlank() || !e.getKey().equals(e.getKey().strip())) {
        throw new SdkConfigException(
            "'" + e.getKey() + "'",
            "is not a valid topic configuration key",
            "use a key from org.apache.kafka.common.config.TopicConfig without surrounding spaces");
      }
    }
    Integer minIsr = intConfig(configs, TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
    if (minIsr != null) {
      if (minIsr < 1) {
        throw new SdkConfigException(
            TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
            "must be at least 1, was " + minIsr,
            "use 2 with replication factor 3");
      }
      if (replicationFactor != null && minIsr > replicationFactor) {
        throw new SdkConfigException(
            TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
            "is "
                + minIsr
                + " but the replication factor is only "
                + replicationFactor
                + ", so no write with acks=all could ever succeed",
            "set min.insync.replicas below the replication factor (2 with replication factor 3)");
      }
    }
    String policy = configs.get(TopicConfig.CLEANUP_POLICY_CONFIG);
    if (policy != null && CleanupPolicy.fromConfigValue(policy).isEmpty()) {
      throw new SdkConfigException(
          TopicConfig.CLEANUP_POLICY_CONFIG,
          "'" + policy + "' is not a cleanup policy",
          "use delete, compact or compact,delete (CleanupPolicy)");
    }
    retentionValue(configs, TopicConfig.RETENTION_MS_CONFIG, "retention(Duration)");
    retentionValue(configs, TopicConfig.RETENTION_BYTES_CONFIG, "retentionBytes(long)");
    Integer segmentBytes = intConfig(configs, TopicConfig.SEGMENT_BYTES_CONFIG);
    if (segmentBytes != null && segmentBytes < MIN_SEGMENT_BYTES) {
      throw new SdkConfigException(
          TopicConfig.SEGMENT_BYTES_CONFIG,
          "must be at least " + MIN_SEGMENT_BYTES + " bytes (1 MiB), was " + segmentBytes,
          "keep the default 1 GiB unless you have a reason; the broker refuses less than 1 MiB");
    }
    Long segmentMs = longConfig(configs, TopicConfig.SEGMENT_MS_CONFIG);
    if (segmentMs != null && segmentMs < 1) {
      throw new SdkConfigException(
          TopicConfig.SEGMENT_MS_CONFIG,
          "must be at least 1, was " + segmentMs,
          "keep the default (7 days) or use hours");
    }
    String ratio = configs.get(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG);
    if (ratio != null) {
      double value;
      try {
        value = Double.parseDouble(ratio);
      } catch (NumberFormatException e) {
        throw notANumber(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, ratio);
      }
      if (!(value > 0.0 && value <= 1.0)) {
        throw new SdkConfigException(
            TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG,
            "must be greater than 0 and at most 1, was " + ratio,
            "keep the default 0.5; lower values run the cleaner more often");
      }
    }
    String unclean = configs.get(TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG);
    if (unclean != null && !unclean.equals("true") && !unclean.equals("false")) {
      throw new SdkConfigException(
          TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG,
          "must be true or false, was '" + unclean + "'",
          "use uncleanLeaderElection(false) unless availability matters more than data");
    }
  }

  private static void validateName(String name) {
    if (name.isEmpty()
        || name.length() > MAX_NAME_LENGTH
        || name.equals(".")
        || name.equals("..")
        || !LEGAL_NAME.matcher(name).matches()) {
      throw new SdkConfigException(
          "name",
          "'" + name + "' is not a valid topic name",
          "use 1 to "
              + MAX_NAME_LENGTH
              + " characters from a-z, A-Z, 0-9, '.', '_' and '-' (not '.' or '..')");
    }
  }

  private static void retentionValue(Map<String, String> configs, String key, String setter) {
    Long value = longConfig(configs, key);
    if (value != null && value != -1 && value <= 0) {
      throw new SdkConfigException(
          key,
          "must be positive or -1 (unlimited), was " + value,
          "use " + setter + " with a positive value, or -1 to keep records regardless of " + key);
    }
  }

  private static Integer intConfig(Map<String, String> configs, String key) {
    String v = configs.get(key);
    if (v == null) {
      return null;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw notANumber(key, v);
    }
  }

  private static Long longConfig(Map<String, String> configs, String key) {
    String v = configs.get(key);
    if (v == null) {
      return null;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw notANumber(key, v);
    }
  }

  private static SdkConfigException notANumber(String key, String value) {
    return new SdkConfigException(
        key, "'" + value + "' is not a number", "give a plain decimal number such as 1048576");
  }
}
