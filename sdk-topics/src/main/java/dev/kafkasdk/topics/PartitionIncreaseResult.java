package dev.kafkasdk.topics;

import java.util.Objects;

/**
 * The outcome of {@link TopicAdmin#increasePartitions(PartitionIncrease)}.
 *
 * @param topic the topic
 * @param previousPartitions the count before the call
 * @param partitions the count after the call
 * @param keyMovement how keys moved (all zero when nothing changed)
 */
public record PartitionIncreaseResult(
    String topic, int previousPartitions, int partitions, KeyMovement keyMovement) {

  /**
   * Checks the components.
   *
   * @throws NullPointerException if a component is null
   */
  public PartitionIncreaseResult {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(keyMovement, "keyMovement");
  }

  /**
   * Tells whether partitions were added.
   *
   * @return true if the count grew
   */
  public boolean increased() {
    return partitions > previousPartitions;
  }
}
