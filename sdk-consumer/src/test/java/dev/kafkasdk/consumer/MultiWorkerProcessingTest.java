package dev.kafkasdk.consumer;

import static dev.kafkasdk.consumer.KafkaFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@KafkaTest
class MultiWorkerProcessingTest {
  private static final int PARTITIONS = 3;

  @ParameterizedTest
  @EnumSource(Ordering.class)
  void everyOrderingProcessesEveryRecordAndCommitsToTheEnd(
      Ordering ordering, KafkaCluster kafka, TestNames names) throws Exception {
    kafka.createTopic(names.topic(), PARTITIONS, 1);
    KafkaFixtures.produceKeyed(kafka, names.topic(), 600, 20);
    Set<String> processed = ConcurrentHashMap.newKeySet();
    AtomicInteger calls = new AtomicInteger();
    try (ConsumerRunner<String, String> runner =
            ConsumerRunner.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .groupId(names.groupId())
                .topics(names.topic())
                .strategy(Strategy.multiWorker(4, ordering))
                .handler(
                    record -> {
                      calls.incrementAndGet();
                      processed.add(record.value());
                    })
                .build();
        Admin admin = KafkaFixtures.admin(kafka)) {
      runner.start();
      await().atMost(WAIT).until(() -> processed.size() == 600);
      Map<TopicPartition, Long> end = KafkaFixtures.endOffsets(admin, names.topic(), PARTITIONS);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(KafkaFixtures.committed(admin, names.groupId())).isEqualTo(end));
      assertThat(calls).hasValue(600);
      assertThat(runner.state()).isEqualTo(ConsumerRunner.State.RUNNING);
    }
  }

  @Test
  void keyOrderingKeepsPerKeyOrderUnderRandomDelaysWithEightWorkers(
      KafkaCluster kafka, TestNames names) throws Exception {
    kafka.createTopic(names.topic(), PARTITIONS, 1);
    KafkaFixtures.produceKeyed(kafka, names.topic(), 800, 24);
    Map<String, List<Integer>> seenByKey = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> activeByKey = new ConcurrentHashMap<>();
    AtomicInteger overlaps = new AtomicInteger();
    AtomicInteger maxParallel = new AtomicInteger();
    AtomicInteger parallel = new AtomicInteger();
    try (ConsumerRunner<String, String> runner =
        ConsumerRunner.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .groupId(names.groupId())
            .topics(names.topic())
            .strategy(Strategy.multiWorker(8, Ordering.KEY))
            .handler(
                record -> {
                  AtomicInteger active =
                      activeByKey.computeIfAbsent(record.key(), k -> new AtomicInteger());
                  if (active.incrementAndGet() > 1) {
                    overlaps.incrementAndGet();
                  }
                  maxParallel.accumulateAndGet(parallel.incrementAndGet(), Math::max);
                  Thread.sleep(ThreadLocalRandom.current().nextInt(3));
                  seenByKey
                      .computeIfAbsent(
                          record.key(), k -> Collections.synchronizedList(new ArrayList<>()))
                      .add(sequence(record));
                  parallel.decrementAndGet();
                  active.decrementAndGet();
                })
            .build()) {
      runner.start();
      await()
          .atMost(WAIT)
          .until(() -> seenByKey.values().stream().mapToInt(List::size).sum() == 800);
    }
    assertThat(overlaps).as("two records of one key ran at the same time").hasValue(0);
    seenByKey.forEach(
        (key, seqs) ->
            assertThat(seqs).as("order of key %s", key).isSorted().doesNotHaveDuplicates());
    assertThat(seenByKey).hasSize(24);
    assertThat(maxParallel.get()).as("different keys ran in parallel").isGreaterThan(1);
  }

  @Test
  void partitionOrderingKeepsPerPartitionOrder(KafkaCluster kafka, TestNames names)
      throws Exception {
    kafka.createTopic(names.topic(), PARTITIONS, 1);
    KafkaFixtures.produceKeyed(kafka, names.topic(), 600, 30);
    Map<Integer, List<Long>> offsetsByPartition = new ConcurrentHashMap<>();
    Map<Integer, AtomicInteger> activeByPartition = new ConcurrentHashMap<>();
    AtomicInteger overlaps = new AtomicInteger();
    try (ConsumerRunner<String, String> runner =
        ConsumerRunner.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .groupId(names.groupId())
            .topics(names.topic())
            .strategy(Strategy.multiWorker(8, Ordering.PARTITION))
            .handler(
                record -> {
                  AtomicInteger active =
                      activeByPartition.computeIfAbsent(
                          record.partition(), p -> new AtomicInteger());
                  if (active.incrementAndGet() > 1) {
                    overlaps.incrementAndGet();
                  }
                  if (ThreadLocalRandom.current().nextInt(10) == 0) {
                    Thread.sleep(1);
                  }
                  offsetsByPartition
                      .computeIfAbsent(
                          record.partition(), p -> Collections.synchronizedList(new ArrayList<>()))
                      .add(record.offset());
                  active.decrementAndGet();
                })
            .build()) {
      runner.start();
      await()
          .atMost(WAIT)
          .until(() -> offsetsByPartition.values().stream().mapToInt(List::size).sum() == 600);
    }
    assertThat(overlaps).hasValue(0);
    assertThat(offsetsByPartition).hasSize(PARTITIONS);
    offsetsByPartition.forEach(
        (partition, offsets) ->
            assertThat(offsets).as("partition %d", partition).isSorted().doesNotHaveDuplicates());
  }

  @Test
  void batchHandlerGetsOrderedSinglePartitionBatches(KafkaCluster kafka, TestNames names)
      throws Exception {
    kafka.createTopic(names.topic(), PARTITIONS, 1);
    KafkaFixtures.produceKeyed(kafka, names.topic(), 500, 10);
    Map<Integer, List<Long>> offsetsByPartition = new ConcurrentHashMap<>();
    AtomicInteger largest = new AtomicInteger();
    AtomicInteger mixed = new AtomicInteger();
    try (ConsumerRunner<String, String> runner =
        ConsumerRunner.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .groupId(names.groupId())
            .topics(names.topic())
            .strategy(Strategy.multiWorker(4, Ordering.PARTITION))
            .maxBatchSize(50)
            .batchHandler(
                records -> {
                  largest.accumulateAndGet(records.size(), Math::max);
                  if (records.stream().map(ConsumerRecord::partition).distinct().count() != 1) {
                    mixed.incrementAndGet();
                  }
                  for (ConsumerRecord<String, String> record : records) {
                    offsetsByPartition
                        .computeIfAbsent(
                            record.partition(),
                            p -> Collections.synchronizedList(new ArrayList<>()))
                        .add(record.offset());
                  }
                })
            .build()) {
      runner.start();
      await()
          .atMost(WAIT)
          .until(() -> offsetsByPartition.values().stream().mapToInt(List::size).sum() == 500);
    }
    assertThat(mixed).hasValue(0);
    assertThat(largest.get()).isBetween(1, 50);
    offsetsByPartition.forEach(
        (p, offsets) -> assertThat(offsets).isSorted().doesNotHaveDuplicates());
  }

  @Test
  void anApplicationExecutorRunsTheHandlersAndIsNotShutDown(KafkaCluster kafka, TestNames names)
      throws Exception {
    kafka.createTopic(names.topic(), PARTITIONS, 1);
    KafkaFixtures.produceKeyed(kafka, names.topic(), 200, 10);
    AtomicInteger threadNumber = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            3, task -> new Thread(task, "app-pool-" + threadNumber.incrementAndGet()));
    Set<String> threads = ConcurrentHashMap.newKeySet();
    Set<String> processed = ConcurrentHashMap.newKeySet();
    try {
      try (ConsumerRunner<String, String> runner =
          ConsumerRunner.builder()
              .bootstrapServers(kafka.bootstrapServers())
              .groupId(names.groupId())
              .topics(names.topic())
              .strategy(Strategy.multiWorker(executor, Ordering.KEY))
              .handler(
                  record -> {
                    threads.add(Thread.currentThread().getName());
                    processed.add(record.value());
                  })
              .build()) {
        runner.start();
        await().atMost(WAIT).until(() -> processed.size() == 200);
      }
      assertThat(threads).allSatisfy(name -> assertThat(name).startsWith("app-pool-"));
      assertThat(executor.isShutdown()).isFalse();
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void anApplicationExecutorRunsKeyLanesOnAllItsThreads(KafkaCluster kafka, TestNames names)
      throws Exception {
    kafka.createTopic(names.topic(), PARTITIONS, 1);
    KafkaFixtures.produceKeyed(kafka, names.topic(), 16, 16);
    // Every call waits until eight calls are in the handler at once: only a runner that runs eight
    // keys in parallel on the application's pool of eight gets through.
    CyclicBarrier eightAtOnce = new CyclicBarrier(8);
    AtomicInteger met = new AtomicInteger();
    AtomicInteger gaveUp = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(8);
    try {
      try (ConsumerRunner<String, String> runner =
          ConsumerRunner.builder()
              .bootstrapServers(kafka.bootstrapServers())
              .groupId(names.groupId())
              .topics(names.topic())
              .strategy(Strategy.multiWorker(executor, Ordering.KEY))
              .handler(
                  record -> {
                    try {
                      eightAtOnce.await(30, TimeUnit.SECONDS);
                      met.incrementAndGet();
                    } catch (TimeoutException | BrokenBarrierException e) {
                      gaveUp.incrementAndGet();
                    }
                  })
              .build()) {
        runner.start();
        await().atMost(WAIT).until(() -> met.get() + gaveUp.get() == 16);
      }
      assertThat(gaveUp)
          .as("calls that did not meet seven others at the barrier within 30 s")
          .hasValue(0);
      assertThat(met).hasValue(16);
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void aBlockedKeyHoldsBackOnlyItsOwnRecordsAndTheCommitStopsAtIt(
      KafkaCluster kafka, TestNames names) throws Exception {
    kafka.createTopic(names.topic(), 1, 1);
    // 50 keys, 10 records each; key k0 is at offsets 0, 50, ..., 450.
    KafkaFixtures.produceKeyed(kafka, names.topic(), 500, 50);
    long stuckOffset = 250;
    CountDownLatch release = new CountDownLatch(1);
    Set<Long> handled = ConcurrentHashMap.newKeySet();
    TopicPartition partition = new TopicPartition(names.topic(), 0);
    try (ConsumerRunner<String, String> runner =
            ConsumerRunner.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .groupId(names.groupId())
                .topics(names.topic())
                .strategy(Strategy.multiWorker(8, Ordering.KEY))
                .handler(
                    record -> {
                      if (record.offset() == stuckOffset) {
                        release.await(5, TimeUnit.MINUTES);
                      }
                      handled.add(record.offset());
                    })
                .build();
        Admin admin = KafkaFixtures.admin(kafka)) {
      try {
        runner.start();
        await()
            .atMost(WAIT)
            .untilAsserted(
                () ->
                    assertThat(handled.stream().filter(offset -> offset % 50 != 0).count())
                        .as("records of the other 49 keys handled while k0 is blocked")
                        .isEqualTo(490));
        await()
            .atMost(WAIT)
            .untilAsserted(
                () ->
                    assertThat(KafkaFixtures.committed(admin, names.groupId()))
                        .as("the commit reaches the blocked record")
                        .containsEntry(partition, stuckOffset));
        assertThat(handled)
            .as("k0's records behind the blocked one wait for it")
            .doesNotContain(300L, 350L, 400L, 450L)
            .contains(0L, 50L, 100L, 150L, 200L);
        assertThat(KafkaFixtures.committed(admin, names.groupId()))
            .as("nothing past the blocked record is committed")
            .containsEntry(partition, stuckOffset);
      } finally {
        release.countDown();
      }
      await().atMost(WAIT).until(() -> handled.size() == 500);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(KafkaFixtures.committed(admin, names.groupId()))
                      .containsEntry(partition, 500L));
      assertThat(runner.state()).isEqualTo(ConsumerRunner.State.RUNNING);
    }
  }

  @Test
  void aTopicPatternSubscribesToEveryMatchingTopic(KafkaCluster kafka, TestNames names)
      throws Exception {
    kafka.createTopic(names.topic("a"), 2, 1);
    kafka.createTopic(names.topic("b"), 1, 1);
    KafkaFixtures.produceKeyed(kafka, names.topic("a"), 50, 5);
    KafkaFixtures.produceKeyed(kafka, names.topic("b"), 30, 5);
    Set<String> topics = ConcurrentHashMap.newKeySet();
    AtomicInteger processed = new AtomicInteger();
    try (ConsumerRunner<String, String> runner =
        ConsumerRunner.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .groupId(names.groupId())
            .topicPattern(Pattern.compile(Pattern.quote(names.topic()) + "-(a|b)"))
            .handler(
                record -> {
                  topics.add(record.topic());
                  processed.incrementAndGet();
                })
            .build()) {
      runner.start();
      await().atMost(WAIT).until(() -> processed.get() == 80);
    }
    assertThat(topics).containsExactlyInAnyOrder(names.topic("a"), names.topic("b"));
  }

  private static int sequence(ConsumerRecord<String, String> record) {
    return Integer.parseInt(record.value().substring(record.value().indexOf(':') + 1));
  }
}
