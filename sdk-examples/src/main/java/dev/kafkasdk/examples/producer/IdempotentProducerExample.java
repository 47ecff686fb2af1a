package dev.kafkasdk.examples.producer;

import dev.kafkasdk.producer.ErrorCategory;
import dev.kafkasdk.producer.ProducerSendException;
import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.test.KafkaCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes order events with the idempotent {@link ReliableProducer} (the default preset) and
 * reads them back.
 *
 * <p>Run it with {@code main}: it starts an embedded Kafka cluster, or uses the cluster named by
 * {@code KAFKA_BOOTSTRAP_SERVERS}. Shows asynchronous sends with headers, a blocking send, bulk
 * sends with one shared callback, and what to do with each {@link ErrorCategory}.
 */
public final class IdempotentProducerExample {
  private IdempotentProducerExample() {}

  /**
   * What the example did.
   *
   * @param acknowledged sends Kafka acknowledged
   * @param failed sends that failed, by category
   * @param readBack values read back from the topic
   */
  public record Result(
      int acknowledged, Map<ErrorCategory, Integer> failed, List<String> readBack) {}

  /**
   * Starts a cluster, creates the topic and runs the example.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    try (KafkaCluster kafka = KafkaCluster.builder().start()) {
      String topic = "orders-" + System.currentTimeMillis();
      // In production: replication factor 3 and min.insync.replicas=2, so acks=all survives the
      // loss of one broker and refuses writes (rather than losing them) when two are gone.
      int replicas = Math.min(3, kafka.brokerCount());
      kafka.createTopic(
          topic,
          3,
          replicas,
          Map.of("min.insync.replicas", String.valueOf(Math.max(1, replicas - 1))));
      Result result = run(kafka.bootstrapServers(), topic, 100);
      System.out.println("acknowledged: " + result.acknowledged());
      System.out.println("failed: " + result.failed());
      System.out.println("read back: " + result.readBack().size());
    }
  }

  /**
   * Sends {@code count} order events with futures, one blocking send and {@code count} audit events
   * with a shared callback, then reads the topic.
   *
   * @param bootstrapServers the cluster
   * @param topic an existing topic
   * @param count how many asynchronous sends of each kind
   * @return what happened
   */
  public static Result run(String bootstrapServers, String topic, int count) {
    AtomicInteger acknowledged = new AtomicInteger();
    Map<ErrorCategory, Integer> failed = new ConcurrentHashMap<>();
    try (ReliableProducer<String, String> producer =
        ReliableProducer.builder(new StringSerializer(), new StringSerializer())
            .bootstrapServers(bootstrapServers)
            .clientId("order-events")
            .deliveryTimeout(Duration.ofMinutes(2))
            .build()) {
      List<CompletableFuture<RecordMetadata>> sends = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("source", "checkout".getBytes(StandardCharsets.UTF_8));
        ProducerRecord<String, String> event =
            new ProducerRecord<>(topic, null, "order-" + (i % 10), "created-" + i, headers);
        sends.add(
            producer
                .send(event)
                .whenComplete(
                    (metadata, error) -> {
                      if (error == null) {
                        acknowledged.incrementAndGet();
                      } else {
                        failed.merge(handle(event, error), 1, Integer::sum);
                      }
                    }));
      }
      // Blocking variant: returns the metadata or throws ProducerSendException.
      try {
        RecordMetadata m =
            producer.sendAndWait(
                new ProducerRecord<>(topic, "order-0", "paid"), Duration.ofSeconds(30));
        acknowledged.incrementAndGet();
        System.out.printf("'paid' stored at %s-%d@%d%n", m.topic(), m.partition(), m.offset());
      } catch (ProducerSendException e) {
        failed.merge(e.category(), 1, Integer::sum);
      }
      CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
          .handle((ok, error) -> null)
          .join();

      // Bulk variant: one shared callback, no future per record. Failures carry the same
      // categories; flush() returns once every callback has run.
      Callback countOutcome =
          (metadata, error) -> {
            if (error == null) {
              acknowledged.incrementAndGet();
            } else {
              failed.merge(((ProducerSendException) error).category(), 1, Integer::sum);
            }
          };
      for (int i = 0; i < count; i++) {
        producer.send(new ProducerRecord<>(topic, "order-" + (i % 10), "audit-" + i), countOutcome);
      }
      producer.flush();
    }
    return new Result(
        acknowledged.get(),
        Map.copyOf(failed),
        readBack(bootstrapServers, topic, acknowledged.get()));
  }

  /** One action per category; the category is on every SDK exception. */
  private static ErrorCategory handle(ProducerRecord<String, String> event, Throwable error) {
    ProducerSendException failure =
        (ProducerSendException) (error instanceof ProducerSendException ? error : error.getCause());
    switch (failure.category()) {
      case RETRIABLE -> System.err.println("cluster unavailable, retry later: " + event.key());
      case INVALID_RECORD -> System.err.println("poison record, dead-letter it: " + event.key());
      case PRODUCER_FATAL ->
          System.err.println("producer replaced; resend (at-least-once): " + event.key());
      default -> System.err.println("fix the configuration: " + failure.getMessage());
    }
    return failure.category();
  }

  private static List<String> readBack(String bootstrapServers, String topic, int expected) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .collect(Collectors.toList());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          values.add(r.value());
        }
      }
    }
    return values;
  }
}
