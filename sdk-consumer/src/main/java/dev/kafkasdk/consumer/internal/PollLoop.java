package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.Ordering;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code KafkaConsumer} and the thread that owns it, running handlers on workers: only the
 * loop. Each step applies back-pressure and the application's pauses ({@link PauseControl}), polls,
 * registers the records in their {@link PartitionState} and hands them to the {@link Dispatcher},
 * applies the workers' completions ({@link CompletionInbox}) and commits when the interval has
 * passed ({@link OffsetCommitter}). What may be committed is decided by the partition states alone.
 * It never blocks on a handler, so {@code max.poll.interval.ms} is respected however slow the
 * handlers are. Rebalances are handled by {@link PartitionRebalance}.
 */
final class PollLoop<K, V> extends ConsumerLoop<K, V> {
  private static final Logger log = LoggerFactory.getLogger(PollLoop.class);
  private static final long HOUSEKEEPING_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long MAX_CLOSE_RESERVE_NANOS = TimeUnit.SECONDS.toNanos(5);
  // While some partitions are paused, completions (which resume them) are only seen between polls:
  // a long poll here throttled the light-handler benchmark to a third of its rate.
  private static final Duration SHORT_POLL_TIMEOUT = Duration.ofMillis(1);

  private final Dispatcher<K, V> dispatcher;
  private final FlowWindow window;
  private final SlowHandlerWatch watch;
  private final ExecutorService ownedExecutor;
  private final Duration shortPollTimeout;
  private final Gate gate;
  private final LoopParts<K, V> parts;
  private final Assignments<K, V> assignments = new Assignments<>();
  private final PartitionRebalance<K, V> rebalance;
  // Null without retry topics.
  private final RetryDueTimes dueTimes;

  private boolean draining;
  private long nextCommitNanos;
  private long nextHousekeepingNanos;

  /**
   * Creates the loop.
   *
   * @param context the consumer and what the loop reports to
   * @param limits the in-flight limits that decide back-pressure
   * @param execution where and how handlers run
   * @param failures what the dispatcher needs to deal with failures
   */
  PollLoop(
      LoopContext<K, V> context,
      FlowLimits limits,
      LoopExecution<K, V> execution,
      FailureSupport<K, V> failures) {
    super(context);
    this.shortPollTimeout =
        settings.pollTimeout().compareTo(SHORT_POLL_TIMEOUT) < 0
            ? settings.pollTimeout()
            : SHORT_POLL_TIMEOUT;
    this.gate = failures.gate();
    this.watch = new SlowHandlerWatch();
    this.ownedExecutor = execution.pool().owned() ? execution.pool().executor() : null;
    CompletionInbox<K, V> inbox = new CompletionInbox<>(this::settled, this::fail);
    RetryChain chain = RetryChain.of(settings);
    this.dueTimes = chain == null ? null : new RetryDueTimes(chain, System::currentTimeMillis);
    this.dispatcher =
        new Dispatcher<>(
            new DispatchContext<>(
                new DispatchContext.Workers(
                    execution.pool().executor(),
                    execution.ordering(),
                    execution.pool().parallelism()),
                execution.invoker(),
                execution.batchSize(),
                failures,
                new DispatchContext.Reports<>(inbox.queue(), metrics, watch, stats.queued)));
    this.window = new FlowWindow(limits, dispatcher::nanosPerRecord, stats);
    this.parts =
        new LoopParts<>(
            assignments,
            inbox,
            new OffsetCommitter(name, consumer, metrics),
            new PauseControl(name, consumer, window, stats, context.userPauses(), dueTimes),
            new LoopProgress(name, context.reports().board()));
    this.rebalance =
        new PartitionRebalance<>(
            context,
            parts,
            () -> applyPauses(true),
            this::fail,
            failures.keyOrder() == null
                ? null
                : new KeyOrderRebuild(name, chain, failures.keyOrder(), settings.consumerConfig()));
  }

  /**
   * Where and how a loop runs handlers.
   *
   * @param pool runs the handler calls; the loop shuts it down when it stops if it owns it
   * @param ordering the ordering guarantee
   * @param invoker the handler of the runner's processing mode
   * @param batchSize records per handler call: 1 for a record handler
   */
  record LoopExecution<K, V>(
      WorkerPool pool, Ordering ordering, HandlerInvoker<K, V> invoker, int batchSize) {}

