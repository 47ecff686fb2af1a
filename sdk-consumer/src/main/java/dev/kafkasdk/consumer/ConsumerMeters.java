package dev.kafkasdk.consumer;

/**
 * Names and tags of the Micrometer meters a {@link ConsumerRunner} registers. The names are stable
 * API: dashboards and alerts may rely on them.
 *
 * <p>Every meter carries the tag {@value #TAG_RUNNER} (the runner's {@linkplain
 * ConsumerRunner.Builder#name(String) name}). Meters are removed from the registry when the runner
 * stops. In addition, Micrometer's {@code KafkaClientMetrics} is bound for every underlying {@code
 * KafkaConsumer} (meters named {@code kafka.consumer.*}) and closed with it.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>Name</th><th>Type</th><th>Extra tags</th><th>Meaning</th></tr>
 *   <tr><td>{@value #RECORDS}</td><td>counter</td><td>{@value #TAG_OUTCOME}</td>
 *       <td>records finished: {@code success}, {@code failure} (the handler threw) or {@code
 *       abandoned} (not processed because the partition was revoked or the runner stopped)</td></tr>
 *   <tr><td>{@value #PROCESS}</td><td>timer</td><td>{@value #TAG_OUTCOME}</td>
 *       <td>time spent in the handler per call, {@code success} or {@code failure}</td></tr>
 *   <tr><td>{@value #IN_FLIGHT}</td><td>gauge</td><td></td>
 *       <td>records polled whose offset is not yet committable (being processed, queued, or done
 *       but behind an unfinished record); bounded by {@value #IN_FLIGHT_LIMIT}</td></tr>
 *   <tr><td>{@value #IN_FLIGHT_LIMIT}</td><td>gauge</td><td></td>
 *       <td>the in-flight limit in force, summed over the runner's consumers: {@code maxInFlight},
 *       or more while a cheap handler lets a limit left at its default grow (see {@link
 *       ConsumerRunner.Builder#maxInFlight(int)}); 0 for an exactly-once runner, which one poll
 *       per transaction bounds</td></tr>
 *   <tr><td>{@value #QUEUED}</td><td>gauge</td><td></td>
 *       <td>records polled and waiting for a worker or for their ordering lane</td></tr>
 *   <tr><td>{@value #PARTITIONS_PAUSED}</td><td>gauge</td><td></td>
 *       <td>assigned partitions paused for back-pressure or shutdown</td></tr>
 *   <tr><td>{@value #PARTITIONS_USER_PAUSED}</td><td>gauge</td><td></td>
 *       <td>assigned partitions paused by the application ({@link ConsumerRunner#pause()})</td></tr>
 *   <tr><td>{@value #PARTITIONS_STUCK}</td><td>gauge</td><td></td>
 *       <td>assigned partitions whose records wait while their commit has not moved for {@code
 *       stuckAfter} (see {@link RunnerHealth})</td></tr>
 *   <tr><td>{@value #COMMIT}</td><td>timer</td><td>{@value #TAG_MODE}, {@value #TAG_RESULT}</td>
 *       <td>offset commits: {@code async} (periodic) or {@code sync} (revoke, close); {@code
 *       success} or {@code failure}</td></tr>
 *   <tr><td>{@value #LAG}</td><td>gauge</td><td></td>
 *       <td>records not yet processed on the assigned partitions: the client's fetch lag plus
 *       polled records not yet finished; the sum of {@value #PARTITION_LAG}</td></tr>
 *   <tr><td>{@value #PARTITION_LAG}</td><td>gauge</td><td>{@value #TAG_TOPIC}, {@value
 *       #TAG_PARTITION}</td>
 *       <td>one per assigned partition, removed when it is revoked: the partition's end offset
 *       (last stable offset under {@code read_committed}) minus the consumer's position, plus
 *       polled records not yet finished; NaN until known</td></tr>
 *   <tr><td>{@value #HANDLER_SLOW}</td><td>counter</td><td></td>
 *       <td>handler calls that ran longer than {@code slowHandlerThreshold} (each counted once,
 *       while still running, and logged at WARN)</td></tr>
 *   <tr><td>{@value #REBALANCE_PARTITIONS}</td><td>counter</td><td>{@value #TAG_EVENT}</td>
 *       <td>partitions {@code assigned}, {@code revoked} or {@code lost} by rebalances</td></tr>
 *   <tr><td>{@value #RETRIES}</td><td>counter</td><td></td>
 *       <td>handler calls scheduled again after a failure ({@link RetryPolicy})</td></tr>
 *   <tr><td>{@value #DEAD_LETTERS}</td><td>counter</td><td>{@value #TAG_RESULT}</td>
 *       <td>records published to a dead-letter topic: {@code success} (acknowledged) or {@code
 *       failure} (the runner then stops)</td></tr>
 *   <tr><td>{@value #RETRY_TOPIC_SENDS}</td><td>counter</td><td>{@value #TAG_RESULT}</td>
 *       <td>records sent to a retry topic by {@link FailureAction#retryTopics}: {@code success}
 *       (acknowledged) or {@code failure} (the runner then stops)</td></tr>
 *   <tr><td>{@value #RETRY_PARTITIONS_WAITING}</td><td>gauge</td><td></td>
 *       <td>retry-topic partitions paused until their next record is due</td></tr>
 *   <tr><td>{@value #RETRY_CHAIN_EXHAUSTED}</td><td>counter</td><td></td>
 *       <td>records dead-lettered after failing in the last retry topic (also counted in {@value
 *       #DEAD_LETTERS})</td></tr>
 *   <tr><td>{@value #SKIPPED}</td><td>counter</td><td></td>
 *       <td>failed records skipped by {@link FailureAction#skip()}</td></tr>
 *   <tr><td>{@value #CIRCUIT_STATE}</td><td>gauge</td><td></td>
 *       <td>only with a circuit breaker: 0 closed, 1 open (all partitions paused), 2 half-open,
 *       3 other</td></tr>
 *   <tr><td>{@value #TRANSACTIONS}</td><td>counter</td><td>{@value #TAG_OUTCOME}</td>
 *       <td>exactly-once mode: poll-batch transactions {@code committed} or {@code aborted}</td></tr>
 * </table>
 */
