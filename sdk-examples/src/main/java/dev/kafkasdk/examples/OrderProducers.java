package dev.kafkasdk.examples;

import dev.kafkasdk.producer.ReliableProducer;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Several threads sending orders with their own idempotent {@link ReliableProducer}. Each thread
 * owns a disjoint set of customers, so a customer's sequence numbers follow the order of its
 * records in the topic: any reordering downstream is the consumer's doing.
 */
final class OrderProducers {
  private final String bootstrapServers;
  private final String topic;
  private final MeterRegistry registry;
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong poisonAcknowledged = new AtomicLong();

  OrderProducers(String bootstrapServers, String topic, MeterRegistry registry) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.registry = registry;
  }

  /**
   * Sends {@code records} orders and {@code poison} poison records, spread evenly among the orders,
   * from {@code threads} threads, and returns when all are settled.
   */
  void produce(int records, int threads, int customers, int poison) throws InterruptedException {
    List<Thread> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      int share = records / threads + (t < records % threads ? 1 : 0);
      int poisonShare = poison / threads + (t < poison % threads ? 1 : 0);
      Thread sender =
          new Thread(
              () -> send(thread, threads, share, customers, poisonShare),
              "demo-producer-" + thread);
      sender.start();
      running.add(sender);
    }
    for (Thread sender : running) {
      sender.join();
    }
  }

  private void send(int thread, int threads, int count, int customers, int poison) {
    // Customers thread, thread + threads, ... belong to this thread.
    int owned = (customers - thread + threads - 1) / threads;
    int[] sequence = new int[owned];
    List<CompletableFuture<RecordMetadata>> sends = new ArrayList<>(count + poison);
    int poisonSent = 0;
    try (ReliableProducer<String, String> producer =
        ReliableProducer.builder(new StringSerializer(), new StringSerializer())
            .bootstrapServers(bootstrapServers)
            .clientId("demo-producer-" + thread)
            .meterRegistry(registry)
            .build()) {
      for (int i = 0; i < count; i++) {
        int slot = i % owned;
        // Poison record j goes before order (j + 1) * count / (poison + 1), under a real
        // customer's key: that customer's later orders must still be processed.
        while (poisonSent < poison && i >= (long) (poisonSent + 1) * count / (poison + 1)) {
          sends.add(
              sendPoison(producer, "customer-" + (thread + slot * threads), thread, poisonSent++));
        }
        Order order =
            new Order(
                "order-" + thread + "-" + i,
                "customer-" + (thread + slot * threads),
                sequence[slot]++);
        sends.add(
            producer
                .send(topic, order.customer(), order.encode())
                .whenComplete(
                    (metadata, error) -> {
                      // Only acknowledged orders count as produced; a failed send may or may not
                      // be in the log, and the check does not expect it.
                      if (error == null) {
                        acknowledged.add(order.id());
                      } else {
                        failed.incrementAndGet();
                      }
                    }));
      }
      while (poisonSent < poison) { // fewer orders than poison records
        sends.add(sendPoison(producer, "customer-" + thread, thread, poisonSent++));
      }
      CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
          .handle((ok, error) -> null)
          .join();
    }
  }

  /** A value no {@link OrderValueDeserializer} accepts: text, but not an order. */
  private CompletableFuture<RecordMetadata> sendPoison(
      ReliableProducer<String, String> producer, String key, int thread, int number) {
    String value = "poison record " + number + " of demo-producer-" + thread;
    return producer
        .send(topic, key, value)
        .whenComplete(
            (metadata, error) -> {
              if (error == null) {
                poisonAcknowledged.incrementAndGet();
              } else {
                failed.incrementAndGet();
              }
            });
  }

  /** Ids of the orders Kafka acknowledged so far. */
  Set<String> acknowledged() {
    return acknowledged;
  }

  /** Poison records Kafka acknowledged so far. */
  long poisonAcknowledged() {
    return poisonAcknowledged.get();
  }

  /** Sends that failed (orders and poison records). */
  long failed() {
    return failed.get();
  }
}
