package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.FailureAction;
import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.consumer.internal.AttemptModel.End;
import dev.kafkasdk.consumer.internal.AttemptModel.Expectation;
import dev.kafkasdk.consumer.internal.ModelCase.Behaviour;
import dev.kafkasdk.consumer.internal.ModelCase.Script;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Runs one {@link ModelCase} through the real {@link Dispatcher}, {@link ConfiguredFailurePolicy},
 * {@link Gate} (Resilience4j breaker and limiter) and {@link OffsetTracker}, without a broker: this
 * thread plays the poll thread and applies completions the way {@code PollLoop} does. It records
 * what happened to every record and collects every deviation from the {@link AttemptModel} as a
 * problem:
 *
 * <ul>
 *   <li>after every completion (and every look at the progress of open runs), no partition's
 *       committable offset passes a record that is not handled, skipped or dead-lettered;
 *   <li>every record ends within {@link #BOUND} (nothing parked forever), or, once the runner
 *       stopped, nothing is left running;
 *   <li>each record's end and handler calls are among the model's, and the failure policy sees the
 *       attempts actually made;
 *   <li>lanes of {@link Ordering#PARTITION} and {@link Ordering#KEY} never run two calls at once
 *       and never go back in offset;
 *   <li>no handler call starts on a thread whose interrupt flag is set: a stray interrupt must not
 *       become another record's failure.
 * </ul>
 */
final class ModelRun {
  /** How long a case may take until every record is final. Its real time is milliseconds. */
  static final Duration BOUND = Duration.ofSeconds(15);

  private static final RunnerMetrics METRICS =
      new RunnerMetrics(new SimpleMeterRegistry(), "model", List.of());
  private static final int SHOWN_PROBLEMS = 12;

  private final ModelCase model;
  private final ScheduledExecutorService timer;
  private final ExecutorService workers;
  private final LinkedBlockingQueue<Completion<String, String>> completions =
      new LinkedBlockingQueue<>();
  private final List<PartitionState<String, String>> states = new ArrayList<>();
  private final List<List<Observed>> observed = new ArrayList<>();
  private final Map<String, Lane> lanes = new HashMap<>();
  private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
  private final long[] lastCommittable;
  private Dispatcher<String, String> dispatcher;
  private boolean stopped;

  // KEY ordering's fast path (KeyFastPathModelTest); null: decided by the handler's speed.
  private final FastPath fastPath;
  private final AtomicInteger cheapAnswers = new AtomicInteger();
  // The polls still to dispatch after the first: each partition's records of one poll.
  private final List<List<List<ConsumerRecord<byte[], byte[]>>>> pollsByPartition =
      new ArrayList<>();
  private int nextPoll;
  private final List<HeldAck> heldAcks = Collections.synchronizedList(new ArrayList<>());
  private int fastUnits;
  private int handedBack;
  private int waited;

  /**
   * How {@link KeyFastPathModelTest} drives the fast path.
   *
   * @param cheap the answers, in turn, to "may this partition's poll run in order on one lane"
   * @param polls how many polls each partition's records are split into; after the first, one is
   *     dispatched per look at the completions, so polls meet runs in flight and hand-backs
   * @param atOnce how many polls are dispatched at once at the start, so that later ones find the
   *     first one's runs busy
   * @param ackAfterOtherKeys a dead letter is acknowledged only once every record of another key in
   *     its partition is finished: a failing record must not hold back the other keys
   */
  record FastPath(List<Boolean> cheap, int polls, int atOnce, boolean ackAfterOtherKeys) {}

  /** A dead letter whose acknowledgement waits for the other keys of its partition. */
  private record HeldAck(List<Observed> taken, CompletableFuture<Void> ack) {}

  /** What one record went through. Written by workers and the timer, read by this thread. */
  private static final class Observed {
    final int partition;
    final long offset;
    final Script script;
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger interrupts = new AtomicInteger();
    volatile List<Observed> unit;
    volatile Behaviour last = Behaviour.OK;
    volatile boolean handled;
    volatile boolean skipped;
    volatile boolean deadLettered;
    End stop;

    Observed(int partition, long offset, Script script) {
      this.partition = partition;
      this.offset = offset;
      this.script = script;
    }

    boolean finished() {
      return handled || skipped || deadLettered;
    }

    @Override
    public String toString() {
      return "p"
          + partition
          + "@"
          + offset
          + " ("
          + script
          + ", "
          + calls.get()
          + " call(s)"
          + (handled ? ", handled" : "")
          + (skipped ? ", skipped" : "")
          + (deadLettered ? ", dead-lettered" : "")
          + (stop != null ? ", " + stop : "")
          + ")";
    }
  }

  /** An ordering lane as the handler sees it. */
  private static final class Lane {
    boolean busy;
    long lastOffset = -1;
  }

  /** What a record's failing call throws; no stack trace, thousands are thrown. */
  static final class ScriptedFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ScriptedFailure(String message) {
      super(message, null, false, false);
    }
  }

  /** A {@link VirtualMachineError} as a full heap would throw it. */
  static final class ScriptedVmError extends VirtualMachineError {
    private static final long serialVersionUID = 1L;

    ScriptedVmError(String message) {
      super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  ModelRun(ModelCase model) {
    this(model, null);
  }

  ModelRun(ModelCase model, FastPath fastPath) {
    this.model = model;
    this.fastPath = fastPath;
    this.lastCommittable = new long[model.partitions().size()];
    ThreadFactory workerThreads =
        task -> {
          Thread thread = new Thread(task, "model-worker");
          thread.setDaemon(true);
          thread.setUncaughtExceptionHandler(
              (t, error) -> {
                if (!causedBy(error, ScriptedVmError.class)) {
                  problems.add("a worker died of " + error);
                }
              });
          return thread;
        };
    this.workers = Executors.newFixedThreadPool(model.workers(), workerThreads);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "model-timer");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Handler calls made in the run. */
  int calls() {
    return observed.stream().flatMap(List::stream).mapToInt(o -> o.calls.get()).sum();
  }

  /** Units that ran in a partition lane of KEY ordering's fast path. */
  int fastUnits() {
    return fastUnits;
  }

  /** Polls whose records waited for a busy partition lane to go idle. */
  int waited() {
    return waited;
  }

  /** Fast-path runs that handed their records back to key lanes. */
  int handedBack() {
    return handedBack;
  }

  /** Whether the runner stopped (the failure action or a failure of the runner). */
  boolean stopped() {
    return stopped;
  }

  /**
   * Runs the case.
   *
   * @return the problems found, empty if the dispatcher behaved as the model says
   */
  List<String> run() {
    try {
      dispatcher = dispatcher();
      dispatchPolls();
      try {
        Awaitility.await("every record in a final state")
            .atMost(BOUND)
            .pollInSameThread()
            .pollDelay(Duration.ZERO)
            .pollInterval(Duration.ofMillis(1))
            .until(this::settled);
      } catch (ConditionTimeoutException e) {
        if (!heldAcks.isEmpty()) {
          problems.add(
              "a failing record held back other keys of its partition: dead letters of "
                  + heldAcks.stream().map(h -> h.taken().toString()).toList()
                  + " waited for them");
        }
        problems.add(
            "parked forever: after "
                + BOUND.toSeconds()
                + " s "
                + (stopped ? dispatcher.running() + " call(s) still running, " : "")
                + "not final: "
                + unfinished());
      }
      judge();
    } finally {
      workers.shutdownNow();
      timer.shutdownNow();
    }
    synchronized (problems) {
      return problems.size() <= SHOWN_PROBLEMS
          ? List.copyOf(problems)
          : List.copyOf(problems.subList(0, SHOWN_PROBLEMS));
    }
  }

  // ---------------------------------------------------------------- set-up

  private Dispatcher<String, String> dispatcher() {
    HandlerInvoker<String, String> invoker =
        model.batchHandler()
            ? HandlerInvoker.ofBatch(this::call)
            : HandlerInvoker.of(record -> call(List.of(record)));
    return new DispatcherFixture(workers, timer, completions)
        .cheapEnough(
            fastPath == null
                ? null
                : records ->
                    fastPath.cheap().get(cheapAnswers.getAndIncrement() % fastPath.cheap().size()))
        .ordering(model.ordering())
        .parallelism(model.workers())
        .batchSize(model.batchSize())
        .invoker(invoker)
        .policy(policy())
        .gate(new Gate(model.breaker(), model.limiter()))
        .metrics(METRICS)
        .build();
  }

  /**
   * The runner's configured policy; for dead letters, the skip policy's decision turned into an
   * acknowledgement (at once or on the timer), as the dead-letter publisher's would be.
   */
  private FailurePolicy policy() {
    FailureAction.Kind kind = model.action();
    FailureAction decides =
        kind == FailureAction.Kind.STOP ? FailureAction.stop() : FailureAction.skip();
    FailurePolicy configured =
        new ConfiguredFailurePolicy("model", model.retryPolicy(), decides, null, METRICS);
    return failure -> {
      FailurePolicy.Decision decision = configured.onFailure(failure);
      if (!(decision instanceof FailurePolicy.Decision.Done)) {
        return decision;
      }
      List<Observed> taken = new ArrayList<>();
      for (ConsumerRecord<?, ?> record : failure.records()) {
        Observed o = observed(record.partition(), record.offset());
        taken.add(o);
        int charged = o.calls.get() - o.interrupts.get();
        if (failure.attempts() != charged) {
          problems.add(
              "the policy was told "
                  + failure.attempts()
                  + " attempt(s) for "
                  + o
                  + ", but "
                  + charged
                  + " call(s) failed");
        }
        if (o.skipped || o.deadLettered) {
          problems.add("given up twice: " + o);
        }
      }
      if (kind == FailureAction.Kind.SKIP) {
        taken.forEach(o -> o.skipped = true);
        return decision;
      }
      CompletableFuture<Void> acknowledged = new CompletableFuture<>();
      Runnable acknowledge =
          () -> {
            taken.forEach(o -> o.deadLettered = true);
            acknowledged.complete(null);
          };
      if (fastPath != null && fastPath.ackAfterOtherKeys()) {
        heldAcks.add(new HeldAck(taken, acknowledged));
        return new FailurePolicy.Decision.Await(acknowledged);
      }
      if (model.ackLater()) {
        timer.schedule(acknowledge, 1, TimeUnit.MILLISECONDS);
      } else {
        acknowledge.run();
      }
      return new FailurePolicy.Decision.Await(acknowledged);
    };
  }

  /** Registers and dispatches every partition's records in one or two polls, as PollLoop does. */
  private void dispatchPolls() {
    List<List<ConsumerRecord<byte[], byte[]>>> raw = new ArrayList<>();
    for (int p = 0; p < model.partitions().size(); p++) {
      TopicPartition partition = new TopicPartition("model", p);
      states.add(new PartitionState<>(partition, 1));
      List<Observed> records = new ArrayList<>();
      List<ConsumerRecord<byte[], byte[]>> bytes = new ArrayList<>();
      List<Script> scripts = model.partitions().get(p);
      for (int offset = 0; offset < scripts.size(); offset++) {
        Script script = scripts.get(offset);
        records.add(new Observed(p, offset, script));
        bytes.add(
            new ConsumerRecord<>(
                partition.topic(),
                p,
                offset,
                script.key().getBytes(StandardCharsets.UTF_8),
                ("v" + offset).getBytes(StandardCharsets.UTF_8)));
      }
      observed.add(records);
      raw.add(bytes);
    }
    if (fastPath == null) {
      for (int poll = 0; poll < 2; poll++) {
        List<List<ConsumerRecord<byte[], byte[]>>> polled = new ArrayList<>();
        for (List<ConsumerRecord<byte[], byte[]>> bytes : raw) {
          int split = Math.min(model.secondPollAt(), bytes.size());
          polled.add(poll == 0 ? bytes.subList(0, split) : bytes.subList(split, bytes.size()));
        }
        dispatchPoll(polled);
      }
      return;
    }
    // Polls of secondPollAt records each (at least one), the last one taking the rest.
    int size = Math.max(1, model.secondPollAt());
    for (int poll = 0; poll < fastPath.polls(); poll++) {
      List<List<ConsumerRecord<byte[], byte[]>>> polled = new ArrayList<>();
      for (List<ConsumerRecord<byte[], byte[]>> bytes : raw) {
        int from = Math.min(poll * size, bytes.size());
        int to = poll == fastPath.polls() - 1 ? bytes.size() : Math.min(from + size, bytes.size());
        polled.add(bytes.subList(from, to));
      }
      pollsByPartition.add(polled);
    }
    for (int poll = 0; poll < Math.max(1, fastPath.atOnce()); poll++) {
      dispatchNextPoll();
    }
  }

  /** Dispatches the next poll, if any is left. */
  private void dispatchNextPoll() {
    if (nextPoll < pollsByPartition.size()) {
      dispatchPoll(pollsByPartition.get(nextPoll++));
    }
  }

  private void dispatchPoll(List<List<ConsumerRecord<byte[], byte[]>>> polled) {
    // Register every partition's records before dispatching any, as PollLoop does.
    for (int p = 0; p < polled.size(); p++) {
      states.get(p).register(polled.get(p));
    }
    for (int p = 0; p < polled.size(); p++) {
      if (!polled.get(p).isEmpty()) {
        boolean waitedBefore = states.get(p).lanes().waiting != null;
        dispatcher.dispatch(states.get(p), polled.get(p));
        if (!waitedBefore && states.get(p).lanes().waiting != null) {
          waited++;
        }
      }
    }
  }

  // ---------------------------------------------------------------- the handler

  private void call(List<ConsumerRecord<String, String>> records) throws Exception {
    List<Observed> unit = records.stream().map(r -> observed(r.partition(), r.offset())).toList();
    Observed first = unit.get(0);
    if (Thread.currentThread().isInterrupted()) {
      // An interrupt meant for another record (or for the executor) must not fail this one.
      problems.add("the handler was called for " + first + " on an interrupted thread");
    }
    Lane lane = enter(first);
    try {
      int call = -1;
      Behaviour behaviour = Behaviour.OK;
      for (Observed o : unit) {
        int n = o.calls.incrementAndGet();
        if (call >= 0 && n != call) {
          problems.add("the records of one batch were called unequally often: " + unit);
        }
        call = n;
        if (o.unit == null) {
          o.unit = unit;
        } else if (!o.unit.equals(unit)) {
          problems.add(o + " was handed to the handler in two different units");
        }
        Behaviour own = o.script.call(n);
        if (own.compareTo(behaviour) > 0) {
          behaviour = own;
        }
      }
      for (Observed o : unit) {
        o.last = behaviour;
      }
      switch (behaviour) {
        case OK -> unit.forEach(o -> o.handled = true);
        case FAIL -> throw new ScriptedFailure("scripted failure of " + first);
        case INTERRUPT -> {
          unit.forEach(o -> o.interrupts.incrementAndGet());
          throw new InterruptedException("scripted interrupt of " + first);
        }
        case VM_ERROR -> throw new ScriptedVmError("scripted error of " + first);
      }
    } finally {
      leave(lane);
    }
  }

  private Lane enter(Observed first) {
    if (model.ordering() == Ordering.UNORDERED) {
      return null;
    }
    String id =
        model.ordering() == Ordering.KEY
            ? first.partition + "/" + first.script.key()
            : Integer.toString(first.partition);
    Lane lane;
    synchronized (lanes) {
      lane = lanes.computeIfAbsent(id, k -> new Lane());
    }
    synchronized (lane) {
      if (lane.busy) {
        problems.add("lane " + id + " ran two calls at once (one of " + first + ")");
      }
      if (first.offset < lane.lastOffset) {
        problems.add("lane " + id + " went back from offset " + lane.lastOffset + " to " + first);
      }
      lane.busy = true;
      lane.lastOffset = first.offset;
    }
    return lane;
  }

  private static void leave(Lane lane) {
    if (lane != null) {
      synchronized (lane) {
        lane.busy = false;
      }
    }
  }

  // ---------------------------------------------------------------- the poll thread's part

  /** Applies completions and open runs' progress, checking the commit point after each. */
  private boolean settled() {
    for (Completion<String, String> completion; (completion = completions.poll()) != null; ) {
      apply(completion);
      checkCommitPoints();
    }
    if (fastPath != null) {
      if (!stopped) {
        dispatchNextPoll();
      }
      acknowledgeHeld();
      if (!stopped && nextPoll < pollsByPartition.size()) {
        return false;
      }
    }
    // The commit point includes the finished prefix of runs still in progress.
    checkCommitPoints();
    if (stopped) {
      return dispatcher.running() == 0;
    }
    return states.stream().allMatch(state -> state.unfinished() == 0);
  }

  /**
   * Acknowledges each held dead letter once every record of another key in its partition is
   * finished. Until then its record must hold back nothing but its own key.
   */
  private void acknowledgeHeld() {
    synchronized (heldAcks) {
      heldAcks.removeIf(
          held -> {
            Observed record = held.taken().get(0);
            boolean othersDone =
                observed.get(record.partition).stream()
                    .filter(o -> !o.script.key().equals(record.script.key()))
                    .allMatch(Observed::finished);
            if (othersDone) {
              held.taken().forEach(o -> o.deadLettered = true);
              held.ack().complete(null);
            }
            return othersDone;
          });
    }
  }

  private void apply(Completion<String, String> completion) {
    Work<String, String> work = completion.work();
    if (work.lane() != null && work.lane().handsBack()) {
      fastUnits++;
    }
    if (completion.outcome() == Outcome.HANDED_BACK) {
      handedBack++;
    }
    dispatcher.settled(completion);
    work.owner()
        .finish(work, completion.outcome() == Outcome.DONE ? work.records().size() : work.cursor);
    if (completion.outcome() == Outcome.FAILED) {
      stoppedAt(work, completion.error());
    }
  }

  /** The runner stops at the work's current record (or batch), as PollLoop's failure does. */
  private void stoppedAt(Work<String, String> work, Throwable error) {
    for (ConsumerRecord<String, String> record : work.failing()) {
      Observed o = observed(record.partition(), record.offset());
      o.stop = o.last == Behaviour.FAIL ? End.STOPPED : End.RUNNER_FAILED;
      Class<? extends Throwable> thrown =
          switch (o.last) {
            case FAIL -> ScriptedFailure.class;
            case VM_ERROR -> ScriptedVmError.class;
            case INTERRUPT -> InterruptedException.class;
            case OK -> null;
          };
      if (thrown == null) {
        problems.add("the runner failed at " + o + " whose last call succeeded: " + error);
      } else if (o.last != Behaviour.INTERRUPT && !causedBy(error, thrown)) {
        problems.add("the runner's failure at " + o + " does not carry the handler's: " + error);
      }
    }
    if (!stopped) {
      stopped = true;
      dispatcher.halt();
    }
  }

  private void checkCommitPoints() {
    for (int p = 0; p < states.size(); p++) {
      long committable = states.get(p).committable().orElse(0);
      if (committable < lastCommittable[p]) {
        problems.add("p" + p + " commit point went back to " + committable);
      }
      lastCommittable[p] = committable;
      for (Observed o : observed.get(p)) {
        if (o.offset >= committable) {
          break;
        }
        if (!o.finished()) {
          problems.add("p" + p + " commit point " + committable + " passes unfinished " + o);
          return;
        }
      }
    }
  }

  // ---------------------------------------------------------------- the verdict

  private void judge() {
    for (Completion<String, String> completion; (completion = completions.poll()) != null; ) {
      apply(completion);
      checkCommitPoints();
    }
    for (List<Observed> partition : observed) {
      for (Observed o : partition) {
        judge(o);
      }
    }
    if (!stopped) {
      for (int p = 0; p < states.size(); p++) {
        long committable = states.get(p).committable().orElse(0);
        if (committable != observed.get(p).size()) {
          problems.add(
              "p" + p + " can commit only " + committable + " of " + observed.get(p).size());
        }
      }
    }
  }

  private void judge(Observed o) {
    End actual = outcome(o);
    List<Observed> unit = o.unit;
    if (unit == null) {
      if (!stopped) {
        problems.add("never handed to the handler: " + o);
      }
      return;
    }
    Set<Expectation> expected =
        AttemptModel.expect(
            unit.stream().map(u -> u.script).toList(), model.maxAttempts(), model.action());
    int calls = o.calls.get();
    if (actual == End.UNFINISHED) {
      int most = expected.stream().mapToInt(Expectation::calls).max().orElse(0);
      if (!stopped || calls > most) {
        problems.add(o + " did not end; the model says " + expected);
      }
    } else if (!expected.contains(new Expectation(actual, calls))) {
      problems.add(
          o
              + " ended "
              + new Expectation(actual, calls)
              + "; the model says "
              + expected.stream().map(Expectation::toString).collect(Collectors.joining(" or ")));
    }
  }

  private End outcome(Observed o) {
    List<End> ends = new ArrayList<>();
    if (o.handled) {
      ends.add(End.HANDLED);
    }
    if (o.skipped) {
      ends.add(End.SKIPPED);
    }
    if (o.deadLettered) {
      ends.add(End.DEAD_LETTERED);
    }
    if (o.stop != null) {
      ends.add(o.stop);
    }
    if (ends.size() > 1) {
      problems.add(o + " ended more than once: " + ends);
    }
    return ends.isEmpty() ? End.UNFINISHED : ends.get(0);
  }

  private String unfinished() {
    return observed.stream()
        .flatMap(List::stream)
        .filter(o -> !o.finished() && o.stop == null)
        .map(Observed::toString)
        .collect(Collectors.joining(", "));
  }

  private Observed observed(int partition, long offset) {
    return observed.get(partition).get((int) offset);
  }

  private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
      for (Throwable suppressed : t.getSuppressed()) {
        if (type.isInstance(suppressed)) {
          return true;
        }
      }
    }
    return false;
  }
}
