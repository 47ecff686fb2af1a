package com.example.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.test.ConsumerGroupOffsets;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** What a user's first test looks like: the SDK's producer, a runner and the test kit. */
@KafkaTest
class OrdersPipelineTest {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void everyOrderIsHandledAndCommitted(KafkaCluster kafka, TestNames names) throws Exception {
    kafka.createTopic(names.topic(), 3, 1);
    try (ReliableProducer<String, String> producer =
        ReliableProducer.builder(new StringSerializer(), new StringSerializer())
            .bootstrapServers(kafka.bootstrapServers())
            .build()) {
      for (int i = 0; i < 30; i++) {
        producer.send(names.topic(), "customer-" + (i % 5), "order-" + i).get();
      }
    }

    Set<String> handled = ConcurrentHashMap.newKeySet();
    ConsumerGroupOffsets offsets = ConsumerGroupOffsets.of(kafka);
    try (ConsumerRunner<String, String> runner =
        ConsumerRunner.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .groupId(names.groupId())
            .topics(names.topic())
            .handler(record -> handled.add(record.value()))
            .build()) {
      runner.start();
      offsets.awaitCommittedToEnd(names.groupId(), names.topic(), WAIT);
    }

    assertEquals(30, handled.size());
    assertEquals(0, offsets.lag(names.groupId(), names.topic()));
  }
}