public final class ConsumerMeters {
  /** Counter of finished records, tagged with {@link #TAG_OUTCOME}. */
  public static final String RECORDS = "ksdk.consumer.records";

  /** Timer of handler calls, tagged with {@link #TAG_OUTCOME}. */
  public static final String PROCESS = "ksdk.consumer.process";

  /** Gauge of records polled and not yet committable. */
  public static final String IN_FLIGHT = "ksdk.consumer.in.flight";

  /**
   * Gauge of the in-flight limit in force, summed over the runner's consumers: the configured
   * {@code maxInFlight}, or more while the limit grows for a cheap handler.
   */
  public static final String IN_FLIGHT_LIMIT = "ksdk.consumer.in.flight.limit";

  /** Gauge of records waiting for a worker. */
  public static final String QUEUED = "ksdk.consumer.queued";

  /** Gauge of paused partitions. */
  public static final String PARTITIONS_PAUSED = "ksdk.consumer.partitions.paused";

  /** Gauge of assigned partitions paused by the application. */
  public static final String PARTITIONS_USER_PAUSED = "ksdk.consumer.partitions.user.paused";

  /** Gauge of assigned partitions that are stuck (see {@link RunnerHealth}). */
  public static final String PARTITIONS_STUCK = "ksdk.consumer.partitions.stuck";

  /**
   * Gauge of one assigned partition's records not yet processed, tagged with {@link #TAG_TOPIC} and
   * {@link #TAG_PARTITION}.
   */
  public static final String PARTITION_LAG = "ksdk.consumer.partition.lag";

