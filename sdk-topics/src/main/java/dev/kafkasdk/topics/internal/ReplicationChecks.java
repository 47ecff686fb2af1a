package dev.kafkasdk.topics.internal;

import dev.kafkasdk.topics.AdvisorRule;
import dev.kafkasdk.topics.ClusterFacts;
import dev.kafkasdk.topics.Finding;
import dev.kafkasdk.topics.Severity;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Replication factor, min ISR, acks and unclean leader election (Kafka documentation, "Availability
 * and Durability Guarantees": https://kafka.apache.org/documentation/#design_ha).
 */
public final class ReplicationChecks implements AdvisorCheck {
  private static final String MIN_ISR = TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG;

  @Override
  public void check(TopicFacts t, AdvisorSettings s, List<Finding> out) {
    String name = t.name();
    int brokers = s.cluster().map(ClusterFacts::brokerCount).orElse(0);
    if (t.replicationFactor().isPresent() && brokers > 0) {
      int rf = t.replicationFactor().getAsInt();
      if (rf > brokers) {
        out.add(
            new Finding(
                AdvisorRule.REPLICATION_EXCEEDS_BROKERS,
                Severity.CRITICAL,
                name,
                "replication.factor",
                "replication factor "
                    + rf
                    + " needs "
                    + rf
                    + " brokers but the cluster has "
                    + brokers
                    + "; the broker refuses to create the topic.",
                "lower the replication factor to at most " + brokers + " or add brokers."));
      }
    }
    if (t.minInsyncReplicas().isPresent() && t.replicationFactor().isPresent()) {
      int minIsr = t.minInsyncReplicas().getAsInt();
      int rf = t.replicationFactor().getAsInt();
      if (minIsr > rf) {
        out.add(
            new Finding(
                AdvisorRule.MIN_ISR_ABOVE_REPLICATION,
                Severity.CRITICAL,
                name,
                MIN_ISR,
                "min.insync.replicas="
                    + minIsr
                    + " is above the replication factor "
                    + rf
                    + ": there can never be that many in-sync replicas, so every acks=all write"
                    + " fails with NotEnoughReplicasException.",
                "set min.insync.replicas to " + Math.max(1, rf - 1) + "."));
      }
    }
    if (t.minInsyncReplicas().isPresent() && t.minInsyncReplicas().getAsInt() >= 2) {
      int minIsr = t.minInsyncReplicas().getAsInt();
      boolean equalsRf =
          t.replicationFactor().isPresent() && minIsr == t.replicationFactor().getAsInt();
      boolean atLeastBrokers = brokers > 0 && minIsr >= brokers;
      if (equalsRf || atLeastBrokers) {
        String limit =
            equalsRf
                ? "the replication factor (" + minIsr + ")"
                : "the broker count (" + brokers + ")";
        out.add(
            new Finding(
                AdvisorRule.MIN_ISR_BLOCKS_ROLLING_RESTART,
                Severity.CRITICAL,
                name,
                MIN_ISR,
                "min.insync.replicas="
                    + minIsr
                    + " equals "
                    + limit
                    + ": as soon as one replica's"
                    + " broker stops, for example during a rolling restart or upgrade, producers"
                    + " with acks=all get NotEnoughReplicasException until it is back.",
                "keep min.insync.replicas below the replication factor and the broker count:"
                    + " replication factor 3 with min.insync.replicas=2 on 3 or more brokers."));
      }
    }
    if (s.acksAll()
        && t.minInsyncReplicas().isPresent()
        && t.minInsyncReplicas().getAsInt() == 1
        && t.replicationFactor().isPresent()
        && t.replicationFactor().getAsInt() >= 2) {
      out.add(
          new Finding(
              AdvisorRule.MIN_ISR_ONE_WITH_ACKS_ALL,
              Severity.WARNING,
              name,
              MIN_ISR,
              "with min.insync.replicas=1, acks=all is satisfied by the leader alone (the leader is"
                  + " always the first in-sync replica to have the record), which is the same as"
                  + " acks=1: a record acknowledged just before the leader fails can be lost.",
              "set min.insync.replicas=2 (with replication factor 3)."));
    }
    if (!s.acksAll() && s.production()) {
      out.add(
          new Finding(
              AdvisorRule.ACKS_IGNORE_MIN_ISR,
              Severity.WARNING,
              name,
              "acks",
              "producers use acks="
                  + s.acks()
                  + ", so the leader acknowledges before any follower"
                  + " has the record and min.insync.replicas is not enforced; a leader failure"
                  + " can lose acknowledged records.",
              "use acks=all (the idempotent producer default) with min.insync.replicas=2."));
    }
    if (s.production()
        && t.replicationFactor().isPresent()
        && t.replicationFactor().getAsInt() < 3) {
      int rf = t.replicationFactor().getAsInt();
      out.add(
          new Finding(
              AdvisorRule.REPLICATION_BELOW_THREE,
              rf == 1 ? Severity.CRITICAL : Severity.WARNING,
              name,
              "replication.factor",
              rf == 1
                  ? "replication factor 1 keeps a single copy: losing that broker's disk loses the"
                      + " data, and any restart of it makes the partitions unavailable."
                  : "replication factor 2 cannot combine durability and availability: with"
                      + " min.insync.replicas=2 one stopped broker blocks acks=all writes, with 1"
                      + " a single failure can lose acknowledged records.",
              "use replication factor 3 with min.insync.replicas=2 (TopicSpec.durable)"
                  + (brokers > 0 && brokers < 3
                      ? "; the cluster needs at least 3 brokers."
                      : ".")));
    }
    if (t.live().isEmpty()) {
      List<String> undeclared = new ArrayList<>();
      if (t.partitions().isEmpty()) {
        undeclared.add("partitions");
      }
      if (t.replicationFactor().isEmpty()) {
        undeclared.add("replication.factor");
      }
      if (t.minInsyncReplicas().isEmpty()) {
        undeclared.add(MIN_ISR);
      }
      if (!undeclared.isEmpty()) {
        out.add(
            new Finding(
                AdvisorRule.BROKER_DEFAULT_APPLIES,
                Severity.INFO,
                name,
                String.join(", ", undeclared),
                "not declared, so the broker defaults (num.partitions, default.replication.factor,"
                    + " min.insync.replicas; 1 each unless the cluster sets them) decide and the"
                    + " rules that need them were skipped.",
                "declare them in the spec (PartitionPlanner for partitions, TopicSpec.durable for"
                    + " replication)."));
      }
    }
    if (t.uncleanLeaderElection()) {
      out.add(
          new Finding(
              AdvisorRule.UNCLEAN_LEADER_ELECTION,
              Severity.WARNING,
              name,
              TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG,
              "an out-of-sync replica may become leader when no in-sync replica is available: the"
                  + " partition stays writable, but records it had not yet copied are lost and"
                  + " consumers may see offsets rewound.",
              "set unclean.leader.election.enable=false unless availability really matters more"
                  + " than the data (the partition then waits for an in-sync replica to return)."));
    }
  }
}
