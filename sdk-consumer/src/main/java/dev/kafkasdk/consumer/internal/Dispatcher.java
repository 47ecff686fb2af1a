package dev.kafkasdk.consumer.internal;

import java.util.List;
import java.util.function.IntPredicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The poll thread's side of dispatching: turns polled records into units of work, routes them
 * through ordering lanes onto the executor, runs the handler and reports each outcome on the
 * completion queue. The poll thread calls {@link #dispatch}, {@link #settled}, {@link #running} and
 * {@link #halt}; the work is done by parts with one job each:
 *
 * <ul>
 *   <li>{@link UnitCutter} deserializes records one by one (on the poll thread) and cuts them into
 *       units: runs sized by {@link RunLength}, batches, and a record that cannot be deserialized
 *       alone, which goes straight to the failure policy;
 *   <li>{@link LaneRouter} routes units through ordering lanes ({@link SerialLane}), which wait for
 *       a worker in {@link ReadyLanes};
 *   <li>{@link AttemptRunner} runs a unit's attempts and decides its failures, with {@link
 *       HandlerCaller} calling the handler;
 *   <li>{@link WorkLedger} counts what is queued and running and reports each outcome.
 * </ul>
 */
final class Dispatcher<K, V> {
  private final WorkLedger<K, V> ledger;
  private final LaneRouter<K, V> router;
  private final RunLength runLength;

  Dispatcher(DispatchContext<K, V> context) {
    this(context, null);
  }

  /**
   * Creates a dispatcher whose KEY ordering takes the fast path when {@code cheapEnough} says so
   * (tests), instead of by the handler's measured speed.
   *
   * @param cheapEnough given a partition's polled record count, whether they may run in order on
   *     one lane; null for {@link RunLength#cheap}
   */
  Dispatcher(DispatchContext<K, V> context, IntPredicate cheapEnough) {
    this.ledger = new WorkLedger<>(context.reports());
    this.runLength = new RunLength(context.parallelism());
    AttemptRunner<K, V> attempts =
        new AttemptRunner<>(context, ledger, new HandlerCaller<>(context, ledger, runLength));
    this.router =
        new LaneRouter<>(
            context,
            new UnitCutter<>(context, runLength),
            attempts,
            ledger,
            cheapEnough != null ? cheapEnough : runLength::cheap);
  }

  /** Tells whether the current thread is inside a handler call of any runner. */
  static boolean inHandler() {
    return HandlerCaller.inHandler();
  }

  /**
   * The measured handler time per record, 0 while unknown or not measured (batch handlers); see
   * {@link RunLength#nanosPerRecord()}. Any thread.
   */
  long nanosPerRecord() {
    return runLength.nanosPerRecord();
  }

  /** Handler calls running now (and dead letters being published), across all partitions. */
  int running() {
    return ledger.running();
  }

  /** After this, workers start nothing new: queued and waiting work is abandoned. */
  void halt() {
    ledger.halt();
  }

  /** Queues one partition's records from one poll. Poll thread only. */
  void dispatch(PartitionState<K, V> state, List<ConsumerRecord<byte[], byte[]>> records) {
    router.dispatch(state, records);
  }

  /**
   * The poll thread applies a completion: frees its lane, and queues again what a fast-path run
   * handed back. Call it for every completion, also of a retired assignment. Poll thread only.
   */
  void settled(Completion<K, V> completion) {
    router.settled(completion);
  }
}
