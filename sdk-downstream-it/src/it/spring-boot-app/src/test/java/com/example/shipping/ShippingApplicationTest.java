package com.example.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.internals.AppInfoParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** The user's first test: the application on the test kit's embedded cluster. */
@SpringBootTest
@KafkaTest
class ShippingApplicationTest {
  private static final String TOPIC = "shipments";

  @Autowired ReliableProducer<String, String> producer;
  @Autowired ShipmentEvents events;

  @BeforeAll
  static void topics(KafkaCluster kafka) {
    kafka.createTopic(TOPIC, 3, 1);
  }

  @Test
  void everyEventIsHandledOnceInPerKeyOrder() throws Exception {
    Map<String, List<String>> sent = new LinkedHashMap<>();
    for (int i = 0; i < 30; i++) {
      String shipment = "shipment-" + (i % 5);
      String event = shipment + "/step-" + i;
      producer.send(TOPIC, shipment, event).get();
      sent.computeIfAbsent(shipment, key -> new ArrayList<>()).add(event);
    }

    // Equal lists: each event handled exactly once, in the order it was sent for its key.
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(events.handled()).isEqualTo(sent));
  }

  @Test
  void runsTheKafkaReleaseTheSdkIsTestedWith() throws Exception {
    String expected = System.getProperty("expected.kafka.version");
    // The client the application loaded, and the jars of the test kit's broker: Boot manages
    // some of them (kafka_2.13, kafka-server-common), sdk-bom the others (kafka-test-common).
    assertThat(AppInfoParser.getVersion()).isEqualTo(expected);
    for (String brokerClass :
        List.of(
            "kafka.server.KafkaRaftServer",
            "org.apache.kafka.server.common.MetadataVersion",
            "org.apache.kafka.image.MetadataImage",
            "org.apache.kafka.common.test.KafkaClusterTestKit")) {
      String jar =
          Class.forName(brokerClass).getProtectionDomain().getCodeSource().getLocation().getPath();
      assertThat(jar).as(brokerClass).endsWith("-" + expected + ".jar");
    }
  }
}
