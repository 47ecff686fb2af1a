package dev.kafkasdk.examples.producer;

import dev.kafkasdk.producer.ErrorCategory;
import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.producer.TransactionFailedException;
import dev.kafkasdk.producer.TransactionalProducer;
import dev.kafkasdk.test.KafkaCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Consume-transform-produce with exactly-once output: reads payments, writes approved payments and
 * the consumer's offsets in one transaction per poll, then shows that a {@code read_committed}
 * consumer sees committed transactions only (an aborted one stays invisible).
 *
 * <p>Run it with {@code main}: it starts an embedded Kafka cluster, or uses the cluster named by
 * {@code KAFKA_BOOTSTRAP_SERVERS}.
 */
public final class TransactionalProducerExample {
  private TransactionalProducerExample() {}

  /**
   * What the example did.
   *
   * @param committedOutput values a read_committed consumer sees in the output topic
   * @param committedInputOffset sum of the input offsets committed for the group
   */
  public record Result(List<String> committedOutput, long committedInputOffset) {}

  /**
   * Starts a cluster, creates the topics, fills the input and runs the example.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    try (KafkaCluster kafka = KafkaCluster.builder().start()) {
      String run = Long.toString(System.currentTimeMillis());
      String input = "payments-" + run;
      String output = "payments-approved-" + run;
      int replicas = Math.min(3, kafka.brokerCount());
      kafka.createTopic(input, 2, replicas);
      kafka.createTopic(output, 2, replicas);
      fillInput(kafka.bootstrapServers(), input, 10);
      Result result = run(kafka.bootstrapServers(), input, output, "approver-" + run, 10);
      System.out.println("committed output: " + result.committedOutput());
      System.out.println("committed input offsets: " + result.committedInputOffset());
    }
  }

  /**
   * Writes {@code count} payment records with the idempotent producer.
   *
   * @param bootstrapServers the cluster
   * @param input the input topic
   * @param count how many payments
   */
  public static void fillInput(String bootstrapServers, String input, int count) {
    try (ReliableProducer<String, String> producer =
        ReliableProducer.builder(new StringSerializer(), new StringSerializer())
            .bootstrapServers(bootstrapServers)
            .build()) {
      for (int i = 0; i < count; i++) {
        producer.sendAndWait(
            new ProducerRecord<>(input, "payment-" + i, "payment-" + i + ":amount=" + (i * 10)),
            Duration.ofSeconds(30));
      }
    }
  }

  /**
   * Approves {@code expected} payments exactly once, then tries one transaction that fails.
   *
   * @param bootstrapServers the cluster
   * @param input the input topic
   * @param output the output topic
   * @param groupId the consumer group
   * @param expected how many input records to process
   * @return what a read_committed consumer sees
   */
  public static Result run(
      String bootstrapServers, String input, String output, String groupId, int expected) {
    try (KafkaConsumer<String, String> consumer = consumer(bootstrapServers, groupId);
        TransactionalProducer<String, String> producer =
            ReliableProducer.builder(new StringSerializer(), new StringSerializer())
                .bootstrapServers(bootstrapServers)
                // Unique per application instance and stable across its restarts.
                .transactional("payment-approver-" + groupId)
                .transactionTimeout(Duration.ofSeconds(30))
                .build()) {
      consumer.subscribe(List.of(input));
      int processed = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (processed < expected && System.nanoTime() < deadline) {
        ConsumerRecords<String, String> batch = consumer.poll(Duration.ofMillis(500));
        if (batch.isEmpty()) {
          continue;
        }
        try {
          producer.inTransaction(
              tx -> {
                for (ConsumerRecord<String, String> payment : batch) {
                  tx.send(output, payment.key(), "APPROVED " + payment.value());
                }
                // The offsets commit with the output, or not at all. groupMetadata() carries the
                // generation, so a consumer that lost its partitions cannot commit (KIP-447).
                tx.sendOffsets(nextOffsets(batch), consumer.groupMetadata());
              });
          processed += batch.count();
        } catch (TransactionFailedException e) {
          // Nothing of this batch is visible; read it again from the last committed offsets.
          rewindToCommitted(consumer);
          if (e.category() == ErrorCategory.CONFIGURATION) {
            throw e;
          }
        }
      }

      // A transaction whose body fails is aborted: its record never reaches read_committed
      // consumers, although it is in the log.
      try {
        producer.inTransaction(
            tx -> {
              tx.send(output, "audit", "THIS MUST NOT BE VISIBLE");
              throw new IllegalStateException("audit service rejected the batch");
            });
      } catch (IllegalStateException expectedFailure) {
        System.out.println("aborted: " + expectedFailure.getMessage());
      }

      Map<TopicPartition, OffsetAndMetadata> committed =
          consumer.committed(consumer.assignment(), Duration.ofSeconds(30));
      long offsets =
          committed.values().stream().filter(o -> o != null).mapToLong(o -> o.offset()).sum();
      return new Result(readCommitted(bootstrapServers, output, expected), offsets);
    }
  }

  private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(
      ConsumerRecords<String, String> batch) {
    Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
    for (TopicPartition partition : batch.partitions()) {
      List<ConsumerRecord<String, String>> records = batch.records(partition);
      next.put(partition, new OffsetAndMetadata(records.get(records.size() - 1).offset() + 1));
    }
    return next;
  }

  private static void rewindToCommitted(KafkaConsumer<String, String> consumer) {
    Set<TopicPartition> assigned = consumer.assignment();
    Map<TopicPartition, OffsetAndMetadata> committed =
        consumer.committed(assigned, Duration.ofSeconds(30));
    for (TopicPartition partition : assigned) {
      OffsetAndMetadata offset = committed.get(partition);
      if (offset != null) {
        consumer.seek(partition, offset);
      } else {
        consumer.seekToBeginning(List.of(partition));
      }
    }
  }

  private static KafkaConsumer<String, String> consumer(String bootstrapServers, String groupId) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
  }

  /** A separate read_committed consumer reading the whole output topic. */
  private static List<String> readCommitted(String bootstrapServers, String topic, int expected) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> reader =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions =
          reader.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .collect(Collectors.toList());
      reader.assign(partitions);
      reader.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = reader.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline
          && end.entrySet().stream().anyMatch(e -> reader.position(e.getKey()) < e.getValue())) {
        for (ConsumerRecord<String, String> r : reader.poll(Duration.ofMillis(500))) {
          values.add(r.value());
        }
      }
    }
    if (values.size() < expected) {
      System.err.println("read only " + values.size() + " of " + expected + " records");
    }
    return values;
  }
}
