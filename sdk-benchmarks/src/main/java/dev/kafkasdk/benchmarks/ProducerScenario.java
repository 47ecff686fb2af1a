package dev.kafkasdk.benchmarks;

import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.producer.TransactionalProducer;
import dev.kafkasdk.test.KafkaCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Scenario 1: producing 100-byte records with {@code acks=all}, idempotent or transactional with a
 * commit every 1,000 records; SDK vs raw {@code KafkaProducer} with identical settings.
 */
final class ProducerScenario implements Scenario {
  static final int VALUE_SIZE = 100;
  static final int PER_TRANSACTION = 1_000;

  private final KafkaCluster kafka;
  private final boolean transactional;
  private final TrialCount count;

  /** The SDK producer with a recording meter registry. */
  static final String METERED = "sdk-idempotent-metered";

  /** The SDK producer with a tracer observing each send. */
  static final String TRACED = "sdk-idempotent-traced";

  private final byte[] value = Workloads.payload(VALUE_SIZE);

  ProducerScenario(KafkaCluster kafka, BenchSettings settings, boolean transactional) {
    this.kafka = kafka;
    this.transactional = transactional;
    // Quick idempotent trials of 200,000 records lasted a third of a second: too short to agree
    // from run to run. A transactional trial of 200,000 already lasts over a second.
    int records =
        transactional ? settings.pick(1_000_000, 200_000) : settings.pick(1_000_000, 500_000);
    // Quick mode: a measured trial lasts at least about a second of the raw producer's warm-up rate
    // (500,000 records at 1.2 million/s took 0.4 s); at most 1,500,000, as the future variants keep
    // a future per record in memory.
    this.count = TrialCount.of(settings, records, Math.max(records, 1_500_000));
  }

  @Override
  public String name() {
    return transactional ? "producer-tx" : "producer";
  }

  @Override
  public String description() {
    return String.format(
        "%,d records of %d bytes%s, acks=all, %s",
        count.configured(),
        VALUE_SIZE,
        count.raises()
            ? " (measured trials: more if the raw producer's warm-up trial lasted under a second)"
            : "",
        transactional ? "a transaction per " + PER_TRANSACTION + " records" : "idempotent");
  }

  @Override
  public boolean shortTrials() {
    return true;
  }

  /**
   * Transactional trials get 9 rounds in quick mode too: two loaded quick runs gave 0.84 and 0.95
   * with 7 (a commit's round trip varies with the broker's load), and with two variants two more
   * rounds cost about 6 s.
   */
  @Override
  public int rounds(BenchSettings settings) {
    int rounds = Scenario.super.rounds(settings);
    return transactional ? Math.max(rounds, 9) : rounds;
  }

  /**
   * The metered and traced variants run in full mode, and in quick mode when named: they measure
   * what a meter registry and a tracer cost, not the SDK against raw code, and the traced one took
   * about 15 s of every quick run (its trials run at a tenth of the others' rate).
   */
  @Override
  public boolean quickOnlyWhenNamed(String variant) {
    return variant.equals(METERED) || variant.equals(TRACED);
  }

  @Override
  public boolean higherIsBetter() {
    return true;
  }

  @Override
  public void prepare() {}

  private String topic() {
    String topic = Workloads.freshName("produce");
    ScratchTopics.create(kafka, topic, 6);
    return topic;
  }

  @Override
  public List<Variant> variants() {
    if (transactional) {
      return List.of(
          new Variant(
              "raw-transactional",
              true,
              round ->
                  baseline(
                      round,
                      scratch(
                          round,
                          (topic, records) ->
                              RawBaselines.produceTransactionally(
                                  Workloads.producerSettings(kafka),
                                  topic,
                                  records,
                                  value,
                                  PER_TRANSACTION)))),
          new Variant("sdk-transactional", false, round -> scratch(round, this::sdkTransactional)));
    }
    return List.of(
        new Variant(
            "raw-idempotent",
            true,
            round ->
                baseline(
                    round,
                    checked(
                        round,
                        (topic, records) ->
                            RawBaselines.produce(
                                Workloads.producerSettings(kafka), topic, records, value)))),
        new Variant("sdk-idempotent", false, round -> checked(round, this::sdkIdempotent)),
        new Variant(METERED, false, round -> checked(round, this::sdkIdempotentMetered)),
        new Variant(
            "sdk-idempotent-future", false, round -> checked(round, this::sdkIdempotentFutures)),
        new Variant(
            TRACED,
            false,
            round -> checked(round, this::sdkIdempotentTraced, ProducerScenario::tracedRecords)),
        new Variant(
            "raw-future-callback", false, round -> checked(round, this::rawCallbackFutures)),
        new Variant("raw-future", false, round -> checked(round, this::rawFutures)));
  }

