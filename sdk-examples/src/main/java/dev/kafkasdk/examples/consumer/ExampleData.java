package dev.kafkasdk.examples.consumer;

import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes the example input: orders of 50 customers, each customer's orders numbered from 0. */
final class ExampleData {
  static final int CUSTOMERS = 50;

  private ExampleData() {}

  /** Key {@code customer-N}, value {@code customer-N:seq}; acknowledged before returning. */
  static void produceOrders(String bootstrapServers, String topic, int count) {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true);
    int[] sequence = new int[CUSTOMERS];
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < count; i++) {
        int customer = i % CUSTOMERS;
        String key = "customer-" + customer;
        producer.send(new ProducerRecord<>(topic, key, key + ":" + sequence[customer]++));
      }
      producer.flush();
    }
  }

  /** The per-customer sequence number in a value written by {@link #produceOrders}. */
  static int sequence(String value) {
    return Integer.parseInt(value.substring(value.indexOf(':') + 1));
  }
}
