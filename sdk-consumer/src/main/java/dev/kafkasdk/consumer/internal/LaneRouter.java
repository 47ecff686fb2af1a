package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.Ordering;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Routes polled records by the ordering guarantee: for {@link Ordering#PARTITION} through the one
 * lane of their partition, for {@link Ordering#KEY} through one lane per key within the partition,
 * or through the partition's lane while the fast path allows ({@link #fastPath}; both kinds kept in
 * the assignment's {@link PartitionLanes}), and unordered work straight to the executor as a task
 * of its own. Lanes with work go to the {@link ReadyLanes}. Poll thread only.
 */
final class LaneRouter<K, V> {
  /** Idle key lanes a partition keeps for reuse before it forgets them. */
  static final int KEY_LANES_KEPT = 1024;

  private final Ordering ordering;
  private final UnitCutter<K, V> cutter;
  private final AttemptRunner<K, V> attempts;
  private final WorkLedger<K, V> ledger;
  private final ReadyLanes<K, V> ready;

  /**
   * Whether KEY ordering may take the fast path at all: a record handler without a circuit breaker,
   * rate limiter or key-ordered retry chain.
   */
  private final boolean fastPathAllowed;

  /** Whether a poll's records of one partition are cheap enough to run in order on one lane. */
  private final IntPredicate cheapEnough;

  /**
   * Creates the router.
   *
   * @param cheapEnough given a partition's polled record count, whether they may run in offset
   *     order on one lane under KEY ordering (the handler's measured speed, {@link
   *     RunLength#cheap})
   */
  LaneRouter(
      DispatchContext<K, V> context,
      UnitCutter<K, V> cutter,
      AttemptRunner<K, V> attempts,
      WorkLedger<K, V> ledger,
      IntPredicate cheapEnough) {
    this.ordering = context.ordering();
    this.fastPathAllowed =
        context.ordering() == Ordering.KEY
            && context.invoker().perRecord()
            && context.gate().passive()
            && context.failures().keyOrder() == null;
    this.cheapEnough = cheapEnough;
    this.cutter = cutter;
    this.attempts = attempts;
    this.ledger = ledger;
    this.ready = new ReadyLanes<>(context.workers());
  }

  /** Queues one partition's records from one poll. */
  void dispatch(PartitionState<K, V> state, List<ConsumerRecord<byte[], byte[]>> records) {
    switch (ordering) {
      case PARTITION -> inOrder(state, records);
      case KEY -> {
        PartitionLanes<K, V> lanes = state.lanes();
        if (lanes.waiting != null) {
          lanes.waiting.addAll(records);
        } else if (!fastPath(lanes, records.size())) {
          byKey(state, records);
        } else if (lanes.partitionLane == null
            || lanes.partitionLane.pendingWork == 0
            || (fastPathAllowed && cheapEnough.test(records.size()))) {
          inOrder(state, records);
        } else {
          // The partition lane is busy and the handler no longer cheap: wait for the lane to go
          // idle, then use the key lanes (settled), rather than keep a backlog on one lane.
          lanes.waiting = new ArrayList<>(records);
        }
      }
      case UNORDERED -> {
        for (Work<K, V> work : cutter.units(state, records, null)) {
          ledger.queued(work);
          attempts.submitUnordered(work);
        }
      }
    }
  }

  /**
   * KEY ordering's fast path: whether the partition's records go to its one partition lane, in
   * offset order, as under PARTITION ordering. That order is stricter than per key, so the KEY
   * contract holds, and it skips a lane lookup per record and a unit per key. The owner of the rule
   * that keeps per-key order across the switch: records never run in both kinds of lane at once.
   *
   * <ul>
   *   <li>While the partition lane has pending work, yes: the new records may share keys with it,
   *       so they must not start before it. They queue behind it while the handler is cheap;
   *       otherwise they wait ({@link PartitionLanes#waiting}, as do all later records of the
   *       partition) until the lane is idle, and then go to their key lanes.
   *   <li>Else only when no key lane of the partition has pending work (nothing queued, running, or
   *       waiting for a retry or a dead letter) and the handler is cheap enough that the records
   *       take about one run's time: then holding the partition's other keys behind one record
   *       costs little. A record handler only, without a circuit breaker, rate limiter or a retry
   *       chain that keeps key order (their waits would hold the whole partition).
   *   <li>A record that fails in the partition lane is handed back ({@link #settled}): from then on
   *       the key lanes have work, so the partition stays on them until every key lane is idle.
   * </ul>
   */
  private boolean fastPath(PartitionLanes<K, V> lanes, int records) {
    SerialLane<K, V> inOrder = lanes.partitionLane;
    if (inOrder != null && inOrder.pendingWork > 0) {
      return true;
    }
    return fastPathAllowed && lanes.keyedPending == 0 && cheapEnough.test(records);
  }

  /** Queues the records in offset order in the partition's one lane. */
  private void inOrder(PartitionState<K, V> state, List<ConsumerRecord<byte[], byte[]>> records) {
    PartitionLanes<K, V> lanes = state.lanes();
    if (lanes.partitionLane == null) {
      lanes.partitionLane = lane(state.partition(), ordering == Ordering.KEY);
    }
    boolean wasIdle = false;
    for (Work<K, V> work : cutter.units(state, records, lanes.partitionLane)) {
      wasIdle |= queue(work);
    }
    if (wasIdle) {
      ready.start(List.of(lanes.partitionLane));
    }
  }

  /** Queues the records in their key lanes: one map lookup per record, then units per lane. */
  private void byKey(PartitionState<K, V> state, List<ConsumerRecord<byte[], byte[]>> records) {
    List<SerialLane<K, V>> touched = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      SerialLane<K, V> lane = keyLane(state, record);
      if (lane.polled == null) {
        lane.polled = new ArrayList<>(4);
        touched.add(lane);
      }
      lane.polled.add(record);
    }
    List<SerialLane<K, V>> idle = new ArrayList<>();
    for (SerialLane<K, V> lane : touched) {
      List<ConsumerRecord<byte[], byte[]>> polled = lane.polled;
      lane.polled = null;
      boolean wasIdle = false;
      for (Work<K, V> work : cutter.units(state, polled, lane)) {
        wasIdle |= queue(work);
      }
      if (wasIdle) {
        idle.add(lane);
      }
    }
    ready.start(idle);
    forgetIdleKeyLanes(state);
  }

  private SerialLane<K, V> keyLane(
      PartitionState<K, V> state, ConsumerRecord<byte[], byte[]> record) {
    Object key = LaneKey.of(record.key());
    SerialLane<K, V> lane = state.lanes().keyLanes.get(key);
    if (lane == null) {
      lane = lane(key, false);
      state.lanes().keyLanes.put(key, lane);
    }
    return lane;
  }

  /**
   * The poll thread has applied a completion: the work no longer holds its lane in memory. Work
   * that a fast-path run {@linkplain Outcome#HANDED_BACK handed back} goes to its key lanes.
   */
  void settled(Completion<K, V> completion) {
    Work<K, V> work = completion.work();
    SerialLane<K, V> lane = work.lane();
    if (lane == null) {
      return;
    }
    lane.pendingWork--;
    PartitionLanes<K, V> lanes = work.owner().lanes();
    if (ordering == Ordering.KEY && lane != lanes.partitionLane) {
      lanes.keyedPending--;
    }
    if (completion.outcome() == Outcome.HANDED_BACK) {
      handBack(work, completion.error());
    }
    if (lane == lanes.partitionLane && lane.pendingWork == 0 && lanes.waiting != null) {
      List<ConsumerRecord<byte[], byte[]>> waiting = lanes.waiting;
      lanes.waiting = null;
      byKey(work.owner(), waiting);
    }
  }

  /**
   * A fast-path run failed at its cursor (see {@link AttemptRunner}): its records from there on and
   * every unit queued behind it in the partition lane go to their key lanes in offset order, the
   * failed record first in its lane carrying its failure. So the failing key's later records stay
   * behind it, and the other keys go on without waiting for its retries. The partition lane was
   * blocked by the run, so no record behind it has started; it is idle afterwards.
   *
   * @param failure the handler's failure, or null if the record could not be deserialized (its unit
   *     is poison and decides that itself)
   */
  private void handBack(Work<K, V> run, Throwable failure) {
    PartitionState<K, V> state = run.owner();
    SerialLane<K, V> inOrder = run.lane();
    List<Work<K, V>> behind = inOrder.takeQueued();
    inOrder.pendingWork -= behind.size();
    Map<SerialLane<K, V>, List<UnitCutter.HandedBack<K, V>>> byLane = new LinkedHashMap<>();
    collect(state, run, run.cursor, byLane);
    for (Work<K, V> work : behind) {
      ledger.unqueued(work);
      collect(state, work, 0, byLane);
    }
    List<SerialLane<K, V>> idle = new ArrayList<>();
    boolean first = true;
    for (Map.Entry<SerialLane<K, V>, List<UnitCutter.HandedBack<K, V>>> lane : byLane.entrySet()) {
      boolean wasIdle = false;
      for (Work<K, V> work : cutter.recut(state, lane.getValue(), lane.getKey())) {
        if (first && failure != null) {
          // The failed record is the first one collected, so it heads the first unit.
          work.carry(failure, run);
        }
        first = false;
        wasIdle |= queue(work);
      }
      if (wasIdle) {
        idle.add(lane.getKey());
      }
    }
    inOrder.handedBack();
    ready.start(idle);
  }

  /** Adds the work's records from {@code from} on to their key lanes' lists, in offset order. */
  private void collect(
      PartitionState<K, V> state,
      Work<K, V> work,
      int from,
      Map<SerialLane<K, V>, List<UnitCutter.HandedBack<K, V>>> byLane) {
    for (int i = from; i < work.records().size(); i++) {
      ConsumerRecord<byte[], byte[]> raw = work.rawAt(i);
      byLane
          .computeIfAbsent(keyLane(state, raw), lane -> new ArrayList<>())
          .add(new UnitCutter.HandedBack<>(work.records().get(i), raw, work.poison()));
    }
  }

  private SerialLane<K, V> lane(Object key, boolean handsBack) {
    return new SerialLane<>(key, ready, attempts, ledger, handsBack);
  }

  /**
   * Forgets key lanes without pending work once a partition holds more than {@link #KEY_LANES_KEPT}
   * (or twice what the last sweep left): lanes of recurring keys are reused from poll to poll
   * instead of rebuilt, while memory stays bounded by the keys in flight. Doubling the threshold
   * keeps the sweeps amortised O(1) per record even when most lanes are busy.
   */
  private void forgetIdleKeyLanes(PartitionState<K, V> state) {
    if (state.lanes().keyLanes.size() > state.lanes().keyLaneSweepAt) {
      state.lanes().keyLanes.values().removeIf(lane -> lane.pendingWork == 0);
      state.lanes().keyLaneSweepAt = Math.max(KEY_LANES_KEPT, 2 * state.lanes().keyLanes.size());
    }
  }

  /**
   * Queues work in its lane; true if the lane was idle and the caller must {@linkplain
   * ReadyLanes#start start} it.
   */
  private boolean queue(Work<K, V> work) {
    ledger.queued(work);
    work.lane().pendingWork++;
    if (ordering == Ordering.KEY && work.lane() != work.owner().lanes().partitionLane) {
      work.owner().lanes().keyedPending++;
    }
    return work.lane().enqueueIdle(work);
  }
}
