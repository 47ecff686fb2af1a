package dev.kafkasdk.examples.consumer;

import dev.kafkasdk.consumer.ConsumerMeters;
import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.consumer.Strategy;
import dev.kafkasdk.test.KafkaCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Measures how fast each strategy moves records through a handler that does nothing, i.e. the
 * runner's own overhead (polling, tracking, dispatch, commits). Real handlers are usually the
 * limit; this shows the ceiling. It also prints the in-flight limit in force at the end ({@code
 * ksdk.consumer.in.flight.limit}): with a handler this cheap, a runner left at the default limits
 * raises them (up to 40,000) once it has timed a few dozen runs of the handler.
 *
 * <pre>
 * mvn -B -q -Pdemo -pl sdk-examples -am package \
 *     -Ddemo.main=dev.kafkasdk.examples.consumer.ConsumerThroughput -Ddemo.args="200000"
 * </pre>
 */
public final class ConsumerThroughput {
  private ConsumerThroughput() {}

  /**
   * One strategy's result.
   *
   * @param strategy the strategy
   * @param records records processed
   * @param took time from start() to the last record
   * @param inFlightLimit the in-flight limit in force when the last record was handled
   */
  public record Result(Strategy strategy, int records, Duration took, long inFlightLimit) {
    /**
     * Returns the throughput.
     *
     * @return records per second
     */
    public long recordsPerSecond() {
      return records * 1000L / Math.max(1, took.toMillis());
    }

    @Override
    public String toString() {
      return String.format(
          "%-70s %d records in %d ms = %d records/s, in-flight limit %d",
          strategy, records, took.toMillis(), recordsPerSecond(), inFlightLimit);
    }
  }

  /**
   * Runs the measurement.
   *
   * @param args {@code [records]}, default 200000
   * @throws InterruptedException if interrupted while waiting
   */
  public static void main(String[] args) throws InterruptedException {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    try (KafkaCluster kafka = KafkaCluster.builder().start()) {
      run(kafka, records).forEach(System.out::println);
    }
  }

  /**
   * Writes {@code records} records to a 6-partition topic and consumes them once per strategy.
   *
   * @param kafka the cluster
   * @param records how many records
   * @return one result per strategy
   * @throws InterruptedException if interrupted while waiting
   */
  public static List<Result> run(KafkaCluster kafka, int records) throws InterruptedException {
    String topic = "throughput-" + UUID.randomUUID();
    kafka.createTopic(topic, 6, 1);
    ExampleData.produceOrders(kafka.bootstrapServers(), topic, records);
    List<Result> results = new ArrayList<>();
    for (Strategy strategy :
        List.of(
            Strategy.threadPerPartition(),
            Strategy.multiWorker(4, Ordering.PARTITION),
            Strategy.multiWorker(4, Ordering.KEY),
            Strategy.multiWorker(4, Ordering.UNORDERED))) {
      CountDownLatch done = new CountDownLatch(records);
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      try (ConsumerRunner<String, String> runner =
          ConsumerRunner.builder()
              .bootstrapServers(kafka.bootstrapServers())
              .groupId("throughput-" + UUID.randomUUID())
              .topics(topic)
              .strategy(strategy)
              .meterRegistry(registry)
              .handler(record -> done.countDown())
              .build()) {
        long start = System.nanoTime();
        runner.start();
        if (!done.await(5, TimeUnit.MINUTES)) {
          throw new IllegalStateException(strategy + " did not finish: " + runner.state());
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        long limit = (long) registry.get(ConsumerMeters.IN_FLIGHT_LIMIT).gauge().value();
        results.add(new Result(strategy, records, took, limit));
      }
    }
    return results;
  }
}
