package dev.kafkasdk.consumer;

import static dev.kafkasdk.consumer.KafkaFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A second runner joins while the first has records in flight. Both runners block on offset 10 of
 * every partition, so the partition that moves is revoked with a record in flight.
 */
@KafkaTest
class RebalanceTest {
  private static final int PER_PARTITION = 20;
  private static final long BLOCKED = 10;

  /**
   * The protocols each test runs. The quick run (the normal test command) takes one protocol per
   * test, the consumer protocol here and the classic one in {@link
   * #aCompletionFromAnEarlierAssignmentNeverCountsForTheNextOne}, so both protocols still run; the
   * full run ({@code -Dkafkasdk.tests=full}) takes both in both.
   */
  static Stream<String> takeOverProtocols() {
    return TestSizes.full() ? Stream.of("classic", "consumer") : Stream.of("consumer");
  }

  /** See {@link #takeOverProtocols()}. */
  static Stream<String> earlierAssignmentProtocols() {
    return TestSizes.full() ? Stream.of("classic", "consumer") : Stream.of("classic");
  }

  @ParameterizedTest
  @MethodSource("takeOverProtocols")
  void aJoiningRunnerTakesOverWithoutLossAndLateCompletionsAreNeverCommitted(
      String protocol, KafkaCluster kafka, TestNames names) throws Exception {
    kafka.createTopic(names.topic(), 2, 1);
    KafkaFixtures.produceToPartition(kafka, names.topic(), 0, PER_PARTITION);
    KafkaFixtures.produceToPartition(kafka, names.topic(), 1, PER_PARTITION);
    Set<TopicPartitionOffset> processedA = ConcurrentHashMap.newKeySet();
    Set<TopicPartitionOffset> processedB = ConcurrentHashMap.newKeySet();
    Set<TopicPartitionOffset> startedB = ConcurrentHashMap.newKeySet();
    CountDownLatch aBlocked = new CountDownLatch(2);
    CountDownLatch releaseA = new CountDownLatch(1);
    CountDownLatch bBlocked = new CountDownLatch(1);
    CountDownLatch releaseB = new CountDownLatch(1);
    try (Admin admin = KafkaFixtures.admin(kafka);
        ConsumerRunner<String, String> a =
            runner(
                kafka,
                names,
                protocol,
                "a",
                ConcurrentHashMap.newKeySet(),
                processedA,
                aBlocked,
                releaseA);
        ConsumerRunner<String, String> b =
            runner(kafka, names, protocol, "b", startedB, processedB, bBlocked, releaseB)) {
      a.start();
      assertThat(aBlocked.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      TopicPartition p0 = new TopicPartition(names.topic(), 0);
      TopicPartition p1 = new TopicPartition(names.topic(), 1);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(KafkaFixtures.committed(admin, names.groupId()))
                      .isEqualTo(Map.of(p0, BLOCKED, p1, BLOCKED)));

      b.start();
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                assertThat(a.assignment()).hasSize(1);
                assertThat(b.assignment()).hasSize(1);
              });
      TopicPartition moved = b.assignment().iterator().next();
      TopicPartition kept = a.assignment().iterator().next();
      // B starts the moved partition at the committed offset: the record A still had in flight is
      // delivered again, nothing before it.
      assertThat(bBlocked.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(offsets(startedB, moved)).containsExactly(BLOCKED);

      // A's blocked calls now finish. The one for the moved partition belongs to the old
      // assignment: it must never be committed, so the commit stays at 10 while B is blocked.
      releaseA.countDown();
      await().atMost(WAIT).until(() -> offsets(processedA, kept).size() == PER_PARTITION);
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(30))
          .until(() -> KafkaFixtures.committed(admin, names.groupId()).get(moved) == BLOCKED);

