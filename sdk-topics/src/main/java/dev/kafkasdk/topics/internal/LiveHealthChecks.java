package dev.kafkasdk.topics.internal;

import dev.kafkasdk.topics.AdvisorRule;
import dev.kafkasdk.topics.Finding;
import dev.kafkasdk.topics.LiveTopic;
import dev.kafkasdk.topics.Severity;
import java.util.List;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The state of a live topic's partitions: leaders and in-sync replicas (Kafka documentation,
 * "Replicated Logs": https://kafka.apache.org/documentation/#design_replicatedlog).
 */
public final class LiveHealthChecks implements AdvisorCheck {

  @Override
  public void check(TopicFacts t, AdvisorSettings s, List<Finding> out) {
    if (t.live().isEmpty()) {
      return;
    }
    LiveTopic live = t.live().get();
    List<Integer> offline =
        live.partitions().stream()
            .filter(p -> p.leader().isEmpty())
            .map(LiveTopic.PartitionState::partition)
            .toList();
    if (!offline.isEmpty()) {
      out.add(
          new Finding(
              AdvisorRule.PARTITION_OFFLINE,
              Severity.CRITICAL,
              t.name(),
              "partitions",
              "partitions " + offline + " have no leader: they can be neither written nor read.",
              "bring back the brokers holding their replicas; with unclean leader election off"
                  + " Kafka waits for an in-sync replica rather than lose data."));
    }
    if (t.minInsyncReplicas().isPresent()) {
      int minIsr = t.minInsyncReplicas().getAsInt();
      List<Integer> below =
          live.partitions().stream()
              .filter(p -> p.leader().isPresent() && p.isr().size() < minIsr)
              .map(LiveTopic.PartitionState::partition)
              .toList();
      if (!below.isEmpty()) {
        out.add(
            new Finding(
                AdvisorRule.UNDER_MIN_ISR,
                Severity.CRITICAL,
                t.name(),
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                "partitions "
                    + below
                    + " have fewer in-sync replicas than min.insync.replicas="
                    + minIsr
                    + ": producers with acks=all are refused"
                    + " (NotEnoughReplicasException) right now.",
                "restore the missing brokers or replicas; check replica lag"
                    + " (replica.lag.time.max.ms) and broker health."));
      }
    }
    List<Integer> under =
        live.partitions().stream()
            .filter(p -> p.leader().isPresent() && p.isr().size() < p.replicas().size())
            .map(LiveTopic.PartitionState::partition)
            .toList();
    if (!under.isEmpty()) {
      out.add(
          new Finding(
              AdvisorRule.UNDER_REPLICATED,
              Severity.WARNING,
              t.name(),
              "replication.factor",
              "partitions "
                  + under
                  + " have replicas out of the ISR (a follower stopped or fell"
                  + " behind by more than replica.lag.time.max.ms); only in-sync replicas can"
                  + " take over as leader without data loss.",
              "check the lagging brokers; the partitions recover once the followers catch up."));
    }
  }
}
