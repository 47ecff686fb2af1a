package dev.kafkasdk.topics;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.kafka.common.config.TopicConfig;

/**
 * A snapshot of an existing topic as the cluster reported it: its partitions with leader, replicas
 * and in-sync replicas, and its effective configuration (broker defaults included). Obtain one from
 * {@link TopicAdmin#describe(String)}, or build one by hand for tests.
 *
 * @param name the topic name
 * @param partitions every partition, ordered by partition number
 * @param configs the effective topic configuration, including values inherited from the broker
 */
public record LiveTopic(String name, List<PartitionState> partitions, Map<String, String> configs) {

  /**
   * One partition's replica placement and health.
   *
   * @param partition the partition number
   * @param leader the broker id of the leader, empty if the partition is offline
   * @param replicas broker ids of all replicas (the first is the preferred leader)
   * @param isr broker ids of the in-sync replicas
   */
  public record PartitionState(
      int partition, OptionalInt leader, List<Integer> replicas, List<Integer> isr) {

    /**
     * Checks and copies the components.
     *
     * @throws NullPointerException if a component is null
     */
    public PartitionState {
      Objects.requireNonNull(leader, "leader");
      replicas = List.copyOf(replicas);
      isr = List.copyOf(isr);
    }
  }

  /**
   * Checks and copies the components.
   *
   * @throws NullPointerException if a component is null
   */
  public LiveTopic {
    Objects.requireNonNull(name, "name");
    partitions = List.copyOf(partitions);
    configs = Collections.unmodifiableMap(new TreeMap<>(configs));
  }

  /**
   * Returns the number of partitions.
   *
   * @return the partition count
   */
  public int partitionCount() {
    return partitions.size();
  }

  /**
   * Returns the replication factor: the smallest replica count of any partition (they differ only
   * during or after a partial reassignment).
   *
   * @return the replication factor, 0 for a topic without partitions
   */
  public int replicationFactor() {
    return partitions.stream().mapToInt(p -> p.replicas().size()).min().orElse(0);
  }

  /**
   * Counts this topic's replicas on each broker.
   *
   * @return broker id to number of this topic's partition replicas it hosts
   */
  public Map<Integer, Integer> replicasPerBroker() {
    Map<Integer, Integer> counts = new TreeMap<>();
    for (PartitionState p : partitions) {
      for (int broker : p.replicas()) {
        counts.merge(broker, 1, Integer::sum);
      }
    }
    return Collections.unmodifiableMap(counts);
  }

  /**
   * Returns the effective {@code min.insync.replicas}.
   *
   * @return the value, empty if the cluster did not report it
   */
  public OptionalInt minInsyncReplicas() {
    String v = configs.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
    return v == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(v.trim()));
  }

  /**
   * Returns the effective {@code cleanup.policy}.
   *
   * @return the policy, empty if not reported or not recognised
   */
  public Optional<CleanupPolicy> cleanupPolicy() {
    String v = configs.get(TopicConfig.CLEANUP_POLICY_CONFIG);
    return v == null ? Optional.empty() : CleanupPolicy.fromConfigValue(v);
  }

  /**
   * Returns a numeric configuration value.
   *
   * @param key a configuration key such as {@code retention.ms}
   * @return the value, empty if not reported or not a whole number
   */
  public OptionalLong longConfig(String key) {
    String v = configs.get(key);
    if (v == null) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(v.trim()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * Returns the effective {@code min.cleanable.dirty.ratio}.
   *
   * @return the value, empty if not reported
   */
  public OptionalDouble minCleanableDirtyRatio() {
    String v = configs.get(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG);
    try {
      return v == null ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(v.trim()));
    } catch (NumberFormatException e) {
      return OptionalDouble.empty();
    }
  }

  /**
   * Returns the effective {@code unclean.leader.election.enable}.
   *
   * @return the value, empty if not reported
   */
  public Optional<Boolean> uncleanLeaderElection() {
    String v = configs.get(TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG);
    return v == null ? Optional.empty() : Optional.of(Boolean.parseBoolean(v.trim()));
  }
}
