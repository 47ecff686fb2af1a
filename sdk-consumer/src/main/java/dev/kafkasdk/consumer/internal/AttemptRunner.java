package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.HandlerFailedException;
import io.micrometer.observation.Observation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attempt state machine of a unit of work: asks the gate, has the {@link HandlerCaller} call
 * the handler, and on a failure asks the failure policy whether the work is done, runs again later,
 * waits for a dead letter's acknowledgement or stops the runner. Workers call {@link #run}; a lane
 * calls {@link #crashed} when running the work threw.
 *
 * <p>Each record of a run is its own attempt: a failure is decided for that record alone, and the
 * records before it are finished, never run again.
 *
 * <p>Work that must wait (a retry, an open circuit, the rate limit, a dead letter not yet
 * acknowledged) holds its lane but no thread: a timer or the dead letter's acknowledgement resumes
 * it. Until it is done its records stay in flight, so nothing past them is committed.
 */
final class AttemptRunner<K, V> {
  private static final Logger log = LoggerFactory.getLogger(AttemptRunner.class);

  /**
   * How long an interrupted record waits before it runs again: an application that interrupts its
   * workers again and again must not make the record spin.
   */
  private static final long INTERRUPTED_RERUN_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final Executor executor;
  private final FailurePolicy policy;
  private final Gate gate;
  private final ScheduledExecutorService timer;
  private final RunnerMetrics metrics;
  private final WorkLedger<K, V> ledger;
  private final HandlerCaller<K, V> caller;

  AttemptRunner(
      DispatchContext<K, V> context, WorkLedger<K, V> ledger, HandlerCaller<K, V> caller) {
    this.executor = context.executor();
    this.policy = context.policy();
    this.gate = context.gate();
    this.timer = context.failures().timer();
    this.metrics = context.metrics();
    this.ledger = ledger;
    this.caller = caller;
  }

  /**
   * Runs one unit of work on the calling worker thread.
   *
   * @return true if the work is over and its lane may go on; false if it waits (a timer or an
   *     acknowledgement will {@linkplain SerialLane#resume resume} or release the lane; after a
   *     failure that stops the runner the lane stays blocked)
   */
  boolean run(Work<K, V> work) {
    PartitionState<K, V> owner = work.owner();
    ledger.started(work);
    // Count ourselves as running before looking at the flags: the poll thread sets a flag and then
    // waits for the counters to reach zero, so either it sees us or we see its flag.
    ledger.enter(owner);
    if (ledger.stopping(owner)) {
      ledger.finish(work, Outcome.ABANDONED, null);
      return true;
    }
    Throwable handedBack = work.takeHandedBackFailure();
    if (handedBack != null) {
      // A fast-path run failed at this record and handed it to its key lane: decide it here.
      return decide(work, handedBack);
    }
    if (work.poison() != null) {
      return handsBack(work) ? handBack(work, null) : decide(work, work.poison());
    }
    long wait = gate.admit(work);
    if (wait > 0) {
      ledger.leave(owner);
      park(work, wait);
      return false;
    }
    Throwable failure = null;
    long failedAfter = 0;
    try {
      caller.call(work);
    } catch (HandlerCaller.HandlerCallFailed e) {
      failure = e.getCause();
      failedAfter = e.nanos;
    } catch (HandlerCaller.NotHandled e) {
      // No call was made: whatever the gate admitted says nothing about the downstream.
      gate.released();
      if (e.done.isDone() && !e.done.isCompletedExceptionally()) {
        work.policyTookCurrent();
        if (work.remaining() > 0) {
          ledger.leave(owner);
          return run(work);
        }
        ledger.finish(work, Outcome.DONE, null);
        return true;
      }
      return await(work, e.done, null);
    }
    if (failure == null) {
      // A run of records stops early when its partition is revoked or the runner stops.
      ledger.finish(work, work.remaining() == 0 ? Outcome.DONE : Outcome.ABANDONED, null);
      return true;
    }
    // Thread.interrupted() clears the flag; it is set again below, since the interrupt is not ours.
    if (Thread.interrupted() || failure instanceof InterruptedException) {
      return interrupted(work, failure);
    }
    if (failsTheRunner(failure)) {
      // Not the record's failure, so no retry, skip or dead letter: the runner stops and the record
      // is delivered again to the next owner. The lane stays blocked, as after a stop.
      gate.released();
      metrics.handlerFailed(failedAfter);
      ledger.finish(
          work,
          Outcome.FAILED,
          new HandlerFailedException(owner.partition(), work.currentOffset(), failure));
      return false;
    }
    gate.failed(failedAfter, failure);
    metrics.handlerFailed(failedAfter);
    if (handsBack(work)) {
      return handBack(work, failure);
    }
    // Every failed call is an attempt, also the one that opened the circuit and a failed half-open
    // probe: otherwise a record that always fails would be parked forever. Waiting for an open
    // circuit is no attempt: the call is never made (see Gate#admit).
    return decide(work, failure);
  }

  /**
   * Whether a throwable from the handler means that this JVM or the application's code is broken,
   * not the record: any {@link VirtualMachineError} except {@link StackOverflowError}, and any
   * {@link LinkageError}. Skipping or dead-lettering the record then would lose a record that is
   * fine. A {@link StackOverflowError} is the record's failure: the stack has unwound when it is
   * caught, and it comes from that record's own processing (a payload nested too deeply), so
   * stopping would only hand the same record to the next owner.
   */
  static boolean failsTheRunner(Throwable error) {
    return (error instanceof VirtualMachineError && !(error instanceof StackOverflowError))
        || error instanceof LinkageError;
  }

  /**
   * The handler was interrupted, which is never the record's failure. While the runner stops, the
   * work is abandoned. Otherwise something in the application interrupted the worker: the record
   * runs again after a short wait without using an attempt. If the executor then refuses the work
   * (the application shut it down), the runner fails and nothing from the record on is committed.
   * Either way the interrupt flag is set again for the executor to act on.
   */
  private boolean interrupted(Work<K, V> work, Throwable failure) {
    Thread.currentThread().interrupt();
    gate.released();
    PartitionState<K, V> owner = work.owner();
    if (ledger.halted()) {
      ledger.finish(work, Outcome.ABANDONED, null);
      return true;
    }
    log.warn(
        "{}: the handler was interrupted at offset {} while the runner runs ({}); not the record's"
            + " failure, it runs again",
        owner,
        work.currentOffset(),
        failure.toString());
    ledger.leave(owner);
    park(work, INTERRUPTED_RERUN_NANOS);
    return false;
  }

  private boolean decide(Work<K, V> work, Throwable error) {
    PartitionState<K, V> owner = work.owner();
    if (work.poison() == null) {
      work.attempts++;
    }
    long now = System.nanoTime();
    if (work.attempts <= 1) {
      work.firstFailureNanos = now;
    }
    FailurePolicy.Decision decision;
    Observation failedCall = work.failedCall;
    work.failedCall = null;
    try {
      decision =
          policy.onFailure(
              new FailurePolicy.Failure(
                  work.failing(),
                  work.failingRaw(),
                  error,
                  work.attempts,
                  Duration.ofNanos(now - work.firstFailureNanos),
                  work.poison() == null ? failedCall : null));
    } catch (RuntimeException policyError) {
      error.addSuppressed(policyError);
      decision = FailurePolicy.Decision.STOP;
    }
    if (decision instanceof FailurePolicy.Decision.Done) {
      log.debug("failure of {} at offset {} handled by policy", owner, work.currentOffset());
      work.policyTookCurrent();
      if (work.remaining() > 0) {
        ledger.leave(owner);
        return run(work);
      }
      ledger.finish(work, Outcome.DONE, null);
      return true;
    }
    if (decision instanceof FailurePolicy.Decision.Retry retry) {
      ledger.leave(owner);
      park(work, Math.max(1, retry.delay().toNanos()));
      return false;
    }
    if (decision instanceof FailurePolicy.Decision.Await await) {
      return await(work, await.done(), error);
    }
    ledger.finish(
        work,
        Outcome.FAILED,
        new HandlerFailedException(owner.partition(), work.currentOffset(), error));
    // The runner stops: the lane stays blocked, so no later record of the partition (or key) is
    // processed before the failed one is delivered again.
    return false;
  }

  /** Whether the work runs in KEY ordering's fast path, which hands a failing record back. */
  private static boolean handsBack(Work<?, ?> work) {
    return work.lane() != null && work.lane().handsBack();
  }

  /**
   * A record of a fast-path run (a partition's records in offset order under KEY ordering) failed,
   * or could not be deserialized. Deciding here could park the whole partition behind one key's
   * retry, so the run ends instead, reporting the records from this one on as {@linkplain
   * Outcome#HANDED_BACK handed back}: the poll thread gives them to their key lanes, this record
   * first in its own with the failure still to be decided. The partition lane stays blocked until
   * then, so nothing queued behind the run starts before it is handed back too.
   *
   * @param failure the handler's failure, or null for a record that could not be deserialized
   */
  private boolean handBack(Work<K, V> work, Throwable failure) {
    ledger.finish(work, Outcome.HANDED_BACK, failure);
    return false;
  }

  /**
   * Finishes the current record when {@code done} completes (a send the policy or the key order
   * made), then goes on with the rest of the work; the lane waits meanwhile.
   *
   * @param error the handler's failure that led to the send, or null if there was no call
   */
  private boolean await(Work<K, V> work, CompletionStage<?> done, Throwable error) {
    PartitionState<K, V> owner = work.owner();
    // Still counted as running: a revocation or a stop waits for the acknowledgement.
    done.whenComplete(
        (ignored, publishError) -> {
          if (publishError != null) {
            // The lane stays blocked: the runner stops.
            ledger.finish(work, Outcome.FAILED, failedWith(work, publishError, error));
            return;
          }
          work.policyTookCurrent();
          if (work.remaining() > 0) {
            ledger.leave(owner);
            resumption(work).run();
            return;
          }
          ledger.finish(work, Outcome.DONE, null);
          if (work.lane() != null) {
            work.lane().release();
          }
        });
    return false;
  }

  private static HandlerFailedException failedWith(
      Work<?, ?> work, Throwable publishError, Throwable original) {
    HandlerFailedException failure =
        new HandlerFailedException(work.owner().partition(), work.currentOffset(), publishError);
    if (original != null) {
      failure.addSuppressed(original);
    }
    return failure;
  }

  /** Runs the work again after a wait, without holding a thread; its lane stays blocked. */
  private void park(Work<K, V> work, long nanos) {
    try {
      timer.schedule(resumption(work), nanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // The runner is stopping: the work is abandoned and its records delivered again later.
      ledger.rejected(List.of(work), e);
    }
  }

  /** Runs the work again on a worker, before anything else queued in its lane. */
  private Runnable resumption(Work<K, V> work) {
    return work.lane() != null ? () -> work.lane().resume(work) : () -> submitUnordered(work);
  }

  /**
   * Runs work without a lane as a task of its own: unordered work when dispatched, and again after
   * a wait. Work the executor refuses is reported as rejected.
   */
  void submitUnordered(Work<K, V> work) {
    try {
      executor.execute(() -> runUnordered(work));
    } catch (RejectedExecutionException e) {
      ledger.rejected(List.of(work), e);
    }
  }

  private void runUnordered(Work<K, V> work) {
    try {
      run(work);
    } catch (Throwable error) {
      crashed(work, error);
    }
  }

  /**
   * Running the work threw something other than the handler's failure: a bug in the dispatcher or
   * the failure policy, or an {@link Error} raised outside the handler. The work is reported
   * FAILED, so the runner stops and nothing from its current record on is committed; its lane, if
   * any, stays blocked. {@link #run} throws only while the work is counted as running and not yet
   * reported, so this reports it and stops counting it.
   */
  void crashed(Work<K, V> work, Throwable error) {
    log.error(
        "{}: unexpected failure at offset {}, not the handler's; the runner stops",
        work.owner(),
        work.currentOffset(),
        error);
    ledger.finish(
        work,
        Outcome.FAILED,
        new HandlerFailedException(work.owner().partition(), work.currentOffset(), error));
  }
}
