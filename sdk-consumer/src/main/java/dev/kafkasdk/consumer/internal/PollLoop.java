package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.Ordering;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code KafkaConsumer} and the thread that owns it. Every consumer call happens on this
 * thread: polling, pausing, committing and the rebalance callbacks. Workers hand results back
 * through the completion queue, which this thread drains.
 *
 * <p>The loop: apply back-pressure pauses ({@link PauseControl}), poll, register the records in
 * their {@link OffsetTracker} and dispatch them, apply completions, commit when the interval has
 * passed ({@link OffsetCommitter}). It never blocks on a handler, so {@code max.poll.interval.ms}
 * is respected however slow the handlers are.
 */
final class PollLoop<K, V> implements Loop {
  private static final Logger log = LoggerFactory.getLogger(PollLoop.class);
  private static final long HOUSEKEEPING_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long MAX_CLOSE_RESERVE_NANOS = TimeUnit.SECONDS.toNanos(5);
  private static final Duration MIN_CLIENT_TIMEOUT = Duration.ofSeconds(1);
  // While some partitions are paused, completions (which resume them) are only seen between polls:
  // a long poll here throttled the light-handler benchmark to a third of its rate.
  private static final Duration SHORT_POLL_TIMEOUT = Duration.ofMillis(1);

  /** What the loop tells its owner. */
  interface Owner {
    void loopFailed(Throwable error);

    void loopTerminated();
  }

  private final String name;
  private final Consumer<byte[], byte[]> consumer;
  private final AutoCloseable clientMetrics;
  private final RunnerSettings<K, V> settings;
  private final Dispatcher<K, V> dispatcher;
  private final LinkedBlockingQueue<Completion<K, V>> completions;
  private final RunnerMetrics metrics;
  private final SlowHandlerWatch watch;
  private final LoopStats stats;
  private final ExecutorService ownedExecutor;
  private final Owner owner;
  private final Duration shortPollTimeout;
  private final PauseControl pauses;
  private final OffsetCommitter committer;
  private final Gate gate;

  private final Map<TopicPartition, PartitionState<K, V>> states = new HashMap<>();
  private long epochs;
  private int tracked;
  private boolean draining;
  private Throwable failure;
  private long nextCommitNanos;
  private long nextHousekeepingNanos;

  private final StopDeadline stop = new StopDeadline();
  private volatile Set<TopicPartition> assignment = Set.of();
  private volatile Thread thread;

  PollLoop(
      String name,
      Consumer<byte[], byte[]> consumer,
      AutoCloseable clientMetrics,
      RunnerSettings<K, V> settings,
      FlowLimits limits,
      LoopExecution<K, V> execution,
      FailureSupport<K, V> failures,
      RunnerMetrics metrics,
      LoopStats stats,
      Owner owner) {
    this.name = name;
    this.consumer = consumer;
    this.clientMetrics = clientMetrics;
    this.settings = settings;
    this.metrics = metrics;
    this.stats = stats;
    this.owner = owner;
    this.shortPollTimeout =
        settings.pollTimeout().compareTo(SHORT_POLL_TIMEOUT) < 0
            ? settings.pollTimeout()
            : SHORT_POLL_TIMEOUT;
    this.pauses = new PauseControl(name, consumer, limits, stats);
    this.committer = new OffsetCommitter(name, consumer, metrics);
    this.gate = failures.gate();
    this.completions = new LinkedBlockingQueue<>();
    this.watch = new SlowHandlerWatch();
    this.ownedExecutor = execution.owned() ? execution.executor() : null;
    this.dispatcher =
        new Dispatcher<>(
            execution.executor(),
            execution.ordering(),
            execution.parallelism(),
            execution.batchSize(),
            failures.decoder(),
            execution.invoker(),
            failures.policy(),
            failures.gate(),
            failures.timer(),
            completions,
            metrics,
            watch,
            stats.queued);
  }

  /**
   * Where and how a loop runs handlers.
   *
   * @param executor runs the handler calls
   * @param owned whether the loop shuts the executor down when it stops
   * @param ordering the ordering guarantee
   * @param parallelism how many handler calls the executor runs at once
   * @param invoker the handler of the runner's processing mode
   * @param batchSize records per handler call: 1 for a record handler
   */
  record LoopExecution<K, V>(
      ExecutorService executor,
      boolean owned,
      Ordering ordering,
      int parallelism,
      HandlerInvoker<K, V> invoker,
      int batchSize) {}

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<TopicPartition> assignment() {
    return assignment;
  }

