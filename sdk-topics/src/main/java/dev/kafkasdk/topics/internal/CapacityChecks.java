package dev.kafkasdk.topics.internal;

import dev.kafkasdk.topics.AdvisorRule;
import dev.kafkasdk.topics.ClusterFacts;
import dev.kafkasdk.topics.Finding;
import dev.kafkasdk.topics.LiveTopic;
import dev.kafkasdk.topics.Severity;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Partition count against brokers' file limits (Kafka documentation, "OS":
 * https://kafka.apache.org/documentation/#os) and against the consumers of a group, each partition
 * going to at most one of them.
 */
public final class CapacityChecks implements AdvisorCheck {
  /** Estimated open files above this share of the limit are not "comfortable". */
  public static final double OPEN_FILES_WARNING_SHARE = 0.5;

  /** Estimated open files above this share of the limit are about to hit it. */
  public static final double OPEN_FILES_CRITICAL_SHARE = 0.9;

  /** Partition replicas per broker above which brokers are commonly considered overloaded. */
  public static final int HIGH_REPLICAS_PER_BROKER = 4000;

  /** Partitions above this multiple of the consumer count are "far above". */
  public static final int FAR_ABOVE_CONSUMERS_FACTOR = 10;

  @Override
  public void check(TopicFacts t, AdvisorSettings s, List<Finding> out) {
    if (t.partitions().isEmpty()) {
      return;
    }
    int partitions = t.partitions().getAsInt();
    s.cluster().ifPresent(cluster -> checkBrokers(t, partitions, cluster, out));
    if (s.consumers().isPresent()) {
      checkConsumers(t, partitions, s.consumers().getAsInt(), out);
    }
  }

  private static void checkBrokers(
      TopicFacts t, int partitions, ClusterFacts cluster, List<Finding> out) {
    int rf = t.replicationFactor().orElse(1);
    Map<Integer, Long> thisTopic = thisTopicReplicas(t, partitions, rf, cluster);
    long filesPerReplica = OpenFileEstimate.filesPerReplica(t);
    long busiestFiles = 0;
    long busiestReplicas = 0;
    int busiestBroker = -1;
    for (int broker : brokers(cluster, thisTopic)) {
      long mine = thisTopic.getOrDefault(broker, thisTopic.getOrDefault(-1, 0L));
      long others = cluster.replicasPerBroker().getOrDefault(broker, 0);
      if (t.live().isPresent()) {
        // The live topic's own replicas are already part of the cluster-wide count.
        others = Math.max(0, others - mine);
      }
      long files = others * OpenFileEstimate.filesPerOtherReplica() + mine * filesPerReplica;
      if (files > busiestFiles) {
        busiestFiles = files;
        busiestBroker = broker;
      }
      busiestReplicas = Math.max(busiestReplicas, others + mine);
    }
    if (cluster.openFileLimit().isPresent()) {
      long limit = cluster.openFileLimit().getAsLong();
      double share = (double) busiestFiles / limit;
      if (share >= OPEN_FILES_WARNING_SHARE) {
        out.add(
            new Finding(
                AdvisorRule.OPEN_FILES_NEAR_LIMIT,
                share >= OPEN_FILES_CRITICAL_SHARE ? Severity.CRITICAL : Severity.WARNING,
                t.name(),
                "partitions",
                String.format(
                    "the busiest broker%s would keep at least %,d log files open (%.0f%% of its"
                        + " open-file limit %,d): each partition replica holds a .log, .index and"
                        + " .timeindex per segment, about %d segments per replica of this topic;"
                        + " client connections share the same limit. Past the limit the broker"
                        + " fails with 'Too many open files'.",
                    busiestBroker >= 0 ? " (" + busiestBroker + ")" : "",
                    busiestFiles,
                    share * 100,
                    limit,
                    OpenFileEstimate.segmentsPerReplica(t)),
                "use fewer partitions (PartitionPlanner gives the number throughput needs), larger"
                    + " segments or shorter retention, raise the brokers' open-file limit"
                    + " (ulimit -n), or add brokers."));
      }
    }
    if (busiestReplicas > HIGH_REPLICAS_PER_BROKER) {
      out.add(
          new Finding(
              AdvisorRule.PARTITIONS_PER_BROKER_HIGH,
              Severity.WARNING,
              t.name(),
              "partitions",
              String.format(
                  "the busiest broker would host %,d partition replicas; beyond about %,d per"
                      + " broker, leader elections, restarts and replication slow down and file"
                      + " handles and memory run short.",
                  busiestReplicas, HIGH_REPLICAS_PER_BROKER),
              "reduce the partition count to what throughput needs, or add brokers to spread"
                  + " the replicas."));
    }
  }

