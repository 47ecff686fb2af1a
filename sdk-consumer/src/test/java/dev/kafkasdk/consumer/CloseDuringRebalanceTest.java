package dev.kafkasdk.consumer;

import static dev.kafkasdk.consumer.KafkaFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runners closed while their group rebalances. Commits are refused while a rebalance is in progress
 * (classic protocol: {@code RebalanceInProgressException}), so a close that gives up on the first
 * refusal loses its final commit and the next owner handles the same records again. Every handler
 * call is counted per record: after each close the committed offsets must equal what the runners
 * finished, and no record may be handled twice.
 *
 * <p>Only partition-ordered strategies: with KEY or UNORDERED ordering a close may leave finished
 * records above an unfinished one, which are redelivered by design.
 */
@KafkaTest
class CloseDuringRebalanceTest {
  private static final int PARTITIONS = 6;
  private static final int PER_PARTITION = 3_000;

  static Stream<Arguments> protocolsAndStrategies() {
    List<Arguments> cases = new ArrayList<>();
    for (String protocol : List.of("classic", "consumer")) {
      for (String strategy : List.of("threadPerPartition", "multiWorker")) {
        cases.add(Arguments.of(protocol, strategy));
      }
    }
    return cases.stream();
  }

  /**
   * The close during a rebalance's cases. The quick run (the normal test command) takes one of the
   * four, classic with multi-worker, and the rolling restart the opposite one, consumer with
   * thread-per-partition, so each protocol and each strategy runs once. The full run ({@code
   * -Dkafkasdk.tests=full}) takes all four in both.
   */
  static Stream<Arguments> closeDuringRebalanceCases() {
    if (TestSizes.full()) {
      return protocolsAndStrategies();
    }
    return Stream.of(Arguments.of("classic", "multiWorker"));
  }

  /**
   * The rolling restart's cases: in the quick run consumer with thread-per-partition (see {@link
   * #closeDuringRebalanceCases()}), in the full run all four.
   */
  static Stream<Arguments> rollingRestartCases() {
    if (TestSizes.full()) {
      return protocolsAndStrategies();
    }
    return Stream.of(Arguments.of("consumer", "threadPerPartition"));
  }

  /**
   * Runner A owns every partition and is busy when runner B joins. A is closed as soon as it has
   * handed a partition over: with cooperative rebalancing its consumers then wait in the next round
   * of the rebalance until B rejoins (B learns of it only at its next heartbeat). B is closed right
   * after it has started handling records.
   */
  @ParameterizedTest(name = "{0} protocol, {1}")
  @MethodSource("closeDuringRebalanceCases")
  // The runners are closed early on purpose; try-with-resources only cleans up after a failure.
  @SuppressWarnings("try")
  void aCloseWhileTheGroupRebalancesCommitsExactlyWhatTheRunnersFinished(
      String protocol, String strategy, KafkaCluster kafka, TestNames names) throws Exception {
    kafka.createTopic(names.topic(), PARTITIONS, 1);
    for (int p = 0; p < PARTITIONS; p++) {
      KafkaFixtures.produceToPartition(kafka, names.topic(), p, PER_PARTITION);
    }
    Handled handled = new Handled();
    try (Admin admin = KafkaFixtures.admin(kafka);
        ConsumerRunner<String, String> a = runner(kafka, names, protocol, strategy, "a", handled);
        ConsumerRunner<String, String> b = runner(kafka, names, protocol, strategy, "b", handled)) {
      a.start();
      await().atMost(WAIT).until(() -> a.assignment().size() == PARTITIONS);
      await().atMost(WAIT).until(() -> handled.byRunner("a") > 0);
      b.start();
      await().atMost(WAIT).until(() -> a.assignment().size() < PARTITIONS);
      a.close();
      assertThat(a.state()).isEqualTo(ConsumerRunner.State.STOPPED);
      await()
          .atMost(WAIT)
          .until(() -> handled.byRunner("b") > 0 || handled.total() == PARTITIONS * PER_PARTITION);
      b.close();
      assertThat(b.state()).isEqualTo(ConsumerRunner.State.STOPPED);
      Map<TopicPartition, Long> committed = KafkaFixtures.committed(admin, names.groupId());
      committed.values().removeIf(offset -> offset == 0);
      assertThat(committed)
          .as("committed offsets after both closes (%s records handled)", handled.total())
          .isEqualTo(handled.expectedCommits(names.topic()));
      assertThat(handled.twice()).as("records handled twice").isEmpty();
    }
  }

