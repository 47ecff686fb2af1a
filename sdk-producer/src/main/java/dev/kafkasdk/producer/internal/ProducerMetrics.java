package dev.kafkasdk.producer.internal;

import dev.kafkasdk.producer.ErrorCategory;
import dev.kafkasdk.producer.ProducerMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.concurrent.TimeUnit;

/** Records the SDK meters named in {@link ProducerMeters} for one SDK producer. */
public final class ProducerMetrics {
  /** Transaction outcome: committed. */
  public static final String COMMITTED = "committed";

  /** Transaction outcome: aborted by the SDK. */
  public static final String ABORTED = "aborted";

  /** Transaction outcome: neither committed nor aborted; the producer was closed. */
  public static final String FAILED = "failed";

  private final MeterRegistry registry;
  private final String clientId;
  private final Timer sendSuccess;
  private final boolean enabled;

  /**
   * The registry if it is a composite (Micrometer's global registry, the builders' default), else
   * null: while it has no registries, recording into it is a no-op that still costs the producer's
   * I/O thread a scan of its empty child set per acknowledged send (half of that thread's samples
   * in a flight recording of the producer benchmark at 1.5 million sends/s), so sends made then are
   * not timed ({@link #timing()}).
   */
  private final CompositeMeterRegistry composite;

  /**
   * Whether the composite had a registry at its last check. Checked every {@value #RECHECK_EVERY}
   * sends, not per send: asking the composite per send cost the producer benchmark about a tenth of
   * the raw producer's rate (1.10 without the check, 0.87-0.89 with it, full-mode runs).
   */
  private volatile boolean compositeRecords;

  /** Sends since the composite was last checked; racy on purpose, a lost count only delays one. */
  private int sendsSinceCheck;

  /** How many sends at most go untimed after a registry is added to an empty composite. */
  static final int RECHECK_EVERY = 1024;

  /**
   * Creates the recorder.
   *
   * @param registry the registry; null (only tests pass it: the builders default to {@code
   *     Metrics.globalRegistry}) records nothing
   * @param clientId value of the {@code client} tag
   * @param transactional whether to pre-register the transaction timers
   */
  public ProducerMetrics(MeterRegistry registry, String clientId, boolean transactional) {
    // An empty composite registry hands out no-op meters: callers need no null checks. Recording
    // into one still costs a little per send on the producer's I/O thread, so the hot path skips
    // it.
    this.enabled = registry != null;
    this.registry = registry != null ? registry : new CompositeMeterRegistry();
    this.composite = registry instanceof CompositeMeterRegistry c ? c : null;
    this.compositeRecords = composite != null && !composite.getRegistries().isEmpty();
    this.clientId = clientId;
    if (transactional) {
      transactionTimer(COMMITTED);
      transactionTimer(ABORTED);
      transactionTimer(FAILED);
    } else {
      sendTimer("failure", ErrorCategory.RETRIABLE.tagValue());
    }
    this.sendSuccess = sendTimer("success", "none");
  }

  /**
   * Records an acknowledged send; only timed sends (see {@link #timing()}) are recorded.
   *
   * @param nanos time from send to acknowledgement
   */
  public void sendSucceeded(long nanos) {
    if (enabled) {
      sendSuccess.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Tells whether a send made now is to be timed: a registry was given and, for a composite (the
   * global registry), it had a registry in it when last checked. A registry added to an empty
   * composite is seen within {@value #RECHECK_EVERY} sends. An untimed send need not read the clock
   * nor keep its start time until the acknowledgement. Called once per send.
   *
   * @return true if the send meter records now
   */
  public boolean timing() {
    if (!enabled) {
      return false;
    }
    if (composite == null) {
      return true;
    }
    if (++sendsSinceCheck >= RECHECK_EVERY) {
      sendsSinceCheck = 0;
      compositeRecords = !composite.getRegistries().isEmpty();
    }
    return compositeRecords;
  }

  /**
   * Records a failed send.
   *
   * @param nanos time from send to failure
   * @param category the failure's category
   */
  public void sendFailed(long nanos, ErrorCategory category) {
    sendTimer("failure", category.tagValue()).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Records a send rejected by the open circuit breaker. */
  public void sendRejected() {
    sendTimer("rejected", ErrorCategory.RETRIABLE.tagValue()).record(0, TimeUnit.NANOSECONDS);
  }

  /**
   * Records the end of a transaction attempt.
   *
   * @param outcome {@link #COMMITTED}, {@link #ABORTED} or {@link #FAILED}
   * @param nanos time from begin to the outcome
   */
  public void transaction(String outcome, long nanos) {
    transactionTimer(outcome).record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Counts a replaced producer.
   *
   * @param reason one of the documented reason tag values
   */
  public void recreated(String reason) {
    Counter.builder(ProducerMeters.RECREATED)
        .description("Underlying Kafka producers closed and replaced by the SDK")
        .tag(ProducerMeters.TAG_CLIENT, clientId)
        .tag(ProducerMeters.TAG_REASON, reason)
        .register(registry)
        .increment();
  }

  private Timer sendTimer(String result, String category) {
    return Timer.builder(ProducerMeters.SEND)
        .description("Time from send to acknowledgement or failure")
        .tag(ProducerMeters.TAG_CLIENT, clientId)
        .tag(ProducerMeters.TAG_RESULT, result)
        .tag(ProducerMeters.TAG_CATEGORY, category)
        .register(registry);
  }

  private Timer transactionTimer(String outcome) {
    return Timer.builder(ProducerMeters.TRANSACTION)
        .description("Transaction attempts from begin to commit or abort")
        .tag(ProducerMeters.TAG_CLIENT, clientId)
        .tag(ProducerMeters.TAG_OUTCOME, outcome)
        .register(registry);
  }
}
