package dev.kafkasdk.benchmarks;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.consumer.Strategy;
import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.test.KafkaCluster;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Scenario 4: end-to-end latency, from {@code send()} to the start of the handler, at a fixed
 * moderate rate; SDK producer and runner vs a raw producer and poll loop. Producer and consumer
 * share the JVM, so one {@link System#nanoTime()} clock stamps both ends.
 */
final class LatencyScenario implements Scenario {
  static final int RATE = 2_000;
  static final String SENT_AT = "sent-at-nanos";

  /** The untimed warm-up trial's length: enough to compile the send and handle paths. */
  static final Duration WARM_UP = Duration.ofSeconds(2);

  private final KafkaCluster kafka;
  private final Duration duration;
  private final int rounds;

  LatencyScenario(KafkaCluster kafka, BenchSettings settings) {
    this.kafka = kafka;
    // Quick mode used to take the median of two 6 s trials: one 50 ms stall (a collection, the
    // broker's log roll, another process) in one of them doubled the p99. Five shorter rounds and
    // the median of per-round ratios outvote a stall in up to two rounds.
    this.duration = Duration.ofSeconds(settings.pick(20, 3));
    this.rounds = settings.quick() ? Math.max(settings.rounds(), 5) : settings.rounds();
  }

  @Override
  public int rounds(BenchSettings settings) {
    return rounds;
  }

  /** One short untimed trial per variant, so a fresh JVM's first timed trial is not compiling. */
  @Override
  public boolean steadyWarmUp() {
    return false;
  }

  @Override
  public String name() {
    return "latency";
  }

  @Override
  public String description() {
    return String.format(
        "%,d records/s for %d s, send to handler start; headline p99 (ms)",
        RATE, duration.toSeconds());
  }

  @Override
  public boolean higherIsBetter() {
    return false;
  }

  @Override
  public void prepare() {}

  @Override
  public List<Variant> variants() {
    return List.of(
        new Variant("raw", true, round -> raw(length(round))),
        new Variant("sdk", false, round -> sdk(length(round))));
  }

  /** The trial's length: {@link #WARM_UP} for the untimed warm-up (round -1). */
  private Duration length(int round) {
    return round < 0 ? WARM_UP : duration;
  }

  private String topic() {
    String topic = Workloads.freshName("latency");
    kafka.createTopic(topic, 6, 1);
    return topic;
  }

  private Trial raw(Duration length) throws Exception {
    String topic = topic();
    Recorder recorder = new Recorder(3);
    AtomicBoolean stop = new AtomicBoolean();
    LongAdder seen = new LongAdder();
    Thread consumer =
        new Thread(
            () ->
                RawBaselines.pollLoop(
                    Workloads.consumerSettings(kafka, Workloads.freshName("lat-raw")),
                    topic,
                    expected(length),
                    record -> {
                      observe(record, recorder);
                      seen.increment();
                    }),
            "latency-raw-consumer");
    consumer.start();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Workloads.producerSettings(kafka), new StringSerializer(), new ByteArraySerializer())) {
      pace(topic, record -> producer.send(record), stop, length);
    }
    SdkRunners.awaitCount(seen::sum, expected(length), Duration.ofMinutes(2));
    consumer.join();
    return summarize(recorder.getIntervalHistogram());
  }

  private Trial sdk(Duration length) {
    String topic = topic();
    Recorder recorder = new Recorder(3);
    LongAdder seen = new LongAdder();
    Map<String, Object> settings =
        Workloads.consumerSettings(kafka, Workloads.freshName("lat-sdk"));
    try (ConsumerRunner<byte[], byte[]> runner =
            SdkRunners.runner(
                settings,
                topic,
                Strategy.multiWorker(8, Ordering.KEY),
                record -> {
                  observe(record, recorder);
                  seen.increment();
                });
        ReliableProducer<String, byte[]> producer =
            ReliableProducer.builder(new StringSerializer(), new ByteArraySerializer())
                .properties(Workloads.producerSettings(kafka))
                .build()) {
      runner.start();
      pace(topic, producer::send, new AtomicBoolean(), length);
      SdkRunners.awaitCount(seen::sum, expected(length), Duration.ofMinutes(2));
    }
    return summarize(recorder.getIntervalHistogram());
  }

  private static long expected(Duration length) {
    return RATE * length.toMillis() / 1000;
  }

  /** Sends at a fixed rate; each record carries its send time. */
  private void pace(
      String topic,
      Consumer<ProducerRecord<String, byte[]>> send,
      AtomicBoolean stop,
      Duration length) {
    long interval = 1_000_000_000L / RATE;
    long start = System.nanoTime();
    byte[] value = Workloads.payload(100);
    for (long i = 0; i < expected(length) && !stop.get(); i++) {
      long due = start + i * interval;
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      ProducerRecord<String, byte[]> record =
          new ProducerRecord<>(topic, "key-" + (i % 1000), value);
      record.headers().add(SENT_AT, ByteBuffer.allocate(8).putLong(System.nanoTime()).array());
      send.accept(record);
    }
  }

  private static void observe(ConsumerRecord<byte[], byte[]> record, Recorder recorder) {
    Header header = record.headers().lastHeader(SENT_AT);
    long sent = ByteBuffer.wrap(header.value()).getLong();
    recorder.recordValue(Math.max(0, (System.nanoTime() - sent) / 1000));
  }

  private static Trial summarize(Histogram micros) {
    return new Trial(
        micros.getValueAtPercentile(99) / 1000.0,
        "ms (p99)",
        Map.of(
            "p50_ms", micros.getValueAtPercentile(50) / 1000.0,
            "p999_ms", micros.getValueAtPercentile(99.9) / 1000.0,
            "max_ms", micros.getMaxValue() / 1000.0));
  }
}