  @Override
  public boolean isLoopThread() {
    return Thread.currentThread() == thread;
  }

  /** Asks the loop to stop; the earliest deadline of several requests wins. Any thread. */
  @Override
  public void requestStop(Duration timeout) {
    stop.request(timeout);
  }

  @Override
  public void run() {
    thread = Thread.currentThread();
    boolean consumerHealthy = true;
    try {
      subscribe();
      long now = System.nanoTime();
      nextCommitNanos = now + settings.commitInterval().toNanos();
      nextHousekeepingNanos = now + HOUSEKEEPING_NANOS;
      while (!stop.requested() && failure == null) {
        applyPauses(false);
        if (pauses.all(states.size())) {
          // Nothing can be fetched until records finish. A non-blocking poll keeps the
          // membership alive; then wait for the next completion rather than in poll(), so
          // partitions resume as soon as there is room.
          dispatch(consumer.poll(Duration.ZERO));
          awaitCompletion(settings.pollTimeout().toNanos());
        } else if (pauses.any()) {
          // Some partitions wait for room: poll briefly so their completions are seen soon.
          dispatch(consumer.poll(shortPollTimeout));
        } else {
          dispatch(consumer.poll(settings.pollTimeout()));
        }
        drainCompletions();
        housekeeping();
      }
    } catch (Throwable error) {
      consumerHealthy = false;
      fail(error);
    }
    try {
      drainAndCommit(consumerHealthy);
    } catch (Throwable error) {
      log.error("{}: error while stopping", name, error);
      fail(error);
    } finally {
      closeClient();
      owner.loopTerminated();
    }
  }

  private void subscribe() {
    Rebalance listener = new Rebalance();
    if (settings.pattern().isPresent()) {
      consumer.subscribe(settings.pattern().get(), listener);
    } else {
      consumer.subscribe(settings.topics(), listener);
    }
  }

  private void fail(Throwable error) {
    if (failure == null) {
      failure = error;
      log.error("{}: stopping: {}", name, error.toString(), error);
      owner.loopFailed(error);
    } else {
      log.debug("{}: further failure while stopping: {}", name, error.toString());
    }
  }

  // ---------------------------------------------------------------- dispatch and completions

  private void dispatch(ConsumerRecords<byte[], byte[]> records) {
    if (records.isEmpty() && records.nextOffsets().isEmpty()) {
      return;
    }
    List<PartitionState<K, V>> owners = new ArrayList<>();
    List<List<ConsumerRecord<byte[], byte[]>>> batches = new ArrayList<>();
    for (TopicPartition partition : records.partitions()) {
      List<ConsumerRecord<byte[], byte[]>> polled = records.records(partition);
      if (polled.isEmpty()) {
        continue;
      }
      PartitionState<K, V> state = states.get(partition);
      if (state == null) {
        log.warn("{}: records for {} arrived before its assignment callback", name, partition);
        state = newState(partition);
      } else if (polled.get(0).offset() <= state.tracker.lastDispatched()) {
        // The position moved back (an offset reset or a truncated log): what is in flight belongs
        // to a history that no longer exists, so start a new epoch and never commit the old one.
        log.warn(
            "{}: {} went back from offset {} to {}; restarting its tracking",
            name,
            partition,
            state.tracker.lastDispatched(),
            polled.get(0).offset());
        state = newState(partition);
      }
      // Register every record before observing the position below: the position may only move
      // the commit point past records that are registered or were skipped by the client.
      for (ConsumerRecord<byte[], byte[]> record : polled) {
        state.tracker.dispatched(record.offset());
      }
      tracked += polled.size();
      owners.add(state);
      batches.add(polled);
    }
    for (Map.Entry<TopicPartition, OffsetAndMetadata> next : records.nextOffsets().entrySet()) {
      PartitionState<K, V> state = states.get(next.getKey());
      if (state != null) {
        state.tracker.observePosition(next.getValue().offset());
      }
    }
    stats.inFlight(tracked);
    for (int i = 0; i < owners.size(); i++) {
      dispatcher.dispatch(owners.get(i), batches.get(i));
    }
  }

