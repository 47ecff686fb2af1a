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

  OrderProducers(String bootstrapServers, String topic, MeterRegistry registry) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.registry = registry;
  }

  /** Sends {@code records} orders from {@code threads} threads and returns when all are settled. */
  void produce(int records, int threads, int customers) throws InterruptedException {
    List<Thread> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      int share = records / threads + (t < records % threads ? 1 : 0);
      Thread sender =
          new Thread(() -> send(thread, threads, share, customers), "demo-producer-" + thread);
      sender.start();
      running.add(sender);
    }
    for (Thread sender : running) {
      sender.join();
    }
  }

  private void send(int thread, int threads, int count, int customers) {
    // Customers thread, thread + threads, ... belong to this thread.
    int owned = (customers - thread + threads - 1) / threads;
    int[] sequence = new int[owned];
    List<CompletableFuture<RecordMetadata>> sends = new ArrayList<>(count);
    try (ReliableProducer<String, String> producer =
        ReliableProducer.builder(new StringSerializer(), new StringSerializer())
            .bootstrapServers(bootstrapServers)
            .clientId("demo-producer-" + thread)
            .meterRegistry(registry)
            .build()) {
      for (int i = 0; i < count; i++) {
        int slot = i % owned;
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
      CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
          .handle((ok, error) -> null)
          .join();
    }
  }

  /** Ids of the orders Kafka acknowledged so far. */
  Set<String> acknowledged() {
    return acknowledged;
  }

  /** Sends that failed. */
  long failed() {
    return failed.get();
  }
}
