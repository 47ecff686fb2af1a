package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.FailureAction;
import dev.kafkasdk.consumer.internal.ModelCase.Behaviour;
import dev.kafkasdk.consumer.internal.ModelCase.Script;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The reference model of {@link DispatcherModelTest}: what must become of one unit of attempts (a
 * record for a record handler, a batch for a batch handler), given its records' scripts, the retry
 * limit and the failure action. It knows nothing of lanes, runs, timers or threads.
 *
 * <p>The rules (docs/failure-handling.md and issue 14):
 *
 * <ul>
 *   <li>Every handler call that throws an ordinary exception is one attempt of that record (or
 *       batch) alone; attempts never carry over from another record. With attempts left it is
 *       called again; otherwise the action decides: skip, dead-letter, or stop the runner.
 *   <li>A {@link VirtualMachineError} fails the runner at once: no retry, never skipped or
 *       dead-lettered, never committed (the next owner gets the record again).
 *   <li>An {@link InterruptedException} while the runner is not stopping is not the record's
 *       failure: it is never charged as an attempt, skipped or dead-lettered; the record runs again
 *       (failure-handling.md, "Errors and interrupts").
 *   <li>A batch call does what its "worst" record does on that call ({@link Behaviour} order).
 * </ul>
 */
final class AttemptModel {
  /** How a record ended up. */
  enum End {
    HANDLED,
    SKIPPED,
    DEAD_LETTERED,
    /** The failure action stopped the runner at this record. */
    STOPPED,
    /** The runner failed at this record without the failure action (an Error, an interrupt). */
    RUNNER_FAILED,
    /** Not (yet) in a final state. */
    UNFINISHED
  }

  /**
   * One acceptable end of a unit.
   *
   * @param outcome how it ended
   * @param calls handler calls with the unit
   */
  record Expectation(End outcome, int calls) {
    @Override
    public String toString() {
      return outcome + " after " + calls + " call(s)";
    }
  }

  private AttemptModel() {}

  /**
   * The acceptable ends of a unit.
   *
   * @param unit the scripts of the unit's records
   * @param maxAttempts the retry limit
   * @param action the failure action
   * @return one or more expectations
   */
  static Set<Expectation> expect(List<Script> unit, int maxAttempts, FailureAction.Kind action) {
    Set<Expectation> ends = new HashSet<>();
    explore(unit, 1, 0, maxAttempts, action, ends);
    return ends;
  }

  private static void explore(
      List<Script> unit,
      int call,
      int attempts,
      int maxAttempts,
      FailureAction.Kind action,
      Set<Expectation> ends) {
    Behaviour behaviour = Behaviour.OK;
    for (Script script : unit) {
      Behaviour own = script.call(call);
      if (own.compareTo(behaviour) > 0) {
        behaviour = own;
      }
    }
    switch (behaviour) {
      case OK -> ends.add(new Expectation(End.HANDLED, call));
      case VM_ERROR -> ends.add(new Expectation(End.RUNNER_FAILED, call));
      case INTERRUPT -> explore(unit, call + 1, attempts, maxAttempts, action, ends);
      case FAIL -> {
        if (attempts + 1 < maxAttempts) {
          explore(unit, call + 1, attempts + 1, maxAttempts, action, ends);
        } else {
          ends.add(new Expectation(givenUp(action), call));
        }
      }
    }
  }

  private static End givenUp(FailureAction.Kind action) {
    return switch (action) {
      case SKIP -> End.SKIPPED;
      case DEAD_LETTER -> End.DEAD_LETTERED;
      case STOP -> End.STOPPED;
      case RETRY_TOPICS -> throw new IllegalArgumentException("not modelled here");
    };
  }
}
