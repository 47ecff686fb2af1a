package dev.kafkasdk.topics;

import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.core.internal.ConfigChecks;
import java.util.Objects;

/**
 * Sizes a topic's partition count from measured numbers with the rule {@code producer rate <
 * consumer throughput x partitions}: a consumer group reads each partition with one consumer, so
 * partitions bound the consumers that can work in parallel.
 *
 * <pre>{@code
 * ThroughputMeasurement one = probe.measure(record -> handler.process(record));
 * PartitionPlan plan = PartitionPlanner.builder()
 *     .peakProducerRate(1_000)         // records/s at the busiest minute you must not lag
 *     .consumerThroughput(one)         // or .consumerThroughput(100) records/s
 *     .headroom(1.2)
 *     .maxConsumers(20)
 *     .keyed(true)
 *     .build()
 *     .plan();
 * TopicSpec spec = plan.applyTo(TopicSpec.durable("orders").keyed(true)).build();
 * System.out.println(plan.explanation());
 * }</pre>
 *
 * <p>Use the producers' <em>peak</em> rate if consumer lag must never build up; an average rate is
 * enough if lag during bursts is acceptable, since consumers catch up whenever the rate is below
 * their capacity. Measure consumer throughput against real downstream systems where possible:
 * handlers that write to databases or object stores are usually the bottleneck. Instances are
 * immutable.
 */
public final class PartitionPlanner {
  private static final double EPSILON = 1e-9;

  private final double peakRate;
  private final double consumerRate;
  private final double headroom;
  private final Integer maxConsumers;
  private final boolean keyed;
  private final double keyedGrowth;
  private final Integer replicationFactor;
  private final Integer brokers;

  private PartitionPlanner(Builder b) {
    this.peakRate = b.peakRate;
    this.consumerRate = b.consumerRate;
    this.headroom = b.headroom;
    this.maxConsumers = b.maxConsumers;
    this.keyed = b.keyed;
    this.keyedGrowth = b.keyedGrowth;
    this.replicationFactor = b.replicationFactor;
    this.brokers = b.brokers;
  }

  /**
   * Starts configuring a planner.
   *
   * @return a builder; peak producer rate and consumer throughput are required
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Computes the plan. Pure arithmetic: the same inputs always give the same plan.
   *
   * @return the plan with its explanation
   */
  public PartitionPlan plan() {
    double target = peakRate * headroom;
    int minimum = (int) Math.max(1, Math.ceil(target / consumerRate - EPSILON));
    int recommended = keyed ? (int) Math.ceil(minimum * keyedGrowth - EPSILON) : minimum;
    int consumersUsable = maxConsumers == null ? minimum : Math.min(minimum, maxConsumers);
    double capacity = consumersUsable * consumerRate;
    boolean feasible = capacity + EPSILON >= target;

    StringBuilder text = new StringBuilder();
    text.append("Rule: producer rate < consumer throughput x partitions.\n");
    text.append(
        String.format(
            "Peak producer rate %,.1f records/s x headroom %.2f = %,.1f records/s to absorb;"
                + " one consumer handles %,.1f records/s.%n",
            peakRate, headroom, target, consumerRate));
    text.append(
        String.format(
            "Minimum: ceil(%,.1f / %,.1f) = %d partitions, read by %d consumers (capacity %,.1f"
                + " records/s).%n",
            target, consumerRate, minimum, minimum, minimum * consumerRate));
    if (!feasible) {
      text.append(
          String.format(
              "Not feasible with at most %d consumers: they process %,.1f records/s, %,.1f"
                  + " records/s short of the target, so lag grows during peaks. Make one consumer"
                  + " faster (scale up the host, tune GC, make the handler cheaper or batch its"
                  + " writes) or allow more consumers.%n",
              maxConsumers, capacity, target - capacity));
    }
    if (keyed) {
      text.append(
          String.format(
              "Keyed topic: adding partitions later sends most keys to other partitions and"
                  + " breaks per-key order, so the recommendation is %.1f x the minimum ="
                  + " %d partitions; consumers can grow to %d without touching the topic.%n",
              keyedGrowth, recommended, recommended));
    } else {
      text.append(
          String.format(
              "Recommended: %d partitions. Without keys, partitions can be added later without"
                  + " breaking ordering, so no extra headroom is built in.%n",
              recommended));
    }
    text.append(costOf(recommended));
    return new PartitionPlan(minimum, recommended, minimum, capacity, feasible, text.toString());
  }

  private String costOf(int partitions) {
    long filesPerReplica = 2L * 3;
    String replicas;
    long files;
    if (replicationFactor != null) {
      files = (long) partitions * replicationFactor * filesPerReplica;
      replicas =
          String.format(
              "%d partitions x replication factor %d = at least %,d open files",
              partitions, replicationFactor, files);
      if (brokers != null && brokers > 1) {
        replicas +=
            String.format(" (about %,d per broker over %d brokers)", files / brokers, brokers);
      }
    } else {
      files = (long) partitions * filesPerReplica;
      replicas =
          String.format(
              "%d partitions = at least %,d open files per replica set", partitions, files);
    }
    return "Cost of every partition (why not simply use many): each partition replica keeps at"
        + " least 2 segments x 3 files (.log, .index, .timeindex) open on its broker: "
        + replicas
        + ", against the broker's open-file limit; a consumer-group rebalance revokes and"
        + " reassigns every partition, so it takes longer; followers replicate every partition,"
        + " which adds end-to-end latency for acks=all writes; and producers split their batches"
        + " across more partitions, so batches are smaller and latency higher.\n";
  }

