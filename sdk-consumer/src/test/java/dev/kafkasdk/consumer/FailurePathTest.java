package dev.kafkasdk.consumer;

import static dev.kafkasdk.consumer.KafkaFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The failure path against a real broker: attempts are counted per record (with and without a
 * circuit breaker), errors of the JVM and interrupts are not a record's failure, and a rate limit
 * below the batch size still lets every record through.
 */
@KafkaTest
class FailurePathTest {
  private static final int RECORDS = 10;

  /**
   * Every even offset fails on its first call only. With two attempts per record each of them
   * succeeds on its retry, whatever the failure action: an attempt of one record is never charged
   * to the next.
   */
  @ParameterizedTest
  // Retry topics move a record on after its in-place attempts: RetryTopicsTest covers them.
  @EnumSource(
      value = FailureAction.Kind.class,
      names = {"STOP", "SKIP", "DEAD_LETTER"})
  void attemptsAndTheFirstFailureBelongToOneRecord(
      FailureAction.Kind kind, KafkaCluster kafka, TestNames names) throws Exception {
    String topic = onePartition(kafka, names, RECORDS);
    Map<Long, AtomicInteger> calls = new ConcurrentHashMap<>();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    FailureAction action =
        switch (kind) {
          case STOP -> FailureAction.stop();
          case SKIP -> FailureAction.skip();
          case DEAD_LETTER -> FailureAction.deadLetter();
          case RETRY_TOPICS -> throw new IllegalArgumentException("not a case of this test");
        };
    try (Admin admin = KafkaFixtures.admin(kafka);
        ConsumerRunner<String, String> runner =
            runner(kafka, names, topic, registry)
                .retry(quickRetries(2))
                .onFailure(action)
                .handler(
                    record -> {
                      int call = countCall(calls, record);
                      if (record.offset() % 2 == 0 && call == 1) {
                        throw new IllegalStateException("first call of " + record.offset());
                      }
                    })
                .build()) {
      runner.start();
      awaitCommitted(admin, names.groupId(), topic, RECORDS);
      assertThat(runner.state()).isEqualTo(ConsumerRunner.State.RUNNING);
      assertThat(registry.get(ConsumerMeters.SKIPPED).counter().count()).isZero();
      assertThat(registry.find(ConsumerMeters.DEAD_LETTERS).counters())
          .allSatisfy(c -> assertThat(c.count()).isZero());
    }
    assertThat(calls).hasSize(RECORDS);
    calls.forEach(
        (offset, count) ->
            assertThat(count).as("calls of offset %d", offset).hasValue(offset % 2 == 0 ? 2 : 1));
    assertThat(KafkaFixtures.readDeadLetters(kafka, topic + ".DLT")).isEmpty();
  }

