package dev.kafkasdk.topics;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link TopicAdmin#apply(TopicSpec)} or {@link TopicAdmin#verify(TopicSpec)} found or did.
 *
 * @param topic the topic name
 * @param outcome created, matching, differing or missing
 * @param differences every setting that differs from the spec; empty unless {@link Outcome#DIFFERS}
 * @param live the topic as the cluster reports it after the call; empty when {@link
 *     Outcome#MISSING}
 */
public record TopicReport(
    String topic, Outcome outcome, List<TopicDifference> differences, Optional<LiveTopic> live) {

  /** The result of comparing a spec with the cluster. */
  public enum Outcome {
    /** The topic did not exist and was created from the spec. */
    CREATED,
    /** The topic exists and every declared setting matches. */
    MATCHES,
    /** The topic exists but some declared settings differ; see {@link #differences()}. */
    DIFFERS,
    /** The topic does not exist (only from {@link TopicAdmin#verify(TopicSpec)}). */
    MISSING
  }

  /**
   * Checks and copies the components.
   *
   * @throws NullPointerException if any component is null
   */
  public TopicReport {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(outcome, "outcome");
    differences = List.copyOf(differences);
    Objects.requireNonNull(live, "live");
  }

  /**
   * Tells whether the topic now exists exactly as declared (created or matching).
   *
   * @return true for {@link Outcome#CREATED} and {@link Outcome#MATCHES}
   */
  public boolean conforms() {
    return outcome == Outcome.CREATED || outcome == Outcome.MATCHES;
  }

  /**
   * Finds the difference for one setting.
   *
   * @param setting a configuration key, {@code partitions} or {@code replication.factor}
   * @return the difference, or empty if that setting matches or was not declared
   */
  public Optional<TopicDifference> difference(String setting) {
    return differences.stream().filter(d -> d.setting().equals(setting)).findFirst();
  }
}
