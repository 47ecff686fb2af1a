package dev.kafkasdk.topics;

import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.core.internal.ConfigChecks;
import java.time.Duration;
import java.util.Objects;

/**
 * Sizes a topic's partition count from measured numbers with the rule {@code producer rate <
 * consumer throughput x partitions}: a consumer group reads each partition with one consumer, so
 * partitions bound the consumers that can work in parallel. A share group (KIP-932, {@link
 * Builder#shareGroup(boolean)}) relaxes that bound: any number of its members read one partition,
 * and its limits are records in flight and lock duration versus handling time.
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
  private final boolean shareGroup;
  private final int maxPollRecords;
  private final int partitionMaxRecordLocks;
  private final Duration recordLockDuration;

  private PartitionPlanner(Builder b) {
    this.shareGroup = b.shareGroup;
    this.maxPollRecords = b.maxPollRecords;
    this.partitionMaxRecordLocks = b.partitionMaxRecordLocks;
    this.recordLockDuration = b.recordLockDuration;
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
    if (shareGroup) {
      return planForShareGroup();
    }
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

  /**
   * A share group hands the records of a partition to any number of members, so members are not
   * capped by partitions; partitions are sized so the members' polls fit the in-flight limit.
   */
  private PartitionPlan planForShareGroup() {
    double target = peakRate * headroom;
    int needed = (int) Math.max(1, Math.ceil(target / consumerRate - EPSILON));
    int consumersUsable = maxConsumers == null ? needed : Math.min(needed, maxConsumers);
    double capacity = consumersUsable * consumerRate;
    boolean feasible = capacity + EPSILON >= target;
    long inFlight = (long) consumersUsable * maxPollRecords;
    int minimum =
        (int) Math.max(1, (inFlight + partitionMaxRecordLocks - 1) / partitionMaxRecordLocks);
    int recommended = keyed ? (int) Math.ceil(minimum * keyedGrowth - EPSILON) : minimum;
    double pollSeconds = maxPollRecords / consumerRate;
    double lockSeconds = recordLockDuration.toMillis() / 1000.0;

    StringBuilder text = new StringBuilder();
    text.append(
        "Share group (KIP-932): the broker hands the records of a partition to any member, so"
            + " consumers are not capped by partitions and the consumer-group rule (producer rate <"
            + " consumer throughput x partitions) does not apply. The limits are records in flight"
            + " per partition and the record lock duration versus handling time.\n");
    text.append(
        String.format(
            "Peak producer rate %,.1f records/s x headroom %.2f = %,.1f records/s to absorb;"
                + " one consumer handles %,.1f records/s, so ceil(%,.1f / %,.1f) = %d consumers"
                + " are needed (capacity %,.1f records/s).%n",
            peakRate,
            headroom,
            target,
            consumerRate,
            target,
            consumerRate,
            needed,
            needed * consumerRate));
    if (!feasible) {
      text.append(
          String.format(
              "Not feasible with at most %d consumers: they process %,.1f records/s, %,.1f"
                  + " records/s short of the target, so lag grows during peaks. Make one consumer"
                  + " faster or allow more consumers; more partitions do not help.%n",
              maxConsumers, capacity, target - capacity));
    }
    text.append(
        String.format(
            "Records in flight: %d consumers x max.poll.records %d = %,d; a partition keeps at"
                + " most %,d records in flight (group.share.partition.max.record.locks), so"
                + " minimum ceil(%,d / %,d) = %d partitions.%n",
            consumersUsable,
            maxPollRecords,
            inFlight,
            partitionMaxRecordLocks,
            inFlight,
            partitionMaxRecordLocks,
            minimum));
    if (pollSeconds >= lockSeconds) {
      text.append(
          String.format(
              "Lock too short: a member handles its %d records of one poll in %,.1f s, the record"
                  + " lock lasts %,.1f s, so the last records of every poll are delivered again"
                  + " while still being handled. Lower max.poll.records to %d or raise"
                  + " share.record.lock.duration.ms.%n",
              maxPollRecords,
              pollSeconds,
              lockSeconds,
              Math.max(1, (long) Math.floor(lockSeconds / 2 * consumerRate))));
    } else {
      text.append(
          String.format(
              "Lock: a member handles its %d records of one poll in %,.1f s, within the %,.1f s"
                  + " record lock%s.%n",
              maxPollRecords,
              pollSeconds,
              lockSeconds,
              pollSeconds > lockSeconds / 2
                  ? ", but with less than half of it to spare: a slow period expires locks"
                  : ""));
    }
    if (keyed) {
      text.append(
          String.format(
              "Keyed topic: a share group does not keep per-key order (records of one key go to"
                  + " different members at once); the %.1f x growth factor (%d partitions) is"
                  + " for consumer groups that read the same topic in key order.%n",
              keyedGrowth, recommended));
    } else {
      text.append(
          String.format(
              "Recommended: %d partitions. Add consumers, not partitions, when the group falls"
                  + " behind.%n",
              recommended));
    }
    text.append(costOf(recommended));
    return new PartitionPlan(minimum, recommended, needed, capacity, feasible, text.toString());
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
    private boolean shareGroup;
    private int maxPollRecords = 500;
    private int partitionMaxRecordLocks = 2000;
    private Duration recordLockDuration = Duration.ofSeconds(30);

    private Builder() {}

    /**
     * Plans for a share group (KIP-932) instead of a consumer group. Its members are not capped by
     * partitions: {@link PartitionPlan#consumersNeeded()} may exceed the partition count, and
     * partitions are sized so that the members' polls ({@code consumers x max.poll.records}) fit
     * the records a partition keeps in flight ({@code group.share.partition.max.record.locks}). The
     * explanation also compares the time a member holds one poll with the record lock.
     *
     * <pre>{@code
     * PartitionPlanner.builder()
     *     .peakProducerRate(1_000).consumerThroughput(50)
     *     .shareGroup(true)            // 24 consumers, 24 x 500 / 2,000 = 6 partitions
     *     .build().plan();
     * }</pre>
     *
     * @param shareGroup true for a share group; default false (a consumer group)
     * @return this builder
     */
    public Builder shareGroup(boolean shareGroup) {
      this.shareGroup = shareGroup;
      return this;
    }

    /**
     * Sets the records a share-group member acquires in one poll (its {@code max.poll.records}).
     *
     * @param records at least 1; default 500
     * @return this builder
     */
    public Builder maxPollRecords(int records) {
      this.maxPollRecords = records;
      return this;
    }

    /**
     * Sets the records one partition keeps in flight for a share group (group config {@code
     * share.partition.max.record.locks}, broker default {@code
     * group.share.partition.max.record.locks}).
     *
     * @param records at least 1; default 2,000 (Kafka's default)
     * @return this builder
     */
    public Builder partitionMaxRecordLocks(int records) {
      this.partitionMaxRecordLocks = records;
      return this;
    }

    /**
     * Sets the share group's record lock duration ({@code share.record.lock.duration.ms}).
     *
     * @param duration positive; default 30 s (Kafka's default)
     * @return this builder
     * @throws NullPointerException if duration is null
     */
    public Builder recordLockDuration(Duration duration) {
      this.recordLockDuration = Objects.requireNonNull(duration, "duration");
      return this;
    }

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
     *     below 1, a count is below 1, or the record lock duration is below 1 ms
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
      countAtLeastOne(maxPollRecords, "maxPollRecords");
      countAtLeastOne(partitionMaxRecordLocks, "partitionMaxRecordLocks");
      if (recordLockDuration.isNegative() || recordLockDuration.toMillis() < 1) {
        throw new SdkConfigException(
            "recordLockDuration",
            "must be at least 1 ms, was " + recordLockDuration,
            "give the group's share.record.lock.duration.ms (Kafka's default is 30 s)");
      }
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
