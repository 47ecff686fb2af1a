package dev.kafkasdk.topics.internal;

import dev.kafkasdk.core.internal.SecretRedaction;
import dev.kafkasdk.topics.ProbeHandler;
import dev.kafkasdk.topics.ThroughputMeasurement;
import dev.kafkasdk.topics.TopicAdmin;
import dev.kafkasdk.topics.TopicAdminException;
import dev.kafkasdk.topics.TopicMeters;
import dev.kafkasdk.topics.TopicSpec;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One throughput measurement: set-up, the timed consume loop, and clean-up. */
public final class ProbeRun {
  private static final Logger log = LoggerFactory.getLogger(ProbeRun.class);
  private static final Duration POLL = Duration.ofMillis(100);

  private ProbeRun() {}

  /**
   * The probe's validated settings.
   *
   * @param clientConfig shared client properties
   * @param keySerde key serde
   * @param valueSerde value serde
   * @param keys sample keys, null when not configured
   * @param values sample values, null when not configured
   * @param records records to time
   * @param warmup records handled before timing
   * @param timeout limit for the whole run
   * @param topicPrefix prefix of temporary topics
   * @param registry meter registry
   * @param <K> key type
   * @param <V> value type
   */
  public record Settings<K, V>(
      Map<String, Object> clientConfig,
      Serde<K> keySerde,
      Serde<V> valueSerde,
      IntFunction<K> keys,
      IntFunction<V> values,
      int records,
      int warmup,
      Duration timeout,
      String topicPrefix,
      MeterRegistry registry) {

    /** Shows the settings with the client configuration's secrets hidden. */
    @Override
    public String toString() {
      return "ProbeRun.Settings[clientConfig="
          + SecretRedaction.redacted(clientConfig)
          + ", records="
          + records
          + ", warmup="
          + warmup
          + ", timeout="
          + timeout
          + ", topicPrefix="
          + topicPrefix
          + "]";
    }
  }

  /**
   * Measures on generated sample records in a temporary topic.
   *
   * @param s settings
   * @param handler handler
   * @param <K> key type
   * @param <V> value type
   * @return the measurement
   */
  public static <K, V> ThroughputMeasurement onSample(
      Settings<K, V> s, ProbeHandler<K, V> handler) {
    if (s.keys() == null || s.values() == null) {
      throw new IllegalStateException(
          "no sample records configured: call sample(keys, values) on the builder, or use"
              + " measureTopic for an existing topic");
    }
    long deadline = System.nanoTime() + s.timeout().toNanos();
    String topic = s.topicPrefix() + "-" + UUID.randomUUID();
    try (Admin admin = AdminClient.create(new HashMap<>(s.clientConfig()));
        TopicAdmin topics =
            TopicAdmin.builder()
                .admin(admin)
                .timeout(s.timeout())
                .meterRegistry(s.registry())
                .build()) {
      topics.apply(TopicSpec.builder(topic).partitions(1).build());
      try {
        int total = s.warmup() + s.records();
        produce(s, topic, total);
        ThroughputMeasurement m =
            consume(s, List.of(new TopicPartition(topic, 0)), total, handler, deadline);
        record(s, "sample", m);
        return m;
      } finally {
        deleteQuietly(admin, topic, s.timeout());
      }
    }
  }

