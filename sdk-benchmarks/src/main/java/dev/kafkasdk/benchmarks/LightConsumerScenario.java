package dev.kafkasdk.benchmarks;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.consumer.Strategy;
import dev.kafkasdk.test.KafkaCluster;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;

/**
 * Scenario 2: a handler that only counts, over a preloaded 6-partition topic; the runner's overhead
 * against a raw single-consumer poll loop, and against the peers users would pick instead: each
 * multi-worker ordering against Confluent's Parallel Consumer in the same ordering, and
 * thread-per-partition against Spring Kafka's listener container ({@code -vs-} ratio lines).
 */
final class LightConsumerScenario implements Scenario {
  static final int PARTITIONS = 6;
  static final int WORKERS = 4;
  static final int KEYS = 1_000;
  static final int MANY_KEYS = 100_000;

  /** The suffix of the variants whose in-flight limits never pause a partition. */
  static final String DEEP = "-deep";

  private final KafkaCluster kafka;
  private final TrialCount count;

  /** What each topic holds: the most a trial can read. */
  private final long filled;

  /** The longest a peer's trial runs after its first record; the SDK's take about a second. */
  private final Duration peerCap;

  private final boolean quick;

  private final String topic = Workloads.freshName("light");
  // The same records keyed over 100,000 keys: KEY ordering with about one record per key per poll.
  private final String manyKeysTopic = Workloads.freshName("light-keys");

  LightConsumerScenario(KafkaCluster kafka, BenchSettings settings) {
    this.kafka = kafka;
    // Quick trials of 200,000 records lasted under 100 ms: one pause swung a ratio by half.
    // Quick mode raises that to about a second of the raw loop's warm-up rate (ratio lines moved
    // with a raw trial of 145-250 ms), at most the 3,000,000 records each topic holds (0.4 s at the
    // fastest raw rate seen, 7 million/s; a fuller topic costs every SDK trial as much again).
    long records = settings.pick(2_000_000, 1_000_000);
    this.filled = settings.quick() ? 3_000_000 : records;
    this.count = TrialCount.of(settings, records, filled);
    // A peer far slower than the raw loop would take minutes per trial; its rate settles sooner.
    this.peerCap = Duration.ofSeconds(settings.pick(10, 2));
    this.quick = settings.quick();
  }

  @Override
  public String name() {
    return "consumer-light";
  }

  @Override
  public String description() {
    return String.format(
        "%,d records of 100 bytes%s on %d partitions, %,d keys (%,d for -100k-keys), handler only"
            + " counts",
        count.configured(),
        count.raises()
            ? String.format(" (measured trials up to %,d, about a second of the raw loop)", filled)
            : "",
        PARTITIONS,
        KEYS,
        MANY_KEYS);
  }

  @Override
  public boolean shortTrials() {
    return true;
  }

  @Override
  public boolean higherIsBetter() {
    return true;
  }

  @Override
  public void prepare() throws Exception {
    Workloads.fill(kafka, topic, PARTITIONS, filled, 100, KEYS);
    Workloads.fill(kafka, manyKeysTopic, PARTITIONS, filled, 100, MANY_KEYS);
  }

