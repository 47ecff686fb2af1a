package dev.kafkasdk.topics;

import java.util.Objects;

/**
 * One piece of advice from {@link TopicAdvisor}.
 *
 * @param rule the rule that fired
 * @param severity how urgent it is
 * @param topic the topic reviewed
 * @param setting the configuration key concerned, for example {@code min.insync.replicas}
 * @param explanation what is wrong and what can happen because of it
 * @param fix what to change
 */
public record Finding(
    AdvisorRule rule,
    Severity severity,
    String topic,
    String setting,
    String explanation,
    String fix) {

  /**
   * Checks the components.
   *
   * @throws NullPointerException if a component is null
   */
  public Finding {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(setting, "setting");
    Objects.requireNonNull(explanation, "explanation");
    Objects.requireNonNull(fix, "fix");
  }

  /**
   * Returns the rule's stable id.
   *
   * @return {@code rule().id()}
   */
  public String ruleId() {
    return rule.id();
  }

  @Override
  public String toString() {
    return severity
        + " ["
        + rule.id()
        + "] "
        + topic
        + " "
        + setting
        + ": "
        + explanation
        + " Fix: "
        + fix;
  }
}
