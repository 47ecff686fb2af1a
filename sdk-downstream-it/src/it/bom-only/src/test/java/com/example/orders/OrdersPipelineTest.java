package com.example.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import dev.kafkasdk.test.TestRecords;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@KafkaTest
class OrdersRoundTripTest {

  @Test
  void anOrderComesBack(KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 3, 1);
    TestRecords records = TestRecords.of(kafka);
    records.produce(names.topic(), "customer-1", "order-1");
    assertEquals(
        "order-1", records.consume(names.topic(), 1, Duration.ofSeconds(90)).get(0).value());
  }
}