  /** Timer of offset commits, tagged with {@link #TAG_MODE} and {@link #TAG_RESULT}. */
  public static final String COMMIT = "ksdk.consumer.commit";

  /** Gauge of records not yet processed on the assigned partitions. */
  public static final String LAG = "ksdk.consumer.lag";

  /** Counter of handler calls slower than the slow-handler threshold. */
  public static final String HANDLER_SLOW = "ksdk.consumer.handler.slow";

  /** Counter of partitions assigned, revoked or lost, tagged with {@link #TAG_EVENT}. */
  public static final String REBALANCE_PARTITIONS = "ksdk.consumer.rebalance.partitions";

  /** Counter of handler calls scheduled again after a failure. */
  public static final String RETRIES = "ksdk.consumer.retries";

  /** Counter of dead letters, tagged with {@link #TAG_RESULT}. */
  public static final String DEAD_LETTERS = "ksdk.consumer.dead.letters";

  /** Counter of records sent to a retry topic, tagged with {@link #TAG_RESULT}. */
  public static final String RETRY_TOPIC_SENDS = "ksdk.consumer.retry.topic.sends";

  /** Gauge of retry-topic partitions paused until their next record is due. */
  public static final String RETRY_PARTITIONS_WAITING = "ksdk.consumer.retry.partitions.waiting";

  /** Counter of records dead-lettered after the last retry topic. */
  public static final String RETRY_CHAIN_EXHAUSTED = "ksdk.consumer.retry.chain.exhausted";

  /** Counter of failed records skipped. */
  public static final String SKIPPED = "ksdk.consumer.skipped";

  /** Gauge of the circuit breaker's state (0 closed, 1 open, 2 half-open, 3 other). */
  public static final String CIRCUIT_STATE = "ksdk.consumer.circuit.state";

  /** Counter of exactly-once transactions, tagged with {@link #TAG_OUTCOME}. */
  public static final String TRANSACTIONS = "ksdk.consumer.transactions";

  /**
   * Counter of a share-group runner's acknowledgements, tagged with {@link #TAG_TYPE}: {@code
   * accept}, {@code release}, {@code reject} or {@code renew}.
   */
  public static final String SHARE_ACKNOWLEDGEMENTS = "ksdk.consumer.share.acknowledgements";

  /**
   * Distribution summary of the delivery count ({@code ConsumerRecord.deliveryCount()}) of each
   * record a share-group runner handed to its handler: above 1 means a redelivery.
   */
  public static final String SHARE_DELIVERY_COUNT = "ksdk.consumer.share.delivery.count";

  /**
   * Counter of records whose acquisition lock a share-group runner lost while processing them (a
   * renewal or acknowledgement Kafka refused, or a renewed record never returned): Kafka delivers
   * them again, so their outcome is dropped.
   */
  public static final String SHARE_LOCKS_LOST = "ksdk.consumer.share.locks.lost";

  /** Tag of {@link #SHARE_ACKNOWLEDGEMENTS}: the acknowledgement type. */
  public static final String TAG_TYPE = "type";

  /** Tag on every meter: the runner's name. */
  public static final String TAG_RUNNER = "runner";

  /**
   * Tag: {@code success}, {@code failure} or {@code abandoned}; for {@link #TRANSACTIONS} {@code
   * committed} or {@code aborted}.
   */
  public static final String TAG_OUTCOME = "outcome";

  /** Tag: {@code async} or {@code sync}. */
  public static final String TAG_MODE = "mode";

  /** Tag: {@code success} or {@code failure}. */
  public static final String TAG_RESULT = "result";

  /** Tag: {@code assigned}, {@code revoked} or {@code lost}. */
  public static final String TAG_EVENT = "event";

  /** Tag of {@link #PARTITION_LAG}: the topic. */
  public static final String TAG_TOPIC = "topic";

  /** Tag of {@link #PARTITION_LAG}: the partition number. */
  public static final String TAG_PARTITION = "partition";

  private ConsumerMeters() {}
}
