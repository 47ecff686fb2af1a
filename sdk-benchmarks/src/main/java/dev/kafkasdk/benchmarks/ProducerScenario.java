package dev.kafkasdk.benchmarks;

import dev.kafkasdk.test.KafkaCluster;
import java.util.ArrayList;
import java.util.List;

/** Scenario 1: idempotent and transactional producing, SDK vs raw {@code KafkaProducer}. */
final class ProducerScenario implements Scenario {
  static final int VALUE_SIZE = 100;
  static final int PER_TRANSACTION = 1_000;

  private final KafkaCluster kafka;
  private final int records;
  private final byte[] value = Workloads.payload(VALUE_SIZE);

  ProducerScenario(KafkaCluster kafka, BenchSettings settings) {
    this.kafka = kafka;
    this.records = settings.pick(1_000_000, 200_000);
  }

  @Override
  public String name() {
    return "producer";
  }

  @Override
  public String description() {
    return String.format(
        "%,d records of %d bytes, acks=all; transactional commits every %,d",
        records, VALUE_SIZE, PER_TRANSACTION);
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
    List<Variant> variants = new ArrayList<>();
    variants.add(
        new Variant(
            "raw-idempotent",
            true,
            round ->
                RawBaselines.produce(Workloads.producerSettings(kafka), topic(), records, value)));
    variants.add(
        new Variant(
            "raw-transactional",
            false,
            round ->
                RawBaselines.produceTransactionally(
                    Workloads.producerSettings(kafka), topic(), records, value, PER_TRANSACTION)));
    return variants;
  }
}
