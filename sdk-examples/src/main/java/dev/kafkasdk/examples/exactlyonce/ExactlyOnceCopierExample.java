package dev.kafkasdk.examples.exactlyonce;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.RetryPolicy;
import dev.kafkasdk.consumer.Strategy;
import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.TestRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Exactly-once consume-transform-produce: orders are copied, upper-cased, to another topic. Each
 * poll batch is one transaction holding the output and the input offsets, so even though the
 * transform fails now and then (the batch is aborted and read again), a {@code read_committed}
 * reader sees every order exactly once.
 *
 * <p>Starts an embedded Kafka unless {@code KAFKA_BOOTSTRAP_SERVERS} is set:
 *
 * <pre>
 * mvn -B -q -Pdemo -pl sdk-examples -am package \
 *     -Ddemo.main=dev.kafkasdk.examples.exactlyonce.ExactlyOnceCopierExample -Ddemo.args="300"
 * </pre>
 */
public final class ExactlyOnceCopierExample {
  private ExactlyOnceCopierExample() {}

  /**
   * What the run saw.
   *
   * @param produced orders written
   * @param copied records a read_committed reader sees in the output
   * @param distinct distinct orders among them
   * @param failedCalls transform calls that failed (each aborted its batch)
   */
  public record Summary(int produced, int copied, int distinct, int failedCalls) {}

  /**
   * Runs the example.
   *
   * @param args {@code [orders]}, default 300
   */
  public static void main(String[] args) {
    int orders = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    try (KafkaCluster kafka = KafkaCluster.builder().start()) {
      System.out.println(run(kafka, orders));
    }
  }

  /**
   * Writes orders and copies them exactly once.
   *
   * @param kafka the cluster
   * @param orders how many
   * @return what happened
   */
  public static Summary run(KafkaCluster kafka, int orders) {
    String id = UUID.randomUUID().toString();
    String in = "orders-" + id;
    String out = "orders-upper-" + id;
    kafka.createTopic(in, 3, 1);
    kafka.createTopic(out, 3, 1);
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (int i = 0; i < orders; i++) {
      records.add(new ProducerRecord<>(in, "customer-" + (i % 10), "order-" + i));
    }
    TestRecords.of(kafka).produce(records);

    Set<String> failedOnce = ConcurrentHashMap.newKeySet();
    AtomicInteger failed = new AtomicInteger();
    List<ConsumerRecord<String, String>> copied;
    try (ConsumerRunner<String, String> copier =
        ConsumerRunner.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .groupId("copier-" + id)
            .topics(in)
            // Exactly-once needs thread-per-partition: one transactional producer per thread.
            .strategy(Strategy.threadPerPartition())
            // Each poll batch is one transaction; smaller batches redo less after an abort.
            .property("max.poll.records", 10)
            // Aborted batches in a row (at the same position) before the runner gives up.
            .retry(RetryPolicy.builder().maxAttempts(10).build())
            .exactlyOnce(
                ReliableProducer.builder(new StringSerializer(), new StringSerializer())
                    .bootstrapServers(kafka.bootstrapServers()),
                "copier-" + id, // stable across restarts in a real application
                (order, output) -> {
                  // A transient failure: every 40th order fails the first time it is seen.
                  int number = Integer.parseInt(order.value().substring("order-".length()));
                  if (number % 40 == 7 && failedOnce.add(order.value())) {
                    failed.incrementAndGet();
                    throw new IllegalStateException("transform failed; the batch is aborted");
                  }
                  output.send(out, order.key(), order.value().toUpperCase());
                })
            .build()) {
      copier.start();
      TestRecords reader = TestRecords.of(kafka);
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      do {
        // read_committed: only committed transactions, never the output of an aborted batch.
        copied = reader.readCommitted(out, Duration.ofMinutes(1));
      } while (copied.size() < orders && System.nanoTime() - deadline < 0);
    }
    Set<String> distinct = new HashSet<>();
    copied.forEach(record -> distinct.add(record.value()));
    return new Summary(orders, copied.size(), distinct.size(), failed.get());
  }
}
