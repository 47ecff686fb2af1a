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

  private final KafkaCluster kafka;
  private final Duration duration;

  LatencyScenario(KafkaCluster kafka, BenchSettings settings) {
    this.kafka = kafka;
    this.duration = Duration.ofSeconds(settings.pick(20, 6));
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
  public boolean warmUp() {
    return false;
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
        new Variant("raw", true, round -> raw()), new Variant("sdk", false, round -> sdk()));
  }

  private String topic() {
    String topic = Workloads.freshName("latency");
    kafka.createTopic(topic, 6, 1);
    return topic;
  }

  private Trial raw() throws Exception {
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
                    expected(),
                    record -> {
                      observe(record, recorder);
                      seen.increment();
                    }),
            "latency-raw-consumer");
    consumer.start();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Workloads.producerSettings(kafka), new StringSerializer(), new ByteArraySerializer())) {
      pace(topic, record -> producer.send(record), stop);
    }
    SdkRunners.awaitCount(seen::sum, expected(), Duration.ofMinutes(2));
    consumer.join();
    return summarize(recorder.getIntervalHistogram());
  }

  private Trial sdk() {
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
      pace(topic, producer::send, new AtomicBoolean());
      SdkRunners.awaitCount(seen::sum, expected(), Duration.ofMinutes(2));
    }
    return summarize(recorder.getIntervalHistogram());
  }

  private long expected() {
    return (long) RATE * duration.toSeconds();
  }

  /** Sends at a fixed rate; each record carries its send time. */
  private void pace(
      String topic, Consumer<ProducerRecord<String, byte[]>> send, AtomicBoolean stop) {
    long interval = 1_000_000_000L / RATE;
    long start = System.nanoTime();
    byte[] value = Workloads.payload(100);
    for (long i = 0; i < expected() && !stop.get(); i++) {
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
