package dev.kafkasdk.topics.internal;

import dev.kafkasdk.topics.CleanupPolicy;
import dev.kafkasdk.topics.LiveTopic;
import dev.kafkasdk.topics.TopicDifference;
import dev.kafkasdk.topics.TopicSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.TopicConfig;

/** Compares what a spec declares with what the cluster reports, setting by setting. */
public final class SpecComparison {
  /** Shown as the actual value of a configuration the cluster does not report. */
  public static final String ABSENT = "<absent>";

  private SpecComparison() {}

  /**
   * Lists every declared setting whose live value differs.
   *
   * @param spec the declaration
   * @param live the topic as described by the cluster
   * @return the differences, partitions and replication factor first, then configs by key
   */
  public static List<TopicDifference> compare(TopicSpec spec, LiveTopic live) {
    List<TopicDifference> differences = new ArrayList<>();
    spec.partitions()
        .ifPresent(
            expected -> {
              int actual = live.partitionCount();
              if (actual < expected) {
                differences.add(
                    new TopicDifference(
                        "partitions",
                        Integer.toString(expected),
                        Integer.toString(actual),
                        "add partitions with TopicAdmin.increasePartitions(PartitionIncrease"
                            + ".forSpec(spec))"
                            + (spec.keyed()
                                ? "; the topic is keyed, so keys will move to other partitions"
                                : "")));
              } else if (actual > expected) {
                differences.add(
                    new TopicDifference(
                        "partitions",
                        Integer.toString(expected),
                        Integer.toString(actual),
                        "Kafka cannot remove partitions: declare "
                            + actual
                            + " in the spec,"
                            + " or create a new topic and migrate"));
              }
            });
    spec.replicationFactor()
        .ifPresent(
            expected -> {
              boolean allMatch =
                  live.partitions().stream().allMatch(p -> p.replicas().size() == expected);
              if (!allMatch) {
                differences.add(
                    new TopicDifference(
                        "replication.factor",
                        Integer.toString(expected),
                        Integer.toString(live.replicationFactor()),
                        "change the replica assignment with kafka-reassign-partitions.sh or"
                            + " Admin.alterPartitionReassignments"));
              }
            });
    for (Map.Entry<String, String> declared : spec.configs().entrySet()) {
      String key = declared.getKey();
      String actual = live.configs().get(key);
      if (actual == null || !equivalent(key, declared.getValue(), actual)) {
        differences.add(
            new TopicDifference(
                key,
                declared.getValue(),
                actual == null ? ABSENT : actual,
                actual == null
                    ? "the cluster does not report '" + key + "': check the key's spelling"
                    : "run TopicAdmin.alignConfigs(spec), or kafka-configs.sh --alter"
                        + " --entity-type topics --entity-name "
                        + spec.name()
                        + " --add-config "
                        + key
                        + "="
                        + declared.getValue()));
      }
    }
    return differences;
  }

  /**
   * Tells whether two values of one configuration mean the same: cleanup policies as sets, numbers
   * by value, booleans ignoring case, anything else as trimmed text.
   *
   * @param key the configuration key
   * @param expected the declared value
   * @param actual the reported value
   * @return true if equivalent
   */
  public static boolean equivalent(String key, String expected, String actual) {
    String e = expected.trim();
    String a = actual.trim();
    if (e.equals(a)) {
      return true;
    }
    if (key.equals(TopicConfig.CLEANUP_POLICY_CONFIG)) {
      Optional<CleanupPolicy> pe = CleanupPolicy.fromConfigValue(e);
      return pe.isPresent() && pe.equals(CleanupPolicy.fromConfigValue(a));
    }
    if (isBoolean(e) && isBoolean(a)) {
      return e.toLowerCase(Locale.ROOT).equals(a.toLowerCase(Locale.ROOT));
    }
    try {
      return new BigDecimal(e).compareTo(new BigDecimal(a)) == 0;
    } catch (NumberFormatException notNumbers) {
      return false;
    }
  }

  private static boolean isBoolean(String v) {
    return v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false");
  }
}
