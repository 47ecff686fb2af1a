package dev.kafkasdk.consumer;

import static dev.kafkasdk.consumer.KafkaFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.test.ConsumerGroupOffsets;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runtime control and health on a real broker: the application's pause and resume for every
 * strategy and across a rebalance, the per-partition lag gauge against the lag the Admin client
 * computes, and stuck-partition detection.
 *
 * <p>"Not handled while paused" is shown without a fixed wait: records are produced only once the
 * runner reports the partitions paused, and the handled count is read after the runner's lag gauge
 * has seen those records waiting (the gauge is refreshed once a second, so a runner that fetched
 * them despite the pause would have handled them by then).
 */
@KafkaTest
class RuntimeControlTest {
  private static final int PARTITIONS = 2;
  private static final int PER_PARTITION = 3;

  @ParameterizedTest
  @ValueSource(strings = {"multi-worker", "thread-per-partition", "exactly-once"})
  void pausedPartitionsAreNotConsumedUntilResumedAndTheLagGaugeMatchesTheAdminLag(
      String strategy, KafkaCluster kafka, TestNames names) {
    String topic = names.topic();
    createTopics(strategy, kafka, names);
    produce(kafka, topic, PER_PARTITION);
    AtomicInteger handled = new AtomicInteger();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ConsumerGroupOffsets offsets = ConsumerGroupOffsets.of(kafka);
    try (ConsumerRunner<String, String> runner =
        runner(strategy, kafka, names, registry, handled).build()) {
      runner.start();
      offsets.awaitCommittedToEnd(names.groupId(), topic, WAIT);
      await().atMost(WAIT).until(() -> handled.get() == PARTITIONS * PER_PARTITION);
      assertThat(runner.health().status()).isEqualTo(RunnerHealth.Status.UP);

      runner.pause();
      Set<TopicPartition> all = Set.of(tp(topic, 0), tp(topic, 1));
      await().atMost(WAIT).until(() -> runner.pausedPartitions().equals(all));
      produce(kafka, topic, PER_PARTITION);

      // Idle and paused: the runner's lag per partition is the Admin's (end minus committed).
      Map<TopicPartition, Long> adminLag = offsets.lagByPartition(names.groupId(), topic);
      assertThat(adminLag).containsOnly(Map.entry(tp(topic, 0), 3L), Map.entry(tp(topic, 1), 3L));
      await().atMost(WAIT).until(() -> lagGauges(registry, topic).equals(adminLag));
      assertThat(handled).as("nothing handled while paused").hasValue(PARTITIONS * PER_PARTITION);
      assertThat(gauge(registry, ConsumerMeters.PARTITIONS_USER_PAUSED)).isEqualTo(2.0);
      assertThat(gauge(registry, ConsumerMeters.LAG)).isEqualTo(6.0);
      RunnerHealth paused = runner.health();
      assertThat(paused.status()).isEqualTo(RunnerHealth.Status.PAUSED);
      assertThat(paused.pausedPartitions()).isEqualTo(all);
      assertThat(paused.stuckPartitions()).as("waiting because paused is not stuck").isEmpty();

      runner.resume();
      offsets.awaitCommittedToEnd(names.groupId(), topic, WAIT);
      await().atMost(WAIT).until(() -> handled.get() == 2 * PARTITIONS * PER_PARTITION);
      await()
          .atMost(WAIT)
          .until(
              () -> lagGauges(registry, topic).equals(Map.of(tp(topic, 0), 0L, tp(topic, 1), 0L)));
      assertThat(runner.pausedPartitions()).isEmpty();
      assertThat(runner.health().status()).isEqualTo(RunnerHealth.Status.UP);
    }
    assertThat(registry.find(ConsumerMeters.PARTITION_LAG).gauges())
        .as("per-partition gauges removed with the runner")
        .isEmpty();
  }

