package dev.kafkasdk.benchmarks;

import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.producer.TransactionalProducer;
import dev.kafkasdk.test.KafkaCluster;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
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
  private final int records;
  private final byte[] value = Workloads.payload(VALUE_SIZE);

  ProducerScenario(KafkaCluster kafka, BenchSettings settings, boolean transactional) {
    this.kafka = kafka;
    this.transactional = transactional;
    this.records = settings.pick(1_000_000, 200_000);
  }

  @Override
  public String name() {
    return transactional ? "producer-tx" : "producer";
  }

  @Override
  public String description() {
    return String.format(
        "%,d records of %d bytes, acks=all, %s",
        records,
        VALUE_SIZE,
        transactional ? "a transaction per " + PER_TRANSACTION + " records" : "idempotent");
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
  public void prepare() {}

  private String topic() {
    String topic = Workloads.freshName("produce");
    kafka.createTopic(topic, 6, 1);
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
                  RawBaselines.produceTransactionally(
                      Workloads.producerSettings(kafka), topic(), records, value, PER_TRANSACTION)),
          new Variant("sdk-transactional", false, round -> sdkTransactional(topic())));
    }
    return List.of(
        new Variant(
            "raw-idempotent",
            true,
            round ->
                checked(
                    topic ->
                        RawBaselines.produce(
                            Workloads.producerSettings(kafka), topic, records, value))),
        new Variant("sdk-idempotent", false, round -> checked(this::sdkIdempotent)),
        new Variant("sdk-idempotent-future", false, round -> checked(this::sdkIdempotentFutures)),
        new Variant("sdk-idempotent-traced", false, round -> checked(this::sdkIdempotentTraced)));
  }

  /** Runs an idempotent trial on a fresh topic, then checks that every record landed once. */
  private Trial checked(TopicTrial trial) throws Exception {
    String topic = topic();
    Trial result = trial.run(topic);
    Workloads.checkLanded(kafka, topic, records);
    return result;
  }

  /** A trial on a given topic. */
  @FunctionalInterface
  private interface TopicTrial {
    Trial run(String topic) throws Exception;
  }

  /** The same loop as the raw baseline: one shared failure-counting callback for every send. */
  private Trial sdkIdempotent(String topic) {
    try (ReliableProducer<String, byte[]> producer = idempotentProducer()) {
      return RawBaselines.sendAll(topic, records, value, producer::send, producer::flush);
    }
  }

  /**
   * {@link #sdkIdempotent} with tracing on: every send is a {@code ksdk.send} observation, a
   * sampled span and a {@code traceparent} header.
   */
  private Trial sdkIdempotentTraced(String topic) {
    try (TracingRegistry tracing = new TracingRegistry();
        ReliableProducer<String, byte[]> producer =
            ReliableProducer.builder(new StringSerializer(), new ByteArraySerializer())
                .properties(Workloads.producerSettings(kafka))
                .observationRegistry(tracing.registry())
                .build()) {
      return RawBaselines.sendAll(topic, records, value, producer::send, producer::flush);
    }
  }

  /**
   * The future-returning send: a {@code CompletableFuture} per record, completed on the I/O thread.
   * Lost records are caught by the end-offset check after the trial.
   */
  private Trial sdkIdempotentFutures(String topic) {
    try (ReliableProducer<String, byte[]> producer = idempotentProducer()) {
      long started = System.nanoTime();
      for (int i = 0; i < records; i++) {
        producer.send(new ProducerRecord<>(topic, "key-" + (i % 1000), value));
      }
      producer.flush();
      return Trial.throughput(records, (long) records * value.length, System.nanoTime() - started);
    }
  }

  private ReliableProducer<String, byte[]> idempotentProducer() {
    return ReliableProducer.builder(new StringSerializer(), new ByteArraySerializer())
        .properties(Workloads.producerSettings(kafka))
        .build();
  }

  private Trial sdkTransactional(String topic) {
    try (TransactionalProducer<String, byte[]> producer =
        ReliableProducer.builder(new StringSerializer(), new ByteArraySerializer())
            .properties(Workloads.producerSettings(kafka))
            .transactional(Workloads.freshName("sdk-tx"))
            .build()) {
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