  /** Configures a {@link PartitionPlanner}. Not thread-safe. */
  public static final class Builder {
    private double peakRate = Double.NaN;
    private double consumerRate = Double.NaN;
    private double headroom = 1.2;
    private Integer maxConsumers;
    private boolean keyed;
    private double keyedGrowth = 2.0;
    private Integer replicationFactor;
    private Integer brokers;

    private Builder() {}

    /**
     * Sets the producers' peak rate into the topic.
     *
     * @param recordsPerSecond positive
     * @return this builder
     */
    public Builder peakProducerRate(double recordsPerSecond) {
      this.peakRate = recordsPerSecond;
      return this;
    }

    /**
     * Sets what one consumer processes per second.
     *
     * @param recordsPerSecond positive
     * @return this builder
     */
    public Builder consumerThroughput(double recordsPerSecond) {
      this.consumerRate = recordsPerSecond;
      return this;
    }

    /**
     * Sets one consumer's throughput from a measurement.
     *
     * @param measurement from {@link HandlerThroughputProbe}
     * @return this builder
     * @throws NullPointerException if measurement is null
     */
    public Builder consumerThroughput(ThroughputMeasurement measurement) {
      return consumerThroughput(
          Objects.requireNonNull(measurement, "measurement").recordsPerSecond());
    }

    /**
     * Sets the safety factor on the peak rate, so consumers catch up after bursts and slow
     * downstream periods.
     *
     * @param factor at least 1.0; default 1.2
     * @return this builder
     */
    public Builder headroom(double factor) {
      this.headroom = factor;
      return this;
    }

    /**
     * Sets the most consumers one group may run (hosts, licences, downstream connections).
     *
     * @param consumers at least 1; unlimited if not set
     * @return this builder
     */
    public Builder maxConsumers(int consumers) {
      this.maxConsumers = consumers;
      return this;
    }

    /**
     * Declares the topic keyed, which multiplies the recommendation by {@link
     * #keyedGrowth(double)}.
     *
     * @param keyed true if per-key partition mapping must stay stable
     * @return this builder
     */
    public Builder keyed(boolean keyed) {
      this.keyed = keyed;
      return this;
    }

    /**
     * Sets the growth factor for keyed topics.
     *
     * @param factor at least 1.0; default 2.0
     * @return this builder
     */
    public Builder keyedGrowth(double factor) {
      this.keyedGrowth = factor;
      return this;
    }

    /**
     * Sets the replication factor, used to state the file-handle cost in the explanation.
     *
     * @param replicationFactor at least 1
     * @return this builder
     */
    public Builder replicationFactor(int replicationFactor) {
      this.replicationFactor = replicationFactor;
      return this;
    }

    /**
     * Sets the broker count, used to state the per-broker cost in the explanation.
     *
     * @param brokers at least 1
     * @return this builder
     */
    public Builder brokers(int brokers) {
      this.brokers = brokers;
      return this;
    }

    /**
     * Validates the inputs and creates the planner.
     *
     * @return the planner
     * @throws SdkConfigException if a rate is missing or not positive, headroom or keyed growth is
     *     below 1, or a count is below 1
     */
    public PartitionPlanner build() {
      positive(peakRate, "peakProducerRate", "measure the producers' peak records per second");
      positive(
          consumerRate,
          "consumerThroughput",
          "measure one consumer with HandlerThroughputProbe or a load test");
      atLeastOne(headroom, "headroom", "use 1.0 for none, 1.2 to 1.5 typically");
      atLeastOne(keyedGrowth, "keyedGrowth", "use 1.0 for none, 2.0 by default");
      countAtLeastOne(maxConsumers, "maxConsumers");
      countAtLeastOne(replicationFactor, "replicationFactor");
      countAtLeastOne(brokers, "brokers");
      return new PartitionPlanner(this);
    }

    private static void positive(double value, String setting, String fix) {
      if (!(value > 0) || Double.isInfinite(value)) {
        throw new SdkConfigException(
            setting,
            Double.isNaN(value) ? "is required" : "must be a positive number, was " + value,
            fix);
      }
    }

    private static void atLeastOne(double value, String setting, String fix) {
      if (!(value >= 1.0) || Double.isInfinite(value)) {
        throw new SdkConfigException(setting, "must be at least 1.0, was " + value, fix);
      }
    }

    private static void countAtLeastOne(Integer value, String setting) {
      if (value != null) {
        ConfigChecks.atLeastOne(setting, value, "give a positive count or leave it unset");
      }
    }
  }
}