  @Override
  public Set<TopicPartition> assignment() {
    return assignments.snapshot();
  }

  @Override
  public Set<TopicPartition> userPaused() {
    return parts.pauses().userPaused();
  }

  @Override
  protected void start() {
    long now = System.nanoTime();
    nextCommitNanos = now + settings.commitInterval().toNanos();
    nextHousekeepingNanos = now + HOUSEKEEPING_NANOS;
  }

  @Override
  protected ConsumerRebalanceListener rebalanceListener() {
    return rebalance;
  }

  @Override
  protected void step() {
    applyPauses(false);
    if (parts.pauses().all(assignments.size())) {
      // Nothing can be fetched until records finish. A non-blocking poll keeps the membership
      // alive; then wait for the next completion rather than in poll(), so partitions resume as
      // soon as there is room.
      dispatch(consumer.poll(Duration.ZERO));
      parts.inbox().await(untilNextDue(settings.pollTimeout()).toNanos());
    } else if (parts.pauses().any()) {
      // Some partitions wait for room: poll briefly so their completions are seen soon.
      dispatch(consumer.poll(shortPollTimeout));
    } else {
      dispatch(consumer.poll(untilNextDue(settings.pollTimeout())));
    }
    parts.inbox().drain();
    stats.inFlight(assignments.tracked());
    housekeeping();
  }

  /**
   * The wait, shortened so that a retry partition held for its due time is resumed soon after it is
   * due.
   */
  private Duration untilNextDue(Duration wait) {
    long millis = parts.pauses().millisUntilNextDue();
    return millis < wait.toMillis() ? Duration.ofMillis(millis) : wait;
  }

  private void dispatch(ConsumerRecords<byte[], byte[]> records) {
    if (records.isEmpty() && records.nextOffsets().isEmpty()) {
      return;
    }
    List<PartitionState<K, V>> owners = new ArrayList<>();
    List<List<ConsumerRecord<byte[], byte[]>>> batches = new ArrayList<>();
    for (TopicPartition partition : records.partitions()) {
      List<ConsumerRecord<byte[], byte[]>> polled = records.records(partition);
      if (dueTimes != null) {
        // Records of a retry topic that are not due stay unregistered; the partition waits.
        polled = dueTimes.due(partition, polled, consumer);
      }
      if (polled.isEmpty()) {
        continue;
      }
      PartitionState<K, V> state = assignments.get(partition);
      if (state == null) {
        log.warn("{}: records for {} arrived before its assignment callback", name, partition);
        state = assignments.assign(partition);
      } else if (state.wentBack(polled.get(0).offset())) {
        // What is in flight belongs to a history that no longer exists: never commit it.
        log.warn(
            "{}: {} went back from offset {} to {}; restarting its tracking",
            name,
            partition,
            state.lastRegistered(),
            polled.get(0).offset());
        state = assignments.assign(partition);
      }
      state.register(polled);
      window.polled(polled);
      owners.add(state);
      batches.add(polled);
    }
    for (Map.Entry<TopicPartition, OffsetAndMetadata> next : records.nextOffsets().entrySet()) {
      PartitionState<K, V> state = assignments.get(next.getKey());
      // A held partition's position is past records it gave back: only the seek position counts.
      if (state != null && (dueTimes == null || !dueTimes.holds(next.getKey()))) {
        state.observePosition(next.getValue().offset());
      }
    }
    stats.inFlight(assignments.tracked());
    for (int i = 0; i < owners.size(); i++) {
      dispatcher.dispatch(owners.get(i), batches.get(i));
    }
  }

  private void settled(Completion<K, V> completion) {
    dispatcher.settled(completion);
  }

  private void applyPauses(boolean force) {
    // An open circuit or an exhausted rate limit holds every partition; polling goes on.
    parts
        .pauses()
        .apply(
            assignments.byPartition(), assignments.tracked(), draining || gate.holdsAll(), force);
  }

