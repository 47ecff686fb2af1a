package dev.kafkasdk.benchmarks;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.consumer.Strategy;
import dev.kafkasdk.test.KafkaCluster;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A handler that only marks its record, over a preloaded 6-partition topic, read by a share group
 * and by a consumer group: the share-group runner ({@code Strategy.shareGroup(1, 4)}) against the
 * raw consumer-group poll loop (the baseline, as in {@code consumer-light}), with a raw share
 * consumer's poll loop (implicit acknowledgement) and the consumer group's multi-worker UNORDERED
 * runner for reference. A {@code -vs-} ratio line compares the share-group runner with the raw
 * share poll loop: the SDK's own cost, apart from what the share protocol costs the broker.
 *
 * <p>Each trial ends when every record was handled at least once, counted by distinct offset
 * ({@link HandledOffsets}), so a record lost would stall the trial and a redelivered one does not
 * count twice.
 */
final class ShareGroupLightScenario implements Scenario {
  static final int PARTITIONS = LightConsumerScenario.PARTITIONS;
  static final int WORKERS = LightConsumerScenario.WORKERS;

  private final KafkaCluster kafka;
  private final long records;
  private final String topic = Workloads.freshName("share-light");
  private long[] endOffsets;

  ShareGroupLightScenario(KafkaCluster kafka, BenchSettings settings) {
    this.kafka = kafka;
    this.records = settings.pick(1_000_000, 200_000);
  }

  /** Not in a quick run unless named: see {@link Scenario#inQuickRun()}. */
  @Override
  public boolean inQuickRun() {
    return false;
  }

  @Override
  public String name() {
    return "share-group-light";
  }

  @Override
  public String description() {
    return String.format(
        "%,d records of 100 bytes on %d partitions, handler only marks its record; share group vs"
            + " consumer group",
        records, PARTITIONS);
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
    Workloads.fill(kafka, topic, PARTITIONS, records, 100, 1000);
    endOffsets = Workloads.endOffsets(kafka, topic);
  }

  @Override
  public Optional<String> comparedWith(String variant) {
    return variant.equals("share-group") ? Optional.of("raw-share-poll-loop") : Optional.empty();
  }

  @Override
  public List<Variant> variants() {
    return List.of(
        new Variant(
            "raw-poll-loop",
            true,
            round -> {
              HandledOffsets handled = new HandledOffsets(endOffsets);
              Trial trial =
                  RawBaselines.pollLoop(
                      Workloads.consumerSettings(kafka, Workloads.freshName("raw")),
                      topic,
                      records,
                      record -> handled.mark(record.partition(), record.offset()));
              requireAll(handled, "raw-poll-loop");
              return trial;
            }),
        new Variant(
            "raw-share-poll-loop",
            false,
            round -> {
              String group = Workloads.freshName("raw-share");
              GroupPositions.readFromEarliest(kafka, group);
              HandledOffsets handled = new HandledOffsets(endOffsets);
              return RawBaselines.sharePollLoop(
                  GroupPositions.shareSettings(kafka, group),
                  topic,
                  records,
                  handled,
                  record -> {});
            }),
        new Variant(
            "multi-worker-unordered",
            false,
            round -> sdk(Strategy.multiWorker(WORKERS, Ordering.UNORDERED), false)),
        new Variant("share-group", false, round -> sdk(Strategy.shareGroup(1, WORKERS), true)));
  }

  private Trial sdk(Strategy strategy, boolean share) throws Exception {
    HandledOffsets handled = new HandledOffsets(endOffsets);
    LongAdder bytes = new LongAdder();
    AtomicLong first = new AtomicLong();
    String group = Workloads.freshName("sdk");
    if (share) {
      GroupPositions.readFromEarliest(kafka, group);
    }
    try (ConsumerRunner<byte[], byte[]> runner =
        SdkRunners.runner(
            share
                ? GroupPositions.shareSettings(kafka, group)
                : Workloads.consumerSettings(kafka, group),
            topic,
            strategy,
            record -> {
              if (first.get() == 0) {
                first.compareAndSet(0, System.nanoTime());
              }
              if (handled.mark(record.partition(), record.offset())) {
                bytes.add(record.serializedValueSize());
              }
            })) {
      long started = System.nanoTime();
      runner.start();
      SdkRunners.awaitCount(handled::distinct, 1, Duration.ofMinutes(10));
      // The runner is named after its group, and so are its threads.
      CpuPerRecord cpu =
          share
              ? CpuPerRecord.ofShareRunner(group, handled.distinct())
              : CpuPerRecord.ofRunner(group, handled.distinct());
      SdkRunners.awaitCount(handled::distinct, records, Duration.ofMinutes(10));
      long ended = System.nanoTime();
      return cpu.addTo(
          Trial.consumed(handled.distinct(), bytes.sum(), started, first.get(), ended),
          handled.distinct());
    }
  }

  private void requireAll(HandledOffsets handled, String variant) {
    if (handled.distinct() != records) {
      throw new IllegalStateException(
          variant + " handled " + handled.distinct() + " distinct records of " + records);
    }
  }
}
