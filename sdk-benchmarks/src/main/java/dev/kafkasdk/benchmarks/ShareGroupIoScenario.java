package dev.kafkasdk.benchmarks;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.consumer.Strategy;
import dev.kafkasdk.test.KafkaCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The I/O-bound handler (5 ms per record, simulated by sleeping; 12 partitions, 1,000 keys) read by
 * a share group ({@code Strategy.shareGroup}: 4 share consumers, the workers split between them)
 * and by the consumer group's multi-worker UNORDERED runner, at 64, 256 and 1,000 workers. Both
 * promise no order, so they do the same job; the ratio is to the computed ideal {@code workers / 5
 * ms}, and a {@code -vs-} ratio line compares the two at each size.
 *
 * <p>Every trial checks that no record was lost: after the runner closed, every record below the
 * group's position (the share-partition start offset of each partition, below which Kafka counts
 * every record acknowledged; the consumer group's committed offset) must have been handled.
 */
final class ShareGroupIoScenario implements Scenario {
  static final int PARTITIONS = IoBoundScenario.PARTITIONS;
  static final int KEYS = IoBoundScenario.KEYS;
  static final int CONSUMERS = 4;
  static final int[] WORKERS = {64, 256, 1_000};

  private final KafkaCluster kafka;
  private final Duration warmup;
  private final Duration window;
  private final long cap;
  private final String topic = Workloads.freshName("share-io");
  private long[] endOffsets;

  ShareGroupIoScenario(KafkaCluster kafka, BenchSettings settings) {
    this.kafka = kafka;
    this.warmup = Duration.ofSeconds(settings.pick(5, 2));
    // Half the io-bound scenario's window: six variants of three rounds would otherwise add 11
    // minutes to a full run; a 15 s window still counts tens of thousands of records per trial.
    this.window = Duration.ofSeconds(settings.pick(15, 5));
    // The ideal at 1,000 workers is 200,000 records/s, far above what a 2-core machine reaches;
    // filling for it would write gigabytes. A trial that runs out of records fails instead.
    // Quick mode: multi-worker-unordered-1000 reached 100,000 records/s over a 2 s warm-up and a 5
    // s
    // window, more than 600,000 records.
    this.cap = settings.pick(3_000_000, 1_000_000);
  }

  /** Not in a quick run unless named: see {@link Scenario#inQuickRun()}. */
  @Override
  public boolean inQuickRun() {
    return false;
  }

  @Override
  public String name() {
    return "share-group-io";
  }

  @Override
  public String description() {
    return String.format(
        "handler sleeps %d ms, %d partitions, %,d keys, share group (%d consumers) vs consumer"
            + " group UNORDERED, measured over %d s after %d s warm-up; ratio = fraction of the"
            + " ideal",
        IoBoundScenario.HANDLER_MICROS / 1000,
        PARTITIONS,
        KEYS,
        CONSUMERS,
        window.toSeconds(),
        warmup.toSeconds());
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
    long needed = (long) (IoBoundScenario.ideal(WORKERS[WORKERS.length - 1], KEYS) * seconds);
    Workloads.fill(kafka, topic, PARTITIONS, Math.min(needed, cap), 100, KEYS);
    endOffsets = Workloads.endOffsets(kafka, topic);
  }

  @Override
  public double computedBaseline(String variant) {
    return IoBoundScenario.ideal(workers(variant), Integer.MAX_VALUE);
  }

  @Override
  public Optional<String> comparedWith(String variant) {
    return variant.startsWith("share-group-")
        ? Optional.of("multi-worker-unordered-" + workers(variant))
        : Optional.empty();
  }

  private static int workers(String variant) {
    return Integer.parseInt(variant.substring(variant.lastIndexOf('-') + 1));
  }

  @Override
  public List<Variant> variants() {
    List<Variant> variants = new ArrayList<>();
    for (int workers : WORKERS) {
      variants.add(
          new Variant(
              "multi-worker-unordered-" + workers,
              false,
              round -> run(Strategy.multiWorker(workers, Ordering.UNORDERED), workers, false)));
      variants.add(
          new Variant(
              "share-group-" + workers,
              false,
              round ->
                  run(
                      Strategy.shareGroup(CONSUMERS, Math.max(1, workers / CONSUMERS)),
                      workers,
                      true)));
    }
    return variants;
  }

  private Trial run(Strategy strategy, int workers, boolean share) throws Exception {
    HandledOffsets handled = new HandledOffsets(endOffsets);
    String group = Workloads.freshName("share-io-group");
    Map<String, Object> config;
    if (share) {
      GroupPositions.readFromEarliest(kafka, group);
      config = GroupPositions.shareSettings(kafka, group);
    } else {
      config = Workloads.consumerSettings(kafka, group);
    }
    ConsumerRunner.Builder<byte[], byte[]> builder =
        ConsumerRunner.builder(new ByteArrayDeserializer(), new ByteArrayDeserializer())
            .properties(config)
            .topics(topic)
            .strategy(strategy)
            .meterRegistry(new SimpleMeterRegistry())
            .handler(
                record -> {
                  TimeUnit.MICROSECONDS.sleep(IoBoundScenario.HANDLER_MICROS);
                  handled.mark(record.partition(), record.offset());
                });
    if (!share) {
      // As in the io-bound scenario: enough in flight to keep every worker busy.
      builder
          .maxInFlight(Math.max(1000, workers * 8))
          .maxInFlightPerPartition(Math.max(500, workers * 8 / PARTITIONS + 1));
    }
    long count;
    long elapsed;
    try (ConsumerRunner<byte[], byte[]> runner = builder.build()) {
      runner.start();
      // Both kinds of group start their window once records flow: a share group has no
      // assignment to wait for that says its members are ready.
      SdkRunners.await(handled::distinct, 1, "records handled", Duration.ofMinutes(2));
      Workloads.park(warmup);
      long startCount = handled.distinct();
      long started = System.nanoTime();
      Workloads.park(window);
      elapsed = System.nanoTime() - started;
      count = handled.distinct() - startCount;
    }
    long total = 0;
    for (long end : endOffsets) {
      total += end;
    }
    if (handled.distinct() >= total) {
      throw new IllegalStateException(
          "the trial ran out of records (" + total + "): raise the fill of " + name());
    }
    Map<Integer, Long> positions =
        share
            ? GroupPositions.shareStartOffsets(kafka, group, topic)
            : GroupPositions.committedOffsets(kafka, group);
    handled.requireNoneLostBelow(positions, name() + " " + strategy);
    Trial trial = Trial.throughput(count, count * 100L, elapsed);
    return new Trial(
        trial.value(),
        trial.unit(),
        Map.of(
            "workers",
            (double) workers,
            "ideal",
            IoBoundScenario.ideal(workers, Integer.MAX_VALUE),
            "checked_below",
            (double) positions.values().stream().mapToLong(Long::longValue).sum()));
  }
}
