package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.Ordering;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Routes polled records by the ordering guarantee: for {@link Ordering#PARTITION} through the one
 * lane of their partition, for {@link Ordering#KEY} through one lane per key within the partition
 * (both kept in the assignment's {@link PartitionLanes}), and unordered work straight to the
 * executor as a task of its own. Lanes with work go to the {@link ReadyLanes}. Poll thread only.
 */
final class LaneRouter<K, V> {
  /** Idle key lanes a partition keeps for reuse before it forgets them. */
  static final int KEY_LANES_KEPT = 1024;

  private final Ordering ordering;
  private final UnitCutter<K, V> cutter;
  private final AttemptRunner<K, V> attempts;
  private final WorkLedger<K, V> ledger;
  private final ReadyLanes<K, V> ready;

  LaneRouter(
      DispatchContext<K, V> context,
      UnitCutter<K, V> cutter,
      AttemptRunner<K, V> attempts,
      WorkLedger<K, V> ledger) {
    this.ordering = context.ordering();
    this.cutter = cutter;
    this.attempts = attempts;
    this.ledger = ledger;
    this.ready = new ReadyLanes<>(context.workers());
  }

  /** Queues one partition's records from one poll. */
  void dispatch(PartitionState<K, V> state, List<ConsumerRecord<byte[], byte[]>> records) {
    switch (ordering) {
      case PARTITION -> {
        if (state.lanes().partitionLane == null) {
          state.lanes().partitionLane = lane(state.partition());
        }
        boolean wasIdle = false;
        for (Work<K, V> work : cutter.units(state, records, state.lanes().partitionLane)) {
          wasIdle |= queue(work);
        }
        if (wasIdle) {
          ready.start(List.of(state.lanes().partitionLane));
        }
      }
      case KEY -> {
        // One map lookup per record: records gather in their lane, then each lane gets its units.
        List<SerialLane<K, V>> touched = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
          Object key = LaneKey.of(record.key());
          SerialLane<K, V> lane = state.lanes().keyLanes.get(key);
          if (lane == null) {
            lane = lane(key);
            state.lanes().keyLanes.put(key, lane);
          }
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
      case UNORDERED -> {
        for (Work<K, V> work : cutter.units(state, records, null)) {
          ledger.queued(work);
          attempts.submitUnordered(work);
        }
      }
    }
  }

  /** The poll thread has applied a completion: the work no longer holds its lane in memory. */
  void settled(Work<K, V> work) {
    SerialLane<K, V> lane = work.lane();
    if (lane != null) {
      lane.pendingWork--;
    }
  }

  private SerialLane<K, V> lane(Object key) {
    return new SerialLane<>(key, ready, attempts, ledger);
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
    return work.lane().enqueueIdle(work);
  }
}
