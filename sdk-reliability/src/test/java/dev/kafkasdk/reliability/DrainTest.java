package dev.kafkasdk.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The final drain must see every committed transaction, including one whose commit lands while the
 * drain runs. A drain that stops at the last stable offset it saw at its start misses such a
 * transaction (or, when the commit markers are half written, part of it): a scenario then reports
 * acknowledged writes as lost.
 */
@KafkaTest
class DrainTest {

  @Test
  void aTransactionCommittedWhileTheDrainRunsIsReadWhole(KafkaCluster kafka, TestNames names)
      throws Exception {
    String topic = names.topic();
    kafka.createTopic(topic, 3, 1);
    Map<String, Object> config = kafka.clientConfig();
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, names.transactionalId());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      List<Payload> sent = new ArrayList<>();
      for (long s = 0; s < 9; s++) {
        Payload payload = new Payload("tx", "key-" + s, s);
        sent.add(payload);
        producer.send(new ProducerRecord<>(topic, (int) (s % 3), payload.key(), payload.encode()));
      }
      producer.flush();

      List<Events.Logged> drained = new ArrayList<>();
      CompletableFuture<Integer> drain =
          CompletableFuture.supplyAsync(
              () -> Drain.topic(kafka, topic, Duration.ofMinutes(1), drained::add));
      // Give the drain time to take its view of the topic while the transaction is open; a
      // correct drain is still waiting when the transaction commits.
      try {
        drain.get(2, TimeUnit.SECONDS);
      } catch (TimeoutException stillDraining) {
        // expected
      }
      producer.commitTransaction();

      assertThat(drain.get(1, TimeUnit.MINUTES)).isEqualTo(sent.size());
      assertThat(drained)
          .extracting(Events.Logged::payload)
          .containsExactlyInAnyOrderElementsOf(sent);
    }
  }
}