  @Override
  public List<Variant> variants() {
    List<Variant> all =
        List.of(
            new Variant(
                "raw-poll-loop",
                true,
                round -> {
                  RawBaselines.Sink sink = new RawBaselines.Sink();
                  Trial trial =
                      RawBaselines.pollLoop(
                          Workloads.consumerSettings(kafka, Workloads.freshName("raw")),
                          topic,
                          count.forRound(round),
                          sink::accept);
                  count.observeBaseline(round, trial.value());
                  return trial;
                }),
            // The floor of any hand-off: the raw consumer with a fixed pool of as many workers
            // as the SDK's, waiting for each poll's records before it may commit.
            new Variant("raw-worker-pool", false, this::rawWorkerPool),
            new Variant(
                "thread-per-partition",
                false,
                round -> sdk(round, Strategy.threadPerPartition(PARTITIONS))),
            new Variant(
                "multi-worker-partition",
                false,
                round -> sdk(round, Strategy.multiWorker(WORKERS, Ordering.PARTITION))),
            new Variant(
                "multi-worker-key",
                false,
                round -> sdk(round, Strategy.multiWorker(WORKERS, Ordering.KEY))),
            // Issue 16's hypothesis: limits so large that no partition is ever paused for
            // back-pressure (the whole topic may be in flight), against the defaults above.
            new Variant(
                "multi-worker-partition-deep",
                false,
                round -> sdkDeep(round, Strategy.multiWorker(WORKERS, Ordering.PARTITION))),
            new Variant(
                "multi-worker-key-deep",
                false,
                round -> sdkDeep(round, Strategy.multiWorker(WORKERS, Ordering.KEY))),
            new Variant(
                "multi-worker-unordered-deep",
                false,
                round -> sdkDeep(round, Strategy.multiWorker(WORKERS, Ordering.UNORDERED))),
            new Variant(
                "multi-worker-key-100k-keys",
                false,
                round ->
                    sdk(
                        round,
                        manyKeysTopic,
                        Strategy.multiWorker(WORKERS, Ordering.KEY),
                        ObservationRegistry.NOOP)),
            new Variant(
                "multi-worker-unordered",
                false,
                round -> sdk(round, Strategy.multiWorker(WORKERS, Ordering.UNORDERED))),
            new Variant(
                "multi-worker-unordered-traced",
                false,
                round -> {
                  try (TracingRegistry tracing = new TracingRegistry()) {
                    return sdk(
                        round,
                        Strategy.multiWorker(WORKERS, Ordering.UNORDERED),
                        tracing.registry());
                  }
                }),
            // The peers users would pick instead (docs/benchmarks.md, "Against other libraries"):
            // Confluent's Parallel Consumer with as many threads as the SDK's workers, in each
            // ordering, and Spring Kafka's container with a consumer per partition.
            new Variant("pc-partition", false, round -> pc(round, "PARTITION")),
            new Variant("pc-key", false, round -> pc(round, "KEY")),
            new Variant("pc-unordered", false, round -> pc(round, "UNORDERED")),
            new Variant(
                "spring-kafka",
                false,
                round ->
                    PeerTrials.light(
                        kafka,
                        topic,
                        count.forRound(round),
                        KEYS,
                        true,
                        name() + "/spring-kafka",
                        peerCap,
                        SpringKafkaRuns.factory(PARTITIONS),
                        SpringKafkaRuns::threads)));
    // The traced variant measures the tracer (about a tenth of the untraced rate, seconds per
    // trial): full mode only, so quick mode stays near seven minutes.
    return quick ? all.stream().filter(v -> !v.name().endsWith("-traced")).toList() : all;
  }

  @Override
  public boolean quickOnlyWhenNamed(String variant) {
    return variant.endsWith(DEEP);
  }

  @Override
  public Optional<String> comparedWith(String variant) {
    return Optional.ofNullable(
        switch (variant) {
          case "multi-worker-partition-deep" -> "multi-worker-partition";
          case "multi-worker-key-deep" -> "multi-worker-key";
          case "multi-worker-unordered-deep" -> "multi-worker-unordered";
          case "multi-worker-partition" -> "pc-partition";
          case "multi-worker-key" -> "pc-key";
          case "multi-worker-unordered" -> "pc-unordered";
          case "thread-per-partition" -> "spring-kafka";
          default -> null;
        });
  }

  @Override
  public List<String> alsoComparedWith(String variant) {
    return variant.startsWith("multi-worker-") && !variant.endsWith("-traced")
        ? List.of("raw-worker-pool")
        : List.of();
  }

