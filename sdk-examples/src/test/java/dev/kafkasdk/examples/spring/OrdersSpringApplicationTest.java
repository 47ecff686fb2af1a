package dev.kafkasdk.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.spring.KafkaSdkRunners;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import dev.kafkasdk.test.TestRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the Spring Boot example with its {@code application.yml} on the embedded cluster (only the
 * address and the topic names are overridden, as command-line arguments are): the annotated runner
 * applies each order's statuses in the order written, the properties-declared one books every
 * payment, and a blank status ends in the dead-letter topic after its retries.
 */
@KafkaTest
class OrdersSpringApplicationTest {
  private static final List<String> STATUSES = List.of("created", "paid", "packed", "shipped");
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void runsBothRunnersFromItsConfiguration(KafkaCluster kafka, TestNames names) {
    String orders = names.topic("orders");
    String payments = names.topic("payments");
    kafka.createTopic(orders, 3, 1);
    kafka.createTopic(orders + ".DLT", 1, 1);
    kafka.createTopic(payments, 2, 1);
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (String status : STATUSES) {
      for (int order = 0; order < 10; order++) {
        records.add(new ProducerRecord<>(orders, "order-" + order, status));
        records.add(new ProducerRecord<>(payments, "order-" + order, "250"));
      }
    }
    records.add(new ProducerRecord<>(orders, "order-broken", " "));
    TestRecords topics = TestRecords.of(kafka);
    topics.produce(records);

    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(OrdersSpringApplication.class)
            .web(WebApplicationType.NONE)
            .run(
                "--kafkasdk.bootstrap-servers=" + kafka.bootstrapServers(),
                "--examples.orders-topic=" + orders,
                "--kafkasdk.runners.payments.topics=" + payments,
                "--kafkasdk.runners.order-events.group-id=" + names.groupId() + "-orders",
                "--kafkasdk.runners.payments.group-id=" + names.groupId() + "-payments",
                "--kafkasdk.runners.order-events.retry.backoff=10ms")) {
      KafkaSdkRunners runners = context.getBean(KafkaSdkRunners.class);
      assertThat(runners.names()).containsExactlyInAnyOrder("order-events", "payments");
      OrderEvents events = context.getBean(OrderEvents.class);
      PaymentLedger ledger = context.getBean(PaymentLedger.class);

      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                for (int order = 0; order < 10; order++) {
                  assertThat(events.statuses("order-" + order)).isEqualTo(STATUSES);
                  assertThat(ledger.paid("order-" + order)).isEqualTo(4 * 250L);
                }
              });
      assertThat(topics.readCommitted(orders + ".DLT", WAIT))
          .as("the blank status, dead-lettered after 3 attempts")
          .singleElement()
          .satisfies(dead -> assertThat(dead.key()).isEqualTo("order-broken"));
      assertThat(events.statuses("order-broken")).isEmpty();
      runners
          .names()
          .forEach(
              name ->
                  assertThat(runners.runner(name).map(ConsumerRunner::state))
                      .contains(ConsumerRunner.State.RUNNING));
    }
  }
}
