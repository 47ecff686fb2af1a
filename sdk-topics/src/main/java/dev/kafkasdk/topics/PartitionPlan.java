package dev.kafkasdk.topics;

import java.util.Objects;

/**
 * The partition count {@link PartitionPlanner} recommends and why.
 *
 * @param minimumPartitions the smallest count that satisfies {@code peak rate x headroom <=
 *     consumer throughput x partitions}; for a share group, the smallest count whose in-flight
 *     limit holds every member's poll
 * @param recommendedPartitions the count to create: the minimum, or more for keyed topics
 * @param consumersNeeded consumers needed to keep up at peak: one per partition at most in a
 *     consumer group, any number for a share group
 * @param capacityRecordsPerSecond what {@code min(consumersNeeded, maxConsumers)} consumers process
 *     together
 * @param feasible false if the allowed consumer count cannot keep up with the peak and headroom
 * @param explanation the reasoning in plain text, including the cost of more partitions
 */
public record PartitionPlan(
    int minimumPartitions,
    int recommendedPartitions,
    int consumersNeeded,
    double capacityRecordsPerSecond,
    boolean feasible,
    String explanation) {

  /**
   * Checks the components.
   *
   * @throws NullPointerException if explanation is null
   */
  public PartitionPlan {
    Objects.requireNonNull(explanation, "explanation");
  }

  /**
   * Sets the recommended partition count on a spec builder.
   *
   * @param spec the builder to modify
   * @return the same builder
   * @throws NullPointerException if spec is null
   */
  public TopicSpec.Builder applyTo(TopicSpec.Builder spec) {
    return Objects.requireNonNull(spec, "spec").partitions(recommendedPartitions);
  }
}