  private void housekeeping() {
    long now = System.nanoTime();
    if (now - nextCommitNanos >= 0) {
      parts.committer().commitAsync(assignments.all());
      nextCommitNanos = now + settings.commitInterval().toNanos();
    }
    if (now - nextHousekeepingNanos >= 0) {
      watch.reportNewlySlow(name, settings.slowHandlerThreshold(), metrics);
      observeProgress(now);
      nextHousekeepingNanos = now + HOUSEKEEPING_NANOS;
    }
  }

  /**
   * Publishes each partition's lag (fetch lag plus polled records not finished) and whether its
   * records wait while its commit stands still. Records of a partition the application paused, or
   * of a retry partition held until its head record is due, do not wait for the runner unless they
   * are in flight: in-flight work goes on while paused.
   */
  private void observeProgress(long now) {
    Set<TopicPartition> userPaused = parts.pauses().userPaused();
    Map<TopicPartition, Long> fetchLag =
        parts
            .progress()
            .fetchLag(
                consumer, assignments.byPartition().keySet(), userPaused, settings.pollTimeout());
    long lag = 0;
    for (PartitionState<K, V> state : assignments.all()) {
      Long fetch = fetchLag.get(state.partition());
      int unfinished = state.unfinished();
      lag += (fetch == null ? 0 : fetch) + unfinished;
      PartitionProgress progress = parts.progress().get(state.partition());
      if (progress != null) {
        progress.lag(fetch == null ? Double.NaN : fetch + unfinished);
        // A retry partition held until its head record is due waits on purpose, like one the
        // application paused: neither is stuck.
        boolean waiting =
            unfinished > 0
                || (fetch != null
                    && fetch > 0
                    && !userPaused.contains(state.partition())
                    && (dueTimes == null || !dueTimes.holds(state.partition())));
        progress.observe(state.committed(), waiting, now);
      }
    }
    stats.lag.set(lag);
  }

  // ---------------------------------------------------------------- stopping

  @Override
  protected void finishWork(boolean consumerHealthy) {
    draining = true;
    dispatcher.halt();
    long deadline = stop.deadlineNanos(settings.closeTimeout());
    long reserve = Math.min(MAX_CLOSE_RESERVE_NANOS, (deadline - System.nanoTime()) / 4);
    long drainUntil = deadline - Math.max(0, reserve);
    boolean polling = consumerHealthy && pauseAllQuietly();
    while (dispatcher.running() > 0 && System.nanoTime() - drainUntil < 0) {
      if (polling) {
        polling = pollWhileStopping(Duration.ZERO);
      }
      parts
          .inbox()
          .await(Math.min(settings.pollTimeout().toNanos(), drainUntil - System.nanoTime()));
      parts.inbox().drain();
    }
    parts.inbox().drain();
    int abandoned = dispatcher.running();
    if (abandoned > 0) {
      log.warn(
          "{}: {} handler call(s) still running at the stop deadline are abandoned; their records"
              + " are not committed and will be delivered again",
          name,
          abandoned);
    }
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
    while (parts.committer().commitSync(new ArrayList<>(assignments.all()), remaining(deadline))
        == OffsetCommitter.Result.REBALANCING) {
      long left = deadline - System.nanoTime();
      if (!polling || left <= 0) {
        log.warn(
            "{}: the group is still rebalancing at the stop deadline; the final commit of {}"
                + " partition(s) is not made and records after their last commit will be"
                + " delivered again",
            name,
            assignments.size());
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

  @Override
  protected void beforeClose(Duration timeout) {
    // The revocation callback that close() triggers must find nothing left to wait for or commit.
    assignments.clear();
    stats.inFlight(0);
    parts.pauses().clear();
    parts.progress().clear();
    stats.lag.set(0);
  }

  @Override
  protected void afterClose() {
    if (ownedExecutor != null) {
      if (dispatcher.running() > 0) {
        ownedExecutor.shutdownNow();
      } else {
        ownedExecutor.shutdown();
      }
    }
  }

  private static Duration remaining(long deadlineNanos) {
    Duration left = Duration.ofNanos(deadlineNanos - System.nanoTime());
    return left.compareTo(MIN_CLIENT_TIMEOUT) < 0 ? MIN_CLIENT_TIMEOUT : left;
  }
}
