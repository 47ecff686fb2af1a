package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.ConsumerRunner.State;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of one {@link ConsumerRunner}: its {@link State} machine, the first failure, and the
 * {@link RunnerEngine} it starts once. The public runner delegates every call here. Thread-safe.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class RunnerLifecycle<K, V> {
  // The runner's own category, so applications configure one logger for the runner.
  private static final Logger log = LoggerFactory.getLogger(ConsumerRunner.class);
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

  private final RunnerSettings<K, V> settings;
  private final Object lock = new Object();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private volatile State state = State.NEW;
  private volatile Throwable failure;
  private volatile RunnerEngine<K, V> engine;
  private final UserPauses userPauses = new UserPauses();

  /**
   * Creates the life of a runner that has not started.
   *
   * @param settings validated settings
   */
  public RunnerLifecycle(RunnerSettings<K, V> settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Starts the engine once; see {@link ConsumerRunner#start()}.
   *
   * @throws IllegalStateException if already started or closed
   */
  public void start() {
    synchronized (lock) {
      switch (state) {
        case NEW -> {}
        case RUNNING, STOPPING ->
            throw new IllegalStateException(
                "runner '" + name() + "' is already started (state " + state + ")");
        case STOPPED, FAILED ->
            throw new IllegalStateException(
                "runner '"
                    + name()
                    + "' is closed (state "
                    + state
                    + "); a runner cannot be restarted, build a new one");
      }
      RunnerEngine<K, V> created =
          new RunnerEngine<>(
              settings,
              config ->
                  new KafkaConsumer<>(
                      config, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
              new EngineListener(),
              userPauses);
      try {
        created.start();
      } catch (RuntimeException e) {
        failure = e;
        state = State.FAILED;
        terminated.countDown();
        throw e;
      }
      engine = created;
      state = State.RUNNING;
    }
  }

  /**
   * Returns the configured close timeout.
   *
   * @return the timeout {@link ConsumerRunner#close()} uses
   */
  public Duration closeTimeout() {
    return settings.closeTimeout();
  }

  /**
   * Stops and waits; see {@link ConsumerRunner#close(Duration)}.
   *
   * @param timeout how long running handlers and the final commit may take
   */
  public void close(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    synchronized (lock) {
      switch (state) {
        case NEW -> {
          state = State.STOPPED;
          terminated.countDown();
          return;
        }
        case RUNNING -> {
          state = State.STOPPING;
          engine.requestStop(timeout);
        }
        case STOPPING -> engine.requestStop(timeout);
        case STOPPED, FAILED -> {
          return;
        }
      }
    }
    if (engine.isRunnerThread()) {
      return;
    }
    try {
      if (!awaitTermination(timeout.plus(CLOSE_GRACE))) {
        log.warn("runner {} has not stopped within {}", name(), timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits until the runner has stopped.
   *
   * @param timeout how long to wait
   * @return true if it has stopped
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Returns where the runner is in its life.
   *
   * @return the state
   */
  public State state() {
    return state;
  }

  /**
   * Returns why the runner stopped by itself.
   *
   * @return the failure, or empty
   */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  /**
   * Returns the partitions currently assigned.
   *
   * @return an immutable snapshot
   */
  public Set<TopicPartition> assignment() {
    RunnerEngine<K, V> current = engine;
    return current == null ? Set.of() : current.assignment();
  }

  /**
   * Returns the runner's name: the configured one, numbered once started if it was taken.
   *
   * @return the name
   */
  public String name() {
    RunnerEngine<K, V> current = engine;
    return current == null ? settings.name() : current.name();
  }

  /**
   * Returns the application's pauses, which outlive rebalances and may be set before the start.
   *
   * @return the pauses; thread-safe
   */
  public UserPauses userPauses() {
    return userPauses;
  }

  /**
   * Returns the assigned partitions the application paused, as the poll threads applied them.
   *
   * @return an immutable snapshot
   */
  public Set<TopicPartition> pausedPartitions() {
    RunnerEngine<K, V> current = engine;
    return current == null || state != State.RUNNING ? Set.of() : current.userPaused();
  }

  /**
   * Returns the assigned partitions that are stuck.
   *
   * @return an immutable snapshot
   */
  public Set<TopicPartition> stuckPartitions() {
    RunnerEngine<K, V> current = engine;
    return current == null || state != State.RUNNING ? Set.of() : current.stuck();
  }

  /**
   * Returns how long records may wait without a commit before their partition is stuck.
   *
   * @return the configured duration
   */
  public Duration stuckAfter() {
    return settings.stuckAfter();
  }

  /**
   * Returns each consumer's assignment, in consumer order.
   *
   * @return one immutable set per consumer
   */
  public List<Set<TopicPartition>> assignmentsByConsumer() {
    RunnerEngine<K, V> current = engine;
    return current == null ? List.of() : current.assignmentsByConsumer();
  }

  /**
   * Returns an upper bound of the most records ever in flight at once.
   *
   * @return the high-water mark
   */
  public int highWaterInFlight() {
    RunnerEngine<K, V> current = engine;
    return current == null ? 0 : current.highWaterInFlight();
  }

  private final class EngineListener implements RunnerEngine.Listener {
    @Override
    public void failed(Throwable error) {
      synchronized (lock) {
        if (failure == null) {
          failure = error;
        }
        if (state == State.RUNNING || state == State.NEW) {
          state = State.STOPPING;
        }
      }
    }

    @Override
    public void terminated() {
      synchronized (lock) {
        state = failure == null ? State.STOPPED : State.FAILED;
      }
      terminated.countDown();
      if (failure == null) {
        log.info("runner {} stopped", name());
      } else {
        log.error("runner {} failed: {}", name(), failure.toString());
      }
    }
  }
}
