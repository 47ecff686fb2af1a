package dev.kafkasdk.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.consumer.FailureAction;
import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.consumer.internal.ModelCase.Fate;
import dev.kafkasdk.consumer.internal.ModelCase.Script;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Model-based test of KEY ordering's fast path (a partition's records in offset order on one lane
 * while its key lanes are idle; {@link LaneRouter}): generated polls of scripted records over 1-3
 * partitions and 1-4 keys, split into 1-4 polls (1-3 of them dispatched at once) that meet runs in
 * flight, with generated answers to "is the handler cheap enough" (so the dispatcher switches
 * between the partition lane and the key lanes from poll to poll), generated failure scripts,
 * retries, skip / dead letter / stop and the completion order the real worker threads give. {@link
 * ModelRun} drives the real dispatcher and offset tracker without a broker and checks each record
 * against {@link AttemptModel} (no record lost, none handled more often than its failures explain),
 * per-key order (no key runs two calls at once or goes back in offset), and that no commit point
 * passes an unfinished record.
 *
 * <p>The second property checks the switch back on failure: one record per partition always fails
 * and is dead-lettered, and its dead letter is acknowledged only once every record of another key
 * in its partition has finished. If the failing record held its partition's lane (as it would under
 * PARTITION ordering), the other keys could never finish and the case would time out.
 *
 * <p>The normal test command runs 100 and 100 cases ({@link QuickTries}); the full run ({@code
 * -Dkafkasdk.tests=full}) 1,000 and 400.
 */
class KeyFastPathModelTest {
  private static final AtomicLong CASES = new AtomicLong();
  private static final AtomicLong RECORDS = new AtomicLong();
  private static final AtomicLong FAST_UNITS = new AtomicLong();
  private static final AtomicLong HANDED_BACK = new AtomicLong();
  private static final AtomicLong WAITED = new AtomicLong();
  private static long startNanos;

  @BeforeContainer
  static void quietAndTimed() {
    for (Class<?> noisy :
        List.of(ConfiguredFailurePolicy.class, AttemptRunner.class, ReadyLanes.class)) {
      System.setProperty("org.slf4j.simpleLogger.log." + noisy.getName(), "off");
    }
    startNanos = System.nanoTime();
  }

  @AfterContainer
  static void summary() {
    System.out.printf(
        "KeyFastPathModelTest: %d cases, %d records, %d fast-path units, %d hand-backs,"
            + " %d polls waiting for a busy partition lane, %.1f s%n",
        CASES.get(),
        RECORDS.get(),
        FAST_UNITS.get(),
        HANDED_BACK.get(),
        WAITED.get(),
        (System.nanoTime() - startNanos) / 1e9);
  }

  @Property(tries = 1000)
  @QuickTries(100)
  void everyRecordEndsAsTheModelSaysWithTheFastPath(@ForAll("cases") FastCase fast) {
    check(fast);
  }

  @Property(tries = 400)
  @QuickTries(100)
  void aFailingRecordInAFastRunDoesNotHoldBackOtherKeys(@ForAll("oneFailure") FastCase fast) {
    check(fast);
  }

  private static void check(FastCase fast) {
    ModelRun run = new ModelRun(fast.model(), fast.fastPath());
    List<String> problems = run.run();
    CASES.incrementAndGet();
    RECORDS.addAndGet(fast.model().recordCount());
    FAST_UNITS.addAndGet(run.fastUnits());
    HANDED_BACK.addAndGet(run.handedBack());
    WAITED.addAndGet(run.waited());
    Statistics.label("fast path").collect(run.fastUnits() > 0);
    Statistics.label("handed back").collect(run.handedBack() > 0);
    Statistics.label("waited for the partition lane").collect(run.waited() > 0);
    Statistics.label("action").collect(fast.model().action());
    Statistics.label("runner stopped").collect(run.stopped());
    assertThat(problems).as("%s", fast).isEmpty();
  }

  /** A model case with the fast path's settings. */
  record FastCase(ModelCase model, ModelRun.FastPath fastPath) {
    @Override
    public String toString() {
      return model
          + "\n  polls "
          + fastPath.polls()
          + " ("
          + fastPath.atOnce()
          + " at once), cheap "
          + fastPath.cheap()
          + (fastPath.ackAfterOtherKeys() ? ", dead letters wait for the other keys" : "");
    }
  }

