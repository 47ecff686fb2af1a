package dev.kafkasdk.examples.consumer;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.Strategy;
import dev.kafkasdk.test.KafkaCluster;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread-per-partition runner: as many consumer threads as the topic has partitions, each owning
 * its partition and processing it in order. A separate processing thread per consumer keeps the
 * consumer polling while a record is being processed, so a slow record never gets the consumer
 * thrown out of its group.
 *
 * <p>Starts an embedded Kafka unless {@code KAFKA_BOOTSTRAP_SERVERS} is set:
 *
 * <pre>
 * mvn -B -q -Pdemo -pl sdk-examples -am package \
 *     -Ddemo.main=dev.kafkasdk.examples.consumer.ThreadPerPartitionExample -Ddemo.args="1200"
 * </pre>
 */
public final class ThreadPerPartitionExample {
  private static final int PARTITIONS = 3;

  private ThreadPerPartitionExample() {}

  /**
   * What the run saw.
   *
   * @param produced records written
   * @param processed records processed
   * @param threads processing threads that handled records (one per partition)
   * @param outOfOrder records that reached the handler before an earlier record of their partition
   *     (always 0)
   * @param took how long processing took
   */
  public record Summary(int produced, int processed, int threads, int outOfOrder, Duration took) {}

  /**
   * Runs the example.
   *
   * @param args {@code [records]}, default 1200
   * @throws InterruptedException if interrupted while waiting
   */
  public static void main(String[] args) throws InterruptedException {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 1200;
    try (KafkaCluster kafka = KafkaCluster.builder().start()) {
      System.out.println(run(kafka, records));
    }
  }

  /**
   * Writes {@code records} orders to a new topic and processes them thread-per-partition.
   *
   * @param kafka the cluster
   * @param records how many orders to write
   * @return what happened
   * @throws InterruptedException if interrupted while waiting
   */
  public static Summary run(KafkaCluster kafka, int records) throws InterruptedException {
    String topic = "orders-" + UUID.randomUUID();
    kafka.createTopic(topic, PARTITIONS, 1);
    ExampleData.produceOrders(kafka.bootstrapServers(), topic, records);

    CountDownLatch done = new CountDownLatch(records);
    Map<Integer, Long> lastOffset = new ConcurrentHashMap<>();
    Set<String> threads = ConcurrentHashMap.newKeySet();
    AtomicInteger processed = new AtomicInteger();
    AtomicInteger outOfOrder = new AtomicInteger();
    long start = System.nanoTime();
    try (ConsumerRunner<String, String> runner =
        ConsumerRunner.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .groupId("thread-per-partition-example-" + topic)
            .topics(topic)
            // One consumer thread per partition (counted at start). More threads than
            // partitions would sit idle; the runner logs a warning if you ask for that.
            .strategy(Strategy.threadPerPartition())
            // Report a record that takes longer than this (WARN log and a counter).
            .slowHandlerThreshold(Duration.ofSeconds(10))
            .handler(
                record -> {
                  threads.add(Thread.currentThread().getName());
                  Long previous = lastOffset.put(record.partition(), record.offset());
                  if (previous != null && previous > record.offset()) {
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
    }
    return new Summary(
        records,
        processed.get(),
        threads.size(),
        outOfOrder.get(),
        Duration.ofNanos(System.nanoTime() - start));
  }
}
