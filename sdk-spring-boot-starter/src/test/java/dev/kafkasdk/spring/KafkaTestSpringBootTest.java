package dev.kafkasdk.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A {@code @SpringBootTest} that is also a {@code @KafkaTest}: the application gets the test's
 * cluster without any property of its own, an annotated handler with key ordering on four workers
 * handles every record once and each key's records in order, and the health registry reports the
 * runner whose handler fails as DOWN. Spring keeps the context (and its running runners) until the
 * JVM ends, so the runner names are unique in the module's tests: a runner started under a name
 * another running runner has gets a number appended.
 */
@SpringBootTest(
    classes = KafkaTestSpringBootTest.Application.class,
    properties = {
      "app.topic=spring-boot-test-orders",
      "app.poison-topic=spring-boot-test-poison",
      "kafkasdk.properties.auto.offset.reset=earliest",
      "kafkasdk.runners.boot-test-poison.close-timeout=5s"
    })
@KafkaTest
class KafkaTestSpringBootTest {
  private static final String TOPIC = "spring-boot-test-orders";
  private static final String POISON_TOPIC = "spring-boot-test-poison";
  private static final int KEYS = 6;
  private static final int PER_KEY = 40;

  @Autowired Handlers handlers;
  @Autowired KafkaSdkRunners runners;
  @Autowired HealthContributorRegistry health;

  @Value("${kafkasdk.bootstrap-servers}")
  String bootstrapServers;

  /** Runs before the application starts (it starts when the first test instance is made). */
  @BeforeAll
  static void topics(KafkaCluster kafka) {
    kafka.createTopic(TOPIC, 3, 1);
    kafka.createTopic(POISON_TOPIC, 1, 1);
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class Application {
    @Bean
    Handlers handlers() {
      return new Handlers();
    }
  }

  /** What a reader of the handler calls sees: every call, in the order each lane made it. */
  static class Handlers {
    final Queue<ConsumerRecord<String, String>> handled = new ConcurrentLinkedQueue<>();

    @KafkaSdkListener(
        name = "boot-test-orders",
        topics = "${app.topic}",
        groupId = "spring-boot-test-orders",
        workers = "4",
        ordering = "key")
    void order(ConsumerRecord<String, String> record) {
      handled.add(record);
      // Work of uneven length, so that records of different keys overtake each other.
      LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(200_000, 2_000_000));
    }

    @KafkaSdkListener(
        name = "boot-test-poison",
        topics = "${app.poison-topic}",
        groupId = "spring-boot-test-poison")
    void poison(ConsumerRecord<String, String> record) {
      throw new IllegalArgumentException("cannot parse " + record.value());
    }
  }

  @Test
  void theApplicationUsesTheTestsCluster(KafkaCluster kafka) {
    assertThat(bootstrapServers).isEqualTo(kafka.bootstrapServers());
  }

  @Test
  void everyRecordIsHandledOnceAndEachKeyInOrder(KafkaCluster kafka) {
    List<ProducerRecord<String, String>> sent = new ArrayList<>();
    for (int i = 0; i < PER_KEY; i++) {
      for (int key = 0; key < KEYS; key++) {
        sent.add(new ProducerRecord<>(TOPIC, "key-" + key, "key-" + key + ":" + i));
      }
    }
    TestRecords.of(kafka).produce(sent);

    await().atMost(Duration.ofSeconds(60)).until(() -> handlers.handled.size() >= sent.size());

    List<ConsumerRecord<String, String>> calls = List.copyOf(handlers.handled);
    Map<String, Long> callsPerValue =
        calls.stream().collect(Collectors.groupingBy(ConsumerRecord::value, Collectors.counting()));
    assertThat(callsPerValue)
        .as("one call per record")
        .hasSize(sent.size())
        .allSatisfy((value, count) -> assertThat(count).isEqualTo(1L));
    Map<String, List<Integer>> sequenceByKey =
        calls.stream()
            .collect(
                Collectors.groupingBy(
                    ConsumerRecord::key,
                    Collectors.mapping(
                        record -> Integer.parseInt(record.value().split(":")[1]),
                        Collectors.toList())));
    assertThat(sequenceByKey).hasSize(KEYS);
    sequenceByKey.forEach(
        (key, sequence) -> assertThat(sequence).as("calls of " + key).isSorted().hasSize(PER_KEY));
  }

  @Test
  void aFailedRunnerIsDownInTheHealthRegistry(KafkaCluster kafka) {
    TestRecords.of(kafka).produce(List.of(new ProducerRecord<>(POISON_TOPIC, "k", "not-json")));

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              Health poison = runnerHealth("boot-test-poison");
              assertThat(poison.getStatus()).isEqualTo(Status.DOWN);
              assertThat(poison.getDetails().get("error").toString())
                  .contains("cannot parse not-json");
              // DOWN from the failure on; the runner stops (closes its clients) after it.
              assertThat(runners.runner("boot-test-poison").map(ConsumerRunner::state))
                  .contains(ConsumerRunner.State.FAILED);
            });
    assertThat(runnerHealth("boot-test-orders").getStatus()).isEqualTo(Status.UP);
  }

  private Health runnerHealth(String name) {
    CompositeHealthContributor kafkaSdk =
        (CompositeHealthContributor) health.getContributor("kafkaSdk");
    Function<String, HealthIndicator> runner =
        n ->
            (HealthIndicator)
                ((CompositeHealthContributor) kafkaSdk.getContributor("runners")).getContributor(n);
    return runner.apply(name).health();
  }
}
