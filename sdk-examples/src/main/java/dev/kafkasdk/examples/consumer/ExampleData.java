package dev.kafkasdk.examples.consumer;

import dev.kafkasdk.producer.ReliableProducer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes the example input: orders of 50 customers, each customer's orders numbered from 0. */
final class ExampleData {
  static final int CUSTOMERS = 50;

  private ExampleData() {}

  /** Key {@code customer-N}, value {@code customer-N:seq}; acknowledged before returning. */
  static void produceOrders(String bootstrapServers, String topic, int count) {
    int[] sequence = new int[CUSTOMERS];
    // Idempotent with acks=all: a retried send is stored once and never reorders a partition.
    try (ReliableProducer<String, String> producer =
        ReliableProducer.builder(new StringSerializer(), new StringSerializer())
            .bootstrapServers(bootstrapServers)
            .build()) {
      List<CompletableFuture<RecordMetadata>> sends = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        int customer = i % CUSTOMERS;
        String key = "customer-" + customer;
        sends.add(producer.send(topic, key, key + ":" + sequence[customer]++));
      }
      // Every acknowledgement, or the first failure (a ProducerSendException with its category).
      CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
    }
  }

  /** The per-customer sequence number in a value written by {@link #produceOrders}. */
  static int sequence(String value) {
    return Integer.parseInt(value.substring(value.indexOf(':') + 1));
  }
}
