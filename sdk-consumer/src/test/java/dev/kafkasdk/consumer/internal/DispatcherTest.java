package dev.kafkasdk.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.consumer.BatchHandler;
import dev.kafkasdk.consumer.HandlerFailedException;
import dev.kafkasdk.consumer.Ordering;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The dispatcher without Kafka: lanes, abandonment and failure reporting. */
class DispatcherTest {
  private static final TopicPartition TP = new TopicPartition("t", 0);

  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final LinkedBlockingQueue<Completion<String, String>> completions =
      new LinkedBlockingQueue<>();
  private final RunnerMetrics metrics =
      new RunnerMetrics(new SimpleMeterRegistry(), "test", List.of());

  @AfterEach
  void stop() {
    executor.shutdownNow();
    timer.shutdownNow();
  }

  private Dispatcher<String, String> dispatcher(
      Ordering ordering,
      int batchSize,
      BatchHandler<String, String> handler,
      FailurePolicy policy) {
    return dispatcher(ordering, batchSize, HandlerInvoker.ofBatch(handler), policy);
  }

  private Dispatcher<String, String> dispatcher(
      Ordering ordering,
      int batchSize,
      HandlerInvoker<String, String> invoker,
      FailurePolicy policy) {
    return fixture()
        .ordering(ordering)
        .batchSize(batchSize)
        .invoker(invoker)
        .policy(policy)
        .metrics(metrics)
        .build();
  }

  private DispatcherFixture fixture() {
    return new DispatcherFixture(executor, timer, completions);
  }

  private static List<ConsumerRecord<byte[], byte[]>> records(int count, int keys) {
    return records(count, keys, "k");
  }

