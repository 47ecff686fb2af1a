package dev.kafkasdk.topics.internal;

import dev.kafkasdk.topics.Finding;
import java.util.List;

/** A group of related advisor rules. */
public interface AdvisorCheck {
  /**
   * Adds a finding for every rule in this group that fires.
   *
   * @param topic the effective topic values
   * @param settings what is known beyond the topic
   * @param findings where to add findings
   */
  void check(TopicFacts topic, AdvisorSettings settings, List<Finding> findings);
}
