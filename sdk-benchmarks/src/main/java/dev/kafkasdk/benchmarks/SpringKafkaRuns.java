package dev.kafkasdk.benchmarks;

import java.util.Collection;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListener;

/**
 * Spring Kafka's listener container ({@code org.springframework.kafka:spring-kafka}) as a benchmark
 * peer of thread-per-partition: a {@link ConcurrentMessageListenerContainer} with one consumer (and
 * thread) per partition, a record {@link MessageListener}, a {@link DefaultKafkaConsumerFactory}
 * fed the scenario's consumer settings, and every container property at its default (AckMode {@code
 * BATCH}: a synchronous commit after each poll's records). No Spring context: the container is
 * built and started by hand, so it has no meter or observation registry bean to record into.
 */
final class SpringKafkaRuns {
  private SpringKafkaRuns() {}

  /**
   * A factory of containers with {@code concurrency} consumers.
   *
   * @param concurrency consumers (each on its own thread): the topic's partition count
   */
  static PeerTrials.PeerFactory factory(int concurrency) {
    return (settings, topic, handler) -> new Container(settings, topic, handler, concurrency);
  }

  /**
   * Where the container spends CPU: its consumer threads ({@code <bean name>-<n>-C-1}, the bean
   * name being the group) poll and run the listener; there are no other handler threads.
   */
  static PeerTrials.PeerThreads threads(String group) {
    return new PeerTrials.PeerThreads(group + "-", null);
  }

  private static final class Container implements PeerTrials.Peer {
    private final ConcurrentMessageListenerContainer<byte[], byte[]> container;
    private final int concurrency;

    Container(Map<String, Object> settings, String topic, RecordSink handler, int concurrency) {
      this.concurrency = concurrency;
      DefaultKafkaConsumerFactory<byte[], byte[]> consumers =
          new DefaultKafkaConsumerFactory<>(
              settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      ContainerProperties properties = new ContainerProperties(topic);
      properties.setMessageListener(
          (MessageListener<byte[], byte[]>)
              record -> {
                try {
                  handler.handled(
                      record.partition(),
                      record.offset(),
                      record.key(),
                      record.serializedValueSize());
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  throw new IllegalStateException("interrupted while stopping", e);
                }
              });
      container = new ConcurrentMessageListenerContainer<>(consumers, properties);
      container.setConcurrency(concurrency);
      // Names the consumer threads after the group, for the CPU figures.
      container.setBeanName(String.valueOf(settings.get("group.id")));
    }

    @Override
    public void start() {
      container.start();
    }

    /**
     * Counts only once every consumer owns a partition: the first consumers to join may own all of
     * them for a moment, and the rebalance as the rest join would then fall into the warm-up or the
     * window.
     */
    @Override
    public int assignedPartitions() {
      Map<String, Collection<TopicPartition>> byClient = container.getAssignmentsByClientId();
      if (byClient == null
          || byClient.size() < concurrency
          || byClient.values().stream().anyMatch(p -> p == null || p.isEmpty())) {
        return 0;
      }
      return byClient.values().stream().mapToInt(Collection::size).sum();
    }

    @Override
    public int consumers() {
      return concurrency;
    }

    @Override
    public void close() {
      // Waits for each consumer to finish its current records, commit them and close.
      container.stop();
    }
  }
}