  /**
   * Measures on an existing topic.
   *
   * @param s settings
   * @param topic the topic
   * @param handler handler
   * @param <K> key type
   * @param <V> value type
   * @return the measurement
   */
  public static <K, V> ThroughputMeasurement onTopic(
      Settings<K, V> s, String topic, ProbeHandler<K, V> handler) {
    long deadline = System.nanoTime() + s.timeout().toNanos();
    List<TopicPartition> partitions = new ArrayList<>();
    long available;
    try (KafkaConsumer<K, V> consumer = consumer(s, "offsets")) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, s.timeout());
      if (infos == null || infos.isEmpty()) {
        throw new TopicAdminException("topic " + topic + " does not exist", null);
      }
      infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, s.timeout());
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, s.timeout());
      available = partitions.stream().mapToLong(tp -> end.get(tp) - begin.get(tp)).sum();
    }
    if (available <= s.warmup()) {
      throw new IllegalStateException(
          "topic "
              + topic
              + " holds "
              + available
              + " records, not more than the "
              + s.warmup()
              + " warm-up records; produce more or lower warmupRecords");
    }
    long total = Math.min(available, (long) s.warmup() + s.records());
    ThroughputMeasurement m = consume(s, partitions, total, handler, deadline);
    record(s, "topic", m);
    return m;
  }

  private static <K, V> void produce(Settings<K, V> s, String topic, int total) {
    Map<String, Object> config = new HashMap<>(s.clientConfig());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "ksdk-probe-producer-" + topic);
    KafkaClientMetrics metrics = null;
    try (KafkaProducer<K, V> producer =
        new KafkaProducer<>(config, s.keySerde().serializer(), s.valueSerde().serializer())) {
      metrics = bind(s.registry(), producer);
      List<Future<?>> acks = new ArrayList<>(total);
      for (int i = 0; i < total; i++) {
        acks.add(
            producer.send(new ProducerRecord<>(topic, 0, s.keys().apply(i), s.values().apply(i))));
      }
      producer.flush();
      for (Future<?> ack : acks) {
        ack.get(s.timeout().toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (ExecutionException e) {
      throw new TopicAdminException(
          "could not produce sample records to " + topic + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new TopicAdminException("sample records to " + topic + " were not acknowledged", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TopicAdminException("interrupted while producing sample records", e);
    } finally {
      close(metrics);
    }
  }

  private static <K, V> ThroughputMeasurement consume(
      Settings<K, V> s,
      List<TopicPartition> partitions,
      long total,
      ProbeHandler<K, V> handler,
      long deadline) {
    long seen = 0;
    long measured = 0;
    long handlerNanos = 0;
    long start = 0;
    long end = 0;
    KafkaClientMetrics metrics = null;
    try (KafkaConsumer<K, V> consumer = consumer(s, partitions.get(0).topic())) {
      metrics = bind(s.registry(), consumer);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (seen < total && System.nanoTime() < deadline) {
        ConsumerRecords<K, V> batch = consumer.poll(POLL);
        for (ConsumerRecord<K, V> record : batch) {
          if (seen == s.warmup()) {
            start = System.nanoTime();
          }
          long before = System.nanoTime();
          try {
            handler.handle(record);
          } catch (Exception e) {
            throw new IllegalStateException(
                "the handler failed on "
                    + record.topic()
                    + "-"
                    + record.partition()
                    + "@"
                    + record.offset()
                    + "; measurement stopped",
                e);
          }
          long after = System.nanoTime();
          if (seen >= s.warmup()) {
            handlerNanos += after - before;
            measured++;
            end = after;
          }
          seen++;
          if (seen >= total) {
            break;
          }
        }
      }
    } finally {
      close(metrics);
    }
    if (measured == 0) {
      throw new IllegalStateException(
          "no record was measured within " + s.timeout() + " (" + seen + " warm-up records seen)");
    }
    if (seen < total) {
      log.warn("probe timed out after {} of {} records; reporting those measured", seen, total);
    }
    // At least one nanosecond, so a single very fast record still gives a finite rate.
    Duration elapsed = Duration.ofNanos(Math.max(1, end - start));
    Duration inHandler = Duration.ofNanos(Math.min(handlerNanos, elapsed.toNanos()));
    return new ThroughputMeasurement(measured, elapsed, inHandler);
  }

  private static <K, V> KafkaConsumer<K, V> consumer(Settings<K, V> s, String purpose) {
    Map<String, Object> config = new HashMap<>(s.clientConfig());
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // Looking up a mistyped topic must not create it on brokers with auto.create.topics.enable.
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "ksdk-probe-consumer-" + purpose);
    return new KafkaConsumer<>(config, s.keySerde().deserializer(), s.valueSerde().deserializer());
  }

  private static KafkaClientMetrics bind(MeterRegistry registry, KafkaProducer<?, ?> producer) {
    KafkaClientMetrics metrics = new KafkaClientMetrics(producer);
    metrics.bindTo(registry);
    return metrics;
  }

  private static KafkaClientMetrics bind(MeterRegistry registry, KafkaConsumer<?, ?> consumer) {
    KafkaClientMetrics metrics = new KafkaClientMetrics(consumer);
    metrics.bindTo(registry);
    return metrics;
  }

  private static void close(KafkaClientMetrics metrics) {
    if (metrics != null) {
      metrics.close();
    }
  }

  private static void record(Settings<?, ?> s, String mode, ThroughputMeasurement m) {
    log.info("measured handler throughput ({}): {}", mode, m);
    DistributionSummary.builder(TopicMeters.PROBE_THROUGHPUT)
        .description("records per second one consumer pushed through the handler")
        .baseUnit("records.per.second")
        .tag(TopicMeters.TAG_MODE, mode)
        .register(s.registry())
        .record(m.recordsPerSecond());
  }

  private static void deleteQuietly(Admin admin, String topic, Duration timeout) {
    try {
      admin.deleteTopics(List.of(topic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      log.warn("could not delete probe topic {}; delete it by hand: {}", topic, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("interrupted while deleting probe topic {}", topic);
    }
  }
}