  /** This topic's replicas per broker: exact for a live topic, an even spread otherwise. */
  private static Map<Integer, Long> thisTopicReplicas(
      TopicFacts t, int partitions, int rf, ClusterFacts cluster) {
    Map<Integer, Long> counts = new TreeMap<>();
    Optional<LiveTopic> live = t.live();
    if (live.isPresent()) {
      live.get().replicasPerBroker().forEach((b, n) -> counts.put(b, (long) n));
      return counts;
    }
    long perBroker = ((long) partitions * rf + cluster.brokerCount() - 1) / cluster.brokerCount();
    // Key -1 stands for "every broker" when the placement is not known yet.
    counts.put(-1, perBroker);
    return counts;
  }

  private static Set<Integer> brokers(ClusterFacts cluster, Map<Integer, Long> mine) {
    Set<Integer> ids = new TreeSet<>(cluster.replicasPerBroker().keySet());
    mine.keySet().stream().filter(b -> b >= 0).forEach(ids::add);
    if (ids.isEmpty()) {
      ids.add(-1);
    }
    return ids;
  }

  private static void checkConsumers(
      TopicFacts t, int partitions, int consumers, List<Finding> out) {
    if (partitions < consumers) {
      out.add(
          new Finding(
              AdvisorRule.PARTITIONS_BELOW_CONSUMERS,
              Severity.WARNING,
              t.name(),
              "partitions",
              "the topic has "
                  + partitions
                  + " partitions but up to "
                  + consumers
                  + " consumers in a group: a partition is read by one consumer of a group, so "
                  + (consumers - partitions)
                  + " consumers would sit idle.",
              "use at least " + consumers + " partitions, or fewer consumers."));
    } else if (partitions % consumers != 0) {
      out.add(
          new Finding(
              AdvisorRule.PARTITIONS_UNEVEN_FOR_CONSUMERS,
              Severity.INFO,
              t.name(),
              "partitions",
              partitions
                  + " partitions over "
                  + consumers
                  + " consumers: "
                  + partitions % consumers
                  + " consumers read "
                  + (partitions / consumers + 1)
                  + " partitions and the rest "
                  + partitions / consumers
                  + ", so the busiest consumers limit throughput.",
              "choose a partition count that is a multiple of the consumer count (or has many"
                  + " divisors, such as 12 or 24)."));
    }
    if (partitions > (long) consumers * FAR_ABOVE_CONSUMERS_FACTOR) {
      out.add(
          new Finding(
              AdvisorRule.PARTITIONS_FAR_ABOVE_CONSUMERS,
              Severity.INFO,
              t.name(),
              "partitions",
              partitions
                  + " partitions for at most "
                  + consumers
                  + " consumers: each extra partition costs broker file handles, makes rebalances"
                  + " and leader elections slower and spreads producer batches thinner (higher"
                  + " end-to-end latency), without adding consumer parallelism.",
              "size partitions with PartitionPlanner; keep headroom for growth, not 10 times"
                  + " the need."));
    }
    if (t.keyed().orElse(false) && partitions <= consumers) {
      out.add(
          new Finding(
              AdvisorRule.KEYED_TOPIC_GROWTH,
              Severity.INFO,
              t.name(),
              "partitions",
              "the topic is keyed and has no partition to spare for another consumer; adding"
                  + " partitions later moves most keys to other partitions and breaks per-key"
                  + " order across the change.",
              "create keyed topics with headroom (PartitionPlanner.Builder.keyed(true) doubles the"
                  + " minimum), so consumers can be added without adding partitions."));
    }
  }
}
