package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.HandlerMdc;
import dev.kafkasdk.core.internal.MessagingConventions;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.MDC;
import org.slf4j.helpers.NOPMDCAdapter;

/**
 * Puts one handler call inside its process observation and MDC entries, on the thread that runs the
 * call. A runner has one only when there is something to add: a runner without a registry and with
 * the MDC off (or a logging backend without an MDC) calls its handler directly and pays one null
 * check.
 *
 * <p>Order on opening: the observation starts (its parent extracted from the record's headers) and
 * its scope opens, which is when a tracer puts its own {@code traceId} and {@code spanId} in the
 * MDC; then the runner's MDC entries are set. Closing undoes it in reverse.
 */
final class CallTelemetry {
  private static final String[] RECORD_KEYS = {
    HandlerMdc.TOPIC, HandlerMdc.PARTITION, HandlerMdc.OFFSET, HandlerMdc.GROUP, HandlerMdc.RUNNER
  };
  private static final String[] BATCH_KEYS = {
    HandlerMdc.TOPIC,
    HandlerMdc.PARTITION,
    HandlerMdc.FIRST_OFFSET,
    HandlerMdc.LAST_OFFSET,
    HandlerMdc.GROUP,
    HandlerMdc.RUNNER
  };

  private final ObservationRegistry observations;
  private final boolean mdc;
  private final boolean includeKey;
  private final String group;
  private final String runner;

  private CallTelemetry(HandlerTelemetry settings, boolean mdc, String group, String runner) {
    this.observations = settings.observations().orElse(null);
    this.mdc = mdc;
    this.includeKey = settings.includeKey();
    this.group = group;
    this.runner = runner;
  }

  /**
   * Returns the runner's telemetry, or null when there is nothing to add around a call.
   *
   * @param settings the runner's settings
   * @param group the consumer group
   * @param runner the name the runner runs under
   */
  static CallTelemetry of(HandlerTelemetry settings, String group, String runner) {
    // A logging backend without an MDC (slf4j-simple, slf4j-nop) would drop every entry: then
    // setting them is pure cost, so the MDC counts as off.
    boolean mdc = settings.mdc() && !(MDC.getMDCAdapter() instanceof NOPMDCAdapter);
    if (settings.observations().isEmpty() && !mdc) {
      return null;
    }
    return new CallTelemetry(settings, mdc, group, runner);
  }

  /** Tells whether calls are observed (for the dead-letter link). */
  boolean observes() {
    return observations != null;
  }

  /**
   * Opens a record handler's (or exactly-once transform's) call.
   *
   * @param record the record
   * @param attempt the call's attempt at the record, from 1; 0 if not counted
   * @return the open call; close it on the same thread
   */
  Call openRecord(ConsumerRecord<?, ?> record, int attempt) {
    Observation observation = observe(record, 1, attempt);
    Observation.Scope scope = observation == null ? null : observation.openScope();
    String[] previous = null;
    if (mdc) {
      previous = save(RECORD_KEYS);
      MDC.put(HandlerMdc.TOPIC, record.topic());
      MDC.put(HandlerMdc.PARTITION, Integer.toString(record.partition()));
      MDC.put(HandlerMdc.OFFSET, Long.toString(record.offset()));
      putCommon(record);
    }
    return new Call(observation, scope, previous, previous == null ? null : RECORD_KEYS);
  }

  /**
   * Opens a batch handler's call; the observation's parent comes from the first record.
   *
   * @param first the batch's first record
   * @param last its last record (same partition)
   * @param count how many records
   * @param attempt the call's attempt at the batch, from 1
   * @return the open call; close it on the same thread
   */
  Call openBatch(ConsumerRecord<?, ?> first, ConsumerRecord<?, ?> last, int count, int attempt) {
    Observation observation = observe(first, count, attempt);
    Observation.Scope scope = observation == null ? null : observation.openScope();
    String[] previous = null;
    if (mdc) {
      previous = save(BATCH_KEYS);
      MDC.put(HandlerMdc.TOPIC, first.topic());
      MDC.put(HandlerMdc.PARTITION, Integer.toString(first.partition()));
      MDC.put(HandlerMdc.FIRST_OFFSET, Long.toString(first.offset()));
      MDC.put(HandlerMdc.LAST_OFFSET, Long.toString(last.offset()));
      putCommon(first);
    }
    return new Call(observation, scope, previous, previous == null ? null : BATCH_KEYS);
  }

  private Observation observe(ConsumerRecord<?, ?> record, int count, int attempt) {
    if (observations == null) {
      return null;
    }
    return Observation.createNotStarted(
            null,
            ProcessConvention.INSTANCE,
            () -> new ProcessContext(record, count, attempt, group, runner, includeKey),
            observations)
        .start();
  }

  private void putCommon(ConsumerRecord<?, ?> record) {
    MDC.put(HandlerMdc.GROUP, group);
    MDC.put(HandlerMdc.RUNNER, runner);
    String key = includeKey ? MessagingConventions.keyText(record.key()) : null;
    if (key != null) {
      MDC.put(HandlerMdc.KEY, key);
    }
  }

  /** The values the entries had before the call; the key's value last. */
  private String[] save(String[] keys) {
    String[] previous = new String[keys.length + 1];
    for (int i = 0; i < keys.length; i++) {
      previous[i] = MDC.get(keys[i]);
    }
    previous[keys.length] = includeKey ? MDC.get(HandlerMdc.KEY) : null;
    return previous;
  }

  /** One open handler call. Not thread-safe: opened and closed on the thread running the call. */
  final class Call {
    private final Observation observation;
    private final Observation.Scope scope;
    private final String[] previous;
    private final String[] keys;

    private Call(
        Observation observation, Observation.Scope scope, String[] previous, String[] keys) {
      this.observation = observation;
      this.scope = scope;
      this.previous = previous;
      this.keys = keys;
    }

    /**
     * Records the call's failure on its observation.
     *
     * @param error what the handler threw
     * @return the call's observation, to link a dead letter to; null when not observed
     */
    Observation failed(Throwable error) {
      if (observation != null) {
        observation.error(error);
      }
      return observation;
    }

    /** Restores the MDC entries, closes the scope and stops the observation. */
    void close() {
      if (previous != null) {
        for (int i = 0; i < keys.length; i++) {
          restore(keys[i], previous[i]);
        }
        if (includeKey) {
          restore(HandlerMdc.KEY, previous[keys.length]);
        }
      }
      if (observation != null) {
        scope.close();
        observation.stop();
      }
    }

    private void restore(String key, String value) {
      if (value == null) {
        MDC.remove(key);
      } else {
        MDC.put(key, value);
      }
    }
  }
}