  private Trial rawWorkerPool(int round) throws Exception {
    long records = count.forRound(round);
    LongAdder handled = new LongAdder();
    LongAdder bytes = new LongAdder();
    AtomicLong first = new AtomicLong();
    String group = Workloads.freshName("raw-pool");
    // The same handler as the SDK variants'.
    Trial trial =
        RawBaselines.workerPoolLoop(
            Workloads.consumerSettings(kafka, group),
            topic,
            records,
            WORKERS,
            group,
            record -> {
              if (first.get() == 0) {
                first.compareAndSet(0, System.nanoTime());
              }
              handled.increment();
              bytes.add(record.serializedValueSize());
            },
            first::get,
            bytes::sum);
    // The loop stops after the poll that reaches the count, so it may handle a few more.
    if (handled.sum() < records) {
      throw new IllegalStateException(
          "raw-worker-pool handled " + handled.sum() + " records of " + records);
    }
    if (handled.sum() == filled) {
      GroupPositions.requireCommittedAtEnd(kafka, group, topic);
    } else {
      GroupPositions.requireCommittedTotal(
          GroupPositions.committedOffsets(kafka, group), handled.sum(), "raw-worker-pool");
    }
    return trial;
  }

  private Trial pc(int round, String ordering) throws Exception {
    return PeerTrials.light(
        kafka,
        topic,
        count.forRound(round),
        KEYS,
        !ordering.equals("UNORDERED"),
        name() + "/pc-" + ordering,
        peerCap,
        ParallelConsumerRuns.factory(ordering, WORKERS),
        ParallelConsumerRuns::threads);
  }

  private Trial sdk(int round, Strategy strategy) {
    return sdk(round, strategy, ObservationRegistry.NOOP);
  }

  private Trial sdk(int round, Strategy strategy, ObservationRegistry observations) {
    return sdk(round, topic, strategy, observations, b -> b);
  }

  private Trial sdk(int round, String source, Strategy strategy, ObservationRegistry observations) {
    return sdk(round, source, strategy, observations, b -> b);
  }

  /**
   * The runner with {@code maxInFlight} and {@code maxInFlightPerPartition} both at what the topic
   * holds ({@link #deepLimit}): the whole topic may be in flight, so back-pressure never pauses a
   * partition and the consumer keeps fetching every partition.
   */
  private Trial sdkDeep(int round, Strategy strategy) {
    int limit = deepLimit(filled);
    return sdk(
        round,
        topic,
        strategy,
        ObservationRegistry.NOOP,
        b -> b.maxInFlight(limit).maxInFlightPerPartition(limit));
  }

  /** In-flight limits that a trial of {@code records} records can never reach. */
  static int deepLimit(long records) {
    return Math.toIntExact(records);
  }

  /**
   * One trial of the runner; with a tracing registry each handler call is a span (the records carry
   * no trace context, so each is a root span: the tracer's full cost, sampled always).
   */
  private Trial sdk(
      int round,
      String source,
      Strategy strategy,
      ObservationRegistry observations,
      UnaryOperator<ConsumerRunner.Builder<byte[], byte[]>> options) {
    long records = count.forRound(round);
    LongAdder handled = new LongAdder();
    LongAdder bytes = new LongAdder();
    AtomicLong first = new AtomicLong();
    String group = Workloads.freshName("sdk");
    MeterRegistry meters = new SimpleMeterRegistry();
    PauseSamples pauses = new PauseSamples(meters);
    try (ConsumerRunner<byte[], byte[]> runner =
        SdkRunners.runner(
            Workloads.consumerSettings(kafka, group),
            source,
            strategy,
            record -> {
              if (first.get() == 0) {
                first.compareAndSet(0, System.nanoTime());
              }
              handled.increment();
              bytes.add(record.serializedValueSize());
            },
            observations,
            meters,
            options)) {
      long started = System.nanoTime();
      runner.start();
      SdkRunners.awaitCount(handled::sum, 1, Duration.ofMinutes(10));
      // The runner is named after its group, and so are its threads.
      CpuPerRecord cpu = CpuPerRecord.ofRunner(group, handled.sum());
      // The runner's consumers are named after it (<group>-N, <group>-keyorder).
      FetchCounts fetches = FetchCounts.start(group);
      SdkRunners.awaitCount(handled::sum, records, Duration.ofMinutes(10), pauses::sample);
      long ended = System.nanoTime();
      Trial trial =
          cpu.addTo(
              Trial.consumed(handled.sum(), bytes.sum(), started, first.get(), ended),
              handled.sum());
      return pauses.addTo(fetches.addTo(trial));
    }
  }
}