  /**
   * The raw producer's trial, whose warm-up rate sizes the measured trials ({@link TrialCount}).
   */
  private Trial baseline(int round, Trial trial) {
    count.observeBaseline(round, trial.value());
    return trial;
  }

  /**
   * The SDK's future-returning send against a raw producer given a future per record the way a user
   * would: {@code ratio producer/sdk-idempotent-future-vs-raw-future-callback} (a {@code
   * CompletableFuture} per record, completed by a per-record callback, as the SDK's is) and {@code
   * ...-vs-raw-future} (the {@code Future} that {@code KafkaProducer.send} returns).
   */
  @Override
  public Optional<String> comparedWith(String variant) {
    return variant.equals("sdk-idempotent-future")
        ? Optional.of("raw-future-callback")
        : Optional.empty();
  }

  @Override
  public List<String> alsoComparedWith(String variant) {
    return variant.equals("sdk-idempotent-future") ? List.of("raw-future") : List.of();
  }

  /**
   * A raw producer with a future per record built by hand: a {@code CompletableFuture} completed
   * from a per-record callback, every future kept and checked after the flush, like {@link
   * #sdkIdempotentFutures}.
   */
  private Trial rawCallbackFutures(String topic, int records) throws Exception {
    try (KafkaProducer<String, byte[]> producer = rawProducer()) {
      return sendKeepingFutures(
          topic,
          records,
          record -> {
            CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
            producer.send(
                record,
                (metadata, exception) -> {
                  if (exception != null) {
                    future.completeExceptionally(exception);
                  } else {
                    future.complete(metadata);
                  }
                });
            return future;
          },
          producer::flush);
    }
  }

  /**
   * A raw producer keeping the {@code Future} each {@code send} returns, checked after the flush.
   */
  private Trial rawFutures(String topic, int records) throws Exception {
    try (KafkaProducer<String, byte[]> producer = rawProducer()) {
      return sendKeepingFutures(topic, records, producer::send, producer::flush);
    }
  }

  private KafkaProducer<String, byte[]> rawProducer() {
    return new KafkaProducer<>(
        Workloads.producerSettings(kafka), new StringSerializer(), new ByteArraySerializer());
  }

  /**
   * The future-per-record loop, the same for the SDK and both raw variants: every future is kept
   * until the flush, then each must have completed without failure (what a user who asked for a
   * future does with it); the check is inside the timing, as it is part of the user's loop.
   */
  private Trial sendKeepingFutures(
      String topic,
      int records,
      Function<ProducerRecord<String, byte[]>, Future<RecordMetadata>> send,
      Runnable flush)
      throws Exception {
    List<Future<RecordMetadata>> futures = new ArrayList<>(records);
    long started = System.nanoTime();
    for (int i = 0; i < records; i++) {
      futures.add(send.apply(new ProducerRecord<>(topic, "key-" + (i % 1000), value)));
    }
    flush.run();
    for (Future<RecordMetadata> future : futures) {
      if (!future.isDone()) {
        throw new IllegalStateException("a send's future is not done after the flush");
      }
      future.get();
    }
    return Trial.throughput(records, (long) records * value.length, System.nanoTime() - started);
  }

  /**
   * Runs an idempotent trial of {@code round}'s count on a fresh topic, then checks that every
   * record landed once and deletes the topic.
   */
  private Trial checked(int round, TopicTrial trial) throws Exception {
    return checked(round, trial, records -> records);
  }

