package dev.kafkasdk.benchmarks;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.consumer.Strategy;
import dev.kafkasdk.test.KafkaCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Scenario 3: an I/O-bound handler (5 ms per record, simulated by sleeping) over 12 partitions and
 * 1,000 keys. It shows that thread-per-partition caps parallelism at the partition count, a
 * key-ordered worker pool at the key count. The baseline is computed, not measured: the ideal
 * throughput {@code min(workers, cap) / 5 ms}.
 */
final class IoBoundScenario implements Scenario {
  static final int PARTITIONS = 12;
  static final int KEYS = 1_000;
  static final long HANDLER_MICROS = 5_000;
  static final int[] WORKERS = {16, 64, 256};

  /** Confluent Parallel Consumer's {@code maxConcurrency} in the {@code pc-key-<n>} variants. */
  static final int[] PC_WORKERS = {64, 256, 1_000};

  private final KafkaCluster kafka;
  private final Duration warmup;
  private final Duration window;
  private final String topic = Workloads.freshName("io");

  IoBoundScenario(KafkaCluster kafka, BenchSettings settings) {
    this.kafka = kafka;
    this.warmup = Duration.ofSeconds(settings.pick(5, 2));
    this.window = Duration.ofSeconds(settings.pick(30, 5));
  }

  @Override
  public String name() {
    return "io-bound";
  }

  @Override
  public String description() {
    return String.format(
        "handler sleeps %d ms, %d partitions, %,d keys, measured over %d s after %d s warm-up;"
            + " ratio = fraction of the ideal",
        HANDLER_MICROS / 1000, PARTITIONS, KEYS, window.toSeconds(), warmup.toSeconds());
  }

  @Override
  public boolean warmUp() {
    return false;
  }

  @Override
  public boolean higherIsBetter() {
    return true;
  }

  @Override
  public void prepare() throws Exception {
    double seconds = warmup.toSeconds() + window.toSeconds() + 2;
    long needed = (long) (ideal(WORKERS[WORKERS.length - 1], KEYS) * seconds);
    Workloads.fill(kafka, topic, PARTITIONS, needed, 100, KEYS);
  }

  /** Ideal records/s with {@code parallelism} handlers, capped by {@code cap} lanes. */
  static double ideal(int parallelism, int cap) {
    return Math.min(parallelism, cap) * (1_000_000.0 / HANDLER_MICROS);
  }

  @Override
  public double computedBaseline(String variant) {
    if (variant.equals("thread-per-partition") || variant.equals("spring-kafka")) {
      return ideal(PARTITIONS, PARTITIONS);
    }
    int workers = Integer.parseInt(variant.substring(variant.lastIndexOf('-') + 1));
    return variant.contains("-key-") ? ideal(workers, KEYS) : ideal(workers, Integer.MAX_VALUE);
  }

  @Override
  public List<Variant> variants() {
    List<Variant> variants = new ArrayList<>();
    variants.add(
        new Variant(
            "thread-per-partition",
            false,
            round -> run(Strategy.threadPerPartition(PARTITIONS), PARTITIONS)));
    for (int workers : WORKERS) {
      variants.add(
          new Variant(
              "multi-worker-key-" + workers,
              false,
              round -> run(Strategy.multiWorker(workers, Ordering.KEY), workers)));
      variants.add(
          new Variant(
              "multi-worker-unordered-" + workers,
              false,
              round -> run(Strategy.multiWorker(workers, Ordering.UNORDERED), workers)));
    }
    // The peers (docs/benchmarks.md, "Against other libraries"), checked for loss and key order.
    for (int workers : PC_WORKERS) {
      String name = "pc-key-" + workers;
      variants.add(
          new Variant(
              name,
              false,
              round ->
                  PeerTrials.ioBound(
                      kafka,
                      topic,
                      PARTITIONS,
                      KEYS,
                      true,
                      workers,
                      computedBaseline(name),
                      warmup,
                      window,
                      name() + "/" + name,
                      ParallelConsumerRuns.factory("KEY", workers))));
    }
    variants.add(
        new Variant(
            "spring-kafka",
            false,
            round ->
                PeerTrials.ioBound(
                    kafka,
                    topic,
                    PARTITIONS,
                    KEYS,
                    true,
                    PARTITIONS,
                    computedBaseline("spring-kafka"),
                    warmup,
                    window,
                    name() + "/spring-kafka",
                    SpringKafkaRuns.factory(PARTITIONS))));
    return variants;
  }

  @Override
  public Optional<String> comparedWith(String variant) {
    if (variant.equals("thread-per-partition")) {
      return Optional.of("spring-kafka");
    }
    return variant.startsWith("multi-worker-key-")
        ? Optional.of("pc-key-" + variant.substring("multi-worker-key-".length()))
        : Optional.empty();
  }

  private Trial run(Strategy strategy, int workers) {
    LongAdder handled = new LongAdder();
    Map<String, Object> config = Workloads.consumerSettings(kafka, Workloads.freshName("io"));
    try (ConsumerRunner<byte[], byte[]> runner =
        ConsumerRunner.builder(
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())
            .properties(config)
            .topics(topic)
            .strategy(strategy)
            // Enough in flight to keep every worker busy; the SDK default (1000) would cap 256
            // workers at 1000 / 5 ms regardless, which is the point of making it configurable.
            .maxInFlight(Math.max(1000, workers * 8))
            .maxInFlightPerPartition(Math.max(500, workers * 8 / PARTITIONS + 1))
            .meterRegistry(new io.micrometer.core.instrument.simple.SimpleMeterRegistry())
            .handler(
                record -> {
                  TimeUnit.MICROSECONDS.sleep(HANDLER_MICROS);
                  handled.increment();
                })
            .build()) {
      runner.start();
      // The warm-up starts once the group owns every partition: joining twelve consumers can take
      // seconds, and a join still running inside a short window halved a quick-mode trial.
      SdkRunners.await(
          () -> runner.assignment().size(),
          PARTITIONS,
          "partitions assigned",
          Duration.ofMinutes(2));
      park(warmup);
      long startCount = handled.sum();
      long started = System.nanoTime();
      park(window);
      long elapsed = System.nanoTime() - started;
      long count = handled.sum() - startCount;
      Trial trial = Trial.throughput(count, count * 100L, elapsed);
      return new Trial(
          trial.value(),
          trial.unit(),
          Map.of(
              "workers",
              (double) workers,
              "ideal",
              computedBaseline(
                  strategy instanceof Strategy.ThreadPerPartition
                      ? "thread-per-partition"
                      : (((Strategy.MultiWorker) strategy).ordering() == Ordering.KEY
                              ? "multi-worker-key-"
                              : "multi-worker-unordered-")
                          + workers)));
    }
  }

  private static void park(Duration duration) {
    long deadline = System.nanoTime() + duration.toNanos();
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
    }
  }
}