      releaseB.countDown();
      Map<TopicPartition, Long> end = KafkaFixtures.endOffsets(admin, names.topic(), 2);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(KafkaFixtures.committed(admin, names.groupId())).isEqualTo(end));

      // A stopped dispatching the moved partition when it was revoked.
      assertThat(offsets(processedA, moved))
          .containsExactlyInAnyOrderElementsOf(range(0, BLOCKED + 1));
      // Both made progress after the join, and together they processed everything.
      assertThat(offsets(processedA, kept)).containsAll(range(BLOCKED, PER_PARTITION));
      assertThat(offsets(processedB, moved))
          .containsExactlyInAnyOrderElementsOf(range(BLOCKED, PER_PARTITION));
      Set<TopicPartitionOffset> all = new HashSet<>(processedA);
      all.addAll(processedB);
      assertThat(all).hasSize(2 * PER_PARTITION);
    }
  }

  /**
   * The moved partition comes back to A while A's call from its first assignment still runs. A
   * processes offset 10 again under the new assignment; when the old call finishes, its completion
   * must not count for the new one (Spring Kafka #4687), so nothing is committed past 10 until the
   * new call finishes.
   */
  @ParameterizedTest
  @MethodSource("earlierAssignmentProtocols")
  void aCompletionFromAnEarlierAssignmentNeverCountsForTheNextOne(
      String protocol, KafkaCluster kafka, TestNames names) throws Exception {
    kafka.createTopic(names.topic(), 2, 1);
    KafkaFixtures.produceToPartition(kafka, names.topic(), 0, PER_PARTITION);
    KafkaFixtures.produceToPartition(kafka, names.topic(), 1, PER_PARTITION);
    Map<TopicPartitionOffset, AtomicInteger> startsA = new ConcurrentHashMap<>();
    CountDownLatch firstCallsBlocked = new CountDownLatch(2);
    CountDownLatch releaseFirstCalls = new CountDownLatch(1);
    CountDownLatch secondCallBlocked = new CountDownLatch(1);
    CountDownLatch releaseSecondCall = new CountDownLatch(1);
    Set<TopicPartitionOffset> processedA = ConcurrentHashMap.newKeySet();
    ConsumerRunner<String, String> a =
        ConsumerRunner.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .groupId(names.groupId())
            .topics(names.topic())
            .name(names.groupId() + "-a")
            .property("group.protocol", protocol)
            .strategy(Strategy.multiWorker(4, Ordering.PARTITION))
            .commitInterval(Duration.ofMillis(100))
            .revocationTimeout(Duration.ofSeconds(1))
            .closeTimeout(Duration.ofSeconds(5))
            .handler(
                record -> {
                  TopicPartitionOffset at =
                      new TopicPartitionOffset(record.partition(), record.offset());
                  int start =
                      startsA.computeIfAbsent(at, k -> new AtomicInteger()).incrementAndGet();
                  if (record.offset() == BLOCKED && start == 1) {
                    firstCallsBlocked.countDown();
                    releaseFirstCalls.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                  } else if (record.offset() == BLOCKED) {
                    secondCallBlocked.countDown();
                    releaseSecondCall.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                  }
                  processedA.add(at);
                })
            .build();
    CountDownLatch bBlocked = new CountDownLatch(1);
    ConsumerRunner<String, String> b =
        runner(
            kafka,
            names,
            protocol,
            "b",
            ConcurrentHashMap.newKeySet(),
            ConcurrentHashMap.newKeySet(),
            bBlocked,
            new CountDownLatch(1));
    try (Admin admin = KafkaFixtures.admin(kafka);
        a) {
      a.start();
      assertThat(firstCallsBlocked.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      b.start();
      assertThat(bBlocked.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      TopicPartition moved = b.assignment().iterator().next();
      // B leaves with its call unfinished: it commits nothing past 10 and the partition returns
      // to A under a new assignment, where offset 10 is processed again.
      b.close(Duration.ofSeconds(2));
      assertThat(secondCallBlocked.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(a.assignment()).contains(moved);

      releaseFirstCalls.countDown();
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(30))
          .until(() -> KafkaFixtures.committed(admin, names.groupId()).get(moved) == BLOCKED);

      releaseSecondCall.countDown();
      Map<TopicPartition, Long> end = KafkaFixtures.endOffsets(admin, names.topic(), 2);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(KafkaFixtures.committed(admin, names.groupId())).isEqualTo(end));
      assertThat(startsA.get(new TopicPartitionOffset(moved.partition(), BLOCKED))).hasValue(2);
    } finally {
      b.close();
    }
  }

  private static ConsumerRunner<String, String> runner(
      KafkaCluster kafka,
      TestNames names,
      String protocol,
      String name,
      Set<TopicPartitionOffset> started,
      Set<TopicPartitionOffset> processed,
      CountDownLatch blocked,
      CountDownLatch release) {
    return KafkaFixtures.member(kafka, names, protocol, name)
        .strategy(Strategy.multiWorker(4, Ordering.PARTITION))
        .commitInterval(Duration.ofMillis(100))
        .revocationTimeout(Duration.ofSeconds(2))
        .closeTimeout(Duration.ofSeconds(5))
        .handler(
            (ConsumerRecord<String, String> record) -> {
              started.add(new TopicPartitionOffset(record.partition(), record.offset()));
              if (record.offset() == BLOCKED) {
                blocked.countDown();
                release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
              }
              processed.add(new TopicPartitionOffset(record.partition(), record.offset()));
            })
        .build();
  }

  private static Set<Long> offsets(Set<TopicPartitionOffset> processed, TopicPartition partition) {
    return processed.stream()
        .filter(p -> p.partition() == partition.partition())
        .map(TopicPartitionOffset::offset)
        .collect(Collectors.toSet());
  }

  private static Set<Long> range(long from, long to) {
    return LongStream.range(from, to).boxed().collect(Collectors.toSet());
  }

  private record TopicPartitionOffset(int partition, long offset) {}
}
