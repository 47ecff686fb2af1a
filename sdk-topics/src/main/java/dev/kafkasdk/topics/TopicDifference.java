package dev.kafkasdk.topics;

import java.util.Objects;

/**
 * One setting in which an existing topic differs from its {@link TopicSpec}.
 *
 * @param setting the Kafka configuration key, or {@code partitions} / {@code replication.factor}
 * @param expected the value the spec declares
 * @param actual the value the cluster reports ({@code <absent>} if the cluster has no such setting)
 * @param fix how to bring the topic in line, or why it cannot be done in place
 */
public record TopicDifference(String setting, String expected, String actual, String fix) {

  /**
   * Checks the components.
   *
   * @throws NullPointerException if any component is null
   */
  public TopicDifference {
    Objects.requireNonNull(setting, "setting");
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(actual, "actual");
    Objects.requireNonNull(fix, "fix");
  }

  @Override
  public String toString() {
    return setting + ": expected " + expected + ", actual " + actual + " (" + fix + ")";
  }
}
