package dev.kafkasdk.topics;

/**
 * Names and tags of the Micrometer meters this module records: in the {@code MeterRegistry} given
 * to a builder, or in Micrometer's {@code Metrics.globalRegistry} when none is given. The names are
 * stable API. The Kafka clients the module creates (the Admin client, and the probe's producer and
 * consumer) are also bound with Micrometer's {@code KafkaClientMetrics}, under the {@code kafka.}
 * prefix.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>Name</th><th>Type</th><th>Tags</th></tr>
 *   <tr><td>{@value #APPLY}</td><td>counter</td><td>{@value #TAG_OUTCOME}: created, matches,
 *       differs, missing</td></tr>
 *   <tr><td>{@value #PARTITION_INCREASE}</td><td>counter</td><td>{@value #TAG_OUTCOME}: increased,
 *       unchanged, refused</td></tr>
 *   <tr><td>{@value #ADVISOR_FINDINGS}</td><td>counter</td><td>{@value #TAG_RULE}, {@value
 *       #TAG_SEVERITY}</td></tr>
 *   <tr><td>{@value #PROBE_THROUGHPUT}</td><td>distribution summary (records/s)</td><td>{@value
 *       #TAG_MODE}: sample, topic</td></tr>
 * </table>
 */
public final class TopicMeters {
  /**
   * Counter: one per {@code TopicAdmin.apply}, {@code verify} or {@code alignConfigs} call, tagged
   * by outcome.
   */
  public static final String APPLY = "ksdk.topics.apply";

  /** Counter: one per {@code TopicAdmin.increasePartitions} call, tagged by outcome. */
  public static final String PARTITION_INCREASE = "ksdk.topics.partitions.increase";

  /** Counter: one per finding reported by {@code TopicAdvisor}, tagged by rule and severity. */
  public static final String ADVISOR_FINDINGS = "ksdk.topics.advisor.findings";

  /** Distribution summary: records per second measured by {@code HandlerThroughputProbe}. */
  public static final String PROBE_THROUGHPUT = "ksdk.topics.probe.throughput";

  /** Tag: the outcome of an operation (lower case). */
  public static final String TAG_OUTCOME = "outcome";

  /** Tag: an advisor rule id such as {@code min-isr-one-with-acks-all}. */
  public static final String TAG_RULE = "rule";

  /** Tag: a finding's severity (lower case). */
  public static final String TAG_SEVERITY = "severity";

  /** Tag: whether the probe measured on generated sample records or an existing topic. */
  public static final String TAG_MODE = "mode";

  private TopicMeters() {}
}
