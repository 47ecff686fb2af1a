package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.Strategy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many consumer threads a thread-per-partition runner starts: the configured count, or the
 * partition count of the subscribed topics when it starts.
 */
final class ConsumerThreadCount {
  private static final Logger log = LoggerFactory.getLogger(ConsumerThreadCount.class);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

  private ConsumerThreadCount() {}

  /**
   * The configured thread count, or the partition count; warns about threads that will idle.
   *
   * @param probe creates a consumer used only to read metadata; closed here
   * @throws org.apache.kafka.common.KafkaException if no count is configured and the partitions
   *     cannot be counted
   */
  static int of(
      Strategy.ThreadPerPartition strategy,
      RunnerSettings<?, ?> settings,
      String runnerName,
      Supplier<Consumer<byte[], byte[]>> probe) {
    if (strategy.threads().isPresent()) {
      int threads = strategy.threads().getAsInt();
      int partitions;
      try {
        partitions = countPartitions(settings, probe);
      } catch (RuntimeException e) {
        log.debug("runner {}: could not count partitions: {}", runnerName, e.toString());
        return threads;
      }
      if (partitions > 0 && threads > partitions) {
        log.warn(
            "runner {}: {} consumer threads for {} partitions: {} thread(s) will get no partition"
                + " and sit idle",
            runnerName,
            threads,
            partitions,
            threads - partitions);
      }
      return threads;
    }
    int partitions = countPartitions(settings, probe);
    if (partitions == 0) {
      log.warn(
          "runner {}: the subscribed topics have no partitions yet; starting one consumer thread",
          runnerName);
      return 1;
    }
    return partitions;
  }

  private static int countPartitions(
      RunnerSettings<?, ?> settings, Supplier<Consumer<byte[], byte[]>> probe) {
    try (Consumer<byte[], byte[]> consumer = probe.get()) {
      int partitions = 0;
      if (settings.pattern().isPresent()) {
        for (Map.Entry<String, List<PartitionInfo>> topic :
            consumer.listTopics(METADATA_TIMEOUT).entrySet()) {
          if (settings.pattern().get().matcher(topic.getKey()).matches()) {
            partitions += topic.getValue().size();
          }
        }
      } else {
        for (String topic : settings.topics()) {
          List<PartitionInfo> infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
          partitions += infos == null ? 0 : infos.size();
        }
      }
      return partitions;
    }
  }
}