  @Provide
  Arbitrary<FastCase> cases() {
    Arbitrary<Script> script =
        Combinators.combine(
                Arbitraries.of("a", "b", "c", "d"),
                Arbitraries.frequency(
                    Tuple.of(50, Fate.SUCCEEDS),
                    Tuple.of(20, Fate.FAILS_THEN_SUCCEEDS),
                    Tuple.of(8, Fate.ALWAYS_FAILS),
                    Tuple.of(1, Fate.VM_ERROR),
                    Tuple.of(1, Fate.INTERRUPTED)),
                Arbitraries.integers().between(1, 4))
            .as(
                (key, fate, failures) ->
                    new Script(key, fate, fate == Fate.FAILS_THEN_SUCCEEDS ? failures : 0));
    Arbitrary<List<List<Script>>> partitions =
        script.list().ofMinSize(1).ofMaxSize(12).list().ofMinSize(1).ofMaxSize(3);
    Arbitrary<ModelCase> model =
        Combinators.combine(
                Arbitraries.integers().between(1, 3),
                Arbitraries.integers().between(1, 4),
                Arbitraries.frequency(Tuple.of(3, 0), Tuple.of(1, 1), Tuple.of(1, 2)),
                Arbitraries.of(
                    FailureAction.Kind.STOP,
                    FailureAction.Kind.SKIP,
                    FailureAction.Kind.DEAD_LETTER),
                Arbitraries.of(false, true),
                partitions,
                Arbitraries.integers().between(1, 6))
            .as(
                (workers, attempts, delay, action, ackLater, records, pollSize) ->
                    keyCase(workers, attempts, delay, action, ackLater, records, pollSize));
    Arbitrary<List<Boolean>> cheap =
        Arbitraries.frequency(Tuple.of(1, true), Tuple.of(1, false))
            .list()
            .ofMinSize(1)
            .ofMaxSize(4);
    return Combinators.combine(
            model,
            cheap,
            Arbitraries.integers().between(1, 4),
            Arbitraries.integers().between(1, 3))
        .as(
            (m, c, polls, atOnce) ->
                new FastCase(m, new ModelRun.FastPath(c, polls, atOnce, false)));
  }

  @Provide
  Arbitrary<FastCase> oneFailure() {
    Arbitrary<List<String>> keys =
        Arbitraries.of("a", "b", "c", "d").list().ofMinSize(2).ofMaxSize(12);
    Arbitrary<List<Script>> partition =
        Combinators.combine(keys, Arbitraries.integers().between(0, 11))
            .as(
                (k, failing) -> {
                  List<Script> scripts = new ArrayList<>();
                  for (int i = 0; i < k.size(); i++) {
                    boolean fails = i == failing % k.size();
                    scripts.add(new Script(k.get(i), fails ? Fate.ALWAYS_FAILS : Fate.SUCCEEDS, 0));
                  }
                  return scripts;
                });
    Arbitrary<ModelCase> model =
        Combinators.combine(
                Arbitraries.integers().between(1, 3),
                Arbitraries.integers().between(1, 3),
                Arbitraries.of(0, 1),
                partition.list().ofMinSize(1).ofMaxSize(3),
                Arbitraries.integers().between(1, 6))
            .as(
                (workers, attempts, delay, records, pollSize) ->
                    keyCase(
                        workers,
                        attempts,
                        delay,
                        FailureAction.Kind.DEAD_LETTER,
                        false,
                        records,
                        pollSize));
    return Combinators.combine(
            model, Arbitraries.integers().between(1, 4), Arbitraries.integers().between(1, 2))
        .as(
            (m, polls, atOnce) ->
                new FastCase(m, new ModelRun.FastPath(List.of(true), polls, atOnce, true)));
  }

  /** A KEY-ordered record-handler case without circuit breaker or rate limiter. */
  private static ModelCase keyCase(
      int workers,
      int maxAttempts,
      int delay,
      FailureAction.Kind action,
      boolean ackLater,
      List<List<Script>> partitions,
      int pollSize) {
    return new ModelCase(
        false,
        1,
        Ordering.KEY,
        workers,
        maxAttempts,
        delay,
        action,
        ackLater,
        0,
        0,
        partitions,
        pollSize);
  }
}
