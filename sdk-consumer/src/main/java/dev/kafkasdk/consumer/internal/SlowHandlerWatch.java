package dev.kafkasdk.consumer.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Knows which handler calls are running and since when, so the poll thread can spot slow ones. */
final class SlowHandlerWatch {
  private static final Logger log = LoggerFactory.getLogger(SlowHandlerWatch.class);
  private final Set<Call> running = ConcurrentHashMap.newKeySet();

  Call started(TopicPartition partition, long offset, int records) {
    Call call = new Call(partition, offset, records, Thread.currentThread(), System.nanoTime());
    running.add(call);
    return call;
  }

  /**
   * The call moved on to the next record of its run: watch that record from now on. Called once per
   * record, so it uses release stores, not volatile ones: a plain store on x86, where a volatile
   * store's fence per record was a visible share of a cheap handler's cost. The watch only needs to
   * see the new record soon, not at once.
   */
  void next(Call call, long offset, long startNanos) {
    Call.OFFSET.setRelease(call, offset);
    Call.START_NANOS.setRelease(call, startNanos);
    if (call.reported) {
      call.reported = false;
    }
  }

  void finished(Call call) {
    running.remove(call);
  }

  /** Returns the calls that crossed the threshold since the last check; each is returned once. */
  List<Call> newlySlow(long thresholdNanos) {
    long now = System.nanoTime();
    List<Call> slow = new ArrayList<>();
    for (Call call : running) {
      if (!call.reported && now - call.startNanos() > thresholdNanos) {
        call.reported = true;
        slow.add(call);
      }
    }
    return slow;
  }

  /**
   * Logs and counts each call that crossed the threshold since the last check. Poll thread.
   *
   * @param loop the loop's name, for the log
   * @param threshold when a call is slow
   * @param metrics counts slow calls
   */
  void reportNewlySlow(String loop, Duration threshold, RunnerMetrics metrics) {
    for (Call call : newlySlow(threshold.toNanos())) {
      metrics.slowHandler();
      log.warn(
          "{}: handler has been processing {} record(s) of {} from offset {} for {} ms on thread"
              + " {} (slowHandlerThreshold {} ms). Polling goes on, so the group membership is"
              + " safe, but the commit of {} waits for this call.",
          loop,
          call.records,
          call.partition,
          call.offset(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - call.startNanos()),
          call.thread.getName(),
          threshold.toMillis(),
          call.partition);
    }
  }

  /** A running handler call. Identity equality on purpose: two calls are never the same. */
  static final class Call {
    final TopicPartition partition;
    final int records;
    final Thread thread;
    private long offset;
    private long startNanos;
    volatile boolean reported;

    Call(TopicPartition partition, long offset, int records, Thread thread, long startNanos) {
      this.partition = partition;
      this.offset = offset;
      this.records = records;
      this.thread = thread;
      this.startNanos = startNanos;
    }

    /** The offset of the record the call is handling now. */
    long offset() {
      return (long) OFFSET.getAcquire(this);
    }

    /** When the call started the record it is handling now. */
    long startNanos() {
      return (long) START_NANOS.getAcquire(this);
    }

    static final VarHandle OFFSET;
    static final VarHandle START_NANOS;

    static {
      try {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        OFFSET = lookup.findVarHandle(Call.class, "offset", long.class);
        START_NANOS = lookup.findVarHandle(Call.class, "startNanos", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }
  }
}
