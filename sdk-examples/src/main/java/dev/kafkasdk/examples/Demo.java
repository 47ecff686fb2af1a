package dev.kafkasdk.examples;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.TestRecords;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The README's first command: a round trip on the embedded cluster (or an external one given with
 * {@code --bootstrap host:port}). The examples issue grows it into the full pipeline demo.
 */
public final class Demo {
  private Demo() {}

  /**
   * Runs the demo.
   *
   * @param args {@code [--records N] [--bootstrap host:port]}
   */
  public static void main(String[] args) {
    int count = 100;
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals("--records")) {
        count = Integer.parseInt(args[i + 1]);
      } else if (args[i].equals("--bootstrap")) {
        System.setProperty(KafkaCluster.BOOTSTRAP_PROPERTY, args[i + 1]);
      }
    }
    long started = System.nanoTime();
    try (KafkaCluster kafka = KafkaCluster.builder().start()) {
      System.out.println("cluster: " + kafka.backend() + " at " + kafka.bootstrapServers());
      String topic = "demo-orders-" + System.currentTimeMillis();
      kafka.createTopic(topic, 3, 1);
      TestRecords records = TestRecords.of(kafka);
      records.produce(
          IntStream.range(0, count)
              .mapToObj(i -> new ProducerRecord<>(topic, "order-" + i % 10, "payload-" + i))
              .toList());
      List<ConsumerRecord<String, String>> read =
          records.readCommitted(topic, Duration.ofSeconds(60));
      System.out.println("produced: " + count);
      System.out.println("read back: " + read.size());
      System.out.printf("took: %d ms%n", (System.nanoTime() - started) / 1_000_000);
      if (read.size() != count) {
        System.exit(1);
      }
    }
  }
}