  /**
   * Three runners share the group while records flow; each is replaced in turn, the next one closed
   * while the group still rebalances for the one that joined.
   */
  @ParameterizedTest(name = "{0} protocol, {1}")
  @MethodSource("rollingRestartCases")
  void aRollingRestartHandlesEveryRecordOnce(
      String protocol, String strategy, KafkaCluster kafka, TestNames names) throws Exception {
    kafka.createTopic(names.topic(), PARTITIONS, 1);
    Handled handled = new Handled();
    List<ConsumerRunner<String, String>> all = new ArrayList<>();
    ScheduledExecutorService flow = Executors.newSingleThreadScheduledExecutor();
    try (Admin admin = KafkaFixtures.admin(kafka);
        KafkaProducer<String, String> producer = producer(kafka)) {
      AtomicInteger sent = new AtomicInteger();
      flow.scheduleAtFixedRate(
          () -> {
            for (int i = 0; i < 24; i++) {
              int n = sent.getAndIncrement();
              producer.send(new ProducerRecord<>(names.topic(), n % PARTITIONS, "k" + n, "v" + n));
            }
          },
          0,
          40,
          TimeUnit.MILLISECONDS);
      List<ConsumerRunner<String, String>> live = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        ConsumerRunner<String, String> runner =
            runner(kafka, names, protocol, strategy, "r" + i, handled);
        all.add(runner);
        live.add(runner);
        runner.start();
      }
      awaitEveryRunnerAssigned(live);
      for (int i = 0; i < 3; i++) {
        ConsumerRunner<String, String> replacement =
            runner(kafka, names, protocol, strategy, "r" + i + "-new", handled);
        all.add(replacement);
        replacement.start();
        ConsumerRunner<String, String> old = live.set(i, replacement);
        old.close();
        assertThat(old.state()).isEqualTo(ConsumerRunner.State.STOPPED);
        awaitEveryRunnerAssigned(live);
      }
      flow.shutdown();
      assertThat(flow.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      producer.flush();
      Map<TopicPartition, Long> end = KafkaFixtures.endOffsets(admin, names.topic(), PARTITIONS);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(KafkaFixtures.committed(admin, names.groupId())).isEqualTo(end));
      assertThat(handled.twice()).as("records handled twice").isEmpty();
      assertThat(handled.expectedCommits(names.topic()))
          .as("every record is handled (first unhandled offset per partition)")
          .isEqualTo(end);
    } finally {
      flow.shutdownNow();
      for (ConsumerRunner<String, String> runner : all) {
        runner.close();
      }
    }
  }

  private static void awaitEveryRunnerAssigned(List<ConsumerRunner<String, String>> runners) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(runners).allSatisfy(r -> assertThat(r.assignment()).isNotEmpty()));
  }

  private static ConsumerRunner<String, String> runner(
      KafkaCluster kafka,
      TestNames names,
      String protocol,
      String strategy,
      String name,
      Handled handled) {
    return KafkaFixtures.member(kafka, names, protocol, name)
        .strategy(
            strategy.equals("threadPerPartition")
                ? Strategy.threadPerPartition(2)
                : Strategy.multiWorker(4, Ordering.PARTITION))
        .commitInterval(Duration.ofMillis(200))
        .handler(
            record -> {
              // Simulated work, so that records are still being handled when the close comes.
              LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
              handled.add(name, record.partition(), record.offset());
            })
        .build();
  }

  private static KafkaProducer<String, String> producer(KafkaCluster kafka) {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  /** Every handler call, by record, and how many each runner made. */
  private static final class Handled {
    private final Map<Record, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> byRunner = new ConcurrentHashMap<>();

    void add(String runner, int partition, long offset) {
      calls
          .computeIfAbsent(new Record(partition, offset), k -> new AtomicInteger())
          .incrementAndGet();
      byRunner.computeIfAbsent(runner, k -> new AtomicInteger()).incrementAndGet();
    }

    int byRunner(String runner) {
      AtomicInteger count = byRunner.get(runner);
      return count == null ? 0 : count.get();
    }

    int total() {
      return calls.size();
    }

    Map<Record, Integer> twice() {
      Map<Record, Integer> twice = new HashMap<>();
      calls.forEach(
          (record, count) -> {
            if (count.get() > 1) {
              twice.put(record, count.get());
            }
          });
      return twice;
    }

    /**
     * The offset a correct commit names for each partition: the first one never handled. Partitions
     * of which nothing was handled may have no commit or a commit of 0; both mean the same.
     */
    Map<TopicPartition, Long> expectedCommits(String topic) {
      Map<TopicPartition, Long> expected = new HashMap<>();
      for (int p = 0; p < PARTITIONS; p++) {
        long next = 0;
        while (calls.containsKey(new Record(p, next))) {
          next++;
        }
        if (next > 0) {
          expected.put(new TopicPartition(topic, p), next);
        }
      }
      return expected;
    }
  }

  private record Record(int partition, long offset) {}
}