  /**
   * Offset 3 always fails, and its first failure opens a small breaker (the configuration the docs
   * recommend: window 2, one half-open call). Each failed call, the half-open probes included, is
   * one of its attempts, so it is dead-lettered after three calls and the partition goes on.
   */
  @Test
  void aRecordThatOpensTheCircuitIsRetriedToExhaustionAndDeadLettered(
      KafkaCluster kafka, TestNames names) throws Exception {
    String topic = onePartition(kafka, names, RECORDS);
    Map<Long, AtomicInteger> calls = new ConcurrentHashMap<>();
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "downstream",
            CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(2)
                .minimumNumberOfCalls(2)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofMillis(200))
                .permittedNumberOfCallsInHalfOpenState(1)
                .build());
    try (Admin admin = KafkaFixtures.admin(kafka);
        ConsumerRunner<String, String> runner =
            runner(kafka, names, topic, new SimpleMeterRegistry())
                .retry(quickRetries(3))
                .onFailure(FailureAction.deadLetter())
                .circuitBreaker(breaker)
                .handler(
                    record -> {
                      countCall(calls, record);
                      if (record.offset() == 3) {
                        throw new IllegalStateException("offset 3 always fails");
                      }
                    })
                .build()) {
      runner.start();
      awaitCommitted(admin, names.groupId(), topic, RECORDS);
      assertThat(runner.state()).isEqualTo(ConsumerRunner.State.RUNNING);
    }
    calls.forEach(
        (offset, count) ->
            assertThat(count).as("calls of offset %d", offset).hasValue(offset == 3 ? 3 : 1));
    List<ConsumerRecord<byte[], byte[]>> dlt = KafkaFixtures.readDeadLetters(kafka, topic + ".DLT");
    assertThat(dlt).hasSize(1);
    Map<String, String> headers = RetryAndDeadLetterTest.headers(dlt.get(0).headers());
    assertThat(headers)
        .containsEntry(DeadLetterHeaders.ORIGINAL_OFFSET, "3")
        .containsEntry(DeadLetterHeaders.ATTEMPTS, "3");
  }

  /**
   * An {@link OutOfMemoryError} says nothing about the record: with {@code skip()} configured the
   * record is neither retried nor skipped; the runner fails and commits nothing from it on, so the
   * next owner gets it again.
   */
  @Test
  void anOutOfMemoryErrorFailsTheRunnerInsteadOfSkippingTheRecord(
      KafkaCluster kafka, TestNames names) throws Exception {
    String topic = onePartition(kafka, names, RECORDS);
    AtomicInteger calls = new AtomicInteger();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Admin admin = KafkaFixtures.admin(kafka);
        ConsumerRunner<String, String> runner =
            runner(kafka, names, topic, registry)
                .retry(quickRetries(3))
                .onFailure(FailureAction.skip())
                .handler(
                    record -> {
                      if (record.offset() == 5) {
                        calls.incrementAndGet();
                        throw new OutOfMemoryError("simulated: heap full");
                      }
                    })
                .build()) {
      runner.start();
      // A failed runner removes its meters: keep the counter.
      Counter skipped = registry.get(ConsumerMeters.SKIPPED).counter();
      assertThat(runner.awaitTermination(WAIT)).as("the runner stops by itself").isTrue();
      assertThat(runner.state()).isEqualTo(ConsumerRunner.State.FAILED);
      assertThat(runner.failure())
          .get()
          .isInstanceOfSatisfying(
              HandlerFailedException.class,
              e -> {
                assertThat(e.offset()).isEqualTo(5);
                assertThat(e.getCause()).isInstanceOf(OutOfMemoryError.class);
              });
      assertThat(skipped.count()).isZero();
      assertThat(KafkaFixtures.committed(admin, names.groupId()))
          .containsEntry(new TopicPartition(topic, 0), 5L);
    }
    assertThat(calls).as("never retried").hasValue(1);
  }

  /**
   * Something in the application interrupts a worker in the middle of a handler call while the
   * runner runs. That is not the record's failure: with {@code skip()} configured nothing is
   * skipped, the record is run again (without using an attempt: one attempt is all it has), and the
   * interrupt is left set for the executor to see when the task ends.
   */
  @Test
  void anInterruptOutsideAShutdownIsNotTheRecordsFailure(KafkaCluster kafka, TestNames names)
      throws Exception {
    String topic = onePartition(kafka, names, RECORDS);
    AtomicReference<Thread> blocked = new AtomicReference<>();
    AtomicBoolean interruptSeenAfterTask = new AtomicBoolean();
    ThreadPoolExecutor workers =
        new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>()) {
          @Override
          protected void afterExecute(Runnable task, Throwable error) {
            if (Thread.currentThread() == blocked.get() && Thread.currentThread().isInterrupted()) {
              interruptSeenAfterTask.set(true);
            }
          }
        };
    CountDownLatch entered = new CountDownLatch(1);
    Map<Long, AtomicInteger> calls = new ConcurrentHashMap<>();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Admin admin = KafkaFixtures.admin(kafka);
        ConsumerRunner<String, String> runner =
            runner(kafka, names, topic, Strategy.multiWorker(workers, Ordering.PARTITION), registry)
                .onFailure(FailureAction.skip())
                .handler(
                    record -> {
                      int call = countCall(calls, record);
                      if (record.offset() == 5 && call == 1) {
                        blocked.set(Thread.currentThread());
                        entered.countDown();
                        new CountDownLatch(1).await(); // until interrupted
                      }
                    })
                .build()) {
      runner.start();
      assertThat(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      blocked.get().interrupt();
      awaitCommitted(admin, names.groupId(), topic, RECORDS);
      assertThat(runner.state()).isEqualTo(ConsumerRunner.State.RUNNING);
      assertThat(registry.get(ConsumerMeters.SKIPPED).counter().count()).isZero();
    } finally {
      workers.shutdownNow();
    }
    calls.forEach(
        (offset, count) ->
            assertThat(count).as("calls of offset %d", offset).hasValue(offset == 5 ? 2 : 1));
    assertThat(calls).hasSize(RECORDS);
    assertThat(interruptSeenAfterTask).as("the interrupt is not swallowed").isTrue();
  }

  /**
   * The application shuts its own executor down under a running handler: the interrupted record is
   * not skipped; the executor refuses to run it again, so the runner fails and commits nothing from
   * that record on.
   */
  @Test
  void anApplicationExecutorShutDownUnderAHandlerFailsTheRunnerWithoutSkipping(
      KafkaCluster kafka, TestNames names) throws Exception {
    String topic = onePartition(kafka, names, RECORDS);
    ThreadPoolExecutor workers =
        new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
    CountDownLatch entered = new CountDownLatch(1);
    List<Long> handled = new CopyOnWriteArrayList<>();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Admin admin = KafkaFixtures.admin(kafka);
        ConsumerRunner<String, String> runner =
            runner(kafka, names, topic, Strategy.multiWorker(workers, Ordering.PARTITION), registry)
                .onFailure(FailureAction.skip())
                .handler(
                    record -> {
                      if (record.offset() == 5) {
                        entered.countDown();
                        new CountDownLatch(1).await(); // until interrupted
                      }
                      handled.add(record.offset());
                    })
                .build()) {
      runner.start();
      // A failed runner removes its meters: keep the counter.
      Counter skipped = registry.get(ConsumerMeters.SKIPPED).counter();
      assertThat(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      workers.shutdownNow();
      assertThat(runner.awaitTermination(WAIT)).as("the runner stops by itself").isTrue();
      assertThat(runner.state()).isEqualTo(ConsumerRunner.State.FAILED);
      assertThat(skipped.count()).isZero();
      assertThat(KafkaFixtures.committed(admin, names.groupId()))
          .containsEntry(new TopicPartition(topic, 0), 5L);
    } finally {
      workers.shutdownNow();
    }
    assertThat(handled).containsExactly(0L, 1L, 2L, 3L, 4L);
  }

  /**
   * A batch handler whose batch size (100) is above the limiter's permits per period (20): the
   * batches are cut to what one period admits, so every record is handled, in order.
   */
  @Test
  void aRateLimitBelowTheBatchSizeStillAdmitsEveryRecord(KafkaCluster kafka, TestNames names)
      throws Exception {
    String topic = onePartition(kafka, names, 60);
    List<Long> offsets = new CopyOnWriteArrayList<>();
    List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    try (Admin admin = KafkaFixtures.admin(kafka);
        ConsumerRunner<String, String> runner =
            runner(kafka, names, topic, new SimpleMeterRegistry())
                .maxBatchSize(100)
                .rateLimiter(
                    RateLimiterConfig.custom()
                        .limitForPeriod(20)
                        .limitRefreshPeriod(Duration.ofMillis(500))
                        .timeoutDuration(Duration.ZERO)
                        .build())
                .batchHandler(
                    batch -> {
                      batchSizes.add(batch.size());
                      batch.forEach(record -> offsets.add(record.offset()));
                    })
                .build()) {
      runner.start();
      awaitCommitted(admin, names.groupId(), topic, 60);
      assertThat(runner.state()).isEqualTo(ConsumerRunner.State.RUNNING);
    }
    assertThat(offsets).hasSize(60).isSorted().doesNotHaveDuplicates();
    assertThat(batchSizes).allSatisfy(size -> assertThat(size).isBetween(1, 20));
  }

  /** A topic of one partition with {@code records} records, and its dead-letter topic. */
  private static String onePartition(KafkaCluster kafka, TestNames names, int records) {
    String topic = names.topic();
    kafka.createTopic(topic, 1, 1);
    kafka.createTopic(topic + ".DLT", 1, 1);
    KafkaFixtures.produceToPartition(kafka, topic, 0, records);
    return topic;
  }

  /** A runner of the test's group on two workers in partition order. */
  private static ConsumerRunner.Builder<String, String> runner(
      KafkaCluster kafka, TestNames names, String topic, SimpleMeterRegistry registry) {
    return runner(kafka, names, topic, Strategy.multiWorker(2, Ordering.PARTITION), registry);
  }

  private static ConsumerRunner.Builder<String, String> runner(
      KafkaCluster kafka,
      TestNames names,
      String topic,
      Strategy strategy,
      SimpleMeterRegistry registry) {
    return ConsumerRunner.builder()
        .bootstrapServers(kafka.bootstrapServers())
        .groupId(names.groupId())
        .topics(topic)
        .strategy(strategy)
        .meterRegistry(registry);
  }

  /** Retries 20 ms apart. */
  private static RetryPolicy quickRetries(int maxAttempts) {
    return RetryPolicy.builder()
        .maxAttempts(maxAttempts)
        .backoff(IntervalFunction.of(Duration.ofMillis(20)))
        .build();
  }

  /** Counts a handler call of the record; returns which call of that record it is, from 1. */
  private static int countCall(Map<Long, AtomicInteger> calls, ConsumerRecord<?, ?> record) {
    return calls.computeIfAbsent(record.offset(), o -> new AtomicInteger()).incrementAndGet();
  }

  private static void awaitCommitted(Admin admin, String group, String topic, long offset) {
    TopicPartition partition = new TopicPartition(topic, 0);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(KafkaFixtures.committed(admin, group)).containsEntry(partition, offset));
  }
}