  /** Runs a transactional trial of {@code round}'s count on a fresh topic, then deletes it. */
  private Trial scratch(int round, TopicTrial trial) throws Exception {
    String topic = topic();
    Trial result = trial.run(topic, (int) count.forRound(round));
    ScratchTopics.delete(kafka, topic);
    return result;
  }

  private Trial checked(int round, TopicTrial trial, IntUnaryOperator records) throws Exception {
    int expected = records.applyAsInt((int) count.forRound(round));
    String topic = topic();
    Trial result = trial.run(topic, expected);
    Workloads.checkLanded(kafka, topic, expected);
    ScratchTopics.delete(kafka, topic);
    return result;
  }

  /**
   * The traced variant's record count: a tenth of the others' (at least 50,000). It runs at about a
   * tenth of their rate, so its trials still last about as long as theirs instead of ten times
   * longer (7-13 s each in quick mode, a third of the scenario's time).
   */
  private static int tracedRecords(int records) {
    return Math.max(50_000, records / 10);
  }

  /** A trial of {@code records} records on a given topic. */
  @FunctionalInterface
  private interface TopicTrial {
    Trial run(String topic, int records) throws Exception;
  }

  /** The same loop as the raw baseline: one shared failure-counting callback for every send. */
  private Trial sdkIdempotent(String topic, int records) {
    try (ReliableProducer<String, byte[]> producer = idempotentProducer()) {
      return RawBaselines.sendAll(topic, records, value, producer::send, producer::flush);
    }
  }

  /**
   * {@link #sdkIdempotent} with a registry that records: every send carries its start time until
   * the acknowledgement, for the {@code ksdk.producer.send} timer. What an application with metrics
   * (Prometheus, say) pays over the default's untimed sends.
   */
  private Trial sdkIdempotentMetered(String topic, int records) {
    try (ReliableProducer<String, byte[]> producer =
        producerBuilder().meterRegistry(new SimpleMeterRegistry()).build()) {
      return RawBaselines.sendAll(topic, records, value, producer::send, producer::flush);
    }
  }

  /**
   * {@link #sdkIdempotent} with tracing on: every send is a {@code ksdk.send} observation, a
   * sampled span and a {@code traceparent} header.
   */
  private Trial sdkIdempotentTraced(String topic, int records) {
    try (TracingRegistry tracing = new TracingRegistry();
        ReliableProducer<String, byte[]> producer =
            producerBuilder().observationRegistry(tracing.registry()).build()) {
      return RawBaselines.sendAll(topic, records, value, producer::send, producer::flush);
    }
  }

  /**
   * The future-returning send: a {@code CompletableFuture} per record, completed on the I/O thread,
   * kept and checked after the flush like the raw future variants'.
   */
  private Trial sdkIdempotentFutures(String topic, int records) throws Exception {
    try (ReliableProducer<String, byte[]> producer = idempotentProducer()) {
      return sendKeepingFutures(topic, records, producer::send, producer::flush);
    }
  }

  private ReliableProducer<String, byte[]> idempotentProducer() {
    return producerBuilder().build();
  }

  /** The SDK producer's builder with the settings the raw baseline uses. */
  private ReliableProducer.Builder<String, byte[]> producerBuilder() {
    return ReliableProducer.builder(new StringSerializer(), new ByteArraySerializer())
        .properties(Workloads.producerSettings(kafka));
  }

  private Trial sdkTransactional(String topic, int records) {
    try (TransactionalProducer<String, byte[]> producer =
        producerBuilder().transactional(Workloads.freshName("sdk-tx")).build()) {
      long started = System.nanoTime();
      for (int from = 0; from < records; from += PER_TRANSACTION) {
        int start = from;
        int end = Math.min(records, from + PER_TRANSACTION);
        producer.inTransaction(
            tx -> {
              for (int i = start; i < end; i++) {
                tx.send(new ProducerRecord<>(topic, "key-" + (i % 1000), value));
              }
            });
      }
      return Trial.throughput(records, (long) records * value.length, System.nanoTime() - started);
    }
  }
}
