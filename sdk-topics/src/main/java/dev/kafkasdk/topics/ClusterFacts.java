package dev.kafkasdk.topics;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * What {@link TopicAdvisor} needs to know about the cluster: how many brokers there are, how many
 * partition replicas each already hosts, and the brokers' open-file limit ({@code ulimit -n} of the
 * broker process; the Admin API cannot read it, so you pass it in).
 *
 * <pre>{@code
 * ClusterFacts facts = topicAdmin.clusterFacts().withOpenFileLimit(100_000);
 * ClusterFacts planned = ClusterFacts.ofBrokers(3);
 * }</pre>
 *
 * @param brokerCount number of brokers, at least 1
 * @param replicasPerBroker broker id to the number of partition replicas it hosts (all topics);
 *     empty if unknown
 * @param openFileLimit the per-process open-file limit of a broker, empty if unknown
 */
public record ClusterFacts(
    int brokerCount, Map<Integer, Integer> replicasPerBroker, OptionalLong openFileLimit) {

  /**
   * Checks and copies the components.
   *
   * @throws IllegalArgumentException if brokerCount is below 1 or a limit is not positive
   * @throws NullPointerException if a component is null
   */
  public ClusterFacts {
    if (brokerCount < 1) {
      throw new IllegalArgumentException("brokerCount must be at least 1, was " + brokerCount);
    }
    replicasPerBroker = Collections.unmodifiableMap(new TreeMap<>(replicasPerBroker));
    Objects.requireNonNull(openFileLimit, "openFileLimit");
    if (openFileLimit.isPresent() && openFileLimit.getAsLong() < 1) {
      throw new IllegalArgumentException("openFileLimit must be positive, was " + openFileLimit);
    }
  }

  /**
   * Facts with only the broker count known, for reviewing a planned topic.
   *
   * @param brokerCount number of brokers
   * @return the facts
   * @throws IllegalArgumentException if brokerCount is below 1
   */
  public static ClusterFacts ofBrokers(int brokerCount) {
    return new ClusterFacts(brokerCount, Map.of(), OptionalLong.empty());
  }

  /**
   * Returns a copy with the brokers' open-file limit.
   *
   * @param limit the per-process limit, for example 100000
   * @return new facts
   * @throws IllegalArgumentException if limit is not positive
   */
  public ClusterFacts withOpenFileLimit(long limit) {
    return new ClusterFacts(brokerCount, replicasPerBroker, OptionalLong.of(limit));
  }

  /**
   * Returns a copy with the replica count per broker.
   *
   * @param counts broker id to hosted partition replicas
   * @return new facts
   */
  public ClusterFacts withReplicasPerBroker(Map<Integer, Integer> counts) {
    return new ClusterFacts(brokerCount, counts, openFileLimit);
  }

  /**
   * Returns the replica count of the busiest broker.
   *
   * @return the largest value of {@link #replicasPerBroker()}, 0 if unknown
   */
  public int maxReplicasOnOneBroker() {
    return replicasPerBroker.values().stream().mapToInt(Integer::intValue).max().orElse(0);
  }
}
