package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.ConsumerMeters;
import dev.kafkasdk.consumer.FailureAction;
import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.consumer.Strategy;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds and runs the poll loops of one runner: one loop feeding a worker pool (multi-worker) or N
 * loops each with its own processing thread (thread-per-partition). Reports failure and termination
 * to the public {@code ConsumerRunner}.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class RunnerEngine<K, V> {
  private static final Logger log = LoggerFactory.getLogger(RunnerEngine.class);

  /** What the engine tells the runner. */
  public interface Listener {
    /**
     * A loop failed; the engine is stopping all loops.
     *
     * @param error the first failure
     */
    void failed(Throwable error);

    /** Every loop has stopped and every client is closed. */
    void terminated();
  }

  /**
   * Creates a consumer of raw bytes; the runner deserializes each record itself (so one record that
   * cannot be deserialized does not break a poll). The seam that lets tests substitute the client.
   */
  @FunctionalInterface
  public interface ConsumerFactory {
    /**
     * Creates a consumer.
     *
     * @param config complete configuration
     * @return the consumer
     */
    Consumer<byte[], byte[]> create(Map<String, Object> config);
  }

  /**
   * Creates a share consumer of raw bytes ({@code Strategy.shareGroup}); the seam that lets tests
   * substitute the client.
   */
  @FunctionalInterface
  public interface ShareConsumerFactory {
    /**
     * Creates a share consumer.
     *
     * @param config complete configuration
     * @return the share consumer
     */
    ShareConsumer<byte[], byte[]> create(Map<String, Object> config);
  }

  /** Kafka's share consumer of raw bytes. */
  public static final ShareConsumerFactory KAFKA_SHARE_CONSUMERS =
      config ->
          new KafkaShareConsumer<>(
              config, new ByteArrayDeserializer(), new ByteArrayDeserializer());

  private final ConsumerFactory consumers;
  private final ShareConsumerFactory shareConsumers;
  private final Listener listener;
  private final List<LoopStats> stats = new CopyOnWriteArrayList<>();
  private final List<Loop> loops = new ArrayList<>();
  private final AtomicInteger alive = new AtomicInteger();
  private final RunnerSettings<K, V> settings;
  private final UserPauses userPauses;
  // The configured name, numbered in start() if another running runner in this JVM has it.
  private String name;
  private String clientIdPrefix;
  private RunnerMetrics metrics;
  private ProgressBoard board;
  private FailureSupport<K, V> failures;
  private ScheduledExecutorService timer;
  private DeadLetterPublisher deadLetters;
  // Null when the runner adds nothing around handler calls.
  private CallTelemetry telemetry;
  private final StopDeadline stop = new StopDeadline();

  /**
   * Creates an engine; nothing starts until {@link #start()}.
   *
   * @param settings validated settings
   * @param consumers creates a consumer from a complete configuration
   * @param listener told about failure and termination
   * @param userPauses the application's pauses, kept by the runner across its whole life
   */
  public RunnerEngine(
      RunnerSettings<K, V> settings,
      ConsumerFactory consumers,
      Listener listener,
      UserPauses userPauses) {
    this(settings, consumers, KAFKA_SHARE_CONSUMERS, listener, userPauses);
  }

  /**
   * Creates an engine that makes its share consumers with {@code shareConsumers}.
   *
   * @param settings validated settings
   * @param consumers creates a consumer from a complete configuration
   * @param shareConsumers creates a share consumer from a complete configuration
   * @param listener told about failure and termination
   * @param userPauses the application's pauses, kept by the runner across its whole life
   */
  public RunnerEngine(
      RunnerSettings<K, V> settings,
      ConsumerFactory consumers,
      ShareConsumerFactory shareConsumers,
      Listener listener,
      UserPauses userPauses) {
    this.settings = settings;
    this.consumers = consumers;
    this.shareConsumers = shareConsumers;
    this.listener = listener;
    this.userPauses = userPauses;
  }

  /**
   * Creates the consumers, executors and threads and starts polling. On failure everything created
   * so far is closed before the exception propagates.
   *
   * @throws org.apache.kafka.common.KafkaException if a consumer cannot be created or, for
   *     thread-per-partition without a thread count, the partitions cannot be counted
   */
  public void start() {
    name = RunnerNames.claim(settings.name());
    if (!name.equals(settings.name())) {
      log.warn(
          "runner name {} is used by another running runner in this JVM; this one is {}",
          settings.name(),
          name);
    }
    clientIdPrefix = settings.clientIdPrefix(name);
    metrics = new RunnerMetrics(settings.registry(), name, stats);
    board = new ProgressBoard(settings.registry(), name);
    metrics.stuckPartitions(() -> board.stuck(settings.stuckAfter()).size());
    telemetry =
        CallTelemetry.of(
            settings.telemetry(),
            String.valueOf(settings.consumerConfig().get(ConsumerConfig.GROUP_ID_CONFIG)),
            name);
    List<Runnable> cleanup = new ArrayList<>();
    cleanup.add(this::releaseClientResources);
    try {
      failures = failureSupport();
      ProcessingMode<K, V> mode = settings.mode();
      if (settings.strategy() instanceof Strategy.ShareGroup share
          && mode instanceof ProcessingMode.RecordHandling<K, V> records) {
        // The resolver refused batch handlers and exactly-once for share groups.
        addShareLoops(share, HandlerInvoker.of(records.handler(), telemetry), cleanup);
      } else if (mode instanceof ExactlyOnceSettings<K, V, ?, ?> exactlyOnce) {
        addTransactionalLoops(exactlyOnce, cleanup);
      } else if (mode instanceof ProcessingMode.RecordHandling<K, V> records) {
        addPollLoops(
            HandlerInvoker.of(records.handler(), telemetry).viewing(RetryChain.of(settings)),
            1,
            cleanup);
      } else if (mode instanceof ProcessingMode.BatchHandling<K, V> batches) {
        addPollLoops(
            HandlerInvoker.ofBatch(batches.handler(), telemetry).viewing(RetryChain.of(settings)),
            batches.batchSize(),
            cleanup);
      }
    } catch (RuntimeException e) {
      for (int i = cleanup.size() - 1; i >= 0; i--) {
        try {
          cleanup.get(i).run();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      metrics.close();
      board.close();
      throw e;
    }
    alive.set(loops.size());
    for (int i = 0; i < loops.size(); i++) {
      new Thread(loops.get(i), "ksdk-" + name + "-poll-" + i).start();
    }
    log.info(
        "runner {} started: {} consumer(s), strategy {}, subscription {}",
        name,
        loops.size(),
        settings.strategy(),
        settings
            .pattern()
            .map(Object::toString)
            .orElse(RetryChain.subscription(settings).toString()));
  }

  /** One loop feeding a worker pool, or one loop per consumer thread, each with its own thread. */
  private void addPollLoops(HandlerInvoker<K, V> invoker, int batchSize, List<Runnable> cleanup) {
    if (settings.strategy() instanceof Strategy.MultiWorker multiWorker) {
      WorkerPool pool = WorkerPool.of(multiWorker, name);
      if (pool.owned()) {
        cleanup.add(pool.executor()::shutdownNow);
      }
      addPollLoop(
          name,
          0,
          limits(1),
          new PollLoop.LoopExecution<>(pool, multiWorker.ordering(), invoker, batchSize),
          cleanup);
    } else if (settings.strategy() instanceof Strategy.ThreadPerPartition perPartition) {
      int threads = threadCount(perPartition);
      FlowLimits limits = limits(threads);
      for (int i = 0; i < threads; i++) {
        ExecutorService executor =
            Executors.newSingleThreadExecutor(
                new NamedThreadFactory("ksdk-" + name + "-handler-" + i));
        cleanup.add(executor::shutdownNow);
        addPollLoop(
            name + "#" + i,
            i,
            limits,
            new PollLoop.LoopExecution<>(
                new WorkerPool(executor, true, 1), Ordering.PARTITION, invoker, batchSize),
            cleanup);
      }
    }
  }

  /**
   * One share loop per share consumer, each with its own worker pool. The runner's in-flight limit
   * is split evenly among them, and each fetches at most {@code max.poll.records} (default: up to
   * 500, at most its share of the limit) per poll ({@code share.acquire.mode=record_limit}).
   */
  private void addShareLoops(
      Strategy.ShareGroup share, HandlerInvoker<K, V> invoker, List<Runnable> cleanup) {
    RunnerMetrics.ShareMeters shareMeters = metrics.shareMeters();
    int limit = Math.max(1, settings.maxInFlight() / share.consumers());
    int maxPollRecords = Math.min(settings.maxPollRecords().orElse(500), limit);
    for (int i = 0; i < share.consumers(); i++) {
      Map<String, Object> config = ShareGroupChecks.shareConsumerConfig(settings.consumerConfig());
      config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientIdPrefix + "-" + i);
      config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
      ShareConsumer<byte[], byte[]> consumer = shareConsumers.create(config);
      cleanup.add(consumer::close);
      ExecutorService pool =
          Executors.newFixedThreadPool(
              share.workersPerConsumer(), new NamedThreadFactory("ksdk-" + name + "-share-" + i));
      cleanup.add(pool::shutdownNow);
      LoopStats loopStats = new LoopStats();
      loopStats.inFlightLimit.set(limit);
      stats.add(loopStats);
      ShareWorkers<K, V> workers =
          new ShareWorkers<>(
              pool, share.workersPerConsumer(), invoker, failures, metrics, shareMeters);
      loops.add(
          new ShareLoop<>(
              new ShareLoop.Parts<>(
                  name + "#" + i,
                  consumer,
                  () -> {},
                  settings,
                  workers,
                  pool,
                  share.workersPerConsumer(),
                  limit,
                  maxPollRecords,
                  failures.gate(),
                  userPauses,
                  loopStats,
                  metrics,
                  shareMeters,
                  new LoopOwner())));
    }
  }

  /** Exactly-once runs one transactional loop per consumer thread (the resolver checked it). */
  private <OK, OV> void addTransactionalLoops(
      ExactlyOnceSettings<K, V, OK, OV> exactlyOnce, List<Runnable> cleanup) {
    int threads = threadCount((Strategy.ThreadPerPartition) settings.strategy());
    int maxPollRecords =
        settings.maxPollRecords().orElse(Math.min(500, settings.maxInFlightPerPartition()));
    for (int i = 0; i < threads; i++) {
      LoopContext<K, V> context = loopContext(name + "#" + i, i, maxPollRecords, cleanup);
      loops.add(new TransactionalLoop<>(context, i, exactlyOnce, failures.decoder(), telemetry));
    }
  }

  /**
   * Asks every loop to stop within the timeout. Any thread; returns at once.
   *
   * @param timeout how long in-flight records and the final commit may take
   */
  public void requestStop(Duration timeout) {
    stop.request(timeout);
    for (Loop loop : loops) {
      loop.requestStop(timeout);
    }
  }

  /**
   * What is left of the stop's timeout, so that closing the dead-letter producer, last, does not
   * make {@code close(timeout)} return before the runner has stopped. Pending dead letters are
   * abandoned when none is left: their records were not committed and are delivered again.
   */
  private Duration stopTimeLeft() {
    return stop.left(settings.closeTimeout(), Duration.ZERO);
  }

  /**
   * Returns the partitions currently assigned to the runner's consumers.
   *
   * @return an immutable snapshot
   */
  public Set<TopicPartition> assignment() {
    Set<TopicPartition> all = new HashSet<>();
    for (Loop loop : loops) {
      all.addAll(loop.assignment());
    }
    return Set.copyOf(all);
  }

  /**
   * Returns the assigned partitions the application paused, as the loops applied them.
   *
   * @return an immutable snapshot
   */
  public Set<TopicPartition> userPaused() {
    Set<TopicPartition> all = new HashSet<>();
    for (Loop loop : loops) {
      all.addAll(loop.userPaused());
    }
    return Set.copyOf(all);
  }

  /**
   * Returns the assigned partitions whose records waited without their commit moving for {@code
   * stuckAfter}.
   *
   * @return an immutable snapshot
   */
  public Set<TopicPartition> stuck() {
    ProgressBoard current = board;
    return current == null ? Set.of() : Set.copyOf(current.stuck(settings.stuckAfter()));
  }

  /**
   * Returns each consumer's current assignment, in consumer order.
   *
   * @return one immutable set per consumer
   */
  public List<Set<TopicPartition>> assignmentsByConsumer() {
    List<Set<TopicPartition>> all = new ArrayList<>();
    for (Loop loop : loops) {
      all.add(loop.assignment());
    }
    return List.copyOf(all);
  }

  /**
   * Tells whether the calling thread belongs to this runner (a poll thread) or is running a
   * handler, where waiting for termination would wait for itself.
   *
   * @return true on a runner thread
   */
  public boolean isRunnerThread() {
    if (Dispatcher.inHandler()) {
      return true;
    }
    for (Loop loop : loops) {
      if (loop.isLoopThread()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns the sum over consumers of the most records each ever had in flight: an upper bound of
   * the runner's in-flight high-water mark.
   *
   * @return the high-water mark
   */
  public int highWaterInFlight() {
    return stats.stream().mapToInt(s -> s.highWaterInFlight.get()).sum();
  }

  /**
   * Returns the runner's name: the configured one, numbered if another running runner in this JVM
   * had it.
   *
   * @return the name
   */
  public String name() {
    return name != null ? name : settings.name();
  }

  /** The failure policy, gate and timer shared by the loops; creates the dead-letter producer. */
  private FailureSupport<K, V> failureSupport() {
    FailureHandling handling = settings.failureHandling();
    timer =
        Executors.newSingleThreadScheduledExecutor(
            new NamedThreadFactory("ksdk-" + name + "-retry"));
    FailureAction.Kind kind = handling.action().kind();
    RetryChain chain = RetryChain.of(settings);
    RetryTopicPublisher retryTopics = null;
    if ((kind == FailureAction.Kind.DEAD_LETTER || kind == FailureAction.Kind.RETRY_TOPICS)
        && !(settings.mode() instanceof ExactlyOnceSettings)) {
      deadLetters =
          new DeadLetterPublisher(
              handling.action(),
              DeadLetterProducer.create(
                  settings.consumerConfig(),
                  clientIdPrefix + "-dlt",
                  settings.registry(),
                  settings.telemetry()),
              settings.telemetry().observations().orElse(null),
              chain);
      if (chain != null) {
        // One idempotent producer for the retry topics and the dead-letter topic.
        retryTopics =
            new RetryTopicPublisher(
                chain,
                deadLetters.producer(),
                deadLetters,
                metrics,
                System::currentTimeMillis,
                handling.action().retryTopics().orElseThrow().keepsKeyOrder()
                    ? new KeyOrderQueues()
                    : null);
      }
    }
    Gate gate = new Gate(handling.breaker().orElse(null), handling.limiter().orElse(null));
    if (gate.hasBreaker()) {
      metrics.circuitState(gate);
    }
    FailurePolicy policy =
        new ConfiguredFailurePolicy(
            name, handling.retry(), handling.action(), deadLetters, retryTopics, metrics);
    return new FailureSupport<>(
        new RecordDecoder<>(settings.keys(), settings.values()),
        policy,
        gate,
        timer,
        retryTopics != null && retryTopics.keepsKeyOrder() ? retryTopics : null);
  }

  /** Closes the application's deserializers once and frees the name. */
  private void releaseClientResources() {
    if (timer != null) {
      timer.shutdownNow();
    }
    if (deadLetters != null) {
      try {
        deadLetters.close(stopTimeLeft());
      } catch (RuntimeException e) {
        log.warn("runner {}: closing the dead-letter producer failed: {}", name, e.toString());
      }
    }
    closeQuietly(settings.keys());
    if (settings.values() != settings.keys()) {
      closeQuietly(settings.values());
    }
    RunnerNames.release(name);
  }

  private void closeQuietly(Deserializer<?> deserializer) {
    try {
      deserializer.close();
    } catch (RuntimeException e) {
      log.warn("runner {}: closing a deserializer failed: {}", name, e.toString());
    }
  }

  private FlowLimits limits(int loopCount) {
    return FlowLimits.forLoop(
        settings.maxInFlight(),
        settings.maxInFlightPerPartition(),
        settings.maxPollRecords(),
        loopCount,
        settings.limitGrowth());
  }

  private void addPollLoop(
      String loopName,
      int index,
      FlowLimits limits,
      PollLoop.LoopExecution<K, V> execution,
      List<Runnable> cleanup) {
    LoopContext<K, V> context = loopContext(loopName, index, limits.maxPollRecords(), cleanup);
    loops.add(new PollLoop<>(context, limits, execution, failures));
  }

  /** Creates a loop's consumer, binds its meters and registers both for cleanup. */
  private LoopContext<K, V> loopContext(
      String loopName, int index, int maxPollRecords, List<Runnable> cleanup) {
    Map<String, Object> config = new HashMap<>(settings.consumerConfig());
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientIdPrefix + "-" + index);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
    Consumer<byte[], byte[]> consumer = consumers.create(config);
    cleanup.add(consumer::close);
    KafkaClientMetrics clientMetrics =
        new KafkaClientMetrics(consumer, Tags.of(ConsumerMeters.TAG_RUNNER, name));
    clientMetrics.bindTo(settings.registry());
    cleanup.add(clientMetrics::close);
    LoopStats loopStats = new LoopStats();
    stats.add(loopStats);
    return new LoopContext<>(
        loopName,
        consumer,
        clientMetrics,
        settings,
        new LoopContext.LoopReports(metrics, loopStats, new LoopOwner(), board),
        userPauses);
  }

  private int threadCount(Strategy.ThreadPerPartition strategy) {
    Map<String, Object> config = new HashMap<>(settings.consumerConfig());
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientIdPrefix + "-metadata");
    return ConsumerThreadCount.of(strategy, settings, name, () -> consumers.create(config));
  }

  private final class LoopOwner implements Loop.Owner {
    @Override
    public void loopFailed(Throwable error) {
      listener.failed(error);
      requestStop(settings.closeTimeout());
    }

    @Override
    public void loopTerminated() {
      if (alive.decrementAndGet() == 0) {
        metrics.close();
        board.close();
        releaseClientResources();
        listener.terminated();
      }
    }
  }
}
