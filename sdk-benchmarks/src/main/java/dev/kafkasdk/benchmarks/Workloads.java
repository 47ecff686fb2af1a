package dev.kafkasdk.benchmarks;

import dev.kafkasdk.test.KafkaCluster;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Topics, payloads and client settings shared by every variant, so comparisons are fair. */
final class Workloads {
  private static final AtomicLong NAMES = new AtomicLong();

  private Workloads() {}

  static String freshName(String prefix) {
    return "bench-" + prefix + "-" + NAMES.incrementAndGet() + "-" + System.nanoTime() % 100_000;
  }

  static byte[] payload(int size) {
    byte[] value = new byte[size];
    Arrays.fill(value, (byte) 'x');
    return value;
  }

  /** Producer settings used by the raw baseline and passed unchanged to the SDK variant. */
  static Map<String, Object> producerSettings(KafkaCluster kafka) {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
    return config;
  }

  /** Consumer settings used by the raw baseline and passed unchanged to the SDK variants. */
  static Map<String, Object> consumerSettings(KafkaCluster kafka, String group) {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return config;
  }

  /**
   * Creates a topic and fills it quickly with {@code records} values of {@code size} bytes, keyed
   * round-robin over {@code keys} distinct keys.
   */
  static void fill(
      KafkaCluster kafka, String topic, int partitions, long records, int size, int keys)
      throws Exception {
    kafka.createTopic(topic, partitions, 1);
    Map<String, Object> config = kafka.clientConfig();
    config.put(ProducerConfig.ACKS_CONFIG, "1");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    byte[] value = payload(size);
    long started = System.nanoTime();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      for (long i = 0; i < records; i++) {
        producer.send(new ProducerRecord<>(topic, "key-" + (i % keys), value));
      }
      producer.flush();
    }
    Progress.say(
        "  filled %s: %,d records in %d ms",
        topic, records, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  /**
   * Checks, after a trial and outside its timing, that exactly {@code expected} records landed in a
   * fresh non-transactional topic: a trial that lost or doubled records measured something else.
   *
   * @throws IllegalStateException if the end offsets add up to another count
   */
  static void checkLanded(KafkaCluster kafka, String topic, long expected) throws Exception {
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (TopicPartitionInfo info :
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()) {
        latest.put(new TopicPartition(topic, info.partition()), OffsetSpec.latest());
      }
      long landed =
          admin.listOffsets(latest).all().get().values().stream()
              .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset)
              .sum();
      if (landed != expected) {
        throw new IllegalStateException(
            topic + " holds " + landed + " records after the trial, expected " + expected);
      }
    }
  }

  /** Each partition's end offset (partition i at index i), e.g. of a preloaded topic. */
  static long[] endOffsets(KafkaCluster kafka, String topic) throws Exception {
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (TopicPartitionInfo info :
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()) {
        latest.put(new TopicPartition(topic, info.partition()), OffsetSpec.latest());
      }
      long[] ends = new long[latest.size()];
      admin
          .listOffsets(latest)
          .all()
          .get()
          .forEach((tp, info) -> ends[tp.partition()] = info.offset());
      return ends;
    }
  }

  /** Waits (parking, not sleeping in a test) for {@code duration}, e.g. a trial's window. */
  static void park(Duration duration) {
    long deadline = System.nanoTime() + duration.toNanos();
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
    }
  }

  static Duration seconds(double seconds) {
    return Duration.ofMillis((long) (seconds * 1000));
  }
}
