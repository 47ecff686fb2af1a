package dev.kafkasdk.examples.consumer;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.consumer.Strategy;
import dev.kafkasdk.test.KafkaCluster;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A multi-worker runner: one thread polls Kafka, eight workers process the records, and the
 * ordering mode decides what may run in parallel. Offsets are committed only after processing, so
 * nothing is lost if the application crashes or the group rebalances.
 *
 * <p>Run it with an ordering ({@code PARTITION}, {@code KEY} or {@code UNORDERED}) and a record
 * count; it starts an embedded Kafka unless {@code KAFKA_BOOTSTRAP_SERVERS} is set:
 *
 * <pre>
 * mvn -B -q -Pdemo -pl sdk-examples -am package \
 *     -Ddemo.main=dev.kafkasdk.examples.consumer.MultiWorkerExample -Ddemo.args="KEY 2000"
 * </pre>
 */
public final class MultiWorkerExample {
  private MultiWorkerExample() {}

  /**
   * What the run saw.
   *
   * @param ordering the ordering mode used
   * @param produced records written
   * @param processed records processed
   * @param outOfOrder records that reached the handler before an earlier order of the same customer
   *     (always 0 with {@code KEY} and {@code PARTITION})
   * @param took how long processing took
   */
  public record Summary(
      Ordering ordering, int produced, int processed, int outOfOrder, Duration took) {}

  /**
   * Runs the example.
   *
   * @param args {@code [ordering] [records]}, default {@code KEY 2000}
   * @throws InterruptedException if interrupted while waiting
   */
  public static void main(String[] args) throws InterruptedException {
    Ordering ordering =
        args.length > 0 ? Ordering.valueOf(args[0].toUpperCase(Locale.ROOT)) : Ordering.KEY;
    int records = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    try (KafkaCluster kafka = KafkaCluster.builder().start()) {
      System.out.println(run(kafka, ordering, records));
    }
  }

  /**
   * Writes {@code records} orders to a new topic and processes them with a multi-worker runner.
   *
   * @param kafka the cluster
   * @param ordering the ordering mode
   * @param records how many orders to write
   * @return what happened
   * @throws InterruptedException if interrupted while waiting
   */
  public static Summary run(KafkaCluster kafka, Ordering ordering, int records)
      throws InterruptedException {
    String topic = "orders-" + UUID.randomUUID();
    kafka.createTopic(topic, 6, 1);
    ExampleData.produceOrders(kafka.bootstrapServers(), topic, records);

    CountDownLatch done = new CountDownLatch(records);
    Map<String, Integer> lastSequence = new ConcurrentHashMap<>();
    AtomicInteger processed = new AtomicInteger();
    AtomicInteger outOfOrder = new AtomicInteger();
    long start = System.nanoTime();
    try (ConsumerRunner<String, String> runner =
        ConsumerRunner.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .groupId("multi-worker-example-" + topic)
            .topics(topic)
            // Eight workers; KEY keeps each customer's orders in order while customers run in
            // parallel, even when they share a partition.
            .strategy(Strategy.multiWorker(8, ordering))
            // At most 500 records polled but not yet committable; beyond that partitions are
            // paused (the consumer keeps polling, so it never leaves the group).
            .maxInFlight(500)
            .handler(
                record -> {
                  Thread.sleep(ThreadLocalRandom.current().nextInt(3)); // simulated work
                  int sequence = ExampleData.sequence(record.value());
                  Integer previous = lastSequence.put(record.key(), sequence);
                  if (previous != null && previous > sequence) {
                    outOfOrder.incrementAndGet();
                  }
                  processed.incrementAndGet();
                  done.countDown();
                })
            .build()) {
      runner.start();
      if (!done.await(2, TimeUnit.MINUTES)) {
        throw new IllegalStateException(
            "processed only " + processed.get() + " of " + records + " records: " + runner.state());
      }
    } // close(): running records finish, finished offsets are committed, the consumer leaves
    return new Summary(
        ordering,
        records,
        processed.get(),
        outOfOrder.get(),
        Duration.ofNanos(System.nanoTime() - start));
  }
}