  private static List<ConsumerRecord<byte[], byte[]>> records(int count, int keys, String prefix) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      records.add(
          new ConsumerRecord<>(
              TP.topic(),
              TP.partition(),
              i,
              (prefix + (i % keys)).getBytes(StandardCharsets.UTF_8),
              ("v" + i).getBytes(StandardCharsets.UTF_8)));
    }
    return records;
  }

  /** Awaits completions until they cover {@code records} records. */
  private List<Completion<String, String>> awaitRecords(int records) throws InterruptedException {
    List<Completion<String, String>> done = new ArrayList<>();
    int covered = 0;
    while (covered < records) {
      Completion<String, String> completion = completions.poll(30, TimeUnit.SECONDS);
      assertThat(completion).as("completion after %d of %d records", covered, records).isNotNull();
      done.add(completion);
      covered += completion.work().records().size();
    }
    assertThat(covered).isEqualTo(records);
    return done;
  }

  private List<Completion<String, String>> await(int count) throws InterruptedException {
    List<Completion<String, String>> done = new ArrayList<>();
    while (done.size() < count) {
      Completion<String, String> completion = completions.poll(30, TimeUnit.SECONDS);
      assertThat(completion).as("completion %d of %d", done.size() + 1, count).isNotNull();
      done.add(completion);
    }
    return done;
  }

  @Test
  void idleKeyLanesAreReusedAndForgottenOnceThereAreMany() throws Exception {
    Dispatcher<String, String> dispatcher =
        dispatcher(Ordering.KEY, 1, batch -> {}, FailurePolicy.STOP);
    PartitionState<String, String> state = new PartitionState<>(TP, 1);
    dispatcher.dispatch(state, records(70, 7));
    await(70).forEach(completion -> dispatcher.settled(completion));
    assertThat(state.lanes().keyLanes).as("lanes of recurring keys are kept").hasSize(7);
    SerialLane<String, String> firstLane = state.lanes().keyLanes.values().iterator().next();

    dispatcher.dispatch(state, records(14, 7));
    await(14).forEach(completion -> dispatcher.settled(completion));
    assertThat(state.lanes().keyLanes).hasSize(7).containsValue(firstLane);

    // More keys than a partition keeps: the sweep forgets the seven idle lanes, not busy ones.
    int many = LaneRouter.KEY_LANES_KEPT + 1;
    dispatcher.dispatch(state, records(many, many, "new-"));
    assertThat(state.lanes().keyLanes).hasSize(many).doesNotContainValue(firstLane);
    await(many).forEach(completion -> dispatcher.settled(completion));
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> dispatcher.running() == 0);
  }

  @Test
  void keyLanesRunEachKeyInOrder() throws Exception {
    Map<String, List<Long>> byKey = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> active = new ConcurrentHashMap<>();
    AtomicInteger overlaps = new AtomicInteger();
    Dispatcher<String, String> dispatcher =
        dispatcher(
            Ordering.KEY,
            1,
            batch -> {
              ConsumerRecord<String, String> record = batch.get(0);
              if (active.computeIfAbsent(record.key(), k -> new AtomicInteger()).incrementAndGet()
                  > 1) {
                overlaps.incrementAndGet();
              }
              Thread.sleep(ThreadLocalRandom.current().nextInt(2));
              byKey
                  .computeIfAbsent(
                      record.key(), k -> Collections.synchronizedList(new ArrayList<>()))
                  .add(record.offset());
              active.get(record.key()).decrementAndGet();
            },
            FailurePolicy.STOP);
    PartitionState<String, String> state = new PartitionState<>(TP, 1);
    dispatcher.dispatch(state, records(300, 7));
    for (Completion<String, String> completion : await(300)) {
      assertThat(completion.outcome()).isEqualTo(Outcome.DONE);
      dispatcher.settled(completion);
    }
    assertThat(overlaps).hasValue(0);
    assertThat(byKey).hasSize(7);
    assertThat(byKey.values().stream().mapToInt(List::size).sum()).isEqualTo(300);
    byKey.values().forEach(offsets -> assertThat(offsets).isSorted());
    // A worker reports its completion just before it stops counting itself as running.
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> dispatcher.running() == 0);
  }

  /**
   * KEY ordering's fast path meets a record it cannot deserialize: the run hands the rest back to
   * the key lanes, the poison record is decided there (skipped here) and every other record is
   * handled once, in order per key, and the commit reaches the end.
   */
  @Test
  void aPoisonRecordInAFastRunIsHandedBackAndDecidedInItsKeyLane() throws Exception {
    Map<String, List<Long>> byKey = new ConcurrentHashMap<>();
    List<Long> skipped = new CopyOnWriteArrayList<>();
    Dispatcher<String, String> dispatcher =
        fixture()
            .ordering(Ordering.KEY)
            .invoker(
                HandlerInvoker.of(
                    record ->
                        byKey
                            .computeIfAbsent(record.key(), k -> new CopyOnWriteArrayList<>())
                            .add(record.offset())))
            .policy(
                failure -> {
                  failure.records().forEach(r -> skipped.add(r.offset()));
                  return FailurePolicy.Decision.DONE;
                })
            .values(
                (topic, bytes) -> {
                  String value = new String(bytes, StandardCharsets.UTF_8);
                  if (value.equals("v3")) {
                    throw new IllegalArgumentException("poison");
                  }
                  return value;
                })
            .cheapEnough(records -> true)
            .metrics(metrics)
            .build();
    PartitionState<String, String> state = new PartitionState<>(TP, 1);
    List<ConsumerRecord<byte[], byte[]>> records = records(10, 3);
    state.register(records);
    dispatcher.dispatch(state, records);
    List<Outcome> outcomes = new ArrayList<>();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              for (Completion<String, String> c; (c = completions.poll()) != null; ) {
                outcomes.add(c.outcome());
                dispatcher.settled(c);
                state.finish(
                    c.work(),
                    c.outcome() == Outcome.DONE ? c.work().records().size() : c.work().cursor);
              }
              return state.unfinished() == 0;
            });
    assertThat(outcomes).as("the fast run handed back once").containsOnlyOnce(Outcome.HANDED_BACK);
    assertThat(skipped).containsExactly(3L);
    assertThat(byKey.values().stream().mapToInt(List::size).sum()).isEqualTo(9);
    byKey.values().forEach(offsets -> assertThat(offsets).isSorted().doesNotHaveDuplicates());
    assertThat(state.committable()).hasValue(10);
  }

  /**
   * A poll that finds the fast path's partition lane busy while the handler is no longer cheap
   * waits for the lane and then goes to the key lanes, instead of queueing behind it: a backlogged
   * partition would otherwise stay on one lane however slow the handler became. Seen failing before
   * the wait (the second poll queued behind the first).
   */
  @Test
  void aPollMeetingABusyFastLaneWhenTheHandlerIsNoLongerCheapGoesToTheKeyLanes() throws Exception {
    CountDownLatch blocked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean cheap = new AtomicBoolean(true);
    Map<String, List<Long>> byKey = new ConcurrentHashMap<>();
    Dispatcher<String, String> dispatcher =
        fixture()
            .ordering(Ordering.KEY)
            .invoker(
                HandlerInvoker.of(
                    record -> {
                      if (record.offset() == 0) {
                        blocked.countDown();
                        release.await(30, TimeUnit.SECONDS);
                      }
                      byKey
                          .computeIfAbsent(record.key(), k -> new CopyOnWriteArrayList<>())
                          .add(record.offset());
                    }))
            .cheapEnough(records -> cheap.get())
            .metrics(metrics)
            .build();
    PartitionState<String, String> state = new PartitionState<>(TP, 1);
    List<ConsumerRecord<byte[], byte[]>> records = records(20, 3);
    List<ConsumerRecord<byte[], byte[]>> first = records.subList(0, 10);
    List<ConsumerRecord<byte[], byte[]>> second = records.subList(10, 20);
    state.register(first);
    dispatcher.dispatch(state, first);
    assertThat(blocked.await(30, TimeUnit.SECONDS)).isTrue();
    cheap.set(false);
    state.register(second);
    dispatcher.dispatch(state, second);
    assertThat(state.lanes().partitionLane.pendingWork)
        .as("the second poll did not queue behind the busy partition lane")
        .isEqualTo(1);
    release.countDown();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              for (Completion<String, String> c; (c = completions.poll()) != null; ) {
                dispatcher.settled(c);
                state.finish(
                    c.work(),
                    c.outcome() == Outcome.DONE ? c.work().records().size() : c.work().cursor);
              }
              return state.unfinished() == 0;
            });
    assertThat(state.lanes().keyLanes).as("the second poll ran in key lanes").hasSize(3);
    assertThat(byKey.values().stream().mapToInt(List::size).sum()).isEqualTo(20);
    byKey.values().forEach(offsets -> assertThat(offsets).isSorted().doesNotHaveDuplicates());
    assertThat(state.committable()).hasValue(20);
  }

  @Test
  void batchesHoldOneLaneAndRespectTheBatchSize() throws Exception {
    List<List<ConsumerRecord<String, String>>> batches =
        Collections.synchronizedList(new ArrayList<>());
    Dispatcher<String, String> dispatcher =
        dispatcher(Ordering.KEY, 4, batches::add, FailurePolicy.STOP);
    dispatcher.dispatch(new PartitionState<>(TP, 1), records(20, 2));
    await(6);
    assertThat(batches).hasSize(6); // 10 records per key, in batches of 4, 4 and 2
    for (List<ConsumerRecord<String, String>> batch : batches) {
      assertThat(batch).hasSizeBetween(1, 4);
      assertThat(batch.stream().map(ConsumerRecord::key).distinct()).hasSize(1);
    }
  }

  @Test
  void workOfARevokedPartitionOrAHaltedDispatcherIsAbandoned() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    AtomicInteger ran = new AtomicInteger();
    Dispatcher<String, String> dispatcher =
        dispatcher(
            Ordering.PARTITION,
            1,
            batch -> {
              entered.countDown();
              gate.await();
              ran.incrementAndGet();
            },
            FailurePolicy.STOP);
    PartitionState<String, String> state = new PartitionState<>(TP, 1);
    dispatcher.dispatch(state, records(5, 1));
    // The first record is running (blocked); the others wait in the partition's lane.
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
    state.revoke();
    gate.countDown();
    List<Completion<String, String>> done = await(5);
    assertThat(done.get(0).outcome()).isEqualTo(Outcome.DONE);
    assertThat(done.subList(1, 5))
        .allSatisfy(c -> assertThat(c.outcome()).isEqualTo(Outcome.ABANDONED));
    assertThat(ran).hasValue(1);

    dispatcher.halt();
    dispatcher.dispatch(new PartitionState<>(TP, 2), records(3, 1));
    assertThat(await(3)).allSatisfy(c -> assertThat(c.outcome()).isEqualTo(Outcome.ABANDONED));
  }

  @Test
  void aHandlerFailureIsReportedWithTheRecordUnlessThePolicyTakesIt() throws Exception {
    IllegalStateException boom = new IllegalStateException("boom");
    BatchHandler<String, String> failing =
        batch -> {
          if (batch.get(0).offset() == 1) {
            throw boom;
          }
        };
    Dispatcher<String, String> stopping =
        dispatcher(Ordering.UNORDERED, 1, failing, FailurePolicy.STOP);
    stopping.dispatch(new PartitionState<>(TP, 1), records(3, 3));
    Completion<String, String> failed =
        await(3).stream().filter(c -> c.outcome() == Outcome.FAILED).findFirst().orElseThrow();
    assertThat(failed.error())
        .isInstanceOfSatisfying(
            HandlerFailedException.class,
            e -> {
              assertThat(e.partition()).isEqualTo(TP);
              assertThat(e.offset()).isEqualTo(1);
              assertThat(e.getCause()).isSameAs(boom);
            });

    Dispatcher<String, String> forgiving =
        dispatcher(Ordering.UNORDERED, 1, failing, failure -> FailurePolicy.Decision.DONE);
    forgiving.dispatch(new PartitionState<>(TP, 2), records(3, 3));
    assertThat(await(3)).allSatisfy(c -> assertThat(c.outcome()).isEqualTo(Outcome.DONE));
  }

  @Test
  void workWaitingForItsDeadLetterOrARetryHoldsItsLaneButNotOthers() throws Exception {
    CompletableFuture<Void> ack = new CompletableFuture<>();
    List<Long> ran = new CopyOnWriteArrayList<>();
    AtomicInteger tries = new AtomicInteger();
    BatchHandler<String, String> invoker =
        batch -> {
          ConsumerRecord<String, String> record = batch.get(0);
          ran.add(record.offset());
          if (record.offset() == 2 && tries.incrementAndGet() < 3) {
            throw new IllegalStateException("retry me");
          }
          if (record.offset() == 4) {
            throw new IllegalStateException("dead-letter me");
          }
        };
    FailurePolicy policy =
        failure ->
            failure.records().get(0).offset() == 2
                ? new FailurePolicy.Decision.Retry(Duration.ofMillis(50))
                : new FailurePolicy.Decision.Await(ack);
    Dispatcher<String, String> dispatcher = dispatcher(Ordering.KEY, 1, invoker, policy);
    // Keys alternate: k0 has offsets 0, 2, 4, 6; k1 has 1, 3, 5, 7.
    dispatcher.dispatch(new PartitionState<>(TP, 1), records(8, 2));
    List<Completion<String, String>> first = await(6);
    assertThat(first).allSatisfy(c -> assertThat(c.outcome()).isEqualTo(Outcome.DONE));
    assertThat(first.stream().map(c -> c.work().firstOffset()))
        .containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 5L, 7L);
    assertThat(tries).hasValue(3);
    // An unacknowledged dead letter counts as running, and k0 waits behind it.
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ran.contains(4L) && dispatcher.running() == 1);
    Awaitility.await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(30))
        .until(() -> !ran.contains(6L) && completions.isEmpty());
    ack.complete(null);
    List<Completion<String, String>> rest = await(2);
    assertThat(rest.stream().map(c -> c.work().firstOffset())).containsExactly(4L, 6L);
    assertThat(ran.indexOf(6L)).isGreaterThan(ran.lastIndexOf(4L));
  }

  @ParameterizedTest
  @EnumSource(Ordering.class)
  void anUnexpectedThrowableFailsItsWorkAndHoldsBackOnlyWhatWaitsBehindIt(Ordering ordering)
      throws Exception {
    List<Long> handled = new CopyOnWriteArrayList<>();
    BatchHandler<String, String> handler =
        batch -> {
          long offset = batch.get(0).offset();
          if (offset == 0) {
            throw new IllegalStateException("fail me");
          }
          handled.add(offset);
        };
    // Not a handler failure: the failure policy itself breaks with an Error.
    FailurePolicy broken =
        failure -> {
          throw new AssertionError("a broken failure policy");
        };
    Dispatcher<String, String> dispatcher = dispatcher(ordering, 1, handler, broken);
    // Eight keys: k0 has offsets 0 and 8; four workers, so several lanes start together.
    dispatcher.dispatch(new PartitionState<>(TP, 1), records(16, 8));
    List<Long> heldBack =
        switch (ordering) {
          case PARTITION ->
              List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L);
          case KEY -> List.of(8L);
          case UNORDERED -> List.of();
        };
    List<Completion<String, String>> done = await(16 - heldBack.size());
    List<Completion<String, String>> failed =
        done.stream().filter(c -> c.outcome() != Outcome.DONE).toList();
    assertThat(failed).as("completions other than DONE").hasSize(1);
    assertThat(failed.get(0).outcome()).isEqualTo(Outcome.FAILED);
    assertThat(failed.get(0).work().firstOffset()).isEqualTo(0);
    assertThat(failed.get(0).error())
        .isInstanceOfSatisfying(
            HandlerFailedException.class, e -> assertThat(e.offset()).isEqualTo(0));
    assertThat(handled).as("records waiting behind the failed one").noneMatch(heldBack::contains);
    assertThat(handled).hasSize(15 - heldBack.size());
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(dispatcher.running()).as("handler calls counted as running").isZero());
    assertThat(completions.poll(200, TimeUnit.MILLISECONDS))
        .as("no record runs past the failed one")
        .isNull();
  }

  // ---------------------------------------------------------------- record handlers: runs

  @Test
  void aRecordHandlerGetsRunsOfRecordsButEachRecordIsOneCall() throws Exception {
    List<Long> handled = new CopyOnWriteArrayList<>();
    Dispatcher<String, String> dispatcher =
        dispatcher(
            Ordering.PARTITION,
            1,
            HandlerInvoker.of(record -> handled.add(record.offset())),
            FailurePolicy.STOP);
    dispatcher.dispatch(new PartitionState<>(TP, 1), records(150, 3));
    List<Completion<String, String>> done = await(3); // runs of 64, 64 and 22
    assertThat(done).allSatisfy(c -> assertThat(c.outcome()).isEqualTo(Outcome.DONE));
    assertThat(done.stream().map(c -> c.work().records().size()))
        .containsExactly(
            RunLength.RECORD_RUN, RunLength.RECORD_RUN, 150 - 2 * RunLength.RECORD_RUN);
    assertThat(handled).hasSize(150).isSorted();
  }

  @Test
  void runsAreSizedByTheHandlersSpeed() throws Exception {
    Dispatcher<String, String> slow =
        dispatcher(
            Ordering.PARTITION,
            1,
            HandlerInvoker.of(record -> Thread.sleep(3)), // simulated work: 3 ms per record
            FailurePolicy.STOP);
    PartitionState<String, String> state = new PartitionState<>(TP, 1);
    slow.dispatch(state, records(4, 1));
    assertThat(await(1).get(0).work().records()).as("one run before timing").hasSize(4);
    // 3 ms per record is past the 1 ms a run should take: one record per unit.
    slow.dispatch(state, records(3, 1));
    assertThat(await(3)).allSatisfy(c -> assertThat(c.work().records()).hasSize(1));

    Dispatcher<String, String> fast =
        dispatcher(Ordering.PARTITION, 1, HandlerInvoker.of(record -> {}), FailurePolicy.STOP);
    PartitionState<String, String> other = new PartitionState<>(TP, 2);
    // Enough timed runs that a slow cold start (interpreted code, class loading) has decayed out
    // of the moving average; each dispatch is awaited whole, however many units it was cut into.
    for (int i = 0; i < 40; i++) {
      fast.dispatch(other, records(RunLength.RECORD_RUN, 1));
      awaitRecords(RunLength.RECORD_RUN);
    }
    // A no-op handler takes far less than 1 ms / 64 per record: runs grow past the first length.
    fast.dispatch(other, records(2 * RunLength.MAX_RECORD_RUN, 1));
    List<Completion<String, String>> done = awaitRecords(2 * RunLength.MAX_RECORD_RUN);
    assertThat(done.get(0).work().records().size()).isGreaterThan(RunLength.RECORD_RUN);
    assertThat(done)
        .allSatisfy(
            c ->
                assertThat(c.work().records().size())
                    .isLessThanOrEqualTo(RunLength.MAX_RECORD_RUN));
  }

  @Test
  void unorderedRunsAreSpreadOverTheWorkers() throws Exception {
    Dispatcher<String, String> dispatcher =
        dispatcher(Ordering.UNORDERED, 1, HandlerInvoker.of(record -> {}), FailurePolicy.STOP);
    dispatcher.dispatch(new PartitionState<>(TP, 1), records(10, 10));
    // Four workers: runs of ceil(10 / 4) = 3 records, so no worker is left idle.
    assertThat(await(4).stream().mapToInt(c -> c.work().records().size()).sorted())
        .containsExactly(1, 3, 3, 3);
  }

  @Test
  void aFailingRecordIsRetriedAloneAndTheRecordsBeforeItRunOnce() throws Exception {
    List<Long> handled = new CopyOnWriteArrayList<>();
    AtomicInteger tries = new AtomicInteger();
    List<FailurePolicy.Failure> failures = new CopyOnWriteArrayList<>();
    HandlerInvoker<String, String> invoker =
        HandlerInvoker.of(
            record -> {
              handled.add(record.offset());
              if (record.offset() == 5 && tries.incrementAndGet() < 3) {
                throw new IllegalStateException("retry me");
              }
            });
    FailurePolicy policy =
        failure -> {
          failures.add(failure);
          return new FailurePolicy.Decision.Retry(Duration.ofMillis(20));
        };
    Dispatcher<String, String> dispatcher = dispatcher(Ordering.PARTITION, 1, invoker, policy);
    dispatcher.dispatch(new PartitionState<>(TP, 1), records(10, 1));
    Completion<String, String> done = await(1).get(0);
    assertThat(done.outcome()).isEqualTo(Outcome.DONE);
    assertThat(handled).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 5L, 5L, 6L, 7L, 8L, 9L);
    assertThat(failures).hasSize(2);
    assertThat(failures)
        .allSatisfy(
            f -> {
              assertThat(f.records()).hasSize(1);
              assertThat(f.records().get(0).offset()).isEqualTo(5);
              assertThat(f.raw()).hasSize(1);
            });
    assertThat(failures.get(1).attempts()).isEqualTo(2);
  }

  @Test
  void aRecordThePolicyTakesIsSkippedAndTheRunGoesOn() throws Exception {
    List<Long> handled = new CopyOnWriteArrayList<>();
    HandlerInvoker<String, String> invoker =
        HandlerInvoker.of(
            record -> {
              if (record.offset() == 2 || record.offset() == 7) {
                throw new IllegalStateException("skip me");
              }
              handled.add(record.offset());
            });
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Dispatcher<String, String> dispatcher =
        fixture()
            .invoker(invoker)
            .policy(failure -> FailurePolicy.Decision.DONE)
            .metrics(new RunnerMetrics(registry, "runs", List.of()))
            .build();
    dispatcher.dispatch(new PartitionState<>(TP, 1), records(10, 1));
    Completion<String, String> done = await(1).get(0);
    assertThat(done.outcome()).isEqualTo(Outcome.DONE);
    assertThat(done.work().cursor).isEqualTo(10);
    assertThat(handled).containsExactly(0L, 1L, 3L, 4L, 5L, 6L, 8L, 9L);
    assertThat(registry.get("ksdk.consumer.records").tag("outcome", "success").counter().count())
        .isEqualTo(8);
    assertThat(registry.get("ksdk.consumer.records").tag("outcome", "failure").counter().count())
        .isEqualTo(2);
    assertThat(registry.get("ksdk.consumer.process").tag("outcome", "success").timer().count())
        .as("one timed call per record")
        .isEqualTo(8);
  }

  @Test
  void aStopInsideARunReportsTheFailingRecordAndKeepsTheFinishedPrefix() throws Exception {
    IllegalStateException boom = new IllegalStateException("boom");
    Dispatcher<String, String> dispatcher =
        dispatcher(
            Ordering.PARTITION,
            1,
            HandlerInvoker.of(
                record -> {
                  if (record.offset() == 3) {
                    throw boom;
                  }
                }),
            FailurePolicy.STOP);
    dispatcher.dispatch(new PartitionState<>(TP, 1), records(10, 1));
    Completion<String, String> failed = await(1).get(0);
    assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(failed.work().cursor).as("offsets 0-2 finished").isEqualTo(3);
    assertThat(failed.error())
        .isInstanceOfSatisfying(
            HandlerFailedException.class,
            e -> {
              assertThat(e.offset()).isEqualTo(3);
              assertThat(e.getCause()).isSameAs(boom);
            });
  }

  @Test
  void aRunWaitsForItsDeadLetterBeforeGoingOn() throws Exception {
    CompletableFuture<Void> ack = new CompletableFuture<>();
    List<Long> handled = new CopyOnWriteArrayList<>();
    Dispatcher<String, String> dispatcher =
        dispatcher(
            Ordering.PARTITION,
            1,
            HandlerInvoker.of(
                record -> {
                  handled.add(record.offset());
                  if (record.offset() == 1) {
                    throw new IllegalStateException("dead-letter me");
                  }
                }),
            failure -> new FailurePolicy.Decision.Await(ack));
    dispatcher.dispatch(new PartitionState<>(TP, 1), records(4, 1));
    Awaitility.await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(30))
        .until(() -> handled.equals(List.of(0L, 1L)) && completions.isEmpty());
    assertThat(dispatcher.running()).isEqualTo(1);
    ack.complete(null);
    Completion<String, String> done = await(1).get(0);
    assertThat(done.outcome()).isEqualTo(Outcome.DONE);
    assertThat(handled).containsExactly(0L, 1L, 2L, 3L);
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> dispatcher.running() == 0);
  }

  @Test
  void aRevokedPartitionStopsARunBetweenRecords() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    List<Long> handled = new CopyOnWriteArrayList<>();
    Dispatcher<String, String> dispatcher =
        dispatcher(
            Ordering.PARTITION,
            1,
            HandlerInvoker.of(
                record -> {
                  handled.add(record.offset());
                  entered.countDown();
                  gate.await();
                }),
            FailurePolicy.STOP);
    PartitionState<String, String> state = new PartitionState<>(TP, 1);
    dispatcher.dispatch(state, records(5, 1));
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
    state.revoke();
    gate.countDown();
    Completion<String, String> done = await(1).get(0);
    assertThat(done.outcome()).isEqualTo(Outcome.ABANDONED);
    assertThat(done.work().cursor).as("the record that was running finished").isEqualTo(1);
    assertThat(handled).containsExactly(0L);
  }

  @Test
  void anOpenRunShowsItsFinishedPrefixWhileARecordHangs() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Dispatcher<String, String> dispatcher =
        dispatcher(
            Ordering.PARTITION,
            1,
            HandlerInvoker.of(
                record -> {
                  if (record.offset() == 5) {
                    release.await();
                  }
                }),
            FailurePolicy.STOP);
    PartitionState<String, String> state = new PartitionState<>(TP, 1);
    dispatcher.dispatch(state, records(10, 1));
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> state.openRuns().size() == 1 && state.openRuns().iterator().next().cursor == 5);
    release.countDown();
    assertThat(await(1).get(0).outcome()).isEqualTo(Outcome.DONE);
    assertThat(state.openRuns()).as("a reported run is no longer open").isEmpty();
  }

  // ---------------------------------------------------------------- errors and interrupts

  @Test
  void anErrorOfTheJvmFailsTheWorkWithoutAskingThePolicyButAStackOverflowIsTheRecords()
      throws Exception {
    List<Long> asked = new CopyOnWriteArrayList<>();
    FailurePolicy skipping =
        failure -> {
          asked.add(failure.records().get(0).offset());
          return FailurePolicy.Decision.DONE;
        };
    Dispatcher<String, String> dispatcher =
        dispatcher(
            Ordering.PARTITION,
            1,
            HandlerInvoker.of(
                record -> {
                  if (record.offset() == 2) {
                    throw new StackOverflowError("payload nested too deeply");
                  }
                  if (record.offset() == 4) {
                    throw new OutOfMemoryError("heap full");
                  }
                }),
            skipping);
    dispatcher.dispatch(new PartitionState<>(TP, 1), records(8, 1));
    Completion<String, String> failed = await(1).get(0);
    assertThat(asked).as("the policy decides the stack overflow only").containsExactly(2L);
    assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(failed.work().cursor).as("offsets 0-3 finished, 4 not").isEqualTo(4);
    assertThat(failed.error())
        .isInstanceOfSatisfying(
            HandlerFailedException.class,
            e -> {
              assertThat(e.offset()).isEqualTo(4);
              assertThat(e.getCause()).isInstanceOf(OutOfMemoryError.class);
            });
  }
}
