package dev.kafkasdk.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Every meter name and tag documented in ProducerMeters and docs/producer.md exists after a run.
 */
@KafkaTest
class ProducerMetersTest {

  @Test
  void everyDocumentedMeterIsPresentWithItsDocumentedTags(KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 1, 1);
    MeterRegistry registry = new SimpleMeterRegistry();
    try (ReliableProducer<String, String> producer =
            ReliableProducer.builder(new StringSerializer(), new StringSerializer())
                .bootstrapServers(kafka.bootstrapServers())
                .clientId("plain")
                .meterRegistry(registry)
                .build();
        TransactionalProducerPool<String, String> pool =
            ReliableProducer.builder(new StringSerializer(), new StringSerializer())
                .bootstrapServers(kafka.bootstrapServers())
                .clientId("tx")
                .meterRegistry(registry)
                .transactional(names.transactionalId())
                .maxAge(Duration.ofNanos(1))
                .buildPool(1)) {
      producer.sendAndWait(new ProducerRecord<>(names.topic(), "k", "v"), Duration.ofSeconds(60));
      pool.inTransaction(tx -> tx.send(names.topic(), "k", "1"));
      pool.inTransaction(tx -> tx.send(names.topic(), "k", "2"));

      Map<String, Set<String>> documentedTags =
          Map.of(
              ProducerMeters.SEND,
              Set.of(
                  ProducerMeters.TAG_CLIENT,
                  ProducerMeters.TAG_RESULT,
                  ProducerMeters.TAG_CATEGORY),
              ProducerMeters.TRANSACTION,
              Set.of(ProducerMeters.TAG_CLIENT, ProducerMeters.TAG_OUTCOME),
              ProducerMeters.RECREATED,
              Set.of(ProducerMeters.TAG_CLIENT, ProducerMeters.TAG_REASON));
      assertThat(documentedTags.keySet()).containsExactlyInAnyOrderElementsOf(ProducerMeters.ALL);
      for (String name : ProducerMeters.ALL) {
        assertThat(Search.in(registry).name(name).meters()).as(name).isNotEmpty();
        for (Meter meter : Search.in(registry).name(name).meters()) {
          assertThat(meter.getId().getTags().stream().map(Tag::getKey).collect(Collectors.toSet()))
              .as("tags of %s", name)
              .isEqualTo(documentedTags.get(name));
        }
      }
      assertThat(
              registry
                  .get(ProducerMeters.TRANSACTION)
                  .tags(ProducerMeters.TAG_CLIENT, "tx", ProducerMeters.TAG_OUTCOME, "committed")
                  .timer()
                  .count())
          .isEqualTo(2);
      assertThat(Search.in(registry).name("kafka.producer.record.send.total").meters())
          .extracting(m -> m.getId().getTag("client.id"))
          .as("client metrics of both producers, the replaced one's removed")
          .containsExactlyInAnyOrder("plain", "tx-0");
    }
  }

  @Test
  void withoutARegistryTheProducerRecordsInTheGlobalRegistry(KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 1, 1);
    String client = names.topic();
    // A registry of its own, attached to the global one only for this test: it sees only what is
    // recorded while attached, whatever other tests left in the global registry.
    SimpleMeterRegistry attached = new SimpleMeterRegistry();
    Metrics.addRegistry(attached);
    try (ReliableProducer<String, String> producer =
        ReliableProducer.builder(new StringSerializer(), new StringSerializer())
            .bootstrapServers(kafka.bootstrapServers())
            .clientId(client)
            .build()) {
      producer.sendAndWait(new ProducerRecord<>(names.topic(), "k", "v"), Duration.ofSeconds(60));

      assertThat(
              attached
                  .get(ProducerMeters.SEND)
                  .tags(ProducerMeters.TAG_CLIENT, client, ProducerMeters.TAG_RESULT, "success")
                  .timer()
                  .count())
          .isEqualTo(1);
      assertThat(
              Search.in(attached)
                  .name("kafka.producer.record.send.total")
                  .tag("client.id", client)
                  .meters())
          .isNotEmpty();
    } finally {
      Metrics.removeRegistry(attached);
      // The SDK meters outlive the producer (as in any registry); this test's are removed so the
      // global registry holds nothing of it afterwards.
      Search.in(Metrics.globalRegistry)
          .tag(ProducerMeters.TAG_CLIENT, client)
          .meters()
          .forEach(Metrics.globalRegistry::remove);
    }
  }
}
