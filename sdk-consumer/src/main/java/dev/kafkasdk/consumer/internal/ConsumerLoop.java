package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.ClusterAccessException;
import dev.kafkasdk.consumer.HandlerFailedException;
import dev.kafkasdk.core.internal.AccessFailure;
import java.time.Duration;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every consumer loop shares: the thread that owns the consumer, the stop request, the first
 * failure, subscribing, and closing the client. A loop implements one {@link #step()} of its work,
 * what it does after the last step ({@link #finishWork}) and what it releases around the client's
 * close.
 *
 * <p>Every consumer call happens on the loop's thread: polling, pausing, committing and the
 * rebalance callbacks.
 *
 * @param <K> key type
 * @param <V> value type
 */
abstract class ConsumerLoop<K, V> implements Loop {
  private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);

  /** The shortest timeout given to a client call while stopping. */
  static final Duration MIN_CLIENT_TIMEOUT = Duration.ofSeconds(1);

  protected final String name;
  protected final Consumer<byte[], byte[]> consumer;
  protected final RunnerSettings<K, V> settings;
  protected final RunnerMetrics metrics;
  protected final LoopStats stats;
  protected final StopDeadline stop = new StopDeadline();
  private final AutoCloseable clientMetrics;
  private final Loop.Owner owner;
  private Throwable failure;
  private volatile Thread thread;

  ConsumerLoop(LoopContext<K, V> context) {
    this.name = context.name();
    this.consumer = context.consumer();
    this.settings = context.settings();
    this.clientMetrics = context.clientMetrics();
    this.metrics = context.reports().metrics();
    this.stats = context.reports().stats();
    this.owner = context.reports().owner();
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final boolean isLoopThread() {
    return Thread.currentThread() == thread;
  }

  @Override
  public final void requestStop(Duration timeout) {
    stop.request(timeout);
  }

  @Override
  public final void run() {
    thread = Thread.currentThread();
    boolean consumerHealthy = true;
    try {
      start();
      if (settings.pattern().isPresent()) {
        consumer.subscribe(settings.pattern().get(), rebalanceListener());
      } else {
        // With retry topics, the runner reads its own retry topics too.
        consumer.subscribe(RetryChain.subscription(settings), rebalanceListener());
      }
      while (!stop.requested() && failure == null) {
        step();
      }
    } catch (Throwable error) {
      consumerHealthy = false;
      fail(error);
    }
    try {
      finishWork(consumerHealthy);
    } catch (Throwable error) {
      log.error("{}: error while stopping", name, error);
      fail(error);
    } finally {
      try {
        closeClient();
      } catch (Throwable error) {
        // An Error from the client's close (or a bug in a loop's release) must not skip the
        // termination below: without it the runner would stay STOPPING and close() would hang.
        fail(error);
      } finally {
        owner.loopTerminated();
      }
    }
  }

  /** Prepares what the loop needs before it subscribes. */
  protected void start() {}

  /** The listener for the subscription; it runs inside {@code poll()} on this thread. */
  protected abstract ConsumerRebalanceListener rebalanceListener();

  /** One round of the loop: typically one poll and what follows from it. */
  protected abstract void step();

  /**
   * Ends the work in flight after the last step: wait for it, commit what is finished.
   *
   * @param consumerHealthy false if the consumer threw and must not be polled again
   */
  protected void finishWork(boolean consumerHealthy) {}

  /** Releases what must go before the consumer closes. */
  protected void beforeClose(Duration timeout) {}

  /** Releases what must go after the consumer closed. */
  protected void afterClose() {}

  /** Whether the loop has failed and is stopping. */
  protected final boolean failed() {
    return failure != null;
  }

  /** Stops the loop because of {@code error}; only the first failure is reported. */
  protected final void fail(Throwable error) {
    if (failure == null) {
      failure = refusalOrSelf(name, error);
      log.error("{}: stopping: {}", name, failure.toString(), error);
      owner.loopFailed(failure);
    } else {
      log.debug("{}: further failure while stopping: {}", name, error.toString());
    }
  }

  /**
   * The runner's rule for a cluster that refuses its clients (authentication failed, an ACL is
   * missing): stop at once and say what was refused and how to fix it. Kafka's consumer throws such
   * errors from {@code poll()} again and again, so retrying would only loop until an operator acts.
   * A record's own failure (a {@link HandlerFailedException}, for example a dead letter the topic's
   * ACL refused) is reported as it is: it names the record.
   */
  static Throwable refusalOrSelf(String name, Throwable error) {
    if (error instanceof HandlerFailedException || error instanceof ClusterAccessException) {
      return error;
    }
    return AccessFailure.describe(error)
        .<Throwable>map(
            sentence ->
                new ClusterAccessException(
                    name
                        + ": the cluster refused the runner's client, so the runner stopped"
                        + " (nothing past an unfinished record is committed): "
                        + sentence
                        + "; then start a new runner, which resumes from the committed offsets"
                        + " (Kafka: "
                        + error
                        + ")",
                    error))
        .orElse(error);
  }

  /**
   * Tells whether the error is a refusal by the cluster (authentication or authorization), which no
   * retry can overcome.
   */
  protected static boolean refusedByCluster(Throwable error) {
    return !(error instanceof HandlerFailedException) && AccessFailure.isAccessFailure(error);
  }

  private void closeClient() {
    Duration timeout = stop.left(settings.closeTimeout(), MIN_CLIENT_TIMEOUT);
    try {
      beforeClose(timeout);
    } catch (RuntimeException e) {
      log.warn("{}: releasing before close failed: {}", name, e.toString());
    }
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
    try {
      afterClose();
    } catch (RuntimeException e) {
      log.warn("{}: releasing after close failed: {}", name, e.toString());
    }
    log.debug("{}: stopped", name);
  }
}