  private void drainCompletions() {
    for (Completion<K, V> completion; (completion = completions.poll()) != null; ) {
      apply(completion);
    }
    stats.inFlight(tracked);
  }

  private void awaitCompletion(long timeoutNanos) {
    try {
      Completion<K, V> completion = completions.poll(timeoutNanos, TimeUnit.NANOSECONDS);
      if (completion != null) {
        apply(completion);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void apply(Completion<K, V> completion) {
    Work<K, V> work = completion.work();
    PartitionState<K, V> state = work.owner();
    if (!isCurrent(state)) {
      // Polled under an assignment that has since been revoked, lost or reset: never commit it.
      log.trace("{}: dropping completion of {} from an old assignment", name, state);
      return;
    }
    dispatcher.settled(work);
    // Failed or abandoned work may have finished a prefix of its records; the rest stays
    // unfinished in the tracker, so the commit stops before it.
    markFinished(work, completion.outcome() == Outcome.DONE ? work.records().size() : work.cursor);
    if (completion.outcome() == Outcome.FAILED) {
      fail(completion.error());
    }
  }

  /** Whether the state is the partition's current assignment (not revoked, lost or reset). */
  private boolean isCurrent(PartitionState<K, V> state) {
    return states.get(state.partition) == state;
  }

  /** Marks the work's records up to {@code finished} (exclusive) as finished, once each. */
  private void markFinished(Work<K, V> work, int finished) {
    PartitionState<K, V> state = work.owner();
    List<ConsumerRecord<K, V>> records = work.records();
    int from = work.applied;
    if (finished <= from) {
      return;
    }
    int before = state.tracker.tracked();
    // Units are usually consecutive polled records (a partition's or an unordered share): one call.
    if (!state.tracker.completedBlock(
        records.get(from).offset(), records.get(finished - 1).offset(), finished - from)) {
      for (int i = from; i < finished; i++) {
        state.tracker.completed(records.get(i).offset());
      }
    }
    work.applied = finished;
    tracked += state.tracker.tracked() - before;
  }

  /**
   * Marks the finished prefix of runs still in progress, so that a record that hangs or waits for a
   * retry does not hold back the commit of the records before it in its run. Before commits.
   */
  private void markOpenRunProgress() {
    for (Work<K, V> work : dispatcher.openRuns()) {
      if (isCurrent(work.owner())) {
        markFinished(work, work.cursor);
      }
    }
  }

  // ---------------------------------------------------------------- back-pressure

  private void applyPauses(boolean force) {
    // An open circuit or an exhausted rate limit holds every partition; polling goes on.
    pauses.apply(states, tracked, draining || gate.holdsAll(), force);
  }

  // ---------------------------------------------------------------- commits

  private void housekeeping() {
    long now = System.nanoTime();
    if (now - nextCommitNanos >= 0) {
      markOpenRunProgress();
      committer.commitAsync(states.values());
      nextCommitNanos = now + settings.commitInterval().toNanos();
    }
    if (now - nextHousekeepingNanos >= 0) {
      reportSlowHandlers();
      updateLag();
      nextHousekeepingNanos = now + HOUSEKEEPING_NANOS;
    }
  }

  private void reportSlowHandlers() {
    long threshold = settings.slowHandlerThreshold().toNanos();
    for (SlowHandlerWatch.Call call : watch.newlySlow(threshold)) {
      metrics.slowHandler();
      log.warn(
          "{}: handler has been processing {} record(s) of {} from offset {} for {} ms on thread"
              + " {} (slowHandlerThreshold {} ms). Polling goes on, so the group membership is"
              + " safe, but the commit of {} waits for this call.",
          name,
          call.records,
          call.partition,
          call.offset(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - call.startNanos()),
          call.thread.getName(),
          settings.slowHandlerThreshold().toMillis(),
          call.partition);
    }
  }

  private void updateLag() {
    long lag = 0;
    for (PartitionState<K, V> state : states.values()) {
      lag += consumer.currentLag(state.partition).orElse(0) + state.tracker.unfinished();
    }
    stats.lag.set(lag);
  }

  // ---------------------------------------------------------------- stopping

  private void drainAndCommit(boolean consumerHealthy) {
    draining = true;
    dispatcher.halt();
    long deadline = stop.deadlineNanos(settings.closeTimeout());
    long reserve = Math.min(MAX_CLOSE_RESERVE_NANOS, (deadline - System.nanoTime()) / 4);
    long drainUntil = deadline - Math.max(0, reserve);
    boolean polling = consumerHealthy;
    if (polling) {
      polling = pauseAllQuietly();
    }
    while (dispatcher.running() > 0 && System.nanoTime() - drainUntil < 0) {
      if (polling) {
        polling = pollWhileStopping(Duration.ZERO);
      }
      awaitCompletion(Math.min(settings.pollTimeout().toNanos(), drainUntil - System.nanoTime()));
      drainCompletions();
    }
    drainCompletions();
    int abandoned = dispatcher.running();
    if (abandoned > 0) {
      log.warn(
          "{}: {} handler call(s) still running at the stop deadline are abandoned; their records"
              + " are not committed and will be delivered again",
          name,
          abandoned);
    }
    markOpenRunProgress();
    commitOnStop(deadline, polling);
  }

  /**
   * The final commit. The group refuses commits while a rebalance is in progress (classic protocol:
   * {@code RebalanceInProgressException}; KIP-848: a stale member epoch) although the partitions
   * are still owned: polling, with every partition paused so nothing is fetched, completes the
   * rebalance, and the commit is made again. Partitions the rebalance revokes are committed by the
   * revocation callback and lost ones are dropped; partitions it assigns stay paused and have
   * nothing to commit.
   */
  private void commitOnStop(long deadline, boolean polling) {
    boolean reported = false;
    while (committer.commitSync(new ArrayList<>(states.values()), remaining(deadline))
        == OffsetCommitter.Result.REBALANCING) {
      long left = deadline - System.nanoTime();
      if (!polling || left <= 0) {
        log.warn(
            "{}: the group is still rebalancing at the stop deadline; the final commit of {}"
                + " partition(s) is not made and records after their last commit will be"
                + " delivered again",
            name,
            states.size());
        return;
      }
      if (!reported) {
        reported = true;
        log.info(
            "{}: the group is rebalancing; completing the rebalance before the final commit", name);
      }
      polling =
          pollWhileStopping(Duration.ofNanos(Math.min(settings.pollTimeout().toNanos(), left)));
    }
  }

  /**
   * Polls while stopping. Every partition is paused, so this returns no records but keeps the
   * membership alive and runs the rebalance callbacks.
   *
   * @return false if the consumer failed and must not be polled again
   */
  private boolean pollWhileStopping(Duration timeout) {
    try {
      consumer.poll(timeout);
      return true;
    } catch (RuntimeException e) {
      log.warn("{}: poll failed while stopping: {}", name, e.toString());
      return false;
    }
  }

  private boolean pauseAllQuietly() {
    try {
      applyPauses(true);
      return true;
    } catch (RuntimeException e) {
      log.warn("{}: could not pause partitions while stopping: {}", name, e.toString());
      return false;
    }
  }

  private void closeClient() {
    // The revocation callback that close() triggers must find nothing left to wait for or commit.
    for (PartitionState<K, V> state : states.values()) {
      state.revoked = true;
    }
    states.clear();
    assignment = Set.of();
    tracked = 0;
    stats.inFlight(0);
    pauses.clear();
    stats.lag.set(0);
    Duration timeout = stop.left(settings.closeTimeout(), MIN_CLIENT_TIMEOUT);
    try {
      clientMetrics.close();
    } catch (Exception e) {
      log.debug("{}: closing client metrics failed", name, e);
    }
    try {
      consumer.close(CloseOptions.timeout(timeout));
    } catch (RuntimeException e) {
      log.warn("{}: closing the consumer failed: {}", name, e.toString());
    }
    if (ownedExecutor != null) {
      if (dispatcher.running() > 0) {
        ownedExecutor.shutdownNow();
      } else {
        ownedExecutor.shutdown();
      }
    }
    log.debug("{}: stopped", name);
  }

  private static Duration remaining(long deadlineNanos) {
    Duration left = Duration.ofNanos(deadlineNanos - System.nanoTime());
    return left.compareTo(MIN_CLIENT_TIMEOUT) < 0 ? MIN_CLIENT_TIMEOUT : left;
  }

  // ---------------------------------------------------------------- rebalances

  private PartitionState<K, V> newState(TopicPartition partition) {
    PartitionState<K, V> old = states.get(partition);
    if (old != null) {
      old.revoked = true;
      tracked -= old.tracker.tracked();
    }
    PartitionState<K, V> state = new PartitionState<>(partition, ++epochs);
    states.put(partition, state);
    return state;
  }

  private void assigned(Collection<TopicPartition> partitions) {
    for (TopicPartition partition : partitions) {
      newState(partition);
    }
    assignment = Set.copyOf(states.keySet());
    applyPauses(true);
    if (!partitions.isEmpty()) {
      metrics.assigned(partitions.size());
      log.info("{}: assigned {}", name, partitions);
    }
  }

  private void revoked(Collection<TopicPartition> partitions) {
    List<PartitionState<K, V>> revoked = new ArrayList<>();
    for (TopicPartition partition : partitions) {
      PartitionState<K, V> state = states.get(partition);
      if (state != null) {
        state.revoked = true;
        revoked.add(state);
      }
    }
    if (revoked.isEmpty()) {
      return;
    }
    long deadline = System.nanoTime() + settings.revocationTimeout().toNanos();
    while (running(revoked) > 0 && System.nanoTime() - deadline < 0) {
      awaitCompletion(Math.min(settings.pollTimeout().toNanos(), deadline - System.nanoTime()));
      drainCompletions();
    }
    drainCompletions();
    int abandoned = running(revoked);
    if (abandoned > 0) {
      log.warn(
          "{}: revoking {} while {} handler call(s) still run after {} ms; their records are not"
              + " committed and go to the new owner",
          name,
          partitions,
          abandoned,
          settings.revocationTimeout().toMillis());
    }
    markOpenRunProgress();
    if (committer.commitSync(revoked, settings.revocationTimeout())
        == OffsetCommitter.Result.REBALANCING) {
      // Kafka calls this between the rounds of a rebalance, where commits are accepted; a refusal
      // cannot be waited out here, as the partitions belong to the next owner when this returns.
      log.warn(
          "{}: the commit of revoked {} was refused for a rebalance in progress; the new owner"
              + " gets the records after their last commit again",
          name,
          partitions);
    }
    remove(revoked);
    metrics.revoked(revoked.size());
    log.info("{}: revoked {}", name, partitions);
  }

  private void lost(Collection<TopicPartition> partitions) {
    List<PartitionState<K, V>> lost = new ArrayList<>();
    for (TopicPartition partition : partitions) {
      PartitionState<K, V> state = states.get(partition);
      if (state != null) {
        state.revoked = true;
        lost.add(state);
      }
    }
    if (lost.isEmpty()) {
      return;
    }
    remove(lost);
    metrics.lost(lost.size());
    log.warn(
        "{}: lost {} (the group moved on without this member); in-flight work is dropped"
            + " uncommitted",
        name,
        partitions);
  }

  private void remove(List<PartitionState<K, V>> removed) {
    for (PartitionState<K, V> state : removed) {
      if (isCurrent(state)) {
        states.remove(state.partition);
        tracked -= state.tracker.tracked();
        pauses.forget(List.of(state.partition));
      }
    }
    assignment = Set.copyOf(states.keySet());
    stats.inFlight(tracked);
  }

  private static int running(List<? extends PartitionState<?, ?>> states) {
    int running = 0;
    for (PartitionState<?, ?> state : states) {
      running += state.running.get();
    }
    return running;
  }

  /** Runs on the poll thread, inside {@code poll()}. Never throws: a failure stops the loop. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      try {
        revoked(partitions);
      } catch (RuntimeException e) {
        fail(e);
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      try {
        lost(partitions);
      } catch (RuntimeException e) {
        fail(e);
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      try {
        assigned(partitions);
      } catch (RuntimeException e) {
        fail(e);
      }
    }
  }
}
