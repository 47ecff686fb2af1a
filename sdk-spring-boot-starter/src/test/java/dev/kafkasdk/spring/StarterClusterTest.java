package dev.kafkasdk.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.consumer.ConsumerMeters;
import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.RecordHandler;
import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.test.ConsumerGroupOffsets;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import dev.kafkasdk.test.TestRecords;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spring Boot applications configured only by {@code kafkasdk.*} properties, against the shared
 * embedded cluster: a runner processes records in the configured ordering with the application's
 * meter and observation registries; closing the context commits everything handled, so a second
 * application of the same group sees only newer records; a failing handler's records reach the
 * dead-letter topic, and the application's named producer sends.
 */
@KafkaTest
class StarterClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @BeforeAll
  static void leaveLoggingAlone() {
    // The tests log through slf4j-simple; Spring Boot need not install a logging system.
    System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
  }

  /** What a handler saw, per application. */
  static final class Seen {
    final Queue<ConsumerRecord<String, String>> records = new ConcurrentLinkedQueue<>();
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class OrdersApplication {
    @Bean
    Seen seen() {
      return new Seen();
    }

    /** The runner "orders" takes the bean of its name; records take 0-1 ms at random. */
    @Bean
    RecordHandler<String, String> orders(Seen seen) {
      return record -> {
        LockSupport.parkNanos(
            ThreadLocalRandom.current().nextLong(TimeUnit.MILLISECONDS.toNanos(1)));
        seen.records.add(record);
      };
    }

    @Bean
    SimpleMeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }

    @Bean
    ObservedNames observedNames() {
      return new ObservedNames();
    }

    @Bean
    ObservationRegistry observationRegistry(ObservedNames names) {
      ObservationRegistry registry = ObservationRegistry.create();
      registry.observationConfig().observationHandler(names);
      return registry;
    }
  }

  /** Names of the observations started. */
  static final class ObservedNames implements ObservationHandler<Observation.Context> {
    final Map<String, Integer> counts = new ConcurrentHashMap<>();
    final Set<String> names = counts.keySet();

    @Override
    public void onStart(Observation.Context context) {
      counts.merge(context.getName(), 1, Integer::sum);
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
      return true;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class RelayApplication {
    static final Queue<ConsumerRecord<String, String>> relayed = new ConcurrentLinkedQueue<>();
    static final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    static volatile String output;

    /** Sends each record on with the application's producer, waiting for the acknowledgement. */
    @Bean
    RecordHandler<String, String> relay(ReliableProducer<String, String> out) {
      return record -> {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        try {
          out.sendAndWait(
              new ProducerRecord<>(output, record.key(), record.value()), Duration.ofSeconds(30));
        } catch (RuntimeException e) {
          errors.add(e);
          throw e;
        }
        relayed.add(record);
      };
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class PaymentsApplication {
    static final Map<String, Integer> attempts = new ConcurrentHashMap<>();

    @Bean
    Seen seen() {
      return new Seen();
    }

    @Bean
    ObservedNames observedNames() {
      return new ObservedNames();
    }

    @Bean
    ObservationRegistry observationRegistry(ObservedNames names) {
      ObservationRegistry registry = ObservationRegistry.create();
      registry.observationConfig().observationHandler(names);
      return registry;
    }

    @Bean
    RecordHandler<String, String> payments(Seen seen) {
      return record -> {
        if (record.key().equals("bad")) {
          attempts.merge(record.value(), 1, Integer::sum);
          throw new IllegalStateException("cannot pay " + record.value());
        }
        seen.records.add(record);
      };
    }
  }

  private static ConfigurableApplicationContext start(
      Class<?> application, List<String> properties) {
    return new SpringApplicationBuilder(application)
        .web(WebApplicationType.NONE)
        .properties(properties.toArray(String[]::new))
        .run();
  }

  @Test
  void aPropertiesDeclaredRunnerKeepsEachKeysOrderWithTheApplicationsRegistries(
      KafkaCluster kafka, TestNames names) {
    String topic = names.topic();
    kafka.createTopic(topic, 3, 1);
    int keys = 6;
    int perKey = 60;
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (int i = 0; i < perKey; i++) {
      for (int k = 0; k < keys; k++) {
        records.add(new ProducerRecord<>(topic, "k" + k, String.valueOf(i)));
      }
    }
    TestRecords.of(kafka).produce(records);

    try (ConfigurableApplicationContext context =
        start(
            OrdersApplication.class,
            List.of(
                "kafkasdk.bootstrap-servers=" + kafka.bootstrapServers(),
                "kafkasdk.runners.orders.topics=" + topic,
                "kafkasdk.runners.orders.group-id=" + names.groupId(),
                "kafkasdk.runners.orders.strategy=multi-worker",
                "kafkasdk.runners.orders.workers=4",
                "kafkasdk.runners.orders.ordering=key",
                "kafkasdk.runners.orders.properties.auto.offset.reset=earliest"))) {
      Seen seen = context.getBean(Seen.class);
      await().atMost(WAIT).until(() -> seen.records.size() >= keys * perKey);

      Map<String, List<Integer>> byKey =
          seen.records.stream()
              .collect(
                  Collectors.groupingBy(
                      ConsumerRecord::key,
                      Collectors.mapping(r -> Integer.parseInt(r.value()), Collectors.toList())));
      List<Integer> inOrder = java.util.stream.IntStream.range(0, perKey).boxed().toList();
      assertThat(byKey).hasSize(keys);
      byKey.forEach((key, values) -> assertThat(values).as("key %s", key).isEqualTo(inOrder));

      SimpleMeterRegistry meters = context.getBean(SimpleMeterRegistry.class);
      assertThat(meters.find(ConsumerMeters.RECORDS).tag("runner", "orders").meters())
          .as("the runner's meters in the application's registry")
          .isNotEmpty();
      assertThat(context.getBean(ObservedNames.class).names)
          .as("handler calls observed by the application's observation registry")
          .contains("ksdk.process");
      assertThat(context.getBean(KafkaSdkRunners.class).runner("orders").orElseThrow().state())
          .isEqualTo(ConsumerRunner.State.RUNNING);
    }
  }

  @Test
  void closingTheContextCommitsEverythingHandledSoTheNextStartSeesOnlyNewRecords(
      KafkaCluster kafka, TestNames names) {
    String topic = names.topic();
    String group = names.groupId();
    kafka.createTopic(topic, 2, 1);
    List<String> properties =
        List.of(
            "kafkasdk.bootstrap-servers=" + kafka.bootstrapServers(),
            "kafkasdk.runners.orders.topics=" + topic,
            "kafkasdk.runners.orders.group-id=" + group,
            "kafkasdk.runners.orders.strategy=thread-per-partition",
            // Far longer than the test: only the final commit on close can commit.
            "kafkasdk.runners.orders.commit-interval=10m",
            "kafkasdk.runners.orders.stuck-after=20m",
            "kafkasdk.runners.orders.properties.auto.offset.reset=earliest");
    TestRecords.of(kafka).produce(keyed(topic, "first", 100));

    Map<TopicPartition, Long> firstEnd;
    try (ConfigurableApplicationContext first = start(OrdersApplication.class, properties)) {
      Seen seen = first.getBean(Seen.class);
      await().atMost(WAIT).until(() -> seen.records.size() >= 100);
      firstEnd = ConsumerGroupOffsets.of(kafka).endOffsets(topic);
    }
    assertThat(ConsumerGroupOffsets.of(kafka).committed(group))
        .as("committed when the context closed")
        .isEqualTo(firstEnd);

    TestRecords.of(kafka).produce(keyed(topic, "second", 50));
    Seen seen;
    try (ConfigurableApplicationContext second = start(OrdersApplication.class, properties)) {
      seen = second.getBean(Seen.class);
      await().atMost(WAIT).until(() -> seen.records.size() >= 50);
    }
    // A record the first application handled but did not commit would come back before these.
    assertThat(seen.records)
        .as("the second application sees only the records after the first one's commit")
        .hasSize(50)
        .allSatisfy(r -> assertThat(r.value()).startsWith("second-"))
        .allSatisfy(
            r ->
                assertThat(r.offset())
                    .isGreaterThanOrEqualTo(
                        firstEnd.get(new TopicPartition(r.topic(), r.partition()))));
    assertThat(ConsumerGroupOffsets.of(kafka).committed(group))
        .isEqualTo(ConsumerGroupOffsets.of(kafka).endOffsets(topic));
  }

  @Test
  void runnersStopBeforeTheProducersTheirHandlersUseAreClosed(KafkaCluster kafka, TestNames names)
      throws Exception {
    String topic = names.topic();
    String output = names.topic("out");
    String group = names.groupId();
    kafka.createTopic(topic, 2, 1);
    kafka.createTopic(output, 1, 1);
    RelayApplication.relayed.clear();
    RelayApplication.errors.clear();
    RelayApplication.output = output;
    TestRecords.of(kafka).produce(keyed(topic, "r", 400));
    ConsumerRunner<?, ?> runner;
    try (ConfigurableApplicationContext context =
        start(
            RelayApplication.class,
            List.of(
                "kafkasdk.bootstrap-servers=" + kafka.bootstrapServers(),
                "kafkasdk.producers.out.client-id=" + group + "-out",
                "kafkasdk.runners.relay.topics=" + topic,
                "kafkasdk.runners.relay.group-id=" + group,
                "kafkasdk.runners.relay.workers=4",
                "kafkasdk.runners.relay.properties.auto.offset.reset=earliest"))) {
      runner = context.getBean(KafkaSdkRunners.class).runner("relay").orElseThrow();
      // Close while handlers are busy sending.
      await().atMost(WAIT).until(() -> RelayApplication.relayed.size() >= 20);
    }
    assertThat(RelayApplication.errors).as("no handler found its producer closed").isEmpty();
    assertThat(runner.state()).isEqualTo(ConsumerRunner.State.STOPPED);
    Set<String> handled =
        RelayApplication.relayed.stream()
            .map(r -> r.partition() + "@" + r.offset())
            .collect(Collectors.toSet());
    // Everything below each committed offset was handled, and so relayed.
    ConsumerGroupOffsets.of(kafka)
        .committed(group)
        .forEach(
            (partition, committed) -> {
              for (long offset = 0; offset < committed; offset++) {
                assertThat(handled).contains(partition.partition() + "@" + offset);
              }
            });
    List<String> relayedValues =
        TestRecords.of(kafka).readCommitted(output, WAIT).stream()
            .map(ConsumerRecord::value)
            .toList();
    assertThat(relayedValues)
        .containsExactlyInAnyOrderElementsOf(
            RelayApplication.relayed.stream().map(ConsumerRecord::value).toList());
  }

  @Test
  void aFailingHandlersRecordsReachTheDeadLetterTopicAfterTheConfiguredRetries(
      KafkaCluster kafka, TestNames names) {
    String topic = names.topic();
    String deadLetters = topic + ".failed";
    kafka.createTopic(topic, 2, 1);
    kafka.createTopic(deadLetters, 1, 1);
    PaymentsApplication.attempts.clear();
    try (ConfigurableApplicationContext context =
        start(
            PaymentsApplication.class,
            List.of(
                "kafkasdk.bootstrap-servers=" + kafka.bootstrapServers(),
                "kafkasdk.producers.input.client-id=" + names.groupId() + "-input",
                "kafkasdk.runners.payments.topics=" + topic,
                "kafkasdk.runners.payments.group-id=" + names.groupId(),
                "kafkasdk.runners.payments.failure-action=dead-letter",
                "kafkasdk.runners.payments.dead-letter-topic=" + deadLetters,
                "kafkasdk.runners.payments.retry.max-attempts=2",
                "kafkasdk.runners.payments.retry.backoff=10ms",
                "kafkasdk.runners.payments.properties.auto.offset.reset=earliest"))) {
      @SuppressWarnings("unchecked")
      ReliableProducer<String, String> input = context.getBean("input", ReliableProducer.class);
      for (int i = 0; i < 20; i++) {
        input.send(topic, "good", "good-" + i);
        if (i % 7 == 3) {
          input.send(topic, "bad", "bad-" + i);
        }
      }
      input.flush();
      Seen seen = context.getBean(Seen.class);
      await().atMost(WAIT).until(() -> seen.records.size() >= 20);
      ConsumerGroupOffsets.of(kafka).awaitCommittedToEnd(names.groupId(), topic, WAIT);

      List<String> dead =
          TestRecords.of(kafka)
              .readAll(
                  deadLetters,
                  IsolationLevel.READ_COMMITTED,
                  new ByteArrayDeserializer(),
                  new ByteArrayDeserializer(),
                  WAIT)
              .stream()
              .map(r -> new String(r.value(), StandardCharsets.UTF_8))
              .toList();
      assertThat(dead).containsExactlyInAnyOrder("bad-3", "bad-10", "bad-17");
      assertThat(PaymentsApplication.attempts)
          .as("max-attempts=2 calls per failed record")
          .isEqualTo(Map.of("bad-3", 2, "bad-10", 2, "bad-17", 2));
      assertThat(seen.records).hasSize(20);
      ObservedNames observed = context.getBean(ObservedNames.class);
      assertThat(observed.names).contains("ksdk.process");
      assertThat(observed.counts.get("ksdk.send"))
          .as("the named producer's 23 sends observed (the 3 dead letters are sent too)")
          .isGreaterThanOrEqualTo(23);
    }
  }

  private static List<ProducerRecord<String, String>> keyed(String topic, String prefix, int n) {
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      records.add(new ProducerRecord<>(topic, "k" + (i % 5), prefix + "-" + i));
    }
    return records;
  }
}