  @Test
  void aPauseIsHeldByItsRunnerAcrossARebalance(KafkaCluster kafka, TestNames names) {
    String topic = names.topic();
    kafka.createTopic(topic, PARTITIONS, 1);
    AtomicInteger handledByA = new AtomicInteger();
    AtomicInteger handledByB = new AtomicInteger();
    SimpleMeterRegistry registryA = new SimpleMeterRegistry();
    Set<TopicPartition> all = Set.of(tp(topic, 0), tp(topic, 1));
    try (ConsumerRunner<String, String> a =
        runner("multi-worker", kafka, names, registryA, handledByA).name("a").build()) {
      a.start();
      await().atMost(WAIT).until(() -> a.assignment().equals(all));
      a.pause();
      await().atMost(WAIT).until(() -> a.pausedPartitions().equals(all));

      try (ConsumerRunner<String, String> b =
          runner("multi-worker", kafka, names, new SimpleMeterRegistry(), handledByB)
              .name("b")
              .build()) {
        b.start();
        await().atMost(WAIT).until(() -> a.assignment().size() == 1 && b.assignment().size() == 1);
        // A keeps its partition paused; B, not paused, consumes the one it was given.
        await().atMost(WAIT).until(() -> a.pausedPartitions().equals(a.assignment()));
        produce(kafka, topic, PER_PARTITION);
        await().atMost(WAIT).until(() -> handledByB.get() == PER_PARTITION);
        TopicPartition keptByA = a.assignment().iterator().next();
        await()
            .atMost(WAIT)
            .until(
                () -> Long.valueOf(PER_PARTITION).equals(lagGauges(registryA, topic).get(keptByA)));
        assertThat(handledByA).hasValue(0);
      }

      // B left: A holds both partitions again, both paused ("all" covers later assignments).
      await().atMost(WAIT).until(() -> a.assignment().equals(all));
      await().atMost(WAIT).until(() -> a.pausedPartitions().equals(all));
      produce(kafka, topic, PER_PARTITION);
      await()
          .atMost(WAIT)
          .until(
              () ->
                  lagGauges(registryA, topic).values().stream().mapToLong(Long::longValue).sum()
                      == 3L * PER_PARTITION);
      assertThat(handledByA).hasValue(0);

      a.resume();
      ConsumerGroupOffsets.of(kafka).awaitCommittedToEnd(names.groupId(), topic, WAIT);
      assertThat(handledByA).hasValue(3 * PER_PARTITION);
      assertThat(handledByB).hasValue(PER_PARTITION);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"multi-worker", "exactly-once"})
  void aPartitionWhoseHandlerHangsBecomesStuckAndHealthyAgainWhenItFinishes(
      String strategy, KafkaCluster kafka, TestNames names) throws Exception {
    String topic = names.topic();
    createTopics(strategy, kafka, names);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger handled = new AtomicInteger();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (ConsumerRunner<String, String> runner =
        runner(strategy, kafka, names, registry, handled, release)
            .commitInterval(Duration.ofMillis(200))
            .stuckAfter(Duration.ofSeconds(2))
            .build()) {
      try {
        runner.start();
        await().atMost(WAIT).until(() -> runner.assignment().size() == PARTITIONS);
        KafkaFixtures.produceToPartition(kafka, topic, 0, 1);
        await()
            .atMost(WAIT)
            .until(() -> runner.health().stuckPartitions().equals(Set.of(tp(topic, 0))));
        assertThat(runner.health().status()).isEqualTo(RunnerHealth.Status.STUCK);
        assertThat(gauge(registry, ConsumerMeters.PARTITIONS_STUCK)).isEqualTo(1.0);
      } finally {
        release.countDown();
      }
      await().atMost(WAIT).until(() -> runner.health().status() == RunnerHealth.Status.UP);
      assertThat(runner.health().stuckPartitions()).isEmpty();
      assertThat(handled).hasValue(1);
    }
  }

  private static ConsumerRunner.Builder<String, String> runner(
      String strategy,
      KafkaCluster kafka,
      TestNames names,
      MeterRegistry registry,
      AtomicInteger handled) {
    return runner(strategy, kafka, names, registry, handled, new CountDownLatch(0));
  }

  private static ConsumerRunner.Builder<String, String> runner(
      String strategy,
      KafkaCluster kafka,
      TestNames names,
      MeterRegistry registry,
      AtomicInteger handled,
      CountDownLatch release) {
    ConsumerRunner.Builder<String, String> builder =
        ConsumerRunner.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .groupId(names.groupId())
            .topics(names.topic())
            .pollTimeout(Duration.ofMillis(50))
            // Members learn of a rebalance with their next heartbeat (default every 3 s).
            .property("heartbeat.interval.ms", 200)
            .closeTimeout(Duration.ofSeconds(5))
            .meterRegistry(registry);
    switch (strategy) {
      case "multi-worker" ->
          builder
              .strategy(Strategy.multiWorker(2, Ordering.PARTITION))
              .handler(
                  record -> {
                    release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                    handled.incrementAndGet();
                  });
      case "thread-per-partition" ->
          builder
              .strategy(Strategy.threadPerPartition(PARTITIONS))
              .handler(record -> handled.incrementAndGet());
      case "exactly-once" ->
          builder
              .strategy(Strategy.threadPerPartition(1))
              .exactlyOnce(
                  ReliableProducer.builder(new StringSerializer(), new StringSerializer())
                      .bootstrapServers(kafka.bootstrapServers()),
                  names.transactionalId(),
                  (in, out) -> {
                    release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                    out.send(names.topic("out"), in.key(), in.value());
                    handled.incrementAndGet();
                  });
      default -> throw new IllegalArgumentException(strategy);
    }
    return builder;
  }

  private static void createTopics(String strategy, KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), PARTITIONS, 1);
    if (strategy.equals("exactly-once")) {
      kafka.createTopic(names.topic("out"), 1, 1);
    }
  }

  private static void produce(KafkaCluster kafka, String topic, int perPartition) {
    for (int p = 0; p < PARTITIONS; p++) {
      KafkaFixtures.produceToPartition(kafka, topic, p, perPartition);
    }
  }

  private static TopicPartition tp(String topic, int partition) {
    return new TopicPartition(topic, partition);
  }

  /** The per-partition lag gauges of the topic that have a value, as whole records. */
  private static Map<TopicPartition, Long> lagGauges(MeterRegistry registry, String topic) {
    Map<TopicPartition, Long> lag = new HashMap<>();
    for (Gauge gauge : registry.find(ConsumerMeters.PARTITION_LAG).tag("topic", topic).gauges()) {
      double value = gauge.value();
      if (!Double.isNaN(value)) {
        lag.put(
            tp(topic, Integer.parseInt(gauge.getId().getTag(ConsumerMeters.TAG_PARTITION))),
            (long) value);
      }
    }
    return lag;
  }

  private static double gauge(MeterRegistry registry, String name) {
    return registry.get(name).gauge().value();
  }
}
