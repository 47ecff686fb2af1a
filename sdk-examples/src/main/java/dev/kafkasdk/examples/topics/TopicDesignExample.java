package dev.kafkasdk.examples.topics;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.topics.ClusterFacts;
import dev.kafkasdk.topics.Finding;
import dev.kafkasdk.topics.HandlerThroughputProbe;
import dev.kafkasdk.topics.PartitionIncrease;
import dev.kafkasdk.topics.PartitionPlan;
import dev.kafkasdk.topics.PartitionPlanner;
import dev.kafkasdk.topics.ThroughputMeasurement;
import dev.kafkasdk.topics.TopicAdmin;
import dev.kafkasdk.topics.TopicAdvisor;
import dev.kafkasdk.topics.TopicChangeRefusedException;
import dev.kafkasdk.topics.TopicReport;
import dev.kafkasdk.topics.TopicSpec;
import java.io.PrintStream;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Designs an "orders" topic the way the topics guide describes: measure what one consumer can
 * handle, plan the partition count from the producers' peak rate, declare the topic, let the
 * advisor review it against the cluster, create it, and see the guard on adding partitions to a
 * keyed topic.
 *
 * <p>Runs on an embedded single-broker cluster, or on yours when {@code KAFKA_BOOTSTRAP_SERVERS} is
 * set (it then creates a topic named {@code orders-<timestamp>}).
 */
public final class TopicDesignExample {
  private static final double PEAK_ORDERS_PER_SECOND = 2_000;

  private TopicDesignExample() {}

  /**
   * What the example found and did, for its test.
   *
   * @param measured one consumer's throughput on the sample
   * @param plan the partition plan
   * @param spec the topic declared from the plan
   * @param findings the advisor's findings for the spec on this cluster
   * @param created the first apply (creates the topic)
   * @param reapplied the second apply (verifies it)
   * @param refusal the refused partition increase on the keyed topic
   */
  public record Outcome(
      ThroughputMeasurement measured,
      PartitionPlan plan,
      TopicSpec spec,
      List<Finding> findings,
      TopicReport created,
      TopicReport reapplied,
      TopicChangeRefusedException refusal) {}

  /**
   * Starts a cluster (embedded unless {@code KAFKA_BOOTSTRAP_SERVERS} is set) and runs the example.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    try (KafkaCluster kafka = KafkaCluster.builder().start()) {
      run(kafka, System.out);
    }
  }

  /**
   * Runs the example on a cluster.
   *
   * @param kafka the cluster
   * @param out where to print the walk-through
   * @return what happened
   */
  public static Outcome run(KafkaCluster kafka, PrintStream out) {
    // 1. Measure one consumer: the handler below stands in for "validate and store an order".
    ThroughputMeasurement measured =
        HandlerThroughputProbe.builder(kafka.clientConfig(), Serdes.String(), Serdes.String())
            .sample(i -> "customer-" + (i % 100), i -> "{\"order\":" + i + ",\"amount\":42}")
            .records(500)
            .build()
            .measure(TopicDesignExample::storeOrder);
    out.println("one consumer: " + measured);

    // 2. Plan: peak producer rate < consumer throughput x partitions, with headroom.
    int brokers = kafka.brokerCount();
    int replication = Math.min(3, brokers);
    PartitionPlan plan =
        PartitionPlanner.builder()
            .peakProducerRate(PEAK_ORDERS_PER_SECOND)
            .consumerThroughput(measured)
            .headroom(1.2)
            .keyed(true)
            .replicationFactor(replication)
            .brokers(brokers)
            .build()
            .plan();
    out.println(plan.explanation());

    // 3. Declare the topic. Keyed: per-customer order matters.
    TopicSpec spec =
        plan.applyTo(
                TopicSpec.eventStream("orders-" + System.currentTimeMillis())
                    .replicationFactor(replication)
                    .minInsyncReplicas(Math.max(1, replication - 1))
                    .keyed(true))
            .build();

    try (TopicAdmin topics = TopicAdmin.builder().clientConfig(kafka.clientConfig()).build()) {
      // 4. Review before creating. On a one-broker cluster expect replication warnings.
      ClusterFacts cluster = topics.clusterFacts();
      List<Finding> findings =
          TopicAdvisor.builder().consumers(plan.consumersNeeded()).build().review(spec, cluster);
      out.println("advisor findings for " + spec.name() + " on " + brokers + " broker(s):");
      findings.forEach(f -> out.println("  " + f));

      // 5. Create, then verify: the second apply finds nothing to report.
      TopicReport created = topics.apply(spec);
      TopicReport reapplied = topics.apply(spec);
      out.println("apply: " + created.outcome() + ", again: " + reapplied.outcome());

      // 6. Adding partitions to a keyed topic moves keys; without an acknowledgement it is refused.
      List<String> recentCustomers =
          IntStream.range(0, 1_000).mapToObj(i -> "customer-" + i).toList();
      TopicChangeRefusedException refusal = null;
      try {
        topics.increasePartitions(
            PartitionIncrease.forSpec(spec)
                .to(spec.partitions().getAsInt() + 1)
                .withSampleKeys(recentCustomers));
      } catch (TopicChangeRefusedException e) {
        refusal = e;
        out.println("refused: " + e.getMessage());
      }
      return new Outcome(measured, plan, spec, findings, created, reapplied, refusal);
    }
  }

  /** Stand-in for real work: check the order, then about a millisecond of "storing" it. */
  private static void storeOrder(ConsumerRecord<String, String> record) {
    if (record.value() == null || record.key() == null) {
      throw new IllegalArgumentException("order without customer or body at " + record.offset());
    }
    long end = System.nanoTime() + 1_000_000;
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }
}
