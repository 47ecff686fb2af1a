package dev.kafkasdk.consumer;

import dev.kafkasdk.consumer.internal.DeadLetterScan;
import dev.kafkasdk.core.SdkConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Lists and looks up the records of a dead-letter topic as {@link DeadLetter}s, without a consumer
 * group and without committing anything. It reads {@code read_committed}, like a runner, so it
 * shows exactly the dead letters that were acknowledged, up to the end offsets the topic had when
 * the call began.
 *
 * <pre>{@code
 * DeadLetterReader reader = DeadLetterReader.builder().bootstrapServers("localhost:9092").build();
 * for (DeadLetter letter : reader.list("orders.DLT", DeadLetterSelector.all(), 50)) {
 *   System.out.println(letter.originalOffset() + " " + letter.exceptionClass().orElse("?"));
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe: each call creates and closes its own consumer.
 */
public final class DeadLetterReader {
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration STALL = Duration.ofMinutes(1);

  private final Map<String, Object> config;

  private DeadLetterReader(Map<String, Object> config) {
    this.config = Map.copyOf(config);
  }

  /**
   * Starts configuring a reader.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Lists the selected dead letters of a topic, partition by partition in offset order, at most
   * {@code limit} of them.
   *
   * @param topic the dead-letter topic
   * @param selector which dead letters to list
   * @param limit the most to return, at least 1
   * @return the dead letters, sorted by partition and offset
   * @throws SdkConfigException if the topic does not exist
   * @throws IllegalArgumentException if {@code limit} is below 1
   * @throws org.apache.kafka.common.errors.TimeoutException if reading made no progress for a
   *     minute
   */
  public List<DeadLetter> list(String topic, DeadLetterSelector selector, int limit) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(selector, "selector");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    List<DeadLetter> letters = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> probe = consumer()) {
      for (TopicPartition partition : existing(probe, topic)) {
        // One partition at a time, so that a limit cuts the listing at a predictable place.
        try (DeadLetterScan scan =
            new DeadLetterScan(
                consumer(), DeadLetterScan.beginning(probe, List.of(partition)), STALL)) {
          while (!scan.done() && letters.size() < limit) {
            for (ConsumerRecord<byte[], byte[]> record : scan.next(POLL)) {
              DeadLetter letter = DeadLetter.of(record);
              if (letters.size() < limit && selector.test(letter)) {
                letters.add(letter);
              }
            }
          }
        }
        if (letters.size() >= limit) {
          break;
        }
      }
    }
    return letters;
  }

  /**
   * Reads the dead letter at one offset.
   *
   * @param topic the dead-letter topic
   * @param partition its partition
   * @param offset the record's offset
   * @return the dead letter; empty if no committed record is at that offset (out of range, deleted
   *     by retention, a transaction marker, or part of an aborted transaction)
   * @throws SdkConfigException if the topic or partition does not exist
   */
  public Optional<DeadLetter> find(String topic, int partition, long offset) {
    Objects.requireNonNull(topic, "topic");
    try (KafkaConsumer<byte[], byte[]> probe = consumer()) {
      TopicPartition wanted = new TopicPartition(topic, partition);
      if (!existing(probe, topic).contains(wanted)) {
        throw new SdkConfigException(
            "partition",
            "topic " + topic + " has no partition " + partition,
            "give a partition the topic has");
      }
      long first = probe.beginningOffsets(List.of(wanted)).get(wanted);
      if (offset < first) {
        return Optional.empty();
      }
      try (DeadLetterScan scan = new DeadLetterScan(consumer(), Map.of(wanted, offset), STALL)) {
        while (!scan.done()) {
          for (ConsumerRecord<byte[], byte[]> record : scan.next(POLL)) {
            // The first record read is at the offset, or past it if nothing committed is there.
            return record.offset() == offset
                ? Optional.of(DeadLetter.of(record))
                : Optional.empty();
          }
        }
      }
    }
    return Optional.empty();
  }

  private static List<TopicPartition> existing(KafkaConsumer<?, ?> consumer, String topic) {
    List<TopicPartition> partitions = DeadLetterScan.partitions(consumer, topic);
    if (partitions.isEmpty()) {
      throw new SdkConfigException(
          "topic", "topic " + topic + " does not exist", "give an existing dead-letter topic");
    }
    return partitions;
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** Configures a {@link DeadLetterReader}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, Object> properties = new HashMap<>();

    private Builder() {}

    /**
     * Sets Kafka's {@code bootstrap.servers}. Required (here or as a property).
     *
     * @param bootstrapServers comma-separated {@code host:port} list
     * @return this builder
     */
    public Builder bootstrapServers(String bootstrapServers) {
      return property(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    }

    /**
     * Passes a Kafka consumer property through, typically a security setting. Properties other
     * clients use (producer or admin settings in a shared file) are ignored; {@code
     * isolation.level}, {@code group.id} and {@code enable.auto.commit} are the reader's own.
     *
     * @param key a Kafka consumer configuration key
     * @param value its value
     * @return this builder
     */
    public Builder property(String key, Object value) {
      properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Passes several Kafka properties through; see {@link #property(String, Object)}.
     *
     * @param properties the properties, e.g. from a client configuration file
     * @return this builder
     */
    public Builder properties(Map<String, ?> properties) {
      Objects.requireNonNull(properties, "properties").forEach(this::property);
      return this;
    }

    /**
     * Validates the settings and creates the reader. Nothing connects until a call.
     *
     * @return the reader
     * @throws SdkConfigException if {@code bootstrap.servers} is missing
     */
    public DeadLetterReader build() {
      Object servers = properties.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
      if (servers == null || String.valueOf(servers).isBlank()) {
        throw new SdkConfigException(
            "bootstrap.servers",
            "is not set",
            "call bootstrapServers(\"host:9092\") or pass the property");
      }
      Map<String, Object> config = new HashMap<>();
      properties.forEach(
          (key, value) -> {
            if (ConsumerConfig.configNames().contains(key)) {
              config.put(key, value);
            }
          });
      config.remove(ConsumerConfig.GROUP_ID_CONFIG);
      config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      // Looking a misspelt dead-letter topic up must not create it.
      config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
      // A scan knows where it ends: a fetch need not wait long for more data than there is.
      config.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
      return new DeadLetterReader(config);
    }
  }
}
