package dev.kafkasdk.benchmarks.pc;

import dev.kafkasdk.benchmarks.IsolatedPeer;
import dev.kafkasdk.benchmarks.RecordSink;
import io.confluent.parallelconsumer.ParallelConsumerOptions;
import io.confluent.parallelconsumer.ParallelConsumerOptions.ProcessingOrder;
import io.confluent.parallelconsumer.ParallelStreamProcessor;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Confluent's Parallel Consumer as a benchmark peer, loaded only through the benchmark's peer class
 * loader (with Parallel Consumer's own kafka-clients): one {@code KafkaConsumer} with the
 * scenario's consumer settings, {@code maxConcurrency} handler threads, the given ordering, every
 * other option at its default (commit mode {@code PERIODIC_CONSUMER_ASYNCHRONOUS}, no batching, no
 * producer). Public for that loader's reflection only; not an API.
 */
public final class ParallelConsumerPeer implements IsolatedPeer {
  private final ParallelStreamProcessor<byte[], byte[]> processor;
  private final String topic;
  private final RecordSink sink;
  private final AtomicInteger assigned = new AtomicInteger();

  /**
   * Builds the peer (no connection yet).
   *
   * @param settings the scenario's consumer settings
   * @param topic the topic to read
   * @param sink where each handled record is reported
   * @param ordering {@code KEY}, {@code PARTITION} or {@code UNORDERED}
   * @param maxConcurrency handler threads
   * @param meters where Parallel Consumer records its meters
   */
  public ParallelConsumerPeer(
      Map<String, Object> settings,
      String topic,
      RecordSink sink,
      String ordering,
      int maxConcurrency,
      MeterRegistry meters) {
    this.topic = topic;
    this.sink = sink;
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    processor =
        ParallelStreamProcessor.createEosStreamProcessor(
            ParallelConsumerOptions.<byte[], byte[]>builder()
                .consumer(consumer)
                .ordering(ProcessingOrder.valueOf(ordering))
                .maxConcurrency(maxConcurrency)
                .meterRegistry(meters)
                .build());
  }

  @Override
  public void start() {
    processor.subscribe(
        List.of(topic),
        new ConsumerRebalanceListener() {
          @Override
          public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            assigned.addAndGet(-partitions.size());
          }

          @Override
          public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned.addAndGet(partitions.size());
          }
        });
    processor.poll(
        context -> {
          ConsumerRecord<byte[], byte[]> record = context.getSingleConsumerRecord();
          try {
            sink.handled(
                record.partition(), record.offset(), record.key(), record.serializedValueSize());
          } catch (InterruptedException e) {
            // Closing: the record stays unhandled and Parallel Consumer does not commit past it.
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while closing", e);
          }
        });
  }

  @Override
  public int assignedPartitions() {
    if (processor.isClosedOrFailed()) {
      throw new IllegalStateException("Parallel Consumer failed or closed");
    }
    return assigned.get();
  }

  @Override
  public void close() {
    // Parallel Consumer's default close: stop polling, let in-flight records finish, commit,
    // close the consumer.
    processor.close();
  }
}
