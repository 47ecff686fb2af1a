package dev.kafkasdk.consumer;

import dev.kafkasdk.consumer.internal.DeadLetterScan;
import dev.kafkasdk.consumer.internal.ReplayRecord;
import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.producer.TransactionFailedException;
import dev.kafkasdk.producer.TransactionalProducer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Republishes selected dead letters to the topic they failed on (from {@link
 * DeadLetterHeaders#ORIGINAL_TOPIC}) or to a given topic, with their original key and value bytes
 * and headers (see {@link ReplayHeaders} for what changes).
 *
 * <p><b>Guarantees.</b>
 *
 * <ul>
 *   <li><b>No duplicates, nothing missed, across interruptions.</b> The replay reads the
 *       dead-letter topic {@code read_committed} with a consumer group of its own ({@code
 *       ksdk-replay-<dead letter topic>} by default) and sends through the SDK's {@link
 *       TransactionalProducer}: each poll's sends and the group's new offsets commit in one
 *       transaction (KIP-98, KIP-447), so a replay killed at any point has committed whole batches
 *       only, and running it again goes on after the last committed batch. {@code read_committed}
 *       readers of the target topic never see the records of an aborted batch. Two replays with the
 *       same group fence each other (the {@code transactional.id} is {@code <group>-tx-0}), so the
 *       older one fails.
 *   <li><b>It terminates.</b> It reads up to the end offsets the dead-letter topic had when it
 *       started; dead letters written meanwhile wait for the next run.
 *   <li><b>A re-run replays only what is new.</b> Dead letters before the group's committed offset
 *       were scanned by an earlier run (replayed if they matched its selector) and are not read
 *       again. To replay them again, with another selector for example, use {@link
 *       Builder#fromBeginning(boolean)} or another {@link Builder#groupId(String) group}.
 *   <li>A {@linkplain Builder#dryRun(boolean) dry run} reads from the same position, reports what
 *       it would send (through {@link ReplayListener#onMatch}), and sends and commits nothing.
 * </ul>
 *
 * <p>Dead letters the selector does not choose are passed over: the group's offset moves past them
 * too. A chosen dead letter without an original topic (not written by the SDK) is counted as
 * {@linkplain ReplayResult#unroutable() unroutable} and passed over unless {@link
 * Builder#to(String)} names a target.
 *
 * <pre>{@code
 * ReplayResult result =
 *     DeadLetterReplay.builder("orders.DLT")
 *         .bootstrapServers("localhost:9092")
 *         .select(DeadLetterSelector.builder()
 *             .since(Instant.parse("2026-12-01T00:00:00Z"))
 *             .exception("java.net.SocketTimeoutException")
 *             .build())
 *         .build()
 *         .run();
 * log.info("replayed {} of {} dead letters", result.sent(), result.scanned());
 * }</pre>
 *
 * <p>Immutable and thread-safe: each {@link #run()} creates and closes its own clients.
 */
public final class DeadLetterReplay {
  private static final Logger log = LoggerFactory.getLogger(DeadLetterReplay.class);

  /** Prefix of the default consumer group: {@code ksdk-replay-<dead-letter topic>}. */
  public static final String DEFAULT_GROUP_PREFIX = "ksdk-replay-";

  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration STALL = Duration.ofMinutes(2);

  private final String deadLetterTopic;
  private final Map<String, Object> properties;
  private final String target;
  private final DeadLetterSelector selector;
  private final String groupId;
  private final boolean fromBeginning;
  private final boolean dryRun;
  private final ReplayListener listener;
  private final int batchSize;

  private DeadLetterReplay(Builder builder, Map<String, Object> properties, String groupId) {
    this.deadLetterTopic = builder.deadLetterTopic;
    this.properties = Map.copyOf(properties);
    this.target = builder.target;
    this.selector = builder.selector;
    this.groupId = groupId;
    this.fromBeginning = builder.fromBeginning;
    this.dryRun = builder.dryRun;
    this.listener = builder.listener;
    this.batchSize = builder.batchSize;
  }

  /**
   * Starts configuring a replay of a dead-letter topic.
   *
   * @param deadLetterTopic the topic to read, e.g. {@code orders.DLT}
   * @return a builder that replays every dead letter to its original topic
   * @throws NullPointerException if {@code deadLetterTopic} is null
   */
  public static Builder builder(String deadLetterTopic) {
    return new Builder(Objects.requireNonNull(deadLetterTopic, "deadLetterTopic"));
  }

  /**
   * Returns the replay's consumer group.
   *
   * @return the group id
   */
  public String groupId() {
    return groupId;
  }

  /**
   * Runs the replay: reads from the group's committed offsets (or the beginning) up to the end
   * offsets captured now, and sends each selected dead letter in transactions of at most {@code
   * batchSize} records that also commit the group's offsets. Blocks until done.
   *
   * @return the counts
   * @throws SdkConfigException if the dead-letter topic does not exist, or a Kafka property is
   *     invalid for the replay's producer
   * @throws TransactionFailedException if a transaction failed for good (for example another replay
   *     with the same group fenced this one); committed batches stay committed
   * @throws org.apache.kafka.common.errors.TimeoutException if reading the topic made no progress
   *     for two minutes
   * @throws RuntimeException whatever the {@link ReplayListener} threw, after the open transaction
   *     was aborted
   */
  public ReplayResult run() {
    Counts counts = new Counts();
    if (dryRun) {
      try (DeadLetterScan scan = openScan()) {
        started(scan, counts);
        while (!scan.done()) {
          select(scan.next(POLL), counts, Map.of());
          listener.onProgress(counts.progress(0));
        }
      }
    } else {
      try (TransactionalProducer<byte[], byte[]> producer = producer()) {
        // Initializing the transactional id fences an earlier replay of the same group and ends
        // its open transaction before the group's offsets are read (read_committed waits for
        // pending ones): nothing it could still commit is read as not yet replayed.
        producer.inTransaction(tx -> {});
        try (DeadLetterScan scan = openScan()) {
          started(scan, counts);
          replay(scan, producer, counts);
        }
      }
    }
    ReplayResult result =
        new ReplayResult(
            deadLetterTopic,
            groupId,
            dryRun,
            counts.scanned,
            counts.matched,
            counts.sent,
            counts.unroutable,
            counts.perTarget);
    log.info("Replay of {} by group {} finished: {}", deadLetterTopic, groupId, result);
    return result;
  }

  private void started(DeadLetterScan scan, Counts counts) {
    log.info(
        "Replay of {} by group {} started{}: {} records to scan, {}, to {}",
        deadLetterTopic,
        groupId,
        dryRun ? " (dry run)" : "",
        scan.toScan(),
        selector,
        target == null ? "their original topics" : target);
    counts.toScan = scan.toScan();
    listener.onProgress(counts.progress(0));
  }

  private void replay(
      DeadLetterScan scan, TransactionalProducer<byte[], byte[]> producer, Counts counts) {
    Map<TopicPartition, Long> committed = scan.positions();
    while (!scan.done()) {
      Map<String, Long> pendingPerTarget = new HashMap<>();
      List<ProducerRecord<byte[], byte[]>> out = select(scan.next(POLL), counts, pendingPerTarget);
      Map<TopicPartition, Long> positions = scan.positions();
      if (out.isEmpty() && positions.equals(committed)) {
        continue;
      }
      Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
      positions.forEach(
          (partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset)));
      producer.inTransaction(
          tx -> {
            long handed = 0;
            for (ProducerRecord<byte[], byte[]> record : out) {
              tx.send(record);
              listener.onProgress(counts.progress(++handed));
            }
            tx.sendOffsets(offsets, scan.groupMetadata());
          });
      committed = positions;
      counts.sent += out.size();
      pendingPerTarget.forEach((topic, n) -> counts.perTarget.merge(topic, n, Long::sum));
      listener.onProgress(counts.progress(0));
    }
  }

  /** Counts the batch and builds the records to send for the chosen dead letters. */
  private List<ProducerRecord<byte[], byte[]>> select(
      List<ConsumerRecord<byte[], byte[]>> records,
      Counts counts,
      Map<String, Long> pendingPerTarget) {
    List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      counts.scanned++;
      DeadLetter letter = DeadLetter.of(record);
      if (!selector.test(letter)) {
        continue;
      }
      counts.matched++;
      String topic = target != null ? target : letter.originalTopic().orElse(null);
      listener.onMatch(letter, topic);
      if (topic == null) {
        counts.unroutable++;
        log.warn(
            "Dead letter {}-{}@{} has no {} header and no target topic was given: not replayed",
            letter.topic(),
            letter.partition(),
            letter.offset(),
            DeadLetterHeaders.ORIGINAL_TOPIC);
        continue;
      }
      if (dryRun) {
        counts.perTarget.merge(topic, 1L, Long::sum);
      } else {
        pendingPerTarget.merge(topic, 1L, Long::sum);
        out.add(ReplayRecord.of(letter, topic, groupId, now));
      }
    }
    return out;
  }

  private DeadLetterScan openScan() {
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            consumerConfig(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    try {
      List<TopicPartition> partitions = DeadLetterScan.partitions(consumer, deadLetterTopic);
      if (partitions.isEmpty()) {
        throw new SdkConfigException(
            "deadLetterTopic",
            "topic " + deadLetterTopic + " does not exist",
            "give the name of an existing dead-letter topic");
      }
      Map<TopicPartition, Long> start =
          fromBeginning
              ? DeadLetterScan.beginning(consumer, partitions)
              : DeadLetterScan.committedOrBeginning(consumer, partitions);
      return new DeadLetterScan(consumer, start, STALL);
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
  }

  private Map<String, Object> consumerConfig() {
    Map<String, Object> config = new HashMap<>();
    properties.forEach(
        (key, value) -> {
          if (ConsumerConfig.configNames().contains(key)) {
            config.put(key, value);
          }
        });
    config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, groupId);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    // The guarantees rest on these: never read an open or aborted transaction's records, and never
    // commit outside the replay's transactions.
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, batchSize);
    // Looking a misspelt dead-letter topic up must not create it.
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    // A scan knows where it ends: a fetch need not wait long for more data than there is.
    config.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
    return config;
  }

  private TransactionalProducer<byte[], byte[]> producer() {
    Map<String, Object> config = new HashMap<>();
    properties.forEach(
        (key, value) -> {
          if (ProducerConfig.configNames().contains(key)
              && !key.equals(ProducerConfig.CLIENT_ID_CONFIG)) {
            config.put(key, value);
          }
        });
    return TransactionalProducer.builder(
            new ByteArraySerializer(), new ByteArraySerializer(), groupId + "-tx")
        .clientId(groupId + "-producer")
        .properties(config)
        .build();
  }

  @Override
  public String toString() {
    return "DeadLetterReplay["
        + deadLetterTopic
        + " -> "
        + (target == null ? "original topics" : target)
        + ", group="
        + groupId
        + ", "
        + selector
        + (dryRun ? ", dry run" : "")
        + (fromBeginning ? ", from beginning" : "")
        + "]";
  }

  /** Running totals of one run. */
  private static final class Counts {
    long scanned;
    long matched;
    long sent;
    long unroutable;
    long toScan;
    final Map<String, Long> perTarget = new TreeMap<>();

    ReplayProgress progress(long handedInOpenTransaction) {
      return new ReplayProgress(scanned, matched, sent + handedInOpenTransaction, sent, toScan);
    }
  }

  /** Configures a {@link DeadLetterReplay}; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private final String deadLetterTopic;
    private final Map<String, Object> properties = new HashMap<>();
    private String bootstrapServers;
    private String target;
    private DeadLetterSelector selector = DeadLetterSelector.all();
    private String groupId;
    private boolean fromBeginning;
    private boolean dryRun;
    private ReplayListener listener = new ReplayListener() {};
    private int batchSize = 200;

    private Builder(String deadLetterTopic) {
      this.deadLetterTopic = deadLetterTopic;
    }

    /**
     * Sets Kafka's {@code bootstrap.servers}. Required (here or as a property).
     *
     * @param bootstrapServers comma-separated {@code host:port} list
     * @return this builder
     */
    public Builder bootstrapServers(String bootstrapServers) {
      this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
      return this;
    }

    /**
     * Passes a Kafka client property through, typically a security setting ({@code
     * security.protocol}, {@code sasl.*}, {@code ssl.*}). Consumer properties go to the replay's
     * consumer and producer properties to its producer (a common one to both). The consumer's
     * {@code group.id}, {@code isolation.level}, {@code enable.auto.commit} and {@code
     * max.poll.records} are the replay's own and cannot be overridden.
     *
     * @param key a Kafka client configuration key
     * @param value its value
     * @return this builder
     */
    public Builder property(String key, Object value) {
      properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Passes several Kafka client properties through; see {@link #property(String, Object)}.
     *
     * @param properties the properties, e.g. from a client configuration file
     * @return this builder
     */
    public Builder properties(Map<String, ?> properties) {
      Objects.requireNonNull(properties, "properties").forEach(this::property);
      return this;
    }

    /**
     * Sends every replayed record to this topic instead of its original topic.
     *
     * @param topic the target topic; must exist unless the broker creates topics automatically
     * @return this builder
     */
    public Builder to(String topic) {
      this.target = Objects.requireNonNull(topic, "topic");
      return this;
    }

    /**
     * Chooses which dead letters to replay. Default: all.
     *
     * @param selector the selector
     * @return this builder
     */
    public Builder select(DeadLetterSelector selector) {
      this.selector = Objects.requireNonNull(selector, "selector");
      return this;
    }

    /**
     * Sets the consumer group that records the replay's progress. Default {@code
     * ksdk-replay-<dead-letter topic>}. Replays with different selectors over the same topic need
     * different groups, or each passes over what the other would choose.
     *
     * @param groupId the group id
     * @return this builder
     */
    public Builder groupId(String groupId) {
      this.groupId = Objects.requireNonNull(groupId, "groupId");
      return this;
    }

    /**
     * Reads from the beginning of the dead-letter topic instead of the group's committed offsets,
     * so dead letters an earlier run scanned are read (and, if chosen, replayed) again. Default
     * false.
     *
     * @param fromBeginning true to ignore the group's committed offsets
     * @return this builder
     */
    public Builder fromBeginning(boolean fromBeginning) {
      this.fromBeginning = fromBeginning;
      return this;
    }

    /**
     * Only reports what would be replayed, through {@link ReplayListener#onMatch} and the result:
     * nothing is sent and no offset is committed. Default false.
     *
     * @param dryRun true for a dry run
     * @return this builder
     */
    public Builder dryRun(boolean dryRun) {
      this.dryRun = dryRun;
      return this;
    }

    /**
     * Follows the replay's progress. Throwing from it stops the replay (see {@link
     * ReplayListener}).
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(ReplayListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Sets the most dead letters read per poll, and so per transaction. Default 200.
     *
     * @param batchSize at least 1
     * @return this builder
     */
    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /**
     * Validates the settings and creates the replay. Nothing connects until {@link
     * DeadLetterReplay#run()}.
     *
     * @return the replay
     * @throws SdkConfigException if {@code bootstrap.servers} is missing, a topic or group name is
     *     blank, the target is the dead-letter topic itself, or {@code batchSize} is below 1
     */
    public DeadLetterReplay build() {
      if (deadLetterTopic.isBlank()) {
        throw new SdkConfigException(
            "deadLetterTopic", "is blank", "give the dead-letter topic's name, e.g. orders.DLT");
      }
      Map<String, Object> config = new HashMap<>(properties);
      if (bootstrapServers != null) {
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      }
      Object servers = config.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
      if (servers == null || String.valueOf(servers).isBlank()) {
        throw new SdkConfigException(
            "bootstrap.servers",
            "is not set",
            "call bootstrapServers(\"host:9092\") or pass the property");
      }
      if (target != null && target.isBlank()) {
        throw new SdkConfigException(
            "to", "is blank", "give a topic name, or leave it out to replay to original topics");
      }
      if (deadLetterTopic.equals(target)) {
        throw new SdkConfigException(
            "to",
            "is the dead-letter topic " + deadLetterTopic + " itself",
            "replay to the original topic (leave to(...) out) or to another topic");
      }
      String group = groupId == null ? DEFAULT_GROUP_PREFIX + deadLetterTopic : groupId;
      if (group.isBlank()) {
        throw new SdkConfigException(
            "groupId", "is blank", "give a group id, or leave it out for the default");
      }
      if (batchSize < 1) {
        throw new SdkConfigException(
            "batchSize", "is " + batchSize + ", below 1", "give at least 1 (default 200)");
      }
      return new DeadLetterReplay(this, config, group);
    }
  }
}
