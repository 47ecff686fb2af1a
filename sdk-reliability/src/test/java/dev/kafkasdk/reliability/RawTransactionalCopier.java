package dev.kafkasdk.reliability;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A consume-transform-produce copier written with the raw clients, in the pattern of Kafka's {@code
 * TransactionalMessageCopier}: poll, begin, copy the batch, send the offsets with the group
 * metadata, commit; a seeded share of transactions is aborted on purpose. After an abort the
 * correct copier seeks every partition back to its committed offset; the broken one does not
 * (KAFKA-17582), so the consumer's position stays after the aborted batch and its records are never
 * copied. The meta-test runs both: the checker must catch the broken one.
 */
final class RawTransactionalCopier implements AutoCloseable {
  private final KafkaConsumer<String, String> consumer;
  private final KafkaProducer<String, String> producer;
  private final Thread thread;
  private final AtomicInteger aborted = new AtomicInteger();
  private volatile boolean running = true;
  private volatile long idlePosition;

  /**
   * Starts copying.
   *
   * @param clientConfig bootstrap servers
   * @param input input topic
   * @param output output topic
   * @param group consumer group
   * @param transactionalId the producer's transactional id
   * @param seekAfterAbort whether to rewind after an abort (the correct copier does)
   * @param seed seed of the injected aborts
   */
  RawTransactionalCopier(
      Map<String, Object> clientConfig,
      String input,
      String output,
      String group,
      String transactionalId,
      boolean seekAfterAbort,
      long seed) {
    Map<String, Object> consumerConfig = new HashMap<>(clientConfig);
    consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20);
    this.consumer =
        new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer());
    Map<String, Object> producerConfig = new HashMap<>(clientConfig);
    producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    this.producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
    Random random = new Random(seed);
    this.thread =
        new Thread(
            () -> {
              producer.initTransactions();
              consumer.subscribe(List.of(input));
              while (running) {
                ConsumerRecords<String, String> batch = consumer.poll(Duration.ofMillis(100));
                if (batch.isEmpty()) {
                  idlePosition = consumer.assignment().stream().mapToLong(consumer::position).sum();
                  continue;
                }
                producer.beginTransaction();
                for (ConsumerRecord<String, String> record : batch) {
                  producer.send(new ProducerRecord<>(output, record.key(), record.value()));
                }
                if (random.nextInt(4) == 0) {
                  producer.abortTransaction();
                  aborted.incrementAndGet();
                  if (seekAfterAbort) {
                    rewind(batch);
                  }
                  continue;
                }
                producer.sendOffsetsToTransaction(nextOffsets(batch), consumer.groupMetadata());
                producer.commitTransaction();
              }
            },
            "raw-copier-" + transactionalId);
    thread.start();
  }

  /** How many transactions were aborted on purpose so far. */
  int aborted() {
    return aborted.get();
  }

  /**
   * The sum of the consumer's positions over its partitions, as of the last poll that returned
   * nothing: once it reaches the input's size the copier has nothing left to do (the broken copier
   * may never commit the end of a partition whose last batch it aborted).
   */
  long idlePosition() {
    return idlePosition;
  }

  /** The copier's {@code resetToLastCommittedPositions}. */
  private void rewind(ConsumerRecords<String, String> batch) {
    Set<TopicPartition> partitions = batch.partitions();
    Map<TopicPartition, OffsetAndMetadata> committed =
        consumer.committed(partitions, Duration.ofSeconds(30));
    for (TopicPartition partition : partitions) {
      OffsetAndMetadata offset = committed.get(partition);
      consumer.seek(
          partition, offset != null ? offset.offset() : batch.records(partition).get(0).offset());
    }
  }

  private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(
      ConsumerRecords<String, String> batch) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition partition : batch.partitions()) {
      List<ConsumerRecord<String, String>> records = batch.records(partition);
      offsets.put(partition, new OffsetAndMetadata(records.get(records.size() - 1).offset() + 1));
    }
    return offsets;
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(60));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
    producer.close(Duration.ofSeconds(10));
  }
}
